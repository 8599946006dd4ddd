"""The written sections of a report (主要做法, 工作亮点, 存在问题及原因, 下步打算), from
data/raw/<year>/narrative/<period>.md: a Markdown subset (headings, paragraphs, lists, bold),
references to computed figures (`{{ new_institution_beds.completion }}`), and a check that every
number typed into the text is a figure the report prints.

The check: a number matches a figure when the figure as printed, rounded half up to the
number's own decimals, equals it (64% and 63.6% both match a completion printed 63.6%; 7400
does not match 7430, 0.74万 does). A number with % matches percentages only; a plain number
matches counts, ranks and percentage points (by size: 12.3 matches -12.3). 万 and 亿 scale the
number. Not data, and never checked: dates and months (2018年6月30日, 6月底, 2018-06-30),
years (2018年, 2018—2020年), document numbers (温民福〔2018〕58号), numbers before 日 or 号,
telephone numbers (masked as 138****5678), enumerators at the start of a line ((1), 1、),
numbers glued to Latin letters (H1, 5G), and anything in backticks (`7×24`), which is printed
as plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from helpers.core.disclosure import has_phone, mask_phones, phone_spans
from helpers.core.errors import InputRejected
from helpers.core.limits import MAX_WRITTEN_SECTION_LINE
from helpers.core.problems import Problem, line_location
from helpers.ingest.written_section_files import narrative_rel
from helpers.words.figure_registry import figure_registry
from helpers.words.written_claims import ClaimChecker

NEAREST = 3  # how many figures an error message offers

# Full-width digits and signs become ASCII for matching (one character each: spans carry over).
_PLAIN = str.maketrans("０１２３４５６７８９．％，｀｛｝｜", "0123456789.%,`{}|")
# Every pattern here runs in time linear in its line, and lines are bounded (MAX_LINE): no
# pattern can be made to backtrack (comments, headings and references are scanned, not
# matched with lazy quantifiers, which took minutes on a few kilobytes of spaces or braces).
MAX_LINE = MAX_WRITTEN_SECTION_LINE  # characters of one line of a written section
_LIST_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])\s+(.*)$")
_CODE = re.compile(r"`([^`]*)`")
_BOLD = "**"

# Numbers that are not data (see the module doc), matched on the ASCII-digit form of the text.
# Written with \s* to read as the dates they match; compiled with at most three spaces each, so
# that no pattern runs over a long run of spaces.
_NOT_DATA = [re.compile(p.replace(r"\s*", r"\s{0,3}")) for p in (
    r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号",         # 〔2018〕58号
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]?)?",           # 2018年6月30日
    r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}",                                # 2018-06-30
    r"(?:19|20)\d{2}\s*(?:[-—–~～至到]\s*(?:19|20)\d{2}\s*)?年",              # 2018年, 2018—2020年
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]?",                                      # 6月30日
    r"\d{1,2}\s*月",                                                          # 6月(底)
    r"\d{1,2}\s*[日号]",                                                      # 21日, 58号
)]
_ENUMERATOR = re.compile(r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[、)）])")
# A number: digits, maybe grouped by one separator (15,000; 18 000; 7'600), maybe decimals,
# maybe 万/亿 and %. Groups that are not thousands (1 5000, 15,00) make a number that is split
# or unreadable, which fails the check: a dodge such as "18 000" read as 18 and 000 is gone.
_GROUP_SEPARATORS = ", \u00a0\u2009\u202f'_"
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])(\d+(?:[, \u00a0\u2009\u202f'_]\d+)*)(\.\d+)?(?![\dA-Za-z_])"
    r"(\s{0,3}[万亿])?(\s{0,3}%)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:([, \u00a0\u2009\u202f'_])\d{3})(?:\1\d{3})*")
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
# `{{ name | abs }}`: the figure without its sign (低于进度要求{{ x.gap_pp | abs }}个百分点).
MODIFIERS = {"abs": lambda text: text.lstrip("+-"), "绝对值": lambda text: text.lstrip("+-")}


@dataclass(frozen=True)
class Run:
    """A piece of rendered text, bold or not."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """One block of a written section, with its text rendered (references replaced by figures,
    phone numbers masked): a heading (level 1-6 as written), a paragraph, or a list."""

    kind: str  # heading | paragraph | list
    line: int
    runs: tuple[Run, ...] = ()
    level: int = 0
    items: tuple[tuple[Run, ...], ...] = ()
    ordered: bool = False

    @property
    def text(self) -> str:
        """The plain text (a list: one item per line)."""
        if self.kind == "list":
            return "\n".join(self.item_texts)
        return "".join(r.text for r in self.runs)

    @property
    def item_texts(self) -> list[str]:
        return ["".join(r.text for r in item) for item in self.items]


@dataclass
class Narrative:
    """The written sections of one report, ready for HTML or a Word writer."""

    file: str  # 2018/narrative/H1.md
    period: str
    blocks: list[Block] = field(default_factory=list)
    references: int = 0  # figures inserted by reference
    numbers: int = 0  # typed numbers checked against the report

    def sections(self) -> list[tuple[str, list[Block]]]:
        """(heading, blocks) at the top heading level used; text before the first heading
        comes under an empty heading."""
        levels = [b.level for b in self.blocks if b.kind == "heading"]
        top = min(levels) if levels else 0
        out: list[tuple[str, list[Block]]] = []
        for block in self.blocks:
            if block.kind == "heading" and block.level == top:
                out.append((block.text, []))
                continue
            if not out:
                out.append(("", []))
            out[-1][1].append(block)
        return out


@dataclass(frozen=True)
class Literal:
    """A number typed into the text."""

    typed: str
    value: Decimal  # as typed, before 万/亿
    decimals: int
    scale: Decimal
    percent: bool
    readable: bool = True  # False: digit groups that are not thousands (split or unreadable)
    start: int = 0  # where it begins in the text it was read from

    def matches(self, printed: Decimal, percent: bool) -> bool:
        """Whether a figure printed as `printed` (a percentage when `percent`) is this number
        within the number's own precision."""
        if percent != self.percent or not self.readable:
            return False
        step = Decimal(1).scaleb(-self.decimals)
        return (printed / self.scale).quantize(step, rounding=ROUND_HALF_UP) == self.value

    def distance(self, printed: Decimal) -> Decimal:
        return abs(printed - self.value * self.scale)


