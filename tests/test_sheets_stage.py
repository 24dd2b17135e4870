"""PDF evaluation sheets through the pipeline: the parse stage reads the committed sheets
(data/raw/sheets), extract turns their indicator and cost tables into metrics beside the prose's,
and one year of sheets already gives series over several periods. Values are read off the
rendered sheets (ikeda-r7-049: 地域行事等活動促進事業; yokohama-r7-005)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.analysis.compare import CompareSettings, compare_years
from pipeline.core.config import ROOT, load_params
from pipeline.rules.table_figures import prose_table_findings
from pipeline.tables import files

SHEETS = ROOT / "data" / "raw" / "sheets"


@pytest.fixture(scope="module")
def run(sheets_run: Path) -> Path:
    return sheets_run


def test_every_committed_sheet_is_a_project_with_its_source(run: Path) -> None:
    projects = files.read_csv(run / "projects.csv")
    pdfs = sorted(p.name for p in SHEETS.rglob("*.pdf"))
    assert sorted(Path(f).name for f in projects["source_file"]) == pdfs
    ikeda = projects[projects["project_id"] == "49"].iloc[0]
    assert (ikeda["project_name"], ikeda["division"]) == ("地域行事等活動促進事業", "シティプロモーション課")
    summary = json.loads((run / "parse_summary.json").read_text(encoding="utf-8"))
    assert (summary["sheets"], summary["projects"], summary["quarantined"]) == (len(pdfs), len(pdfs), 0)
    assert summary["fields_missing.purpose"] == 4  # 横浜市's form has no 目的 field: said, not hidden


def test_cost_table_cells_are_money_metrics_with_period_status_and_locator(run: Path) -> None:
    m = files.read_csv(run / "metrics.csv")
    cost = m[(m["project_id"] == "49") & (m["field"] == "cost") & (m["concept"] == "事業費")]
    assert cost[["period", "status", "value", "unit"]].values.tolist() == [
        ["FY2022", "actual", "487000", "円"], ["FY2023", "actual", "925000", "円"],
        ["FY2024", "plan", "885000", "円"], ["FY2024", "actual", "885000", "円"]]
    assert set(cost["method"]) == {"table"}
    assert cost["locator"].iloc[0].endswith("ikeda-r7-049.pdf#page=1 table 1 row 1 column 1")
    item = m[(m["project_id"] == "49") & (m["concept"] == "事業費（報償金）") & (m["period"] == "FY2022")].iloc[0]
    assert item["parent_id"] == cost["metric_id"].iloc[0]


def test_indicator_rows_and_the_yokohama_change_column(run: Path) -> None:
    m = files.read_csv(run / "metrics.csv")
    articles = m[(m["project_id"] == "yokohama-r7-005") & (m["concept"] == "記事掲載数")]
    actual = articles[articles["status"] == "actual"].set_index("period")["value"].to_dict()
    assert actual == {"FY2022": "11", "FY2023": "45", "FY2024": "52"}
    assert set(articles[articles["status"] == "plan"]["period"]) == {f"FY{y}" for y in range(2022, 2028)}
    change = m[(m["project_id"] == "yokohama-r7-005") & (m["kind"] == "delta") & (m["concept"] == "事業費")].iloc[0]
    assert (change["value"], change["delta_direction"], change["prior_value"]) == ("1839000", "decrease", "18871000")


def test_the_sources_of_each_cost_add_up_on_every_committed_sheet(run: Path) -> None:
    qa = files.read_csv(run / "qa.csv")
    assert qa[qa["check"] == "breakdown_sum"].empty
    m = files.read_csv(run / "metrics.csv")
    assert len(m[(m["method"] == "table") & m["concept"].str.contains("（") & (m["parent_id"] != "")]) > 50


def test_one_year_of_sheets_gives_series_and_changes_by_period(run: Path) -> None:
    projects, metrics = files.read_csv(run / "projects.csv"), files.read_csv(run / "metrics.csv")
    result = compare_years(projects, metrics, CompareSettings.from_params(load_params()["compare"]))
    rows = result.comparison[(result.comparison["project_id"] == "yokohama-r7-005")
                             & (result.comparison["concept"] == "記事掲載数")
                             & (result.comparison["status"] == "actual")]
    assert rows[["period_from", "period_to", "value_from", "value_to", "match_method"]].values.tolist() == [
        ["FY2022", "FY2023", "11", "45", "same_table"], ["FY2023", "FY2024", "45", "52", "same_table"]]


def test_prose_and_table_stating_one_figure_are_checked() -> None:
    base = {"fiscal_year": "2024", "project_id": "49", "unit": "件", "unit_category": "cases",
            "period": "FY2024", "status": "actual", "kind": "count"}
    metrics = pd.DataFrame([
        {**base, "metric_id": "t", "field": "indicator", "concept": "事故件数", "value": "3", "method": "table"},
        {**base, "metric_id": "p", "field": "outcome", "concept": "交通事故件数", "value": "4",
         "method": "rule;concept=parse"}])
    [finding] = prose_table_findings(metrics)
    assert (finding["check"], finding["metric_id"]) == ("table_text_mismatch", "p")
    metrics.loc[1, "value"] = "3"
    assert prose_table_findings(metrics)[0]["check"] == "table_text_agree"


def test_an_unknown_form_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["parse", str(SHEETS), "--fiscal-year", "2024", "--out", str(tmp_path), "--form", "osaka"]) == 2
    assert "osaka" in capsys.readouterr().err
