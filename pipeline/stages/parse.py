"""The parse stage: a table → projects.csv, quarantine.csv and parse_summary.json."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.core.config import StagePaths, load_params
from pipeline.tables import files
from pipeline.tables.reader import TableLimits, parse_table


def run(table: Path, fiscal_year: int, out: Path, encoding: str | None = None) -> StagePaths:
    """The layout (wide or long) is ``table.layout`` in params; a multi-year long table gives
    the rows of ``fiscal_year`` only, the others counted as skipped in the summary."""
    params = load_params()["table"]
    result = parse_table(table, fiscal_year, params["columns"], params["required"],
                         params["bureau_suffixes"], encoding, layout=params["layout"],
                         long_layout=params["long_layout"], year_filter=fiscal_year,
                         limits=TableLimits.from_params(params))
    paths = StagePaths(out, out)
    files.write_csv(result.projects, paths.projects)
    files.write_csv(result.quarantine, paths.quarantine)
    files.write_json(result.summary, paths.parse_summary)
    s = result.summary
    print(f"parse: {s['projects']} projects ({s['layout']} layout), {s['quarantined']} rows "
          f"quarantined, {s['skipped_year']} of other years → {paths.projects}", file=sys.stderr)
    return paths
