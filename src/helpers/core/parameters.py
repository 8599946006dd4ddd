"""The one typed parameter schema shared by the CLI, the notebooks and the manifest."""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass, fields
from pathlib import Path

from helpers.core.errors import ParameterError
from helpers.core.paths import PROJECT_ROOT

PERIODS = ("Q1", "H1", "Q3", "FY")
PERIOD_END = {"Q1": (3, 31), "H1": (6, 30), "Q3": (9, 30), "FY": (12, 31)}
LANGS = ("zh", "en")
RANKING_METHODS = ("on_track_share", "mean_completion")


@dataclass(frozen=True)
class RuleSettings:
    """The parameters of the rules (ReportParameters carries them from the CLI)."""

    serious_lag_pp: float = 10.0  # 严重滞后 at this many points below the milestone, or more
    tolerance_pp: float = 0.5  # 基本符合进度: short by at most this % of the target
    small_target_max: int = 2  # targets up to this are judged done / not done


@dataclass(frozen=True)
class ReportParameters:
    """Parameters of one report run; defaults build the 2018 mid-year report from bundled data."""

    year: int = 2018  # reporting year: data/raw/<year>/
    period: str = "H1"  # Q1, H1 (mid-year), Q3 or FY (year-end); the report date is its end
    lang: str = "zh"  # report language: zh or en
    serious_lag_pp: float = 10.0  # 严重滞后 at this many points below the milestone or more
    tolerance_pp: float = 0.5  # 基本符合进度: short by at most this % of the target
    small_target_max: int = 2  # targets up to this are judged done / not done by the deadline
    ranking_method: str = "on_track_share"  # 通报 ranking: on_track_share or mean_completion
    districts: list[str] | None = None  # subset of districts to report on; None = all
    raw_dir: str = "data/raw"  # raw data folder, relative to the project root or absolute
    cell_timeout_s: int = 300  # execution time limit of each notebook cell, seconds
    export: bool = False  # write tables/, report.xlsx and report.docx into the working folder
    demo_notice: bool = True  # say on the first screen when the returns are generated demo data
    # The document form (report.docx, report.pdf, the first screen): see document_form_problems.
    title: str | None = None  # document title; None = the generated one
    doc_number: str | None = None  # 文号, e.g. 温民〔2018〕35号; None = no 文号 line
    issuer: str | None = None  # 落款 (issuing body); None = the bureau of the bundled data
    drafting_date: str | None = None  # 成文日期 YYYY-MM-DD; None = the report date
    # 主送机关, the line above the text; None = the bundled notice's (seed 000)
    recipients: str | None = None
    pdf: bool = True  # print report.pdf from report.html with headless Chromium

    def __post_init__(self) -> None:
        problems = []
        if not 2000 <= self.year <= 2100:
            problems.append(f"year {self.year} is not a plausible reporting year")
        if self.period not in PERIODS:
            problems.append(f"period {self.period!r} is not one of {', '.join(PERIODS)}")
        if self.lang not in LANGS:
            problems.append(f"lang {self.lang!r} is not one of {', '.join(LANGS)}")
        if not 0 < self.serious_lag_pp <= 100:
            problems.append(f"serious_lag_pp {self.serious_lag_pp} must be in (0, 100]")
        if not 0 <= self.tolerance_pp < self.serious_lag_pp:
            problems.append(f"tolerance_pp {self.tolerance_pp} must be at least 0 and below "
                            f"serious_lag_pp ({self.serious_lag_pp})")
        if not 0 <= self.small_target_max <= 100:
            problems.append(f"small_target_max {self.small_target_max} must be 0..100")
        if self.ranking_method not in RANKING_METHODS:
            problems.append(f"ranking_method {self.ranking_method!r} is not one of "
                            f"{', '.join(RANKING_METHODS)}")
        if self.districts is not None and not self.districts:
            problems.append("districts, when given, must name at least one district")
        if not 1 <= self.cell_timeout_s <= 24 * 3600:
            problems.append(f"cell_timeout_s {self.cell_timeout_s} must be 1..86400")
        if self.period in PERIODS and 2000 <= self.year <= 2100:
            problems.extend(document_form_problems(self))
        if problems:
            raise ParameterError("; ".join(problems))

    @property
    def report_date(self) -> dt.date:
        """The period end."""
        month, day = PERIOD_END[self.period]
        return dt.date(self.year, month, day)

    @property
    def drafted_on(self) -> dt.date:
        """成文日期: drafting_date, or the report date when none is given (never today: the
        same parameters must give the same document)."""
        if self.drafting_date is None:
            return self.report_date
        return dt.date.fromisoformat(self.drafting_date)

    @property
    def is_draft(self) -> bool:
        """Whether the document lacks its 文号 or 成文日期: it is then a draft for comment
        (征求意见稿), and says so on its first page."""
        return self.doc_number is None or self.drafting_date is None

    @property
    def rules(self) -> RuleSettings:
        """The settings of the status rules."""
        return RuleSettings(serious_lag_pp=self.serious_lag_pp,
                            tolerance_pp=self.tolerance_pp,
                            small_target_max=self.small_target_max)

    @property
    def raw_path(self) -> Path:
        """raw_dir as an absolute path (relative ones are taken from the project root)."""
        path = Path(self.raw_dir)
        return path if path.is_absolute() else PROJECT_ROOT / path

    def as_dict(self) -> dict:
        """Plain values only (str/int/float/bool/None/list), safe to inject with papermill."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def replace(self, **changes) -> ReportParameters:
        return parameters_from_dict({**self.as_dict(), **changes})


# Lengths a document line can hold: the title spans at most two lines of 二号 type on A4,
# 文号 and 落款 one line each.
MAX_TITLE_CHARS = 60
MAX_FORM_LINE_CHARS = 30
MAX_RECIPIENTS_CHARS = 120  # 主送机关: several bodies, at most about three lines


def document_form_problems(params: ReportParameters) -> list[str]:
    """Checks of the form parameters. Texts are one line, not blank, of printable length.
    drafting_date is a real date in YYYY-MM-DD form, not before the report date (a document
    cannot report on a period before it ends) and not after the end of the next year (a
    mistyped year, e.g. 2081, is caught)."""
    problems = []
    limits = {"title": MAX_TITLE_CHARS, "doc_number": MAX_FORM_LINE_CHARS,
              "issuer": MAX_FORM_LINE_CHARS, "recipients": MAX_RECIPIENTS_CHARS}
    for name, limit in limits.items():
        value = getattr(params, name)
        if not isinstance(value, str):
            continue
        if not value.strip():
            problems.append(f"{name}, when given, must not be blank")
        elif any(not ch.isprintable() for ch in value):
            problems.append(f"{name} {value!r} must be one line of printable text")
        elif len(value.strip()) > limit:
            shown = value if len(value) <= limit + 20 else value[:limit] + "…"
            problems.append(f"{name} {shown!r} is longer than {limit} characters "
                            f"({len(value.strip()):,})")
        elif value != value.strip():
            problems.append(f"{name} {value!r} has spaces at either end")
    if isinstance(params.drafting_date, str):
        try:
            drafted = dt.date.fromisoformat(params.drafting_date)
            if len(params.drafting_date) != 10:
                raise ValueError
        except ValueError:
            problems.append(f"drafting_date {params.drafting_date!r} is not a date (YYYY-MM-DD)")
        else:
            latest = dt.date(params.year + 1, 12, 31)
            if drafted < params.report_date:
                problems.append(f"drafting_date {drafted} is before the report date "
                                f"{params.report_date}")
            elif drafted > latest:
                problems.append(f"drafting_date {drafted} is after {latest}, the end of the "
                                f"year after the report")
    return problems


def _public_fields():
    return list(fields(ReportParameters))


@functools.cache
def _declared_types() -> dict[str, object]:
    # evaluated once: with postponed annotations get_type_hints parses every annotation string
    # again on each call, ~0.15 ms, and the index page checks each publication's parameters
    return typing.get_type_hints(ReportParameters)


def _check_type(name: str, value) -> object:
    """Return `value` if it matches the annotation (ints accepted for floats), else raise."""
    hints = _declared_types()
    expected = hints[name]
    origin = typing.get_origin(expected)
    is_union = origin in (typing.Union, types.UnionType)
    allowed = typing.get_args(expected) if is_union else (expected,)
    for option in allowed:
        if option is type(None) and value is None:
            return None
        base = typing.get_origin(option) or option
        if base is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if base is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if base is bool and isinstance(value, bool):
            return value
        if base is str and isinstance(value, str):
            return value
        if base is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
    shown = " or ".join(getattr(a, "__name__", str(a)) for a in allowed)
    raise ParameterError(f"parameter {name}: {value!r} is not {shown}")


def parameters_from_dict(values: dict) -> ReportParameters:
    """Build parameters from plain values; unknown names and wrong types are rejected."""
    known = {f.name for f in _public_fields()}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ParameterError(f"unknown parameter(s): {', '.join(unknown)} "
                             f"(known: {', '.join(sorted(known))})")
    typed = {name: _check_type(name, value) for name, value in values.items()}
    return ReportParameters(**typed)


def parse_cli_value(name: str, text: str) -> object:
    """A command-line string converted to the parameter's declared type (no guessing)."""
    hints = _declared_types()
    if name not in {f.name for f in _public_fields()}:
        raise ParameterError(f"unknown parameter: {name}")
    expected = hints[name]
    args = [a for a in typing.get_args(expected) if a is not type(None)] or [expected]
    target = typing.get_origin(args[0]) or args[0]
    try:
        if target is bool:
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError("expected true or false")
            return lowered == "true"
        if target is int:
            return int(text)
        if target is float:
            return float(text)
        if target is list:
            return [part.strip() for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ParameterError(f"parameter {name}: {text!r} is not a {target.__name__}") from exc
    return text


def check_notebook_parameters(namespace: dict) -> ReportParameters:
    """Validate the parameters as the notebook's parameters cell left them (after papermill's
    injection); call right after that cell."""
    values = {f.name: namespace[f.name] for f in _public_fields() if f.name in namespace}
    return parameters_from_dict(values)
