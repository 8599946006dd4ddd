"""One headless Chromium that prints many pages: the DevTools protocol over a pipe
(`--remote-debugging-pipe`: JSON messages ending in NUL, commands on the child's fd 3, replies
and events on its fd 4), so that a run's PDFs share one browser start instead of one each. No
network port is opened and no Python package is needed.

`Page.printToPDF` with the options below writes the same bytes as `--print-to-pdf` on the
command line (the print CSS sets paper, margins and page numbers; tagged, with an outline), so
helpers.render.pdf_print fixes their dates and structure IDs the same way.

Printing is most of a run's CPU, so Chromium is spared what the PDF does not need:
- a browser prints in TABS tabs, each opened once and used for page after page, laying one
  page out while it prints another;
- a page's HTML becomes the tab's document (Page.setDocumentContent) instead of being
  navigated to: a navigation starts a renderer process of its own. Our pages are
  self-contained (styles inline, pictures as data: URLs, nothing fetched), so nothing resolves
  against the file's address;
- a tab lays pages out for print media in a small window, not first for a screen nobody sees.
The PDF's bytes are the same either way (the back tests' ground truth holds every PDF's
hash): printing lays the page out again on the paper the print CSS sets."""

from __future__ import annotations

import base64
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from helpers.core.errors import PrintFailed

TABS = 2  # tabs a browser that prints many pages loads at a time; one page needs one
# each tab: print media, in a window of this many CSS pixels (the screen layout is never seen)
TAB_SETUP = (("Emulation.setEmulatedMedia", {"media": "print"}),
             ("Emulation.setDeviceMetricsOverride", {"width": 200, "height": 200,
                                                     "deviceScaleFactor": 1, "mobile": False}))
PRINT_OPTIONS = {"preferCSSPageSize": True, "printBackground": True,
                 "displayHeaderFooter": False, "generateDocumentOutline": True,
                 "generateTaggedPDF": True, "transferMode": "ReturnAsBase64"}
_CHILD_IN, _CHILD_OUT = 3, 4  # the fds Chromium reads commands from and writes replies to
OPENING = Path("its tabs")  # what an error names while no page is being printed yet


