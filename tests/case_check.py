"""Compare the records of one sentence with the figures a case file expects.

Shared by the rule cases (tests/rule_cases.jsonl) and the specification cases
(tests/spec_cases.jsonl). Only the fields a case names are checked, and a figure marked
``required: 0`` may be missing (the guidelines' optional mentions): values as numbers,
qualifiers as sets, ``concept_keys`` and ``kind`` as the scorer judges them (``|`` alternatives, ``&``
terms; delta, percent or the rest), ``parent`` by the parent's surface, every other field as written.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.analysis.scoring import concept_matches, kind_class


def load_cases(name: str) -> list[dict[str, Any]]:
    """The cases of a JSON-lines file beside this one."""
    lines = (Path(__file__).parent / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _number(text: object) -> Decimal | None:
    try:
        return Decimal(str(text)) if str(text).strip() else None
    except InvalidOperation:
        return None


def _same(field: str, expected: object, got: dict[str, Any]) -> bool:
    if field == "concept_keys":
        return concept_matches(str(got.get("concept") or ""), str(expected))
    if field == "kind":  # as the scorer judges it (guidelines, Scoring): delta, percent or the rest
        return kind_class(str(expected)) == kind_class(str(got.get("kind") or ""))
    actual = got.get(field)
    if field in ("value", "value_max", "prior_value"):
        want, have = _number(expected), _number(actual)
        return want == have or (want is not None and have is not None and abs(want - have) <= Decimal("0.000001"))
    if field == "qualifier":
        return set(filter(None, str(expected).split(","))) == set(filter(None, str(actual or "").split(",")))
    return str(expected) == str(actual if actual is not None else "")


def _aligned(got: list[dict[str, Any]], figures: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]] | None:
    """Each record with the expected figure it is: the first one not yet taken with its surface (a case may list
    186人 before the 1.5倍 written ahead of it; figures of one surface are listed in the order they are written);
    an optional figure (``required: 0``, guidelines: eligibility thresholds, procedural durations) may be missing.
    None when the records are not the expected figures."""
    pairs, taken = [], set()
    for row in got:
        k = next((k for k, figure in enumerate(figures) if k not in taken and figure["surface"] == row["surface"]), None)
        if k is None:
            return None
        pairs.append((figures[k], row))
        taken.add(k)
    return pairs if all(str(f.get("required", 1)) == "0" for k, f in enumerate(figures) if k not in taken) else None


def mismatches(records: list[dict[str, Any]], case: dict[str, Any]) -> list[str]:
    """What differs between the records and the case's figures (empty when the case holds)."""
    got = [{**r, "parent": records[r["parent"]]["surface"] if r["parent"] is not None else ""} for r in records]
    pairs = _aligned(got, case["figures"])
    if pairs is None:
        return [f"figures {[r['surface'] for r in got]} != {[f['surface'] for f in case['figures']]}"]
    broken = [f"{r['surface']}: concept {r['concept']!r} runs over a line break"  # a name is one line of text,
              for r in got if "\n" in (r.get("concept") or "")]  # whatever the case checks of the figure
    return broken + [f"{want['surface']}: {field} = {row.get(field if field != 'concept_keys' else 'concept')!r}, "
                     f"expected {value!r}"
                     for want, row in pairs for field, value in want.items()
                     if field not in ("surface", "required") and not _same(field, value, row)]
