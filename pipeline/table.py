"""Read a municipal evaluation table into one tidy row per project.

Tables come from PDFs and spreadsheets: page headers repeat (once spelled 通し 番号), blank
lines sit between pages, and columns are named differently by each city. Headers are
found by name through the aliases in ``params.yaml``; every data row either becomes a
project or is quarantined with its reason, and the summary accounts for every line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.config import FIELDS

PROJECT_COLUMNS = ["fiscal_year", "row_no", "project_id", "project_name", "former_name", "bureau",
                   "division", *FIELDS, "source_line"]
QUARANTINE_COLUMNS = ["source_file", "line", "column", "reason", "raw"]
_FORMER_NAME = re.compile(r"[（(]\s*旧\s*[:：]\s*(?P<former>[^）)]*)[）)]")


class TableError(ValueError):
    """Input that cannot be read as a table; the message names file, line and column."""


@dataclass
class ParseResult:
    projects: pd.DataFrame
    quarantine: pd.DataFrame
    summary: dict[str, int | str] = field(default_factory=dict)


def header_key(cell: str) -> str:
    """Header text compared without spaces or width differences (通し 番号 = 通し番号)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell or ""))


def read_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every record of a TSV, CSV or XLSX file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _read_xlsx(path)
        return
    text = decode(path, encoding)
    delimiter = "," if suffix == ".csv" else "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(f"{path}:{line}: {exc}") from exc


def decode(path: Path, encoding: str | None = None) -> str:
    """The file's text: the given encoding, else UTF-8 (with or without BOM), else CP932."""
    data = path.read_bytes()
    for candidate in ([encoding] if encoding else ["utf-8-sig", "cp932"]):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError as exc:
            last = exc
            if encoding:
                line = data[:exc.start].count(b"\n") + 1
                column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                raise TableError(f"{path}:{line}:{column}: not valid {encoding}: {exc.reason}") from exc
    line = data[:last.start].count(b"\n") + 1
    raise TableError(f"{path}:{line}: neither UTF-8 nor CP932 (Shift_JIS); set `encoding` in params")


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else _cell_text(v) for v in row]


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _match_header(cells: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
    keys = [header_key(c) for c in cells]
    found: dict[str, int] = {}
    for name, names in aliases.items():
        wanted = {header_key(a) for a in names}
        for index, key in enumerate(keys):
            if key in wanted:
                found[name] = index
                break
    return found


def split_division(full: str, bureau_suffixes: Sequence[str]) -> tuple[str, str]:
    """市長公室秘書課 → (市長公室, 秘書課): the bureau is the shortest prefix ending in a suffix."""
    name = re.sub(r"\s+", "", full)
    alternation = "|".join(re.escape(s) for s in bureau_suffixes)
    m = re.match(rf"^(.+?(?:{alternation}))(.+)$", name)
    return (m.group(1), m.group(2)) if m else ("", name)


def split_former_name(name: str) -> tuple[str, str]:
    """外国人生活支援事業（旧：国際交流員・留学生交流員事業） → (current name, former name)."""
    m = _FORMER_NAME.search(name)
    if not m:
        return name.strip(), ""
    return (name[:m.start()] + name[m.end():]).strip(), m.group("former").strip()


def parse_table(path: Path, fiscal_year: int, aliases: Mapping[str, Sequence[str]],
                required: Sequence[str], bureau_suffixes: Sequence[str],
                encoding: str | None = None) -> ParseResult:
    """Projects of one table; raises :class:`TableError` when the table has no usable header."""
    header: dict[str, int] | None = None
    header_line = 0
    width = 0
    projects: list[dict[str, object]] = []
    quarantine: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    counts = {"lines": 0, "blank": 0, "headers": 0, "parsed": 0, "quarantined": 0}
    for line, cells in read_rows(path, encoding):
        counts["lines"] += 1
        if not any(c.strip() for c in cells):
            counts["blank"] += 1
            continue
        match = _match_header(cells, aliases)
        if len(match) >= max(2, len(required) // 2 + 1):
            counts["headers"] += 1
            if header is None:
                missing = [name for name in required if name not in match]
                if missing:
                    name = missing[0]
                    raise TableError(
                        f"{path}:{line}: header has no column for {name}; expected one of "
                        f"{', '.join(aliases[name])} (found: {', '.join(c for c in cells if c)})")
                header, header_line, width = match, line, len(cells)
            continue
        if header is None:
            raise TableError(f"{path}:{line}: data before any header row; expected a header naming "
                             f"{', '.join(aliases[r][0] for r in required)}")
        reason, column = _row_problem(cells, width, header, seen)
        if reason:
            counts["quarantined"] += 1
            quarantine.append({"source_file": str(path), "line": line, "column": column,
                               "reason": reason, "raw": "\t".join(cells)[:500]})
            continue
        record = _project(cells, header, fiscal_year, line, bureau_suffixes)
        seen[str(record["project_id"])] = line
        projects.append(record)
        counts["parsed"] += 1
    if header is None:
        raise TableError(f"{path}:1: no header row found; expected columns named "
                         f"{', '.join(aliases[r][0] for r in required)}")
    summary: dict[str, int | str] = {"source_file": str(path), "header_line": header_line, **counts}
    return ParseResult(pd.DataFrame(projects, columns=PROJECT_COLUMNS),
                       pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS), summary)


def _row_problem(cells: Sequence[str], width: int, header: Mapping[str, int],
                 seen: Mapping[str, int]) -> tuple[str, int]:
    extra = cells[width:]
    if len(cells) < width:
        return f"expected {width} cells, found {len(cells)}", len(cells) + 1
    if any(c.strip() for c in extra):
        return f"expected {width} cells, found {len(cells)}", width + 1
    pid_col = header["project_id"]
    pid = cells[pid_col].strip()
    if not pid:
        return "empty 事業番号", pid_col + 1
    if pid in seen:
        return f"duplicate 事業番号 {pid} (first at line {seen[pid]})", pid_col + 1
    return "", 0


def _project(cells: Sequence[str], header: Mapping[str, int], fiscal_year: int, line: int,
             bureau_suffixes: Sequence[str]) -> dict[str, object]:
    def cell(name: str) -> str:
        return cells[header[name]] if name in header else ""

    name, former = split_former_name(cell("project_name"))
    bureau, division = split_division(cell("division_name"), bureau_suffixes)
    record: dict[str, object] = {
        "fiscal_year": fiscal_year, "row_no": cell("row_no").strip(),
        "project_id": cell("project_id").strip(), "project_name": name, "former_name": former,
        "bureau": bureau, "division": division, "source_line": line,
    }
    for f in FIELDS:
        record[f] = cell(f)
    return record
