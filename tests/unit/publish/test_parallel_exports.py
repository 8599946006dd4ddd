"""The export processes of `helpers run` write what the notebook's `export` writes: the same
files, byte for byte, each written once by exactly one of them."""

from __future__ import annotations

from pathlib import Path

from helpers.core.parameters import ReportParameters
from helpers.notebook import api
from helpers.publish.parallel_exports import EXPORT_WRITERS, exporting_in_parallel
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
