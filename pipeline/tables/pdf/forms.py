"""From a sheet's page grids to one project record and its figures, by profile or generically.

Both modes share one table reader. A table is found by its corner cell (the top-left header
cell); its columns are the header cells to the corner's right, read while their text is a
header (a year, 実績, 決算…); its rows are the cells stacked under the first column. Two
layouts exist: "items" (one item per row, named by the label cells left of the values:
the 事業費 table, the 成果指標 table) and "statuses" (one item, one status per row:
横浜市's 想定 / 実績 rows under 3年度…9年度). A profile says where the corners are and what
the labels mean; the generic mode finds corners next to year headers and guesses the rest
from the vocabulary in ``generic.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.text.fold import fold as header_key  # headers compare like every name: folded

from .grid import TOLERANCE, Cell, PageGrid
from .model import TEXT_FIELDS
from .periods import fiscal_year, period_of, status_of
from .profiles import GENERIC, FormProfile, GenericVocabulary, TableSpec
from .values import DASHES, compact, parse_value

#: A line that starts one of these begins a new paragraph in prose (bullets, ①, (1), 【).
_BULLET = re.compile(r"^([・●○◆◇■□▪※＊*・\-－]|[①-⑳]|[（(]\d+[)）]|\d+[.．、)]|【|<|＜|≪)")
#: A line ending so closes a sentence: the next line starts a new one.
_SENTENCE_END = ("。", "！", "？", "!", "?")
#: Group label given to the difference columns (差引（増減）) of a statuses table.
DELTA_GROUP = "増減"
#: The longest text (characters, without spaces) a generic table's year header may have.
_HEADER_CHARS = 16
#: How far above a table (points) its caption may be: 単位：千円, ≪事業実績等≫.
_CAPTION_REACH = 30.0


@dataclass(frozen=True)
class Column:
    """A value column of a table: its span, its header as written, and its role."""

    x0: float
    x1: float
    header: str
    role: str  # "value", "delta" or "unit"


@dataclass
class _Row:
    """One row band of a table while its item's parent and unit are worked out.

    ``label`` names the item the figures measure; ``status_label`` is the row's own label in
    a statuses table (決算, 想定), which becomes part of each figure's header. ``unit`` None
    means "not set by the row": the unit column or the table's unit applies.
    """

    label: str
    status_label: str
    groups: list[str]
    cells: list[Cell | None]
    unit: str | None = None
    parent: str = ""
    group: str = ""


@dataclass
class ProjectReading:
    """What one sheet gave: its project record and its figures."""

    project: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)


def read_project(path: Path, grids: Sequence[PageGrid], profile: FormProfile | None,
                 vocabulary: GenericVocabulary) -> ProjectReading:
    """Read one sheet; ``profile`` None means the generic mode."""
    if profile is not None:
        texts = {name: _profile_field(grids, parts, profile.block_start)
                 for name, parts in profile.fields}
        project_id = _profile_id(grids, profile) or path.stem
        form = profile.name
    else:
        texts = {name: _generic_field(grids, aliases) for name, aliases in vocabulary.fields}
        project_id, form = path.stem, GENERIC
    record: dict[str, Any] = {"project_id": project_id}
    for name in TEXT_FIELDS:
        record[name] = texts.get(name, ("", 0))[0]
    record.update(form=form, source_file=str(path),
                  source_page=texts.get("project_name", ("", 0))[1] or grids[0].number,
                  missing_fields=[name for name in TEXT_FIELDS if not record[name]])
    figures = []
    for grid in grids:
        tables = (_profile_tables(grid, profile) if profile is not None
                  else _generic_tables(grid, vocabulary))
        for index, (spec, corner, anchor) in enumerate(tables):
            for figure in _read_table(grid, spec, corner, anchor, profile, vocabulary):
                figure.update(project_id=project_id, file=str(path), page=grid.number,
                              table_index=index)
                figures.append(figure)
    return ProjectReading(record, [_ordered(f) for f in figures])


#: The key order of a figure record.
FIGURE_KEYS = ("project_id", "table", "label", "parent_label", "group", "indicator_kind",
               "unit_text", "header", "period", "status", "value_text", "value", "value_max",
               "qualifier", "file", "page", "table_index", "row", "column")


def _ordered(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure with its keys in :data:`FIGURE_KEYS` order."""
    return {key: figure[key] for key in FIGURE_KEYS}


