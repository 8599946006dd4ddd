"""The status colours and the text colour on them, by the WCAG 2 contrast ratio: the same choice
in the HTML (and so the PDF), the charts, the Excel workbook and the Word document, so that a
status name on its status colour stays readable when printed in black and white or read on a
poor screen."""

from __future__ import annotations

BLACK = "#000000"
WHITE = "#FFFFFF"
WCAG_AA_NORMAL_TEXT = 4.5  # minimum contrast ratio for body-size text (WCAG 2.x, level AA)

# Status colours, shared by charts, HTML and Excel: greens and blues for what is on track,
# yellow to orange for what is behind, reds for what is seriously behind or missed, greys for
# what is not judged (colour-blind-safe, Okabe-Ito based).
STATUS_COLORS = {
    "over": "#009E73",
    "done": "#56B4E9",
    "on_time": "#56B4E9",
    "late": "#F0E442",
    "on_track": "#0072B2",
    "near": "#9FD3F0",
    "met": "#7FCDBB",
    "lagging": "#E69F00",
    "serious_lag": "#D55E00",
    "not_started": "#A50026",
    "below": "#FDB863",
    "unmet": "#D55E00",
    "overdue": "#D55E00",
    "not_due": "#E6E6E6",
    "no_target": "#F7F7F7",
    "no_data": "#F7F7F7",
}


def _rgb(colour: str) -> tuple[int, int, int]:
    """'#D55E00' or 'D55E00' -> (213, 94, 0)."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour, 0 (black) .. 1 (white)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(v) for v in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, 1 .. 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (as '#000000'/'#FFFFFF').
    The better of the two always reaches at least 4.58:1, above WCAG AA for normal text."""
    on_black = contrast_ratio(background, BLACK)
    on_white = contrast_ratio(background, WHITE)
    return BLACK if on_black >= on_white else WHITE
