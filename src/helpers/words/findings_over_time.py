"""The findings that look beyond the report date or back from it: the forward look and how
earlier projections fared, the changes since the previous period's report, what the year end
leaves undone, and the validation warnings in words."""

from __future__ import annotations

from helpers.core.problems import (
    DIP,
    MISSING_RETURN,
    NO_PLAN,
    NOT_TRACKED,
    PLAN_DRAFT,
    PLAN_IGNORED,
    PLAN_TARGET_IGNORED,
    PLAN_TARGET_UNREPORTED,
)
from helpers.core.statuses import SEVERITY
from helpers.metrics.derived_tables import (
    carry_over_table,
    changes_table,
    city_forward,
    previous_date,
)
from helpers.metrics.report_data import ReportData
from helpers.words.document_plan import see_annex
from helpers.words.findings import MOST_NAMED, _ind, _unit
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_date,
    fmt_decimal,
    fmt_percent,
    fmt_pp,
    name_list,
    sentence,
    stage_label,
    status_label,
)


def forward(data: ReportData) -> list[str]:
    """Items at risk at the pace so far: the three lowest projections named, and the city."""
    lang = data.params.lang
    as_of = fmt_date(data.data_as_of or data.report_date, lang)
    risky = data.forward[data.forward["at_risk"]].sort_values("projected_completion",
                                                             kind="stable")
    if risky.empty:
        return [sentence("forward_none", lang, as_of=as_of)]
    items = [sentence("forward_item", lang, district=district_label(r.district, lang,
                                                                    data.catalog),
                      name=_ind(data, r.indicator, short=True),
                      projected=fmt_percent(r.projected_completion, lang))
             for r in list(risky.itertuples())[:MOST_NAMED]]
    out = [sentence("forward", lang, as_of=as_of, n=len(risky),
                    items=sentence("name_sep", lang).join(items))]
    city = city_forward(data)
    city_risk = city[city["at_risk"]]
    if len(city_risk):
        ordered = city_risk.sort_values("projected_completion", kind="stable")
        texts = [sentence("forward_city_item", lang, name=_ind(data, r.indicator, short=True),
                          projected=fmt_percent(r.projected_completion, lang),
                          required=fmt_count(r.required_pace, lang), unit=_unit(r, lang))
                 for r in ordered.itertuples()]
        out.append(sentence("forward_city", lang,
                            items=name_list(texts, lang, most=MOST_NAMED, count=False)))
    return out


def backtest(data: ReportData) -> list[str]:
    """Year end: how the projections of earlier reports fared at the deadlines."""
    lang = data.params.lang
    return [sentence("backtest", lang, as_of=fmt_date(r.as_of, lang), items=r.items,
                     flagged=r.flagged, both=r.flagged_and_missed, missed=r.missed,
                     error=fmt_decimal(r.mean_abs_error_pp, lang))
            for r in data.backtests.itertuples()]


def changes(data: ReportData) -> list[str]:
    """What moved since the previous period's report (Q1 -> H1 -> Q3 -> FY): the three largest
    rises, every fall, and the indicators whose status improved or worsened."""
    lang = data.params.lang
    if data.previous_summary is None:
        return [sentence("no_previous", lang)]
    previous_name = fmt_date(previous_date(data), lang)
    moved = changes_table(data)
    out = []

    def item(row) -> str:
        return sentence("change_item", lang, name=_ind(data, row.indicator, short=True),
                        previous=fmt_percent(row.previous, lang, row.digits),
                        current=fmt_percent(row.current, lang, row.digits),
                        change=fmt_pp(row.change_pp, lang, row.digits))

    up = moved[moved["change_pp"] > 0].sort_values("change_pp", ascending=False, kind="stable")
    if len(up):
        out.append(sentence("changes_up", lang, previous_period=previous_name,
                            items=sentence("name_sep", lang).join(
                                item(r) for r in list(up.itertuples())[:MOST_NAMED])))
    down = moved[moved["change_pp"] < 0].sort_values("change_pp", kind="stable")
    if len(down):
        out.append(sentence("changes_down", lang, items=name_list(
            [item(r) for r in down.itertuples()], lang, most=MOST_NAMED)))
    # 好转 / 变差 only where the status and the figures move the same way: an item that rose
    # from 71.6% to 98.1% but missed its deadline changed status, and one whose figure did not
    # move (0.0% -> 0.0%) did not get worse; the other changes are named worst first, so a
    # status that fell is never hidden in "等12项"
    improved, worsened, changes = [], [], []
    for row in moved.itertuples():
        old, new = SEVERITY.get(row.previous_status), SEVERITY.get(row.status)
        if old is None or new is None or row.previous_status == row.status:
            continue
        name = _ind(data, row.indicator, short=True)
        if new < old and row.change_pp > 0:
            improved.append(name)
        elif new > old and row.change_pp < 0:
            worsened.append(name)
        else:
            changes.append((-(new - old), len(changes), sentence(
                "status_change_item", lang, name=name,
                previous=status_label(row.previous_status, lang),
                current=status_label(row.status, lang))))
    changed = [text for *_, text in sorted(changes)]
    if improved:
        out.append(sentence("status_improved", lang, previous_period=previous_name,
                            names=name_list(improved, lang, most=MOST_NAMED)))
    if worsened:
        out.append(sentence("status_worsened", lang, previous_period=previous_name,
                            names=name_list(worsened, lang, most=MOST_NAMED)))
    if changed:
        out.append(sentence("status_changed", lang, previous_period=previous_name,
                            items=name_list(changed, lang, most=MOST_NAMED)))
    if not improved and not worsened and not changed:
        out.append(sentence("status_unchanged", lang, previous_period=previous_name))
    return out


