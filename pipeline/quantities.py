"""Find metric mentions in normalised text: a numeral, its counter, and the words around it.

This module works on one normalised string at a time and knows nothing about tables or
files. GiNZA contributes only token boundaries (:class:`Tokens`): a prefix such as 計 or
約 counts only where it is a word of its own (設計2件 is not a total), and a kanji numeral
only where the parser read a numeral (三千人 is, 一人ひとり and 一部 are not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.numbers import NUMERAL, has_multiplier, is_kanji_only, parse_numeral
from pipeline.units import counter_regex, lookup

QUALIFIER_ORDER = ("approx", "at_least", "more_than", "at_most", "less_than",
                   "total", "subset", "cumulative", "range")

#: Words before a number, closest first when chained (年間延べ約400人).
PREFIX_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("およそ|凡そ|おおむね|概ね|約|ほぼ", "approx"),
    ("延べ|延|累計|累積|通算", "cumulative"),
    ("合計|総計|総数|計", "total"),
    ("うち", "subset"),
    ("上限|限度|最大|最高", "at_most"),
    ("最低|最少", "at_least"),
)
#: Words right after the counter.
SUFFIX_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("以上", "at_least"),
    ("を超える|を超え|を上回る|超え|超", "more_than"),
    ("以下|以内|を上限|を限度", "at_most"),
    ("未満|を下回る", "less_than"),
    ("程度|ほど|前後|強|弱|余り|あまり|余|くらい|ぐらい", "approx"),
)
_PER_PREFIX = re.compile(
    r"(?<![\d〇一二三四五六七八九十百千])(?:毎|1)?(年|月|週)間?(?:当たり|あたり)?$"
    r"|(?:1|一)(?P<base>[^\d\s、。()（）]{1,4}?)(?:当たり|あたり|につき)$"
)
_PER_TIME_UNITS = {"年": "年", "年間": "年", "か月": "月", "月": "月", "週": "週", "週間": "週",
                   "日": "日", "時間": "時間"}
_RANGE_SEP = re.compile(r"\s?(?:〜|~|から)\s?")
_DIRECTION = re.compile(r"(?:[)）])?(?:[(（][^()（）]{1,20}[)）])?の?(増加|増|減少|減|上昇|低下|アップ|ダウン)")
_INCREASE = {"増加", "増", "上昇", "アップ"}
_BASIS = re.compile(
    r"対?(?:前年同期|前年同月|前年度|前年|昨年度|昨年|前回|前期|前月)"
    r"(?:比|に比べて?|と比べて?|と比較して?|から|より)"
)
_FRACTION_SLASH = re.compile(r"(?<![\d/.])(\d+)\s?/\s?(\d+)(?![\d/]|-\d)")
_FRACTION_BUN = re.compile(r"(\d+|[一二三四五六七八九十]+)分の(\d+|[一二三四五六七八九十]+)")
_FRACTION_CONTEXT_BEFORE = re.compile(r"(?:率|割合|比率|負担|補助)\s?[:：]?\s?$")
_FRACTION_CONTEXT_AFTER = re.compile(r"^(?:以内|以下|以上|未満|程度|を超|超|を上限|の(?:補助|負担|割合))")
_ERA = re.compile(r"(?:令和|平成|昭和|大正|明治|西暦|R|H|S)\s?$")
_YEAR_COUNTERS = {"年", "年間", "年分"}


@dataclass(frozen=True)
class Tokens:
    """Word boundaries and numeral tokens of the parsed text (character offsets)."""

    starts: frozenset[int]
    ends: frozenset[int]
    numeral_starts: frozenset[int]

    def is_word(self, start: int, end: int) -> bool:
        return start in self.starts and end in self.ends


@dataclass
class Quantity:
    """One metric mention found in normalised text; offsets index that text."""

    start: int
    end: int
    value: Decimal
    unit: str
    unit_category: str
    kind: str
    value_max: Decimal | None = None
    qualifiers: set[str] = field(default_factory=set)
    per: str = ""
    delta_direction: str = ""
    delta_basis: str = ""
    prefix_start: int = -1  # where the qualifier/per words before the number begin
    suffix_end: int = -1  # where the qualifier/direction words after the counter end

    @property
    def qualifier(self) -> str:
        return ",".join(q for q in QUALIFIER_ORDER if q in self.qualifiers)


def _prefixes(text: str, pos: int, tokens: Tokens, q: Quantity) -> int:
    """Attach qualifier and per words that end at ``pos``; return where they begin."""
    while True:
        before = text[max(0, pos - 12):pos]
        stripped = before.rstrip(" :：")
        offset = len(before) - len(stripped)
        found = False
        for words, qualifier in PREFIX_QUALIFIERS:
            m = re.search(f"(?:の)?(?:{words})$" if qualifier == "subset" else f"(?:{words})$",
                          stripped)
            if m and tokens.is_word(pos - offset - len(m.group()) + (2 if m.group().startswith("のうち") else 0),
                                    pos - offset):
                q.qualifiers.add(qualifier)
                pos = pos - offset - len(m.group())
                found = True
                break
        if not found:
            m = _PER_PREFIX.search(before.rstrip(" "))
            if m and not q.per:
                base = m.group("base")
                q.per = _PER_TIME_UNITS.get(m.group(1) or "", "") or (base or "").replace("か", "")
                if q.per:
                    pos = pos - (len(before) - len(before.rstrip(" "))) - len(m.group())
                    found = True
        if not found:
            return pos


def _suffixes(text: str, pos: int, q: Quantity) -> int:
    """Attach qualifier words after the counter; return where they end."""
    while True:
        for words, qualifier in SUFFIX_QUALIFIERS:
            m = re.compile(f"(?:{words})").match(text, pos)
            if m:
                q.qualifiers.add(qualifier)
                pos = m.end()
                break
        else:
            return pos


def _is_date(text: str, num_start: int, num_end: int, unit: str, after: int) -> bool:
    """令和5年度, 2050年, 3月21日, R6年: calendar references, not quantities."""
    numeral = text[num_start:num_end]
    if unit in _YEAR_COUNTERS:
        if unit == "年" and (text.startswith("度", after) or re.match(r"\d{1,2}月", text[after:])):
            return True
        if _ERA.search(text[max(0, num_start - 3):num_start]):
            return True
        if numeral.isdigit() and len(numeral) == 4:
            return True
    if unit == "日" and text[max(0, num_start - 1):num_start] == "月":
        return True
    return False


def _is_excluded_numeral(text: str, start: int, end: int, tokens: Tokens) -> bool:
    """Ordinals, codes and kanji inside words: 第1回, R6, COVID-19, 一部, 2.1.3."""
    before = text[max(0, start - 2):start].rstrip(" ")
    if before.endswith("第"):
        return True
    prev = text[start - 1] if start else ""
    if prev and (prev.isascii() and (prev.isalpha() or prev in "-/.#_")):
        return True
    if text[end:end + 1] in ("/", ":", ".") and text[end + 1:end + 2].isdigit():
        return True
    if is_kanji_only(text[start:end]) and start not in tokens.numeral_starts:
        return True
    return False


def _fractions(text: str) -> list[Quantity]:
    """2/3 and 3分の1 as ratios; a slash pair counts only in a ratio context (補助率1/2)."""
    found: list[Quantity] = []
    for m in _FRACTION_SLASH.finditer(text):
        before, after = text[max(0, m.start() - 6):m.start()], text[m.end():m.end() + 6]
        if _FRACTION_CONTEXT_BEFORE.search(before) or _FRACTION_CONTEXT_AFTER.match(after):
            num, den = Decimal(m.group(1)), Decimal(m.group(2))
            if den != 0:
                found.append(Quantity(m.start(), m.end(), num / den, "", "ratio", "ratio"))
    for m in _FRACTION_BUN.finditer(text):
        den, num = parse_numeral(m.group(1)), parse_numeral(m.group(2))
        if den != 0:
            found.append(Quantity(m.start(), m.end(), num / den, "", "ratio", "ratio"))
    return found


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001")).normalize() if value != value.to_integral_value() else value


def find_quantities(text: str, tokens: Tokens) -> list[Quantity]:
    """Every metric mention in ``text``, in order, with qualifiers, ranges, per and deltas."""
    found = _fractions(text)
    taken = [(q.start, q.end) for q in found]
    counter_re = counter_regex()
    consumed = 0
    per_from_base = ""
    for m in NUMERAL.finditer(text):
        start, end = m.start(), m.end()
        if start < consumed or any(s <= start < e for s, e in taken):
            continue
        if _is_excluded_numeral(text, start, end, tokens):
            continue
        value_max: Decimal | None = None
        lower = m.group()
        cm = counter_re.match(text, end)
        range_end = end
        if not cm:
            rm = _RANGE_SEP.match(text, end)
            upper = NUMERAL.match(text, rm.end()) if rm else None
            cm = counter_re.match(text, upper.end()) if upper else None
            if not cm:
                continue
            value_max = parse_numeral(upper.group())
            if has_multiplier(upper.group()) and not has_multiplier(lower):
                multiplier = value_max / parse_numeral(upper.group().rstrip("千万億兆") or "1")
                lower_value = parse_numeral(lower) * multiplier
            else:
                lower_value = parse_numeral(lower)
            range_end = upper.end()
        else:
            lower_value = parse_numeral(lower)
        counter = lookup(cm.group())
        if _is_date(text, start, end, counter.counter, cm.end()):
            consumed = cm.end()
            continue
        after = cm.end()
        if re.match(r"目|周年", text[after:]):
            continue
        if value_max is None:
            rm = _RANGE_SEP.match(text, after)
            upper = NUMERAL.match(text, rm.end()) if rm else None
            cm2 = counter_re.match(text, upper.end()) if upper else None
            if cm2 and lookup(cm2.group()) == counter:
                value_max = parse_numeral(upper.group())
                after = cm2.end()
        if re.match(r"(?:当たり|あたり|につき)", text[after:]):
            per_from_base = counter.unit.replace("か", "")
            consumed = after
            continue
        if (lower_value == 1 and counter.counter in _PER_TIME_UNITS and value_max is None
                and NUMERAL.match(text, after) and counter_re.match(text, NUMERAL.match(text, after).end())):
            per_from_base = _PER_TIME_UNITS[counter.counter]
            consumed = after
            continue
        q = Quantity(start, after, _round(lower_value * counter.scale), counter.unit,
                     counter.unit_category, counter.kind)
        if value_max is not None:
            q.value_max = _round(value_max * counter.scale)
            q.qualifiers.add("range")
        if per_from_base and text[consumed:start].strip() == "":
            q.per = per_from_base
        per_from_base = ""
        q.prefix_start = _prefixes(text, start, tokens, q)
        suffix_end = _suffixes(text, after, q)
        direction = _DIRECTION.match(text, suffix_end)
        q.suffix_end = direction.end() if direction else suffix_end
        if q.kind == "delta" or direction:
            _mark_delta(text, q, direction.group(1) if direction else "")
        found.append(q)
        consumed = after
    return sorted(found, key=lambda q: (q.start, q.end))


def _mark_delta(text: str, q: Quantity, word: str) -> None:
    """A change against a base: direction from the word (or X倍), basis from the clause before."""
    if word:
        q.delta_direction = "increase" if word in _INCREASE else "decrease"
    else:
        q.delta_direction = "increase" if q.value >= 1 else "decrease"
    q.kind = "delta"
    clause_start = max(text.rfind(ch, 0, q.start) for ch in "。、（(") + 1
    clause_start = min(clause_start, q.start)
    window = text[max(0, q.start - 30):q.start]
    bases = list(_BASIS.finditer(window))
    if bases:
        q.delta_basis = bases[-1].group()
    elif clause_start < q.start:
        bases = list(_BASIS.finditer(text[clause_start:q.start]))
        q.delta_basis = bases[-1].group() if bases else ""
