"""The report page's sections in the order the notebook shows them, each rendered from the
report data: one list for the notebook (a cell per section) and for `helpers run`, which
renders them while the kernel starts and hands the kernel the finished HTML."""

from __future__ import annotations

from helpers.metrics.report_data import ReportData
from helpers.notebook.section_list import REPORT_SECTIONS


def render_section(data: ReportData, key: str) -> str:
    """One section's HTML fragment (empty where the report has no such section)."""
    from helpers.render.html_ledger import ledger_section
    from helpers.render.html_main_text import main_text_section
    from helpers.render.html_page import contents, first_screen
    from helpers.render.html_sections import SECTION_RENDERERS, appendix_section
    from helpers.words.run_record import run_facts

    if key == "first_screen":
        return first_screen(data)
    if key == "contents":
        return contents(data)
    if key == "main_text":
        return main_text_section(data)
    if key == "ledger":
        return ledger_section(data)
    if key == "appendix":
        return appendix_section(data, run_facts(data.params.lang))
    if key not in SECTION_RENDERERS:
        raise KeyError(f"no report section {key!r}; the sections are {', '.join(REPORT_SECTIONS)}")
    return SECTION_RENDERERS[key](data)


def render_sections(data: ReportData) -> dict[str, str]:
    """Every section's HTML fragment, by key, in the notebook's order."""
    return {key: render_section(data, key) for key in REPORT_SECTIONS}
