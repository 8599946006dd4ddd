"""Checks across the files of a year, on whole columns: a province's returns hold a million
figures, so each check compares arrays and walks only the rows it finds wrong. The problems
are those a row by row walk finds, in the same order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.core.problems import (
    DIP,
    MISSING_RETURN,
    WARNING,
    Problem,
    date_location,
    split_source,
)
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import plausible_count_problem, plausible_maximum

FIGURE_KEY = ["district", "indicator", "stage", "as_of"]  # one figure per key


class Numbered:
    """Some columns of a frame, each numbered once (pd.factorize, distinct values in sorted
    order): what the checks compare instead of the texts and dates themselves."""

    def __init__(self, frame: pd.DataFrame, columns: list[str]):
        self.frame = frame
        self.codes: dict[str, np.ndarray] = {}
        self.values: dict[str, list] = {}
        for column in columns:
            codes, uniques = pd.factorize(frame[column], sort=True, use_na_sentinel=False)
            self.codes[column], self.values[column] = codes.astype(np.int64), uniques.tolist()

    def rows(self, keep: np.ndarray) -> Numbered:
        """The same numbering for the rows `keep` selects (a boolean mask)."""
        part = Numbered(self.frame[keep], [])
        part.codes = {column: codes[keep] for column, codes in self.codes.items()}
        part.values = self.values
        return part

    def rank(self, columns: list[str], orders: dict[str, dict] | None = None) -> np.ndarray:
        """Per row, one integer for its values in `columns`: equal for rows equal in them, and
        ordered as the rows sort by them, column by column. `orders` gives a column's own
        order (value -> place; a value it does not list comes after those it lists)."""
        rank = np.zeros(len(self.frame), dtype=np.int64)
        top = 0  # the largest rank so far
        for column in columns:
            codes, values = self.codes[column], self.values[column]
            width = max(len(values), 1)
            if orders and column in orders:
                order = orders[column]
                width = len(order) + 1
                codes = np.array([order.get(v, len(order)) for v in values],
                                 dtype=np.int64)[codes] if len(codes) else codes
            if (top + 1) * width >= 2 ** 62:  # keep within int64: renumber the ranks densely
                rank = pd.factorize(rank, sort=True)[0].astype(np.int64)
                top = int(rank.max(initial=0))
            rank = rank * width + codes
            top = top * width + width - 1
        return rank

    def distinct(self, columns: list[str]) -> tuple[np.ndarray, list[tuple]]:
        """Per row, the number of its values in `columns` among the distinct combinations of
        them, and those combinations (in the order they first appear)."""
        numbers, _ = pd.factorize(self.rank(columns))
        first = pd.Series(numbers).drop_duplicates().index.to_numpy()  # in number order
        values = [[self.values[c][code] for code in self.codes[c][first].tolist()]
                  for c in columns]
        return numbers, list(zip(*values, strict=True))

    def mapped(self, columns: list[str], lookup, dtype=object) -> np.ndarray:
        """`lookup(*values)` of every row's values in `columns`, called once per distinct
        combination of them (of one column: once per value the column's numbering holds)."""
        if len(columns) == 1:  # one column is numbered already: each of its values once
            column = columns[0]
            codes, values = self.codes[column], self.values[column]
            if not len(codes):
                return np.array([], dtype=dtype)
            return np.array([lookup(value) for value in values], dtype=dtype)[codes]
        numbers, combinations = self.distinct(columns)
        if not combinations:
            return np.array([], dtype=dtype)
        return np.array([lookup(*values) for values in combinations], dtype=dtype)[numbers]


def drop_implausible(frame: pd.DataFrame, column: str, catalog: Catalog,
                     problems: list[Problem], numbered: Numbered | None = None
                     ) -> pd.DataFrame:
    """`frame` without the figures larger than a district could plausibly report in their
    unit; each one is added to `problems` with its cell or line. `numbered`: the frame's
    indicator column, when numbered already."""
    if frame.empty:
        return frame
    units = {i.code: i.unit for i in catalog.indicators}
    limit = (numbered or Numbered(frame, ["indicator"])).mapped(
        ["indicator"], lambda code: plausible_maximum(units.get(code, "")), np.int64)
    values = frame[column].to_numpy()
    suspect = np.flatnonzero(values > limit)
    if not len(suspect):
        return frame
    bad = set()
    rows = frame.iloc[suspect]
    for value, code, source in zip(rows[column].tolist(), rows["indicator"].tolist(),
                                   rows["source"].tolist(), strict=True):
        reason = plausible_count_problem(value, units.get(code, ""))
        if reason:
            problems.append(Problem(*split_source(source), reason))
            bad.add(source)
    return frame[~frame["source"].isin(bad)] if bad else frame


def cross_checks(allocation: pd.DataFrame, progress: pd.DataFrame, catalog: Catalog,
                 year: int, refused_targets: set[tuple[str, str]] = frozenset(),
                 numbered: Numbered | None = None) -> tuple[list[Problem], pd.Index]:
    """Checks across files: figures reported twice, returns for indicators without a target
    (but for targets whose own cell was refused: that error is listed once), task stages other
    than done (1) or not (0), districts with no return for a date, cumulative figures that go
    down. Returns the problems and the index labels of the rows repeating an earlier row's
    figure (FIGURE_KEY). `numbered`: the progress rows' FIGURE_KEY columns, when numbered
    already."""
    problems: list[Problem] = []
    if progress.empty:
        return problems, progress.index[:0]
    if numbered is None:
        numbered = Numbered(progress, FIGURE_KEY)
    key = pd.Series(numbered.rank(FIGURE_KEY))
    twice = key.duplicated(keep=False).to_numpy()
    if twice.any():
        dup = progress[twice]
        for (district, code, stage, as_of), rows in dup.groupby(FIGURE_KEY, sort=True):
            sources = list(rows["source"])
            shown = f"{code}/{stage}" if stage else code
            problems.append(Problem(*split_source(sources[1]),
                                    f"{district} {shown} {as_of} is also reported in "
                                    f"{sources[0]}"))
    problems.extend(_unexpected(allocation, numbered, catalog, refused_targets))

    # no figure given twice (the usual case): no row repeats one
    repeated = key.duplicated().to_numpy() if twice.any() else np.zeros(len(key), dtype=bool)
    clean = numbered.rows(~repeated) if repeated.any() else numbered
    problems.extend(_share_parts(clean, catalog))
    problems.extend(_missing_returns(allocation, clean, catalog, year))
    problems.extend(_dips(clean, catalog))
    return problems, progress.index[repeated]


def _unexpected(allocation: pd.DataFrame, numbered: Numbered, catalog: Catalog,
                refused_targets: set[tuple[str, str]]) -> list[Problem]:
    """Figures of a counted indicator for a district without its target, and task stages
    other than 0 or 1, row by row."""
    progress = numbered.frame
    kinds = {i.code: i.kind for i in catalog.indicators}
    kind = numbered.mapped(["indicator"], kinds.get)
    targeted = set(zip(allocation["district"].tolist(), allocation["indicator"].tolist(),
                       strict=True))
    untargeted = np.zeros(len(progress), dtype=bool)
    if targeted:
        untargeted = numbered.mapped(
            ["district", "indicator"],
            lambda *pair: pair not in targeted and pair not in refused_targets, bool)
        untargeted &= (kind == "count") | (kind == "stock")
    task = (kind == "task") & (progress["value"].to_numpy() > 1)
    problems = []
    wrong = np.flatnonzero(untargeted | task)
    rows = progress.iloc[wrong]
    for at, district, code, stage, value, source in zip(
            wrong.tolist(), rows["district"].tolist(), rows["indicator"].tolist(),
            rows["stage"].tolist(), rows["value"].tolist(), rows["source"].tolist(),
            strict=True):
        if untargeted[at]:
            problems.append(Problem(*split_source(source),
                                    f"{district} {code} has no target in the "
                                    "allocation table"))
        if task[at]:
            problems.append(Problem(*split_source(source),
                                    f"{district} {code}/{stage}: a task stage is "
                                    f"done (1) or not done (0), not {value}"))
    return problems


def _missing_returns(allocation: pd.DataFrame, clean: Numbered, catalog: Catalog,
                     year: int) -> list[Problem]:
    """A warning for each district with a target that sent nothing for a reporting date."""
    reported_on: dict = {}
    for as_of, district in clean.distinct(["as_of", "district"])[1]:
        reported_on.setdefault(as_of, set()).add(district)
    allocated = set(allocation["district"].unique().tolist())
    districts = [d.name for d in catalog.districts if d.name in allocated]
    problems = []
    for as_of in sorted(reported_on):
        on_date = reported_on[as_of]
        for district in districts:
            if district not in on_date:
                problems.append(Problem(f"{year}/progress", date_location(as_of),
                                        f"{district} has no return for {as_of}", WARNING,
                                        kind=MISSING_RETURN, district=district, date=as_of))
    return problems


def _dips(clean: Numbered, catalog: Catalog) -> list[Problem]:
    """A warning for each cumulative figure below the one before it (same district, indicator
    and stage, the dates in order)."""
    cumulative = {i.code for i in catalog.indicators if i.cumulative}
    flows = clean.mapped(["indicator"], lambda code: code in cumulative, bool)
    at = np.flatnonzero(flows)
    key = clean.rank(FIGURE_KEY)
    at = at[np.argsort(key[at], kind="stable")]  # as the rows sort by their figure key
    group = clean.rank(FIGURE_KEY[:3])[at]
    values = clean.frame["value"].to_numpy()[at]
    down = np.flatnonzero((group[1:] == group[:-1]) & (values[1:] < values[:-1]))
    problems = []
    if not len(down):
        return problems
    rows = clean.frame.iloc[at]
    columns = [rows[name].tolist() for name in (*FIGURE_KEY, "value", "source")]
    for k in down.tolist():
        earlier = tuple(column[k] for column in columns)
        district, code, stage, as_of, value, source = (column[k + 1] for column in columns)
        shown = f"{code}/{stage}" if stage else code
        problems.append(Problem(
            *split_source(source),
            f"{district} {shown}: cumulative figure went down from {earlier[4]} "
            f"({earlier[3]}) to {value} ({as_of})", WARNING,
            kind=DIP, district=district, indicator=code, stage=stage, date=as_of,
            value=int(value), earlier_date=earlier[3], earlier_value=int(earlier[4])))
    return problems


def _share_parts(clean: Numbered, catalog: Catalog) -> list[Problem]:
    """A share's numerator is a part of its denominator: more nursing beds than beds, or more
    care homes with medical care than care homes, is an error naming the numerator's cell."""
    problems = []
    progress = clean.frame
    plain = clean.mapped(["stage"], lambda stage: not stage, bool)
    place = clean.rank(["district", "as_of"])  # a district's figures of one date
    values = progress["value"].to_numpy()
    for ind in (i for i in catalog.indicators if i.kind == "share"):
        code = clean.mapped(["indicator"], lambda c, ind=ind: (c == ind.numerator)
                            - (c == ind.denominator), np.int8)
        parts = np.flatnonzero(plain & (code == 1))
        wholes = np.flatnonzero(plain & (code == -1))
        if not len(parts) or not len(wholes):
            continue
        # each part's whole: the denominator's row of the same district and date, if any
        whole_at = pd.Series(wholes, index=place[wholes]).reindex(place[parts]).to_numpy()
        found = ~np.isnan(whole_at)
        exceeds = np.zeros(len(parts), dtype=bool)
        exceeds[found] = values[parts[found]] > values[whole_at[found].astype(np.int64)]
        for part, whole in zip(parts[exceeds].tolist(), whole_at[exceeds].astype(np.int64)
                               .tolist(), strict=True):
            district, value, source = (progress[c].iat[part] for c in ("district", "value",
                                                                        "source"))
            whole_value, whole_source = (progress[c].iat[whole] for c in ("value", "source"))
            problems.append(Problem(*split_source(source),
                                    f"{district} {ind.numerator} {value} exceeds "
                                    f"{ind.denominator} {whole_value} ({whole_source}): a "
                                    "part cannot exceed its whole"))
    return problems
