"""A learned status classifier (actual / target / plan / rule), measured beside the rules.

Issue #19 asks whether a model trained on the dev halves of the gold sets generalises better to
the blind halves than the rules do. The pieces are pure functions (frames in, frames or a model
out) so the ``learn`` stage, the tests and any later component share one definition of the
examples, the features, the folds and the score:

* examples: the rules' figures matched to a gold row (:func:`pipeline.analysis.scoring.match_all`),
  labelled with the gold status, each with its half (dev / blind / whole) by the project split;
* features: strings from the figure's own sentence only (the characters next to it, the n-grams
  left and right of it) and from the rules' own attributes (unit, kind, field, qualifier, status,
  where the period came from and how it lies against the fiscal year);
* model: multinomial logistic regression (lbfgs, deterministic) over binary features, kept as a
  plain table of weights (:class:`LinearModel`) so it is written as JSON, byte-identical run to
  run, and can be applied without scikit-learn;
* folds: by a sha256 hash of (gold set, project), so a project is never in training and test.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from pipeline.analysis.scoring import match_all
from pipeline.core.config import FIELDS
from pipeline.rules.sentences import sentence_of, sentence_spans
from pipeline.text.fold import fold
from pipeline.text.textnorm import NormalizedText, normalize

STATUSES = ("actual", "target", "plan", "rule")
#: Columns of an example frame beside the metrics.csv columns it carries.
EXAMPLE_COLUMNS = ("gold_set", "half", "gold_status", "required", "left", "right")
_DIGITS = re.compile(r"\d+")
_PERIOD_YEAR = re.compile(r"(\d{4})")


def figure_context(cell: str, start: int, end: int) -> tuple[str, str]:
    """The text of the figure's own sentence left and right of it, in the original cell text.

    The sentence is found as the extractor finds it (normalised text, :func:`sentence_spans`),
    so ``left + cell[start:end] + right`` is the ``sentence`` column of metrics.csv.
    """
    norm, spans = _sentences(cell)
    if not spans:
        return "", ""
    pos = next((i for i, o in enumerate(norm.origin) if o >= start), len(norm.text) - 1)
    s, e = norm.span_to_original(*sentence_of(spans, pos))
    return cell[s:start] if s <= start else "", cell[end:e] if end <= e else ""


@lru_cache(maxsize=64)
def _sentences(cell: str) -> tuple[NormalizedText, list[tuple[int, int]]]:
    """A cell's normal form and sentences, made once for all of its figures."""
    norm = normalize(cell)
    return norm, sentence_spans(norm.text)


