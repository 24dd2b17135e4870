"""Atomic, deterministic file writing: a killed run never leaves half a table behind.

Every output goes to a temporary file in the target folder and is renamed into place, so
DVC only ever caches complete files. CSV is written with ``\\n`` line ends and a fixed
float format so that the same frame gives the same bytes on every run; a frame with a
carriage return in a cell has every cell quoted, so that the row does not end there.

CSV meant for Excel is also safe to open: a spreadsheet runs a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(…)``, ``=cmd|…``), and some strip a leading
tab or carriage return first. Such text cells get a leading ``'`` (the OWASP convention
against CSV injection); the pipeline's own CSVs keep the text exactly as read.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it over ``path`` on success."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files owner-only; outputs are for sharing
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_text(path: str | os.PathLike[str], write: Callable[[IO[str]], None], encoding: str) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding=encoding, newline="") as fh:
        write(fh)


#: First characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(df: pd.DataFrame, numeric_columns: Collection[str] = ()) -> pd.DataFrame:
    """``df`` with a ``'`` before every text cell a spreadsheet would run as a formula.

    ``numeric_columns`` hold numbers written as text (``-3`` is a number there, not a formula)
    and are left as they are; so is every value that is not a ``str``.
    """
    out = df.copy()
    for col in out.columns:
        if col in numeric_columns:
            continue
        out[col] = out[col].map(
            lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, excel: bool = False,
              numeric_columns: Collection[str] = ()) -> None:
    """CSV in UTF-8. ``excel`` adds the BOM that Excel needs to show Japanese and makes the
    file safe to open there (:func:`formula_safe`; ``numeric_columns`` are not text)."""
    if excel:
        df = formula_safe(df, numeric_columns)
    # Python's csv (3.11) leaves a cell with a bare \r unquoted, and every reader ends the row
    # there; such a frame has all its cells quoted, the others keep the minimal quoting.
    quoting = csv.QUOTE_ALL if _has_carriage_return(df) else csv.QUOTE_MINIMAL
    _write_text(path, lambda fh: df.to_csv(fh, index=False, lineterminator="\n", quoting=quoting),
                "utf-8-sig" if excel else "utf-8")


def _has_carriage_return(df: pd.DataFrame) -> bool:
    """Whether a text cell holds a \\r (a table cell may: the reader keeps text as written)."""
    return any(isinstance(v, str) and "\r" in v
               for col in df.columns if not pd.api.types.is_numeric_dtype(df[col]) for v in df[col])


def write_json(data: Any, path: str | os.PathLike[str]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _write_text(path, lambda fh: fh.write(text), "utf-8")


def write_text(text: str, path: str | os.PathLike[str]) -> None:
    _write_text(path, lambda fh: fh.write(text), "utf-8")


def write_bytes(data: bytes, path: str | os.PathLike[str]) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)


def write_parquet(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow")


def read_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`, every column as text (ids keep leading zeros)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
