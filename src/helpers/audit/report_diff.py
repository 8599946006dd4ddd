"""`diff`: what changed between two published reports (period to period, or a report published
twice). Each folder's manifest and tables/facts.csv are read as untrusted (bounded reads, the
facts' bytes checked against the manifest's hash); the comparison itself is
helpers.metrics.comparison's, the words helpers.words.change_words', the page and workbook
helpers.render.comparison_outputs'. The input files are compared by the manifests' records
(path and SHA-256); the input cells that changed are the source cells of moved figures that lie
in a file present in both reports with another hash."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.atomic_io import write_bytes_atomic, write_text_atomic
from helpers.core.errors import InputFileError, ManifestError, ReportError
from helpers.core.limits import MAX_OUTPUT_FILE_BYTES
from helpers.core.parameters import parameters_from_dict
from helpers.core.paths import display_path
from helpers.core.safe_read import read_bounded
from helpers.ingest.catalog import Stage, load_stages
from helpers.metrics.comparison import compare_facts, facts_from_csv, moved_cells, moved_figures
from helpers.publish.manifest import MANIFEST_NAME, read_manifest
from helpers.render.comparison_outputs import ComparisonTables, comparison_html, comparison_xlsx
from helpers.words.change_words import (
    Names,
    cell_line,
    comparison_title,
    file_change_label,
    moved_line,
    nothing_moved,
    stage_names,
)
from helpers.words.labels import label

FACTS = "tables/facts.csv"
TABLE = "tables/district_indicator.csv"
FILE_COLUMNS = ["path", "how", "old_sha256", "new_sha256"]


@dataclass(frozen=True)
class Published:
    """One published report as the diff reads it: its folder, manifest, judged facts and the
    indicators' names as it printed them."""

    folder: Path
    manifest: dict
    facts: pd.DataFrame
    names: dict[str, str]


@dataclass(frozen=True)
class ReportDiff:
    """Two reports compared: the moved figures, the changed input cells and files."""

    old: Published
    new: Published
    moved: pd.DataFrame
    cells: pd.DataFrame
    files: pd.DataFrame

    @functools.cached_property
    def stages(self) -> tuple[Stage, ...]:
        """The stages of the catalogues of both reports' raw folders (the newer one's last),
        read once for the console, the page and the workbook."""
        folders = dict.fromkeys(_raw_folder(report) for report in (self.old, self.new))
        return tuple(stage for folder in folders if folder is not None
                     for stage in _catalogue_stages(folder))

    @property
    def changed(self) -> bool:
        """Anything moved: a figure, a status or an input file."""
        return bool(len(self.moved) or len(self.files))


def _published_bytes(folder: Path, manifest: dict, rel: str, required: bool) -> bytes | None:
    """A published output's bytes, checked against the manifest's record of it."""
    record = next((o for o in manifest["outputs"] if o["path"] == rel), None)
    if record is None:
        if required:
            raise ManifestError(f"{display_path(folder)}: the manifest records no {rel} (a "
                                "report published before facts.csv existed cannot be compared)")
        return None
    try:
        data = read_bounded(folder / rel, rel, root=folder, limit=MAX_OUTPUT_FILE_BYTES)
    except InputFileError as exc:
        raise ManifestError(f"{display_path(folder)}: {exc}") from None
    if hashlib.sha256(data).hexdigest() != record["sha256"]:
        raise ManifestError(f"{display_path(folder / rel)} is not the file its manifest "
                            f"records (sha256 {record['sha256']}): run verify")
    return data


