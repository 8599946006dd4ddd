"""Synthetic inputs for scale benchmarks: a raw folder in the input contract with N districts,
M allocated indicators and R returns a year, generated deterministically (fixed seed).

The catalogue is the bundled one with its districts replaced (合成0001区 ..., seven supervision
groups) and, beyond the bundled 15 allocated indicators, extra counted indicators judged on
time progress. Targets follow the bundled allocation's district rows in turn, scaled; the
returns are helpers.demo.progress's series (rising, some late, levels and shares), as long CSV
files: monthly at R = 12, else R evenly spaced dates (52: weekly), interpolated between month
ends. Marked as demo data like the bundled returns. Not a place for real data.

    .venv/bin/python -m helpers.demo.synthetic OUT_RAW_DIR --districts 3000 --indicators 15 \\
        --returns 12
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from helpers.core.atomic_io import write_bytes_atomic
from helpers.core.paths import RAW_DIR
from helpers.core.reproducible_files import workbook_bytes
from helpers.demo.progress import demo_series, reported_measures
from helpers.ingest.catalog import load_catalog
from helpers.ingest.returns import DEMO_MARKER, ingest_year

logger = logging.getLogger(__name__)

SEED = 20181231
# The generator named in the files it writes (their bytes have always carried this name).
GENERATOR = "helpers.synthetic_inputs"
GROUPS = ("第一组", "第二组", "第三组", "第四组", "第五组", "第六组", "第七组")
EXTRA_PREFIX = "synthetic_count_"  # the codes of indicators beyond the bundled ones


@dataclass(frozen=True)
class SyntheticInputs:
    """What was generated: where, and its size."""

    raw_dir: Path
    year: int
    districts: int
    indicators: int  # allocated indicators (columns of the breakdown table)
    returns: int
    figures: int  # rows of all the returns together


def district_name(number: int) -> str:
    """合成0001区: unmistakably not a real place."""
    return f"合成{number:04d}区"


def return_dates(year: int, count: int) -> list[dt.date]:
    """`count` reporting dates through the year: the month ends for 12, else evenly spaced
    ending on 31 December (52: every 7 days)."""
    if count == 12:
        return [dt.date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    end = dt.date(year, 12, 31)
    step = 7 if count == 52 else 365 / count
    return sorted({end - dt.timedelta(days=round(step * k)) for k in range(count)})


def write_synthetic(raw_dir: Path, districts: int, indicators: int = 15, returns: int = 12,
                    year: int = 2018) -> SyntheticInputs:
    """Write a complete raw folder (catalog/, <year>/plan/, <year>/allocation.xlsx,
    <year>/progress/) into `raw_dir`, replacing what the generator wrote there before. The plan
    is the bundled 2018's (another year has none: time progress throughout)."""
    raw_dir = Path(raw_dir)
    rng = random.Random(SEED + districts * 1000 + indicators)
    catalog_dir = raw_dir / "catalog"
    if catalog_dir.exists():
        shutil.rmtree(catalog_dir)
    shutil.copytree(RAW_DIR / "catalog", catalog_dir)
    plan_dir = raw_dir / str(year) / "plan"
    if plan_dir.exists():
        shutil.rmtree(plan_dir)
    plan_dir.mkdir(parents=True)
    for name in ("milestones.csv", "plan_targets.csv") if year == 2018 else ():
        shutil.copy(RAW_DIR / "2018" / "plan" / name, plan_dir / name)  # the bundled plan
    names = [district_name(n) for n in range(1, districts + 1)]
    _write_districts(catalog_dir / "districts.csv", names)
    bundled = load_catalog(RAW_DIR)
    allocated = [i.code for i in bundled.indicators if i.allocated][:indicators]
    extra = [f"{EXTRA_PREFIX}{n:02d}" for n in range(1, indicators - len(allocated) + 1)]
    if extra:
        _add_indicators(catalog_dir / "indicators.csv", extra)
    bundled_rows: dict[str, dict[str, int]] = {}
    for row in ingest_year(RAW_DIR, 2018).allocation.itertuples():
        bundled_rows.setdefault(row.district, {})[row.indicator] = int(row.target)
    rows = list(bundled_rows.values())
    targets: dict[tuple[str, str], int] = {}
    for n, name in enumerate(names):
        base = rows[n % len(rows)]
        scale = rng.uniform(0.6, 1.6)
        for code in allocated:
            value = base.get(code, 0)
            targets[(name, code)] = max(0, round(value * scale)) if value > 2 else value
        for code in extra:
            targets[(name, code)] = rng.randint(5, 200)
    _write_reference(plan_dir / "reference_figures.csv", names, targets, year, rng)
    catalog = load_catalog(raw_dir)
    write_allocation(raw_dir / str(year) / "allocation.xlsx", catalog, names,
                      [*allocated, *extra], targets, year)
    progress = raw_dir / str(year) / "progress"
    if progress.exists():
        shutil.rmtree(progress)
    progress.mkdir(parents=True)
    series = demo_series(targets, catalog, year)
    dates = return_dates(year, returns)
    measures = [*reported_measures(catalog, year),
                *((code, "") for code in catalog.plan_measures(year))]
    figures = 0
    hashes = {}
    for date in dates:
        data, count = _long_return(series, names, measures, date)
        write_bytes_atomic(progress / f"{date.isoformat()}.csv", data)
        hashes[f"{date.isoformat()}.csv"] = hashlib.sha256(data).hexdigest()
        figures += count
    # GENERATOR: the name the generated files have always carried (the benchmarks' inputs)
    marker = {"generator": GENERATOR, "seed": SEED,
              "note": "Synthetic returns for benchmarks, not real district data.",
              "files": hashes}
    write_bytes_atomic(progress / DEMO_MARKER, (json.dumps(marker, ensure_ascii=False, indent=2,
                                                           sort_keys=True) + "\n").encode())
    return SyntheticInputs(raw_dir, year, districts, indicators, len(dates), figures)


