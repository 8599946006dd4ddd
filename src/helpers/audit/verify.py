"""`verify`: check a published report against its manifest and reproduce it. Every published
file is hashed and compared with the manifest (an edited byte anywhere is found, whether or not
the manifest was left alone); then the report is re-run from the recorded parameters and every
output compared, byte for byte, with the manifest and with the published file. When something
differs, say what an auditor can act on. Nothing is "verified" that was not compared: an
output the manifest marks as not reproducible (other than run.log, which holds times) is a
finding, and so is a manifest that lists no output."""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import InputFileError, ReportError
from helpers.core.limits import MAX_OUTPUT_FILE_BYTES
from helpers.core.parameters import parameters_from_dict
from helpers.core.safe_read import read_bounded
from helpers.core.text_safety import one_line
from helpers.publish.manifest import MANIFEST_NAME, REPRODUCIBLE_SUFFIXES, read_manifest
from helpers.publish.previous_publication import kept_facts

FIGURES = ("target", "actual", "completion", "milestone", "gap_pp", "status")
TABLE = "tables/district_indicator.csv"


@dataclass
class Verification:
    """The outcome of a verification: matches, and findings in an auditor's terms."""

    matched: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _sha256_of(path: Path, rel: str, root: Path, limit: int | None = None) -> str:
    """SHA-256 of a file read through the bounded reader, confined to `root`."""
    return hashlib.sha256(read_bounded(path, rel, root=root, limit=limit)).hexdigest()


def input_changes(manifest: dict, raw_dir: Path) -> list[str]:
    """Recorded inputs that are missing or whose bytes changed (recorded vs current hash);
    every path is confined to the raw folder (read_manifest checked its shape)."""
    findings = []
    for record in manifest["inputs"]:
        try:
            current = _sha256_of(Path(raw_dir) / record["path"], record["path"], Path(raw_dir))
        except InputFileError as exc:
            reason = "is missing" if exc.reason == "not found" else exc.reason
            findings.append(f"input file {record['path']} {reason} (recorded sha256 "
                            f"{record['sha256']})")
            continue
        if current != record["sha256"]:
            findings.append(f"input file {record['path']} changed: recorded sha256 "
                            f"{record['sha256']}, now {current}")
    return findings


def environment_changes(recorded: dict, current: dict) -> list[str]:
    """Package versions, Python, lock file or code version that differ from the record. Only
    packages loaded in both runs are compared: which ones a process loads depends on its caller
    (a test runner loads pytest), not on the report."""
    findings = []
    before, now = recorded.get("packages", {}), current.get("packages", {})
    for name in sorted(set(before) & set(now), key=str.lower):
        if before[name] != now[name]:
            findings.append(f"environment: package {name} was {before[name]}, now {now[name]}")
    if recorded.get("python") != current.get("python"):
        findings.append(f"environment: Python was {recorded.get('python')}, now "
                        f"{current.get('python')}")
    if recorded.get("lock_sha256") != current.get("lock_sha256"):
        findings.append("environment: requirements.lock changed (recorded sha256 "
                        f"{recorded.get('lock_sha256')}, now {current.get('lock_sha256')})")
    if recorded.get("chromium") != current.get("chromium") and recorded.get("chromium"):
        findings.append(f"environment: Chromium was {recorded.get('chromium')}, now "
                        f"{current.get('chromium') or 'not installed'}")
    old_git, new_git = recorded.get("git", {}), current.get("git", {})
    if old_git.get("commit") != new_git.get("commit"):
        findings.append(f"code: git commit was {old_git.get('commit')}, "
                        f"now {new_git.get('commit')}")
    return findings


def _read_table(text: str) -> dict[tuple[str, str], dict]:
    return {(r["district"], r["indicator"]): r for r in csv.DictReader(io.StringIO(text))}


def figure_changes(old_csv: str, new_csv: str) -> list[str]:
    """Which district, indicator and figure differ between two district_indicator tables."""
    old, new = _read_table(old_csv), _read_table(new_csv)
    findings = []
    for key in sorted(set(old) | set(new)):
        district, indicator = key
        if key not in new:
            findings.append(f"{district} {indicator}: row no longer produced")
            continue
        if key not in old:
            findings.append(f"{district} {indicator}: new row")
            continue
        for figure in FIGURES:
            if old[key].get(figure) != new[key].get(figure):
                findings.append(f"{district} {indicator} {figure}: published "
                                f"{old[key].get(figure)!r}, re-run {new[key].get(figure)!r}")
    return findings


# The one output that holds times, and so is checked against the manifest but not reproduced.
UNREPRODUCIBLE = ("run.log",)


