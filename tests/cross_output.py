"""One fact, one account (issue 17): every district x indicator figure read back from every
published output, in a form that can be compared, and a second route to the targets and actuals
from the raw folder itself.

Each reader returns `Facts`: {(district, indicator code): {field: text}}, the text as a reader
sees it (15000, 97/216, 51.3%, 滞后, 4/11（并列）); a blank, None or "—" is "" (nothing shown).
The fields are FIELDS: 年度目标, 累计完成, 完成率, 应完成数, 差额, 状态, the rank's number, the
rank as printed (8/12（并列）, only where it is printed so) and 考核数 (judged_actual, only in
the data tables). An output that has no column for a field leaves it out, and is then not
compared on it. The data tables (the CSVs, the workbook's 明细数据 sheet) print nothing: their
row is put in the printed form by the rules the tables follow (restated here from
helpers.metrics.table_views, not imported: 累计完成 of a row with a stage, or of a task, is the
stage's count; a share's is numerator/denominator; 完成率 is rounded half up from the integers,
to one decimal, two for a share whose threshold is below 10%), so that they are compared too.

Nothing here imports the helpers package: the catalogue, the allocation table and the returns
are read with csv and openpyxl, the statuses' words are the README's vocabulary, the pages are
parsed with html.parser, the Word file with python-docx and the PDF's text with pypdf
(pdftotext is not installed on every machine that runs the tests)."""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import load_workbook

DASH = "—"
STAGE_NAMES: dict[str, str] = {}  # stage code -> its Chinese name (read_catalog fills it)
FIELDS = ("target", "figure", "completion", "due", "shortfall", "status", "rank", "rank_text",
          "judged")
# The one vocabulary (README, "One vocabulary"), code -> word, written out here on purpose:
# the CSVs carry the code, every other output the word.
STATUS_WORDS = {
    "over": "超额完成", "done": "已完成", "on_time": "按期完成", "late": "逾期完成",
    "on_track": "符合进度", "near": "基本符合进度", "met": "达标", "lagging": "滞后",
    "serious_lag": "严重滞后", "not_started": "未启动", "below": "未达标", "unmet": "未完成",
    "overdue": "逾期未完成", "not_due": "未到期", "no_target": "无目标", "no_data": "无数据"}
# What the lagging lists hold (README, "One vocabulary").
LAGGING_WORDS = frozenset({"滞后", "严重滞后", "未启动", "未达标", "未完成", "逾期未完成"})
REPORT_DATES = {"Q1": (3, 31), "H1": (6, 30), "Q3": (9, 30), "FY": (12, 31)}

# the printed column headers and the field each one is
HEADERS = {"年度目标": "target", "累计完成": "figure", "完成率": "completion",
           "应完成数": "due", "差额": "shortfall", "状态": "status", "排名": "rank"}

Key = tuple[str, str]
Facts = dict[Key, dict[str, str]]


# --- text and numbers --------------------------------------------------------------------------

def squeeze(text: object) -> str:
    """NFKC (full-width digits and brackets to half-width) without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def shown(value: object) -> str:
    """A cell as text: "" for nothing shown (None, blank, —)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", " ", str(value)).strip()
    return "" if text in ("", DASH, "-", "nan", "None") else text


def whole(text: object) -> str:
    """A count written as text in a data table (7439, 7439.0) as the tables print it."""
    text = shown(text)
    if not text:
        return ""
    number = Decimal(text.replace(",", ""))
    assert number == number.to_integral_value(), text
    return str(int(number))


def percent_half_up(ratio: Fraction, decimals: int) -> str:
    """51.25% -> 51.3%: rounded half up, as a Chinese reader rounds (四舍五入)."""
    scaled = ratio * 100 * 10 ** decimals
    rounded = int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
    text = f"{abs(rounded) // 10 ** decimals}"
    if decimals:
        text += "." + f"{abs(rounded) % 10 ** decimals:0{decimals}d}"
    return ("-" if rounded < 0 else "") + text + "%"


def excel_percent(value: object, number_format: str) -> str:
    """What Excel shows for a fraction under a percent format (0.0%, 0.00%): the value to 15
    significant digits, then rounded half away from zero; anything else as it is stored."""
    if value is None or value == "":
        return ""
    match = re.fullmatch(r"0(?:\.(0+))?%", number_format or "")
    if not isinstance(value, int | float) or not match:
        return f"{value}!{number_format}"  # not shown as a percentage: never equal
    decimals = len(match.group(1) or "")
    stored = Decimal(format(float(value), ".15g")) * 100
    return f"{stored.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)}%"


def rank_number(text: str) -> str:
    """8/12, 4/11（并列）, 8 -> 8; — -> ""."""
    text = squeeze(text)
    match = re.match(r"(\d+)", text)
    return match.group(1) if match and text not in ("", DASH) else ""


