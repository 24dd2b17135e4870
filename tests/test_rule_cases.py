"""Rule cases as data (tests/rule_cases.jsonl, one sentence per line with the figures the
annotation guidelines expect): a case is added without writing Python. Each runs through the
spaCy components as a user would (``add_metric_pipes`` + ``parse``, with the case's table
``fiscal_year`` if it names one), and only the fields a case names are checked (``parent`` by the
parent's surface)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from pipeline.rules.components import add_metric_pipes, parse

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "rule_cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def metrics_nlp() -> Language:
    return add_metric_pipes(spacy.load("ja_ginza"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:20] for c in CASES])
def test_rule_case(metrics_nlp: Language, case: dict) -> None:
    records = parse(metrics_nlp, case["text"], case.get("fiscal_year"))._.metrics
    got = []
    for r in records:
        row = {**r, "parent": records[r["parent"]]["surface"] if r["parent"] is not None else ""}
        got.append(row)
    assert [r["surface"] for r in got] == [f["surface"] for f in case["figures"]]
    for expected, row in zip(case["figures"], got):
        assert {k: row[k] for k in expected} == expected


def test_offsets_index_the_text_as_given(metrics_nlp: Language) -> None:
    text = "登録者は２，２３０人（ＰＤＦで改行された31 0名を含む）。"
    records = parse(metrics_nlp, text)._.metrics
    assert [(r["surface"], r["value"]) for r in records] == [("２，２３０人", "2230"), ("31 0名", "310")]
    assert all(text[r["start"]:r["end"]] == r["surface"] for r in records)


def test_a_plain_doc_of_unnormalised_text_is_refused_with_the_remedy(metrics_nlp: Language) -> None:
    with pytest.raises(ValueError, match="components.parse"):
        metrics_nlp("登録者は２，２３０人。")
