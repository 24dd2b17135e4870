"""The analyst exports: CSV with BOM, typed Parquet, and the XLSX workbook with its データ定義.

Runs on the two-year root (real FY2023 + synthetic FY2024) that the export stage wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from pipeline.tables import files, schema
from pipeline.analysis.compare import COMPARISON_COLUMNS
from pipeline.analysis.panel import PANEL_KEYS
from pipeline.core.config import ROOT
from pipeline.outputs.export import DICTIONARY_SHEET, WORKBOOK, combined, export_all, typed, workbook_bytes
from pipeline.rules.records import ENTITY_COLUMNS, METRIC_COLUMNS, QA_COLUMNS, TREND_COLUMNS
from pipeline.tables.reader import PROJECT_COLUMNS

pytest_plugins = ["compare_support"]  # the two_years fixture


@pytest.fixture(scope="session")
def workbook(two_years: Path) -> Workbook:
    return load_workbook(two_years / "exports" / WORKBOOK)


def _header(ws: object) -> list[str]:
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]  # type: ignore[attr-defined]


def test_sheets_are_named_in_japanese(workbook: Workbook) -> None:
    assert {"指標一覧", "年度比較", "固有表現", "品質チェック", "トレンド", DICTIONARY_SHEET} <= set(workbook.sheetnames)
    assert workbook.sheetnames[0] == "指標一覧" and workbook.sheetnames[-1] == DICTIONARY_SHEET


def test_headers_are_the_japanese_labels(workbook: Workbook) -> None:
    labels = [schema.table("comparison").column(c).label for c in COMPARISON_COLUMNS]
    assert _header(workbook["年度比較"]) == labels
    assert _header(workbook["指標一覧"])[:6] == ["自治体", "データセット", "指標ID", "年度", "事業番号", "事務事業名"]
    assert _header(workbook["年度比較（期間別）"])[-2:] == ["FY2023の値", "FY2024の値"]
    assert "時系列" in workbook.sheetnames and "期間" in _header(workbook["時系列"])


def test_numbers_are_numbers_and_ids_stay_text(workbook: Workbook, two_years: Path) -> None:
    ws = workbook["指標一覧"]
    header = _header(ws)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    metrics = files.read_csv(two_years / "exports" / "metrics.csv")
    assert len(rows) == len(metrics)
    value, year, pid = header.index("値"), header.index("年度"), header.index("事業番号")
    assert all(isinstance(r[value], (int, float)) for r in rows)
    assert [r[value] for r in rows] == [float(v) for v in metrics["value"]]
    assert {type(r[year]) for r in rows} == {int}
    assert all(isinstance(r[pid], str) for r in rows)
    change = _header(workbook["年度比較"]).index("増減率（%）")
    cells = [row[change] for row in workbook["年度比較"].iter_rows(min_row=2)]
    assert cells and all(c.data_type == "n" for c in cells if c.value is not None)


def test_flags_are_booleans(workbook: Workbook) -> None:
    ws = workbook["年度比較"]
    column = _header(ws).index("記載と前期間値の不一致")
    values = {r[column] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values == {True, False, None}


def test_every_sheet_has_frozen_header_filter_and_widths(workbook: Workbook) -> None:
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", ws.title
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(8 <= w <= 62 for w in widths), (ws.title, widths)
    sentence = _header(workbook["指標一覧"]).index("文") + 1
    assert workbook["指標一覧"].column_dimensions[workbook["指標一覧"].cell(1, sentence).column_letter].width > 40


def test_data_definition_covers_every_column_of_every_sheet(workbook: Workbook) -> None:
    rows = list(workbook[DICTIONARY_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("表", "シート", "列名", "見出し", "型", "説明", "例")
    defined = {(sheet, label) for _, sheet, _, label, *_ in rows[1:]}
    for ws in workbook.worksheets:
        if ws.title == DICTIONARY_SHEET:
            continue
        missing = [h for h in _header(ws) if (ws.title, h) not in defined and not h.endswith("の値")]
        assert missing == [], ws.title
    assert all(description and example for *_, description, example in rows[1:])


def test_schema_defines_exactly_the_columns_the_stages_write() -> None:
    # The exports key each dataset's tables by municipality and dataset (analysis/panel.py).
    assert schema.table("metrics").names == [*PANEL_KEYS, *METRIC_COLUMNS]
    assert schema.table("entities").names == [*PANEL_KEYS, *ENTITY_COLUMNS]
    assert schema.table("trends").names == [*PANEL_KEYS, *TREND_COLUMNS]
    assert schema.table("qa").names == [*PANEL_KEYS, *QA_COLUMNS]
    assert schema.table("projects").names == [*PANEL_KEYS, *PROJECT_COLUMNS]


def test_data_dictionary_document_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert committed == schema.data_dictionary_markdown(), (
        "docs/data_dictionary.md is stale: python -m pipeline.tables.schema > docs/data_dictionary.md")


def test_csv_exports_carry_a_bom_and_round_trip(two_years: Path) -> None:
    for name in ("metrics", "comparison", "entities", "qa", "trends", "projects", "matches"):
        data = (two_years / "exports" / f"{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
    comparison = files.read_csv(two_years / "exports" / "comparison.csv")
    assert list(comparison.columns) == COMPARISON_COLUMNS


def test_parquet_has_real_types(two_years: Path) -> None:
    comparison = pd.read_parquet(two_years / "exports" / "comparison.parquet")
    assert str(comparison["change_pct"].dtype) == "float64"
    assert str(comparison["fiscal_year_to"].dtype) == "Int64"
    assert str(comparison["disagreement"].dtype) == "boolean"
    assert comparison["project_id"].map(type).eq(str).all()


def test_workbook_bytes_do_not_depend_on_when_it_is_written(two_years: Path, tmp_path: Path) -> None:
    from compare_support import two_year_params

    params = two_year_params()
    export_all(params, two_years, tmp_path / "a")
    time.sleep(2.1)  # zip entries keep time in 2-second steps
    export_all(params, two_years, tmp_path / "b")
    first, second = ((tmp_path / d / WORKBOOK).read_bytes() for d in "ab")
    assert first == second
    assert first == (two_years / "exports" / WORKBOOK).read_bytes()
    assert load_workbook(tmp_path / "a" / WORKBOOK).properties.modified.year == 2000


def test_text_never_becomes_a_formula_and_control_characters_are_dropped(tmp_path: Path) -> None:
    qa = pd.DataFrame([{"fiscal_year": "2023", "project_id": "007", "field": "outcome",
                        "check": "breakdown_sum", "metric_id": "2023-007-outcome-11",
                        "message": "=HYPERLINK(\"http://x\")\x0b合計"}])
    path = tmp_path / "qa.xlsx"
    path.write_bytes(workbook_bytes({"qa": qa}))
    ws = load_workbook(path)["品質チェック"]
    message, pid = ws.cell(2, QA_COLUMNS.index("message") + 1), ws.cell(2, QA_COLUMNS.index("project_id") + 1)
    assert (message.value, message.data_type) == ("=HYPERLINK(\"http://x\")合計", "s")
    assert pid.value == "007"


def test_typed_refuses_an_undefined_column() -> None:
    with pytest.raises(KeyError, match="schema.py"):
        typed("metrics", pd.DataFrame({"metric_id": ["x"], "new_column": ["1"]}))


def test_export_needs_the_comparison(two_years: Path, tmp_path: Path) -> None:
    from compare_support import two_year_params

    for stage in ("interim", "processed"):
        shutil.copytree(two_years / "data" / stage, tmp_path / "data" / stage)
    with pytest.raises(FileNotFoundError, match="run the compare stage"):
        combined(two_year_params(), tmp_path)


def test_analysis_notebook_runs_on_the_exports(two_years: Path) -> None:
    """notebooks/compare_fiscal_years.py, run as a script from its folder on the two years' exports."""
    notebook = ROOT / "notebooks" / "compare_fiscal_years.py"
    env = {**os.environ, "JIMUJIGYO_EXPORTS": str(two_years / "exports"), "MPLBACKEND": "Agg",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, notebook.name], cwd=notebook.parent, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "missing from" not in proc.stderr  # every Japanese glyph found in the plot font
    busiest = files.read_csv(two_years / "exports" / "comparison.csv")["project_id"].value_counts().index[0]
    assert "fiscal years: [2023, 2024]" in proc.stdout
    assert f"事業番号 {busiest}:" in proc.stdout
    assert "部局: 市長公室" in proc.stdout
    assert "former_name" in proc.stdout and "name_similarity" in proc.stdout


def test_workbook_shows_japanese_labels_where_csv_and_parquet_keep_codes(workbook: Workbook, two_years: Path
                                                                         ) -> None:
    ws = workbook["指標一覧"]
    header = _header(ws)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    status, field, kind = header.index("区分"), header.index("欄"), header.index("種別")
    assert {r[status] for r in rows} <= {"実績", "目標", "予定・見込", "制度の条件"}
    assert {r[field] for r in rows} <= {"目的", "概要", "成果"} and "成果" in {r[field] for r in rows}
    assert "増減" in {r[kind] for r in rows}
    csv = files.read_csv(two_years / "exports" / "metrics.csv")
    assert set(csv["status"]) <= {"actual", "target", "plan", "rule"} and "outcome" in set(csv["field"])
    parquet = pd.read_parquet(two_years / "exports" / "metrics.parquet")
    assert "delta" in set(parquet["kind"])
