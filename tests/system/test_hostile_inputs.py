"""Hostile inputs and faults (issue 10), class by class: each case ends with its documented
exit code, one clear message naming the file, sheet, cell or line, no traceback, nothing
published and the previous publication byte for byte as it was.

Small cases live in tests/data/hostile/ (see its README); big or special ones (FIFOs,
symbolic links, /dev/zero, huge workbooks, a full disk) are made here. Most cases run the
command line in-process (`helpers.cli.main`: a traceback would surface as an exception of the
test); the ones that could hang run it in a subprocess with a timeout.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ingest_builders import (
    HEADERS,
    SMALL_CODES,
    YEAR,
    build_workbook,
    full_return,
    make_raw,
    progress_dir,
    wide_return_rows,
    write_long_csv,
)
from openpyxl import Workbook
from support import kernels_of as _kernels_of

from helpers.cli import main
from helpers.core.paths import PROJECT_ROOT

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
SUBPROCESS_TIMEOUT_S = 120
PREVIOUS = {"report.html": b"<p>the previous report</p>", "tables/district_indicator.csv":
            b"district\n", "manifest.json": b"{}"}


# --- the frame every case runs in ---------------------------------------------------------------

def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Scene:
    """A raw folder (the small allocation and one clean return), an output folder with a
    previous H1 publication, and a processed folder, all in tmp_path."""

    def __init__(self, tmp_path: Path, year: int = YEAR):
        self.year = year
        self.raw = make_raw(tmp_path, year=year)
        write_long_csv(progress_dir(self.raw, year) / f"{year}-05-31.csv",
                       full_return(f"{year}-05-31"))
        self.out = tmp_path / "out"
        self.processed = tmp_path / "processed"
        self.folder = self.out / str(year) / "H1"
        for name, data in PREVIOUS.items():
            (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_bytes(data)
        self.before = file_hashes(self.folder)

    @property
    def progress(self) -> Path:
        return progress_dir(self.raw, self.year)

    def argv(self, *extra: str) -> list[str]:
        return ["run", "--year", str(self.year), "--period", "H1", "--raw-dir", str(self.raw),
                "--out-dir", str(self.out), "--processed-dir", str(self.processed), *extra]

    def run(self, capsys, *extra: str) -> tuple[int, str]:
        code = main(self.argv(*extra))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    def run_subprocess(self, *extra: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-m", "helpers", *self.argv(*extra)],
                              capture_output=True, text=True, cwd=PROJECT_ROOT,
                              timeout=SUBPROCESS_TIMEOUT_S, check=False)
        return done.returncode, done.stdout + done.stderr

    def assert_refused(self, code: int, text: str, *fragments: str, exit_code: int = 2):
        """The documented exit code, the message naming the place, no traceback, nothing
        published, the previous publication unchanged, no build debris."""
        assert code == exit_code, text
        assert "Traceback" not in text
        for fragment in fragments:
            assert fragment in text, (fragment, text)
        assert file_hashes(self.folder) == self.before
        # no staging or retired folder; a failed build is kept aside only past validation
        assert {p.name for p in self.folder.parent.iterdir()} <= {"H1", ".H1.lock",
                                                                   ".H1.failed"}
        assert not (self.out / "index.html").exists()


@pytest.fixture
def scene(tmp_path) -> Scene:
    return Scene(tmp_path)


def hostile(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def small_wide_workbook(**cells) -> Workbook:
    """A valid wide return for the small allocation (title date 2018-06-30)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "进度"
    for r, row in enumerate(wide_return_rows("截至2018年6月30日", {"鹿城区": [5, 3],
                                                                "龙湾区": [4, 2]}), start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for coordinate, value in cells.items():
        ws[coordinate] = value
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, sheet_xml: bytes) -> bytes:
    """A workbook's bytes with its first sheet's XML replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            payload = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else \
                source.read(item.filename)
            target.writestr(item.filename, payload)
    return out.getvalue()


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


# === class 1: script injection through manifests; one bad neighbour fails nothing ============

def _manifest(year: int = 2018, period: str = "Q1", **changes) -> dict:
    from helpers.core.parameters import ReportParameters

    manifest = {"parameters": ReportParameters(year=year, period=period).as_dict(),
                "summary": {"report_date": f"{year}-03-31", "data_as_of": f"{year}-03-31",
                            "counts": {"done": 1, "on_track": 2, "behind": 3}},
                "inputs": [], "outputs": [], "environment": {"packages": {}, "git": {}}}
    manifest.update(changes)
    return manifest


NEIGHBOURS = {
    "script in the counts": (json.dumps(_manifest(summary={
        "report_date": "<img src=x onerror=alert(1)>", "data_as_of": "<script>alert(2)</script>",
        "counts": {"done": "<script>alert(3)</script>", "behind": ["<b>"]}})), "listed"),
    "script in a parameter": (json.dumps(_manifest(parameters={
        **_manifest()["parameters"], "districts": ["<script>alert(4)</script>"]})), "listed"),
    "not JSON": (hostile("manifest_not_json.json").decode(), "unreadable"),
    "empty": ("", "unreadable"),
    "a JSON list": (hostile("manifest_list.json").decode(), "unreadable"),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, "unreadable"),
    "foreign: another report's parameters": (json.dumps(_manifest(2017, "FY")), "unreadable"),
    "unknown parameter": (json.dumps(_manifest(parameters={"year": 2018, "period": "Q1",
                                                           "evil": "<script>"})), "unreadable"),
}


@pytest.mark.parametrize("case", list(NEIGHBOURS))
def test_a_bad_neighbour_manifest_is_escaped_or_named_never_fatal(tmp_path, case):
    from helpers.publish.index_page import render_index

    text, expected = NEIGHBOURS[case]
    out = tmp_path / "out"
    (out / "2018" / "Q1").mkdir(parents=True)
    (out / "2018" / "Q1" / "manifest.json").write_text(text, encoding="utf-8")
    page = render_index(out)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    if expected == "listed":
        assert 'href="2018/Q1/report.html"' in page
        assert "&lt;script&gt;" in page or "&lt;img" in page or "alert" not in page
    else:
        assert 'href="2018/Q1/report.html"' not in page
        assert '<p id="unreadable">' in page and "2018/Q1" in page


def test_a_manifest_that_is_a_fifo_does_not_hang_the_index(tmp_path):
    from helpers.publish.index_page import render_index

    folder = tmp_path / "out" / "2018" / "Q1"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "manifest.json")
    assert "2018/Q1" in render_index(tmp_path / "out")  # named as unreadable, no hang


def test_index_allows_nothing_to_load_or_run(tmp_path):
    from helpers.publish.index_page import render_index

    page = render_index(tmp_path)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


# === class 2: nothing outside the raw and report folders reaches a pack or verify =========

def _fake_publication(tmp_path: Path, raw: Path, **changes) -> Path:
    """A report folder whose manifest is valid and current (code and lock hashes) and records
    the small raw folder's inputs; `changes` replace manifest fields."""
    from helpers.core.environment import code_hash, lock_hash
    from helpers.core.parameters import ReportParameters

    folder = tmp_path / "out" / "2018" / "H1"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("report", encoding="utf-8")
    inputs = []
    for rel in ("catalog/indicators.csv", "2018/allocation.xlsx"):
        data = (raw / rel).read_bytes()
        inputs.append({"path": rel, "size": len(data),
                       "sha256": hashlib.sha256(data).hexdigest()})
    manifest = _manifest(2018, "H1", inputs=inputs, outputs=[
        {"path": "report.html", "size": 6, "sha256": hashlib.sha256(b"report").hexdigest(),
         "reproducible": True}],
        environment={"packages": {}, "git": {"commit": None, "dirty": None},
                     "code_sha256": code_hash(), "lock_sha256": lock_hash()})
    manifest["parameters"] = ReportParameters(year=2018, period="H1", raw_dir=str(raw)).as_dict()
    manifest.update(changes)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