def warning_sentence(warning, data: ReportData) -> str:
    """One validation warning in the report's language (the raw message stays in the manifest
    and on hover)."""
    lang = data.params.lang
    if warning.kind == MISSING_RETURN:
        return sentence("missing_return", lang,
                        district=district_label(warning.district, lang, data.catalog),
                        date=fmt_date(warning.date, lang))
    if warning.kind == DIP:
        name = _ind(data, warning.indicator)
        if warning.stage:
            name += f"（{stage_label(warning.indicator, warning.stage, lang, data.catalog)}）"
        return sentence(
            "dip", lang, district=district_label(warning.district, lang, data.catalog),
            name=name, before=warning.earlier_value, after=warning.value,
            date_before=fmt_date(warning.earlier_date, lang),
            date_after=fmt_date(warning.date, lang))
    year = data.params.year
    if warning.kind in (NO_PLAN, PLAN_DRAFT):
        return sentence(warning.kind, lang, year=year, count=warning.value)
    if warning.kind in (PLAN_IGNORED, PLAN_TARGET_IGNORED, PLAN_TARGET_UNREPORTED, NOT_TRACKED):
        return sentence(warning.kind, lang, year=year, count=warning.value,
                        name=_ind(data, warning.indicator))
    return warning.message


def data_quality(data: ReportData) -> list[str]:
    """Validation warnings in words: missing returns, cumulative figures that went down."""
    out = [warning_sentence(w, data) for w in data.warnings]
    return out or [sentence("no_warnings", data.params.lang)]


def year_end(data: ReportData) -> list[str]:
    """Year end: the largest over-achievements by district, the largest gaps in units (three
    named each), and what carries into next year."""
    return over_achievers(data) + under_achievers(data) + carry_over(data)


def over_achievers(data: ReportData) -> list[str]:
    """Year end: the three districts with the largest over-achievements, each with its
    largest (the rest are in 附件2's table)."""
    lang = data.params.lang
    out = []
    counted = data.table[data.table["kind"].isin(("count", "stock"))
                         & data.table["completion"].notna()
                         & (data.table["target"] > data.params.small_target_max)]
    over = counted[counted["completion"] > 1].sort_values("completion", ascending=False,
                                                          kind="stable")
    if len(over):
        groups = []
        for district in list(dict.fromkeys(over["district"]))[:MOST_NAMED]:
            rows = over[over["district"] == district].head(1)
            items = sentence("name_sep", lang).join(
                sentence("item.completion", lang, name=_ind(data, r.indicator, short=True),
                         completion=fmt_percent(r.completion, lang)) for r in rows.itertuples())
            groups.append(sentence("over_district", lang,
                                   district=district_label(district, lang, data.catalog),
                                   items=items))
        out.append(sentence("over_achievers", lang,
                            items=sentence("name_sep", lang).join(groups)))
    return out


def under_achievers(data: ReportData) -> list[str]:
    """Year end: the three largest gaps in units of district targets missed."""
    lang = data.params.lang
    out = []
    short = data.table[data.table["status"].isin(("unmet",)) & data.table["shortfall"].gt(0)]
    short = short[short["kind"].isin(("count", "stock"))]
    if len(short):
        ranked = short.assign(_u=short["shortfall"].astype(int)).sort_values(
            "_u", ascending=False, kind="stable")
        items = sentence("name_sep", lang).join(
            sentence("under_item", lang, district=district_label(r.district, lang, data.catalog),
                     name=_ind(data, r.indicator, short=True),
                     shortfall=fmt_count(r.shortfall, lang), unit=_unit(r, lang))
            for r in list(ranked.itertuples())[:MOST_NAMED])
        out.append(sentence("under_achievers", lang, items=items))
    return out


def carry_over(data: ReportData) -> list[str]:
    """Year end: how many unfinished items carry into next year."""
    lang = data.params.lang
    out = []
    carry = carry_over_table(data)
    out.append(sentence("carry_over", lang, count=len(carry), see=see_annex(data, "lagging"))
               if len(carry)
               else sentence("carry_over_none", lang))
    return out


def year_on_year(data: ReportData) -> list[str]:
    """Year end, beside the previous year (helpers.metrics.year_on_year): how many city figures
    are above it, the three largest rises named, and those below it."""
    lang, rows = data.params.lang, data.year_on_year
    city = rows[rows["district"] == ""]
    if city.empty:
        return []
    up = city[city["change"] > 0].assign(
        _rise=lambda f: f["change"] / f["previous_actual"].where(f["previous_actual"] > 0))
    up = up.sort_values("_rise", ascending=False, kind="stable")
    down = city[city["change"] < 0]

    def items(frame) -> str:
        return name_list([sentence("yoy_item", lang, name=_ind(data, r.indicator, short=True),
                                   actual=fmt_count(r.actual, lang),
                                   previous=fmt_count(r.previous_actual, lang),
                                   unit=_unit(r, lang)) for r in frame.itertuples()],
                         lang, most=MOST_NAMED)

    parts = [sentence("yoy_up", lang, n=len(up), items=items(up))] if len(up) else []
    if len(city) - len(up) - len(down):
        parts.append(sentence("yoy_same", lang, n=len(city) - len(up) - len(down)))
    if len(down):
        parts.append(sentence("yoy_down", lang, n=len(down), items=items(down)))
    demo = any(p.startswith(f"{data.previous_year}/") for p in data.demo_inputs)
    return [sentence("yoy", lang, year=data.previous_year,
                     parts=sentence("list_sep", lang).join(parts),
                     demo=sentence("yoy_demo", lang, year=data.previous_year) if demo else "",
                     see=see_annex(data, "changes"))]
