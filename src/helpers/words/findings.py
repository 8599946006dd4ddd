"""Written findings, generated from the report's own tables so that every number a sentence
states is a number shown in a table (same rounding, same formatter), in the voice of the bureau's
own summaries (seed 003): findings grouped, units named, the worst few named and the rest
counted, never a list of eleven names in one sentence."""

from __future__ import annotations

import pandas as pd

from helpers.core.rounding import percent, percent_digits
from helpers.core.statuses import BEHIND, SERIOUS, SEVERITY
from helpers.metrics.progress import isnan
from helpers.metrics.ranking import districts_with
from helpers.metrics.report_data import ReportData
from helpers.words.document_plan import see_annex
from helpers.words.formats import checkpoint_stage_text, stage_progress_text
from helpers.words.labels import (
    district_label,
    fmt_count,
    fmt_date,
    fmt_month_day,
    fmt_percent,
    fmt_share,
    group_label,
    indicator_label,
    label,
    name_list,
    sentence,
    stage_label,
    status_label,
    unit_label,
)

MOST_NAMED = 3  # name the worst three, count the rest
MOST_DISTRICTS = 6  # districts are named up to six in a sentence
MOST_DISTRICTS_BEHIND = 10  # a group's sentence on items behind details this many districts
MOST_BEHIND_SENTENCES = 5  # behind indicators written out one by one


def inline_status(status: str, lang: str) -> str:
    """A status inside a sentence (lower case in English)."""
    text = status_label(status, lang)
    return text.lower() if lang == "en" else text


def _names(data: ReportData, districts: list[str]) -> list[str]:
    return [district_label(d, data.params.lang, data.catalog) for d in districts]


def _ind(data: ReportData, code: str, short: bool = False) -> str:
    return indicator_label(code, data.params.lang, data.catalog, short=short)


def _unit(row, lang: str) -> str:
    return unit_label(row.unit, lang)


def is_year_end_view(data: ReportData) -> bool:
    """A year-end report speaks of done on time, late or not met (every deadline has passed)."""
    return data.params.period == "FY"


# --- overall -------------------------------------------------------------------------------

def overall(data: ReportData) -> list[str]:
    """The overall picture at city level: how many tasks have each status, in the words of the
    status vocabulary (the same counts as the tiles of the first screen), none printed as zero."""
    lang = data.params.lang
    if data.data_as_of is None:
        return [sentence("overall_no_data", lang, report_date=fmt_date(data.report_date, lang))]
    judged = {k: v for k, v in data.counts.items() if k not in ("no_target", "no_data")}
    parts = [sentence("part", lang, status=inline_status(status, lang), n=n)
             for status, n in judged.items() if n]
    return [sentence("overall", lang, as_of=fmt_date(data.data_as_of, lang),
                     total=sum(judged.values()), parts=sentence("name_sep", lang).join(parts))]


def headline_districts(data: ReportData) -> list[str]:
    """The districts a headline names: those with a serious item (year end: a missed target or
    stage), worst first (most serious items), then catalogue order."""
    statuses = SERIOUS
    named = districts_with(data.table, statuses, data.districts)
    counts = data.ranking.set_index("district")["headline_items"]
    position = {d: n for n, d in enumerate(data.districts)}
    return sorted(named, key=lambda d: (-int(counts.get(d, 0)), position[d]))


# --- indicators ----------------------------------------------------------------------------

def _requirement_name(row, lang: str) -> str:
    key = "basis.time" if row.basis == "time" else "col.milestone"
    text = label(key, lang)
    return text.split("（")[0] if lang == "zh" else text.split(" (")[0]


def short_districts(data: ReportData, code: str) -> list[str]:
    """The districts behind on an indicator, the largest shortfall first (then catalogue
    order), as shown to the reader."""
    table = data.table
    behind = [(district, shortfall) for indicator, status, district, shortfall
              in zip(table["indicator"], table["status"], table["district"],
                     table["shortfall"], strict=True)
              if indicator == code and status in BEHIND]
    return largest_first(data, behind)