PASSWD = Path("/etc/passwd")


def _passwd_record(path: str) -> dict:
    data = PASSWD.read_bytes()
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.mark.parametrize(("field", "path"), [
    ("inputs", "../../../../../../etc/passwd"),
    ("inputs", "/etc/passwd"),
    ("inputs", "catalog/../../../../../../etc/passwd"),
    ("outputs", "../../../../../etc/passwd"),
    ("outputs", "/etc/passwd"),
])
def test_pack_and_verify_refuse_paths_leaving_their_folder(tmp_path, capsys, field, path):
    raw = make_raw(tmp_path)
    folder = _fake_publication(tmp_path, raw, **{field: [_passwd_record(path)]})
    for argv in (["pack", str(folder)], ["verify", str(folder / "manifest.json")]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, err
        assert "is not a path inside the" in err and "manifest" in err
        assert "Traceback" not in err
    assert not list(folder.parent.glob("*.zip"))


def test_pack_refuses_a_symlink_out_of_the_report_folder(tmp_path, capsys):
    raw = make_raw(tmp_path)
    folder = _fake_publication(tmp_path, raw, outputs=[_passwd_record("report.html")])
    (folder / "report.html").unlink()
    (folder / "report.html").symlink_to(PASSWD)
    code = main(["pack", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "report.html: resolves outside its folder" in err, err
    assert not list(folder.parent.glob("*.zip"))


def test_pack_refuses_a_raw_input_linked_out_of_the_raw_folder(tmp_path, capsys):
    raw = make_raw(tmp_path)
    folder = _fake_publication(tmp_path, raw, inputs=[_passwd_record("2018/allocation.xlsx")])
    (raw / "2018" / "allocation.xlsx").unlink()
    (raw / "2018" / "allocation.xlsx").symlink_to(PASSWD)
    code = main(["pack", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "2018/allocation.xlsx: resolves outside its folder" in err, err


def test_pack_packs_only_recorded_files_of_the_report_folder(tmp_path):
    from helpers.audit.pack import pack

    raw = make_raw(tmp_path)
    folder = _fake_publication(tmp_path, raw)
    (folder / "stray.txt").symlink_to(PASSWD)  # not in the manifest: never packed
    with zipfile.ZipFile(pack(folder, tmp_path / "pack.zip")) as archive:
        names = set(archive.namelist())
    assert "published/2018/H1/report.html" in names
    assert not any("stray" in n or "passwd" in n for n in names)
    assert {"data/raw/catalog/indicators.csv", "data/raw/2018/allocation.xlsx",
            "SOURCE_VERSION.json"} <= names


def test_raw_input_linked_outside_the_raw_folder_is_refused(scene, capsys):
    (scene.progress / "2018-06-30.csv").symlink_to(PASSWD)
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv: resolves outside")


# === class 3: resource exhaustion: refused before reading, no hang =========================

def test_one_cell_at_xfd1048576(scene, capsys):
    data = workbook_bytes(small_wide_workbook(XFD1048576=1))
    assert len(data) < 10_000
    (scene.progress / "2018-06-30.xlsx").write_bytes(data)
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.xlsx, sheet 进度, "
                         "cell XFD1048576: workbook rejected: a cell lies outside")


def _with_after_sheet_data(xml_fragment: bytes) -> bytes:
    """The valid small return with `xml_fragment` added right after its cells (written by hand:
    openpyxl itself would build a cell object for every cell of such a range)."""
    data = workbook_bytes(small_wide_workbook())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    return with_sheet_xml(data, xml.replace(b"</sheetData>", b"</sheetData>" + xml_fragment))


def test_a_merged_range_over_the_whole_sheet(scene, capsys):
    (scene.progress / "2018-06-30.xlsx").write_bytes(_with_after_sheet_data(
        b'<mergeCells count="1"><mergeCell ref="E1:XFD1048576"/></mergeCells>'))
    scene.assert_refused(*scene.run(capsys), "cell E1:XFD1048576: workbook rejected: merged "
                         "range reaches outside")


def test_a_hyperlink_over_the_whole_sheet(scene, capsys):
    (scene.progress / "2018-06-30.xlsx").write_bytes(_with_after_sheet_data(
        b'<hyperlinks><hyperlink ref="A1:XFD1048576" location="A1"/></hyperlinks>'))
    scene.assert_refused(*scene.run(capsys), "hyperlink range reaches outside")


def test_a_million_row_return(scene, capsys):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                    for r in range(1, 1_000_001))
    data = with_sheet_xml(workbook_bytes(small_wide_workbook()),
                          SHEET_HEAD + rows + b"</sheetData></worksheet>")
    assert len(data) < 10 * 1024 * 1024
    (scene.progress / "2018-06-30.xlsx").write_bytes(data)
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.xlsx",
                         "workbook rejected", "(a zip bomb?)")


def test_too_many_cells_within_the_sheet_limits(scene, capsys):
    from openpyxl.utils import get_column_letter

    from helpers.core.limits import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_WORKBOOK_CELLS

    columns = [get_column_letter(n).encode() for n in range(1, MAX_SHEET_COLUMNS + 1)]
    n_rows = MAX_WORKBOOK_CELLS // len(columns) + 1
    assert n_rows <= MAX_SHEET_ROWS  # every cell within the sheet limits, too many together
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (col, r)
                                                  for col in columns) + b"</row>"
                    for r in range(1, n_rows + 1))
    data = with_sheet_xml(workbook_bytes(small_wide_workbook()),
                          SHEET_HEAD + rows + b"</sheetData></worksheet>")
    (scene.progress / "2018-06-30.xlsx").write_bytes(data)
    scene.assert_refused(*scene.run(capsys), f"holds more than {MAX_WORKBOOK_CELLS:,} cells")


