"""`schedule`: which reports are due (period ends, leap years, missing returns, grace days),
a second schedule with nothing changed does no work, a changed return re-runs exactly the
periods that use it and keeps the previous publication, a failing report makes it fail, and
the index lists what is published."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.core.paths import PROJECT_ROOT, RAW_DIR
from helpers.publish.schedule import is_due

D = dt.date.fromisoformat

# (year, period, today, return dates, grace days, expected): expected is None (not due),
# "returns" (due: a return dated on or after the period end arrived) or "grace" (due: grace
# days passed without one). Every expectation is worked out by hand from the calendar.
DUE_CASES = [
    # around quarter ends: the end day itself is never due, the day after is
    ("Q1 on its end day", 2018, "Q1", "2018-03-31", ["2018-03-31"], 20, None),
    ("Q1 the day after", 2018, "Q1", "2018-04-01", ["2018-03-31"], 20, "returns"),
    ("Q1 later return", 2018, "Q1", "2018-05-01", ["2018-02-28", "2018-04-30"], 20, "returns"),
    # a return dated after today has not arrived (a typo or a forgery): it makes nothing due
    ("Q1 return dated after today", 2018, "Q1", "2018-04-01", ["2018-02-28", "2018-04-30"], 20,
     None),
    ("H1 only a future return, day 19", 2018, "H1", "2018-07-19", ["2018-12-31"], 20, None),
    ("H1 only a future return, day 20", 2018, "H1", "2018-07-20", ["2018-12-31"], 20, "grace"),
    ("Q1 before its end", 2018, "Q1", "2018-03-30", ["2018-03-31"], 20, None),
    ("H1 on its end day", 2018, "H1", "2018-06-30", ["2018-06-30"], 20, None),
    ("H1 the day after", 2018, "H1", "2018-07-01", ["2018-06-30"], 20, "returns"),
    ("Q3 on its end day", 2018, "Q3", "2018-09-30", ["2018-09-30"], 20, None),
    ("Q3 the day after", 2018, "Q3", "2018-10-01", ["2018-09-30"], 20, "returns"),
    ("FY on its end day", 2018, "FY", "2018-12-31", ["2018-12-31"], 20, None),
    ("FY the next year", 2018, "FY", "2019-01-01", ["2018-12-31"], 20, "returns"),
    # leap year 2020
    ("2020 FY end day", 2020, "FY", "2020-12-31", ["2020-12-31"], 20, None),
    ("2020 FY day after", 2020, "FY", "2021-01-01", ["2020-12-31"], 20, "returns"),
    ("2020 H1 end day", 2020, "H1", "2020-06-30", ["2020-06-30"], 20, None),
    ("2020 H1 day after", 2020, "H1", "2020-07-01", ["2020-06-30"], 20, "returns"),
    ("2020 Q1 Feb 29 return, before end", 2020, "Q1", "2020-03-01", ["2020-02-29"], 20, None),
    ("2020 Q1 Feb 29 return is not Q1's", 2020, "Q1", "2020-04-01", ["2020-02-29"], 20, None),
    # 2020-03-31 + 19 days = 2020-04-19, + 20 days = 2020-04-20
    ("2020 Q1 grace day 19", 2020, "Q1", "2020-04-19", ["2020-02-29"], 20, None),
    ("2020 Q1 grace day 20", 2020, "Q1", "2020-04-20", ["2020-02-29"], 20, "grace"),
    ("2020 Q1 with its return", 2020, "Q1", "2020-04-01", ["2020-02-29", "2020-03-31"], 20,
     "returns"),
    # grace crossing 29 February: 2019-12-31 + 31 (Jan) + 29 (Feb) = 2020-02-29 is day 60
    ("FY 2019 grace through Feb 29, day 59", 2019, "FY", "2020-02-28", [], 60, None),
    ("FY 2019 grace through Feb 29, day 60", 2019, "FY", "2020-02-29", [], 60, "grace"),
    # and without a leap day: 2018-12-31 + 31 + 28 = 2019-02-28 is day 59, 2019-03-01 day 60
    ("FY 2018 grace, day 59", 2018, "FY", "2019-02-28", [], 60, None),
    ("FY 2018 grace, day 60", 2018, "FY", "2019-03-01", [], 60, "grace"),
    # missing returns: nothing dated on or after the end -> wait for the grace days
    ("no returns at all, day 1", 2018, "H1", "2018-07-01", [], 20, None),
    ("no returns, day 19", 2018, "H1", "2018-07-19", [], 20, None),
    ("no returns, day 20", 2018, "H1", "2018-07-20", [], 20, "grace"),
    ("only earlier returns, day 19", 2018, "H1", "2018-07-19", ["2018-05-31"], 20, None),
    ("only earlier returns, day 20", 2018, "H1", "2018-07-20", ["2018-05-31"], 20, "grace"),
    # grace days are configurable
    ("grace 0: due the day after", 2018, "Q3", "2018-10-01", ["2018-08-31"], 0, "grace"),
    ("grace 0: not on the end day", 2018, "Q3", "2018-09-30", [], 0, None),
    ("grace 5, day 4", 2018, "Q3", "2018-10-04", ["2018-08-31"], 5, None),
    ("grace 5, day 5", 2018, "Q3", "2018-10-05", ["2018-08-31"], 5, "grace"),
    ("grace 45, day 44", 2018, "Q3", "2018-11-13", ["2018-08-31"], 45, None),
    ("grace 45, day 45", 2018, "Q3", "2018-11-14", ["2018-08-31"], 45, "grace"),
    # a return arriving ends the wait, whatever the grace days
    ("grace 45 but return in", 2018, "Q3", "2018-10-01", ["2018-09-30"], 45, "returns"),
]


@pytest.mark.parametrize(("year", "period", "today", "dates", "grace", "expected"),
                         [pytest.param(*case[1:], id=case[0]) for case in DUE_CASES])
def test_is_due(year, period, today, dates, grace, expected):
    reason = is_due(year, period, D(today), [D(d) for d in dates], grace)
    if expected is None:
        assert reason is None
        return
    assert isinstance(reason, str) and reason
    end = {"Q1": "03-31", "H1": "06-30", "Q3": "09-30", "FY": "12-31"}[period]
    assert f"{year}-{end}" in reason
    if expected == "grace":
        assert f"{grace} grace days" in reason
    else:
        assert "grace" not in reason
        assert max(dates) in reason


@pytest.mark.parametrize(("today", "expected"), [
    ("2018-03-31", []),
    ("2018-04-01", ["Q1"]),
    ("2018-07-10", ["Q1", "H1"]),
    ("2018-10-01", ["Q1", "H1", "Q3"]),
    ("2019-01-05", ["Q1", "H1", "Q3", "FY"]),
])
def test_due_reports_from_the_bundled_returns(today, expected):
    from helpers.publish.schedule import due_reports

    # the bundled (demo) 2017 is a year like any other: all its reports are due, oldest first
    assert [(d.year, d.period) for d in due_reports(RAW_DIR, D(today))] == \
        [(2017, p) for p in ("Q1", "H1", "Q3", "FY")] + [(2018, p) for p in expected]


@pytest.fixture
def raw_2018(raw_copy):
    """The raw copy without the demo 2017, so that a schedule builds 2018's reports only."""
    shutil.rmtree(raw_copy / "2017")
    return raw_copy


