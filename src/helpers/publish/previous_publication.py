"""A report published again over its previous publication of the same year and period: that
publication's judged facts (its tables/facts.csv, checked against its manifest) are what the
new report marks 修订 against. The bytes compared with are kept inside the new publication
(tables/previous_publication_facts.csv) and recorded in its manifest, so `verify` and an
auditor pack re-run against the same file and reproduce the same bytes."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from helpers.core.errors import InputFileError, ReportError
from helpers.core.limits import MAX_OUTPUT_FILE_BYTES
from helpers.core.parameters import ReportParameters
from helpers.core.safe_read import read_bounded
from helpers.publish.manifest import MANIFEST_NAME, read_manifest

logger = logging.getLogger(__name__)

FACTS = "tables/facts.csv"
KEPT = "tables/previous_publication_facts.csv"  # inside the new publication
MANIFEST_KEY = "previous_publication"


def published_facts(target: Path, params: ReportParameters) -> bytes | None:
    """The facts.csv bytes of the publication now in `target`, when it is a report of the same
    year and period whose manifest records those bytes; None for a first publication. A
    previous publication that cannot be read (broken, foreign, edited) is named in a warning
    and not compared with: it never fails the run."""
    target = Path(target)
    if not (target / MANIFEST_NAME).is_file():
        return None
    try:
        manifest = read_manifest(target / MANIFEST_NAME)
        recorded = manifest["parameters"]
        if (recorded.get("year"), recorded.get("period")) != (params.year, params.period):
            raise ReportError(f"it is the report of {recorded.get('year')} "
                              f"{recorded.get('period')}")
        record = next((o for o in manifest["outputs"] if o["path"] == FACTS), None)
        if record is None:
            raise ReportError(f"its manifest records no {FACTS}")
        data = read_bounded(target / FACTS, FACTS, root=target, limit=MAX_OUTPUT_FILE_BYTES)
        if hashlib.sha256(data).hexdigest() != record["sha256"]:
            raise ReportError(f"{FACTS} is not the file its manifest records")
        data.decode("utf-8")
    except (ReportError, InputFileError, UnicodeDecodeError) as exc:
        logger.warning("previous publication in %s not compared (no 修订 marked): %s",
                       target.name, exc)
        return None
    return data


def kept_facts(folder: Path, manifest: dict) -> bytes | None:
    """The previous publication's facts a published report was compared with (its kept copy,
    as its manifest records it), for a re-run that must reproduce it; None when it was a first
    publication. A kept copy missing or not what the manifest records is an error."""
    record = manifest.get(MANIFEST_KEY)
    if not isinstance(record, dict):
        return None
    data = read_bounded(Path(folder) / KEPT, KEPT, root=Path(folder),
                        limit=MAX_OUTPUT_FILE_BYTES)
    if hashlib.sha256(data).hexdigest() != record.get("sha256"):
        raise InputFileError(KEPT, "not the file the manifest records as the previous "
                                   "publication's facts")
    return data


def manifest_record(data: bytes) -> dict:
    """What the manifest records of the facts compared with: path and SHA-256."""
    return {"path": KEPT, "sha256": hashlib.sha256(data).hexdigest()}
