"""textnorm.normalize: NFKC for parsing, with every normalised character mapped to its origin.

Examples are real cells of the つくば FY2023 table (through the ``tsukuba_cells`` fixture), or
real phrases rewritten the way other PDFs and spreadsheets deliver them (full-width digits,
zero-width spaces, half-width kana).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from spacy.language import Language

from pipeline.text.textnorm import NormalizedText, normalize

ZWSP = "\u200b"
_TO_FULLWIDTH = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")


def span_of(norm: NormalizedText, needle: str) -> tuple[int, int]:
    """The normalised span of the first ``needle`` in ``norm.text`` (fails if absent)."""
    start = norm.text.find(needle)
    assert start >= 0, f"{needle!r} not in normalised text {norm.text!r}"
    return start, start + len(needle)


def back(norm: NormalizedText, needle: str) -> str:
    """The original text behind the first ``needle`` of the normalised text."""
    s, e = norm.span_to_original(*span_of(norm, needle))
    return norm.original[s:e]


def test_pdf_wrapped_number_is_joined_and_maps_back(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    cell = tsukuba_cells[("160", "outcome")]
    assert "31 0名" in cell
    norm = normalize(cell)
    assert "310名" in norm.text and "31 0名" not in norm.text
    start, end = norm.span_to_original(*span_of(norm, "310名"))
    assert cell[start:end] == "31 0名"
    assert (start, end) == (cell.index("31 0名"), cell.index("31 0名") + len("31 0名"))
    # the neighbouring 335名 is untouched and maps one to one
    assert back(norm, "335名") == "335名"


def test_wrapped_number_is_one_numeral_token_for_ginza(nlp: Language, tsukuba_cells: dict[tuple[str, str], str]) -> None:
    """The join exists so that the parser sees 310, not 31 and 0."""
    doc = nlp(normalize(tsukuba_cells[("160", "outcome")]).text)
    numerals = [t.text for t in doc if t.pos_ == "NUM"]
    assert "310" in numerals and "31" not in numerals


@pytest.mark.parametrize("original, expected", [
    ("１，２８５件", "1,285件"),
    ("63.2％", "63.2%"),
    ("回答率４８．９％", "回答率48.9%"),
    ("167.05ｋ㎡", "167.05km2"),
    ("8.41ｋ㎡", "8.41km2"),
])
def test_fullwidth_and_compatibility_characters_become_ascii(original: str, expected: str) -> None:
    norm = normalize(original)
    assert norm.text == expected
    assert norm.original_span_text(0, len(norm.text)) == original


def test_km2_maps_back_to_both_source_characters() -> None:
    norm = normalize("面積は167.05ｋ㎡")
    assert back(norm, "167.05km2") == "167.05ｋ㎡"
    # the two characters m2 both come from ㎡
    m = norm.text.index("m2")
    assert norm.original_span_text(m, m + 1) == "㎡" and norm.original_span_text(m + 1, m + 2) == "㎡"


def test_fullwidth_copy_of_real_cell_normalises_like_the_cell(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    cell = tsukuba_cells[("159", "outcome")]
    wide = cell.translate(_TO_FULLWIDTH)
    assert wide != cell
    assert normalize(wide).text == normalize(cell).text
    norm = normalize(wide)
    assert back(norm, "1,285件") == "１，２８５件"
    assert back(norm, "15,835部") == "１５，８３５部"


@pytest.mark.parametrize("marker", ["①", "②", "⑩", "⑳"])
def test_circled_list_markers_stay(marker: str) -> None:
    norm = normalize(f"{marker}英語968件")
    assert norm.text == f"{marker}英語968件"
    assert unicodedata.normalize("NFKC", marker) != marker  # plain NFKC would make it a digit


def test_zero_width_spaces_are_dropped_and_offsets_still_map(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    cell = tsukuba_cells[("4", "outcome")]
    dirty = cell.replace("2,230人", f"2,2{ZWSP}30人").replace("昨年比", f"{ZWSP}昨年比")
    norm = normalize(dirty)
    assert ZWSP not in norm.text
    assert norm.text == normalize(cell).text
    assert back(norm, "2,230人") == f"2,2{ZWSP}30人"
    assert back(norm, "600人") == "600人"
    assert all(dirty[o] != ZWSP for o in norm.origin)


@pytest.mark.parametrize("field_key, wrapped, joined", [
    (("161", "outcome"), "7 /27-30", "7/27-30"),
    (("161", "outcome"), "10 /16-20", "10/16-20"),
])
def test_wrapped_dates_are_joined(tsukuba_cells: dict[tuple[str, str], str], field_key: tuple[str, str],
                                  wrapped: str, joined: str) -> None:
    cell = tsukuba_cells[field_key]
    assert wrapped in cell
    norm = normalize(cell)
    assert joined in norm.text
    assert back(norm, joined) == wrapped


def test_space_between_a_counter_and_the_next_number_is_kept(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    cell = tsukuba_cells[("19", "outcome")]
    assert "96団体 42,444名" in cell
    norm = normalize(cell)
    assert "96団体 42,444名" in norm.text
    assert back(norm, "42,444名") == "42,444名"


def test_name_and_year_keep_their_space(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    assert "CHTF 2023" in normalize(tsukuba_cells[("161", "outcome")]).text


def test_halfwidth_kana_with_voicing_marks_compose(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    assert "ガイドブック" in tsukuba_cells[("7", "outcome")]
    half = "ｶﾞｲﾄﾞﾌﾞｯｸ"
    norm = normalize(half)
    assert norm.text == "ガイドブック" == unicodedata.normalize("NFKC", half)
    assert len(norm.origin) == len(norm.text)
    assert norm.original_span_text(0, len(norm.text)) == half
    assert normalize("ﾊﾟﾈﾙ展示").text == "パネル展示"


def test_tortoise_shell_brackets_read_as_round_ones_and_map_back() -> None:
    original = "北陸新幹線〔開業から概ね１０年後完成予定〕"
    norm = normalize(original)
    assert norm.text == "北陸新幹線(開業から概ね10年後完成予定)"
    start = norm.text.index("(")
    assert norm.original_span_text(start, len(norm.text)) == "〔開業から概ね１０年後完成予定〕"


def test_span_ending_on_composed_kana_includes_its_voicing_mark() -> None:
    """A mention whose counter ends in ｼﾞ must map back to ｼﾞ, not to ｼ (cell[start:end] == surface)."""
    norm = normalize("市HPを5ﾍﾟｰｼﾞ更新した。")
    assert norm.text == "市HPを5ページ更新した。"
    assert back(norm, "5ページ") == "5ﾍﾟｰｼﾞ", (
        "span_to_original drops the half-width voicing mark of the last character of a span")
    g = normalize("ｶﾞｲﾄﾞ")
    assert g.original_span_text(0, 1) == "ｶﾞ", "a composed character maps back to one source char only"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_breaks_stay_one_break_that_maps_back(newline: str) -> None:
    """A sheet's lines head, close or separate its figures, so normalising must not flatten them."""
    original = f"■放置自転車撤去台数{newline}令和5年度\t412台{newline}令和4年度\u3000470台"
    norm = normalize(original)
    assert norm.text == "■放置自転車撤去台数\n令和5年度 412台\n令和4年度 470台"
    assert back(norm, "470台") == "470台"
    assert back(norm, "台数\n令") == f"台数{newline}令"


