"""Running sheets one by one, each bounded in time and memory, in a worker process.

Why a process: pdfminer parses a page's content in one call that never looks at a clock,
so a hostile file (deeply nested objects, a stream that inflates to gigabytes) can hold it
far past any deadline the reading code checks between pages and cells. A separate worker
can be killed when a sheet overruns ``max_seconds_per_sheet`` (plus a grace period for the
checks inside to fire first), and its address space can be capped so that an inflating
stream ends in a MemoryError instead of exhausting the machine. One worker serves sheet
after sheet (starting Python and pdfplumber costs about a second); it is replaced only
after it was killed or died.

The worker is this package's own module run by the same interpreter
(``python -m pipeline.tables.pdf.worker``), talking pickles over its stdin and stdout.
multiprocessing was the first choice and was dropped: its "spawn" method re-runs the
caller's main script in the child (a script without an ``if __name__ == "__main__"`` guard
then fails), and "fork" can deadlock a child forked from a parent that runs threads (a Dask
client). With ``SheetLimits(isolate=False)`` sheets are read in-process, bounded only by
the checks between pages and cells.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, Self

from .frames import HEADER, write_frame
from .model import SheetLimits

#: Seconds the parent waits beyond ``max_seconds_per_sheet`` before killing the worker.
GRACE_SECONDS = 5.0
#: Seconds a new worker may take to start (import pdfplumber, load the profiles).
STARTUP_SECONDS = 120.0


class WorkerTimeout(Exception):
    """The worker sent nothing complete in time."""


class SheetRunner:
    """Reads sheets in a worker process, or in-process when isolation is off."""

    def __init__(self, limits: SheetLimits) -> None:
        self.limits = limits
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def read(self, path: Path, form: str | None) -> dict[str, Any]:
        """One sheet's result dict (see :func:`sheet.read_sheet`); a killed or dead worker
        becomes a quarantine row for the sheet."""
        if not self.limits.isolate:
            from .sheet import read_sheet

            return read_sheet(path, form, self.limits)
        process = self._worker()
        assert process.stdin is not None and process.stdout is not None
        timeout = self.limits.max_seconds_per_sheet + GRACE_SECONDS
        try:
            write_frame(process.stdin, (str(path), form, self.limits))
            return _receive(process.stdout, timeout)
        except WorkerTimeout:
            self._stop()
            reason = (f"reading took longer than max_seconds_per_sheet "
                      f"({self.limits.max_seconds_per_sheet:g} s); the reader was stopped "
                      f"after {timeout:g} s inside the PDF parser")
        except (EOFError, OSError, pickle.UnpicklingError):
            reason = (f"reader process died (exit code {self._stop()}), most likely out "
                      f"of memory (max_memory_bytes {self.limits.max_memory_bytes})")
        return {"projects": [], "figures": [], "pages": 0, "form": "",
                "quarantine": [{"source_file": str(path), "page": "", "reason": reason}]}

    def _worker(self) -> subprocess.Popen[bytes]:
        """The live worker, starting one when there is none."""
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.tables.pdf.worker",
             str(self.limits.max_memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        assert process.stdout is not None
        try:
            ready = _receive(process.stdout, STARTUP_SECONDS)
        except (WorkerTimeout, EOFError, OSError, pickle.UnpicklingError):
            ready = None
        if ready != "ready":
            process.kill()
            process.wait()
            raise RuntimeError(f"the PDF reader process did not start "
                               f"(exit code {process.returncode})")
        self._process = process
        return process

    def _stop(self) -> int | None:
        """Kill the worker (if any) and return its exit code."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return process.wait()

    def close(self) -> None:
        """Close the worker's input so that it ends, then make sure it has."""
        process = self._process
        if process is not None and process.poll() is None and process.stdin is not None:
            try:
                process.stdin.close()
                process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._stop()


def _receive(stream: IO[bytes], timeout: float) -> Any:
    """One pickled frame from the worker, waiting at most ``timeout`` seconds in all."""
    end = time.monotonic() + timeout
    header = _read(stream, HEADER.size, end)
    (size,) = HEADER.unpack(header)
    return pickle.loads(_read(stream, size, end))


def _read(stream: IO[bytes], size: int, end: float) -> bytes:
    """``size`` bytes from the worker's pipe before the monotonic time ``end``."""
    fd = stream.fileno()
    chunks: list[bytes] = []
    while size:
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise WorkerTimeout()
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("worker closed its output")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
