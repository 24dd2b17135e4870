"""The evaluate stage: score each gold-annotated table and write DVC metrics and error reports.

A gold set is scored whole and, unless params ``evaluation.whole`` lists it, in its dev and
blind halves (by a fixed hash of the project id). The errors of the dev half go to
``reports/errors_NAME.md``, to work from; those of the blind half to ``reports/blind/``, to be
read only after the work is done (a rule written from them would make that half no longer blind).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.analysis.scoring import HALVES, by_half, cell_sentences, error_report, half_for, score
from pipeline.core.config import ROOT, gold_sets, load_params
from pipeline.tables import files

_BLIND_NOTE = ("> The blind half: do not read while writing or tuning rules. Read it only after the work "
               "is done, to list what remains; a rule written from it makes the half no longer blind.\n\n")


def _line(name: str, scores: dict[str, Any]) -> str:
    return (f"P={scores['precision']} R={scores['recall']} F1={scores['f1']} concept={scores['concept_accuracy']} "
            f"qualifier={scores['qualifier_accuracy']} period={scores.get('period_accuracy', '-')} "
            f"status={scores.get('status_accuracy', '-')}  ({name})")


def run(out_json: Path, reports: Path, params: dict[str, Any] | None = None, root: Path = ROOT
        ) -> dict[str, Any]:
    """Score every dataset and eval set of params that has a gold file."""
    params = params if params is not None else load_params()
    results: dict[str, Any] = {}
    for name, gold_path, paths in gold_sets(params, root):
        gold = files.read_csv(gold_path)
        pred = files.read_csv(paths.output("metrics"))
        half = half_for(name, params.get("evaluation") or {})
        scores, matches = score(pred, gold, half)
        results[name] = scores
        sentences = cell_sentences(files.read_csv(paths.projects), gold)
        if half is None:
            files.write_text(error_report(name, matches, sentences), reports / f"errors_{name}.md")
            print(f"evaluate {name}: {_line('whole', scores['overall'])}")
            continue
        halves = by_half(matches, half)
        files.write_text(error_report(f"{name} (dev half)", halves["dev"], sentences), reports / f"errors_{name}.md")
        files.write_text(_BLIND_NOTE + error_report(f"{name} (blind half)", halves["blind"], sentences),
                         reports / "blind" / f"errors_{name}.md")
        for h in HALVES:
            print(f"evaluate {name}: {_line(h, scores[h])}")
    files.write_json(results, out_json)
    return results
