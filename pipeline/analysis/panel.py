"""Many datasets in one panel: every row says whose figure it is, and ids never collide.

Each dataset (a table or a folder of PDF sheets of params ``datasets``, or a run folder) is
extracted on its own, so its ids (``2023-4-outcome-111``: fiscal year, 事業番号, field, offset)
are unique only within it: two cities' tables of one fiscal year, or a city's table and its
PDF sheets, give the same ids. Where datasets are combined — the comparison, the exports —
every row carries its ``municipality`` and ``dataset`` and every id is prefixed with the
dataset (``tsukuba_2023:2023-4-outcome-111``), so that an id names one figure of the panel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core.config import StagePaths, datasets
from pipeline.tables import files

#: The columns that say whose a row is, first in every combined table.
PANEL_KEYS = ("municipality", "dataset")
#: The id columns of each per-dataset table; each becomes ``dataset:id``.
ID_COLUMNS: Mapping[str, tuple[str, ...]] = {"metrics": ("metric_id", "parent_id"), "entities": ("entity_id",),
                                             "trends": ("trend_id",), "qa": ("metric_id",), "projects": ()}


@dataclass(frozen=True)
class Source:
    """One dataset: where its stage outputs are, its name and its municipality."""

    paths: StagePaths
    dataset: str
    municipality: str

    def path(self, name: str) -> Path:
        """The file of table ``name`` (projects, metrics, entities, trends or qa)."""
        return self.paths.projects if name == "projects" else self.paths.output(name)


def folder_sources(folders: Iterable[Path]) -> list[Source]:
    """Output folders of ``python -m pipeline run``, each a dataset named by its folder."""
    return [Source(StagePaths(Path(f), Path(f)), Path(f).name, "") for f in folders]


def dataset_sources(params: Mapping[str, Any], root: Path) -> list[Source]:
    """Every table in params ``datasets``, with its municipality."""
    return [Source(StagePaths.for_dataset(name, root), name, str(spec.get("municipality") or ""))
            for name, spec in datasets(params)]


def panel_id(dataset: str, local_id: str) -> str:
    """The id of a figure in the panel; empty stays empty (a figure without a parent)."""
    return f"{dataset}:{local_id}" if local_id else ""


def keyed(df: pd.DataFrame, name: str, source: Source) -> pd.DataFrame:
    """A per-dataset table with its panel keys in front and its ids made panel-wide."""
    out = df.copy()
    for column in ID_COLUMNS[name]:
        out[column] = [panel_id(source.dataset, v) for v in out[column]]
    out.insert(0, "dataset", source.dataset)
    out.insert(0, "municipality", source.municipality)
    return out


def read_panel(sources: Iterable[Source], name: str) -> pd.DataFrame:
    """Table ``name`` of every source, keyed and concatenated in the sources' order."""
    frames = [keyed(files.read_csv(s.path(name)), name, s) for s in sources]
    if not frames:
        raise FileNotFoundError("no dataset: give run folders or set `datasets` in params")
    return pd.concat(frames, ignore_index=True)


def load(sources: Iterable[Source]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Projects and metrics of every source, keyed: what the comparison reads."""
    sources = list(sources)
    return read_panel(sources, "projects"), read_panel(sources, "metrics")
