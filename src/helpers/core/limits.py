"""The limits every input is checked against before it is parsed, in one place (the README's
"Limits" table lists the same numbers). A district table is a few hundred cells and a long
return a few hundred lines; the limits leave ample room for a province-sized table while
keeping a hostile file from exhausting memory or time."""

from __future__ import annotations

MIB = 1024 * 1024

# --- files ---------------------------------------------------------------------------------
# Size limit by file type, checked before a byte is read.
MAX_FILE_BYTES = {
    ".csv": 8 * MIB,
    ".xlsx": 10 * MIB,
    ".docx": 10 * MIB,  # an allocation table that arrived as a Word annex
    ".json": 1 * MIB,
    ".md": 1 * MIB,
}
MAX_OTHER_FILE_BYTES = 1 * MIB  # any other suffix (it is refused by type later anyway)
MAX_SNAPSHOT_BYTES = 256 * MIB  # everything one run reads
MAX_FILES_PER_FOLDER = 1000  # entries of catalog/ or <year>/progress/
MAX_MANIFEST_BYTES = 4 * MIB
MAX_OUTPUT_FILE_BYTES = 512 * MIB  # a published output read back (verify, pack)

# --- long CSV returns -------------------------------------------------------------------------
MAX_CSV_LINES = 100_000
MAX_CSV_FIELD_CHARS = 10_000

# --- workbooks (checked on the archive, before openpyxl parses it) ----------------------------
MAX_UNPACKED_BYTES = 64 * MIB  # all parts of one workbook, unpacked
MAX_PART_BYTES = 32 * MIB  # one part (a sheet, the shared strings), unpacked
MAX_COMPRESSION_RATIO = 200  # above 10 MiB unpacked: a zip bomb
MAX_ARCHIVE_ENTRIES = 1000
MAX_SHEETS = 50
MAX_SHEET_ROWS = 5000  # no cell (not even an empty formatted one) below row 5000: a province
# of 3,000 districts fits with room to spare
MAX_SHEET_COLUMNS = 100  # ... nor right of column CV
MAX_WORKBOOK_CELLS = 200_000  # cells written in all sheets together (3,000 x 50 fits)
MAX_MERGED_CELLS = 20_000  # cells covered by merged ranges (and hyperlink ranges), per sheet

# --- values -----------------------------------------------------------------------------------
MAX_NUMBER_CHARS = 32  # a figure typed as text
# The largest plausible figure of one district, by unit: a typo such as 10^19 or 1e308 is
# refused with its cell named rather than overflowing later in the report.
PLAUSIBLE_MAX_BY_UNIT = {
    "个": 100_000,  # centres, stations, installations, studios
    "张": 1_000_000,  # beds
    "人": 10_000_000,  # people
}
PLAUSIBLE_MAX_OTHER = 1_000_000_000  # any other unit

# --- time -------------------------------------------------------------------------------------
DEFAULT_REPORT_TIME_LIMIT_S = 3600  # `schedule`: one report, from reading inputs to publishing
# A line of a written section (narrative/<period>.md): longer ones are refused, so that every
# pattern the text is read with works on bounded lines.
MAX_WRITTEN_SECTION_LINE = 2000

# --- return templates -------------------------------------------------------------------------
# The upper bound a template's input cell accepts: this many times the district's target (and
# never below its last return); Excel's data validation says so when a clerk types more.
TEMPLATE_TARGET_FACTOR = 3
