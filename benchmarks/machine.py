"""How fast the machine runs plain Python at the moment of a benchmark, so that figures taken
at different times can be read side by side: on a shared machine the same run took a third
longer from one hour to the next. Compare ratios within one script's run; this says how busy
the machine was when they were taken."""

from __future__ import annotations

import time

LOOP = 5_000_000


def python_loop_s() -> float:
    """Seconds a fixed pure-Python loop takes, the best of three."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(LOOP):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best, 3)
