"""Share of extracted concepts that name nothing an analyst could use, for any metrics tables.

A concept fails the form rules of the annotation guidelines ("Naming the concept") when it is
empty, when its head (last word, judged by its Sudachi tag through ja_ginza's tokenizer: GiNZA's
UD tags are unreliable on isolated phrases) is not a noun, when it is a formal noun or a
generic head alone (こと, 数, 件数), or a bare verbal or adverbial noun (減少, 直面, 原則).
Changes (kind delta) take their figure's concept and are counted like the others; figures of
PDF tables are left out (their concept is the table's row label).

    python bench/concept_form.py data/processed/*/metrics.csv bench/out/*/metrics.csv

Prints JSON: n, bad, bad_share, and the most frequent failures with their reason.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

import spacy

FORMAL = {"こと", "もの", "ため", "ところ", "よう", "とき", "うち", "ほか", "等", "など", "方", "者"}
GENERIC = {"数", "件数", "人数", "割合", "率", "額", "金額", "回数", "時間", "今まで", "これまで", "現在",
           "年間", "全体", "合計", "計"}


def verdicts(concepts: list[str], nlp: spacy.Language) -> dict[str, str]:
    """concept → the rule it fails ("" when it passes)."""
    out = {}
    for concept, doc in zip(concepts, nlp.pipe(concepts, batch_size=256)):
        words = [t for t in doc if not t.is_punct and t.text.strip()]
        head = words[-1] if words else None
        tag = head.tag_ if head is not None else ""
        if head is None:
            out[concept] = "no word"
        elif concept in GENERIC or concept in FORMAL or head.lemma_ in FORMAL:
            out[concept] = "formal or generic noun alone"
        elif not (tag.startswith("名詞") or tag.startswith("接尾辞-名詞的")):
            out[concept] = f"head is not a noun ({tag.split('-')[0]})"
        elif len(words) == 1 and ("サ変可能" in tag or "副詞可能" in tag):
            out[concept] = "bare verbal or adverbial noun"
        else:
            out[concept] = ""
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("metrics", nargs="+", type=Path, help="metrics.csv files")
    parser.add_argument("--top", type=int, default=20, help="how many failures to list")
    args = parser.parse_args(argv)
    rows = [r for path in args.metrics for r in csv.DictReader(open(path, encoding="utf-8-sig"))
            if r.get("method") != "table"]
    concepts = [r.get("concept") or "" for r in rows]
    nlp = spacy.load("ja_ginza", exclude=["ner", "parser", "attribute_ruler", "compound_splitter",
                                          "bunsetu_recognizer"])
    verdict = verdicts(sorted({c for c in concepts if c}), nlp)
    bad = Counter((c or "(empty)", verdict.get(c, "empty")) for c in concepts if not c or verdict[c])
    n, nbad = len(concepts), sum(bad.values())
    json.dump({"n": n, "bad": nbad, "bad_share": round(nbad / n, 4) if n else None,
               "top_bad": [{"concept": c, "why": why, "count": k} for (c, why), k in bad.most_common(args.top)]},
              sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
