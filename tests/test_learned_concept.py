"""The learned choice of a figure's concept: its candidates, labels, score, split and verdict.

Runs on the real FY2023 table as ``python -m pipeline run`` extracts it (the shared ``run_dir``,
with its stored parses) and its real gold file, split into halves by the same hash and salt as
the other gold sets.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis import learned_concept
from pipeline.analysis.learned import sign_test, verdict
from pipeline.analysis.learned_concept import ChooserSettings, experiment, labelled_candidates
from pipeline.analysis.scoring import by_half, half_of, match_all, summarize
from pipeline.core.config import load_params
from pipeline.ginza.docstore import read_docs
from pipeline.rules.records import candidates_all
from pipeline.tables import files

GOLD_FILE = Path(__file__).resolve().parent.parent / "data" / "gold" / "gold_metrics_r5.csv"
SETTINGS = ChooserSettings(seed=19, folds=3, c=1.0, min_count=1, thresholds=(0.5, 0.7, 0.9))


@pytest.fixture(scope="module")
def half() -> partial[str]:
    return partial(half_of, salt=str(load_params()["evaluation"]["halves_salt"]))


@pytest.fixture(scope="module")
def candidates(run_dir: Path) -> pd.DataFrame:
    return candidates_all(files.read_csv(run_dir / "projects.csv"), read_docs(run_dir / "docs.spacy",
                                                                            show_progress=False))


@pytest.fixture(scope="module")
def examples(run_dir: Path, candidates: pd.DataFrame, half: partial[str]) -> pd.DataFrame:
    return labelled_candidates("tsukuba_2023", files.read_csv(run_dir / "metrics.csv"), files.read_csv(GOLD_FILE),
                               candidates, half)


def test_every_figure_has_its_final_concept_among_its_candidates(run_dir: Path, candidates: pd.DataFrame) -> None:
    """One group of candidates per figure the prose gave, holding the concept metrics.csv has,
    once, with the rules' order of trust as ranks."""
    metrics = files.read_csv(run_dir / "metrics.csv")
    prose = metrics[metrics["locator"].fillna("") == ""]
    by_figure = {(str(r["project_id"]), str(r["field"]), int(r["start"])): str(r["concept"])
                 for r in prose.to_dict("records")}
    groups = candidates.groupby(["project_id", "field", "start"])
    assert len(groups) == len(by_figure) > 50
    several = 0
    for (project, field, start), group in groups:
        final = by_figure[(str(project), str(field), int(start))]
        assert (group["final"] == final).all() and (group["candidate"] == final).sum() == 1
        assert group["candidate"].is_unique and list(group["rank"]) == list(range(len(group)))
        several += len(group) > 1
    assert several > 10  # the cascade proposes more than one name for many figures


def test_labels_are_the_scorers_concept_verdicts(run_dir: Path, examples: pd.DataFrame, half: partial[str]) -> None:
    """The rules' own concept, labelled by the keys, scores what evaluate reports, half by half."""
    gold = files.read_csv(GOLD_FILE)
    matches = match_all(files.read_csv(run_dir / "metrics.csv"), gold)
    finals = examples[examples["candidate"] == examples["final"]]
    for name, ms in by_half(matches, half).items():
        sub = finals[(finals["half"] == name) & finals["required"]]
        assert round(sub["label"].mean(), 4) == round(summarize(ms)["concept_accuracy"], 4)
    assert examples["label"].isin([0, 1]).all() and 0 < examples["label"].mean() < 1


def test_blind_candidates_are_never_fitted_on(examples: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fit (outer and inner folds, the final chooser) sees dev figures only, and a fold's fit
    never sees a project of the fold it predicts."""
    plain = learned_concept.features
    monkeypatch.setattr(learned_concept, "features",
                        lambda row: [*plain(row), f"id={row['figure']}", f"project={row['project_id']}"])
    seen: list[set[str]] = []
    real_fit = learned_concept.fit

    def recording_fit(feats, labels, **kw):  # type: ignore[no-untyped-def]
        seen.append({f for fs in feats for f in fs if f.startswith(("id=", "project="))})
        return real_fit(feats, labels, **kw)

    monkeypatch.setattr(learned_concept, "fit", recording_fit)
    results, _ = experiment(examples, SETTINGS)
    blind_ids = {f"id={i}" for i in examples.loc[examples["half"] == "blind", "figure"]}
    dev_projects = {f"project={p}" for p in examples.loc[examples["half"] == "dev", "project_id"]}
    assert blind_ids and len(seen) > SETTINGS.folds
    assert all(not (ids & blind_ids) for ids in seen)
    assert (seen[-1] & dev_projects) == dev_projects  # the final chooser: every dev project
    assert all(len(ids & dev_projects) < len(dev_projects) for ids in seen[:-1])  # folds leave some out
    blind_required = examples[(examples["half"] == "blind") & examples["required"]]
    assert results["blind"]["all"]["n"] == blind_required["figure"].nunique()


def test_two_experiments_are_identical(examples: pd.DataFrame) -> None:
    a, model_a = experiment(examples, SETTINGS)
    b, model_b = experiment(examples, SETTINGS)
    assert a == b and model_a.to_json() == model_b.to_json()


def test_the_sign_test_and_a_gain_within_chance() -> None:
    assert sign_test([False] * 3, [True] * 3) == 0.25  # three gains, no loss: 2 × 1/8
    assert sign_test([False] * 6, [True] * 6) == 0.03125
    assert sign_test([True, False], [False, True]) == 1.0
    assert sign_test([True, True], [True, True]) == 1.0  # no figure differs
    row = {"rules": 0.78, "model": 0.79, "model_p": 0.25, "n": 590}
    results = {"blind": {"all": row}, "dev_cv": {"all": {"rules": 0.88, "model": 0.88}}}
    assert verdict(results, 0.02, 0.05, ("model",))["keep"] == "rules"
    assert verdict(results, 0.02, 0.3, ("model",))["keep"] == "model"
