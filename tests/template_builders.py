"""What the return-template tests share: a small raw folder (the bundled catalogue, 2018's
allocation and its returns up to 30 June), and a clerk's script that fills a template's input
cells with known values, reading the rows by their visible labels only."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from helpers.core.paths import RAW_DIR

AS_OF = "2018-07-31"
RETURNS = ["2018-01-31.csv", "2018-02-28.csv", "2018-03-31.xlsx", "2018-04-30.csv",
           "2018-05-31.xlsx", "2018-06-30.xlsx"]


def small_raw(root: Path) -> Path:
    """raw/ with catalog/, 2018's plan, 2018/allocation.xlsx and the returns up to 30 June."""
    raw = root / "raw"
    shutil.copytree(RAW_DIR / "catalog", raw / "catalog")
    shutil.copytree(RAW_DIR / "2018" / "plan", raw / "2018" / "plan")
    (raw / "2018" / "progress").mkdir(parents=True)
    shutil.copy2(RAW_DIR / "2018" / "allocation.xlsx", raw / "2018" / "allocation.xlsx")
    for name in RETURNS:
        shutil.copy2(RAW_DIR / "2018" / "progress" / name, raw / "2018" / "progress" / name)
    return raw


def figure_rows(ws):
    """(row, district, indicator name, stage name, unit, target, last) of every figure row,
    read from the visible columns A..H."""
    rows = []
    r = 4
    while isinstance(ws[f"A{r}"].value, int):
        rows.append((r, ws[f"B{r}"].value, ws[f"C{r}"].value, ws[f"D{r}"].value,
                     ws[f"E{r}"].value, ws[f"F{r}"].value, ws[f"H{r}"].value))
        r += 1
    return rows


def clerk_value(row: int, unit: str, target, last) -> int:
    """What the script types: a task stage done (1); a figure with a target its last one plus
    0..2; any other figure (a share's part) its last one, so no part exceeds its whole."""
    if unit == "项":
        return 1
    if target is not None:
        return (last or 0) + row % 3
    return last or 0


def fill(template: Path, dest: Path, value_of=clerk_value) -> dict[tuple, tuple[int, str]]:
    """Fill every unlocked cell of `template` and save it as `dest`; returns
    {(district, indicator name, stage name): (value, input cell)}."""
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    typed = {}
    for r, district, indicator, stage, unit, target, last in figure_rows(ws):
        cell = ws[f"J{r}"]
        assert not cell.protection.locked
        value = value_of(r, unit, target, last)
        cell.value = value
        typed[(district, indicator, stage)] = (value, cell.coordinate)
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return typed
