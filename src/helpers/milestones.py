"""The share of a target due by a date: linear between milestone dates, time progress when an
indicator has no schedule."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from helpers.catalog import Milestone


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
