"""Many municipalities in one panel: two datasets of one fiscal year whose 事業番号 overlap.

The two-year つくば市 root (real FY2023 + synthetic FY2024) gets a third dataset: another
city's FY2023 table holding the very same 事業番号 (the real table's run, filed under 池田市).
Before ids were made panel-wide this made the compare stage fail (duplicate metric ids turned
one row into several: ``year_of`` "truth value of a Series is ambiguous").
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.analysis.compare import CompareSettings, Comparison, compare_years
from pipeline.analysis.panel import dataset_sources, load
from pipeline.core.config import StagePaths, compare_dir
from pipeline.tables import files

from compare_support import REAL_TABLE, compare_and_export, two_year_params

pytest_plugins = ["compare_support"]  # the two_years fixture

OTHER = "other_2023"


def _params() -> dict[str, Any]:
    params = two_year_params()
    other = {"table": str(REAL_TABLE), "fiscal_year": 2023, "municipality": "池田市", "gold": None}
    return {**params, "datasets": {**params["datasets"], OTHER: other}}


@pytest.fixture(scope="module")
def panel(two_years: Path, tmp_path_factory: pytest.TempPathFactory,
          compare_settings: CompareSettings) -> tuple[Path, Comparison]:
    """A root with つくば市 FY2023 and FY2024 and 池田市 FY2023, compared and exported."""
    root = tmp_path_factory.mktemp("panel")
    for name in ("2023", "2024"):
        theirs, ours = StagePaths.for_dataset(name, two_years), StagePaths.for_dataset(name, root)
        shutil.copytree(theirs.interim, ours.interim)
        shutil.copytree(theirs.processed, ours.processed)
    tsukuba, other = StagePaths.for_dataset("2023", root), StagePaths.for_dataset(OTHER, root)
    shutil.copytree(tsukuba.interim, other.interim)
    shutil.copytree(tsukuba.processed, other.processed)
    return root, compare_and_export(_params(), root, compare_settings)


def test_the_overlapping_ids_are_there_to_collide(panel: tuple[Path, Comparison]) -> None:
    root, _ = panel
    local = [set(files.read_csv(StagePaths.for_dataset(n, root).output("metrics"))["metric_id"])
             for n in ("2023", OTHER)]
    assert local[0] == local[1]  # the same ids in each dataset's own table


def test_every_export_has_the_panel_keys_and_unique_ids(panel: tuple[Path, Comparison]) -> None:
    root, _ = panel
    for path in sorted((root / "exports").glob("*.parquet")):
        df = pd.read_parquet(path)
        assert "municipality" in df.columns, path.name
        assert {"dataset"} <= set(df.columns) or {"dataset_from", "dataset_to"} <= set(df.columns), path.name
    metrics = pd.read_parquet(root / "exports" / "metrics.parquet")
    assert metrics["metric_id"].is_unique
    assert set(metrics["municipality"]) == {"つくば市", "池田市"}
    assert all(i.startswith(f"{d}:") for i, d in zip(metrics["metric_id"], metrics["dataset"]))
    parents = metrics[metrics["parent_id"].notna() & (metrics["parent_id"] != "")]
    assert not parents.empty and parents["parent_id"].isin(metrics["metric_id"]).all()
    assert parents["parent_id"].str.split(":").str[0].eq(parents["dataset"]).all()
    for name, id_column in (("entities", "entity_id"), ("trends", "trend_id")):
        assert pd.read_parquet(root / "exports" / f"{name}.parquet")[id_column].is_unique, name


def test_nothing_crosses_municipalities(panel: tuple[Path, Comparison]) -> None:
    _, result = panel
    city_of = {"2023": "つくば市", "2024": "つくば市", OTHER: "池田市"}
    for name in ("comparison", "matches", "top_changes"):
        df = getattr(result, name)
        assert df["dataset_from"].map(city_of).eq(df["municipality"]).all(), name
        assert df["dataset_to"].map(city_of).eq(df["municipality"]).all(), name
    for name in ("series", "comparison_wide"):
        df = getattr(result, name)
        assert df["dataset"].map(city_of).eq(df["municipality"]).all(), name
    # 池田市 has one table: its series stand alone, it has no table to be matched with.
    other = result.series[result.series["municipality"] == "池田市"]
    assert not other.empty and set(other["fiscal_years"]) == {"2023"}
    assert set(result.matches["municipality"]) == {"つくば市"}


def test_another_city_changes_nothing_of_tsukuba(panel: tuple[Path, Comparison], two_years: Path) -> None:
    _, result = panel
    alone = files.read_csv(compare_dir(two_years) / "comparison.csv")
    ours = result.comparison[result.comparison["municipality"] == "つくば市"].reset_index(drop=True)
    assert len(alone) > 0
    pd.testing.assert_frame_equal(ours, alone)
    same_ids = result.comparison[result.comparison["municipality"] == "池田市"]
    assert set(same_ids["match_method"]) <= {"same_table"}  # periods of its one table, compared


def test_workbook_sheets_say_whose_figures_they_are(panel: tuple[Path, Comparison]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(panel[0] / "exports" / "jimujigyo_metrics.xlsx", read_only=True)
    for sheet in ("指標一覧", "年度比較", "時系列", "年度対応", "品質チェック", "事業一覧"):
        header = next(wb[sheet].iter_rows(min_row=1, max_row=1, values_only=True))
        assert header[0] == "自治体", sheet


def test_two_datasets_of_one_city_and_year_state_one_series(two_years: Path, tmp_path: Path,
                                                            compare_settings: CompareSettings) -> None:
    # A city's table and its PDF sheets of one fiscal year: the same projects, two datasets. Their
    # figures of one period are one series row that both state, and they agree.
    theirs = StagePaths.for_dataset("2023", two_years)
    for name in ("2023", "sheets_2023"):
        ours = StagePaths.for_dataset(name, tmp_path)
        shutil.copytree(theirs.interim, ours.interim)
        shutil.copytree(theirs.processed, ours.processed)
    params = two_year_params()
    same = {**params["datasets"]["2023"], "fiscal_year": 2023}
    params = {**params, "datasets": {"2023": same, "sheets_2023": same}}
    projects, metrics = load(dataset_sources(params, tmp_path))
    assert metrics["metric_id"].is_unique
    result = compare_years(projects, metrics, compare_settings)
    assert not result.series.empty and (result.series["fiscal_years"] == "2023;2023").all()
    assert (result.series["agree"] == "true").all() and result.compare_qa.empty
    assert set(result.matches["dataset_from"]) == {"2023"} and set(result.matches["dataset_to"]) == {"sheets_2023"}
