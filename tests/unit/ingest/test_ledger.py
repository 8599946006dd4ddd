"""The problem ledger (seed 002): reading as clerks send it, validation naming every cell, and
the counts at a date, checked against a small ledger counted by hand."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from ingest_builders import build_workbook, make_raw
from support import CONTACT, HAND_ITEMS, HAND_MERGES, HEADER

from helpers.cli import main
from helpers.core.paths import RAW_DIR
from helpers.demo.ledger import CANARY_NAMES, CANARY_NUMBERS, sample_ledger
from helpers.ingest.catalog import load_catalog
from helpers.ingest.ledger_book import parse_date, read_ledger
from helpers.ingest.returns import ingest_year
from helpers.ingest.snapshot import take_snapshot
from helpers.metrics.ledger_view import for_indicators, ledger_view

D = dt.date
DISTRICTS = ["鹿城区", "龙湾区", "洞头区"]  # the small allocation of ingest_builders


def ledger_rows(items, title="2018年问题整改台账（截至2018年12月31日）"):
    return [[title], HEADER, *items]


def write_ledger(raw, rows, merges=()):
    return build_workbook(raw / "2018" / "ledger.xlsx", rows, merges=merges, title="台账")


@pytest.fixture
def hand_raw(tmp_path):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(HAND_ITEMS), HAND_MERGES)
    return raw


def _ledger(raw):
    return read_ledger(take_snapshot(raw, 2018), 2018, load_catalog(raw))


# --- reading --------------------------------------------------------------------------------

def test_reads_merged_districts_mixed_dates_and_masks_people(hand_raw):
    ledger = _ledger(hand_raw)
    assert ledger.problems == []
    assert ledger.as_of == D(2018, 12, 31) and ledger.as_of_stated
    assert [i.district for i in ledger.items] == ["鹿城区"] * 3 + ["龙湾区"] * 2 + ["洞头区"] * 2
    second = ledger.items[1]
    assert (second.found, second.deadline, second.closed) == (D(2018, 3, 15), D(2018, 5, 31),
                                                              D(2018, 6, 10))
    assert ledger.items[2].project_year == 2016  # typed as 2016年
    assert ledger.items[3].deadline == D(2018, 7, 31)  # 2018年7月底: the month end
    assert [i.status for i in ledger.items] == ["closed", "closed", "open", "in_progress",
                                                "closed", "open", "closed"]
    assert [i.unit for i in ledger.items] == ["鹿城区民政局"] * 3 + ["龙湾区民政局"] * 2 + [
        "", "洞头区民政局"]
    assert ledger.items[0].source == "2018/ledger.xlsx!台账!A3"
    text = repr(ledger)
    assert "张三" not in text and "13812345678" not in text and "13912345678" not in text


def test_header_variants_two_row_header_notes_and_aliases(tmp_path):
    raw = make_raw(tmp_path)
    rows = [
        ["“回头看”问题清单（示例数据）"],
        ["填报单位：温州市民政局　　截至2018年9月30日"],
        ["序 号", "县（市、区）", "项目名称", "项目年度", "存在的问题\n隐患", "整改时限",
         "发现时间", "整改情况", None, "责任单位及责任人", "对应指标"],
        [None, None, None, None, None, None, None, "整改状态", "销号时间"],
        ["１", " 浙南产业集聚区 ", "沙城照料中心", 2017.0, "坡道不达标（电话0577-88123456）",
         "立行立改", "2018-05-22", "已整改（销号）", "2018-05-22", "经开区社会事务局 赵六",
         "新增机构床位"],
        [2, "鹿城区", "新增机构床位", 2018, "床位未投用", "20180930", 43266, "整改中", None,
         "鹿城区民政局", None],
        [],
        ["注：赵六 13800000000 填报"],
        [3, "未知区", "x", 2018, "x", "x", "x", "x", None, "x", None],  # below the note: not read
    ]
    write_ledger(raw, rows, merges=["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4",
                                    "G3:G4", "H3:I3", "J3:J4", "K3:K4"])
    ledger = _ledger(raw)
    assert ledger.problems == []
    assert ledger.as_of == D(2018, 9, 30) and ledger.is_sample
    first, second = ledger.items
    assert first.district == "经开区" and first.number == "１"
    assert first.deadline == first.found == D(2018, 5, 22)  # 立行立改
    assert first.problem == "坡道不达标（电话0577-****3456）"
    assert first.unit == "经开区社会事务局" and first.indicator == "new_institution_beds"
    assert second.found == D(2018, 6, 15)  # Excel day number 43266
    assert second.deadline == D(2018, 9, 30)
    assert second.indicator == "new_institution_beds"  # a 项目名称 naming an indicator


@pytest.mark.parametrize(("value", "date"), [
    ("2018年6月30日", D(2018, 6, 30)), ("2018.6.30", D(2018, 6, 30)),
    ("2018．６．３０", D(2018, 6, 30)), ("2018/6/30", D(2018, 6, 30)),
    ("2018-06-30", D(2018, 6, 30)), ("2018年6月底", D(2018, 6, 30)),
    ("2018年2月末前", D(2018, 2, 28)), (20180630, D(2018, 6, 30)), (43281, D(2018, 6, 30)),
    (dt.datetime(2018, 6, 30, 0, 0), D(2018, 6, 30)),
    ("6月30日", None), ("2018年13月1日", None), ("尽快", None), (1.5, None),
])
def test_parse_date(value, date):
    assert parse_date(value) == date


# --- validation -----------------------------------------------------------------------------

BAD = [
    [1, "鹿城", "a", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "未整改", None],
    [2, "鹿城区", "b", 2017, "q", "2018-03-01", CONTACT, "2018-03-10", "未整改", None],
    [3, "龙湾区", "c", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "已销号", None],
    [4, "龙湾区", "d", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "已销号", "2018-03-01"],
    [5, "龙湾区", "e", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "已销号", "2019-01-05"],
    [6, "洞头区", "f", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "搁置", None],
    [5, "洞头区", "g", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "未整改", None],
    [8, "洞头区", None, 2017, "q", "2018-04-30", None, "2018-03-10", "未整改", None],
    [9, "洞头区", "i", 1998, "q", "2018-04-30", CONTACT, "2018-03-10", "未整改", None],
    [10, "洞头区", "j", 2017, "q", "2018-04-30", CONTACT, "2018年13月1日", "未整改", None],
    [11, "洞头区", "k", 2017, "q", "2018-04-30", CONTACT, "2018-03-10", "整改中", "2018-05-01"],
    [12, "洞头区", "l", "2019年", "q", "2019-03-01", CONTACT, "2019-02-01", "未整改", None],
    ["填报人：张三 13812345678"],
]
BAD_MESSAGES = [
    ("sheet 台账, cell B3", "unknown district '鹿城'"),
    ("sheet 台账, cell F4", "整改限期 2018-03-01 is before 发现日期 2018-03-10"),
    ("sheet 台账, cell J5", "closed (整改状态 '已销号') without a 销号日期"),
    ("sheet 台账, cell J6", "销号日期 2018-03-01 is before 发现日期 2018-03-10"),
    ("sheet 台账, cell J7", "销号日期 2019-01-05 is after the ledger's date 2018-12-31"),
    ("sheet 台账, cell I8", "unknown 整改状态 '搁置' (expected 未整改, 整改中, 已整改 or 已销号)"),
    ("sheet 台账, cell A9", "duplicate 序号 5 (first in cell A7)"),
    ("sheet 台账, cell C10", "empty 项目名称"),
    ("sheet 台账, cell G10", "empty 责任人"),
    ("sheet 台账, cell D11", "项目年份 '1998' is not a plausible project year (2000..2018)"),
    ("sheet 台账, cell H12", "发现日期 '2018年13月1日' is not a date (e.g. 2018-06-30, "
                           "2018年6月30日, 2018.6.30)"),
    ("sheet 台账, cell J13", "销号日期 2018-05-01 is given but 整改状态 '整改中' is not closed "
                           "(已整改 / 已销号)"),
    ("sheet 台账, cell D14", "项目年份 '2019年' is not a plausible project year (2000..2018)"),
    ("sheet 台账, cell H14", "发现日期 2019-02-01 is after the ledger's date 2018-12-31"),
]


def test_validation_names_every_cell_in_one_pass(tmp_path):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(BAD))
    ledger = _ledger(raw)
    found = sorted((p.location, p.message) for p in ledger.problems)
    assert found == sorted(BAD_MESSAGES)
    assert all(p.file == "2018/ledger.xlsx" and p.is_error for p in ledger.problems)
    # only rows without any problem are kept
    assert [i.number for i in ledger.items] == []


def test_missing_columns_and_no_header(tmp_path):
    raw = make_raw(tmp_path)
    write_ledger(raw, [["台账"], HEADER[:7], [1, "鹿城区", "a", 2017, "q", "2018-04-30", CONTACT]])
    (problem,) = _ledger(raw).problems
    assert problem.location == "sheet 台账, row 2"
    assert problem.message == ("missing column(s) 发现日期, 整改状态 (a ledger has 序号, 区域, "
                               "项目名称, 项目年份, 存在的问题隐患, 整改限期, 责任人, 发现日期, "
                               "整改状态 and 销号日期)")
    write_ledger(raw, [["台账"], ["甲", "乙"], [1, 2]])
    (problem,) = _ledger(raw).problems
    assert (problem.location, problem.message) == ("", "no sheet has a ledger header row (序号, "
                                                       "区域, 项目名称, 存在的问题隐患, 整改限期, "
                                                       "责任人, ...)")


def test_a_ledger_dated_before_its_year_is_an_error(tmp_path):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(HAND_ITEMS[:1], title="台账（截至2017年12月31日）"))
    problems = [(p.location, p.message) for p in _ledger(raw).problems]
    assert ("sheet 台账, cell A1", "the ledger's date 2017-12-31 is before 2018") in problems


@pytest.mark.parametrize(("title", "message"), [
    ("台账（截至2099年12月31日）", "the ledger's date 2099-12-31 is after 2019: a 2018 ledger is "
                             "dated in 2018 or early 2019"),
    # a month that does not exist: the ledger was taken as of the year's end, without a word
    ("台账（截至2018年13月31日）",
     "the ledger's date '2018年13月31日' is not a day of the calendar"),
])
def test_a_ledger_date_far_ahead_or_not_in_the_calendar_is_an_error(tmp_path, title, message):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(HAND_ITEMS[:1], title=title))
    problems = [(p.location, p.message) for p in _ledger(raw).problems]
    assert ("sheet 台账, cell A1", message) in problems


def test_a_ledger_dated_early_the_next_year_is_read(tmp_path):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(HAND_ITEMS[:1], title="台账（截至2019年1月15日）"))
    ledger = _ledger(raw)
    assert ledger.problems == [] and ledger.as_of == dt.date(2019, 1, 15)


def test_corrupt_workbook_is_named(tmp_path):
    raw = make_raw(tmp_path)
    (raw / "2018" / "ledger.xlsx").write_bytes(b"not a zip")
    (problem,) = _ledger(raw).problems
    assert problem.file == "2018/ledger.xlsx"
    assert problem.message.startswith("unreadable or corrupt workbook")


def test_a_year_without_a_ledger_has_none(tmp_path):
    raw = make_raw(tmp_path)
    assert _ledger(raw) is None
    result = ingest_year(raw, 2018)
    assert result.ledger is None and not result.errors
    assert ledger_view(None, D(2018, 6, 30), DISTRICTS) is None


def test_ledger_errors_stop_validate_with_exit_2(tmp_path, capsys):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(BAD))
    assert main(["validate", "--year", "2018", "--raw-dir", str(raw)]) == 2
    err = capsys.readouterr()
    out = err.out + err.err
    assert "ERROR: 2018/ledger.xlsx, sheet 台账, cell B3: unknown district '鹿城'" in out
    assert "duplicate 序号 5 (first in cell A7)" in out
    assert "张三" not in out and "13812345678" not in out


def test_ledger_is_an_input_of_the_year(hand_raw):
    result = ingest_year(hand_raw, 2018)
    assert not result.errors
    ledger_input = next(i for i in result.inputs if i.path == "2018/ledger.xlsx")
    assert (ledger_input.kind, ledger_input.as_of, ledger_input.figures) == ("ledger", None, 7)
    assert result.ledger.items[0].number == "1"


# --- counts at a date, by hand ---------------------------------------------------------------

def _districts(view) -> dict[str, tuple]:
    return {r.district: (r.found, r.closed, r.closed_late, r.open, r.overdue)
            for r in view.districts.itertuples()}


def test_counts_at_mid_year(hand_raw):
    view = ledger_view(_ledger(hand_raw), D(2018, 6, 30), DISTRICTS)
    assert view.date == D(2018, 6, 30) and view.as_of == D(2018, 12, 31)
    # 鹿城区: 1 closed on time, 2 closed 10 June after its 31 May deadline, 3 open past 15 June
    # 龙湾区: 4 open within its deadline, 5 closed only on 1 August: open and overdue on 30 June
    # 洞头区: 6 found in July (not yet), 7 closed on its deadline day (on time)
    assert _districts(view) == {"鹿城区": (3, 2, 1, 1, 1), "龙湾区": (2, 0, 0, 2, 1),
                                "洞头区": (1, 1, 0, 0, 0)}
    assert view.city == {"found": 6, "closed": 3, "closed_late": 1, "open": 3, "overdue": 2,
                         "closure_rate": 0.5}
    assert list(view.districts["closure_rate"].round(4)) == [0.6667, 0.0, 1.0]
    assert list(view.overdue["number"]) == ["5", "3"]  # oldest deadline first
    assert list(view.overdue["days_overdue"]) == [51, 15]  # 10 May and 15 June to 30 June
    states = dict(zip(view.items["number"], view.items["state"], strict=True))
    # 5 is recorded closed but was not on 30 June; what it looked like then is not recorded
    assert states == {"1": "closed", "2": "closed", "3": "unclosed", "4": "unclosed",
                      "5": "unclosed", "7": "closed"}


def test_counts_at_year_end(hand_raw):
    view = ledger_view(_ledger(hand_raw), D(2018, 12, 31), DISTRICTS)
    assert _districts(view) == {"鹿城区": (3, 2, 1, 1, 1), "龙湾区": (2, 1, 1, 1, 1),
                                "洞头区": (2, 1, 0, 1, 1)}
    assert view.city["found"] == 7 and view.city["overdue"] == 3
    assert list(view.overdue["number"]) == ["3", "4", "6"]
    assert list(view.overdue["days_overdue"]) == [199, 153, 148]
    states = dict(zip(view.items["number"], view.items["state"], strict=True))
    assert states["3"] == "open" and states["4"] == "in_progress" and states["5"] == "closed"


def test_month_by_month(hand_raw):
    view = ledger_view(_ledger(hand_raw), D(2018, 6, 30), DISTRICTS)
    rows = [(r.date, r.found, r.new_found, r.closed, r.new_closed, r.open, r.overdue)
            for r in view.monthly.itertuples()]
    assert rows == [
        (D(2018, 1, 31), 0, 0, 0, 0, 0, 0),
        (D(2018, 2, 28), 1, 1, 0, 0, 1, 0),   # 7 found 1 Feb
        (D(2018, 3, 31), 3, 2, 0, 0, 3, 0),   # 1 and 2 found in March
        (D(2018, 4, 30), 4, 1, 1, 1, 3, 0),   # 5 found, 1 closed
        (D(2018, 5, 31), 5, 1, 1, 0, 4, 1),   # 3 found; 5 past 10 May
        (D(2018, 6, 30), 6, 1, 3, 2, 3, 2),   # 4 found; 2 and 7 closed; 3 past 15 June
    ]


def test_a_ledger_dated_before_the_report_is_counted_at_its_own_date(tmp_path):
    raw = make_raw(tmp_path)
    write_ledger(raw, ledger_rows(HAND_ITEMS[:3], title="问题清单（截至2018年6月25日）"),
                 ["B3:B5"])
    view = ledger_view(_ledger(raw), D(2018, 12, 31), DISTRICTS)
    assert view.date == D(2018, 6, 25)
    assert view.monthly["date"].iloc[-1] == D(2018, 6, 25)
    assert _districts(view)["鹿城区"] == (3, 2, 1, 1, 1)


def test_only_the_report_districts_count(hand_raw):
    view = ledger_view(_ledger(hand_raw), D(2018, 6, 30), ["龙湾区"])
    assert list(view.districts["district"]) == ["龙湾区"]
    assert view.city["found"] == 2 and set(view.items["district"]) == {"龙湾区"}


def test_a_district_with_nothing_found_yet(hand_raw):
    """No item found by the date: zero counts and empty tables that keep their columns (a
    district's brief early in the year)."""
    view = ledger_view(_ledger(hand_raw), D(2018, 1, 31), ["龙湾区"])
    assert view.city["found"] == 0 and view.items.empty and view.overdue.empty
    assert "district" in view.overdue.columns and "deadline" in view.overdue.columns


def test_lagging_items_carry_deadline_and_unit(tmp_path):
    import pandas as pd

    raw = make_raw(tmp_path)
    items = [
        [1, "鹿城区", "五马街道中心", 2017, "床位未投用", "2018-05-31", CONTACT, "2018-03-01",
         "未整改", None, "新增机构床位"],
        [2, "鹿城区", "七都照料中心", 2017, "床位未投用", "2018-04-30", "鹿城区财政局 甲",
         "2018-03-01", "整改中", None, "new_institution_beds"],
        [3, "鹿城区", "南汇", 2017, "x", "2018-03-31", CONTACT, "2018-03-01", "已销号",
         "2018-03-20", "新增机构床位"],
        [4, "龙湾区", "永中", 2017, "x", "2018-03-31", CONTACT, "2018-03-01", "未整改", None,
         None],
    ]
    write_ledger(raw, [["台账"], [*HEADER, "对应指标"], *items])
    view = ledger_view(_ledger(raw), D(2018, 6, 30), DISTRICTS)
    lagging = pd.DataFrame({"district": ["鹿城区", "龙湾区"],
                            "indicator": ["new_institution_beds", "new_institution_beds"]})
    linked = for_indicators(view, lagging)
    first = linked.iloc[0]
    # two unclosed items (3 is closed); the earliest deadline is item 2's, with its unit
    assert (first.ledger_items, first.ledger_deadline, first.ledger_unit,
            first.ledger_overdue) == (2, D(2018, 4, 30), "鹿城区财政局", True)
    assert linked.iloc[1].ledger_items == 0  # item 4 names no indicator


# --- the bundled sample ----------------------------------------------------------------------

def test_sample_ledger_is_reproduced_byte_for_byte():
    committed = (RAW_DIR / "2018" / "ledger.xlsx").read_bytes()
    assert hashlib.sha256(sample_ledger(2018)).hexdigest() == hashlib.sha256(
        committed).hexdigest()


def test_sample_ledger_reads_clean_and_holds_the_canaries():
    ledger = read_ledger(take_snapshot(RAW_DIR, 2018), 2018, load_catalog(RAW_DIR))
    assert ledger.problems == [] and ledger.is_sample and len(ledger.items) == 30
    # the canaries are in the raw file (else the disclosure tests would prove nothing) ...
    from openpyxl import load_workbook

    raw_text = " ".join(str(c.value) for row in load_workbook(
        RAW_DIR / "2018" / "ledger.xlsx").active.iter_rows() for c in row if c.value)
    plain = raw_text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(
        "-", "").replace(" ", "")
    assert all(name in raw_text for name in CANARY_NAMES)
    assert all(number in plain for number in CANARY_NUMBERS)
    # ... and not in what the reader keeps
    kept = repr(ledger.items)
    assert not any(name in kept for name in CANARY_NAMES)
    assert not any(number in kept.replace("-", "") for number in CANARY_NUMBERS)
