"""Text that leaves the pipeline for other programs: terminals and logs (control characters,
escape sequences, forged line breaks) and spreadsheets (formula triggers in CSV cells).

HTML is escaped where it is written (helpers.render.html.esc); Excel cells are forced to text
by helpers.render.excel.write_text."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# OWASP's CSV-injection triggers: a spreadsheet opening the CSV would evaluate such a cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls (ESC starts terminal sequences); Cf: format characters such as the
    # bidirectional overrides that reorder what a terminal shows; Zl/Zp: line separators;
    # Cs: lone surrogates (a file name that is not UTF-8), which no terminal can be sent.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def one_line(text: object) -> str:
    """`text` safe for one line of a terminal or a log: every control or format character
    (ESC, CR, LF, bidirectional overrides, ...) shown as a visible escape like \\x1b."""
    return "".join(_visible(c) if _is_control(c) else c for c in str(text))


def terminal_safe(text: object) -> str:
    """Multi-line text safe for a terminal: line breaks kept, every other control or format
    character shown as a visible escape."""
    return "\n".join(one_line(line) for line in str(text).split("\n"))


def has_control_characters(text: str) -> bool:
    """True when `text` holds a character one_line would escape."""
    return any(_is_control(c) for c in text)


# What no published text may hold (see unusable_character): control characters (category Cc)
# but tab and line breaks, lone surrogates (Cs), Unicode noncharacters (U+FDD0..U+FDEF and the
# last two code points of every plane) and the bidirectional embeddings, overrides and isolates
# that reorder what a reader sees. One character class, so that a whole file is searched at once.
_UNUSABLE = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef"
    "\\u202a-\\u202e\\u2066-\\u2069"
    + "".join(f"\\U{plane << 16 | 0xFFFE:08x}\\U{plane << 16 | 0xFFFF:08x}"
              for plane in range(17)) + "]")


def unusable_character(text: str) -> tuple[int, str] | None:
    """(position, character) of the first character no published text may hold: a control
    character other than tab and line breaks (NUL, ESC, ...), a lone surrogate, a Unicode
    noncharacter (U+FFFE, U+FFFF, ...), which XML (Word, Excel) refuses, or a bidirectional
    override that reorders what a reader sees; None when there is none."""
    found = _UNUSABLE.search(text)
    return None if found is None else (found.start(), found.group())


def character_name(char: str) -> str:
    """U+001B, as a message names a character."""
    return f"U+{ord(char):04X}"


def spreadsheet_safe(value: object) -> object:
    """A text cell for CSV: text a spreadsheet would read as a formula (= + - @ tab CR LF at
    its start) gets a leading apostrophe, the rule documented in the README. Other values are
    returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are spreadsheet_safe (numbers are left alone, so a
    negative gap stays a number)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    return safe

