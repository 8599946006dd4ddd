"""The words of a report, added to its computed data: the analysts' written sections, checked
against every figure, and the generated findings. The pipeline's step between metrics and
render."""

from __future__ import annotations

from helpers.core.parameters import ReportParameters
from helpers.ingest.returns import IngestResult
from helpers.metrics.report_data import ReportData, build_report_data
from helpers.words.findings import all_sections
from helpers.words.written_sections import load_narrative


def check_written_sections(data: ReportData) -> ReportData:
    """`data` with its written sections parsed and checked against its figures (raises
    InputRejected naming file and line for every wrong number or name)."""
    data.narrative = load_narrative(data, data.narrative_source)
    return data


def write_findings(data: ReportData) -> ReportData:
    """`data` with its generated findings (helpers.words.findings), written once for the page
    and the document."""
    data.findings = all_sections(data)
    return data


def with_words(data: ReportData) -> ReportData:
    """`data` with its checked written sections and its findings."""
    return write_findings(check_written_sections(data))


def build_report(params: ReportParameters, result: IngestResult | None = None) -> ReportData:
    """A report's data and words, from the raw inputs (ingested unless `result` is given)."""
    return with_words(build_report_data(params, result))