def largest_first(data: ReportData, shortfalls) -> list[str]:
    """Districts of (district, shortfall) pairs as every sentence names them: the largest
    shortfall first, then catalogue order."""
    order = {d: i for i, d in enumerate(data.districts)}
    ranked = sorted(shortfalls, key=lambda r: (-int(_plain(r[1]) or 0), order.get(r[0], 99)))
    return [district for district, _ in ranked]


def _plain(value):
    return None if isnan(value) else value


def district_names(data: ReportData, districts: list[str]) -> str:
    """Districts named in a sentence: all of them up to six; more, as 除…外的N个县（市、区）
    when at most three are left out, else the first three and how many in all."""
    lang = data.params.lang
    names = _names(data, districts)
    everyone = data.districts
    separator = sentence("name_sep", lang)
    if len(names) <= MOST_DISTRICTS:
        return separator.join(names)
    named = set(districts)
    others = [d for d in everyone if d not in named]
    if len(others) <= MOST_NAMED:
        return sentence("all_but", lang, names=separator.join(_names(data, others)),
                        n=len(districts))
    return name_list(names, lang, "unit.district", MOST_NAMED)


def behind_sentence(row, data: ReportData) -> str:
    """One indicator (city level) that is behind: the units due and short, and which
    districts owe them."""
    lang = data.params.lang
    unit = _unit(row, lang)
    names = district_names(data, short_districts(data, row.indicator))
    common = {"name": _ind(data, row.indicator), "unit": unit,
              "status": inline_status(row.status, lang),
              "shortfall": fmt_count(row.shortfall, lang)}
    if row.kind == "share":
        digits = percent_digits("share", row.milestone)
        return sentence("behind.share", lang, share=fmt_percent(row.completion, lang, digits),
                        threshold=fmt_share(row.milestone, lang), **common)
    if row.basis == "level":
        return sentence("behind.level", lang, target=fmt_count(row.target, lang),
                        actual=fmt_count(row.actual, lang),
                        completion=fmt_percent(row.completion, lang), **common)
    if row.kind == "task":
        key = "behind.unmet_task" if row.basis == "deadline" else "behind.task"
        return sentence(key, lang, date=fmt_month_day(row.due_date, lang),
                        stage=stage_label(row.indicator, row.stage, lang, data.catalog),
                        names=names, **common)
    if row.basis == "stage":
        return sentence("behind.stage", lang, date=fmt_month_day(row.due_date, lang),
                        stages=stage_progress_text(data, row, with_units=True),
                        stage=stage_label(row.indicator, row.stage, lang, data.catalog),
                        due=fmt_count(row.due_units, lang), names=names, **common)
    if row.basis == "deadline":
        netted = not isnan(row.district_shortfall) and row.district_shortfall != row.shortfall
        return sentence("behind.unmet_netted" if netted else "behind.unmet", lang,
                        target=fmt_count(row.target, lang), actual=fmt_count(row.actual, lang),
                        completion=fmt_percent(row.completion, lang), names=names,
                        district_shortfall=fmt_count(row.district_shortfall, lang), **common)
    if row.basis == "schedule":
        return sentence("behind.schedule", lang, target=fmt_count(row.target, lang),
                        actual=fmt_count(row.actual, lang),
                        completion=fmt_percent(row.completion, lang),
                        date=fmt_month_day(data.report_date, lang),
                        milestone=fmt_percent(row.milestone, lang),
                        due=fmt_count(row.due_units, lang), names=names, **common)
    return sentence("behind.time", lang, target=fmt_count(row.target, lang),
                    actual=fmt_count(row.actual, lang),
                    completion=fmt_percent(row.completion, lang),
                    requirement=_requirement_name(row, lang),
                    milestone=fmt_percent(row.milestone, lang), due=fmt_count(row.due_units, lang),
                    **common)


