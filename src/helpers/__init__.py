"""Reproducible target-tracking reports: ingest, metrics, commentary, publishing."""

import os
import sys

# openpyxl switches to lxml whenever lxml is installed (python-docx brings it): its workbooks
# would then be different bytes, and received workbooks would no longer be parsed through
# defusedxml. openpyxl reads this once, when first imported; helpers.core.reproducible_files refuses
# to save if it came too late.
os.environ.setdefault("OPENPYXL_LXML", "False")

# jsonschema, under nbformat and papermill, imports rfc3987_syntax when it is installed (it comes
# with JupyterLab's dependencies), which builds a grammar at import: 1.7 s of every command.
# Only jsonschema's "iri" string formats use it (an optional import there), and no notebook
# schema has them; a None entry makes that import fail as if it were not installed.
sys.modules.setdefault("rfc3987_syntax", None)

__version__ = "0.1.0"
