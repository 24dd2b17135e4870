"""Where the parsing runs: in this process, in local worker processes, or on a Dask cluster.

Every backend takes ``{text hash: normalised text}`` and yields ``(text hash, parse bytes,
characters)`` as parses finish, in any order (the caller stores them in the content-hash
cache and writes the table in order afterwards, so the order of work never shows in the
output). Texts go out longest first, in tasks of about ``task_chars`` characters, so that a
task's batches hold texts of similar length and the slowest task does not come last.

Each worker process loads the model once (``_init_worker`` for local processes, the
:class:`GinzaPlugin` worker plugin on Dask) and checks its name and version against the
settings, so a cluster node with another model version stops the run with
:class:`pipeline.nlp.ModelMismatch` instead of producing different parses.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict
from typing import Any

from pipeline.nlp import Annotator, NlpSettings, check_model, doc_to_bytes, load_model

Chunk = list[tuple[str, str]]
Result = list[tuple[str, bytes, int]]

#: Math libraries stay single-threaded in workers: one worker per core is the parallelism.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "BLIS_NUM_THREADS": "1"}


def make_annotator(settings: NlpSettings) -> Annotator:
    nlp = load_model(settings.model, settings.model_version)
    return Annotator(nlp, fast=settings.fast, batch_size=settings.batch_size,
                     batch_chars=settings.batch_chars)


def parse_chunk(annotator: Annotator, chunk: Chunk) -> Result:
    """Parse one task's texts; the bytes are what the cache stores (:func:`doc_to_bytes`)."""
    out: Result = []
    for doc, (digest, text) in zip(annotator.pipe(text for _hash, text in chunk), chunk, strict=True):
        if doc.text != text:
            raise RuntimeError("a parse does not match its text: the annotator lost the order")
        out.append((digest, doc_to_bytes(doc), len(text)))
    return out


def tasks(texts: dict[str, str], task_chars: int, workers: int = 1) -> Iterator[Chunk]:
    """Texts longest first, cut into tasks of about ``task_chars`` characters; the last tasks
    get smaller (down to a tenth), so that no worker is left with a long one at the end."""
    ordered = sorted(texts.items(), key=lambda item: (-len(item[1]), item[0]))
    remaining = sum(len(text) for _digest, text in ordered)
    chunk: Chunk = []
    chars = 0
    for item in ordered:
        chunk.append(item)
        chars += len(item[1])
        size = max(task_chars // 10, min(task_chars, remaining // (3 * max(1, workers))))
        if chars >= size:
            yield chunk
            remaining -= chars
            chunk, chars = [], 0
    if chunk:
        yield chunk


class InProcessBackend:
    """Parse in this process (one worker, or too little text to be worth starting more)."""

    workers = 1

    def __init__(self, settings: NlpSettings) -> None:
        self.settings = settings
        self._annotator: Annotator | None = None

    def parse_chunk(self, chunk: Chunk) -> Result:
        if self._annotator is None:
            self._annotator = make_annotator(self.settings)
        return parse_chunk(self._annotator, chunk)

    def parse(self, texts: dict[str, str]) -> Iterator[tuple[str, bytes, int]]:
        for chunk in tasks(texts, self.settings.task_chars):
            yield from self.parse_chunk(chunk)

    def close(self) -> None:
        self._annotator = None


# --------------------------------------------------------------------------- local processes

_WORKER_ANNOTATOR: Annotator | None = None


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it is gone (killed, say): a pool
    worker blocked on its task queue would otherwise live on, holding its model."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(settings: dict[str, Any], parent: int) -> None:
    global _WORKER_ANNOTATOR
    _exit_with_parent(parent)
    _WORKER_ANNOTATOR = make_annotator(NlpSettings(**settings))
    gc.freeze()  # the model's objects need no more garbage-collector passes


def _worker_parse(chunk: Chunk) -> Result:
    assert _WORKER_ANNOTATOR is not None, "worker was not initialised"
    return parse_chunk(_WORKER_ANNOTATOR, chunk)


def _bounded(submit: Any, chunks: Iterator[Chunk], in_flight: int,
             result_of: Any) -> Iterator[tuple[str, bytes, int]]:
    """Keep at most ``in_flight`` tasks submitted; yield results as tasks finish."""
    pending: set[Any] = set()
    for chunk in chunks:
        pending.add(submit(chunk))
        if len(pending) >= in_flight:
            done, pending = result_of(pending)
            for future in done:
                yield from future.result()
    while pending:
        done, pending = result_of(pending)
        for future in done:
            yield from future.result()


def _wait_first(pending: set[Future]) -> tuple[set[Future], set[Future]]:
    done, rest = wait(pending, return_when=FIRST_COMPLETED)
    return done, set(rest)


class LocalBackend:
    """``workers`` parsing processes on this machine: this one and ``workers - 1`` spawned
    worker processes, each with its own copy of the model. This process parses whenever the
    workers have enough queued, so it loads its model while they start."""

    def __init__(self, settings: NlpSettings, workers: int) -> None:
        self.settings = settings
        self.workers = workers
        self.local = InProcessBackend(settings)
        saved = {k: os.environ.get(k) for k in WORKER_ENV}
        os.environ.update(WORKER_ENV)  # inherited by the spawned workers only
        try:
            self.pool = ProcessPoolExecutor(max_workers=workers - 1,
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init_worker,
                                            initargs=(asdict(settings), os.getpid()))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def parse(self, texts: dict[str, str]) -> Iterator[tuple[str, bytes, int]]:
        queued = 2 * (self.workers - 1)
        pending: set[Future] = set()
        for chunk in tasks(texts, self.settings.task_chars, self.workers):
            if len(pending) < queued:
                pending.add(self.pool.submit(_worker_parse, chunk))
            else:
                yield from self.local.parse_chunk(chunk)
            done = {future for future in pending if future.done()}
            pending -= done
            for future in done:
                yield from future.result()
        while pending:
            done, pending = _wait_first(pending)
            for future in done:
                yield from future.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.local.close()


def worker_count(requested: int) -> int:
    return requested if requested > 0 else (os.cpu_count() or 1)


def make_backend(settings: NlpSettings, chars: int) -> Any:
    """The backend the settings ask for, for ``chars`` characters of text to parse."""
    check_model(settings.model, settings.model_version)
    workers = worker_count(settings.workers)
    if settings.backend == "dask":
        from pipeline.dask_backend import DaskBackend

        return DaskBackend(settings, workers)
    if workers <= 1 or chars < settings.parallel_min_chars:
        return InProcessBackend(settings)
    return LocalBackend(settings, workers)
