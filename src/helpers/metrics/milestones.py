"""The share of a target due by a date: linear between milestone dates, time progress when an
indicator has no schedule, a step at each date for an indicator followed by stages; and the
whole units that a share of a target means."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from decimal import Decimal

from helpers.ingest.catalog import Catalog, Milestone


def time_progress(date: dt.date) -> float:
    """Elapsed share of the year at the end of `date` (30 June 2018: 181/365)."""
    start = dt.date(date.year, 1, 1)
    days_in_year = (dt.date(date.year + 1, 1, 1) - start).days
    return ((date - start).days + 1) / days_in_year


def milestone_share(milestones: Sequence[Milestone], date: dt.date) -> float:
    """Share of the target due at `date`.

    Before the first milestone the requirement rises linearly from 0 at the start of the year;
    between milestones it is interpolated linearly; after the last one it stays at its share.
    """
    if not milestones:
        return time_progress(date)
    points = [(dt.date(date.year, 1, 1) - dt.timedelta(days=1), 0.0)]
    points += [(m.date, m.share_due) for m in sorted(milestones, key=lambda m: m.date)]
    if date >= points[-1][0]:
        return points[-1][1]
    for (d0, s0), (d1, s1) in itertools.pairwise(points):
        if d0 <= date <= d1:
            if d1 == d0:
                return s1
            return s0 + (s1 - s0) * (date - d0).days / (d1 - d0).days
    return 0.0  # before the start of the year


def step_share(milestones: Sequence[Milestone], date: dt.date) -> float:
    """Share due at `date` when only the dated steps count (no interpolation): the share of the
    latest milestone on or before `date`, 0 before the first."""
    due = [m.share_due for m in sorted(milestones, key=lambda m: m.date) if m.date <= date]
    return due[-1] if due else 0.0


def value_requirement(catalog: Catalog, code: str, date: dt.date) -> float:
    """Share of the indicator's own figure due at `date`. An indicator followed by stages (the
    centres: 选址, 启动装修, then 100% built by 30 November) owes none of its own figure before
    the dated step: the stages are what is due until then."""
    milestones = catalog.milestones_for(code, date.year)
    if catalog.is_staged(code, date.year):
        return step_share(milestones, date)
    return milestone_share(milestones, date)


def units_due(target: int, share: float) -> int:
    """Whole units a share of a target means, rounded up: a part of a unit is still owed
    (15000 x 181/365 = 7438.4 -> 7439; 11 x 0.4959 = 5.45 -> 6; 110 x 0.4 is 44, not 45)."""
    return units_at_least(target, share)


def units_at_least(denominator: int, threshold: float) -> int:
    """The smallest whole count that reaches `threshold` of `denominator` (50% of 7 -> 4). The
    product is taken to six decimals first: floating-point noise (365 x 181/365 =
    181.00000001) is not a part of a unit."""
    product = Decimal(denominator) * Decimal(repr(threshold))
    return math.ceil(product.quantize(Decimal("0.000001")))
