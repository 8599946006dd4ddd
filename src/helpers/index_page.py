"""<out_dir>/index.html: every published report, newest first, with links; works offline."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.atomic_io import write_text_atomic
from helpers.labels import label
from helpers.manifest import MANIFEST_NAME
from helpers.parameters import PERIODS
from helpers.report_html import esc, report_title
from helpers.status_rules import BEHIND, GOOD

INDEX_NAME = "index.html"


def published_reports(out_dir: Path) -> list[dict]:
    """Manifests of the published reports under out_dir (<year>/<period>/manifest.json),
    newest report date first."""
    found = []
    for path in Path(out_dir).glob(f"*/*/{MANIFEST_NAME}"):
        year, period = path.parent.parent.name, path.parent.name
        if not year.isdigit() or period not in PERIODS:
            continue  # prior versions, failed builds, staging folders
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        manifest["_folder"] = f"{year}/{period}"
        found.append(manifest)
    return sorted(found, key=lambda m: (m.get("summary", {}).get("report_date", ""),
                                        m["_folder"]), reverse=True)


def _sum(counts: dict, statuses: tuple[str, ...]) -> str:
    """How many indicators of a manifest have one of `statuses` (blank when it does not say)."""
    values = [counts.get(s) for s in statuses]
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return str(sum(numbers)) if numbers else ""


def input_fingerprint(manifest: dict) -> str:
    """A short hash over the report's input hashes, to see at a glance what it was built from."""
    import hashlib

    joined = "".join(sorted(r["sha256"] for r in manifest.get("inputs", [])))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def render_index(out_dir: Path, lang: str = "zh") -> str:
    """The index page as HTML."""
    from helpers.parameters import parameters_from_dict

    rows = []
    for manifest in published_reports(out_dir):
        params = parameters_from_dict(manifest["parameters"])
        summary = manifest.get("summary", {})
        counts = summary.get("counts", {})
        folder = manifest["_folder"]
        # the documents only where the run made them (report.pdf is optional)
        documents = {r.get("path") for r in manifest.get("outputs", [])} & {"report.docx",
                                                                             "report.pdf"}
        links = " ".join(f'<a href="{esc(folder)}/{name}">{esc(text)}</a>' for name, text in (
            ("report.html", "HTML"), ("report.docx", "Word"), ("report.pdf", "PDF"),
            ("report.xlsx", "Excel"), ("report.ipynb", "Notebook"), (MANIFEST_NAME, "Manifest"))
            if not name.endswith((".docx", ".pdf")) or name in documents)
        rows.append(
            "<tr>"
            f"<td>{params.year}</td><td>{esc(label(f'period.{params.period}', lang))}</td>"
            f'<td><a href="{esc(folder)}/report.html">{esc(report_title(params))}</a></td>'
            f"<td>{esc(summary.get('report_date', ''))}</td>"
            f"<td>{esc(summary.get('data_as_of') or '—')}</td>"
            f"<td class=num>{_sum(counts, GOOD)}</td><td class=num>{_sum(counts, BEHIND)}</td>"
            f"<td>{links}</td><td><code>{input_fingerprint(manifest)}</code></td></tr>")
    headers = [label("misc.year", lang), label("head.period", lang), label("index.report", lang),
               label("misc.report_date", lang), label("misc.data_as_of", lang),
               label("index.good", lang), label("index.behind", lang), label("index.files", lang),
               label("index.inputs", lang)]
    body = ("".join(rows) if rows else
            f'<tr><td colspan="{len(headers)}">{esc(label("misc.no_items", lang))}</td></tr>')
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>'
        f"{esc(label('index.title', lang))}</title><style>"
        "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:4px 8px;"
        "text-align:left}td.num{text-align:right}th{background:#f0f0f0}"
        "</style></head><body>"
        f"<h1>{esc(label('index.title', lang))}</h1>"
        f'<table id="reports"><thead><tr>{"".join(f"<th>{esc(h)}</th>" for h in headers)}'
        f"</tr></thead><tbody>{body}</tbody></table></body></html>\n")


def write_index(out_dir: Path, lang: str = "zh") -> Path:
    """Rebuild <out_dir>/index.html atomically."""
    path = Path(out_dir) / INDEX_NAME
    write_text_atomic(path, render_index(out_dir, lang))
    return path