def _write_districts(path: Path, names: list[str]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "aliases", "name_en", "supervision_group", "order"])
    per_group = -(-len(names) // len(GROUPS))  # neighbours share a group, as in seed 000
    for n, name in enumerate(names, start=1):
        writer.writerow([name, "", f"Synthetic {n:04d}", GROUPS[(n - 1) // per_group], n])
    write_bytes_atomic(path, out.getvalue().encode("utf-8"))


def _add_indicators(path: Path, codes: list[str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for n, code in enumerate(codes, start=1):
        rows.append({**dict.fromkeys(fields, ""), "code": code, "name_zh": f"合成指标{n:02d}",
                     "short_zh": f"合成指标{n:02d}", "name_en": f"Synthetic indicator {n:02d}",
                     "short_en": f"Synthetic {n:02d}", "unit": "个", "kind": "count",
                     "alias": f"synthetic{n:02d}", "source": GENERATOR})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_bytes_atomic(path, out.getvalue().encode("utf-8"))


def _write_reference(path: Path, names: list[str], targets: dict, year: int,
                     rng: random.Random) -> None:
    """The elderly population the share indicators divide by and the communities of the plan's
    meal coverage, as the bundled demo derives them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "measure", "district", "value", "source", "demo"])
    for name in names:
        subsidy = max(1, targets.get((name, "subsidy_recipients"), 1000))
        writer.writerow([year, "elderly_population", name,
                         round(subsidy / rng.uniform(0.026, 0.031)),
                         f"合成数据：{GENERATOR}", "true"])
    # the communities the meal services cover (<year>/plan/plan_targets.csv), as the bundled demo
    # derives them; a stream of its own, so the elderly population stays as it was
    communities = random.Random(SEED + 1)
    for name in names:
        meals = max(1, targets.get((name, "meal_service_stations"), 10))
        writer.writerow([year, "urban_rural_communities", name,
                         round(meals / 0.6 * communities.uniform(0.92, 1.08)),
                         f"合成数据：{GENERATOR}", "true"])
    write_bytes_atomic(path, out.getvalue().encode("utf-8"))


def write_allocation(path: Path, catalog, names: list[str], codes: list[str], targets: dict,
                     year: int, kind: str = "合成数据") -> None:
    """An allocation workbook in the bundled layout (分解表: title, header, a row per district,
    合计), its title saying what the figures are (合成数据, 演示数据)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws.append([f"{year}年重点任务分解表（{kind}）"])
    ws.append(["序号", "县（市、区）",
               *(f"{catalog.indicator(c).name_zh}（{catalog.indicator(c).unit}）"
                 for c in codes)])
    for n, name in enumerate(names, start=1):
        ws.append([n, name, *(targets[(name, c)] for c in codes)])
    ws.append(["合计", None, *(sum(targets[(name, c)] for name in names) for c in codes)])
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, workbook_bytes(wb, dt.datetime(year, 1, 1)))


def _value_at(series: dict, key: tuple, date: dt.date) -> int | None:
    """A figure at any date: linear between the month ends around it (0 before January's for
    a cumulative figure, January's own for a level)."""
    month = date.month
    end = dt.date(date.year, month, calendar.monthrange(date.year, month)[1])
    now = series.get((*key, month))
    if now is None:
        return None
    if date == end:
        return now
    before = now if month == 1 else series.get((*key, month - 1), 0)
    days = calendar.monthrange(date.year, month)[1]
    return round(before + (now - before) * date.day / days)


def _long_return(series: dict, names: list[str], measures: list, date: dt.date
                 ) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["district", "indicator", "stage", "as_of", "value"])
    count = 0
    day = date.isoformat()
    for name in names:
        for code, stage in measures:
            value = _value_at(series, (name, code, stage), date)
            if value is None:
                continue
            writer.writerow([name, code, stage, day, value])
            count += 1
    return out.getvalue().encode("utf-8"), count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir")
    parser.add_argument("--districts", type=int, required=True)
    parser.add_argument("--indicators", type=int, default=15)
    parser.add_argument("--returns", type=int, default=12)
    parser.add_argument("--year", type=int, default=2018)
    args = parser.parse_args(argv)
    made = write_synthetic(Path(args.raw_dir), args.districts, args.indicators, args.returns,
                           args.year)
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # run as a command
    logger.info("wrote %s: %d districts x %d indicators x %d returns (%d figures)",
                made.raw_dir, made.districts, made.indicators, made.returns, made.figures)


if __name__ == "__main__":
    main()
