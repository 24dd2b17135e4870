"""Rule cases as data (tests/rule_cases.jsonl, one sentence per line with the figures the
annotation guidelines expect): a case is added without writing Python. Each runs through the
spaCy components as a user would (``add_metric_pipes`` + ``parse``, with the case's table
``fiscal_year`` if it names one), and only the fields a case names are checked (``parent`` by the
parent's surface)."""

from __future__ import annotations

import pytest
import spacy
from case_check import load_cases, mismatches
from spacy.language import Language

from pipeline.rules.components import add_metric_pipes, parse

CASES = load_cases("rule_cases.jsonl")


@pytest.fixture(scope="module")
def metrics_nlp() -> Language:
    return add_metric_pipes(spacy.load("ja_ginza"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:20] for c in CASES])
def test_rule_case(metrics_nlp: Language, case: dict) -> None:
    assert mismatches(parse(metrics_nlp, case["text"], case.get("fiscal_year"))._.metrics, case) == []


def test_offsets_index_the_text_as_given(metrics_nlp: Language) -> None:
    text = "登録者は２，２３０人（ＰＤＦで改行された31 0名を含む）。"
    records = parse(metrics_nlp, text)._.metrics
    assert [(r["surface"], r["value"]) for r in records] == [("２，２３０人", "2230"), ("31 0名", "310")]
    assert all(text[r["start"]:r["end"]] == r["surface"] for r in records)


def test_a_plain_doc_of_unnormalised_text_is_refused_with_the_remedy(metrics_nlp: Language) -> None:
    with pytest.raises(ValueError, match="components.parse"):
        metrics_nlp("登録者は２，２３０人。")
