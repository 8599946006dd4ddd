"""What a written section says, checked against the facts it speaks of, sentence by sentence.

A figure typed or referenced in a sentence belongs to the indicator (and district) the
sentence names: a typed number must be a figure of that indicator or district, not merely
some figure of the report (910, the meals' 30 June figure, may not stand for the 30 November
one). A typed status word (符合进度, 基本符合, 滞后, 严重滞后, 逾期完成, 未完成, 达标, ...)
must be the status of the indicator it describes, and a typed count of items or districts
with a status ("0项任务严重滞后", "2个县（市、区）逾期未完成") must be that count. A
sentence names an indicator by a reference ({{ beds.completion }}) or by its name
(新增机构床位), a district the same way; a word or number is read against the nearest
indicator and district named before it in its sentence (or, when none is, the first named
after it). Words after a negation (无, 没有, 不) are not claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from helpers.words.labels import district_label, indicator_label, label, status_label

SENTENCE_END = re.compile(r"[。；！？;!?]")
CLAUSE_END = re.compile(r"[，,、：:]")
_REFERENCE = re.compile(r"\{\{(.*?)\}\}")
_CODE = re.compile(r"`[^`]*`")
_NEGATION = ("无", "没有", "不", "未有")
# A status word that is part of a figure's name (符合进度比例, 完成率) is no claim.
_FIGURE_NAME_AFTER = ("比例", "率")

# Each status word and the statuses it may describe, longest first (a longer word wins where
# two overlap: 逾期未完成 is not 未完成 followed by nothing, 基本符合进度 not 符合进度).
STATUS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本符合序时进度", ("near",)),
    ("超过序时进度", ("on_track", "done", "over")),
    ("符合序时进度", ("on_track", "done", "over")),
    ("逾期未完成", ("overdue", "unmet")),
    ("未按期完成", ("overdue", "unmet", "late")),
    ("基本符合", ("near",)),
    ("超额完成", ("over",)),
    ("按期完成", ("on_time", "over")),
    ("逾期完成", ("late",)),
    ("符合进度", ("on_track", "done", "over")),
    ("严重滞后", ("serious_lag",)),
    ("未启动", ("not_started",)),
    ("未达标", ("below",)),
    ("未完成", ("unmet", "overdue")),
    ("滞后", ("lagging", "serious_lag", "not_started")),
    ("达标", ("met",)),
)
# "N项" / "N项指标" / "N项任务" / "N个县（市、区）" just before a status word in its clause
_COUNT = re.compile(r"(\d+)\s*(项指标|项任务|项事项|项|个县（市、区）|个县\(市、区\)|个地区|个县)")


@dataclass(frozen=True)
class Mention:
    """A district or indicator named at `start` of a sentence (by reference or by name)."""

    start: int
    district: str | None = None
    indicator: str | None = None


@dataclass(frozen=True)
class Claim:
    """A status word or typed number at `start`; `line` is its source line."""

    start: int
    line: int
    word: str = ""
    statuses: tuple[str, ...] = ()


def same_length_plain(text: str) -> str:
    """`text` with each character in its compatibility form where that is one character
    (full-width brackets and digits: （１） -> (1)), so that positions keep their meaning."""
    out = []
    for ch in text:
        plain = unicodedata.normalize("NFKC", ch)
        out.append(plain if len(plain) == 1 else ch)
    return "".join(out)


def indicator_names(catalog) -> list[tuple[str, str]]:
    """(name as it may be typed, indicator code), longest first: the catalogue's names, and
    the same without 新增, a trailing 数 or a closing bracket (镇（街）养老服务中心)."""
    names: dict[str, str] = {}
    for ind in catalog.indicators:
        for name in (ind.name_zh, ind.short_zh):
            for variant in _variants(same_length_plain(name).replace(" ", "")):
                if len(variant) >= 4:
                    names.setdefault(variant, ind.code)
    return sorted(names.items(), key=lambda item: -len(item[0]))


def _variants(name: str) -> set[str]:
    out = {name}
    for text in list(out):
        out.add(re.sub(r"\([^()]*\)$", "", text))
    for text in list(out):
        out.add(text.removeprefix("新增"))
    for text in list(out):
        out.add(text.removesuffix("数"))
    return {t for t in out if t}


class ClaimChecker:
    """Checks the sentences of one written-section file against one report's facts."""

    def __init__(self, registry, literals, figures) -> None:
        """`literals(text)`: the typed numbers of a text (written_sections.literals);
        `figures`: (figure, printed magnitude, is a percentage) of every numeric figure, as
        the number check parsed them."""
        self.registry = registry
        self.literals = literals
        self.numeric = [(f.name, printed, percent) for f, printed, percent in figures]
        self.data = registry.data
        catalog = self.data.catalog
        # 全市 names the city: what follows it speaks of no district ("" is the city)
        self.districts = sorted([*((same_length_plain(n), d.name) for d in catalog.districts
                                   for n in (d.name, *d.aliases) if n), ("全市", "")],
                                key=lambda item: -len(item[0]))
        self.indicators = indicator_names(catalog)
        self.status_of = {(r.district, r.indicator): r.status for r in self.data.table_rows}
        self.city_status = dict(zip(self.data.summary["indicator"],
                                    self.data.summary["status"], strict=True))

    def check(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """(line, message) for every claim of a paragraph or list item (its source lines)
        that disagrees with the facts."""
        text, line_at = "", []
        for number, line in lines:
            text += line
            line_at += [number] * len(line)
        text = _CODE.sub(lambda m: " " * len(m.group()), text)
        problems = []
        start = 0
        for end in [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]:
            if end > start:
                problems += self._sentence(text[start:end], start, line_at)
            start = end
        return problems

    # --- one sentence --------------------------------------------------------------------

    def _sentence(self, sentence: str, offset: int, line_at: list[int]
                  ) -> list[tuple[int, str]]:
        mentions, values = self._mentions(sentence)
        masked = _REFERENCE.sub(lambda m: " " * len(m.group()), sentence)
        problems = self._numbers(masked, mentions, offset, line_at)
        for start, word, statuses in self._status_words(masked):
            line = line_at[min(offset + start, len(line_at) - 1)]
            count = self._count_before(sentence, masked, values, start)
            district, indicator = self._subject(mentions, start)
            if count is not None:
                # a count is of the word's own status (N项按期完成 beside M项超额完成)
                message = self._count_problem(count, word, statuses[:1], district, indicator)
            elif indicator is not None:
                message = self._status_problem(word, statuses, district, indicator)
            else:
                continue
            if message:
                problems.append((line, message))
        return problems

    def _numbers(self, masked: str, mentions: list[Mention], offset: int,
                 line_at: list[int]) -> list[tuple[int, str]]:
        """Typed numbers that are a figure of the report, but not of the indicator or district
        their sentence speaks of (a number matching no figure is the renderer's to report)."""
        problems = []
        for literal in self.literals(masked):
            matched = [name for name, printed, percent in self.numeric
                       if literal.matches(printed, percent)]
            district, indicator = self._subject(mentions, literal.start)
            if not matched or (district is None and indicator is None):
                continue
            prefix = ".".join(p for p in (district, indicator) if p) + "."
            if any(name.startswith(prefix) for name in matched):
                continue
            line = line_at[min(offset + literal.start, len(line_at) - 1)]
            lang = self.data.params.lang
            who = " ".join(p for p in (
                district_label(district, lang, self.data.catalog) if district else "",
                indicator_label(indicator, lang, self.data.catalog, short=True)
                if indicator else "") if p)
            problems.append((line, f"number {literal.typed} is no figure of {who}, which its "
                                   f"sentence speaks of (it is {', '.join(matched[:3])}): "
                                   "reference the figure meant"))
        return problems

    def _mentions(self, sentence: str) -> tuple[list[Mention], dict[str, str]]:
        """The districts and indicators a sentence names, and the printed value of each
        reference (for counts written as references)."""
        mentions: list[Mention] = []
        values: dict[str, str] = {}
        for m in _REFERENCE.finditer(sentence):
            found = self.registry.resolve(m.group(1).split("|")[0].strip())
            if found.figure is None:
                continue  # an unknown reference is reported by the renderer
            values[m.group()] = found.figure.text
            parts = found.figure.name.split("@")[0].split(".")
            district = parts[0] if parts[0] in self.data.catalog.district_by_name else None
            rest = parts[1:] if district else parts
            code = rest[0] if rest and rest[0] in self.data.catalog.indicator_by_code else None
            if district or code:
                mentions.append(Mention(m.start(), district or "", code))
        plain = same_length_plain(_REFERENCE.sub(lambda m: " " * len(m.group()), sentence))
        mentions += self._named(plain)
        return sorted(mentions, key=lambda m: m.start), values

    def _named(self, plain: str) -> list[Mention]:
        taken = [False] * len(plain)
        found = []
        for names, make in ((self.indicators, lambda c: Mention(0, None, c)),
                            (self.districts, lambda d: Mention(0, d, None))):
            for name, value in names:
                for m in re.finditer(re.escape(name), plain):
                    if any(taken[m.start():m.end()]):
                        continue
                    taken[m.start():m.end()] = [True] * (m.end() - m.start())
                    mention = make(value)
                    found.append(Mention(m.start(), mention.district, mention.indicator))
        return found

    @staticmethod
    def _status_words(masked: str) -> list[tuple[int, str, tuple[str, ...]]]:
        taken = [False] * len(masked)
        found = []
        for word, statuses in STATUS_WORDS:
            for m in re.finditer(word, masked):
                if any(taken[m.start():m.end()]):
                    continue
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                before = masked[max(0, m.start() - 2):m.start()]
                if any(before.endswith(n) for n in _NEGATION) or \
                        masked[m.end():].startswith(_FIGURE_NAME_AFTER):
                    continue
                found.append((m.start(), word, statuses))
        return sorted(found)

    @staticmethod
    def _count_before(sentence: str, masked: str, values: dict[str, str], start: int
                      ) -> tuple[int, str] | None:
        """(N, what is counted) of "N项…" / "N个县（市、区）…" before a status word in its
        clause, N typed or referenced; None when the word is not counted."""
        clause_start = max([m.end() for m in CLAUSE_END.finditer(masked[:start])] + [0])
        clause = _REFERENCE.sub(lambda m: values.get(m.group(), " "),
                                sentence[clause_start:start])
        m = _COUNT.search(same_length_plain(clause))
        return (int(m.group(1)), m.group(2)) if m else None

    @staticmethod
    def _subject(mentions: list[Mention], start: int) -> tuple[str | None, str | None]:
        before = [m for m in mentions if m.start < start]
        after = [m for m in mentions if m.start >= start]
        district = next((m.district for m in reversed(before) if m.district is not None),
                        None) or None
        indicator = next((m.indicator for m in reversed(before) if m.indicator), None)
        if indicator is None:
            indicator = next((m.indicator for m in after if m.indicator), None)
        return district, indicator

    # --- the facts -----------------------------------------------------------------------

    def _status_problem(self, word: str, statuses: tuple[str, ...], district: str | None,
                        indicator: str) -> str:
        status = (self.status_of.get((district, indicator)) if district
                  else self.city_status.get(indicator))
        if status is None or status in statuses:
            return ""
        lang = self.data.params.lang
        who = (district_label(district, lang, self.data.catalog) if district
               else label("misc.city", lang))
        name = indicator_label(indicator, lang, self.data.catalog, short=True)
        return (f"says {word!r} of {who} {name}, whose status in the tables is "
                f"{status_label(status, lang)}: write what the tables say, or reference it "
                f"({{{{ {district + '.' if district else ''}{indicator}.status }}}})")

    def _count_problem(self, count: tuple[int, str], word: str, statuses: tuple[str, ...],
                       district: str | None, indicator: str | None) -> str:
        n, unit = count
        table = self.data.table
        rows = table[table["status"].isin(statuses)]
        if district:
            rows = rows[rows["district"] == district]
        if unit.startswith("个") and indicator:  # N个县（市、区） of the indicator named
            rows = rows[rows["indicator"] == indicator]
        by_district = rows.groupby("district", sort=False).size()
        if unit.startswith("个"):
            expected = {len(by_district)}
            what = f"{len(by_district)} district(s) have an item {word}"
        else:
            items = len(rows)
            cities = int(self.data.summary["status"].isin(statuses).sum())
            expected = ({cities} if unit == "项指标" else
                        {items} if unit in ("项任务", "项事项") or district else {items, cities})
            what = (f"{items} district item(s) are {word}"
                    + (f" ({', '.join(f'{d} {k}' for d, k in by_district.items())})"
                       if len(by_district) else "")
                    + ("" if district else f"; {cities} city indicator(s) are"))
        if n in expected:
            return ""
        return (f"says {n}{unit}{word!r}, but {what}: "
                "a count of city indicators is written N项指标, of district items N项任务")


__all__ = ["STATUS_WORDS", "ClaimChecker", "indicator_names"]