# --- whole runs -------------------------------------------------------------------------------

TODAY = "2018-07-10"  # Q1 and H1 are due


def schedule_cli(raw: Path, out: Path, today: str = TODAY) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers", "schedule", "--today", today, "--raw-dir", str(raw),
         "--out-dir", str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600, check=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def publication_state(folder: Path) -> dict:
    """What must not change when a report is left alone: the folder itself (inode, mtime),
    its manifest bytes and every file's bytes."""
    stat = folder.stat()
    return {"inode": stat.st_ino, "mtime_ns": stat.st_mtime_ns,
            "manifest": (folder / "manifest.json").read_bytes(), "files": file_hashes(folder)}


def log_lines(out: Path) -> list[str]:
    path = out / "runs.log"
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def event(line: str) -> str:
    return line.split(" ", 2)[1]


def assert_manifest_matches_files(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    recorded = {r["path"]: r["sha256"] for r in manifest["outputs"]}
    actual = {k: v for k, v in file_hashes(folder).items() if k != "manifest.json"}
    assert recorded == actual


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    """A private raw copy and an output folder where `schedule --today 2018-07-10` published
    Q1 and H1 (two real builds, shared by the tests below)."""
    root = tmp_path_factory.mktemp("schedule")
    raw = root / "data" / "raw"
    shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("2017"))  # 2018's only
    out = root / "out"
    done = schedule_cli(raw, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2018 Q1: running (not published yet)" in done.stdout
    assert "2018 H1: running (not published yet)" in done.stdout
    return raw, out


@pytest.mark.slow
def test_second_schedule_does_no_work(scheduled):
    raw, out = scheduled
    before = {p: publication_state(out / "2018" / p) for p in ("Q1", "H1")}
    listing = sorted(p.name for p in (out / "2018").iterdir())
    index = (out / "index.html").read_bytes()
    old_log = log_lines(out)

    done = schedule_cli(raw, out)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "2018 Q1: up to date", "2018 H1: up to date",
        "schedule on 2018-07-10: 2 report(s) due, 0 published, 2 up to date, 0 failed",
        "  2018 Q1: up to date", "  2018 H1: up to date"]
    assert {p: publication_state(out / "2018" / p) for p in ("Q1", "H1")} == before
    assert sorted(p.name for p in (out / "2018").iterdir()) == listing
    assert (out / "index.html").read_bytes() == index
    new = log_lines(out)[len(old_log):]
    assert [event(line) for line in new] == ["schedule", "up-to-date", "up-to-date"]
    assert "today=2018-07-10 due=2" in new[0]
    assert new[1].endswith("report=2018/Q1") and new[2].endswith("report=2018/H1")


