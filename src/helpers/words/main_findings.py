"""The city-level findings as the main text says them (seed 003's voice): a sentence per
status, the three most serious named with how far short they are and the rest counted. The
sentence on each item behind, with the plan's rule behind its figure, reads with 附件1
(helpers.words.findings.behind_details); the main text keeps to what the office reads first."""

from __future__ import annotations

from helpers.core.rounding import percent_digits
from helpers.metrics.derived_tables import city_forward
from helpers.metrics.progress import isnan
from helpers.metrics.report_data import ReportData
from helpers.words.document_plan import see_annex
from helpers.words.findings import (
    MOST_NAMED,
    _ind,
    _unit,
    behind_rows,
    behind_time_group,
    progress_groups,
    share_groups,
    short_districts,
)
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_percent,
    fmt_share,
    name_list,
    sentence,
    stage_label,
    status_label,
)

NAMED_DISTRICTS = 2  # an item behind names up to two districts, else counts them


def in_brief(data: ReportData) -> list[str]:
    """The main text's findings on the indicators: done and on track, behind, shares."""
    return progress_groups(data, detailed=False) + behind_in_brief(data) + shares_in_brief(data)


def _who(data: ReportData, districts: list[str]) -> str:
    lang = data.params.lang
    if len(districts) <= NAMED_DISTRICTS:
        return sentence("name_sep", lang).join(
            district_label(d, lang, data.catalog) for d in districts)
    return sentence("gist.districts", lang, n=len(districts))


def behind_item(row, data: ReportData) -> str:
    """One indicator behind in a few words: its name (and stage), who owes what."""
    lang = data.params.lang
    name = _ind(data, row.indicator, short=True)
    if row.stage:
        name += sentence("gist.stage", lang, stage=stage_label(row.indicator, row.stage, lang,
                                                                data.catalog))
    short = short_districts(data, row.indicator)
    if row.kind == "task":
        return sentence("gist.task_item", lang, name=name, who=_who(data, short))
    unit = _unit(row, lang)
    netted = not isnan(row.district_shortfall) and row.district_shortfall != row.shortfall
    if row.basis in ("time", "level") or netted or not short:
        return sentence("gist.city_item", lang, name=name, unit=unit,
                        shortfall=fmt_count(row.shortfall, lang))
    return sentence("gist.district_item" if len(short) > 1 else "gist.one_district_item", lang,
                    name=name, who=_who(data, short), unit=unit,
                    shortfall=fmt_count(row.district_shortfall, lang))


def behind_in_brief(data: ReportData) -> list[str]:
    """A sentence per status behind, the most serious first: the indicators behind the time
    elapsed with the pace they owe, the others with who is short by how much; three named."""
    lang = data.params.lang
    behind = behind_rows(data)
    out = []
    for status in dict.fromkeys(behind["status"]):
        rows = behind[behind["status"] == status]
        timed = rows[(rows["basis"] == "time") & rows["shortfall"].notna()]
        if len(rows) > 1 and len(timed) == len(rows):
            out.append(behind_time_group(rows, data))
            continue
        items = [behind_item(r, data) for r in rows.itertuples()]
        named = sentence("name_sep", lang).join(items[:MOST_NAMED])
        out.append(sentence("gist.behind", lang, status=status_label(status, lang),
                            items=named) if len(items) <= MOST_NAMED else
                   sentence("gist.behind_more", lang, status=status_label(status, lang),
                            items=named, n=len(items)))
    return out


def shares_in_brief(data: ReportData) -> list[str]:
    """The shares in one sentence: those meeting their level named, those below it with how
    far (three named, the rest counted)."""
    lang = data.params.lang
    shares = data.summary[data.summary["kind"] == "share"]
    met = shares[shares["status"] == "met"]
    below = shares[shares["status"] == "below"]
    if not len(met) or not len(below):
        return share_groups(data)  # one kind only: its own sentence
    items = [sentence("item.share", lang, name=_ind(data, r.indicator, short=True),
                      share=fmt_percent(r.completion, lang,
                                        percent_digits("share", r.milestone)),
                      threshold=fmt_share(r.milestone, lang)) for r in below.itertuples()]
    return [sentence("gist.shares", lang, met=name_list(
        [_ind(data, r.indicator, short=True) for r in met.itertuples()], lang, most=MOST_NAMED),
        below=name_list(items, lang, most=MOST_NAMED), see=see_annex(data, "summary"))]


def forward_in_brief(data: ReportData) -> list[str]:
    """The city's indicators that the pace so far leaves short at the deadline, by name (their
    projections and the pace needed read with 附件5)."""
    city = city_forward(data)
    risky = city[city["at_risk"]].sort_values("projected_completion", kind="stable")
    if risky.empty:
        return []
    lang = data.params.lang
    return [sentence("forward_city", lang, items=name_list(
        [_ind(data, r.indicator, short=True) for r in risky.itertuples()], lang,
        most=MOST_NAMED, count=False))]
