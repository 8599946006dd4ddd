"""The export processes of `helpers run` write what the notebook's `export` writes: the same
files, byte for byte, each written once by exactly one of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.ingest.returns import ingest_year, write_processed
from helpers.notebook import api
from helpers.publish.lock import publish_lock
from helpers.publish.parallel_exports import (
    EXPORT_WRITERS,
    exporting_in_parallel,
    processing_in_parallel,
)
from helpers.words.report_text import build_report


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_processes_write_what_export_writes(tmp_path):
    data = build_report(ReportParameters(period="H1"))
    alone, parallel = tmp_path / "alone", tmp_path / "parallel"
    alone.mkdir()
    parallel.mkdir()
    written = api.export(data, alone)
    with exporting_in_parallel(data, parallel) as job:
        job.wait(None, None)
    assert sorted(_files(parallel)) == sorted(str(p) for p in written)
    assert _files(parallel) == _files(alone)


def test_every_writer_in_one_process_only():
    writers = [w for group in EXPORT_WRITERS for w in group]
    assert len(writers) == len(set(writers))
    assert set(writers) == {"export_workbook", "export_document", "export_csv_tables"}


def test_processed_tables_written_by_a_process_as_write_processed_writes_them(tmp_path):
    result = ingest_year(RAW_DIR, 2018)
    alone = write_processed(result, tmp_path / "alone")
    with processing_in_parallel(result, tmp_path / "parallel", 2018) as job:
        job.wait(None, None)
    assert _files(tmp_path / "parallel" / "2018") == _files(alone)
    assert _files(alone)


def test_a_failure_writing_the_processed_tables_reaches_the_runner(tmp_path):
    """The runner raises what write_processed raises there (the lock's folder is a file)."""
    result = ingest_year(RAW_DIR, 2018)
    blocked = tmp_path / "processed"
    blocked.write_text("a file where the folder goes", encoding="utf-8")
    with pytest.raises(OSError) as direct, publish_lock(blocked / "2018"):
        write_processed(result, blocked)
    with pytest.raises(type(direct.value)) as parallel, \
            processing_in_parallel(result, blocked, 2018) as job:
        job.wait(None, None)
    assert str(parallel.value) == str(direct.value)


@pytest.mark.parametrize("period", ["H1", "FY"])
def test_the_workbook_reads_no_findings(tmp_path, period):
    """report.xlsx's process forks before the findings and the main text are written (run's
    WORKBOOK_WRITERS): the workbook of the data without them is the one with them, byte for
    byte, also when a previous publication marks 修订."""
    import copy

    from helpers.metrics.comparison import facts_from_csv
    from helpers.metrics.facts import judged_facts
    from helpers.metrics.report_data import build_report_data
    from helpers.words.report_text import check_written_sections, write_findings

    data = check_written_sections(build_report_data(ReportParameters(period=period)))
    facts = judged_facts(data)
    moved = facts.assign(figure=facts["figure"].where(facts["step"] != "", 0))
    data.previous_publication = facts_from_csv(moved.to_csv(index=False))
    without, with_words = tmp_path / "without", tmp_path / "with"
    without.mkdir()
    with_words.mkdir()
    api.export_workbook(data, without)
    worded = write_findings(copy.copy(data))
    assert worded.findings and worded.main_text is not None
    api.export_workbook(worded, with_words)
    assert _files(without) == _files(with_words)
    assert "修订说明" in load_sheetnames(without / "report.xlsx")


def load_sheetnames(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return load_workbook(path, read_only=True).sheetnames
