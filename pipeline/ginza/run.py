"""The nlp stage's work: GiNZA over every distinct non-empty text cell, stored as DocBins.

Documents are parsed from the normalised text (see :mod:`pipeline.text.textnorm`) and carry
their cell key in ``user_data``, so the extract stage can rebuild the offset map from the
original cell and never parses anything again. Each distinct text is parsed once: cells are
keyed by the hash of their normalised text, and a content-hash cache (:mod:`pipeline.ginza.cache`)
keeps every parse across runs and years, so a rerun parses only text it has never seen.
"""


from __future__ import annotations

import hashlib
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core.config import FIELDS
from pipeline.core.progress import progress
from pipeline.ginza.backends import make_backend
from pipeline.ginza.cache import open_cache
from pipeline.ginza.docstore import ShardWriter
from pipeline.ginza.model import CellKey, NlpSettings
from pipeline.tables import files
from pipeline.text import textnorm
from pipeline.text.textnorm import normalize

# --------------------------------------------------------------------------- cells


def cells(projects: pd.DataFrame) -> Iterator[tuple[CellKey, str]]:
    """Every non-empty text cell in table order."""
    for row in projects.itertuples(index=False):
        for field_name in FIELDS:
            text = getattr(row, field_name)
            if isinstance(text, str) and text.strip():
                yield (str(row.project_id), field_name), text


def text_hash(text: str) -> str:
    """The cache key of a normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- the stage


@dataclass
class NlpStats:
    """What one run of the stage did; ``hit``/``miss`` count cells, ``*_chars`` their text."""

    cells: int = 0
    chars: int = 0
    distinct: int = 0
    distinct_chars: int = 0
    parsed: int = 0
    parsed_chars: int = 0
    cell_hits: int = 0
    cell_hit_chars: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def hit_rate(self) -> float:
        return self.cell_hits / self.cells if self.cells else 0.0

    @property
    def char_hit_rate(self) -> float:
        return self.cell_hit_chars / self.chars if self.chars else 0.0

    def summary(self) -> str:
        return (f"{self.cells} cells ({self.chars} chars), {self.distinct} distinct; parsed "
                f"{self.parsed} texts ({self.parsed_chars} chars); cache hits {self.cell_hits} "
                f"cells = {self.hit_rate:.1%} ({self.char_hit_rate:.1%} of chars)")


def textnorm_fingerprint() -> str:
    """Identifies what :func:`pipeline.textnorm.normalize` computes: its source and Unicode data."""
    source = Path(textnorm.__file__).read_bytes()
    return hashlib.sha256(source + unicodedata.unidata_version.encode()).hexdigest()[:16]


def run_nlp(items: Sequence[tuple[CellKey, str]], out: str | Path, settings: NlpSettings,
            cache: Any | None = None, backend: Any | None = None) -> NlpStats:
    """Cells → ``out`` (sharded docs file): parse every distinct normalised text the cache
    lacks, then write every cell's parse in table order. ``cache``/``backend`` default to
    the settings' (a cache passed in stays open; a backend passed in is not closed)."""
    stats = NlpStats()
    t0 = time.perf_counter()
    own_cache = cache is None
    if own_cache:
        cache = open_cache(settings.cache_path(), settings.model_key)
    try:
        # cell text → normalised text hash; normalise only cells this textnorm has not seen
        fingerprint = textnorm_fingerprint()
        cell_hashes = [text_hash(original) for _key, original in items]
        known = cache.normalized(fingerprint, cell_hashes)
        texts: dict[str, str] = {}  # normalised text hash → text, for texts to parse
        new_pairs: list[tuple[str, str]] = []
        keyed: list[tuple[CellKey, str]] = []  # (cell key, normalised text hash) in table order
        distinct: dict[str, int] = {}
        for (key, original), cell_hash in zip(items, cell_hashes):
            digest = known.get(cell_hash)
            if digest is None:
                text = normalize(original).text
                digest = text_hash(text)
                known[cell_hash] = digest
                new_pairs.append((cell_hash, digest))
                texts.setdefault(digest, text)
            keyed.append((key, digest))
            distinct.setdefault(digest, len(original))
            stats.cells += 1
            stats.chars += len(original)
        stats.distinct = len(distinct)
        stats.distinct_chars = sum(distinct.values())
        have = cache.contains(distinct)
        for (_key, digest), (_k, original) in zip(keyed, items):
            if digest in have:
                stats.cell_hits += 1
                stats.cell_hit_chars += len(original)
        missing = {h: t for h, t in texts.items() if h not in have}
        unparsed = {h for h in distinct if h not in have and h not in missing}
        if unparsed:  # known cell texts whose parse is gone (other model version, pruned cache)
            for (key, original), cell_hash in zip(items, cell_hashes):
                digest = known[cell_hash]
                if digest in unparsed and digest not in missing:
                    missing[digest] = normalize(original).text
        stats.seconds["prepare"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        if missing:
            owns_backend = backend is None
            if owns_backend:
                backend = make_backend(settings, sum(len(t) for t in missing.values()))
            try:
                bar = progress(sum(len(t) for t in missing.values()), "char", "GiNZA",
                               unit_scale=True)
                for digest, parsed, chars in backend.parse(missing):
                    cache.put(digest, parsed)
                    stats.parsed += 1
                    stats.parsed_chars += chars
                    bar.update(chars)
                bar.close()
            finally:
                if owns_backend:
                    backend.close()
            cache.commit()
        if new_pairs:  # only once their parses are stored
            cache.put_normalized(fingerprint, new_pairs)
        stats.seconds["parse"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        with files.atomic_path(out) as tmp, open(tmp, "wb") as fh:
            writer = ShardWriter(fh, len(keyed), settings.shard_size)
            bar = progress(len(keyed), "cell", "write")
            for key, digest in keyed:
                writer.add(cache.get(digest), {"cell": list(key)})
                bar.update(1)
            writer.close()
            bar.close()
        stats.seconds["write"] = time.perf_counter() - t2
    finally:
        if own_cache:
            cache.close()
    return stats


def nlp_stage(projects_csv: str | Path, docs_out: str | Path, settings: NlpSettings) -> NlpStats:
    """The nlp stage: ``projects.csv`` → ``docs.spacy`` (what ``python -m pipeline nlp`` runs)."""
    items = list(cells(files.read_csv(projects_csv)))
    return run_nlp(items, docs_out, settings)
