"""The compare stage: run folders, or every fiscal year in params, → comparison tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.analysis.compare import CompareSettings, compare_years
from pipeline.analysis.panel import dataset_sources, folder_sources, load
from pipeline.core.config import ROOT, load_params
from pipeline.tables import files


def run(folders: Sequence[Path], out: Path) -> None:
    params = load_params()
    sources = folder_sources(folders) if folders else dataset_sources(params, ROOT)
    result = compare_years(*load(sources), CompareSettings.from_params(params["compare"]))
    for name, df in result.tables().items():
        files.write_csv(df, out / f"{name}.csv")
    projects = result.matches[(result.matches["level"] == "project")
                              & (result.matches["match_method"] != "unmatched")]
    print(f"compare: {len(projects)} projects and {len(result.comparison)} metrics matched across "
          f"years → {out}", file=sys.stderr)
