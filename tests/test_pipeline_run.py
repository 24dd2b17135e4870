"""The whole pipeline on the real FY2023 つくば table, through the command line.

``run_dir`` (conftest) runs ``python -m pipeline run`` once per session; these tests check
the invariants every output row must satisfy and that the command behaves as a CLI should.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipeline.tables import files
from pipeline.core.config import FIELDS

Cli = Callable[..., subprocess.CompletedProcess[str]]
DETERMINISTIC_OUTPUTS = ("metrics.csv", "entities.csv", "trends.csv", "qa.csv", "projects.csv")


def load(run_dir: Path, name: str) -> pd.DataFrame:
    return files.read_csv(run_dir / f"{name}.csv")


def cells_of(run_dir: Path) -> dict[tuple[str, str], str]:
    """Original cell text by (project_id, field), from the run's projects.csv."""
    projects = load(run_dir, "projects")
    return {(r["project_id"], f): r[f] for r in projects.to_dict("records") for f in FIELDS}


def offset_mismatches(rows: pd.DataFrame, cells: dict[tuple[str, str], str], surface_col: str) -> list[str]:
    """Rows whose ``cell[start:end]`` differs from their surface, described for the failure message."""
    bad = []
    for r in rows.to_dict("records"):
        cell = cells[(r["project_id"], r["field"])]
        got = cell[int(r["start"]):int(r["end"])]
        if got != r[surface_col] or not r[surface_col]:
            bad.append(f"{r['project_id']}/{r['field']} [{r['start']}:{r['end']}] = {got!r} != {r[surface_col]!r}")
    return bad


def test_outputs_exist_and_are_not_empty(run_dir: Path) -> None:
    for name in ("projects", "metrics", "entities", "trends"):
        assert len(load(run_dir, name)) > 0, name
    assert set(load(run_dir, "projects")["project_id"]) >= {"4", "19", "159", "160", "161"}


@pytest.mark.parametrize("table, surface_col", [("metrics", "surface"), ("entities", "surface"),
                                                ("trends", "evidence")])
def test_every_row_maps_back_to_the_original_cell(run_dir: Path, table: str, surface_col: str) -> None:
    rows = load(run_dir, table)
    bad = offset_mismatches(rows, cells_of(run_dir), surface_col)
    assert bad == [], f"{len(bad)} of {len(rows)} {table} rows break cell[start:end] == surface:\n" + "\n".join(bad)


def test_wrapped_number_keeps_its_original_surface(run_dir: Path) -> None:
    """160/outcome: 31 0名 is 310 people, reported with the surface as printed."""
    metrics = load(run_dir, "metrics")
    row = metrics[(metrics.project_id == "160") & (metrics.value == "310")]
    assert row["surface"].tolist() == ["31 0名"]


def test_metric_ids_are_unique(run_dir: Path) -> None:
    ids = load(run_dir, "metrics")["metric_id"]
    assert ids.is_unique, ids[ids.duplicated()].tolist()
    assert (ids != "").all()


def test_entity_ids_are_unique(run_dir: Path) -> None:
    ids = load(run_dir, "entities")["entity_id"]
    assert ids.is_unique, ids[ids.duplicated()].tolist()


def test_parent_ids_refer_to_metrics_of_the_same_cell(run_dir: Path) -> None:
    metrics = load(run_dir, "metrics")
    by_id = {r["metric_id"]: r for r in metrics.to_dict("records")}
    children = metrics[metrics.parent_id != ""]
    assert len(children) > 0
    dangling = sorted(set(children.parent_id) - set(by_id))
    assert dangling == [], f"parent_id values with no metric: {dangling}"
    for r in children.to_dict("records"):
        parent = by_id[r["parent_id"]]
        assert r["parent_id"] != r["metric_id"]
        assert (parent["project_id"], parent["field"]) == (r["project_id"], r["field"])


def test_every_delta_has_a_direction(run_dir: Path) -> None:
    metrics = load(run_dir, "metrics")
    deltas = metrics[metrics.kind == "delta"]
    assert len(deltas) > 0
    assert set(deltas.delta_direction) <= {"increase", "decrease"}
    assert (metrics[metrics.kind != "delta"].delta_direction == "").all()


def test_rerun_is_byte_identical(run_dir: Path, tmp_path: Path, pipeline_cli: Cli) -> None:
    second = tmp_path / "again"
    proc = pipeline_cli("run", "data/raw/tsukuba_jimujigyo_r5.tsv", "--fiscal-year", "2023", "--out", second)
    assert proc.returncode == 0, proc.stderr
    differing = [n for n in DETERMINISTIC_OUTPUTS if (run_dir / n).read_bytes() != (second / n).read_bytes()]
    assert differing == []


def test_help_lists_every_command(pipeline_cli: Cli) -> None:
    proc = pipeline_cli("--help")
    assert proc.returncode == 0, proc.stderr
    for command in ("parse", "nlp", "extract", "run", "evaluate", "export"):
        assert any(line.split()[:1] == [command] for line in proc.stdout.splitlines()), (
            f"{command} missing from --help:\n{proc.stdout}")


def test_missing_table_fails_cleanly(tmp_path: Path, pipeline_cli: Cli) -> None:
    missing = tmp_path / "no_such_table.tsv"
    out = tmp_path / "out"
    proc = pipeline_cli("run", missing, "--fiscal-year", "2023", "--out", out)
    assert proc.returncode != 0
    assert "no_such_table.tsv" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists(), (
        f"BUG: a failed run on a missing table left an output folder behind: {sorted(out.rglob('*'))}")


def test_a_cell_longer_than_one_parse_runs_end_to_end(tmp_path: Path, pipeline_cli: Cli,
                                                      tsukuba_cells: dict[tuple[str, str], str]) -> None:
    """A 60 kB 成果 cell (Sudachi takes 49 kB at most per call) still yields every figure."""
    header = "通し番号\t事業番号\t事務事業名\t課名\t事業の目的\t事業の概要\t成果\n"
    outcome = (tsukuba_cells[("159", "outcome")] + " ") * 180
    assert len(outcome.encode("utf-8")) > 50_000
    table = tmp_path / "long_cell.tsv"
    purpose, overview = tsukuba_cells[("159", "purpose")], tsukuba_cells[("159", "overview")]
    table.write_text(header + f"1\t159\t外国人生活支援事業\t市長公室国際都市推進課\t{purpose}\t{overview}\t{outcome}\n",
                     encoding="utf-8")
    proc = pipeline_cli("run", table, "--fiscal-year", "2023", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    metrics = files.read_csv(tmp_path / "out" / "metrics.csv")
    metrics = metrics[metrics["field"] == "outcome"]
    assert len(metrics) == 12 * 180  # the 12 figures of the cell, in each of its 180 copies
    for row in metrics.itertuples():
        assert outcome[int(row.start):int(row.end)] == row.surface
