"""GiNZA itself: the pinned model, its settings, and the annotator that runs it.

How parsing stays fast without changing a single annotation:

- **Each distinct text is parsed once.** Cells are keyed by the hash of their normalised
  text; a content-hash cache (:mod:`pipeline.ginza.cache`) keeps every parse across runs and
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
- **Parallel workers** (:mod:`pipeline.ginza.backends`): local processes or a Dask cluster.

All of this is checked against plain ``nlp.pipe`` by tests/test_nlp.py and by the benchmark
(bench/run_bench.py), token attribute by attribute and output file by output file.
"""


from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.core.config import ROOT
from pipeline.core.progress import progress
from pipeline.text.textnorm import normalize

CellKey = tuple[str, str]  # (project_id, field)

#: Bump when the bytes stored per parse change meaning, so old cache entries are not reused.
CACHE_FORMAT = "docbin-1"


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
    dask_tls_ca_file: str | None = None
    dask_tls_cert_file: str | None = None
    dask_tls_key_file: str | None = None
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
        settings.dask_tls_files()
        return settings

    def dask_tls_files(self) -> tuple[Path, Path, Path] | None:
        """(CA, certificate, key) of a ``tls://`` scheduler, relative paths from the repo; None
        for any other address. Raises ValueError when they do not fit the address, so a run
        never connects without the encryption the params ask for, nor ignores files it was given."""
        names = ("dask_tls_ca_file", "dask_tls_cert_file", "dask_tls_key_file")
        values = [getattr(self, n) for n in names]
        if not (self.dask_scheduler or "").lower().startswith("tls://"):
            if any(values):
                raise ValueError(f"params.yaml nlp.dask_tls_* certificates are set, but nlp.dask_scheduler "
                                 f"is {self.dask_scheduler!r}; they are used only with a tls://host:port "
                                 "address")
            return None
        missing = [f"nlp.{n}" for n, v in zip(names, values) if not v]
        if missing:
            raise ValueError(f"params.yaml nlp.dask_scheduler {self.dask_scheduler} is a tls:// address "
                             f"but lacks {', '.join(missing)}; expected the CA certificate, this "
                             "client's certificate and its key (README: Running on a Dask cluster)")
        ca, cert, key = (Path(v) if Path(v).is_absolute() else ROOT / v for v in values)
        return ca, cert, key

    @property
    def model_key(self) -> str:
        """What a stored parse depends on besides its text."""
        return f"{self.model}=={self.model_version};{CACHE_FORMAT}"

    def cache_path(self) -> Path | None:
        if not self.cache_dir:
            return None
        path = Path(self.cache_dir)
        return path if path.is_absolute() else ROOT / path


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