def with_context(metrics: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """metrics.csv rows with ``left`` and ``right``: their sentence's text either side of the figure."""
    cells = {(str(r["project_id"]), f): str(r[f]) if isinstance(r[f], str) else ""
             for r in projects.to_dict("records") for f in FIELDS}
    out = metrics.copy()
    pairs = [figure_context(cells.get((str(r["project_id"]), str(r["field"])), ""), int(r["start"]), int(r["end"]))
             for r in metrics.to_dict("records")]
    out["left"] = [p[0] for p in pairs]
    out["right"] = [p[1] for p in pairs]
    return out


def labelled_examples(name: str, pred: pd.DataFrame, gold: pd.DataFrame,
                      half: Callable[[str], str] | None) -> pd.DataFrame:
    """The predicted figures of one gold set matched to a gold row with a status, labelled.

    ``pred`` has the metrics.csv columns plus ``left``/``right`` (:func:`with_context`); ``half``
    maps a project id to dev or blind (None: the set is whole). Pairing is the scorer's own, so
    an example is exactly a figure whose status ``summarize`` judges (or an optional one).
    """
    rows = []
    by_id = {str(r["metric_id"]): r for r in pred.to_dict("records")}
    for m in match_all(pred.drop(columns=["left", "right"]), gold):
        if m.gold is None or m.pred is None or not m.gold.get("status"):
            continue
        row = dict(by_id[m.pred["metric_id"]])
        row.update(gold_set=name, half="whole" if half is None else half(m.gold["project_id"]),
                   gold_status=fold(m.gold["status"]),
                   required=str(m.gold.get("required", "1")).strip() != "0")
        rows.append(row)
    columns = [*pred.columns, *(c for c in EXAMPLE_COLUMNS if c not in pred.columns)]
    return pd.DataFrame(rows, columns=columns)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _shape(text: str) -> str:
    """Width folded, digits as one 0: 令和5年度末 and 令和６年度末 are the same context."""
    return _DIGITS.sub("0", fold(text))


def _ngrams(text: str, lo: int, hi: int) -> set[str]:
    return {text[i:i + n] for n in range(lo, hi + 1) for i in range(len(text) - n + 1)}


def period_relation(period: str, fiscal_year: object) -> str:
    """Where the rules' period lies against the table's fiscal year: a period after it is a
    target or plan more often than a result."""
    years = [int(y) for y in _PERIOD_YEAR.findall(period or "")]
    try:
        fy = int(float(_text(fiscal_year)))
    except ValueError:
        return "none"
    if not years:
        return "none"
    first, last = min(years), max(years)
    if period.startswith("..") or period.endswith(".."):
        return "open"
    if last < fy:
        return "past"
    if first > fy:
        return "future"
    return "same" if first == last else "span"


def features(row: Mapping[str, object], ngram_range: Sequence[int] = (1, 3), window: int = 8) -> list[str]:
    """The figure's features: only its own sentence's text (``left``/``right``) and the rules' own
    attributes of it, so nothing of another figure, project or set can leak in.

    ``window`` characters next to the figure give their own n-grams (目標 right before a figure
    says more than 目標 at the start of a long sentence); anchored prefixes and suffixes give the
    exact words touching it.
    """
    lo, hi = int(ngram_range[0]), int(ngram_range[1])
    left, right = _shape(_text(row.get("left"))), _shape(_text(row.get("right")))
    feats = {f"{k}={_text(row.get(k)) or '-'}" for k in ("field", "unit", "kind", "qualifier", "status",
                                                          "period_source")}
    relation = period_relation(_text(row.get("period")), row.get("fiscal_year"))
    feats |= {f"period_rel={relation}", f"status*period_rel={_text(row.get('status'))}*{relation}"}
    feats |= {f"L:{g}" for g in _ngrams(left, lo, hi)}
    feats |= {f"R:{g}" for g in _ngrams(right, lo, hi)}
    feats |= {f"l:{g}" for g in _ngrams(left[-window:], lo, hi)}
    feats |= {f"r:{g}" for g in _ngrams(right[:window], lo, hi)}
    feats |= {f"la{n}:{left[-n:]}" for n in range(1, 5) if len(left) >= n}
    feats |= {f"ra{n}:{right[:n]}" for n in range(1, 5) if len(right) >= n}
    feats.add(f"sentence_end={'yes' if not right.strip('。.)）、, ') else 'no'}")
    return sorted(feats)


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression as weights by feature name: applied with a dictionary
    lookup, written as JSON, the same bytes for the same data."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def probabilities(self, feats: Iterable[Sequence[str]]) -> np.ndarray:
        """One row of class probabilities per figure's feature list (unknown features ignored)."""
        rows = []
        for fs in feats:
            z = np.array(self.intercept, dtype=float)
            for f in fs:
                w = self.weights.get(f)
                if w is not None:
                    z = z + np.array(w, dtype=float)
            z = z - z.max()
            p = np.exp(z)
            rows.append(p / p.sum())
        return np.array(rows).reshape(-1, len(self.classes))

    def predict(self, feats: Iterable[Sequence[str]]) -> tuple[list[str], list[float]]:
        """The most probable status of each figure and its probability."""
        p = self.probabilities(feats)
        best = p.argmax(axis=1) if len(p) else np.array([], dtype=int)
        return [self.classes[i] for i in best], [float(p[j, i]) for j, i in enumerate(best)]

    def to_json(self) -> str:
        """Sorted keys, floats as Python writes them (exact round trip of the held digits)."""
        return json.dumps({"classes": list(self.classes), "intercept": list(self.intercept),
                           "weights": {k: list(v) for k, v in sorted(self.weights.items())}},
                          ensure_ascii=False, sort_keys=True, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "LinearModel":
        d = json.loads(text)
        return cls(tuple(d["classes"]), tuple(d["intercept"]), {k: tuple(v) for k, v in d["weights"].items()})


def is_attribute(feature: str) -> bool:
    """A feature of the rules' attributes (``status=actual``), not an n-gram of the text (``L:目標``)."""
    return "=" in feature.split(":", 1)[0]


def fit(feats: Sequence[Sequence[str]], labels: Sequence[str], *, c: float, seed: int,
        min_count: int = 1, attribute_weight: float = 1.0) -> LinearModel:
    """Fit on binary features; vocabulary in sorted order so the fit never depends on dict or
    set order. Features seen fewer than ``min_count`` times are dropped.

    The few attribute features are worth ``attribute_weight`` each instead of 1: under the L2
    penalty the rules' status would otherwise be drowned by hundreds of n-grams of a sentence.
    The weights kept are those of the scaled features, so applying the model stays a plain sum.
    """
    from sklearn.linear_model import LogisticRegression
    from scipy.sparse import csr_matrix

    counts: dict[str, int] = {}
    for fs in feats:
        for f in set(fs):
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    scale = np.array([attribute_weight if is_attribute(f) else 1.0 for f in vocab])
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in sorted({index[f] for f in fs if f in index}):
            rows.append(r)
            cols.append(f)
    x = csr_matrix((scale[cols], (rows, cols)), shape=(len(feats), len(vocab)))
    classes = sorted(set(labels))
    if len(classes) == 1:  # nothing to learn: always that status
        return LinearModel(tuple(classes), (0.0,), {})
    lr = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, random_state=seed, tol=1e-6)
    lr.fit(x, np.array(labels))
    coef = lr.coef_ if len(classes) > 2 else np.vstack([-lr.coef_[0] / 2, lr.coef_[0] / 2])
    intercept = lr.intercept_ if len(classes) > 2 else np.array([-lr.intercept_[0] / 2, lr.intercept_[0] / 2])
    coef = coef * scale
    weights = {f: _held(coef[:, i]) for f, i in index.items() if np.any(coef[:, i] != 0)}
    return LinearModel(tuple(str(c_) for c_ in lr.classes_), _held(intercept), weights)


def _held(values: np.ndarray) -> tuple[float, ...]:
    """Weights to 8 significant digits: the last bits of a fit differ from one CPU to another
    (vector paths of the BLAS), the model file must not."""
    return tuple(float(f"{float(v):.8g}") for v in values)


def fold_of(gold_set: str, project_id: str, k: int, seed: int) -> int:
    """The cross-validation fold of a project: a hash, so the whole project is on one side and
    the folds are the same on every machine."""
    digest = hashlib.sha256(f"{seed}\x1f{gold_set}\x1f{project_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % k


def override(rule: Sequence[str], model: Sequence[str], prob: Sequence[float], threshold: float) -> list[str]:
    """The rules' status, replaced by the model's where the model is at least ``threshold`` sure."""
    return [m if p >= threshold else r for r, m, p in zip(rule, model, prob)]


def status_accuracy(examples: pd.DataFrame, predicted: Sequence[str]) -> tuple[float, int]:
    """Status accuracy as :func:`pipeline.analysis.scoring.summarize` defines it: over matched
    required figures with a gold status, folded comparison. Returns (accuracy, n)."""
    mask = examples["required"].astype(bool).to_numpy()
    gold = examples["gold_status"].astype(str).to_numpy()[mask]
    pred = np.array([fold(_text(p)) for p in predicted] + [""], dtype=object)[:-1][mask]
    n = int(mask.sum())
    return (round(float((gold == pred).sum()) / n, 4) if n else 0.0), n


def choose_threshold(rule: Sequence[str], model: Sequence[str], prob: Sequence[float], gold: Sequence[str],
                     grid: Sequence[float]) -> float:
    """The threshold of the grid at which overriding gets most figures right on these (out-of-fold)
    predictions; on a tie the highest, i.e. the fewest overrides. A threshold above 1 never
    overrides, so the rules alone are always a candidate."""
    best: tuple[int, float] | None = None
    for t in sorted({*map(float, grid), 1.01}):
        right = sum(o == g for o, g in zip(override(rule, model, prob, t), gold))
        if best is None or right >= best[0]:
            best = (right, t)
    assert best is not None
    return best[1]


@dataclass(frozen=True)
class Settings:
    """params ``learn_status``."""

    seed: int
    folds: int
    c: float
    ngram_range: tuple[int, int]
    window: int
    min_count: int
    attribute_weight: float
    thresholds: tuple[float, ...]

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> "Settings":
        return cls(int(params["seed"]), int(params["folds"]), float(params["C"]),
                   (int(params["ngram_range"][0]), int(params["ngram_range"][1])), int(params["window"]),
                   int(params["min_count"]), float(params["attribute_weight"]),
                   tuple(float(t) for t in params["thresholds"]))


def featurize(examples: pd.DataFrame, s: Settings, *, with_rules: bool = True) -> list[list[str]]:
    """Features of every example; ``with_rules=False`` leaves out the rules' status (the model
    alone, learning from the sentence and the figure only)."""
    out = []
    for r in examples.to_dict("records"):
        fs = features(r, s.ngram_range, s.window)
        if not with_rules:
            fs = [f for f in fs if not f.startswith(("status=", "status*"))]
        out.append(fs)
    return out


def cross_validated(train: pd.DataFrame, s: Settings, *, with_rules: bool = True,
                    inner: bool = True) -> pd.DataFrame:
    """Out-of-fold predictions on the training examples, folds grouped by project.

    Returns ``model``, ``prob`` and, with ``inner``, ``threshold``: for each outer fold the
    threshold chosen by a cross-validation inside its training folds only, so the dev score of
    the override variant is not tuned on the figures it is measured on.
    """
    folds = np.array([fold_of(g, str(p), s.folds, s.seed) for g, p in zip(train["gold_set"], train["project_id"])])
    feats = featurize(train, s, with_rules=with_rules)
    labels = train["gold_status"].astype(str).tolist()
    rule = [fold(_text(x)) for x in train["status"]]
    model_out: list[str] = [""] * len(train)
    prob_out = [0.0] * len(train)
    thr_out = [math.nan] * len(train)
    for k in range(s.folds):
        test_idx = np.flatnonzero(folds == k)
        train_idx = np.flatnonzero(folds != k)
        if not len(test_idx) or not len(train_idx):  # a tiny set: every project in one fold
            continue
        m = fit([feats[i] for i in train_idx], [labels[i] for i in train_idx], c=s.c, seed=s.seed,
                min_count=s.min_count, attribute_weight=s.attribute_weight)
        pm, pp = m.predict([feats[i] for i in test_idx])
        for j, i in enumerate(test_idx):
            model_out[i], prob_out[i] = pm[j], pp[j]
        if inner:
            sub = train.iloc[train_idx].reset_index(drop=True)
            oof = cross_validated(sub, replace(s, folds=max(s.folds - 1, 2)),
                                  with_rules=with_rules, inner=False)
            t = choose_threshold([rule[i] for i in train_idx], oof["model"].tolist(), oof["prob"].tolist(),
                                 [labels[i] for i in train_idx], s.thresholds)
            for i in test_idx:
                thr_out[i] = t
    return pd.DataFrame({"fold": folds, "model": model_out, "prob": prob_out, "threshold": thr_out},
                        index=train.index)


#: The variants measured: the rules alone, the model with the rules' status among its features,
#: the model without it (sentence and figure only), and the rules overridden where the model is sure.
VARIANTS = ("rules", "model", "model_without_rule_status", "override")


def sign_test(rules_right: Sequence[bool], variant_right: Sequence[bool]) -> float:
    """Two-sided exact sign test (McNemar's) on the figures one side gets right and the other
    wrong: how likely a difference at least this large is when neither side is better."""
    gains = sum(bool(v) and not r for r, v in zip(rules_right, variant_right))
    losses = sum(bool(r) and not v for r, v in zip(rules_right, variant_right))
    n = gains + losses
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(min(gains, losses) + 1)) / 2 ** n) if n else 1.0


