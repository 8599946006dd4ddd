"""The return template sent to a district (or a supervision group): one sheet pre-filled with
its targets, the plan's requirements and its last reported figures, one unlocked input cell per
figure with Excel data validation, everything else locked, no formulas; and a veryHidden sheet
holding what was sent and its checksum (helpers.ingest.template_format), so that the filled
file is recognised and checked when it comes back (helpers.ingest.return_templates)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.core.reproducible_files import fixed_timestamp, workbook_bytes
from helpers.ingest.catalog import Catalog
from helpers.ingest.template_format import (
    CELL_HEADER,
    FIELD_ROW,
    FIGURE_COLUMNS,
    FIGURE_HEADER_ROW,
    FIRST_FIGURE_ROW,
    FORMAT_VERSION,
    HEADER_ROW,
    HIDDEN_SHEET,
    INPUT_COLUMN,
    TemplateFigure,
    cell_digest,
    template_checksum,
)
from helpers.metrics.template_figures import TemplateRow
from helpers.render.excel_cells import display_width
from helpers.words.labels import (
    district_label,
    fmt_date,
    fmt_month_day,
    fmt_share,
    indicator_label,
    label,
    sentence,
    stage_label,
    unit_label,
)

COLUMNS = ("col.number", "col.district", "col.indicator", "col.stage", "col.unit",
           "col.target", "template.col.due", "template.col.last", "template.col.last_date",
           "template.col.input")
WIDTHS = (6, 12, 44, 12, 6, 10, 26, 14, 14, 24)
LINE_HEIGHT = 15  # points per line of 11-point text

LAST_COLUMN = "J"
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # where to type: light yellow
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class TemplateUnit:
    """Who a template goes to: a district, or a supervision group and its districts."""

    kind: str  # "district" or "group"
    name: str
    group: str  # the supervision group (a group's own name)
    districts: tuple[str, ...]


def due_text(row: TemplateRow, lang: str = "zh") -> str:
    """The plan's requirements of a figure: 6月30日前完成100%；11月30日前完成100%; without a
    schedule, time progress for a count and the target level for a stock."""
    if row.due:
        return sentence("list_sep", lang).join(
            label("template.due_share", lang).format(date=fmt_month_day(date, lang),
                                                     share=fmt_share(share, lang))
            for date, share in row.due)
    if row.kind == "count":
        return label("template.time_progress", lang)
    if row.kind == "stock":
        return label("template.level", lang)
    return label("template.none", lang)


def template_workbook(unit: TemplateUnit, rows: list[TemplateRow], catalog: Catalog, year: int,
                      as_of: dt.date, lang: str = "zh") -> bytes:
    """The template of `unit` (its rows, in order) for the reporting date `as_of`, as .xlsx
    bytes: the same inputs give the same bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = label("template.sheet", lang)
    as_of_text = fmt_date(as_of, lang)
    unit_text = unit.name if unit.kind == "district" else (
        f"{unit.name}（{sentence('name_sep', lang).join(unit.districts)}）")
    ws["A1"] = label("template.title", lang).format(year=year,
                                                     subject=label("report.subject", lang))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = label("template.unit_line", lang).format(unit=unit_text, group=unit.group,
                                                         as_of=as_of_text)
    for top in (1, 2):
        ws.merge_cells(f"A{top}:{LAST_COLUMN}{top}")
    for number, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, number, label(key, lang).format(as_of=as_of_text))
        cell.font, cell.fill, cell.alignment, cell.border = (Font(bold=True), _HEADER_FILL,
                                                             _CENTRE, _BOX)
    for letter, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * _lines(
        [label(key, lang).format(as_of=as_of_text) for key in COLUMNS])

    figures: list[TemplateFigure] = []
    validations: dict[tuple[int, int, bool], DataValidation] = {}
    for number, row in enumerate(rows, start=1):
        r = FIRST_FIGURE_ROW + number - 1
        values = (number, district_label(row.district, lang, catalog),
                  indicator_label(row.indicator, lang, catalog),
                  stage_label(row.indicator, row.stage, lang, catalog) if row.stage
                  else label("template.own_figure", lang),
                  unit_label(row.unit, lang) or row.unit, row.target,
                  due_text(row, lang), row.last_value,
                  fmt_date(row.last_date, lang) if row.last_date else None)
        for column, value in enumerate(values, start=1):
            cell = ws.cell(r, column, value)
            cell.border, cell.alignment = _BOX, _WRAP
        # Excel and LibreOffice do not grow a row for wrapped text they did not type: say how
        # tall it is, or a long indicator name runs into the row below
        ws.row_dimensions[r].height = LINE_HEIGHT * _lines(values)
        cell = ws[f"{INPUT_COLUMN}{r}"]
        cell.protection = Protection(locked=False)
        cell.fill, cell.border, cell.number_format = _INPUT_FILL, _BOX, "0"
        cumulative = row.kind in ("count", "task") and row.minimum > 0
        key = (row.minimum, row.maximum, cumulative)
        if key not in validations:
            validations[key] = _validation(row.minimum, row.maximum, cumulative, as_of_text,
                                           lang)
        validations[key].add(cell.coordinate)
        figures.append(TemplateFigure(cell.coordinate, row.district, row.indicator, row.stage,
                                      row.last_value, row.last_date, row.minimum, row.maximum))
    for validation in validations.values():
        ws.add_data_validation(validation)

    r = FIRST_FIGURE_ROW + len(rows) + 1
    input_header = label("template.col.input", lang).format(as_of=as_of_text)
    notes = [sentence("template.instructions", lang),
             *(sentence(f"template.instruction.{n}", lang, input=input_header,
                        as_of=as_of_text, as_of_iso=as_of.isoformat()) for n in range(1, 6)),
             sentence("template.contact", lang)]
    for offset, text in enumerate(notes):
        ws.cell(r + offset, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(f"A{r + offset}:{LAST_COLUMN}{r + offset}")
        ws.row_dimensions[r + offset].height = 30
    ws.freeze_panes = f"A{FIRST_FIGURE_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Protection keeps a clerk from changing a target by mistake; it is not security (the
    # checksum, not a password, tells when a protected cell was changed).
    ws.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)

    inputs = {f.input_cell for f in figures}
    cells = [(cell.coordinate, cell.value) for line in ws.iter_rows() for cell in line
             if cell.value is not None and cell.coordinate not in inputs]
    header = {"template_format": FORMAT_VERSION, "year": str(year), "unit_kind": unit.kind,
              "unit": unit.name, "as_of": as_of.isoformat(), "sheet": ws.title}
    header["checksum"] = template_checksum(header, (f.fields() for f in figures), cells)
    _hidden_sheet(wb, header, figures, cells)
    return workbook_bytes(wb, fixed_timestamp(dt.datetime.combine(as_of, dt.time())))


