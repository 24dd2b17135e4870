"""``docs.spacy``: the parses of a table, written and read as a sequence of DocBin shards.

Neither side holds a whole table's parses in memory: :class:`ShardWriter` appends stored
parses shard by shard and :func:`read_docs` streams them back; a plain DocBin file is read too.
"""


from __future__ import annotations

import io as _io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.core.progress import progress

#: First bytes of a sharded docs file; a plain DocBin starts with a zlib header instead.
SHARD_MAGIC = b"JJDOCS\x00\x01"
_COUNT = struct.Struct("<Q")
_FRAME = struct.Struct("<Q")


# --------------------------------------------------------------------------- serialisation


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
    """``DocBin.get_docs``, with user data decoded here (spaCy's per-document
    ``srsly.msgpack_loads`` looks up its registry each time: a third of extract's time)."""
    user_data = [None if data is None else srsly.msgpack.unpackb(data, raw=False, use_list=False,
                                                                   object_pairs_hook=dict)
                 for data in docbin.user_data]
    docbin.user_data = [None] * len(user_data)
    for doc, data in zip(docbin.get_docs(vocab), user_data):
        if data:
            doc.user_data.update(data)
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

