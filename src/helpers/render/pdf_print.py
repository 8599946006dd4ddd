"""report.pdf and the briefs' PDFs: the built HTML printed by headless Chromium, offline, with
the dates Chromium stamps into the PDF replaced by the document's own date and its structure IDs
renumbered, so a re-run gives the same bytes (with the same Chromium), however busy the machine.

One Chromium prints every page of a run (helpers.render.chromium_pipe: the DevTools protocol
over a pipe, no network port), rather than one browser start per page; its `Page.printToPDF`
writes the bytes `--print-to-pdf` would. playwright is not used at run time (a test tool here,
it brings a Node.js driver). Since Chromium 131 everything the printout needs is in the page's
print CSS (A4 and margins from `@page`, page numbers from `@page` margin boxes), see
templates/report/index.html.j2. The page is our own escaped HTML without scripts; no host name
resolves (nothing can be fetched from the network) and the profile is a fresh temporary folder,
so concurrent runs do not share state."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from helpers.core.atomic_io import write_bytes_atomic, write_text_atomic
from helpers.core.errors import BrowserMissing, PrintFailed
from helpers.core.reproducible_files import document_timestamp
from helpers.render.chromium_pipe import TABS, PipeBrowser, browser

CHROMIUM_ENV = "REPORT_CHROMIUM"  # path of the Chromium (or Chrome) executable to use
# Chromium's headless shell first (Debian's chromium-headless-shell, built from the same source
# as chromium): the same Blink and Skia lay out and print the same PDF bytes (with the fixed user
# agent below), without the full browser's start-up, ~0.6 of a report's ~1.3 core-seconds of
# Chromium (benchmarks/run_benchmark.py). The full browser is used where it is the one there.
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome",
                  "google-chrome-stable")
PRINT_TIMEOUT_S = 180
# The print CSS's font (templates/report/index.html.j2): TrueType, so Chromium embeds it as a
# subset CID font whose text copies and searches as written.
PRINT_FONT, PRINT_FONT_PACKAGE = "WenQuanYi Micro Hei", "fonts-wqy-microhei"
HTML_NAME, PDF_NAME = "report.html", "report.pdf"
FOLDED_DISTRICT = '<details class="district">'  # helpers.render.html, beyond 60 districts
PRINT_COPY_NAME = ".report-print.html"  # report.html unfolded for printing, then deleted

CHROMIUM_FLAGS = (
    "--headless",
    # Containers and CI run as root, where Chromium's sandbox cannot start; the page printed
    # is our own escaped HTML without scripts. (--blink-settings=scriptEnabled=false would
    # be safer still, but headless printing then writes no PDF.)
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no host name resolves
    # The PDF's /Creator is the browser's user agent: the full browser writes its own, with its
    # version number ("Mozilla/5.0 ... HeadlessChrome/156.0.0.0 ..."), the headless shell
    # writes "Chromium". Fixed, the PDF's bytes do not depend on which of the two printed it.
    # Our pages have no scripts and fetch nothing, so nothing else reads it.
    "--user-agent=Chromium",
    # Chromium (since ~140) preloads its address bar's two suggestion pop-ups, web pages of
    # its own, in every window, headless too: a renderer that costs more CPU than the page we
    # print (measured: ~0.8 of a browser's ~1.45 core-seconds to start). Nobody types here.
    # An unknown feature name is ignored, so older or newer Chromiums start as before.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
)

_BUILT_ON = re.compile(r"\s+built on .*$")  # Debian adds it to --version: chromium_version
# Chromium (Skia) writes '/CreationDate (D:20261127202914+00'00')' and the same for ModDate.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")
_SAME_LENGTH_ZONE = {7: b"+00'00'", 6: b"+00'00", 3: b"+00", 1: b"Z", 0: b""}


def find_chromium() -> Path:
    """The Chromium executable: $REPORT_CHROMIUM, else the first of CHROMIUM_NAMES on PATH.
    Raises BrowserMissing (exit code 5) naming what to install."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BrowserMissing(f"{CHROMIUM_ENV}={configured} is not an executable file "
                                 "(unset it to use chromium from PATH, or turn the PDF off "
                                 "with --pdf false)")
        return path
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise BrowserMissing(
        "report.pdf needs headless Chromium, which is not installed: run `make browser` "
        f"(apt-get install chromium-headless-shell {PRINT_FONT_PACKAGE}, as root), set "
        f"{CHROMIUM_ENV} to its path, or turn the PDF off with --pdf false")


