"""Hostile inputs, second round (issue 21): each class of what an attacker or a careless clerk
did to the published folder, the inputs or the commands, and what holds now."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers.audit.verify import verify
from helpers.cli import main

# === class 1: verify reads what was published ================================================


@pytest.fixture
def published_copy(built_reports, tmp_path) -> Path:
    """A copy of the published 2018 H1 report to tamper with."""
    folder = tmp_path / "2018" / "H1"
    shutil.copytree(built_reports["H1"], folder)
    return folder


def _edit_a_figure(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    marker = page.index('id="summary-table"')
    at = next(i for i in range(marker, len(page)) if page[i].isdigit() and page[i] != "9")
    path.write_text(page[:at] + str(int(page[at]) + 1) + page[at + 1:], encoding="utf-8")


@pytest.mark.slow
def test_an_edited_figure_in_the_published_page_is_found(published_copy, capsys):
    _edit_a_figure(published_copy / "report.html")
    outcome = verify(published_copy / "manifest.json")
    assert not outcome.ok
    text = "\n".join(outcome.findings)
    assert "published output report.html is not what the manifest records" in text
    assert "report.html: the published file differs from the re-run" in text
    assert "report.html" not in outcome.matched
    assert main(["verify", str(published_copy / "manifest.json")]) == 1
    out = capsys.readouterr().out
    assert "DIFFERENT: published output report.html" in out and "not verified" in out


@pytest.mark.slow
def test_one_changed_byte_of_the_workbook_is_found(published_copy):
    path = published_copy / "report.xlsx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    outcome = verify(published_copy / "manifest.json")
    assert any(f.startswith("published output report.xlsx is not what the manifest records")
               for f in outcome.findings)


@pytest.mark.slow
def test_a_manifest_marking_nothing_reproducible_is_compared_all_the_same(published_copy):
    manifest_path = published_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for record in manifest["outputs"]:
        record["reproducible"] = False
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    outcome = verify(manifest_path)
    assert not outcome.ok  # never "verified" on the manifest's word
    assert "output report.html: the manifest marks it as not reproducible, which it is; " \
           "compared all the same" in outcome.findings
    assert "report.html" in outcome.matched  # and it was compared


@pytest.mark.slow
def test_a_published_output_deleted_or_emptied_is_named(published_copy):
    (published_copy / "report.docx").unlink()
    (published_copy / "tables" / "district_indicator.csv").write_bytes(b"")
    outcome = verify(published_copy / "manifest.json")
    text = "\n".join(outcome.findings)
    assert "published output report.docx is missing" in text
    assert "published output tables/district_indicator.csv is not what the manifest" in text


def test_a_manifest_without_outputs_verifies_nothing(published_copy, monkeypatch):
    from helpers.audit import verify as verify_module

    manifest = json.loads((published_copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"] = []
    findings, hashes = verify_module.published_changes(manifest, published_copy)
    assert findings == ["the manifest lists no output: nothing could be compared"]
    assert hashes == {}


# === class 5: every command that writes applies the place rules, before it writes ============

def _demo_folder(tmp_path: Path) -> Path:
    from ingest_builders import make_raw

    return make_raw(tmp_path, allocation="seed")


def test_demo_never_overwrites_a_real_return(tmp_path, capsys):
    raw = _demo_folder(tmp_path)
    real = raw / "2018" / "progress" / "2018-03-31.xlsx"
    real.write_bytes(b"a clerk's return")
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 2
    err = capsys.readouterr().err
    assert "holds input the demo did not write (2018/progress/2018-03-31.xlsx)" in err
    assert real.read_bytes() == b"a clerk's return"
    assert sorted(p.name for p in real.parent.iterdir()) == ["2018-03-31.xlsx"]  # nothing joined


def test_demo_never_replaces_a_real_ledger_nor_mixes_with_real_returns(tmp_path, capsys):
    raw = _demo_folder(tmp_path)
    ledger = raw / "2018" / "ledger.xlsx"
    ledger.write_bytes(b"not a sample")
    other = raw / "2018" / "progress" / "鹿城区-第一期.csv"
    other.write_text("district,indicator,as_of,value\n", encoding="utf-8")
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 2
    err = capsys.readouterr().err
    assert "2018/ledger.xlsx" in err and "鹿城区-第一期.csv" in err
    assert ledger.read_bytes() == b"not a sample"


def test_demo_rewrites_what_it_wrote_and_fills_an_empty_folder(tmp_path, capsys):
    raw = _demo_folder(tmp_path)
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 0
    written = {p.name: p.read_bytes() for p in (raw / "2018" / "progress").iterdir()}
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 0  # its own: again
    assert {p.name: p.read_bytes() for p in (raw / "2018" / "progress").iterdir()} == written
    edited = raw / "2018" / "progress" / "2018-03-31.xlsx"
    edited.write_bytes(edited.read_bytes() + b"\0")  # changed since: no longer the demo's
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 2


def test_demo_over_a_record_it_cannot_read_refuses(tmp_path, capsys):
    """A record nested past Python's recursion limit stopped `demo` with an internal error;
    what it wrote is not known, so its returns are taken as another's and kept."""
    raw = _demo_folder(tmp_path)
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 0
    marker = raw / "2018" / "progress" / "DEMO_RETURNS.json"
    marker.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in marker.parent.iterdir()}
    capsys.readouterr()
    assert main(["demo", "--year", "2018", "--raw-dir", str(raw)]) == 2
    assert "holds input the demo did not write" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in marker.parent.iterdir()} == before