@pytest.mark.slow
def test_schedule_repairs_a_swap_cut_by_a_kill_before_deciding(scheduled):
    """A run killed between swap_into_place's two renames leaves H1 absent and the previous
    folder at .H1.retired-<pid>; the next schedule puts it back and finds it up to date
    (no rebuild, nothing lost)."""
    raw, out = scheduled
    parent = out / "2018"
    before = publication_state(parent / "H1")
    (parent / "H1").rename(parent / ".H1.retired-999999")

    done = schedule_cli(raw, out)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "2018 Q1: up to date", "2018 H1: up to date",
        "schedule on 2018-07-10: 2 report(s) due, 0 published, 2 up to date, 0 failed",
        "  2018 Q1: up to date", "  2018 H1: up to date"]
    after = publication_state(parent / "H1")
    assert after["files"] == before["files"] and after["inode"] == before["inode"]
    assert not list(parent.glob(".H1.retired-*"))


def _edit_april_return(raw: Path) -> str:
    """Change one figure of 2018-04-30.csv to another value between its 03-31 and 05-31
    figures (so no new error); returns the path of the edited file relative to raw."""
    from helpers.ingest.returns import ingest_year

    progress = ingest_year(raw, 2018).progress
    value = {(r.district, r.indicator, r.as_of): r.value for r in progress.itertuples()}
    rel = "2018/progress/2018-04-30.csv"
    for row in progress.itertuples():
        if not row.source.startswith(rel + ":"):
            continue
        low = value.get((row.district, row.indicator, D("2018-03-31")))
        high = value.get((row.district, row.indicator, D("2018-05-31")))
        if low is None or high is None or high - low < 2:
            continue
        new = low if row.value != low else high
        line_number = int(row.source.rsplit(":", 1)[1])
        path = raw / rel
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[0].endswith(",value")
        start, old = lines[line_number - 1].rsplit(",", 1)
        assert float(old) == row.value
        lines[line_number - 1] = f"{start},{int(new)}"
        path.write_text("\n".join(lines), encoding="utf-8")
        return rel
    raise AssertionError("no April figure could be changed")


