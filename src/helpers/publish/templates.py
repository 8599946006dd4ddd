"""`templates`: one return template per district (and per supervision group) for a reporting
date, pre-filled from the validated inputs, published into
<out_dir>/<year>/templates/<as-of>/ with one rename (never into the raw folder)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers.core.atomic_io import staging_dir_for, swap_into_place, write_bytes_atomic
from helpers.core.errors import ParameterError
from helpers.core.places import check_places
from helpers.ingest.returns import ingest_year, raise_for_errors
from helpers.metrics.brief_units import file_stem
from helpers.metrics.report_data import group_order
from helpers.metrics.template_figures import template_rows
from helpers.render.return_template_book import TemplateUnit, template_workbook

TEMPLATE_BY = ("district", "group", "both")


@dataclass(frozen=True)
class TemplatesOutcome:
    """Where the templates went and which files were written."""

    folder: Path
    files: list[Path]


def templates_folder(out_dir: Path, year: int, as_of: dt.date) -> Path:
    """<out_dir>/<year>/templates/<as-of>/"""
    return Path(out_dir) / str(year) / "templates" / as_of.isoformat()


def template_units(catalog, districts: list[str], by: str) -> list[tuple[str, TemplateUnit]]:
    """(file path inside the folder, unit) of every template `by` asks for: district/01-鹿城区
    .xlsx per district, group/01-第一组.xlsx per supervision group."""
    if by not in TEMPLATE_BY:
        raise ParameterError(f"by: must be one of {', '.join(TEMPLATE_BY)}, not {by!r}")
    units = []
    if by in ("district", "both"):
        for name in districts:
            district = catalog.district_by_name[name]
            units.append((f"district/{file_stem(district.order, name)}.xlsx",
                          TemplateUnit("district", name, district.supervision_group, (name,))))
    if by in ("group", "both"):
        groups: dict[str, list[str]] = {}
        for name in districts:
            groups.setdefault(catalog.district_by_name[name].supervision_group, []).append(name)
        ordered = sorted(groups, key=lambda g: (group_order(g), g))
        for number, group in enumerate(ordered, start=1):
            units.append((f"group/{file_stem(number, group)}.xlsx",
                          TemplateUnit("group", group, group, tuple(groups[group]))))
    return units


def write_templates(raw_dir: Path, year: int, as_of: dt.date, out_dir: Path,
                    by: str = "both") -> TemplatesOutcome:
    """Validate the year's inputs (any error: InputRejected, exit 2), then write the templates
    for the reporting date `as_of` and publish the folder in one rename."""
    if as_of.year != year:
        raise ParameterError(f"as-of: {as_of} is outside {year}")
    check_places(raw_dir, out_dir=out_dir)  # before anything is written
    result = ingest_year(Path(raw_dir), year)
    raise_for_errors(result)
    rows = template_rows(result, as_of)
    districts = list(dict.fromkeys(row.district for row in rows))
    target = templates_folder(out_dir, year, as_of)
    staging = staging_dir_for(target)
    written = []
    try:
        for rel, unit in template_units(result.catalog, districts, by):
            mine = [row for row in rows if row.district in unit.districts]
            path = staging / rel
            write_bytes_atomic(path, template_workbook(unit, mine, result.catalog, year, as_of))
            written.append(target / rel)
        swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return TemplatesOutcome(target, written)