def behind_time_group(rows: pd.DataFrame, data: ReportData) -> str:
    """Indicators of one status behind the time elapsed, in one sentence with their shortfalls
    (分别尚差1个、2个)."""
    lang = data.params.lang
    names = sentence("name_sep", lang).join(_ind(data, r.indicator, short=True)
                                            for r in rows.itertuples())
    shortfalls = sentence("name_sep", lang).join(
        f"{fmt_count(r.shortfall, lang)}{_unit(r, lang)}" for r in rows.itertuples())
    return sentence("group.behind_time", lang, status=status_label(rows["status"].iloc[0], lang),
                    names=names, milestone=fmt_percent(rows["milestone"].iloc[0], lang),
                    shortfalls=sentence("shortfalls.each" if len(rows) > 1 else
                                        "shortfalls.one", lang, items=shortfalls))


def checkpoints_overview(data: ReportData) -> list[str]:
    """The work plan's dated requirements due, in one sentence: how many every district met on
    time, how many some district met late, how many some district missed."""
    lang = data.params.lang
    due = data.checkpoint_summary[data.checkpoint_summary["due"] <= data.report_date]
    if due.empty:
        return []
    missed = int(((due["overdue"] > 0) | (due["unmet"] > 0)).sum())
    late = int(((due["late"] > 0) & (due["overdue"] == 0) & (due["unmet"] == 0)).sum())
    on_time = len(due) - missed - late
    parts = [sentence(key, lang, n=n) for key, n in (
        ("checkpoints.all_on_time", on_time), ("checkpoints.some_late", late),
        ("checkpoints.some_missed", missed)) if n]
    return [sentence("checkpoints.overview", lang, n=len(due),
                     parts=sentence("name_sep", lang).join(parts),
                     see=see_annex(data, "checkpoints"))]


def indicators(data: ReportData) -> list[str]:
    """City level, grouped: done, on track (the three furthest ahead named), broadly on track,
    each indicator behind in its own sentence with units, shares, and what is not yet due."""
    return (progress_groups(data) + behind_details(data) + share_groups(data)
            + not_due_group(data))


def _by_status(data: ReportData):
    summary = data.summary
    by_status = {s: summary[summary["status"] == s] for s in set(summary["status"])}

    def rows(*statuses: str) -> pd.DataFrame:
        parts = [by_status[s] for s in statuses if s in by_status]
        return pd.concat(parts) if parts else summary.iloc[0:0]
    return rows


def _completion_items(data: ReportData, frame: pd.DataFrame, ordered: bool = True) -> list[str]:
    if ordered:
        frame = frame.sort_values("completion", ascending=False, kind="stable")
    return [sentence("item.completion", data.params.lang, name=_ind(data, r.indicator, short=True),
                     completion=fmt_percent(r.completion, data.params.lang))
            for r in frame.itertuples()]


def progress_groups(data: ReportData, detailed: bool = True) -> list[str]:
    """The indicators done or on track, a sentence per status (the three furthest ahead named,
    the rest counted); at year end over-achieved, done on time, done late. `detailed`: an
    over-achieved indicator names the districts still short of their own targets."""
    lang = data.params.lang
    rows = _by_status(data)
    out = []
    if is_year_end_view(data):
        over = rows("over").sort_values("completion", ascending=False, kind="stable")
        if len(over):
            texts = []
            for r in over.itertuples():
                short = short_districts(data, r.indicator) if detailed else []
                if short:
                    texts.append(sentence("item.over_short", lang,
                                          name=_ind(data, r.indicator, short=True),
                                          completion=fmt_percent(r.completion, lang),
                                          names=district_names(data, short),
                                          shortfall=fmt_count(r.district_shortfall, lang),
                                          unit=_unit(r, lang)))
                else:
                    texts.append(sentence("item.completion", lang,
                                          name=_ind(data, r.indicator, short=True),
                                          completion=fmt_percent(r.completion, lang)))
            # the three furthest over named with the districts still short, the rest counted
            items = sentence("list_sep" if detailed else "name_sep", lang).join(
                texts[:MOST_NAMED])
            out.append(sentence("group.over", lang, items=items) if len(texts) <= MOST_NAMED
                       else sentence("group.over_more", lang, items=items, n=len(texts)))
        done = rows("on_time")
        if len(done):
            out.append(sentence("group.on_time", lang, items=name_list(
                _completion_items(data, done), lang, most=MOST_NAMED)))
        late = rows("late")
        if len(late):
            out.append(sentence("group.late", lang, items=name_list(
                _completion_items(data, late, ordered=False), lang, most=MOST_NAMED)))
        return out
    done = rows("done", "over")
    if len(done):
        out.append(sentence("group.done", lang, items=name_list(
            _completion_items(data, done), lang, most=MOST_NAMED)))
    ahead = rows("on_track").sort_values("gap_pp", ascending=False, kind="stable")
    if len(ahead):
        out.append(sentence("group.on_track", lang, items=name_list(
            _completion_items(data, ahead, ordered=False), lang, most=MOST_NAMED)))
    near = rows("near")
    if len(near):
        texts = [sentence("item.near", lang, name=_ind(data, r.indicator, short=True),
                          completion=fmt_percent(r.completion, lang),
                          actual=fmt_count(r.actual, lang),
                          due=fmt_count(r.due_units, lang),
                          shortfall=fmt_count(r.shortfall, lang), unit=_unit(r, lang))
                 for r in near.itertuples()]
        out.append(sentence("group.near", lang, items=sentence("list_sep", lang).join(texts)))
    return out


