"""Facts about the code and the machine a report is built with: the commit (or the version an
auditor pack recorded), the hash of the code and of the lock file, the declared packages'
versions. The manifest records them; the report's appendix and About sheet print some."""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.metadata as metadata
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from helpers.core.errors import InputFileError, ReportError
from helpers.core.paths import LOCK_FILE, PROJECT_ROOT
from helpers.core.safe_read import read_bounded

# Written into an auditor pack (no .git there): the code version the packed run recorded.
SOURCE_VERSION_NAME = "SOURCE_VERSION.json"


# Set by the back tests (tests/back): the commit a run records and prints, instead of git's.
PIN_COMMIT_VARIABLE = "HELPERS_PIN_COMMIT"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    versions, providers = _installed()
    names = set()
    for module in list(sys.modules):
        names.update(providers.get(module.split(".", 1)[0], []))
    return {name: versions[_normalised(name)] for name in sorted(names, key=str.lower)}


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
    installed, _ = _installed()
    versions = {}
    for requirement in declared:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        if _normalised(name) in installed:
            versions[name] = installed[_normalised(name)]
    return dict(sorted(versions.items(), key=lambda item: item[0].lower()))


@functools.cache
def _installed() -> tuple[dict[str, str], dict[str, list[str]]]:
    """What is installed: the version of each distribution (by normalised name, the first on
    the path, as importlib.metadata.version finds it) and the distributions that provide each
    top-level module (as importlib.metadata.packages_distributions answers). Read from each
    distribution's METADATA headers and top_level.txt or RECORD: importlib parses every
    METADATA in full (a package's long description) and makes a path object of every RECORD
    line, ~0.1 s of each run."""
    versions: dict[str, str] = {}
    providers: dict[str, list[str]] = {}
    for dist in metadata.distributions():
        headers = _headers(dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "")
        name = headers.get("Name")
        if name is None:
            continue
        versions.setdefault(_normalised(name), headers.get("Version", ""))
        declared = (dist.read_text("top_level.txt") or "").split()
        for top in declared or _top_levels_of_files(dist.read_text("RECORD")):
            providers.setdefault(top, []).append(name)
    return versions, providers


def _headers(text: str) -> dict[str, str]:
    """The single-line fields of a METADATA file's header (up to its first blank line)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        field, colon, value = line.partition(":")
        if colon and not line[0].isspace():
            fields.setdefault(field.strip(), value.strip())
    return fields


def _top_levels_of_files(record: str | None) -> set[str]:
    """The top-level modules of a RECORD's .py files, as importlib.metadata infers them: the
    first folder of a file in one, else the file's name without .py."""
    tops = set()
    for row in csv.reader((record or "").splitlines()):
        if not row:
            continue
        parts = [part for part in row[0].split("/") if part not in ("", ".")]
        if row[0].startswith("/"):
            parts.insert(0, "/")
        if parts and parts[-1].endswith(".py") and parts[-1] != ".py":
            tops.add(parts[0] if len(parts) > 1 else parts[0][:-3])
    return tops


def _normalised(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


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


_HEX = re.compile(r"[0-9a-f]{7,64}")
