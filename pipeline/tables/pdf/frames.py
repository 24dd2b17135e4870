"""Length-prefixed pickle frames: how the runner and its worker process talk over pipes.

Kept apart from :mod:`.worker` so that importing the package does not import the worker's
module (running ``python -m`` on a module that the package already imported makes Python
warn that the module may run twice).
"""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

#: Frame header: the pickled payload's length, unsigned 64-bit big-endian.
HEADER = struct.Struct(">Q")


def write_frame(stream: IO[bytes], payload: Any) -> None:
    """Send one pickled object with its length in front."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_exactly(stream: IO[bytes], size: int) -> bytes:
    """``size`` bytes from a blocking stream; EOFError when it closes first."""
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
