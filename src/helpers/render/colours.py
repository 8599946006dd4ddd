"""The status colours and the text colour on them, by the WCAG 2 contrast ratio: the same choice
in the HTML (and so the PDF), the charts, the Excel workbook and the Word document, so that a
status name on its status colour stays readable when printed in black and white or read on a
poor screen."""

from __future__ import annotations

from helpers.core.statuses import FAMILY_OF, STATUSES

BLACK = "#000000"
WHITE = "#FFFFFF"
WCAG_AA_NORMAL_TEXT = 4.5  # minimum contrast ratio for body-size text (WCAG 2.x, level AA)

# One colour per status family (helpers.core.statuses.FAMILIES), shared by the charts, the HTML
# (and so the PDF), the workbook and the Word document: the Okabe-Ito palette, whose colours stay
# apart for the common forms of colour blindness; greys for what is not judged.
FAMILY_COLORS = {
    "done": "#009E73",  # bluish green: 已完成, 超额完成, 按期完成, 达标
    "on_track": "#0072B2",  # blue: 符合进度
    "near": "#56B4E9",  # sky blue: 基本符合进度, 逾期完成 (reached, with a reservation)
    "behind": "#E69F00",  # orange: 滞后, 未达标
    "serious": "#D55E00",  # vermillion: 严重滞后, 未启动
    "overdue": "#CC79A7",  # reddish purple: 逾期未完成, 未完成 (a date of the plan missed)
    "not_due": "#E6E6E6",  # grey: 未到期, 无目标, 无数据
}
STATUS_COLORS = {status: FAMILY_COLORS[FAMILY_OF[status]] for status in STATUSES}


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
