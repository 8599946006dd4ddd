"""Deterministic demo progress returns for a year (no district series was ever published).

Shaped like real returns: mostly rising, a few districts late, some over-achieving, one return
missing, one cumulative figure that dips once; month-ends alternate between wide workbooks
(messy, as offices send them) and long CSV files. Run `python -m helpers demo --year 2018`.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from helpers.atomic_io import write_bytes_atomic
from helpers.catalog import Catalog
from helpers.errors import InputRejected
from helpers.ingest import DEMO_MARKER, ingest_year
from helpers.milestones import milestone_share
from helpers.reproducible_xlsx import workbook_bytes

SEED = 20180630
# Month-ends sent as wide workbooks; the others arrive as long CSV.
WIDE_MONTHS = (3, 6, 9, 12, 5, 10)
LATE = {"泰顺县": 0.55, "文成县": 0.72}          # share of the schedule they manage
OVER = {"乐清市": 1.22, "瑞安市": 1.12, "鹿城区": 1.08}  # final completion
MISSING_RETURN = ("洞头区", 4)                   # no return for 30 April
DIP = ("龙湾区", "new_institution_beds", 5)      # May figure corrected downwards


@dataclass(frozen=True)
class DemoFile:
    """One generated return: its name and bytes."""

    name: str
    data: bytes


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def demo_series(targets: dict[tuple[str, str], int], catalog: Catalog,
                year: int) -> dict[tuple[str, str, int], int]:
    """Cumulative value per (district, indicator, month), before any return is dropped."""
    rng = random.Random(SEED)
    series = {}
    for (district, code), target in sorted(targets.items()):
        pace = LATE.get(district, 1.0)
        final = OVER.get(district, rng.uniform(0.93, 1.04)) if district not in LATE else pace
        delay = rng.choice((0, 0, 1, 2))  # months before the first figure appears
        previous = 0
        for month in range(1, 13):
            due = milestone_share(catalog.milestones_for(code, year), month_end(year, month))
            # Districts follow the schedule with noise; a late district lags it throughout.
            shape = max(0.0, min(1.0, due * rng.uniform(0.85, 1.12))) if month > delay else 0.0
            value = round(target * final * shape)
            previous = max(previous, value)
            series[(district, code, month)] = previous
        series[(district, code, 12)] = max(previous, round(target * final))
    district, code, month = DIP
    if (district, code, month) in series:
        series[(district, code, month)] = max(0, series[(district, code, month - 1)] - 20)
    return series


def _fullwidth(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _wide_return(series, catalog: Catalog, year: int, month: int, districts) -> bytes:
    """A wide return as offices send it: title with the date, notes, merged header over two
    rows, 序号 column, shuffled columns, numbers as text here and there, 合计 row, footnote."""
    rng = random.Random(SEED + month)
    codes = [i.code for i in catalog.indicators]
    rng.shuffle(codes)
    date = month_end(year, month)
    wb = Workbook()
    ws = wb.active
    ws.title = "进度"
    last_col = 2 + len(codes)
    ws.cell(1, 1, f"{year}年社会养老服务体系建设重点任务完成情况（截至{date.year}年{date.month}月"
                  f"{date.day}日）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(2, 1, "填报单位：各县（市、区）民政局　　单位：个、张、人（累计数）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.cell(3, 1, "序 号")
    ws.cell(3, 2, "县（市、区）")
    ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    ws.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)
    ws.cell(3, 3, "累计完成情况")
    ws.merge_cells(start_row=3, start_column=3, end_row=3, end_column=last_col)
    for offset, code in enumerate(codes):
        ind = catalog.indicator(code)
        # Headers arrive with line breaks, spaces and the unit suffix.
        name = ind.name_zh
        header = f"{name[: len(name) // 2]}\n{name[len(name) // 2:]}（{ind.unit}）"
        ws.cell(4, 3 + offset, header).alignment = Alignment(wrap_text=True)
    row = 5
    totals = dict.fromkeys(codes, 0)
    for number, district in enumerate(districts, start=1):
        shown = {"经开区": "浙南产业集聚区", "瓯海区": " 瓯海区 "}.get(district, district)
        ws.cell(row, 1, number)
        ws.cell(row, 2, shown)
        for offset, code in enumerate(codes):
            value = series.get((district, code, month))
            if value is None:
                continue
            totals[code] += value
            style = rng.random()
            if style < 0.08:
                cell_value: object = f"{value:,}"           # text with thousands separator
            elif style < 0.12:
                cell_value = _fullwidth(value)               # full-width digits
            elif style < 0.2:
                cell_value = f"{value}.0"                    # 2450.0 typed as text
            else:
                cell_value = value
            ws.cell(row, 3 + offset, cell_value)
        row += 1
    row += 1  # a blank row before the total, as in the seed table
    ws.cell(row, 1, "合 计")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    for offset, code in enumerate(codes):
        ws.cell(row, 3 + offset, totals[code]).font = Font(bold=True)
    ws.cell(row + 2, 1, "注：本表为演示数据，由 helpers.demo_progress 按固定种子生成，非真实填报。")
    return workbook_bytes(wb, dt.datetime(date.year, date.month, date.day))


def _long_return(series, catalog: Catalog, year: int, month: int, districts) -> bytes:
    """A long return: district,indicator,as_of,value; indicators by code or by Chinese name."""
    date = month_end(year, month).isoformat()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["district", "indicator", "as_of", "value"])
    use_names = month % 2 == 0
    for district in districts:
        for ind in catalog.indicators:
            value = series.get((district, ind.code, month))
            if value is not None:
                writer.writerow([district, ind.name_zh if use_names else ind.code, date, value])
    return out.getvalue().encode("utf-8")


def generate(raw_dir: Path, year: int) -> list[DemoFile]:
    """The demo returns for `year`, from the allocation table in `raw_dir` (nothing written)."""
    result = ingest_year(raw_dir, year)
    allocation_errors = [p for p in result.errors if p.file.endswith("allocation.xlsx")]
    if allocation_errors:
        raise InputRejected(allocation_errors)
    catalog = result.catalog
    targets = {(r.district, r.indicator): int(r.target) for r in result.allocation.itertuples()}
    series = demo_series(targets, catalog, year)
    districts = [d.name for d in catalog.districts
                 if d.name in set(result.allocation["district"])]
    files = []
    for month in range(1, 13):
        present = [d for d in districts if (d, month) != MISSING_RETURN]
        name = month_end(year, month).isoformat()
        if month in WIDE_MONTHS:
            files.append(DemoFile(f"{name}.xlsx",
                                  _wide_return(series, catalog, year, month, present)))
        else:
            files.append(DemoFile(f"{name}.csv",
                                  _long_return(series, catalog, year, month, present)))
    marker = {
        "generator": "helpers.demo_progress",
        "seed": SEED,
        "note": "Generated demo returns, not real district data.",
        "files": {f.name: hashlib.sha256(f.data).hexdigest() for f in files},
    }
    files.append(DemoFile(DEMO_MARKER, (json.dumps(marker, ensure_ascii=False, indent=2,
                                              sort_keys=True) + "\n").encode("utf-8")))
    return files


def write_demo(raw_dir: Path, year: int) -> list[Path]:
    """Generate and write the demo returns into raw/<year>/progress/."""
    target = Path(raw_dir) / str(year) / "progress"
    paths = []
    for demo_file in generate(raw_dir, year):
        write_bytes_atomic(target / demo_file.name, demo_file.data)
        paths.append(target / demo_file.name)
    return paths