# --- parsing --------------------------------------------------------------------------------

@dataclass
class _Draft:
    kind: str
    line: int
    level: int = 0
    ordered: bool = False
    lines: list[tuple[int, str]] = field(default_factory=list)
    items: list[list[tuple[int, str]]] = field(default_factory=list)


def strip_comments(text: str) -> str:
    """`text` without its <!-- notes --> (their line breaks kept, so lines keep their numbers);
    an unclosed note is text. One scan: linear in the text."""
    out, position = [], 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out += [text[position:start], "\n" * text.count("\n", start, end)]
        position = end + 3
    out.append(text[position:])
    return "".join(out)


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, text) of a heading line ('## 标题', up to three spaces before, closing #s
    dropped), or None: what the pattern ^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$ matched, without
    its backtracking."""
    indent = len(line) - len(line.lstrip(" "))
    rest = line[indent:]
    hashes = len(rest) - len(rest.lstrip("#"))
    if indent > 3 or not 1 <= hashes <= 6 or not rest[hashes:hashes + 1].isspace():
        return None
    return hashes, rest[hashes:].strip().rstrip("#").rstrip()


def references(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inside) of every {{ reference }} in a line, left to right. One scan."""
    found, position = [], 0
    while (start := text.find("{{", position)) >= 0:
        end = text.find("}}", start + 2)
        if end < 0:
            break
        found.append((start, end + 2, text[start + 2:end]))
        position = end + 2
    return found


def parse_blocks(text: str) -> list[_Draft]:
    """The block structure of the Markdown subset, with the source line of every text line."""
    text = strip_comments(text)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()[:MAX_LINE]  # a longer line is refused (written_section_problems)
        if not line.strip():
            current = None
            continue
        heading = heading_of(line)
        if heading:
            drafts.append(_Draft("heading", number, level=heading[0],
                                 lines=[(number, heading[1])]))
            current = None
            continue
        item = _LIST_ITEM.match(line)
        if item:
            ordered = item[2][0].isdigit()
            if current is None or current.kind != "list" or current.ordered != ordered:
                current = _Draft("list", number, ordered=ordered)
                drafts.append(current)
            current.items.append([(number, item[3])])
            continue
        if current is not None and current.kind == "list":
            current.items[-1].append((number, line.strip()))  # continuation of the item
            continue
        if current is None or current.kind != "paragraph":
            current = _Draft("paragraph", number)
            drafts.append(current)
        current.lines.append((number, line.strip()))
    return drafts


