"""Normalise cell text for parsing while keeping a map back to the original offsets.

Every mention the pipeline reports must satisfy ``cell[start:end] == surface`` on the text
exactly as the input file has it, so normalisation never edits a string in place: it
builds a new string together with ``origin[i]``, the index in the original text of the
character that produced normalised character ``i``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Characters whose NFKC form would turn a list marker into a bare digit (① → 1).
_KEEP_AS_IS = set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕❶❷❸❹❺❻❼❽❾❿➀➁➂➃➄➅➆➇➈➉")
#: Tortoise-shell brackets (〔開業から概ね10年程度で完成予定〕) enclose an aside as round ones do; NFKC
#: leaves them as they are.
_AS_ROUND = {"〔": "(", "〕": ")"}
#: Invisible characters that PDF and web extraction leave inside words.
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
#: A space that a PDF line wrap put inside a number: `31 0名`, `7 /27`; not the space after an era
#: year written short (R2 23件, H30 5件: the year, then the figure), nor after the last of a run of
#: numbered classes (要介護1・2 3,000円: the label, then the figure).
_WRAPPED_DIGITS = re.compile(r"(?<=\d)(?<![RHS]\d)(?<![RHS]\d\d)(?<!\d・\d)(?<!\d・\d\d) (?=\d|/\d)|(?<=\d/) (?=\d)")
#: The numbers on either side of such a space.
_NUMBER_BEFORE = re.compile(r"[\d,.]+$")
_NUMBER_AFTER = re.compile(r"[\d,.]+")
#: A numeral as it is written whole: comma groups of three, one decimal point.
_WHOLE_NUMERAL = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
#: Three or more numbers parted by single spaces: the cells of a flattened table's row (214 238 251).
_ROW_OF_NUMBERS = re.compile(r"(?<![\d,.])[\d,.]+(?: [\d,.]+){2,}(?![\d,.])")


def _wrapped_at(text: str, space: int, rows: list[tuple[int, int]]) -> bool:
    """Whether a space between digits is a PDF line wrap inside one number (31 0名 = 310), rather than the
    space between two cells of a row: a wrap splits one number once, so the joined digits must make one
    whole numeral (53,410 52,876 and 29.0 29.8 do not), and a row of three or more numbers is cells."""
    if text[space + 1] == "/" or text[space - 1] == "/":
        return True  # 7 /27, 7/ 27: a date's parts
    before = _NUMBER_BEFORE.search(text, 0, space)
    after = _NUMBER_AFTER.match(text, space + 1)
    joined = (before.group() if before else "") + (after.group() if after else "")
    return bool(_WHOLE_NUMERAL.fullmatch(joined.rstrip(",."))) and not any(s < space < e for s, e in rows)


@dataclass(frozen=True)
class NormalizedText:
    """A normalised string and, per character, the original span [origin, origin_end) it came from.

    A character composed from two (ｼﾞ → ジ) spans both, so a span ending on it keeps the mark.
    """

    original: str
    text: str
    origin: tuple[int, ...]
    origin_end: tuple[int, ...]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original span that produced it."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else len(self.original)
            return pos, pos
        return self.origin[start], self.origin_end[end - 1]

    def original_span_text(self, start: int, end: int) -> str:
        s, e = self.span_to_original(start, end)
        return self.original[s:e]


def _nfkc_char(ch: str) -> str:
    if ch in _KEEP_AS_IS:
        return ch
    if ch in _DROP:
        return ""
    if ch in _AS_ROUND:
        return _AS_ROUND[ch]
    if ch in "\r\n":
        return "\n"  # a line break heads, closes or separates what the sheet wrote on lines
    if unicodedata.category(ch) == "Cc":
        return " "
    return unicodedata.normalize("NFKC", ch)


def normalize(original: str) -> NormalizedText:
    """NFKC per character, invisible characters dropped, PDF-wrapped digits rejoined.

    Half-width kana followed by a voicing mark are composed (ｶﾞ → ガ), so the result
    equals whole-string NFKC on everything but the protected list markers and the brackets read as round.
    """
    chars: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    for i, ch in enumerate(original):
        out = "" if ch == "\r" and original[i + 1:i + 2] == "\n" else _nfkc_char(ch)  # one break, not two
        for piece in out:
            if unicodedata.combining(piece) and chars:
                composed = unicodedata.normalize("NFC", chars[-1] + piece)
                if len(composed) == 1:
                    chars[-1] = composed
                    origin_end[-1] = i + 1
                    continue
            chars.append(piece)
            origin.append(i)
            origin_end.append(i + 1)
    text = "".join(chars)
    keep = [True] * len(text)
    rows = [m.span() for m in _ROW_OF_NUMBERS.finditer(text)]
    for m in _WRAPPED_DIGITS.finditer(text):
        keep[m.start()] = (original[origin[m.start()]] == "\u3000"  # 要支援1　300円: a space typed to part them
                           or not _wrapped_at(text, m.start(), rows))
    return NormalizedText(
        original=original,
        text="".join(c for c, k in zip(text, keep) if k),
        origin=tuple(o for o, k in zip(origin, keep) if k),
        origin_end=tuple(o for o, k in zip(origin_end, keep) if k),
    )
