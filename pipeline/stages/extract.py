"""The extract stage: projects.csv + docs.spacy (+ figures.csv of PDF sheets) → metrics,
entities, trends and qa tables."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.core.config import StagePaths
from pipeline.ginza.docstore import read_docs
from pipeline.rules.records import extract_all
from pipeline.tables import files


def run(folder: Path, out: Path) -> None:
    paths = StagePaths(folder, out)
    projects = files.read_csv(paths.projects)
    figures = files.read_csv(paths.figures) if paths.figures.exists() else None
    tables = extract_all(projects, read_docs(paths.docs), figures)
    for name, df in tables.items():
        files.write_csv(df, paths.output(name))
    print(f"extract: {len(tables['metrics'])} metrics, {len(tables['entities'])} entities, "
          f"{len(tables['trends'])} trends → {paths.processed}", file=sys.stderr)
