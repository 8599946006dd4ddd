"""Project folders, resolved from the package location (never the working folder)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
LOCK_FILE = PROJECT_ROOT / "requirements.lock"


def processed_dir_for(raw_dir: Path) -> Path:
    """The processed folder that belongs to a raw folder: its sibling `processed/`."""
    return Path(raw_dir).resolve().parent / "processed"


def display_path(path: Path) -> str:
    """A path as shown in outputs: relative to the project when inside it, so outputs hold no
    machine-specific absolute paths."""
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()
