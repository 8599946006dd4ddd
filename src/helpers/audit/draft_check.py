"""The office's edited Word draft checked against the report it came from (`check-draft`).

The office opens a published report.docx in Word or LibreOffice, edits the wording, and sends
the result. Before it goes out, every paragraph and table cell of the draft is compared with
the published report.docx: what is unchanged was written from the report's facts; what was
edited or added is checked as the analysts' written sections are (helpers.words
.written_sections and .written_claims): every typed number must be a figure of the report (of
the indicator or district its sentence names), every status word the status of what it
describes, every count of items or districts that count. An edited table cell is a figure
changed by hand: it is named with the value the report has. The facts are those of the
published report: its parameters are read from its manifest and its data rebuilt from the raw
inputs (as `verify` does).

The written-section checks do not read every sentence form the report writes (a group's count
of items, a shortfall summed over districts, the previous year's figure, the notes'
arithmetic): run on the published paragraphs themselves, they object to about one in six.
Those sentences were written from the facts. So in an edited paragraph, an objection is left
out only when the published paragraph it was edited from (the most alike) draws the same
objection as often, and what it objects to (the number, the status word) stands in a sentence
the office left exactly as published: an edit to another sentence is no finding; every
objection to a sentence the office changed, or wrote, is one.
"""

from __future__ import annotations

import collections
import dataclasses
import difflib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import InputFileError, InputRejected
from helpers.core.parameters import parameters_from_dict
from helpers.core.text_safety import one_line
from helpers.metrics.report_data import build_report_data
from helpers.publish.manifest import MANIFEST_NAME, read_manifest
from helpers.words.figure_registry import figure_registry
from helpers.words.report_text import with_words
from helpers.words.written_sections import render_narrative

QUOTED = 60  # characters of an edited paragraph quoted in a finding
SAME_PARAGRAPH = 1 / 3  # how alike (difflib's ratio) an edited paragraph is to its source


@dataclass
class DraftCheck:
    """What the draft says that the report does not, in the office's terms."""

    paragraphs: int = 0  # paragraphs of the draft
    cells: int = 0  # table cells of the draft
    edited: int = 0  # paragraphs and cells that differ from the published report.docx
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class _Document:
    paragraphs: list[str]
    tables: list[list[list[str]]]


def _plain(text: str) -> str:
    """A paragraph's text as compared: runs of whitespace (Word's and LibreOffice's spaces,
    tabs, line breaks) as one space, none at the ends."""
    return re.sub(r"\s+", " ", text).strip()


def read_docx(path: Path, name: str) -> _Document:
    """The body paragraphs and table cells of a .docx; InputFileError names the file when it is
    not one (an old .doc, a PDF, a damaged file)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(name, f"not a Word .docx file ({one_line(exc)})") from None
    except OSError as exc:
        raise InputFileError(name, f"cannot be read ({exc.strerror or exc})") from None
    paragraphs = [_plain(p.text) for p in document.paragraphs if _plain(p.text)]
    tables = [[[_plain(cell.text) for cell in row.cells] for row in table.rows]
              for table in document.tables]
    return _Document(paragraphs, tables)


def _quote(text: str) -> str:
    return "“" + (text if len(text) <= QUOTED else text[:QUOTED] + "…") + "”"


def check_draft(report_folder: Path, draft: Path, raw_dir: Path | None = None) -> DraftCheck:
    """Compare the edited `draft` with the published report in `report_folder` and check what
    was edited against the report's facts. Raises InputFileError (the draft or the published
    report is missing or not a .docx) and ManifestError."""
    report_folder = Path(report_folder)
    manifest = read_manifest(report_folder / MANIFEST_NAME)
    params = parameters_from_dict(manifest["parameters"])
    if raw_dir is not None:
        params = dataclasses.replace(params, raw_dir=str(raw_dir))
    published = read_docx(report_folder / "report.docx", "report.docx")
    edited = read_docx(Path(draft), Path(draft).name)
    data = with_words(build_report_data(params))
    registry = figure_registry(data)
    outcome = DraftCheck(paragraphs=len(edited.paragraphs),
                         cells=sum(len(row) for t in edited.tables for row in t))
    known = collections.Counter(published.paragraphs)
    for number, text in enumerate(edited.paragraphs, start=1):
        if known[text]:  # as published: written from the facts
            known[text] -= 1
            continue
        outcome.edited += 1
        source = edited_from(text, published.paragraphs)
        for message in _edit_claims(text, source, params.period, registry):
            outcome.findings.append(f"paragraph {number} {_quote(text)}: {message}")
    outcome.findings += _table_changes(published.tables, edited.tables, outcome)
    return outcome


def edited_from(text: str, published: list[str]) -> str | None:
    """The published paragraph `text` was most likely edited from (the most alike, if at least
    a third alike), or None for a paragraph the office wrote."""
    found = difflib.get_close_matches(text, published, n=1, cutoff=SAME_PARAGRAPH)
    return found[0] if found else None


def _edit_claims(text: str, source: str | None, period: str, registry) -> list[str]:
    """The objections to an edited paragraph that its edit is answerable for: all of them,
    but those the `source` paragraph draws as well (as often) about what stands in a sentence
    left exactly as published."""
    found = _claims(text, period, registry)
    if source is None or not found:
        return found
    drawn_before = collections.Counter(_claims(source, period, registry))
    published = set(sentences(source))
    untouched = [s for s in sentences(text) if s in published]
    left = []
    for message in found:
        subject = objected_to(message)
        if (drawn_before[message] and subject
                and any(all(part in s for part in subject) for s in untouched)):
            drawn_before[message] -= 1
            continue
        left.append(message)
    return left


_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def sentences(text: str) -> list[str]:
    """A paragraph's sentences and clauses, each with the mark that ends it."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