# --- text fields -------------------------------------------------------------------------

def prose(cells: Sequence[Cell]) -> str:
    """The text of value cells as prose: wrapped lines joined, paragraphs kept.

    A wrap inside a Japanese sentence is layout, so lines are joined without a separator;
    a line ending a sentence, or a line starting with a bullet or number, keeps its break.
    """
    paragraphs: list[str] = []
    for cell in cells:
        text = ""
        for line in (compact(line) for line in cell.lines):
            if not line:
                continue
            if text and (text.endswith(_SENTENCE_END) or _BULLET.match(line)):
                text += "\n"
            elif text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii() \
                    and line[0].isalnum() and not re.fullmatch(r"[\d,.]+", text[-1] + line[0]):
                text += " "
            text += line
        if text:
            paragraphs.append(text)
    return "\n".join(paragraphs)


def _is_blank(text: str) -> bool:
    """True for "" and for the dashes that fill an empty prose cell (－, ―)."""
    return all(ch in DASHES or ch.isspace() for ch in unicodedata.normalize("NFKC", text))


def _profile_field(grids: Sequence[PageGrid], parts: Sequence[Any],
                   block_start: str) -> tuple[str, int]:
    """A field's text from its labelled parts (every match, in page order), and its page."""
    texts: list[str] = []
    first_page = 0
    for part in parts:
        for grid in grids:
            for label in sorted(grid.find(part.label), key=lambda c: (c.top, c.x0)):
                cells = _beside(grid, label) if part.take == "right" else grid.below(label)
                text = prose(cells)
                if _is_blank(text):
                    continue
                title = (_block_name(grid, label.top, block_start) if part.title == "block"
                         else part.title)
                texts.append(f"{title}：{text}" if title else text)
                first_page = first_page or grid.number
    return "\n".join(dict.fromkeys(texts)), first_page


def _beside(grid: PageGrid, label: Cell) -> list[Cell]:
    """The value cells right of a label that lie within the label's height."""
    return [cell for cell in grid.right_of(label)
            if cell.top >= label.top - TOLERANCE and cell.bottom <= label.bottom + TOLERANCE]


def _profile_id(grids: Sequence[PageGrid], profile: FormProfile) -> str:
    """The sheet's number by the profile's pattern on the first page, or ""."""
    if not profile.id_pattern:
        return ""
    match = re.search(profile.id_pattern, header_key(grids[0].text))
    return match.group(1) if match else ""


def _block_name(grid: PageGrid, top: float, block_start: str) -> str:
    """The name of the block (細事業) that contains height ``top`` on this page, or ""."""
    if not block_start:
        return ""
    starts = [c for c in grid.find(block_start) if c.top <= top + TOLERANCE]
    if not starts:
        return ""
    start = max(starts, key=lambda c: c.top)
    return prose(_beside(grid, start)[:1])


def label_key(text: str) -> str:
    """A label reduced for alias matching: no section number, no trailing bracketed note.

    "1 事業概要（令和6年度）" → 事業概要; "事業の対象（誰を、何を）" → 事業の対象.
    """
    key = header_key(text)
    key = re.sub(r"^(\(?\d+\)?[.．、]?|[①-⑳]|[IVX]+\.)", "", key)
    previous = None
    while previous != key:
        previous = key
        key = re.sub(r"([（(【\[][^（(【\[]*[)）】\]]|※.*)$", "", key)
    return key


