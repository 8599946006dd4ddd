"""The column-wise reading agrees with a second route: a long CSV split at once reads as the csv
module reads it line by line, unusable characters are those their Unicode categories say, and
the rank of numbered columns orders rows as sorting their values does."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.paths import RAW_DIR
from helpers.core.text_safety import unusable_character
from helpers.ingest.catalog import load_catalog
from helpers.ingest.cross_checks import Numbered
from helpers.ingest.long_returns import _plain_columns, read_long_return

CATALOG = load_catalog(RAW_DIR)
REL = "2018/progress/p.csv"
HEADER = "district,indicator,stage,as_of,value"


def _quoted(text: str) -> str:
    """The same CSV with its header's first field quoted: the csv module reads it line by line
    (a quote mark is what sends a file there)."""
    return '"district"' + text[len("district"):]


def _both(text: str, newline: str = "\n"):
    plain = read_long_return(text.replace("\n", newline).encode(), REL, CATALOG, 2018)
    by_line = read_long_return(_quoted(text).replace("\n", newline).encode(), REL, CATALOG,
                               2018)
    return plain, by_line


def test_a_plain_csv_reads_as_the_csv_module_reads_it():
    text = "\n".join([HEADER, "鹿城区,new_institution_beds,,2018-06-30,12",
                      "洞头区,new_institution_beds,,2018-06-30,x",
                      "鹿城区,new_institution_beds,,2018-06-30,13",
                      "无名区,new_institution_beds,,2018-06-30,1",
                      "鹿城区,new_township_care_centers,site,2018-06-30,3"]) + "\n"
    assert _plain_columns(text) is not None  # this one is split at once
    for newline in ("\n", "\r\n"):
        plain, by_line = _both(text, newline)
        assert plain == by_line
    rows, problems = plain
    assert rows == [("鹿城区", "new_institution_beds", "", dt.date(2018, 6, 30), 12, f"{REL}:2"),
                    ("鹿城区", "new_township_care_centers", "site", dt.date(2018, 6, 30), 3,
                     f"{REL}:6")]
    assert [(p.location, p.message) for p in problems] == [
        ("line 3", "'x' is not a number"),
        ("line 4", "duplicate entry for 鹿城区 new_institution_beds 2018-06-30 (first on line 2)"),
        ("line 5", "unknown district '无名区'")]


def test_irregular_lines_are_read_line_by_line_with_the_same_result():
    text = "\n".join([HEADER, "鹿城区,new_institution_beds,,2018-06-30,12,",  # blank extra field
                      ",,,,", "", "洞头区,new_institution_beds,,2018-06-30,4,x",
                      "瓯海区,new_institution_beds,,2018-06-30"]) + "\n"
    assert _plain_columns(text) is None
    plain, by_line = _both(text)
    assert plain == by_line
    assert [(p.location, p.message) for p in plain[1]] == [
        ("line 5", "6 fields but the header names 5: 'x' has no column"),
        ("line 6", "empty value")]


fields = st.sampled_from(["鹿城区", " 洞头区 ", "经开区", "无名区", "", "new_institution_beds",
                          "new_township_care_centers", "site", "选址", "2018-06-30",
                          "2019-01-01", "7", "1,750", "-1", "x"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(fields, min_size=4, max_size=6), max_size=8),
       st.sampled_from(["\n", "\r\n"]))
def test_any_lines_read_the_same_either_way(lines, newline):
    text = "\n".join([HEADER, *(",".join(line) for line in lines)]) + "\n"
    plain, by_line = _both(text, newline)
    assert plain == by_line


def _unusable_by_category(char: str) -> bool:
    code = ord(char)
    category = unicodedata.category(char)
    return ((category == "Cc" and char not in "\t\n\r") or category == "Cs"
            or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
            or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069)


def test_unusable_characters_are_those_of_their_unicode_category():
    for code in range(0x110000):
        char = chr(code)
        expected = (1, char) if _unusable_by_category(char) else None
        assert unusable_character(f"a{char}b") == expected, hex(code)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["b", "a", "c", ""]), st.integers(0, 3),
                          st.dates(dt.date(2018, 1, 1), dt.date(2018, 1, 5))), max_size=12))
def test_numbered_columns_rank_rows_as_sorting_their_values(rows):
    frame = pd.DataFrame(rows, columns=["text", "number", "day"])
    rank = Numbered(frame, ["text", "number", "day"]).rank(["text", "number", "day"])
    by_rank = [rows[k] for k in sorted(range(len(rows)), key=lambda k: (rank[k], k))]
    assert by_rank == sorted(rows)
    assert len(set(rank.tolist())) == len(set(rows))
