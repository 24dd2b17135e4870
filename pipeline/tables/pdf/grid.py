"""One page as a set of ruled cells, each with the text of the characters inside it.

Why not pdfplumber's default table settings: they take every rectangle edge for a ruling,
and these sheets shade cells with filled rectangles whose edges then split and merge cells
wrongly. Here only real rulings count: stroked lines, thin filled rectangles (how most
generators draw a rule) and the outline of stroked rectangles and paths. Those go to
pdfplumber's table finder as explicit edges, which turns their intersections into cells,
including cells merged across rows or columns.

A merged cell can enclose a smaller one (その他 spans two rows and holds うち受益者負担 in its
lower half), so each character is given to the smallest cell that contains its centre, and a
cell's text is built from its own characters by position: lines by height, characters
left to right within a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pdfplumber.page import Page
from pdfplumber.table import TableFinder

from .model import Deadline, SheetLimits, Unreadable
from .periods import header_key
from .values import compact

#: A filled rectangle no thicker than this (points) is a ruling, not a shaded area.
RULE_THICKNESS = 2.5
#: A ruling, after collinear pieces closer than TOLERANCE are joined, is at least this long;
#: shorter ones are tick marks or dots.
MIN_RULE_LENGTH = 3.0
#: Pieces shorter than this are dropped before joining. Dotted rulings are drawn as rows of
#: dashes about 2 points long, so pieces are kept from 1 point and joined into one ruling.
MIN_PIECE_LENGTH = 1.0
#: Positions closer than this (points) are the same line, in rulings and in cell edges.
TOLERANCE = 3.0
#: How often (in characters) the per-character loop looks at the clock.
_CLOCK_EVERY = 2000
#: Height (points) of the bands that index cells by position.
_BAND = 20.0
_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
    "snap_tolerance": TOLERANCE, "join_tolerance": TOLERANCE,
    "intersection_tolerance": TOLERANCE, "edge_min_length": MIN_RULE_LENGTH,
}


@dataclass(frozen=True)
class Cell:
    """A ruled cell: its box in page points (top-down) and the text lines inside it."""

    x0: float
    top: float
    x1: float
    bottom: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The lines as read, joined by newlines."""
        return "\n".join(self.lines)

    @property
    def flat(self) -> str:
        """The text without layout: wrapped lines joined, justification spaces dropped."""
        return compact(self.text)

    @property
    def key(self) -> str:
        """NFKC text without whitespace: what labels and header words are matched against."""
        return header_key(self.text)

    @property
    def height(self) -> float:
        """Height in points."""
        return self.bottom - self.top



@dataclass(frozen=True)
class TextLine:
    """A line of text anywhere on the page, with the box of its characters."""

    top: float
    x0: float
    x1: float
    bottom: float
    text: str


@dataclass(frozen=True)
class PageGrid:
    """A page's cells, its text lines, and the lines that lie outside every cell."""

    number: int
    cells: tuple[Cell, ...]
    lines: tuple[TextLine, ...]
    free_lines: tuple[TextLine, ...]

    @property
    def text(self) -> str:
        """All text of the page, line by line (for form recognition and number patterns)."""
        return "\n".join(line.text for line in self.lines)

    def find(self, pattern: str) -> list[Cell]:
        """Cells whose :attr:`Cell.key` the regex finds a match in, top to bottom."""
        regex = re.compile(pattern)
        return [cell for cell in self.cells if cell.lines and regex.search(cell.key)]

    def right_of(self, cell: Cell) -> list[Cell]:
        """The cells whose left edge is ``cell``'s right edge, beside it, top to bottom."""
        return [other for other in self.cells
                if abs(other.x0 - cell.x1) <= TOLERANCE and _overlap(other.top, other.bottom,
                                                                    cell.top, cell.bottom)]

    def below(self, cell: Cell) -> list[Cell]:
        """The cells whose top edge is ``cell``'s bottom edge, under it, left to right."""
        found = [other for other in self.cells
                 if abs(other.top - cell.bottom) <= TOLERANCE and _overlap(other.x0, other.x1,
                                                                         cell.x0, cell.x1)]
        return sorted(found, key=lambda c: c.x0)

    def right_of_line(self, line: TextLine) -> list[Cell]:
        """The nearest cell right of a free text line, on its height (a label printed
        outside the grid, such as 所管局 beside a boxed 環境政策局)."""
        found = [cell for cell in self.cells if cell.x0 >= line.x1 - TOLERANCE
                 and _overlap(cell.top, cell.bottom, line.top, line.bottom)]
        return sorted(found, key=lambda c: c.x0)[:1]

    def at(self, x0: float, x1: float, top: float, bottom: float) -> Cell | None:
        """The cell spanning exactly columns ``x0..x1`` that contains the band's middle."""
        middle = (top + bottom) / 2
        for cell in self.cells:
            if abs(cell.x0 - x0) <= TOLERANCE and abs(cell.x1 - x1) <= TOLERANCE \
                    and cell.top - TOLERANCE <= middle <= cell.bottom + TOLERANCE:
                return cell
        return None

    def overlapping(self, x0: float, x1: float, top: float, bottom: float) -> list[Cell]:
        """Cells inside columns ``x0..x1`` that cover the band's middle, left to right."""
        middle = (top + bottom) / 2
        found = [cell for cell in self.cells
                 if cell.x0 >= x0 - TOLERANCE and cell.x1 <= x1 + TOLERANCE
                 and cell.top < middle < cell.bottom]
        return sorted(found, key=lambda c: c.x0)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> bool:
    """True when the two spans share more than half of the shorter one."""
    shared = min(a1, b1) - max(a0, b0)
    return shared > 0.5 * min(a1 - a0, b1 - b0)


