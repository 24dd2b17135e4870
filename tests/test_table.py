"""The table reader: the real つくば市 table, and every kind of bad input built from its rows.

Bad input must never lose data: each case either raises a TableError naming file, line and
column, or quarantines the row with its reason, and the summary's counts add up.
"""

from __future__ import annotations

import csv
import functools
import gzip
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import SLOW_EXAMPLES
from openpyxl import Workbook

from pipeline.tables import files
from pipeline.stages.parse import run as cmd_parse
from pipeline.core.config import ROOT, load_params
from pipeline.tables.reader import PROJECT_COLUMNS, DivisionSplit, ParseResult, TableError, header_key, parse_table

REAL = ROOT / "data" / "raw" / "tsukuba_jimujigyo_r5.tsv"
FIXTURES = Path(__file__).parent / "fixtures" / "tables"
PARAMS = load_params()["table"]
HEADER = ["通し番号", "事業番号", "事務事業名", "課名", "事業の目的", "事業の概要", "成果"]



def same_projects(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The same projects read from two files (which differ in ``source_file`` only)."""
    assert list(a["source_file"].unique()) != list(b["source_file"].unique())
    return a.drop(columns="source_file").equals(b.drop(columns="source_file"))

def parse(path: Path, fiscal_year: int = 2023, **kwargs: object) -> ParseResult:
    """parse_table with the project's params, as cmd_parse calls it."""
    return parse_table(path, fiscal_year, PARAMS["columns"], PARAMS["required"],
                       DivisionSplit.from_params(PARAMS), long_layout=PARAMS["long_layout"], **kwargs)


@functools.cache
def real_rows() -> tuple[tuple[str, ...], ...]:
    """The 16 data rows of the real table, 7 cells each (read without the code under test)."""
    lines = REAL.read_text(encoding="utf-8").split("\n")
    rows = tuple(tuple(line.split("\t")) for line in lines if line[:1].isdigit())
    assert len(rows) == 16 and {len(r) for r in rows} == {7}
    return rows


def row(index: int, **changes: str) -> list[str]:
    """Real row ``index`` (0-based) with some cells replaced, by header name."""
    cells = list(real_rows()[index])
    for name, value in changes.items():
        cells[HEADER.index(name)] = value
    return cells


def write_rows(path: Path, rows: Sequence[Sequence[str]], *, delimiter: str = "\t",
               encoding: str = "utf-8", lineterminator: str = "\n") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return path


def accounting(records: int, blank: int, headers: int, parsed: int, quarantined: int,
               skipped: int, projects: int) -> str:
    data = parsed + quarantined + skipped
    assert records == blank + headers + data
    return (f"{records} records = {blank} blank + {headers} headers + {data} data rows; {data} "
            f"data rows = {parsed} parsed + {quarantined} quarantined + {skipped} skipped (other "
            f"years); {projects} projects")


# The real table ---------------------------------------------------------------------------

def test_real_table_gives_16_projects_and_counts_headers_and_blank_lines() -> None:
    result = parse(REAL)
    s = result.summary
    assert (s["records"], s["blank"], s["headers"], s["data_rows"], s["parsed"],
            s["quarantined"], s["projects"]) == (23, 4, 3, 16, 16, 0, 16)
    assert s["accounting"] == accounting(23, 4, 3, 16, 0, 0, 16)
    assert (s["layout"], s["format"], s["header_line"]) == ("wide", "utf-8 tsv", 3)
    assert s["columns"] == ("row_no=1 project_id=2 project_name=3 division_name=4 purpose=5 "
                            "overview=6 outcome=7")
    assert result.quarantine.empty
    p = result.projects
    assert list(p.columns) == PROJECT_COLUMNS
    assert list(p["row_no"]) == [str(i) for i in range(1, 17)]
    assert list(p["project_id"][:8]) == ["1", "2", "3", "4", "5", "7", "13", "15"]
    assert set(p["fiscal_year"]) == {2023}


def test_spaced_header_is_a_header() -> None:
    """Line 20 spells 通し 番号 and 事業 番号; the rows after it are still parsed."""
    assert REAL.read_text(encoding="utf-8").split("\n")[19].startswith("通し 番号\t事業 番号\t")
    assert header_key("通し 番号") == header_key("通し番号") == header_key("通し\u3000番号")
    p = parse(REAL).projects.set_index("row_no")
    assert list(p.loc[["14", "15", "16"], "source_line"]) == [21, 22, 23]


def test_former_name_is_split_off() -> None:
    p = parse(REAL).projects.set_index("row_no")
    assert tuple(p.loc["14", ["project_name", "former_name"]]) == (
        "外国人生活支援事業", "国際交流員・留学生交流員事業")
    assert tuple(p.loc["15", ["project_name", "former_name"]]) == (
        "国際標準教育支援事業", "国際化教育支援事業")
    assert (p.drop(index=["14", "15"])["former_name"] == "").all()


def test_bureau_and_division_are_split() -> None:
    p = parse(REAL).projects.set_index("row_no")
    assert tuple(p.loc["1", ["bureau", "division"]]) == ("市長公室", "秘書課")
    assert tuple(p.loc["8", ["bureau", "division"]]) == ("市長公室", "広聴室")
    assert set(p["bureau"]) == {"市長公室"}


def test_a_ministry_or_agency_name_is_never_cut() -> None:
    # The review sheets name ministries and agencies (文部科学省, 国土交通省観光庁) as their 課名.
    p = parse(ROOT / "data" / "raw" / "rs_review_two_years.tsv", 2024).projects
    assert set(p["bureau"]) == {""}
    assert {"文部科学省", "国土交通省観光庁", "原子力規制委員会", "こども家庭庁"} <= set(p["division"])
    split = DivisionSplit.from_params(PARAMS).split
    assert split("文部科学省高等教育局大学振興課") == ("文部科学省高等教育局", "大学振興課")
    assert split("国土交通省観光庁観光地域振興部観光資源課") == ("国土交通省観光庁観光地域振興部", "観光資源課")
    assert split("市長公室秘書課") == ("市長公室", "秘書課")


def test_text_fields_are_byte_identical_to_the_file() -> None:
    lines = REAL.read_bytes().split(b"\n")
    for project in parse(REAL).projects.itertuples():
        cells = lines[project.source_line - 1].split(b"\t")
        assert [project.purpose.encode(), project.overview.encode(),
                project.outcome.encode()] == cells[4:7]


# Encodings and line ends ------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "lineterminator"), [
    ("cp932", "\n"), ("shift_jis", "\r\n"), ("utf-8-sig", "\r\n"), ("utf-16", "\r\n")])