@pytest.mark.parametrize("inside", ["2018/progress", "2018", "."])
def test_an_out_dir_inside_the_raw_folder_gets_no_run_log_either(tmp_path, capsys, inside):
    from ingest_builders import make_raw

    raw = make_raw(tmp_path)
    before = sorted(p.relative_to(raw) for p in raw.rglob("*"))
    for command in ("run", "briefs"):
        code = main([command, "--year", "2018", "--period", "H1", "--raw-dir", str(raw),
                     "--out-dir", str(raw / inside), "--pdf", "false"])
        assert code == 2
        assert "raw data is never written to" in capsys.readouterr().err
    assert sorted(p.relative_to(raw) for p in raw.rglob("*")) == before  # not even runs.log


def _published(tmp_path: Path) -> tuple[Path, Path]:
    import hashlib

    from ingest_builders import make_raw

    from helpers.core.environment import code_hash, lock_hash
    from helpers.core.parameters import ReportParameters

    raw = make_raw(tmp_path)
    folder = tmp_path / "out" / "2018" / "H1"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("report", encoding="utf-8")
    data = (raw / "2018" / "allocation.xlsx").read_bytes()
    manifest = {
        "parameters": ReportParameters(year=2018, period="H1", raw_dir=str(raw)).as_dict(),
        "summary": {"report_date": "2018-06-30", "counts": {}},
        "inputs": [{"path": "2018/allocation.xlsx", "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest()}],
        "outputs": [{"path": "report.html", "size": 6,
                     "sha256": hashlib.sha256(b"report").hexdigest(), "reproducible": True}],
        "environment": {"packages": {}, "git": {"commit": None, "dirty": None},
                        "code_sha256": code_hash(), "lock_sha256": lock_hash()}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder, raw


def test_pack_never_replaces_what_is_not_a_regular_file(tmp_path, capsys):
    import os

    folder, _raw = _published(tmp_path)
    fifo = tmp_path / "pack.zip"
    os.mkfifo(fifo)
    link = tmp_path / "link.zip"
    link.symlink_to(tmp_path / "elsewhere.zip")
    (tmp_path / "a folder.zip").mkdir()
    for target in (fifo, link, tmp_path / "a folder.zip", Path("/dev/null")):
        assert main(["pack", str(folder), "--output", str(target)]) == 2
        assert "is not a regular file" in capsys.readouterr().err
    assert fifo.exists() and not fifo.is_file() and link.is_symlink()
    assert Path("/dev/null").is_char_device()


def test_pack_never_writes_into_the_raw_folder_or_the_report(tmp_path, capsys):
    folder, raw = _published(tmp_path)
    for target in (raw / "pack.zip", raw / "2018" / "pack.zip", folder / "pack.zip"):
        assert main(["pack", str(folder), "--output", str(target)]) == 2
        err = capsys.readouterr().err
        assert "inside the raw folder" in err or "inside the report folder" in err
        assert not target.exists()
    assert main(["pack", str(folder), "--output", str(tmp_path / "pack.zip")]) == 0


# === class 6: two briefs never share a file =====================================================

def _catalogue_of(districts: list[tuple[str, int, str]]):
    from types import SimpleNamespace

    by_name = {name: SimpleNamespace(order=order, supervision_group=group)
               for name, order, group in districts}
    return SimpleNamespace(districts=[name for name, _, _ in districts],
                           catalog=SimpleNamespace(district_by_name=by_name))


@pytest.mark.parametrize("names", [("鹿城区", "鹿城区!"), ("Lucheng", "lucheng"),
                                   ("鹿城 区", "鹿城区"), ("<b>", "(b)")])
def test_districts_whose_file_names_collide_get_a_file_each(names):
    from helpers.metrics.brief_units import brief_units

    units = brief_units(_catalogue_of([(names[0], 1, "第一组"), (names[1], 1, "第一组")]),
                        "district")
    stems = [unit.stem.casefold() for unit in units]
    assert len(set(stems)) == 2 and all(stem.startswith("01") for stem in stems)
    assert [unit.name for unit in units] == list(names)  # each unit keeps its own name


def test_groups_whose_names_sanitise_alike_get_a_file_each_and_others_keep_theirs():
    from helpers.metrics.brief_units import BriefUnit, distinct_stems

    data = _catalogue_of([("甲区", 1, "第一组"), ("乙区", 2, "第一组!"), ("丙区", 3, "第二组")])
    from helpers.metrics.brief_units import brief_units

    assert len({u.stem for u in brief_units(data, "group")}) == 3  # numbered by position
    same = [BriefUnit("group", "第一组", "01-第一组", ("甲区",)),
            BriefUnit("group", "第一组!", "01-第一组", ("乙区",)),
            BriefUnit("group", "第二组", "02-第二组", ("丙区",))]
    stems = [u.stem for u in distinct_stems(same)]
    assert stems[2] == "02-第二组" and stems[0] != stems[1]
    assert all(stem.startswith("01-第一组-") for stem in stems[:2])


# === class 8: parameters and messages ==========================================================

@pytest.mark.parametrize("limit", ["inf", "-1", "nan", "0", "1e999", "soon"])
def test_a_time_limit_is_a_finite_number_of_seconds(limit, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--year", "2018", "--period", "H1", "--time-limit-s", limit])
    assert stopped.value.code == 2
    assert "is not a number of seconds above 0" in capsys.readouterr().err


@pytest.mark.parametrize("limit", [float("inf"), float("nan"), -1.0, 0.0])
def test_run_report_refuses_a_time_limit_that_is_none(limit, tmp_path):
    from helpers.core.errors import ParameterError
    from helpers.core.parameters import ReportParameters
    from helpers.publish.report_pipeline import run_report

    with pytest.raises(ParameterError, match="a number of seconds above 0"):
        run_report(ReportParameters(pdf=False), tmp_path, time_limit_s=limit)


def test_the_libraries_log_lines_stay_off_the_console(capsys):
    import logging

    from helpers.cli import _console_logging

    _console_logging()
    logging.getLogger("jupyter_client.manager").warning("Kernel died: noise")
    logging.getLogger("nbclient").error("more noise")
    logging.getLogger("helpers.publish.run_log").warning("the product's own")
    assert capsys.readouterr().err == "warning: the product's own\n"


def test_a_formula_without_value_in_the_allocation_is_one_error(raw_copy, capsys):
    from openpyxl import load_workbook

    path = raw_copy / "2018" / "allocation.xlsx"
    workbook = load_workbook(path)
    workbook.active["D5"] = "=1700+50"  # openpyxl saves no computed value
    workbook.save(path)
    assert main(["validate", "--year", "2018", "--raw-dir", str(raw_copy)]) == 2
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if line.startswith("ERROR")]
    assert errors == ["ERROR: 2018/allocation.xlsx, sheet 分解表, cell D5: formula without a "
                      "computed value (saved by a program that does not calculate): open and "
                      "save the file in Excel or LibreOffice, or type the figure"]


def test_reference_figures_accept_a_district_alias(raw_copy):
    from helpers.ingest.catalog import load_catalog

    path = raw_copy / "2018" / "plan" / "reference_figures.csv"
    text = path.read_text(encoding="utf-8")
    assert ",经开区," in text
    path.write_text(text.replace(",经开区,", ",浙南产业集聚区,", 1), encoding="utf-8")
    catalog = load_catalog(raw_copy)
    assert {f.district for f in catalog.reference_figures} >= {"经开区"}


@pytest.mark.slow
def test_a_long_group_name_makes_briefs_not_fail(raw_copy, tmp_path):
    long_group = "第四组" + "（督查组长单位温州市民政局养老服务处会同各成员单位）"
    assert len(long_group) > 25
    path = raw_copy / "catalog" / "districts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("第四组", long_group),
                    encoding="utf-8")
    assert main(["briefs", "--year", "2018", "--period", "H1", "--by", "group", "--raw-dir",
                 str(raw_copy), "--out-dir", str(tmp_path / "out"), "--pdf", "false"]) == 0
    pages = list((tmp_path / "out" / "2018" / "H1-briefs-group").glob("*.html"))
    assert any(long_group in page.read_text(encoding="utf-8") for page in pages)


# === class 7: odd characters are refused at validation, never an internal error =================

@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x00", "\ufffe", "\u202e"])
def test_a_written_section_with_an_odd_character_is_refused_by_line(raw_copy, capsys, char):
    (raw_copy / "2018" / "narrative" / "H1.md").write_text(f"## 做法\n\n床位{char}完成。\n",
                                                           encoding="utf-8")
    assert main(["validate", "--year", "2018", "--raw-dir", str(raw_copy)]) == 2
    out = capsys.readouterr().out
    assert (f"ERROR: 2018/narrative/H1.md, line 3: character U+{ord(char):04X} at column 3 is "
            "not text a report can print") in out


@pytest.mark.parametrize(("file", "old", "new"), [
    ("districts.csv", "龙湾区,,Longwan", "龙湾\x1b区,龙湾区,Longwan"),
    ("indicators.csv", "新增机构床位,新增机构床位,", "新增机构\x00床位,新增机构床位,"),
    ("districts.csv", "第五组", "第五组\u202e"),
])
def test_a_catalogue_name_with_an_odd_character_is_refused_by_line(raw_copy, capsys, file, old,
                                                                   new):
    path = raw_copy / "catalog" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", "--year", "2018", "--raw-dir", str(raw_copy)]) == 2
    err = capsys.readouterr().err
    assert f"{file} line" in err and "is not text a report can print" in err


def test_a_ledger_cell_with_an_odd_character_is_refused_by_cell(raw_copy, capsys):
    from openpyxl import load_workbook

    path = raw_copy / "2018" / "ledger.xlsx"
    workbook = load_workbook(path)
    sheet = workbook.active
    sheet["E5"] = f"{sheet['E5'].value}\u202e"
    workbook.save(path)
    assert main(["validate", "--year", "2018", "--raw-dir", str(raw_copy)]) == 2
    assert ("cell E5: character U+202E is not text a report can print"
            in capsys.readouterr().out)


def test_a_refused_or_crashing_run_is_logged_failed(raw_copy, tmp_path, capsys, monkeypatch):
    from helpers.publish import report_pipeline

    out = tmp_path / "out"
    out.mkdir()  # reports were published here before
    (raw_copy / "2018" / "narrative" / "H1.md").write_text("床位\x1b完成。\n", encoding="utf-8")
    argv = ["run", "--year", "2018", "--period", "H1", "--raw-dir", str(raw_copy),
            "--out-dir", str(out), "--pdf", "false"]
    assert main(argv) == 2
    assert "failed report=2018/H1" in (out / "runs.log").read_text(encoding="utf-8")
    (raw_copy / "2018" / "narrative" / "H1.md").unlink()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(report_pipeline, "build_report_data", broken)
    assert main(argv) == 70
    log = (out / "runs.log").read_text(encoding="utf-8").splitlines()
    assert 'error="RuntimeError: a bug"' in log[-1] and " failed " in log[-1]
    assert "unfinished" not in "\n".join(log)
    # debugging shows the traceback and keeps the code (an uncaught exception exits 1, which
    # reads as a verification mismatch)
    capsys.readouterr()
    monkeypatch.setenv("HELPERS_DEBUG", "1")
    assert main(argv) == 70
    said = capsys.readouterr().err
    assert "Traceback (most recent call last)" in said and "RuntimeError: a bug" in said


# === class 3: the written sections are read in linear time, and the time limit holds ===========

def _parse_seconds(text: str) -> float:
    import time

    from helpers.words.written_sections import literals, parse_blocks, references

    started = time.perf_counter()
    for draft in parse_blocks(text):
        for _, line in draft.lines or [pair for item in draft.items for pair in item]:
            references(line)
            literals(line)
    return time.perf_counter() - started


ADVERSARIAL = {
    "spaces after a heading": lambda n: "# 标题" + " " * n + "完\n",
    "open references": lambda n: "{{" * n,
    "open comments": lambda n: "<!--" * n,
    "digits and spaces": lambda n: ("1 " * n),
    "hashes": lambda n: "#" * n + " x" + " #" * n,
    "list markers": lambda n: "- " * n + "\n",
    "dates half written": lambda n: "2018年 " * n,
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_reading_adversarial_text_grows_linearly(name):
    make = ADVERSARIAL[name]
    small = max(_parse_seconds(make(2_000)) for _ in range(2))
    large = min(_parse_seconds(make(32_000)) for _ in range(2))
    # 16 times the text: linear is ~16x, quadratic ~256x; generous for a noisy machine
    assert large < 60 * small + 0.05, (name, small, large)
    assert large < 1.0, (name, large)


def test_hypothesis_written_sections_parse_in_bounded_time():
    import time

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["#", " ", "{{", "}}", "<!--", "-->", "`", "**", "1", ",", "000",
                              "年", "月", "日", "%", "万", "\n", "- ", "1.", "（", "）", "138",
                              "0000"])

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(pieces, min_size=0, max_size=400), st.integers(1, 40))
    def check(parts, repeat):
        text = "".join(parts) * repeat  # up to ~16,000 characters of the worst pieces
        started = time.perf_counter()
        _parse_seconds(text)
        assert time.perf_counter() - started < 0.5 + len(text) * 2e-5

    check()


def test_a_line_longer_than_the_limit_is_refused_by_line(raw_copy, capsys):
    (raw_copy / "2018" / "narrative" / "H1.md").write_text("## 做法\n\n" + "床" * 2001 + "\n",
                                                           encoding="utf-8")
    assert main(["validate", "--year", "2018", "--raw-dir", str(raw_copy)]) == 2
    assert ("2018/narrative/H1.md, line 3: line of 2001 characters; a line holds at most 2000"
            in capsys.readouterr().out)


@pytest.mark.slow
def test_the_time_limit_stops_a_step_that_runs_on(raw_copy, tmp_path, monkeypatch):
    import time

    from helpers.core.errors import TimeLimitExceeded
    from helpers.core.parameters import ReportParameters
    from helpers.publish import report_pipeline

    def slow(*args, **kwargs):
        time.sleep(30)  # a step of the runner itself, not the notebook

    monkeypatch.setattr(report_pipeline, "build_report_data", slow)
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="time limit of 1 s"):
        report_pipeline.run_report(ReportParameters(raw_dir=str(raw_copy), pdf=False),
                                   tmp_path / "out", time_limit_s=1,
                                   processed_dir=tmp_path / "processed")
    assert time.monotonic() - started < 1 + report_pipeline.DEADLINE_GRACE_S + 3
    assert not (tmp_path / "out" / "2018" / "H1").exists()