def printed_row(cells: dict[str, object]) -> dict[str, str]:
    """The fields of a printed row (page, PDF, Word, a workbook's district sheet), by header."""
    out = {}
    for header, name in HEADERS.items():
        if header in cells:
            out[name] = shown(cells[header])
    if "rank" in out:
        out["rank_text"] = squeeze(out["rank"])  # 4/11（并列）, as NFKC reads it: 4/11(并列)
        out["rank"] = rank_number(out["rank"])
    return out


# --- the catalogue ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    short: str
    unit: str
    kind: str
    numerator: str
    denominator: str
    threshold: Fraction | None


@dataclass
class Catalog:
    indicators: dict[str, Indicator]
    districts: list[str]
    aliases: dict[str, str]  # squeezed name or alias -> district
    stages: dict[str, dict[str, str]]  # indicator -> squeezed stage code/name/alias -> code
    reference: dict[tuple[int, str, str], int]  # (year, measure, district) -> value
    by_name: dict[str, str] = field(default_factory=dict)  # squeezed name_zh -> code

    def __post_init__(self) -> None:
        self.by_name = {squeeze(i.name): i.code for i in self.indicators.values()}
        # the compact tables of a long report print the short names (新增镇街养老服务中心)
        for indicator in self.indicators.values():
            self.by_name.setdefault(squeeze(indicator.short), indicator.code)

    def code_of(self, printed_name: str) -> str:
        return self.by_name[squeeze(printed_name)]

    def district_of(self, text: object) -> str | None:
        return self.aliases.get(squeeze(text)) if text is not None else None

    def digits(self, code: str) -> int:
        """Decimals of a printed 完成率: two for a share whose threshold is below 10%."""
        indicator = self.indicators[code]
        small = indicator.kind == "share" and indicator.threshold is not None
        return 2 if small and indicator.threshold < Fraction(1, 10) else 1


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_catalog(raw: Path) -> Catalog:
    indicators = {}
    for row in _csv_rows(raw / "catalog" / "indicators.csv"):
        threshold = Fraction(row["threshold"]) if row.get("threshold") else None
        indicators[row["code"]] = Indicator(row["code"], row["name_zh"],
                                            row.get("short_zh") or row["name_zh"], row["unit"],
                                            row["kind"], row.get("numerator", ""),
                                            row.get("denominator", ""), threshold)
    districts, aliases = [], {}
    for row in sorted(_csv_rows(raw / "catalog" / "districts.csv"), key=lambda r: int(r["order"])):
        districts.append(row["name"])
        for name in [row["name"], *filter(None, row.get("aliases", "").split("|"))]:
            aliases[squeeze(name)] = row["name"]
    stages: dict[str, dict[str, str]] = {}
    for row in _csv_rows(raw / "catalog" / "stages.csv"):
        STAGE_NAMES[row["stage"]] = row["name_zh"]
        names = [row["stage"], row["name_zh"], *filter(None, row.get("aliases", "").split("|"))]
        for name in names:
            stages.setdefault(row["indicator"], {})[squeeze(name)] = row["stage"]
    reference = {}
    for path in sorted(raw.glob("*/plan/reference_figures.csv")):  # each year's plan
        for row in _csv_rows(path):
            district = aliases.get(squeeze(row["district"]), row["district"])
            year = int(row.get("year") or path.parent.parent.name)
            reference[(year, row["measure"], district)] = int(whole(row["value"]))
    return Catalog(indicators, districts, aliases, stages, reference)


# --- the second route: allocation table and returns, read directly ------------------------------

UNIT_SUFFIX = re.compile(r"\((?:个|张|人|项)\)$")


def _header_key(catalog: Catalog, text: object) -> tuple[str, str] | None:
    """A breakdown-table or return header as (indicator code, stage code or "")."""
    if text is None:
        return None
    name = re.sub(r"^\d{4}年", "", UNIT_SUFFIX.sub("", squeeze(text)))
    if name in catalog.by_name:
        return catalog.by_name[name], ""
    match = re.fullmatch(r"(.*)\(([^()]+)\)", name)
    if match and match.group(1) in catalog.by_name:
        code = catalog.by_name[match.group(1)]
        stage = catalog.stages.get(code, {}).get(match.group(2))
        if stage:
            return code, stage
    return None


