"""Read a municipal evaluation table into one tidy row per project.

Tables come from PDFs and spreadsheets: page headers repeat (once spelled 通し 番号), blank
lines sit between pages, and columns are named differently by each city. Headers are
found by name through the aliases in ``params.yaml``. Two layouts are read:

- wide: one row per project, one column per text (the つくば市 table);
- long: one row per project × field, a ``field`` column naming the text in a ``text``
  column (the national review sheets); rows are gathered into one project each.

Nothing is lost without a trace: every data row becomes (part of) a project, is
quarantined with its reason, or is skipped as another fiscal year's, and the summary's
``accounting`` states that the counts add up. Rows above the first header (a sheet's
title) count as data rows and are quarantined. Input that cannot be read as a table at
all raises :class:`TableError` naming the file and, where there is one, the line and
column. An empty file (0 bytes) is such an error; a file with a header and no data gives
0 projects and a summary.
Cell text is kept exactly as written (control characters, zero-width spaces and markup
included): normalisation is a later stage's job.

Input may be hostile (:class:`TableLimits`): a data row with a cell longer than
``table.max_cell_chars`` is quarantined, its raw text cut at that length; a table larger than
``table.max_input_bytes`` once unpacked (gzip, an XLSX's parts) is refused before it is
unpacked; an XLSX whose XML declares entities ("billion laughs") or external references is
refused (openpyxl parses with defusedxml).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.core.config import FIELDS
from pipeline.text.fold import header_key

PROJECT_COLUMNS = ["fiscal_year", "row_no", "project_id", "project_name", "former_name", "bureau",
                   "division", *FIELDS, "source_file", "source_line"]
QUARANTINE_COLUMNS = ["source_file", "line", "column", "reason", "raw"]
LAYOUTS = ("auto", "wide", "long")
_FORMER_NAME = re.compile(r"[（(]\s*旧\s*[:：]\s*(?P<former>[^）)]*)[）)]")
# Header cells are short; longer cells are not compared, so a 1 MB text cell costs nothing.
_MAX_HEADER_CELL = 64
# A cell may hold a whole report section; the csv default limit of 128 KiB would stop the file.
csv.field_size_limit(1 << 30)
_Cell = Callable[[str], str]  # a data row's cell by column name


class TableError(ValueError):
    """Input that cannot be read as a table; the message names file, line and column."""


_LIMIT_KEYS = ("max_cell_chars", "max_input_bytes")


@dataclass(frozen=True)
class TableLimits:
    """Bounds on input (``table.max_cell_chars`` and ``table.max_input_bytes`` of params.yaml).

    No later stage should get megabytes of one cell (rule scanning and GiNZA time grow with
    it), and a small compressed file must not unpack into more memory than the machine has.
    """

    max_cell_chars: int = 1_000_000
    max_input_bytes: int = 256 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in _LIMIT_KEYS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"table.{name} in params.yaml must be a positive whole number, "
                                 f"not {value!r}")

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> TableLimits:
        """The limits in ``table`` of params.yaml; a key left out keeps its default."""
        return cls(**{k: params[k] for k in _LIMIT_KEYS if k in params})  # type: ignore[arg-type]


DEFAULT_LIMITS = TableLimits()


@dataclass
class ParseResult:
    projects: pd.DataFrame
    quarantine: pd.DataFrame
    summary: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    """One record of the file: the line it starts on, its cells and its text as written.

    ``problem`` is set (and ``cells`` empty) when the text could not be split into cells.
    """

    line: int
    cells: list[str]
    raw: str
    problem: str = ""
    column: int = 0


@dataclass(frozen=True)
class LongLayout:
    """Columns of a long table and which of purpose/overview/outcome each field value fills."""

    columns: Mapping[str, Sequence[str]]
    required: Sequence[str]
    values: Sequence[str]  # the field values of params, for messages
    targets: Mapping[str, str]  # header_key(field value) → purpose | overview | outcome

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> LongLayout:
        """``table.long_layout`` of params.yaml; field values are compared like headers."""
        fields: Mapping[str, str] = params["fields"]  # type: ignore[assignment]
        wrong = sorted({v for v in fields.values() if v not in FIELDS})
        if wrong:
            raise ValueError(f"table.long_layout.fields maps to {', '.join(wrong)}; "
                             f"expected one of {', '.join(FIELDS)}")
        return cls(params["columns"], params["required"],  # type: ignore[arg-type]
                   list(fields), {header_key(v): t for v, t in fields.items()})

    def target(self, value: str) -> str | None:
        """purpose, overview or outcome for a field value; None when it is not mapped."""
        return self.targets.get(header_key(value))


def _shorten(text: str, limit: int = 30) -> str:
    """A cell quoted in a message: enough to recognise it, never a whole page of text."""
    return text if len(text) <= limit else text[:limit] + "…"


def read_records(path: Path, encoding: str | None = None,
                 limits: TableLimits = DEFAULT_LIMITS) -> tuple[str, Iterator[Record]]:
    """The file's format (e.g. ``utf-8 tsv``) and its records: TSV, CSV or XLSX, maybe gzipped.

    A file that is (or unpacks to) more than ``limits.max_input_bytes`` is refused unread.
    """
    suffixes = [s.lower() for s in path.suffixes]
    compressed = suffixes[-1:] == [".gz"]
    inner = suffixes[:-1] if compressed else suffixes
    kind = inner[-1] if inner else ""
    if kind == ".xls":
        raise TableError(f"{path}: Excel 97-2003 (.xls) is not supported; expected .xlsx, .csv or "
                         ".tsv: save the sheet as .xlsx")
    size = path.stat().st_size
    if size > limits.max_input_bytes:
        raise TableError(f"{path}: {size:,} bytes; expected at most {limits.max_input_bytes:,} "
                         "(table.max_input_bytes in params.yaml)")
    data = path.read_bytes()
    if compressed:
        data = _gunzip(path, data, limits.max_input_bytes)
    if not data:
        raise TableError(f"{path}: line 1, column 1: empty file (0 bytes); expected at least a "
                         "header row")
    gz = " gzip" if compressed else ""
    if kind in (".xlsx", ".xlsm"):
        return f"xlsx{gz}", _read_xlsx(path, data, limits.max_input_bytes)
    text, used = decode(path, data, encoding)
    delimiter = "," if kind == ".csv" else "\t"
    return f"{used} {'csv' if delimiter == ',' else 'tsv'}{gz}", _read_text(path, text, delimiter)


def _gunzip(path: Path, data: bytes, limit: int) -> bytes:
    """The unpacked bytes, read no further than ``limit``: a gzip bomb stops there, not in memory."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            unpacked = fh.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise TableError(f"{path}: not a readable gzip file ({exc}); expected gzip-compressed "
                         "TSV or CSV") from exc
    if len(unpacked) > limit:
        raise TableError(f"{path}: unpacks to more than {limit:,} bytes, refused; expected at most "
                         "table.max_input_bytes in params.yaml")
    return unpacked


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding): the given encoding, else by BOM, else UTF-8, else CP932 (Shift_JIS)."""
    if encoding:
        candidates = [encoding]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode text" export
    else:
        candidates = ["utf-8", "cp932"]
    first: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            first = first or exc
    assert first is not None
    line = data[:first.start].count(b"\n") + 1
    column = first.start - (data.rfind(b"\n", 0, first.start) + 1) + 1
    raise TableError(f"{path}: line {line}, column {column} (byte): byte 0x{data[first.start]:02x} "
                     f"is not valid {' or '.join(candidates)}; expected text in that encoding: set "
                     "`encoding` of this table in params.yaml")


def _read_text(path: Path, text: str, delimiter: str) -> Iterator[Record]:
    """Records of delimited text; a record's line is where it starts, though cells break lines."""
    lines = list(io.StringIO(text, newline=""))  # splits at \n, \r\n and \r only, like csv
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
            problem = ""
        except StopIteration:
            return
        except csv.Error as exc:
            cells, problem = [], str(exc).replace("\t", "\\t")
        end = reader.line_num
        raw = re.sub(r"(\r\n|\r|\n)\Z", "", "".join(lines[start - 1:end]))
        if problem:
            column = _quote_column(raw, delimiter)
            if problem == "unexpected end of data":
                raise TableError(f"{path}: line {start}, column {column}: quoted cell is never "
                                 "closed; expected a closing \" before the end of the file")
            yield Record(start, [], raw, f"bad quoting in column {column}: {problem}", column)
        else:
            yield Record(start, cells, raw)
        start = end + 1


