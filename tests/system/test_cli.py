"""The command line: readable output, documented exit codes, never a traceback for bad data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.core.paths import PROJECT_ROOT


def helpers_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=600, check=False)


def test_validate_bundled_data_is_clean():
    done = helpers_cli("validate", "--year", "2018")
    assert done.returncode == 0, done.stderr
    assert "allocation: 1 file(s), 180 figures" in done.stdout
    assert "districts: 12" in done.stdout
    assert "0 error(s), 2 warning(s)" in done.stdout
    assert "洞头区 has no return for 2018-04-30" in done.stdout


def test_validate_reports_every_problem_and_exits_2(raw_copy):
    from openpyxl import load_workbook

    path = raw_copy / "2018" / "allocation.xlsx"
    wb = load_workbook(path)
    ws = wb["分解表"]
    ws["D5"] = "一千"          # not a number
    ws["B6"] = "龙湾新区"       # unknown district
    ws["C7"] = -3              # negative
    wb.save(path)
    done = helpers_cli("validate", "--year", "2018", "--raw-dir", str(raw_copy))
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    out = done.stdout
    assert "2018/allocation.xlsx, sheet 分解表, cell D5: '一千' is not a number" in out
    assert "2018/allocation.xlsx, sheet 分解表, cell B6: unknown district '龙湾新区'" in out
    assert "2018/allocation.xlsx, sheet 分解表, cell C7: -3 is negative" in out


def test_validate_corrupt_workbook(raw_copy):
    (raw_copy / "2018" / "allocation.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    done = helpers_cli("validate", "--year", "2018", "--raw-dir", str(raw_copy))
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "2018/allocation.xlsx: unreadable or corrupt workbook" in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "twenty"], "parameter year: 'twenty' is not a int"),
    (["--year", "2018", "--period", "H2"], "period 'H2' is not one of Q1, H1, Q3, FY"),
    (["--year", "2018", "--serious-lag-pp", "-5"], "serious_lag_pp -5.0 must be in (0, 100]"),
    (["--year", "2018", "--demo-notice", "NO"], "parameter demo_notice: 'NO' is not a bool"),
    (["--year", "2018", "--districts", "鹿城区,火星区"], "unknown district(s) 火星区"),
])
def test_run_rejects_bad_parameters_before_anything_runs(tmp_path, args, message):
    out = tmp_path / "out"
    argv = ["run", *args, "--out-dir", str(out)]
    if "--period" not in args:
        argv += ["--period", "H1"]
    done = helpers_cli(*argv)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (out / "2018").exists() or not any((out / "2018").iterdir())


def test_unknown_option_is_rejected():
    done = helpers_cli("run", "--year", "2018", "--period", "H1", "--yaer", "2018")
    assert done.returncode == 2
    assert "unrecognized arguments: --yaer" in done.stderr


def test_run_with_bad_input_publishes_nothing(raw_copy, tmp_path):
    out = tmp_path / "out"
    (raw_copy / "2018" / "progress" / "2018-07-31.csv").write_text(
        "district,indicator,as_of,value\n鹿城区,new_institution_beds,2019-07-31,10\n",
        encoding="utf-8")
    done = helpers_cli("run", "--year", "2018", "--period", "H1", "--raw-dir", str(raw_copy),
                       "--out-dir", str(out))
    assert done.returncode == 2
    assert "2018/progress/2018-07-31.csv, line 2: reporting date 2019-07-31 is outside 2018" \
        in done.stderr
    assert "nothing was published" in done.stderr
    assert not (out / "2018" / "H1").exists()


def test_a_reader_that_leaves_ends_the_output_quietly(monkeypatch, capsys):
    """`python -m helpers ... | head`: the pipe closing is not an output failure (exit 0, no
    'could not use a file' message)."""
    from helpers import cli

    def closed_pipe(text=""):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "say", closed_pipe)
    assert cli.main(["validate", "--year", "2018"]) == 0
    assert capsys.readouterr().err == ""



@pytest.mark.parametrize("command", [("validate", "--year", "2018"),
                                     ("run", "--year", "2018", "--period", "H1", "--out-dir")])
def test_a_raw_folder_that_is_not_there_is_named(tmp_path, command):
    """Not "catalogue file missing: catalog/indicators.csv", which sent the analyst looking
    for a file in a folder that was never there."""
    missing, a_file = tmp_path / "no-such-folder", tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    for raw, why in ((missing, "does not exist"), (a_file, "is not a folder")):
        out = (str(tmp_path / "out"),) if command[-1] == "--out-dir" else ()
        done = helpers_cli(*command, *out, "--raw-dir", str(raw))
        assert done.returncode == 2
        assert f"the raw data folder {raw} {why}" in done.stderr
    assert not (tmp_path / "out").exists()
