"""The typed parameter schema: unknown names, wrong types, CLI strings, notebook namespaces."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.core.errors import ParameterError
from helpers.core.parameters import (
    ReportParameters,
    check_notebook_parameters,
    parameters_from_dict,
    parse_cli_value,
)
from helpers.core.paths import PROJECT_ROOT

# --- defaults and report dates ------------------------------------------------------------------


def test_defaults_are_the_2018_mid_year_report():
    params = ReportParameters()
    assert (params.year, params.period, params.lang) == (2018, "H1", "zh")
    assert params.serious_lag_pp == 10.0
    assert params.districts is None
    assert params.report_date == dt.date(2018, 6, 30)


@pytest.mark.parametrize(("period", "date"), [
    ("Q1", dt.date(2018, 3, 31)),
    ("H1", dt.date(2018, 6, 30)),
    ("Q3", dt.date(2018, 9, 30)),
    ("FY", dt.date(2018, 12, 31)),
])
def test_report_date_is_the_period_end(period, date):
    assert ReportParameters(period=period).report_date == date


def test_report_date_follows_the_year():
    assert ReportParameters(year=2020, period="Q1").report_date == dt.date(2020, 3, 31)


def test_raw_path_relative_and_absolute(tmp_path):
    assert ReportParameters().raw_path == PROJECT_ROOT / "data" / "raw"
    assert ReportParameters(raw_dir=str(tmp_path)).raw_path == tmp_path


# --- values out of range ------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "word"), [
    ({"period": "H2"}, "period"),
    ({"period": "h1"}, "period"),
    ({"lang": "fr"}, "lang"),
    ({"year": 1999}, "year"),
    ({"serious_lag_pp": 0}, "serious_lag_pp"),
    ({"serious_lag_pp": 101}, "serious_lag_pp"),
    ({"districts": []}, "districts"),
    ({"cell_timeout_s": 0}, "cell_timeout_s"),
])
def test_out_of_range_values_rejected(changes, word):
    with pytest.raises(ParameterError, match=word):
        parameters_from_dict(changes)


def test_all_problems_reported_at_once():
    with pytest.raises(ParameterError) as info:
        parameters_from_dict({"period": "H2", "lang": "fr"})
    assert "'H2'" in str(info.value) and "'fr'" in str(info.value)


# --- parameters_from_dict: names and types ------------------------------------------------------

def test_unknown_name_rejected_naming_it():
    with pytest.raises(ParameterError, match="perod"):
        parameters_from_dict({"perod": "H1"})


def test_unknown_names_rejected_even_beside_known_ones():
    with pytest.raises(ParameterError, match="langauge"):
        parameters_from_dict({"period": "FY", "langauge": "en"})


@pytest.mark.parametrize(("name", "value"), [
    ("year", "2018"),
    ("year", 2018.0),
    ("export", 1),
    ("export", "true"),
    ("districts", [1]),
    ("districts", "鹿城区"),
    ("districts", ("鹿城区",)),
    ("period", 1),
    ("serious_lag_pp", "10"),
    ("raw_dir", None),
])
def test_wrong_types_rejected_naming_the_parameter(name, value):
    with pytest.raises(ParameterError, match=name):
        parameters_from_dict({name: value})


@pytest.mark.parametrize(("name", "value"), [
    ("year", True),
    ("cell_timeout_s", True),
    ("serious_lag_pp", True),
])
def test_bool_is_not_accepted_as_a_number(name, value):
    with pytest.raises(ParameterError, match=name):
        parameters_from_dict({name: value})


def test_int_accepted_for_float_and_stored_as_float():
    params = parameters_from_dict({"serious_lag_pp": 5})
    assert params.serious_lag_pp == 5.0
    assert type(params.serious_lag_pp) is float


def test_valid_dict_round_trip():
    values = {"year": 2018, "period": "FY", "lang": "en", "serious_lag_pp": 7.5,
              "districts": ["鹿城区", "经开区"], "export": True, "demo_notice": False}
    params = parameters_from_dict(values)
    assert (params.period, params.lang, params.serious_lag_pp) == ("FY", "en", 7.5)
    assert params.districts == ["鹿城区", "经开区"]
    assert params.export is True and params.demo_notice is False
    assert parameters_from_dict(params.as_dict()) == params


def test_none_allowed_only_where_declared():
    assert parameters_from_dict({"districts": None}).districts is None
    with pytest.raises(ParameterError, match="lang"):
        parameters_from_dict({"lang": None})


def test_replace_validates():
    params = ReportParameters()
    assert params.replace(period="FY").report_date == dt.date(2018, 12, 31)
    with pytest.raises(ParameterError, match="export"):
        params.replace(export="yes")
    with pytest.raises(ParameterError, match="nonsense"):
        params.replace(nonsense=1)


# --- as_dict ------------------------------------------------------------------------------------

def _plain(value) -> bool:
    if isinstance(value, list):
        return all(type(v) is str for v in value)
    return value is None or type(value) in (str, int, float, bool)


def test_as_dict_contains_only_plain_json_types():
    params = parameters_from_dict({"districts": ["鹿城区"], "serious_lag_pp": 12})
    values = params.as_dict()
    assert set(values) == {"year", "period", "lang", "serious_lag_pp",
                           "tolerance_pp", "small_target_max", "ranking_method", "districts",
                           "raw_dir", "cell_timeout_s", "export", "demo_notice", "title",
                           "doc_number", "issuer", "drafting_date", "recipients", "pdf"}
    assert all(_plain(v) for v in values.values()), values
    assert json.loads(json.dumps(values, ensure_ascii=False)) == values


# --- parse_cli_value ----------------------------------------------------------------------------

def test_cli_int_and_float():
    assert parse_cli_value("year", "2019") == 2019
    assert type(parse_cli_value("year", "2019")) is int
    assert parse_cli_value("serious_lag_pp", "7.5") == 7.5
    assert parse_cli_value("serious_lag_pp", "10") == 10.0
    assert type(parse_cli_value("serious_lag_pp", "10")) is float


@pytest.mark.parametrize(("name", "text"), [
    ("year", "twenty"),
    ("year", "2018.0"),
    ("cell_timeout_s", ""),
    ("serious_lag_pp", "ten"),
])
def test_cli_bad_numbers_rejected(name, text):
    with pytest.raises(ParameterError, match=name):
        parse_cli_value(name, text)


def test_cli_strings_are_kept_verbatim():
    assert parse_cli_value("raw_dir", "007") == "007"
    assert parse_cli_value("raw_dir", "true") == "true"
    assert parse_cli_value("period", "FY") == "FY"


@pytest.mark.parametrize(("text", "value"), [("true", True), ("false", False), ("True", True),
                                             ("FALSE", False), (" true ", True)])
def test_cli_bool_true_false_only(text, value):
    assert parse_cli_value("export", text) is value


@pytest.mark.parametrize("text", ["NO", "yes", "1", "0", "", "on"])
def test_cli_bool_no_guessing(text):
    with pytest.raises(ParameterError, match="export"):
        parse_cli_value("export", text)


def test_cli_list_split_on_commas():
    assert parse_cli_value("districts", "a, b") == ["a", "b"]
    assert parse_cli_value("districts", "鹿城区") == ["鹿城区"]
    assert parse_cli_value("districts", "鹿城区,,经开区 ") == ["鹿城区", "经开区"]


def test_cli_unknown_name_rejected_naming_it():
    with pytest.raises(ParameterError, match="colour"):
        parse_cli_value("colour", "red")


def test_cli_values_pass_the_schema():
    values = {name: parse_cli_value(name, text) for name, text in
              [("year", "2018"), ("period", "Q3"), ("serious_lag_pp", "5"),
               ("districts", "鹿城区, 龙湾区"), ("export", "true"), ("raw_dir", "007")]}
    params = parameters_from_dict(values)
    assert params.districts == ["鹿城区", "龙湾区"]
    assert params.raw_dir == "007"
    assert params.report_date == dt.date(2018, 9, 30)


# --- check_notebook_parameters ------------------------------------------------------------------

def test_notebook_parameters_ignore_other_names_and_keep_defaults():
    namespace = {"period": "FY", "lang": "en", "pd": object(), "__name__": "__main__",
                 "some_helper": 3}
    params = check_notebook_parameters(namespace)
    assert params == ReportParameters(period="FY", lang="en")


def test_notebook_parameters_reject_wrong_injected_types():
    with pytest.raises(ParameterError, match="year"):
        check_notebook_parameters({"year": "2018"})
    with pytest.raises(ParameterError, match="export"):
        check_notebook_parameters({"export": "False"})


def test_notebook_parameters_reject_bad_values():
    with pytest.raises(ParameterError, match="period"):
        check_notebook_parameters({"period": "Q2"})