def not_data_spans(text: str, line_start: bool) -> list[tuple[int, int]]:
    """Where `text` holds numbers that are not data: dates, years, document numbers, phone
    numbers and (at the start of a line) an enumerator."""
    plain = text.translate(_PLAIN)
    spans = [m.span() for pattern in _NOT_DATA for m in pattern.finditer(plain)]
    spans += phone_spans(plain)
    if line_start and (m := _ENUMERATOR.match(plain)):
        spans.append(m.span())
    return spans


def literals(text: str, line_start: bool = False) -> list[Literal]:
    """Every number typed in `text` that is data (see not_data_spans)."""
    plain = list(text.translate(_PLAIN))
    for start, end in not_data_spans(text, line_start):
        plain[start:end] = " " * (end - start)
    found = []
    for m in _NUMBER.finditer("".join(plain)):
        digits = m[1]
        readable = digits.isdigit() or _THOUSANDS.fullmatch(digits) is not None
        digits = "".join(c for c in digits if c.isdigit()) + (m[2] or "")
        found.append(Literal(
            typed=text[m.start():m.end()].strip(), value=Decimal(digits),
            decimals=len(m[2]) - 1 if m[2] else 0,
            scale=_SCALE[m[3].strip()] if m[3] else Decimal(1), percent=bool(m[4]),
            readable=readable, start=m.start()))
    return found


# --- rendering and checking -------------------------------------------------------------------

class _Renderer:
    """Turns the drafts into blocks: references resolved, numbers checked, problems kept."""

    def __init__(self, rel: str, registry) -> None:
        self.rel = rel
        self.registry = registry
        self.problems: list[Problem] = []
        self.references = 0
        self.numbers = 0
        # (figure, its printed magnitude, whether a percentage), parsed once
        self.figures = [(f, f.printed, f.kind == "percent") for f in registry.numeric()]

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel, line_location(line), message))

    def tokens(self, line: int, text: str) -> list[tuple[str, str]]:
        """("text" | "bold", value) tokens of one source line."""
        if has_phone(text):  # in backticks too: the text is published with the report
            self.problem(line, f"holds a telephone number ({mask_phones(text).strip()[:80]}, "
                               "shown masked here): a written section is published, and may "
                               "not hold one; remove it")
        out: list[tuple[str, str]] = []
        plain = text.translate(_PLAIN)
        position = 0
        for code in _CODE.finditer(plain):
            out += self._checked(line, text[position:code.start()], position == 0)
            out.append(("text", text[code.start() + 1:code.end() - 1]))  # escaped: as typed
            position = code.end()
        out += self._checked(line, text[position:], position == 0)
        return out

    def _checked(self, line: int, text: str, line_start: bool) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        plain = text.translate(_PLAIN)
        position = 0
        for start, end, inside in references(plain):
            out += self._numbers(line, text[position:start], line_start and position == 0)
            out.append(("text", self._reference(line, inside.strip())))
            position = end
        rest = text[position:]
        if "{{" in rest.translate(_PLAIN):
            self.problem(line, "unclosed {{ (a reference is written {{ name }})")
        out += self._numbers(line, rest, line_start and position == 0)
        return out

    def _reference(self, line: int, typed: str) -> str:
        typed, *modifiers = (part.strip() for part in typed.split("|"))
        unknown = [m for m in modifiers if m not in MODIFIERS]
        if unknown:
            self.problem(line, f"unknown modifier {unknown[0]!r} in {{{{ {typed} }}}} (known: "
                               f"{', '.join(sorted(MODIFIERS))})")
            return typed
        found = self.registry.resolve(typed)
        if found.figure is not None:
            self.references += 1
            text = found.figure.text
            for modifier in modifiers:
                text = MODIFIERS[modifier](text)
            return text
        message = f"unknown figure {{{{ {typed} }}}}"
        details = [found.reason] if found.reason else found.hints
        if details:
            message += ": " + "; ".join(details)
        if found.suggestions:
            message += f"; did you mean {', '.join(found.suggestions)}?"
        elif not details:
            message += " (figure names: see the README, written sections)"
        self.problem(line, message)
        return typed

    def _numbers(self, line: int, text: str, line_start: bool) -> list[tuple[str, str]]:
        """Check the typed numbers of `text`; split out the bold markers."""
        for literal in literals(text, line_start):
            self.numbers += 1
            if not literal.readable:
                self.problem(line, f"number {literal.typed} is split or unreadable: write it "
                                   "as one number (15000 or 15,000); a number that is not "
                                   f"data goes in backticks: `{literal.typed}`")
                continue
            if any(literal.matches(printed, percent) for _, printed, percent in self.figures):
                continue
            near = sorted((item for item in self.figures if item[2] == literal.percent),
                          key=lambda item: (literal.distance(item[1]), item[0].name))[:NEAREST]
            shown = ", ".join(f"{f.text} ({f.name})" for f, _, _ in near)
            self.problem(line, f"number {literal.typed} matches no figure of the report; "
                               f"nearest figures: {shown}. A number that is not data goes in "
                               f"backticks: `{literal.typed}`")
        out: list[tuple[str, str]] = []
        for index, piece in enumerate(text.split(_BOLD)):
            if index:
                out.append(("bold", _BOLD))
            if piece:
                out.append(("text", piece))
        return out

    def runs(self, lines: list[tuple[int, str]]) -> tuple[Run, ...]:
        """The runs of a paragraph, heading or list item spread over source lines."""
        tokens: list[tuple[str, str]] = []
        for number, text in lines:
            if tokens:
                tokens.append(("text", _joiner(tokens, text)))
            tokens += self.tokens(number, text)
        markers = sum(kind == "bold" for kind, _ in tokens)
        runs: list[Run] = []
        bold = False
        for kind, value in tokens:
            if kind == "bold" and (bold or markers >= 2):
                bold = not bold
                markers -= 1
                continue
            text = value
            if runs and runs[-1].bold == bold:
                runs[-1] = Run(runs[-1].text + text, bold)
            else:
                runs.append(Run(text, bold))
        return tuple(Run(mask_phones(r.text), r.bold) for r in runs if r.text)

    def block(self, draft: _Draft) -> Block:
        if draft.kind == "list":
            return Block("list", draft.line, items=tuple(self.runs(i) for i in draft.items),
                         ordered=draft.ordered)
        return Block(draft.kind, draft.line, runs=self.runs(draft.lines), level=draft.level)


