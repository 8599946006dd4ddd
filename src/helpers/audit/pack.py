"""`pack`: one zip holding what an auditor needs to reproduce a published report elsewhere with
`make`: the raw inputs the run read, the code and notebooks, the lock file, the outputs and the
manifest.

The manifest is read as untrusted: every input it names must be a path of the raw-data layout,
resolve inside the raw folder and still have its recorded hash; every output must resolve
inside the report folder and have its recorded hash; nothing else of either folder is packed.
The code must be the code that made the report (same code hash and lock), so the pack records
the run's git commit in SOURCE_VERSION.json for the re-run to show (there is no .git in it)."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

from helpers.core.environment import SOURCE_VERSION_NAME, code_hash, lock_hash
from helpers.core.errors import (
    InputFileError,
    ManifestError,
    OutputFailed,
    ReportError,
    UnsafePlace,
)
from helpers.core.limits import MAX_OUTPUT_FILE_BYTES
from helpers.core.parameters import parameters_from_dict
from helpers.core.paths import PROJECT_ROOT
from helpers.core.places import check_output_file
from helpers.core.reproducible_files import DEFAULT_EPOCH, fixed_timestamp
from helpers.core.safe_read import read_bounded
from helpers.core.text_safety import one_line
from helpers.publish.manifest import MANIFEST_NAME, read_manifest

# The project files needed to rebuild (relative to the project root).
PROJECT_FILES = ("Makefile", "pyproject.toml", "requirements.lock", "environment.yml",
                 "README.md", ".gitignore")
PROJECT_FOLDERS = ("src", "notebooks", "tools")
PACKED_RAW_DIR = "data/raw"  # where the pack keeps the inputs


def _project_files() -> list[Path]:
    files = [PROJECT_ROOT / name for name in PROJECT_FILES if (PROJECT_ROOT / name).is_file()]
    for folder in PROJECT_FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not any(
                    part.endswith(".egg-info") or part == ".ipynb_checkpoints"
                    for part in path.parts):
                files.append(path)
    return files


def _checked_bytes(path: Path, rel: str, root: Path, sha256: str | None, what: str) -> bytes:
    """The bytes of `rel` under `root` (regular file, resolved inside root, recorded hash)."""
    try:
        data = read_bounded(path, rel, root=root, limit=MAX_OUTPUT_FILE_BYTES)
    except InputFileError as exc:
        raise ReportError(f"{what} {exc}; refused, nothing was packed") from None
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise ReportError(f"{what} {one_line(rel)} changed since the run; the pack would not "
                          "match the manifest")
    return data


def pack(report_folder: Path, destination: Path | None = None,
         raw_dir: Path | None = None) -> Path:
    """Write <report_folder>/../<year>-<period>-auditor-pack.zip (or `destination`). `raw_dir`:
    where the inputs are now (default: the raw folder the run recorded)."""
    report_folder = Path(report_folder)
    manifest_path = report_folder / MANIFEST_NAME
    if not manifest_path.exists():
        raise ManifestError(f"{one_line(report_folder)}: no {MANIFEST_NAME}; is this a "
                            "published report?")
    manifest = read_manifest(manifest_path)
    params = parameters_from_dict(manifest["parameters"])
    year, period = params.year, params.period
    environment = manifest["environment"]
    if environment.get("code_sha256") != code_hash():
        raise ReportError("the code changed since the run (code hash "
                          f"{one_line(environment.get('code_sha256'))}, now {code_hash()}): the "
                          "pack would not reproduce the report; check out the recorded commit "
                          f"{one_line(environment.get('git', {}).get('commit'))}")
    if environment.get("lock_sha256") != lock_hash():
        raise ReportError("requirements.lock changed since the run; the pack would not "
                          "reproduce the report")
    raw_root = Path(raw_dir) if raw_dir is not None else params.raw_path
    destination = Path(destination or report_folder.parent /
                       f"{year}-{period}-auditor-pack.zip")
    # the same place rules as every command that writes, before anything is read or written
    check_output_file(destination, raw_root, "output")
    if destination.resolve().is_relative_to(report_folder.resolve()):
        raise UnsafePlace(f"--output {one_line(destination)} is inside the report folder it "
                          "packs; choose a place beside it")

    entries: list[tuple[str, bytes]] = []
    for record in manifest["inputs"]:
        entries.append((f"{PACKED_RAW_DIR}/{record['path']}", _checked_bytes(
            raw_root / record["path"], record["path"], raw_root, record["sha256"], "input")))
    for path in _project_files():
        rel = path.relative_to(PROJECT_ROOT).as_posix()
        entries.append((rel, _checked_bytes(path, rel, PROJECT_ROOT, None, "project file")))
    published = f"published/{year}/{period}"
    for record in manifest["outputs"]:
        entries.append((f"{published}/{record['path']}", _checked_bytes(
            report_folder / record["path"], record["path"], report_folder, record["sha256"],
            "output")))
    entries.append((f"{published}/{MANIFEST_NAME}", _checked_bytes(
        manifest_path, MANIFEST_NAME, report_folder, None, "manifest")))
    git = environment.get("git", {})
    entries.append((SOURCE_VERSION_NAME, (json.dumps(
        {"commit": git.get("commit"), "dirty": git.get("dirty"),
         "code_sha256": environment.get("code_sha256")}, indent=2, sort_keys=True)
        + "\n").encode("utf-8")))
    entries.append(("REPRODUCE.md", _instructions(year, period, manifest).encode("utf-8")))
    try:
        _write_zip(destination, entries)
    except OSError as exc:
        raise OutputFailed(f"could not write {one_line(destination)}: "
                           f"{one_line(exc.strerror or exc)}") from None
    return destination


def _write_zip(destination: Path, entries: list[tuple[str, bytes]]) -> None:
    """A reproducible zip (fixed times and modes, sorted), written through a temporary file."""
    stamp = fixed_timestamp(DEFAULT_EPOCH).timetuple()[:6]
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        temporary.replace(destination)
    finally:
        temporary.unlink(missing_ok=True)


def _instructions(year: int, period: str, manifest: dict) -> str:
    git = manifest["environment"].get("git", {})
    return (f"# Reproducing the {year} {period} report\n\n"
            f"1. Unzip; `{PACKED_RAW_DIR}/` holds exactly the inputs the run read "
            "(hashes in the manifest).\n"
            "2. `make env` installs the pinned packages of `requirements.lock`.\n"
            f"3. `.venv/bin/python -m helpers verify published/{year}/{period}/manifest.json "
            f"--raw-dir {PACKED_RAW_DIR}` re-runs the report from those inputs and compares "
            "every output byte for byte.\n\n"
            "**Personal data.** `data/raw/` holds the inputs exactly as the run read them, "
            "the problem ledger (ledger.xlsx) included, with the names and telephone numbers of "
            "责任人 unmasked (the published outputs never show them). Hand this pack only to "
            "whom may see the ledger, and delete it when the audit is done.\n\n"
            f"Recorded code version: {one_line(git.get('commit'))} (uncommitted changes: "
            f"{one_line(git.get('dirty'))}); the code in this pack has the recorded code hash, "
            f"and `{SOURCE_VERSION_NAME}` carries that version into the re-run.\n")
