"""The one rounding rule of every output: half up, on the decimal value a reader would write
down (287/560 = 51.25% prints 51.3%, 65/80 = 81.25% prints 81.3%).

Python's round() and format() round half to even on the binary value, so 51.25 prints 51.2
there and 2.675 prints 2.67; the functions here read the shortest decimal form of the float
(its repr, which for a ratio of two counts is the exact decimal when one exists) and round
that half up, away from zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_STEPS = {digits: Decimal(1).scaleb(-digits) for digits in range(0, 7)}


def _rounded(exact: Decimal, digits: int) -> Decimal:
    rounded = exact.quantize(_STEPS[digits], rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # no "-0.0"


def half_up(value: float, digits: int = 1) -> float:
    """`value` rounded half up (away from zero) to `digits` decimals: 51.25 -> 51.3."""
    return float(_rounded(Decimal(repr(float(value))), digits))


def percent(fraction: float, digits: int = 1) -> float:
    """A fraction as the percentage printed, half up: 0.5125 -> 51.3 (no binary drift from
    multiplying by 100 first: 0.5125 * 100 is 51.24999...)."""
    return float(_rounded(Decimal(repr(float(fraction))).scaleb(2), digits))


def percent_text(fraction: float, digits: int = 1) -> str:
    """The digits of `percent` as text, trailing zeros kept: 0.5 -> '50.0'."""
    return f"{_rounded(Decimal(repr(float(fraction))).scaleb(2), digits):f}"


def fixed_text(value: float, digits: int = 1) -> str:
    """`value` as text with `digits` decimals, half up: 15.25 -> '15.3'."""
    return f"{_rounded(Decimal(repr(float(value))), digits):f}"


def percent_digits(kind: str, threshold: float | None) -> int:
    """Decimals of an indicator's percentages: two for a share whose threshold is below 10%
    (2.77% against 2.8%: one decimal would print both as 2.8%), one otherwise."""
    return 2 if kind == "share" and threshold is not None and threshold == threshold \
        and threshold < 0.1 else 1
