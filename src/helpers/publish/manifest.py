"""The record of a run: parameters, every input and output with its SHA-256, code version,
environment; enough for an auditor to reproduce it and to see what changed."""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from helpers.core.environment import code_hash, git_state, loaded_packages, lock_hash, sha256_file
from helpers.core.errors import InputFileError, ManifestError, ReportError
from helpers.core.limits import MAX_MANIFEST_BYTES
from helpers.core.paths import display_path

if TYPE_CHECKING:
    from helpers.core.parameters import ReportParameters
    from helpers.ingest.returns import IngestResult
    from helpers.metrics.report_data import ReportData

MANIFEST_NAME = "manifest.json"
# Published outputs whose bytes must be identical on a re-run (the log and manifest hold times).
# report.pdf too: Chromium's only varying bytes, its dates, are fixed (helpers.render.pdf_print), so
# the same Chromium version (recorded under environment.chromium) gives the same PDF.
REPRODUCIBLE_SUFFIXES = (".html", ".xlsx", ".ipynb", ".csv", ".docx", ".pdf")


def input_records(snapshot, relative_paths: list[str]) -> list[dict]:
    """path (relative to the raw folder), size and SHA-256 of every input read, from the
    run's snapshot of the inputs (the bytes the report was built from, never re-read)."""
    return [snapshot.record(rel) for rel in sorted(relative_paths)]


def output_records(folder: Path) -> list[dict]:
    """path (relative to the report folder), size and SHA-256 of every published file except
    the manifest itself."""
    folder = Path(folder)
    records = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST_NAME:
            continue
        records.append({"path": rel, "size": path.stat().st_size, "sha256": sha256_file(path),
                        "reproducible": path.suffix in REPRODUCIBLE_SUFFIXES})
    return records


def environment() -> dict:
    """Python and package versions, lock hash and code version."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "packages": loaded_packages(),
        "lock_sha256": lock_hash(),
        "code_sha256": code_hash(),
        "git": git_state(),
        "chromium": _chromium_version(),
    }


def _chromium_version() -> str | None:
    from helpers.render.pdf_print import installed_chromium_version

    return installed_chromium_version()


def run_manifest(params: ReportParameters, result: IngestResult, data: ReportData,
                 folder: Path, started_at: dt.datetime, seconds: float, reason: str | None,
                 environment_facts: dict | None = None, **extra) -> dict:
    """The manifest of a run whose outputs are all in `folder`: parameters, inputs and
    outputs with their hashes, environment (`environment_facts`, when gathered earlier),
    warnings, summary, and `extra` sections."""
    return {
        "parameters": params.as_dict(),
        **extra,
        "raw_dir": display_path(params.raw_path),
        "inputs": input_records(result.snapshot, list(data.inputs["path"])),
        "outputs": output_records(folder),
        "environment": environment_facts or environment(),
        "warnings": [p.as_dict() for p in data.warnings],
        "demo_inputs": data.demo_inputs,
        "summary": {"report_date": data.report_date.isoformat(),
                    "data_as_of": data.data_as_of.isoformat() if data.data_as_of else None,
                    "counts": data.counts},
        "run": {"started_utc": started_at.isoformat(), "seconds": round(seconds, 3),
                "reason": reason or "requested"},
    }


def write_manifest(path: Path, manifest: dict) -> None:
    """Write the manifest as stable, sorted, indented JSON."""
    from helpers.core.atomic_io import write_text_atomic

    write_text_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                      + "\n")


_SHA256 = re.compile(r"[0-9a-f]{64}")


def read_manifest(path: Path) -> dict:
    """A manifest written by write_manifest, read through the bounded reader (a FIFO or a huge
    file is refused) and checked field by field; ManifestError names the file and the field."""
    from helpers.core.safe_read import read_bounded

    path = Path(path)
    shown = str(path)
    try:
        data = read_bounded(path, shown, limit=MAX_MANIFEST_BYTES)
    except InputFileError as exc:
        raise ManifestError(f"manifest {exc}") from None
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ManifestError(f"manifest {shown}: not UTF-8 text") from None
    except RecursionError:
        raise ManifestError(f"manifest {shown}: nested too deeply to be a manifest") from None
    except ValueError as exc:
        raise ManifestError(f"manifest {shown}: not JSON ({exc})") from None
    problem = manifest_problem(manifest)
    if problem:
        raise ManifestError(f"manifest {shown}: {problem}")
    return manifest


def safe_relative_path(text: object, max_parts: int = 4) -> bool:
    """True for a short '/'-separated relative path that stays inside its folder: no absolute
    path, no '..', no backslash, no control character, no empty part."""
    if not isinstance(text, str) or not text or len(text) > 400 or "\\" in text:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return False
    path = PurePosixPath(text)
    parts = text.split("/")
    return (not path.is_absolute() and len(parts) <= max_parts
            and all(part not in ("", ".", "..") for part in parts))


def is_input_path(text: object) -> bool:
    """True for a path the raw-data layout allows: catalog/<file> or <year>/.../<file>."""
    if not safe_relative_path(text, max_parts=3):
        return False
    first = text.split("/", 1)[0]
    return "/" in text and (first == "catalog" or re.fullmatch(r"[0-9]{4}", first) is not None)


def _iso_date(value: object) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and len(value) == 10


def manifest_problem(manifest: object) -> str | None:
    """What is wrong with a manifest's shape (the first thing found), or None."""
    from helpers.core.parameters import parameters_from_dict

    if not isinstance(manifest, dict):
        return "not a JSON object"
    try:
        parameters_from_dict(manifest.get("parameters"))
    except (ReportError, TypeError, AttributeError) as exc:
        return f"parameters: {exc}" if isinstance(exc, ReportError) else "parameters missing"
    for key, check_path in (("inputs", is_input_path), ("outputs", safe_relative_path)):
        records = manifest.get(key)
        if not isinstance(records, list):
            return f"{key} is not a list"
        for number, record in enumerate(records):
            if not isinstance(record, dict):
                return f"{key}[{number}] is not an object"
            if not check_path(record.get("path")):
                return (f"{key}[{number}].path {str(record.get('path'))[:80]!r} is not a path "
                        f"inside the {'raw' if key == 'inputs' else 'report'} folder")
            if not isinstance(record.get("sha256"), str) or not _SHA256.fullmatch(
                    record["sha256"]):
                return f"{key}[{number}].sha256 is not a SHA-256"
            size = record.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                return f"{key}[{number}].size is not a file size"
    environment = manifest.get("environment")
    if not isinstance(environment, dict) or not isinstance(environment.get("packages", {}),
                                                            dict):
        return "environment is not an object"
    if not isinstance(environment.get("git", {}), dict):
        return "environment.git is not an object"
    summary = manifest.get("summary")
    if not isinstance(summary, dict) or not _iso_date(summary.get("report_date")):
        return "summary.report_date is not a date"
    counts = summary.get("counts", {})
    if not isinstance(counts, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in counts.values()):
        return "summary.counts are not whole numbers"
    return None