@pytest.mark.slow
def test_changed_return_reruns_only_the_periods_that_use_it(scheduled):
    raw, out = scheduled
    q1_before = publication_state(out / "2018" / "Q1")
    h1_before = file_hashes(out / "2018" / "H1")
    old_log = log_lines(out)

    rel = _edit_april_return(raw)  # dated 2018-04-30: after Q1's end, before H1's
    done = schedule_cli(raw, out)

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2018 Q1: up to date"
    assert lines[1] == f"2018 H1: running (inputs changed: {rel})"
    assert lines[2].startswith("2018 H1: published ")
    assert lines[3:] == [
        "schedule on 2018-07-10: 2 report(s) due, 1 published, 1 up to date, 0 failed",
        "  2018 Q1: up to date", "  2018 H1: published"]
    # Q1 untouched; the previous H1 kept byte for byte as H1.prior
    assert publication_state(out / "2018" / "Q1") == q1_before
    assert file_hashes(out / "2018" / "H1.prior") == h1_before
    # the new H1 is complete, built from the edited file, and says why it ran
    h1 = out / "2018" / "H1"
    assert_manifest_matches_files(h1)
    manifest = json.loads((h1 / "manifest.json").read_text(encoding="utf-8"))
    assert rel in manifest["run"]["reason"]
    inputs = {r["path"]: r["sha256"] for r in manifest["inputs"]}
    assert inputs[rel] == sha256(raw / rel)
    assert file_hashes(h1)["manifest.json"] != h1_before["manifest.json"]
    new = log_lines(out)[len(old_log):]
    assert [event(line) for line in new] == ["schedule", "up-to-date", "started", "published"]
    assert "report=2018/Q1" in new[1]
    # the run's start and end lines name the report and carry the same run id
    run_id = new[2].split(" ")[3]
    assert new[2].split(" ")[2:4] == ["report=2018/H1", run_id] and run_id.startswith("run=")
    assert new[3].split(" ")[2:4] == ["report=2018/H1", run_id] and rel in new[3]
    assert not list((out / "2018").glob(".H1.*-*"))  # no staging or retired folders left