def read_published(folder: Path) -> Published:
    """A published report folder (<out_dir>/<year>/<period>): its manifest, its facts.csv
    (checked against the manifest) and its indicators' names (from district_indicator.csv)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ManifestError(f"{display_path(folder)}: no such report folder")
    manifest = read_manifest(folder / MANIFEST_NAME)
    text = _published_bytes(folder, manifest, FACTS, required=True).decode("utf-8")
    header = next(csv.reader(io.StringIO(text)), [])
    missing = [c for c in ("level", "unit", "indicator", "step", "figure", "status")
               if c not in header]
    if missing:
        raise ManifestError(f"{display_path(folder / FACTS)}: no column {missing[0]}")
    facts = facts_from_csv(text)
    names: dict[str, str] = {}
    table = _published_bytes(folder, manifest, TABLE, required=False)
    if table is not None:
        for row in csv.DictReader(io.StringIO(table.decode("utf-8"))):
            names.setdefault(row.get("indicator", ""), row.get("indicator_name", ""))
    return Published(folder, manifest, facts, names)


def input_file_changes(old: dict, new: dict) -> pd.DataFrame:
    """The input files of two manifests that differ: changed (both, another hash), added,
    removed; by path."""
    before = {r["path"]: r["sha256"] for r in old["inputs"]}
    after = {r["path"]: r["sha256"] for r in new["inputs"]}
    rows = []
    for path in sorted(set(before) | set(after)):
        was, now = before.get(path), after.get(path)
        if was == now:
            continue
        how = "changed" if was and now else ("added" if now else "removed")
        rows.append((path, how, was or "", now or ""))
    return pd.DataFrame(rows, columns=FILE_COLUMNS)


def diff_reports(old_folder: Path, new_folder: Path) -> ReportDiff:
    """Compare two published reports: every figure and status that moved, the input files
    that differ and the input cells behind the moved figures that changed."""
    old, new = read_published(old_folder), read_published(new_folder)
    moved = moved_figures(compare_facts(old.facts, new.facts))
    files = input_file_changes(old.manifest, new.manifest)
    changed = set(files.loc[files["how"] == "changed", "path"])
    return ReportDiff(old, new, moved, moved_cells(moved, changed), files)


def _names(diff: ReportDiff, lang: str = "zh") -> Names:
    """The indicators' names as the reports printed them (the newer one's first) and their
    stages' (change_words.stage_key) from the catalogues of the reports' raw folders (the
    newer one's first)."""
    return {**diff.old.names, **{k: v for k, v in diff.new.names.items() if v},
            **stage_names(diff.stages, lang)}


def _raw_folder(report: Published) -> Path | None:
    """The raw folder a report was built from, as its manifest records it."""
    try:
        return parameters_from_dict(report.manifest["parameters"]).raw_path
    except (ReportError, KeyError, TypeError, ValueError):
        return None


def _catalogue_stages(raw: Path) -> list[Stage]:
    """The stages of the catalogue in `raw`, or none where it is no longer there or not
    readable (the comparison then shows the stages' codes, as the published tables hold
    them)."""
    try:
        return load_stages(raw)
    except (ReportError, OSError):
        return []


def report_line(report: Published, lang: str) -> str:
    """A compared report as named: 2018年上半年（数据截至2018-06-30，reports/2018/H1）."""
    params = report.manifest["parameters"]
    summary = report.manifest["summary"]
    return label("change.report", lang).format(
        year=params.get("year"), period=label(f"period.{params.get('period')}", lang),
        as_of=summary.get("data_as_of") or summary.get("report_date"),
        folder=display_path(report.folder))


def _short(report: Published, lang: str) -> str:
    params = report.manifest["parameters"]
    period = label(f"period.{params.get('period')}", lang)
    return f"{params.get('year')} {period}"


def _tables(diff: ReportDiff, lang: str) -> ComparisonTables:
    title = comparison_title(_short(diff.old, lang), _short(diff.new, lang), lang)
    return ComparisonTables(title, [report_line(diff.old, lang), report_line(diff.new, lang)],
                            diff.moved, diff.cells, diff.files, _names(diff, lang), lang)


def _heading(key: str, count: int, lang: str) -> str:
    return label("change.heading", lang).format(
        heading=label(key, lang), count=label("change.count", lang).format(n=count))


def diff_lines(diff: ReportDiff, lang: str = "zh") -> list[str]:
    """The comparison as console lines: the two reports, the input files that differ, the
    input cells that changed, every moved figure (one line each), and a closing summary."""
    names = _names(diff, lang)
    lines = [comparison_title(report_line(diff.old, lang), report_line(diff.new, lang), lang),
             _heading("change.sec.files", len(diff.files), lang)]
    for row in diff.files.itertuples():
        shas = f"  sha256 {row.old_sha256 or '-'} -> {row.new_sha256 or '-'}"
        lines.append(f"  {file_change_label(row.how, lang)} {row.path}{shas}")
    lines.append(_heading("change.sec.cells", len(diff.cells), lang))
    for row in diff.cells.itertuples():
        lines.append("  " + cell_line(row.cell, row.field, row.old, row.new, row.rows, names,
                                      lang))
    lines.append(_heading("change.sec.figures", len(diff.moved), lang))
    lines += ["  " + moved_line(row, names, lang) for row in diff.moved.itertuples()]
    if not diff.changed:
        lines.append(nothing_moved(lang))
    return lines


def _day(report: Published) -> dt.date:
    summary = report.manifest["summary"]
    return dt.date.fromisoformat(summary.get("data_as_of") or summary["report_date"])


def write_diff_html(diff: ReportDiff, path: Path, lang: str = "zh") -> None:
    """The comparison as one offline HTML page at `path`."""
    write_text_atomic(Path(path), comparison_html(_tables(diff, lang)))


def write_diff_xlsx(diff: ReportDiff, path: Path, lang: str = "zh") -> None:
    """The comparison as a workbook at `path` (the same bytes for the same two reports)."""
    write_bytes_atomic(Path(path), comparison_xlsx(_tables(diff, lang), _day(diff.new)))
