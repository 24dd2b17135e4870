"""The counter dictionary: which words after a number make it a metric, and what they measure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import resources
from pipeline.rules.numbers import LARGE_UNITS, SMALL_UNITS

#: Spellings of the small "ka" in counters such as か所, か月, か国語 (ヶ所, ケ月, 箇国語 …).
KA_VARIANTS = "かヶケカヵ箇"


@dataclass(frozen=True)
class Counter:
    counter: str
    unit: str
    unit_category: str
    kind: str
    scale: int
    also_counts: tuple[str, ...] = ()  # the categories it may count too (団体: municipalities)


@lru_cache(maxsize=1)
def counters() -> dict[str, Counter]:
    """The counters from ``resources/counters.tsv`` keyed by their dictionary form."""
    table: dict[str, Counter] = {}
    text = resources.text("counters.tsv")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        counter, unit, category, kind, scale, *also = line.split("\t")
        table[counter] = Counter(counter, unit, category, kind, int(scale), tuple(also))
    return table


def _pattern(counter: str) -> str:
    escaped = re.escape(counter).replace("か", f"[{KA_VARIANTS}]")
    if counter.isascii() and counter[-1].isalpha():
        escaped += "(?![A-Za-z])"  # 5m, not the m of 5mail
    return escaped


@lru_cache(maxsize=1)
def counter_regex() -> re.Pattern[str]:
    """Longest counter first, so that 人槽 wins over 人 and か月間 over か月."""
    ordered = sorted(counters(), key=lambda c: (-len(c), c))
    return re.compile("|".join(_pattern(c) for c in ordered))


def lookup(written: str) -> Counter:
    """The dictionary entry for a counter as written in NFKC text (ヶ所 → か所)."""
    key = written
    for variant in KA_VARIANTS[1:]:
        key = key.replace(variant, "か")
    if key in counters():
        return counters()[key]
    return counters()[written]


#: 148自治会中131自治会, 4クリーンセンターから(来年度は)3クリーンセンター, 放課後児童クラブは32クラブ: a word that
#: follows both numbers of one comparison, or that ends the name of what a number counts and
#: follows it, is the counter of both, though no dictionary lists it.
_REPEATED = re.compile(
    r"\d(?P<a>[一-龥ァ-ヶー]{2,8}?)\s?(?:中|のうち|から|→|⇒)[、\s]?[^、。\d]{0,8}?\d[\d,]*(?P=a)"
    r"|(?P<b>[一-龥ァ-ヶー]{2,8}?)\s?[はが]\s?(?:約|全|計)?\d[\d,]*(?P=b)(?![一-龥ァ-ヶー])")


#: 1丁目から3丁目, 2次医療圏から3次医療圏, 5合目から8合目: words that number a place in a sequence, no counter.
_POSITION = re.compile(r"^(?:次|号|丁|番|期|合|条|章|節|代|区)|目$")


def counters_by_repetition(text: str) -> dict[str, Counter]:
    """The words ``text`` uses as counters by writing them after two figures (see ``_REPEATED``),
    each a count of its own unit."""
    known = counter_regex()
    words = {m.group("a") or m.group("b") for m in _REPEATED.finditer(text)}
    return {w: Counter(counter=w, unit=w, unit_category=w, kind="count", scale=1)  # a category of its own
            for w in sorted(words) if not known.match(w) and not _POSITION.search(w)}


def written_alone(unit_text: str) -> Counter | None:
    """The counter of a unit written apart from its numbers (a table's column, a heading's
    （単位：千円）), a money multiplier folded into its scale (千円 → 円 × 1,000); None when the
    words are no counter."""
    multiplier = re.match(r"[十百千万億兆]*", unit_text).group()  # type: ignore[union-attr]
    scale = 1
    for ch in multiplier:
        scale *= (SMALL_UNITS | LARGE_UNITS)[ch]
    try:
        c = lookup(unit_text[len(multiplier):] or unit_text)
    except KeyError:
        return None
    return Counter(unit_text, c.unit, c.unit_category, c.kind, c.scale * scale)
