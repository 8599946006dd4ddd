"""Page shells from templates: every value escaped as the tables escape it, fragments as they
are, a missing value an error, style sheets joined into one line without their comments."""

from __future__ import annotations

import html

import pytest
from jinja2 import UndefinedError

from helpers.render.page_templates import fragment, render_page, style_sheet


def test_values_are_escaped_like_the_tables_and_fragments_are_not():
    hostile = "<script>alert('x')</script> & \"q\""
    page = render_page("briefs_index.html.j2", lang="zh", title=hostile, css=fragment("b{}"),
                       headers=[hostile], units=[])
    assert html.escape(hostile, quote=True) in page  # &#x27; and &quot;, as html.escape
    assert "<script>" not in page and "<style>b{}</style>" in page
    assert page.endswith("</html>\n")


def test_a_missing_value_is_an_error_not_an_empty_string():
    with pytest.raises(UndefinedError):
        render_page("briefs_index.html.j2", lang="zh", css="", headers=[], units=[])


def test_a_style_sheet_is_one_line_without_comments():
    css = style_sheet("report.css")
    assert "\n" not in css and "/*" not in css
    assert css.startswith(".report-table{border-collapse:collapse;")
