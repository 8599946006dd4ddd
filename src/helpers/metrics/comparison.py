"""What changed between two reports: two judged-facts tables (tables/facts.csv, or
helpers.metrics.facts.judged_facts) set side by side, row by row (district or city x indicator x
step), figure by figure. One comparison serves every reader: `helpers diff` between two
published reports, the report's own 较上期变化 (the previous period's facts against this one's),
and the cells of its source files that moved.

A facts table read back from its CSV holds text; one computed in memory holds numbers, dates and
pandas NA. Every compared value is first put in one canonical form (None, int, float, or text)
and a completion compared to the decimals the CSV keeps, so both compare alike."""

from __future__ import annotations

import io

import pandas as pd

from helpers.core.rounding import half_up, percent, percent_digits
from helpers.core.values import is_missing
from helpers.metrics.facts import FACT_COLUMNS

KEY = ["level", "unit", "indicator", "step"]
# the figures and statuses compared, in the order a reader meets them; completion is a fraction
COMPARED = ["target", "figure", "denominator", "completion", "due_units", "judged_figure",
            "shortfall", "status", "rank"]
NUMBERS = ("target", "figure", "denominator", "due_units", "judged_figure", "shortfall", "rank")
# the raw cell each figure read from its input (the others are computed from these)
SOURCE_OF = {"target": "target_source", "figure": "figure_source",
             "judged_figure": "judged_source", "denominator": "denominator_source"}
COMPLETION_DECIMALS = 6  # as tables/facts.csv writes a fraction
# a row in one table only
PRESENT_BOTH, ONLY_OLD, ONLY_NEW = "both", "old", "new"
MOVED_COLUMNS = [*KEY, "kind", "field", "old", "new", "difference", "digits", "old_source",
                 "new_source"]


