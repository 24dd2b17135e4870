"""The reader's result and limit types, and the exception that quarantines a sheet or a page.

They live apart from the reading code so that the worker process, the parent process and
the form code share them without importing each other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

#: The text fields every project record carries ("" when the sheet has none).
TEXT_FIELDS = ("project_name", "division_name", "purpose", "overview", "outcome")


@dataclass(frozen=True)
class SheetLimits:
    """Bounds on what one sheet may cost; a sheet or page past any of them is quarantined.

    ``max_memory_bytes`` caps the address space of the worker process that reads a sheet
    (a compressed stream can inflate to gigabytes); ``isolate`` runs each sheet in that
    worker so that a parse stuck inside pdfminer can be killed after
    ``max_seconds_per_sheet`` (see :mod:`.runner`). With ``isolate=False`` sheets are read
    in-process: no memory cap, and only the checks between pages and cells bound the time.
    """

    max_pages_per_sheet: int = 20
    max_chars_per_cell: int = 100_000
    max_seconds_per_sheet: float = 60.0
    max_file_bytes: int = 50_000_000
    max_memory_bytes: int = 2_000_000_000
    isolate: bool = True


@dataclass
class SheetReading:
    """Everything read from a batch of sheets: projects, their figures, and what was refused."""

    projects: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


class Unreadable(Exception):
    """A sheet (``page`` "") or one page (1-based ``page``) that cannot be read, and why."""

    def __init__(self, reason: str, page: int | str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.page = page


class OutOfTime(Unreadable):
    """The sheet used up ``max_seconds_per_sheet``: the whole sheet is quarantined."""


class Deadline:
    """The time left for one sheet, checked between pages and between batches of cells."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()

    def check(self, page: int | str = "") -> None:
        """Raise :class:`OutOfTime` once the sheet has used up its time."""
        elapsed = time.monotonic() - self.start
        if elapsed > self.seconds:
            raise OutOfTime(f"reading took longer than max_seconds_per_sheet "
                             f"({self.seconds:g} s); stopped after {elapsed:.1f} s", page)
