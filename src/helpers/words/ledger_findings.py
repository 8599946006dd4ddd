"""The problem ledger in words, in the voice of seed 003: totals, where the overdue problems are,
the longest overdue, late closures, the last month's progress and the links to lagging
indicators. Only masked data reaches here: units instead of people, phone numbers masked."""

from __future__ import annotations

from helpers.metrics.ledger_view import lagging_links
from helpers.metrics.report_data import ReportData
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_date,
    fmt_percent,
    label,
    period_sentence,
    sentence,
)

TOP_DISTRICTS = 3  # a sentence names at most this many districts and counts the rest


def responsible_unit_text(text: str, lang: str) -> str:
    """A ledger item's 责任单位, or the words for an unknown one."""
    return text or label("ledger.unit_unknown", lang)


def state_text(code: str, lang: str) -> str:
    """A ledger item's state (open, in progress, closed) in words."""
    return label(f"ledger.state.{code}", lang)


def ledger_sentences(data: ReportData, links_annex: int | None = None) -> list[str]:
    """What the ledger says at the report date, in the voice of seed 003: totals, where the
    overdue problems are (the three districts with most, the rest counted), the longest
    overdue, late closures, the last month's progress and the links to lagging indicators
    (listed below the sentences, or in the 附件 `links_annex`)."""
    view, lang = data.ledger, data.params.lang
    if view is None:
        return []
    city = view.city
    date = fmt_date(view.date, lang)
    if city["found"] == 0:
        return [sentence("ledger.none", lang, date=date)]
    key = ("ledger.overall_all_closed" if city["open"] == 0 else
           "ledger.overall_none_closed" if city["closed"] == 0 else "ledger.overall")
    out = [sentence(key, lang, date=date, found=city["found"], closed=city["closed"],
                    open=city["open"], rate=fmt_percent(city["closure_rate"], lang))]
    if city["open"]:
        out.append(_overdue_sentence(data))
    if not view.overdue.empty:
        oldest = view.overdue.iloc[0]
        district = district_label(oldest["district"], lang, data.catalog)
        # 泰顺县中心敬老院 names its district already
        place = (oldest["project"] if lang == "zh" and oldest["project"].startswith(district)
                 else sentence("ledger.place", lang, district=district,
                               project=oldest["project"]))
        out.append(sentence("ledger.oldest", lang, place=place, problem=oldest["problem"],
                            deadline=fmt_date(oldest["deadline"], lang),
                            days=fmt_count(oldest["days_overdue"], lang)))
    if city["closed_late"]:
        out.append(sentence("ledger.late", lang, late=city["closed_late"]))
    last = view.monthly.iloc[-1]
    if last["new_found"] or last["new_closed"]:
        key = ("ledger.month_no_new" if not last["new_found"] else
               "ledger.month_none_closed" if not last["new_closed"] else "ledger.month")
        out.append(sentence(key, lang, month=label(f"month.{last['date'].month}", lang),
                            found=last["new_found"], closed=last["new_closed"]))
    links = lagging_links(data)
    if not links.empty:
        if links_annex is None:  # the table follows the sentences (a district brief)
            out.append(period_sentence("ledger.links", lang, data.params.period, n=len(links)))
        else:  # the document lists the items behind once, in their 附件, with their ledger items
            out.append(period_sentence("ledger.links_annex", lang, data.params.period,
                                       n=len(links), annex=links_annex))
    return out


def _overdue_sentence(data: ReportData) -> str:
    """Where the overdue problems are: up to three districts by name when there are no more;
    else the number of districts and those with more than the fewest (at most three)."""
    view, lang = data.ledger, data.params.lang
    overdue = view.city["overdue"]
    if overdue == 0:
        return sentence("ledger.no_overdue", lang)
    order = {d: n for n, d in enumerate(view.districts["district"])}
    behind = view.districts[view.districts["overdue"] > 0]
    behind = behind.assign(_o=behind["district"].map(order)).sort_values(
        ["overdue", "_o"], ascending=[False, True], kind="stable")

    def named(rows) -> str:
        return sentence("name_sep", lang).join(
            sentence("ledger.district_count", lang,
                     district=district_label(r.district, lang, data.catalog), count=r.overdue)
            for r in rows.itertuples())

    if len(behind) <= TOP_DISTRICTS:
        return sentence("ledger.overdue_few", lang, overdue=overdue, items=named(behind))
    fewest = behind["overdue"].min()
    more = behind[behind["overdue"] > fewest].head(TOP_DISTRICTS)
    if more.empty:
        return sentence("ledger.overdue_even", lang, overdue=overdue, n=len(behind),
                        count=fewest)
    return sentence("ledger.overdue_many", lang, overdue=overdue, n=len(behind),
                    items=named(more))


def overdue_caption(data: ReportData) -> str:
    """The caption of the overdue items listed: how many there are and, when the list is cut,
    that it holds the longest overdue (never "the 10 longest" over 6 rows)."""
    view, lang = data.ledger, data.params.lang
    total = int(view.city["overdue"])
    if total > len(view.overdue):
        return label("ledger.oldest", lang).format(total=total, n=len(view.overdue))
    return label("ledger.oldest_all", lang).format(total=total)
