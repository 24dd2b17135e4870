"""The evaluate stage: score each gold-annotated table and write DVC metrics and error reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import io
from pipeline.config import FIELDS, StagePaths
from pipeline.scoring import error_report, score
from pipeline.sentences import sentence_of, sentence_spans
from pipeline.textnorm import normalize


def gold_sets(params: dict[str, Any], root: Path) -> list[tuple[str, Path, StagePaths]]:
    """(name, gold file, stage paths) for every fiscal year and eval set that has a gold file."""
    found = []
    for year, spec in sorted((params.get("datasets") or {}).items()):
        if spec.get("gold"):
            found.append((str(year), root / spec["gold"], StagePaths.for_dataset(str(year), root)))
    for name, spec in sorted((params.get("eval_sets") or {}).items()):
        if spec.get("gold"):
            found.append((f"eval_{name}", root / spec["gold"], StagePaths.for_eval_set(name, root)))
    return found


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


def evaluate_all(params: dict[str, Any], root: Path, out_json: Path, reports: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, gold_path, paths in gold_sets(params, root):
        gold = io.read_csv(gold_path)
        pred = io.read_csv(paths.output("metrics"))
        scores, matches = score(pred, gold)
        results[name] = scores
        sentences = cell_sentences(io.read_csv(paths.projects), gold)
        io.write_text(error_report(name, matches, sentences), reports / f"errors_{name}.md")
        overall = scores["overall"]
        print(f"evaluate {name}: P={overall['precision']} R={overall['recall']} F1={overall['f1']} "
              f"concept={overall['concept_accuracy']} qualifier={overall['qualifier_accuracy']} "
              f"parent={overall['parent_accuracy']}")
    io.write_json(results, out_json)
    return results
