"""The catalogues in data/raw/catalog: indicators (with their kind), districts (with aliases and
supervision groups), milestone schedules and named stages, and reference figures such as the
elderly population that share indicators divide by."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.disclosure import has_phone
from helpers.core.errors import CatalogError, InputFileError
from helpers.core.text_safety import character_name, one_line, unusable_character
from helpers.ingest.normalize import NotANumber, district_key, header_key, parse_number

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
_NUMBER_CELL = re.compile(r"[\d.,\s]*")
_OPTIONAL_FILES = ("stages.csv", "reference_figures.csv", "plan_targets.csv")
# Separators and brackets carry no meaning when a header names an indicator and a stage
# (新增镇（街）养老服务中心：选址 / 新增镇街养老服务中心（选址）).
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


@dataclass(frozen=True)
class Milestone:
    """Share of an indicator's target due by a date; with `stage`, the share of the target that
    must have reached that stage (选址 of every centre by 30 June)."""

    indicator: str
    date: dt.date
    share_due: float
    note: str = ""
    stage: str = ""  # "" = the indicator's own figure


@dataclass(frozen=True)
class ReferenceFigure:
    """A figure per district that does not come from the returns (elderly population)."""

    year: int
    measure: str
    district: str
    value: int
    source: str = ""
    demo: bool = False  # an illustrative figure, not an official statistic
    line: int = 0  # line of catalog/reference_figures.csv, for provenance

    @property
    def ref(self) -> str:
        """Where the figure comes from, as sources are written: file:line."""
        return f"catalog/reference_figures.csv:{self.line}"


@dataclass(frozen=True)
class PlanTarget:
    """A headline target of a work plan (民生实事, seed 000) beside the allocation that splits it
    (seed 001): its own figure, the indicator that measures it and, where the two documents
    differ, the sentence that reconciles them."""

    year: int
    code: str
    name_zh: str  # 示范型居家养老中心
    name_en: str
    document: str  # 温民福〔2018〕58号
    clause: str  # 工作目标1
    quote_zh: str  # the plan's words, verbatim
    indicator: str  # the indicator that measures it
    stage: str  # "" = the indicator's own figure; a task's stage every district delivers
    denominator: str  # a share's: the reference measure it is taken of
    target: int | None  # a count (40 centres), or None
    threshold: float | None  # a share (50% of communities), or None
    due: dt.date
    allocation_document: str
    allocation_clause: str
    allocation_value: float | None  # 45 centres, 60% of communities; None: the same words
    reconciliation_zh: str
    reconciliation_en: str
    source: str
    line: int = 0

    @property
    def ref(self) -> str:
        """Where the target is written down, for provenance."""
        return f"catalog/plan_targets.csv:{self.line}"


@dataclass
class Catalog:
    """All catalogues, with lookups from messy names to canonical ones."""

    indicators: list[Indicator]
    districts: list[District]
    milestones: list[Milestone]
    stages: list[Stage] = field(default_factory=list)
    reference_figures: list[ReferenceFigure] = field(default_factory=list)
    plan_targets: list[PlanTarget] = field(default_factory=list)
    _indicator_keys: dict[str, str] = field(default_factory=dict, repr=False)
    _stage_keys: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _district_keys: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for ind in self.indicators:
            for name in _indicator_names(ind):
                self._indicator_keys.setdefault(header_key(name), ind.code)
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

    def indicator_code(self, header: object) -> str | None:
        """The code of the indicator a header or name refers to, or None."""
        return self._indicator_keys.get(header_key(header))

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
        return self.indicator_by_code[code]

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
        return sorted(
            (m for m in self.milestones if m.indicator == code and m.date.year == year),
            key=lambda m: (m.date, m.stage))

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

    def reference(self, measure: str, year: int) -> dict[str, ReferenceFigure]:
        """Reference figures of a measure in a year, by district."""
        return {f.district: f for f in self.reference_figures
                if f.measure == measure and f.year == year}


def _indicator_names(ind: Indicator) -> list[str]:
    return [n for n in (ind.code, ind.name_zh, ind.short_zh, ind.name_en, ind.short_en,
                        ind.alias) if n]


def _stage_names(stage: Stage) -> list[str]:
    return [n for n in (stage.code, stage.name_zh, stage.name_en, *stage.aliases) if n]


def _stage_key(value: object) -> str:
    return _STAGE_SEPARATORS.sub("", header_key(value))


def _read_rows(path: Path, required: list[str],
               snapshot=None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a catalogue file, from the run's snapshot of the inputs when given (else
    read from disk through the bounded reader)."""
    from helpers.core.safe_read import read_bounded

    rel = f"catalog/{path.name}"
    try:
        data = snapshot.require(rel) if snapshot is not None else read_bounded(path, rel)
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rows = [(n, {k: (v if isinstance(v, str) else "").strip() for k, v in row.items()
                     if isinstance(k, str)}) for n, row in enumerate(reader, start=2)]
        for line, row in rows:
            for column, value in row.items():
                found = unusable_character(column + value)
                if found is not None:
                    raise CatalogError(f"{path.name} line {line}, column {one_line(column)}: "
                                       f"character {character_name(found[1])} is not text a "
                                       "report can print; remove it")
                if not _NUMBER_CELL.fullmatch(value) and has_phone(value):
                    raise CatalogError(f"{path.name} line {line}, column {one_line(column)}: "
                                       "holds a telephone number, which a report would "
                                       "publish; remove it")
        return rows
    except InputFileError as exc:
        if exc.reason == "not found":
            raise CatalogError(f"catalogue file missing: {rel}") from None
        raise CatalogError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise CatalogError(f"{path.name}: not readable as CSV ({exc})") from None


