"""The catalogues in data/raw/catalog: indicators, districts (with aliases and supervision
groups) and milestone schedules."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from helpers.errors import CatalogError, InputFileError
from helpers.normalize import district_key, header_key

# Shares (护理型床位占比 >= 50%) need a numerator and a denominator per district; the
# pipeline computes counts only, so a share indicator is refused rather than mis-summed.
KINDS = ("count",)


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


@dataclass(frozen=True)
class District:
    """One district with the other names it arrives under."""

    name: str
    name_en: str
    supervision_group: str
    order: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Milestone:
    """Share of an indicator's target due by a date."""

    indicator: str
    date: dt.date
    share_due: float
    note: str = ""


@dataclass
class Catalog:
    """All three catalogues, with lookups from messy names to canonical ones."""

    indicators: list[Indicator]
    districts: list[District]
    milestones: list[Milestone]
    _indicator_keys: dict[str, str] = field(default_factory=dict, repr=False)
    _district_keys: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for ind in self.indicators:
            for name in (ind.code, ind.name_zh, ind.short_zh, ind.name_en):
                self._indicator_keys.setdefault(header_key(name), ind.code)
        for dist in self.districts:
            for name in (dist.name, *dist.aliases):
                self._district_keys[district_key(name)] = dist.name

    def indicator_code(self, header: object) -> str | None:
        """The code of the indicator a header or name refers to, or None."""
        return self._indicator_keys.get(header_key(header))

    def district_name(self, name: object) -> str | None:
        """The canonical district name for a name or alias, or None."""
        return self._district_keys.get(district_key(name))

    def indicator(self, code: str) -> Indicator:
        return self.indicator_by_code[code]

    @property
    def indicator_by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    @property
    def district_by_name(self) -> dict[str, District]:
        return {d.name: d for d in self.districts}

    def milestones_for(self, code: str, year: int) -> list[Milestone]:
        """The indicator's milestones in that year, by date (empty: time progress applies)."""
        return sorted(
            (m for m in self.milestones if m.indicator == code and m.date.year == year),
            key=lambda m: m.date,
        )


def _read_rows(path: Path, required: list[str],
               snapshot=None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a catalogue file, from the run's snapshot of the inputs when given (else
    read from disk through the bounded reader)."""
    from helpers.input_snapshot import read_bounded

    rel = f"catalog/{path.name}"
    try:
        data = snapshot.require(rel) if snapshot is not None else read_bounded(path, rel)
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{path.name}: missing column(s) {', '.join(missing)}")
        return [(n, {k: (v if isinstance(v, str) else "").strip() for k, v in row.items()
                     if isinstance(k, str)}) for n, row in enumerate(reader, start=2)]
    except InputFileError as exc:
        if exc.reason == "not found":
            raise CatalogError(f"catalogue file missing: {rel}") from None
        raise CatalogError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise CatalogError(f"{path.name}: not readable as CSV ({exc})") from None


def load_catalog(raw_dir: Path, snapshot=None) -> Catalog:
    """Read and check data/raw/catalog/*.csv (from `snapshot`, the run's inputs read once,
    when given)."""
    folder = Path(raw_dir) / "catalog"
    indicators = []
    for line, row in _read_rows(folder / "indicators.csv",
                                ["code", "name_zh", "short_zh", "name_en", "unit", "kind"],
                                snapshot):
        if row["kind"] not in KINDS:
            raise CatalogError(f"indicators.csv line {line}: kind {row['kind']!r} is not "
                               f"supported (supported: {', '.join(KINDS)}); share indicators "
                               "are not computed by this pipeline")
        indicators.append(Indicator(
            code=row["code"], name_zh=row["name_zh"], short_zh=row["short_zh"] or row["name_zh"],
            name_en=row["name_en"], unit=row["unit"], kind=row["kind"],
            short_en=row.get("short_en", "") or row["name_en"]))
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        raise CatalogError("indicators.csv: duplicate indicator code")

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
    districts.sort(key=lambda d: d.order)

    milestones = []
    for line, row in _read_rows(folder / "milestones.csv", ["indicator", "date", "share_due"],
                                snapshot):
        if row["indicator"] not in codes:
            raise CatalogError(f"milestones.csv line {line}: unknown indicator "
                               f"{row['indicator']!r}")
        try:
            date = dt.date.fromisoformat(row["date"])
            share = float(row["share_due"])
        except ValueError as exc:
            raise CatalogError(f"milestones.csv line {line}: {exc}") from exc
        if not 0.0 <= share <= 1.0:
            raise CatalogError(f"milestones.csv line {line}: share_due {share} is not in [0, 1]")
        milestones.append(Milestone(row["indicator"], date, share, row.get("note", "")))
    return Catalog(indicators=indicators, districts=districts, milestones=milestones)
