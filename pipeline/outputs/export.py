"""The export stage: every fiscal year's tables in one place, for Excel, notebooks and browsers.

Each table is written three ways (and all of them into one DuckDB database,
:mod:`pipeline.outputs.database`): CSV in UTF-8 with a BOM (Excel shows the Japanese; a text
cell that Excel would run as a formula starts with an added ``'``), Parquet with real
column types (notebooks), and a sheet of one XLSX workbook with Japanese headers and a
データ定義 sheet (analysts). Types and labels come from :mod:`pipeline.tables.schema`.
The workbook is byte-for-byte the same for the same tables, so DVC does not see a change
where there is none.
"""

from __future__ import annotations

import datetime
import io as _io
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline import resources
from pipeline.analysis.panel import dataset_sources, read_panel
from pipeline.core.config import COMPARE_TABLES, PEER_TABLES, compare_dir
from pipeline.outputs.database import DATABASE, write_database
from pipeline.tables import files
from pipeline.tables.schema import dictionary_rows, table

TABLES = ("metrics", "entities", "trends", "qa")
WORKBOOK = "jimujigyo_metrics.xlsx"
#: Sheets of the workbook, in order; top_changes is only the source of `dvc plots`.
SHEETS = ("metrics", "comparison", "comparison_wide", "series", "matches", "peers", "peer_figures", "entities",
          "trends", "qa", "projects")
DICTIONARY_SHEET = "データ定義"
DICTIONARY_HEADERS = {"table": "表", "sheet": "シート", "name": "列名", "label": "見出し", "type": "型",
                      "description": "説明", "example": "例"}
# openpyxl stamps the save time into docProps/core.xml and every zip entry; a fixed time
# keeps the workbook's bytes a function of its tables.
FIXED_TIME = datetime.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MIN_WIDTH, _MAX_WIDTH, _WIDTH_SAMPLE = 6, 60, 500
# What XML 1.0 cannot hold: control characters but tab and line ends (openpyxl's
# ILLEGAL_CHARACTERS_RE), and U+FFFE/U+FFFF, which openpyxl writes as they are, leaving the
# whole workbook unreadable. (No lone surrogate gets here: the tables are read as UTF-8.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def combined(params: dict[str, Any], root: Path) -> dict[str, pd.DataFrame]:
    """Each table of every dataset in params, keyed by municipality and dataset
    (:mod:`pipeline.analysis.panel`) and concatenated in their order, and the comparison."""
    sources = dataset_sources(params, root)
    out = {name: read_panel(sources, name) for name in (*TABLES, "projects")}
    for name in (*COMPARE_TABLES, *PEER_TABLES):
        path = compare_dir(root) / f"{name}.csv"
        if not path.exists():
            raise FileNotFoundError(f"{path}: run the compare stage first "
                                    "(python -m pipeline compare --out data/compare)")
        out[name] = files.read_csv(path)
    out["qa"] = pd.concat([out["qa"], out.pop("compare_qa")], ignore_index=True)  # one QA sheet
    return out


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Numbers as numbers and flags as booleans (for Parquet and spreadsheets); ids stay text."""
    df = df.copy()
    spec = table(name)
    for col in df.columns:
        kind = spec.column(col).type
        if kind in ("integer", "number"):
            numbers = pd.to_numeric(df[col].replace("", None), errors="coerce")
            df[col] = numbers.astype("Int64") if kind == "integer" else numbers.astype("float64")
        elif kind == "boolean":
            df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    return df


def numeric_columns(name: str, df: pd.DataFrame) -> list[str]:
    """Columns of ``df`` that hold numbers or flags by the schema: never formulas, kept as written."""
    spec = table(name)
    return [c for c in df.columns if spec.column(c).type != "text"]


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(headers: list[str], df: pd.DataFrame) -> list[int]:
    """Each column as wide as its header or its widest value in the first rows, within bounds."""
    sample = df.head(_WIDTH_SAMPLE)
    return [min(_MAX_WIDTH, max(_MIN_WIDTH, _display_width(h),
                                *(_display_width(str(v)) for v in sample[c] if not pd.isna(v)))) + 2
            for h, c in zip(headers, df.columns)]


def _cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as Excel should store it: numbers as numbers, blanks empty, text never a formula."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if not isinstance(value, str):
        return value
    value = _NOT_XML.sub("", value)
    if value.startswith("="):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


def _add_sheet(wb: Workbook, title: str, headers: list[str], df: pd.DataFrame) -> None:
    """One sheet: bold header row frozen, autofilter over the table, readable column widths."""
    ws = wb.create_sheet(title)
    for i, width in enumerate(_widths(headers, df), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers)))}{len(df) + 1}"
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, h)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(ws, v) for v in row])


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time and mode, so equal content gives equal bytes.

    openpyxl adds strings with ``writestr`` and, in write-only mode, the sheets from
    temporary files with ``write``: both would stamp the current time.
    """

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = _entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: str | None = None, *args: Any, **kwargs: Any) -> None:
        with open(filename, "rb") as src, self.open(_entry(arcname or Path(filename).name), "w") as dst:
            shutil.copyfileobj(src, dst)


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """Codes as analysts read them (status actual → 実績, qualifier approx,range → 約・範囲);
    the workbook shows these, CSV and Parquet keep the codes. Anything else stays as written."""
    df = df.copy()
    for column, codes in resources.labels().items():
        if column in df.columns:
            df[column] = df[column].map(lambda v, c=codes: code_label(v, c))
    return df


#: How codes joined in one cell read: approx,range → 約・範囲; project_id+concept_exact → 事業番号＋指標名が同じ.
_JOINERS = {",": "・", "+": "＋"}


def code_label(value: object, codes: Mapping[str, str]) -> object:
    """The Japanese label of a code, or of codes joined by , or +; anything else as it is."""
    parts = re.split(r"([,+])", value) if isinstance(value, str) and value else []
    if not parts or not all(p in codes for p in parts[::2]):
        return value
    return "".join(codes[p] if i % 2 == 0 else _JOINERS[p] for i, p in enumerate(parts))


def workbook_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """The XLSX workbook of ``tables`` (a sheet for each in :data:`SHEETS` present) and データ定義."""
    wb = Workbook(write_only=True)
    for name in SHEETS:
        if name in tables:
            df = typed(name, labelled(tables[name]))
            spec = table(name)
            _add_sheet(wb, spec.sheet, [spec.column(c).label for c in df.columns], df)
    rows = pd.DataFrame(dictionary_rows())
    _add_sheet(wb, DICTIONARY_SHEET, [DICTIONARY_HEADERS[c] for c in rows.columns], rows)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = _io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return buffer.getvalue()


def export_all(params: dict[str, Any], root: Path, out: Path) -> None:
    """Every table as CSV (with BOM, formula-safe) and Parquet, and all of them in one XLSX workbook."""
    tables = combined(params, root)
    for name, df in tables.items():
        files.write_csv(df, out / f"{name}.csv", excel=True, numeric_columns=numeric_columns(name, df))
        files.write_parquet(typed(name, df), out / f"{name}.parquet")
    files.write_bytes(workbook_bytes(tables), out / WORKBOOK)
    write_database([out / f"{name}.parquet" for name in tables], out / DATABASE)
    print(f"export: {len(params.get('datasets') or {})} table(s) → {out} "
          f"(CSV, Parquet, {WORKBOOK}, {DATABASE})")
