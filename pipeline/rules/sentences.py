"""Split cell text into sentences without losing offsets.

Cells from PDF tables join bullet items with spaces instead of 。, so a space outside
brackets ends a sentence too; inside （…） it does not (a breakdown stays whole), nor after a
particle or a comma, where it only sets a figure off from its words (前年度に比べ 4,321件減少).
"""

from __future__ import annotations

import re

from pipeline.text.brackets import ALL_CLOSE, ALL_OPEN, depths, pairs

_FINAL = "。！？!?"
#: The review sheets write a line break as a slash after words (…1/4/令和5年度実績), not between digits:
#: the end of a field's segment.
SEGMENT_END = re.compile(r"(?<=[^\d\s])/|/(?=[^\d\s])|\s/\s")
#: Particles that continue a sentence after a bracket.
_GOES_ON = frozenset("はがをにとでものや、")
#: The last character of words a sentence cannot end on: a case particle, は, the stem of 比べ, or a comma (not
#: the kana that end a label: 一時預かり, 大腸がん, 子ども).
_OPEN_ENDING = re.compile(r"[はがをにでべ、,]")
#: 、うちオンライン相談, 。うち戸籍証明, 26人のうち、有償ボランティア: the label of a part, which its figure follows.
_PART_LABEL = re.compile(r"(?:^|(?<=[、。\s/])|の)(?:その|この)?うち[、,]?[^\s、。\d()（）/]{0,15}$")
#: 389人 33人増, 1,140件 64件減: a change set off by a space after the figure it changes (a row of a table).
_CHANGE_AFTER = re.compile(r"[+△▲]?\d[\d,.]*[^\d\s、。()]{0,4}?[増減](?![\u4e00-\u9fff])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, surrounding spaces excluded, in text order."""
    spans: list[tuple[int, int]] = []
    start = 0
    depth = depths(text, ALL_OPEN, ALL_CLOSE)
    aside = _continued_asides(text)
    for i, ch in enumerate(text):
        if (ch in _FINAL and not aside[i]) or (ch.isspace() and depth[i] == 0 and not _goes_on_past(text, i)):
            end = i + 1 if ch in _FINAL else i
            _add(text, spans, start, end)
            start = i + 1
    _add(text, spans, start, len(text))
    return spans


def _goes_on_past(text: str, i: int) -> bool:
    """前年度に比べ 4,321件減少, 最終合格者は 38人, 4,362件、うちオンライン相談 1,208件: a space after a particle,
    a comma or the label of a part sets a figure off from its words, and one before a change (389人 33人増) sets it
    off from the figure it changes; no sentence ends on those."""
    return text[i] in " \t\u3000" and i > 0 and bool(
        _OPEN_ENDING.match(text[i - 1]) or _PART_LABEL.search(text, max(0, i - 24), i)
        or _CHANGE_AFTER.match(text, i + 1))


def _continued_asides(text: str) -> list[bool]:
    """Characters inside a bracket after which the sentence goes on: (以下「総認知件数」という。)は
    21,043件 — its 。 closes the aside, not the sentence."""
    inside = [False] * len(text)
    for open_, close in pairs(text):
        if text[close + 1:close + 2] in _GOES_ON:
            inside[open_:close] = [True] * (close - open_)
    return inside


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span that contains ``pos`` (or the nearest one before it)."""
    best = spans[0] if spans else (0, 0)
    for span in spans:
        if span[0] <= pos:
            best = span
    return best
