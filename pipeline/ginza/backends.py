"""Where the parsing runs: in this process, in local worker processes, or on a Dask cluster.

Every backend takes ``{text hash: normalised text}`` and yields ``(text hash, parse bytes,
characters)`` as parses finish, in any order (the caller stores them in the content-hash
cache and writes the table in order afterwards, so the order of work never shows in the
output). Texts go out longest first, in tasks of about ``task_chars`` characters, so that a
task's batches hold texts of similar length and the slowest task does not come last.

Each worker process loads the model once (``_init_worker`` for local processes, the
:class:`GinzaPlugin` worker plugin on Dask) and checks its name and version against the
settings, so a cluster node with another model version stops the run with
:class:`pipeline.ginza.model.ModelMismatch` instead of producing different parses.
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

from pipeline.ginza.dask_cluster import DaskBackend
from pipeline.ginza.model import Annotator, NlpSettings, check_model
from pipeline.ginza.tasks import WORKER_ENV, Chunk, Result, bounded, make_annotator, parse_chunk, tasks


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
        return bounded(lambda chunk: self.pool.submit(_worker_parse, chunk),
                       tasks(texts, self.settings.task_chars, self.workers), 2 * (self.workers - 1),
                       _wait_first, overflow=self.local.parse_chunk)

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
        return DaskBackend(settings, workers)
    if workers <= 1 or chars < settings.parallel_min_chars:
        return InProcessBackend(settings)
    return LocalBackend(settings, workers)
