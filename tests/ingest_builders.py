"""Builders shared by the ingest tests: raw folders in tmp_path, tiny workbooks, long CSVs, and
the published 2018 breakdown table typed in by hand from seed 001 (the independent expectation).

A plain module (imported by the tests), not a conftest.
"""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from pathlib import Path

from openpyxl import Workbook, load_workbook

from helpers.core.paths import PROJECT_ROOT, RAW_DIR

YEAR = 2018
CATALOG_SRC = RAW_DIR / "catalog"
SEED_ALLOCATION = RAW_DIR / "2018" / "allocation.xlsx"
# The source documents live in shared/, beside the checkout (as in CI); tests skip without them.
SEED_TEXT = PROJECT_ROOT.parent / "shared" / "seeds" / "001_3ff2d91c1a2285de.txt"

# The 15 indicator codes in the order of the breakdown table's columns C..Q.
SEED_CODES = [
    "new_township_care_centers",
    "new_institution_beds",
    "public_nursing_homes_started",
    "smart_electricity_installs",
    "fire_remote_monitoring",
    "care_stations_socially_run",
    "public_homes_privately_run",
    "onsite_medical_units",
    "institution_medical_partnerships",
    "station_medical_partnerships",
    "subsidy_recipients",
    "meal_service_stations",
    "caregivers_trained",
    "leading_nurse_studios",
    "social_work_studios",
]
SEED_COLUMNS = "CDEFGHIJKLMNOPQ"

# Seed 001, annex 2018年温州市社会养老服务体系建设重点任务分解表, typed in by hand; the district
# rows are rows 5..16 of data/raw/2018/allocation.xlsx in this order.
SEED_TABLE: dict[str, list[int]] = {
    "鹿城区": [5, 1750, 1, 14, 7, 25, 0, 2, 10, 39, 4540, 110, 560, 1, 1],
    "龙湾区": [3, 600, 0, 1, 1, 15, 0, 1, 5, 3, 1130, 55, 140, 1, 1],
    "瓯海区": [3, 200, 1, 18, 8, 25, 2, 2, 3, 22, 2395, 115, 295, 1, 1],
    "洞头区": [2, 50, 0, 8, 1, 20, 1, 0, 2, 19, 755, 45, 95, 1, 1],
    "乐清市": [5, 2450, 1, 26, 10, 65, 2, 0, 36, 185, 5935, 390, 740, 1, 1],
    "瑞安市": [5, 2400, 1, 47, 3, 55, 5, 2, 22, 164, 6215, 365, 770, 1, 1],
    "永嘉县": [4, 1760, 0, 35, 7, 55, 3, 0, 21, 84, 4595, 355, 570, 1, 1],
    "文成县": [4, 1250, 0, 6, 2, 35, 2, 0, 4, 87, 2075, 170, 255, 1, 1],
    "平阳县": [4, 1600, 1, 30, 6, 40, 2, 0, 17, 106, 4490, 235, 560, 1, 1],
    "泰顺县": [3, 760, 0, 6, 2, 30, 1, 1, 2, 49, 1735, 125, 215, 1, 1],
    "苍南县": [5, 1800, 1, 45, 10, 45, 5, 2, 33, 143, 5965, 315, 740, 1, 1],
    "经开区": [2, 380, 1, 0, 0, 2, 0, 0, 0, 9, 460, 20, 60, 0, 0],
}
SEED_TOTAL = [45, 15000, 7, 236, 57, 412, 23, 10, 155, 910, 40290, 2300, 5000, 11, 11]
SEED_DISTRICTS = list(SEED_TABLE)


def seed_target(district: str, code: str) -> int:
    return SEED_TABLE[district][SEED_CODES.index(code)]


def seed_source(district: str, code: str) -> str:
    """Where the figure sits in the bundled workbook: 2018/allocation.xlsx!分解表!D5."""
    row = 5 + SEED_DISTRICTS.index(district)
    col = SEED_COLUMNS[SEED_CODES.index(code)]
    return f"2018/allocation.xlsx!分解表!{col}{row}"


# Headers as the breakdown table prints them (with units).
HEADERS = {
    "new_institution_beds": "新增机构床位（张）",
    "subsidy_recipients": "2018年享受养老服务补贴总人数（人）",
    "caregivers_trained": "养老服务人员培训数（人）",
    "meal_service_stations": "具备助餐、配送餐服务的照料中心数（个）",
    "smart_electricity_installs": "“智慧用电”安装数（个）",
}
NAMES_ZH = {
    "new_institution_beds": "新增机构床位",
    "subsidy_recipients": "享受养老服务补贴总人数",
    "caregivers_trained": "养老服务人员培训数",
    "meal_service_stations": "具备助餐、配送餐服务的照料中心数",
}

# A small allocation for cross-file tests: 3 districts x 2 indicators.
SMALL_CODES = ["new_institution_beds", "subsidy_recipients"]
SMALL_TARGETS = {
    "鹿城区": [100, 50],
    "龙湾区": [60, 30],
    "洞头区": [40, 20],
}


