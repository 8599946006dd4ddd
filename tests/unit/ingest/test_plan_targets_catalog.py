"""<year>/plan/plan_targets.csv: the plan's words as the seeds write them, and clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.core.errors import CatalogError
from helpers.core.paths import RAW_DIR
from helpers.ingest.catalog import load_catalog

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def test_the_plans_words_are_the_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not here")
    plan = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    allocation = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    targets = load_catalog(RAW_DIR).plan_targets
    assert [t.code for t in targets] == ["livelihood_centres", "meal_coverage", "one_touch",
                                         "elite_classes"]
    for target in targets[:3]:
        assert target.quote_zh in plan, target.code
    # one 精英培训班 a year in every district: the allocation notice's words (任务目标6)
    elite = targets[3]
    assert elite.quote_zh in allocation and elite.clause == "任务目标6"
    assert (elite.per_district, elite.indicator) == (1, "elite_training_classes")
    assert targets[2].reported == "one_touch_persons_served"
    # what the allocation says of the same targets
    assert "新增镇（街）养老服务中心（示范型居家养老服务中心）45个" in allocation
    assert "覆盖60%以上的城乡社区" in allocation
    assert "为全市80岁以上有需求的老年人免费提供“一键通”服务" in allocation


@pytest.fixture
def catalog_copy(tmp_path):
    shutil.copytree(RAW_DIR / "catalog", tmp_path / "catalog")
    shutil.copytree(RAW_DIR / "2018" / "plan", tmp_path / "2018" / "plan")
    return tmp_path


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "2018" / "plan" / "plan_targets.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    (",new_township_care_centers,,,40,", ",new_township_centres,,,40,",
     "line 2: indicator 'new_township_centres' is not an indicator"),
    (",new_township_care_centers,,,40,", ",new_township_care_centers,,,40.5,",
     "line 2: target '40.5' is not a whole number > 0"),
    (",urban_rural_communities,,0.5,", ",,,0.5,", "line 3: a share (threshold) is taken of"),
    (",urban_rural_communities,,0.5,", ",elderly_population,,1.5,", "line 3: threshold 1.5"),
    (",one_touch_service,delivery,", ",one_touch_service,delivered,",
     "line 4: one_touch_service has no stage 'delivered'"),
    ("2018,one_touch,", "2018,meal_coverage,", "line 4: plan target 'meal_coverage' is listed"),
    (",2018-12-31,,,,,,1,", ",2018-12-31,,,,,,0,",
     "line 5: per_district '0' is not a whole number of at least 1"),
    (",elite_training_classes,,,,,", ",caregivers_trained,,,,,",
     "line 5: per_district '1' is a figure every district reaches on a measure"),
    (",elite_training_classes,,,,,", ",elite_training_classes,,,3,,",
     "line 5: a per_district target has no target or threshold"),
    (",one_touch_persons_served,", ",caregivers_trained,",
     "line 4: reported 'caregivers_trained' is not a measure"),
])
def test_a_malformed_plan_target_is_named_by_line(catalog_copy, old, new, message):
    _edit(catalog_copy, old, new)
    with pytest.raises(CatalogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_catalog(catalog_copy)


def test_the_file_is_optional(catalog_copy):
    (catalog_copy / "2018" / "plan" / "plan_targets.csv").unlink()
    assert load_catalog(catalog_copy).plan_targets == []
