"""Atomic, deterministic file writing: a killed run never leaves half a table behind.

Every output goes to a temporary file in the target folder and is renamed into place, so
DVC only ever caches complete files. CSV is written with ``\\n`` line ends and a fixed
float format so that the same frame gives the same bytes on every run.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
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


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, excel: bool = False) -> None:
    """CSV in UTF-8; ``excel`` adds the BOM that Excel needs to show Japanese."""
    _write_text(path, lambda fh: df.to_csv(fh, index=False, lineterminator="\n"),
                "utf-8-sig" if excel else "utf-8")


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