def _raw_count(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        assert float(value).is_integer(), value
        return int(value)
    text = squeeze(value).replace(",", "")
    if not text:
        return None
    number = Decimal(text)
    assert number == number.to_integral_value(), value
    return int(number)


def _wide_table(path: Path, catalog: Catalog) -> dict[tuple[str, str, str], int]:
    """A wide workbook (allocation or return): {(district, code, stage): value}. The district
    column is the one headed 县（市、区）; the indicator headers are in that row or the two
    below it (a return's 累计完成情况 over its columns)."""
    ws = load_workbook(path, data_only=True, read_only=True).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(n for n, r in enumerate(rows)
               if any(v is not None and squeeze(v) == "县(市、区)" for v in r))
    district_col = next(c for c, v in enumerate(rows[top])
                        if v is not None and squeeze(v) == "县(市、区)")
    columns: dict[int, tuple[str, str]] = {}
    last_header = top
    for n in range(top, min(top + 3, len(rows))):
        for c, value in enumerate(rows[n]):
            key = _header_key(catalog, value)
            if key and c != district_col:
                columns[c] = key
                last_header = n
    out = {}
    for row in rows[last_header + 1:]:
        district = catalog.district_of(row[district_col]) if district_col < len(row) else None
        if district is None:
            continue
        for c, (code, stage) in columns.items():
            value = _raw_count(row[c]) if c < len(row) else None
            if value is not None:
                out[(district, code, stage)] = value
    return out


def _date_of(path: Path, text: str | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(path.stem)
    except ValueError:
        match = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", squeeze(text or ""))
        assert match, f"no reporting date for {path}"
        return dt.date(*map(int, match.groups()))


def _parse_day(text: str) -> dt.date:
    text = squeeze(text)
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    return dt.date(*map(int, match.groups())) if match else dt.date.fromisoformat(text)


def _long_return(path: Path, catalog: Catalog) -> Iterable[tuple[str, str, str, dt.date, int]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    for row in csv.DictReader(text.splitlines()):
        district = catalog.district_of(row["district"])
        indicator = row["indicator"].strip()
        code = indicator if indicator in catalog.indicators else catalog.code_of(indicator)
        stage_text = squeeze(row.get("stage") or "")
        stage = catalog.stages[code][stage_text] if stage_text else ""
        value = _raw_count(row["value"])
        if district and value is not None:
            yield district, code, stage, _parse_day(row["as_of"]), value


@dataclass
class RawRoute:
    """Targets and cumulative figures read straight from data/raw/<year>/."""

    targets: dict[Key, int]
    series: dict[tuple[str, str, str], list[tuple[dt.date, int]]]
    reference: dict[tuple[int, str, str], int]
    year: int

    def latest(self, district: str, code: str, stage: str, on: dt.date
               ) -> tuple[dt.date, int] | None:
        """The latest return dated on or before `on` (cumulative figures)."""
        dated = [item for item in self.series.get((district, code, stage), []) if item[0] <= on]
        return max(dated) if dated else None


def read_raw(raw: Path, year: int, catalog: Catalog) -> RawRoute:
    allocation = _wide_table(raw / str(year) / "allocation.xlsx", catalog)
    targets = {(d, code): v for (d, code, stage), v in allocation.items() if not stage}
    series: dict[tuple[str, str, str], list[tuple[dt.date, int]]] = {}
    for path in sorted((raw / str(year) / "progress").iterdir()):
        if path.suffix.lower() == ".xlsx":
            ws = load_workbook(path, read_only=True).worksheets[0]
            title = next(ws.iter_rows(max_row=1, values_only=True))[0]
            day = _date_of(path, title)
            for (d, code, stage), value in _wide_table(path, catalog).items():
                series.setdefault((d, code, stage), []).append((day, value))
        elif path.suffix.lower() == ".csv":
            for d, code, stage, day, value in _long_return(path, catalog):
                series.setdefault((d, code, stage), []).append((day, value))
    return RawRoute(targets, series, catalog.reference, year)


def raw_expectations(route: RawRoute, catalog: Catalog, csv_rows: list[dict[str, str]],
                     period: str) -> list[tuple[Key, str, str, str]]:
    """Every (key, column, CSV value, raw value) where the city CSV and the raw route differ:
    target, actual, denominator, as_of and, for a row judged on a stage or a task, the stage's
    count (judged_actual)."""
    on = dt.date(route.year, *REPORT_DATES[period])
    differences = []
    for row in csv_rows:
        key = (row["district"], row["indicator"])
        indicator = catalog.indicators[row["indicator"]]
        expected: dict[str, str] = {}
        if indicator.kind in ("count", "stock"):
            expected["target"] = str(route.targets.get(key, ""))
            own = route.latest(*key, "", on)
            expected["actual"] = str(own[1]) if own else ""
            expected["as_of"] = own[0].isoformat() if own else ""
            if not row["stage"]:
                expected["judged_actual"] = expected["actual"] if row["status"] != "no_target" \
                    else ""
        elif indicator.kind == "share":
            numerator = route.latest(key[0], indicator.numerator, "", on)
            expected["target"] = ""
            expected["actual"] = str(numerator[1]) if numerator else ""
            expected["as_of"] = numerator[0].isoformat() if numerator else ""
            denominator = route.latest(key[0], indicator.denominator, "", on)
            value = denominator[1] if denominator else route.reference.get(
                (route.year, indicator.denominator, key[0]))
            expected["denominator"] = "" if value is None else str(value)
            expected["judged_actual"] = expected["actual"]
        elif indicator.kind == "task":
            expected["target"] = expected["actual"] = ""
        if row["stage"]:
            stage = route.latest(*key, row["stage"], on)
            expected["judged_actual"] = str(stage[1]) if stage else ""
        for column, value in expected.items():
            mine = row[column] if column == "as_of" else whole(row[column])
            if mine != value:
                differences.append((key, column, mine, value))
    return differences


# --- data tables: the city CSV, the brief CSV, the workbook's 明细数据 ----------------------------

def staged_figure(stages_done: str, built: str, kind: str) -> str:
    """An indicator with stages prints its stages and its build: site=42;renovation=38 with 0
    built is 选址42、启动装修38、建成0 (a task: its stages alone)."""
    parts = [f"{STAGE_NAMES[code]}{count}" for code, count in
             (part.split("=", 1) for part in stages_done.split(";") if part)]
    if kind != "task":
        parts.append(f"建成{built or 0}")
    return "、".join(parts)


def data_row_facts(catalog: Catalog, code: str, row: dict[str, object]) -> dict[str, str]:
    """A data-table row (CSV column names, status as a code or a word) as the tables print it:
    an indicator with stages prints its stages and build (完成率: of the units built); a task's
    figure is its stage's count (judged_actual), a share's numerator/denominator; 完成率
    rounded half up from the figures themselves."""
    indicator = catalog.indicators[code]
    target, actual = whole(row.get("target")), whole(row.get("actual"))
    judged = whole(row.get("judged_actual"))
    denominator = whole(row.get("denominator"))
    figure = judged if indicator.kind == "task" else actual
    stages = shown(row.get("stages_done"))
    if stages:
        figure = staged_figure(stages, actual, indicator.kind)
        ratio = (Fraction(int(actual or 0), int(target)) if indicator.kind != "task" and target
                 and int(target) else None)
    elif indicator.kind == "share":
        figure = f"{actual}/{denominator}" if actual and denominator else ""
        ratio = Fraction(int(actual), int(denominator)) if figure and int(denominator) else None
    else:
        ratio = Fraction(int(figure), int(target)) if figure and target and int(target) else None
    status = shown(row.get("status"))
    out = {"target": target, "figure": figure,
           "completion": percent_half_up(ratio, catalog.digits(code)) if ratio is not None
           else "",
           "due": whole(row.get("due_units")), "shortfall": whole(row.get("shortfall")),
           "status": STATUS_WORDS.get(status, status), "judged": judged}
    if "rank" in row:  # the briefs' CSV has no rank column
        out["rank"] = whole(row["rank"])
    return out


def csv_facts(path: Path, catalog: Catalog, district_column: str = "district"
              ) -> tuple[Facts, list[dict[str, str]]]:
    rows = _csv_rows(path)
    facts = {}
    for row in rows:
        key = (row[district_column], row["indicator"])
        assert key not in facts, f"{path.name}: {key} twice"
        facts[key] = data_row_facts(catalog, row["indicator"], row)
    return facts, rows


DATA_SHEET_COLUMNS = {"县（市、区）": "district", "指标代码": "indicator", "年度目标": "target",
                      "累计完成": "actual", "分母": "denominator", "节点": "stage",
                      "应完成数": "due_units", "考核数": "judged_actual", "差额": "shortfall",
                      "状态": "status", "排名": "rank", "各阶段完成数": "stages_done"}


def xlsx_data_facts(path: Path, catalog: Catalog) -> Facts:
    """The workbook's tidy data sheet (明细数据), read like the CSV."""
    ws = load_workbook(path, read_only=True)["明细数据"]
    facts: Facts = {}
    header: list[str] | None = None
    for values in ws.iter_rows(values_only=True):
        if header is None:
            if values and "指标代码" in values:
                header = [shown(v) for v in values]
            continue
        cells = dict(zip(header, values, strict=False))
        if not cells.get("指标代码"):
            continue
        row = {DATA_SHEET_COLUMNS[h]: v for h, v in cells.items() if h in DATA_SHEET_COLUMNS}
        facts[(shown(row["district"]), shown(row["indicator"]))] = data_row_facts(
            catalog, shown(row["indicator"]), row)
    return facts


# --- the page (and the briefs' pages) -----------------------------------------------------------

class _Tables(html.parser.HTMLParser):
    """Every <table id=...> as rows of cell texts (end tags may be left out, as the compact
    tables of a long report do), the text of every heading, summary or paragraph with an id,
    and the <summary> text before each element with an id (a folded district's name)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.texts: dict[str, str] = {}
        self.summary_before: dict[str, str] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._open: list[tuple[str, str, list[str]]] = []  # (tag, id, text) with an id
        self._summary: list[str] | None = None
        self._last_summary = ""

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
        self._cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None and self._table:
            self.tables[self._table].append(self._row)
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id")
        if tag == "table":
            self._close_row()
            self._table = ident
            if ident:
                self.tables[ident] = []
        elif tag == "tr" and self._table:
            self._close_row()
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._close_cell()
            self._cell = []
        elif tag == "summary":
            self._summary = []
        if ident:
            self.summary_before[ident] = self._last_summary
            if tag in ("h2", "h3", "h4", "p", "summary"):
                self._open.append((tag, ident, []))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._close_cell()
        elif tag in ("tr", "tbody", "thead"):
            self._close_row()
        elif tag == "table":
            self._close_row()
            self._table = None
        elif tag == "summary" and self._summary is not None:
            self._last_summary = shown("".join(self._summary))
            self._summary = None
        if self._open and self._open[-1][0] == tag:
            _, ident, text = self._open.pop()
            self.texts[ident] = shown("".join(text))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._summary is not None:
            self._summary.append(data)
        for _, _, text in self._open:
            text.append(data)


def html_tables(path: Path) -> _Tables:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def table_facts(rows: list[list[str]], catalog: Catalog, district: str | None = None) -> Facts:
    """A printed table (header row first) by district and indicator: a district column
    (县（市、区）) or the one district of the table."""
    header, *body = rows
    facts: Facts = {}
    for cells in body:
        named = dict(zip(header, cells, strict=False))
        place = catalog.district_of(named["县（市、区）"]) if district is None else district
        key = (place, catalog.code_of(named["指标"]))
        assert key not in facts, f"{key} twice in one table"
        facts[key] = printed_row(named)
    return facts


def city_html_facts(path: Path, catalog: Catalog) -> tuple[Facts, Facts, list[Key], bool]:
    """The page's district tables (八、各县（市、区）完成情况, table-district-NN under the
    heading district-NN) and its lagging lists by supervision group (lagging-group-N); with
    the order of the district tables' rows (what the PDF prints, in that order) and whether
    the lagging lists are whole."""
    page = html_tables(path)
    districts: Facts = {}
    order: list[Key] = []
    for ident, rows in page.tables.items():
        match = re.fullmatch(r"table-(district-\d+)", ident)
        if match:
            # <h3 id="district-04">洞头区</h3>, or folded beyond 60 districts:
            # <details><summary>合成0001区：综合排名 15/100…</summary><div id="district-01">
            heading = page.texts.get(match.group(1)) or page.summary_before.get(
                match.group(1), "").split("：")[0]
            district = catalog.district_of(heading)
            assert district, f"heading {match.group(1)}: {heading}"
            facts = table_facts(rows, catalog, district)
            order += list(facts)
            districts.update(facts)
    lagging: Facts = {}
    for ident, rows in page.tables.items():
        if re.fullmatch(r"lagging-group-\d+", ident):
            lagging.update(table_facts(rows, catalog))
    # Beyond some size the lists hold only each indicator's largest shortfalls, and say so
    # (以下每个督查组至多列出42项): then they hold some of the lagging rows, not all.
    complete = "至多列出" not in page.texts.get("lagging-note", "")
    return districts, lagging, order, complete


def brief_html_facts(path: Path, catalog: Catalog, district: str) -> tuple[Facts, list[Key]]:
    """A district brief's indicator table (二、分项指标完成情况: the page's first table with
    a 单位 column and a 排名 column)."""
    page = html_tables(path)
    rows = next(r for r in page.tables.values()
                if r and "单位" in r[0] and "排名" in r[0] and "指标" in r[0])
    facts = table_facts(rows, catalog, district)
    return facts, list(facts)


def summary_html(path: Path, catalog: Catalog) -> dict[str, dict[str, str]]:
    """The city's summary (summary-table: 年度目标, 累计完成) and shares (shares-table: 分子,
    分母), by indicator code: target and figure (numerator/denominator for a share)."""
    page = html_tables(path)
    out = {}
    header, *body = page.tables["summary-table"]
    for cells in body:
        named = dict(zip(header, cells, strict=False))
        out[catalog.code_of(named["指标"])] = {"target": shown(named["年度目标"]),
                                               "figure": shown(named["累计完成"])}
    header, *body = page.tables["shares-table"]
    for cells in body:
        named = dict(zip(header, cells, strict=False))
        out[catalog.code_of(named["指标"])] = {
            "target": "", "figure": f"{shown(named['分子'])}/{shown(named['分母'])}"}
    return out


# --- workbooks ---------------------------------------------------------------------------------

def _sheet_table(ws, first: str = "指标") -> tuple[list[str], list[list[object]],
                                                   list[list[str]]]:
    """The table of a sheet whose header row starts with `first`: header, values, and each
    cell's number format (rows until the first one with nothing in column A)."""
    header: list[str] | None = None
    values, formats = [], []
    for row in ws.iter_rows():
        cells = [c.value for c in row]
        if header is None:
            if cells and shown(cells[0]) == first and "状态" in cells:
                header = [shown(v) for v in cells]
            continue
        if not cells or cells[0] is None:
            break
        values.append(cells)
        formats.append([getattr(c, "number_format", "General") for c in row])
    assert header is not None, f"sheet {ws.title}: no table headed {first}"
    return header, values, formats


