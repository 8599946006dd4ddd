"""The back tests' matrix of runs and their committed ground truth (NHS RAP style).

Every case builds published outputs through the command line (`python -m helpers ...`, called
in-process) with the recorded commit pinned, then hashes every output. `ground_truth/` holds,
per case, the SHA-256 of each output (`<case>.sha256`, in `sha256sum` format) and the expected
tables (`<case>/...csv`) for a reader to diff. A change that is meant to change outputs re-records
them (`python tests/back/oracle.py record`) and the diff shows what moved.

An executed notebook (report.ipynb) is hashed twice: whole, and without its cells' source
(`report.ipynb#outputs`), so a change to the notebook's code or wording alone shows as just that.
The run log, the runs log and the manifest hold times, and lock files a process id: they are
not compared; report.pdf is
compared only with the Chromium that recorded it (ground_truth/chromium.txt).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GROUND_TRUTH = Path(__file__).resolve().parent / "ground_truth"
# Inputs the cases generate live at a fixed place under the project (the raw folder's path is
# printed in the report as given, so it must not depend on a temporary folder).
SCRATCH = ROOT / "test-artifacts" / "ground-truth"
PINNED_COMMIT = "0" * 40
NOT_COMPARED = {"manifest.json", "run.log", "runs.log"}
TABLE_SUFFIX = ".csv"
# a second entry for an executed notebook: its outputs without the cells' source
OUTPUTS_SUFFIX = "#outputs"
HOSTILE_GROUP = "第四组<script>alert('g')</script>"
HOSTILE_SHORT = "床位<&\"'>"
HOSTILE_FILE = "2018-04-30 <b>&'\".csv"


@dataclasses.dataclass(frozen=True)
class Case:
    """One back-test case: the raw folder it reads and the commands it runs into one out dir."""

    name: str
    commands: tuple[tuple[str, ...], ...]
    raw: str = "bundled"  # bundled, hostile or synthetic100


def _run(*args: str) -> tuple[str, ...]:
    return ("run", "--year", "2018", *args)


def _briefs(*args: str) -> tuple[str, ...]:
    return ("briefs", "--year", "2018", *args)


CASES = (
    Case("Q1", (_run("--period", "Q1"),)),
    Case("H1", (_run("--period", "H1"),)),
    Case("Q3", (_run("--period", "Q3"),)),
    Case("FY", (_run("--period", "FY"),)),
    Case("H1-en", (_run("--period", "H1", "--lang", "en"),)),
    Case("H1-subset", (_run("--period", "H1", "--districts", "鹿城区,洞头区,文成县"),)),
    Case("FY-document", (_run("--period", "FY", "--doc-number", "温民〔2018〕99号",
                              "--drafting-date", "2019-01-10", "--issuer", "温州市民政局"),)),
    Case("H1-synthetic100", (_run("--period", "H1"),), raw="synthetic100"),
    Case("H1-hostile", (_run("--period", "H1"), _briefs("--period", "H1", "--by", "group")),
         raw="hostile"),
    Case("H1-briefs-district", (_briefs("--period", "H1", "--by", "district"),)),
    Case("FY-briefs-group", (_briefs("--period", "FY", "--by", "group"),)),
    # the index page of an out dir holding every period and briefs
    Case("index", (_run("--period", "Q1"), _run("--period", "H1"),
                   _briefs("--period", "H1", "--by", "district", "--pdf", "false"))),
)


def raw_folder(kind: str) -> str:
    """The raw folder of a case, relative to the project root (created on first use)."""
    if kind == "bundled":
        return "data/raw"
    target = SCRATCH / f"raw-{kind}"
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    MAKERS[kind](target)
    return target.relative_to(ROOT).as_posix()


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _make_hostile(target: Path) -> None:
    """The bundled data with markup, quotes and ampersands in names that reach every output."""
    shutil.copytree(ROOT / "data" / "raw", target)
    catalog = target / "catalog"
    _replace_in(catalog / "districts.csv", "Lucheng,第四组", f'Lucheng,"{HOSTILE_GROUP}"')
    _replace_in(catalog / "indicators.csv", "新增机构床位,新增机构床位,",
                '新增机构床位,"' + HOSTILE_SHORT.replace('"', '""') + '",')
    progress = target / "2018" / "progress"
    (progress / "2018-04-30.csv").rename(progress / HOSTILE_FILE)


def _make_synthetic100(target: Path) -> None:
    from helpers.demo.synthetic import write_synthetic

    write_synthetic(target, 100)


MAKERS: dict[str, Callable[[Path], None]] = {"hostile": _make_hostile,
                                             "synthetic100": _make_synthetic100}


def build(case: Case, out_dir: Path) -> Path:
    """Run the case's commands into `out_dir` (created), with the commit pinned."""
    raw = raw_folder(case.raw)
    processed = SCRATCH / f"processed-{case.name}"
    out_dir.mkdir(parents=True, exist_ok=True)
    with _pinned_environment():
        _run_commands(case, raw, processed, out_dir)
    return out_dir