def test_empty_span_maps_to_a_point() -> None:
    norm = normalize("31 0名")
    assert norm.span_to_original(2, 2) == (3, 3)
    assert norm.span_to_original(len(norm.text), len(norm.text)) == (len(norm.original),) * 2


# --------------------------------------------------------------------------- properties

_DROPPED = "\u200b"
_ALPHABET = st.sampled_from(
    list("0123456789")                   # ASCII digits
    + list("０１２３４５６７８９")          # full-width digits
    + list("かがぱカガパｶｷﾊﾟﾞﾟｰ")          # kana, half-width kana and voicing marks
    + list("件名人回団体万千億事業")          # kanji
    + [" ", " ", "\u3000"]               # spaces, ideographic space
    + [_DROPPED]                        # zero-width space
    + ["％", "①", "⑤", "/", ","])
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
#: A space that the normaliser treats as a PDF line wrap inside a number.
_WRAP = re.compile(r"(?<=\d) (?=\d|/\d)|(?<=\d/) (?=\d)")


def _expected_without_joins(original: str) -> str:
    """NFKC of the original with dropped characters removed and circled markers kept."""
    kept = original.replace(_DROPPED, "")
    parts = re.split(r"([①⑤])", kept)
    return "".join(p if p in ("①", "⑤") else unicodedata.normalize("NFKC", p) for p in parts)


@given(_TEXT)
def test_every_normalised_index_maps_into_the_original(original: str) -> None:
    norm = normalize(original)
    assert norm.original == original
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= o < len(original) for o in norm.origin)
    assert all(a <= b for a, b in zip(norm.origin, norm.origin[1:])), "origin must be non-decreasing"
    assert all(original[o] != _DROPPED for o in norm.origin)
    if norm.text:
        s, e = norm.span_to_original(0, len(norm.text))
        assert 0 <= s <= e <= len(original)


@given(_TEXT)
def test_normalised_text_is_nfkc_minus_dropped_characters(original: str) -> None:
    expected = _expected_without_joins(original)
    assume(not _WRAP.search(expected))
    assert normalize(original).text == expected


@given(st.integers(0, 10**7), st.integers(1, 6), st.sampled_from([" ", f" {_DROPPED}"]))
def test_any_number_split_by_a_wrap_is_rejoined(n: int, cut: int, gap: str) -> None:
    digits = str(n).translate(_TO_FULLWIDTH) if n % 2 else str(n)
    assume(0 < cut < len(digits))
    original = f"参加者{digits[:cut]}{gap}{digits[cut:]}名"
    norm = normalize(original)
    assert norm.text == f"参加者{n}名"
    assert back(norm, f"{n}名") == f"{digits[:cut]}{gap}{digits[cut:]}名"


@given(st.integers(0, 10**7), st.integers(1, 6))
def test_a_typed_full_width_space_parts_two_numbers(n: int, cut: int) -> None:
    """要支援1　300円: a full-width space is the writer's, not a PDF wrap; the numbers stay apart."""
    digits = str(n)
    assume(0 < cut < len(digits))
    norm = normalize(f"区分{digits[:cut]}\u3000{digits[cut:]}円")
    assert norm.text == f"区分{digits[:cut]} {digits[cut:]}円"