def read_grid(page: Page, number: int, limits: SheetLimits, deadline: Deadline) -> PageGrid:
    """Build the :class:`PageGrid` of one pdfplumber page.

    Raises :class:`Unreadable` for a page without a text layer, a cell holding more than
    ``limits.max_chars_per_cell`` characters, or when the sheet's time runs out.
    """
    chars = dedupe([ch for ch in page.chars if ch.get("text")])
    if not any(ch["text"].strip() for ch in chars):
        raise Unreadable("page has no text layer (scanned image or drawing only): "
                         "nothing to read without OCR", number)
    deadline.check(number)
    edges = list(ruling_edges(page))
    boxes = _cell_boxes(page, edges)
    deadline.check(number)
    owners = _assign(chars, boxes, number, deadline)
    cells = []
    for box, owned in zip(boxes, owners[:-1]):
        if len(owned) > limits.max_chars_per_cell:
            raise Unreadable(f"a cell at ({box[0]:.0f}, {box[1]:.0f}) holds {len(owned)} "
                             f"characters, over max_chars_per_cell "
                             f"({limits.max_chars_per_cell})", number)
        cells.append(Cell(*box, lines=tuple(line.text for line in text_lines(owned))))
    if len(owners[-1]) > limits.max_chars_per_cell:
        raise Unreadable(f"{len(owners[-1])} characters outside any cell, over "
                         f"max_chars_per_cell ({limits.max_chars_per_cell})", number)
    return PageGrid(number, tuple(cells), tuple(text_lines(chars)),
                    tuple(text_lines(owners[-1], split_gap=3.0)))


