"""Paths and parameters, loaded in one place from ``params.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PARAMS_FILE = ROOT / "params.yaml"
FIELDS = ("purpose", "overview", "outcome")
#: The files the compare stage writes.
COMPARE_TABLES = ("comparison", "comparison_wide", "matches", "top_changes", "series", "compare_qa")
#: The files of projects' peers in other municipalities, which the compare stage also writes.
PEER_TABLES = ("peers", "peer_figures")


@lru_cache(maxsize=4)
def load_params(path: Path = PARAMS_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class StagePaths:
    """Where one table's stage outputs live: ``interim`` for parse and nlp, ``processed`` for extract."""

    interim: Path
    processed: Path

    @classmethod
    def for_dataset(cls, name: str, root: Path = ROOT) -> "StagePaths":
        """A table of ``datasets`` in params, by its name."""
        return cls(root / "data" / "interim" / name, root / "data" / "processed" / name)

    @classmethod
    def for_eval_set(cls, name: str, root: Path = ROOT) -> "StagePaths":
        """An extra gold set from ``eval_sets`` in params; kept apart from the product's years."""
        return cls(root / "data" / "interim" / f"eval_{name}", root / "data" / "evalsets" / name)

    @property
    def projects(self) -> Path:
        return self.interim / "projects.csv"

    @property
    def figures(self) -> Path:
        """The structured figures of PDF sheets' tables (header only for a table)."""
        return self.interim / "figures.csv"

    @property
    def quarantine(self) -> Path:
        return self.interim / "quarantine.csv"

    @property
    def parse_summary(self) -> Path:
        return self.interim / "parse_summary.json"

    @property
    def docs(self) -> Path:
        return self.interim / "docs.spacy"

    def output(self, table: str) -> Path:
        """metrics, entities, trends or qa of the extract stage."""
        return self.processed / f"{table}.csv"


def compare_dir(root: Path = ROOT) -> Path:
    """Where the DVC compare stage writes (``python -m pipeline compare --out data/compare``)."""
    return root / "data" / "compare"


def datasets(params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, spec) of every table in params ``datasets``, by municipality and fiscal year; a
    spec without ``fiscal_year`` is named by it ("2023")."""
    found = [(str(name), {**spec, "fiscal_year": int(spec.get("fiscal_year") or name)})
             for name, spec in (params.get("datasets") or {}).items()]
    return sorted(found, key=lambda item: (str(item[1].get("municipality") or ""), item[1]["fiscal_year"],
                                          item[0]))


def gold_sets(params: dict[str, Any], root: Path = ROOT) -> list[tuple[str, Path, StagePaths]]:
    """(name, gold file, stage paths) for every fiscal year and eval set that has a gold file."""
    found = []
    for name, spec in datasets(params):
        if spec.get("gold"):
            found.append((name, root / spec["gold"], StagePaths.for_dataset(name, root)))
    for name, spec in sorted((params.get("eval_sets") or {}).items()):
        if spec.get("gold"):
            found.append((f"eval_{name}", root / spec["gold"], StagePaths.for_eval_set(name, root)))
    return found
