"""The evaluate stage: score each gold-annotated table and write DVC metrics and error reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.analysis.scoring import cell_sentences, error_report, score
from pipeline.core.config import ROOT, gold_sets, load_params
from pipeline.tables import files


def run(out_json: Path, reports: Path, params: dict[str, Any] | None = None, root: Path = ROOT
        ) -> dict[str, Any]:
    """Score every dataset and eval set of params that has a gold file."""
    params = params if params is not None else load_params()
    results: dict[str, Any] = {}
    for name, gold_path, paths in gold_sets(params, root):
        gold = files.read_csv(gold_path)
        pred = files.read_csv(paths.output("metrics"))
        scores, matches = score(pred, gold)
        results[name] = scores
        sentences = cell_sentences(files.read_csv(paths.projects), gold)
        files.write_text(error_report(name, matches, sentences), reports / f"errors_{name}.md")
        overall = scores["overall"]
        print(f"evaluate {name}: P={overall['precision']} R={overall['recall']} F1={overall['f1']} "
              f"concept={overall['concept_accuracy']} qualifier={overall['qualifier_accuracy']} "
              f"parent={overall['parent_accuracy']}")
    files.write_json(results, out_json)
    return results
