"""The annotation guidelines as executable cases (tests/spec_cases.jsonl).

Every example the guidelines give, and variants of each pattern they state (caps as nouns,
validity labels over a list, heading + item label, …), written from the guidelines alone by
someone who never saw the code or its outputs. Each case runs through the spaCy components as
a user would and is checked field by field (``case_check``).

A case the rules do not meet yet is listed in ``spec_cases_open.txt`` and expected to fail
(strictly: once it passes, the test fails until the line is removed), so the list only shrinks
and says what is left. ``python tests/test_spec_cases.py`` prints the count per pattern;
``--write-open`` rewrites the list from a run.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import spacy
from case_check import load_cases, mismatches
from spacy.language import Language

from pipeline.rules.components import add_metric_pipes, parse

CASES = load_cases("spec_cases.jsonl")
OPEN_FILE = Path(__file__).parent / "spec_cases_open.txt"
OPEN = {line.split()[0] for line in OPEN_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")}


@pytest.fixture(scope="module")
def metrics_nlp() -> Language:
    return add_metric_pipes(spacy.load("ja_ginza"))


def check(nlp: Language, case: dict) -> list[str]:
    return mismatches(parse(nlp, case["text"], case.get("fiscal_year"))._.metrics, case)


def test_every_open_case_exists() -> None:
    assert OPEN <= {c["id"] for c in CASES}


def test_case_ids_are_unique() -> None:
    """An open list and a per-pattern count name cases by id: two cases must not share one."""
    ids = Counter(c["id"] for c in CASES)
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True, reason="open: spec_cases_open.txt")]
                 if c["id"] in OPEN else []) for c in CASES])
def test_spec_case(metrics_nlp: Language, case: dict) -> None:
    assert check(metrics_nlp, case) == []


if __name__ == "__main__":
    nlp = add_metric_pipes(spacy.load("ja_ginza"))
    failing = {c["id"]: check(nlp, c) for c in CASES}
    failing = {k: v for k, v in failing.items() if v}
    total, passed = Counter(c["pattern"] for c in CASES), Counter(c["pattern"] for c in CASES if c["id"] not in failing)
    for pattern in sorted(total):
        print(f"{pattern:20s} {passed[pattern]:3d} / {total[pattern]:3d}")
    print(f"{'all':20s} {sum(passed.values()):3d} / {len(CASES):3d}")
    if "--write-open" in sys.argv:
        lines = ["# Specification cases the rules do not meet yet (tests/test_spec_cases.py): id, pattern, first miss."]
        lines += [f"{c['id']}\t{c['pattern']}\t{failing[c['id']][0]}" for c in CASES if c["id"] in failing]
        OPEN_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
