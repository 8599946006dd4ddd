"""A report whose notebook fails, exits early or times out is not published; the partly
executed notebook is kept aside for debugging; the previous publication stays intact."""

from __future__ import annotations

import nbformat
import pytest

from helpers.core.errors import NotebookFailed
from helpers.core.parameters import ReportParameters
from helpers.notebook import execution
from helpers.publish import report_pipeline as report_run


def _notebook(tmp_path, body: str):
    """A stand-in report notebook: the real parameters cell, then `body`."""
    real = nbformat.read(execution.REPORT_NOTEBOOK, as_version=4)
    params = next(c for c in real.cells if "parameters" in c.metadata.get("tags", []))
    nb = nbformat.v4.new_notebook()
    nb.metadata = real.metadata
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1", id="c-ok"),
                nbformat.v4.new_code_cell(body, id="c-body"),
                nbformat.v4.new_code_cell("print('after')", id="c-after")]
    path = tmp_path / "stand_in.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def published(tmp_path):
    """An output folder with a previously published H1 report (a marker file stands in)."""
    folder = tmp_path / "out" / "2018" / "H1"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("previous report", encoding="utf-8")
    return tmp_path / "out"


@pytest.mark.parametrize(("body", "expected"), [
    ("raise ValueError('bad district table')", "failed in cell 3"),
    ("import sys\nsys.exit(0)", "SystemExit"),
    ("import time\ntime.sleep(30)", "did not finish"),
    ("import os\nos._exit(1)", "did not finish"),  # the kernel dies
])
def test_failed_notebook_is_not_published(tmp_path, monkeypatch, published, body, expected):
    monkeypatch.setattr(execution, "REPORT_NOTEBOOK", _notebook(tmp_path, body))
    params = ReportParameters(year=2018, period="H1", cell_timeout_s=3)
    with pytest.raises(NotebookFailed) as failure:
        report_run.run_report(params, published)
    message = str(failure.value)
    assert "notebooks/report.ipynb" in message and expected in message
    # previous publication untouched, no staging debris, failed build kept aside
    assert (published / "2018" / "H1" / "report.html").read_text() == "previous report"
    assert list((published / "2018" / "H1").iterdir()) == [published / "2018" / "H1" /
                                                           "report.html"]
    assert not list((published / "2018").glob(".H1.staging-*"))
    kept = published / "2018" / ".H1.failed" / "report.ipynb"
    assert kept.is_file()


def test_error_names_the_exception(tmp_path, monkeypatch, published):
    monkeypatch.setattr(execution, "REPORT_NOTEBOOK",
                        _notebook(tmp_path, "raise ValueError('bad district table')"))
    with pytest.raises(NotebookFailed, match=r"ValueError: bad district table") as failure:
        report_run.run_report(ReportParameters(year=2018, period="H1"), published)
    # the cell is named by its index in the executed notebook and by its first line of code
    assert "code: raise ValueError('bad district table')" in str(failure.value)


def test_a_run_failing_before_the_notebook_stops_its_early_kernel(tmp_path, monkeypatch):
    """The kernel starts while the report is computed; a failure then (here in the report
    data) leaves no kernel running and no kernel folder behind."""
    import os
    import tempfile
    from pathlib import Path

    from support import kernels_of as _kernels_of

    def fails(*args, **kwargs):
        raise ValueError("the report data could not be computed")

    kernels = set(_kernels_of(os.getpid()))
    folders = set(Path(tempfile.gettempdir()).glob("report-kernel-*"))
    monkeypatch.setattr(report_run, "build_report_data", fails)
    with pytest.raises(ValueError, match="could not be computed"):
        report_run.run_report(ReportParameters(year=2018, period="H1", pdf=False),
                              tmp_path / "out")
    assert set(_kernels_of(os.getpid())) <= kernels
    assert set(Path(tempfile.gettempdir()).glob("report-kernel-*")) <= folders


def test_a_kernel_that_cannot_start_is_a_clear_failure(tmp_path, monkeypatch):
    """No python3 kernel (a broken environment): the run fails as NotebookFailed saying so,
    before reading anything, and nothing is published."""
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import AsyncKernelManager

    async def no_kernel(self, **kwargs):
        raise NoSuchKernel("python3")

    monkeypatch.setattr(AsyncKernelManager, "start_kernel", no_kernel)
    with pytest.raises(NotebookFailed, match=r"could not start the notebook kernel"):
        report_run.run_report(ReportParameters(year=2018, period="H1", pdf=False),
                              tmp_path / "out")
    assert not (tmp_path / "out" / "2018" / "H1").exists()


def test_the_started_kernel_is_ready_without_waiting_for_its_output_to_fall_silent():
    """nbclient waits for the kernel before the first cell. The client the runner gives it
    returns once the kernel has answered and a message came on its output channel (connected);
    jupyter_client's own wait then reads on until 0.2 s pass without a message, on every run.
    nbclient reads only the messages of the cell it runs, so the outputs are unchanged (every
    report test)."""
    from queue import Empty

    from nbclient.util import run_sync

    reads = []  # how each read of the output channel ended: a message, or none in time
    with execution.kernel_started_early() as kernel:
        client = kernel.manager.client()
        client.start_channels()
        read = client.iopub_channel.get_msg

        async def recorded(*args, **kwargs):
            try:
                message = await read(*args, **kwargs)
            except Empty:
                reads.append("none")
                raise
            reads.append(message["msg_type"])
            return message

        client.iopub_channel.get_msg = recorded
        try:
            run_sync(client.wait_for_ready)(timeout=60)
        finally:
            client.stop_channels()
    assert reads and reads[-1] != "none", reads
