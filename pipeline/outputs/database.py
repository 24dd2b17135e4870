"""The exports as one embedded DuckDB database: one place to query every year and city.

DuckDB needs no server; the file is built from the Parquet exports as they are (Parquet stays
the exchange format for Dask or Spark), one table per export and a few views an analyst starts
from. The views' columns are defined with the tables' in :mod:`pipeline.tables.schema`.
Built by one thread in a fixed order, so the same exports give the same file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipeline.tables import files

DATABASE = "jimujigyo.duckdb"

#: Views over the tables (name → SELECT); their columns are schema.VIEWS'.
VIEWS = {
    # The value of the latest year period of every indicator (project × concept × unit category × status).
    "latest_values": """
        SELECT municipality, project_id, project_name, concept, unit, unit_category, status, period, value,
               fiscal_years, dataset, metric_id
        FROM (SELECT *, row_number() OVER (
                  PARTITION BY municipality, project_id, concept, unit_category, status
                  ORDER BY CAST(regexp_extract(period, '[0-9]{4}') AS INTEGER) DESC, period DESC, metric_id
              ) AS _rank
              FROM series WHERE regexp_matches(period, '^(FY)?[0-9]{4}$'))
        WHERE _rank = 1
        ORDER BY municipality, project_id, concept, unit_category, status""",
    # Consecutive periods of one indicator, the computed change beside the one the text states.
    "yoy_changes": """
        SELECT municipality, project_id, project_name, concept, unit, status, period_from, period_to,
               value_from, value_to, change_abs, change_pct, stated_change, disagreement, match_method,
               dataset_from, dataset_to
        FROM comparison
        ORDER BY municipality, project_id, concept, status, period_from, metric_id_to""",
    # Per project: its indicators with a target of the same period, and how far the actuals reached it.
    "achievement_by_project": """
        SELECT municipality, project_id, max(project_name) AS project_name,
               count(*) AS indicators, count(*) FILTER (WHERE achievement_pct >= 100) AS met,
               round(avg(achievement_pct), 1) AS mean_achievement_pct,
               min(achievement_pct) AS min_achievement_pct
        FROM series WHERE achievement_pct IS NOT NULL
        GROUP BY municipality, project_id
        ORDER BY municipality, project_id""",
    # QA findings by municipality and check.
    "qa_by_municipality": """
        SELECT municipality, "check", count(*) AS findings, count(DISTINCT project_id) AS projects
        FROM qa GROUP BY municipality, "check"
        ORDER BY municipality, findings DESC, "check"
        """,
}


def write_database(parquet_files: Iterable[Path], out: Path) -> None:
    """``out``: a table per Parquet file (named by its stem, rows in file order) and the views."""
    with files.atomic_path(out) as tmp:
        tmp.unlink()  # DuckDB creates the file itself
        con = duckdb.connect(str(tmp), config={"threads": 1})
        try:
            con.execute("SET threads = 1")
            con.execute("SET preserve_insertion_order = true")
            for path in sorted(parquet_files, key=lambda p: p.stem):
                con.execute(f'CREATE TABLE "{path.stem}" AS SELECT * FROM read_parquet(?)', [str(path)])
            for name, select in VIEWS.items():
                con.execute(f'CREATE VIEW "{name}" AS {select}')
            con.execute("CHECKPOINT")
        finally:
            con.close()
