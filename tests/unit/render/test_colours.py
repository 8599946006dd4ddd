"""Status colours stay readable: text on every status colour reaches WCAG AA (4.5:1) in the HTML
(and so the printed PDF), the workbook and the Word document (tested there)."""

from __future__ import annotations

import re

import pytest

from helpers.render.colours import (
    STATUS_COLORS,
    contrast_ratio,
    readable_text_colour,
    relative_luminance,
)
from helpers.render.html_page import style


def _wcag_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio, computed here from the definition (a second route)."""
    def luminance(colour: str) -> float:
        values = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#FFFFFF", "#000000", 21.0), ("#000000", "#000000", 1.0), ("#777777", "#FFFFFF", 4.48),
    ("#D55E00", "#FFFFFF", 3.87), ("#009E73", "#FFFFFF", 3.42),  # why white had to go
])
def test_contrast_ratio_known_values(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)


def test_luminance_ends():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("FFFFFF") == pytest.approx(1)
    with pytest.raises(ValueError, match="#RRGGBB"):
        relative_luminance("#FFF")


@pytest.mark.parametrize("status", sorted(STATUS_COLORS))
def test_chosen_text_colour_reaches_aa_on_every_status(status):
    background = STATUS_COLORS[status]
    assert _wcag_ratio(background, readable_text_colour(background)) >= 4.5


def test_html_status_cells_reach_aa():
    """The report's CSS as the browser (and the PDF) gets it."""
    found = re.findall(r"\.status-(\w+)\{background:(#[0-9A-Fa-f]{6});color:(#[0-9A-Fa-f]{6})\}",
                       style())
    rules = {status: (background, text) for status, background, text in found}
    assert set(rules) == set(STATUS_COLORS)
    for status, (background, text) in rules.items():
        assert _wcag_ratio(background, text) >= 4.5, status


def test_a_comment_over_several_lines_never_swallows_a_rule(tmp_path, monkeypatch):
    # the style sheets reach the pages without their comments, however long
    from helpers.render import page_templates

    (tmp_path / "x.css").write_text("/* one\n   two */\na{color:red}\n/* three */b{x:y}\n",
                                    encoding="utf-8")
    monkeypatch.setattr(page_templates, "TEMPLATES", tmp_path)
    assert page_templates.style_sheet("x.css") == "a{color:red}b{x:y}"