# === class 4: the number check cannot be dodged with digit groups ==============================

@pytest.mark.parametrize(("typed", "value", "readable"), [
    ("18 000张", 18000, True), ("7 600张", 7600, True), ("7\u2009600张", 7600, True),
    ("7\u00a0600张", 7600, True), ("7'600张", 7600, True), ("15,000张", 15000, True),
    ("1 5000张", 15000, False), ("15,00张", 1500, False), ("7 60 0张", 7600, False),
    ("１８ ０００张", 18000, True),
])
def test_a_number_in_groups_is_one_number(typed, value, readable):
    from helpers.words.written_sections import literals

    [number] = literals(f"新增床位{typed}")
    assert int(number.value) == value and number.readable is readable


@pytest.mark.parametrize("typed", ["18 000张", "7 600张", "1 5000张", "15,00张"])
def test_a_grouped_or_split_number_must_be_a_figure(small_narrative_registry, typed):
    from helpers.core.errors import InputRejected
    from helpers.words.written_sections import render_narrative

    with pytest.raises(InputRejected) as refused:
        render_narrative(f"新增床位{typed}。", "2018/narrative/H1.md", "H1",
                         small_narrative_registry)
    message = refused.value.problems[0].message
    assert message.startswith(f"number {typed[:-1]}")