# The written-section checks' objections begin with what they object to: "number 91 …",
# "says '超额完成' of …", "says 46项'按期完成', but …" (helpers.words.written_claims)
_OBJECTED_TO = re.compile(r"^(?:number (?P<number>\S+) |says (?P<count>\d+)?\S*?"
                          r"(?P<word>'[^']+'|\"[^\"]+\"))")


def objected_to(message: str) -> tuple[str, ...]:
    """What an objection is about, as the paragraph has it (a number as typed, a status word,
    a count and its word); () where the message does not say (it is then always kept)."""
    found = _OBJECTED_TO.match(message)
    if found is None:
        return ()
    if found["number"]:
        return (found["number"],)
    word = found["word"][1:-1]
    return (found["count"], word) if found["count"] else (word,)


def _claims(text: str, period: str, registry) -> list[str]:
    """What an edited paragraph says that the facts do not (the written-section checks)."""
    try:
        render_narrative(text, "draft", period, registry)
    except InputRejected as exc:
        return [_for_the_office(problem.message) for problem in exc.problems
                if problem.is_error]
    return []


def _for_the_office(message: str) -> str:
    """A written-section message without the advice meant for the analysts' Markdown file
    (references in {{ }}, numbers in backticks): in Word the office corrects the text."""
    message = re.sub(r"\. A number that is not data goes in backticks: `[^`]*`$", "", message)
    return re.sub(r", or reference it \(\{\{ [^}]* \}\}\)", "", message)


def _table_changes(published: list, edited: list, outcome: DraftCheck) -> list[str]:
    """Every table cell of the draft that is not the published one, named by its table, row
    (its first cell) and column (its header)."""
    findings = []
    if len(published) != len(edited):
        findings.append(f"the draft has {len(edited)} tables, the report {len(published)}: "
                        "the tables are compared in order as far as both go")
    for number, (mine, theirs) in enumerate(zip(edited, published, strict=False), start=1):
        header = theirs[0] if theirs else []
        if len(mine) != len(theirs):
            findings.append(f"table {number}: the draft has {len(mine)} rows, the report "
                            f"{len(theirs)}")
        for row_number, (row, original) in enumerate(zip(mine, theirs, strict=False)):
            for column, (cell, expected) in enumerate(zip(row, original, strict=False)):
                if cell == expected:
                    continue
                outcome.edited += 1
                where = (f"table {number}, row {row_number} ({original[0]}), column "
                         f"{header[column] if column < len(header) else column + 1}")
                findings.append(f"{where}: the draft says {_quote(cell)}, the report "
                                f"{_quote(expected)}")
    return findings


__all__ = ["DraftCheck", "check_draft", "read_docx"]
