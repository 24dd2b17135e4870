"""A learned choice of each figure's concept among the names the rules find, measured beside
the rules (issue #19: the choice of a figure's measure noun as a classification task).

The rules' cascade (:meth:`pipeline.rules.concepts.ConceptFinder.names`) proposes several names
for a figure in its order of trust, and the cell composes the first with a list's heading, an
item's label or a total (the final concept, itself a candidate). A chooser scores every
candidate — logistic regression over a few generic features: which rule gave it, its rank,
whether it is the final concept or part of it, how it ends, the figure's unit and kind; no word
of a sentence, so nothing of one project can be memorised — and takes the best.

Examples are the figures the scorer matches to a gold row with concept keys; a candidate is a
positive when it satisfies the keys (:func:`pipeline.analysis.scoring.concept_matches`). The dev
halves train it, measured by cross-validation grouped by project; the blind halves only score
it, in aggregate. The model, the folds and the override threshold are those of the status
classifier (:mod:`pipeline.analysis.learned`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pipeline.analysis.learned import LinearModel, choose_threshold, fit, fold_of, override, scored
from pipeline.analysis.scoring import concept_matches, match_all

#: The variants measured: the rules' final concept, the chooser's best candidate, and the rules'
#: concept replaced by the chooser's where it is sure enough.
VARIANTS = ("rules", "model", "override")


@dataclass(frozen=True)
class ChooserSettings:
    """params ``learn_concept``."""

    seed: int
    folds: int
    c: float
    min_count: int
    thresholds: tuple[float, ...]

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> "ChooserSettings":
        return cls(int(params["seed"]), int(params["folds"]), float(params["C"]), int(params["min_count"]),
                   tuple(float(t) for t in params["thresholds"]))


def labelled_candidates(name: str, pred: pd.DataFrame, gold: pd.DataFrame, candidates: pd.DataFrame,
                        half: Callable[[str], str] | None) -> pd.DataFrame:
    """The candidates of every predicted figure the scorer matches to a gold row with concept keys,
    each labelled 1 when it satisfies the keys. ``candidates`` has the rows of
    :func:`pipeline.rules.records.concept_candidates` with ``project_id`` and ``field``."""
    by_figure: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for c in candidates.to_dict("records"):
        by_figure.setdefault((str(c["project_id"]), str(c["field"]), int(c["start"])), []).append(c)
    rows = []
    for m in match_all(pred, gold):
        keys = (m.gold or {}).get("concept_keys") or ""
        if m.gold is None or m.pred is None or not keys:
            continue
        for c in by_figure.get((str(m.pred["project_id"]), str(m.pred["field"]), int(m.pred["start"])), []):
            rows.append({**c, "gold_set": name, "figure": f"{name}/{m.pred['metric_id']}",
                         "half": "whole" if half is None else half(m.gold["project_id"]),
                         "required": str(m.gold.get("required", "1")).strip() != "0",
                         "label": int(concept_matches(str(c["candidate"]), keys))})
    return pd.DataFrame(rows)


def features(row: Mapping[str, Any]) -> list[str]:
    """A candidate's features: where it came from and what shape it has, never its words."""
    cand, final = str(row["candidate"]), str(row["final"])
    method, final_method, kind = str(row["candidate_method"]), str(row["final_method"]), str(row["kind"])
    return sorted({
        f"method={method}", f"rank={min(int(row['rank']), 4)}", f"final_method={final_method}",
        f"method*final_method={method}*{final_method}", f"is_final={cand == final}",
        f"in_final={cand != final and cand in final}", f"holds_final={cand != final and final in cand}",
        f"kind={kind}", f"method*kind={method}*{kind}", f"end={cand[-1:]}", f"end2={cand[-2:]}",
        f"bracket={'(' in cand or '（' in cand}", f"of={'の' in cand}", f"length={min(len(cand) // 5, 6)}",
    })


def _choices(examples: pd.DataFrame, p_right: np.ndarray) -> pd.DataFrame:
    """Per figure: the rules' final concept, the candidate most likely right (ties: the rules'
    earlier one) and how likely, and the label of each candidate by its text."""
    out = []
    frame = examples.assign(p=p_right)
    for figure, group in frame.groupby("figure", sort=True):
        best = group.sort_values(["p", "rank"], ascending=[False, True], kind="stable").iloc[0]
        out.append({"figure": figure, "gold_set": best["gold_set"], "project_id": best["project_id"],
                    "required": bool(best["required"]), "rules": str(best["final"]),
                    "model": str(best["candidate"]), "prob": float(best["p"]),
                    "labels": dict(zip(group["candidate"].astype(str), group["label"].astype(int)))})
    return pd.DataFrame(out)


