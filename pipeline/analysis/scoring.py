"""Score predicted metrics against a gold annotation, as the guidelines' Scoring section says.

Within each (project_id, field) cell, predictions and gold rows pair up by equal value and
unit, overlapping offsets first. Required gold rows count for precision and recall;
optional ones neither reward nor penalise. Matched required rows are also judged on kind
(delta / percent / the rest), qualifier set, concept key terms (every term of an ``&``
alternative), parent and direction.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from pipeline.core.config import FIELDS
from pipeline.rules.sentences import sentence_of, sentence_spans
from pipeline.text.fold import fold, fold_counters
from pipeline.text.textnorm import normalize

ATTRIBUTES = ("kind", "qualifier", "concept", "parent", "delta_direction")
#: The two halves of a gold set: rules are written from ``dev`` misses only; ``blind`` is read by
#: nobody while working, so its score says how the rules do on sentences they were not fitted to.
HALVES = ("dev", "blind")
#: Judged where a gold file has the column (the guidelines' "When, and in what status").
OPTIONAL_ATTRIBUTES = ("period", "status")


@dataclass
class Match:
    gold: dict[str, str] | None
    pred: dict[str, str] | None
    verdicts: dict[str, bool] = field(default_factory=dict)


def _num(text: str) -> float | None:
    try:
        return float(text) if str(text).strip() != "" else None
    except ValueError:
        return None


def _same_value(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def kind_class(kind: str) -> str:
    """The kinds the guidelines' scoring tells apart: delta, percent and the rest."""
    return kind if kind in ("delta", "percent") else "other"


def _qualifiers(text: str) -> frozenset[str]:
    return frozenset(q.strip() for q in (text or "").split(",") if q.strip())


def _name_fold(text: str) -> str:
    """The one text fold, with a counter's spellings made one (箇所, ヶ所, カ所 → か所; ヶ国 → か国), as the
    guidelines write units: a name that says 整備箇所数 and a key that says 整備か所 mean the same."""
    return fold_counters(fold(text))


def concept_matches(concept: str, keys: str) -> bool:
    """Whether a concept names what the gold keys say: ``|`` separates alternatives, ``&`` joins
    terms that must all be in the concept (an item's label and its measure: ``支給額&第1子``).
    Compared after the one text fold and one spelling of counters; no keys judges nothing (True)."""
    alternatives = [[_name_fold(t) for t in alt.split("&") if t.strip()] for alt in keys.split("|")]
    alternatives = [terms for terms in alternatives if terms]
    folded = _name_fold(concept)
    return not alternatives or any(all(t in folded for t in terms) for terms in alternatives)


