"""How the extraction rules' time grows with the length of one cell (hostile input, issue #13).

A cell of 10k to 1M characters of digits, brackets and separators (what a broken PDF
conversion or a hostile table can hold, up to ``table.max_cell_chars``) is normalised
(:func:`pipeline.text.textnorm.normalize`) and scanned (:func:`pipeline.rules.quantities.find_quantities`)
with every offset a word boundary, so no GiNZA run is needed and only the rules' own cost is
measured. A benchmark, not a test: it prints the best of three timings per length, the
fitted exponent (slope of log time against log length: 1 is linear, 2 quadratic) and, last,
``ratio X`` = time(1M) / (100 × time(10k)) of normalising and scanning together, about 1 when
the time is linear in the length.

    python bench/scan_scaling.py
"""

from __future__ import annotations

import gc
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.rules.quantities import Tokens, find_quantities  # noqa: E402
from pipeline.text.textnorm import normalize  # noqa: E402

LENGTHS = (10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)
REPEATS = 3
#: Digits (weighted up so that numbers form), brackets of both widths, separators of both widths.
ALPHABET = "0123456789" * 3 + "()（）[]［］「」【】〔〕" + ",，、。・/／-－〜～:：.．　 \n"


def cell(length: int) -> str:
    """The same pseudo-random cell of ``length`` characters on every run."""
    return "".join(random.Random(length).choices(ALPHABET, k=length))


def best_time(run: Callable[[], object]) -> float:
    """The fastest of REPEATS runs, in seconds (the others carry noise from other processes)."""
    times = []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def exponent(lengths: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(length)."""
    xs, ys = [math.log(n) for n in lengths], [math.log(t) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    rows: list[tuple[int, float, float, int]] = []
    print(f"{'length':>9} {'normalize s':>12} {'scan s':>10} {'total s':>10} {'mentions':>9}")
    for length in LENGTHS:
        text = cell(length)
        norm_seconds = best_time(lambda: normalize(text))
        norm = normalize(text).text
        every = frozenset(range(len(norm) + 1))
        tokens = Tokens(every, every, every)
        scan_seconds = best_time(lambda: find_quantities(norm, tokens))
        found = len(find_quantities(norm, tokens))
        rows.append((length, norm_seconds, scan_seconds, found))
        print(f"{length:>9,} {norm_seconds:>12.4f} {scan_seconds:>10.4f} "
              f"{norm_seconds + scan_seconds:>10.4f} {found:>9,}", flush=True)
    lengths = [r[0] for r in rows]
    totals = [r[1] + r[2] for r in rows]
    print(f"exponent normalize {exponent(lengths, [r[1] for r in rows]):.2f}, "
          f"scan {exponent(lengths, [r[2] for r in rows]):.2f}, total {exponent(lengths, totals):.2f}")
    print(f"ratio {totals[-1] / (100 * totals[0]):.2f}")


if __name__ == "__main__":
    main()
