"""The report stage: a folder of tables → one self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.config import load_params
from pipeline.outputs.report import write_report


def run(folder: Path, out: Path) -> None:
    write_report(folder, out, int(load_params()["compare"]["top_changes"]))
