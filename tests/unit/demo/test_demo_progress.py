"""The generated demo returns: deterministic, committed as generated, and showing what the
module docstring promises. The committed files are read here with plain openpyxl/csv, not with
the ingest under test."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json

import pytest
from ingest_builders import (
    SEED_CODES,
    SEED_DISTRICTS,
    read_demo_long,
    read_demo_wide,
    seed_target,
)
from openpyxl import load_workbook

from helpers.core.paths import RAW_DIR
from helpers.demo.progress import generate

YEAR = 2018
PROGRESS = RAW_DIR / "2018" / "progress"
MONTH_ENDS = ["2018-01-31", "2018-02-28", "2018-03-31", "2018-04-30", "2018-05-31", "2018-06-30",
              "2018-07-31", "2018-08-31", "2018-09-30", "2018-10-31", "2018-11-30", "2018-12-31"]

# Chinese names of the indicators (indicators.csv name_zh), typed in, in SEED_CODES order.
NAME_ZH = [
    "新增镇（街）养老服务中心（示范型居家养老服务中心）",
    "新增机构床位",
    "县（市、区）本级启动建设200张床位以上公办护理型养老机构",
    "“智慧用电”安装数",
    "消防远程监控系统数",
    "新增社区居家养老服务照料中心由社会组织（企业）承接运行数",
    "新增公办养老机构公建（办）民营数",
    "新增100张床位以上养老机构内设医疗机构数",
    "新增养老机构医养合作数",
    "新增照料中心医养合作数",
    "享受养老服务补贴总人数",
    "具备助餐、配送餐服务的照料中心数",
    "养老服务人员培训数",
    "新增养老护理领军人才工作室",
    "新增老年服务社会工作室",
]
CODE_OF = {**dict(zip(NAME_ZH, SEED_CODES, strict=True)), **{c: c for c in SEED_CODES}}


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch):
    # The generator stamps each workbook with its month-end unless SOURCE_DATE_EPOCH overrides.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def generated():
    import os

    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        return {f.name: f.data for f in generate(RAW_DIR, YEAR)}
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def all_returns_at(date: str) -> dict[tuple[str, str], int]:
    """{(district, header or indicator[/stage]): value} of every figure of a month-end's
    committed return, read plainly (wide: the header as typed; long: indicator/stage)."""
    xlsx, long = PROGRESS / f"{date}.xlsx", PROGRESS / f"{date}.csv"
    if xlsx.exists():
        return read_demo_wide(xlsx)
    rows = read_demo_long(long)
    assert {r["as_of"] for r in rows} == {date}
    return {(r["district"], f"{r['indicator']}/{r['stage']}" if r["stage"] else r["indicator"]):
            int(r["value"]) for r in rows}


def returns_at(date: str) -> dict[tuple[str, str], int]:
    """{(district, code): value} of the 15 seed-001 indicators in a month-end's return."""
    return {(d, CODE_OF[name]): v for (d, name), v in all_returns_at(date).items()
            if name in CODE_OF}


def test_generate_is_deterministic(generated):
    again = {f.name: f.data for f in generate(RAW_DIR, YEAR)}
    assert list(again) == list(generated)
    for name, data in generated.items():
        assert again[name] == data, name


def test_committed_files_equal_the_generator_output(generated):
    committed = {p.name for p in PROGRESS.iterdir() if p.is_file()}
    assert committed == set(generated)
    for name, data in generated.items():
        assert (PROGRESS / name).read_bytes() == data, f"{name} differs from generate()"


def test_one_return_per_month_end_in_both_forms(generated):
    returns = sorted(n for n in generated if n != "DEMO_RETURNS.json")
    assert [n.rsplit(".", 1)[0] for n in returns] == MONTH_ENDS
    suffixes = {n.rsplit(".", 1)[1] for n in returns}
    assert suffixes == {"xlsx", "csv"}
    xlsx = [n for n in returns if n.endswith(".xlsx")]
    csvs = [n for n in returns if n.endswith(".csv")]
    assert len(xlsx) == 6 and len(csvs) == 6
    assert "2018-06-30.xlsx" in xlsx and "2018-12-31.xlsx" in xlsx


