"""Directions stated without a figure (申請件数は増加し, 減少傾向): trend records, not metrics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from pipeline.docindex import DocIndex

INCREASE = frozenset({"増加", "増える", "上昇", "伸びる", "拡大", "向上", "回復", "増大"})
DECREASE = frozenset({"減少", "減る", "低下", "縮小", "悪化", "落ち込む", "減退"})
FLAT = frozenset({"横ばい"})


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


def _subject(tok: Token) -> str:
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return ""
    words = [t for t in subj.subtree if t.i <= subj.i and t.pos_ in ("NOUN", "PROPN", "ADP")]
    text = "".join(t.text for t in words if t.pos_ != "ADP" or t.text == "の")
    return text.strip("の")


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
        evidence = tok.text + ("傾向" if nxt is not None and nxt.text == "傾向" else "")
        trends.append(Trend(tok.idx, tok.idx + len(evidence), _subject(tok), direction, evidence))
    return trends
