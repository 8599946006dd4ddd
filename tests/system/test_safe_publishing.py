"""Publishing is safe: a run killed at any point leaves the previous report byte-identical and
no debris that breaks the next run; a swap cut between its two renames is repaired; two runs
of one report take turns on an OS lock (a dead holder never blocks); a failing cell is logged
naming the notebook, the cell and the exception."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from support import kernels_of as _kernels_of

from helpers.core.errors import NotebookFailed, PublishLocked
from helpers.core.paths import PROJECT_ROOT, RAW_DIR

RUN_TIMEOUT_S = 600


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_consistent(folder: Path) -> None:
    """The manifest lists exactly the files beside it, with their hashes."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    recorded = {r["path"]: r["sha256"] for r in manifest["outputs"]}
    actual = {k: v for k, v in file_hashes(folder).items() if k != "manifest.json"}
    assert recorded == actual
    assert {"report.html", "report.xlsx", "report.ipynb"} <= set(actual)


def run_args(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "helpers", "run", "--year", "2018", "--period", "H1",
            "--out-dir", str(out), "--raw-dir", str(raw)]


def run_cli(raw: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(run_args(raw, out), capture_output=True, text=True, cwd=PROJECT_ROOT,
                          timeout=RUN_TIMEOUT_S, check=False)


def debris(out: Path) -> list[str]:
    """Temporary folders beside the report (failed builds are kept on purpose, not debris)."""
    return sorted(p.name for p in (out / "2018").glob(".H1.*-*"))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A private raw copy and an output folder with a published 2018 H1 (one real build)."""
    root = tmp_path_factory.mktemp("safe")
    raw = root / "data" / "raw"
    shutil.copytree(RAW_DIR, raw)
    out = root / "out"
    done = run_cli(raw, out)
    assert done.returncode == 0, done.stdout + done.stderr
    return raw, out


# --- killed runs ------------------------------------------------------------------------------


def _kill_run(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # start_new_session: its group id is its pid
    proc.wait(timeout=30)
    for pid in _kernels_of(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _wait_for_staged(out: Path, name: str, proc: subprocess.Popen, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        if any((staging / name).is_file() for staging in (out / "2018").glob(".H1.staging-*")):
            return
        time.sleep(0.005)
    pytest.fail(f"no staged {name} appeared before the run ended (exit {proc.poll()})")


@pytest.mark.slow
@pytest.mark.parametrize("when", [0.5, 2.0, "report.html", "report.pdf"],
                         ids=["0.5s", "2s", "staged-report.html", "staged-report.pdf"])
def test_killed_run_leaves_previous_report_intact(published, tmp_path, when):
    raw, out = published
    folder = out / "2018" / "H1"
    before = file_hashes(folder)
    assert before

    log = (tmp_path / "run.out").open("w")
    proc = subprocess.Popen(run_args(raw, out), cwd=PROJECT_ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if isinstance(when, str):
            _wait_for_staged(out, when, proc, limit_s=RUN_TIMEOUT_S)
        else:
            time.sleep(when)
        assert proc.poll() is None, "the run finished before it could be killed"
        _kill_run(proc)
    finally:
        if proc.poll() is None:
            _kill_run(proc)
        log.close()
    assert proc.returncode == -signal.SIGKILL

    # the published folder is exactly the previous one
    assert folder.is_dir()
    assert file_hashes(folder) == before

    # the next run is not disturbed by whatever the kill left, and cleans it up
    log_before = (out / "runs.log").read_text(encoding="utf-8").splitlines()
    killed = [line.split(" ")[3] for line in log_before
              if line.split(" ")[1:3] == ["started", "report=2018/H1"]
              and not any(f" {line.split(' ')[3]}" in other and other.split(" ")[1] in
                          ("published", "failed", "unfinished") for other in log_before)]
    done = run_cli(raw, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert debris(out) == []
    # ... and records that the killed run (if it had started building) did not finish
    from helpers.publish.run_log import unfinished_runs

    new = (out / "runs.log").read_text(encoding="utf-8").splitlines()[len(log_before):]
    assert [line.split(" ")[3] for line in new if line.split(" ")[1] == "unfinished"] == killed
    assert unfinished_runs(out, "2018/H1") == []
    assert_consistent(folder)
    # the same files (their bytes may differ: the report shows the git commit, which others may
    # move while the tests run), and the facts of the publication it replaced (修订)
    assert set(file_hashes(folder)) == set(before) | {"tables/previous_publication_facts.csv"}


def _published_copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    parent = tmp_path / "2018"
    old = parent / "H1"
    (old / "tables").mkdir(parents=True)
    (old / "report.html").write_text("old report", encoding="utf-8")
    (old / "tables" / "district_indicator.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return parent, file_hashes(old)


def test_remove_debris_restores_a_folder_caught_between_the_renames(tmp_path):
    from helpers.core.atomic_io import remove_debris

    parent, old = _published_copy(tmp_path)
    # killed between swap_into_place's renames: the old folder retired, the new not yet in
    (parent / "H1").rename(parent / ".H1.retired-123")
    (parent / ".H1.staging-xyz").mkdir()
    (parent / ".H1.staging-xyz" / "report.html").write_text("new", encoding="utf-8")
    (parent / "Q1").mkdir()  # another report's folder is not touched
    remove_debris(parent, "H1")
    assert file_hashes(parent / "H1") == old
    assert sorted(p.name for p in parent.iterdir()) == ["H1", "Q1"]


def test_remove_debris_keeps_the_new_folder_when_the_swap_got_through(tmp_path):
    from helpers.core.atomic_io import remove_debris

    parent, _ = _published_copy(tmp_path)
    (parent / "H1").rename(parent / ".H1.retired-123")
    (parent / "H1").mkdir()
    (parent / "H1" / "report.html").write_text("new report", encoding="utf-8")
    remove_debris(parent, "H1")
    assert file_hashes(parent / "H1") == {"report.html": hashlib.sha256(b"new report")
                                          .hexdigest()}
    assert sorted(p.name for p in parent.iterdir()) == ["H1"]


def test_swap_killed_after_its_first_rename_is_repaired(tmp_path, monkeypatch):
    """The real swap_into_place, stopped (as by a kill) right after moving the old folder."""
    from helpers.core import atomic_io

    parent, old = _published_copy(tmp_path)
    staging = atomic_io.staging_dir_for(parent / "H1")
    (staging / "report.html").write_text("new report", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def replace_then_die(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:
            raise KeyboardInterrupt  # stands in for the kill: no cleanup code may run
        real_replace(src, dst)

    monkeypatch.setattr(atomic_io.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        atomic_io.swap_into_place(staging, parent / "H1", keep_previous_as=parent / "H1.prior")
    monkeypatch.undo()
    assert calls[0] == ("H1", f".H1.retired-{os.getpid()}")
    assert not (parent / "H1").exists()  # the instant a kill could catch

    atomic_io.remove_debris(parent, "H1")
    assert file_hashes(parent / "H1") == old
    assert sorted(p.name for p in parent.iterdir()) == ["H1"]


# --- the lock ---------------------------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from helpers.publish.lock import publish_lock
    with publish_lock(Path(sys.argv[1]), wait_s=5):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _hold_lock(target: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(target), str(seconds)],
                              stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_lock_waits_the_bounded_time_then_names_the_folder(tmp_path):
    from helpers.publish.lock import publish_lock

    target = tmp_path / "out" / "2018" / "H1"
    holder = _hold_lock(target, 60)
    try:
        started = time.monotonic()
        with pytest.raises(PublishLocked) as locked, publish_lock(target, wait_s=1.5,
                                                                  poll_s=0.05):
            pytest.fail("got a lock another process holds")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert 1.5 <= waited < 5
    message = str(locked.value)
    assert str(target) in message and f"pid {holder.pid}" in message
    assert locked.value.exit_code == 4


def test_lock_is_granted_when_the_holder_finishes_within_the_wait(tmp_path):
    from helpers.publish.lock import publish_lock

    target = tmp_path / "2018" / "H1"
    holder = _hold_lock(target, 1.0)
    try:
        started = time.monotonic()
        with publish_lock(target, wait_s=30, poll_s=0.05):
            waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert 0.5 <= waited < 10  # it waited for the holder, then got the lock


def test_lock_of_a_killed_holder_does_not_block(tmp_path):
    from helpers.publish.lock import lock_path_for, publish_lock

    target = tmp_path / "2018" / "H1"
    holder = _hold_lock(target, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path_for(target).is_file()  # the lock file stays; the OS lock went with it
    started = time.monotonic()
    with publish_lock(target, wait_s=5, poll_s=0.05):
        assert time.monotonic() - started < 1


# --- concurrent runs --------------------------------------------------------------------------

@pytest.mark.slow
def test_two_concurrent_runs_publish_one_consistent_report(published, tmp_path):
    raw, out = published
    folder = out / "2018" / "H1"
    log_before = (out / "runs.log").read_text(encoding="utf-8").splitlines()
    outputs = [(tmp_path / f"run{i}.out").open("w+") for i in (1, 2)]
    procs = [subprocess.Popen(run_args(raw, out), cwd=PROJECT_ROOT, stdout=o,
                              stderr=subprocess.STDOUT, text=True) for o in outputs]
    try:
        codes = [p.wait(timeout=RUN_TIMEOUT_S) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    texts = []
    for o in outputs:
        o.seek(0)
        texts.append(o.read())
        o.close()
    assert sorted(codes) in ([0, 0], [0, 4]), texts
    for code, text in zip(codes, texts, strict=True):
        if code == 4:
            assert "is being built by" in text and "gave up after" in text
            assert str(folder) in text
        else:
            assert "Published " in text
    assert_consistent(folder)
    assert debris(out) == []
    new = (out / "runs.log").read_text(encoding="utf-8").splitlines()[len(log_before):]
    published_lines = [line for line in new if " published report=2018/H1 " in line]
    assert len(published_lines) == codes.count(0)
    if len(published_lines) == 2:
        # the builds took turns: the second (timed from when it got the lock) ended at least
        # its own build time after the first (log times have 1 s resolution)
        stamps = [dt.datetime.fromisoformat(line.split(" ")[0]) for line in published_lines]
        second_build_s = float(published_lines[1].split(" seconds=")[1].split(" ")[0])
        assert (stamps[1] - stamps[0]).total_seconds() >= second_build_s - 1.5


# --- a failing cell ---------------------------------------------------------------------------

@pytest.mark.slow
def test_failing_cell_is_logged_with_notebook_cell_and_exception(tmp_path, monkeypatch,
                                                                 raw_copy):
    import nbformat

    from helpers.core.parameters import ReportParameters
    from helpers.notebook import execution
    from helpers.publish import report_pipeline as report_run

    real = nbformat.read(execution.REPORT_NOTEBOOK, as_version=4)
    params = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
    stand_in = nbformat.v4.new_notebook()
    stand_in.metadata = real.metadata
    stand_in.cells = [params, nbformat.v4.new_code_cell("x = 1", id="c-ok"),
                      nbformat.v4.new_code_cell('raise ValueError("boom")', id="c-boom")]
    nbformat.write(stand_in, tmp_path / "stand_in.ipynb")
    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", tmp_path / "stand_in.ipynb")

    out = tmp_path / "out"  # does not exist yet: the first run ever fails
    with pytest.raises(NotebookFailed) as failure:
        report_run.run_report(ReportParameters(year=2018, period="H1", raw_dir=str(raw_copy)),
                              out)
    assert failure.value.exit_code != 0

    # papermill inserts its injected-parameters cell after cell 0: the raising cell is cell 3
    # of the executed notebook (kept for debugging, with papermill's error banners added)
    kept = nbformat.read(out / "2018" / ".H1.failed" / "report.ipynb", as_version=4)
    executed = [c for c in kept.cells
                if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    assert "injected-parameters" in executed[1].metadata.tags
    assert executed[3].source == 'raise ValueError("boom")'
    lines = (out / "runs.log").read_text(encoding="utf-8").splitlines()
    failed = [line for line in lines if line.split(" ")[1] == "failed"]
    assert len(failed) == 1
    line = failed[0]
    assert "report=2018/H1" in line
    assert "notebooks/report.ipynb" in line and "cell 3" in line and "ValueError: boom" in line
    assert not (out / "2018" / "H1").exists()
    assert not list((out / "2018").glob(".H1.staging-*"))
