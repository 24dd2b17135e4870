"""Read Japanese numerals: ASCII digits with commas, kanji digits, and 万/億 multipliers.

Operates on NFKC text (full-width digits are already ASCII there). Values are returned
as :class:`decimal.Decimal` so that 1億2,345万 and 0.1 survive without float noise.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}

_ASCII = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_KANJI = "〇一二三四五六七八九十百千"
#: A numeral: segments (2,345 or 850千 or 三千二百) joined by 万/億/兆 (1億2,345万, 1万6,298).
#: A kanji digit never runs straight into ASCII digits (〇2022 is two numerals), and a multiplier
#: never follows another (5万万 is no numeral: 5万 and a stray 万).
_SEGMENT = rf"(?:{_ASCII})[千百十]*|[{_KANJI}]+"
NUMERAL = re.compile(rf"(?:{_SEGMENT})(?:[万億兆](?:{_SEGMENT}))*[万億兆]?")
_PIECE = re.compile(rf"{_ASCII}|[{_KANJI}]|[万億兆]|零")


def parse_numeral(text: str) -> Decimal:
    """Value of a numeral such as ``2,230``, ``三千``, ``1億2,345万`` or ``850千``.

    Raises ValueError when the string is not a numeral.
    """
    if not text or _PIECE.sub("", text) != "":
        raise ValueError(f"not a numeral: {text!r}")
    total = Decimal(0)      # completed 万/億/兆 sections
    section = Decimal(0)    # below 万
    current: Decimal | None = None
    previous = ""
    for piece in _PIECE.findall(text):
        if piece in KANJI_DIGITS:
            current = (current or 0) * 10 + KANJI_DIGITS[piece]
        elif piece in SMALL_UNITS:
            section += (current if current is not None else 1) * SMALL_UNITS[piece]
            current = None
        elif piece in LARGE_UNITS:
            if previous in LARGE_UNITS:
                raise ValueError(f"a multiplier after a multiplier: {text!r}")
            section += current or 0
            total += (section or 1) * LARGE_UNITS[piece]
            section, current = Decimal(0), None
        else:
            if current is not None:
                raise ValueError(f"two numbers without a unit between them: {text!r}")
            current = Decimal(piece.replace(",", ""))
        previous = piece
    return total + section + (current or 0)


def glued_range(text: str) -> tuple[str, str] | None:
    """600万1,200万 → (600万, 1,200万): a numeral whose 万/億/兆 do not descend is two numerals
    whose 〜 was lost when the sheet was extracted from PDF; None for a well-formed numeral."""
    units = [(m.start(), LARGE_UNITS[m.group()]) for m in re.finditer("[万億兆]", text)]
    for (pos, unit), (_, later) in pairwise(units):
        if later >= unit:
            return text[:pos + 1], text[pos + 1:]
    return None


def has_multiplier(text: str) -> bool:
    """Whether a numeral carries 千/万/億/兆 (so a bare lower range bound borrows it)."""
    return any(ch in text for ch in "千万億兆") and not text.isdigit()


def is_kanji_only(text: str) -> bool:
    return not any(ch.isdigit() for ch in text)


def format_value(value: Decimal) -> str:
    """A plain decimal string without exponent or trailing zeros: 20000, 48.9, 0.5."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
