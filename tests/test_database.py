"""The DuckDB database the export stage writes: the exports as tables, and the analysts' views.

Runs on the two-year root (real FY2023 + synthetic FY2024) that the export stage wrote.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.analysis.compare import CompareSettings, compare_years
from pipeline.analysis.panel import Source, load, read_panel
from pipeline.core.config import StagePaths, load_params
from pipeline.outputs.database import DATABASE, VIEWS, write_database
from pipeline.outputs.export import typed
from pipeline.tables import files, schema

pytest_plugins = ["compare_support"]  # the two_years fixture


@pytest.fixture(scope="module")
def db(two_years: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(two_years / "exports" / DATABASE), read_only=True)
    yield con
    con.close()


def _tables(con: duckdb.DuckDBPyConnection, kind: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_type = ? ORDER BY table_name", [kind]).fetchall()]


def test_every_export_is_a_table_with_its_rows(db: duckdb.DuckDBPyConnection, two_years: Path) -> None:
    parquet = sorted(p.stem for p in (two_years / "exports").glob("*.parquet"))
    assert _tables(db, "BASE TABLE") == parquet
    assert db.execute("SELECT count(*) FROM metrics").fetchone()[0] > 0
    for name in parquet:
        expected = pd.read_parquet(two_years / "exports" / f"{name}.parquet")
        got = db.execute(f'SELECT * FROM "{name}"').df()
        assert list(got.columns) == list(expected.columns), name
        assert len(got) == len(expected), name
        assert got["municipality"].astype(str).tolist() == expected["municipality"].astype(str).tolist(), name


def test_views_have_the_columns_the_schema_defines(db: duckdb.DuckDBPyConnection) -> None:
    assert _tables(db, "VIEW") == sorted(VIEWS) == sorted(schema.VIEWS)
    for name, view in schema.VIEWS.items():
        got = [r[0] for r in db.execute(f'DESCRIBE "{name}"').fetchall()]
        assert got == view.names, name
        assert got[0] == "municipality"


def test_latest_values_are_the_latest_year_of_each_indicator(db: duckdb.DuckDBPyConnection,
                                                            two_years: Path) -> None:
    series = pd.read_parquet(two_years / "exports" / "series.parquet")
    years = series[series["period"].str.fullmatch(r"(FY)?\d{4}")].copy()
    years["_year"] = years["period"].str[-4:].astype(int)
    key = ["municipality", "project_id", "concept", "unit_category", "status"]
    expected = years.sort_values(["_year", "period"]).groupby(key).tail(1)
    latest = db.execute("SELECT * FROM latest_values").df()
    assert len(latest) == len(expected) > 0
    merged = latest.merge(expected, on=key, suffixes=("", "_expected"))
    assert (merged["period"] == merged["period_expected"]).all()
    assert (merged["value"] == merged["value_expected"]).all()


def test_views_count_what_the_tables_hold(db: duckdb.DuckDBPyConnection, two_years: Path) -> None:
    qa = pd.read_parquet(two_years / "exports" / "qa.parquet")
    assert (db.execute("SELECT coalesce(sum(findings), 0) FROM qa_by_municipality").fetchone()[0]
            == len(qa))
    yoy = db.execute("SELECT count(*) FROM yoy_changes").fetchone()[0]
    assert yoy == len(pd.read_parquet(two_years / "exports" / "comparison.parquet")) > 0


def test_achievement_by_project_on_the_sheets_targets(sheets_run: Path, tmp_path: Path) -> None:
    # 池田市's sheets state targets and actuals of the same years: achievement by project.
    source = Source(StagePaths(sheets_run, sheets_run), "ikeda_yokohama_2024", "池田市・横浜市")
    result = compare_years(*load([source]), CompareSettings.from_params(load_params()["compare"]))
    tables = result.tables()
    qa = pd.concat([read_panel([source], "qa"), tables.pop("compare_qa")], ignore_index=True)
    for name, df in {**tables, "qa": qa}.items():
        files.write_parquet(typed(name, df), tmp_path / f"{name}.parquet")
    write_database(tmp_path.glob("*.parquet"), tmp_path / DATABASE)
    con = duckdb.connect(str(tmp_path / DATABASE), read_only=True)
    by_project = con.execute("SELECT * FROM achievement_by_project").df().set_index("project_id")
    series = typed("series", result.series)
    achieved = series[series["achievement_pct"].notna()]
    assert len(by_project) == achieved["project_id"].nunique() > 0
    for project, rows in achieved.groupby("project_id"):
        row = by_project.loc[project]
        assert row["indicators"] == len(rows)
        assert row["met"] == (rows["achievement_pct"] >= 100).sum()
        assert row["min_achievement_pct"] == rows["achievement_pct"].min()
        assert abs(row["mean_achievement_pct"] - rows["achievement_pct"].mean()) <= 0.05
    findings = con.execute("SELECT \"check\", findings FROM qa_by_municipality").fetchall()
    assert sum(n for _, n in findings) == len(qa)


def test_same_exports_give_the_same_database_content(two_years: Path, tmp_path: Path) -> None:
    # The file's bytes differ from build to build (DuckDB's block layout); what it holds does not.
    parquet = sorted((two_years / "exports").glob("*.parquet"))
    for i in range(2):
        write_database(parquet, tmp_path / f"{i}.duckdb")
    first, second = (duckdb.connect(str(tmp_path / f"{i}.duckdb"), read_only=True) for i in range(2))
    for name in [*(p.stem for p in parquet), *VIEWS]:
        query = f'SELECT * FROM "{name}"'
        pd.testing.assert_frame_equal(first.execute(query).df(), second.execute(query).df())


def test_the_duckdb_command_line_reads_the_database(two_years: Path) -> None:
    cli = Path(sys.executable).parent / "duckdb"  # the duckdb-cli package's binary
    out = subprocess.run([str(cli), "-csv", "-readonly", str(two_years / "exports" / DATABASE),
                          "-c", "SELECT municipality, count(*) AS n FROM metrics GROUP BY ALL"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    n = len(pd.read_parquet(two_years / "exports" / "metrics.parquet"))
    assert n > 0 and out == f"municipality,n\n\"つくば市\",{n}\n"
