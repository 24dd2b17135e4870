"""Peers: each project's most similar projects of other municipalities, and figures side by side.

The projects are the real つくば市 FY2023 table and 福岡市's 令和6年度 table (parsed only: peers
read names, purposes and overviews); the figures side by side come from the two-year つくば市
root with a twin city whose table is the same (every figure of a project then pairs with its
own twin's).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.analysis.compare import CompareSettings, compare_years
from pipeline.analysis.panel import dataset_sources, load
from pipeline.analysis.peers import PeerSettings, find_peers, peer_figures
from pipeline.core.config import ROOT, StagePaths, load_params
from pipeline.stages.parse import run as cmd_parse
from pipeline.tables import files

from compare_support import two_year_params

pytest_plugins = ["compare_support"]  # the two_years fixture

SETTINGS = PeerSettings.from_params(load_params())


@pytest.fixture(scope="module")
def cities(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The projects of つくば市 (FY2023) and 福岡市 (FY2024), keyed as the compare stage keys them."""
    root = tmp_path_factory.mktemp("cities")
    frames = []
    for name, table, year, city in (("tsukuba", "tsukuba_jimujigyo_r5.tsv", 2023, "つくば市"),
                                    ("fukuoka", "fukuoka_jimujigyo_r6.tsv", 2024, "福岡市")):
        cmd_parse(ROOT / "data" / "raw" / table, year, root / name)
        frames.append(files.read_csv(root / name / "projects.csv").assign(municipality=city, dataset=name))
    return pd.concat(frames, ignore_index=True)


def _top(peers: pd.DataFrame, name: str) -> str:
    rows = peers[(peers["project_name"] == name) & (peers["rank"] == 1)]
    assert len(rows) == 1, name
    return str(rows["peer_project_name"].iloc[0])


def test_like_projects_of_two_cities_are_peers(cities: pd.DataFrame) -> None:
    peers = find_peers(cities, SETTINGS)
    assert _top(peers, "外国人生活支援事業") == "在住外国人の生活環境整備事業"
    assert _top(peers, "自主防災組織・地域防災活動支援事業") == "自主防災活動の促進"
    assert _top(peers, "自主防災活動の促進") == "自主防災組織・地域防災活動支援事業"


def test_peers_are_of_other_municipalities_ranked_and_bounded(cities: pd.DataFrame) -> None:
    peers = find_peers(cities, SETTINGS)
    assert not peers.empty and (peers["municipality"] != peers["peer_municipality"]).all()
    similarity = peers["similarity"].astype(float)
    assert similarity.between(SETTINGS.min_similarity, 1).all()
    for _key, group in peers.groupby(["municipality", "project_id"]):
        assert list(group["rank"]) == list(range(1, len(group) + 1)) and len(group) <= SETTINGS.top
        assert group["similarity"].astype(float).is_monotonic_decreasing
    reordered = find_peers(cities.iloc[::-1].reset_index(drop=True), SETTINGS)
    assert sorted(map(tuple, reordered.to_numpy())) == sorted(map(tuple, peers.to_numpy()))


def test_one_municipality_has_no_peers(cities: pd.DataFrame) -> None:
    assert find_peers(cities[cities["municipality"] == "つくば市"], SETTINGS).empty


def _twin_params() -> dict[str, Any]:
    params = two_year_params()
    twin = {**params["datasets"]["2023"], "municipality": "双子市", "fiscal_year": 2023}
    return {**params, "datasets": {**params["datasets"], "twin_2023": twin}}


def test_figures_of_the_same_measure_stand_side_by_side(two_years: Path, tmp_path: Path,
                                                        compare_settings: CompareSettings) -> None:
    for name in ("2023", "2024"):
        theirs, ours = StagePaths.for_dataset(name, two_years), StagePaths.for_dataset(name, tmp_path)
        shutil.copytree(theirs.interim, ours.interim)
        shutil.copytree(theirs.processed, ours.processed)
    twin = StagePaths.for_dataset("twin_2023", tmp_path)
    shutil.copytree(StagePaths.for_dataset("2023", tmp_path).interim, twin.interim)
    shutil.copytree(StagePaths.for_dataset("2023", tmp_path).processed, twin.processed)
    projects, metrics = load(dataset_sources(_twin_params(), tmp_path))
    series = compare_years(projects, metrics, compare_settings).series
    peers = find_peers(projects, SETTINGS)
    twin_peers = peers[(peers["municipality"] == "双子市") & (peers["rank"] == 1)]
    assert (twin_peers["project_id"] == twin_peers["peer_project_id"]).all()  # its own twin, first
    figures = peer_figures(peers, series, SETTINGS.concept_similarity)
    mine = figures[(figures["municipality"] == "双子市") & (figures["project_id"] == figures["peer_project_id"])]
    assert not mine.empty
    assert (mine["concept"] == mine["peer_concept"]).all() and (mine["unit"] == mine["peer_unit"]).all()
    # The twin's FY2023 figures stand beside つくば市's latest of the same measure (FY2024 restates some).
    same_period = mine[mine["period"] == mine["peer_period"]]
    assert (same_period["value"] == same_period["peer_value"]).all() and len(same_period) > 0
