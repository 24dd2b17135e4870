"""Golden outputs: `pipeline run` on the つくば市 table and on both years of the committed
national review slice, then `compare` of those two years. The readable tables are kept whole
under tests/golden/ (so that a rule change shows as a reviewable diff of its metrics); the
bulky ones as SHA-256 in tests/golden/MANIFEST.

tests/test_golden.py checks that the outputs are byte-identical to these. After a change
that is meant to change outputs, regenerate and review the diff:

    .venv/bin/python tests/golden_outputs.py    # or: make golden
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
RUNS = {  # folder → (table, fiscal year), paths relative to the repository
    "tsukuba_2023": ("data/raw/tsukuba_jimujigyo_r5.tsv", 2023),
    "review_2024": ("data/raw/rs_review_two_years.tsv", 2024),
    "review_2025": ("data/raw/rs_review_two_years.tsv", 2025),
}
COMPARE = ("review_compare", ("review_2024", "review_2025"))
KEPT_WHOLE = {"metrics.csv", "qa.csv", "trends.csv", "quarantine.csv", "parse_summary.json",
              "comparison.csv", "top_changes.csv"}


def produce(out: Path) -> None:
    """Every golden output, written under ``out`` (run from the repository root)."""
    from pipeline.cli import main

    for folder, (table, year) in RUNS.items():
        if main(["run", table, "--fiscal-year", str(year), "--out", str(out / folder)]) != 0:
            raise RuntimeError(f"run of {table} {year} failed")
    name, (a, b) = COMPARE
    if main(["compare", str(out / a), str(out / b), "--out", str(out / name)]) != 0:
        raise RuntimeError("compare failed")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(out: Path) -> dict[str, str]:
    """relative path → SHA-256 of every output but the parses (docs.spacy is checked by
    tests/test_nlp.py against plain nlp.pipe)."""
    return {p.relative_to(out).as_posix(): digest(p) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "docs.spacy"}


def update(out: Path) -> None:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    GOLDEN.mkdir(parents=True)
    lines = []
    for rel, sha in manifest(out).items():
        lines.append(f"{sha}  {rel}")
        if Path(rel).name in KEPT_WHOLE:
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / rel, GOLDEN / rel)
    (GOLDEN / "MANIFEST").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import os
    import tempfile

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        produce(Path(tmp))
        update(Path(tmp))
    print(f"golden outputs written to {GOLDEN.relative_to(ROOT)}")
