"""The nlp stage: projects.csv → docs.spacy, the one GiNZA pass over a table."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.core.config import StagePaths, load_params
from pipeline.ginza.model import NlpSettings
from pipeline.ginza.run import nlp_stage


def run(folder: Path) -> None:
    settings = NlpSettings.from_params(load_params()["nlp"])
    paths = StagePaths(folder, folder)
    stats = nlp_stage(paths.projects, paths.docs, settings)
    print(f"nlp: {stats.summary()} → {paths.docs}", file=sys.stderr)
