"""The return template as a district clerk opens it: pre-filled figures read a second way from
the raw files, validated input cells, everything else locked, no formulas, instructions and a
contact line without a telephone number, a veryHidden sheet with what was sent, same bytes for
the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from ingest_builders import read_demo_wide
from openpyxl import load_workbook
from template_builders import figure_rows, small_raw

from helpers.core.disclosure import has_phone
from helpers.ingest.returns import ingest_year
from helpers.ingest.template_format import (
    HIDDEN_SHEET,
    INPUT_HEADER_PREFIXES,
    TEMPLATE_SHEETS,
)
from helpers.metrics.template_figures import template_rows
from helpers.publish.templates import template_units
from helpers.render.return_template_book import template_workbook
from helpers.words.labels import label

AS_OF = dt.date(2018, 7, 31)


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    return small_raw(tmp_path_factory.mktemp("tpl"))


@pytest.fixture(scope="module")
def books(raw) -> dict[str, bytes]:
    """The bytes of every template (district and group) by unit name."""
    result = ingest_year(raw, 2018)
    rows = template_rows(result, AS_OF)
    districts = list(dict.fromkeys(r.district for r in rows))
    return {unit.name: template_workbook(unit, [r for r in rows if r.district in unit.districts],
                                         result.catalog, 2018, AS_OF)
            for _, unit in template_units(result.catalog, districts, "both")}


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_prefilled_targets_and_last_figures_are_the_raw_files(raw, books):
    ws = opened(books["鹿城区"]).worksheets[0]
    june = read_demo_wide(raw / "2018" / "progress" / "2018-06-30.xlsx")
    rows = figure_rows(ws)
    # 14 counts, 1 stock, 2 stages, 4 task stages, 8 share parts, the plan targets' 2 measures
    assert len(rows) == 31
    for r, district, name, stage, _, _, last in rows:
        key = name if stage == "累计完成" else f"{name}（{stage}）"
        assert last == june[(district, key)], (r, key)
        assert ws[f"I{r}"].value == "2018年6月30日"
    beds = next(r for r in rows if r[2] == "新增机构床位")
    assert beds[5] == 1750  # seed 001: 鹿城区 新增机构床位
    assert ws["J3"].value == "本次累计数（截至2018年7月31日）"
    requirements = {(r[2], r[3]): ws[f"G{r[0]}"].value for r in rows}
    assert requirements[("具备助餐、配送餐服务的照料中心数", "累计完成")] == \
        "6月30日前完成40%；8月31日前完成70%；11月30日前完成100%"
    assert requirements[("新增镇（街）养老服务中心（示范型居家养老服务中心）", "选址")] == \
        "6月30日前完成100%"
    assert requirements[("新增机构床位", "累计完成")] == "按时序进度"
    assert requirements[("享受养老服务补贴总人数", "累计完成")] == "达到年度目标"  # a level
    assert requirements[("护理型床位数", "累计完成")] == "—"  # a share's part


def test_every_input_cell_is_unlocked_and_validated(books):
    ws = opened(books["鹿城区"]).worksheets[0]
    rules = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for (row, col) in cell_range.cells:
                rules[(row, col)] = validation
    for r, _, name, stage, unit, target, last in figure_rows(ws):
        cell = ws[f"J{r}"]
        assert not cell.protection.locked
        rule = rules[(r, 10)]
        assert (rule.type, rule.operator, rule.allow_blank) == ("whole", "between", True)
        assert rule.showErrorMessage and rule.showInputMessage and rule.errorStyle == "stop"
        low, high = int(rule.formula1), int(rule.formula2)
        stock = name == "享受养老服务补贴总人数"
        cumulative = not stock and (target is not None or unit == "项")
        assert low == (last if cumulative else 0), (name, stage)
        if unit == "项":
            assert high == 1
        elif target:
            assert high == max(3 * target, last)
        assert "整数" in rule.prompt and "整数" in rule.error
        if cumulative and last:
            assert f"上次填报数{last}" in rule.error
        assert len(rule.prompt) <= 255 and len(rule.error) <= 225  # Excel's limits
    assert len(rules) == 31


def test_everything_else_is_locked_and_the_sheet_protected(books):
    wb = opened(books["鹿城区"])
    ws = wb.worksheets[0]
    inputs = {f"J{r[0]}" for r in figure_rows(ws)}
    for line in ws.iter_rows():
        for cell in line:
            if cell.coordinate not in inputs and hasattr(cell, "protection"):
                assert cell.protection.locked, cell.coordinate
    assert ws.protection.sheet
    assert wb.security.lockStructure  # the hidden sheet cannot be shown or removed in Excel


def test_no_formulas_anywhere(books):
    for data in books.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
        for ws in opened(data).worksheets:
            for line in ws.iter_rows():
                for cell in line:
                    assert cell.data_type != "f", cell.coordinate
                    assert not (isinstance(cell.value, str) and cell.value.startswith("="))


def test_instructions_and_contact_without_a_telephone_number(books):
    ws = opened(books["鹿城区"]).worksheets[0]
    texts = [c.value for line in ws.iter_rows() for c in line if isinstance(c.value, str)]
    assert "填报说明：" in texts
    assert "联系人：市民政局养老服务处" in texts
    assert any("不得低于上次填报数" in t for t in texts)
    assert not [t for t in texts if has_phone(t)]


def test_hidden_sheet_holds_what_was_sent(books):
    wb = opened(books["鹿城区"])
    hidden = wb[HIDDEN_SHEET]
    assert hidden.sheet_state == "veryHidden"
    fields = {hidden.cell(r, 1).value: hidden.cell(r, 2).value for r in range(1, 8)}
    assert fields["year"] == "2018" and fields["unit"] == "鹿城区"
    assert fields["unit_kind"] == "district" and fields["as_of"] == "2018-07-31"
    assert len(fields["checksum"]) == 64
    # a digest per protected cell: the cell's place and value, hashed here by hand
    ws = wb.worksheets[0]
    digests = {}
    for r in range(1, hidden.max_row + 1):
        if hidden.cell(r, 1).value == "protected_cell":
            digests = {hidden.cell(x, 1).value: hidden.cell(x, 2).value
                       for x in range(r + 1, hidden.max_row + 1)}
    assert digests["F7"] == hashlib.sha256(b"F7\t1750").hexdigest()
    assert digests["B4"] == hashlib.sha256("B4\t鹿城区".encode()).hexdigest()
    assert not any(f"J{r[0]}" in digests for r in figure_rows(ws))
    assert ws["F7"].value == 1750


def test_group_template_lists_its_districts(books):
    ws = opened(books["第一组"]).worksheets[0]
    rows = figure_rows(ws)
    assert [r[1] for r in rows] == ["洞头区"] * 31 + ["乐清市"] * 31
    assert "第一组（洞头区、乐清市）" in ws["A2"].value


def test_same_inputs_same_bytes(raw, books):
    result = ingest_year(raw, 2018)
    rows = [r for r in template_rows(result, AS_OF) if r.district == "鹿城区"]
    unit = next(u for _, u in template_units(result.catalog, ["鹿城区"], "district"))
    assert template_workbook(unit, rows, result.catalog, 2018, AS_OF) == books["鹿城区"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reader_knows_the_labels_of_the_sheet(lang):
    assert label("template.sheet", lang) in TEMPLATE_SHEETS
    assert label("template.col.input", lang).startswith(INPUT_HEADER_PREFIXES)