def behind_rows(data: ReportData) -> pd.DataFrame:
    """The indicators behind (shares apart), the most serious first, then the furthest behind
    (a stage or task, done or not, has no gap in points: after those that do)."""
    rows = _by_status(data)
    behind = rows(*(s for s in BEHIND if s != "below"))
    behind = behind[behind["kind"] != "share"]
    return (behind.assign(_severity=-behind["status"].map(SEVERITY))
            .sort_values(["_severity", "gap_pp"], kind="stable"))


def behind_details(data: ReportData) -> list[str]:
    """Each indicator behind in its own sentence (those of one status behind the time elapsed
    together), at most five, then those below a level."""
    lang = data.params.lang
    out = []
    behind = behind_rows(data)
    # two or more of one status behind the time elapsed: one sentence for them, where the
    # first of them comes
    timed = behind[(behind["basis"] == "time") & behind["shortfall"].notna()]
    grouped = {status for status, n in timed["status"].value_counts().items() if n > 1}
    covered: set = set()
    written = 0
    for row in behind.itertuples():
        if written == MOST_BEHIND_SENTENCES:
            break
        if row.Index in covered:
            continue
        if row.Index in timed.index and row.status in grouped:
            group = timed[timed["status"] == row.status]
            out.append(behind_time_group(group, data))
            covered |= set(group.index)
        else:
            out.append(behind_sentence(row, data))
            covered.add(row.Index)
        written += 1
    below = _by_status(data)("below")
    for row in below[below["kind"] != "share"].itertuples():
        out.append(behind_sentence(row, data))
    if len(covered) < len(behind):
        out.append(sentence("more_behind", lang))
    return out


def share_groups(data: ReportData) -> list[str]:
    """The shares meeting their required level, then those below it."""
    lang = data.params.lang
    out = []
    shares = data.summary[data.summary["kind"] == "share"]
    for status, key, see in (("met", "shares_met", False), ("below", "shares_below", True)):
        part = shares[shares["status"] == status]
        if not len(part):
            continue
        items = [sentence("item.share", lang, name=_ind(data, r.indicator, short=True),
                          share=fmt_percent(r.completion, lang,
                                            percent_digits("share", r.milestone)),
                          threshold=fmt_share(r.milestone, lang)) for r in part.itertuples()]
        extra = {"see": see_annex(data, "summary")} if see else {}
        out.append(sentence(key, lang, items=name_list(items, lang, most=MOST_NAMED), **extra))
    return out


def not_due_group(data: ReportData) -> list[str]:
    """The indicators judged at a deadline not yet reached."""
    not_due = _by_status(data)("not_due")
    if not len(not_due):
        return []
    return [sentence("group.not_due", data.params.lang, items=name_list(
        [_ind(data, r.indicator) for r in not_due.itertuples()], data.params.lang,
        most=MOST_NAMED))]


# --- checkpoints, ranking, spread ----------------------------------------------------------