def _joiner(tokens: list[tuple[str, str]], following: str) -> str:
    """Lines of a paragraph join without a space in Chinese text, with one in Latin text."""
    previous = next((v for k, v in reversed(tokens) if k == "text" and v), "")
    if not previous or not following:
        return ""
    return " " if previous[-1].isascii() and following[0].isascii() else ""


def render_narrative(text: str, rel: str, period: str, registry) -> Narrative:
    """Parse, resolve and check a narrative (numbers, and what each sentence claims:
    helpers.words.written_claims); raise InputRejected listing every problem."""
    renderer = _Renderer(rel, registry)
    drafts = parse_blocks(text)
    blocks = [renderer.block(d) for d in drafts]
    claims = ClaimChecker(registry, literals, renderer.figures)
    for draft in drafts:
        for lines in (draft.items if draft.kind == "list" else [draft.lines]):
            for line, message in claims.check(lines):
                renderer.problem(line, message)
    if renderer.problems:
        raise InputRejected(renderer.problems)
    return Narrative(rel, period, blocks, renderer.references, renderer.numbers)


def load_narrative(data, source: bytes | None) -> Narrative | None:
    """The checked written sections of the report `data` describes, from the bytes of its
    period's narrative file (`source`, from the run's snapshot): None without one, or when the
    report covers a subset of districts (the text speaks of the whole city). Raises
    InputRejected naming file and line for every wrong number or name."""
    params = data.params
    if params.districts is not None or source is None:
        return None
    rel = narrative_rel(params.year, params.period, params.lang)
    try:
        text = source.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRejected([Problem(rel, "", f"not UTF-8 text ({exc.reason} at byte "
                                              f"{exc.start})")]) from None
    return render_narrative(text, rel, params.period, figure_registry(data))


__all__ = ["Block", "Literal", "Narrative", "Run", "literals", "load_narrative",
           "not_data_spans", "parse_blocks",
           "render_narrative"]
