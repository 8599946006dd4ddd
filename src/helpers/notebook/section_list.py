"""The report's sections in the order the notebook shows them, a cell each
(tools/make_notebooks.py writes the cells from this list)."""

REPORT_SECTIONS = ("first_screen", "contents", "main_text", "summary", "ranking", "checkpoints",
                   "lagging", "timeline", "changes", "ledger", "charts", "districts", "forward",
                   "appendix")
