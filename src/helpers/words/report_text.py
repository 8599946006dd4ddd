"""The words of a report, added to its computed data: the analysts' written sections, checked
against every figure, and the generated findings. The pipeline's step between metrics and
render."""

from __future__ import annotations

from helpers.core.parameters import ReportParameters
from helpers.ingest.returns import IngestResult
from helpers.metrics.report_data import ReportData, build_report_data
from helpers.words import findings
from helpers.words.findings_over_time import changes, data_quality, forward
from helpers.words.main_text import main_text
from helpers.words.written_sections import load_narrative


def check_written_sections(data: ReportData) -> ReportData:
    """`data` with its written sections parsed and checked against its figures (raises
    InputRejected naming file and line for every wrong number or name)."""
    data.narrative = load_narrative(data, data.narrative_source)
    return data


def write_findings(data: ReportData) -> ReportData:
    """`data` with its generated findings (helpers.words.findings) and the main text they make
    (helpers.words.main_text), written once for the page and the document."""
    data.main_text = None  # written afresh: nothing read from a previous account
    data.findings = all_sections(data)
    data.main_text = main_text(data)
    return data


def with_words(data: ReportData) -> ReportData:
    """`data` with its checked written sections and its findings."""
    return write_findings(check_written_sections(data))


def build_report(params: ReportParameters, result: IngestResult | None = None) -> ReportData:
    """A report's data and words, from the raw inputs (ingested unless `result` is given)."""
    return with_words(build_report_data(params, result))


def all_sections(data: ReportData) -> dict[str, list[str]]:
    """The generated findings the main text (helpers.words.main_text) and 附件1 read, keyed by
    part; the main text takes its other sentences (the ranking, the dated requirements, the
    year end) straight from helpers.words.findings, once."""
    sections = {
        "overall": findings.overall(data),
        "indicators": findings.indicators(data),
    }
    if not findings.is_year_end_view(data):
        sections["forward"] = forward(data)
    sections["changes"] = changes(data)
    sections["data_quality"] = data_quality(data)
    return sections
