"""Reproducible target-tracking reports: ingest, metrics, commentary, publishing."""

import os

# openpyxl switches to lxml whenever lxml is installed (python-docx brings it): its workbooks
# would then be different bytes, and received workbooks would no longer be parsed through
# defusedxml. openpyxl reads this once, when first imported; helpers.reproducible_xlsx refuses
# to save if it came too late.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
