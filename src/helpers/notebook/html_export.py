"""The executed notebook as the report's offline HTML page: no code, no prompts, the cells the
report leaves out removed, a fixed title, the page shell of templates/report."""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat

from helpers.core.parameters import ReportParameters
from helpers.words.labels import report_title

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


REMOVED_TAGS = {"remove-from-report", "parameters", "injected-parameters"}


def export_html(notebook, params: ReportParameters) -> str:
    """The notebook as an offline HTML report without code, with a fixed title."""
    copy = nbformat.from_dict(notebook)
    copy.metadata["title"] = report_title(params)
    body, _ = _exporter(params.lang).from_notebook_node(
        copy, resources={"metadata": {"name": "report"}})
    return body


@functools.cache
def _exporter(lang: str):
    """One exporter per language and process: its templates are compiled once (~0.06 s a
    page), for the page printed early and the page exported (helpers.publish.early_print)."""
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.HTMLExporter.template_name = "report"
    # ISO 639-1 only: "zh-CN" falls back to "en" (and the browser picks Japanese glyphs)
    config.HTMLExporter.language_code = lang
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = REMOVED_TAGS
    return _report_exporter_class()(config=config)


@functools.cache
def _report_exporter_class():
    """nbconvert's HTMLExporter without its last pass, which parses the whole page again with
    BeautifulSoup to give images without alt text a placeholder and make each cell focusable:
    every image of the report has its own alt text (tests/system/test_report_end_to_end.py checks),
    the report has no code cells and its outputs are a document's sections. The pass took
    over half the export's time."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # what HTMLExporter.from_notebook_node sets up before rendering the template
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer="python", parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportHTMLExporter
