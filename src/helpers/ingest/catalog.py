"""The catalogues: in data/raw/catalog, what holds from year to year (indicators with their kind,
districts with aliases and supervision groups, the named stages); in data/raw/<year>/plan, what a
year's plan sets (milestone schedules and stage dates, reference figures such as the elderly
population that share indicators divide by, the work plan's headline targets). A year's plan is
its own file, so writing next year's never touches the files this year's reports were built
from."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import CatalogError
from helpers.core.text_safety import one_line
from helpers.ingest.catalog_files import fraction, present, read_rows, require_raw_folder
from helpers.ingest.normalize import district_key, header_key
from helpers.ingest.plan_files import (  # noqa: F401 - a year's plan, read with the catalogue
    DRAFT_MARK,
    PLAN_FILES,
    Milestone,
    PlanTarget,
    ReferenceFigure,
    load_milestones,
    load_plan_targets,
    load_reference_figures,
    plan_file,
    plan_years,
)

# count:   a flow with an annual target per district (allocation table), judged against the
#          milestone due at the report date;
# stock:   a level with a target per district (subsidy recipients), judged against the level;
# share:   numerator / denominator (two measures), judged against a threshold (护理型床位占比
#          不低于50%);
# task:    no numeric allocation, followed by its stages only (一键通: 宣传, 摸底, 招投标, 送达);
# measure: a figure reported only as the numerator or denominator of a share.
KINDS = ("count", "stock", "share", "task", "measure")
ALLOCATED_KINDS = ("count", "stock")
# a cell that is only a number (a figure, a share, a year): never read as a telephone number
SHARED_FILES = ("indicators.csv", "districts.csv", "stages.csv")  # stages.csv optional
# Separators and brackets carry no meaning when a header names an indicator and a stage
# (新增镇（街）养老服务中心：选址 / 新增镇街养老服务中心（选址）).
_BRACKETS = re.compile(r"[()\[\]]")  # after NFKC: （） are ()
_STAGE_SEPARATORS = re.compile(r"[()\[\]:\-—–/·、,]")


@dataclass(frozen=True)
class Indicator:
    """One tracked indicator; `name_zh` is the header as printed in the breakdown table."""

    code: str
    name_zh: str
    short_zh: str
    name_en: str
    unit: str
    kind: str = "count"
    short_en: str = ""
    alias: str = ""  # short reference name used in narrative files: {{ beds.completion }}
    numerator: str = ""  # share: code of the measure counted
    denominator: str = ""  # share: code of the measure divided by
    threshold: float | None = None  # share: the minimum share required

    @property
    def allocated(self) -> bool:
        """Whether the allocation table gives this indicator a target per district."""
        return self.kind in ALLOCATED_KINDS

    @property
    def cumulative(self) -> bool:
        """Whether reported figures only ever rise (a flow), so that a dip is worth a warning."""
        return self.kind in ("count", "task")


@dataclass(frozen=True)
class District:
    """One district with the other names it arrives under."""

    name: str
    name_en: str
    supervision_group: str
    order: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    """A named step of an indicator (选址, 启动装修), reported as a count of its own."""

    indicator: str
    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()


@dataclass
class Catalog:
    """All catalogues, with lookups from messy names to canonical ones."""

    indicators: list[Indicator]
    districts: list[District]
    milestones: list[Milestone]
    stages: list[Stage] = field(default_factory=list)
    reference_figures: list[ReferenceFigure] = field(default_factory=list)
    plan_targets: list[PlanTarget] = field(default_factory=list)
    # indicators of the catalogue a year does not track (helpers.ingest.year_plan): named in
    # that year's messages, never reported
    left_out: list[Indicator] = field(default_factory=list)
    _indicator_keys: dict[str, str] = field(default_factory=dict, repr=False)
    _loose_keys: dict[str, str] = field(default_factory=dict, repr=False)
    _stage_keys: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _district_keys: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        shared = set()  # names that two indicators have but for their brackets
        for ind in self.indicators:
            for name in _indicator_names(ind):
                self._indicator_keys.setdefault(header_key(name), ind.code)
                loose = _loose_key(name)
                if self._loose_keys.setdefault(loose, ind.code) != ind.code:
                    shared.add(loose)
        for loose in shared:  # 床位 for 床位（公办） and 床位（民办）: neither, so it is named
            del self._loose_keys[loose]
        by_code = self.indicator_by_code
        for stage in self.stages:
            ind = by_code.get(stage.indicator)
            if ind is None:
                continue
            for name in _indicator_names(ind):
                for stage_name in _stage_names(stage):
                    self._stage_keys.setdefault(_stage_key(name + stage_name),
                                                (ind.code, stage.code))
        for dist in self.districts:
            for name in (dist.name, *dist.aliases):
                self._district_keys[district_key(name)] = dist.name

    def narrowed(self, codes: set[str]) -> Catalog:
        """The catalogue with only the indicators `codes` (their milestones and plan targets);
        the others kept as `left_out`, to be named, and every lookup built again."""
        return Catalog(
            indicators=[i for i in self.indicators if i.code in codes],
            districts=self.districts, stages=self.stages,
            milestones=[m for m in self.milestones if m.indicator in codes],
            reference_figures=self.reference_figures,
            plan_targets=[t for t in self.plan_targets if t.indicator in codes],
            left_out=[i for i in self.indicators if i.code not in codes])

    def indicator_code(self, header: object) -> str | None:
        """The code of the indicator a header or name refers to, or None. Brackets do not
        count: 新增镇(街)养老服务中心 is the short name 新增镇街养老服务中心."""
        return (self._indicator_keys.get(header_key(header))
                or self._loose_keys.get(_loose_key(header)))

    def similar_indicators(self, header: object, most: int = 3) -> list[str]:
        """The names (name_zh) of the indicators closest to an unknown header, best first."""
        import difflib

        keys = difflib.get_close_matches(_loose_key(header), list(self._loose_keys), n=most * 4,
                                         cutoff=0.5)
        codes = list(dict.fromkeys(self._loose_keys[k] for k in keys))[:most]
        return [self.indicator(code).name_zh for code in codes]

    def measure_of(self, header: object) -> tuple[str, str] | None:
        """(indicator code, stage code) that a header names: a stage column such as
        新增镇（街）养老服务中心（选址） gives its stage, a plain indicator header stage ""."""
        found = self._stage_keys.get(_stage_key(header))
        if found:
            return found
        code = self.indicator_code(header)
        return (code, "") if code else None

    def stage_code(self, indicator: str, name: object) -> str | None:
        """The code of a stage of `indicator` named by code, Chinese or English name or alias;
        "" for an empty name (the indicator's own figure); None when unknown."""
        key = _stage_key(name)
        if not key:
            return ""
        for stage in self.stages_for(indicator):
            if key in {_stage_key(n) for n in _stage_names(stage)}:
                return stage.code
        return None

    def district_name(self, name: object) -> str | None:
        """The canonical district name for a name or alias, or None."""
        return self._district_keys.get(district_key(name))

    def indicator(self, code: str) -> Indicator:
        """An indicator by code (one the year leaves out too, to name it)."""
        found = self.indicator_by_code.get(code)
        if found is None:
            found = next((i for i in self.left_out if i.code == code), None)
        if found is None:
            raise KeyError(code)
        return found

    @functools.cached_property
    def indicator_by_code(self) -> dict[str, Indicator]:
        """Indicators by code (built once: the catalogue is not changed after loading)."""
        return {i.code: i for i in self.indicators}

    @functools.cached_property
    def district_by_name(self) -> dict[str, District]:
        """Districts by canonical name (built once)."""
        return {d.name: d for d in self.districts}

    @property
    def tracked(self) -> list[Indicator]:
        """The indicators a report judges, in catalogue order (measures only feed shares)."""
        return [i for i in self.indicators if i.kind != "measure"]

    def stages_for(self, code: str) -> list[Stage]:
        return [s for s in self.stages if s.indicator == code]

    def stage(self, indicator: str, code: str) -> Stage:
        return next(s for s in self.stages if s.indicator == indicator and s.code == code)

    def milestones_for(self, code: str, year: int) -> list[Milestone]:
        """The milestones of the indicator's own figure in that year, by date (empty: time
        progress applies)."""
        return [m for m in self.checkpoints_for(code, year) if not m.stage]

    def checkpoints_for(self, code: str, year: int) -> list[Milestone]:
        """Every dated requirement of the indicator in that year, stages included, by date."""
        return list(self._checkpoints.get((code, year), ()))

    @functools.cached_property
    def _checkpoints(self) -> dict[tuple[str, int], list[Milestone]]:
        """checkpoints_for's lists by indicator and year (built once: the catalogue is not
        changed after loading, and a province's report asks for them some 600,000 times)."""
        found: dict[tuple[str, int], list[Milestone]] = {}
        for m in self.milestones:
            found.setdefault((m.indicator, m.date.year), []).append(m)
        return {key: sorted(found[key], key=lambda m: (m.date, m.stage)) for key in found}

    def is_staged(self, code: str, year: int) -> bool:
        """Whether the plan sets stages for the indicator in that year."""
        return any(m.stage for m in self.checkpoints_for(code, year))

    def deadline(self, code: str, year: int) -> dt.date:
        """The plan's deadline for the whole target: the first date by which 100% of the
        indicator's own figure is due (11/30 for the centres), for a task its last stage, and
        otherwise the end of the year."""
        checkpoints = self.checkpoints_for(code, year)
        if self.indicator(code).kind == "task" and checkpoints:
            return checkpoints[-1].date
        full = [m.date for m in checkpoints if not m.stage and m.share_due >= 1.0]
        return min(full) if full else dt.date(year, 12, 31)

    def plan_target(self, code: str, year: int) -> PlanTarget:
        """A plan target of a year by its code."""
        return next(t for t in self.plan_targets if t.code == code and t.year == year)

    def plan_measures(self, year: int) -> list[str]:
        """The measures the year's plan targets follow (精英培训班 held, persons 一键通 serves),
        in catalogue order."""
        used = {code for t in self.plan_targets if t.year == year for code in t.measures}
        return [i.code for i in self.indicators if i.code in used]

    def reference(self, measure: str, year: int) -> dict[str, ReferenceFigure]:
        """Reference figures of a measure in a year, by district."""
        return {f.district: f for f in self.reference_figures
                if f.measure == measure and f.year == year}


def _indicator_names(ind: Indicator) -> list[str]:
    return [n for n in (ind.code, ind.name_zh, ind.short_zh, ind.name_en, ind.short_en,
                        ind.alias) if n]


def _stage_names(stage: Stage) -> list[str]:
    return [n for n in (stage.code, stage.name_zh, stage.name_en, *stage.aliases) if n]


def _loose_key(value: object) -> str:
    return _BRACKETS.sub("", header_key(value))


def _stage_key(value: object) -> str:
    return _STAGE_SEPARATORS.sub("", header_key(value))


def _load_indicators(root: Path, snapshot) -> list[Indicator]:
    indicators, lines = [], []  # lines: where each indicator stands, to name it
    for line, row in read_rows(root, "catalog/indicators.csv",
                                ["code", "name_zh", "short_zh", "name_en", "unit", "kind"],
                                snapshot):
        where = f"catalog/indicators.csv line {line}"
        if row["kind"] not in KINDS:
            raise CatalogError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
        threshold = None
        if row["kind"] == "share":
            if not row.get("numerator") or not row.get("denominator"):
                raise CatalogError(f"{where}: a share indicator needs a numerator and a "
                                   "denominator (codes of measures)")
            threshold = fraction(row.get("threshold", ""), where, "threshold")
        if not row["code"] or not row["name_zh"]:
            raise CatalogError(f"{where}: an indicator needs a code and a name (name_zh)")
        lines.append(line)
        indicators.append(Indicator(
            code=row["code"], name_zh=row["name_zh"], short_zh=row["short_zh"] or row["name_zh"],
            name_en=row["name_en"], unit=row["unit"], kind=row["kind"],
            short_en=row.get("short_en", "") or row["name_en"], alias=row.get("alias", ""),
            numerator=row.get("numerator", ""), denominator=row.get("denominator", ""),
            threshold=threshold))
    first: dict[str, int] = {}  # code: line
    for line, ind in zip(lines, indicators, strict=True):
        if ind.code in first:
            raise CatalogError(f"catalog/indicators.csv line {line}: indicator code {ind.code!r} "
                               f"is that of line {first[ind.code]} too")
        first[ind.code] = line
    _one_indicator_per_name(indicators, lines)
    by_code = {i.code: i for i in indicators}
    for ind in indicators:
        for role in ("numerator", "denominator"):
            ref = getattr(ind, role)
            if ref and (ref not in by_code or by_code[ref].kind in ("share", "task")):
                raise CatalogError(f"catalog/indicators.csv: {ind.code}: {role} {ref!r} is not a "
                                   "measure, count or stock indicator of the catalogue")
    return indicators


def _one_indicator_per_name(indicators: list[Indicator], lines: list[int]) -> None:
    """Each name of an indicator (code, names, short names, alias) finds that indicator only:
    a return's header or a written section's reference that two indicators answer to would
    go to the first of them without a word."""
    named: dict[str, tuple[Indicator, int]] = {}  # header key: (indicator, line)
    for line, ind in zip(lines, indicators, strict=True):
        for name in _indicator_names(ind):
            key = header_key(name)
            if key in named and named[key][0].code != ind.code:
                other, first = named[key]
                raise CatalogError(f"catalog/indicators.csv line {line}: {ind.code}'s name "
                                   f"{one_line(name)[:60]!r} already names {other.code} (line "
                                   f"{first}); a name, short name or alias may name one "
                                   "indicator only")
            named.setdefault(key, (ind, line))


def _load_districts(root: Path, snapshot) -> list[District]:
    """The districts, in their order. Each name and alias must find one district (a name that
    found two would count its returns twice and split its figures), and each order be its
    own (the reports list the districts in it)."""
    districts = []
    named: dict[str, tuple[str, int]] = {}  # key of a name or alias: (its district, line)
    ordered: dict[int, int] = {}  # order: line
    for line, row in read_rows(root, "catalog/districts.csv",
                                ["name", "aliases", "name_en", "supervision_group", "order"],
                                snapshot):
        where = f"catalog/districts.csv line {line}"
        try:
            order = int(row["order"])
        except ValueError as exc:
            raise CatalogError(f"{where}: order {row['order']!r} is not an integer") from exc
        if not district_key(row["name"]):
            raise CatalogError(f"{where}: the district has no name")
        if order in ordered:
            raise CatalogError(f"{where}: order {order} is already that of line "
                               f"{ordered[order]}; each district needs its own")
        ordered[order] = line
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        for name in dict.fromkeys((row["name"], *aliases)):
            key = district_key(name)
            if key in named and named[key][1] != line:
                district, first = named[key]
                raise CatalogError(f"{where}: {one_line(name)[:40]!r} already names {district} "
                                   f"(line {first}); a name or alias may name one district "
                                   "only")
            named[key] = (row["name"], line)
        districts.append(District(name=row["name"], name_en=row["name_en"],
                                  supervision_group=row["supervision_group"], order=order,
                                  aliases=aliases))
    return sorted(districts, key=lambda d: d.order)


def _load_stages(root: Path, indicators: list[Indicator], snapshot) -> list[Stage]:
    rel = "catalog/stages.csv"
    if not present(root, rel, snapshot):
        return []
    codes = {i.code for i in indicators}
    stages = []
    # (indicator, key of a stage's name or alias): (its stage, line); a header names a stage
    # by one of them after the indicator's name, so each must find one stage of it
    named: dict[tuple[str, str], tuple[str, int]] = {}
    defined: dict[tuple[str, str], int] = {}  # (indicator, stage): line
    for line, row in read_rows(root, rel, ["indicator", "stage", "name_zh", "name_en"],
                                snapshot):
        if row["indicator"] not in codes:
            raise CatalogError(f"{rel} line {line}: unknown indicator {row['indicator']!r}")
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        stage = Stage(row["indicator"], row["stage"], row["name_zh"], row["name_en"], aliases)
        for name in _stage_names(stage):
            key = (stage.indicator, _stage_key(name))
            if key in named and named[key][0] != stage.code:
                other, first = named[key]
                raise CatalogError(f"{rel} line {line}: {stage.indicator}'s stage {stage.code} "
                                   f"is named {one_line(name)[:40]!r}, as is its stage {other} "
                                   f"(line {first}); a name or alias may name one stage only")
            named.setdefault(key, (stage.code, line))
        if (stage.indicator, stage.code) in defined:
            raise CatalogError(f"{rel} line {line}: stage {stage.code!r} of {stage.indicator} "
                               f"is defined on line {defined[stage.indicator, stage.code]} "
                               "too")
        defined[stage.indicator, stage.code] = line
        stages.append(stage)
    return stages


def load_stages(raw_dir: Path) -> list[Stage]:
    """The indicators' named stages (catalog/stages.csv) alone, checked as load_catalog checks
    them: what a comparison of two published reports names their stages by."""
    root = Path(raw_dir)
    return _load_stages(root, _load_indicators(root, None), None)


def load_catalog(raw_dir: Path, snapshot=None, year: int | None = None) -> Catalog:
    """Read and check data/raw/catalog/*.csv and the plan of `year` (<year>/plan/*.csv), from
    `snapshot` (the run's inputs read once) when given. Without a year, the plans of every year
    folder are read (each is still looked up by year)."""
    root = Path(raw_dir)
    if snapshot is None:
        require_raw_folder(root)
    _refuse_shared_plan_files(root, snapshot)
    indicators = _load_indicators(root, snapshot)
    districts = _load_districts(root, snapshot)
    stages = _load_stages(root, indicators, snapshot)
    milestones, figures, plan = [], [], []
    for one in [year] if year is not None else plan_years(root):
        milestones += load_milestones(root, one, indicators, stages, snapshot)
        figures += load_reference_figures(root, one, indicators, districts, snapshot)
        plan += load_plan_targets(root, one, indicators, stages, snapshot)
    return Catalog(indicators=indicators, districts=districts, milestones=milestones,
                   stages=stages, reference_figures=figures, plan_targets=plan)


def _refuse_shared_plan_files(root: Path, snapshot) -> None:
    """A plan file left in catalog/ (where they lived before plans were per year) would be
    silently ignored: say where it belongs instead."""
    for name in PLAN_FILES:
        if present(root, f"catalog/{name}", snapshot):
            raise CatalogError(f"catalog/{name}: a year's plan lives in <year>/plan/{name} "
                               f"(README, \"A new year\"): move each year's rows there")


def catalog_files(raw_dir: Path, snapshot=None, year: int | None = None) -> list[str]:
    """The catalogue and plan files read, relative to the raw folder (the optional ones only
    when they are there)."""
    root = Path(raw_dir)
    names = [f"catalog/{n}" for n in SHARED_FILES]
    if year is not None:
        names += [plan_file(year, n) for n in PLAN_FILES]
    return [rel for rel in names if rel in ("catalog/indicators.csv", "catalog/districts.csv")
            or present(root, rel, snapshot)]
