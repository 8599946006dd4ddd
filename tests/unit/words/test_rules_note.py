"""The rules note quotes its own year's plan: no year's note cites another year's dates."""

from __future__ import annotations

import shutil

from helpers.core.parameters import ReportParameters
from helpers.core.paths import RAW_DIR
from helpers.metrics.report_data import build_report_data
from helpers.words.report_notes import rules_note


def test_2018_quotes_its_own_plan():
    note = rules_note(build_report_data(ReportParameters(period="H1")))
    # 2018/plan/milestones.csv: meals 0.4 by 2018-06-30 (the first part of a target), the
    # one-touch 宣传 stage by 2018-05-31 (the first stage), the centres and meals in full by
    # 2018-11-30 (the first deadline before the year end)
    assert "节点之间线性插值，如助餐配送餐照料中心6月30日前完成40%）" in note
    assert "（如“一键通”服务5月31日前完成宣传，节点日后未完成为逾期未完成）" in note
    assert "到达完成时限（工作方案要求11月30日完成的，以11月30日为准，其余以年底为准）后" in note


def test_a_plan_without_nodes_gives_no_examples(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    milestones = raw / "2018" / "plan" / "milestones.csv"
    header = milestones.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    # only the year-end nodes of the one-touch task's delivery stage are left
    kept = [line for line in milestones.read_text(encoding="utf-8").splitlines(keepends=True)
            if line.startswith("one_touch_service,2018-12-31")]
    milestones.write_text(header + "".join(kept), encoding="utf-8")
    note = rules_note(build_report_data(ReportParameters(period="FY", raw_dir=str(raw))))
    assert "节点之间线性插值）" in note
    assert "（如“一键通”服务12月31日前完成送达，节点日后未完成为逾期未完成）" in note
    assert "到达完成时限（以年底为准）后" in note
    assert "6月30日" not in note and "11月30日" not in note
