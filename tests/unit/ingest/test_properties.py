"""Property-based tests (hypothesis): whatever arrives, the number and date normalisers raise
only their documented error (NotANumber, NotADate), and the CSV and workbook readers return
problems instead of raising. Text leaving for terminals and spreadsheets is always safe."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from helpers.core.paths import RAW_DIR
from helpers.core.problems import Problem
from helpers.core.text_safety import (
    FORMULA_TRIGGERS,
    one_line,
    spreadsheet_safe,
    terminal_safe,
)
from helpers.ingest.catalog import load_catalog
from helpers.ingest.long_returns import read_long_return
from helpers.ingest.normalize import (
    NotADate,
    NotANumber,
    as_count,
    date_in_text,
    parse_date,
    parse_number,
)
from helpers.ingest.wide_tables import read_wide_workbook
from helpers.ingest.workbook_guard import scan_workbook

CATALOG = load_catalog(RAW_DIR)
DISTRICTS = [d.name for d in CATALOG.districts]
INDICATORS = [i.code for i in CATALOG.indicators] + [i.name_zh for i in CATALOG.indicators]
READER_SETTINGS = settings(max_examples=60, deadline=None,
                           suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that matter: digits of every script, separators, signs, units,
# full-width forms, controls and surrogates.
tricky_text = st.text(alphabet=st.one_of(
    st.sampled_from(list("0123456789,.+- \u3000\t\n１２３，．＋－张个人元%e年月日/:")),
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0, max_codepoint=0x3000),
), max_size=60)
cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    tricky_text, st.dates(), st.datetimes(), st.decimals(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2), st.binary(max_size=8),
)


# --- normalisers ------------------------------------------------------------------------------

@given(cell_values)
@settings(max_examples=500, deadline=None)
def test_parse_number_raises_only_not_a_number(value):
    try:
        number = parse_number(value)
    except NotANumber:
        return
    assert number is None or isinstance(number, Decimal)
    if number is not None:
        try:
            count = as_count(number)
        except NotANumber:
            return
        assert isinstance(count, int) and count >= 0


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_every_grouping_of_a_whole_number(number):
    grouped = f"{number:,}"
    for text in (str(number), grouped, grouped.replace(",", "，"), grouped.replace(",", " "),
                 str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        assert parse_number(text) == number, text


@given(st.integers(min_value=1000, max_value=10**9), st.data())
def test_parse_number_refuses_misplaced_separators(number, data):
    digits = str(number)
    cut = data.draw(st.integers(min_value=1, max_value=len(digits) - 1))
    text = digits[:cut] + "," + digits[cut:]
    if cut <= 3 and len(digits) - cut == 3:
        assert parse_number(text) == number  # a correct single thousands separator
    else:
        with pytest.raises(NotANumber):
            parse_number(text)


@given(st.one_of(tricky_text, cell_values))
@settings(max_examples=500, deadline=None)
def test_parse_date_raises_only_not_a_date(value):
    try:
        date = parse_date(value)
    except NotADate:
        return
    assert isinstance(date, dt.date)


@given(st.one_of(tricky_text, cell_values))
@settings(max_examples=300, deadline=None)
def test_date_in_text_never_raises(value):
    assert date_in_text(value) is None or isinstance(date_in_text(value), dt.date)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_parse_date_reads_every_written_form_of_a_date(date):
    for text in (date.isoformat(), f"{date.year}年{date.month}月{date.day}日",
                 f"{date.year}/{date.month}/{date.day}",
                 date.isoformat().translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        assert parse_date(text) == date, text


@given(st.one_of(tricky_text, st.text(alphabet="&<>;amp lgt\"'\u517b")))
@settings(max_examples=300, deadline=None)
def test_xml_text_escapes_as_the_standard_library_does(text):
    """The export processes escape XML text with html.escape(quote=False), which writes what
    xml.sax.saxutils.escape writes (the bytes of report.xlsx and report.docx) without
    importing urllib.request as that module does."""
    from html import escape as html_escape
    from xml.sax.saxutils import escape

    assert html_escape(text, quote=False) == escape(text)


# --- readers ------------------------------------------------------------------------------------

def _only_problems(problems) -> None:
    assert all(isinstance(p, Problem) for p in problems)


csv_fields = st.one_of(st.sampled_from(DISTRICTS + INDICATORS + ["2018-06-30", "2018-13-45",
                                                                  "1,750", "-3", "", '"']),
                       tricky_text)


@given(st.lists(st.lists(csv_fields, max_size=6), max_size=12),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
@READER_SETTINGS
def test_csv_reader_returns_problems_never_raises(rows, encoding):
    import csv

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["district", "indicator", "as_of", "value"])
    writer.writerows(rows)
    data = text.getvalue().encode(encoding, "replace")
    records, problems = read_long_return(data, "2018/progress/p.csv", CATALOG, 2018)
    _only_problems(problems)
    for district, _code, _stage, as_of, value, source in records:
        assert district in DISTRICTS and isinstance(value, int) and as_of.year == 2018
        assert source.startswith("2018/progress/p.csv:")


@given(st.binary(max_size=2000))
@READER_SETTINGS
def test_csv_reader_on_any_bytes(data):
    _, problems = read_long_return(data, "2018/progress/p.csv", CATALOG, 2018)
    _only_problems(problems)


def _workbook(rows, sheet_title) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str) and not value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


workbook_cells = st.one_of(
    st.none(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(DISTRICTS + INDICATORS + ["合计", "注：", "县（市、区）", "=1+1", "=A1",
                                              "截至2018年6月30日", "1,750", "１２３"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
            max_size=20),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
)


@given(st.lists(st.lists(workbook_cells, max_size=7), max_size=10),
       st.sampled_from(["进度", "分解表", "Sheet"]), st.booleans())
@READER_SETTINGS
def test_workbook_reader_returns_problems_never_raises(rows, title, blank_is_error):
    data = _workbook(rows, title)
    table = read_wide_workbook(data, "2018/progress/w.xlsx", CATALOG,
                               blank_is_error=blank_is_error)
    _only_problems(table.problems)
    for value in table.values:
        assert value.district in DISTRICTS and isinstance(value.value, int)


VALID = _workbook([["截至2018年6月30日"], ["县（市、区）", "新增机构床位"], ["鹿城区", 5]], "进度")


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(VALID) - 1),
                          st.integers(min_value=0, max_value=255)), min_size=1, max_size=8))
@READER_SETTINGS
def test_workbook_reader_on_damaged_bytes(flips):
    data = bytearray(VALID)
    for position, byte in flips:
        data[position] = byte
    table = read_wide_workbook(bytes(data), "2018/progress/w.xlsx", CATALOG,
                               blank_is_error=False)
    _only_problems(table.problems)


xml_pieces = st.lists(st.sampled_from([
    "<row>", "</row>", '<row r="7">', '<row r="99999999999999999999">', "<c>", "</c>",
    '<c r="B2">', '<c r="XFD1048576">', '<c r="ZZZZ1">', '<c r="A0">', '<c t="str">', "<f>",
    "</f>", "<v>", "</v>", "<v/>", "1", "x", "<is><t>a</t></is>", '<mergeCell ref="A1:B2"/>',
    '<mergeCell ref="A1:XFD9"/>', '<mergeCell ref=":"/>', '<hyperlink ref="A1:C3"/>', "&amp;",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "<![CDATA[z]]>",
]), max_size=40)


@given(xml_pieces)
@READER_SETTINGS
def test_workbook_guard_on_any_sheet_xml(pieces):
    body = "".join(pieces).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            payload = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                payload = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'
                           b'.org/spreadsheetml/2006/main"><sheetData>' + body +
                           b"</sheetData></worksheet>")
            target.writestr(item.filename, payload)
    scan = scan_workbook(buffer.getvalue(), "w.xlsx")
    _only_problems(scan.problems)
    table = read_wide_workbook(buffer.getvalue(), "w.xlsx", CATALOG, blank_is_error=False)
    _only_problems(table.problems)


# --- text leaving the pipeline --------------------------------------------------------------

@given(st.text())
def test_one_line_leaves_no_control_character(text):
    import unicodedata

    shown = one_line(text)
    assert "\n" not in shown and "\x1b" not in shown
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in shown)
    shown.encode("utf-8")  # printable on any UTF-8 terminal
    assert terminal_safe(text).count("\n") == text.count("\n")


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none()))
def test_spreadsheet_safe_never_starts_with_a_trigger(value):
    safe = spreadsheet_safe(value)
    if isinstance(value, str):
        assert not safe.startswith(FORMULA_TRIGGERS)
        assert safe in (value, "'" + value)
    else:
        assert safe is value