def scored(gold_sets: Sequence[str], right: Mapping[str, Sequence[bool]], overridden: Sequence[bool]
           ) -> dict[str, Any]:
    """Accuracy of each variant over the figures given (matched, required), per gold set and
    pooled, with each variant's sign test against the rules and the count of figures overridden."""
    out: dict[str, Any] = {}
    sets = np.asarray(gold_sets, dtype=object)
    for name in [*sorted(set(gold_sets)), "all"]:
        idx = np.arange(len(sets)) if name == "all" else np.flatnonzero(sets == name)
        row: dict[str, Any] = {}
        for variant, hits in right.items():
            row[variant] = round(sum(bool(hits[i]) for i in idx) / len(idx), 4) if len(idx) else 0.0
            if variant != "rules":
                row[f"{variant}_p"] = round(sign_test([right["rules"][i] for i in idx], [hits[i] for i in idx]), 4)
        row["n"] = len(idx)
        row["overrides"] = int(sum(bool(overridden[i]) for i in idx))
        out[name] = row
    return out


def _scores(examples: pd.DataFrame, predicted: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Status accuracy of each variant as :func:`status_accuracy` counts it, per gold set and pooled."""
    required = np.flatnonzero(examples["required"].astype(bool).to_numpy())
    gold = examples["gold_status"].astype(str).to_numpy()
    rules = [fold(_text(x)) for x in examples["status"]]
    return scored([str(examples["gold_set"].iloc[i]) for i in required],
                  {v: [gold[i] == fold(_text(pred[i])) for i in required] for v, pred in predicted.items()},
                  [predicted["override"][i] != rules[i] for i in required])


def experiment(examples: pd.DataFrame, s: Settings) -> tuple[dict[str, Any], LinearModel, float]:
    """Train on the dev (and whole) examples, measure every variant by grouped cross-validation
    there and, with the model fitted on all of them, on the blind examples.

    Returns the scores (``dev_cv`` and ``blind``, per gold set and pooled), the model and the
    override threshold chosen on dev. Blind examples are only scored, never fitted or tuned on,
    and only aggregates of them come back.
    """
    examples = examples.reset_index(drop=True)
    train = examples[examples["half"] != "blind"].reset_index(drop=True)
    blind = examples[examples["half"] == "blind"].reset_index(drop=True)
    labels = train["gold_status"].astype(str).tolist()
    rule_train = [fold(_text(x)) for x in train["status"]]
    cv = cross_validated(train, s, with_rules=True, inner=True)
    cv_text = cross_validated(train, s, with_rules=False, inner=False)
    dev = {"rules": rule_train, "model": cv["model"].tolist(), "model_without_rule_status": cv_text["model"].tolist(),
           "override": [m if p >= t else r for r, m, p, t in zip(rule_train, cv["model"], cv["prob"], cv["threshold"])]}
    threshold = choose_threshold(rule_train, cv["model"].tolist(), cv["prob"].tolist(), labels, s.thresholds)
    model = fit(featurize(train, s), labels, c=s.c, seed=s.seed, min_count=s.min_count,
                attribute_weight=s.attribute_weight)
    text_model = fit(featurize(train, s, with_rules=False), labels, c=s.c, seed=s.seed, min_count=s.min_count,
                     attribute_weight=s.attribute_weight)
    rule_blind = [fold(_text(x)) for x in blind["status"]]
    pm, pp = model.predict(featurize(blind, s))
    pt, _ = text_model.predict(featurize(blind, s, with_rules=False))
    held = {"rules": rule_blind, "model": pm, "model_without_rule_status": pt,
            "override": override(rule_blind, pm, pp, threshold)}
    results = {"dev_cv": _scores(train, dev), "blind": _scores(blind, held) if len(blind) else {},
               "threshold": threshold,
               "dev_cv_thresholds": sorted({float(t) for t in cv["threshold"] if not math.isnan(t)}),
               "examples": {"train": len(train), "blind": len(blind)}, "features": len(model.weights)}
    return results, model, threshold


def verdict(results: Mapping[str, Any], max_set_drop: float, max_p: float,
            variants: Sequence[str] = VARIANTS[1:]) -> dict[str, Any]:
    """Which variant, if any, beats the rules: higher pooled blind accuracy, by more than chance
    (sign test p ≤ ``max_p``), pooled dev-cv not lower, and no gold set lower by more than
    ``max_set_drop`` on either side."""
    out: dict[str, Any] = {"keep": "rules", "reasons": {}}
    best = results["blind"]["all"]["rules"]
    for variant in variants:
        why = []
        if results["blind"]["all"][variant] <= results["blind"]["all"]["rules"]:
            why.append("blind not higher than the rules")
        elif results["blind"]["all"][f"{variant}_p"] > max_p:
            why.append(f"blind gain within chance (sign test p {results['blind']['all'][f'{variant}_p']} > {max_p})")
        if results["dev_cv"]["all"][variant] < results["dev_cv"]["all"]["rules"]:
            why.append("dev-cv lower than the rules")
        for side in ("dev_cv", "blind"):
            for name, row in results[side].items():
                if name != "all" and row[variant] < row["rules"] - max_set_drop:
                    why.append(f"{side} {name} lower by more than {max_set_drop}")
        out["reasons"][variant] = why or ["wins"]
        if not why and results["blind"]["all"][variant] > best:
            out["keep"], best = variant, results["blind"]["all"][variant]
    return out
