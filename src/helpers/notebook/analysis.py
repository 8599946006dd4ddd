"""The report notebook as an analyst works in it by hand (JupyterLab, `make lab`): each section
shown as real objects — a pandas Styler of the section's table with the report's own columns,
formats and status colours, the charts as SVG figures, the written parts as text — and
`frame(report, section)`, the raw DataFrame behind any section, to sort, filter and plot.

The published run shows the sections the runner rendered (helpers.notebook.api.PreparedReport);
this module is imported only when the notebook computes the report itself."""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from helpers.core.statuses import STATUSES
from helpers.metrics.derived_tables import changes_table, city_forward
from helpers.metrics.report_data import ReportData
from helpers.notebook.sections import REPORT_SECTIONS, render_section
from helpers.render import chart_data, svg_charts
from helpers.render.colours import STATUS_COLORS, readable_text_colour
from helpers.render.columns import (
    Column,
    changes_columns,
    checkpoint_columns,
    district_column,
    forward_columns,
    group_column,
    indicator_row_columns,
    lagging_columns,
    ranking_columns,
    shares_columns,
    summary_columns,
)
from helpers.render.html_page import sections
from helpers.render.ledger_columns import (
    ledger_district_columns,
    ledger_district_rows,
    ledger_item_columns,
    ledger_monthly_columns,
)
from helpers.words.labels import label, report_title, status_label, total_label

SECTIONS = REPORT_SECTIONS  # every section a cell shows, in the notebook's order


def frame(report: ReportData, section: str) -> pd.DataFrame:
    """The raw DataFrame behind one section of the report (SECTIONS): the figures as numbers,
    codes and dates, every column the outputs read; empty where the report has no such part."""
    data = report
    if section not in SECTIONS:
        raise KeyError(f"no report section {section!r}; the sections are {', '.join(SECTIONS)}")
    if section == "first_screen":
        return pd.DataFrame([(s, data.counts[s]) for s in STATUSES if data.counts.get(s)],
                            columns=["status", "items"])
    if section == "contents":
        return pd.DataFrame(sections(data), columns=["anchor", "heading"])
    if section == "main_text":
        return main_text_frame(data)
    if section == "summary":  # the share indicators follow in their own table
        return data.summary[data.summary["kind"] != "share"].reset_index(drop=True)
    if section == "changes":
        return changes_table(data)
    if section == "ledger":
        return data.ledger.districts if data.ledger is not None else pd.DataFrame()
    return {"ranking": data.ranking, "checkpoints": data.checkpoints, "forward": data.forward,
            "charts": data.table, "districts": data.table, "lagging": data.lagging,
            "timeline": data.timeline, "appendix": data.inputs}[section]


def main_text_frame(data: ReportData) -> pd.DataFrame:
    """The main text, a row per paragraph: its part, whether generated or written, its text."""
    text = data.main_text
    rows = [("opening", "generated", line) for line in text.opening]
    for part in text.parts:
        rows += [(part.key, "generated", line) for line in part.before]
        rows += [(part.key, "written", block.text) for written in part.written
                 for block in written.blocks]
        rows += [(part.key, "generated", line) for line in part.after]
    return pd.DataFrame(rows, columns=["part", "source", "text"])


def styled(rows, columns: list[Column]) -> Styler:
    """A table of the report (its rows, its columns) as a pandas Styler: the cells as the report
    prints them, numbers right-aligned, statuses in their colours; every text escaped."""
    rows = list(rows)
    headers = _unique([c.header for c in columns])
    texts = pd.DataFrame([[c.text(r) for c in columns] for r in rows], columns=headers)
    looks = pd.DataFrame([[_look(c, r) for c in columns] for r in rows], columns=headers)
    return (texts.style.hide(axis="index").format(escape="html")
            .format_index(escape="html", axis=1).apply(lambda _: looks, axis=None))


def _look(column: Column, row) -> str:
    status = column.status(row) if column.status is not None else None
    css = "text-align:right;" if column.css == "num" else "text-align:left;"
    if status in STATUS_COLORS:
        colour = STATUS_COLORS[status]
        css += f"background-color:{colour};color:{readable_text_colour(colour)};"
    return css


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


def _text(lines: list[str]) -> object:
    from IPython.display import HTML

    return HTML("".join(f"<p>{html.escape(line)}</p>" for line in lines))


def section_objects(report: ReportData, section: str) -> list[object]:
    """What a section's cell shows when the notebook computes the report itself."""
    from IPython.display import HTML, SVG

    data, lang = report, report.params.lang
    if section == "first_screen":
        counts = frame(data, section)
        tiles = pd.DataFrame({label("col.status", lang): [status_label(s, lang)
                                                          for s in counts["status"]],
                              label("head.total", lang): counts["items"]})
        return [HTML(f"<h1>{html.escape(report_title(data.params))}</h1>"),
                tiles.style.hide(axis="index").format(escape="html")
                .apply(lambda _: pd.DataFrame(
                    [[_status_look(s), ""] for s in counts["status"]],
                    columns=tiles.columns), axis=None)]
    if section == "contents":
        return [frame(data, section)]
    if section == "ledger" and not render_section(data, section):
        return []
    if section == "main_text":  # the text as sent: headings, paragraphs, 附件说明
        return [HTML(render_section(data, section))]
    if section == "summary":
        shares = data.summary["kind"] == "share"
        return [styled(data.summary[~shares].itertuples(), summary_columns(data)),
                *([styled(data.summary[shares].itertuples(), shares_columns(data))]
                  if shares.any() else [])]
    if section == "changes":
        moved = changes_table(data)
        return [styled(moved.itertuples(), changes_columns(data))] if len(moved) else []
    if section == "ranking":
        return [styled(data.ranking.itertuples(), ranking_columns(data))]
    if section == "checkpoints":
        return ([styled(data.checkpoint_summary.itertuples(), checkpoint_columns(data))]
                if len(data.checkpoints) else [])
    if section == "forward":
        if data.params.period == "FY":
            return []
        risky = data.forward[data.forward["at_risk"]]
        return [styled(city_forward(data).itertuples(), forward_columns(data, False)),
                styled(risky.itertuples(), forward_columns(data, True))]
    if section == "charts":
        return [SVG(svg_charts.heatmap_svg(data)),
                *(SVG(svg_charts.bars_svg(data, code))
                  for code in chart_data.charted_indicators(data))]
    if section == "districts":
        return [styled(data.table.itertuples(),
                       [district_column(data), *indicator_row_columns(data)])]
    if section == "lagging":
        return [styled(data.lagging.itertuples(),
                       [group_column(data), *lagging_columns(data, False)])]
    if section == "timeline":
        if data.timeline.empty:
            return []
        return [SVG(svg_charts.timeline_svg(data)),
                data.timeline.pivot(index="indicator", columns="as_of", values="completion")]
    if section == "ledger":
        view = data.ledger
        total = total_label(data.params)
        return [styled(ledger_district_rows(data, total), ledger_district_columns(data, total)),
                styled(view.monthly.itertuples(index=False), ledger_monthly_columns(data)),
                styled(view.overdue.itertuples(index=False), ledger_item_columns(data))]
    if section == "appendix":
        return [data.inputs, pd.DataFrame([w.as_dict() for w in data.warnings]),
                pd.DataFrame(sorted(data.params.as_dict().items()),
                             columns=["parameter", "value"])]
    raise KeyError(f"no report section {section!r}; the sections are {', '.join(SECTIONS)}")


def _status_look(status: str) -> str:
    colour = STATUS_COLORS[status]
    return f"background-color:{colour};color:{readable_text_colour(colour)};"
