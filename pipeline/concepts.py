"""Name what a figure measures, from GiNZA's tokens and dependency parse.

In order of trust:
1. the item label right before the number (英語968件, 定員335名, 要望等の対応数1,108件);
2. the label before a colon that opens a list of figures (国際交流イベント：3回131名);
3. the dependency parse: the subject a figure is predicated of (登録者数が2,230人となった),
   the noun it modifies (8か国語の外国語広報紙), or the object and verb it counts
   (セミナーを2回実施 → セミナー実施, 161名が参加 → 参加).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from pipeline.quantities import PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, Quantity

#: Nouns that say where, not what (市内19校): never a concept on their own.
SCOPE_WORDS = frozenset({"市内", "県内", "国内", "全国", "管内", "区内", "町内", "村内", "市外", "県外",
                         "庁内", "学内", "全体", "全", "各", "計", "合計", "総計"})
#: Words that name the rest of a list (…ほか438名, その他198件).
OTHER_WORDS = frozenset({"ほか", "他", "その他", "そのほか"})
#: Verbs that only link a subject to a figure (登録者数が2,230人となった).
LIGHT_VERBS = frozenset({"なる", "ある", "いる", "達する", "上る", "のぼる", "占める", "推移", "及ぶ",
                         "到達", "する", "だ", "です", "留まる", "とどまる"})
#: Nouns that need their relative clause to mean anything (回答を要するもの).
FORMAL_NOUNS = frozenset({"もの", "こと", "方", "者", "ところ", "分"})
_QUALIFIER_WORDS = frozenset(
    w for table in (PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS) for words, _ in table for w in words.split("|")
)
_STOP_PUNCT = set("、。，,（）()「」『』【】:：;；")
_COLON = re.compile(r"[:：]")
_LIST_FILLER = re.compile(r"(?:[\s、,・]|で|と|" + "|".join(sorted(SCOPE_WORDS, key=len, reverse=True)) + r")*")


def _is_noun_like(tok: Token) -> bool:
    return (tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith(("接尾辞", "接頭辞"))
            or tok.text in ("・", "等", "など") or tok.text in OTHER_WORDS)


def _overlaps(tok: Token, spans: Sequence[tuple[int, int]]) -> bool:
    end = tok.idx + len(tok.text)
    return any(s < end and tok.idx < e for s, e in spans)


def _token_ending_at(doc: Doc, pos: int) -> Token | None:
    for tok in reversed(doc):
        if tok.idx + len(tok.text) <= pos:
            return tok
    return None


def _clean(text: str) -> str:
    label = re.sub(r"\s+", "", text).strip("・").lstrip("の")
    label = re.sub(r"^(?:うち|の)+", "", label)
    return "" if label in SCOPE_WORDS or label in _QUALIFIER_WORDS else label


def label_before(doc: Doc, pos: int, taken: Sequence[tuple[int, int]]) -> str:
    """The noun phrase that ends right at ``pos``: an item label such as その他の言語."""
    tok = _token_ending_at(doc, pos)
    if tok is None or doc.text[tok.idx + len(tok.text):pos].strip(" "):
        return ""
    first = last = None
    while tok is not None:
        gap = doc.text[tok.idx + len(tok.text):(first.idx if first is not None else pos)]
        fragment = first is not None and last is not None and last - first.idx == 1
        if gap and not (gap.isspace() and fragment):
            break
        if _overlaps(tok, taken) or tok.text in _STOP_PUNCT or tok.text in _QUALIFIER_WORDS - OTHER_WORDS:
            break
        if fragment and tok.pos_ == "ADP":
            pass  # お茶のみ話: a one-character label is a piece of a longer name
        elif tok.text == "の":
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if first is None or prev is None or not _is_noun_like(prev) or _overlaps(prev, taken):
                break
        elif not (_is_noun_like(tok) or (tok.pos_ == "DET" and first is not None)):
            break
        if last is None:
            last = tok.idx + len(tok.text)
        first = tok
        tok = doc[tok.i - 1] if tok.i > 0 else None
    if first is None or last is None:
        return ""
    return _clean(doc.text[first.idx:last])


def _noun_phrase(tok: Token, taken: Sequence[tuple[int, int]]) -> str:
    """The phrase a noun heads: the run of nouns around it, or its left subtree for もの/こと."""
    doc = tok.doc
    left = right = tok
    subtree = {t.i for t in tok.subtree}
    while left.i > 0:
        prev = doc[left.i - 1]
        if prev.text in _STOP_PUNCT or _overlaps(prev, taken) or doc.text[prev.idx + len(prev.text):left.idx]:
            break
        if tok.lemma_ in FORMAL_NOUNS and prev.i in subtree:
            left = prev
        elif _is_noun_like(prev):
            left = prev
        else:
            break
    while right.i + 1 < len(doc):
        nxt = doc[right.i + 1]
        if (not _is_noun_like(nxt) or nxt.text in OTHER_WORDS or _overlaps(nxt, taken)
                or doc.text[right.idx + len(right.text):nxt.idx] or _is_predicate(nxt)):
            break
        right = nxt
    return _clean(doc.text[left.idx:right.idx + len(right.text)])


def _marked_noun_before(doc: Doc, pos: int, taken: Sequence[tuple[int, int]]) -> Token | None:
    """The noun of 「補助金を16団体に」: a noun and case particle right before the figure."""
    particle = _token_ending_at(doc, pos)
    if particle is None or particle.text not in ("を", "が", "は", "も") or particle.i == 0:
        return None
    noun = doc[particle.i - 1]
    return noun if _is_noun_like(noun) and not _overlaps(noun, taken) else None


def _verb_phrase(verb: Token, q: Quantity, taken: Sequence[tuple[int, int]]) -> str:
    objects = [c for c in verb.children if c.dep_ == "obj" and not _overlaps(c, taken)]
    obj = max(objects, key=lambda c: c.i) if objects else None  # the nearest: AをBし、CをD
    if obj is None:
        obj = _marked_noun_before(verb.doc, _start(q), taken)
    lemma = verb.lemma_ if verb.pos_ == "VERB" else verb.text
    return (_noun_phrase(obj, taken) if obj is not None else "") + lemma


def _is_predicate(tok: Token, loose: bool = False) -> bool:
    """A verb, or a サ変 noun used as one (実施した, a clause head; right after a figure, 2回開催)."""
    if tok.pos_ == "VERB":
        return True
    if tok.pos_ != "NOUN" or "サ変" not in tok.tag_:
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return loose or tok.dep_ in ("ROOT", "acl", "advcl") or (nxt is not None and nxt.lemma_ == "する")


def _start(q: Quantity) -> int:
    return q.prefix_start if q.prefix_start >= 0 else q.start


def _anchor(doc: Doc, q: Quantity) -> Token | None:
    """The token that carries the figure in the parse: its counter, or a qualifier after it."""
    tok = _token_ending_at(doc, q.end)
    end = max(q.suffix_end, q.end)
    while tok is not None and tok.head.i != tok.i and (
            q.start <= tok.head.idx < end or tok.head.text in _QUALIFIER_WORDS):
        tok = tok.head
    return tok


def _following_predicate(doc: Doc, q: Quantity, taken: Sequence[tuple[int, int]]) -> Token | None:
    """42,444名参加, 2回開催, 2社出展: a verb right after the figure (or after figures listed with it)."""
    pos = max(q.suffix_end, q.end)
    while True:
        while pos < len(doc.text) and doc.text[pos] == " ":
            pos += 1
        nxt = next(((s, e) for s, e in taken if s == pos), None)
        if nxt is None:
            break
        pos = nxt[1]
    tok = next((t for t in doc if t.idx == pos), None)
    return tok if tok is not None and _is_predicate(tok, loose=True) else None


def from_parse(doc: Doc, q: Quantity, taken: Sequence[tuple[int, int]]) -> str:
    """Concept from the dependency parse around the figure."""
    tok = _anchor(doc, q)
    if tok is None:
        return ""
    for child in tok.children:
        if child.dep_ == "nsubj" and not _overlaps(child, taken):
            return _noun_phrase(child, taken)
    verb = _following_predicate(doc, q, taken)
    if verb is not None:
        return _verb_phrase(verb, q, taken)
    if doc.text[:_start(q)].endswith(("（", "(")):
        before = _token_ending_at(doc, _start(q) - 1)
        if before is not None and _is_predicate(before, loose=True):
            return _verb_phrase(before, q, taken)
        if before is not None and _is_noun_like(before) and not _overlaps(before, taken):
            return _noun_phrase(before, taken)
    head = tok.head
    while head.i != head.head.i and (_overlaps(head, taken) or head.text in _QUALIFIER_WORDS):
        head = head.head
    if head.i != tok.i and _is_predicate(head):
        if tok.dep_ == "nsubj":
            return _verb_phrase(head, q, taken)
        if head.lemma_ in LIGHT_VERBS:
            subj = next((c for c in head.children if c.dep_ == "nsubj" and not _overlaps(c, taken)), None)
            return _noun_phrase(subj, taken) if subj is not None else ""
        if head.dep_ == "acl" and not any(c.dep_ == "obj" for c in head.children) and head.head.i > head.i:
            return _noun_phrase(head.head, taken)
        return _verb_phrase(head, q, taken)
    if head.i > tok.i and _is_noun_like(head) and not _overlaps(head, taken):
        return _noun_phrase(head, taken)
    marked = _marked_noun_before(doc, _start(q), taken)
    return _noun_phrase(marked, taken) if marked is not None else ""


def colon_label(doc: Doc, q: Quantity, sentence_start: int, taken: Sequence[tuple[int, int]],
                strict: bool) -> str:
    """The label of a 「label：figures」 list; ``strict`` wants only figures after the colon."""
    text = doc.text
    start = _start(q)
    colons = [m.start() for m in _COLON.finditer(text, sentence_start, start)]
    if not colons:
        return ""
    colon = colons[-1]
    if strict:
        between = list(text[colon + 1:start])
        for s, e in taken:
            for k in range(max(s, colon + 1), min(e, start)):
                between[k - colon - 1] = " "
        if not _LIST_FILLER.fullmatch("".join(between)):
            return ""
    return label_before(doc, colon, taken) or label_before(doc, colon - 1, taken)


def concept(doc: Doc, q: Quantity, sentence_start: int, taken: Sequence[tuple[int, int]]) -> tuple[str, str]:
    """The best concept for one figure and the rule that gave it (label, colon, parse).

    ``taken`` are the spans of every figure in the text, which no concept may include.
    """
    start = _start(q)
    for method, find in (("label", lambda: label_before(doc, start, taken)),
                         ("colon", lambda: colon_label(doc, q, sentence_start, taken, strict=True)),
                         ("parse", lambda: from_parse(doc, q, taken)),
                         ("colon", lambda: colon_label(doc, q, sentence_start, taken, strict=False))):
        text = find()
        if text:
            return text, method
    return "", "none"
