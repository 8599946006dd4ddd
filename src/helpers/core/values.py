"""Missing values, as pandas and the inputs give them."""

from __future__ import annotations


def is_missing(value: object) -> bool:
    """None, NaN or pandas NA / NaT."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NA are not equal to themselves
    except TypeError:  # pandas NA raises on bool()
        return True
