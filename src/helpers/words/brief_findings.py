"""A brief's words: its title, the unit's counts, its districts' places in the city ranking
and every item behind, and the city ranks as its tables print them."""

from __future__ import annotations

import pandas as pd

from helpers.metrics.brief_units import BriefUnit, unit_report_data
from helpers.metrics.report_data import ReportData
from helpers.words import findings
from helpers.words.formats import rank_text
from helpers.words.labels import district_label, fmt_date, fmt_percent, group_label, label, sentence


def brief_title(params, unit: BriefUnit) -> str:
    """2018年社会养老服务体系建设重点任务上半年进展简报（鹿城区）; with a `title` parameter,
    that title and the unit."""
    lang = params.lang
    name = unit_name(unit, lang, None)
    if params.title:
        return label("brief.title_custom", lang).format(title=params.title, unit=name)
    return label("brief.title", lang).format(
        year=params.year, subject=label("report.subject", lang),
        period=label(f"period.{params.period}", lang), unit=name)


def unit_name(unit: BriefUnit, lang: str, catalog) -> str:
    """The unit as a reader sees it."""
    if unit.by == "group":
        return group_label(unit.name, lang)
    return district_label(unit.name, lang, catalog) if catalog is not None else unit.name


def overall_sentences(part: ReportData, unit: BriefUnit) -> list[str]:
    """截至6月30日，鹿城区21项指标中，符合进度5项、……: the unit's counts in words, and its
    districts' places in the city ranking."""
    lang = part.params.lang
    if part.data_as_of is None:
        return findings.overall(part)
    judged = {k: v for k, v in part.counts.items() if k not in ("no_target", "no_data") and v}
    parts = [sentence("part", lang, status=findings.inline_status(status, lang), n=n)
             for status, n in judged.items()]
    out = [sentence("brief.overall", lang, as_of=fmt_date(part.data_as_of, lang),
                    unit=unit_name(unit, lang, part.catalog), total=sum(judged.values()),
                    parts=sentence("name_sep", lang).join(parts))]
    return out


def rank_sentences(part: ReportData, city_districts: int) -> list[str]:
    """Each district's place in the city ranking, with the figure it was ranked by."""
    lang, method = part.params.lang, part.params.ranking_method
    out = []
    for row in part.ranking.itertuples():
        district = district_label(row.district, lang, part.catalog)
        if pd.isna(row.rank):
            out.append(sentence("brief.rank_none", lang, district=district))
            continue
        out.append(sentence(f"brief.rank.{method}", lang, district=district, n=city_districts,
                            rank=rank_text(row.rank, bool(row.tied), lang),
                            share=fmt_percent(getattr(row, method), lang)))
    return out


def lagging_sentences(part: ReportData) -> list[str]:
    """Per district, every item behind what was due (a brief names them all)."""
    lang = part.params.lang
    items = part.lagging
    if items.empty:
        return [sentence("none_lagging", lang)]
    out = []
    for district, rows in items.groupby("district", sort=False):
        entries = sentence("name_sep", lang).join(findings.lagging_item(r, part)
                                                  for r in rows.itertuples())
        out.append(sentence("brief.lagging_district", lang, n=len(rows), items=entries,
                            district=district_label(district, lang, part.catalog)))
    return out


def city_ranks(data: ReportData) -> dict[tuple[str, str], str]:
    """(district, indicator) -> its rank among the city's districts as the city report shows
    it (3/12, 3/12（并列）), or — where a rank says nothing. `data`: the city report's or a
    brief's part (its rows keep their city ranks: a brief reads only its own rows)."""
    lang = data.params.lang
    return {(r.district, r.indicator):
            rank_text(r.rank, bool(r.rank_tied), lang,
                      None if pd.isna(r.ranked_of) else int(r.ranked_of))
            for r in data.table.itertuples()}


def brief_part(city: ReportData, unit: BriefUnit) -> ReportData:
    """The part of the city report's data a unit's brief shows, under the brief's title."""
    return unit_report_data(city, unit, brief_title(city.params, unit))
