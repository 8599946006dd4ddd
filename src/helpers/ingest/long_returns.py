"""Long CSV returns (district,indicator[,stage],as_of,value): read column by column.

A province's return holds ~100,000 lines that repeat a few thousand distinct texts, so every
distinct text of a column is looked up once (district, indicator and stage, date, value) and
the lines are only walked again where something is wrong. The problems are those a line by
line reading finds, in the same order: by line, and within a line district, indicator or
stage, date, value; a line with fields beyond the header, or repeating an earlier line's
figure, is named once."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import itertools
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd

from helpers.core.limits import MAX_CSV_FIELD_CHARS, MAX_CSV_LINES
from helpers.core.problems import Problem, line_location
from helpers.ingest.catalog import Catalog
from helpers.ingest.normalize import (
    NotADate,
    NotANumber,
    as_count,
    normalize_text,
    parse_date,
    parse_number,
)

NEEDED_COLUMNS = ["district", "indicator", "as_of", "value"]
FIGURE_COLUMNS = ("district", "indicator", "stage", "as_of", "value", "source")


@dataclass
class LongFigures:
    """A return's figures as columns, one value per figure in each (the order of
    FIGURE_COLUMNS): a province's million figures are never one Python object each."""

    district: list[str]
    indicator: list[str]
    stage: list[str]
    as_of: list
    value: list
    source: list[str]  # 2018/progress/x.csv:12, the line the figure is on

    @classmethod
    def none(cls) -> LongFigures:
        """No figures."""
        return cls([], [], [], [], [], [])

    def __len__(self) -> int:
        return len(self.source)

    def columns(self) -> list[list]:
        """The columns in the order of FIGURE_COLUMNS."""
        return [self.district, self.indicator, self.stage, self.as_of, self.value, self.source]

    def rows(self) -> list[tuple]:
        """One tuple per figure: (district, indicator, stage, as_of, value, source)."""
        return list(zip(*self.columns(), strict=True))


def decode(data: bytes) -> str | None:
    """A CSV's text: UTF-8 (with or without BOM) or GB18030, None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese offices often save CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


@contextlib.contextmanager
def _csv_field_limit(limit: int):
    """csv's field size limit is process-wide: set it for one read, then put it back."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def count_in(text: str) -> tuple[int | None, str]:
    """(count, "") or (None, why the text is not a count) of a return's value field."""
    if len(text) <= 15 and text.isascii() and text.isdigit():
        return int(text), ""  # the common case, as parse_number and as_count would read it
    try:
        number = parse_number(text)
        if number is None:
            return None, "empty value"
        return as_count(number), ""
    except NotANumber as exc:
        return None, str(exc)


@functools.lru_cache(maxsize=4096)
def parsed_date(text: str) -> tuple[object, str]:
    """(date, "") or (None, why it is not a date): parse_date, remembered for repeated text."""
    try:
        return parse_date(text), ""
    except NotADate as exc:
        return None, str(exc)


def _records(text: str, rel: str) -> tuple[list[list[str]], list[int]] | Problem:
    """The CSV's records and the line each ends on, or the one problem that stops reading."""
    # strict: an unterminated quote is an error, not a field that swallows the lines after it
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        with _csv_field_limit(MAX_CSV_FIELD_CHARS):
            for record in reader:
                if reader.line_num > MAX_CSV_LINES:
                    return Problem(rel, line_location(reader.line_num),
                                   f"more than {MAX_CSV_LINES:,} lines; refused")
                records.append(record)
                lines.append(reader.line_num)
    except csv.Error as exc:
        # named at the line its record starts on: an opening quote mark without its closing
        # one reads on to the field limit or the end of the file, where the reader gives up
        start = (lines[-1] if lines else 0) + 1
        ran_on = (f"; the record starting here runs on to line {reader.line_num}: is a quote "
                  "mark (\") on this line not closed?" if reader.line_num > start else "")
        return Problem(rel, line_location(start), f"not readable as CSV ({exc}){ran_on}")
    return records, lines


