"""Matching across fiscal years, the comparison's arithmetic, stated changes and the CLI.

Rows come from the real FY2023 つくば table and its synthetic FY2024 successor
(tests/fixtures/compare/README.md lists what was changed there and why).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.tables import files
from pipeline.analysis.compare import (
    COMPARISON_COLUMNS,
    CompareSettings,
    changes_of,
    compare_years,
    match_metrics,
    match_projects,
    name_views,
    similarity,
)
from pipeline.analysis.series import stated_priors as stated_changes
from pipeline.rules.records import extract_cell
from pipeline.text.textnorm import normalize
from pipeline.core.config import StagePaths, compare_dir, load_params
from pipeline.rules.numbers import format_value

pytest_plugins = ["compare_support"]  # the two_years fixture

SPEC_COLUMNS = ["municipality", "project_id", "project_name", "concept", "unit", "unit_category", "status",
                "period_from", "period_to", "dataset_from", "dataset_to", "fiscal_year_from", "fiscal_year_to", "value_from", "value_to", "change_abs",
                "change_pct", "stated_change", "stated_prior_value", "disagreement", "match_method",
                "match_confidence", "metric_id_from", "metric_id_to"]


def _year(root: Path, year: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    paths = StagePaths.for_dataset(year, root)
    return files.read_csv(paths.projects), files.read_csv(paths.output("metrics"))


@pytest.fixture(scope="session")
def project_matches(two_years: Path, compare_settings: CompareSettings) -> pd.DataFrame:
    (prev, _), (curr, _) = _year(two_years, "2023"), _year(two_years, "2024")
    return match_projects(prev, curr, compare_settings.name_similarity)


def _match_of(matches: pd.DataFrame, id_to: str) -> pd.Series:
    rows = matches[matches["project_id_to"] == id_to]
    assert len(rows) == 1, matches
    return rows.iloc[0]


# --- projects -----------------------------------------------------------------------------

def test_same_number_matches_even_when_the_former_name_note_is_dropped(project_matches: pd.DataFrame) -> None:
    # FY2023 159 is 外国人生活支援事業（旧：国際交流員・留学生交流員事業）, FY2024 drops the note.
    row = _match_of(project_matches, "159")
    assert (row["project_id_from"], row["match_method"]) == ("159", "project_id")
    assert row["match_confidence"] == 1.0


def test_former_name_links_a_renamed_and_renumbered_project(project_matches: pd.DataFrame) -> None:
    # FY2024 18 市民の声広聴事業（旧：市長へのたより・メール等広聴事業） was FY2023 16.
    row = _match_of(project_matches, "18")
    assert row["project_id_from"] == "16"
    assert row["match_method"] == "former_name"
    assert 0.9 <= row["match_confidence"] < 1


def test_similar_name_links_a_renumbered_project(project_matches: pd.DataFrame) -> None:
    # FY2023 19 自主防災組織・地域防災活動支援事業 → FY2024 20 自主防災組織等・地域防災活動支援事業.
    row = _match_of(project_matches, "20")
    assert (row["project_id_from"], row["match_method"]) == ("19", "name_similarity")
    assert 0.8 * 0.9 <= row["match_confidence"] < 0.9


def test_new_and_ended_projects_are_listed_unmatched(project_matches: pd.DataFrame) -> None:
    unmatched = project_matches[project_matches["match_method"] == "unmatched"]
    assert set(zip(unmatched["project_id_from"], unmatched["project_id_to"])) == {("", "8"), ("2", "")}
    assert (unmatched["match_confidence"] == 0).all()
    assert len(project_matches) == 16 + 1  # every FY2024 project, plus the one that ended


def test_name_similarity_threshold_is_respected(two_years: Path) -> None:
    (prev, _), (curr, _) = _year(two_years, "2023"), _year(two_years, "2024")
    strict = match_projects(prev, curr, 0.99)
    assert _match_of(strict, "20")["match_method"] == "unmatched"


def test_reused_number_with_another_name_is_less_certain(two_years: Path) -> None:
    (prev, _), (curr, _) = _year(two_years, "2023"), _year(two_years, "2024")
    curr = curr.copy()
    curr.loc[curr["project_id"] == "21", "project_name"] = "市民協働推進事業"
    row = _match_of(match_projects(prev, curr, 0.8), "21")
    assert row["match_method"] == "project_id"
    assert 0.5 <= row["match_confidence"] < 0.75


def _projects(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"project_id": pid, "project_name": name, "former_name": "", "bureau": "",
                          "division": division} for pid, name, division in rows])


def test_shared_bracketed_suffix_does_not_make_names_similar() -> None:
    # Real names from the national review sheets (デジタル庁, 2024 → 2025): the whole names
    # are 83 % alike, the projects are unrelated.
    prev = _projects(("20537", "陸自業務システム(情報通信技術調達等適正・効率化推進費)", "デジタル庁"),
                     ("20393", "非常時における地下水活用等の推進に関する調査経費", "国土交通省"))
    curr = _projects(("21143", "農林水産統計システム(情報通信技術調達等適正・効率化推進費)", "デジタル庁"),
                     ("21693", "災害時における地下水活用の推進に関する調査経費", "国土交通省"))
    assert similarity(*(name_views(n)[0] for n in (prev["project_name"][0], curr["project_name"][0]))) > 0.8
    matches = match_projects(prev, curr, 0.8)
    assert _match_of(matches, "21143")["match_method"] == "unmatched"
    assert _match_of(matches, "21693")["project_id_from"] == "20393"


def test_similar_names_in_another_bureau_are_not_matched() -> None:
    prev = _projects(("19", "自主防災組織・地域防災活動支援事業", "危機管理課"))
    curr = _projects(("20", "自主防災組織等・地域防災活動支援事業", "国際都市推進課"))
    prev["bureau"], curr["bureau"] = "市長公室", "市民部"
    assert _match_of(match_projects(prev, curr, 0.8), "20")["match_method"] == "unmatched"


# --- metrics ------------------------------------------------------------------------------

def test_items_of_two_breakdowns_pair_under_their_own_totals(two_years: Path) -> None:
    # 159: 英語 counts twice, each an item of its own total (相談窓口 968件 → 1,050件, 翻訳 141件 → 158件).
    (_, prev), (_, curr) = _year(two_years, "2023"), _year(two_years, "2024")
    pairs = pd.DataFrame([{"project_id_from": "159", "project_id_to": "159"}])
    matched = match_metrics(prev, curr, pairs, 0.6)
    english = matched[matched["concept_to"].str.endswith("（英語）")]
    values = {m: v for m, v in zip(curr["metric_id"], curr["value"])} | {
        m: v for m, v in zip(prev["metric_id"], prev["value"])}
    assert [(values[a], values[b]) for a, b in zip(english["metric_id_from"], english["metric_id_to"])] == [
        ("968", "1050"), ("141", "158")]
    assert set(english["match_method"]) == {"concept_exact"}


def test_drifting_concept_matches_by_similarity_within_its_unit_category(two_years: Path) -> None:
    # 要望等の対応数 1,108件 (FY2023, 16) → 要望等への対応数 1,215件 (FY2024, 18): the concepts differ.
    (_, prev), (_, curr) = _year(two_years, "2023"), _year(two_years, "2024")
    prev = prev[prev["project_id"] == "16"].copy()
    curr = curr[curr["project_id"] == "18"].copy()
    prev.loc[prev["value"] == "1108", "concept"] = "要望等の対応数"
    curr.loc[curr["value"] == "1215", "concept"] = "要望等への対応数"
    pairs = pd.DataFrame([{"project_id_from": "16", "project_id_to": "18"}])
    matched = match_metrics(prev, curr, pairs, 0.6)
    row = matched[matched["concept_to"] == "要望等への対応数"].iloc[0]
    assert (row["concept_from"], row["unit_category"], row["match_method"]) == (
        "要望等の対応数", "cases", "concept_similar")
    assert row["match_confidence"] == pytest.approx(similarity("要望等の対応数", "要望等への対応数"))
    assert "要望等への対応数" not in set(match_metrics(prev, curr, pairs, 0.99)["concept_to"])


def test_deltas_and_unnamed_figures_are_not_followed(two_years: Path) -> None:
    (_, prev), (_, curr) = _year(two_years, "2023"), _year(two_years, "2024")
    pairs = pd.DataFrame([{"project_id_from": "4", "project_id_to": "4"}])
    matched = match_metrics(prev, curr, pairs, 0.6)
    kinds = curr.set_index("metric_id").loc[matched["metric_id_to"], "kind"]
    assert "delta" not in set(kinds)
    assert len(matched) == 1


# --- stated changes and arithmetic --------------------------------------------------------

def test_stated_change_is_read_from_the_delta_of_the_current_value(
        two_years: Path, compare_settings: CompareSettings) -> None:
    _, curr = _year(two_years, "2024")
    stated = stated_changes(curr, compare_settings.stated_bases).set_index("metric_id")
    value = curr[(curr["project_id"] == "4") & (curr["kind"] != "delta") & (curr["value"] == "2950")]
    assert stated.loc[value["metric_id"].iloc[0]].to_dict() == {"stated_change": "720",
                                                                "stated_prior_value": "2230",
                                                                "stated_prior_slack": "0"}
    # 移住支援金を5件交付した（前年比3件増）
    value = curr[(curr["project_id"] == "13") & (curr["value"] == "5")]
    assert stated.loc[value["metric_id"].iloc[0], "stated_change"] == "3"


def test_decrease_is_negative_and_other_bases_are_ignored(
        two_years: Path, compare_settings: CompareSettings) -> None:
    _, curr = _year(two_years, "2024")
    delta = curr[(curr["project_id"] == "4") & (curr["kind"] == "delta")].index[0]
    decreased = curr.copy()
    decreased.loc[delta, "delta_direction"] = "decrease"
    parent = decreased.loc[delta, "parent_id"]
    assert stated_changes(decreased, ["昨年"]).set_index("metric_id").loc[parent, "stated_change"] == "-720"
    monthly = curr.copy()
    monthly.loc[delta, "delta_basis"] = "前月比"
    assert parent not in set(stated_changes(monthly, compare_settings.stated_bases)["metric_id"])


@pytest.mark.parametrize(("prior", "expected"), [("2230", "false"), ("2241", "false"), ("2242", "true"),
                                                 ("2300", "true"), ("", "")])
def test_disagreement_uses_the_relative_tolerance(prior: str, expected: str) -> None:
    # tolerance 0.5 % of 2,230 = 11.15
    assert changes_of("2230", "2950", prior, 0.005, True)["disagreement"] == expected


def test_change_arithmetic() -> None:
    assert changes_of("2230", "2950", "", 0.005, True) == {"change_abs": "720", "change_pct": "32.29",
                                                            "disagreement": ""}
    assert changes_of("48.9", "52.3", "", 0.005, True)["change_abs"] == "3.4"
    assert changes_of("1108", "1000", "", 0.005, True)["change_pct"] == "-9.75"
    assert changes_of("0", "5", "", 0.005, True)["change_pct"] == ""
    assert changes_of("2230", "2950", "2300", 0.005, False)["disagreement"] == ""


# --- the comparison tables ----------------------------------------------------------------

@pytest.fixture(scope="session")
def comparison(two_years: Path) -> pd.DataFrame:
    return files.read_csv(compare_dir(two_years) / "comparison.csv")


def test_comparison_has_exactly_the_specified_columns(comparison: pd.DataFrame) -> None:
    assert list(comparison.columns) == SPEC_COLUMNS == COMPARISON_COLUMNS


def test_stated_change_beside_the_computed_one(comparison: pd.DataFrame) -> None:
    youtube = comparison[(comparison["project_id"] == "7") & (comparison["value_to"] == "3100")].iloc[0]
    stated = ["value_from", "change_abs", "stated_change", "stated_prior_value", "disagreement"]
    assert youtube[stated].tolist() == ["2230", "870", "800", "2300", "true"]
    channel = comparison[(comparison["project_id"] == "4") & (comparison["value_to"] == "2950")].iloc[0]
    assert channel[["change_abs", "stated_change", "disagreement"]].tolist() == ["720", "720", "false"]
    assert set(comparison.loc[comparison["stated_prior_value"] == "", "disagreement"]) == {""}


def test_match_method_and_confidence_combine_project_and_metric(comparison: pd.DataFrame) -> None:
    renamed = comparison[comparison["project_id"] == "20"]
    assert not renamed.empty
    assert set(renamed["match_method"].str.split("+").str[0]) == {"name_similarity"}
    assert all(0 < float(c) < 0.9 for c in renamed["match_confidence"])
    renamed = comparison[comparison["project_id"] == "18"]
    assert set(renamed["match_method"].str.split("+").str[0]) == {"former_name"}
    assert "8" not in set(comparison["project_id"]) and "2" not in set(comparison["project_id"])


def test_wide_table_has_a_value_column_per_period(two_years: Path, comparison: pd.DataFrame) -> None:
    wide = files.read_csv(compare_dir(two_years) / "comparison_wide.csv")
    assert list(wide.columns[-2:]) == ["value_FY2023", "value_FY2024"]
    both = wide[(wide["value_FY2023"] != "") & (wide["value_FY2024"] != "")]
    fiscal = comparison[comparison["period_from"] == "FY2023"]
    assert len(both) == len(fiscal) > 40
    assert sorted(both[["value_FY2023", "value_FY2024"]].values.tolist()) == sorted(
        fiscal[["value_from", "value_to"]].values.tolist())


def test_chains_run_through_three_years(two_years: Path, compare_settings: CompareSettings) -> None:
    """A made-up FY2025 (FY2024 again, every value +1) extends each chain by one column."""
    p23, m23 = _year(two_years, "2023")
    p24, m24 = _year(two_years, "2024")
    p25 = p24.assign(fiscal_year="2025")
    m25 = m24.assign(fiscal_year="2025", metric_id=m24["metric_id"].str.replace("2024-", "2025-", n=1),
                     parent_id=m24["parent_id"].str.replace("2024-", "2025-", n=1),
                     period=m24["period"].replace("FY2024", "FY2025"),
                     value=m24["value"].map(lambda v: format_value(Decimal(v) + 1)))
    result = compare_years(pd.concat([p23, p24, p25]), pd.concat([m23, m24, m25]), compare_settings)
    fiscal = result.comparison[result.comparison["period_from"].str.startswith("FY")]
    assert sorted(set(zip(fiscal["period_from"], fiscal["period_to"],
                          fiscal["fiscal_year_from"], fiscal["fiscal_year_to"]))) == [
        ("FY2023", "FY2024", "2023", "2024"), ("FY2024", "FY2025", "2024", "2025")]
    row = result.comparison_wide[(result.comparison_wide["project_id"] == "4")].iloc[0]
    assert row[["value_FY2023", "value_FY2024", "value_FY2025"]].tolist() == ["2230", "2950", "2951"]


def test_comparison_is_deterministic(two_years: Path, compare_settings: CompareSettings) -> None:
    (p23, m23), (p24, m24) = _year(two_years, "2023"), _year(two_years, "2024")
    first = compare_years(pd.concat([p23, p24]), pd.concat([m23, m24]), compare_settings)
    # the years' rows in the other order: same tables
    second = compare_years(pd.concat([p24, p23]), pd.concat([m24, m23]), compare_settings)
    for name, df in first.tables().items():
        pd.testing.assert_frame_equal(df.reset_index(drop=True), second.tables()[name].reset_index(drop=True))


# --- the command line ---------------------------------------------------------------------

def _run_folder(root: Path, year: str, into: Path) -> Path:
    """A `python -m pipeline run` style folder: projects.csv and metrics.csv side by side."""
    paths = StagePaths.for_dataset(year, root)
    into.mkdir(parents=True)
    shutil.copy(paths.projects, into / "projects.csv")
    shutil.copy(paths.output("metrics"), into / "metrics.csv")
    return into


def test_cli_compares_run_folders(two_years: Path, tmp_path: Path) -> None:
    folders = [_run_folder(two_years, y, tmp_path / y) for y in ("2023", "2024")]
    assert cli.main(["compare", *map(str, folders), "--out", str(tmp_path / "out")]) == 0
    # run folders carry no municipality (each is the dataset of its name); everything else is the same
    for name in ("comparison", "comparison_wide", "matches", "series"):
        written = files.read_csv(tmp_path / "out" / f"{name}.csv")
        expected = files.read_csv(compare_dir(two_years) / f"{name}.csv")
        assert set(written["municipality"]) == {""} and set(expected["municipality"]) == {"つくば市"}, name
        pd.testing.assert_frame_equal(written.drop(columns="municipality"), expected.drop(columns="municipality"))


def test_cli_with_one_year_writes_empty_tables_with_headers(two_years: Path, tmp_path: Path) -> None:
    folder = _run_folder(two_years, "2023", tmp_path / "2023")
    assert cli.main(["compare", str(folder), "--out", str(tmp_path / "out")]) == 0
    comparison = (tmp_path / "out" / "comparison.csv").read_text(encoding="utf-8")
    assert comparison == ",".join(SPEC_COLUMNS) + "\n"
    assert files.read_csv(tmp_path / "out" / "comparison_wide.csv").columns[-1] == "value_FY2023"
    assert files.read_csv(tmp_path / "out" / "matches.csv").empty


# --- periods ------------------------------------------------------------------------------

def _restated(two_years: Path, change: Decimal) -> pd.DataFrame:
    """FY2024's table stating, besides its own figures, FY2023's 2,230人 of project 4 (+ change)."""
    (p23, m23), (p24, m24) = _year(two_years, "2023"), _year(two_years, "2024")
    old = m23[(m23["project_id"] == "4") & (m23["value"] == "2230")].iloc[[0]]
    again = old.assign(fiscal_year="2024", metric_id="2024-4-purpose-1", field="purpose",
                       value=format_value(Decimal("2230") + change), period="FY2023", period_source="sentence")
    return compare_years(pd.concat([p23, p24]), pd.concat([m23, m24, again]),
                         CompareSettings.from_params(load_params()["compare"]))


def test_a_restatement_that_agrees_is_one_value_of_two_tables(two_years: Path) -> None:
    result = _restated(two_years, Decimal(0))
    row = result.series[(result.series["project_id"] == "4") & (result.series["period"] == "FY2023")
                        & (result.series["value"] == "2230")].iloc[0]
    assert row[["fiscal_years", "values", "agree"]].tolist() == ["2023;2024", "2230;2230", "true"]
    assert result.compare_qa.empty


def test_a_restatement_that_differs_is_a_qa_finding(two_years: Path) -> None:
    result = _restated(two_years, Decimal(50))
    assert result.compare_qa[["fiscal_year", "project_id", "check", "metric_id"]].values.tolist() == [
        ["2024", "4", "restatement_mismatch", "2024-4-purpose-1"]]
    row = result.series[(result.series["project_id"] == "4") & (result.series["period"] == "FY2023")].iloc[0]
    assert row[["values", "agree"]].tolist() == ["2230;2280", "false"]


def test_only_consecutive_periods_of_one_status_are_paired(two_years: Path) -> None:
    (p23, m23), (p24, m24) = _year(two_years, "2023"), _year(two_years, "2024")
    four = (m24["project_id"] == "4") & (m24["value"] == "2950")
    target = m24[four].assign(metric_id="2024-4-outcome-900", value="3000", status="target")
    gap = m24[four].assign(metric_id="2024-4-outcome-901", value="2000", period="FY2021")
    result = compare_years(pd.concat([p23, p24]), pd.concat([m23, m24, target, gap]),
                           CompareSettings.from_params(load_params()["compare"]))
    rows = result.comparison[result.comparison["project_id"] == "4"]
    assert set(zip(rows["period_from"], rows["period_to"], rows["status"])) == {("FY2023", "FY2024", "actual")}
    actual = result.series[(result.series["metric_id"] == m24[four]["metric_id"].iloc[0])].iloc[0]
    assert actual["achievement_pct"] == "98.3"


def test_a_rounded_percentage_widens_the_tolerance_and_other_bases_are_not_checked() -> None:
    # 1,020件（前年比24%増）: 24 % is 23.5–24.5 %, so last year's 822 or 823 agrees, 815 does not
    from pipeline.analysis.series import rounding_slack

    slack = rounding_slack(Decimal(1020), Decimal(24), "24%", "increase")
    assert Decimal("3") < slack < Decimal("4")
    assert changes_of("823", "1020", "822.58", 0.005, True, slack)["disagreement"] == "false"
    assert changes_of("815", "1020", "822.58", 0.005, True, slack)["disagreement"] == "true"


@pytest.mark.parametrize("text", [
    # national review sheets 2025: a change over ten years is no statement about last year
    "(2023年度の畜産産出額は3兆7,248億円とここ10年で37%増加。",
    # national review sheets 2025: a threshold of a scheme (30%以上削減する設備)
    "CO2排出量を工場・事業場単位で15%以上または主要なシステム系統で30%以上削減する設備導入等を行う。",
    # national review sheets 2024: the sentence writes the prior value, of 2013, not of last year
    "全受刑者に占める高齢者の割合が増加傾向にあり、2013年時点では18.2パーセントであったところ、"
    "2022年時点では21.5パーセントと、3.3ポイント増加している。",
    # national review sheets 2025: a change dated apart from its figure (by 2050), not against last year
    "/・APECに参加する21エコノミーは世界全体のエネルギー需要の約60%を占め、今後も2050年までに約14%の増加(2018年比)が見込まれる。",
])
def test_changes_that_are_not_against_last_year_are_not_checked(nlp, text: str,
                                                              compare_settings: CompareSettings) -> None:
    context = {"fiscal_year": 2025, "project_id": "1", "project_name": "", "bureau": "", "division": "",
               "field": "outcome"}
    metrics = pd.DataFrame(extract_cell(nlp(normalize(text).text), text, context).metrics)
    assert (metrics["kind"] == "delta").any()
    assert stated_changes(metrics, compare_settings.stated_bases).empty


def test_a_change_against_last_year_is_checked(nlp, compare_settings: CompareSettings) -> None:
    text = "税関における2024年の不正薬物全体の摘発件数は1,020件と前年比24%増加した。"
    context = {"fiscal_year": 2025, "project_id": "1", "project_name": "", "bureau": "", "division": "",
               "field": "outcome"}
    metrics = pd.DataFrame(extract_cell(nlp(normalize(text).text), text, context).metrics)
    stated = stated_changes(metrics, compare_settings.stated_bases)
    assert stated["stated_prior_value"].tolist() == ["822.58"]
