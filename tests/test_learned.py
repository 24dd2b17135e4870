"""The learned status classifier: its examples, split, features, score and determinism.

Everything runs on the real FY2023 table as ``python -m pipeline run`` extracts it (the shared
``run_dir``) and its real gold file. FY2023 is scored whole, so the tests that need halves split
its projects by the same hash and salt as the other gold sets.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis import learned
from pipeline.analysis.learned import (LinearModel, Settings, choose_threshold, experiment, featurize, features,
                                       fit, labelled_examples, override, status_accuracy, with_context)
from pipeline.analysis.scoring import by_half, half_of, match_all, summarize
from pipeline.core.config import load_params
from pipeline.tables import files

GOLD_FILE = Path(__file__).resolve().parent.parent / "data" / "gold" / "gold_metrics_r5.csv"
SETTINGS = Settings(seed=19, folds=3, c=1.0, ngram_range=(1, 2), window=6, min_count=1, attribute_weight=3.0,
                    thresholds=(0.5, 0.7, 0.9))


@pytest.fixture(scope="module")
def half() -> partial[str]:
    return partial(half_of, salt=str(load_params()["evaluation"]["halves_salt"]))


@pytest.fixture(scope="module")
def predicted(run_dir: Path) -> pd.DataFrame:
    return with_context(files.read_csv(run_dir / "metrics.csv"), files.read_csv(run_dir / "projects.csv"))


@pytest.fixture(scope="module")
def examples(predicted: pd.DataFrame, half: partial[str]) -> pd.DataFrame:
    return labelled_examples("tsukuba_2023", predicted, files.read_csv(GOLD_FILE), half)


def test_the_context_is_the_figures_own_sentence(predicted: pd.DataFrame) -> None:
    assert len(predicted) > 50
    for r in predicted.to_dict("records"):
        assert r["left"] + r["surface"] + r["right"] == r["sentence"]


def test_features_do_not_change_with_the_rest_of_the_cell(run_dir: Path, predicted: pd.DataFrame) -> None:
    """Other sentences around a figure's sentence, even ones full of status words, change nothing."""
    projects = files.read_csv(run_dir / "projects.csv")
    prefix, suffix = "令和10年度の目標値は999件とする。", "\n計画では5年後に2倍を見込む。"
    changed = 0
    for r in predicted.to_dict("records"):
        s = int(r["start"]) - len(r["left"])
        moved = projects[projects["project_id"] == r["project_id"]].copy()
        moved[r["field"]] = prefix + r["sentence"] + suffix
        row = pd.DataFrame([{**r, "start": int(r["start"]) - s + len(prefix),
                             "end": int(r["end"]) - s + len(prefix)}]).drop(columns=["left", "right"])
        again = with_context(row, moved).iloc[0]
        assert features(again) == features(r)
        changed += 1
    assert changed == len(predicted)


def test_the_score_is_the_scorers_status_accuracy(predicted: pd.DataFrame, examples: pd.DataFrame,
                                                   half: partial[str]) -> None:
    """On the rules' own statuses, status_accuracy gives what evaluate reports, half by half."""
    matches = match_all(predicted.drop(columns=["left", "right"]), files.read_csv(GOLD_FILE))
    for name, ms in by_half(matches, half).items():
        sub = examples[examples["half"] == name]
        assert status_accuracy(sub, sub["status"].tolist())[0] == summarize(ms)["status_accuracy"]


def test_blind_examples_are_never_fitted_on(examples: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fit of the experiment (outer and inner folds, the final models) sees dev figures only,
    and a cross-validation fit never sees a project of the fold it predicts."""
    plain = learned.features
    monkeypatch.setattr(learned, "features", lambda row, *a: [*plain(row, *a), f"id={row['metric_id']}",
                                                              f"project={row['project_id']}"])
    seen: list[set[str]] = []
    real_fit = learned.fit

    def recording_fit(feats, labels, **kw):  # type: ignore[no-untyped-def]
        seen.append({f for fs in feats for f in fs if f.startswith(("id=", "project="))})
        return real_fit(feats, labels, **kw)

    monkeypatch.setattr(learned, "fit", recording_fit)
    results, _, _ = experiment(examples, SETTINGS)
    blind_ids = {f"id={i}" for i in examples.loc[examples["half"] == "blind", "metric_id"]}
    dev_projects = {f"project={p}" for p in examples.loc[examples["half"] == "dev", "project_id"]}
    assert blind_ids and len(seen) > SETTINGS.folds
    assert all(not (ids & blind_ids) for ids in seen)
    assert any((ids & dev_projects) == dev_projects for ids in seen)  # the final model: every dev project
    assert all(len(ids & dev_projects) < len(dev_projects) for ids in seen[:-2])  # folds leave some out
    assert results["blind"]["all"]["n"] == int(examples.loc[examples["half"] == "blind", "required"].sum())


def test_folds_keep_each_project_on_one_side(examples: pd.DataFrame) -> None:
    dev = examples[examples["half"] != "blind"].reset_index(drop=True)
    cv = learned.cross_validated(dev, SETTINGS, inner=False)
    assert cv.assign(p=dev["project_id"]).groupby("p")["fold"].nunique().max() == 1
    assert cv["fold"].nunique() > 1


def test_two_fits_are_identical(examples: pd.DataFrame) -> None:
    dev = examples[examples["half"] != "blind"]
    feats, labels = featurize(dev, SETTINGS), dev["gold_status"].tolist()
    a = fit(feats, labels, c=1.0, seed=19, attribute_weight=3.0)
    b = fit(feats, labels, c=1.0, seed=19, attribute_weight=3.0)
    assert a.to_json() == b.to_json()
    every = featurize(examples, SETTINGS)
    assert a.predict(every) == b.predict(every)
    again = LinearModel.from_json(a.to_json())  # the model file gives the same answers
    assert (again.probabilities(every) == a.probabilities(every)).all()


def test_the_model_learns_from_the_sentence(examples: pd.DataFrame) -> None:
    """Without the rules' status, a model fitted on all figures tells rules from actuals on its
    own training data: the features carry the signal."""
    feats = featurize(examples, SETTINGS, with_rules=False)
    gold = examples["gold_status"].tolist()
    model = fit(feats, gold, c=10.0, seed=19)
    predicted, _ = model.predict(feats)
    assert {"actual", "rule"} <= set(gold)
    assert sum(p == g for p, g in zip(predicted, gold) if g == "rule") >= 2


def test_override_only_where_sure_and_the_threshold_can_refuse() -> None:
    rule, model, prob = ["actual", "actual", "rule"], ["target", "plan", "actual"], [0.95, 0.6, 0.8]
    assert override(rule, model, prob, 0.7) == ["target", "actual", "actual"]
    assert choose_threshold(rule, model, prob, ["actual", "actual", "rule"], [0.5, 0.9]) > 1  # never
    assert choose_threshold(rule, model, prob, ["target", "actual", "rule"], [0.5, 0.9, 0.97]) == 0.9