@contextlib.contextmanager
def _pinned_environment():
    saved = dict(os.environ)
    os.environ["HELPERS_PIN_COMMIT"] = PINNED_COMMIT
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _run_commands(case: Case, raw: str, processed: Path, out_dir: Path) -> None:
    from helpers.cli import main

    for command in case.commands:
        argv = [*command, "--raw-dir", raw, "--out-dir", str(out_dir)]
        if command[0] == "run":
            argv += ["--processed-dir", str(processed)]
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = main(argv)
        if code != 0:
            raise AssertionError(f"{case.name}: {' '.join(argv)} exited {code}:\n"
                                 f"{said.getvalue()}")


def output_hashes(out_dir: Path, with_pdf: bool = True) -> dict[str, str]:
    """SHA-256 of every compared output under `out_dir`, by relative path."""
    hashes = {}
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        # hidden files are the report folders' lock files
        if (path.name in NOT_COMPARED or path.name.startswith(".")
                or (path.suffix == ".pdf" and not with_pdf)):
            continue
        rel = path.relative_to(out_dir).as_posix()
        hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        if path.suffix == ".ipynb":
            hashes[rel + OUTPUTS_SUFFIX] = notebook_outputs_hash(path)
    return hashes


def notebook_outputs_hash(path: Path) -> str:
    """SHA-256 of an executed notebook with its cells' source left out: what it computed and
    showed, which must not move when only the notebook's code or wording does."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        cell["source"] = ""
    text = json.dumps(notebook, ensure_ascii=False, sort_keys=True, indent=1)
    return hashlib.sha256(text.encode()).hexdigest()


def recorded_hashes(case: Case) -> dict[str, str]:
    """The committed ground truth of a case."""
    lines = (GROUND_TRUTH / f"{case.name}.sha256").read_text(encoding="utf-8").splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines if line)}


def tables(out_dir: Path) -> dict[str, Path]:
    """The CSV tables of a case's outputs, by relative path."""
    return {p.relative_to(out_dir).as_posix(): p for p in sorted(out_dir.rglob("*" +
                                                                            TABLE_SUFFIX))}


def chromium_version() -> str:
    from helpers.render.pdf_print import installed_chromium_version

    return installed_chromium_version() or "none"


def record(out_root: Path) -> None:
    """Rebuild every case and write ground_truth/ anew."""
    if GROUND_TRUTH.exists():
        shutil.rmtree(GROUND_TRUTH)
    GROUND_TRUTH.mkdir(parents=True)
    (GROUND_TRUTH / "chromium.txt").write_text(chromium_version() + "\n", encoding="utf-8")
    for case in CASES:
        out = build(case, out_root / case.name)
        lines = [f"{digest}  {path}" for path, digest in output_hashes(out).items()]
        (GROUND_TRUTH / f"{case.name}.sha256").write_text("\n".join(lines) + "\n",
                                                          encoding="utf-8")
        for rel, path in tables(out).items():
            target = GROUND_TRUTH / case.name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        print(f"recorded {case.name}: {len(lines)} outputs")


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["record"]:
        sys.exit("usage: python tests/back/oracle.py record")
    with tempfile.TemporaryDirectory() as scratch:
        record(Path(scratch))