def _generic_field(grids: Sequence[PageGrid], aliases: Sequence[str]) -> tuple[str, int]:
    """The text next to the first cell labelled with one of ``aliases``.

    Labels equal to an alias are tried first (earlier aliases win), then labels that end
    with one (これまでの再構築・民営化等の取組み及び成果 for 成果). A label printed outside
    the grid counts too when a cell sits right of it.
    """
    tries = [(alias, True) for alias in aliases] + [(alias, False) for alias in aliases]
    for alias, exact in tries:
        wanted = header_key(alias)
        for grid in grids:
            for label in sorted(grid.cells, key=lambda c: (c.top, c.x0)):
                key = label_key(label.text) if label.lines else ""
                if not key or (key != wanted if exact else not key.endswith(wanted)):
                    continue
                text = prose(_beside(grid, label))
                if _is_blank(text):
                    text = prose(grid.below(label)[:1])
                if not _is_blank(text):
                    return text, grid.number
            for line in grid.free_lines:
                key = label_key(line.text)
                if key == wanted or not exact and key.endswith(wanted):
                    text = prose(grid.right_of_line(line))
                    if not _is_blank(text):
                        return text, grid.number
    return "", 0


# --- finding tables ------------------------------------------------------------------------

def _profile_tables(grid: PageGrid,
                    profile: FormProfile) -> list[tuple[TableSpec, Cell, Cell | None]]:
    """(spec, corner, anchor) of every profile table on the page, top to bottom."""
    found: list[tuple[TableSpec, Cell, Cell | None]] = []
    for spec in profile.tables:
        rivals = [s.anchor for s in profile.tables if s.corner == spec.corner and s.anchor]
        for corner in grid.find(spec.corner):
            anchor = None
            if spec.anchor:
                anchor = _nearest_anchor(grid, corner, rivals)
                if anchor is None or not re.search(spec.anchor, anchor.key):
                    continue
            found.append((spec, corner, anchor))
    return sorted(found, key=lambda t: (t[1].top, t[1].x0))


def _nearest_anchor(grid: PageGrid, corner: Cell, patterns: Sequence[str]) -> Cell | None:
    """The lowest cell at or above the corner, not right of it, matching any pattern."""
    candidates = [cell for cell in grid.cells
                  if cell.top <= corner.top + TOLERANCE and cell.x0 <= corner.x0 + TOLERANCE
                  and cell is not corner and any(re.search(p, cell.key) for p in patterns)]
    return max(candidates, key=lambda c: (c.top, c.x0), default=None)


def _generic_tables(grid: PageGrid,
                    vocabulary: GenericVocabulary) -> list[tuple[TableSpec, Cell, Cell | None]]:
    """Tables found by their headers: cells naming a year (or a status word under one) and,
    left of each run of them and of any 単位 column, the table's corner."""
    leaves: dict[int, Cell] = {}
    for cell in grid.cells:
        # A header is short; a longer cell naming years is a caption or prose
        # (３令和５年度及び令和６年度の経費（千円）).
        if len(cell.key) > _HEADER_CHARS or fiscal_year(cell.text, None) is None:
            continue
        under = [c for c in grid.below(cell) if c.x0 >= cell.x0 - TOLERANCE
                 and c.x1 <= cell.x1 + TOLERANCE and re.search(vocabulary.header_words, c.key)]
        for leaf in under or [cell]:
            leaves[id(leaf)] = leaf
    corners: dict[int, Cell] = {}
    for leaf in sorted(leaves.values(), key=lambda c: (c.top, c.x0)):
        left = _left_neighbour(grid, leaf)
        while left is not None and (id(left) in leaves
                                    or re.search(vocabulary.unit_column, left.key)):
            left = _left_neighbour(grid, left)
        if left is not None:
            corners.setdefault(id(left), left)
    found = []
    for corner in sorted(corners.values(), key=lambda c: (c.top, c.x0)):
        below = [c for c in grid.below(corner) if abs(c.x0 - corner.x0) <= TOLERANCE]
        statuses = bool(below) and re.search(vocabulary.status_rows, below[0].key) is not None
        spec = TableSpec(table="indicator", corner="", layout="statuses" if statuses else "items",
                         columns=vocabulary.header_words, unit_column=vocabulary.unit_column,
                         delta_columns=r"^差引|^増減",
                         item_label=_left_label(grid, corner) if statuses else "")
        found.append((spec, corner, None))
    return found


def _left_neighbour(grid: PageGrid, cell: Cell) -> Cell | None:
    """The cell ending where ``cell`` starts, on the same bottom line (a header row's
    previous cell, which may be taller when it spans two header rows)."""
    return next((c for c in grid.cells if abs(c.x1 - cell.x0) <= TOLERANCE
                 and abs(c.bottom - cell.bottom) <= TOLERANCE
                 and c.top <= cell.top + TOLERANCE), None)


