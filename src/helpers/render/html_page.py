"""The report page's frame: its style, the first screen (title, facts, document form, demo
notice, status tiles, the districts seriously behind), the table of contents and the numbered
section headings."""

from __future__ import annotations

from helpers.core.statuses import STATUSES
from helpers.metrics.report_data import ReportData
from helpers.render.colours import STATUS_COLORS, readable_text_colour
from helpers.render.columns import district_label_of, indicator_label_of
from helpers.render.html_table import esc
from helpers.render.page_templates import render_page, style_sheet
from helpers.words import findings
from helpers.words.document_plan import annexes, main_parts, part_heading
from helpers.words.labels import (
    document_issuer,
    document_recipients,
    document_title,
    fmt_date,
    label,
    numbered,
    period_label,
    signing_date,
    status_label,
    title_parts,
)


def title(data: ReportData) -> str:
    """The report's title."""
    return document_title(data)


def title_html(data: ReportData) -> str:
    """The title, escaped, breaking between its parts only (year, subject, kind of report: never
    年度工作总 / 结); a title given as a parameter breaks where the browser likes."""
    params = data.params
    if data.title or params.title:
        return esc(title(data))
    parts = title_parts(params)
    return "<wbr>".join(esc(part) for part in parts)


def style() -> str:
    """The report's style (templates/report.css) and a colour per status, its text black or
    white by WCAG contrast (templates/status.css.j2; printed in report.pdf too)."""
    statuses = [(code, colour, readable_text_colour(colour))
                for code, colour in STATUS_COLORS.items()]
    return ("<style>" + style_sheet("report.css")
            + render_page("status.css.j2", statuses=statuses) + "</style>")


def facts(lang: str, pairs: list[tuple[str, str]]) -> str:
    """A line of 'label: value' facts."""
    colon = label("sep.colon", lang)
    return ('<p class="meta">' + "　".join(f"{esc(label(key, lang))}{colon}{esc(value)}"
                                           for key, value in pairs) + "</p>")


DISTRICTS_OPEN_MAX = 60  # beyond, each district's detail is a closed <details> element


LONG_LIST_SHOWN = 300  # beyond DISTRICTS_OPEN_MAX districts, the longest lists show this many


HEADLINE_NAMED_MAX = 20  # ... and the first screen names this many districts seriously behind


def is_large(data: ReportData) -> bool:
    """A report of more districts than a page shows in full: district details folded, tables
    compact (sources in report.xlsx and the CSV, not on hover), long lists cut to their most
    serious rows (all of them in report.xlsx)."""
    return len(data.districts) > DISTRICTS_OPEN_MAX


def demo_notice_html(data) -> str:
    """The banner saying the progress inputs are demonstration data ('' when they are
    real, or when the run turned the notice off)."""
    if not (data.demo_inputs and data.params.demo_notice):
        return ""
    lang = data.params.lang
    notice = label("misc.demo_notice", lang)
    reference = demo_reference_names(data)
    if reference:
        notice += label("misc.demo_reference", lang).format(
            names=label("name_sep_text", lang).join(reference))
    return f'<p class="demo-notice" id="demo-notice">{esc(notice)}</p>'


def demo_reference_names(data: ReportData) -> list[str]:
    """The reference figures (elderly population, communities) that are illustrative, not
    official, and that a share indicator or a plan target of this report uses."""
    used = {i.denominator for i in data.catalog.tracked if i.kind == "share"}
    if len(data.plan_targets):  # the communities the plan's meal coverage is taken of
        used |= {t.denominator for t in data.catalog.plan_targets
                 if t.year == data.params.year and t.denominator}
    demo = {f.measure for f in data.catalog.reference_figures
            if f.demo and f.year == data.params.year and f.measure in used}
    return [indicator_label_of(data, code) for code in sorted(demo)]


def tiles(counts: dict[str, int], lang: str, prefix: str) -> str:
    """One tile per status with a count, in the order of the vocabulary, and the total."""
    shown = [(s, counts[s]) for s in STATUSES if counts.get(s) and s not in ("no_target",
                                                                            "no_data")]
    parts = [f'<div class="status-{s}" id="{prefix}-{s}"><b>{n}</b>{esc(status_label(s, lang))}'
             "</div>" for s, n in shown]
    total = sum(n for _, n in shown)
    parts.append(f'<div id="{prefix}-total"><b>{total}</b>{esc(label("head.total", lang))}'
                 "</div>")
    return "".join(parts)


def first_screen(data: ReportData) -> str:
    """Title, period, report date, data as of, scope, the document form, demo-data notice, the
    status of every indicator as tiles and the districts seriously behind by name."""
    lang = data.params.lang
    names = data.districts
    scope = (label("head.scope_all", lang).format(n=len(names)) if data.params.districts is None
             else label("head.scope_subset", lang).format(
                 n=len(names), names=label("name_sep_text", lang).join(
                     district_label_of(data, n) for n in names)))
    params = data.params
    # printed (report.pdf), the page reads as the document sent: 文号, title, draft notice,
    # 主送机关, then the main text; the facts and tiles are the screen's
    number = (f'<p class="print-only doc-number">{esc(params.doc_number)}</p>'
              if params.doc_number else "")
    parts = [style(), number, f'<h1 id="top">{title_html(data)}</h1>',
             '<div class="screen-only">', facts(lang, [
                 ("head.period", label(f"period.{params.period}", lang)),
                 ("misc.report_date", fmt_date(data.report_date, lang)),
                 ("misc.data_as_of", fmt_date(data.data_as_of, lang)),
                 ("head.scope", scope)]), "</div>", document_form(data),
             f'<p class="print-only recipients">{esc(document_recipients(params))}'
             f'{esc(label("sep.colon", lang))}</p>']
    parts.append(demo_notice_html(data))
    parts.append('<div class="screen-only">'
                 f'<p class="headline-label">{esc(label("head.indicators", lang))}</p>'
                 f'<div class="headline" id="headline">{tiles(data.counts, lang, "headline")}'
                 "</div>")
    parts.append(district_headline(data) + "</div>")
    return "".join(parts)


