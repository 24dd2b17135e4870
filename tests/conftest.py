"""Shared fixtures: the GiNZA model, the real つくば table's cells, and one full pipeline run.

The expensive things (loading ja_ginza, running ``python -m pipeline run``) happen at most
once per test session.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hypothesis_profiles  # noqa: F401  (loads the Hypothesis profile before any test module)
import pytest
from spacy.language import Language

# compare_support is a fixture plugin that some test modules also import helpers from.
pytest.register_assert_rewrite("compare_support")

#: The repository root, found from this file rather than from the working directory.
REPO_ROOT = Path(__file__).resolve().parent.parent
RAW_TABLE = Path("data/raw/tsukuba_jimujigyo_r5.tsv")
GOLD_FILE = REPO_ROOT / "data" / "gold" / "gold_metrics_r5.csv"
FISCAL_YEAR = 2023


def pipeline_command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pipeline ARGS`` with this interpreter from the repo root; never raises."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def run_pipeline(out: Path, table: Path = RAW_TABLE) -> subprocess.CompletedProcess[str]:
    """``python -m pipeline run TABLE --fiscal-year 2023 --out OUT``."""
    return pipeline_command("run", table, "--fiscal-year", str(FISCAL_YEAR), "--out", out)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """ja_ginza, loaded once for the whole session (shared by every test module)."""
    import spacy

    return spacy.load("ja_ginza")


@pytest.fixture(scope="session")
def tsukuba_cells() -> dict[tuple[str, str], str]:
    """Every text cell of the real FY2023 table, keyed (project_id, field), exactly as read."""
    from pipeline.core.config import FIELDS, load_params
    from pipeline.tables.reader import DivisionSplit, parse_table

    params = load_params()["table"]
    result = parse_table(REPO_ROOT / RAW_TABLE, FISCAL_YEAR, params["columns"], params["required"],
                         DivisionSplit.from_params(params))
    return {(str(r["project_id"]), f): r[f] for r in result.projects.to_dict("records") for f in FIELDS}


@pytest.fixture(scope="session")
def pipeline_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """A function that runs ``python -m pipeline ARGS`` (see :func:`pipeline_command`)."""
    return pipeline_command


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one ``python -m pipeline run`` over the real table."""
    out = tmp_path_factory.mktemp("pipeline_run") / "out"
    proc = run_pipeline(out)
    assert proc.returncode == 0, f"pipeline run failed ({proc.returncode}):\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def sheets_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one ``python -m pipeline run`` over the committed PDF sheets (FY2024)."""
    from pipeline import cli

    out = tmp_path_factory.mktemp("sheets") / "run"
    assert cli.main(["run", str(REPO_ROOT / "data" / "raw" / "sheets"), "--fiscal-year", "2024",
                     "--out", str(out)]) == 0
    return out


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Hypothesis test ``property``, so that ``make fuzz`` can run them alone."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
