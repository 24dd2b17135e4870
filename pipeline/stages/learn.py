"""The learn_status and learn_concept stages: a status classifier and a chooser of each
figure's concept among the rules' names, trained on the dev halves of the gold sets and measured
beside the rules by grouped cross-validation on dev and once on the blind halves.

Each writes the scores of every variant (``metrics/learned_*.json``: per gold set, pooled, and
the verdict) and its model (a JSON table of weights, byte-identical for the same inputs and
params). Nothing per figure of a blind half is written or printed: only its aggregates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.analysis import learned_concept
from pipeline.analysis.learned import Settings, experiment, labelled_examples, verdict, with_context
from pipeline.analysis.scoring import half_for
from pipeline.core.config import ROOT, gold_sets, load_params
from pipeline.ginza.docstore import read_docs
from pipeline.rules.records import candidates_all
from pipeline.tables import files


def examples_of(params: dict[str, Any], root: Path = ROOT) -> pd.DataFrame:
    """Every gold set's matched figures, labelled with the gold status and their half."""
    frames = []
    for name, gold_path, paths in gold_sets(params, root):
        pred = with_context(files.read_csv(paths.output("metrics")), files.read_csv(paths.projects))
        frames.append(labelled_examples(name, pred, files.read_csv(gold_path),
                                        half_for(name, params.get("evaluation") or {})))
    return pd.concat(frames, ignore_index=True)


def run(out_json: Path, model_path: Path, params: dict[str, Any] | None = None, root: Path = ROOT
        ) -> dict[str, Any]:
    params = params if params is not None else load_params()
    spec = params["learn_status"]
    results, model, _ = experiment(examples_of(params, root), Settings.of(spec))
    results["verdict"] = verdict(results, float(spec["max_set_drop"]), float(spec["max_p"]))
    return _written("learn_status", results, model.to_json(), out_json, model_path)


def _written(stage: str, results: dict[str, Any], model: str, out_json: Path, model_path: Path) -> dict[str, Any]:
    files.write_text(model, model_path)
    files.write_json(results, out_json)
    for side in ("dev_cv", "blind"):
        row = results[side].get("all", {})
        print(f"{stage} {side}: " + " ".join(f"{k}={v}" for k, v in row.items()))
    print(f"{stage}: threshold {results['threshold']}, keep {results['verdict']['keep']}")
    return results


def candidates_of(params: dict[str, Any], root: Path = ROOT) -> pd.DataFrame:
    """Every gold set's figures matched to gold concept keys, with every name the rules find for
    each (from the stored parses), labelled by the keys."""
    frames = []
    for name, gold_path, paths in gold_sets(params, root):
        candidates = candidates_all(files.read_csv(paths.projects), read_docs(paths.docs))
        frames.append(learned_concept.labelled_candidates(
            name, files.read_csv(paths.output("metrics")), files.read_csv(gold_path), candidates,
            half_for(name, params.get("evaluation") or {})))
    return pd.concat(frames, ignore_index=True)


def run_concept(out_json: Path, model_path: Path, params: dict[str, Any] | None = None, root: Path = ROOT
                ) -> dict[str, Any]:
    params = params if params is not None else load_params()
    spec = params["learn_concept"]
    results, model = learned_concept.experiment(candidates_of(params, root), learned_concept.ChooserSettings.of(spec))
    results["verdict"] = verdict(results, float(spec["max_set_drop"]), float(spec["max_p"]),
                                 learned_concept.VARIANTS[1:])
    return _written("learn_concept", results, model.to_json(), out_json, model_path)
