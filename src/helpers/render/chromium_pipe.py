"""One headless Chromium that prints many pages: the DevTools protocol over a pipe
(`--remote-debugging-pipe`: JSON messages ending in NUL, commands on the child's fd 3, replies
and events on its fd 4), so that a run's PDFs share one browser start instead of one each. No
network port is opened and no Python package is needed.

`Page.printToPDF` with the options below writes the same bytes as `--print-to-pdf` on the
command line (the print CSS sets paper, margins and page numbers; tagged, with an outline), so
helpers.render.pdf_print fixes their dates and structure IDs the same way. A few pages are
loaded at once (PAGES_AT_ONCE tabs): Chromium lays one out while it prints another."""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from helpers.core.errors import PrintFailed

PAGES_AT_ONCE = 4
PRINT_OPTIONS = {"preferCSSPageSize": True, "printBackground": True,
                 "displayHeaderFooter": False, "generateDocumentOutline": True,
                 "generateTaggedPDF": True, "transferMode": "ReturnAsBase64"}
_CHILD_IN, _CHILD_OUT = 3, 4  # the fds Chromium reads commands from and writes replies to


class PipeBrowser:
    """A started headless Chromium and its protocol pipe (use `browser()`)."""

    def __init__(self, process: subprocess.Popen, commands, replies, deadline_s: float,
                 stderr: Path):
        self.process = process
        self._stderr = stderr
        self._commands, self._replies = commands, replies
        self._buffer = b""
        self._next_id = 0
        self._answers: dict[int, dict] = {}
        self._events: list[dict] = []
        self.deadline_s = deadline_s

    def print_pages(self, pages: list[Path]) -> Iterator[tuple[Path, bytes]]:
        """(page, PDF bytes) for every HTML file of `pages`, in order, PAGES_AT_ONCE loaded at
        a time."""
        for start in range(0, len(pages), PAGES_AT_ONCE):
            batch = pages[start:start + PAGES_AT_ONCE]
            tabs = [self._open(page) for page in batch]
            for page, (_, session) in zip(batch, tabs, strict=True):
                self._event("Page.loadEventFired", session, page)
            asked = [self._send("Page.printToPDF", PRINT_OPTIONS, session)
                     for _, session in tabs]
            for page, ask, (target, _) in zip(batch, asked, tabs, strict=True):
                data = base64.b64decode(self._answer(ask, page)["data"])
                self._call("Target.closeTarget", {"targetId": target}, page)
                yield page, data

    def _open(self, page: Path) -> tuple[str, str]:
        target = self._call("Target.createTarget", {"url": "about:blank"}, page)["targetId"]
        session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True},
                             page)["sessionId"]
        self._call("Page.enable", {}, page, session)
        loaded = self._call("Page.navigate", {"url": Path(page).resolve().as_uri()}, page,
                            session)
        if loaded.get("errorText"):
            raise PrintFailed(f"Chromium could not open {page.name}: {loaded['errorText']}")
        return target, session

    def _send(self, method: str, params: dict, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            self._commands.write(json.dumps(message).encode("utf-8") + b"\0")
        except OSError:  # the pipe closed: Chromium has ended
            raise self._ended() from None
        return self._next_id

    def _call(self, method: str, params: dict, page: Path, session: str | None = None) -> dict:
        return self._answer(self._send(method, params, session), page)

    def _answer(self, ask: int, page: Path) -> dict:
        while ask not in self._answers:
            self._read(page)
        message = self._answers.pop(ask)
        if "error" in message:
            raise PrintFailed(f"Chromium failed printing {page.name}: "
                              f"{message['error'].get('message', message['error'])}")
        return message.get("result", {})

    def _event(self, method: str, session: str, page: Path) -> dict:
        while True:
            for n, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(n)
            self._read(page)

    def _ended(self, page: Path | None = None) -> PrintFailed:
        """The error of a Chromium that ended (its exit code and last words on stderr)."""
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        said = self._stderr.read_text(encoding="utf-8", errors="replace")[-4000:] \
            if self._stderr.is_file() else ""
        what = page.name if page else "the page"
        return PrintFailed(f"Chromium did not print {what} to PDF (exit code "
                           f"{self.process.poll()}){_last_lines(said)}")

    def _read(self, page: Path) -> None:
        """One message more from Chromium (a reply, kept by id, or an event, kept in order)."""
        ends = time.monotonic() + self.deadline_s
        while b"\0" not in self._buffer:
            left = ends - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(0.0, left))
            if not ready:
                raise PrintFailed(f"Chromium did not print {page.name} within "
                                  f"{self.deadline_s:g} s")
            chunk = os.read(self._replies.fileno(), 1 << 20)
            if not chunk:
                raise self._ended(page)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "id" in message:
            self._answers[message["id"]] = message
        elif message.get("method") in ("Page.loadEventFired",):
            self._events.append(message)  # other events are not waited for


@contextmanager
def browser(chromium: Path, flags: tuple[str, ...], deadline_s: float) -> Iterator[PipeBrowser]:
    """A headless Chromium with a fresh profile, ended (with every process it started) when the
    block ends. `deadline_s`: the longest wait for any one answer."""
    scratch = Path(tempfile.mkdtemp(prefix="report-pdf-"))
    profile, stderr_path = scratch / "profile", scratch / "chromium-stderr.txt"
    to_child, from_child = os.pipe(), os.pipe()

    def wire_pipe() -> None:  # in the child, before exec: its fds 3 and 4
        os.dup2(to_child[0], _CHILD_IN)
        os.dup2(from_child[1], _CHILD_OUT)

    try:
        with stderr_path.open("wb") as stderr:  # a file: a chatty Chromium never blocks on it
            process = subprocess.Popen(
                [str(chromium), *flags, "--remote-debugging-pipe",
                 f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                pass_fds=(_CHILD_IN, _CHILD_OUT), preexec_fn=wire_pipe,
                start_new_session=True)
    except OSError as exc:
        for fd in (*to_child, *from_child):
            os.close(fd)
        shutil.rmtree(scratch, ignore_errors=True)
        raise PrintFailed(f"Chromium ({chromium}) could not be started: {exc}") from None
    os.close(to_child[0])
    os.close(from_child[1])
    commands = os.fdopen(to_child[1], "wb", buffering=0)
    replies = os.fdopen(from_child[0], "rb", buffering=0)
    try:
        yield PipeBrowser(process, commands, replies, deadline_s, stderr_path)
    finally:
        _end(process, commands, replies)
        shutil.rmtree(scratch, ignore_errors=True)


def _last_lines(text: str, count: int = 5) -> str:
    """The last lines Chromium wrote to stderr, without its D-Bus complaints (a container has
    no session bus; they mean nothing for printing)."""
    lines = [line for line in text.splitlines() if line.strip() and "dbus" not in line]
    return (": " + " | ".join(lines[-count:])) if lines else ""


def _end(process: subprocess.Popen, commands, replies) -> None:
    """Close the browser: politely (Browser.close), then its whole process group (a helper
    process it left must not outlive the run)."""
    with suppress(OSError):  # it may have ended already
        commands.write(json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (commands, replies):
        with suppress(OSError):
            stream.close()
