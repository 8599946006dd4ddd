"""The page's main text, 附件说明 and 落款: helpers.words.main_text rendered as HTML, in the
same parts and words as report.docx (helpers.render.document_blocks.main_text_section)."""

from __future__ import annotations

from helpers.metrics.report_data import ReportData
from helpers.render.html_page import heading
from helpers.render.html_table import esc
from helpers.words.document_plan import annexes
from helpers.words.labels import document_issuer, heading_number, label, signing_date


def _runs(items: tuple) -> str:
    return "".join(f"<strong>{esc(r.text)}</strong>" if r.bold else esc(r.text)
                   for r in items)


def written_html(blocks, top: int) -> str:
    """Written-section blocks (helpers.words.written_sections.Block) as HTML, their headings
    from <h`top`> down in the order of their levels."""
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    shift = {level: min(top + n, 6) for n, level in enumerate(levels)}
    parts = []
    for block in blocks:
        if block.kind == "heading":
            tag = f"h{shift[block.level]}"
            parts.append(f'<{tag} id="written-line-{block.line}">{_runs(block.runs)}</{tag}>')
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{_runs(i)}</li>" for i in block.items)
                         + f"</{tag}>")
        else:
            parts.append(f"<p>{_runs(block.runs)}</p>")
    return "".join(parts)


def _lines(lines: tuple[str, ...]) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


def main_text_section(data: ReportData) -> str:
    """The opening, each part under its numbered heading, then 附件说明 and the 落款."""
    text = data.main_text
    parts = [_lines(text.opening), written_html(text.preface, 3)]
    for part in text.parts:
        parts.append(heading(data, part.key))
        if part.note:
            parts.append(f'<p class="note">{esc(part.note)}</p>')
        parts.append(_lines(part.before))
        numbers = iter(range(1, len(part.written) + 1))
        for written in part.written:
            if written.heading:  # numbered as report.docx numbers it: （一）主要做法
                number = heading_number(2, next(numbers), data.params.lang)
                parts.append(f"<h3>{esc(number + written.heading)}</h3>")
            parts.append(f'<div class="written">'
                         f'{written_html(written.blocks, 4 if written.heading else 3)}</div>')
        parts.append(_lines(part.after))
    return ('<section class="main-text" id="main-text">' + "".join(parts)
            + sign_off(data) + "</section>")


def sign_off(data: ReportData) -> str:
    """附件说明 (附件：1．… with the further items under the first) and the 落款."""
    lang, params = data.params.lang, data.params
    items = [label("annex.list_item", lang).format(n=a.number, title=a.title)
             for a in annexes(data)]
    listed = "".join(f"<li>{esc(item)}</li>" for item in items)
    return (f'<div class="sign-off" id="sign-off"><div class="annex-list">'
            f'<span>{esc(label("annex.list_head", lang))}</span><ol>{listed}</ol></div>'
            f'<p class="signature">{esc(document_issuer(params))}<br/>'
            f'{esc(signing_date(params))}</p></div>')
