"""Directions stated without a figure (申請件数は増加し, 減少傾向): trend records, not metrics.

An aim (市民サービスの向上を図る) is not a trend: only a change the text states as happening is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from pipeline import resources
from pipeline.rules.docindex import DocIndex

_TREND = resources.directions()["trend"]
INCREASE, DECREASE, FLAT = (frozenset(_TREND[d]) for d in ("increase", "decrease", "flat"))
_CLAUSE_END = frozenset({"、", "。", "，", "・", "（", "）", "(", ")"})


@dataclass(frozen=True)
class Trend:
    start: int
    end: int
    concept: str
    direction: str
    evidence: str


def _direction(tok: Token) -> str:
    if tok.lemma_ in INCREASE:
        return "increase"
    if tok.lemma_ in DECREASE:
        return "decrease"
    return "flat" if tok.lemma_ in FLAT else ""


def _is_stated(tok: Token, trend_noun: bool) -> bool:
    """増加し, 減少した, 減少傾向にある state a change; 向上を図る, 増加に向け state an aim."""
    if trend_noun:
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.pos_ == "ADP" and nxt.text in ("を", "に", "の", "へ"):
        return False
    if tok.doc.text.startswith("させ", tok.idx + len(tok.text)):
        return False  # 広報力を向上させる: making it happen is an aim
    return tok.pos_ == "VERB" or (nxt is not None and nxt.lemma_ in ("する", "だ", "です"))


def _subject(tok: Token) -> str:
    """What changes: the verb's subject, or the nearest noun marked は/が/も before it in its
    clause (人口が減少傾向, 漁業就業者数は一貫して減少傾向), with the words that modify it."""
    doc = tok.doc
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    k = tok.i - 1
    while subj is None and k >= 1 and tok.i - k <= 6 and doc[k].text not in _CLAUSE_END:
        if doc[k].text in ("が", "は", "も") and doc[k - 1].pos_ in ("NOUN", "PROPN"):
            subj = doc[k - 1]
        k -= 1
    if subj is None:
        return ""
    left = subj
    while left.i > 0 and doc[left.i - 1].i in {t.i for t in subj.subtree} and doc[left.i - 1].text not in _CLAUSE_END:
        left = doc[left.i - 1]
    return doc.text[left.idx:subj.idx + len(subj.text)].strip()


def find_trends(index: DocIndex, figures: Sequence[tuple[int, int]]) -> list[Trend]:
    """Direction words whose clause states no figure; ``figures`` are the metric spans with their suffixes."""
    doc = index.doc
    trends = []
    for i in index.tokens_with_lemma(INCREASE | DECREASE | FLAT):
        tok = doc[i]
        direction = _direction(tok)
        if not direction or any(s <= tok.idx < e for s, e in figures):
            continue
        sent = tok.sent
        if any(sent.start_char <= s < tok.idx for s, _ in figures):
            continue  # a figure in the clause before it carries the change
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        trend_noun = nxt is not None and nxt.text == "傾向"
        if not _is_stated(tok, trend_noun):
            continue
        evidence = tok.text + ("傾向" if trend_noun else "")
        trends.append(Trend(tok.idx, tok.idx + len(evidence), _subject(tok), direction, evidence))
    return trends