def test_encodings_and_crlf_give_the_same_projects(tmp_path: Path, encoding: str,
                                                   lineterminator: str) -> None:
    rows = [HEADER, *real_rows()[:6]]
    expected = parse(write_rows(tmp_path / "utf8.tsv", rows)).projects
    path = write_rows(tmp_path / "table.tsv", rows, encoding=encoding,
                      lineterminator=lineterminator)
    result = parse(path)
    detected = {"shift_jis": "cp932"}.get(encoding, encoding)  # CP932 reads Shift_JIS
    assert result.summary["format"] == f"{detected} tsv"
    assert same_projects(result.projects, expected)
    assert not result.projects["outcome"].str.contains("\r").any()


def test_bytes_in_no_known_encoding_name_line_and_column(tmp_path: Path) -> None:
    good = "\t".join(HEADER) + "\n" + "\t".join(row(0)) + "\n"
    path = tmp_path / "broken.tsv"
    path.write_bytes(good.encode() + b"2\t2\t\xff" + "\t".join(row(1)[3:]).encode() + b"\n")
    with pytest.raises(TableError) as err:
        parse(path)
    assert str(err.value) == (f"{path}: line 3, column 5 (byte): byte 0xff is not valid utf-8 or "
                              "cp932; expected text in that encoding: set `encoding` of this table "
                              "in params.yaml")