def document_form(data: ReportData) -> str:
    """The line under the title facts: 文号 (when given), 成文日期, 发文机关 and 主送机关; above
    it, in a draft (no 文号 or 成文日期), the notice that it is one."""
    lang, params = data.params.lang, data.params
    pairs = [("form.doc_number", params.doc_number)] if params.doc_number else []
    pairs += [("form.drafting_date", signing_date(params)),
              ("form.issuer", document_issuer(params)),
              ("form.recipients", document_recipients(params))]
    draft = (f'<p class="demo-notice" id="draft-notice">'
             f'{esc(label("form.draft_notice", lang))}</p>' if params.is_draft else "")
    return f'{draft}<div class="screen-only" id="document-form">{facts(lang, pairs)}</div>'


def district_headline(data: ReportData) -> str:
    """How many districts have an item seriously behind or overdue (year end: a target or stage
    missed), and which, with how many such items each."""
    lang = data.params.lang
    named = findings.headline_districts(data)
    key = "head.unmet_districts" if findings.is_year_end_view(data) else \
        "head.serious_districts"
    counts = data.ranking.set_index("district")["headline_items"]
    out = [f'<p class="headline-label">{esc(label("head.districts", lang))}</p>'
           f'<div class="headline" id="district-headline-tiles"><div class="district-tile" '
           f'id="headline-districts-serious"><b>{len(named)}</b>{esc(label(key, lang))}</div>'
           "</div>"]
    if named:
        # a large report names those with the most such items; the count says how many
        shown = named[:HEADLINE_NAMED_MAX] if is_large(data) else named
        items = label("name_sep_text", lang).join(
            label("head.district_items", lang).format(district=district_label_of(data, d),
                                                      n=int(counts.get(d, 0)))
            for d in shown)
        if len(shown) < len(named):
            items += label("head.more_districts", lang).format(n=len(named))
        out.append(f'<p class="district-headline" id="district-headline">{esc(items)}</p>')
    else:
        out.append(f'<p class="district-headline" id="district-headline">'
                   f'{esc(label("head.all_on_track", lang))}</p>')
    return "".join(out)


WEB_KEYS = ("charts", "districts", "forward", "appendix")  # on the screen only, not printed


def web_keys(data: ReportData) -> list[str]:
    """The page's own appendix, after the 附件: charts, district tables, the items at risk
    (before the year end) and the run's record; not in the document sent."""
    return [key for key in WEB_KEYS if key != "forward" or data.params.period != "FY"]


def section_keys(data: ReportData) -> list[str]:
    """The top-level sections of this report, in order: the main text's parts, the 附件
    (helpers.words.document_plan), then the page's own appendix."""
    return [*main_parts(data), *(a.key for a in annexes(data)), *web_keys(data)]


def sections(data: ReportData) -> list[tuple[str, str]]:
    """(anchor, heading) of every top-level section, in order: the parts numbered 一、二、...,
    the 附件 as 附件1　指标完成情况汇总表, the page's appendix unnumbered."""
    lang, period = data.params.lang, data.params.period
    out = [(f"sec-{key}", numbered(number, part_heading(data, key), lang))
           for number, key in enumerate(main_parts(data), start=1)]
    gap = "　" if lang == "zh" else " "
    out += [(f"sec-{a.key}", f"{a.caption(lang)}{gap}{a.title}") for a in annexes(data)]
    out += [(f"sec-{key}", period_label(f"sec.{key}", lang, period)) for key in web_keys(data)]
    return out


def contents(data: ReportData) -> str:
    """The table of contents, with the districts listed under their section (up to
    DISTRICTS_OPEN_MAX of them; beyond, their folded list is the index)."""
    lang = data.params.lang
    items = []
    for anchor, text in sections(data):
        items.append(f'<li><a href="#{anchor}">{esc(text)}</a>')
        if anchor == "sec-districts" and not is_large(data):
            items.append("<ul>" + "".join(
                f'<li><a href="#{district_anchor(data, d)}">'
                f'{esc(district_label_of(data, d))}</a></li>'
                for d in data.districts) + "</ul>")
        items.append("</li>")
    return (f'<nav class="toc screen-only" id="toc"><h2>{esc(label("toc", lang))}</h2>'
            f'<ul class="toc-sections">{"".join(items)}</ul></nav>')


def heading(data: ReportData, key: str) -> str:
    """A top-level section heading with its anchor: a part's numbered heading; a 附件's number
    on a new printed page above its title, and the main text's sentences on that 附件."""
    number = next((a for a in annexes(data) if a.key == key), None)
    if number is not None:  # with the sentences that read with its table
        text = data.main_text.annex_text.get(key, ()) if data.main_text is not None else ()
        return (f'<p class="annex-number" id="annex-{number.number}">'
                f'{esc(number.caption(data.params.lang))}</p>'
                f'<h2 class="annex-title" id="sec-{key}">{esc(number.title)}</h2>'
                + "".join(f"<p>{esc(line)}</p>" for line in text))
    text = dict(sections(data))[f"sec-{key}"]
    return f'<h2 id="sec-{key}">{esc(text)}</h2>'


def district_anchor(data: ReportData, name: str) -> str:
    return f"district-{data.catalog.district_by_name[name].order:02d}"


def note(text: str, note_id: str) -> str:
    """A note paragraph under a table."""
    return f'<p class="note" id="{esc(note_id)}">{esc(text)}</p>'
