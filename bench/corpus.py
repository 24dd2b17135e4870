"""The review corpus (../shared/bench/rs_review_2024_2025.tsv.gz) as the pipeline's input tables.

The corpus is long (one row per project × field); the pipeline reads wide tables, so each
fiscal year becomes a TSV with the headers of the bundled review sample
(data/raw/rs_review_sample_2024.tsv): 事業の目的 = purpose, 事業の概要 = overview,
成果 = currentIssues (現状・課題), 課名 = ministry. Tables are written under bench/out/
(git-ignored) and read by the real parse stage, so the benchmark runs the real stages.

- full: every row; one table per year (2024, 2025).
- quick: the first rows of the corpus, in order, until their distinct texts total
  ``quick_chars`` characters (all FY2024), as one table; plus the FY2025 rows of the same
  projects as a "next year" table for the cache hit rate.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "rs_review_2024_2025.tsv.gz"
HEADER = ["通し番号", "事業番号", "事務事業名", "課名", "事業の目的", "事業の概要", "成果"]
FIELD_COLUMNS = {"purpose": "事業の目的", "overview": "事業の概要", "currentIssues": "成果"}


def load_corpus(path: Path = CORPUS) -> pd.DataFrame:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        df = pd.read_csv(fh, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    return df


def quick_rows(df: pd.DataFrame, chars: int) -> pd.DataFrame:
    """Rows in corpus order until their distinct texts reach ``chars`` characters."""
    seen: set[str] = set()
    total = 0
    for n, text in enumerate(df["text"], start=1):
        if text not in seen:
            seen.add(text)
            total += len(text)
            if total >= chars:
                return df.iloc[:n]
    return df


def write_wide(rows: pd.DataFrame, path: Path) -> int:
    """One project per line, in order of first appearance; returns the number of projects."""
    path.parent.mkdir(parents=True, exist_ok=True)
    projects: dict[str, dict[str, str]] = {}
    for r in rows.itertuples(index=False):
        p = projects.setdefault(r.projectId, {"事業番号": r.projectId, "事務事業名": r.projectName,
                                               "課名": r.ministry})
        p[FIELD_COLUMNS[r.field]] = r.text
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(HEADER)
        for i, p in enumerate(projects.values(), start=1):
            writer.writerow([str(i), *(p.get(h, "") for h in HEADER[1:])])
    return len(projects)


def build_tables(mode: str, out: Path, quick_chars: int = 150_000) -> dict[str, dict[str, object]]:
    """Write the mode's tables; {name: {"table": path, "fiscal_year": int, "role": str}}.

    role "main": part of the throughput comparison; "next": only for the cache hit rate.
    """
    df = load_corpus()
    tables: dict[str, dict[str, object]] = {}
    if mode == "full":
        for year in ("2024", "2025"):
            path = out / f"full_{year}.tsv"
            write_wide(df[df["year"] == year], path)
            tables[year] = {"table": path, "fiscal_year": int(year), "role": "main"}
    else:
        rows = quick_rows(df, quick_chars)
        path = out / "quick_2024.tsv"
        write_wide(rows, path)
        tables["2024"] = {"table": path, "fiscal_year": 2024, "role": "main"}
        years = set(rows["year"])
        if years == {"2024"}:
            ids = set(rows["projectId"])
            nxt = df[(df["year"] == "2025") & df["projectId"].isin(ids)]
            path = out / "quick_2025.tsv"
            write_wide(nxt, path)
            tables["2025"] = {"table": path, "fiscal_year": 2025, "role": "next"}
    return tables
