"""Compare the records of one sentence with the figures a case file expects.

Shared by the rule cases (tests/rule_cases.jsonl) and the specification cases
(tests/spec_cases.jsonl). Only the fields a case names are checked: values as numbers,
qualifiers as sets, ``concept_keys`` as the scorer judges them (``|`` alternatives, ``&``
terms), ``parent`` by the parent's surface, every other field as written.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.analysis.scoring import concept_matches


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
    actual = got.get(field)
    if field in ("value", "value_max", "prior_value"):
        want, have = _number(expected), _number(actual)
        return want == have or (want is not None and have is not None and abs(want - have) <= Decimal("0.000001"))
    if field == "qualifier":
        return set(filter(None, str(expected).split(","))) == set(filter(None, str(actual or "").split(",")))
    return str(expected) == str(actual if actual is not None else "")


def mismatches(records: list[dict[str, Any]], case: dict[str, Any]) -> list[str]:
    """What differs between the records and the case's figures (empty when the case holds)."""
    got = [{**r, "parent": records[r["parent"]]["surface"] if r["parent"] is not None else ""} for r in records]
    surfaces = [r["surface"] for r in got]
    expected = [f["surface"] for f in case["figures"]]
    if surfaces != expected:
        return [f"figures {surfaces} != {expected}"]
    return [f"{want['surface']}: {field} = {row.get(field if field != 'concept_keys' else 'concept')!r}, "
            f"expected {value!r}"
            for want, row in zip(case["figures"], got) for field, value in want.items()
            if field != "surface" and not _same(field, value, row)]