def _xlsx_row(header, cells, formats) -> dict[str, str]:
    named = dict(zip(header, cells, strict=False))
    number_format = dict(zip(header, formats, strict=False))
    out = printed_row({h: v for h, v in named.items() if h != "完成率"})
    del out["rank_text"]  # a number in a workbook, never 8/12
    out["completion"] = excel_percent(named.get("完成率"), number_format.get("完成率", ""))
    if named.get("分母") not in (None, ""):
        out["figure"] = f"{shown(named['累计完成'])}/{shown(named['分母'])}"
    return out


def xlsx_district_facts(path: Path, catalog: Catalog, districts: Iterable[str]) -> Facts:
    """The workbook's district sheets (one per district, up to 60): the table under the
    district's name and rank. Beyond 60 districts there are none (明细数据 has them all)."""
    wb = load_workbook(path)
    facts: Facts = {}
    for district in districts:
        if district not in wb.sheetnames:
            continue
        ws = wb[district]
        named_as = next((shown(r[1]) for r in ws.iter_rows(max_row=6, values_only=True)
                         if shown(r[0]) == "县（市、区）"), None)
        assert catalog.district_of(named_as) == district, (ws.title, named_as)
        header, values, formats = _sheet_table(ws)
        for cells, cell_formats in zip(values, formats, strict=True):
            facts[(district, catalog.code_of(cells[0]))] = _xlsx_row(header, cells,
                                                                     cell_formats)
    return facts


