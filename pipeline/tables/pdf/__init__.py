"""Reader for the PDF evaluation sheets (事務事業評価シート) that Japanese cities publish.

One PDF is one sheet: one project, its text fields, and the figures of its tables (the
indicator table and the cost table). A form profile (``pipeline/resources/forms/*.yaml``)
says where a form keeps each field and table; a sheet that no profile recognises is read in
a generic mode that looks for labels from a vocabulary and for tables by their year
headers. Whatever cannot be read is quarantined with its reason, never raised::

    from pipeline.tables.pdf import expand_inputs, read_sheets
    reading = read_sheets(expand_inputs("data/raw/sheets"))  # every PDF under the folder
    reading.projects, reading.figures, reading.quarantine, reading.summary

Besides pdfplumber and PyYAML it uses only the text fold of :mod:`pipeline.text.fold` (headers
compare like every other name); :mod:`pipeline.tables.sheets` wires it into the parse stage.
"""

from __future__ import annotations

import glob
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import TEXT_FIELDS, SheetLimits, SheetReading
from .profiles import GENERIC, form_names, profile_named
from .runner import SheetRunner

__all__ = ["SheetLimits", "SheetReading", "expand_inputs", "form_names", "read_sheets"]

#: The limits used when the caller names none (SheetLimits is frozen, so one is shared).
DEFAULT_LIMITS = SheetLimits()


def expand_inputs(spec: str | Path) -> list[Path]:
    """The PDF files that ``spec`` names: one file, a folder (every ``.pdf`` in it and in its
    subfolders: sheets are kept one folder per city) or a glob pattern (``data/**/*.pdf``);
    sorted. Raises FileNotFoundError when nothing matches, naming what was looked for."""
    text = str(spec)
    path = Path(text)
    if path.is_file():
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        if not found:
            raise FileNotFoundError(f"no .pdf files in the folder {text}")
        return found
    if glob.has_magic(text):
        found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not found:
            raise FileNotFoundError(f"no files match the pattern {text}")
        return found
    raise FileNotFoundError(f"no such PDF file or folder: {text}")


def read_sheets(paths: Sequence[Path], *, form: str | None = None,
                limits: SheetLimits = DEFAULT_LIMITS) -> SheetReading:
    """Read every sheet in ``paths`` (in order) into one :class:`SheetReading`.

    ``form`` names a profile to use for every sheet (see :func:`form_names`), or "generic"
    for the fallback mode; None recognises each sheet's form from its first page. An unknown
    ``form`` raises ValueError before any file is read; problems with files never raise.
    """
    if form is not None and form != GENERIC:
        profile_named(form)  # raises ProfileError (a ValueError) listing the known forms
    reading = SheetReading()
    forms: Counter[str] = Counter()
    pages = 0
    with SheetRunner(limits) as runner:
        for path in paths:
            result = runner.read(Path(path), form)
            reading.projects.extend(result["projects"])
            reading.figures.extend(result["figures"])
            reading.quarantine.extend(result["quarantine"])
            pages += result["pages"]
            if result["form"]:
                forms[result["form"]] += 1
    reading.summary = _summary(reading, len(paths), pages, forms)
    return reading


def _summary(reading: SheetReading, sheets: int, pages: int,
             forms: Counter[str]) -> dict[str, Any]:
    """Counts over the batch: what was read, what each field and form gave, what failed."""
    found = {name: sum(1 for p in reading.projects if p[name]) for name in TEXT_FIELDS}
    per_form: dict[str, dict[str, int]] = {}
    for name in sorted(forms):
        ids = {(p["source_file"]) for p in reading.projects if p["form"] == name}
        per_form[name] = {
            "sheets": forms[name],
            "projects": len(ids),
            "figures": sum(1 for f in reading.figures if f["file"] in ids),
            "indicator_rows": len({(f["file"], f["page"], f["table_index"], f["row"])
                                   for f in reading.figures
                                   if f["file"] in ids and f["table"] == "indicator"}),
        }
    return {
        "sheets": sheets,
        "pages": pages,
        "projects": len(reading.projects),
        "figures": len(reading.figures),
        "quarantined": len(reading.quarantine),
        "quarantined_sheets": len({q["source_file"] for q in reading.quarantine}),
        "fields_found": found,
        "fields_missing": {name: len(reading.projects) - n for name, n in found.items()},
        "forms": per_form,
    }