def _quote_column(raw: str, delimiter: str) -> int:
    """The 1-based column whose quoting is broken: a quote never closed or followed by text."""
    column, opened, in_quote, at_start, i = 1, 1, False, True, 0
    while i < len(raw):
        c = raw[i]
        if in_quote:
            if c == '"' and raw[i + 1:i + 2] == '"':
                i += 1
            elif c == '"':
                in_quote = False
                if raw[i + 1:i + 2] not in (delimiter, ""):
                    return column
        elif c == delimiter:
            column, at_start = column + 1, True
            i += 1
            continue
        elif c == '"' and at_start:
            in_quote, opened = True, column
        at_start = False
        i += 1
    return opened


def _read_xlsx(path: Path, data: bytes, limit: int) -> Iterator[Record]:
    """Rows of the first sheet, numbered as in Excel; a vertically merged cell fills its rows.

    Refused: parts that unpack to more than ``limit`` bytes, and XML with entities or external
    references (defusedxml, which openpyxl uses when it is installed, stops at the declaration).
    """
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def unreadable(exc: Exception) -> TableError:
        return TableError(f"{path}: not a readable .xlsx workbook ({exc}); expected an Excel "
                          ".xlsx file")

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise unreadable(exc) from exc
    if unpacked > limit:
        raise TableError(f"{path}: the workbook unpacks to {unpacked:,} bytes, refused; expected at "
                         f"most {limit:,} (table.max_input_bytes in params.yaml)")
    try:  # not read_only: merged ranges are only known to a fully loaded sheet
        sheet = load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
            ParseError) as exc:
        refused = _refused_xml(exc)
        if refused is not None:
            raise TableError(f"{path}: refused {refused!r}: the workbook's XML declares entities or "
                             "external references, which can expand to gigabytes (\"billion laughs\") "
                             "or read other files; expected an .xlsx as Excel saves it") from exc
        raise unreadable(exc) from exc
    fill: dict[tuple[int, int], object] = {}
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row + 1, merged.max_row + 1):
            fill[(row, merged.min_col)] = top
    for number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
        values = [fill.get((number, col), v) for col, v in enumerate(row, start=1)]
        cells = ["" if v is None else _cell_text(v) for v in values]
        yield Record(number, cells, "\t".join(cells))


