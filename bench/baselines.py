"""Score our extractor against two baselines on every gold set, side by side.

- pynormalizenumexp: the best existing Japanese numeric-expression normaliser (its
  ``numerical`` expressions, counter as unit, value as it reports it);
- GiNZA NER alone: the numeric entity types of ``ja_ginza`` (N_Person, Money, Percent, …),
  read with our numeral parser.

Both read the same cells and are scored by the same scorer as the pipeline. Run after
``make repro`` (it reads the pipeline's stored parses and metrics):

    python bench/baselines.py
"""

from __future__ import annotations

import re
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.tables import files  # noqa: E402
from pipeline.core.config import FIELDS, load_params  # noqa: E402
from pipeline.core.config import gold_sets  # noqa: E402
from pipeline.rules.records import METRIC_COLUMNS  # noqa: E402
from pipeline.ginza.docstore import from_docbin  # noqa: E402
from pipeline.rules.numbers import NUMERAL, format_value, parse_numeral  # noqa: E402
from pipeline.rules.quantities import QUALIFIER_ORDER, SUFFIX_QUALIFIERS, PREFIX_QUALIFIERS  # noqa: E402
from pipeline.analysis.scoring import ATTRIBUTES, HALVES, OPTIONAL_ATTRIBUTES, half_for, score  # noqa: E402
from pipeline.text.textnorm import normalize  # noqa: E402
from pipeline.rules.units import KA_VARIANTS, counters  # noqa: E402

#: GiNZA's ENE labels that hold a quantity.
NUMERIC_LABELS = re.compile(r"^(N_|Money|Percent|Frequency|Period_|Physical_Extent|Weight|Volume|Area|"
                            r"Space|Age|Countx|Rank|Measurement|Multiplication|Intensity|Speed|Temperature|"
                            r"Calorie|Seismic|Point|Latitude|Stock)")
_QUALIFIER_WORDS = [(re.compile(f"(?:{w})"), q) for w, q in (*PREFIX_QUALIFIERS, *SUFFIX_QUALIFIERS)]


def _unit(counter: str) -> str:
    unit = unicodedata.normalize("NFKC", counter).replace("％", "%")
    for variant in KA_VARIANTS[1:]:
        unit = unit.replace(variant, "か")
    return re.sub(r"^[千万億兆]+(?=円)", "", unit)


def _kind(unit: str) -> str:
    entry = counters().get(unit)
    return entry.kind if entry else "count"


def _qualifiers(expr: str) -> str:
    found = {q for pattern, q in _QUALIFIER_WORDS if pattern.search(expr)}
    if re.search(r"[〜～~]|から", expr):
        found.add("range")
    return ",".join(q for q in QUALIFIER_ORDER if q in found)


def _row(pid: str, field: str, start: int, end: int, text: str, value: Decimal, unit: str,
         method: str) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in METRIC_COLUMNS}
    surface = text[start:end]
    row.update(metric_id=f"{method}-{pid}-{field}-{start}", project_id=pid, field=field, start=start,
               end=end, surface=surface, value=format_value(value), unit=unit, kind=_kind(unit),
               qualifier=_qualifiers(surface), method=method)
    return row


def numexp_predictions(projects: pd.DataFrame) -> pd.DataFrame:
    """pynormalizenumexp over every cell; a widened 約/程度 range is read back at its middle."""
    from pynormalizenumexp.normalize_numexp import NormalizeNumexp

    normalizer = NormalizeNumexp("ja")
    rows = []
    for record in projects.to_dict("records"):
        for field in FIELDS:
            text = record[field]
            if not text.strip():
                continue
            for e in normalizer.normalize(text):
                if e.type != "numerical" or e.counter in ("none", ""):
                    continue
                low, high = Decimal(str(e.value_lower_bound)), Decimal(str(e.value_upper_bound))
                if not (low.is_finite() and high.is_finite()):
                    continue
                ranged = re.search(r"[〜～~]|から", e.original_expr)
                value = low if ranged or low == high else (low + high) / 2
                rows.append(_row(str(record["project_id"]), field, e.position_start, e.position_end, text,
                                 value.quantize(Decimal("0.000001")).normalize(), _unit(e.counter),
                                 "pynormalizenumexp"))
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def ginza_predictions(projects: pd.DataFrame, docs_path: Path) -> pd.DataFrame:
    """GiNZA's numeric entities from the pipeline's stored parses, value and counter read by rule."""
    cells = {(str(r["project_id"]), f): r[f] for r in projects.to_dict("records") for f in FIELDS}
    rows = []
    for doc in from_docbin(docs_path.read_bytes()):
        pid, field = doc.user_data["cell"]
        norm = normalize(cells[(pid, field)])
        for ent in doc.ents:
            m = NUMERAL.search(ent.text)
            if not NUMERIC_LABELS.match(ent.label_) or m is None:
                continue
            try:
                value = parse_numeral(m.group())
            except ValueError:
                continue
            unit = _unit(re.split(r"[^\w%％㎡]", ent.text[m.end():])[0])
            start, end = norm.span_to_original(ent.start_char, ent.end_char)
            rows.append(_row(pid, field, start, end, norm.original, value, unit, "ginza_ner"))
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def main() -> None:
    """One Markdown table: every gold set, its dev and blind halves (or the whole set), every system."""
    params = load_params()
    columns = ["precision", "recall", "f1", *(f"{a}_accuracy" for a in (*ATTRIBUTES, *OPTIONAL_ATTRIBUTES))]
    print("| gold set | half | n | system | " + " | ".join(c.removesuffix("_accuracy") for c in columns) + " |")
    print("|---" * (len(columns) + 4) + "|")
    for name, gold_path, paths in gold_sets(params, ROOT):
        gold = files.read_csv(gold_path)
        projects = files.read_csv(paths.projects)
        systems = {
            "**ours**": files.read_csv(paths.output("metrics")),
            "pynormalizenumexp": numexp_predictions(projects),
            "GiNZA NER": ginza_predictions(projects, paths.docs),
        }
        half = half_for(name, params.get("evaluation") or {})
        scores = {system: score(pred, gold, half)[0] for system, pred in systems.items()}
        for part in (HALVES if half is not None else ("whole",)):
            for system, s in scores.items():
                row = s["overall" if part == "whole" else part]
                cells = [f"{row[c]:.3f}" if c in row and (system == "**ours**" or c.removesuffix("_accuracy")
                                                          not in ("concept", "period", "status")) else "–"
                         for c in columns]
                print(f"| {name.removeprefix('eval_')} | {part} | {row['tp'] + row['fn']} | {system} | "
                      + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
