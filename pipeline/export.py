"""The export stage: every fiscal year's tables in one place, for Excel, notebooks and browsers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import io
from pipeline.config import StagePaths

TABLES = ("metrics", "entities", "trends", "qa")


def combined(params: dict[str, Any], root: Path) -> dict[str, pd.DataFrame]:
    """Each table of every fiscal year in params, concatenated in year order."""
    years = sorted(str(y) for y in (params.get("datasets") or {}))
    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        frames = [io.read_csv(StagePaths.for_dataset(y, root).output(name)) for y in years]
        out[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out["projects"] = pd.concat([io.read_csv(StagePaths.for_dataset(y, root).projects) for y in years],
                                ignore_index=True)
    return out


NUMERIC = {"metrics": ("value", "value_max", "prior_value", "start", "end", "fiscal_year"),
           "entities": ("start", "end", "fiscal_year"), "trends": ("start", "end", "fiscal_year")}


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Numbers as numbers (for Parquet and spreadsheets); ids stay text."""
    df = df.copy()
    for col in NUMERIC.get(name, ()):
        if col in df:
            df[col] = pd.to_numeric(df[col].replace("", None), errors="coerce")
    return df


def export_all(params: dict[str, Any], root: Path, out: Path) -> None:
    for name, df in combined(params, root).items():
        io.write_csv(df, out / f"{name}.csv", excel=True)
        io.write_parquet(typed(name, df), out / f"{name}.parquet")
    print(f"export: tables of {len(params.get('datasets') or {})} fiscal year(s) → {out}")
