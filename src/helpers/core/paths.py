"""Project folders, resolved from the package location (never the working folder)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"  # the tidy tables of every raw folder: never inside raw
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
LOCK_FILE = PROJECT_ROOT / "requirements.lock"


def display_path(path: Path) -> str:
    """A path as shown in outputs: relative to the project when inside it, so outputs hold no
    machine-specific absolute paths."""
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()
