"""The worker process that reads sheets for :mod:`.runner`: ``python -m pipeline.tables.pdf.worker``.

It reads length-prefixed pickled tasks ``(path, form, limits)`` from stdin and writes each
sheet's result the same way to stdout, until stdin closes. Before anything else it caps
its own address space (argument 1, in bytes) so that a stream inflating to gigabytes ends
in a MemoryError, which the sheet reader turns into a quarantine row. The real stdout is
kept for the results and Python's ``sys.stdout`` points at stderr, so that no stray print
in a library can corrupt the channel.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from pathlib import Path

from .frames import HEADER, read_exactly, write_frame


def _cap_memory(limit: int) -> None:
    """Limit this process's address space; platforms without ``resource`` run uncapped."""
    try:
        import resource
    except ImportError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str]) -> None:
    """Serve tasks from stdin until it closes."""
    _cap_memory(int(argv[1]))
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from .profiles import load_generic, load_profiles
    from .sheet import read_sheet

    load_profiles()
    load_generic()
    write_frame(results, "ready")
    tasks = sys.stdin.buffer
    while True:
        try:
            (size,) = HEADER.unpack(read_exactly(tasks, HEADER.size))
        except EOFError:
            return
        path, form, limits = pickle.loads(read_exactly(tasks, size))
        write_frame(results, read_sheet(Path(path), form, limits))


if __name__ == "__main__":
    main(sys.argv)