class PipeBrowser:
    """A started headless Chromium and its protocol pipe (use `browser()`)."""

    def __init__(self, process: subprocess.Popen, commands, replies, deadline_s: float,
                 stderr: Path, tabs: int = TABS):
        self.process = process
        self._stderr = stderr
        self._commands, self._replies = commands, replies
        self._buffer = b""
        self._next_id = 0
        self._answers: dict[int, dict] = {}
        self._events: list[dict] = []
        self.tabs = tabs
        self._tabs_open: list[tuple[str, str]] = []  # (session, frame) of each tab
        self._opening: threading.Thread | None = None
        self._opening_failed: BaseException | None = None
        self._ended_here = False
        self.deadline_s = deadline_s

    @property
    def alive(self) -> bool:
        """Whether it can still print: not ended, its process running."""
        return not self._ended_here and self.process.poll() is None

    def end(self) -> None:
        """End the browser and every process it started (a print under way fails at once);
        a second call does nothing."""
        if self._ended_here:
            return
        self._ended_here = True
        _end(self.process, self._commands, self._replies)
        if self._opening is not None:  # a tab still opening failed: its thread has ended
            self._opening.join()

    def open_tabs_soon(self) -> None:
        """Open the tabs in a thread of their own: Chromium starts their renderers while the
        caller goes on working; the first print waits for them."""
        self._opening = threading.Thread(target=self._open_tabs, name="chromium-tabs",
                                         daemon=True)
        self._opening.start()

    def _open_tabs(self) -> None:
        try:
            self._tabs(OPENING)
        except BaseException as exc:  # raised by the first print (or lost if none follows)
            self._opening_failed = exc

    def _tabs_opened(self) -> None:
        """Wait for the tabs open_tabs_soon is opening; raise what failed there."""
        if self._opening is not None:
            self._opening.join()
            self._opening = None
        if self._opening_failed is not None:
            raise self._opening_failed

    def print_pages(self, pages: Iterable[Path]) -> Iterator[tuple[Path, bytes]]:
        """(page, PDF bytes) for every HTML file of `pages`, in order, `tabs` loaded at a time.
        `pages` may be a generator that waits for pages still being written."""
        self._tabs_opened()
        pending = iter(pages)
        while batch := [*itertools.islice(pending, self.tabs)]:
            tabs = self._tabs(batch[0])[:len(batch)]
            for page, tab in zip(batch, tabs, strict=True):
                self._load(page, tab)
            for page, tab in zip(batch, tabs, strict=True):
                self._loaded(tab, page)
            asked = [self._send("Page.printToPDF", PRINT_OPTIONS, session)
                     for session, _ in tabs]
            for page, ask in zip(batch, asked, strict=True):
                yield page, base64.b64decode(self._answer(ask, page)["data"])

    def _tabs(self, page: Path) -> list[tuple[str, str]]:
        """(session, frame) of each of the `tabs` reusable tabs, opened and set up at the first
        page."""
        if not self._tabs_open:
            for _ in range(self.tabs):
                target = self._call("Target.createTarget", {"url": "about:blank"},
                                    page)["targetId"]
                session = self._call("Target.attachToTarget",
                                     {"targetId": target, "flatten": True}, page)["sessionId"]
                for method, params in (("Page.enable", {}),
                                       ("Page.setLifecycleEventsEnabled", {"enabled": True}),
                                       *TAB_SETUP):
                    self._call(method, params, page, session)
                frame = self._call("Page.getFrameTree", {}, page, session)["frameTree"]
                self._tabs_open.append((session, frame["frame"]["id"]))
        return self._tabs_open

    def _load(self, page: Path, tab: tuple[str, str]) -> None:
        """Open the HTML of `page` as the document of `tab` (whose `_loaded` waits for it to
        load). The tab's document is replaced, not navigated away from: a navigation would
        start a renderer process for each page."""
        try:
            html = Path(page).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PrintFailed(f"Chromium could not open {page.name}: {exc}") from None
        session, frame = tab
        self._events = [e for e in self._events if e.get("sessionId") != session]
        self._call("Page.setDocumentContent", {"frameId": frame, "html": html}, page, session)

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

    def _loaded(self, tab: tuple[str, str], page: Path) -> None:
        """Until the document last opened in `tab` has loaded: its "init", then its "load"
        (the tab's events before it were dropped when it was opened)."""
        session, _ = tab
        while True:
            names = [e["params"]["name"] for e in self._events if e.get("sessionId") == session]
            if "init" in names and "load" in names[names.index("init"):]:
                self._events = [e for e in self._events if e.get("sessionId") != session]
                return
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
        elif (message.get("method") == "Page.lifecycleEvent"
              and message.get("params", {}).get("name") in ("init", "load")):
            self._events.append(message)  # other events are not waited for


@contextmanager
def browser(chromium: Path, flags: tuple[str, ...], deadline_s: float,
            tabs: int = TABS) -> Iterator[PipeBrowser]:
    """A headless Chromium with a fresh profile, ended (with every process it started) when the
    block ends. `deadline_s`: the longest wait for any one answer; `tabs`: how many pages it
    loads at a time (each tab costs its start-up: one for a run that prints one page)."""
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
    started = PipeBrowser(process, commands, replies, deadline_s, stderr_path, tabs)
    started.open_tabs_soon()
    try:
        yield started
    finally:
        started.end()
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
        _wait_for_exit(process, timeout_s=10)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (commands, replies):
        with suppress(OSError):
            stream.close()


def _wait_for_exit(process: subprocess.Popen, timeout_s: float) -> None:
    """process.wait(timeout_s), woken when the process exits (Linux: a pidfd) instead of by
    Popen.wait's polling, which sleeps up to 50 ms at a time: a browser ends in ~70 ms and
    was seen ended ~40 ms later, at the end of every run."""
    try:
        exited = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # not Linux (or an old one), or reaped already
        process.wait(timeout=timeout_s)
        return
    try:
        ready, _, _ = select.select([exited], [], [], timeout_s)
    finally:
        os.close(exited)
    process.wait(timeout=0 if not ready else None)