def test_too_many_sheets(scene, capsys):
    wb = small_wide_workbook()
    for number in range(60):
        wb.create_sheet(f"s{number}")
    (scene.progress / "2018-06-30.xlsx").write_bytes(workbook_bytes(wb))
    scene.assert_refused(*scene.run(capsys), "it has 61 sheets (at most 50)")


def test_a_ten_million_line_csv(scene, capsys):
    with (scene.progress / "2018-06-30.csv").open("wb") as handle:
        handle.write(b"district,indicator,as_of,value\n")
        handle.write(b",\n" * 10_000_000)  # ten million (blank) lines, 20 MB
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv",
                         "files of this type may be at most 8.0 MiB")


def test_a_file_with_thousands_of_bad_lines_is_listed_briefly(scene, capsys):
    (scene.progress / "2018-06-30.csv").write_bytes(b"district,indicator,as_of,value\n" + (
        "鹿城区,new_institution_beds,2018-06-30,x\n".encode() * 5000))
    code, text = scene.run(capsys)
    scene.assert_refused(code, text, "2018/progress/2018-06-30.csv, line 2: 'x' is not a "
                         "number", "2018/progress/2018-06-30.csv: ... and 4950 more error(s) "
                         "in this file", "5000 input error(s); nothing was published.")
    assert len(text.splitlines()) == 52


def test_too_many_lines_within_the_size_limit(scene, capsys):
    (scene.progress / "2018-06-30.csv").write_bytes(b"district,indicator,as_of,value\n"
                                                     + b",\n" * 150_000)
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv, line 100001: more "
                         "than 100,000 lines")


def test_a_sparse_two_gigabyte_workbook_is_not_read(scene, capsys):
    path = scene.progress / "2018-06-30.xlsx"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.xlsx: is 2048.0 MiB")


def test_a_symlink_to_dev_zero(scene):
    (scene.progress / "2018-06-30.csv").symlink_to("/dev/zero")
    scene.assert_refused(*scene.run_subprocess(), "2018/progress/2018-06-30.csv",
                         "resolves outside")


def test_dev_zero_linked_inside_the_raw_folder_is_a_device(tmp_path):
    """Even a raw folder that holds a device node: its type, not its bytes, is read."""
    from helpers.core.errors import InputFileError
    from helpers.core.safe_read import read_bounded

    with pytest.raises(InputFileError, match="is a device, not a file"):
        read_bounded(Path("/dev/zero"), "zero.csv", root=Path("/dev"))


def test_a_fifo_named_like_a_return(scene):
    os.mkfifo(scene.progress / "2018-06-30.csv")
    scene.assert_refused(*scene.run_subprocess(), "2018/progress/2018-06-30.csv",
                         "is a named pipe (FIFO), not a file")


def test_a_fifo_named_like_a_catalogue_file(scene):
    (scene.raw / "catalog" / "districts.csv").unlink()
    os.mkfifo(scene.raw / "catalog" / "districts.csv")
    scene.assert_refused(*scene.run_subprocess(), "catalog/districts.csv",
                         "is a named pipe (FIFO)")