def ruling_edges(page: Page) -> Iterator[dict[str, Any]]:
    """The page's rulings as pdfplumber edges: lines, thin rectangles, stroked outlines.

    A filled rectangle thicker than :data:`RULE_THICKNESS` without a stroke is shading and
    gives no edge; diagonal lines (the strike-through of a cell that does not apply) neither.
    """
    for line in page.lines:
        yield from _segment(line["x0"], line["top"], line["x1"], line["bottom"])
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        if bottom - top <= RULE_THICKNESS or x1 - x0 <= RULE_THICKNESS:
            middle_y, middle_x = (top + bottom) / 2, (x0 + x1) / 2
            if x1 - x0 >= bottom - top:
                yield from _segment(x0, middle_y, x1, middle_y)
            else:
                yield from _segment(middle_x, top, middle_x, bottom)
        elif rect.get("stroke"):
            for a, b in (((x0, top), (x1, top)), ((x0, bottom), (x1, bottom)),
                         ((x0, top), (x0, bottom)), ((x1, top), (x1, bottom))):
                yield from _segment(a[0], a[1], b[0], b[1])
    for curve in page.curves:
        if curve.get("stroke"):
            points = curve.get("pts") or []
            for (ax, ay), (bx, by) in pairwise(points):
                yield from _segment(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _segment(x0: float, top: float, x1: float, bottom: float) -> Iterator[dict[str, Any]]:
    """One horizontal or vertical edge for an axis-aligned segment; nothing otherwise."""
    if abs(bottom - top) < 1 and x1 - x0 >= MIN_PIECE_LENGTH:
        y = (top + bottom) / 2
        yield {"object_type": "line_edge", "orientation": "h", "x0": x0, "x1": x1,
               "top": y, "bottom": y, "width": x1 - x0, "height": 0.0}
    elif abs(x1 - x0) < 1 and bottom - top >= MIN_PIECE_LENGTH:
        x = (x0 + x1) / 2
        yield {"object_type": "line_edge", "orientation": "v", "x0": x, "x1": x,
               "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top}


def _cell_boxes(page: Page, edges: list[dict[str, Any]]) -> list[tuple[float, float, float, float]]:
    """Cell boxes (x0, top, x1, bottom) from the explicit edges, each once, smallest first."""
    if not edges:
        return []
    settings = dict(_TABLE_SETTINGS,
                    explicit_vertical_lines=[e for e in edges if e["orientation"] == "v"],
                    explicit_horizontal_lines=[e for e in edges if e["orientation"] == "h"])
    # The finder's cells, not its tables: it drops "tables" of one cell, and a lone ruled
    # box (a sheet number, a remarks box) is a cell too.
    seen: dict[tuple[int, int, int, int], tuple[float, float, float, float]] = {}
    for box in TableFinder(page, settings).cells:
        seen.setdefault(tuple(round(v) for v in box), box)  # type: ignore[arg-type]
    return sorted(seen.values(), key=lambda b: ((b[2] - b[0]) * (b[3] - b[1]), b[1], b[0]))


def dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The characters without the copies that fake bold: some generators print a glyph
    twice, a fraction of a point apart (【【事事業業 → 【事業). A character is dropped when
    one with the same text was kept less than a point away in both directions.

    pdfplumber's ``dedupe_chars`` does the same but costs as much as parsing the page.
    """
    kept: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    out = []
    for ch in chars:
        x, y = int(ch["x0"]), int(ch["top"])
        near = (kept.get((ch["text"], x + dx, y + dy), ()) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        if any(abs(o["x0"] - ch["x0"]) < 1 and abs(o["top"] - ch["top"]) < 1
               for group in near for o in group):
            continue
        kept.setdefault((ch["text"], x, y), []).append(ch)
        out.append(ch)
    return out


def _assign(chars: list[dict[str, Any]], boxes: list[tuple[float, float, float, float]],
            number: int, deadline: Deadline) -> list[list[dict[str, Any]]]:
    """Each box's characters (the smallest box holding a character's centre wins); the last
    list holds the characters outside every box. Boxes are indexed by horizontal bands of
    :data:`_BAND` points so that each character is tested against a few boxes only."""
    bands: dict[int, list[int]] = {}
    for index, (_, top, _, bottom) in enumerate(boxes):  # boxes come smallest first
        for band in range(int(top // _BAND), int(bottom // _BAND) + 1):
            bands.setdefault(band, []).append(index)
    owners: list[list[dict[str, Any]]] = [[] for _ in range(len(boxes) + 1)]
    for count, ch in enumerate(chars):
        if count % _CLOCK_EVERY == 0:
            deadline.check(number)
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        owner = len(boxes)
        for index in bands.get(int(cy // _BAND), ()):
            x0, top, x1, bottom = boxes[index]
            if x0 <= cx <= x1 and top <= cy <= bottom:
                owner = index
                break
        owners[owner].append(ch)
    return owners


def text_lines(chars: Iterable[dict[str, Any]], split_gap: float | None = None) -> list[TextLine]:
    """Group characters into lines by height, each line read left to right.

    A character joins the current line while its vertical centre lies within half a
    character height of the line's; a horizontal gap wider than half a character becomes a
    space (the text layer of these sheets often has no space glyphs). With ``split_gap``,
    a gap wider than that many characters splits the line in two: text outside the grid
    puts separate captions side by side ((4)事業費等 … (5)事業の成果指標).
    """
    ordered = sorted(chars, key=lambda ch: ((ch["top"] + ch["bottom"]) / 2, ch["x0"]))
    groups: list[list[dict[str, Any]]] = []
    centre = 0.0
    for ch in ordered:
        middle = (ch["top"] + ch["bottom"]) / 2
        if groups and abs(middle - centre) <= 0.5 * max(ch["bottom"] - ch["top"], 1.0):
            groups[-1].append(ch)
        else:
            groups.append([ch])
            centre = middle
    if split_gap is not None:
        groups = [part for group in groups for part in _split(group, split_gap)]
    lines = []
    for group in groups:
        group.sort(key=lambda ch: ch["x0"])
        parts = [group[0]["text"]]
        for previous, ch in pairwise(group):
            if ch["x0"] - previous["x1"] > 0.5 * ch.get("size", 10.0):
                parts.append(" ")
            parts.append(ch["text"])
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        if text:
            lines.append(TextLine(min(ch["top"] for ch in group), group[0]["x0"],
                                  max(ch["x1"] for ch in group),
                                  max(ch["bottom"] for ch in group), text))
    return lines


def _split(group: list[dict[str, Any]], gap: float) -> list[list[dict[str, Any]]]:
    """A line's characters cut wherever the gap exceeds ``gap`` character sizes."""
    parts: list[list[dict[str, Any]]] = []
    for ch in sorted(group, key=lambda c: c["x0"]):
        if parts and ch["x0"] - parts[-1][-1]["x1"] > gap * ch.get("size", 10.0):
            parts.append([ch])
        elif parts:
            parts[-1].append(ch)
        else:
            parts.append([ch])
    return parts