def xlsx_summary(path: Path, catalog: Catalog) -> dict[str, dict[str, str]]:
    """The workbook's 汇总 (target, 累计完成) and 占比指标's city rows (分子/分母)."""
    wb = load_workbook(path, read_only=True)
    out = {}
    header, values, _ = _sheet_table(wb["汇总"])
    for cells in values:
        named = dict(zip(header, cells, strict=False))
        out[catalog.code_of(named["指标"])] = {"target": shown(named["年度目标"]),
                                               "figure": shown(named["累计完成"])}
    header, values, _ = _sheet_table(wb["占比指标"], first="县（市、区）")
    for cells in values:
        named = dict(zip(header, cells, strict=False))
        if shown(named["县（市、区）"]) in ("全市", "合计"):
            out[catalog.code_of(named["指标"])] = {
                "target": "", "figure": f"{shown(named['分子'])}/{shown(named['分母'])}"}
    return out


# --- the Word document -------------------------------------------------------------------------

def docx_facts(path: Path, catalog: Catalog) -> dict[str, Facts]:
    """report.docx has no table per district. Its district x indicator tables are the lagging
    items (滞后事项: 督查组, 县（市、区）, 指标, ...), source "docx", and at year end the items
    carried over (县（市、区）, 指标, 单位, 年度目标, 累计完成, 尚差, 完成率, 状态), source
    "docx-carryover" (compared on what it shows; which rows it holds is not checked). Merged
    group and district cells read as the merged cell's text in every row they cover."""
    import docx

    document = docx.Document(str(path))
    found: dict[str, Facts] = {}
    for table in document.tables:
        header = [c.text.strip() for c in table.rows[0].cells]
        if not {"县（市、区）", "指标", "累计完成", "状态"} <= set(header):
            continue
        rows = [header] + [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
        source = "docx" if "督查组" in header else "docx-carryover"
        assert source not in found, f"two tables read as {source}"
        found[source] = table_facts(rows, catalog)
    return found


# --- the PDFs ---------------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


_NUM = r"\d[\d,]*"
# stages and build, wrapped anywhere in a narrow cell: 选址42、启动装修38、建成0
_STAGE_PART = r"[\u4e00-\u9fff][\u4e00-\u9fff\s]*\d[\d\s]*"
_STAGED = rf"{_STAGE_PART}(?:、\s*{_STAGE_PART})+"


def _spaced(word: str) -> str:
    return r"\s*".join(map(re.escape, word))


_STATUS = "|".join(_spaced(w) for w in sorted(STATUS_WORDS.values(), key=len, reverse=True))
# ... due  shortfall  status  rank: the end of a district table's row, whatever the 进度要求
# before it (49.6%, 12月31日前完成 or 不低于50%, wrapped over several lines)
_TAIL = re.compile(rf"(?<![\d.,/%\w])({DASH}|{_NUM})\s+({DASH}|{_NUM})\s+({_STATUS})\s+"
                   rf"({DASH}|\d+\s*/\s*\d+(?:\s*（\s*并\s*列\s*）)?)")


def _head(units: Iterable[str]) -> re.Pattern:
    """unit  target  figure  完成率: the start of a row's figures, after its (wrapped) name."""
    unit = "|".join(map(re.escape, sorted(set(units))))
    return re.compile(rf"(?<!\S)({unit})\s+({DASH}|{_NUM})\s+({_STAGED}|{DASH}|"
                      rf"{_NUM}(?:\s*/\s*{_NUM})?)\s+({DASH}|\d+(?:\.\d+)?%)")


# ... due  shortfall  status: the end of a row of the 附件 of items behind (no rank; the open
# ledger items may follow)
_LAGGING_TAIL = re.compile(rf"(?<![\d.,/%\w])({DASH}|{_NUM})\s+({DASH}|{_NUM})\s+({_STATUS})"
                           rf"(?![\u4e00-\u9fff])")


_LAGGING_HEAD = re.compile(rf"(?<!\S)({DASH}|{_NUM})\s+({_STAGED}|{DASH}|"
                           rf"{_NUM}(?:\s*/\s*{_NUM})?)\s+({DASH}|\d+(?:\.\d+)?%)")


def pdf_rows(text: str, start: int, end: int, expected: list[Key], catalog: Catalog,
             ranked: bool = True) -> tuple[Facts, list[Key]]:
    """The rows of one printed district table between `start` and `end`, in the page's order
    (`expected`). A row is found by its figures: unit, target, figure and 完成率 right after the
    indicator's name (checked: the text since the previous row ends with the name, page breaks
    and repeated headers in between), then due, shortfall, status and rank after its
    进度要求, which is not read (free text that wraps unpredictably). Returns the rows found and
    the keys that could not be located (reported, never skipped)."""
    # the 附件 of items behind has no unit column: its rows start at the target
    head = _head(i.unit for i in catalog.indicators.values()) if ranked else _LAGGING_HEAD
    facts: Facts = {}
    missing: list[Key] = []
    position = start
    for key in expected:
        indicator = catalog.indicators[key[1]]
        names = (squeeze(indicator.name), squeeze(indicator.short))
        found = None
        for match in head.finditer(text, position, end):
            before = squeeze(text[position:match.start()])
            if before.endswith(names):
                found = match
                break
        if found is None:
            missing.append(key)
            continue
        tail = (_TAIL if ranked else _LAGGING_TAIL).search(text, found.end(), end)
        if tail is None:
            missing.append(key)
            continue
        *_unit, target, figure, completion = found.groups()
        due, shortfall, status, *rank = tail.groups()
        printed = {"年度目标": target, "累计完成": squeeze(figure), "完成率": completion,
                   "应完成数": due, "差额": shortfall, "状态": squeeze(status)}
        if rank:
            printed["排名"] = squeeze(rank[0])
        facts[key] = printed_row(printed)
        position = tail.end()
    return facts, missing


def lagging_pdf_facts(path: Path, catalog: Catalog, order: list[Key]
                      ) -> tuple[Facts, list[Key]]:
    """report.pdf has no table per district (the page's own appendix is not printed): its
    district x indicator rows are the 附件 of items behind, read row by row in the page's
    order (`order`: the keys of its lagging tables), from the 附件's number and title to the
    next 附件."""
    text = pdf_text(path)
    title = re.search(r"附件(\d+)\s*\n\s*(?:滞后|未完成)事项清单（按督查组）", text)
    if title is None:
        return {}, list(order)
    following = re.search(rf"(?m)^\s*附件{int(title.group(1)) + 1}\s*$", text[title.end():])
    end = title.end() + following.start() if following else len(text)
    return pdf_rows(text, title.end(), end, order, catalog, ranked=False)


def brief_pdf_facts(path: Path, catalog: Catalog, order: list[Key]) -> tuple[Facts, list[Key]]:
    """A brief's PDF: its indicator table, found row by row from the first mention of 分项指标
    完成情况 (the table's heading) in the brief's order."""
    text = pdf_text(path)
    start = text.find("分项指标完成情况")
    return pdf_rows(text, max(start, 0), len(text), order, catalog)


# --- the briefs --------------------------------------------------------------------------------

def brief_units(folder: Path) -> list[tuple[str, str]]:
    """(district, file stem) of every brief, from the briefs' manifest."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [(u["name"], u["file"]) for u in manifest["briefs"]["units"]]


# --- comparing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Disagreement:
    district: str
    indicator: str
    field: str
    values: dict[str, str]

    def line(self) -> str:
        shown_values = "  ".join(f"{source}={value or '∅'}"
                                 for source, value in self.values.items())
        return f"{self.district} | {self.indicator} | {self.field} | {shown_values}"


def disagreements(sources: dict[str, Facts]) -> list[Disagreement]:
    """Every district x indicator x field on which the outputs that show it differ."""
    keys = sorted({k for facts in sources.values() for k in facts})
    found = []
    for key in keys:
        for name in FIELDS:
            values = {source: facts[key][name] for source, facts in sources.items()
                      if key in facts and name in facts[key]}
            if len(set(values.values())) > 1:
                found.append(Disagreement(*key, name, values))
    return found


def coverage(sources: dict[str, Facts], every: set[Key], lagging: set[Key],
             lagging_only: Iterable[str], partial: Iterable[str] = (),
             unchecked: Iterable[str] = ()) -> list[str]:
    """Rows an output should show and does not (or shows and should not): the full tables
    every district x indicator, the lagging lists exactly the rows whose status is lagging
    (some of them only for the `partial` ones, lists that say they are cut short); the
    `unchecked` ones are compared on their values only."""
    problems = []
    lagging_only, partial, unchecked = set(lagging_only), set(partial), set(unchecked)
    for source, facts in sources.items():
        if source in unchecked:
            continue
        wanted = lagging if source in lagging_only else every
        for key in sorted(wanted - set(facts) if source not in partial else ()):
            problems.append(f"{key[0]} | {key[1]} | row | missing from {source}")
        for key in sorted(set(facts) - wanted):
            problems.append(f"{key[0]} | {key[1]} | row | unexpected in {source}")
    return problems


# --- the ranking (通报排名) ----------------------------------------------------------------------

# the ranking table's headers and the field each one is (README, "Ranking")
RANKING_HEADERS = {"排名": "rank", "县（市、区）": "district", "到期事项": "due_items",
                   "符合进度事项": "on_track_items", "符合进度比例": "on_track_share",
                   "应完成数平均完成度（单项封顶100%）": "mean_completion",
                   "滞后事项": "lagging", "严重滞后事项": "serious_lag",
                   "未启动事项": "not_started",
                   "逾期未完成事项": "overdue", "未完成事项": "unmet", "逾期完成事项": "late",
                   "未达标事项": "below"}
GOOD_CODES = frozenset({"over", "done", "on_time", "on_track", "near", "met"})
NOT_JUDGED_CODES = frozenset({"not_due", "no_target", "no_data"})
BEHIND_CODES = ("lagging", "serious_lag", "not_started", "overdue", "unmet", "late", "below")


def html_ranking(path: Path) -> dict[str, dict[str, str]]:
    """report.html's ranking table by district: each field as printed ("" for —)."""
    rows = html_tables(path).tables.get("ranking-table", [])
    assert rows, f"{path}: no ranking table"
    header = rows[0]
    out = {}
    for cells in rows[1:]:
        named = {RANKING_HEADERS[h]: shown(c) for h, c in zip(header, cells, strict=False)
                 if h in RANKING_HEADERS}
        named["tied"] = "并列" in named["rank"]  # 32（并列）
        named["rank"] = rank_number(named["rank"])
        out[named.pop("district")] = named
    return out


def xlsx_ranking(path: Path) -> dict[str, dict[str, str]]:
    """report.xlsx's 通报排名 sheet by district, each cell as Excel shows it."""
    ws = load_workbook(path)["通报排名"]
    header: list[str] | None = None
    out = {}
    for row in ws.iter_rows():
        cells = [c.value for c in row]
        if header is None:
            if cells and shown(cells[0]) == "排名":
                header = [shown(v) for v in cells]
            continue
        if not any(v is not None for v in cells):
            break
        named = {}
        for h, cell in zip(header, row, strict=False):
            if h == "并列":
                named["tied"] = bool(shown(cell.value))
            if h not in RANKING_HEADERS:
                continue
            named[RANKING_HEADERS[h]] = (excel_percent(cell.value, cell.number_format)
                                         if RANKING_HEADERS[h] in ("on_track_share",
                                                                   "mean_completion")
                                         else shown(cell.value))
        out[named.pop("district")] = named
    assert header is not None, f"{path}: no ranking sheet table"
    return out


def ranking_by_second_route(csv_rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """The ranking recomputed from tables/district_indicator.csv's statuses and units, with
    fractions (README, "Ranking"): the items due are those judged; the share on track; the mean
    over them of units done ÷ units due, each capped at 1 (nothing due and on track: 1); both
    compared as printed (one decimal, half up); the rank is 1 + the districts strictly ahead."""
    items: dict[str, list[dict[str, str]]] = {}
    for row in csv_rows:
        items.setdefault(row["district"], []).append(row)
    out = {}
    keys = {}
    for district, rows in items.items():
        due = [r for r in rows if r["status"] not in NOT_JUDGED_CODES]
        fields = {"due_items": str(len(due)),
                  "on_track_items": str(sum(r["status"] in GOOD_CODES for r in due))}
        for code in BEHIND_CODES:
            fields[code] = str(sum(r["status"] == code for r in due))
        parts = []
        for r in due:
            units = whole(r["due_units"])
            if not units or units == "0":
                if r["status"] in GOOD_CODES:
                    parts.append(Fraction(1))
                continue
            done = whole(r["judged_actual"]) or "0"
            parts.append(min(Fraction(1), Fraction(int(done), int(units))))
        share = percent_half_up(Fraction(sum(r["status"] in GOOD_CODES for r in due), len(due)),
                                1) if due else ""
        mean = percent_half_up(sum(parts, Fraction(0)) / len(parts), 1) if parts else ""
        fields.update(on_track_share=share, mean_completion=mean)
        out[district] = fields
        keys[district] = (Decimal(share.rstrip("%")) if share else Decimal(-1),
                          Decimal(mean.rstrip("%")) if mean else Decimal(-1))
    for district, fields in out.items():
        ahead = sum(other > keys[district] for other in keys.values())
        ranked = fields["due_items"] != "0"
        fields["rank"] = str(1 + ahead) if ranked else ""
        fields["tied"] = ranked and sum(other == keys[district] for other in keys.values()) > 1
    return out


def brief_ranks(folder: Path) -> dict[str, str]:
    """Each district brief's workbook: the rank its district sheet prints (综合排名 5/12 -> 5)."""
    out = {}
    for district, stem in brief_units(folder):
        ws = load_workbook(folder / f"{stem}.xlsx", read_only=True)[district]
        for row in ws.iter_rows(max_row=8, values_only=True):
            if row and shown(row[0]) == "综合排名":
                out[district] = rank_number(shown(row[1]))
    return out
