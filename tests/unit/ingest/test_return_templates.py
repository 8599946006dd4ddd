"""A filled return template read back by the normal ingest, and each refusal: a Problem naming
the file, the sheet and cell, and what is wrong (so `validate` lists it and `run` exits 2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from template_builders import AS_OF, fill, small_raw

from helpers.ingest.returns import ingest_year
from helpers.ingest.template_format import (
    CELL_HEADER,
    FIELD_ROW,
    FIGURE_COLUMNS,
    FIGURE_HEADER_ROW,
    HIDDEN_SHEET,
    canonical,
    template_checksum,
)
from helpers.metrics.template_figures import template_rows
from helpers.publish.templates import write_templates
from helpers.render.return_template_book import TemplateUnit, template_workbook

LUCHENG = "district/01-鹿城区.xlsx"


@pytest.fixture(scope="module")
def sent(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sent")
    raw = small_raw(root)
    outcome = write_templates(raw, 2018, dt.date.fromisoformat(AS_OF), root / "out")
    return raw, outcome.folder


@pytest.fixture
def raw(sent, tmp_path) -> Path:
    shutil.copytree(sent[0], tmp_path / "raw")
    return tmp_path / "raw"


def progress(raw: Path, name: str) -> Path:
    return raw / "2018" / "progress" / name


def messages(result, rel: str) -> list[tuple[str, str]]:
    """(location, message) of the errors of one file."""
    return [(p.location, p.message) for p in result.errors if p.file == rel]


def edit(path: Path, sheet: str | int, **cells) -> None:
    wb = load_workbook(path)
    ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
    for coordinate, value in cells.items():
        ws[coordinate] = value
    wb.save(path)


def test_a_filled_template_is_read_with_its_cells(sent, raw):
    typed = fill(sent[1] / LUCHENG, progress(raw, "鹿城区.xlsx"))
    result = ingest_year(raw, 2018)
    assert not result.errors
    rows = result.progress[result.progress["source"].str.startswith("2018/progress/鹿城区")]
    assert len(rows) == len(typed) == 31
    assert set(rows["as_of"]) == {dt.date(2018, 7, 31)}
    beds = rows[rows["indicator"] == "new_institution_beds"].iloc[0]
    value, cell = typed[("鹿城区", "新增机构床位", "累计完成")]
    assert (beds["value"], beds["source"]) == (value, f"2018/progress/鹿城区.xlsx!填报!{cell}")
    record = next(i for i in result.inputs if i.path == "2018/progress/鹿城区.xlsx")
    assert (record.kind, record.as_of, record.figures) == ("progress", dt.date(2018, 7, 31), 31)


def test_blank_cells_are_not_reported(sent, raw):
    path = progress(raw, "one.xlsx")
    shutil.copy2(sent[1] / LUCHENG, path)
    edit(path, 0, J7=2000)  # new beds only
    result = ingest_year(raw, 2018)
    rows = result.progress[result.progress["source"].str.startswith("2018/progress/one")]
    assert list(rows["value"]) == [2000]


def test_an_empty_template_holds_no_figures(sent, raw):
    shutil.copy2(sent[1] / LUCHENG, progress(raw, "empty.xlsx"))
    result = ingest_year(raw, 2018)
    assert messages(result, "2018/progress/empty.xlsx") == [
        ("", "the return holds no figures (no district row with a value for a known "
             "indicator)")]


def test_another_year_is_refused(sent, raw):
    path = progress(raw, "old.xlsx")
    fill(sent[1] / LUCHENG, path)
    edit(path, HIDDEN_SHEET, B2="2017")
    found = messages(ingest_year(raw, 2018), "2018/progress/old.xlsx")
    assert found == [(f"sheet {HIDDEN_SHEET}, cell B2",
                      "a template of 2017 (as of 2018-07-31) in the 2018 folder: put it in "
                      "2017/progress/")]


def test_as_of_other_than_the_file_name_date_is_refused(sent, raw):
    fill(sent[1] / LUCHENG, progress(raw, "2018-08-31-鹿城区.xlsx"))
    found = messages(ingest_year(raw, 2018), "2018/progress/2018-08-31-鹿城区.xlsx")
    assert found == [(f"sheet {HIDDEN_SHEET}, cell B5",
                      "the template is as of 2018-07-31 but its file name date 2018-08-31 "
                      "differs: rename the file or fill in the template of that date")]


def test_a_date_after_today_is_refused(sent, raw):
    fill(sent[1] / LUCHENG, progress(raw, "2018-07-31-鹿城区.xlsx"))
    result = ingest_year(raw, 2018, today=dt.date(2018, 7, 20))
    found = messages(result, "2018/progress/2018-07-31-鹿城区.xlsx")
    assert found == [("", "reporting date 2018-07-31 is after today (2018-07-20); fix the date")]


def test_a_district_not_in_the_catalogue_is_refused(raw, tmp_path):
    # a template sent for a district another catalogue has (火星区), intact and filled
    result = ingest_year(raw, 2018)
    rows = [dataclasses.replace(row, district="火星区") for row in
            template_rows(result, dt.date.fromisoformat(AS_OF)) if row.district == "鹿城区"]
    unit = TemplateUnit("district", "火星区", "第九组", ("火星区",))
    book = tmp_path / "mars.xlsx"
    book.write_bytes(template_workbook(unit, rows, result.catalog, 2018,
                                       dt.date.fromisoformat(AS_OF)))
    fill(book, progress(raw, "mars.xlsx"))
    found = messages(ingest_year(raw, 2018), "2018/progress/mars.xlsx")
    assert found[0] == ("sheet 填报, cell J4",
                        "a template for 火星区, a district not in the catalogue")
    assert len(found) == 31  # one per figure, none read


def test_two_templates_for_one_district_and_date(sent, raw):
    fill(sent[1] / LUCHENG, progress(raw, "a.xlsx"))
    fill(sent[1] / LUCHENG, progress(raw, "b.xlsx"))
    result = ingest_year(raw, 2018)
    assert messages(result, "2018/progress/b.xlsx") == [
        ("", "a second template for 鹿城区 as of 2018-07-31 (the first is 2018/progress/a.xlsx)")]
    assert not messages(result, "2018/progress/a.xlsx")


def test_a_group_template_and_a_district_template_for_the_same_district(sent, raw):
    fill(sent[1] / "group/01-第一组.xlsx", progress(raw, "a-group.xlsx"))
    fill(sent[1] / "district/04-洞头区.xlsx", progress(raw, "b-dongtou.xlsx"))
    found = messages(ingest_year(raw, 2018), "2018/progress/b-dongtou.xlsx")
    assert found == [("", "a second template for 洞头区 as of 2018-07-31 (the first is "
                          "2018/progress/a-group.xlsx)")]


def test_a_template_and_another_return_of_the_same_date(sent, raw):
    typed = fill(sent[1] / LUCHENG, progress(raw, "t.xlsx"))
    value, cell = typed[("鹿城区", "新增机构床位", "累计完成")]
    progress(raw, "2018-07-31.csv").write_text(
        f"district,indicator,as_of,value\n鹿城区,新增机构床位,2018-07-31,{value + 5}\n",
        encoding="utf-8")
    found = messages(ingest_year(raw, 2018), "2018/progress/t.xlsx")
    assert (f"sheet 填报, cell {cell}",
            "鹿城区 new_institution_beds 2018-07-31 is also reported in "
            "2018/progress/2018-07-31.csv:2") in found


def test_edited_protected_cells_are_named(sent, raw):
    path = progress(raw, "edited.xlsx")
    fill(sent[1] / LUCHENG, path)
    edit(path, 0, F7=100, H8=99999, K4="改")  # a target, a last figure, a cell that was empty
    found = messages(ingest_year(raw, 2018), "2018/progress/edited.xlsx")
    assert [location for location, _ in found] == ["sheet 填报, cell F7", "sheet 填报, cell H8",
                                                   "sheet 填报, cell K4"]
    assert found[0][1] == ("protected cell changed after the template was sent (now '100'): the "
                           "checksum does not match; fill in a fresh template")


def test_an_edited_hidden_sheet_breaks_the_checksum(sent, raw):
    path = progress(raw, "hidden.xlsx")
    fill(sent[1] / LUCHENG, path)
    edit(path, HIDDEN_SHEET, G11="12345")  # the lower bound of the second figure
    found = messages(ingest_year(raw, 2018), "2018/progress/hidden.xlsx")
    assert found == [(f"sheet {HIDDEN_SHEET}, cell B7",
                      "the checksum does not match what was sent: the hidden sheet was edited; "
                      "fill in a fresh template")]


def reseal(path: Path, **hidden_cells) -> None:
    """Edit cells of the hidden sheet and put the checksum of the edited template in its
    place, as anyone can (it is a plain SHA-256 of what was sent)."""
    wb = load_workbook(path)
    hidden = wb[HIDDEN_SHEET]
    for coordinate, value in hidden_cells.items():
        hidden[coordinate] = value
    header = {name: canonical(hidden.cell(row, 2).value) for name, row in FIELD_ROW.items()}
    figures = []
    for line in hidden.iter_rows(min_row=FIGURE_HEADER_ROW + 1, max_col=len(FIGURE_COLUMNS),
                                 values_only=True):
        if line[0] == CELL_HEADER[0]:
            break
        if line[0] is not None:
            figures.append(tuple(canonical(value) for value in line))
    inputs = {figure[0] for figure in figures}
    cells = [(cell.coordinate, cell.value) for line in wb[header["sheet"]].iter_rows()
             for cell in line if cell.value is not None and cell.coordinate not in inputs]
    hidden.cell(FIELD_ROW["checksum"], 2).value = template_checksum(header, figures, cells)
    wb.save(path)


FIRST = FIGURE_HEADER_ROW + 1  # the hidden sheet's first figure; its input cell in column A
RESEALED = [  # an edit of the hidden sheet: the cell named and what is wrong with it
    ({f"A{FIRST}": "XYZ"}, f"A{FIRST}", "the input cell 'XYZ' is not a cell of column J from "
                                        "row 4"),
    ({f"A{FIRST}": "J0"}, f"A{FIRST}", "the input cell 'J0' is not a cell of column J from row 4"),
    ({f"A{FIRST}": "J2"}, f"A{FIRST}", "the input cell 'J2' is not a cell of column J from row 4"),
    ({f"A{FIRST}": "J99999999"}, f"A{FIRST}", "the input cell 'J99999999' is not a cell of "
                                              "column J from row 4"),
    ({f"A{FIRST}": "F7"}, f"A{FIRST}", "the input cell 'F7' is not a cell of column J from "
                                       "row 4"),  # a target: read as the figure
    ({f"A{FIRST}": "J5:J6"}, f"A{FIRST}", "the input cell 'J5:J6' is not a cell of column J "
                                          "from row 4"),
    ({f"G{FIRST}": "abc"}, f"G{FIRST}", "the minimum 'abc' is not a whole number of at most "
                                        "15 digits"),
    ({f"G{FIRST}": "1.5"}, f"G{FIRST}", "the minimum '1.5' is not a whole number of at most "
                                        "15 digits"),
    ({f"G{FIRST}": None}, f"G{FIRST}", "the minimum '' is not a whole number of at most 15 "
                                       "digits"),
    ({f"G{FIRST}": "9" * 5000}, f"G{FIRST}", f"the minimum '{'9' * 20}' is not a whole number "
                                             "of at most 15 digits"),
]


@pytest.mark.parametrize(("cells", "where", "what"), RESEALED)
def test_a_resealed_hidden_sheet_is_checked_cell_by_cell(sent, raw, cells, where, what):
    """The checksum matches (recomputed), yet each input cell and bound is checked before a
    cell is read by it: before, these stopped `validate` with an internal error."""
    path = progress(raw, "resealed.xlsx")
    fill(sent[1] / LUCHENG, path)
    reseal(path, **cells)
    result = ingest_year(raw, 2018)
    assert messages(result, "2018/progress/resealed.xlsx") == [
        (f"sheet {HIDDEN_SHEET}, cell {where}",
         f"{what}: the hidden sheet was edited and cannot be read; fill in a fresh template")]
    assert not result.progress["source"].str.startswith("2018/progress/resealed").any()


def test_a_resealed_hidden_sheet_naming_a_cell_or_a_figure_twice(sent, raw):
    path = progress(raw, "twice.xlsx")
    fill(sent[1] / LUCHENG, path)
    hidden = load_workbook(path)[HIDDEN_SHEET]
    first = [hidden.cell(FIRST, column).value for column in range(1, 5)]
    reseal(path, **{f"A{FIRST + 1}": first[0],  # the second figure's cell is the first's
                    f"B{FIRST + 3}": first[1], f"C{FIRST + 3}": first[2],  # the fourth figure
                    f"D{FIRST + 3}": first[3]})  # is the first figure again
    found = messages(ingest_year(raw, 2018), "2018/progress/twice.xlsx")
    named = f"{first[1]} {first[2]}" + (f"/{first[3]}" if first[3] else "")
    assert found == [
        (f"sheet {HIDDEN_SHEET}, cell A{FIRST + 1}",
         f"the input cell {first[0]} is that of row {FIRST} too: the hidden sheet was edited "
         "and cannot be read; fill in a fresh template"),
        (f"sheet {HIDDEN_SHEET}, cell B{FIRST + 3}",
         f"the figure {named} is that of row {FIRST} too: the hidden sheet was edited and "
         "cannot be read; fill in a fresh template")]


def test_a_resealed_template_as_sent_is_read(sent, raw):
    """The check in the two tests above refuses the edits, not every resealed template."""
    path = progress(raw, "same.xlsx")
    typed = fill(sent[1] / LUCHENG, path)
    reseal(path)
    result = ingest_year(raw, 2018)
    assert not result.errors
    assert result.progress["source"].str.startswith("2018/progress/same.xlsx").sum() == len(typed)


def test_a_removed_hidden_sheet_is_refused(sent, raw):
    path = progress(raw, "2018-07-31-bare.xlsx")
    fill(sent[1] / LUCHENG, path)
    wb = load_workbook(path)
    del wb[HIDDEN_SHEET]
    wb.save(path)
    found = messages(ingest_year(raw, 2018), "2018/progress/2018-07-31-bare.xlsx")
    assert found == [("sheet 填报, cell J3",
                      f"looks like a return template but its hidden sheet {HIDDEN_SHEET} was "
                      "removed, so what was sent cannot be checked: fill in a fresh template "
                      "(python -m helpers templates)")]


def test_values_that_are_not_whole_numbers_or_below_the_last_return(sent, raw):
    path = progress(raw, "values.xlsx")
    typed = fill(sent[1] / LUCHENG, path)
    _, beds_cell = typed[("鹿城区", "新增机构床位", "累计完成")]
    wb = load_workbook(sent[1] / LUCHENG)
    last = wb.worksheets[0][beds_cell.replace("J", "H")].value
    edit(path, 0, **{beds_cell: last - 1, "J8": 2.5, "J9": "三", "J10": -1})
    found = dict(messages(ingest_year(raw, 2018), "2018/progress/values.xlsx"))
    assert found[f"sheet 填报, cell {beds_cell}"] == (
        f"{last - 1} is below {last}, the figure last reported (2018-06-30): a cumulative "
        "figure does not go down")
    assert found["sheet 填报, cell J8"] == "2.5 is not a whole number: give a whole number"
    assert found["sheet 填报, cell J9"].endswith(": give a whole number")
    assert found["sheet 填报, cell J10"] == "-1 is negative: give a whole number"


def test_a_wide_return_with_a_sheet_named_like_a_template_is_still_a_wide_return(raw):
    path = progress(raw, "2018-06-30.xlsx")
    wb = load_workbook(path)
    wb.worksheets[0].title = "填报"
    wb.save(path)
    result = ingest_year(raw, 2018)
    assert not result.errors
    assert (result.progress["source"].str.startswith("2018/progress/2018-06-30.xlsx!填报!")).any()
