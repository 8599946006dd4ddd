"""The record of a run: parameters, every input and output with its SHA-256, code version,
environment; enough for an auditor to reproduce it and to see what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata as metadata
import json
import os
import platform
import re
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

from helpers.core.errors import InputFileError, ManifestError, ReportError
from helpers.core.paths import LOCK_FILE, PROJECT_ROOT
from helpers.ingest.limits import MAX_MANIFEST_BYTES

MANIFEST_NAME = "manifest.json"
# Written into an auditor pack (no .git there): the code version the packed run recorded.
SOURCE_VERSION_NAME = "SOURCE_VERSION.json"
# Published outputs whose bytes must be identical on a re-run (the log and manifest hold times).
# report.pdf too: Chromium's only varying bytes, its dates, are fixed (helpers.render.pdf_print), so
# the same Chromium version (recorded under environment.chromium) gives the same PDF.
REPRODUCIBLE_SUFFIXES = (".html", ".xlsx", ".ipynb", ".csv", ".docx", ".pdf")
# Set by the back tests (tests/back): the commit a run records and prints, instead of git's.
PIN_COMMIT_VARIABLE = "HELPERS_PIN_COMMIT"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def git_state() -> dict:
    """The commit of the project checkout and whether its tree has uncommitted changes. In an
    unpacked auditor pack (no .git) the version its run recorded, as long as the code is the
    same (SOURCE_VERSION.json); elsewhere without git, unknown. HELPERS_PIN_COMMIT, when set,
    is recorded instead (with "pinned": true)."""
    pinned = os.environ.get(PIN_COMMIT_VARIABLE)
    if pinned:
        # The back tests pin the recorded commit, so that their committed ground truth does not
        # move with every commit; the manifest says it was pinned.
        if not _HEX.fullmatch(pinned):
            raise ReportError(f"{PIN_COMMIT_VARIABLE}={pinned[:80]!r} is not a commit hash")
        return {"commit": pinned, "dirty": False, "pinned": True}
    if not (PROJECT_ROOT / ".git").exists():
        return _packed_source_version()

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True,
                                  text=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def _packed_source_version() -> dict:
    unknown = {"commit": None, "dirty": None}
    path = PROJECT_ROOT / SOURCE_VERSION_NAME
    if not path.is_file():
        return unknown
    try:
        from helpers.ingest.snapshot import read_bounded

        recorded = json.loads(read_bounded(path, SOURCE_VERSION_NAME, limit=64 * 1024))
    except (InputFileError, ValueError, RecursionError):
        return unknown
    if not isinstance(recorded, dict) or recorded.get("code_sha256") != code_hash():
        return unknown
    commit, dirty = recorded.get("commit"), recorded.get("dirty")
    if not (commit is None or (isinstance(commit, str) and _HEX.fullmatch(commit))):
        return unknown
    return {"commit": commit, "dirty": dirty if isinstance(dirty, bool) else None}


def lock_hash() -> str | None:
    """SHA-256 of requirements.lock, the exact package set reports are built with."""
    return sha256_file(LOCK_FILE) if LOCK_FILE.is_file() else None


def loaded_packages() -> dict[str, str]:
    """Version of every installed distribution that provides a module loaded in this process."""
    providers = metadata.packages_distributions()
    names = set()
    for module in list(sys.modules):
        top = module.split(".", 1)[0]
        names.update(providers.get(top, []))
    versions = {}
    for name in sorted(names, key=str.lower):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def report_packages() -> dict[str, str]:
    """Installed version of each package the project declares (pyproject.toml's
    dependencies): what the report and its About sheet show. The same in any process that
    builds the report, unlike the modules a process happens to have loaded (a test runner
    loads many more)."""
    try:
        with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
            declared = tomllib.load(handle)["project"]["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return {}
    versions = {}
    for requirement in declared:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return dict(sorted(versions.items(), key=lambda item: item[0].lower()))


def code_hash() -> str:
    """SHA-256 over the code that shapes a report: the helpers package and the notebooks
    (changes elsewhere, e.g. in tests or the README, do not make a report stale)."""
    roots = [PROJECT_ROOT / "src" / "helpers", PROJECT_ROOT / "notebooks"]
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if (path.is_file() and "__pycache__" not in path.parts
                    and ".ipynb_checkpoints" not in path.parts):
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0")
                digest.update(sha256_file(path).encode() + b"\n")
    return digest.hexdigest()


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


def write_manifest(path: Path, manifest: dict) -> None:
    """Write the manifest as stable, sorted, indented JSON."""
    from helpers.core.atomic_io import write_text_atomic

    write_text_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                      + "\n")


_HEX = re.compile(r"[0-9a-f]{7,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def read_manifest(path: Path) -> dict:
    """A manifest written by write_manifest, read through the bounded reader (a FIFO or a huge
    file is refused) and checked field by field; ManifestError names the file and the field."""
    from helpers.ingest.snapshot import read_bounded

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


def run_facts(lang: str) -> list[tuple[str, str]]:
    """The environment facts the report shows in its appendix and About sheet (the manifest
    holds the same and more): code version, Python, lock hash, the declared packages' versions."""
    from helpers.words.labels import label

    git = git_state()
    dirty = {True: label("run.yes", lang), False: label("run.no", lang)}.get(
        git["dirty"], label("run.unknown", lang))
    packages = ", ".join(f"{name} {version}" for name, version in report_packages().items())
    return [
        (label("run.commit", lang), git["commit"] or label("run.unknown", lang)),
        (label("run.dirty", lang), dirty),
        (label("run.python", lang), f"{platform.python_implementation()} "
                                    f"{platform.python_version()}"),
        (label("run.lock", lang), lock_hash() or label("run.unknown", lang)),
        (label("run.packages", lang), packages),
    ]