def pair_cell(gold: list[dict[str, str]], pred: list[dict[str, str]]) -> list[Match]:
    """Pair the gold and predicted rows of one cell; unpaired rows come back alone."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["unit"] == p["unit"] and _same_value(_num(g["value"]), _num(p["value"])):
                gs, ge, ps, pe = int(g["start"]), int(g["end"]), int(p["start"]), int(p["end"])
                overlap = ps < ge and gs < pe
                candidates.append((not overlap, abs(gs - ps), gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    matches = []
    for _, _, gi, pi in sorted(candidates):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matches.append(Match(gold[gi], pred[pi]))
    matches += [Match(g, None) for gi, g in enumerate(gold) if gi not in used_g]
    matches += [Match(None, p) for pi, p in enumerate(pred) if pi not in used_p]
    return matches


def judge(m: Match, gold_cell: list[dict[str, str]], pred_by_id: dict[str, dict[str, str]]) -> None:
    """Fill ``m.verdicts`` for a matched pair."""
    g, p = m.gold, m.pred
    assert g is not None and p is not None
    gold_parent = next((_num(r["value"]) for r in gold_cell if g.get("parent_surface")
                        and r["surface"] == g["parent_surface"]), None)
    pred_parent = _num(pred_by_id[p["parent_id"]]["value"]) if p.get("parent_id") in pred_by_id else None
    m.verdicts = {
        "kind": kind_class(g["kind"]) == kind_class(p["kind"]),
        "qualifier": _qualifiers(g.get("qualifier", "")) == _qualifiers(p.get("qualifier", "")),
        "concept": concept_matches(p.get("concept", ""), g.get("concept_keys") or ""),
        "parent": (gold_parent is None and pred_parent is None) or _same_value(gold_parent, pred_parent),
        "delta_direction": (g.get("delta_direction") or "") == (p.get("delta_direction") or ""),
    }
    for attr in OPTIONAL_ATTRIBUTES:
        if g.get(attr):  # a gold set without the column, or a row left open
            m.verdicts[attr] = fold(g[attr]) == fold(p.get(attr, ""))


def _records(df: pd.DataFrame) -> list[dict[str, str]]:
    return [{k: ("" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
             for k, v in r.items()} for r in df.to_dict("records")]


def match_all(pred: pd.DataFrame, gold: pd.DataFrame) -> list[Match]:
    """Every pairing over all cells, with verdicts on the matched ones."""
    gold_rows, pred_rows = _records(gold), _records(pred)
    pred_by_id = {p["metric_id"]: p for p in pred_rows}
    cells: dict[tuple[str, str], tuple[list[dict[str, str]], list[dict[str, str]]]] = {}
    for g in gold_rows:
        cells.setdefault((g["project_id"], g["field"]), ([], []))[0].append(g)
    for p in pred_rows:
        cells.setdefault((p["project_id"], p["field"]), ([], []))[1].append(p)
    matches = []
    for key in sorted(cells):
        g_cell, p_cell = cells[key]
        for m in pair_cell(g_cell, p_cell):
            if m.gold is not None and m.pred is not None:
                judge(m, g_cell, pred_by_id)
            matches.append(m)
    return matches


def _is_required(m: Match) -> bool:
    return m.gold is not None and str(m.gold.get("required", "1")).strip() != "0"


def summarize(matches: Iterable[Match]) -> dict[str, float | int]:
    """Precision, recall, F1 over required rows and the attribute accuracies on matched ones."""
    matches = list(matches)
    tp = sum(1 for m in matches if m.pred is not None and _is_required(m))
    fp = sum(1 for m in matches if m.pred is not None and m.gold is None)
    fn = sum(1 for m in matches if m.pred is None and _is_required(m))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, float | int] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4),
                                   "recall": round(recall, 4), "f1": round(f1, 4)}
    judged = [m for m in matches if m.pred is not None and _is_required(m)]
    for attr in ATTRIBUTES:
        ok = sum(1 for m in judged if m.verdicts[attr])
        out[f"{attr}_accuracy"] = round(ok / len(judged), 4) if judged else 0.0
    for attr in OPTIONAL_ATTRIBUTES:
        with_attr = [m for m in judged if attr in m.verdicts]
        if with_attr:
            out[f"{attr}_accuracy"] = round(sum(m.verdicts[attr] for m in with_attr) / len(with_attr), 4)
    return out


def half_of(project_id: str, salt: str) -> str:
    """``dev`` or ``blind`` for a project, by a fixed hash of its id: the same split on every
    machine and run (sha256, not Python's salted ``hash``), whole projects on one side."""
    return HALVES[hashlib.sha256(f"{salt}\x1f{project_id}".encode()).digest()[0] & 1]


def _row(m: Match) -> dict[str, str]:
    row = m.gold if m.gold is not None else m.pred
    assert row is not None
    return row


def half_for(gold_set: str, evaluation: Mapping[str, Any]) -> Callable[[str], str] | None:
    """The dev/blind split of a gold set by params ``evaluation`` (``eval_`` names of the eval
    sets included), or None for a set scored whole."""
    if gold_set.removeprefix("eval_") in {str(n) for n in evaluation.get("whole") or ()}:
        return None
    return partial(half_of, salt=str(evaluation["halves_salt"]))


def by_half(matches: Iterable[Match], half: Callable[[str], str]) -> dict[str, list[Match]]:
    """The pairings of each half, by the project of the gold (or predicted) row."""
    out: dict[str, list[Match]] = {name: [] for name in HALVES}
    for m in matches:
        out[half(_row(m)["project_id"])].append(m)
    return out


def score(pred: pd.DataFrame, gold: pd.DataFrame, half: Callable[[str], str] | None = None
          ) -> tuple[dict[str, object], list[Match]]:
    """Overall and per-field scores, and the pairings behind them (for the error report); with
    ``half`` (project id → dev or blind), each half's scores beside the overall ones."""
    matches = match_all(pred, gold)
    by_field: dict[str, list[Match]] = {}
    for m in matches:
        by_field.setdefault(_row(m)["field"], []).append(m)
    out: dict[str, object] = {"overall": summarize(matches)}
    if half is not None:
        out |= {name: summarize(ms) for name, ms in by_half(matches, half).items()}
    out["by_field"] = {f: summarize(ms) for f, ms in sorted(by_field.items())}
    return out, matches


def error_report(title: str, matches: Iterable[Match], sentences: dict[tuple[str, str, int], str]) -> str:
    """Markdown list of missed, spurious and wrongly attributed mentions, each with its cell text."""
    lines = [f"# Errors: {title}", ""]
    sections: dict[str, list[str]] = {"Missed (false negatives)": [], "Spurious (false positives)": [],
                                      "Wrong attributes": []}
    for m in matches:
        row = _row(m)
        where = f"{row['project_id']}/{row['field']} @{row['start']}"
        context = sentences.get((row["project_id"], row["field"], int(row["start"])), "")
        if m.pred is None and _is_required(m):
            sections["Missed (false negatives)"].append(
                f"- `{row['surface']}` ({where}) concept={row.get('concept', '')}\n  > {context}")
        elif m.gold is None:
            sections["Spurious (false positives)"].append(
                f"- `{row['surface']}` ({where}) kind={row['kind']} concept={row.get('concept', '')}\n"
                f"  > {row.get('sentence', '')}")
        elif m.pred is not None and _is_required(m):
            wrong = [a for a, ok in m.verdicts.items() if not ok]
            if wrong:
                g, p = m.gold, m.pred
                assert g is not None
                detail = "; ".join(
                    f"{a}: gold={_gold_attr(g, a)!r} pred={_pred_attr(p, a)!r}" for a in wrong)
                sections["Wrong attributes"].append(f"- `{row['surface']}` ({where}) {detail}\n"
                                                    f"  > {p.get('sentence', '')}")
    for heading, items in sections.items():
        lines += [f"## {heading} ({len(items)})", "", *(items or ["(none)"]), ""]
    return "\n".join(lines)


def _gold_attr(g: dict[str, str], attr: str) -> str:
    return {"concept": g.get("concept_keys", ""), "parent": g.get("parent_surface", "")}.get(attr, g.get(attr, ""))


def _pred_attr(p: dict[str, str], attr: str) -> str:
    return {"parent": p.get("parent_id", "")}.get(attr, p.get(attr, ""))


def cell_sentences(projects: pd.DataFrame, gold: pd.DataFrame) -> dict[tuple[str, str, int], str]:
    """The sentence around each gold row, keyed (project_id, field, start) for the error report."""
    cells = {(str(r["project_id"]), f): r[f] for r in projects.to_dict("records") for f in FIELDS}
    out = {}
    for g in gold.to_dict("records"):
        key = (str(g["project_id"]), g["field"])
        norm = normalize(cells.get(key, ""))
        spans = sentence_spans(norm.text)
        if spans:
            pos = next((i for i, o in enumerate(norm.origin) if o >= int(g["start"])), len(norm.text) - 1)
            out[(*key, int(g["start"]))] = norm.original_span_text(*sentence_of(spans, pos))
    return out
