"""`pack`: one zip holding what an auditor needs to reproduce a published report elsewhere with
`make`: the raw inputs the run read, the code and notebooks, the lock file, the outputs and the
manifest."""

from __future__ import annotations

import zipfile
from pathlib import Path

from helpers.errors import ReportError
from helpers.manifest import MANIFEST_NAME, read_manifest, sha256_file
from helpers.parameters import parameters_from_dict
from helpers.paths import PROJECT_ROOT
from helpers.reproducible_xlsx import DEFAULT_EPOCH, fixed_timestamp

# The project files needed to rebuild (relative to the project root).
PROJECT_FILES = ("Makefile", "pyproject.toml", "requirements.lock", "environment.yml",
                 "README.md", ".gitignore")
PROJECT_FOLDERS = ("src", "notebooks", "tools")


def _project_files() -> list[Path]:
    files = [PROJECT_ROOT / name for name in PROJECT_FILES if (PROJECT_ROOT / name).is_file()]
    for folder in PROJECT_FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not any(
                    part.endswith(".egg-info") or part == ".ipynb_checkpoints"
                    for part in path.parts):
                files.append(path)
    return files


def pack(report_folder: Path, destination: Path | None = None) -> Path:
    """Write <report_folder>/../<year>-<period>-auditor-pack.zip (or `destination`)."""
    report_folder = Path(report_folder)
    manifest_path = report_folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise ReportError(f"{report_folder}: no {MANIFEST_NAME}; is this a published report?")
    manifest = read_manifest(manifest_path)
    params = parameters_from_dict(manifest["parameters"])
    year, period = params.year, params.period
    destination = Path(destination or report_folder.parent /
                       f"{year}-{period}-auditor-pack.zip")
    entries: list[tuple[str, Path]] = []
    for record in manifest["inputs"]:
        source = params.raw_path / record["path"]
        if not source.is_file() or sha256_file(source) != record["sha256"]:
            raise ReportError(f"input {record['path']} is missing or changed since the run; "
                              "the pack would not match the manifest")
        entries.append((f"data/raw/{record['path']}", source))
    for path in _project_files():
        entries.append((path.relative_to(PROJECT_ROOT).as_posix(), path))
    for path in sorted(p for p in report_folder.rglob("*") if p.is_file()):
        entries.append((f"published/{year}/{period}/{path.relative_to(report_folder).as_posix()}",
                        path))
    stamp = fixed_timestamp(DEFAULT_EPOCH).timetuple()[:6]
    temporary = destination.with_name(destination.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
        archive.writestr(zipfile.ZipInfo("REPRODUCE.md", date_time=stamp), _instructions(
            year, period, manifest))
    temporary.replace(destination)
    return destination


def _instructions(year: int, period: str, manifest: dict) -> str:
    git = manifest["environment"].get("git", {})
    return (f"# Reproducing the {year} {period} report\n\n"
            "1. Unzip; `data/raw/` holds exactly the inputs the run read "
            "(hashes in the manifest).\n"
            "2. `make env` installs the pinned packages of `requirements.lock`.\n"
            f"3. `.venv/bin/python -m helpers verify published/{year}/{period}/manifest.json` "
            "re-runs the report and compares every output byte for byte.\n\n"
            f"Recorded code version: {git.get('commit')} (uncommitted changes: "
            f"{git.get('dirty')}).\n")