def build_workbook(path: Path, rows, *, merges=(), title: str = "Sheet",
                   extra_sheets=()) -> Path:
    """A workbook whose first sheet holds `rows` from row 1 (None = empty cell).

    `extra_sheets` are (title, rows) added before the first one, to test sheet choice.
    """
    wb = Workbook()
    first = wb.active
    for index, (name, sheet_rows) in enumerate(extra_sheets):
        ws = wb.create_sheet(name, index)
        _fill(ws, sheet_rows)
    first.title = title
    _fill(first, rows)
    for merged in merges:
        first.merge_cells(merged)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _fill(ws, rows) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)


def small_allocation_rows(total: bool = True) -> list[list]:
    rows = [
        ["2018年任务分解表"],
        ["序号", "县（市、区）", *(HEADERS[c] for c in SMALL_CODES)],
        [],
    ]
    for n, (district, values) in enumerate(SMALL_TARGETS.items(), start=1):
        rows.append([n, district, *values])
    if total:
        rows.append(["合 计", None, *(sum(v[i] for v in SMALL_TARGETS.values())
                                     for i in range(len(SMALL_CODES)))])
    return rows


def make_raw(tmp_path: Path, allocation: str | None = "small", year: int = YEAR) -> Path:
    """A raw folder: the real catalogue, 2018's plan (for 2018), an allocation ('seed', 'small'
    or None) and an empty progress folder."""
    raw = Path(tmp_path) / "raw"
    shutil.copytree(CATALOG_SRC, raw / "catalog")
    (raw / str(year) / "progress").mkdir(parents=True)
    if year == 2018:
        shutil.copytree(RAW_DIR / "2018" / "plan", raw / "2018" / "plan")
        if allocation == "small":  # the plan of what the small table allocates (and 一键通)
            keep = (*SMALL_CODES, "one_touch_service")
            path = raw / "2018" / "plan" / "milestones.csv"
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(lines[:1] + [line for line in lines[1:]
                                                 if line.split(",")[0] in keep]),
                            encoding="utf-8")
            targets = raw / "2018" / "plan" / "plan_targets.csv"
            with targets.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                fields, rows = reader.fieldnames, [r for r in reader if r["indicator"] in keep]
            with targets.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    if allocation == "seed":
        shutil.copy(SEED_ALLOCATION, raw / str(year) / "allocation.xlsx")
    elif allocation == "small":
        build_workbook(raw / str(year) / "allocation.xlsx", small_allocation_rows(),
                       merges=["A7:B7"], title="分解表")
    return raw


def progress_dir(raw: Path, year: int = YEAR) -> Path:
    return Path(raw) / str(year) / "progress"


def write_long_csv(path: Path, rows, *, encoding: str = "utf-8",
                   header=("district", "indicator", "as_of", "value")) -> Path:
    """A long return: one line per (district, indicator, as_of, value)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def full_return(as_of: str, values: dict[str, list[int]] | None = None) -> list[tuple]:
    """Long-return lines for the small allocation's districts and indicators."""
    values = values if values is not None else {d: [1, 1] for d in SMALL_TARGETS}
    return [(district, code, as_of, figures[i])
            for district, figures in values.items() for i, code in enumerate(SMALL_CODES)]


def wide_return_rows(as_of_title: str | None, values: dict[str, list[int]],
                     codes=SMALL_CODES) -> list[list]:
    rows = [[as_of_title or "进度表"], ["县（市、区）", *(HEADERS[c] for c in codes)]]
    rows += [[district, *figures] for district, figures in values.items()]
    return rows


# --- an independent reader for the generated demo returns (not helpers' own parser) ---------

_DEMO_ALIASES = {"浙南产业集聚区": "经开区"}


def plain_number(value) -> int:
    """1,234 / １２３４ / 1234.0 / 1234 -> 1234, by the simplest route."""
    if isinstance(value, int | float):
        return int(value)
    text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
    return int(float(text))


def _plain_header(value) -> str:
    text = str(value).replace("\n", "").replace(" ", "")
    for unit in ("（个）", "（张）", "（人）", "（项）", "（期）"):
        text = text.removesuffix(unit)
    return text


def read_demo_wide(path: Path) -> dict[tuple[str, str], int]:
    """{(district, Chinese indicator name): value} of a generated wide return (header row 4,
    district names in column B from row 5)."""
    ws = load_workbook(path, data_only=True).active
    headers = {c: _plain_header(ws.cell(4, c).value) for c in range(3, ws.max_column + 1)}
    values = {}
    for r in range(5, ws.max_row + 1):
        name = ws.cell(r, 2).value
        if not isinstance(name, str) or not name.strip() or "合" in name:
            continue
        district = _DEMO_ALIASES.get(name.strip(), name.strip())
        for c, header in headers.items():
            value = ws.cell(r, c).value
            if value is not None:
                values[(district, header)] = plain_number(value)
    return values


def read_demo_long(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