def _refused_xml(exc: BaseException | None) -> BaseException | None:
    """The defusedxml refusal behind ``exc``: openpyxl wraps it in its own ValueError."""
    from defusedxml import DefusedXmlException

    while exc is not None and not isinstance(exc, DefusedXmlException):
        exc = exc.__cause__ or exc.__context__
    return exc


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _match_header(cells: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Column of each name; when several columns fit, the earlier alias in params wins."""
    keys = [header_key(c) if len(c) <= _MAX_HEADER_CELL else "" for c in cells]
    found: dict[str, int] = {}
    for name, names in aliases.items():
        for alias in names:
            key = header_key(alias)
            if key in keys:
                found[name] = keys.index(key)
                break
    return found


@dataclass(frozen=True)
class DivisionSplit:
    """How a 課名 is split into bureau and division (``table`` in params): after the first
    ``bureau_suffixes`` (市長公室 | 秘書課), never inside a ministry's or agency's name, which ends
    in one of ``agency_suffixes`` (文部科学省 is no 文部 | 科学省)."""

    bureau_suffixes: tuple[str, ...]
    agency_suffixes: tuple[str, ...]

    @classmethod
    def from_params(cls, table: Mapping[str, Any]) -> DivisionSplit:
        return cls(tuple(table["bureau_suffixes"]), tuple(table["agency_suffixes"]))

    def split(self, full: str) -> tuple[str, str]:
        """市長公室秘書課 → (市長公室, 秘書課); 文部科学省高等教育局大学振興課 → (文部科学省高等教育局,
        大学振興課); a name that is no more than an agency (文部科学省, 国土交通省観光庁) → ("", name)."""
        name = re.sub(r"\s+", "", full)
        agencies = "|".join(re.escape(s) for s in self.agency_suffixes)
        agency = re.match(rf"^.*(?:{agencies})", name) if agencies else None
        start = agency.end() if agency else 0
        bureaus = "|".join(re.escape(s) for s in self.bureau_suffixes)
        m = re.compile(rf"(.*?(?:{bureaus}))(.+)$").match(name, start)
        return (name[:m.end(1)], m.group(2)) if m else ("", name)


def split_former_name(name: str) -> tuple[str, str]:
    """外国人生活支援事業（旧：国際交流員・留学生交流員事業） → (current name, former name)."""
    m = _FORMER_NAME.search(name)
    if not m:
        return name.strip(), ""
    return (name[:m.start()] + name[m.end():]).strip(), m.group("former").strip()


def parse_table(path: Path, fiscal_year: int, aliases: Mapping[str, Sequence[str]],
                required: Sequence[str], divisions: DivisionSplit,
                encoding: str | None = None, *, layout: str = "auto",
                long_layout: Mapping[str, object] | None = None,
                year_filter: int | None = None,
                limits: TableLimits = DEFAULT_LIMITS) -> ParseResult:
    """Projects of one table, its quarantined rows and a summary that accounts for every record.

    ``layout`` is told from the header (``auto``) or forced; the long layout needs
    ``long_layout`` (``table.long_layout`` in params). A row's year is its ``year`` cell, else
    ``fiscal_year``; with ``year_filter`` rows of other years are skipped and counted.
    ``limits`` (:meth:`TableLimits.from_params` of ``table``) bound the input.
    Raises :class:`TableError` when the file has no usable header or cannot be read.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    if layout == "long" and long_layout is None:
        raise ValueError("layout 'long' needs long_layout (table.long_layout in params.yaml)")
    long = LongLayout.from_params(long_layout) if long_layout is not None else None
    schemas: dict[str, tuple[Mapping[str, Sequence[str]], Sequence[str]]] = {}
    if layout in ("auto", "wide"):
        schemas["wide"] = (aliases, required)
    if long is not None and layout in ("auto", "long"):
        schemas["long"] = (long.columns, long.required)
    fmt, records = read_records(path, encoding, limits)
    parser = _Parser(path, fiscal_year, divisions, schemas, long, year_filter,
                     limits.max_cell_chars)
    for record in records:
        parser.feed(record)
    return parser.result(fmt)


@dataclass
class _Header:
    layout: str
    columns: dict[str, int]
    line: int
    names: list[str]

    @property
    def width(self) -> int:
        """Cells up to the last named header cell; trailing empty header cells do not count."""
        return max((i + 1 for i, n in enumerate(self.names) if n.strip()), default=0)

    def label(self, name: str) -> str:
        """``project_id (事業番号)``: the field and the header text it was found under."""
        return f"{name} ({self.names[self.columns[name]].strip()})"

    def merged(self, other: _Header) -> _Header:
        """A header spread over two rows (merged cells in Excel): names of both rows."""
        width = max(len(self.names), len(other.names))
        upper = self.names + [""] * (width - len(self.names))
        lower = other.names + [""] * (width - len(other.names))
        names = [b if b.strip() else a for a, b in zip(upper, lower)]
        return _Header(self.layout, {**self.columns, **other.columns}, self.line, names)


class _Parser:
    """State of one pass over a table's records: the header in force, counts and rows so far."""

    def __init__(self, path: Path, fiscal_year: int, divisions: DivisionSplit,
                 schemas: Mapping[str, tuple[Mapping[str, Sequence[str]], Sequence[str]]],
                 long: LongLayout | None, year_filter: int | None, max_cell_chars: int) -> None:
        self.path, self.fiscal_year, self.divisions = path, fiscal_year, divisions
        self.schemas, self.long, self.year_filter = schemas, long, year_filter
        self.max_cell_chars = max_cell_chars
        self.header: _Header | None = None
        self.pending: _Header | None = None  # a header row that still lacks required columns
        self.first_header: _Header | None = None
        self.counts = dict.fromkeys(["records", "blank", "headers", "data_rows", "parsed",
                                     "quarantined", "skipped_year"], 0)
        self.projects: dict[tuple[int, str], dict[str, object]] = {}
        # project → its first row and the header it was read under
        self.first_seen: dict[tuple[int, str], tuple[Record, _Header]] = {}
        self.field_lines: dict[tuple[int, str, str], int] = {}  # long: (year, id, field) → line
        self.quarantine: list[dict[str, object]] = []

    def feed(self, record: Record) -> None:
        """Count one record as blank, header or data row, and send a data row on its way."""
        self.counts["records"] += 1
        if not record.problem and not any(c.strip() for c in record.cells):
            self.counts["blank"] += 1
            return
        candidate = None if record.problem else self._header_candidate(record)
        if candidate is not None:
            self.counts["headers"] += 1
            self._take_header(candidate)
            return
        self.counts["data_rows"] += 1
        if self.pending is not None:
            self._settle_pending()
        if self.header is None:
            self._reject(record, 1, "before the first header row")
        elif record.problem:
            self._reject(record, record.column, record.problem)
        else:
            self._data_row(record, self.header)

    def _header_candidate(self, record: Record) -> _Header | None:
        """The row as a header when it names enough columns of a layout (the best-fitting one)."""
        schemas = self.schemas
        if self.header is not None:
            schemas = {self.header.layout: schemas[self.header.layout]}
        best: tuple[tuple[bool, int], _Header] | None = None
        for layout, (aliases, required) in schemas.items():
            match = _match_header(record.cells, aliases)
            if len(match) < max(2, len(required) // 2 + 1):
                continue
            score = (all(r in match for r in required), len(match))
            if best is None or score > best[0]:
                best = (score, _Header(layout, match, record.line, list(record.cells)))
        return best[1] if best else None

    def _take_header(self, candidate: _Header) -> None:
        if self.pending is not None and self.pending.layout == candidate.layout:
            candidate = self.pending.merged(candidate)
        _, required = self.schemas[candidate.layout]
        if all(r in candidate.columns for r in required):
            self.header, self.pending = candidate, None
            self.first_header = self.first_header or candidate
        else:
            self.pending = candidate

    def _settle_pending(self) -> None:
        """Data follows a header row lacking columns: fine if it repeats the header in force."""
        pending = self.pending
        assert pending is not None
        self.pending = None
        header = self.header
        if header is not None and header.layout == pending.layout and all(
                header.columns.get(k) == v for k, v in pending.columns.items()):
            return
        aliases, required = self.schemas[pending.layout]
        missing = next(r for r in required if r not in pending.columns)
        found = ", ".join(f"{i + 1} {_shorten(n.strip())}" for i, n in enumerate(pending.names) if n.strip())
        where = "table.long_layout.columns" if pending.layout == "long" else "table.columns"
        raise TableError(f"{self.path}: line {pending.line}: header has no column for {missing}; "
                         f"expected a column named one of {', '.join(aliases[missing])} (found: "
                         f"{found}); add its header text to {where}.{missing} in params.yaml")

    def _reject(self, record: Record, column: int, reason: str) -> None:
        """Quarantine a row; raw text longer than max_cell_chars is cut there (marked …)."""
        self.counts["quarantined"] += 1
        limit = self.max_cell_chars
        raw = record.raw if len(record.raw) <= limit else record.raw[:limit] + "…"
        self.quarantine.append({"source_file": str(self.path), "line": record.line,
                                "column": column, "reason": reason, "raw": raw})

    def _oversized(self, cells: Sequence[str], header: _Header) -> tuple[str, int]:
        """The first cell longer than max_cell_chars, as a reason and its 1-based column."""
        limit = self.max_cell_chars
        for i, cell in enumerate(cells):
            if len(cell) > limit:
                names = [header.label(n) for n, c in header.columns.items() if c == i]
                where = f"column {i + 1}" + (f" {names[0]}" if names else "")
                return (f"{where}: cell of {len(cell):,} characters; expected at most {limit:,} "
                        "(table.max_cell_chars in params.yaml)", i + 1)
        return "", 0

    def _shape_problem(self, cells: Sequence[str], header: _Header) -> tuple[str, int]:
        width = header.width
        extra = [i for i in range(width, len(cells)) if cells[i].strip()]
        if len(cells) < width or extra:
            column = extra[0] + 1 if extra else len(cells) + 1
            return (f"{len(cells)} cells; expected {width} as in the header at line "
                    f"{header.line}", column)
        return "", 0

    def _data_row(self, record: Record, header: _Header) -> None:
        reason, column = self._oversized(record.cells, header)
        if not reason:
            reason, column = self._shape_problem(record.cells, header)
        if reason:
            self._reject(record, column, reason)
            return
        cells = record.cells

        def cell(name: str) -> str:
            return cells[header.columns[name]] if name in header.columns else ""

        year = self.fiscal_year
        if "year" in header.columns:
            text = unicodedata.normalize("NFKC", cell("year")).strip()
            if not re.fullmatch(r"\d{4}", text):
                self._reject(record, header.columns["year"] + 1,
                             f"{header.label('year')} {cell('year')!r} is not a year; expected "
                             "4 digits such as 2024")
                return
            year = int(text)
        if self.year_filter is not None and year != self.year_filter:
            self.counts["skipped_year"] += 1
            return
        pid = cell("project_id").strip()
        if not pid:
            self._reject(record, header.columns["project_id"] + 1,
                         f"empty {header.label('project_id')}")
            return
        if header.layout == "long":
            reason, column = self._add_long(record, header, cell, year, pid)
        else:
            reason, column = self._add_wide(record, header, cell, year, pid)
        if reason:
            self._reject(record, column, reason)
        else:
            self.counts["parsed"] += 1

    def _new_project(self, record: Record, header: _Header, cell: _Cell, year: int,
                     pid: str) -> dict[str, object]:
        name, former = split_former_name(cell("project_name"))
        bureau, division = self.divisions.split(cell("division_name"))
        project: dict[str, object] = {
            "fiscal_year": year, "row_no": cell("row_no").strip(), "project_id": pid,
            "project_name": name, "former_name": former, "bureau": bureau, "division": division,
            **dict.fromkeys(FIELDS, ""), "source_file": str(self.path), "source_line": record.line}
        self.projects[(year, pid)] = project
        self.first_seen[(year, pid)] = (record, header)
        return project

    def _add_wide(self, record: Record, header: _Header, cell: _Cell, year: int,
                  pid: str) -> tuple[str, int]:
        if (year, pid) in self.first_seen:
            first, _ = self.first_seen[(year, pid)]
            same = "same content" if first.cells == record.cells else "different content"
            return (f"duplicate {header.label('project_id')} {pid}: first at line {first.line} "
                    f"({same})", header.columns["project_id"] + 1)
        project = self._new_project(record, header, cell, year, pid)
        for f in FIELDS:
            project[f] = cell(f)
        return "", 0

    def _add_long(self, record: Record, header: _Header, cell: _Cell, year: int,
                  pid: str) -> tuple[str, int]:
        assert self.long is not None
        value = cell("field").strip()
        target = self.long.target(value)
        if target is None:
            return (f"{header.label('field')} {value!r} is not mapped; expected one of "
                    f"{', '.join(self.long.values)} (table.long_layout.fields)",
                    header.columns["field"] + 1)
        key = (year, pid)
        if key in self.first_seen:
            first, first_header = self.first_seen[key]
            for name in ("project_name", "division_name"):
                column = first_header.columns.get(name)
                was = "" if column is None else first.cells[column]
                if name in header.columns and cell(name) != was:
                    return (f"{header.label(name)} {cell(name)!r} differs from {was!r} at line "
                            f"{first.line} for {header.label('project_id')} {pid}",
                            header.columns[name] + 1)
        if (year, pid, target) in self.field_lines:
            return (f"duplicate {header.label('field')} {value!r} ({target}) for "
                    f"{header.label('project_id')} {pid} in {year}: first at line "
                    f"{self.field_lines[(year, pid, target)]}", header.columns["field"] + 1)
        if key in self.projects:
            project = self.projects[key]
        else:
            project = self._new_project(record, header, cell, year, pid)
        project[target] = cell("text")
        self.field_lines[(year, pid, target)] = record.line
        return "", 0

    def result(self, fmt: str) -> ParseResult:
        if self.pending is not None:
            self._settle_pending()
        header = self.first_header
        if header is None:
            aliases, required = next(iter(self.schemas.values()))
            raise TableError(f"{self.path}: line 1, column 1: no header row in "
                             f"{self.counts['records']} records; expected a header naming "
                             f"{', '.join(aliases[r][0] for r in required)}")
        c = self.counts
        assert c["records"] == c["blank"] + c["headers"] + c["data_rows"]
        assert c["data_rows"] == c["parsed"] + c["quarantined"] + c["skipped_year"]
        named = set(header.columns.values())
        summary: dict[str, int | str] = {
            "source_file": str(self.path), "format": fmt, "layout": header.layout,
            "header_line": header.line,
            "columns": " ".join(f"{k}={v + 1}" for k, v in sorted(header.columns.items(),
                                                                   key=lambda kv: kv[1])),
            "ignored_columns": ", ".join(f"{i + 1} {_shorten(n.strip(), _MAX_HEADER_CELL)}"
                                         for i, n in enumerate(header.names)
                                         if n.strip() and i not in named),
            "year_filter": "" if self.year_filter is None else self.year_filter,
            **c, "projects": len(self.projects),
            "accounting": (f"{c['records']} records = {c['blank']} blank + {c['headers']} "
                           f"headers + {c['data_rows']} data rows; {c['data_rows']} data rows = "
                           f"{c['parsed']} parsed + {c['quarantined']} quarantined + "
                           f"{c['skipped_year']} skipped (other years); {len(self.projects)} "
                           "projects"),
        }
        return ParseResult(pd.DataFrame(list(self.projects.values()), columns=PROJECT_COLUMNS),
                           pd.DataFrame(self.quarantine, columns=QUARANTINE_COLUMNS), summary)

