"""The one expensive stage: GiNZA over every distinct non-empty text cell, stored as DocBins.

Documents are parsed from the normalised text (see :mod:`pipeline.textnorm`) and carry
their cell key in ``user_data``, so the extract stage can rebuild the offset map from the
original cell and never parses anything again.

How the stage stays fast without changing a single annotation:

- **Each distinct text is parsed once.** Cells are keyed by the hash of their normalised
  text; a content-hash cache (:mod:`pipeline.cache`) keeps every parse across runs and
  years, so a rerun parses only text it has never seen.
- **The transition loop keeps the GIL.** spaCy's greedy parser runs its loop in a
  ``nogil`` block, but with spacy 3.8.18's build every validity check of every action
  (``StateC.B_``) re-acquires the GIL: ja_ginza's NER has 758 actions, so half of the
  whole pipeline's time went into taking and dropping the GIL. :class:`Annotator` drives
  the same model through spaCy's own Python-level step model and ``transition_states``
  (the same score computation, the same validity checks and argmax, with the GIL held).
- **Annotations nothing reads are not computed.** Sudachi's split-mode A/B sub-tokens
  (only ``compound_splitter`` with a split mode reads them; ja_ginza's has none) and the
  bunsetu/clause tables of ``bunsetu_recognizer`` (kept: its one effect on tokens, removing
  the ``_bunsetu`` suffix from dependency labels).
- **Parallel workers** (:mod:`pipeline.backends`): local processes or a Dask cluster.

All of this is checked against plain ``nlp.pipe`` by tests/test_nlp.py and by the benchmark
(bench/run_bench.py), token attribute by attribute and output file by output file.

``docs.spacy`` is a sequence of DocBin shards (see :func:`write_docs`) so that neither
side holds a whole table's parses in memory; :func:`read_docs` streams it and also reads a
plain DocBin file.
"""

from __future__ import annotations

import copy
from collections import deque
import hashlib
import io as _io
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import numpy
import pandas as pd
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from pipeline.config import FIELDS, ROOT
from pipeline.textnorm import normalize

CellKey = tuple[str, str]  # (project_id, field)

#: Bump when the bytes stored per parse change meaning, so old cache entries are not reused.
CACHE_FORMAT = "docbin-1"
#: First bytes of a sharded docs file; a plain DocBin starts with a zlib header instead.
SHARD_MAGIC = b"JJDOCS\x00\x01"
_COUNT = struct.Struct("<Q")
_FRAME = struct.Struct("<Q")


class ModelMismatch(RuntimeError):
    """The installed GiNZA model is not the one ``params.yaml`` pins."""


def check_model(name: str, version: str) -> None:
    """Stop unless the installed model package is the version ``params.yaml`` pins."""
    package = name.replace("_", "-")
    try:
        installed = metadata.version(package)
    except metadata.PackageNotFoundError as exc:
        raise ModelMismatch(f"model package {package} is not installed; run `make install` "
                            f"(params.yaml nlp.model = {name})") from exc
    if installed != version:
        raise ModelMismatch(f"installed {package} is {installed}, but params.yaml nlp.model_version "
                            f"pins {version}; install {package}=={version} or update params.yaml")


def load_model(name: str, version: str) -> Language:
    """Load the pinned model from its installed package; never downloads anything."""
    check_model(name, version)
    return spacy.load(name)


def progress(total: float | None, unit: str, desc: str, **kwargs: Any) -> tqdm:
    """A progress bar with rate and ETA on a terminal, silent when stderr is not one."""
    return tqdm(total=total, unit=unit, desc=desc, disable=not sys.stderr.isatty(),
                dynamic_ncols=True, smoothing=0.05, **kwargs)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class NlpSettings:
    """The ``nlp`` section of params.yaml (see the comments there)."""

    model: str = "ja_ginza"
    model_version: str = "5.3.0"
    batch_size: int = 64
    batch_chars: int = 4000
    fast: bool = True
    backend: str = "local"
    workers: int = 2
    dask_scheduler: str | None = None
    task_chars: int = 10000
    parallel_min_chars: int = 30000
    cache_dir: str | None = ".cache/nlp"
    shard_size: int = 500

    @classmethod
    def from_params(cls, params: dict[str, Any], **overrides: Any) -> "NlpSettings":
        unknown = sorted(set(params) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"params.yaml nlp has unknown keys {', '.join(unknown)}; known: "
                             f"{', '.join(cls.__dataclass_fields__)}")
        values = dict(params)
        values["model_version"] = str(values.get("model_version", cls.model_version))
        values.update(overrides)
        settings = cls(**values)
        if settings.backend not in ("local", "dask"):
            raise ValueError(f"params.yaml nlp.backend must be local or dask, not {settings.backend!r}")
        return settings

    @property
    def model_key(self) -> str:
        """What a stored parse depends on besides its text."""
        return f"{self.model}=={self.model_version};{CACHE_FORMAT}"

    def cache_path(self) -> Path | None:
        if not self.cache_dir:
            return None
        path = Path(self.cache_dir)
        return path if path.is_absolute() else ROOT / path


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