def _left_label(grid: PageGrid, corner: Cell) -> str:
    """The item of a statuses table: the label left of its corner (事業費（千円）), else the
    label above it, else ""."""
    left = [c for c in grid.cells if abs(c.x1 - corner.x0) <= TOLERANCE
            and c.top <= corner.top + TOLERANCE and c.bottom > corner.top and c.lines]
    above = [c for c in grid.cells if abs(c.bottom - corner.top) <= TOLERANCE
             and c.x0 <= corner.x0 + TOLERANCE < c.x1 and c.lines]
    return compact((left or above)[0].text) if left or above else ""


# --- reading a table -----------------------------------------------------------------------

def _columns(grid: PageGrid, corner: Cell, spec: TableSpec) -> list[Column]:
    """The header cells right of the corner, left to right, while each is a header."""
    leaves = sorted((c for c in grid.cells if c.x0 >= corner.x1 - TOLERANCE
                     and abs(c.bottom - corner.bottom) <= TOLERANCE
                     and c.top >= corner.top - TOLERANCE), key=lambda c: c.x0)
    columns: list[Column] = []
    edge = corner.x1
    for leaf in leaves:
        if abs(leaf.x0 - edge) > TOLERANCE:
            break
        header = _header(grid, corner, leaf)
        key = header_key(header)
        if spec.unit_column and re.search(spec.unit_column, key):
            role = "unit"
        elif spec.delta_columns and re.search(spec.delta_columns, key):
            role = "delta"
        elif key and re.search(spec.columns, key):
            role = "value"
        else:
            break
        columns.append(Column(leaf.x0, leaf.x1, header, role))
        edge = leaf.x1
    return columns


def _header(grid: PageGrid, corner: Cell, leaf: Cell) -> str:
    """A column's header as written: the leaf cell, after the header cells above it when
    the leaf itself names no year (R6年度 over 予算 → R6年度予算)."""
    if fiscal_year(leaf.text, None) is not None:
        return leaf.flat
    above = sorted((c for c in grid.cells if c is not leaf and c.top >= corner.top - TOLERANCE
                    and c.bottom <= leaf.top + TOLERANCE and c.x0 <= leaf.x0 + TOLERANCE
                    and c.x1 >= leaf.x1 - TOLERANCE), key=lambda c: c.top)
    return "".join(c.flat for c in above) + leaf.flat


def _bands(grid: PageGrid, x0: float, x1: float, top: float) -> Iterator[Cell]:
    """The cells exactly spanning ``x0..x1`` stacked from ``top`` down, while contiguous
    (a cell merged across more columns, such as a remarks row, ends the table)."""
    while True:
        cell = next((c for c in grid.cells if abs(c.top - top) <= TOLERANCE
                     and abs(c.x0 - x0) <= TOLERANCE and abs(c.x1 - x1) <= TOLERANCE), None)
        if cell is None or cell.height <= 0:
            return
        yield cell
        top = cell.bottom