def _lines(values) -> int:
    """How many lines the tallest cell of a row wraps to, its columns as wide as WIDTHS (a
    Chinese character takes about 1.6 widths of a digit, as Excel and LibreOffice set it)."""
    tallest = 1
    for value, width in zip(values, WIDTHS, strict=False):
        text = "" if value is None else str(value)
        wide = display_width(text) - len(text)  # characters Excel shows wide
        used = len(text) + 0.6 * wide
        tallest = max(tallest, math.ceil(used / width))
    return tallest


def _validation(minimum: int, maximum: int, cumulative: bool, as_of_text: str,
                lang: str) -> DataValidation:
    """Whole numbers from `minimum` to `maximum`, with its input and error messages."""
    error = "template.error_cumulative" if cumulative else "template.error"
    return DataValidation(
        type="whole", operator="between", formula1=str(minimum), formula2=str(maximum),
        allow_blank=True, showInputMessage=True, showErrorMessage=True, errorStyle="stop",
        promptTitle=sentence("template.prompt_title", lang),
        prompt=sentence("template.prompt", lang, as_of=as_of_text, minimum=minimum,
                        maximum=maximum),
        errorTitle=sentence("template.error_title", lang),
        error=sentence(error, lang, minimum=minimum, maximum=maximum))


def _hidden_sheet(wb: Workbook, header: dict[str, str], figures: list[TemplateFigure],
                  cells: list[tuple[str, object]]) -> None:
    """The veryHidden sheet: header fields, the figures, and a digest per protected cell."""
    hidden = wb.create_sheet(HIDDEN_SHEET)
    for name, row in FIELD_ROW.items():
        hidden.cell(row, 1, name)
        hidden.cell(row, 2, header[name])
    for column, name in enumerate(FIGURE_COLUMNS, start=1):
        hidden.cell(FIGURE_HEADER_ROW, column, name)
    for offset, figure in enumerate(figures, start=1):
        for column, value in enumerate(figure.fields(), start=1):
            hidden.cell(FIGURE_HEADER_ROW + offset, column, value)
    first = FIGURE_HEADER_ROW + len(figures) + 2
    hidden.cell(first, 1, CELL_HEADER[0])
    hidden.cell(first, 2, CELL_HEADER[1])
    for offset, (coordinate, value) in enumerate(cells, start=1):
        hidden.cell(first + offset, 1, coordinate)
        hidden.cell(first + offset, 2, cell_digest(coordinate, value))
    hidden.protection.sheet = True
    hidden.sheet_state = "veryHidden"
