"""<out_dir>/index.html: every published report, newest first, with links; works offline.

The manifests it lists are read as untrusted: a folder's manifest may be foreign, edited or
broken. Each value is checked for its type and escaped; a manifest that cannot be read is
named in a note and never fails the page (nor the run that rebuilds it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from helpers.core.atomic_io import write_text_atomic
from helpers.core.errors import InputFileError, ReportError
from helpers.core.limits import MAX_MANIFEST_BYTES
from helpers.core.parameters import PERIODS, ReportParameters, parameters_from_dict
from helpers.core.statuses import BEHIND, GOOD, STATUSES
from helpers.publish.manifest import MANIFEST_NAME
from helpers.render.page_templates import fragment, render_page, style_sheet
from helpers.words.labels import label, report_title

INDEX_NAME = "index.html"
# the two columns of the index: indicators done or on track, and those behind or missed
COLUMNS = (GOOD, BEHIND)
# helpers.render.brief_page.BY: <year>/<period>-briefs-<by>/, linked
BRIEF_BY = ("district", "group")
# the files of a report the index links, and their names there
FILES = (("report.html", "HTML"), ("report.docx", "Word"), ("report.pdf", "PDF"),
         ("report.xlsx", "Excel"), ("report.ipynb", "Notebook"), ("manifest.json", "Manifest"))
DOCUMENTS = ("report.docx", "report.pdf")  # linked only where the run made them (--pdf false)


@dataclass(frozen=True)
class IndexEntry:
    """What the index shows of one published report, every value checked for its type."""

    folder: str  # <year>/<period>, from the folder's own name
    params: ReportParameters
    report_date: str
    data_as_of: str
    counts: dict[str, int]
    fingerprint: str
    documents: frozenset[str] = frozenset()  # report.docx, report.pdf: where the run made them


def _iso_date(value: object) -> str:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return ""
    return ""


def _entry(path: Path, folder: str) -> IndexEntry | None:
    """The index entry of one manifest, or None when it cannot be read or is not this
    folder's (a foreign or broken manifest)."""
    from helpers.core.safe_read import read_bounded

    try:
        manifest = json.loads(read_bounded(path, folder, root=path.parents[2],
                                           limit=MAX_MANIFEST_BYTES))
        params = parameters_from_dict(manifest["parameters"])
    except (InputFileError, ReportError, ValueError, RecursionError, TypeError, KeyError):
        return None
    if f"{params.year}/{params.period}" != folder:
        return None
    summary = manifest.get("summary")
    summary = summary if isinstance(summary, dict) else {}
    counts = summary.get("counts")
    counts = {key: value for key, value in (counts.items() if isinstance(counts, dict) else ())
              if key in STATUSES and isinstance(value, int) and not isinstance(value, bool)}
    outputs = manifest.get("outputs")
    documents = frozenset(r.get("path") for r in outputs if isinstance(r, dict)
                          and r.get("path") in DOCUMENTS) if isinstance(outputs, list) else ()
    return IndexEntry(folder, params, _iso_date(summary.get("report_date")),
                      _iso_date(summary.get("data_as_of")), counts,
                      input_fingerprint(manifest), frozenset(documents))


def published_reports(out_dir: Path) -> tuple[list[IndexEntry], list[str]]:
    """The published reports under out_dir (<year>/<period>/manifest.json), newest report date
    first, and the folders whose manifest could not be read."""
    found, unreadable = [], []
    for path in Path(out_dir).glob(f"*/*/{MANIFEST_NAME}"):
        year, period = path.parent.parent.name, path.parent.name
        if not (year.isascii() and year.isdigit()) or period not in PERIODS:
            continue  # prior versions, failed builds, staging folders
        entry = _entry(path, f"{year}/{period}")
        if entry is None:
            unreadable.append(f"{year}/{period}")
        else:
            found.append(entry)
    found.sort(key=lambda e: (e.report_date, e.folder), reverse=True)
    return found, sorted(unreadable)


def _sum(counts: dict[str, int], statuses: tuple[str, ...]) -> str:
    """How many indicators of a report have one of `statuses` (blank when it does not say)."""
    present = [counts[s] for s in statuses if s in counts]
    return str(sum(present)) if present else ""


def input_fingerprint(manifest: dict) -> str:
    """A short hash over the report's input hashes, to see at a glance what it was built from."""
    inputs = manifest.get("inputs") if isinstance(manifest, dict) else None
    if not isinstance(inputs, list):
        return ""
    hashes = [r.get("sha256") for r in inputs if isinstance(r, dict)]
    joined = "".join(sorted(h for h in hashes if isinstance(h, str)))
    return hashlib.sha256(joined.encode("utf-8", "replace")).hexdigest()[:12]


def render_index(out_dir: Path, lang: str = "zh") -> str:
    """The index page as HTML (every value escaped, templates/index.html.j2)."""
    entries, unreadable = published_reports(out_dir)
    rows = []
    for entry in entries:
        params, folder = entry.params, entry.folder
        briefs = [(by, label("index.briefs", lang).format(by=label(f"brief.by.{by}", lang)))
                  for by in BRIEF_BY
                  if (Path(out_dir) / f"{folder}-briefs-{by}" / MANIFEST_NAME).is_file()]
        rows.append({
            "year": params.year, "period": label(f"period.{params.period}", lang),
            "folder": folder, "title": report_title(params),
            "report_date": entry.report_date, "data_as_of": entry.data_as_of or "—",
            "counts": [_sum(entry.counts, statuses) for statuses in COLUMNS],
            "files": [(name, text) for name, text in FILES
                      if name not in DOCUMENTS or name in entry.documents],
            "briefs": briefs, "fingerprint": entry.fingerprint})
    headers = [label("misc.year", lang), label("head.period", lang), label("index.report", lang),
               label("misc.report_date", lang), label("misc.data_as_of", lang),
               label("index.good", lang), label("index.behind", lang), label("index.files", lang),
               label("index.inputs", lang)]
    return render_page("index.html.j2", lang=lang, title=label("index.title", lang),
                       css=fragment(style_sheet("index.css")), headers=headers, rows=rows,
                       no_reports=label("misc.no_items", lang),
                       unreadable_label=label("index.unreadable", lang),
                       unreadable="、".join(unreadable))


def write_index(out_dir: Path, lang: str = "zh") -> Path:
    """Rebuild <out_dir>/index.html atomically."""
    path = Path(out_dir) / INDEX_NAME
    write_text_atomic(path, render_index(out_dir, lang))
    return path