@pytest.fixture(scope="module")
def small_narrative_registry():
    from helpers.core.parameters import ReportParameters
    from helpers.metrics.report_data import build_report_data
    from helpers.words.figure_registry import figure_registry

    return figure_registry(build_report_data(ReportParameters()))


def test_a_grouped_number_that_is_a_figure_passes(small_narrative_registry):
    from helpers.words.written_sections import render_narrative

    narrative = render_narrative("全市新增机构床位目标15 000张。", "2018/narrative/H1.md", "H1",
                                 small_narrative_registry)
    assert narrative.numbers == 1


# === class 2: personal data kept in by rule (a canary in every input that carries text) ========

CANARY_PERSON = "欧阳铁柱"  # invented; the README names another example
CANARY_PHONES = ("+8613900004444", "139.0000.5555", "139—0000—6666", "88129999",
                 "(0577)88123456", "１３９００００７７７７", "13900001111", "13900002222")
# what must never appear in a published byte, in any of the spellings
CANARY_NEEDLES = (CANARY_PERSON, "13900004444", "0000.5555", "0000—6666", "88129999",
                  "88123456", "13900007777", "１３９００００７７７７", "13900001111",
                  "13900002222", f"{CANARY_PERSON}局")


def _canary_ledger(raw: Path) -> None:
    from openpyxl import load_workbook

    path = raw / "2018" / "ledger.xlsx"
    workbook = load_workbook(path)
    sheet = workbook.active
    # the first two items: 序号, 项目名称, 存在的问题隐患 and 责任人 carry a person named with a
    # title and telephone numbers in every spelling
    sheet["A5"] = "13900002222"
    sheet["C5"] = f"五马街道中心（{CANARY_PERSON}主任 88129999）"
    sheet["E5"] = f"消防通道堵塞，{CANARY_PERSON}局长称已联系 " + "、".join(CANARY_PHONES)
    sheet["K5"] = f"{CANARY_PERSON}局长 13900001111"
    sheet["K6"] = f"鹿城区民政局 {CANARY_PERSON} +8613900004444"
    sheet["I5"], sheet["J5"] = "未整改", None  # overdue at mid-year: listed with its text
    workbook.save(path)


