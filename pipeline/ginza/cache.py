"""Content-hash cache of parses: (model name==version, sha256 of the normalised text) → parse.

One SQLite file, ``<cache_dir>/parses.sqlite``, shared by every table, year and run of the
project (and safe for several processes: WAL journal, busy timeout). Only the process that
coordinates the nlp stage reads and writes it; workers, local or on a Dask cluster, never
need the folder. A parse is stored as soon as it is made, so an interrupted run keeps what
it did. Delete the folder to start over; entries of other model versions are never read.

With ``cache_dir: null`` the stage uses a throwaway cache in a temporary folder: identical
cells are still parsed once, nothing is kept.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

_SCHEMA = ("""
CREATE TABLE IF NOT EXISTS parses (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    parse BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID
""", """
CREATE TABLE IF NOT EXISTS normalized (
    textnorm TEXT NOT NULL,
    cell_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    PRIMARY KEY (textnorm, cell_hash)
) WITHOUT ROWID
""")


class ParseCache:
    """Parses of one model (``model_key``), keyed by the hash of the normalised text.

    A second table remembers which normalised text each original cell text gave under a
    version of :mod:`pipeline.text.textnorm` (``textnorm`` fingerprint), so that a rerun need not
    normalise cells it has seen; it never decides what a parse is.
    """

    def __init__(self, folder: str | Path, model_key: str, *, temporary: bool = False) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "parses.sqlite"
        self.model_key = model_key
        self.temporary = temporary
        self._db = sqlite3.connect(self.path, timeout=120, isolation_level="DEFERRED")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._db.commit()
        self._pending = 0

    def contains(self, hashes: Iterable[str]) -> set[str]:
        """Those of ``hashes`` that have a stored parse."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT text_hash FROM parses WHERE model = ? AND text_hash IN ({marks})",
                                    [self.model_key, *chunk])
            found.update(r[0] for r in rows)
        return found

    def normalized(self, textnorm: str, cell_hashes: Iterable[str]) -> dict[str, str]:
        """{cell hash: normalised text hash} of the cells seen under this ``textnorm``."""
        wanted = list(dict.fromkeys(cell_hashes))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT cell_hash, text_hash FROM normalized WHERE textnorm = ? "
                                    f"AND cell_hash IN ({marks})", [textnorm, *chunk])
            found.update(rows)
        return found

    def put_normalized(self, textnorm: str, pairs: Iterable[tuple[str, str]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO normalized (textnorm, cell_hash, text_hash) "
                             "VALUES (?, ?, ?)", [(textnorm, c, t) for c, t in pairs])
        self.commit()

    def get(self, text_hash: str) -> bytes:
        row = self._db.execute("SELECT parse FROM parses WHERE model = ? AND text_hash = ?",
                               (self.model_key, text_hash)).fetchone()
        if row is None:
            raise KeyError(f"no stored parse for text {text_hash[:12]}… ({self.model_key})")
        return bytes(row[0])

    def put(self, text_hash: str, parse: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO parses (model, text_hash, parse) VALUES (?, ?, ?)",
                         (self.model_key, text_hash, parse))
        self._pending += 1
        if self._pending >= 200:
            self.commit()

    def commit(self) -> None:
        self._db.commit()
        self._pending = 0

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM parses WHERE model = ?", (self.model_key,)).fetchone()[0]

    def close(self) -> None:
        self.commit()
        self._db.close()
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "ParseCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_cache(folder: str | Path | None, model_key: str) -> ParseCache:
    """The cache in ``folder``, or a throwaway one when ``folder`` is None."""
    if folder is None:
        return ParseCache(tempfile.mkdtemp(prefix="nlp-cache-"), model_key, temporary=True)
    return ParseCache(folder, model_key)