def test_too_many_files_in_the_progress_folder(scene, capsys):
    for number in range(1001):
        (scene.progress / f"r{number:04d}.csv").write_bytes(b"")
    scene.assert_refused(*scene.run(capsys), "2018/progress: holds more than 1000 files")


@pytest.mark.slow
def test_schedule_stops_a_report_at_its_time_limit(tmp_path, monkeypatch):
    """A notebook that never ends is killed at the report's time limit (not only per cell)."""
    import nbformat

    from helpers.core.errors import TimeLimitExceeded
    from helpers.core.parameters import ReportParameters
    from helpers.notebook import execution
    from helpers.publish import report_pipeline as report_run

    real = nbformat.read(execution.REPORT_NOTEBOOK, as_version=4)
    params_cell = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
    stand_in = nbformat.v4.new_notebook()
    stand_in.metadata = real.metadata
    stand_in.cells = [params_cell] + [nbformat.v4.new_code_cell("import time\ntime.sleep(5)",
                                                                id=f"c{n}") for n in range(20)]
    nbformat.write(stand_in, tmp_path / "slow.ipynb")
    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", tmp_path / "slow.ipynb")
    scene = Scene(tmp_path)
    params = ReportParameters(year=2018, period="H1", raw_dir=str(scene.raw), cell_timeout_s=60)
    kernels_before = set(_kernels_of(os.getpid()))
    with pytest.raises(TimeLimitExceeded, match="time limit of 8 s") as stopped:
        report_run.run_report(params, scene.out, processed_dir=scene.processed,
                              time_limit_s=8)
    assert stopped.value.exit_code == 3
    assert file_hashes(scene.folder) == scene.before
    assert not list(scene.folder.parent.glob(".H1.staging-*"))
    assert set(_kernels_of(os.getpid())) <= kernels_before  # its kernel is gone


def test_the_kernel_is_shut_down_after_a_run(tmp_path, monkeypatch):
    """The time limit's watchdog must not keep a finished kernel alive (nbclient owns it)."""
    import nbformat

    from helpers.core.parameters import ReportParameters
    from helpers.notebook import execution

    stand_in = nbformat.v4.new_notebook()
    stand_in.metadata = nbformat.read(execution.REPORT_NOTEBOOK, as_version=4).metadata
    stand_in.cells = [nbformat.v4.new_code_cell("x = 1", id="c1")]
    nbformat.write(stand_in, tmp_path / "quick.ipynb")
    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", tmp_path / "quick.ipynb")
    before = set(_kernels_of(os.getpid()))
    execution.execute_report_notebook(ReportParameters(), tmp_path,
                                       deadline=__import__("time").monotonic() + 600,
                                       time_limit_s=600)
    assert set(_kernels_of(os.getpid())) <= before


def test_time_limit_is_checked_after_reading_the_inputs(scene, capsys):
    scene.assert_refused(*scene.run(capsys, "--time-limit-s", "0.000001"),
                         "exceeded its time limit", "while reading the inputs", exit_code=3)


# === class 4: no silent loss: formulas without values, returns without figures ============

def test_formulas_without_cached_values_are_named(scene, capsys):
    wb = small_wide_workbook(B3="=1+4", C3="=1+2", B4="=2+2")  # no 合计 row, nothing cached
    (scene.progress / "2018-06-30.xlsx").write_bytes(workbook_bytes(wb))
    code, text = scene.run(capsys)
    scene.assert_refused(code, text, "2018/progress/2018-06-30.xlsx, sheet 进度, cell B3: "
                         "formula without a computed value")
    for cell in ("C3", "B4"):
        assert f"sheet 进度, cell {cell}: formula without a computed value" in text


def test_a_formula_without_value_in_the_allocation(scene, capsys):
    build_workbook(scene.raw / "2018" / "allocation.xlsx", [
        ["县（市、区）", *(HEADERS[c] for c in SMALL_CODES)], ["鹿城区", "=50*2", 50],
        ["龙湾区", 60, 30], ["洞头区", 40, 20]], title="分解表")
    scene.assert_refused(*scene.run(capsys), "2018/allocation.xlsx, sheet 分解表, cell B2: "
                         "formula without a computed value")


def test_a_return_with_only_a_header_is_an_error(scene, capsys):
    (scene.progress / "2018-06-30.csv").write_bytes(hostile("header_only.csv"))
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv: the return holds "
                         "no figures")


def test_a_wide_return_without_figures_is_an_error(scene, capsys):
    build_workbook(scene.progress / "2018-06-30.xlsx", wide_return_rows(
        "截至2018年6月30日", {"鹿城区": [None, None], "龙湾区": [None, None]}))
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.xlsx: the return "
                         "holds no figures")


def test_an_empty_csv_is_an_error(scene, capsys):
    (scene.progress / "2018-06-30.csv").write_bytes(b"")
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv, line 1: empty file")


# === class 5: one reading of the inputs, and a read-only raw folder (class 8) ================

