"""Scale: the synthetic generator writes valid inputs of any size; the fast paths that make
large inputs quick agree with the slow ones they replace."""

from __future__ import annotations

import hashlib
import itertools
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.rounding import percent
from helpers.demo.synthetic import district_name, return_dates, write_synthetic
from helpers.ingest.long_returns import count_in
from helpers.ingest.normalize import NotANumber, as_count, parse_number
from helpers.ingest.returns import ingest_year
from helpers.metrics.ranking import district_ranking
from helpers.words.labels import indicator_label


def _hashes(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_synthetic_inputs_validate_clean_with_the_asked_size(tmp_path):
    made = write_synthetic(tmp_path / "raw", districts=50, indicators=18, returns=52)
    result = ingest_year(tmp_path / "raw", 2018, today=pd.Timestamp("2019-01-01").date())
    assert result.errors == []
    assert sorted(set(result.allocation["district"])) == [district_name(n)
                                                          for n in range(1, 51)]
    assert result.allocation["indicator"].nunique() == 18  # 15 bundled + 3 synthetic
    assert len(result.allocation) == 50 * 18
    assert result.progress["as_of"].nunique() == 52 == made.returns
    assert len(result.progress) == made.figures
    assert len(result.demo_inputs) == 52  # marked as generated demo returns


def test_synthetic_inputs_are_deterministic(tmp_path):
    write_synthetic(tmp_path / "a", districts=30, returns=12)
    write_synthetic(tmp_path / "b", districts=30, returns=12)
    assert _hashes(tmp_path / "a") == _hashes(tmp_path / "b")


def test_return_dates():
    assert len(return_dates(2018, 12)) == 12 and return_dates(2018, 12)[1].day == 28
    weekly = return_dates(2018, 52)
    assert len(weekly) == 52 and weekly[-1] == pd.Timestamp("2018-12-31").date()
    assert {(b - a).days for a, b in itertools.pairwise(weekly)} <= {7}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-10, 10**16).map(str),
                 st.text(alphabet="0123456789,. -+０１２３e个", max_size=12)))
def test_count_in_agrees_with_parse_number_and_as_count(text):
    try:
        number = parse_number(text)
        expected = (None, "empty value") if number is None else (as_count(number), "")
    except NotANumber as exc:
        expected = (None, str(exc))
    assert count_in(text) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["on_track", "lagging", "not_due", "done"]),
                          st.floats(0, 1.5).map(lambda x: round(x, 3))),
                min_size=1, max_size=40))
def test_ranking_by_bisect_is_competition_ranking(items):
    """Rank = 1 + the number of districts strictly ahead, checked by brute force."""
    rows = [{"district": f"d{k:02d}", "supervision_group": "g", "indicator": "beds",
             "status": status, "kind": "count", "basis": "time", "stage": "",
             "completion": Decimal(str(c)), "milestone": 0.5, "due_units": None,
             "judged_actual": None} for k, (status, c) in enumerate(items)]
    table = pd.DataFrame(rows)
    table["completion"] = table["completion"].astype(float)
    order = [r["district"] for r in rows]
    ranking = district_ranking(table, order).set_index("district")
    # as printed: one decimal, half up (helpers.core.rounding)
    keys = {d: tuple(-1 if pd.isna(v) else percent(v) for v in row)
            for d, row in ranking[["on_track_share", "mean_completion"]].iterrows()}
    for district in order:
        if ranking.loc[district, "due_items"] == 0:
            assert pd.isna(ranking.loc[district, "rank"])
            continue
        ahead = sum(keys[o] > keys[district] for o in order)
        assert ranking.loc[district, "rank"] == 1 + ahead


