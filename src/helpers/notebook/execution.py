"""Executing the report notebook: a kernel started ahead of its notebook in a private folder,
the report handed over to it, papermill running the cells on it under a watchdog that bounds the
run in time, and the executed notebook checked and normalised (same inputs, same bytes)."""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from helpers.core.errors import NotebookFailed, TimeLimitExceeded
from helpers.core.parameters import ReportParameters
from helpers.core.paths import NOTEBOOKS_DIR
from helpers.core.text_safety import one_line

REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"


# The sections the runner rendered, handed to the kernel in its private folder (which is
# deleted with the kernel); the kernel never reads raw data.
HANDOFF_NAME = ".report-data.pickle"


def hand_over(report, folder: Path) -> str:
    """Write the prepared report for the kernel (readable by this user only); its name relative
    to `folder`, where the kernel runs."""
    fd = os.open(folder / HANDOFF_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return HANDOFF_NAME


# What nbclient would start the kernel with: quiet start-up notices (e.g. about TCP transport,
# not report output) and no IPython history written to the user's home.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]


class StartedKernel:
    """A notebook kernel started ahead of its notebook, in a private folder of its own; its
    shutdown is asked for when the notebook has run and awaited only when the run ends, so
    that neither waits on the other."""

    def __init__(self, folder: Path):
        from jupyter_client.manager import AsyncKernelManager

        self.folder = folder
        self.manager = AsyncKernelManager(kernel_name="python3",
                                          client_factory=_ready_client_class())
        self.clients: list = []  # nbclient's, whose channels are closed at shutdown
        self._shutdown_asked = False
        try:
            _run_sync(self.manager.start_kernel)(cwd=str(folder),
                                                 extra_arguments=KERNEL_ARGUMENTS)
        except Exception as exc:  # no python3 kernel installed, cannot spawn a process
            raise NotebookFailed(f"could not start the notebook kernel (python3): "
                                 f"{type(exc).__name__}: {one_line(exc)}") from None

    def ask_shutdown(self) -> None:
        """Close the notebook client's channels and ask the kernel to exit (not waiting)."""
        for client in self.clients:
            if client.kc is not None:
                client.kc.stop_channels()
        if not self._shutdown_asked and self.manager.has_kernel:
            self._shutdown_asked = True
            with contextlib.suppress(Exception):  # a kernel killed by the watchdog
                _run_sync(self.manager.request_shutdown)()

    def close(self) -> None:
        """Wait for the kernel to exit (killed after a few seconds) and free its resources; a
        kernel that never ran the notebook (the run failed before) is killed at once."""
        if not self.clients and self.manager.has_kernel:
            with contextlib.suppress(Exception):
                _run_sync(self.manager.signal_kernel)(signal.SIGKILL)
        self.ask_shutdown()
        with contextlib.suppress(Exception):
            if self.manager.has_kernel:
                _run_sync(self.manager.finish_shutdown)()
            _run_sync(self.manager.cleanup_resources)()


@functools.cache
def _ready_client_class() -> type:
    """jupyter_client's AsyncKernelClient, whose wait for the kernel (which nbclient calls
    before the first cell) does not end with 0.2 s of waiting for IOPub to fall silent: the
    messages left there answer the readiness check, and nbclient reads only those of the cell
    it runs. The rest is jupyter_client's own wait (jupyter_client/client.py)."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:  # IOPub connected: a message came (its welcome, or a status)
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    return ReadyKernelClient


def _run_sync(coroutine_function):
    from nbclient.util import run_sync

    return run_sync(coroutine_function)


@contextmanager
def kernel_started_early() -> Iterator[StartedKernel]:
    """A python3 kernel started now, in a new private folder, so that it boots while the runner
    computes the report; on exit it is shut down and its folder deleted, whatever happened."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="report-kernel-"))
    kernel = None
    try:
        kernel = StartedKernel(folder)
        yield kernel
    finally:
        if kernel is not None:
            kernel.close()
        shutil.rmtree(folder, ignore_errors=True)


def execute_report_notebook(params: ReportParameters, folder: Path, *,
                            prepared: str | None = None, kernel: StartedKernel | None = None,
                            deadline: float | None = None,
                            time_limit_s: float | None = None) -> nbformat.NotebookNode:
    """Run the report notebook with papermill, saving it as `folder`/report.ipynb (also when
    it fails, to debug); a failing, exiting or timed-out cell raises NotebookFailed naming the
    notebook, the cell and the exception. `kernel`: started ahead (kernel_started_early), else
    one is started here; the notebook runs in its folder, where `prepared` (the handed-over
    report) is. `deadline` (time.monotonic()): the kernel is killed then, and
    TimeLimitExceeded raised."""
    if kernel is None:
        with kernel_started_early() as started:
            return execute_report_notebook(params, folder, prepared=prepared, kernel=started,
                                           deadline=deadline, time_limit_s=time_limit_s)
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = folder / "report.ipynb"
    parameters = _injected_parameters(params, prepared)
    watchdog = _KernelWatchdog([kernel.manager], deadline)
    try:
        with watchdog:
            notebook = papermill.execute_notebook(
                str(REPORT_NOTEBOOK), str(output), parameters=parameters,
                engine_name=_started_kernel_engine(), km=kernel.manager,
                clients=kernel.clients, partial_output=str(output),
                # no `cwd`: papermill would chdir this whole process into it while the notebook
                # runs, under the threads that go on meanwhile (report.pdf's early print opened
                # a relative out-dir's page there); the kernel already runs in its folder
                kernel_name="python3", progress_bar=False,
                log_output=False,
                execution_timeout=params.cell_timeout_s,
                # saved when it ends, failed or not (a failed run leaves its partial notebook
                # to debug: papermill saves it on a cell's error, the engine on a dead kernel
                # or a time-out); not after every cell, which rewrote it seventeen times
                request_save_on_cell_execute=False)
        kernel.ask_shutdown()  # the kernel exits while the page is exported
    except PapermillExecutionError as exc:
        if watchdog.fired:
            raise TimeLimitExceeded(f"the run exceeded its time limit of {time_limit_s:.0f} s "
                                    "while executing notebooks/report.ipynb; nothing was "
                                    "published") from None
        source = _cell_source(output, exc.exec_count)
        raise NotebookFailed(
            f"notebooks/report.ipynb failed in cell {exc.cell_index} (execution count "
            f"{exc.exec_count}{source}): {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # dead kernel, timeout: nbclient raises its own types
        if watchdog.fired:
            raise TimeLimitExceeded(f"the run exceeded its time limit of {time_limit_s:.0f} s "
                                    "while executing notebooks/report.ipynb; nothing was "
                                    "published") from None
        raise NotebookFailed(f"notebooks/report.ipynb did not finish: "
                             f"{type(exc).__name__}: {exc}") from None
    _check_complete(notebook)
    return normalize_notebook(notebook)


def _injected_parameters(params: ReportParameters, prepared: str | None) -> dict:
    """What papermill injects into the notebook."""
    # export stays off: exporting_in_parallel writes the files while the kernel runs
    parameters = params.replace(export=False).as_dict()
    if prepared is not None:
        parameters["prepared"] = prepared  # not a ReportParameters field: see tools/make_notebooks
    return parameters


@functools.cache
def _started_kernel_engine() -> str:
    """The name of papermill's nbclient engine for a kernel the runner started (StartedKernel,
    which also shuts it down): nbclient runs the notebook on it."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb
    from papermill.log import logger

    class StartedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, km=None, clients=None,
                                     partial_output=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            clients.append(client)
            try:
                return client.execute(cleanup_kc=False)
            except BaseException:  # dead kernel, time-out: keep what ran, to debug
                write_ipynb(nb_man.nb, partial_output)
                raise

    papermill_engines.register("helpers-started-kernel", StartedKernelEngine)
    return "helpers-started-kernel"


class _KernelWatchdog:
    """Kills the notebook's kernel (its whole process group) at `deadline`, so a run can be
    bounded in time however its cells behave; nbclient then reports a dead kernel."""

    def __init__(self, kernels: list, deadline: float | None):
        self.kernels = kernels  # filled when nbclient creates its kernel manager
        self.deadline = deadline
        self.fired = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        if self.deadline is not None:
            self._thread = threading.Thread(target=self._watch, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(max(0.1, min(1.0, self.deadline - time.monotonic()))):
            if time.monotonic() < self.deadline:
                continue
            kernel = self.kernels[-1] if self.kernels else None
            pid = getattr(getattr(kernel, "provisioner", None), "pid", None)
            if pid:
                self.fired = True
                with contextlib.suppress(OSError):
                    group = os.getpgid(pid)
                    if group != os.getpgrp():  # never our own group
                        os.killpg(group, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                return


def _cell_source(path: Path, execution_count: int) -> str:
    """', code: <first line>' of the cell that ran as `execution_count` in the partly executed
    notebook (papermill adds its own error-banner cells, so indexes shift; counts do not)."""
    try:
        cells = nbformat.read(path, as_version=4).cells
    except (OSError, ValueError):
        return ""
    cell = next((c for c in cells if c.cell_type == "code"
                 and c.get("execution_count") == execution_count), None)
    if cell is None:
        return ""
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f", code: {first[:80]}" if first else ""


def _check_complete(notebook) -> None:
    """A notebook that ended early (sys.exit, skipped cells) is a failure, not a report."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            raise NotebookFailed(f"notebooks/report.ipynb ended early: cell {index} never ran")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise NotebookFailed(f"notebooks/report.ipynb failed in cell {index}: "
                                     f"{out.get('ename')}: {out.get('evalue')}")


# A cell that shows a section, and what the kernel's display() of a section's HTML sends
SHOW_CELL = re.compile(r'rn\.show\(report, "(\w+)"\)')
SECTION_OUTPUT_TEXT = "<IPython.core.display.HTML object>"


def expected_notebook(params: ReportParameters, prepared) -> nbformat.NotebookNode:
    """The notebook as execute_report_notebook should return it for `prepared` (the handed-over
    PreparedReport), worked out without a kernel: papermill's parameters injected, each section
    cell showing the section's HTML. Its page can be printed while the kernel runs; the page of
    the real run is compared with it, and only an identical page keeps that print."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = parameterize_notebook(
        load_notebook_node(str(REPORT_NOTEBOOK)), _injected_parameters(params, HANDOFF_NAME),
        kernel_name="python3", language="python")
    code_cells = (cell for cell in notebook.cells if cell.cell_type == "code")
    for count, cell in enumerate(code_cells, start=1):
        cell.execution_count = count
        shown = SHOW_CELL.fullmatch(cell.source.strip())
        cell.outputs = [] if shown is None else [nbformat.v4.new_output(
            "display_data", data={"text/html": prepared.sections[shown.group(1)],
                                  "text/plain": SECTION_OUTPUT_TEXT})]
    return normalize_notebook(notebook)


def normalize_notebook(notebook) -> nbformat.NotebookNode:
    """Drop what differs between identical runs: timestamps, durations, paths, random ids."""
    papermill_meta = notebook.metadata.get("papermill", {})
    notebook.metadata["papermill"] = {
        "parameters": papermill_meta.get("parameters", {}),
        "default_parameters": papermill_meta.get("default_parameters", {}),
    }
    for number, cell in enumerate(notebook.cells, start=1):
        cell["id"] = f"cell-{number:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return notebook