@pytest.mark.slow
def test_the_report_and_manifest_describe_the_bytes_read_once(tmp_path, monkeypatch):
    """The allocation is changed on disk right after the inputs were read: the report and its
    manifest still describe the bytes read (the kernel never re-reads raw data). The raw folder
    and its parent are read-only, and nothing is written there."""
    from openpyxl import load_workbook

    from helpers.core.parameters import ReportParameters
    from helpers.core.paths import RAW_DIR
    from helpers.ingest import returns as ingest
    from helpers.publish.report_pipeline import run_report

    parent = tmp_path / "readonly"
    raw = parent / "raw"
    shutil.copytree(RAW_DIR, raw)
    allocation = raw / "2018" / "allocation.xlsx"
    original = hashlib.sha256(allocation.read_bytes()).hexdigest()
    real_snapshot = ingest.take_snapshot

    def snapshot_then_edit(raw_dir, year):
        taken = real_snapshot(raw_dir, year)
        allocation.chmod(0o644)
        wb = load_workbook(allocation)
        wb["分解表"]["D5"] = 9999  # 鹿城区 新增机构床位, 1750 in the file that was read
        wb.save(allocation)
        allocation.chmod(0o444)
        return taken

    monkeypatch.setattr(ingest, "take_snapshot", snapshot_then_edit)
    for path in [parent, *parent.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = {p.relative_to(parent).as_posix() for p in parent.rglob("*")}
    try:
        folder = run_report(ReportParameters(year=2018, period="H1", raw_dir=str(raw)),
                            tmp_path / "out", processed_dir=tmp_path / "processed").folder
    finally:
        for path in [parent, *parent.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    recorded = {r["path"]: r["sha256"] for r in manifest["inputs"]}
    assert recorded["2018/allocation.xlsx"] == original
    assert hashlib.sha256(allocation.read_bytes()).hexdigest() != original
    table = (folder / "tables" / "district_indicator.csv").read_text(encoding="utf-8")
    beds = next(line for line in table.splitlines()
                if line.startswith("鹿城区,") and ",new_institution_beds," in line)
    assert ",1750," in beds and "9999" not in table
    assert not (folder / ".report-data.pickle").exists()
    assert {p.relative_to(parent).as_posix() for p in parent.rglob("*")} == before
    assert (tmp_path / "processed" / "2018" / "allocation.csv").is_file()


def test_a_file_replaced_while_it_is_read_is_refused(tmp_path, monkeypatch):
    from helpers.core.errors import InputFileError
    from helpers.ingest import snapshot as input_snapshot

    path = tmp_path / "r.csv"
    path.write_text("a\n", encoding="utf-8")
    real_open = os.open

    def swap_then_open(target, flags, *args, **kwargs):
        if Path(target) == path:
            path.unlink()
            path.write_text("b\n", encoding="utf-8")  # a new inode since the check
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr(input_snapshot.os, "open", swap_then_open)
    with pytest.raises(InputFileError, match="changed while it was being read"):
        input_snapshot.read_bounded(path, "r.csv", root=tmp_path)


# === class 6: the auditor pack verifies in another folder ===================================

@pytest.mark.slow
def test_pack_unpacked_elsewhere_verifies_and_names_a_changed_input(tmp_path, raw_copy):
    from helpers.audit.pack import pack
    from helpers.core.parameters import ReportParameters
    from helpers.publish.report_pipeline import run_report

    params = ReportParameters(year=2018, period="H1", raw_dir=str(raw_copy))  # an absolute raw
    folder = run_report(params, tmp_path / "out", processed_dir=tmp_path / "processed").folder
    elsewhere = tmp_path / "auditor" / "unpacked here"
    with zipfile.ZipFile(pack(folder, tmp_path / "pack.zip")) as archive:
        archive.extractall(elsewhere)
    assert not (elsewhere / ".git").exists()
    environment = {**os.environ, "PYTHONPATH": str(elsewhere / "src")}

    def in_pack(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              cwd=elsewhere, env=environment, timeout=600, check=False)

    where = in_pack("-c", "import helpers.core.paths as p; print(p.PROJECT_ROOT)")
    assert where.stdout.strip() == str(elsewhere)  # the pack's code, not this checkout's
    command = ("-m", "helpers", "verify", "published/2018/H1/manifest.json",
               "--raw-dir", "data/raw")
    done = in_pack(*command)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the re-run reproduced every output byte for byte" in done.stdout

    page = elsewhere / "published" / "2018" / "H1" / "report.html"
    page.write_bytes(page.read_bytes().replace(b"</h1>", b"!</h1>", 1))
    done = in_pack(*command)
    assert done.returncode == 1 and "published output report.html is not what" in done.stdout
    page.write_bytes(page.read_bytes().replace(b"!</h1>", b"</h1>", 1))

    edited = elsewhere / "data" / "raw" / "2018" / "progress" / "2018-04-30.csv"
    edited.write_bytes(edited.read_bytes() + b"\n")
    done = in_pack(*command)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "input file 2018/progress/2018-04-30.csv changed" in done.stdout


def test_pack_refuses_when_the_code_changed_since_the_run(tmp_path, capsys, monkeypatch):
    from helpers.audit import pack as auditor_pack

    raw = make_raw(tmp_path)
    folder = _fake_publication(tmp_path, raw)
    monkeypatch.setattr(auditor_pack, "code_hash", lambda: "0" * 64)
    code = main(["pack", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "the code changed since the run" in err, err


def test_pack_refuses_a_changed_input(tmp_path, capsys):
    raw = make_raw(tmp_path)
    folder = _fake_publication(tmp_path, raw)
    (raw / "catalog" / "indicators.csv").write_bytes(b"changed")
    code = main(["pack", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "input catalog/indicators.csv changed since the run" in err, err


# === class 7: every expected failure has its exit code and one line ========================

def test_a_folder_named_like_a_return(scene, capsys):
    (scene.progress / "2018-06-30.csv").mkdir()
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv: is a folder, "
                         "not a file")


def test_a_dangling_symlink(scene, capsys):
    (scene.progress / "2018-06-30.csv").symlink_to(scene.progress / "gone.csv")
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv: is a symbolic link "
                         "to a missing file")


def test_a_symlink_loop(scene, capsys):
    (scene.progress / "2018-06-30.csv").symlink_to(scene.progress / "2018-07-31.csv")
    (scene.progress / "2018-07-31.csv").symlink_to(scene.progress / "2018-06-30.csv")
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv: is a symbolic link "
                         "loop")


def test_an_unreadable_file(scene, capsys, monkeypatch):
    """Permission denied (made by patching os.open: the tests run as root, who reads all)."""
    from helpers.ingest import snapshot as input_snapshot

    target = scene.progress / "2018-05-31.csv"
    real_open = os.open

    def denied(path, flags, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(input_snapshot.os, "open", denied)
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-05-31.csv: cannot be read: "
                         "permission denied")


@pytest.mark.parametrize(("name", "message"), [
    ("four_hundred_digits.csv", "line 2: '9999999999"),
    ("ten_to_the_nineteen.csv", "line 2: 10000000000000000000 is larger than the plausible "
                                "maximum of 1,000,000 for one district (unit 张)"),
    ("nul_byte.csv", r"line 2: '5\x00' is not a number"),
    ("unterminated_quote.csv", "line 2: not readable as CSV (unexpected end of data)"),
    # the quote opened on line 3 of 5: named there, not at the end of the file
    ("unclosed_quote_mid_file.csv", "line 3: not readable as CSV (unexpected end of data); the "
                                    "record starting here runs on to line 5: is a quote mark "
                                    "(\") on this line not closed?"),
    ("iso_week_date.csv", "line 2: as_of '2018-W26-6' is not a date (YYYY-MM-DD)"),
])
def test_a_bad_csv_value_names_its_line(scene, capsys, name, message):
    (scene.progress / "2018-06-30.csv").write_bytes(hostile(name))
    code, text = scene.run(capsys)
    scene.assert_refused(code, text, f"2018/progress/2018-06-30.csv, {message}")
    if name == "four_hundred_digits.csv":
        assert "... is too long to be a figure" in text and len(text) < 300


def test_a_200_kb_csv_field(scene, capsys):
    write_long_csv(scene.progress / "2018-06-30.csv",
                   [("鹿城区", "new_institution_beds", "2018-06-30", "5" * 200_000)])
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.csv, line 2: not "
                         "readable as CSV (field larger than field limit (10000))")


def test_a_huge_number_in_a_workbook_cell(scene, capsys):
    wb = small_wide_workbook(B3=1e308)
    (scene.progress / "2018-06-30.xlsx").write_bytes(workbook_bytes(wb))
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.xlsx, sheet 进度, cell B3:"
                         " a 309-digit number is larger than the plausible maximum")


def test_a_deeply_nested_demo_marker_is_named(scene, capsys):
    """A marker nested past Python's recursion limit is read in bounded time and named: a
    marker that cannot be read cannot say which returns are generated (it used to label none
    and say nothing, so generated returns were published as real)."""
    from helpers.ingest.returns import ingest_year

    (scene.progress / "DEMO_RETURNS.json").write_text("[" * 100_000 + "]" * 100_000)
    result = ingest_year(scene.raw, 2018)
    assert [(p.file, p.message.split(" (")[0]) for p in result.errors] == [
        ("2018/progress/DEMO_RETURNS.json",
         "the record of the generated demo returns cannot be read")]
    assert result.demo_inputs == []


@pytest.mark.parametrize("name", ["manifest_empty.json", "manifest_not_json.json",
                                  "manifest_list.json"])
def test_verify_a_broken_manifest(tmp_path, capsys, name):
    path = tmp_path / "manifest.json"
    path.write_bytes(hostile(name))
    code = main(["verify", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and f"manifest {path}" in err and "Traceback" not in err, err


def test_verify_a_manifest_that_is_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "manifest.json")
    done = subprocess.run([sys.executable, "-m", "helpers", "verify",
                           str(tmp_path / "manifest.json")], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=SUBPROCESS_TIMEOUT_S, check=False)
    assert done.returncode == 2 and "is a named pipe (FIFO)" in done.stderr, done.stderr


def test_verify_a_manifest_nested_too_deeply(tmp_path, capsys):
    path = tmp_path / "manifest.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["verify", str(path)]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def _disk_full(path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _assert_full_disk_cleaned(scene: Scene, code: int, text: str) -> None:
    assert code == 5, text
    assert "No space left on device" in text and "Traceback" not in text
    assert file_hashes(scene.folder) == scene.before
    assert not list(scene.folder.parent.glob(".H1.staging-*"))
    failed = scene.folder.parent / ".H1.failed"
    assert not failed.exists() or [p.name for p in failed.iterdir()] == ["failure.txt"]


def test_full_disk_while_staging(scene, capsys, monkeypatch):
    from helpers.notebook import execution
    from helpers.publish import report_pipeline as report_run

    def fill_then_fail(data, staging):
        (staging / "partial.bin").write_bytes(b"x" * 100_000)
        raise _disk_full(staging / execution.HANDOFF_NAME)

    monkeypatch.setattr(report_run, "hand_over", fill_then_fail)
    _assert_full_disk_cleaned(scene, *scene.run(capsys))
    assert (scene.folder.parent / ".H1.failed" / "failure.txt").is_file()


def test_full_disk_in_the_kernel(scene, capsys, monkeypatch):
    from helpers.core.errors import NotebookFailed
    from helpers.publish import report_pipeline as report_run

    def kernel_fills_the_disk(params, workdir, **kwargs):
        (workdir / "report.xlsx").write_bytes(b"x" * 100_000)
        raise NotebookFailed("notebooks/report.ipynb failed in cell 12 (execution count 11): "
                             "OSError: [Errno 28] No space left on device")

    monkeypatch.setattr(report_run, "execute_report_notebook", kernel_fills_the_disk)
    _assert_full_disk_cleaned(scene, *scene.run(capsys))


def test_full_disk_for_the_processed_tables(scene, capsys, monkeypatch):
    from helpers.ingest import returns as ingest

    def no_space(path, *args, **kwargs):
        raise _disk_full(path)

    monkeypatch.setattr(ingest.Path, "write_text", no_space)
    _assert_full_disk_cleaned(scene, *scene.run(capsys))


# === class 8: unsafe places ===================================================================

@pytest.mark.parametrize("place", ["raw", "raw/2018/reports", "raw/.."])
def test_out_dir_overlapping_the_raw_folder(scene, capsys, place):
    out = scene.raw.parent / place.replace("raw", scene.raw.name, 1)
    code = main(["run", "--year", "2018", "--period", "H1", "--raw-dir", str(scene.raw),
                 "--out-dir", str(out), "--processed-dir", str(scene.processed)])
    err = capsys.readouterr().err
    assert code == 2 and "the raw folder" in err and "Traceback" not in err, err
    assert not (scene.raw / "2018" / "H1").exists() and not (scene.raw / "2018" / "reports"
                                                                ).exists()


def test_processed_dir_inside_the_raw_folder(scene, capsys):
    code = main(["run", "--year", "2018", "--period", "H1", "--raw-dir", str(scene.raw),
                 "--out-dir", str(scene.out), "--processed-dir", str(scene.raw / "processed")])
    err = capsys.readouterr().err
    assert code == 2 and "--processed-dir" in err and "is inside the raw folder" in err, err
    assert not (scene.raw / "processed").exists()


def test_schedule_refuses_an_out_dir_inside_raw(scene, capsys):
    code = main(["schedule", "--today", "2018-07-10", "--raw-dir", str(scene.raw),
                 "--out-dir", str(scene.raw / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "--out-dir" in err and "is inside the raw folder" in err, err
    assert not (scene.raw / "out").exists()


def test_a_lock_file_replaced_by_a_link_is_not_followed(scene, capsys, tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me", encoding="utf-8")
    (scene.folder.parent / ".H1.lock").symlink_to(victim)
    scene.assert_refused(*scene.run(capsys), ".H1.lock", exit_code=5)
    assert victim.read_text(encoding="utf-8") == "keep me"


# === class 9: text that reaches other programs ==============================================

@pytest.mark.parametrize("name", ["2018-06-30\x1b[2J\x1b]0;pwned\x07.csv",
                                  "2018-06-30\u202egpj.csv", "2018-06-30\nERROR: forged.csv"])
def test_control_characters_in_a_file_name(scene, capsys, name):
    write_long_csv(scene.progress / name, full_return("2018-06-30"))
    code, text = scene.run(capsys)
    scene.assert_refused(code, text, "file name contains control characters")
    assert "\x1b" not in text and "\u202e" not in text
    assert not any(line.startswith("ERROR: forged") for line in text.splitlines())
    log = (scene.out / "runs.log").read_text(encoding="utf-8")
    assert "\x1b" not in log and "\u202e" not in log and len(log.splitlines()) == 1


def test_escape_sequences_in_a_cell_are_shown_escaped(scene, capsys):
    (scene.progress / "2018-06-30.csv").write_bytes(hostile("escape_in_district.csv"))
    code, text = scene.run(capsys)
    scene.assert_refused(code, text, "line 2: unknown district")
    assert "\x1b" not in text and "\x07" not in text


def test_a_non_utf8_file_name(scene, capsys):
    name = os.fsdecode(b"2018-06-30-\xff.csv")
    write_long_csv(scene.progress / name, full_return("2018-06-30"))
    scene.assert_refused(*scene.run(capsys), "file name is not valid UTF-8")


def test_formula_triggers_in_csv_outputs_get_an_apostrophe(tmp_path):
    from helpers.core.text_safety import spreadsheet_safe_frame
    from helpers.ingest.returns import ingest_year, write_processed

    raw = make_raw(tmp_path)
    evil = '=HYPERLINK("http://x")'
    districts = raw / "catalog" / "districts.csv"
    districts.write_text(districts.read_text(encoding="utf-8").replace(
        "洞头区,", '"=HYPERLINK(""http://x"")",', 1), encoding="utf-8")
    (raw / "2018" / "plan" / "reference_figures.csv").unlink()  # it names 洞头区
    wb = Workbook()
    ws = wb.active
    ws.title = "分解表"
    for r, row in enumerate([["县（市、区）", *(HEADERS[c] for c in SMALL_CODES)],
                             ["鹿城区", 1, 1], [evil, 2, 2]], start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value).data_type = "s" if isinstance(value, str) else "n"
    wb.save(raw / "2018" / "allocation.xlsx")
    result = ingest_year(raw, 2018)
    assert result.errors == [], result.errors
    folder = write_processed(result, tmp_path / "processed")
    import csv

    with (folder / "allocation.csv").open(encoding="utf-8", newline="") as handle:
        districts_read = [row["district"] for row in csv.DictReader(handle)]
    assert "'" + evil in districts_read and evil not in districts_read
    import pandas as pd

    frame = spreadsheet_safe_frame(pd.DataFrame({"gap": [-1.5, 2.0], "note": ["-1", "@x"],
                                                 "text": ["\tx", "ok"]}))
    assert list(frame["note"]) == ["'-1", "'@x"] and list(frame["text"]) == ["'\tx", "ok"]
    assert list(frame["gap"]) == [-1.5, 2.0]  # numbers stay numbers


# === class 10: doubtful values ===============================================================

@pytest.mark.parametrize(("name", "message"), [
    ("misgrouped_thousands.csv", "line 2: '1,7,5,0' is not a number"),
    ("arabic_indic_digits.csv", "line 2: '١٧٥٠' is not a number"),
    ("superscript_digits.csv", "line 2: '12²' is not a number"),
    ("value_without_header.csv", "line 2: 5 fields but the header names 4: '7' has no column"),
])
def test_doubtful_csv_values(scene, capsys, name, message):
    (scene.progress / "2018-06-30.csv").write_bytes(hostile(name))
    scene.assert_refused(*scene.run(capsys), f"2018/progress/2018-06-30.csv, {message}")


def test_a_figure_in_a_column_without_a_header(scene, capsys):
    wb = small_wide_workbook(D3=7, D4=8)  # right of the last indicator, no header above
    (scene.progress / "2018-06-30.xlsx").write_bytes(workbook_bytes(wb))
    scene.assert_refused(*scene.run(capsys), "2018/progress/2018-06-30.xlsx, sheet 进度, cell D3:"
                         " figures in column D (rows 3..4) have no header")


def test_a_return_dated_after_today(tmp_path, capsys):
    import datetime as dt

    year = dt.date.today().year + 1  # every date of next year lies in the future
    scene = Scene(tmp_path, year=year)
    (scene.progress / f"{year}-05-31.csv").unlink()
    write_long_csv(scene.progress / f"{year}-06-30.csv", full_return(f"{year}-06-30"))
    scene.assert_refused(*scene.run(capsys), f"{year}/progress/{year}-06-30.csv, line 2: "
                         f"reporting date {year}-06-30 is after today")


def test_a_return_dated_after_today_makes_nothing_due(tmp_path):
    from helpers.publish.schedule import due_reports

    scene = Scene(tmp_path)
    write_long_csv(scene.progress / "2018-12-31.csv", full_return("2018-12-31"))
    import datetime as dt

    # Q1 is due (the 31 May return arrived); H1 is not: its only later return is dated in
    # December, which on 10 July has not arrived, and the grace days are not over
    assert [d.period for d in due_reports(scene.raw, dt.date(2018, 7, 10))] == ["Q1"]


# === class 11: killed runs are recorded by the next run ========================================

def test_unfinished_runs_are_found_only_for_their_report(tmp_path):
    from helpers.publish.run_log import log_event, unfinished_runs

    log_event(tmp_path, "started", report="2018/H1", run="aaaa")
    log_event(tmp_path, "started", report="2018/H1", run="bbbb")
    log_event(tmp_path, "published", report="2018/H1", run="bbbb", seconds=1)
    log_event(tmp_path, "started", report="2018/Q1", run="cccc")
    log_event(tmp_path, "failed", report="2018/H1", run="dddd",
              error="a message with report=2018/H1 run=aaaa in it")
    log_event(tmp_path, "started", report="2018/H1", run="eeee")
    log_event(tmp_path, "unfinished", report="2018/H1", run="eeee")
    assert [run for run, _ in unfinished_runs(tmp_path, "2018/H1")] == ["aaaa"]
    assert [run for run, _ in unfinished_runs(tmp_path, "2018/Q1")] == ["cccc"]


def test_a_runs_log_that_is_a_fifo_neither_hangs_nor_fails(tmp_path, caplog):
    from helpers.publish.run_log import log_event, unfinished_runs

    os.mkfifo(tmp_path / "runs.log")
    assert unfinished_runs(tmp_path, "2018/H1") == []
    assert log_event(tmp_path, "started", report="2018/H1", run="x") is False
    assert "could not append" in caplog.text


def test_the_command_line_shows_the_library_warnings(tmp_path, capsys):
    import logging

    from helpers.cli import _console_logging

    _console_logging()
    logging.getLogger("helpers.publish.run_log").warning("could not append to %s", "x\x1b[31m")
    assert capsys.readouterr().err == "warning: could not append to x\\x1b[31m\n"


@pytest.mark.slow
def test_the_next_run_records_that_a_killed_run_did_not_finish(tmp_path, monkeypatch):
    import nbformat

    from helpers.core.errors import NotebookFailed
    from helpers.core.parameters import ReportParameters
    from helpers.notebook import execution
    from helpers.publish import report_pipeline as report_run

    scene = Scene(tmp_path)
    (scene.out / "runs.log").write_text(
        "2018-07-01T00:00:00+00:00 started report=2018/H1 run=0badc0de\n", encoding="utf-8")
    real = nbformat.read(execution.REPORT_NOTEBOOK, as_version=4)
    stand_in = nbformat.v4.new_notebook()
    stand_in.metadata = real.metadata
    stand_in.cells = [nbformat.v4.new_code_cell("raise ValueError('stop here')", id="c1")]
    nbformat.write(stand_in, tmp_path / "stop.ipynb")
    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", tmp_path / "stop.ipynb")
    with pytest.raises(NotebookFailed):
        report_run.run_report(ReportParameters(year=2018, period="H1", raw_dir=str(scene.raw)),
                              scene.out, processed_dir=scene.processed)
    lines = (scene.out / "runs.log").read_text(encoding="utf-8").splitlines()
    events = [line.split(" ")[1:4] for line in lines]
    assert events[1] == ["unfinished", "report=2018/H1", "run=0badc0de"]
    assert events[2][:2] == ["started", "report=2018/H1"]
    assert events[3] == ["failed", "report=2018/H1", events[2][2]]
    assert "started=2018-07-01T00:00:00+00:00" in lines[1]