def test_wrong_explicit_encoding_is_named(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "utf8.tsv", [HEADER, row(0)])
    with pytest.raises(TableError,
                       match=r"line 1, column 1 \(byte\): byte 0xe9 is not valid ascii"):
        parse(path, encoding="ascii")


# Quoting ----------------------------------------------------------------------------------

def test_quoted_csv_cells_keep_line_breaks_and_tabs() -> None:
    """The fixture is CRLF CSV; two records span two lines, one cell holds a tab."""
    path = FIXTURES / "quoted_crlf.csv"
    result = parse(path)
    p = result.projects
    assert list(p["source_line"]) == [2, 4, 5]  # the line where each record starts
    assert p["overview"][0] == row(0)[5].replace("。 全日程", "。\r\n全日程", 1)
    assert p["outcome"][1] == row(1)[6].replace("に、", "に、\t", 1)
    assert p["purpose"][2] == row(2)[4].replace("。 叙勲", "。\r\n叙勲", 1)
    physical = path.read_bytes().decode("utf-8").split("\r\n")
    assert result.quarantine.to_dict("records") == [{
        "source_file": str(path), "line": 7, "column": 6,
        "reason": "5 cells; expected 7 as in the header at line 1", "raw": physical[6]}]
    assert result.summary["accounting"] == accounting(5, 0, 1, 3, 1, 0, 3)


