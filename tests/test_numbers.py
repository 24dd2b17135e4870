"""numbers.parse_numeral and format_value on the numerals of the つくば table and the guidelines."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.rules.numbers import NUMERAL, format_value, parse_numeral

KANJI_DIGITS = "〇一二三四五六七八九"
_TO_FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("text, value", [
    ("2,230", "2230"),                 # チャンネル登録者数が2,230人
    (nfkc("１，２８５"), "1285"),        # 計：1,285件, typed full width
    ("42,444", "42444"),
    ("三千", "3000"),
    ("1億2,345万", "123450000"),
    ("1万6,298", "16298"),
    ("850千", "850000"),
    ("2万", "20000"),                   # 2万人の3食3日分
    ("48.9", "48.9"),                  # 回答率48.9%
    ("167.05", "167.05"),
    ("二十五", "25"),
    ("十", "10"),
    ("千", "1000"),
    ("二千五百", "2500"),
    ("一億", "100000000"),
    ("1.5万", "15000"),
    ("二〇二三", "2023"),
    ("0", "0"),
])
def test_parse_numeral(text: str, value: str) -> None:
    assert parse_numeral(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "人", "件", "2,230人", "第1回", "約", "①", "1.2.3", "12 3",
                                  "1,2", "-5", "CHTF", "三千人", "5万万", "0億億", "二万万"])
def test_parse_numeral_rejects_non_numerals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_numeral(text)


@pytest.mark.parametrize("value, text", [
    (Decimal("20000"), "20000"),
    (Decimal("2E+4"), "20000"),
    (Decimal("48.9"), "48.9"),
    (Decimal("48.90"), "48.9"),
    (Decimal("0.5"), "0.5"),
    (Decimal("0.500"), "0.5"),
    (Decimal("1E-7"), "0.0000001"),
    (Decimal("123450000"), "123450000"),
    (Decimal("1.0"), "1"),
    (Decimal("0"), "0"),
])
def test_format_value_is_a_plain_decimal(value: Decimal, text: str) -> None:
    assert format_value(value) == text


@pytest.mark.parametrize("numeral, text", [("2万", "20000"), ("850千", "850000"), ("1.5万", "15000"),
                                           ("1億2,345万", "123450000"), ("48.9", "48.9")])
def test_parsed_values_format_without_exponent_or_trailing_zeros(numeral: str, text: str) -> None:
    assert format_value(parse_numeral(numeral)) == text


# --------------------------------------------------------------------------- properties

def kanji_section(n: int, omit_one: bool) -> str:
    """1..9999 in kanji with 千/百/十 (二千五百); ``omit_one`` writes 千 rather than 一千."""
    assert 0 < n < 10_000
    out = ""
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, unit_value)
        if digit:
            out += ("" if digit == 1 and omit_one else KANJI_DIGITS[digit]) + unit
    return out + (KANJI_DIGITS[n] if n else "")


def to_kanji(n: int, omit_one: bool = True, ascii_sections: bool = False) -> str:
    """A non-negative integer with 兆/億/万 sections: 一億二千三百四十五万 or 1億2,345万."""
    if n == 0:
        return "〇"
    parts = []
    for unit_value, unit in ((10**12, "兆"), (10**8, "億"), (10**4, "万"), (1, "")):
        section, n = divmod(n, unit_value)
        if section:
            parts.append((f"{section:,}" if ascii_sections else kanji_section(section, omit_one)) + unit)
    return "".join(parts)


def positional_kanji(n: int) -> str:
    """Digit by digit in kanji: 二〇二三."""
    return "".join(KANJI_DIGITS[int(d)] for d in str(n))


def test_kanji_renderer_examples() -> None:
    """The renderer itself, on numbers from the guidelines."""
    assert to_kanji(3000) == "三千"
    assert to_kanji(25) == "二十五"
    assert to_kanji(123450000, ascii_sections=True) == "1億2,345万"
    assert to_kanji(16298, ascii_sections=True) == "1万6,298"
    assert to_kanji(1010, omit_one=False) == "一千一十"


_INTEGERS = st.integers(min_value=0, max_value=10**16 - 1)


@given(_INTEGERS)
def test_ascii_integers_read_back(n: int) -> None:
    assert parse_numeral(str(n)) == n
    assert parse_numeral(f"{n:,}") == n
    assert parse_numeral(nfkc(f"{n:,}".translate(_TO_FULLWIDTH))) == n
    assert parse_numeral(nfkc(str(n).translate(_TO_FULLWIDTH))) == n


@given(_INTEGERS, st.booleans())
def test_kanji_integers_read_back(n: int, omit_one: bool) -> None:
    assert parse_numeral(to_kanji(n, omit_one)) == n
    assert parse_numeral(to_kanji(n, ascii_sections=True)) == n
    assert parse_numeral(positional_kanji(n)) == n


@given(st.integers(min_value=1, max_value=10**9))
def test_thousands_multiplier_reads_back(n: int) -> None:
    """850千円 style: the number before 千 is multiplied by a thousand."""
    assert parse_numeral(f"{n:,}千") == n * 1000
    assert parse_numeral(f"{n}千") == n * 1000


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=3))
def test_decimals_with_up_to_three_places_read_back(units: int, places: int) -> None:
    value = Decimal(units).scaleb(-places)
    for text in (f"{value:.{places}f}", f"{value:,.{places}f}"):
        parsed = parse_numeral(text)
        assert parsed == value
        formatted = format_value(parsed)
        assert "E" not in formatted.upper() and Decimal(formatted) == value
        assert not (("." in formatted) and formatted.endswith("0"))


@given(st.text(alphabet="0123456789,.〇一二三四五六七八九十百千万億兆年人 ", max_size=24))
def test_every_numeral_the_scanner_finds_can_be_read(text: str) -> None:
    """Whatever digits, kanji and multipliers a cell strings together, reading never fails."""
    for m in NUMERAL.finditer(text):
        parse_numeral(m.group())