def _published_text(folder: Path) -> dict[str, str]:
    """Every published file under `folder` as text: zip parts (xlsx, docx, the pack) unzipped,
    PDF text extracted, the rest decoded."""
    import io
    import zipfile

    from pypdf import PdfReader

    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        rel = path.relative_to(folder).as_posix()
        if path.suffix in (".xlsx", ".docx", ".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    # the pack holds the raw inputs by design (its README says so) and the
                    # project's code and documents: what it adds of the run is checked
                    if path.suffix == ".zip" and not name.startswith(
                            ("published/", "REPRODUCE", "SOURCE_VERSION")):
                        continue
                    texts[f"{rel}!{name}"] = archive.read(name).decode("utf-8", "replace")
        elif path.suffix == ".pdf":
            texts[rel] = "\n".join(page.extract_text() or "" for page in
                                   PdfReader(io.BytesIO(data)).pages)
        else:
            texts[rel] = data.decode("utf-8", "replace")
    return texts


@pytest.mark.slow
def test_no_canary_reaches_any_published_file(raw_copy, tmp_path):
    import json as json_module

    _canary_ledger(raw_copy)
    out = tmp_path / "out"
    common = ["--year", "2018", "--raw-dir", str(raw_copy), "--out-dir", str(out)]
    assert main(["run", *common, "--period", "H1", "--processed-dir",
                 str(tmp_path / "processed")]) == 0
    assert main(["briefs", *common, "--period", "H1", "--by", "district"]) == 0
    assert main(["pack", str(out / "2018" / "H1"), "--output", str(out / "pack.zip")]) == 0
    texts = _published_text(out)
    assert any("report.html" in name for name in texts) and any(".pdf" in n for n in texts)
    for name, text in texts.items():
        decoded = text
        if name.endswith(".ipynb") or name.endswith(".json"):
            decoded = json_module.dumps(json_module.loads(text), ensure_ascii=False)
        for needle in CANARY_NEEDLES:
            assert needle not in decoded, (name, needle)
    page = texts["2018/H1/report.html"]
    assert "未注明" in page and "139****4444" in page  # the placeholder, the masked number


@pytest.mark.parametrize(("where", "write"), [
    ("written section", lambda raw: (raw / "2018" / "narrative" / "H1.md").write_text(
        f"请联系`{CANARY_PHONES[0]}`。\n", encoding="utf-8")),
    ("plan note", lambda raw: (raw / "2018" / "plan" / "milestones.csv").write_text(
        (raw / "2018" / "plan" / "milestones.csv").read_text(encoding="utf-8").replace(
            "实施步骤1", "联系人139.0000.5555 实施步骤1", 1), encoding="utf-8")),
    ("file name", lambda raw: (raw / "2018" / "progress" / "2018-04-30.csv").rename(
        raw / "2018" / "progress" / "2018-04-30 诸葛 13900001111.csv")),
])
def test_an_input_that_would_publish_a_phone_is_refused(raw_copy, tmp_path, capsys, where,
                                                        write):
    write(raw_copy)
    code = main(["run", "--year", "2018", "--period", "H1", "--raw-dir", str(raw_copy),
                 "--out-dir", str(tmp_path / "out"), "--pdf", "false"])
    captured = capsys.readouterr()
    assert code == 2, (where, captured.err)
    assert "telephone number" in captured.err + captured.out
    assert not (tmp_path / "out" / "2018" / "H1").exists()
    for needle in CANARY_NEEDLES:
        assert needle not in captured.err + captured.out  # not even in the message


def test_a_person_named_with_a_title_in_free_text_is_masked():
    from helpers.core.disclosure import mask_personal

    assert mask_personal(f"联系{CANARY_PERSON}局长 139.0000.5555") == "联系××××局长 139****5555"
    assert mask_personal("区民政局局长带队督查") == "区民政局局长带队督查"  # a post, not a name
    assert mask_personal("照料中心长期关门") == "照料中心长期关门"


def test_a_person_with_a_title_is_no_unit():
    from helpers.core.disclosure import responsible_unit

    places = ["鹿城区", "龙湾区"]
    for text in (f"{CANARY_PERSON}局长 13900001111", "鹿城区王局长", "鹿城区李主任办公室",
                 "张局 副局长", "龙湾区民政局长张三"):
        unit = responsible_unit(text, places)
        assert unit in ("", "龙湾区民政局"), (text, unit)
        assert CANARY_PERSON not in unit and "王" not in unit and "李" not in unit


def test_hypothesis_disclosure_is_deny_by_default_and_linear():
    import time

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from helpers.core.disclosure import UNIT_FORMS, has_phone, mask_phones, responsible_unit

    places = ["鹿城区", "龙湾区", "温州市"]
    pieces = st.sampled_from(["1", "3", "9", "0", "138", "0577", "+86", "86", " ", "-", ".",
                              "—", "(", ")", "１", "鹿城区", "民政局", "局长", "张三", "镇",
                              "人民政府", "中心", "、", "电话", "年", "人", "张"])

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(pieces, max_size=120), st.integers(1, 30))
    def check(parts, repeat):
        text = "".join(parts) * repeat
        started = time.perf_counter()
        masked = mask_phones(text)
        unit = responsible_unit(text, places)
        assert time.perf_counter() - started < 0.2 + len(text) * 2e-5
        assert not has_phone(masked)  # nothing left to mask
        assert unit == "" or (unit.startswith(tuple(places)) and unit.endswith(UNIT_FORMS)
                              and not any(c.isdigit() for c in unit))

    check()
