"""A table that says nothing of its year: the fiscal year given on the command line is the
period of its undated figures and the anchor of its relative words."""

from __future__ import annotations

from pathlib import Path

from pipeline import cli
from pipeline.tables import files

HEADER = "事業番号\t事務事業名\t課名\t事業の目的\t事業の概要\t成果\n"
ROW = ("1\t相談事業\t市民部相談課\t市民の相談に応じる。\t窓口を3か所開設する。\t"
       "相談件数は昨年度の120件から今年度は150件に増えた。出張相談を30回行った。\n")


def test_the_command_line_fiscal_year_dates_the_figures(tmp_path: Path) -> None:
    table = tmp_path / "table.tsv"
    table.write_text(HEADER + ROW, encoding="utf-8")
    assert cli.main(["run", str(table), "--fiscal-year", "2031", "--out", str(tmp_path / "out")]) == 0
    metrics = files.read_csv(tmp_path / "out" / "metrics.csv").set_index("surface")
    assert metrics.loc["120件", ["period", "period_text"]].tolist() == ["FY2030", "昨年度"]
    assert metrics.loc["150件", ["period", "period_text"]].tolist() == ["FY2031", "今年度"]
    assert metrics.loc["3か所", ["period", "period_source", "fiscal_year"]].tolist() == ["FY2031", "table", "2031"]
    # 今年度 is the topic of its cell: it governs the sentence after it too
    assert metrics.loc["30回", ["period", "period_source"]].tolist() == ["FY2031", "cell"]
