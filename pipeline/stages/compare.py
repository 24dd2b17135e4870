"""The compare stage: run folders, or every fiscal year in params, → comparison tables, and
each project's peers in other municipalities."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.analysis.compare import CompareSettings, compare_years
from pipeline.analysis.panel import dataset_sources, folder_sources, load
from pipeline.analysis.peers import PeerSettings, peer_tables
from pipeline.core.config import ROOT, load_params
from pipeline.tables import files


def run(folders: Sequence[Path], out: Path) -> None:
    params = load_params()
    sources = folder_sources(folders) if folders else dataset_sources(params, ROOT)
    projects, metrics = load(sources)
    result = compare_years(projects, metrics, CompareSettings.from_params(params["compare"]))
    peers = peer_tables(projects, result.series, PeerSettings.from_params(params))
    for name, df in {**result.tables(), **peers}.items():
        files.write_csv(df, out / f"{name}.csv")
    matched = result.matches[(result.matches["level"] == "project")
                              & (result.matches["match_method"] != "unmatched")]
    print(f"compare: {len(matched)} projects and {len(result.comparison)} metrics matched across "
          f"years, {len(peers['peers'])} peers in other municipalities → {out}", file=sys.stderr)
