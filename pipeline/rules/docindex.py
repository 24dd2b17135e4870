"""Token offsets of a parsed cell in plain arrays, read once per Doc.

Creating spaCy ``Token`` objects is the costly part of walking a Doc; the rules need most
tokens only for their offsets and part of speech, so they read those from one
``Doc.to_array`` call and touch Token objects only where the parse matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import IDX, LEMMA, LENGTH, POS, TAG
from spacy.symbols import NUM
from spacy.tokens import Doc

#: SudachiPy's part of speech of a numeral (名詞-数詞), which GiNZA keeps when its parse makes the word a head.
_NUMERAL_TAG = "名詞-数詞"


@dataclass(frozen=True)
class DocIndex:
    doc: Doc
    text: str  # Doc.text rebuilds the string on every access
    starts: list[int]
    ends: list[int]
    numeral_starts: frozenset[int]
    lemma_hashes: list[int]

    @classmethod
    def of(cls, doc: Doc) -> "DocIndex":
        arr = doc.to_array([IDX, LENGTH, POS, LEMMA, TAG]).tolist() if len(doc) else []
        starts = [row[0] for row in arr]
        numeral = doc.vocab.strings.add(_NUMERAL_TAG)  # 二十三 tagged a numeral though parsed as a verb's head
        return cls(doc, doc.text, starts, [row[0] + row[1] for row in arr],
                   frozenset(row[0] for row in arr if row[2] == NUM or row[4] == numeral), [row[3] for row in arr])

    def tokens_with_lemma(self, lemmas: frozenset[str]) -> list[int]:
        """Indices of the tokens whose lemma is one of ``lemmas``."""
        wanted = {self.doc.vocab.strings.add(lemma) for lemma in lemmas}
        return [i for i, h in enumerate(self.lemma_hashes) if h in wanted]
