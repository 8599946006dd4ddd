"""Back tests: every case of the matrix (tests/back/oracle.py) rebuilt from the command line
gives exactly the committed ground truth, byte for byte."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle  # the matrix lives beside this test, runnable as a script

pytestmark = pytest.mark.slow


def _table_diff(expected: Path, actual: Path) -> str:
    lines = difflib.unified_diff(expected.read_text(encoding="utf-8").splitlines(),
                                 actual.read_text(encoding="utf-8").splitlines(),
                                 "committed", "rebuilt", lineterm="", n=0)
    return "\n".join(list(lines)[:40])


@pytest.fixture(scope="module")
def same_chromium() -> bool:
    recorded = (oracle.GROUND_TRUTH / "chromium.txt").read_text(encoding="utf-8").strip()
    now = oracle.chromium_version()
    if now == "none":
        pytest.skip("no Chromium here: the ground truth was recorded with report.pdf")
    return now == recorded


@pytest.mark.parametrize("case", oracle.CASES, ids=lambda case: case.name)
def test_outputs_equal_the_committed_ground_truth(case, tmp_path, same_chromium):
    out = oracle.build(case, tmp_path / "out")
    expected = oracle.recorded_hashes(case)
    if not same_chromium:  # another Chromium prints other PDF bytes: compare the rest
        expected = {path: digest for path, digest in expected.items()
                    if not path.endswith(".pdf")}
    actual = oracle.output_hashes(out, with_pdf=same_chromium)
    problems = [f"missing: {path}" for path in sorted(expected.keys() - actual.keys())]
    problems += [f"not in the ground truth: {path}" for path in sorted(actual.keys()
                                                                       - expected.keys())]
    for path in sorted(expected.keys() & actual.keys()):
        if expected[path] != actual[path]:
            problems.append(f"different bytes: {path}")
            committed = oracle.GROUND_TRUTH / case.name / path
            if committed.is_file():
                problems.append(_table_diff(committed, out / path))
    assert not problems, "\n".join(problems)


def test_every_committed_table_is_hashed():
    """The expected tables a reader diffs are the bytes the hashes describe."""
    import hashlib

    for case in oracle.CASES:
        hashes = oracle.recorded_hashes(case)
        tables = sorted((oracle.GROUND_TRUTH / case.name).rglob("*.csv"))
        assert tables, case.name
        for table in tables:
            rel = table.relative_to(oracle.GROUND_TRUTH / case.name).as_posix()
            assert hashes[rel] == hashlib.sha256(table.read_bytes()).hexdigest(), rel
