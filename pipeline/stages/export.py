"""The export stage: every fiscal year's tables → CSV (UTF-8 with BOM), Parquet and XLSX."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.config import ROOT, load_params
from pipeline.outputs.export import export_all


def run(out: Path) -> None:
    export_all(load_params(), ROOT, out)