# --------------------------------------------------------------------------- annotation


def _is_transition_parser(proc: object) -> bool:
    from spacy.pipeline.transition_parser import Parser

    return isinstance(proc, Parser) and proc.cfg.get("beam_width", 1) == 1


def _greedy_states(pipe: Any, docs: list[Doc]) -> list[Any]:
    """``Parser.greedy_parse`` with the GIL held: spaCy's step model scores the states and
    ``transition_states`` applies the best valid action, exactly as the nogil loop does."""
    if not any(len(doc) for doc in docs):
        return pipe.moves.init_batch(docs)
    pipe._ensure_labels_are_added(docs)
    batch = pipe.moves.init_batch(docs)
    step = pipe.model.predict(docs)
    states = [state for state in batch if not state.is_final()]
    while states:
        scores = step.predict(states)
        states = pipe.transition_states(states, scores)
    step.clear_memory()
    return batch


class Annotator:
    """Runs a loaded pipeline over texts, giving each Doc the annotations ``nlp.pipe``
    gives it (token attributes, heads, labels, entities, sentence starts).

    With ``fast`` (the default) the transition components run through :func:`_greedy_states`
    and the annotations no output reads are skipped (see the module docstring); the loaded
    ``nlp`` object is never modified. With ``fast=False`` it is plain ``nlp.pipe``.
    """

    def __init__(self, nlp: Language, *, fast: bool = True, batch_size: int = 64,
                 batch_chars: int = 4000) -> None:
        self.nlp = nlp
        self.fast = fast
        self.batch_size = max(1, int(batch_size))
        self.batch_chars = max(1, int(batch_chars))
        self.tokenizer = nlp.tokenizer
        self.steps: list[tuple[str, Callable[[list[Doc]], list[Doc]]]] = []
        if fast:
            self._plan()

    def _plan(self) -> None:
        needs_subtokens = False
        for name, proc in self.nlp.pipeline:
            kind = type(proc).__name__
            if kind == "CompoundSplitter":
                if getattr(proc, "split_mode", None) is None:
                    continue  # returns every doc unchanged
                needs_subtokens = True
                self.steps.append((name, self._call_each(proc)))
            elif kind == "BunsetuRecognizer" and not getattr(proc, "remain_bunsetu_suffix", True):
                self.steps.append((name, _strip_bunsetu_suffix))
            elif _is_transition_parser(proc):
                self.steps.append((name, self._parse_with(proc)))
            elif hasattr(proc, "pipe"):
                self.steps.append((name, self._pipe_with(proc)))
            else:
                self.steps.append((name, self._call_each(proc)))
        if not needs_subtokens and getattr(self.tokenizer, "need_subtokens", False):
            self.tokenizer = copy.copy(self.tokenizer)
            self.tokenizer.need_subtokens = False

    @staticmethod
    def _call_each(proc: Callable[[Doc], Doc]) -> Callable[[list[Doc]], list[Doc]]:
        return lambda docs: [proc(doc) for doc in docs]

    @staticmethod
    def _pipe_with(proc: Any) -> Callable[[list[Doc]], list[Doc]]:
        return lambda docs: list(proc.pipe(docs, batch_size=max(1, len(docs))))

    @staticmethod
    def _parse_with(proc: Any) -> Callable[[list[Doc]], list[Doc]]:
        def run(docs: list[Doc]) -> list[Doc]:
            by_length = sorted(docs, key=len)
            proc.set_annotations(by_length, _greedy_states(proc, by_length))
            return docs
        return run

    def batches(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """Consecutive texts, at most ``batch_size`` of them and about ``batch_chars`` chars."""
        batch: list[str] = []
        chars = 0
        for text in texts:
            if batch and (len(batch) >= self.batch_size or chars + len(text) > self.batch_chars):
                yield batch
                batch, chars = [], 0
            batch.append(text)
            chars += len(text)
        if batch:
            yield batch

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        """One Doc per text, in order; a text too long for Sudachi is parsed in pieces and joined."""
        counts: deque[int] = deque()

        def pieces() -> Iterator[str]:
            for text in texts:
                parts = split_long_text(text, MAX_TEXT_BYTES)
                counts.append(len(parts))
                yield from parts

        docs = self._pipe_pieces(pieces())
        for first in docs:
            n = counts.popleft()
            if n == 1:
                yield first
            else:
                yield Doc.from_docs([first, *(next(docs) for _ in range(n - 1))], ensure_whitespace=False)

    def _pipe_pieces(self, texts: Iterable[str]) -> Iterator[Doc]:
        if not self.fast:
            yield from self.nlp.pipe(texts, batch_size=self.batch_size)
            return
        for batch in self.batches(texts):
            docs = [self.tokenizer(text) for text in batch]
            for _name, step in self.steps:
                docs = step(docs)
            yield from docs


#: Sudachi refuses more than 49,149 bytes in one call; longer cells are parsed in pieces.
MAX_TEXT_BYTES = 40_000
_PIECE_END = ("。", "！", "？", "\n", " ")


def split_long_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` UTF-8 bytes that join back to ``text``, cut after a
    sentence end or a space where there is one (a 1 MB cell is still one Doc in the end)."""
    if len(text.encode("utf-8")) <= limit:
        return [text]
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end, size, cut = start, 0, -1
        while end < len(text) and size + len(text[end].encode("utf-8")) <= limit:
            size += len(text[end].encode("utf-8"))
            end += 1
            if text[end - 1] in _PIECE_END:
                cut = end
        if end < len(text) and cut > start:
            end = cut
        pieces.append(text[start:end])
        start = end
    return pieces


def _strip_bunsetu_suffix(docs: list[Doc]) -> list[Doc]:
    """What ``bunsetu_recognizer`` does to tokens: ``nsubj_bunsetu`` → ``nsubj``."""
    from ginza.bunsetu_recognizer import BUNSETU_HEAD_SUFFIX

    cut = len(BUNSETU_HEAD_SUFFIX)
    for doc in docs:
        for token in doc:
            label = token.dep_
            if label.endswith(BUNSETU_HEAD_SUFFIX):
                token.dep_ = label[:-cut]
    return docs


def parse_cells(nlp: Language, items: Iterable[tuple[CellKey, str]], batch_size: int,
                total: int | None = None, *, fast: bool = True) -> Iterator[Doc]:
    """Parse the normalised text of each cell, in order, in this process (no cache)."""
    items = list(items)
    annotator = Annotator(nlp, fast=fast, batch_size=batch_size)
    bar = progress(total, "cell", "GiNZA")
    texts = (normalize(text).text for _key, text in items)
    for doc, (key, _text) in zip(annotator.pipe(texts), items):
        doc.user_data = {"cell": list(key)}
        bar.update(1)
        yield doc
    bar.close()


# --------------------------------------------------------------------------- serialisation


def doc_to_bytes(doc: Doc) -> bytes:
    """One parse without user data, as stored in the cache: a one-document DocBin."""
    docbin = DocBin(store_user_data=False)
    docbin.add(doc)
    return docbin.to_bytes()


def to_docbin(docs: Iterable[Doc]) -> bytes:
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        docbin.add(doc)
    return docbin.to_bytes()


_PACKER = srsly.msgpack.Packer(use_bin_type=True)  # what srsly.msgpack_dumps does, set up once


def _unpack(data: bytes) -> Any:
    """``srsly.msgpack_loads`` without its per-call registry lookup (no ext types here)."""
    return srsly.msgpack.unpackb(data, raw=False, use_list=True, object_pairs_hook=dict)


class ShardWriter:
    """Writes ``docs.spacy``: SHARD_MAGIC, the number of documents (uint64 LE), then for each
    shard its length (uint64 LE) and a DocBin (with user data) of up to ``shard_size`` docs.

    Parses are added as stored bytes (:func:`doc_to_bytes`) and merged the way
    ``DocBin.merge`` does, without rebuilding Docs; the result is byte-for-byte what
    ``DocBin.add`` of the same Docs gives (tests/test_nlp.py).
    """

    def __init__(self, fh: BinaryIO, total: int, shard_size: int) -> None:
        self.fh = fh
        self.shard_size = max(1, int(shard_size))
        self.written = 0
        self.total = total
        self._shard = DocBin(store_user_data=True)
        fh.write(SHARD_MAGIC + _COUNT.pack(total))

    def add(self, parsed: bytes, user_data: dict[str, Any]) -> None:
        msg = _unpack(zlib.decompress(parsed))
        shard = self._shard
        if list(msg["attrs"]) != list(shard.attrs):
            raise ValueError("stored parse has other attributes than the docs file; clear the cache")
        width = len(shard.attrs)
        tokens = numpy.frombuffer(msg["tokens"], dtype="uint64").reshape((-1, width))
        spaces = numpy.frombuffer(msg["spaces"], dtype=bool).reshape((-1, 1))
        shard.tokens.append(tokens)
        shard.spaces.append(spaces)
        shard.strings.update(msg["strings"])
        shard.cats.extend(msg["cats"])
        shard.flags.extend(msg["flags"])
        shard.span_groups.extend(msg["span_groups"])
        shard.user_data.append(_PACKER.pack(user_data))
        if len(shard) >= self.shard_size:
            self._flush()

    def _flush(self) -> None:
        if len(self._shard):
            data = self._shard.to_bytes()
            self.fh.write(_FRAME.pack(len(data)) + data)
            self.written += len(self._shard)
            self._shard = DocBin(store_user_data=True)

    def close(self) -> None:
        self._flush()
        if self.written != self.total:
            raise RuntimeError(f"docs file announced {self.total} documents but got {self.written}")


def _blank_vocab(nlp: Language | None):  # noqa: ANN202 - spacy.vocab.Vocab
    return nlp.vocab if nlp is not None else spacy.blank("ja").vocab


def _docs_of(docbin: DocBin, vocab: Any) -> Iterator[Doc]:
    for doc in docbin.get_docs(vocab):
        if "cell" in doc.user_data:
            doc.user_data["cell"] = list(doc.user_data["cell"])
        yield doc


def _read_shards(fh: BinaryIO, vocab: Any) -> Iterator[Doc]:
    while header := fh.read(_FRAME.size):
        (size,) = _FRAME.unpack(header)
        data = fh.read(size)
        if len(data) != size:
            raise ValueError("docs file is truncated: rerun the nlp stage")
        yield from _docs_of(DocBin().from_bytes(data), vocab)


def count_docs(path: str | Path) -> int | None:
    """The number of documents a sharded docs file holds (None for a plain DocBin)."""
    with open(path, "rb") as fh:
        head = fh.read(len(SHARD_MAGIC) + _COUNT.size)
    if head.startswith(SHARD_MAGIC):
        return _COUNT.unpack(head[len(SHARD_MAGIC):])[0]
    return None


def read_docs(path: str | Path, nlp: Language | None = None, *, show_progress: bool = True
              ) -> Iterator[Doc]:
    """Stream the Docs of a docs file (sharded or a plain DocBin), one shard in memory at a time."""
    vocab = _blank_vocab(nlp)
    total = count_docs(path)
    bar = progress(total, "cell", "extract") if show_progress else None
    with open(path, "rb") as fh:
        if fh.read(len(SHARD_MAGIC)) == SHARD_MAGIC:
            fh.read(_COUNT.size)
            docs = _read_shards(fh, vocab)
        else:
            fh.seek(0)
            docs = _docs_of(DocBin().from_bytes(fh.read()), vocab)
        for doc in docs:
            if bar is not None:
                bar.update(1)
            yield doc
    if bar is not None:
        bar.close()


def from_docbin(data: bytes, nlp: Language | None = None) -> Iterator[Doc]:
    """Documents back from bytes (sharded or a plain DocBin); only the vocabulary is needed."""
    vocab = _blank_vocab(nlp)
    if data.startswith(SHARD_MAGIC):
        fh = _io.BytesIO(data)
        fh.seek(len(SHARD_MAGIC) + _COUNT.size)
        yield from _read_shards(fh, vocab)
    else:
        yield from _docs_of(DocBin().from_bytes(data), vocab)


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
    import unicodedata

    from pipeline import textnorm

    source = Path(textnorm.__file__).read_bytes()
    return hashlib.sha256(source + unicodedata.unidata_version.encode()).hexdigest()[:16]


def run_nlp(items: Sequence[tuple[CellKey, str]], out: str | Path, settings: NlpSettings,
            cache: Any | None = None, backend: Any | None = None) -> NlpStats:
    """Cells → ``out`` (sharded docs file): parse every distinct normalised text the cache
    lacks, then write every cell's parse in table order. ``cache``/``backend`` default to
    the settings' (a cache passed in stays open; a backend passed in is not closed)."""
    from pipeline import io
    from pipeline.backends import make_backend
    from pipeline.cache import open_cache

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
        with io.atomic_path(out) as tmp, open(tmp, "wb") as fh:
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
    from pipeline import io

    items = list(cells(io.read_csv(projects_csv)))
    return run_nlp(items, docs_out, settings)
