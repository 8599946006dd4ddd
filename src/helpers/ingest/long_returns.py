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
from operator import itemgetter

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
        return Problem(rel, line_location(max(reader.line_num, 1)),
                       f"not readable as CSV ({exc})")
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
    fields = ",".join(body).split(",") if body else []
    return header, [fields[i::width] for i in range(width)]


def read_long_return(data: bytes, rel: str, catalog: Catalog, year: int
                     ) -> tuple[list[tuple], list[Problem]]:
    """A long return's figures as rows (district, indicator, stage, as_of, value, source) and
    every problem found, each naming its line."""
    text = decode(data)
    if text is None:
        return [], [Problem(rel, "", "not readable as UTF-8 or GB18030 text")]
    plain = _plain_columns(text)
    if plain is None:
        read = _records(text, rel)
        if isinstance(read, Problem):
            return [], [read]
        records, lines = read
        if not records:
            return [], [Problem(rel, line_location(1), "empty file; expected the header "
                                                       "district,indicator,as_of,value")]
        header_record = records[0]
    else:
        header_record, columns = plain
    header = [normalize_text(h).lower() for h in header_record]
    missing = [c for c in NEEDED_COLUMNS if c not in header]
    if missing:
        return [], [Problem(rel, line_location(1), f"missing column(s) {', '.join(missing)}; "
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
        return [], [p for _, p in sorted(problems, key=itemgetter(0))]
    districts, indicators, dates, values = (columns[at[name]] for name in NEEDED_COLUMNS)
    stages = columns[at["stage"]] if "stage" in at else ("",) * len(body_lines)

    # each distinct text once: (what it reads as, the messages of a line holding it)
    pairs = list(zip(indicators, stages, strict=True))
    district_of = {t: catalog.district_name(t) for t in set(districts)}
    measure_of = {pair: _measure(catalog, *pair) for pair in set(pairs)}
    date_of = {t: _date(t, year) for t in set(dates)}
    value_of = {t: count_in(t) for t in set(values)}
    bad_districts = {t for t, name in district_of.items() if name is None}
    bad_measures = {pair for pair, found in measure_of.items() if found[2]}
    bad_dates = {t for t, found in date_of.items() if found[1]}
    bad_values = {t for t, found in value_of.items() if found[1]}
    if bad_districts or bad_measures or bad_dates or bad_values:
        bad = set()
        for k, (d, pair, a, v) in enumerate(zip(districts, pairs, dates, values, strict=True)):
            if d in bad_districts or pair in bad_measures or a in bad_dates or v in bad_values:
                bad.add(k)
                messages = ([f"unknown district {d.strip()[:60]!r}"] if d in bad_districts
                            else [])
                messages += [*measure_of[pair][2], *date_of[a][1]]
                if value_of[v][1]:
                    messages.append(value_of[v][1])
                where = line_location(body_lines[k])
                problems.extend((body_lines[k], Problem(rel, where, m)) for m in messages)
        keep = [k for k in range(len(body_lines)) if k not in bad]
        districts, pairs, dates, values, body_lines = (
            [column[k] for k in keep] for column in (districts, pairs, dates, values,
                                                     body_lines))

    district = list(map(district_of.__getitem__, districts))
    measure = list(map(measure_of.__getitem__, pairs))
    code = [m[0] for m in measure]
    stage = [m[1] for m in measure]
    as_of = [date_of[t][0] for t in dates]
    value = [value_of[t][0] for t in values]
    sources = [f"{rel}:{n}" for n in body_lines]
    rows = list(zip(district, code, stage, as_of, value, sources, strict=True))
    if len(set(zip(district, code, stage, as_of, strict=True))) < len(rows):
        rows = _first_of_each(rows, body_lines, rel, problems)
    problems.sort(key=itemgetter(0))  # stable: a line's messages keep their order
    return rows, [p for _, p in problems]


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
