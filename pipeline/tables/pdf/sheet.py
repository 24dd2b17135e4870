"""Reading one sheet file: checks before parsing, pages one at a time, then the form.

Everything that can go wrong with a file ends here as a quarantine row, never as an
exception: the caller reads hundreds of files published by others, and one broken file
must not stop the rest. Checks that need no parsing come first (size, the %PDF- header,
the %%EOF trailer of a complete file), then the declared page count, then the pages, each
bounded by the sheet's deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page
from pdfplumber.pdf import PDF

from .forms import read_project
from .grid import PageGrid, read_grid
from .model import Deadline, OutOfTime, SheetLimits, Unreadable
from .profiles import GENERIC, FormProfile, load_generic, load_profiles, profile_named

#: How far from the start a PDF header may be, and from the end its %%EOF (as readers allow).
_HEADER_REACH = 1024
_TRAILER_REACH = 1024


def read_sheet(path: Path, form: str | None, limits: SheetLimits) -> dict[str, Any]:
    """Read one sheet; a dict of projects, figures, quarantine rows, pages read and form.

    Page-level problems (no text layer, an over-long cell) quarantine that page and the
    other pages are still read; sheet-level ones (size, not a PDF, truncated, too many
    pages, out of time, a parser failure) quarantine the sheet and return nothing else.
    """
    result: dict[str, Any] = {"projects": [], "figures": [], "quarantine": [], "pages": 0,
                              "form": ""}
    deadline = Deadline(limits.max_seconds_per_sheet)
    try:
        _precheck(path, limits)
        grids, problems, pages = _read_pages(path, limits, deadline)
        result["pages"] = pages
        result["quarantine"].extend(_row(path, p.page, p.reason) for p in problems)
        if grids:
            profile = _choose(form, grids[0])
            reading = read_project(path, grids, profile, load_generic())
            deadline.check()
            result.update(projects=[reading.project], figures=reading.figures,
                          form=profile.name if profile else GENERIC)
    except Unreadable as problem:
        result.update(projects=[], figures=[],
                      quarantine=[_row(path, problem.page, problem.reason)])
    except Exception as error:  # noqa: BLE001 - pdfminer raises many types on malformed files
        result.update(projects=[], figures=[],
                      quarantine=[_row(path, "", _failure(error, limits))])
    return result


def _failure(error: Exception, limits: SheetLimits) -> str:
    """The quarantine reason for an exception out of the parser.

    pdfminer wraps what went wrong in its own exception types, so the chain is searched:
    a failed allocation (MemoryError, zlib's "Unable to allocate output buffer") means the
    file inflates past ``max_memory_bytes``; a RecursionError means nesting too deep.
    """
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, MemoryError) or "allocate" in str(seen):
            return (f"ran out of memory (max_memory_bytes {limits.max_memory_bytes}): a "
                    f"compressed stream or object inflates beyond it")
        if isinstance(seen, RecursionError):
            return "objects nested too deeply to parse (Python's recursion limit)"
        seen = seen.__cause__ or seen.__context__
    return f"PDF parser failed: {type(error).__name__}: {str(error)[:200]}"


def _row(path: Path, page: int | str, reason: str) -> dict[str, Any]:
    """A quarantine row."""
    return {"source_file": str(path), "page": page, "reason": reason}


def _precheck(path: Path, limits: SheetLimits) -> None:
    """Refuse, without parsing, files that are too big, not PDFs, or cut short."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise Unreadable(f"file is {size} bytes, over max_file_bytes ({limits.max_file_bytes})")
    if size == 0:
        raise Unreadable("file is empty")
    with path.open("rb") as fh:
        head = fh.read(_HEADER_REACH)
        fh.seek(max(0, size - _TRAILER_REACH))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise Unreadable("not a PDF: no %PDF- header in the first 1 KiB "
                         f"(starts with {head[:16]!r})")
    if b"%%EOF" not in tail:
        raise Unreadable("truncated PDF: no %%EOF marker in the last 1 KiB, so the file was "
                         "cut short (an incomplete download or copy)")


def _read_pages(path: Path, limits: SheetLimits,
                deadline: Deadline) -> tuple[list[PageGrid], list[Unreadable], int]:
    """The grids of the readable pages, the page problems, and the number of pages."""
    grids: list[PageGrid] = []
    problems: list[Unreadable] = []
    number = 0
    with path.open("rb") as stream:
        pdf = PDF(stream, stream_is_external=True, path=path)
        declared = _declared_pages(pdf)
        if declared > limits.max_pages_per_sheet:
            raise Unreadable(f"declares {declared} pages, over max_pages_per_sheet "
                             f"({limits.max_pages_per_sheet})")
        for number, page in enumerate(_pages(pdf), start=1):
            if number > limits.max_pages_per_sheet:
                raise Unreadable(f"has more than max_pages_per_sheet "
                                 f"({limits.max_pages_per_sheet}) pages")
            deadline.check(number)
            try:
                grids.append(read_grid(page, number, limits, deadline))
            except OutOfTime:
                raise
            except Unreadable as problem:
                problems.append(problem)
            finally:
                page.close()
    if number == 0:
        raise Unreadable("PDF has no pages")
    return grids, problems, number


def _declared_pages(pdf: PDF) -> int:
    """The page count the page tree declares (/Count), 0 when it declares none.

    Checked before walking the tree, so that a file claiming a billion pages is refused at
    once; the walk itself also stops past the limit, for files whose /Count lies.
    """
    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else 0
    except Exception:  # noqa: BLE001 - a malformed tree: the page walk decides
        return 0
    return count if isinstance(count, int) else 0


def _pages(pdf: PDF) -> Iterator[Page]:
    """pdfplumber pages one at a time (pdfplumber's ``pdf.pages`` builds all of them first)."""
    doctop = 0.0
    for number, page_object in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        page = Page(pdf, page_object, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page


def _choose(form: str | None, first: PageGrid) -> FormProfile | None:
    """The profile asked for, or the first whose words are on the first page; None for
    the generic mode."""
    if form == GENERIC:
        return None
    if form is not None:
        return profile_named(form)
    return next((p for p in load_profiles() if p.matches(first.text)), None)
