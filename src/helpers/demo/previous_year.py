"""A demo previous year, so that the year-end report can show 比上年 on the bundled data: the
allocation of `base_year` scaled down (every target times SCALE, rounded), written for `year`
with its title marked 演示数据, and that year's demo returns (helpers.demo.progress, marked in
DEMO_RETURNS.json). No real figure of that year is known here."""

from __future__ import annotations

from pathlib import Path

from helpers.core.atomic_io import write_bytes_atomic
from helpers.core.errors import InputRejected, UnsafePlace
from helpers.demo.progress import write_demo
from helpers.demo.synthetic import write_allocation
from helpers.ingest.catalog import load_catalog
from helpers.ingest.new_year import draft_plan
from helpers.ingest.returns import ingest_year

SCALE = 0.8  # a year's targets, four fifths of the next year's
DEMO_MARK = "演示数据"  # the plan's rows: the base year's dates moved, marked as demo


def write_demo_year(raw_dir: Path, year: int, base_year: int) -> list[Path]:
    """Write raw/<year>/allocation.xlsx, its plan (raw/<year>/plan/: `base_year`'s dates moved)
    and raw/<year>/progress/ (demo), from `base_year`'s allocation; refuses to overwrite a
    year that has an allocation already."""
    raw_dir = Path(raw_dir)
    allocation = raw_dir / str(year) / "allocation.xlsx"
    if allocation.exists():
        raise UnsafePlace(f"{allocation}: the year {year} has an allocation already; the demo "
                          "year is written only where there is none")
    base = ingest_year(raw_dir, base_year)
    errors = [p for p in base.errors if p.file.endswith("allocation.xlsx")]
    if errors:
        raise InputRejected(errors)
    names = list(dict.fromkeys(base.allocation["district"]))
    codes = list(dict.fromkeys(base.allocation["indicator"]))
    targets = {(row.district, row.indicator): round(int(row.target) * SCALE)
               for row in base.allocation.itertuples()}
    write_allocation(allocation, base.catalog, names, codes, targets, year, kind="演示数据")
    plan = []
    for rel, data in draft_plan(load_catalog(raw_dir, year=base_year), base_year, year, codes,
                                mark=DEMO_MARK).items():
        write_bytes_atomic(raw_dir / rel, data)
        plan.append(raw_dir / rel)
    return [allocation, *plan, *write_demo(raw_dir, year)]