def checkpoints(data: ReportData) -> list[str]:
    """Each dated requirement that is due, then the next requirement of each indicator."""
    return (due_checkpoints(data) + next_checkpoints(data)) or [
        sentence("checkpoint.none", data.params.lang)]


def due_checkpoints(data: ReportData) -> list[str]:
    """Each dated requirement that is due: units required and done, districts on time, late
    and overdue (the overdue ones named)."""
    lang = data.params.lang
    out = []
    due = data.checkpoint_summary[data.checkpoint_summary["due"] <= data.report_date]
    for row in due.itertuples():
        detail = data.checkpoints[(data.checkpoints["indicator"] == row.indicator)
                                  & (data.checkpoints["stage"] == row.stage)
                                  & (data.checkpoints["due"] == row.due)]
        parts = []
        for status in ("on_time", "late", "overdue", "unmet"):
            count = int(getattr(row, status))
            if not count:
                continue
            if status == "on_time":
                parts.append(sentence("checkpoint.part", lang, n=count,
                                      status=inline_status(status, lang)))
                continue
            part = detail[detail["status"] == status]
            named = largest_first(data, zip(part["district"], part["shortfall"], strict=True))
            parts.append(sentence("checkpoint.part_named", lang, n=count,
                                  status=inline_status(status, lang),
                                  names=district_names(data, named)))
        ind = data.catalog.indicator(row.indicator)
        key = "checkpoint.task" if ind.kind == "task" else "checkpoint"
        out.append(sentence(
            key, lang, name=_ind(data, row.indicator, short=True),
            stage=checkpoint_stage_text(data, row), date=fmt_month_day(row.due, lang),
            required=fmt_count(row.required, lang), done=fmt_count(row.done_by_due, lang),
            unit=unit_label(ind.unit, lang), districts=sentence("name_sep", lang).join(parts)))
    return out


def next_checkpoints(data: ReportData) -> list[str]:
    """The next dated requirement of each indicator ([] when none is left)."""
    lang = data.params.lang
    upcoming = data.checkpoint_summary[data.checkpoint_summary["due"] > data.report_date]
    nexts = upcoming.groupby("indicator", sort=False).head(1)
    if len(nexts):
        items = [sentence("checkpoint.next_item", lang, name=_ind(data, r.indicator, short=True),
                          date=fmt_month_day(r.due, lang), stage=checkpoint_stage_text(data, r))
                 for r in nexts.itertuples()]
        return [sentence("checkpoint.next", lang, items=sentence("name_sep", lang).join(items))]
    return []


def ranking(data: ReportData) -> list[str]:
    """The top three and bottom three of the 通报, and the widest spreads between districts."""
    return top_and_bottom(data) + best_and_worst(data)


def top_and_bottom(data: ReportData) -> list[str]:
    """The top three and bottom three of the 通报 (none with fewer than six ranked)."""
    lang = data.params.lang
    out = []
    ranked = data.ranking[data.ranking["rank"].notna()]
    if len(ranked) >= 2 * MOST_NAMED:
        def items(frame: pd.DataFrame) -> str:
            return sentence("name_sep", lang).join(
                sentence("ranking_item", lang, district=district_label(r.district, lang,
                                                                       data.catalog),
                         share=fmt_percent(r.on_track_share, lang))
                for r in frame.itertuples())
        out.append(sentence("ranking", lang, top=items(ranked.head(MOST_NAMED)),
                            bottom=items(ranked.tail(MOST_NAMED).iloc[::-1]),
                            see=see_annex(data, "ranking")))
    return out


