"""PDF evaluation sheets as the parse stage's tables: projects (as a table row would give them),
the figures of their indicator and cost tables, and the sheets or pages that could not be read.

The reading itself is :mod:`pipeline.tables.pdf`; this module only shapes its records like
:func:`pipeline.tables.reader.parse_table`'s, so every later stage treats a sheet as a row.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.tables.pdf import SheetLimits, expand_inputs, read_sheets
from pipeline.tables.reader import PROJECT_COLUMNS, QUARANTINE_COLUMNS, DivisionSplit, ParseResult, split_former_name

#: The structured figures of the sheets (``figures.csv`` beside ``projects.csv``).
FIGURE_COLUMNS = ["fiscal_year", "project_id", "table", "label", "parent_label", "group", "indicator_kind",
                  "unit_text", "header", "period", "status", "value_text", "value", "value_max", "qualifier",
                  "file", "page", "table_index", "row", "column"]


def is_sheets(spec: str | Path) -> bool:
    """Whether an input names PDF sheets: a .pdf file, a folder holding PDFs, or a glob."""
    text = str(spec)
    path = Path(text)
    if path.is_dir():
        return any(p.suffix.lower() == ".pdf" for p in path.rglob("*"))
    return path.suffix.lower() == ".pdf" or glob.has_magic(text)


def sheet_limits(params: Mapping[str, Any]) -> SheetLimits:
    """``sheets`` of params.yaml: the bounds on one sheet (pages, characters, seconds, bytes)."""
    known = SheetLimits.__dataclass_fields__
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValueError(f"params.yaml sheets has unknown keys {', '.join(unknown)}; known: {', '.join(known)}")
    return SheetLimits(**params)


def parse_sheets(spec: str | Path, fiscal_year: int, divisions: DivisionSplit, *,
                 form: str | None = None, limits: SheetLimits = SheetLimits()) -> tuple[ParseResult, pd.DataFrame]:
    """Projects, quarantine and summary of the sheets ``spec`` names, and their table figures.

    A project's ``source_file``/``source_line`` are its PDF and first page; a quarantined
    sheet or page has its file, page (as ``line``) and reason.
    """
    paths = expand_inputs(spec)
    reading = read_sheets(paths, form=form, limits=limits)
    projects = []
    for p in reading.projects:
        name, former = split_former_name(p["project_name"])
        bureau, division = divisions.split(p["division_name"])
        projects.append({"fiscal_year": fiscal_year, "row_no": "", "project_id": p["project_id"],
                         "project_name": name, "former_name": former, "bureau": bureau, "division": division,
                         "purpose": p["purpose"], "overview": p["overview"], "outcome": p["outcome"],
                         "source_file": p["source_file"], "source_line": p["source_page"]})
    quarantine = [{"source_file": q["source_file"], "line": q["page"], "column": "", "reason": q["reason"],
                   "raw": ""} for q in reading.quarantine]
    figures = pd.DataFrame([{**{k: _text(f.get(k)) for k in FIGURE_COLUMNS}, "fiscal_year": str(fiscal_year)}
                            for f in reading.figures], columns=FIGURE_COLUMNS)
    summary = {"format": "pdf sheets", "layout": "sheets", **_flat(reading.summary),
               "skipped_year": 0, "missing_fields": "; ".join(
                   f"{p['source_file']}: {', '.join(p['missing_fields'])}" for p in reading.projects
                   if p.get("missing_fields"))}
    result = ParseResult(pd.DataFrame(projects, columns=PROJECT_COLUMNS),
                         pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS), summary)
    return result, figures


def _text(value: object) -> str:
    """A figure's field as CSV text: 487.0 → 487, None → empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _flat(summary: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The reader's nested counts as one level (fields_found.purpose: 5), for parse_summary.json."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