def test_a_word_table_of_a_thousand_rows_names_every_district(tmp_path):
    """A supervision group spanning a thousand districts: every row names its group and
    district (no merged cells, which would be blank on a continuation page)."""
    from helpers.core.parameters import ReportParameters
    from helpers.render.document_blocks import Cell, Table
    from helpers.render.word import build_document
    from helpers.words.report_text import build_report

    rows = tuple((Cell("第一组"), Cell(f"合成{n:04d}区")) for n in range(1000))
    block = Table(headers=("督查组", "县（市、区）"), rows=rows, numeric=(False, False))
    document = build_document(build_report(ReportParameters()), blocks=[block])
    xml = document.element.xml
    assert "w:vMerge" not in xml
    assert xml.count(">第一组<") == 1000 and ">合成0999区<" in xml


# --- a report of many districts: compact page -----------------------------------------------

@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The report data of 400 synthetic districts: beyond DISTRICTS_OPEN_MAX, and with more
    lagging items than a page lists."""
    from helpers.core.parameters import ReportParameters
    from helpers.words.report_text import build_report

    raw = tmp_path_factory.mktemp("raw400")
    write_synthetic(raw, districts=400)
    return build_report(ReportParameters(year=2018, period="H1", raw_dir=str(raw)))


def _cells(fragment: str) -> list[list[str]]:
    """The rows of the first table in `fragment` as the browser reads them (end tags may be
    left out: html.parser closes nothing, so rows are split on their start tags)."""
    import re

    body = fragment.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).replace("&amp;", "&")
             for cell in re.split(r"<td[^>]*>", row)[1:]]
            for row in body.split("<tr>")[1:]]


def test_a_large_report_has_compact_district_tables(many):
    """No hover sources (they are in report.xlsx and the CSV, as the page says), short
    indicator names, and per district every row of the table with its figures."""
    from helpers.render.html_page import is_large
    from helpers.render.html_sections import districts_section

    assert is_large(many)
    page = districts_section(many)
    assert " title=" not in page and "report.xlsx" in page
    first = many.districts[0]
    rows = many.table[many.table["district"] == first]
    table = page.split(f'id="table-district-{1:02d}"', 1)[1].split("</table>", 1)[0]
    cells = _cells("<table " + table)
    assert [c[0] for c in cells] == [indicator_label(code, "zh", many.catalog, short=True)
                                     for code in rows["indicator"]]
    assert [c[2].replace(",", "") for c in cells] == [
        "—" if pd.isna(t) else str(int(t)) for t in rows["target"]]
    assert "</td>" not in table and 'class="num"' not in table
    # the numbers are right-aligned by their column (target, actual, completion, ...)
    assert "table.compact-district td:nth-child(3)," in page


def test_a_large_report_lists_each_indicators_largest_shortfalls(many):
    """Each supervision group lists, for every indicator behind, the districts furthest
    behind in units (at most LONG_LIST_SHOWN rows in all), and says how many there are."""
    from helpers.render.html_page import LONG_LIST_SHOWN
    from helpers.render.html_sections import lagging_section

    page = lagging_section(many)
    items = many.lagging
    groups = items["supervision_group"].nunique()
    shown_each = LONG_LIST_SHOWN // groups
    assert len(items) > LONG_LIST_SHOWN  # the cut is exercised
    assert f"滞后事项共{len(items)}项" in page
    tables = page.split("<table ")[1:]
    assert len(tables) == groups
    for table, (_, part) in zip(tables, items.groupby("supervision_group", sort=False),
                                strict=True):
        rows = _cells("<table " + table)
        assert len(rows) <= shown_each
        listed = {(row[0], row[1]) for row in rows}  # district, indicator
        for code, behind in part.groupby("indicator", sort=False):
            label = indicator_label(code, "zh", many.catalog)
            kept = [r for r in behind.itertuples() if (r.district, label) in listed]
            assert kept, f"{code}: none of its districts behind is listed"
            # none left out is further behind in units than one listed
            least = min(0 if pd.isna(r.shortfall) else r.shortfall for r in kept)
            left_out = [0 if pd.isna(r.shortfall) else r.shortfall for r in behind.itertuples()
                        if (r.district, label) not in listed]
            assert all(units <= least for units in left_out), code


def test_streamed_rows_read_back_as_openpyxl_would_have_written_them(many, tmp_path,
                                                                    monkeypatch):
    """Second route: the same report workbook with every row written by openpyxl, and with
    the rows beyond STREAM_AFTER streamed as XML; read back, every cell of every sheet has the
    same value and the same look (number format, fill, font colour, rule, quote prefix)."""
    from openpyxl import load_workbook

    from helpers.render import excel_cells
    from helpers.render.excel import write_report_xlsx

    monkeypatch.setattr(excel_cells, "STREAM_AFTER", 1500)
    write_report_xlsx(many, tmp_path / "streamed.xlsx")
    monkeypatch.setattr(excel_cells, "STREAM_AFTER", 10**9)
    write_report_xlsx(many, tmp_path / "openpyxl.xlsx")
    streamed = load_workbook(tmp_path / "streamed.xlsx")
    plain = load_workbook(tmp_path / "openpyxl.xlsx")
    assert streamed.sheetnames == plain.sheetnames
    long_sheets = 0
    for name in plain.sheetnames:
        a, b = streamed[name], plain[name]
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), name
        assert a.auto_filter.ref == b.auto_filter.ref
        long_sheets += b.max_row > 1500
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                assert x.value == y.value, (name, x.coordinate)
                assert x.number_format == y.number_format, (name, x.coordinate)
                assert x.fill.fgColor.rgb == y.fill.fgColor.rgb, (name, x.coordinate)
                assert x.font.color == y.font.color and x.font.b == y.font.b
                assert x.border.top.style == y.border.top.style, (name, x.coordinate)
                assert x.quotePrefix == y.quotePrefix, (name, x.coordinate)
    assert long_sheets >= 2  # the data sheet and another long one were streamed


def test_a_large_groups_lagging_sentence_details_ten_districts_and_counts_the_rest(many):
    """The prose on items behind: per supervision group the ten districts with the most items
    behind are detailed, the others counted, and the counts add up to the group's items."""
    import re

    from helpers.words.findings import MOST_DISTRICTS_BEHIND, lagging

    items = many.lagging
    sentences = lagging(many)
    for sentence, (_, part) in zip(sentences, items.groupby("supervision_group", sort=False),
                                   strict=True):
        per_district = part.groupby("district", sort=False).size()
        named = [d for d in per_district.index if re.search(rf"{d}\d+项", sentence)]
        assert len(named) == MOST_DISTRICTS_BEHIND
        assert min(per_district[named]) >= max(per_district.drop(named))
        rest = re.search(r"其余(\d+)个县（市、区）共(\d+)项", sentence)
        assert rest and int(rest.group(1)) == len(per_district) - len(named)
        assert int(rest.group(2)) == per_district.drop(named).sum()
        assert len(sentence) < 3000


def test_a_large_reports_first_screen_names_twenty_districts_and_counts_all(many):
    """The first screen names the 20 districts with the most items seriously behind or overdue
    (then catalogue order), and says how many there are in all."""
    import re

    from helpers.core.statuses import SERIOUS
    from helpers.render.html_page import HEADLINE_NAMED_MAX, district_headline

    page = district_headline(many)
    serious = many.table[many.table["status"].isin(SERIOUS)].groupby("district").size()
    assert len(serious) > HEADLINE_NAMED_MAX  # the cut is exercised
    named = re.findall(r"(合成\d{4}区)（(\d+)项）", page)
    assert len(named) == HEADLINE_NAMED_MAX
    order = {d: k for k, d in enumerate(many.districts)}
    expected = sorted(serious.index, key=lambda d: (-serious[d], order[d]))[:HEADLINE_NAMED_MAX]
    assert [d for d, _ in named] == expected
    assert [int(n) for _, n in named] == [serious[d] for d in expected]
    assert f"共{len(serious)}个" in page