def _read_table(grid: PageGrid, spec: TableSpec, corner: Cell, anchor: Cell | None,
                profile: FormProfile | None,
                vocabulary: GenericVocabulary) -> list[dict[str, Any]]:
    """Every figure of one table (value None for empty or dash cells, rows kept)."""
    columns = _columns(grid, corner, spec)
    values = [c for c in columns if c.role != "unit"]
    # A generic table needs two value columns: one year cell beside a label is a field
    # (実施期間 | 令和5年度～令和9年度), not a table.
    if len(values) < (1 if profile is not None else 2):
        return []
    status_rules = profile.status if profile is not None else vocabulary.status
    era = profile.era if profile is not None else None
    if spec.layout == "items":
        rows = _item_rows(grid, corner, columns, spec)
    else:
        block_start = profile.block_start if profile is not None else ""
        rows = _status_rows(grid, corner, columns, spec, anchor, block_start)
    if profile is None:
        spec = _generic_kind(grid, spec, corner, columns, rows, vocabulary)
        rows = _generic_parents(rows, vocabulary) if spec.table == "cost" else rows
    unit_column = next((i for i, c in enumerate(columns) if c.role == "unit"), None)
    periods = _periods(values, era)
    figures = []
    for row_index, row in enumerate(rows):
        if row.unit is not None:
            unit = row.unit
        elif unit_column is not None:
            unit_cell = row.cells[unit_column]
            unit = unit_cell.flat if unit_cell is not None else ""
        else:
            unit = spec.unit_text
        for column_index, column in enumerate(values):
            cell = row.cells[columns.index(column)]
            text = cell.flat if cell is not None else ""
            parsed = parse_value(text)
            header = f"{column.header} {row.status_label}" if row.status_label else column.header
            figures.append({
                "table": spec.table, "label": row.label, "parent_label": row.parent,
                "group": DELTA_GROUP if column.role == "delta" else row.group,
                "indicator_kind": spec.indicator_kind if spec.table == "indicator" else "",
                "unit_text": parsed.unit or unit,
                "header": header, "period": periods[column_index],
                "status": status_of(header, status_rules), "value_text": text,
                "value": parsed.value, "value_max": parsed.value_max,
                "qualifier": parsed.qualifier, "row": row_index, "column": column_index})
    return figures


def _periods(values: Sequence[Column], era: str | None) -> list[str]:
    """Each value column's period; a difference column takes the period before it."""
    periods: list[str] = []
    for column in values:
        period = period_of(column.header, era)
        if column.role == "delta" and not period:
            period = next((p for p in reversed(periods) if p), "")
        periods.append(period)
    return periods


def _item_rows(grid: PageGrid, corner: Cell, columns: Sequence[Column],
               spec: TableSpec) -> list[_Row]:
    """Rows of an items table: label cells left of the values, one row per band; the
    rightmost label names the item, the ones left of it (主な内訳, 財源) are its groups."""
    rows: list[_Row] = []
    first = columns[0]
    for band in _bands(grid, first.x0, first.x1, corner.bottom):
        labels = grid.overlapping(corner.x0, first.x0, band.top, band.bottom)
        item = labels[-1] if labels else None
        label = compact(item.text) if item is not None else ""
        if spec.strip_label:
            label = re.sub(spec.strip_label, "", label)
        cells = [grid.at(c.x0, c.x1, band.top, band.bottom) for c in columns]
        if not label and all(cell is None or not cell.lines for cell in cells):
            continue
        row = _Row(label, "", [c.flat for c in labels[:-1]], cells,
                   parent=spec.parent_label, group=spec.group)
        _place(row, rows, spec)
        rows.append(row)
    return rows


def _place(row: _Row, rows: Sequence[_Row], spec: TableSpec) -> None:
    """Set a row's parent and group by the profile: the total, a group of it, a subset."""
    key = header_key(row.label)
    for pattern, unit in spec.row_units:
        if re.search(pattern, key):
            row.unit = unit
    if spec.total_row and re.search(spec.total_row, key):
        row.label, row.parent, row.group = spec.total_label or row.label, "", ""
        return
    group = next((name for label in row.groups for pattern, name in spec.groups
                  if re.search(pattern, header_key(label))), "")
    if not group:
        return
    row.group, row.parent = group, spec.total_label
    if spec.subset_rows and re.search(spec.subset_rows, key):
        above = [r for r in rows if r.group == group and not re.search(spec.subset_rows,
                                                                        header_key(r.label))]
        if above:
            row.parent = above[-1].label


def _status_rows(grid: PageGrid, corner: Cell, columns: Sequence[Column], spec: TableSpec,
                 anchor: Cell | None, block_start: str) -> list[_Row]:
    """Rows of a statuses table: one per status cell under the corner, all for one item
    (named by the profile, by the enclosing block, or by the cell right of the anchor)."""
    if spec.item == "block":
        item = _block_name(grid, corner.top, block_start)
    elif spec.item == "anchor" and anchor is not None:
        item = prose(_beside(grid, anchor)[:1])
    else:
        item = spec.item_label
    unit = spec.unit_text or _unit_beside(grid, anchor, spec.unit_label)
    rows = []
    for band in _bands(grid, corner.x0, corner.x1, corner.bottom):
        cells = [grid.at(c.x0, c.x1, band.top, band.bottom) for c in columns]
        if not item and all(cell is None or not cell.lines for cell in cells):
            continue
        rows.append(_Row(item, band.flat, [], cells, unit=unit or None,
                         parent=spec.parent_label, group=spec.group))
    return rows


