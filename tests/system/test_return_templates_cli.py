"""Return templates as the bureau uses them: `templates` writes one per district, a script
fills them as a clerk would, they go into progress/, and the report's figures are the typed
figures (summed for the city by hand here); a tampered template makes `validate` and `run`
exit 2 naming the file and cell."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from template_builders import AS_OF, fill, small_raw

from helpers.core.parameters import ReportParameters
from helpers.core.paths import PROJECT_ROOT
from helpers.ingest.catalog import load_catalog
from helpers.ingest.returns import ingest_year
from helpers.metrics.report_data import build_report_data


def helpers_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=600, check=False)


@pytest.fixture(scope="module")
def sent(tmp_path_factory) -> tuple[Path, Path]:
    """(raw folder, templates folder): the district templates as of 31 July, by the CLI."""
    root = tmp_path_factory.mktemp("templates")
    raw = small_raw(root)
    done = helpers_cli("templates", "--year", "2018", "--as-of", AS_OF, "--raw-dir", str(raw),
                       "--out-dir", str(root / "out"))
    assert done.returncode == 0, done.stderr
    folder = root / "out" / "2018" / "templates" / AS_OF
    assert "19 template(s) as of 2018-07-31" in done.stdout
    return raw, folder


def test_round_trip_report_figures_are_the_typed_figures(sent, tmp_path):
    raw_sent, folder = sent
    raw = tmp_path / "raw"
    shutil.copytree(raw_sent, raw)
    typed: dict[tuple, tuple[int, str]] = {}
    files = sorted((folder / "district").glob("*.xlsx"))
    assert len(files) == 12
    where: dict[str, str] = {}
    for path in files:
        name = f"{AS_OF}-{path.stem}.xlsx"
        mine = fill(path, raw / "2018" / "progress" / name)
        typed.update(mine)
        for district, _, _ in mine:
            where[district] = name
    done = helpers_cli("validate", "--year", "2018", "--raw-dir", str(raw))
    assert done.returncode == 0, done.stdout + done.stderr

    catalog = load_catalog(raw)
    by_name = {i.name_zh: i.code for i in catalog.indicators}
    stage_of = {(s.indicator, s.name_zh): s.code for s in catalog.stages}
    result = ingest_year(raw, 2018)
    data = build_report_data(ReportParameters(year=2018, period="Q3", raw_dir=str(raw)), result)
    assert str(data.data_as_of) == AS_OF
    table = data.table.set_index(["district", "indicator"])
    city: dict[str, int] = {}
    checked = 0
    for (district, name, stage), (value, cell) in typed.items():
        code = by_name[name]
        if (district, code) not in table.index:
            continue  # a share's part: judged through its share below
        row = table.loc[(district, code)]
        if stage == "累计完成":
            assert row["actual"] == value, (district, code)
            assert row["actual_source"] == f"2018/progress/{where[district]}!填报!{cell}"
            city[code] = city.get(code, 0) + value
            checked += 1
        else:
            assert f"{stage_of[(code, stage)]}={value}" in row["stages_done"], (district, code)
    assert checked == 180  # the allocation table's 15 indicators x 12 districts
    summary = data.summary.set_index("indicator")
    for code, total in city.items():
        assert summary.loc[code, "actual"] == total, code
    # a share: the typed numerator over the typed denominator
    share = table.loc[("鹿城区", "nursing_bed_share")]
    beds = typed[("鹿城区", "护理型床位数", "累计完成")][0]
    total = typed[("鹿城区", "养老机构床位总数", "累计完成")][0]
    assert share["actual"] == beds and share["denominator"] == total


def test_group_template_reads_back_for_its_districts(sent, tmp_path):
    raw_sent, folder = sent
    raw = tmp_path / "raw"
    shutil.copytree(raw_sent, raw)
    typed = fill(folder / "group" / "01-第一组.xlsx", raw / "2018" / "progress" / "g1.xlsx")
    result = ingest_year(raw, 2018)
    assert not result.errors, [p.describe() for p in result.errors]
    mine = result.progress[result.progress["source"].str.startswith("2018/progress/g1.xlsx!")]
    assert set(mine["district"]) == {"洞头区", "乐清市"}
    assert len(mine) == len(typed)


def test_tampered_template_exits_2_in_validate_and_run(sent, tmp_path):
    from openpyxl import load_workbook

    raw_sent, folder = sent
    raw = tmp_path / "raw"
    shutil.copytree(raw_sent, raw)
    dest = raw / "2018" / "progress" / "lucheng.xlsx"
    fill(folder / "district" / "01-鹿城区.xlsx", dest)
    wb = load_workbook(dest)
    wb.worksheets[0]["F4"] = 1  # the target of the centres, lowered after sending
    wb.save(dest)
    done = helpers_cli("validate", "--year", "2018", "--raw-dir", str(raw))
    assert done.returncode == 2
    assert ("2018/progress/lucheng.xlsx, sheet 填报, cell F4: protected cell changed after the "
            "template was sent") in done.stdout
    run = helpers_cli("run", "--year", "2018", "--period", "Q3", "--pdf", "false",
                      "--raw-dir", str(raw), "--out-dir", str(tmp_path / "reports"),
                      "--processed-dir", str(tmp_path / "processed"))
    assert run.returncode == 2
    assert "sheet 填报, cell F4" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_templates_refuse_an_out_dir_inside_the_raw_folder(sent):
    raw, _ = sent
    done = helpers_cli("templates", "--year", "2018", "--as-of", AS_OF, "--raw-dir", str(raw),
                       "--out-dir", str(raw / "2018"))
    assert done.returncode == 2
    assert "inside the raw folder" in done.stderr
    assert not (raw / "2018" / "2018").exists()


def test_templates_refuse_a_date_outside_the_year(sent, tmp_path):
    raw, _ = sent
    done = helpers_cli("templates", "--year", "2018", "--as-of", "2019-01-31", "--raw-dir",
                       str(raw), "--out-dir", str(tmp_path))
    assert done.returncode == 2
    assert "2019-01-31 is outside 2018" in done.stderr
