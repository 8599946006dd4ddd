"""Reproducible target-tracking reports: ingest, metrics, commentary, publishing."""

__version__ = "0.1.0"
