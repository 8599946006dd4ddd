"""The record of a run: parameters, every input and output with its SHA-256, code version,
environment; enough for an auditor to reproduce it and to see what changed."""

from __future__ import annotations

import hashlib
import importlib.metadata as metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

from helpers.paths import LOCK_FILE, PROJECT_ROOT

MANIFEST_NAME = "manifest.json"
# Published outputs whose bytes must be identical on a re-run (the log and manifest hold times).
# report.pdf too: Chromium's only varying bytes, its dates, are fixed (helpers.pdf_print), so
# the same Chromium version (recorded under environment.chromium) gives the same PDF.
REPRODUCIBLE_SUFFIXES = (".html", ".xlsx", ".ipynb", ".csv", ".docx", ".pdf")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_records(raw_dir: Path, relative_paths: list[str]) -> list[dict]:
    """path (relative to the raw folder), size and SHA-256 of every input read."""
    records = []
    for rel in sorted(relative_paths):
        path = Path(raw_dir) / rel
        records.append({"path": rel, "size": path.stat().st_size, "sha256": sha256_file(path)})
    return records


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
    """The commit of the project checkout and whether its tree has uncommitted changes."""
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
    from helpers.pdf_print import installed_chromium_version

    return installed_chromium_version()


def write_manifest(path: Path, manifest: dict) -> None:
    """Write the manifest as stable, sorted, indented JSON."""
    from helpers.atomic_io import write_text_atomic

    write_text_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                      + "\n")


def read_manifest(path: Path) -> dict:
    """Read a manifest written by write_manifest."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def run_facts(lang: str) -> list[tuple[str, str]]:
    """The environment facts the report shows in its appendix and About sheet (the manifest
    holds the same and more): code version, Python, lock hash, packages loaded."""
    from helpers.labels import label

    git = git_state()
    dirty = {True: label("run.yes", lang), False: label("run.no", lang)}.get(
        git["dirty"], label("run.unknown", lang))
    packages = ", ".join(f"{name} {version}" for name, version in loaded_packages().items())
    return [
        (label("run.commit", lang), git["commit"] or label("run.unknown", lang)),
        (label("run.dirty", lang), dirty),
        (label("run.python", lang), f"{platform.python_implementation()} "
                                    f"{platform.python_version()}"),
        (label("run.lock", lang), lock_hash() or label("run.unknown", lang)),
        (label("run.packages", lang), packages),
    ]
