"""report.docx with its tables' rows kept as text until saved has the bytes of the one whose
rows were parsed into python-docx's element tree (the tree of a province's report would take
~800 MB); a brief's blocks and an English edition too."""

from __future__ import annotations

import io

import pytest

from helpers.core.parameters import ReportParameters
from helpers.core.reproducible_files import document_timestamp, normalized_zip
from helpers.render import word_tables
from helpers.render.document_blocks import report_blocks
from helpers.render.word import build_document, docx_bytes
from helpers.words.report_text import build_report


def _through_the_tree(data, blocks=None) -> bytes:
    raw = io.BytesIO()
    build_document(data, blocks).save(raw)
    return normalized_zip(raw.getvalue(), document_timestamp(data.params.drafted_on))


@pytest.mark.parametrize("params", [ReportParameters(period="H1"),
                                    ReportParameters(period="FY", lang="en")])
def test_rows_as_text_give_the_same_document(params):
    data = build_report(params)
    kept = build_document(data, rows_as_text=True)._helpers_table_rows
    assert len(kept) >= 5 and all(rows.startswith(b"<w:tr>") for rows in kept)
    assert docx_bytes(data) == _through_the_tree(data)
    blocks = report_blocks(data)[:12]
    assert docx_bytes(data, blocks) == _through_the_tree(data, blocks)


def test_a_table_without_its_place_is_a_bug():
    document = build_document(build_report(ReportParameters(period="H1")), rows_as_text=True)
    insert = word_tables.with_rows(document)
    with pytest.raises(ValueError, match="places for the rows"):
        list(insert(b"<w:document>no tables here</w:document>"))