def test_unclosed_quote_names_the_line_and_column_where_it_opens(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.csv", [HEADER, row(0)], delimiter=",")
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write('5,5,"職員向けの広報力スキルアップ等事業,市長公室広報戦略課,目的,概要,成果\n')
        fh.write(",".join(row(5)[:4]) + ",目的,概要,成果\n")
    with pytest.raises(TableError) as err:
        parse(path)
    assert str(err.value) == (f"{path}: line 3, column 3: quoted cell is never closed; expected a "
                              "closing \" before the end of the file")


def test_text_after_a_closing_quote_quarantines_the_row(tmp_path: Path) -> None:
    bad = "\t".join(row(5, 事務事業名='"市民目線"の広報推進事業'))
    path = tmp_path / "table.tsv"
    lines = ["\t".join(HEADER), "\t".join(row(4)), bad, "\t".join(row(6))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = parse(path)
    assert list(result.projects["source_line"]) == [2, 4]
    assert result.quarantine.to_dict("records") == [{
        "source_file": str(path), "line": 3, "column": 3,
        "reason": "bad quoting in column 3: '\\t' expected after '\"'", "raw": bad}]


# XLSX -------------------------------------------------------------------------------------

def test_xlsx_with_title_merged_two_row_header_and_blank_rows(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "令和5年度 事務事業評価シート一覧"
    ws.merge_cells("A1:G1")
    for col, name in zip("ABCD", HEADER[:4]):
        ws[f"{col}2"] = name
        ws.merge_cells(f"{col}2:{col}3")
    ws["E2"] = "事業の内容"
    ws.merge_cells("E2:G2")
    for col, name in zip("EFG", HEADER[4:]):
        ws[f"{col}3"] = name
    first, second, eighth = row(0), row(1), row(7)
    for number, cells in ((5, [1, 1, *first[2:]]), (6, second), (8, eighth)):
        for col, value in zip("ABCDEFG", cells):
            if not (number == 6 and col == "D"):  # D6 lies under D5:D6, merged below
                ws[f"{col}{number}"] = value
    ws.merge_cells("D5:D6")
    wb.save(tmp_path / "table.xlsx")

    result = parse(tmp_path / "table.xlsx")
    p = result.projects
    assert list(p["source_line"]) == [5, 6, 8]  # Excel row numbers
    assert list(p["project_id"]) == ["1", "2", "15"]
    assert list(p["division"]) == ["秘書課", "秘書課", "広聴室"]  # D6 filled from the merge
    assert list(p["purpose"]) == [first[4], second[4], eighth[4]]
    assert result.summary["format"] == "xlsx"
    assert result.summary["accounting"] == accounting(8, 2, 2, 3, 1, 0, 3)
    assert result.quarantine[["line", "column", "reason"]].to_dict("records") == [
        {"line": 1, "column": 1, "reason": "before the first header row"}]
    assert result.quarantine["raw"][0] == "令和5年度 事務事業評価シート一覧" + "\t" * 6


def test_unreadable_xlsx_and_old_xls_are_errors(tmp_path: Path) -> None:
    (tmp_path / "table.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TableError, match=r"table\.xlsx: not a readable \.xlsx workbook"):
        parse(tmp_path / "table.xlsx")
    (tmp_path / "table.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(TableError) as err:
        parse(tmp_path / "table.xls")
    assert str(err.value) == (f"{tmp_path / 'table.xls'}: Excel 97-2003 (.xls) is not supported; "
                              "expected .xlsx, .csv or .tsv: save the sheet as .xlsx")


# Columns ----------------------------------------------------------------------------------

def test_missing_required_column_is_an_error_naming_what_was_found(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.tsv", [HEADER[:6], *(r[:6] for r in real_rows()[:2])])
    with pytest.raises(TableError) as err:
        parse(path)
    assert str(err.value) == (
        f"{path}: line 1: header has no column for outcome; expected a column named one of "
        f"{', '.join(PARAMS['columns']['outcome'])} (found: 1 通し番号, 2 事業番号, 3 事務事業名, "
        "4 課名, 5 事業の目的, 6 事業の概要); add its header text to table.columns.outcome in "
        "params.yaml")


def test_missing_optional_columns_give_empty_cells(tmp_path: Path) -> None:
    keep = [1, 2, 4, 5, 6]  # no 通し番号, no 課名
    path = write_rows(tmp_path / "table.tsv",
                      [[r[i] for i in keep] for r in [HEADER, *real_rows()[:3]]])
    result = parse(path)
    p = result.projects
    assert list(p["project_id"]) == ["1", "2", "3"]
    assert (p[["row_no", "bureau", "division"]] == "").all().all()
    assert result.summary["columns"] == "project_id=1 project_name=2 purpose=3 overview=4 outcome=5"


def test_renamed_reordered_and_extra_columns_give_the_same_projects(tmp_path: Path) -> None:
    rows = [HEADER, *real_rows()[:4]]
    expected = parse(write_rows(tmp_path / "plain.tsv", rows)).projects
    order = [2, 1, 6, 4, 3, 5, 0]
    renamed = ["事業名", "事業番号", "実績", "事業の目的", "担当課", "事業の概要", "No."]
    variant = [renamed + ["備考"], *([r[i] for i in order] + ["メモ"] for r in rows[1:])]
    result = parse(write_rows(tmp_path / "variant.tsv", variant))
    assert same_projects(result.projects, expected)
    assert result.summary["ignored_columns"] == "8 備考"


def test_two_columns_for_one_field_take_the_earlier_alias(tmp_path: Path) -> None:
    """事務事業名 comes before 事業名 in params; the other column is listed as ignored."""
    header = ["事業名", *HEADER[1:]]  # 事業名 in place of 通し番号, 事務事業名 in column 3
    rows = [[f"略称{r[1]}", *r[1:]] for r in real_rows()[:2]]
    result = parse(write_rows(tmp_path / "table.tsv", [header, *rows]))
    assert list(result.projects["project_name"]) == [row(0)[2], row(1)[2]]
    assert result.summary["ignored_columns"] == "1 事業名"
    assert result.summary["columns"] == ("project_id=2 project_name=3 division_name=4 purpose=5 "
                                         "overview=6 outcome=7")


def test_repeated_header_with_a_new_column_order_is_followed(tmp_path: Path) -> None:
    swapped = [0, 1, 2, 3, 5, 4, 6]  # page 2 has 事業の概要 before 事業の目的
    rows = [HEADER, row(0), [], [HEADER[i] for i in swapped], [row(1)[i] for i in swapped]]
    p = parse(write_rows(tmp_path / "table.tsv", rows)).projects
    assert list(p["purpose"]) == [row(0)[4], row(1)[4]]
    assert list(p["overview"]) == [row(0)[5], row(1)[5]]


# Rows -------------------------------------------------------------------------------------

def test_duplicate_project_id_is_quarantined_with_the_first_line(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.tsv",
                      [HEADER, row(0), row(1), row(0), row(2, 事業番号="2")])
    result = parse(path)
    assert list(result.projects["source_line"]) == [2, 3]
    assert result.quarantine[["line", "column", "reason"]].to_dict("records") == [
        {"line": 4, "column": 2,
         "reason": "duplicate project_id (事業番号) 1: first at line 2 (same content)"},
        {"line": 5, "column": 2,
         "reason": "duplicate project_id (事業番号) 2: first at line 3 (different content)"}]
    assert result.summary["accounting"] == accounting(5, 0, 1, 2, 2, 0, 2)


def test_rows_with_too_few_or_too_many_cells_are_quarantined(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.tsv", [
        HEADER, row(0)[:6], [*row(1), "余分なセル"], [*row(2), "", " "], row(3, 事業番号=" ")])
    result = parse(path)
    assert list(result.projects["project_id"]) == ["3"]  # empty trailing cells are harmless
    assert result.quarantine[["line", "column", "reason"]].to_dict("records") == [
        {"line": 2, "column": 7, "reason": "6 cells; expected 7 as in the header at line 1"},
        {"line": 3, "column": 8, "reason": "8 cells; expected 7 as in the header at line 1"},
        {"line": 5, "column": 2, "reason": "empty project_id (事業番号)"}]
    assert result.quarantine["raw"][1] == "\t".join([*row(1), "余分なセル"])


def test_text_before_the_header_is_quarantined_not_lost(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.tsv", [["令和5年度 事務事業評価"], [], HEADER, row(0)])
    result = parse(path)
    assert len(result.projects) == 1
    assert result.quarantine[["line", "reason", "raw"]].to_dict("records") == [
        {"line": 1, "reason": "before the first header row", "raw": "令和5年度 事務事業評価"}]


def test_empty_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "empty.tsv").write_bytes(b"")
    (tmp_path / "empty.tsv.gz").write_bytes(gzip.compress(b""))
    for name in ("empty.tsv", "empty.tsv.gz"):
        with pytest.raises(TableError) as err:
            parse(tmp_path / name)
        assert str(err.value) == (f"{tmp_path / name}: line 1, column 1: empty file (0 bytes); "
                                  "expected at least a header row")


def test_file_without_a_header_is_an_error(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.tsv", [[], row(0), row(1)])
    with pytest.raises(TableError) as err:
        parse(path)
    assert str(err.value) == (f"{path}: line 1, column 1: no header row in 3 records; expected a "
                              "header naming 事業番号, 事務事業名, 事業の目的, 事業の概要, 成果")


def test_header_only_file_gives_no_projects_and_a_summary(tmp_path: Path) -> None:
    result = parse(write_rows(tmp_path / "table.tsv", [HEADER, []]))
    assert result.projects.empty and list(result.projects.columns) == PROJECT_COLUMNS
    assert result.quarantine.empty
    assert result.summary["accounting"] == accounting(2, 1, 1, 0, 0, 0, 0)


def test_a_one_megabyte_cell_is_read_whole(tmp_path: Path) -> None:
    big = (row(0)[6] * 10_000)[:400_000]  # 1.2 MB in UTF-8
    assert len(big.encode()) > 1_000_000
    path = write_rows(tmp_path / "table.tsv", [HEADER, row(0, 成果=big), row(1)])
    started = time.perf_counter()
    result = parse(path)
    assert time.perf_counter() - started < 5
    assert result.projects["outcome"][0] == big
    assert list(result.projects["source_line"]) == [2, 3]


def test_control_characters_and_zero_width_spaces_are_kept(tmp_path: Path) -> None:
    odd = "\x00\x01\x0b\x0c\x1c\x1f\x7f\u200b\u200d\ufeff\u2028\x85"
    header = [*HEADER[:1], "事業\u200b番号", *HEADER[2:]]  # an invisible character in a header
    path = write_rows(tmp_path / "table.tsv",
                      [header, row(0, 事業の目的=odd + row(0)[4] + odd, 事業番号="\u200b1"), row(1)])
    result = parse(path)
    p = result.projects
    assert p["purpose"][0] == odd + row(0)[4] + odd
    assert p["project_id"][0] == "\u200b1"
    assert result.quarantine.empty


def test_markup_is_kept_verbatim_as_text(tmp_path: Path) -> None:
    markup = '<script>alert("x")</script><b>成果</b>&amp;&lt;' + row(0)[6]
    path = write_rows(tmp_path / "table.tsv", [HEADER, row(0, 成果=markup)])
    assert parse(path).projects["outcome"][0] == markup


# Project ids ------------------------------------------------------------------------------

def test_ids_keep_leading_zeros_through_write_csv_and_read_csv(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "table.tsv",
                      [HEADER, row(0, 事業番号="0073"), row(1, 事業番号="12-3"), row(2, 通し番号="007")])
    projects = parse(path).projects
    assert list(projects["project_id"]) == ["0073", "12-3", "3"]
    files.write_csv(projects, tmp_path / "projects.csv")
    assert "\n2023,1,0073," in (tmp_path / "projects.csv").read_text(encoding="utf-8")
    back = files.read_csv(tmp_path / "projects.csv")
    assert list(back["project_id"]) == ["0073", "12-3", "3"]
    assert list(back["row_no"]) == ["1", "2", "007"]


@settings(max_examples=SLOW_EXAMPLES)
@given(st.text(st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=12))
def test_any_id_without_whitespace_round_trips(project_id: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_rows(Path(folder) / "table.tsv", [HEADER, row(0, 事業番号=project_id)])
        projects = parse(path).projects
        files.write_csv(projects, Path(folder) / "projects.csv")
        assert list(files.read_csv(Path(folder) / "projects.csv")["project_id"]) == [project_id]


# Long layout ------------------------------------------------------------------------------

def test_long_layout_is_detected_and_fields_are_mapped() -> None:
    result = parse(FIXTURES / "long_two_years.tsv", 2024, year_filter=2024)
    s = result.summary
    assert (s["layout"], s["year_filter"]) == ("long", 2024)
    assert s["columns"] == ("year=1 project_id=2 project_name=3 division_name=4 field=5 text=6")
    assert s["accounting"] == accounting(12, 0, 1, 5, 0, 6, 2)
    p = result.projects
    assert list(p["project_id"]) == ["1", "2"] and set(p["fiscal_year"]) == {2024}
    assert list(p["purpose"]) == [row(0)[4], row(1)[4]]
    assert list(p["overview"]) == [row(0)[5], ""]  # project 2 has no overview row in 2024
    assert list(p["outcome"]) == [row(0)[6], row(1)[6]]  # currentIssues → outcome
    assert list(p["division"]) == ["秘書課", "秘書課"]
    assert list(p["source_line"]) == [8, 11]


def test_long_layout_without_year_filter_keeps_every_year() -> None:
    p = parse(FIXTURES / "long_two_years.tsv").projects
    assert list(zip(p["fiscal_year"], p["project_id"])) == [
        (2023, "1"), (2023, "2"), (2024, "1"), (2024, "2")]


def test_gzipped_long_table_reads_like_the_plain_one(tmp_path: Path) -> None:
    path = tmp_path / "long.tsv.gz"
    path.write_bytes(gzip.compress((FIXTURES / "long_two_years.tsv").read_bytes()))
    result = parse(path, 2023, year_filter=2023)
    assert result.summary["format"] == "utf-8 tsv gzip"
    plain = parse(FIXTURES / "long_two_years.tsv", 2023, year_filter=2023).projects
    assert same_projects(result.projects, plain)


def test_corrupt_gzip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "long.tsv.gz"
    path.write_bytes(gzip.compress((FIXTURES / "long_two_years.tsv").read_bytes())[:-30])
    with pytest.raises(TableError, match=r"long\.tsv\.gz: not a readable gzip file"):
        parse(path)


def test_broken_long_rows_are_quarantined(tmp_path: Path) -> None:
    name, division = row(0)[2], row(0)[3]
    path = tmp_path / "long.tsv"
    path.write_bytes((FIXTURES / "long_two_years.tsv").read_bytes() + "\n".join([
        f"2024\t3\t{row(2)[2]}\t{division}\tbudget\t1,000千円",
        f"2024\t1\t{name}\t{division}\tpurpose\t目的の二重記載",
        f"2024\t1\t別名\t{division}\toverview\t名前が違う",
        f"令和6\t1\t{name}\t{division}\toverview\t年が和暦",
        f"2024\t1\t{name}\t{division}\toverview",
        f"2023\t9\t{name}\t{division}\tbudget\t他の年の行は数えて飛ばす",
    ]).encode() + b"\n")
    result = parse(path, 2024, year_filter=2024)
    assert result.quarantine[["line", "column", "reason"]].to_dict("records") == [
        {"line": 13, "column": 5, "reason": "field (field) 'budget' is not mapped; expected one of "
                                            + ", ".join(PARAMS["long_layout"]["fields"])
                                            + " (table.long_layout.fields)"},
        {"line": 14, "column": 5, "reason": "duplicate field (field) 'purpose' (purpose) for "
                                            "project_id (projectId) 1 in 2024: first at line 8"},
        {"line": 15, "column": 3, "reason": f"project_name (projectName) '別名' differs from "
                                            f"'{name}' at line 8 for project_id (projectId) 1"},
        {"line": 16, "column": 1, "reason": "year (year) '令和6' is not a year; expected 4 "
                                            "digits such as 2024"},
        {"line": 17, "column": 6, "reason": "5 cells; expected 6 as in the header at line 1"}]
    assert result.summary["accounting"] == accounting(18, 0, 1, 5, 5, 7, 2)


def test_forced_layout_that_does_not_fit_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no header row in 12 records; expected a header naming "
                                         "事業番号, 事務事業名"):
        parse(FIXTURES / "long_two_years.tsv", layout="wide")
    with pytest.raises(TableError) as err:
        parse(REAL, layout="long")
    assert str(err.value) == (
        f"{REAL}: line 3: header has no column for field; expected a column named one of field, "
        "項目, 項目名 (found: 1 通し番号, 2 事業番号, 3 事務事業名, 4 課名, 5 事業の目的, 6 事業の概要, "
        "7 成果); add its header text to table.long_layout.columns.field in params.yaml")
    assert parse(REAL, layout="wide").projects.equals(parse(REAL).projects)


def test_year_filter_skips_a_wide_table_of_another_year() -> None:
    result = parse(REAL, 2023, year_filter=2024)
    assert result.projects.empty
    assert result.summary["accounting"] == accounting(23, 4, 3, 0, 0, 16, 0)


# The parse command ------------------------------------------------------------------------

def test_cmd_parse_writes_projects_quarantine_and_summary(tmp_path: Path) -> None:
    paths = cmd_parse(REAL, 2023, tmp_path / "2023")
    summary = json.loads(paths.parse_summary.read_text(encoding="utf-8"))
    assert summary == {**parse(REAL, year_filter=2023).summary}
    projects = files.read_csv(paths.projects)
    assert list(projects["division"][:8]) == ["秘書課"] * 3 + ["広報戦略課"] * 4 + ["広聴室"]
    assert list(files.read_csv(paths.quarantine).columns) == ["source_file", "line", "column",
                                                           "reason", "raw"]


def test_cmd_parse_takes_the_fiscal_year_of_a_long_gzipped_table(tmp_path: Path) -> None:
    table = tmp_path / "rs.tsv.gz"
    table.write_bytes(gzip.compress((FIXTURES / "long_two_years.tsv").read_bytes()))
    paths = cmd_parse(table, 2023, tmp_path / "out")
    summary = json.loads(paths.parse_summary.read_text(encoding="utf-8"))
    assert (summary["layout"], summary["projects"], summary["skipped_year"]) == ("long", 2, 5)
    assert set(files.read_csv(paths.projects)["fiscal_year"]) == {"2023"}
