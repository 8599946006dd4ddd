"""One fact, one account (issue 17; README: a district's figure, status, shortfall and rank are
identical in the page, the PDF, the Word file, the workbook, the CSV and its brief).

For each case a report and its district briefs are built through the command line, then every
district x indicator row is read back from every output (tests/cross_output.py says how each
is read) and compared field by field: 年度目标, 累计完成 as shown, 完成率 as printed, 应完成数,
差额, the status word and the rank (a rank shown as — in one output must be blank in the others,
never a number). The briefs must add up to the city report, and the city CSV's targets and
actuals must equal what a second route reads from the raw allocation table and returns.

Sources compared (an output is compared only on the fields it has a column for):
    csv            tables/district_indicator.csv (a data table: put in printed form)
    html           report.html, the district tables (八、各县（市、区）完成情况)
    html-lagging   report.html, the lagging lists by supervision group (only lagging rows)
    pdf            report.pdf, the district tables (see cross_output.pdf_rows: 进度要求 not read)
    docx           report.docx, its lagging-items table (it has no table per district)
    docx-carryover report.docx at year end, the items carried over (values only)
    xlsx           report.xlsx, the district sheets (none beyond 60 districts)
    xlsx-data      report.xlsx, the tidy data sheet 明细数据 (a data table, like the CSV)
    brief-csv      <briefs>/tables/unit_indicator.csv
    brief-html, brief-pdf, brief-xlsx   each district's brief, its indicator table
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import cross_output as xo
import pytest
from back import oracle

from helpers.core.paths import RAW_DIR

pytestmark = pytest.mark.slow

# case -> raw folder (the back tests' matrix: tests/back/oracle.py)
CASES = {"Q1": "bundled", "H1": "bundled", "Q3": "bundled", "FY": "bundled",
         "H1-synthetic100": "synthetic100"}
LAGGING_ONLY = ("html-lagging", "pdf-lagging", "docx")
VALUES_ONLY = ("docx-carryover",)  # year end: the items carried over, compared on values only
SHOWN_IN_FAILURE = 200  # lines of a failure message; the whole list goes to test-artifacts/


@dataclass(frozen=True)
class Built:
    name: str
    period: str
    raw: Path
    report: Path  # <out>/2018/<period>
    briefs: Path  # <out>/2018/<period>-briefs-district
    catalog: xo.Catalog


@pytest.fixture(scope="module", params=list(CASES))
def built(request, tmp_path_factory) -> Built:
    """The case's report and district briefs (with their PDFs), built with `python -m helpers
    run` and `briefs` into a temporary folder; the synthetic raw folder is generated there too
    (not in test-artifacts/, which the back tests rebuild)."""
    name, kind = request.param, CASES[request.param]
    period = name.split("-")[0]
    root = tmp_path_factory.mktemp(f"cross-output-{name}")
    raw = RAW_DIR
    if kind != "bundled":
        raw = root / "raw"
        oracle.MAKERS[kind](raw)
    case = oracle.Case(name, (oracle._run("--period", period),
                              oracle._briefs("--period", period, "--by", "district")), raw=kind)
    oracle._run_commands(case, str(raw), root / "processed", root / "out")
    yield Built(name, period, raw, root / "out" / "2018" / period,
                root / "out" / "2018" / f"{period}-briefs-district", xo.read_catalog(raw))
    shutil.rmtree(root, ignore_errors=True)


@dataclass
class Accounts:
    sources: dict[str, xo.Facts]
    unreadable: list[str]  # rows a PDF reader could not locate
    csv_rows: list[dict[str, str]]
    partial: tuple[str, ...]  # lagging lists that say they hold only the largest shortfalls


@pytest.fixture(scope="module")
def accounts(built) -> Accounts:
    catalog = built.catalog
    csv_facts, csv_rows = xo.csv_facts(built.report / "tables" / "district_indicator.csv",
                                       catalog)
    html, html_lagging, _order, whole_lists = xo.city_html_facts(built.report / "report.html",
                                                                catalog)
    pdf, pdf_missing = xo.lagging_pdf_facts(built.report / "report.pdf", catalog,
                                            list(html_lagging))
    sources = {
        "csv": csv_facts, "html": html, "html-lagging": html_lagging, "pdf-lagging": pdf,
        "xlsx": xo.xlsx_district_facts(built.report / "report.xlsx", catalog,
                                       catalog.districts),
        "xlsx-data": xo.xlsx_data_facts(built.report / "report.xlsx", catalog),
        "brief-csv": xo.csv_facts(built.briefs / "tables" / "unit_indicator.csv", catalog,
                                  district_column="brief")[0],
        "brief-html": {}, "brief-pdf": {}, "brief-xlsx": {}}
    sources.update(xo.docx_facts(built.report / "report.docx", catalog))
    if len(catalog.districts) > 60:  # README: no district sheets beyond 60 districts
        assert sources["xlsx"] == {}
        del sources["xlsx"]
    unreadable = [f"{d} | {i} | row | not located in report.pdf" for d, i in pdf_missing]
    for district, stem in xo.brief_units(built.briefs):
        facts, brief_order = xo.brief_html_facts(built.briefs / f"{stem}.html", catalog,
                                                 district)
        sources["brief-html"].update(facts)
        found, missing = xo.brief_pdf_facts(built.briefs / f"{stem}.pdf", catalog, brief_order)
        sources["brief-pdf"].update(found)
        unreadable += [f"{d} | {i} | row | not located in {stem}.pdf" for d, i in missing]
        sources["brief-xlsx"].update(xo.xlsx_district_facts(built.briefs / f"{stem}.xlsx",
                                                            catalog, [district]))
    return Accounts(sources, unreadable, csv_rows,
                    () if whole_lists else ("html-lagging", "pdf-lagging"))


def _fail_with(problems: list[str], built: Built, what: str, artifacts_dir: Path) -> None:
    if not problems:
        return
    report = artifacts_dir / f"cross-output-{built.name}-{what}.txt"
    report.write_text("\n".join(problems) + "\n", encoding="utf-8")
    shown = "\n".join(problems[:SHOWN_IN_FAILURE])
    more = len(problems) - SHOWN_IN_FAILURE
    pytest.fail(f"{built.name}: {len(problems)} disagreement(s), all in {report}:\n{shown}"
                + (f"\n... and {more} more" if more > 0 else ""), pytrace=False)


def test_every_output_gives_each_district_indicator_one_account(built, accounts,
                                                                artifacts_dir):
    """district | indicator | field | source=value ... for every field on which the outputs
    that show it differ, and every row an output leaves out (or a PDF row not located)."""
    every = set(accounts.sources["csv"])
    assert len(every) == len(built.catalog.districts) * len(
        {i for _, i in every}), "the CSV has one row per district and indicator"
    lagging = {k for k, f in accounts.sources["csv"].items() if f["status"] in xo.LAGGING_WORDS}
    for source, facts in accounts.sources.items():  # a reader that finds nothing hides nothing
        shown = {name for f in facts.values() for name, value in f.items() if value}
        assert {"figure", "status"} <= shown, (source, shown)
    problems = accounts.unreadable + xo.coverage(accounts.sources, every, lagging, LAGGING_ONLY,
                                                accounts.partial, VALUES_ONLY)
    problems += [d.line() for d in xo.disagreements(accounts.sources)]
    _fail_with(problems, built, "rows", artifacts_dir)


def test_briefs_add_up_to_the_city_report(built, accounts, artifacts_dir):
    """For each indicator, the district briefs' 年度目标 and 累计完成 (a share's numerator and
    denominator) summed against the city summary of report.html and report.xlsx."""
    city = {"html": xo.summary_html(built.report / "report.html", built.catalog),
            "xlsx": xo.xlsx_summary(built.report / "report.xlsx", built.catalog)}
    problems = []
    for source in ("brief-xlsx", "brief-csv", "brief-html"):
        # a figure is one number, numerator/denominator, or stages and build (选址5、…、建成0):
        # summed part by part, each part keeping its words
        sums: dict[str, dict[str, tuple[str, list[str], list[int]]]] = {}
        for (_, code), facts in accounts.sources[source].items():
            for name in ("target", "figure"):
                separator, words, numbers = _figure_parts(facts[name])
                _, known, total = sums.setdefault(code, {}).setdefault(
                    name, (separator, words, [0] * len(numbers)))
                total.extend([0] * (len(numbers) - len(total)))
                known.extend(words[len(known):])
                for n, number in enumerate(numbers):
                    total[n] += number
        for where, summary in city.items():
            for code, facts in summary.items():
                for name in ("target", "figure"):
                    separator, words, total = sums.get(code, {}).get(name, ("/", [], []))
                    added = separator.join(f"{w}{n}" for w, n in zip(words, total, strict=True))
                    if added != facts[name]:
                        problems.append(f"全市 | {code} | {name} | city {where}={facts[name]}"
                                        f"  sum of {source}={added}")
    _fail_with(problems, built, "sums", artifacts_dir)


def _figure_parts(text: str) -> tuple[str, list[str], list[int]]:
    """(separator, words, numbers) of a printed figure: "12" -> ("/", [""], [12]); "3/5" ->
    ("/", ["", ""], [3, 5]); "选址5、启动装修4、建成0" -> ("、", ["选址", "启动装修", "建成"],
    [5, 4, 0]); "" -> ("/", [], [])."""
    if not text:
        return "/", [], []
    separator = "、" if "、" in text else "/"
    parts = [re.fullmatch(r"(\D*)(\d+)", part) for part in text.split(separator)]
    assert all(parts), text
    return separator, [m[1] for m in parts], [int(m[2]) for m in parts]


def test_city_csv_targets_and_actuals_by_a_second_route(built, accounts, artifacts_dir):
    """The allocation table and the returns read with openpyxl and csv (tests/cross_output.py,
    not helpers.ingest): target, actual (the latest return on or before the report date),
    denominator, as_of and a stage's count, against tables/district_indicator.csv."""
    route = xo.read_raw(built.raw, 2018, built.catalog)
    differences = xo.raw_expectations(route, built.catalog, accounts.csv_rows, built.period)
    problems = [f"{d} | {i} | {column} | csv={mine}  raw={raw}"
                for (d, i), column, mine, raw in differences]
    _fail_with(problems, built, "raw", artifacts_dir)


def test_every_output_prints_the_same_ranking(built, accounts, artifacts_dir):
    """The 通报: report.html's ranking table, report.xlsx's 通报排名 and each district brief's
    综合排名 against the ranking recomputed from the CSV by a second route (counts of items due,
    on track and of each status behind, the two printed keys, the rank); a page that shows only
    part of a long ranking is compared on what it shows."""
    expected = xo.ranking_by_second_route(accounts.csv_rows)
    problems = []
    sources = {"html": xo.html_ranking(built.report / "report.html"),
               "xlsx": xo.xlsx_ranking(built.report / "report.xlsx")}
    assert set(sources["xlsx"]) == set(expected), "the workbook ranks every district"
    for source, ranking in sources.items():
        for district, fields in ranking.items():
            for name, value in fields.items():
                if value != expected[district][name]:
                    problems.append(f"{district} | ranking | {name} | {source}={value}  "
                                    f"second route={expected[district][name]}")
    briefs = xo.brief_ranks(built.briefs)
    assert set(briefs) == set(expected)
    problems += [f"{d} | ranking | rank | brief-xlsx={rank}  second route={expected[d]['rank']}"
                 for d, rank in briefs.items() if rank != expected[d]["rank"]]
    _fail_with(problems, built, "ranking", artifacts_dir)
