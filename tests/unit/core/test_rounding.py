"""The one rounding rule: half up on the decimal value, checked against exact fractions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from helpers.core.rounding import fixed_text, half_up, percent, percent_text
from helpers.words.labels import fmt_decimal, fmt_percent, fmt_points, fmt_pp, fmt_share


def exact_percent(done: int, target: int) -> Fraction:
    """done / target in percent, rounded half up to one decimal, by integer arithmetic."""
    tenths = Fraction(done * 1000, target)
    whole = tenths.numerator // tenths.denominator
    if tenths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 10)


def test_exact_halves_round_up():
    # the two cases a reviewer found printed rounded down (287/560 and 65/80)
    assert percent(287 / 560) == 51.3
    assert percent(65 / 80) == 81.3
    assert fmt_percent(287 / 560) == "51.3%"
    assert fmt_percent(65 / 80) == "81.3%"
    assert percent_text(1 / 8) == "12.5"
    assert percent_text(1 / 16) == "6.3"  # 6.25
    assert half_up(2.675, 2) == 2.68
    assert fixed_text(15.25) == "15.3"


def test_no_negative_zero():
    assert fixed_text(-0.04) == "0.0"
    assert fmt_pp(-0.04) == "0.0"
    assert fmt_pp(-0.05) == "-0.1"
    assert fmt_pp(0.05) == "+0.1"
    assert fmt_points(-8.25) == "8.3"


def test_other_formats_share_the_rule():
    assert fmt_share(0.0275) == "2.8%"
    assert fmt_share(0.5) == "50%"
    assert fmt_decimal(15.25) == "15.3"
    assert fmt_percent(2 / 3, digits=2) == "66.67%"


@given(st.integers(min_value=0, max_value=200_000), st.integers(min_value=1, max_value=200_000))
def test_percent_of_two_counts_is_exact_half_up(done, target):
    assert Fraction(str(percent(done / target))) == exact_percent(done, target)