def _present(folder: Path, name: str, snapshot) -> bool:
    """Whether an optional catalogue file is there (in the snapshot, when given; a refused one
    counts as there, so that reading it reports why)."""
    if snapshot is None:
        return (folder / name).is_file()
    rel = f"catalog/{name}"
    return rel in snapshot.files or rel in snapshot.refused


def _fraction(text: str, where: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise CatalogError(f"{where}: {name} {text!r} is not a number") from exc
    if not 0.0 <= value <= 1.0:
        raise CatalogError(f"{where}: {name} {value:g} is not in [0, 1]")
    return value


def _load_indicators(folder: Path, snapshot) -> list[Indicator]:
    indicators = []
    for line, row in _read_rows(folder / "indicators.csv",
                                ["code", "name_zh", "short_zh", "name_en", "unit", "kind"],
                                snapshot):
        where = f"indicators.csv line {line}"
        if row["kind"] not in KINDS:
            raise CatalogError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
        threshold = None
        if row["kind"] == "share":
            if not row.get("numerator") or not row.get("denominator"):
                raise CatalogError(f"{where}: a share indicator needs a numerator and a "
                                   "denominator (codes of measures)")
            threshold = _fraction(row.get("threshold", ""), where, "threshold")
        indicators.append(Indicator(
            code=row["code"], name_zh=row["name_zh"], short_zh=row["short_zh"] or row["name_zh"],
            name_en=row["name_en"], unit=row["unit"], kind=row["kind"],
            short_en=row.get("short_en", "") or row["name_en"], alias=row.get("alias", ""),
            numerator=row.get("numerator", ""), denominator=row.get("denominator", ""),
            threshold=threshold))
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        raise CatalogError("indicators.csv: duplicate indicator code")
    by_code = {i.code: i for i in indicators}
    for ind in indicators:
        for role in ("numerator", "denominator"):
            ref = getattr(ind, role)
            if ref and (ref not in by_code or by_code[ref].kind in ("share", "task")):
                raise CatalogError(f"indicators.csv: {ind.code}: {role} {ref!r} is not a "
                                   "measure, count or stock indicator of the catalogue")
    return indicators


def _load_districts(folder: Path, snapshot) -> list[District]:
    districts = []
    for line, row in _read_rows(folder / "districts.csv",
                                ["name", "aliases", "name_en", "supervision_group", "order"],
                                snapshot):
        try:
            order = int(row["order"])
        except ValueError as exc:
            raise CatalogError(f"districts.csv line {line}: order {row['order']!r} is not an "
                               "integer") from exc
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        districts.append(District(name=row["name"], name_en=row["name_en"],
                                  supervision_group=row["supervision_group"], order=order,
                                  aliases=aliases))
    return sorted(districts, key=lambda d: d.order)


def _load_stages(folder: Path, indicators: list[Indicator], snapshot) -> list[Stage]:
    if not _present(folder, "stages.csv", snapshot):
        return []
    codes = {i.code for i in indicators}
    stages = []
    for line, row in _read_rows(folder / "stages.csv", ["indicator", "stage", "name_zh", "name_en"],
                                snapshot):
        if row["indicator"] not in codes:
            raise CatalogError(f"stages.csv line {line}: unknown indicator {row['indicator']!r}")
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        stages.append(Stage(row["indicator"], row["stage"], row["name_zh"], row["name_en"],
                            aliases))
    keys = [(s.indicator, s.code) for s in stages]
    if len(set(keys)) != len(keys):
        raise CatalogError("stages.csv: a stage is defined twice for the same indicator")
    return stages


def _load_milestones(folder: Path, indicators: list[Indicator], stages: list[Stage],
                     snapshot) -> list[Milestone]:
    codes = {i.code for i in indicators}
    stage_keys = {(s.indicator, s.code) for s in stages}
    milestones = []
    for line, row in _read_rows(folder / "milestones.csv", ["indicator", "date", "share_due"],
                                snapshot):
        where = f"milestones.csv line {line}"
        if row["indicator"] not in codes:
            raise CatalogError(f"{where}: unknown indicator {row['indicator']!r}")
        try:
            date = dt.date.fromisoformat(row["date"])
        except ValueError as exc:
            raise CatalogError(f"{where}: {exc}") from exc
        share = _fraction(row["share_due"], where, "share_due")
        stage = row.get("stage", "")
        if stage and (row["indicator"], stage) not in stage_keys:
            raise CatalogError(f"{where}: stage {stage!r} of {row['indicator']} is not in "
                               "stages.csv")
        milestones.append(Milestone(row["indicator"], date, share, row.get("note", ""), stage))
    for ind in indicators:
        if ind.kind == "task" and not any(m.indicator == ind.code for m in milestones):
            raise CatalogError(f"milestones.csv: task {ind.code} has no stage dates (a task is "
                               "followed by its stages only)")
    return milestones


def _load_reference_figures(folder: Path, indicators: list[Indicator],
                            districts: list[District], snapshot) -> list[ReferenceFigure]:
    if not _present(folder, "reference_figures.csv", snapshot):
        return []
    measures = {i.code for i in indicators if i.kind == "measure"}
    # a district by its name or any alias, as every other input names it
    names = {district_key(name): d.name for d in districts
             for name in (d.name, *d.aliases)}
    figures = []
    for line, row in _read_rows(folder / "reference_figures.csv",
                                ["year", "measure", "district", "value", "source"], snapshot):
        where = f"reference_figures.csv line {line}"
        if row["measure"] not in measures:
            raise CatalogError(f"{where}: {row['measure']!r} is not a measure of "
                               "indicators.csv")
        district = names.get(district_key(row["district"]))
        if district is None:
            raise CatalogError(f"{where}: unknown district {row['district']!r}")
        try:
            year = int(row["year"])
            number = parse_number(row["value"])
        except (ValueError, NotANumber) as exc:
            raise CatalogError(f"{where}: {exc}") from exc
        if number is None or number < 0 or number != number.to_integral_value():
            raise CatalogError(f"{where}: value {row['value']!r} is not a whole number >= 0")
        figures.append(ReferenceFigure(year, row["measure"], district, int(number),
                                       row["source"],
                                       row.get("demo", "").lower() in ("true", "1", "yes"),
                                       line))
    return figures


PLAN_TARGET_COLUMNS = ["year", "code", "name_zh", "name_en", "document", "clause", "quote_zh",
                       "indicator", "stage", "denominator", "target", "threshold", "due",
                       "allocation_document", "allocation_clause", "allocation_value",
                       "reconciliation_zh", "reconciliation_en", "source"]


def _load_plan_targets(folder: Path, indicators: list[Indicator], stages: list[Stage],
                       snapshot) -> list[PlanTarget]:
    """catalog/plan_targets.csv (optional): the work plan's headline targets."""
    if not _present(folder, "plan_targets.csv", snapshot):
        return []
    codes = {i.code: i for i in indicators}
    stage_keys = {(s.indicator, s.code) for s in stages}
    targets, seen = [], set()
    for line, row in _read_rows(folder / "plan_targets.csv", PLAN_TARGET_COLUMNS, snapshot):
        where = f"plan_targets.csv line {line}"
        indicator = codes.get(row["indicator"])
        if indicator is None or indicator.kind == "measure":
            raise CatalogError(f"{where}: indicator {row['indicator']!r} is not an indicator "
                               "of indicators.csv")
        if row["stage"] and (row["indicator"], row["stage"]) not in stage_keys:
            raise CatalogError(f"{where}: {row['indicator']} has no stage {row['stage']!r} "
                               "in stages.csv")
        try:
            year = int(row["year"])
            due = dt.date.fromisoformat(row["due"])
            target = parse_number(row["target"]) if row["target"] else None
            allocation = (float(row["allocation_value"]) if row["allocation_value"]
                          else None)
        except (ValueError, NotANumber) as exc:
            raise CatalogError(f"{where}: {exc}") from exc
        threshold = (_fraction(row["threshold"], where, "threshold") if row["threshold"]
                     else None)
        measure = codes.get(row["denominator"])
        if (threshold is None) != (not row["denominator"]) or (
                row["denominator"] and (measure is None or measure.kind != "measure")):
            raise CatalogError(f"{where}: a share (threshold) is taken of a measure of "
                               "indicators.csv (denominator), and only a share")
        if (target is None) == (threshold is None) and indicator.kind != "task":
            raise CatalogError(f"{where}: give a target (a count) or a threshold (a share), "
                               "one of them")
        if target is not None and (target <= 0 or target != target.to_integral_value()):
            raise CatalogError(f"{where}: target {row['target']!r} is not a whole number > 0")
        if (year, row["code"]) in seen:
            raise CatalogError(f"{where}: plan target {row['code']!r} is listed twice")
        seen.add((year, row["code"]))
        targets.append(PlanTarget(
            year, row["code"], row["name_zh"], row["name_en"], row["document"], row["clause"],
            row["quote_zh"], row["indicator"], row["stage"], row["denominator"],
            None if target is None else int(target), threshold,
            due, row["allocation_document"], row["allocation_clause"], allocation,
            row["reconciliation_zh"], row["reconciliation_en"], row["source"], line))
    return targets


def load_catalog(raw_dir: Path, snapshot=None) -> Catalog:
    """Read and check data/raw/catalog/*.csv (from `snapshot`, the run's inputs read once,
    when given)."""
    folder = Path(raw_dir) / "catalog"
    indicators = _load_indicators(folder, snapshot)
    districts = _load_districts(folder, snapshot)
    stages = _load_stages(folder, indicators, snapshot)
    milestones = _load_milestones(folder, indicators, stages, snapshot)
    figures = _load_reference_figures(folder, indicators, districts, snapshot)
    plan = _load_plan_targets(folder, indicators, stages, snapshot)
    return Catalog(indicators=indicators, districts=districts, milestones=milestones,
                   stages=stages, reference_figures=figures, plan_targets=plan)


def catalog_files(raw_dir: Path, snapshot=None) -> list[str]:
    """The catalogue files read, relative to the raw folder (the optional ones only when
    they are there)."""
    folder = Path(raw_dir) / "catalog"
    names = ["indicators.csv", "districts.csv", "milestones.csv"]
    names += [n for n in _OPTIONAL_FILES if _present(folder, n, snapshot)]
    return [f"catalog/{name}" for name in names]
