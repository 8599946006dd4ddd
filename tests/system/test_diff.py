"""`helpers diff`: what changed between two published reports, checked against the published
tables themselves (read with the csv module, not through the comparison)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.core.parameters import ReportParameters
from helpers.core.paths import PROJECT_ROOT, RAW_DIR

EDITED = "2018/progress/2018-06-30.xlsx"
EDITED_CELL = "O5"  # 鹿城区, 新增养老机构床位 (new_institution_beds) in the bundled return
TOTAL_CELL = "O18"
KEY = ("level", "unit", "indicator", "step")


def helpers_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=600, check=False)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """2018 H1, Q3 and FY from a copy of the bundled data; then H1 published again after one
    cell of its June return was edited (the first publication kept as H1-first)."""
    from openpyxl import load_workbook

    from helpers.publish.report_pipeline import run_report

    base = tmp_path_factory.mktemp("diff")
    raw, out, processed = base / "raw", base / "reports", base / "processed"
    shutil.copytree(RAW_DIR, raw)
    folders = {}
    for period in ("H1", "Q3", "FY"):
        params = ReportParameters(year=2018, period=period, pdf=False, raw_dir=str(raw))
        folders[period] = run_report(params, out, processed_dir=processed).folder
    first = base / "H1-first"
    shutil.copytree(folders["H1"], first)
    folders["H1-first"] = first
    wb = load_workbook(raw / EDITED)
    ws = wb.worksheets[0]
    folders["old_value"] = ws[EDITED_CELL].value
    ws[EDITED_CELL] = int(ws[EDITED_CELL].value) + 7
    # the return's 合计 row must stay the sum of its districts (validation checks it); it is
    # no figure's source (the city's figures are sums), so the diff names only the edited cell
    ws[TOTAL_CELL] = int(ws[TOTAL_CELL].value) + 7
    wb.save(raw / EDITED)
    params = ReportParameters(year=2018, period="H1", pdf=False, raw_dir=str(raw))
    folders["H1"] = run_report(params, out, processed_dir=processed).folder
    folders["sheet"] = ws.title
    return folders


def _facts(folder: Path) -> dict[tuple, dict]:
    with (folder / "tables" / "facts.csv").open(encoding="utf-8", newline="") as handle:
        return {tuple(r[k] for k in KEY): r for r in csv.DictReader(handle)}


def _table(folder: Path) -> dict[tuple, dict]:
    path = folder / "tables" / "district_indicator.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["district"], r["indicator"]): r for r in csv.DictReader(handle)}


def _moved(old: Path, new: Path):
    from helpers.audit.report_diff import diff_reports

    return diff_reports(old, new)


def test_h1_to_fy_lists_every_moved_figure_and_status(published):
    old, new = _facts(published["H1-first"]), _facts(published["FY"])
    diff = _moved(published["H1-first"], published["FY"])
    moved = diff.moved
    for field in ("figure", "status", "target"):
        expected = {k for k in old.keys() & new.keys() if old[k][field] != new[k][field]}
        listed = set(map(tuple, moved.loc[moved["field"] == field, list(KEY)].to_numpy()))
        assert listed == expected, field
    assert expected == set()  # the targets are the same all year
    # the values listed are those of the two tables
    for row in moved[moved["field"] == "figure"].itertuples():
        key = (row.level, row.unit, row.indicator, row.step)
        assert (row.old, row.new) == (int(old[key]["figure"]), int(new[key]["figure"]))
        assert row.difference == int(new[key]["figure"]) - int(old[key]["figure"])
    # every district's own figure that moved in district_indicator.csv is there too
    table_old, table_new = _table(published["H1-first"]), _table(published["FY"])
    own = {(r.unit, r.indicator) for r in moved.itertuples()
           if r.field == "figure" and r.level == "district" and r.step == ""}
    assert own == {k for k in table_old if table_old[k]["actual"] != table_new[k]["actual"]}
    assert own  # the year moved figures


def test_h1_to_fy_console_html_and_workbook(published, tmp_path):
    html, xlsx = tmp_path / "d.html", tmp_path / "d.xlsx"
    done = helpers_cli("diff", str(published["H1-first"]), str(published["FY"]),
                       "--html", str(html), "--xlsx", str(xlsx))
    assert done.returncode == 0, done.stderr
    old, new = _facts(published["H1-first"]), _facts(published["FY"])
    lines = done.stdout.splitlines()
    # one line per moved figure: count the figures (累计完成) that moved, by hand
    figures = sum(1 for k in old if old[k]["figure"] != new[k]["figure"])
    assert sum(1 for line in lines if "  累计完成: " in line) == figures
    assert "  新增 2018/progress/2018-12-31.xlsx" in done.stdout
    assert "变动的输入单元格：0项" in done.stdout  # new returns, no edited cell
    assert "<table" in html.read_text(encoding="utf-8")
    first = xlsx.read_bytes()
    helpers_cli("diff", str(published["H1-first"]), str(published["FY"]), "--xlsx", str(xlsx))
    assert xlsx.read_bytes() == first  # deterministic bytes
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["变动的数字"]
    # title, the two reports, a blank row, the header, then one row per moved figure
    assert sheet.max_row - 4 == sum(
        1 for line in lines if line.startswith("  ") and ": " in line and " -> " in line
        and not line.startswith("  2018/") and "sha256" not in line)


def test_republication_shows_exactly_the_edited_cell(published):
    cell = f"{EDITED}!{published['sheet']}!{EDITED_CELL}"
    done = helpers_cli("diff", str(published["H1-first"]), str(published["H1"]))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    diff = _moved(published["H1-first"], published["H1"])
    assert list(diff.files["path"]) == [EDITED]
    assert list(diff.cells["cell"]) == [cell]
    assert f"  已修改 {EDITED}" in out
    value = int(published["old_value"])
    assert f"  {cell}: {value} -> {value + 7}" in out
    # independently: the rows of the two facts tables that differ at all
    old, new = _facts(published["H1-first"]), _facts(published["H1"])
    differing = {k for k in old if old[k] != new[k]}
    listed = set(map(tuple, diff.moved[list(KEY)].to_numpy()))
    assert listed == differing
    # every figure that moved read the edited cell, or is the city's sum of it
    for key in (k for k in differing if old[k]["figure"] != new[k]["figure"]):
        assert new[key]["figure_source"] == cell or key[0] == "city", key
        assert int(new[key]["figure"]) - int(old[key]["figure"]) == 7
    assert {k[2] for k in differing} == {"new_institution_beds"}


def test_exit_codes(published, tmp_path):
    same = helpers_cli("diff", str(published["FY"]), str(published["FY"]), "--exit-code")
    assert same.returncode == 0, same.stderr
    assert "两份报告的数字和状态完全相同" in same.stdout
    moved = helpers_cli("diff", str(published["H1-first"]), str(published["H1"]), "--exit-code")
    assert moved.returncode == 1
    missing = helpers_cli("diff", str(tmp_path / "nowhere"), str(published["FY"]))
    assert missing.returncode == 2
    assert "no such report folder" in missing.stderr
    assert "Traceback" not in missing.stderr
    broken = tmp_path / "broken"
    shutil.copytree(published["Q3"], broken)
    (broken / "tables" / "facts.csv").write_text("level\n", encoding="utf-8")
    done = helpers_cli("diff", str(broken), str(published["FY"]))
    assert done.returncode == 2
    assert "is not the file its manifest records" in done.stderr


def test_the_reports_changes_agree_with_diff_of_the_published_reports(published):
    """Q3's 较上期变化 (its report.xlsx sheet, district level, and its change table, city
    level) lists what `diff` finds between the published H1 and Q3."""
    from openpyxl import load_workbook

    from helpers.core.parameters import parameters_from_dict
    from helpers.metrics.derived_tables import changes_table
    from helpers.metrics.report_data import build_report_data
    from helpers.publish.manifest import read_manifest

    diff = _moved(published["H1-first"], published["Q3"])
    own = diff.moved[diff.moved["step"] == ""]
    assert len(own)
    sheet = load_workbook(published["Q3"] / "report.xlsx")["较上期变化"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(n for n, r in enumerate(rows) if r[0] == "县（市、区）")
    shown = sorted((r[0], r[2], r[3], r[4], r[5]) for r in rows[header + 1:])
    from helpers.words.change_words import field_label, unit_text

    listed = sorted((unit_text(r.unit), r.indicator, field_label(r.field),
                     *(v if r.field == "completion" or v is None or r.field == "status"
                       else int(v) for v in (r.old, r.new))) for r in own.itertuples())
    status_names = {}
    from helpers.words.labels import status_label

    for n, row in enumerate(listed):  # the sheet prints a status by its name
        if row[2] == "状态":
            status_names[n] = (*row[:3], status_label(row[3]), status_label(row[4]))
    listed = sorted(status_names.get(n, row) for n, row in enumerate(listed))

    def rounded(row):
        return tuple(round(v, 6) if isinstance(v, float) else v for v in row)

    assert [rounded(r) for r in shown] == [rounded(r) for r in listed]
    # the city's change table (the document's 附件, the page's section) agrees in points
    params = parameters_from_dict(read_manifest(published["Q3"] / "manifest.json")
                                  ["parameters"])
    table = changes_table(build_report_data(params))
    city = own[(own["level"] == "city") & (own["field"] == "completion")]
    moved = dict(zip(city["indicator"], city["difference"], strict=True))
    assert moved
    for row in table.itertuples():
        if round(row.previous, 6) != round(row.current, 6):
            assert moved.pop(row.indicator) == row.change_pp, row.indicator
    assert moved == {}


def test_republished_report_marks_revisions_and_verifies(published):
    """The H1 published again over its first publication marks what the edit moved 修订 with
    the old value, keeps the facts it compared with, and reproduces under verify."""
    import docx
    from openpyxl import load_workbook

    folder, first = published["H1"], published["H1-first"]
    old = int(published["old_value"])
    kept = folder / "tables" / "previous_publication_facts.csv"
    assert kept.read_bytes() == (first / "tables" / "facts.csv").read_bytes()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous_publication"] == {
        "path": "tables/previous_publication_facts.csv",
        "sha256": hashlib.sha256(kept.read_bytes()).hexdigest()}
    assert f"{old + 7}（修订，原{old}）" in (folder / "report.html").read_text(encoding="utf-8")
    # the city's sum moved by the same 7
    city_old = int(_facts(first)[("city", "全市", "new_institution_beds", "")]["figure"])
    assert f"{city_old + 7}（修订，原{city_old}）" in (folder / "report.html").read_text(
        encoding="utf-8")
    text = [p.text for p in docx.Document(folder / "report.docx").paragraphs]
    assert any(t.endswith("修订说明") for t in text)
    assert f"鹿城区新增机构床位累计完成由{old}修订为{old + 7}。" in text
    # every row of the two facts tables that differs is on the 修订说明 sheet, none else
    differing = {k for k, v in _facts(first).items() if v != _facts(folder)[k]}
    sheet = load_workbook(folder / "report.xlsx")["修订说明"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(n for n, r in enumerate(rows) if r[0] == "县（市、区）")
    assert {r[2] for r in rows[header + 1:]} == {k[2] for k in differing}
    assert len(rows) - header - 1 == len(_moved(first, folder).moved)
    # a first publication has none of it
    assert not (published["FY"] / "tables" / "previous_publication_facts.csv").exists()
    assert "修订" not in (published["FY"] / "report.html").read_text(encoding="utf-8")
    done = helpers_cli("verify", str(folder / "manifest.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "same bytes: tables/previous_publication_facts.csv" in done.stdout


def test_stages_are_named_as_the_catalogue_names_them(published, tmp_path):
    # the published tables hold a stage's code (site); the comparison names it as the
    # catalogue does (选址), on the console and in the workbook alike
    with open(RAW_DIR / "catalog" / "stages.csv", encoding="utf-8") as f:
        stages = {(r["indicator"], r["stage"]): r["name_zh"] for r in csv.DictReader(f)}
    old, new = _facts(published["H1-first"]), _facts(published["FY"])
    moved = {(k[2], k[3]) for k in old.keys() & new.keys()
             if (k[2], k[3]) in stages and old[k]["figure"] != new[k]["figure"]}
    assert moved  # stages moved between June and December
    xlsx = tmp_path / "d.xlsx"
    done = helpers_cli("diff", str(published["H1-first"]), str(published["FY"]),
                       "--xlsx", str(xlsx))
    assert done.returncode == 0, done.stderr
    for indicator, code in moved:
        assert f" · {stages[(indicator, code)]}  累计完成: " in done.stdout
    assert not any(f" · {code}  " in done.stdout for _, code in stages)
    # a node (a dated step of the schedule) by its date as the report writes dates
    nodes = {k[3] for k in old.keys() & new.keys()
             if k[3][:4].isdigit() and old[k]["figure"] != new[k]["figure"]}
    assert nodes
    for node in nodes:
        year, month, day = (int(x) for x in node.split("-"))
        assert f" · {year}年{month}月{day}日  " in done.stdout
        assert f" · {node}  " not in done.stdout
    from openpyxl import load_workbook

    cells = {c.value for row in load_workbook(xlsx)["变动的数字"].iter_rows() for c in row}
    assert {stages[key] for key in moved} <= cells
    assert not cells & {code for _, code in stages}
