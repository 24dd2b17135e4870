"""The one bracket scanner: how deep inside （…） a character is, and which brackets pair up.

A breakdown (計：1,285件（英語968件、…）) or an aside ((2023年調査は…)) is read by its brackets;
sentences, relations, concepts and periods all ask this module, so they agree on what is inside.
"""

from __future__ import annotations

import re

#: Round brackets, full and half width: they hold breakdowns and asides.
PAREN_OPEN, PAREN_CLOSE = "（(", "）)"
#: （…）, (…): a round bracket and what it holds (no bracket inside).
BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
#: Every bracket that keeps a sentence whole (a space inside 「…」 does not end it).
ALL_OPEN, ALL_CLOSE = "（(「『【", "）)」』】"


def depths(text: str, opening: str = PAREN_OPEN, closing: str = PAREN_CLOSE) -> list[int]:
    """``depths[i]``: how many brackets enclose character ``i``; a bracket counts as inside
    itself, and a closing bracket without an opening one is ignored."""
    out, depth = [], 0
    for ch in text:
        if ch in opening:
            depth += 1
        out.append(depth)
        if ch in closing:
            depth = max(0, depth - 1)
    return out


def pairs(text: str, opening: str = PAREN_OPEN, closing: str = PAREN_CLOSE) -> list[tuple[int, int]]:
    """(open, close) offsets of every matched bracket pair, in the order they close."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in opening:
            stack.append(i)
        elif ch in closing and stack:
            spans.append((stack.pop(), i))
    return spans