def _plain_columns(text: str) -> tuple[list[str], list[list[str]]] | None:
    """(header, the columns of the lines below it) of a CSV text the csv module would read as
    lines split at commas: no quote mark, no blank line, line breaks \\n or \\r\\n, every line
    with the header's number of fields, within the limits of lines and field length. None
    for any other text (the csv module reads it, line by line)."""
    if '"' in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or len(lines) > MAX_CSV_LINES or "" in lines:
        return None
    header, body = lines[0].split(","), lines[1:]
    width = len(header)
    if body and set(map(str.count, body, itertools.repeat(","))) != {width - 1}:
        return None
    if len(text) > MAX_CSV_FIELD_CHARS and max(map(len, lines)) > MAX_CSV_FIELD_CHARS:
        # a field may be too long (a line is): the csv module names it
        return None
    fields = []
    if body:  # each line break ends a field as a comma does (the last one ends the text)
        fields = text[len(lines[0]) + 1:].replace("\n", ",").split(",")
        if text.endswith("\n"):
            fields.pop()
    return header, [fields[i::width] for i in range(width)]


def read_long_return(data: bytes, rel: str, catalog: Catalog, year: int
                     ) -> tuple[list[tuple], list[Problem]]:
    """A long return's figures as rows (district, indicator, stage, as_of, value, source) and
    every problem found, each naming its line."""
    figures, problems = read_long_figures(data, rel, catalog, year)
    return figures.rows(), problems


def read_long_figures(data: bytes, rel: str, catalog: Catalog, year: int
                      ) -> tuple[LongFigures, list[Problem]]:
    """A long return's figures as columns and every problem found, each naming its line."""
    text = decode(data)
    if text is None:
        return LongFigures.none(), [Problem(rel, "", "not readable as UTF-8 or GB18030 text")]
    plain = _plain_columns(text)
    if plain is None:
        read = _records(text, rel)
        if isinstance(read, Problem):
            return LongFigures.none(), [read]
        records, lines = read
        if not records:
            return LongFigures.none(), [Problem(rel, line_location(1), "empty file; expected "
                                                "the header district,indicator,as_of,value")]
        header_record = records[0]
    else:
        header_record, columns = plain
    header = [normalize_text(h).lower() for h in header_record]
    missing = [c for c in NEEDED_COLUMNS if c not in header]
    if missing:
        return LongFigures.none(), [Problem(rel, line_location(1),
                                            f"missing column(s) {', '.join(missing)}; "
                                            "expected district,indicator,as_of,value")]
    at = {name: header.index(name) for name in NEEDED_COLUMNS}
    if "stage" in header:
        at["stage"] = header.index("stage")
    width = len(header)
    problems: list[tuple[int, Problem]] = []  # (line, problem), put in line order at the end
    blank = _blank_text()
    if plain is not None and not any(blank(t) for t in set(columns[at["district"]])):
        body_lines = range(2, len(columns[0]) + 2)  # no blank line: nothing to leave out
    else:
        if plain is not None:  # a blank district: maybe a blank line, look line by line
            records = [header_record, *map(list, zip(*columns, strict=True))]
            lines = list(range(1, len(records) + 1))
        body, body_lines = _regular(records[1:], lines[1:], width, at["district"], rel,
                                    problems, blank)
        columns = [list(map(itemgetter(i), body)) for i in range(width)]
    if not body_lines:
        return LongFigures.none(), [p for _, p in sorted(problems, key=itemgetter(0))]
    districts, indicators, dates, values = (columns[at[name]] for name in NEEDED_COLUMNS)
    stages = columns[at["stage"]] if "stage" in at else None
    figures = _figures(rel, catalog, year, body_lines, districts, indicators, stages, dates,
                       values, problems)
    problems.sort(key=itemgetter(0))  # stable: a line's messages keep their order
    return figures, [p for _, p in problems]


def _numbered(column: list[str]) -> tuple[np.ndarray, list[str]]:
    """(per line, the number of its text; the distinct texts in the order they first come)."""
    texts = list(dict.fromkeys(column))
    if len(texts) == 1:  # one text throughout (a return's date, often): every line number 0
        return np.zeros(len(column), dtype=np.int64), texts
    number = {text: n for n, text in enumerate(texts)}
    codes = np.fromiter(map(number.__getitem__, column), dtype=np.int64, count=len(column))
    return codes, texts


