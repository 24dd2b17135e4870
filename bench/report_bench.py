"""How heavy the HTML report is on a large corpus: page size, time to first paint, search time.

Reads the run folders and the comparison that `make bench-compare` writes (bench/out/2024,
bench/out/2025, bench/out/compare: both years of the national review corpus), builds the report
as the report stage does, and opens it in headless Chromium (Debian's `chromium`) a few times.
The page records its own timings (report.js): `first-contentful-paint` and the time its list
was first drawn, both from the start of navigation, and the time a search (given in the
address, #q=…) took to filter the list and draw its first page. Also printed: the wall time of
the whole browser run (start-up, load, script, exit), an upper bound.

    .venv/bin/python bench/report_bench.py bench/out      # or: make bench-report
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from pipeline.analysis.panel import folder_sources, read_panel
from pipeline.core.config import load_params
from pipeline.outputs.report import build_report
from pipeline.tables import files

SEARCHES = ("補助", "耐震化")  # a common word and a rarer one


def report_tables(out: Path) -> dict[str, pd.DataFrame]:
    """The tables the report stage would read, from run folders and their comparison."""
    years = sorted(p for p in out.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))
    sources = folder_sources(years)
    tables = {name: read_panel(sources, name) for name in ("metrics", "qa", "projects")}
    return {**tables, **{name: files.read_csv(out / "compare" / f"{name}.csv") for name in ("comparison", "series")}}


def open_page(chromium: str, page: Path, fragment: str) -> tuple[float, dict[str, float]]:
    """Wall seconds of one headless run and the timings the page recorded (ms)."""
    with tempfile.TemporaryDirectory() as profile:
        t0 = time.perf_counter()
        proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", f"--user-data-dir={profile}",
                               # let paint happen (and be recorded) before the DOM is dumped
                               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000", "--dump-dom",
                               page.resolve().as_uri() + "#" + fragment], capture_output=True, text=True, timeout=300)
        wall = time.perf_counter() - t0
    html_tag = proc.stdout[:proc.stdout.find(">", proc.stdout.find("<html")) + 1]
    found = dict(re.findall(r'data-([a-z-]+)-ms="([0-9.]+)"', html_tag))
    if "first-render" not in found:
        raise RuntimeError(f"the page did not finish drawing: {proc.stderr[-1000:]}")
    return wall, {k: float(v) for k, v in found.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder `make bench-compare` wrote (BENCH_OUT)")
    parser.add_argument("--runs", type=int, default=3, help="browser runs per measure (median printed)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium on PATH (apt-get install -y chromium)", file=sys.stderr)
        return 2
    tables = report_tables(args.out)
    t0 = time.perf_counter()
    page_html = build_report(tables, int(load_params()["compare"]["top_changes"]))
    built = time.perf_counter() - t0
    page = args.out / "report.html"
    files.write_text(page_html, page)
    print(f"corpus: {len(tables['projects'])} projects, {len(tables['metrics'])} figures ({args.out})")
    print(f"page size: {page.stat().st_size / 1e6:.2f} MB; built in {built:.1f} s")
    opened = [open_page(chromium, page, "") for _ in range(args.runs)]
    painted = [t["first-paint"] for _, t in opened if "first-paint" in t]
    print(f"open: first paint {f'{statistics.median(painted):.0f} ms' if painted else 'not recorded'}, "
          f"list drawn {statistics.median(t['first-render'] for _, t in opened):.0f} ms after navigation "
          f"(browser run {statistics.median(w for w, _ in opened):.1f} s wall, start-up included)")
    for word in SEARCHES:
        runs = [open_page(chromium, page, "q=" + quote(word))[1]["search"] for _ in range(args.runs)]
        print(f"search {word!r}: {statistics.median(runs):.1f} ms to filter and draw the first page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
