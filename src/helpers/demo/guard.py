"""Where `demo` may write: generated returns and a sample ledger go only into a raw folder that
holds no real input. A file the demo did not write (a return not in its marker, or changed
since; a ledger that is not marked as a sample) is never overwritten, nor mixed with demo data:
the command refuses, naming the file (UnsafePlace, exit 2)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from helpers.core.errors import UnsafePlace
from helpers.core.safe_read import read_bounded
from helpers.core.text_safety import one_line
from helpers.ingest.ledger_book import LEDGER_FILE, SAMPLE_MARK
from helpers.ingest.returns import DEMO_MARKER
from helpers.ingest.snapshot import is_ignored


def demo_written_files(progress: Path) -> dict[str, str]:
    """The returns the demo's marker says it wrote, by name, with their SHA-256."""
    marker = progress / DEMO_MARKER
    if not marker.is_file():
        return {}
    try:
        files = json.loads(read_bounded(marker, DEMO_MARKER, limit=1 << 20)).get("files", {})
    except (ValueError, AttributeError, OSError, RecursionError):
        return {}  # what it wrote is not known: every return is taken as another's
    return files if isinstance(files, dict) else {}


def _is_sample_ledger(path: Path) -> bool:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # unreadable: certainly not the demo's sample
        return False
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(max_row=3, values_only=True):
                if any(SAMPLE_MARK in str(value) for value in row if value is not None):
                    return True
        return False
    finally:
        workbook.close()


def check_demo_place(raw_dir: Path, year: int) -> None:
    """Refuse (UnsafePlace) when <raw_dir>/<year>/ holds a return or a ledger the demo did not
    write: real inputs are never overwritten by generated ones, nor mixed with them."""
    year_dir = Path(raw_dir) / str(year)
    progress = year_dir / "progress"
    written = demo_written_files(progress)
    foreign = []
    if progress.is_dir():
        for path in sorted(progress.iterdir()):
            if path.name == DEMO_MARKER or is_ignored(path.name):
                continue
            recorded = written.get(path.name)
            if not (path.is_file() and not path.is_symlink() and recorded
                    and hashlib.sha256(path.read_bytes()).hexdigest() == recorded):
                foreign.append(path)
    ledger = year_dir / LEDGER_FILE
    if ledger.exists() and (ledger.is_symlink() or not ledger.is_file()
                            or not _is_sample_ledger(ledger)):
        foreign.append(ledger)
    if foreign:
        shown = ", ".join(one_line(p.relative_to(raw_dir)) for p in foreign[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        raise UnsafePlace(f"demo: {one_line(raw_dir)} holds input the demo did not write "
                          f"({shown}{more}); generated data never replaces or joins real "
                          "returns: give an empty raw folder, or one the demo wrote")