def _p_right(model: LinearModel, examples: pd.DataFrame) -> np.ndarray:
    p = model.probabilities([features(r) for r in examples.to_dict("records")])
    return p[:, model.classes.index("1")] if "1" in model.classes else np.zeros(len(examples))


def _fit(examples: pd.DataFrame, s: ChooserSettings) -> LinearModel:
    return fit([features(r) for r in examples.to_dict("records")], examples["label"].astype(str).tolist(),
               c=s.c, seed=s.seed, min_count=s.min_count)


def cross_validated(train: pd.DataFrame, s: ChooserSettings, *, inner: bool = True) -> pd.DataFrame:
    """Out-of-fold choices on the training figures, folds grouped by project; with ``inner``, each
    outer fold's override threshold chosen by a cross-validation inside its training folds."""
    folds = np.array([fold_of(g, str(p), s.folds, s.seed) for g, p in zip(train["gold_set"], train["project_id"])])
    p_right = np.zeros(len(train))
    thresholds: dict[str, float] = {}
    for k in range(s.folds):
        test, rest = folds == k, folds != k
        if not test.any() or not rest.any():
            continue
        sub = train[rest].reset_index(drop=True)
        p_right[test] = _p_right(_fit(sub, s), train[test])
        if inner:
            oof = cross_validated(sub, ChooserSettings(s.seed, max(s.folds - 1, 2), s.c, s.min_count, s.thresholds),
                                  inner=False)
            t = _threshold(oof, s.thresholds)
            thresholds.update({f: t for f in train.loc[test, "figure"]})
    chosen = _choices(train, p_right)
    chosen["threshold"] = [thresholds.get(f, math.nan) for f in chosen["figure"]]
    return chosen


def _threshold(chosen: pd.DataFrame, grid: Sequence[float]) -> float:
    """The override threshold that gets most figures right, searched as for status on whether
    each side is right (two different names may both satisfy the keys)."""
    rules = [str(labels.get(r, 0)) for r, labels in zip(chosen["rules"], chosen["labels"])]
    model = [str(labels.get(m, 0)) for m, labels in zip(chosen["model"], chosen["labels"])]
    return choose_threshold(rules, model, chosen["prob"].tolist(), ["1"] * len(chosen), grid)


def _scores(chosen: pd.DataFrame, predicted: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Concept accuracy of each variant as the scorer counts it (matched required figures with
    keys), per gold set and pooled."""
    required = np.flatnonzero(chosen["required"].to_numpy(dtype=bool))
    labels = chosen["labels"].tolist()
    return scored([str(chosen["gold_set"].iloc[i]) for i in required],
                  {v: [bool(labels[i].get(texts[i])) for i in required] for v, texts in predicted.items()},
                  [predicted["override"][i] != chosen["rules"].iloc[i] for i in required])


def experiment(examples: pd.DataFrame, s: ChooserSettings) -> tuple[dict[str, Any], LinearModel]:
    """Train on the dev (and whole) candidates, measure every variant by grouped cross-validation
    there and, with the chooser fitted on all of them, on the blind ones (aggregates only)."""
    train = examples[examples["half"] != "blind"].reset_index(drop=True)
    blind = examples[examples["half"] == "blind"].reset_index(drop=True)
    cv = cross_validated(train, s)
    dev = {"rules": cv["rules"].tolist(), "model": cv["model"].tolist(),
           "override": [m if p >= t else r for r, m, p, t in zip(cv["rules"], cv["model"], cv["prob"], cv["threshold"])]}
    threshold = _threshold(cv, s.thresholds)
    model = _fit(train, s)
    results: dict[str, Any] = {"dev_cv": _scores(cv, dev), "blind": {}, "threshold": threshold,
                               "examples": {"train": int(train["figure"].nunique()),
                                            "blind": int(blind["figure"].nunique()) if len(blind) else 0},
                               "candidates_per_figure": round(len(train) / max(train["figure"].nunique(), 1), 2),
                               "features": len(model.weights)}
    if len(blind):
        held = _choices(blind, _p_right(model, blind))
        results["blind"] = _scores(held, {"rules": held["rules"].tolist(), "model": held["model"].tolist(),
                                          "override": override(held["rules"].tolist(), held["model"].tolist(),
                                                               held["prob"].tolist(), threshold)})
    return results, model
