"""The analysts' written-section files (data/raw/<year>/narrative/<period>.md): where they are
and which names the folder may hold. Their text is parsed and checked by
helpers.words.written_sections."""

from __future__ import annotations

import datetime as dt

from helpers.core.limits import MAX_WRITTEN_SECTION_LINE
from helpers.core.parameters import PERIOD_END, PERIODS
from helpers.core.problems import Problem, line_location
from helpers.core.text_safety import character_name, unusable_character

NARRATIVE_DIR = "narrative"


# The edition a written-section file belongs to, by the suffix before .md: H1.md is the Chinese
# report's, H1.en.md the English edition's.
EDITION_SUFFIX = {"zh": "", "en": ".en"}


def narrative_rel(year: int, period: str, lang: str = "zh") -> str:
    """Where a period's written sections for a report language are, relative to the raw
    folder."""
    return f"{year}/{NARRATIVE_DIR}/{period}{EDITION_SUFFIX[lang]}.md"


def edition_of(rel: str) -> str:
    """The report language a written-section file is for (H1.en.md: en)."""
    return next((lang for lang, suffix in EDITION_SUFFIX.items()
                 if suffix and rel.endswith(f"{suffix}.md")), "zh")


def narrative_files(snapshot, year: int) -> tuple[list[tuple[str, dt.date]], list[Problem]]:
    """The narrative files of a year in the run's snapshot of the inputs, as (path relative to
    the raw folder, the date of the report they belong to), and a problem for every other file
    in the folder."""
    folder = f"{year}/{NARRATIVE_DIR}"
    files: list[tuple[str, dt.date]] = []
    problems: list[Problem] = []
    for name in snapshot.listing(folder):
        rel = f"{folder}/{name}"
        stem, _, suffix = name.rpartition(".")
        period = next((p for p in PERIODS for edition in EDITION_SUFFIX.values()
                       if stem == p + edition), None)
        if rel in snapshot.refused:
            continue  # its problem is listed already
        if suffix == "md" and period is not None:
            month, day = PERIOD_END[period]
            files.append((rel, dt.date(year, month, day)))
        else:
            problems.append(Problem(rel, "", "unexpected file: the written sections of a report "
                                             f"are named {', '.join(p + '.md' for p in PERIODS)}"
                                             " (the English edition's Q1.en.md, ...)"))
    return files, problems


def written_section_problems(rel: str, data: bytes) -> list[Problem]:
    """What makes a written-section file unusable before its text is even parsed: bytes that
    are not UTF-8, or a character no published text may hold (a control character such as NUL
    or ESC, a noncharacter, a bidirectional override), named by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [Problem(rel, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_WRITTEN_SECTION_LINE:
            problems.append(Problem(rel, line_location(number),
                                    f"line of {len(line)} characters; a line holds at most "
                                    f"{MAX_WRITTEN_SECTION_LINE} (break it into paragraphs)"))
            continue
        found = unusable_character(line.removesuffix("\r"))
        if found is not None:
            position, char = found
            problems.append(Problem(rel, line_location(number),
                                    f"character {character_name(char)} at column "
                                    f"{position + 1} is not text a report can print; remove it"))
    return problems
