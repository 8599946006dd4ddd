"""Deterministic demo progress returns for a year (no district series was ever published).

Shaped like real returns: mostly rising, a few districts late, some over-achieving, one return
missing, one cumulative figure that dips once. The centres report their stages (选址, 启动装修)
beside the number built, the "一键通" task reports each stage as done (1) or not (0), subsidy
recipients are a level that starts near last year's, and the figures that share indicators
divide (护理型床位 / 机构床位总数, ...) are reported as levels too. Month-ends alternate between
wide workbooks (messy, as offices send them) and long CSV files. Run
`python -m helpers demo --year 2018`.
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

from helpers.core.atomic_io import write_bytes_atomic
from helpers.core.errors import InputRejected
from helpers.core.reproducible_files import workbook_bytes
from helpers.ingest.catalog import Catalog, Milestone, load_catalog
from helpers.ingest.returns import DEMO_MARKER, ingest_year
from helpers.metrics.milestones import milestone_share

SEED = 20180630
# Month-ends sent as wide workbooks; the others arrive as long CSV.
WIDE_MONTHS = (3, 6, 9, 12, 5, 10)
LATE = {"泰顺县": 0.55, "文成县": 0.72}          # share of the schedule they manage
OVER = {"乐清市": 1.22, "瑞安市": 1.12, "鹿城区": 1.08}  # final completion
MISSING_RETURN = ("洞头区", 4)                   # no return for 30 April
DIP = ("龙湾区", "new_institution_beds", 5)      # May figure corrected downwards
# Share measures: (numerator, its share of the denominator in January and in December).
SHARE_NUMERATORS = {
    "institution_beds_total": ("nursing_type_beds", (0.40, 0.50), (0.47, 0.58)),
    "care_institutions_total": ("institutions_with_medical_care", (0.62, 0.75), (0.74, 0.90)),
    "care_stations_total": ("stations_with_medical_care", (0.45, 0.55), (0.55, 0.70)),
    "public_homes_total": ("public_homes_socially_run", (0.30, 0.45), (0.42, 0.60)),
}

# key: (district, indicator, stage, month) -> cumulative or level figure at the month end
Series = dict[tuple[str, str, str, int], int]


@dataclass(frozen=True)
class DemoFile:
    """One generated return: its name and bytes."""

    name: str
    data: bytes


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _ramp(year: int, start: dt.date, end: dt.date, month: int) -> float:
    """0 until `start`, 1 from `end`, linear between, at the end of `month`."""
    path = [Milestone("", start, 0.0), Milestone("", end, 1.0)]
    return milestone_share(path, month_end(year, month)) if month_end(year, month) > start \
        else 0.0


def _own_due(catalog: Catalog, code: str, year: int, month: int) -> float:
    """The share of an indicator's own figure a district aims at by a month end: its schedule,
    time progress, or for a staged indicator a ramp from its last stage to its deadline."""
    if catalog.is_staged(code, year):
        stages = [m.date for m in catalog.checkpoints_for(code, year) if m.stage]
        return _ramp(year, max(stages), catalog.deadline(code, year), month)
    return milestone_share(catalog.milestones_for(code, year), month_end(year, month))


def _flow(rng: random.Random, target: int, district: str, due_of) -> list[int]:
    """A rising cumulative series over the 12 month ends."""
    pace = LATE.get(district, 1.0)
    final = OVER.get(district, rng.uniform(0.93, 1.04)) if district not in LATE else pace
    delay = rng.choice((0, 0, 1, 2))  # months before the first figure appears
    values, previous = [], 0
    for month in range(1, 13):
        shape = max(0.0, min(1.0, due_of(month) * rng.uniform(0.85, 1.12))) if month > delay \
            else 0.0
        previous = max(previous, round(target * final * shape))
        values.append(previous)
    values[-1] = max(values[-1], round(target * final))
    return values


def _level(rng: random.Random, base: int, start: tuple[float, float],
           end: tuple[float, float]) -> list[int]:
    """A level that moves from a share of `base` in January to another in December, never
    down (a dip is a warning in the returns, and the demo has exactly one)."""
    first = rng.uniform(*start)
    last = max(first, rng.uniform(*end))
    return [round(base * (first + (last - first) * (month - 1) / 11)) for month in range(1, 13)]


def demo_series(targets: dict[tuple[str, str], int], catalog: Catalog, year: int) -> Series:
    """Every figure per (district, indicator, stage, month), before any return is dropped."""
    rng = random.Random(SEED)
    series: Series = {}
    districts = [d.name for d in catalog.districts
                 if any(d.name == district for district, _ in targets)]
    for (district, code), target in sorted(targets.items()):
        ind = catalog.indicator(code)
        if ind.kind == "stock":
            end = (0.93, 0.97) if district in LATE else (0.99, 1.05)
            values = _level(rng, target, (0.90, 0.98), end)
            for month, value in enumerate(values, start=1):
                series[(district, code, "", month)] = value
            continue
        own = _flow(rng, target, district, lambda m, code=code: _own_due(catalog, code, year, m))
        for month, value in enumerate(own, start=1):
            series[(district, code, "", month)] = value
        for checkpoint in catalog.checkpoints_for(code, year):
            if not checkpoint.stage:
                continue
            # A stage reaches every unit by its date (late districts lag), and never trails the
            # next step: a centre that is built has had its site chosen.
            begin = dt.date(year, 1, 1) - dt.timedelta(days=1)
            stage = _flow(rng, target, district,
                          lambda m, c=checkpoint, b=begin: _ramp(year, b, c.date, m))
            for month, value in enumerate(stage, start=1):
                series[(district, code, checkpoint.stage, month)] = max(value, own[month - 1])
    for ind in catalog.tracked:
        if ind.kind != "task":
            continue
        for district in districts:
            for checkpoint in catalog.checkpoints_for(ind.code, year):
                lateness = rng.choice((0, 0, 0, 0, 1)) + (1 if district in LATE else 0)
                early = rng.choice((0, 0, 1))
                done_month = min(13, checkpoint.date.month + lateness - early)
                for month in range(1, 13):
                    series[(district, ind.code, checkpoint.stage, month)] = int(
                        month >= done_month)
    for district in districts:
        for denominator, total in _share_totals(rng, targets, district).items():
            numerator, start, end = SHARE_NUMERATORS[denominator]
            totals = _level(rng, total, (0.97, 1.0), (1.0, 1.05))
            shares = _level(rng, 1000, start, end)
            for month in range(1, 13):
                series[(district, denominator, "", month)] = totals[month - 1]
                series[(district, numerator, "", month)] = round(
                    totals[month - 1] * shares[month - 1] / 1000)
    series.update(_plan_series(targets, catalog, year, districts))
    district, code, month = DIP
    if (district, code, "", month) in series:
        series[(district, code, "", month)] = max(0, series[(district, code, "", month - 1)] - 20)
    return series


# The one-touch service reaches people from August (招投标 by 31 July), all by December; a
# district holds its 精英培训班 in one month of the year (文成县 none: the FY finds it short).
ONE_TOUCH_MONTHS = {8: 0.2, 9: 0.45, 10: 0.65, 11: 0.85, 12: 1.0}
NO_CLASS = ("文成县",)


def _plan_series(targets: dict[tuple[str, str], int], catalog: Catalog, year: int,
                 districts: list[str]) -> Series:
    """The figures of the plan's measures, from a random stream of their own (the other
    figures do not move when a plan measure is added)."""
    rng = random.Random(SEED + 1000)
    measures = set(catalog.plan_measures(year))
    series: Series = {}
    for district in districts:
        if "one_touch_persons_served" in measures:
            # about two thirds of the subsidy recipients' target (seed 003: 2.5万 in the city)
            reach = round(targets.get((district, "subsidy_recipients"), 500)
                          * rng.uniform(0.55, 0.75))
            for month in range(1, 13):
                series[(district, "one_touch_persons_served", "", month)] = round(
                    reach * ONE_TOUCH_MONTHS.get(month, 0.0))
        if "elite_training_classes" in measures:
            held = 0 if district in NO_CLASS else rng.choice((1, 1, 1, 2))
            first = rng.randint(3, 11)
            for month in range(1, 13):
                series[(district, "elite_training_classes", "", month)] = (
                    held if month >= first + 1 else min(held, 1) if month >= first else 0)
    return series


def _share_totals(rng: random.Random, targets: dict[tuple[str, str], int],
                  district: str) -> dict[str, int]:
    """The denominators of the shares in a district, consistent with one another: beds in
    care homes from its bed target, care homes from their beds, public homes a part of the
    homes, care stations more than those offering meals."""
    beds = round(targets.get((district, "new_institution_beds"), 0) * rng.uniform(2.5, 4.0)) + 60
    homes = max(3, round(beds / rng.uniform(70, 110)))
    public = max(1, round(homes * rng.uniform(0.35, 0.55)))
    stations = round(targets.get((district, "meal_service_stations"), 0)
                     / rng.uniform(0.5, 0.6)) + 5
    return {"institution_beds_total": beds, "care_institutions_total": homes,
            "public_homes_total": public, "care_stations_total": stations}


def reported_measures(catalog: Catalog, year: int) -> list[tuple[str, str]]:
    """The (indicator, stage) columns a demo return carries, in catalogue order (the plan's
    measures apart: `Catalog.plan_measures`)."""
    measures = []
    apart = set(catalog.plan_measures(year))
    for ind in catalog.indicators:
        if ind.code in apart:
            continue
        if ind.kind in ("count", "stock", "measure") and not _is_reference(catalog, ind.code):
            measures.append((ind.code, ""))
        measures += [(ind.code, m.stage) for m in catalog.checkpoints_for(ind.code, year)
                     if m.stage]
    return measures


def _is_reference(catalog: Catalog, code: str) -> bool:
    return any(f.measure == code for f in catalog.reference_figures)


def _header(catalog: Catalog, code: str, stage: str) -> str:
    ind = catalog.indicator(code)
    if stage:
        return f"{ind.name_zh}（{catalog.stage(code, stage).name_zh}）"
    return ind.name_zh


def _fullwidth(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _wide_return(series: Series, catalog: Catalog, year: int, month: int, districts) -> bytes:
    """A wide return as offices send it: title with the date, notes, merged header over two
    rows, 序号 column, shuffled columns, numbers as text here and there, 合计 row, footnote."""
    rng = random.Random(SEED + month)
    columns = reported_measures(catalog, year)
    rng.shuffle(columns)
    # the plan's measures come after, so that every earlier column keeps its letter
    apart = [(code, "") for code in catalog.plan_measures(year)]
    columns += apart
    plan_rng = random.Random(SEED + 1000 + month)  # their cells' styles: a stream of their own
    date = month_end(year, month)
    wb = Workbook()
    ws = wb.active
    ws.title = "进度"
    last_col = 2 + len(columns)
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
    for offset, (code, stage) in enumerate(columns):
        # Headers arrive with line breaks, spaces and the unit suffix.
        name = _header(catalog, code, stage)
        unit = catalog.indicator(code).unit
        header = f"{name[: len(name) // 2]}\n{name[len(name) // 2:]}（{unit}）"
        ws.cell(4, 3 + offset, header).alignment = Alignment(wrap_text=True)
    row = 5
    totals = dict.fromkeys(columns, 0)
    for number, district in enumerate(districts, start=1):
        shown = {"经开区": "浙南产业集聚区", "瓯海区": " 瓯海区 "}.get(district, district)
        ws.cell(row, 1, number)
        ws.cell(row, 2, shown)
        for offset, (code, stage) in enumerate(columns):
            value = series.get((district, code, stage, month))
            if value is None:
                continue
            totals[(code, stage)] += value
            style = (plan_rng if (code, stage) in apart else rng).random()
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
    for offset, column in enumerate(columns):
        ws.cell(row, 3 + offset, totals[column]).font = Font(bold=True)
    ws.cell(row + 2, 1, "注：本表为演示数据，由 helpers.demo_progress 按固定种子生成，非真实填报。")
    return workbook_bytes(wb, dt.datetime(date.year, date.month, date.day))


def _long_return(series: Series, catalog: Catalog, year: int, month: int, districts) -> bytes:
    """A long return: district,indicator,stage,as_of,value; indicators and stages by code or
    by Chinese name."""
    date = month_end(year, month).isoformat()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["district", "indicator", "stage", "as_of", "value"])
    use_names = month % 2 == 0
    # the plan's measures after every other line, so that every earlier line keeps its number
    for columns in (reported_measures(catalog, year),
                    [(code, "") for code in catalog.plan_measures(year)]):
        for district in districts:
            for code, stage in columns:
                value = series.get((district, code, stage, month))
                if value is None:
                    continue
                ind = catalog.indicator(code)
                stage_text = (catalog.stage(code, stage).name_zh if use_names else stage) \
                    if stage else ""
                writer.writerow([district, ind.name_zh if use_names else code, stage_text,
                                 date, value])
    return out.getvalue().encode("utf-8")


def generate(raw_dir: Path, year: int) -> list[DemoFile]:
    """The demo returns for `year`, from the allocation table in `raw_dir` (nothing written)."""
    result = ingest_year(raw_dir, year)
    allocation_errors = [p for p in result.errors if p.file.endswith("allocation.xlsx")]
    if allocation_errors:
        raise InputRejected(allocation_errors)
    # the year's catalogue, with the measures its plan targets follow even before a return
    # reports them (the year leaves out what no return reports)
    full = load_catalog(raw_dir, year=year)
    catalog = full.narrowed({i.code for i in result.catalog.indicators}
                            | set(full.plan_measures(year)))
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
        # the generator's name when the bundled returns were made: it is in their bytes
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

