"""The parse stage: a table, or a set of PDF evaluation sheets, → projects.csv, figures.csv
(the sheets' indicator and cost tables; empty for a table), quarantine.csv and parse_summary.json."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from pipeline.core.config import StagePaths, load_params
from pipeline.tables import files
from pipeline.tables.reader import DivisionSplit, TableLimits, parse_table
from pipeline.tables.sheets import FIGURE_COLUMNS, is_sheets, parse_sheets, sheet_limits


def run(table: Path, fiscal_year: int, out: Path, encoding: str | None = None, form: str | None = None
        ) -> StagePaths:
    """A table's layout (wide or long) is ``table.layout`` in params; a multi-year long table
    gives the rows of ``fiscal_year`` only, the others counted as skipped in the summary. PDF
    sheets (one file, a folder or a glob) are read with the form profile ``form``, or the one
    each sheet is recognised as, within the bounds of ``sheets`` in params."""
    params = load_params()
    if form is not None or is_sheets(table):
        result, figures = parse_sheets(table, fiscal_year, DivisionSplit.from_params(params["table"]), form=form,
                                       limits=sheet_limits(params.get("sheets") or {}))
    else:
        t = params["table"]
        result = parse_table(table, fiscal_year, t["columns"], t["required"], DivisionSplit.from_params(t), encoding,
                             layout=t["layout"], long_layout=t["long_layout"], year_filter=fiscal_year,
                             limits=TableLimits.from_params(t))
        figures = pd.DataFrame(columns=FIGURE_COLUMNS)
    paths = StagePaths(out, out)
    files.write_csv(result.projects, paths.projects)
    files.write_csv(figures, paths.figures)
    files.write_csv(result.quarantine, paths.quarantine)
    files.write_json(result.summary, paths.parse_summary)
    s = result.summary
    print(f"parse: {len(result.projects)} projects ({s['layout']} layout), {len(figures)} table figures, "
          f"{len(result.quarantine)} quarantined, {s.get('skipped_year', 0)} of other years → {paths.projects}",
          file=sys.stderr)
    return paths