class _Rows(HTMLParser):
    """The rows of index.html's reports table: the hrefs and cell texts of each <tr>."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append({"links": [], "text": []})
        elif tag == "a" and self.in_body:
            self.rows[-1]["links"].append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.in_body and self.rows:
            self.rows[-1]["text"].append(data)


def index_rows(out: Path) -> list[dict]:
    parser = _Rows()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return parser.rows


def assert_links_resolve(out: Path, rows: list[dict]) -> list[str]:
    """Every row links HTML, Excel, notebook and manifest of one folder (and the Word and PDF
    documents where the manifest lists them), and each exists; returns the folders in page
    order."""
    folders = []
    for row in rows:
        folder = row["links"][0].rsplit("/", 1)[0]
        folders.append(folder)
        manifest = json.loads((out / folder / "manifest.json").read_text(encoding="utf-8"))
        documents = {r["path"] for r in manifest.get("outputs", [])} & {"report.docx",
                                                                         "report.pdf"}
        assert {link.rsplit("/", 1)[1] for link in row["links"]} == \
            {"report.html", "report.xlsx", "report.ipynb", "manifest.json", *documents}
        assert all(link.startswith(folder + "/") for link in row["links"])
        for link in row["links"]:
            assert (out / link).is_file(), link
    return folders


@pytest.mark.slow
def test_index_lists_published_reports_newest_first(scheduled):
    _, out = scheduled
    published = [p.parent for p in out.glob("*/*/manifest.json")]
    period_order = {"Q1": 1, "H1": 2, "Q3": 3, "FY": 4}
    expected = sorted((f"{p.parent.name}/{p.name}" for p in published
                       if p.name in period_order),
                      key=lambda f: (f.split("/")[0], period_order[f.split("/")[1]]),
                      reverse=True)
    assert expected[-2:] == ["2018/H1", "2018/Q1"]
    rows = index_rows(out)
    assert assert_links_resolve(out, rows) == expected
    assert "2018-06-30" in "".join(rows[0]["text"]) and "2018-03-31" in "".join(rows[1]["text"])


def _fake_publication(out: Path, folder: str, year: int, period: str, report_date: str):
    from helpers.core.parameters import ReportParameters

    path = out / folder
    path.mkdir(parents=True)
    for name in ("report.html", "report.xlsx", "report.ipynb"):
        (path / name).write_text(name, encoding="utf-8")
    manifest = {"parameters": ReportParameters(year=year, period=period).as_dict(),
                "summary": {"report_date": report_date, "data_as_of": report_date,
                            "counts": {"done": 1, "on_track": 2, "behind": 3}},
                "inputs": [{"path": "x", "sha256": "0" * 64}]}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_index_orders_years_and_periods_and_skips_kept_folders(tmp_path):
    from helpers.publish.index_page import write_index

    out = tmp_path / "out"
    for folder, year, period, date in [
        ("2017/FY", 2017, "FY", "2017-12-31"), ("2018/Q1", 2018, "Q1", "2018-03-31"),
        ("2019/Q1", 2019, "Q1", "2019-03-31"), ("2018/Q3", 2018, "Q3", "2018-09-30"),
        ("2018/H1", 2018, "H1", "2018-06-30"),
        # kept aside, never listed
        ("2018/H1.prior", 2018, "H1", "2018-06-30"), ("2018/.H1.failed", 2018, "H1",
                                                        "2018-06-30"),
        ("2018/.Q3.staging-abc", 2018, "Q3", "2018-09-30"),
    ]:
        _fake_publication(out, folder, year, period, date)
    write_index(out)
    folders = assert_links_resolve(out, index_rows(out))
    assert folders == ["2019/Q1", "2018/Q3", "2018/H1", "2018/Q1", "2017/FY"]


# --- a failing report -------------------------------------------------------------------------

def _failing_notebook(tmp_path: Path) -> Path:
    """The real parameters cell, then a cell that raises (cell 2 once papermill has injected
    its parameters cell after cell 0)."""
    import nbformat

    from helpers.notebook import execution

    real = nbformat.read(execution.REPORT_NOTEBOOK, as_version=4)
    params = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
    nb = nbformat.v4.new_notebook()
    nb.metadata = real.metadata
    nb.cells = [params, nbformat.v4.new_code_cell('raise ValueError("boom")', id="c-boom")]
    path = tmp_path / "failing.ipynb"
    nbformat.write(nb, path)
    return path


def _assert_failed_lines(lines: list[str], report: str) -> None:
    failed = [line for line in lines if event(line) == "failed" and f"report={report}" in line]
    assert len(failed) == 1, lines  # one failure, one line
    assert "notebooks/report.ipynb" in failed[0]
    assert "cell 2" in failed[0]
    assert "ValueError: boom" in failed[0]


@pytest.mark.slow
def test_failing_report_counts_as_schedule_failure(tmp_path, monkeypatch, raw_2018):
    from helpers.notebook import execution
    from helpers.publish.schedule import run_schedule

    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", _failing_notebook(tmp_path))
    out = tmp_path / "out"
    said: list[str] = []
    failures = run_schedule(raw_2018, out, D(TODAY), say=said.append)
    assert failures == 2  # Q1 and H1 both due, both failed
    failed = [s for s in said if "FAILED" in s]
    assert [s.split(": FAILED: ")[0] for s in failed] == ["2018 Q1", "2018 H1"]
    assert all("notebooks/report.ipynb" in s and "ValueError: boom" in s for s in failed)
    lines = log_lines(out)
    _assert_failed_lines(lines, "2018/Q1")
    _assert_failed_lines(lines, "2018/H1")
    assert not any(event(line) == "published" for line in lines)
    assert not (out / "2018" / "Q1").exists() and not (out / "2018" / "H1").exists()
    assert (out / "2018" / ".H1.failed" / "report.ipynb").is_file()


@pytest.mark.slow
def test_failing_report_gives_schedule_exit_code_3(tmp_path, monkeypatch, raw_2018, capsys):
    from helpers.cli import main
    from helpers.notebook import execution

    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", _failing_notebook(tmp_path))
    out = tmp_path / "out"
    code = main(["schedule", "--today", "2018-04-15", "--raw-dir", str(raw_2018),
                 "--out-dir", str(out)])
    assert code == 3
    assert "2018 Q1: FAILED" in capsys.readouterr().out
    _assert_failed_lines(log_lines(out), "2018/Q1")


@pytest.mark.slow
def test_one_broken_report_never_stops_the_pass(tmp_path, monkeypatch, raw_2018, capsys):
    """2018 H1 fails on a bug (not an input error), 2019's plan cannot be read at all: 2018 Q1
    is built all the same, the pass ends with a line per report and exit 3, and runs.log says
    `failed` with the reason for each (never `unfinished`)."""
    from helpers.cli import main
    from helpers.publish import report_pipeline

    real = report_pipeline.build_report_data

    def broken_for_h1(params, result, **kwargs):
        if params.period == "H1":
            raise RuntimeError("boom in H1")
        return real(params, result, **kwargs)

    monkeypatch.setattr(report_pipeline, "build_report_data", broken_for_h1)
    (raw_2018 / "2019" / "plan").mkdir(parents=True)
    shutil.copy(raw_2018 / "2018" / "allocation.xlsx", raw_2018 / "2019" / "allocation.xlsx")
    (raw_2018 / "2019" / "plan" / "milestones.csv").write_text(
        "indicator,date,share_due,stage,note\nnew_institution_beds,2018-06-30,0.5,,\n",
        encoding="utf-8")
    out = tmp_path / "out"
    code = main(["schedule", "--today", TODAY, "--raw-dir", str(raw_2018), "--out-dir",
                 str(out), "--processed-dir", str(tmp_path / "processed")])
    said = capsys.readouterr().out
    assert code == 3
    assert "2019: FAILED: its inputs cannot be read" in said
    assert "2019/plan/milestones.csv line 2: date 2018-06-30 is outside 2019" in said
    assert "2018 H1: FAILED: internal error: RuntimeError: boom in H1" in said
    summary = said[said.index(f"schedule on {TODAY}:"):].splitlines()
    assert summary[0] == f"schedule on {TODAY}: 2 report(s) due, 1 published, 0 up to date, " \
                         "2 failed"
    assert summary[1].startswith("  2019 (every period): failed: ")
    assert summary[2:] == ["  2018 Q1: published",
                           "  2018 H1: failed: internal error: RuntimeError: boom in H1"]
    assert (out / "2018" / "Q1" / "manifest.json").is_file()
    assert not (out / "2018" / "H1").exists()
    lines = log_lines(out)
    failed = [line for line in lines if event(line) == "failed"]
    assert any("report=2018/H1" in line and "RuntimeError: boom in H1" in line
               for line in failed), lines
    assert any("report=2019/*" in line and "outside 2019" in line for line in failed), lines
    assert not any(event(line) == "unfinished" for line in lines)


@pytest.mark.slow
def test_schedule_builds_the_briefs_of_due_reports_once(tmp_path, raw_2018, capsys):
    """`--briefs district,group`: each due report's briefs are built with it, and a second
    pass finds them up to date (nothing rebuilt)."""
    from helpers.cli import main

    out = tmp_path / "out"
    args = ["schedule", "--today", "2018-04-15", "--raw-dir", str(raw_2018), "--out-dir",
            str(out), "--processed-dir", str(tmp_path / "processed"), "--briefs",
            "district,group"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "2018 Q1 briefs by district: published" in first
    assert "2018 Q1 briefs by group: published" in first
    assert len(list((out / "2018" / "Q1-briefs-district").glob("*.pdf"))) == 12
    assert (out / "2018" / "Q1-briefs-group" / "manifest.json").is_file()
    # the pass's one browser (which printed report.pdf before them) and its one computation
    # of the report data (for the briefs by district, then by group) give the bytes each
    # `briefs` run gives alone
    alone = tmp_path / "alone"
    for by in ("district", "group"):
        assert main(["briefs", "--year", "2018", "--period", "Q1", "--by", by,
                     "--raw-dir", str(raw_2018), "--out-dir", str(alone)]) == 0
        capsys.readouterr()
        folder = alone / "2018" / f"Q1-briefs-{by}"
        compared = [f for f in folder.rglob("*")
                    if f.is_file() and f.name not in ("manifest.json", "run.log")]
        assert len(compared) > 20 if by == "district" else len(compared) > 10
        for path in compared:
            passed = out / "2018" / f"Q1-briefs-{by}" / path.relative_to(folder)
            assert path.read_bytes() == passed.read_bytes(), path.name
    assert main(args) == 0
    second = capsys.readouterr().out.splitlines()
    assert second[:3] == ["2018 Q1: up to date", "2018 Q1 briefs by district: up to date",
                          "2018 Q1 briefs by group: up to date"]
    assert main([*args[:-1], "bogus"]) == 2


def test_a_pass_starts_its_browser_again_after_a_run_ended_it():
    """schedule's one browser per pass: started at the first PDF, the same one handed to the
    next run, a new one after a failed run ended it; none for a run without PDF."""
    from contextlib import ExitStack

    from helpers.core.errors import BrowserMissing
    from helpers.core.parameters import ReportParameters
    from helpers.publish.schedule import PassPrinter
    from helpers.render.pdf_print import check_printing

    try:
        check_printing()
    except BrowserMissing as exc:
        pytest.skip(str(exc))
    with ExitStack() as stack:
        printer = PassPrinter(stack)
        assert printer(ReportParameters(pdf=False)) is None
        first = printer(ReportParameters())
        assert printer(ReportParameters(period="FY")) is first and first.alive
        first.end()  # as a run that failed while printing ends it
        second = printer(ReportParameters())
        assert second is not first and second.alive and not first.alive
    assert not second.alive  # ended with the pass


def test_a_reports_run_keeps_the_data_its_briefs_are_cut_from(tmp_path):
    """run_report's `computed` (what schedule hands to run_briefs) is the data before the
    report's own marks: a report published over a previous publication marks 修订, the kept
    data has no previous publication, findings or main text, and the briefs cut from it are
    the bytes of a `briefs` run alone."""
    import csv
    import io

    from helpers.core.parameters import ReportParameters
    from helpers.metrics.report_data import load_validated
    from helpers.publish.brief_pipeline import run_briefs
    from helpers.publish.report_pipeline import run_report

    params = ReportParameters(year=2018, period="H1", pdf=False)
    result = load_validated(params)
    first = run_report(params, tmp_path / "first", result=result,
                       processed_dir=tmp_path / "processed").folder
    rows = list(csv.DictReader(io.StringIO((first / "tables" / "facts.csv").read_text(
        encoding="utf-8"))))
    edited = next(r for r in rows if r["level"] == "district" and r["unit"] == "鹿城区"
                  and r["indicator"] == "new_institution_beds" and r["step"] == "")
    old = int(edited["figure"])
    edited["figure"] = str(old - 3)  # as if the previous publication had 3 beds fewer
    previous = io.StringIO()
    writer = csv.DictWriter(previous, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    computed: dict = {}
    again = run_report(params, tmp_path / "again", result=result,
                       processed_dir=tmp_path / "processed",
                       previous_facts=previous.getvalue().encode("utf-8"),
                       computed=computed).folder
    assert f"{old}（修订，原{old - 3}）" in (again / "report.html").read_text(encoding="utf-8")
    kept = computed["data"]
    assert kept.previous_publication is None
    assert kept.findings is None and kept.main_text is None
    assert kept.narrative is not None  # its written sections checked, as a brief's are
    for by in ("district", "group"):
        shared = run_briefs(params, by, tmp_path / "shared", result=result,
                            computed=computed).folder
        alone = run_briefs(params, by, tmp_path / "alone", result=result).folder
        compared = [f for f in alone.rglob("*")
                    if f.is_file() and f.name not in ("manifest.json", "run.log")]
        assert len(compared) > 10
        for path in compared:
            assert path.read_bytes() == (shared / path.relative_to(alone)).read_bytes(), path