def best_and_worst(data: ReportData) -> list[str]:
    """The indicators whose district completions differ most (printed points), with the best
    and worst districts; tied districts are all named."""
    lang = data.params.lang
    spreads = []
    table = data.table
    rated = table[table["completion"].notna() & (table["kind"] != "share")
                  & (table["target"] > data.params.small_target_max)]
    by_indicator = dict(tuple(rated.groupby("indicator", sort=False)))
    for code in data.summary["indicator"]:
        part = by_indicator.get(code)
        if part is None or len(part) < 2:
            continue
        shown = part["completion"].map(lambda c: fmt_percent(c, lang))
        printed = part["completion"].astype(float).map(percent)
        if printed.max() == printed.min():
            continue
        best, worst = printed == printed.max(), printed == printed.min()
        separator = sentence("name_sep", lang)
        spreads.append((printed.max() - printed.min(), sentence(
            "best_worst_item", lang, name=_ind(data, code, short=True),
            best=separator.join(_names(data, list(part.loc[best, "district"]))),
            best_rate=shown[best].iloc[0],
            worst=separator.join(_names(data, list(part.loc[worst, "district"]))),
            worst_rate=shown[worst].iloc[0])))
    if not spreads:
        return []
    widest = [text for _, text in sorted(spreads, key=lambda s: -s[0])[:MOST_NAMED]]
    return [sentence("best_worst", lang, items=sentence("list_sep", lang).join(widest))]


# --- lagging by supervision group ----------------------------------------------------------

def lagging_item(row, data: ReportData) -> str:
    lang = data.params.lang
    common = {"name": _ind(data, row.indicator, short=True),
              "shortfall": fmt_count(row.shortfall, lang),
              "unit": _unit(row, lang) if row.kind != "task" else "",
              "status": inline_status(row.status, lang)}
    if row.kind == "share":
        return sentence("lagging_item_share", lang,
                        share=fmt_percent(row.completion, lang,
                                          percent_digits("share", row.milestone)),
                        **common)
    if row.kind == "task":
        return sentence("lagging_item_task", lang, name=common["name"],
                        stage=stage_label(row.indicator, row.stage, lang, data.catalog),
                        status=common["status"])
    if row.stage:
        return sentence("lagging_item_stage", lang,
                        stage=stage_label(row.indicator, row.stage, lang, data.catalog), **common)
    return sentence("lagging_item", lang, **common)


def _units(shortfall) -> int:
    return 0 if shortfall is None or pd.isna(shortfall) else int(shortfall)


def lagging(data: ReportData) -> list[str]:
    """Items behind, one sentence per supervision group: per district the three worst named
    (most points behind), the rest counted."""
    lang = data.params.lang
    items = data.lagging
    if items.empty:
        return [sentence("none_lagging", lang)]
    out = []
    members: dict[str, list[str]] = {}
    for d in data.catalog.districts:
        members.setdefault(d.supervision_group, []).append(d.name)
    by_group: dict[str, dict[str, list]] = {}
    for row in items.itertuples():  # groups and districts in their order in `items`
        by_group.setdefault(row.supervision_group, {}).setdefault(row.district, []).append(row)
    for group, part in by_group.items():
        texts = []
        # a group of many districts: those with the most items behind (then the largest
        # shortfall), the others counted
        shown = sorted(part, key=lambda d: (-len(part[d]),
                                            -max(_units(r.shortfall) for r in part[d])))
        shown = set(shown[:MOST_DISTRICTS_BEHIND])
        for district, rows in part.items():
            if district not in shown:
                continue
            # the most serious first, then the largest shortfall in units (尚差342张 before
            # 差1个); stable, as the table's order among equals
            worst = sorted(rows, key=lambda r: (-SEVERITY.get(r.status, -1),
                                               -_units(r.shortfall)))
            entries = sentence("name_sep", lang).join(
                lagging_item(r, data) for r in worst[:MOST_NAMED])
            key = "lagging_district" if len(rows) > MOST_NAMED else "lagging_district_all"
            texts.append(sentence(key, lang, district=district_label(district, lang,
                                                                     data.catalog),
                                  n=len(rows), items=entries))
        items_text = sentence("list_sep", lang).join(texts)
        if len(part) > MOST_DISTRICTS_BEHIND:
            rest = [d for d in part if d not in shown]
            out.append(sentence("lagging_group_many", lang, group=group_label(group, lang),
                                members=len(members.get(group, [])), behind=len(part),
                                items=items_text, rest=len(rest),
                                rest_items=sum(len(part[d]) for d in rest)))
            continue
        names = sentence("name_sep", lang).join(_names(data, members.get(group, [])))
        out.append(sentence("lagging_group", lang, group=group_label(group, lang),
                            districts=names, items=items_text))
    return out