def _unit_beside(grid: PageGrid, anchor: Cell | None, pattern: str) -> str:
    """The unit written right of a 単位 cell on the anchor's row, or ""."""
    if anchor is None or not pattern:
        return ""
    for cell in grid.find(pattern):
        if abs(cell.top - anchor.top) <= TOLERANCE:
            return prose(_beside(grid, cell)[:1])
    return ""


# --- generic guesses ---------------------------------------------------------------------

def _generic_kind(grid: PageGrid, spec: TableSpec, corner: Cell, columns: Sequence[Column],
                  rows: Sequence[_Row], vocabulary: GenericVocabulary) -> TableSpec:
    """Decide cost or indicator, the unit and the indicator kind from the table's words."""
    right = columns[-1].x1 if columns else corner.x1
    # The caption: text just above the table, printed freely or in a heading cell over it
    # (３令和５年度及び令和６年度の経費（千円）).
    caption = " ".join(
        [line.text for line in grid.free_lines
         if corner.top - _CAPTION_REACH <= line.top < corner.top
         and line.x1 > corner.x0 and line.x0 < right]
        + [cell.text for cell in grid.cells if abs(cell.bottom - corner.top) <= TOLERANCE
           and cell.x0 < right and cell.x1 > corner.x0])
    head = " ".join([corner.text, caption, spec.item_label, *(c.header for c in columns),
                     *(row.status_label for row in rows)])
    # A table of counts can have 決算 headers too (staff per year): most of its numbers then
    # carry a unit of their own that is not money (6.0人).
    parsed = [parse_value(cell.flat) for row in rows for cell in row.cells if cell]
    numbers = [p for p in parsed if p.value is not None]
    counted = [p for p in numbers if p.unit and "円" not in p.unit]
    cost = re.search(vocabulary.cost_words, header_key(head)) is not None \
        and len(counted) * 2 < max(len(numbers), 1)
    unit = _unit_in(head) or _unit_in(spec.item_label)
    kind = next((name for pattern, name in vocabulary.indicator_kinds
                 if re.search(pattern, header_key(head))), "")
    for row in rows:
        row.unit = row.unit or _unit_in(row.label) or unit or None
    return replace(spec, table="cost" if cost else "indicator", unit_text=unit,
                   indicator_kind="" if cost else kind)


def _unit_in(text: str) -> str:
    """A unit a caption or label states: 単位：千円, （千円）, (単位:人)."""
    key = header_key(text)
    match = re.search(r"単位[:：]([^)）\]】\s]+)", key) or \
        re.search(r"(千円|万円|百万円|億円)単位", key) or \
        re.search(r"[（(](千円|円|万円|百万円|億円|人|件|回|%)[)）]", key)
    return match.group(1) if match else ""


def _generic_parents(rows: list[_Row], vocabulary: GenericVocabulary) -> list[_Row]:
    """Parents from the label nesting inside a group (コスト, 収入): rows at a total's level
    break the total down, rows nested one level deeper (内訳 under 物件費) break down the
    row above them. Rows outside any group get no parent: nothing says what they add to."""
    totals = [r for r in rows if r.groups
              and re.search(vocabulary.total_rows, header_key(r.label))]
    for index, row in enumerate(rows):
        if row in totals or not row.groups:
            continue
        outer = row.groups[:1]
        total = next((t for t in totals if t.groups[:1] == outer
                      and len(t.groups) == len(row.groups)), None)
        if total is not None:
            row.parent = total.label
            continue
        shallower = [r for r in rows[:index] if r.groups[:1] == outer
                     and len(r.groups) < len(row.groups)]
        if shallower and any(t.groups[:1] == outer for t in totals):
            row.parent = shallower[-1].label
    return rows