def published_changes(manifest: dict, published: Path) -> tuple[list[str], dict[str, str]]:
    """Published outputs that are missing or whose bytes are not those the manifest records
    (every path confined to the report folder), and the hash of each published file read."""
    findings, hashes = [], {}
    if not manifest["outputs"]:
        findings.append("the manifest lists no output: nothing could be compared")
    for record in manifest["outputs"]:
        rel = record["path"]
        try:
            hashes[rel] = _sha256_of(published / rel, rel, published,
                                     limit=MAX_OUTPUT_FILE_BYTES)
        except InputFileError as exc:
            reason = "is missing" if exc.reason == "not found" else exc.reason
            findings.append(f"published output {rel} {reason} (the manifest records sha256 "
                            f"{record['sha256']})")
            continue
        if hashes[rel] != record["sha256"]:
            findings.append(f"published output {rel} is not what the manifest records: "
                            f"recorded sha256 {record['sha256']}, published {hashes[rel]}")
    return findings, hashes


def _compared(record: dict) -> bool:
    """Whether the re-run must reproduce this output: all but run.log. An output the manifest
    marks as not reproducible although it is of a reproducible kind is not skipped."""
    return Path(record["path"]).name not in UNREPRODUCIBLE


def verify(manifest_path: Path, raw_dir: Path | None = None) -> Verification:
    """Re-run the report (or the briefs) recorded in `manifest_path` into a temporary folder
    and compare. `raw_dir`: where the inputs are now (an unpacked auditor pack keeps them in
    data/raw); default: the raw folder the run recorded. The re-run keeps the recorded
    parameters."""
    from helpers.publish.brief_pipeline import run_briefs
    from helpers.publish.report_pipeline import run_report

    manifest_path = Path(manifest_path)
    manifest = read_manifest(manifest_path)  # ManifestError: missing, not JSON, wrong shape
    published = manifest_path.parent
    params = parameters_from_dict(manifest["parameters"])
    raw_root = Path(raw_dir).resolve() if raw_dir is not None else params.raw_path
    outcome = Verification()
    changed, published_hashes = published_changes(manifest, published)
    outcome.findings.extend(changed)
    outcome.findings.extend(input_changes(manifest, raw_root))

    with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
        try:
            briefs = manifest.get("briefs")
            if isinstance(briefs, dict):
                rerun = run_briefs(params, str(briefs.get("by")), Path(scratch) / "out",
                                   reason="verify", raw_root=raw_root).folder
            else:
                # a re-publication compared itself with the facts it kept: so does the re-run
                rerun = run_report(params, Path(scratch) / "out", reason="verify",
                                   raw_root=raw_root, processed_dir=Path(scratch) / "processed",
                                   previous_facts=kept_facts(published, manifest)).folder
        except ReportError as exc:
            outcome.findings.append(f"the re-run failed: {one_line(exc)}")
            return outcome
        for record in manifest["outputs"]:
            rel = record["path"]
            if not _compared(record):
                continue
            if not record.get("reproducible") and Path(rel).suffix in REPRODUCIBLE_SUFFIXES:
                outcome.findings.append(f"output {rel}: the manifest marks it as not "
                                        "reproducible, which it is; compared all the same")
            try:
                current = _sha256_of(rerun / rel, rel, rerun, limit=MAX_OUTPUT_FILE_BYTES)
            except InputFileError:
                outcome.findings.append(f"output {rel}: not produced by the re-run")
                continue
            published_hash = published_hashes.get(rel)
            if current == record["sha256"] == published_hash:
                outcome.matched.append(rel)
                continue
            if current != record["sha256"]:
                outcome.findings.append(f"output {rel} differs: recorded sha256 "
                                        f"{record['sha256']}, re-run {current}")
            if published_hash is not None and current != published_hash:
                outcome.findings.append(f"output {rel}: the published file differs from the "
                                        f"re-run (published sha256 {published_hash}, re-run "
                                        f"{current})")
        if any(TABLE in f for f in outcome.findings):
            try:
                old = read_bounded(published / TABLE, TABLE, root=published).decode("utf-8")
                new = read_bounded(rerun / TABLE, TABLE, root=rerun).decode("utf-8")
            except (InputFileError, UnicodeDecodeError) as exc:
                outcome.findings.append(f"figures not compared: {one_line(exc)}")
            else:
                outcome.findings.extend(figure_changes(old, new))
        current = read_manifest(rerun / MANIFEST_NAME)["environment"]
    # Named even when the bytes match: the record no longer describes how to reproduce it.
    outcome.findings.extend(environment_changes(manifest["environment"], current))
    return outcome
