"""Shared fixtures: the bundled raw data, and reports built once per session (building one
takes ~15 s, so the end-to-end, provenance and browser tests share them).

The tests: unit/<phase>/ test each phase of helpers (core, ingest, metrics, words, render,
notebook, demo); back/ compares whole outputs with committed ground truth; system/ runs the
commands as users do (browser, schedule, hostile inputs, publishing, scale)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from helpers.core.parameters import ReportParameters
from helpers.core.paths import PROJECT_ROOT, RAW_DIR

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Tests live by kind and phase (unit/<phase>/, back/, system/); the shared builders of small
# raw folders (ingest_builders.py) sit here, beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW_DIR


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests leave files for a human to look at (screenshots); ignored by git."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory) -> dict[str, Path]:
    """The 2018 H1 and FY reports built from the bundled data with `run_report`."""
    from helpers.publish.report_pipeline import run_report

    out = tmp_path_factory.mktemp("reports")
    folders = {}
    for period in ("H1", "FY"):
        folders[period] = run_report(ReportParameters(year=2018, period=period), out).folder
    return folders


@pytest.fixture(scope="session")
def built_briefs(built_reports) -> dict[str, Path]:
    """Briefs beside the reports of `built_reports`: H1 by district (with PDFs), FY by group
    (without)."""
    from helpers.publish.brief_pipeline import run_briefs

    out = built_reports["H1"].parent.parent
    return {"H1": run_briefs(ReportParameters(year=2018, period="H1"), "district", out).folder,
            "FY": run_briefs(ReportParameters(year=2018, period="FY", pdf=False), "group",
                             out).folder}


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A private copy of data/raw to edit in a test (raw data itself is never edited)."""
    target = tmp_path / "data" / "raw"
    shutil.copytree(RAW_DIR, target)
    return target


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
