"""The catalogues: what seeds 000 and 001 say, and clear errors for malformed files."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from helpers.catalog import load_catalog
from helpers.errors import CatalogError
from helpers.paths import RAW_DIR


@pytest.fixture
def catalog_copy(tmp_path):
    shutil.copytree(RAW_DIR / "catalog", tmp_path / "catalog")
    return tmp_path


def test_bundled_catalogue_matches_the_seeds():
    catalog = load_catalog(RAW_DIR)
    assert len(catalog.indicators) == 15
    assert [d.name for d in catalog.districts] == [
        "鹿城区", "龙湾区", "瓯海区", "洞头区", "乐清市", "瑞安市", "永嘉县", "文成县", "平阳县",
        "泰顺县", "苍南县", "经开区"]
    # seed 000 annex 2: 第三组 = 平阳县 + 浙南产业集聚区 (= 经开区)
    groups = {}
    for d in catalog.districts:
        groups.setdefault(d.supervision_group, []).append(d.name)
    assert groups["第三组"] == ["平阳县", "经开区"]
    assert groups["第一组"] == ["洞头区", "乐清市"]
    assert len(groups) == 7
    for alias in ("浙南产业集聚区", "温州经济技术开发区", " 经开区 "):
        assert catalog.district_name(alias) == "经开区"
    meals = catalog.milestones_for("meal_service_stations", 2018)
    assert [(m.date, m.share_due) for m in meals] == [
        (dt.date(2018, 6, 30), 0.4), (dt.date(2018, 8, 31), 0.7), (dt.date(2018, 11, 30), 1.0)]
    assert catalog.milestones_for("new_institution_beds", 2018) == []


def test_headers_as_printed_in_seed_001_match():
    catalog = load_catalog(RAW_DIR)
    assert catalog.indicator_code("2018年享受养老服务补贴总人数（人）") == "subsidy_recipients"
    assert catalog.indicator_code("“智慧用电”安装数（个）") == "smart_electricity_installs"
    assert catalog.indicator_code("新增机构床位(张)") == "new_institution_beds"


def _edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_share_indicators_are_refused_clearly(catalog_copy):
    _edit(catalog_copy / "catalog" / "indicators.csv", ",张,count,", ",张,share,")
    with pytest.raises(CatalogError, match=r"indicators.csv line 3: kind 'share' is not supported"):
        load_catalog(catalog_copy)


def test_milestone_errors_name_the_line(catalog_copy):
    _edit(catalog_copy / "catalog" / "milestones.csv", "2018-08-31,0.7", "2018-08-31,1.7")
    with pytest.raises(CatalogError, match=r"milestones.csv line 6: share_due 1.7 is not in"):
        load_catalog(catalog_copy)


def test_unknown_milestone_indicator(catalog_copy):
    _edit(catalog_copy / "catalog" / "milestones.csv", "meal_service_stations,2018-06-30",
          "meals,2018-06-30")
    with pytest.raises(CatalogError, match=r"line 5: unknown indicator 'meals'"):
        load_catalog(catalog_copy)


def test_missing_catalogue_file(tmp_path):
    with pytest.raises(CatalogError, match="catalogue file missing"):
        load_catalog(tmp_path)