def _canonical(found: list) -> np.ndarray:
    """One number per distinct reading: texts that read the same (an alias and its name, two
    spellings of a date) get the same number."""
    numbers: dict = {}
    return np.array([numbers.setdefault(f, len(numbers)) for f in found], dtype=np.int64)


def _figures(rel: str, catalog: Catalog, year: int, body_lines, districts: list[str],
             indicators: list[str], stages: list[str] | None, dates: list[str],
             values: list[str], problems: list[tuple[int, Problem]]) -> LongFigures:
    """The figures of the body's columns; each distinct text is read once, and only the lines
    holding a text that reads wrong (or repeating a figure) are walked, adding their problems."""
    count = len(body_lines)
    district_codes, district_texts = _numbered(districts)
    indicator_codes, indicator_texts = _numbered(indicators)
    if stages is None:
        stage_codes, stage_texts = np.zeros(count, dtype=np.int64), [""]
    else:
        stage_codes, stage_texts = _numbered(stages)
    pair_codes, pair_numbers = pd.factorize(indicator_codes * len(stage_texts) + stage_codes)
    pair_texts = [(indicator_texts[n // len(stage_texts)], stage_texts[n % len(stage_texts)])
                  for n in pair_numbers.tolist()]
    date_codes, date_texts = _numbered(dates)
    value_codes, value_texts = _numbered(values)

    # each distinct text once: (what it reads as, the messages of a line holding it)
    district_of = [catalog.district_name(t) for t in district_texts]
    measure_of = [_measure(catalog, *pair) for pair in pair_texts]
    date_of = [_date(t, year) for t in date_texts]
    value_of = [count_in(t) for t in value_texts]
    bad = np.zeros(count, dtype=bool)
    for codes, wrong in ((district_codes, [name is None for name in district_of]),
                         (pair_codes, [bool(found[2]) for found in measure_of]),
                         (date_codes, [bool(found[1]) for found in date_of]),
                         (value_codes, [bool(found[1]) for found in value_of])):
        if any(wrong):
            bad |= np.array(wrong, dtype=bool)[codes]
    lines = (np.arange(body_lines.start, body_lines.stop, dtype=np.int64)
             if isinstance(body_lines, range) else np.asarray(body_lines, dtype=np.int64))
    if bad.any():
        for k in np.flatnonzero(bad).tolist():
            d = district_codes[k]
            messages = ([f"unknown district {district_texts[d].strip()[:60]!r}"]
                        if district_of[d] is None else [])
            messages += [*measure_of[pair_codes[k]][2], *date_of[date_codes[k]][1]]
            if value_of[value_codes[k]][1]:
                messages.append(value_of[value_codes[k]][1])
            where = line_location(int(lines[k]))
            problems.extend((int(lines[k]), Problem(rel, where, m)) for m in messages)
        keep = ~bad
        district_codes, pair_codes, date_codes, value_codes, lines = (
            column[keep] for column in (district_codes, pair_codes, date_codes, value_codes,
                                        lines))

    figure = (_canonical(district_of)[district_codes], _canonical(
        [found[:2] for found in measure_of])[pair_codes], _canonical(
        [found[0] for found in date_of])[date_codes])
    line_list = lines.tolist()
    columns = [_taken([*district_of], district_codes),
               _taken([found[0] for found in measure_of], pair_codes),
               _taken([found[1] for found in measure_of], pair_codes),
               _taken([found[0] for found in date_of], date_codes),
               _taken([found[0] for found in value_of], value_codes),
               list(map(f"{rel}:".__add__, map(str, line_list)))]
    if _repeats(*figure):
        rows = _first_of_each(list(zip(*columns, strict=True)), line_list, rel, problems)
        columns = [list(column) for column in zip(*rows, strict=True)] if rows else \
            [[] for _ in FIGURE_COLUMNS]
    return LongFigures(*columns)


def _taken(readings: list, codes: np.ndarray) -> list:
    """Per line, the reading of its text (`readings` by text number)."""
    if not len(codes):
        return []
    found = np.empty(len(readings), dtype=object)
    found[:] = readings
    return found[codes].tolist()


def _repeats(*numbers: np.ndarray) -> bool:
    """Whether two lines give the same figure (the same numbers in every column)."""
    if not len(numbers[0]):
        return False
    key = np.zeros(len(numbers[0]), dtype=np.int64)
    for column in numbers:
        key = key * (int(column.max()) + 1) + column  # each below the lines' count: no overflow
    return bool(pd.Series(key).duplicated().any())


def _regular(body: list[list[str]], lines: list[int], width: int, district_at: int, rel: str,
             problems: list[tuple[int, Problem]], blank) -> tuple[list[list[str]], list[int]]:
    """The lines that hold figures, each with exactly `width` fields: blank lines left out, a
    line with a field beyond the header refused (added to `problems`), missing fields blank."""
    # Only a line of another width or with a blank district can be blank or hold extra fields.
    odd = [k for k, r in enumerate(body) if len(r) != width or blank(r[district_at])]
    if not odd:
        return body, lines
    odd_set = set(odd)
    kept, kept_lines = [], []
    for k, record in enumerate(body):
        if k not in odd_set:
            kept.append(record)
            kept_lines.append(lines[k])
            continue
        if all(blank(v) for v in record):
            continue
        extra = [v for v in record[width:] if not blank(v)]
        if extra:
            problems.append((lines[k], Problem(rel, line_location(lines[k]),
                                               f"{len(record)} fields but the header names "
                                               f"{width}: {extra[0][:40]!r} has no column")))
            continue
        if len(record) != width:
            record = [*record[:width], *[""] * (width - len(record))]
        kept.append(record)
        kept_lines.append(lines[k])
    return kept, kept_lines


def _blank_text():
    """Whether a field is blank (nothing but whitespace once normalised), each text once."""
    return functools.cache(lambda text: not normalize_text(text))


def _measure(catalog: Catalog, indicator_text: str, stage_text: str
             ) -> tuple[str | None, str, list[str]]:
    """(indicator code, stage, messages) of an indicator and stage field."""
    measure = catalog.measure_of(indicator_text)
    if measure is None:
        return None, "", [f"unknown indicator {indicator_text.strip()[:60]!r}"]
    code, stage = measure
    if not normalize_text(stage_text):
        return code, stage, []
    named = catalog.stage_code(code, stage_text)
    if named is None:
        known = "、".join(s.name_zh for s in catalog.stages_for(code)) or "none"
        return code, stage, [f"unknown stage {stage_text.strip()[:60]!r} of "
                             f"{code} (known: {known})"]
    if stage and named != stage:
        return code, stage, [f"indicator {indicator_text.strip()[:60]!r} names "
                             f"stage {stage} but the stage column says {named}"]
    return code, named, []


def _date(text: str, year: int) -> tuple[object, list[str]]:
    """(date, messages) of an as_of field."""
    as_of, problem = parsed_date(text)
    messages = [f"as_of {problem}"] if problem else []
    if as_of is not None and as_of.year != year:
        messages.append(f"reporting date {as_of} is outside {year}")
    return as_of, messages


def _first_of_each(rows: list[tuple], lines: list[int], rel: str,
                   problems: list[tuple[int, Problem]]) -> list[tuple]:
    """The rows whose figure (district, indicator, stage, date) no earlier row gave; every
    later one is a duplicate (added to `problems`)."""
    seen: dict[tuple, int] = {}
    chosen = []
    for row, line in zip(rows, lines, strict=True):
        key = row[:4]
        first = seen.get(key)
        if first is None:
            seen[key] = line
            chosen.append(row)
            continue
        district, code, stage, as_of = key
        shown = f"{code}/{stage}" if stage else code
        problems.append((line, Problem(rel, line_location(line),
                                       f"duplicate entry for {district} {shown} {as_of} "
                                       f"(first on line {first})")))
    return chosen
