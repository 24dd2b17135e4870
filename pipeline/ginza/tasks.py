"""Work for parsing processes, whichever backend runs them: texts cut into tasks, a
worker's model, and a bounded queue of submitted tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pipeline.ginza.model import Annotator, NlpSettings, doc_to_bytes, load_model

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


def bounded(submit: Callable[[Chunk], Any], chunks: Iterator[Chunk], in_flight: int,
            first_done: Callable[[set[Any]], tuple[set[Any], set[Any]]],
            overflow: Callable[[Chunk], Result] | None = None) -> Iterator[tuple[str, bytes, int]]:
    """Keep at most ``in_flight`` tasks submitted; yield results as tasks finish.

    Without ``overflow`` a full queue waits for the first task to finish; with it, the chunk
    is parsed by ``overflow`` (this process) instead, so the caller works while it waits.
    """
    pending: set[Any] = set()
    for chunk in chunks:
        if overflow is not None and len(pending) >= in_flight:
            yield from overflow(chunk)
        else:
            pending.add(submit(chunk))
        if overflow is None and len(pending) >= in_flight:
            done, pending = first_done(pending)
        else:
            done = {future for future in pending if future.done()}
            pending -= done
        for future in done:
            yield from future.result()
    while pending:
        done, pending = first_done(pending)
        for future in done:
            yield from future.result()