def test_long_returns_have_the_documented_columns_and_both_indicator_forms():
    forms = set()
    for date in MONTH_ENDS:
        path = PROGRESS / f"{date}.csv"
        if not path.exists():
            continue
        header = path.read_text(encoding="utf-8").splitlines()[0]
        assert header == "district,indicator,stage,as_of,value"
        indicators = {r["indicator"] for r in read_demo_long(path)} & set(CODE_OF)
        assert indicators
        forms.add("code" if indicators <= set(SEED_CODES) else "name")
    assert forms == {"code", "name"}


def test_wide_returns_are_messy_like_real_ones():
    ws = load_workbook(PROGRESS / "2018-06-30.xlsx").active
    assert "截至2018年6月30日" in ws["A1"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:A4" in merged and "B3:B4" in merged
    headers = [ws.cell(4, c).value for c in range(3, ws.max_column + 1)]
    assert all("\n" in h for h in headers)
    assert [h.replace("\n", "") for h in headers] != [
        f"{n}（{u}）" for n, u in zip(NAME_ZH, "个张个个个个个个个个人个人个个", strict=True)]
    names = [ws.cell(r, 2).value for r in range(5, 17)]
    assert "浙南产业集聚区" in names and " 瓯海区 " in names
    cells = [ws.cell(r, c).value for r in range(5, 17) for c in range(3, ws.max_column + 1)]
    assert any(isinstance(v, str) and "," in v for v in cells)          # thousands separator
    assert any(isinstance(v, str) and "０" <= v[0] <= "９" for v in cells)  # full-width digits
    # (float(value) cells are not asserted: xlsx stores every number as a double, so 2450.0
    # is written as <v>2450</v> and reads back as the int 2450.)
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "合 计" in labels
    assert any(isinstance(v, str) and v.startswith("注：") for v in labels)


def test_marker_records_every_return_with_its_digest(generated):
    marker = json.loads(generated["DEMO_RETURNS.json"])
    assert marker["generator"] == "helpers.demo_progress"  # the name its files have always carried
    assert set(marker["files"]) == set(generated) - {"DEMO_RETURNS.json"}
    for name, digest in marker["files"].items():
        assert hashlib.sha256(generated[name]).hexdigest() == digest


def test_one_missing_return_dongtou_april():
    for date in MONTH_ENDS:
        present = {d for d, _ in returns_at(date)}
        if date == "2018-04-30":
            assert present == set(SEED_DISTRICTS) - {"洞头区"}
        else:
            assert present == set(SEED_DISTRICTS), date


def test_one_dip_longwan_beds_in_may():
    series = {date: returns_at(date) for date in MONTH_ENDS}
    dips = []
    for district in SEED_DISTRICTS:
        for code in SEED_CODES:
            values = [(date, series[date].get((district, code))) for date in MONTH_ENDS]
            values = [(date, v) for date, v in values if v is not None]
            for (d0, v0), (d1, v1) in itertools.pairwise(values):
                if v1 < v0:
                    dips.append((district, code, d0, d1))
    assert dips == [("龙湾区", "new_institution_beds", "2018-04-30", "2018-05-31")]
    april = series["2018-04-30"][("龙湾区", "new_institution_beds")]
    may = series["2018-05-31"][("龙湾区", "new_institution_beds")]
    assert may == april - 20


def test_some_district_over_target_at_year_end():
    final = returns_at("2018-12-31")
    over = {district for (district, code), value in final.items()
            if seed_target(district, code) > 0 and value > seed_target(district, code)}
    assert over   # someone over-achieves (超额完成)
    beds_rate = {d: final[(d, "new_institution_beds")] / seed_target(d, "new_institution_beds")
                 for d in SEED_DISTRICTS}
    assert max(beds_rate.values()) > 1.0
    overall = {d: sum(final[(d, c)] for c in SEED_CODES) / sum(seed_target(d, c)
                                                                for c in SEED_CODES)
               for d in SEED_DISTRICTS}
    assert sum(rate > 1.0 for rate in overall.values()) >= 2


def test_late_districts_below_the_milestone_at_mid_year():
    h1 = returns_at("2018-06-30")
    time_progress = 181 / 365     # 30 June: no schedule for these indicators
    rates = {d: {c: h1[(d, c)] / seed_target(d, c)
                 for c in ("new_institution_beds", "care_stations_socially_run",
                           "caregivers_trained")}
             for d in SEED_DISTRICTS}
    late = {d for d, by_code in rates.items() if all(r < time_progress - 0.05
                                                     for r in by_code.values())}
    assert {"泰顺县", "文成县"} <= late
    assert len(late) < len(SEED_DISTRICTS)   # the others are not all late
    # meal services: 40% due by 30 June (seed 000)
    for district in ("泰顺县", "文成县"):
        assert h1[(district, "meal_service_stations")] < 0.4 * seed_target(
            district, "meal_service_stations")


def test_late_districts_end_the_year_short():
    final = returns_at("2018-12-31")
    for district in ("泰顺县", "文成县"):
        assert final[(district, "new_institution_beds")] < seed_target(
            district, "new_institution_beds")


def test_returns_are_cumulative_and_end_at_a_plausible_level():
    final = returns_at("2018-12-31")
    assert set(final) == {(d, c) for d in SEED_DISTRICTS for c in SEED_CODES}
    for (district, code), value in final.items():
        assert 0 <= value <= 1.3 * seed_target(district, code) + 1, (district, code)


def test_generated_dates_match_file_names():
    for date in MONTH_ENDS:
        xlsx = PROGRESS / f"{date}.xlsx"
        if xlsx.exists():
            title = load_workbook(xlsx).active["A1"].value
            d = dt.date.fromisoformat(date)
            assert f"截至{d.year}年{d.month}月{d.day}日" in title


def _stage_value(date: str, district: str, name_zh: str, stage_zh: str, code: str,
                 stage: str) -> int | None:
    """A stage figure of a committed return, whichever form the month was sent in."""
    figures = all_returns_at(date)
    return figures.get((district, f"{name_zh}（{stage_zh}）"),
                       figures.get((district, f"{code}/{stage}"),
                                   figures.get((district, f"{name_zh}/{stage_zh}"))))


def test_centre_sites_are_chosen_before_centres_are_built():
    name = NAME_ZH[0]
    for date in MONTH_ENDS:
        built = returns_at(date)
        for district in SEED_DISTRICTS:
            if (district, "new_township_care_centers") not in built:
                continue  # 洞头区 in April
            sites = _stage_value(date, district, name, "选址", "new_township_care_centers", "site")
            assert sites is not None, (date, district)
            assert sites >= built[(district, "new_township_care_centers")], (date, district)


def test_late_districts_miss_the_june_site_stage():
    name = NAME_ZH[0]
    for district in ("泰顺县", "文成县"):
        sites = _stage_value("2018-06-30", district, name, "选址", "new_township_care_centers",
                             "site")
        assert sites < seed_target(district, "new_township_care_centers")


def test_one_touch_stages_are_done_or_not_and_never_undone():
    name = "为80岁以上有需求的老年人免费提供“一键通”服务"
    for district in SEED_DISTRICTS:
        previous = 0
        for date in MONTH_ENDS:
            if date == "2018-04-30" and district == "洞头区":
                continue
            value = _stage_value(date, district, name, "宣传", "one_touch_service", "publicity")
            assert value in (0, 1), (district, date)
            assert value >= previous
            previous = value


def test_subsidy_recipients_are_a_level_near_the_target_all_year():
    january = returns_at("2018-01-31")
    for district in SEED_DISTRICTS:
        # a stock starts near last year's level, not at zero
        assert january[(district, "subsidy_recipients")] >= 0.85 * seed_target(
            district, "subsidy_recipients")


def test_share_numerators_never_exceed_their_denominators():
    pairs = [("护理型床位数", "养老机构床位总数"), ("nursing_type_beds", "institution_beds_total"),
             ("实行社会化运营的公办养老机构数", "公办养老机构总数"),
             ("public_homes_socially_run", "public_homes_total")]
    for date in MONTH_ENDS:
        figures = all_returns_at(date)
        checked = 0
        for district in SEED_DISTRICTS:
            for numerator, denominator in pairs:
                if (district, numerator) in figures:
                    assert figures[(district, numerator)] <= figures[(district, denominator)]
                    checked += 1
        assert checked >= 11 * 2, date
