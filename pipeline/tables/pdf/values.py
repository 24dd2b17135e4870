"""Cell values of the sheets' tables: the number a cell states, with its sign and qualifiers.

The sheets write numbers the way people type them into a spreadsheet: full-width digits,
▲/△ for a minus, a dash for "nothing", 以上/未満 after a threshold, 〜 for a range, and a
unit glued on (10.0人). A narrow cell may wrap a number over two lines (``430,77`` / ``7``);
the grid joins those lines without a separator before the text gets here. This module turns
one cell's text into a :class:`CellValue`, keeping what it cannot read as ``value=None`` so
the row is never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Characters that, alone in a cell, mean "no figure" (after NFKC, which has already turned
#: － into -). The long-vowel mark ー and the box-drawing ─ stand in for dashes in some sheets.
DASHES = frozenset("-‐‑‒–—―−ー─━/／・…")
#: A leading mark that makes the number negative: the accounting triangles and minus signs.
NEGATIVE_MARKS = ("▲", "△", "▼", "-", "−", "‐")
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_RANGE = re.compile(rf"^(?P<low>{_NUMBER})[^\d]*?(?:~|〜|～|から)(?P<high>{_NUMBER})")
_FRACTION = re.compile(rf"^(?P<num>{_NUMBER})/(?P<den>{_NUMBER})")
_LEADING = re.compile(rf"^(?P<num>{_NUMBER})(?P<rest>.*)$", re.DOTALL)
#: Words before the number and the guideline qualifier each gives.
_PREFIXES = (("およそ", "approx"), ("概ね", "approx"), ("約", "approx"), ("延べ", "cumulative"),
             ("累計", "cumulative"), ("合計", "total"), ("計", "total"), ("うち", "subset"))
#: Words after the number (and its unit) and the qualifier each gives.
_SUFFIXES = (("以上", "at_least"), ("未満", "less_than"), ("以下", "at_most"), ("以内", "at_most"),
             ("を超える", "more_than"), ("超", "more_than"), ("程度", "approx"), ("前後", "approx"),
             ("ほど", "approx"), ("強", "approx"), ("弱", "approx"))
_QUALIFIER_WORDS = "|".join(word for word, _ in _SUFFIXES)
#: A unit written inside the cell right after the number: letters, kana, kanji or %, up to
#: the first bracket or qualifier word.
_UNIT = re.compile(rf"^(?!{_QUALIFIER_WORDS})(?P<unit>[^\d\s()（）\[\]【】、,。]+?)"
                   rf"(?={_QUALIFIER_WORDS}|[(（]|$)")


@dataclass(frozen=True)
class CellValue:
    """What a cell's text says: ``value`` is None when the cell is empty, a dash or prose."""

    value: float | None
    value_max: float | None = None
    qualifier: str = ""
    unit: str = ""


def compact(text: str) -> str:
    """``text`` without line breaks and without the spacing between non-ASCII characters.

    Sheets justify labels with spaces (事 業 費 Ａ) and wrap narrow cells (``430,77`` / ``7``);
    both are layout, not content. A space or line break between two ASCII word characters
    (YOKOHAMA Hack!) is content and stays as one space, unless the two sides are digits of
    one wrapped number.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for line in lines:
        if out and _word_char(out[-1]) and _word_char(line[0]) \
                and not re.fullmatch(r"[\d,.]+", _last_token(out) + _first_token(line)):
            out += " "
        out += line
    return re.sub(r"\s+", lambda m: _space_between(out, m), out)


def _word_char(ch: str) -> bool:
    """An ASCII letter or digit: the characters that spaces separate in Latin text."""
    return ch.isascii() and ch.isalnum()


def _last_token(text: str) -> str:
    """The run of non-space characters at the end of ``text``."""
    return re.split(r"\s", text)[-1]


def _first_token(text: str) -> str:
    """The run of non-space characters at the start of ``text``."""
    return re.split(r"\s", text)[0]


def _space_between(text: str, match: re.Match[str]) -> str:
    """One space between two ASCII characters, nothing where either side is not ASCII."""
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return " " if before and after and before.isascii() and after.isascii() else ""


def parse_value(text: str) -> CellValue:
    """Read the number in one table cell.

    ``▲1,234`` → −1234; a dash or an empty cell → None; ``0.03未満`` → 0.03 less_than;
    ``８０以上`` → 80 at_least; ``1〜3`` → 1 with value_max 3 and qualifier range;
    ``43/100`` → 0.43 (a fraction is its decimal, as the guidelines define a ratio);
    ``10.0人`` → 10 with unit 人. Anything without a leading number (集計中, 該当なし) → None.
    """
    s = unicodedata.normalize("NFKC", text)
    # A closing bracket cannot start a number: it is the tail of a label that overflowed
    # into the cell ((差引)一般財源(B) leaves its ")" before 375,620).
    s = re.sub(r"\s+", "", s).lstrip(")]】")
    if not s or all(ch in DASHES for ch in s):
        return CellValue(None)
    qualifiers: list[str] = []
    for word, qualifier in _PREFIXES:
        if s.startswith(word):
            s = s[len(word):]
            qualifiers.append(qualifier)
            break
    sign = 1.0
    if s[:1] in NEGATIVE_MARKS:
        sign, s = -1.0, s[1:]
    if not (s[:1].isdigit() or s[:1] == "."):
        return CellValue(None)
    ranged = _RANGE.match(s)
    if ranged:
        low, high = _to_float(ranged["low"]), _to_float(ranged["high"])
        rest = s[ranged.end():]
        return CellValue(sign * low, high, _join(qualifiers + ["range"] + _suffixes(rest)),
                         _unit(rest))
    fraction = _FRACTION.match(s)
    if fraction and _to_float(fraction["den"]) != 0:
        value = _to_float(fraction["num"]) / _to_float(fraction["den"])
        return CellValue(sign * value, None, _join(qualifiers + _suffixes(s[fraction.end():])))
    leading = _LEADING.match(s)
    assert leading is not None  # s starts with a digit or a point, so _NUMBER matches
    rest = leading["rest"]
    return CellValue(sign * _to_float(leading["num"]), None, _join(qualifiers + _suffixes(rest)),
                     _unit(rest))


def _to_float(number: str) -> float:
    """``"1,234.5"`` → 1234.5."""
    return float(number.replace(",", ""))


def _suffixes(rest: str) -> list[str]:
    """The qualifiers that the words after the number give (after any unit)."""
    found: list[str] = []
    for word, qualifier in _SUFFIXES:
        if word in rest and qualifier not in found:
            found.append(qualifier)
            rest = rest.replace(word, "")
    return found


def _unit(rest: str) -> str:
    """The unit glued to the number (人 of ``10.0人``), or ""."""
    match = _UNIT.match(rest)
    return match["unit"] if match else ""


def _join(qualifiers: list[str]) -> str:
    """Comma-joined qualifiers, each once, in the order found."""
    return ",".join(dict.fromkeys(qualifiers))
