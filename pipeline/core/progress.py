"""Progress bars for long work."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


def progress(total: float | None, unit: str, desc: str, **kwargs: Any) -> tqdm:
    """A progress bar with rate and ETA on a terminal, silent when stderr is not one."""
    return tqdm(total=total, unit=unit, desc=desc, disable=not sys.stderr.isatty(),
                dynamic_ncols=True, smoothing=0.05, **kwargs)