def facts_from_csv(text: str) -> pd.DataFrame:
    """A facts table as tables/facts.csv holds it (every cell text, empty where missing), in
    FACT_COLUMNS order (a column an older table lacks is empty)."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return frame.reindex(columns=FACT_COLUMNS, fill_value="")


def canonical(field: str, value: object) -> object:
    """A compared value in one form, whether read from the CSV (text) or computed (numbers,
    NA): None when missing, int for a count or rank, a rounded fraction, else text."""
    if is_missing(value) or value == "":
        return None
    if field in NUMBERS:
        return int(float(value))
    if field == "completion":
        return float(value)
    return str(value)


def _same(field: str, old: object, new: object) -> bool:
    """Equal as published: a completion to the decimals the CSV keeps (a table read back from
    its CSV against one computed in memory), anything else exactly."""
    if field == "completion" and old is not None and new is not None:
        return round(old, COMPLETION_DECIMALS) == round(new, COMPLETION_DECIMALS)
    return old == new


def _keyed(facts: pd.DataFrame) -> dict[tuple, dict]:
    """The rows of a facts table by (level, unit, indicator, step), their values canonical.
    Column by column (a province's table has some 200,000 rows)."""
    texts = {k: _texts(facts[k]) for k in KEY}
    values = {f: [canonical(f, v) for v in _objects(facts, f)] for f in COMPARED}
    values["milestone"] = [canonical("completion", v) for v in _objects(facts, "milestone")]
    values |= {s: _texts(facts[s]) if s in facts.columns else [""] * len(facts)
               for s in SOURCE_OF.values()}
    values["kind"] = ([str(v) for v in facts["kind"].tolist()] if "kind" in facts.columns
                      else [""] * len(facts))
    names = [*COMPARED, *SOURCE_OF.values(), "kind", "milestone"]
    keys = zip(*(texts[k] for k in KEY), strict=True)
    return {key: dict(zip(names, row, strict=True))
            for key, row in zip(keys, zip(*(values[n] for n in names), strict=True),
                                strict=True)}


def _objects(facts: pd.DataFrame, column: str) -> list:
    """A column's values as Python objects (None where the table has no such column)."""
    return facts[column].tolist() if column in facts.columns else [None] * len(facts)


def _texts(column: pd.Series) -> list[str]:
    """A column as text, "" where missing."""
    return ["" if is_missing(v) else str(v) for v in column.tolist()]


def compare_facts(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Both tables aligned row by row, in the new table's order (then the rows only the old one
    has): the key, the kind, `presence` (both, old, new), `old_<f>` and `new_<f>` for every
    compared figure f, the four source cells old and new, and `moved`: the figures that differ,
    joined by ';' (empty: nothing moved)."""
    before, after = _keyed(old), _keyed(new)
    records = []
    for key in [*after, *(k for k in before if k not in after)]:
        was, now = before.get(key), after.get(key)
        presence = PRESENT_BOTH if was and now else (ONLY_OLD if was else ONLY_NEW)
        record = dict(zip(KEY, key, strict=True))
        record["kind"] = (now or was)["kind"]
        # the decimals of its percentages (two for a share of a few percent)
        record["digits"] = percent_digits(record["kind"], (now or was)["milestone"])
        record["presence"] = presence
        moved = []
        for f in COMPARED:
            a, b = (was or {}).get(f), (now or {}).get(f)
            record[f"old_{f}"], record[f"new_{f}"] = a, b
            if not _same(f, a, b):
                moved.append(f)
        for source in SOURCE_OF.values():
            record[f"old_{source}"] = (was or {}).get(source, "")
            record[f"new_{source}"] = (now or {}).get(source, "")
        record["moved"] = ";".join(moved)
        records.append(record)
    columns = [*KEY, "kind", "digits", "presence",
               *(f"{w}_{f}" for f in COMPARED for w in ("old", "new")),
               *(f"{w}_{s}" for s in SOURCE_OF.values() for w in ("old", "new")), "moved"]
    return pd.DataFrame(records, columns=columns, dtype=object)


def difference(field: str, old: object, new: object, digits: int = 1) -> object:
    """new - old for a figure; for a completion, in points between the percentages as printed
    with `digits` decimals (51.3% -> 89.5% is 38.2, as the report's change table says); None
    for a status or a figure missing on either side."""
    if field == "status" or old is None or new is None:
        return None
    if field == "completion":
        return half_up(percent(new, digits) - percent(old, digits), digits)
    return new - old


def moved_figures(comparison: pd.DataFrame) -> pd.DataFrame:
    """One row per figure or status that moved: the key, kind, field, old, new, difference
    (new - old, a completion's in points; None for a status), the decimals of a completion's
    percentages, and the source cell of that figure before and after (empty
    for a figure computed from others: completion, due_units, shortfall, status, rank)."""
    rows = []
    for record in _records(comparison[comparison["moved"] != ""]):
        for f in record["moved"].split(";"):
            if f == "judged_figure" and _judged_is_figure(record):
                continue  # the same figure twice says nothing more
            source = SOURCE_OF.get(f)
            old, new = record[f"old_{f}"], record[f"new_{f}"]
            rows.append([*(record[k] for k in KEY), record["kind"], f, old, new,
                         difference(f, old, new, record["digits"]), record["digits"],
                         record[f"old_{source}"] if source else "",
                         record[f"new_{source}"] if source else ""])
    return pd.DataFrame(rows, columns=MOVED_COLUMNS, dtype=object)


def _records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts of the Python objects it holds (DataFrame.to_dict boxes every
    value again: seconds for a province)."""
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True))
            for row in zip(*(frame[c].tolist() for c in columns), strict=True)]


def _judged_is_figure(record: dict) -> bool:
    """The judged figure is the figure itself on both sides (not a stage count)."""
    return (record["old_judged_figure"] == record["old_figure"]
            and record["new_judged_figure"] == record["new_figure"])


def source_file(cell: str) -> str:
    """The input file of a source cell: `2018/progress/2018-06-30.xlsx!进度!N5` or a CSV line
    `2018/progress/2018-04-30.csv:17` -> the path."""
    if "!" in cell:
        return cell.split("!", 1)[0]
    head, _, line = cell.rpartition(":")
    return head if line.isdigit() else cell


def moved_cells(moved: pd.DataFrame, changed_files: set[str]) -> pd.DataFrame:
    """The input cells behind moved figures that lie in a file whose bytes changed (present in
    both reports with another hash): cell, the figure's old and new value, and the rows it
    moved. A figure whose source moved to another file (a later return) is not a changed cell:
    its file is new, not edited."""
    cells: dict[str, dict] = {}
    for row in moved.itertuples():
        if not row.new_source or row.old_source != row.new_source:
            continue
        if source_file(row.new_source) not in changed_files:
            continue
        entry = cells.setdefault(row.new_source, {"cell": row.new_source, "field": row.field,
                                                  "old": row.old,
                                                  "new": row.new, "rows": []})
        where = (row.unit, row.indicator, row.step)
        if where not in entry["rows"]:
            entry["rows"].append(where)
    return pd.DataFrame(list(cells.values()), columns=["cell", "field", "old", "new", "rows"],
                        dtype=object)
