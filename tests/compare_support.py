"""A two-year project root for the compare, export and report tests, built once per session.

FY2023 is the real つくば table (the ``run_dir`` run of conftest.py, reused); FY2024 is the
synthetic table in tests/fixtures/compare/, parsed with the session's GiNZA model. The root
is laid out as the DVC stages lay it out (data/interim, data/processed, data/compare,
exports), so the stage functions run on it unchanged. Test modules load these fixtures with
``pytest_plugins = ["compare_support"]``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from pipeline.tables import files
from pipeline.stages.extract import run as cmd_extract
from pipeline.stages.parse import run as cmd_parse
from pipeline.analysis.compare import CompareSettings, Comparison, compare_years
from pipeline.analysis.panel import dataset_sources, load
from pipeline.analysis.peers import PeerSettings, peer_tables
from pipeline.core.config import compare_dir
from pipeline.core.config import ROOT, StagePaths, load_params
from pipeline.outputs.export import export_all
from pipeline.ginza.model import parse_cells, to_docbin
from pipeline.ginza.run import cells

SYNTHETIC_TABLE = Path(__file__).parent / "fixtures" / "compare" / "synthetic_tsukuba_jimujigyo_r6.tsv"
REAL_TABLE = ROOT / "data" / "raw" / "tsukuba_jimujigyo_r5.tsv"


def two_year_params() -> dict[str, Any]:
    """The project's params with two fiscal years of つくば市."""
    params = load_params()
    dataset = {"municipality": "つくば市", "gold": None, "encoding": None}
    return {**params, "datasets": {"2023": {**dataset, "table": str(REAL_TABLE)},
                                   "2024": {**dataset, "table": str(SYNTHETIC_TABLE)}}}


@pytest.fixture(scope="session")
def compare_settings() -> CompareSettings:
    """The ``compare`` section of the project's params.yaml."""
    return CompareSettings.from_params(load_params()["compare"])


@pytest.fixture(scope="session")
def two_years(tmp_path_factory: pytest.TempPathFactory, run_dir: Path, nlp: Language,
              compare_settings: CompareSettings) -> Path:
    """A project root with both years run through every stage up to export."""
    root = tmp_path_factory.mktemp("two_years")
    params = two_year_params()
    first = StagePaths.for_dataset("2023", root)
    for folder in (first.interim, first.processed):
        shutil.copytree(run_dir, folder)
    second = StagePaths.for_dataset("2024", root)
    cmd_parse(SYNTHETIC_TABLE, 2024, second.interim)
    items = list(cells(files.read_csv(second.projects)))
    files.write_bytes(to_docbin(parse_cells(nlp, items, params["nlp"]["batch_size"])), second.docs)
    cmd_extract(second.interim, second.processed)
    compare_and_export(params, root, compare_settings)
    return root


def compare_and_export(params: dict[str, Any], root: Path, compare_settings: CompareSettings) -> Comparison:
    """What the compare and export stages do on ``root``'s datasets; the comparison, for asserts."""
    projects, metrics = load(dataset_sources(params, root))
    result = compare_years(projects, metrics, compare_settings)
    peers = peer_tables(projects, result.series, PeerSettings.from_params(params))
    for name, df in {**result.tables(), **peers}.items():
        files.write_csv(df, compare_dir(root) / f"{name}.csv")
    export_all(params, root, root / "exports")
    return result