def check_print_font() -> None:
    """Refuse to print unless fontconfig has PRINT_FONT, the font the print CSS asks for
    (another Chinese font would change the PDF, and a CFF one breaks its text layer; with none
    the PDF would show empty boxes). Skipped where fontconfig's fc-list is not installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    done = subprocess.run([fc_list, f":family={PRINT_FONT}", "family"], capture_output=True,
                          text=True, timeout=60, check=False)
    if done.returncode == 0 and not done.stdout.strip():
        raise BrowserMissing(f"report.pdf is set in the {PRINT_FONT} font, which is not "
                             f"installed: run `make browser` (apt-get install {PRINT_FONT_PACKAGE}"
                             f", as root) or turn the PDF off with --pdf false")


def check_printing() -> Path:
    """Everything report.pdf needs is installed (checked before a run starts its work)."""
    chromium = find_chromium()
    check_print_font()
    return chromium


@functools.cache
def chromium_version(executable: Path) -> str | None:
    """'Chromium 156.0.8078.108' as the executable reports it, or None. Debian's full browser
    adds where it was built ('... built on Debian GNU/Linux 12 (bookworm)'), its headless shell
    does not; both print the same bytes, so the version is recorded without it."""
    try:
        done = subprocess.run([str(executable), "--version"], capture_output=True, text=True,
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return None
    return _BUILT_ON.sub("", lines[-1])


def installed_chromium_version() -> str | None:
    """The version of the Chromium report.pdf would be printed with, None when there is none
    (recorded in the manifest: the PDF's bytes depend on it)."""
    try:
        return chromium_version(find_chromium())
    except BrowserMissing:
        return None


def fix_pdf_dates(pdf: bytes, timestamp: dt.datetime) -> bytes:
    """The PDF with its CreationDate and ModDate set to `timestamp` (UTC). Each date keeps its
    length, so the cross-reference table's byte offsets stay valid."""
    stamp = timestamp.strftime("%Y%m%d%H%M%S").encode()

    def replace(match: re.Match) -> bytes:
        zone = _SAME_LENGTH_ZONE.get(len(match.group(3)))
        if zone is None:
            raise PrintFailed(f"Chromium wrote a PDF date in an unexpected form: "
                              f"{match.group(0).decode('latin-1')}")
        return b"/" + match.group(1) + b" (D:" + stamp + zone + b")"

    fixed = _PDF_DATE.sub(replace, pdf)
    if len(fixed) != len(pdf):  # cannot happen with same-length dates; never publish a break
        raise PrintFailed("fixing the PDF's dates changed its length")
    return fixed


# Chromium's tagged PDF names each structure element after its DOM node: '/ID (node00000161)'.
# Node numbers depend on how many nodes Chromium made before (a busy machine can make one
# more), so the same page can print with every ID shifted.
_NODE_ID = re.compile(rb"\(node(\d{8})\)")


def renumber_structure_ids(pdf: bytes) -> bytes:
    """The PDF with its structure element IDs renumbered 1, 2, 3, ... in their numeric order
    (the order Chromium made the nodes): same length, the IDTree still sorted, and the bytes
    no longer depend on nodes Chromium made for itself."""
    numbers = sorted({int(m.group(1)) for m in _NODE_ID.finditer(pdf)})
    rank = {number: index for index, number in enumerate(numbers, start=1)}
    fixed = _NODE_ID.sub(lambda m: b"(node%08d)" % rank[int(m.group(1))], pdf)
    if len(fixed) != len(pdf):  # cannot happen with 8 digits either side; never publish a break
        raise PrintFailed("renumbering the PDF's structure IDs changed its length")
    return fixed


def print_pdf(html: Path, pdf: Path, timestamp: dt.datetime,
              timeout_s: float = PRINT_TIMEOUT_S) -> None:
    """Print `html` to `pdf` (written atomically) with headless Chromium; raise PrintFailed
    when Chromium fails, times out or writes no PDF."""
    print_pdfs([(Path(html), Path(pdf))], timestamp, timeout_s)


def print_pdfs(pages: list[tuple[Path, Path]], timestamp: dt.datetime,
               timeout_s: float = PRINT_TIMEOUT_S) -> None:
    """Print each (html, pdf) pair with one headless Chromium, every PDF dated `timestamp` and
    written atomically; `timeout_s` bounds the wait for any one page."""
    if not pages:
        return
    with browsers(1, timeout_s, tabs=min(len(pages), TABS)) as (chromium,):
        print_with(chromium, pages, timestamp)


@contextmanager
def browsers(count: int, timeout_s: float = PRINT_TIMEOUT_S,
             tabs: int = TABS) -> Iterator[list[PipeBrowser]]:
    """`count` headless Chromiums started now, so that they boot while the caller goes on
    working (each prints with print_with in `tabs` tabs; a forked process may print with one
    it inherited); ended, with every process they started, when the block ends."""
    executable = find_chromium()
    with ExitStack() as stack:
        yield [stack.enter_context(browser(executable, CHROMIUM_FLAGS, timeout_s, tabs))
               for _ in range(count)]


def run_printer(stack: ExitStack, pdf: bool, given: PipeBrowser | None = None, *,
                tabs: int = TABS) -> PipeBrowser | None:
    """The browser a run prints its PDFs with: the caller's `given` one (a schedule pass
    shares one), else one started now with `tabs` tabs (a report's one page needs one) and
    ended with `stack` (it boots while the run computes); None for a run without PDF."""
    if not pdf:
        return None
    return given if given is not None else stack.enter_context(browsers(1, tabs=tabs))[0]


@contextmanager
def ended_on_failure(printer: PipeBrowser | None) -> Iterator[None]:
    """A failure of the block ends `printer` before it goes on up: a print under way fails at
    once, so its thread ends before the run's staging folder is removed, and a browser that
    may have been printing is not handed to another run."""
    try:
        yield
    except BaseException:
        if printer is not None:
            printer.end()
        raise


def print_with(chromium: PipeBrowser, pages: Iterable[tuple[Path, Path]],
               timestamp: dt.datetime) -> None:
    """Print each (html, pdf) pair with the started `chromium` (browsers), every PDF dated
    `timestamp` and written atomically. `pages` may be a generator still waiting for pages
    being written: each is printed as it comes."""
    targets: dict[Path, Path] = {}

    def html_pages() -> Iterator[Path]:
        for html, pdf in pages:
            targets[Path(html).resolve()] = Path(pdf)
            yield Path(html).resolve()

    for html, data in chromium.print_pages(html_pages()):
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise PrintFailed(f"Chromium did not print {html.name} to PDF")
        write_bytes_atomic(targets[html], renumber_structure_ids(fix_pdf_dates(data,
                                                                               timestamp)))


def print_report_pdf(folder: Path, drafted_on: dt.date,
                     printer: PipeBrowser | None = None) -> Path:
    """report.html in `folder` printed to report.pdf beside it, dated `drafted_on`, by the
    started `printer` (else a browser started here); districts folded in the page (a report
    of many) print unfolded: paper cannot be clicked open."""
    folder = Path(folder)
    stamp = document_timestamp(drafted_on)
    html = (folder / HTML_NAME).read_text(encoding="utf-8")
    unfolded = html.replace(FOLDED_DISTRICT, FOLDED_DISTRICT.replace(">", " open>"))
    printed = folder / (HTML_NAME if unfolded == html else PRINT_COPY_NAME)
    if printed.name == PRINT_COPY_NAME:
        write_text_atomic(printed, unfolded)
    try:
        if printer is None:
            print_pdf(printed, folder / PDF_NAME, stamp)
        else:
            print_with(printer, [(printed, folder / PDF_NAME)], stamp)
    finally:
        if printed.name == PRINT_COPY_NAME:
            printed.unlink(missing_ok=True)
    return folder / PDF_NAME
