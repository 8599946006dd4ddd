"""Problems as data: where (sheet, cell, row, line, date) and what (kind, district, indicator,
dates, figures) are fields, read as such by the report's sentences and place names."""

from __future__ import annotations

import datetime as dt
import pickle

from helpers.core.problems import (
    DIP,
    WARNING,
    Problem,
    cell_location,
    date_location,
    line_location,
    row_location,
)
from helpers.words.labels import location_text


def test_a_location_is_its_text_and_its_fields():
    cell = cell_location("进度, 第二", "Q6")  # a sheet name may hold a comma
    assert cell == "sheet 进度, 第二, cell Q6"
    assert (cell.sheet, cell.cell, cell.row, cell.line) == ("进度, 第二", "Q6", None, None)
    assert row_location("分解表", 7).row == 7 and line_location(12).line == 12
    assert date_location(dt.date(2018, 4, 30)).date == "2018-04-30"
    again = pickle.loads(pickle.dumps(cell))
    assert again == cell and again.sheet == "进度, 第二" and again.cell == "Q6"


def test_the_reader_sees_the_place_from_its_fields_not_by_parsing_text():
    # the Chinese place names come from the fields: a comma in the sheet name is harmless
    assert location_text(cell_location("进度, 第二", "Q6")) == "工作表“进度, 第二”Q6单元格"
    assert location_text(line_location(12)) == "第12行"
    assert location_text("sheet 进度, cell Q6") == "sheet 进度, cell Q6"  # text alone: as it is
    assert location_text(cell_location("进度", "Q6"), "en") == "sheet 进度, cell Q6"


def test_a_warning_carries_what_it_is_about():
    problem = Problem("2018/progress/2018-05-31.xlsx", cell_location("进度", "Q6"),
                      "龙湾区 beds: cumulative figure went down from 171 (2018-04-30) to 151 "
                      "(2018-05-31)", WARNING, kind=DIP, district="龙湾区",
                      indicator="new_institution_beds", date=dt.date(2018, 5, 31), value=151,
                      earlier_date=dt.date(2018, 4, 30), earlier_value=171)
    assert (problem.sheet, problem.cell, problem.line) == ("进度", "Q6", None)
    assert problem.as_dict() == {"file": "2018/progress/2018-05-31.xlsx",
                                 "location": "sheet 进度, cell Q6",
                                 "message": problem.message, "severity": WARNING}
    # the fields do not take part in comparing problems (they sort by place and message)
    assert problem == Problem(problem.file, problem.location, problem.message, WARNING)
