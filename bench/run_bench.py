"""Speed and scale benchmark of the nlp + extract stages on the review corpus (`make bench`).

Measured side by side in one run, each in its own subprocess so that memory peaks are
separate (peak RSS: the process's own ``ru_maxrss``, that of its waited-for workers, and the
whole process tree sampled with psutil every 0.1 s):

1. naive: one process, ``spacy.load(model)`` and ``nlp.pipe`` over every cell's normalised
   text (batch_size from params) — only the time inside ``nlp.pipe`` counts;
2. the extract stage on the naive parses: the reference outputs;
3. ours: the nlp stage (params.yaml settings, 2 worker processes, a cold cache) and the
   extract stage, as ``python -m pipeline nlp``/``extract`` run them — everything counts,
   worker start-up and model loading included;
4. ours with 1 process (nlp stage, cold cache): parallel efficiency;
5. the cache: hit rate of the next fiscal year on a cache that holds the previous one, and a
   warm rerun of every table.

Every output file of ours (metrics, entities, trends, qa) must be byte-identical to the
reference, and the docs files of 1 and 2 processes byte-identical; the run fails otherwise.

    python bench/run_bench.py            # quick: the first ~150k characters of distinct text
    python bench/run_bench.py --full     # the whole corpus (about an hour on 2 cores)

The last line printed is ``ratio X``: our throughput / naive throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUTPUTS = ("metrics", "entities", "trends", "qa")


# --------------------------------------------------------------------------- subprocess side


def _maxrss() -> dict[str, int]:
    return {"self_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "children_maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}


def job_naive(spec: dict[str, Any]) -> dict[str, Any]:
    """Plain nlp.pipe, single process; parses stored (untimed) for the reference outputs."""
    from spacy.tokens import DocBin

    from pipeline import io
    from pipeline.nlp import cells, load_model
    from pipeline.textnorm import normalize

    nlp = load_model(spec["model"], spec["model_version"])
    chars = seconds = 0.0
    for table in spec["tables"]:
        items = list(cells(io.read_csv(table["projects"])))
        texts = [normalize(text).text for _key, text in items]
        chars += sum(len(text) for _key, text in items)
        docbin = DocBin(store_user_data=True)
        stream = nlp.pipe(texts, batch_size=spec["batch_size"])
        for key, _text in items:
            t0 = time.perf_counter()
            doc = next(stream)
            seconds += time.perf_counter() - t0
            doc.user_data = {"cell": list(key)}
            docbin.add(doc)
        io.write_bytes(docbin.to_bytes(), Path(table["folder"]) / "docs.spacy")
        del docbin
    return {"chars": chars, "seconds": seconds, **_maxrss()}


def job_extract(spec: dict[str, Any]) -> dict[str, Any]:
    from pipeline.cli import cmd_extract

    per_table = {}
    for table in spec["tables"]:
        t0 = time.perf_counter()
        cmd_extract(Path(table["folder"]), Path(table["out"]))
        per_table[table["name"]] = time.perf_counter() - t0
    return {"seconds": sum(per_table.values()), "per_table": per_table, **_maxrss()}


def job_ours(spec: dict[str, Any]) -> dict[str, Any]:
    """Our nlp stage (and extract stage unless nlp_only), timed end to end."""
    from pipeline.cli import cmd_extract
    from pipeline.config import load_params
    from pipeline.nlp import NlpSettings, nlp_stage

    settings = NlpSettings.from_params(load_params()["nlp"], **spec["overrides"])
    stats, t_nlp, t_extract = {}, {}, {}
    t_start = time.perf_counter()
    for table in spec["tables"]:
        folder = Path(table["folder"])
        t0 = time.perf_counter()
        s = nlp_stage(folder / "projects.csv", folder / "docs.spacy", settings)
        t_nlp[table["name"]] = time.perf_counter() - t0
        stats[table["name"]] = {"cells": s.cells, "chars": s.chars, "distinct": s.distinct,
                                "parsed": s.parsed, "parsed_chars": s.parsed_chars,
                                "cell_hits": s.cell_hits, "hit_rate": s.hit_rate,
                                "char_hit_rate": s.char_hit_rate, "seconds": s.seconds}
        if not spec.get("nlp_only"):
            t0 = time.perf_counter()
            cmd_extract(folder, Path(table["out"]))
            t_extract[table["name"]] = time.perf_counter() - t0
    return {"seconds": time.perf_counter() - t_start, "nlp_seconds": t_nlp,
            "extract_seconds": t_extract, "stats": stats, **_maxrss()}


JOBS = {"naive": job_naive, "extract": job_extract, "ours": job_ours}


# --------------------------------------------------------------------------- parent side


def run_job(name: str, spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Run a job in a fresh interpreter; add the sampled peak RSS of its process tree."""
    import psutil

    spec_path = workdir / f"spec_{name}_{time.monotonic_ns()}.json"
    result_path = spec_path.with_suffix(".result.json")
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    proc = psutil.Popen([sys.executable, __file__, "_job", name, str(spec_path), str(result_path)],
                        cwd=ROOT, stderr=subprocess.DEVNULL if not sys.stderr.isatty() else None)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [proc, *proc.children(recursive=True)]
                total = 0
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    code = proc.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"bench job {name} failed with exit code {code}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["tree_peak_rss"] = peak
    result["wall"] = time.perf_counter() - t0
    return result


def gb(n: float) -> str:
    return f"{n / 2**30:.2f} GB"


def same_files(a: Path, b: Path, names: tuple[str, ...]) -> list[str]:
    """Names of the files that differ between folders a and b."""
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


def prepare(mode: str, out: Path, quick_chars: int) -> list[dict[str, Any]]:
    from bench.corpus import build_tables
    from pipeline.cli import cmd_parse

    tables = []
    for name, info in build_tables(mode, out / "tables", quick_chars).items():
        interim = out / "parsed" / name
        cmd_parse(Path(info["table"]), int(info["fiscal_year"]), interim)
        tables.append({"name": name, "projects": str(interim / "projects.csv"), "role": info["role"],
                       "fiscal_year": info["fiscal_year"]})
    return tables


def variant(tables: list[dict[str, Any]], out: Path, label: str) -> list[dict[str, Any]]:
    """Per-table folders for one variant, each with its own copy of projects.csv."""
    result = []
    for t in tables:
        folder = out / label / t["name"]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(t["projects"], folder / "projects.csv")
        result.append({**t, "folder": str(folder), "out": str(folder / "out")})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the whole corpus (default: quick slice)")
    parser.add_argument("--quick-chars", type=int, default=150_000,
                        help="quick mode: characters of distinct text in the slice")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of our run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)

    from pipeline.config import load_params

    mode = "full" if args.full else "quick"
    out = args.out / mode
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    params = load_params()["nlp"]
    print(f"bench ({mode}): preparing tables from the review corpus …", flush=True)
    tables = prepare(mode, out, args.quick_chars)
    main_tables = [t for t in tables if t["role"] == "main"]
    next_tables = [t for t in tables if t["role"] == "next"]

    naive_tables = variant(main_tables, out, "naive")
    base = {"model": params["model"], "model_version": str(params["model_version"]),
            "batch_size": params["batch_size"]}

    print("naive nlp.pipe, 1 process …", flush=True)
    naive = run_job("naive", {**base, "tables": naive_tables}, out)
    print("extract on the naive parses (reference outputs) …", flush=True)
    ref = run_job("extract", {"tables": naive_tables}, out)

    print(f"ours, {args.workers} processes, cold cache …", flush=True)
    ours_tables = variant(main_tables, out, "ours")
    cache2 = out / "cache_ours"
    ours = run_job("ours", {"tables": ours_tables, "overrides": {
        "workers": args.workers, "backend": "local", "cache_dir": str(cache2)}}, out)

    print("ours, 1 process, cold cache (nlp stage only) …", flush=True)
    one_tables = variant(main_tables, out, "ours_1proc")
    one = run_job("ours", {"tables": one_tables, "nlp_only": True, "overrides": {
        "workers": 1, "backend": "local", "cache_dir": str(out / "cache_1proc")}}, out)

    print("cache: warm rerun of every table, and the next year …", flush=True)
    warm = run_job("ours", {"tables": variant(main_tables, out, "warm"), "nlp_only": True,
                            "overrides": {"workers": args.workers, "cache_dir": str(cache2)}}, out)
    nxt = None
    if next_tables:
        nxt = run_job("ours", {"tables": variant(next_tables, out, "next"), "nlp_only": True,
                               "overrides": {"workers": args.workers, "cache_dir": str(cache2)}}, out)

    # ---- identical outputs, whatever the backend/cache/parallelism
    problems = []
    for n, o, w, t1 in zip(naive_tables, ours_tables, variant(main_tables, out, "warm"), one_tables):
        diff = same_files(Path(n["out"]), Path(o["out"]), tuple(f"{x}.csv" for x in OUTPUTS))
        if diff:
            problems.append(f"{n['name']}: ours differs from the naive parse in {', '.join(diff)}")
        for other, label in ((t1, "1 process"), (w, "warm cache")):
            if (Path(o["folder"]) / "docs.spacy").read_bytes() != (Path(other["folder"]) / "docs.spacy").read_bytes():
                problems.append(f"{n['name']}: docs.spacy of {args.workers} processes differs from {label}")

    # ---- report
    chars = naive["chars"]
    naive_rate = chars / naive["seconds"]
    ours_rate = chars / ours["seconds"]
    nlp2 = sum(ours["nlp_seconds"].values())
    nlp1 = sum(one["nlp_seconds"].values())
    speedup = nlp1 / nlp2
    rows = [
        ("text", f"{chars:,.0f} chars in {len(main_tables)} table(s), "
                 f"{sum(s['cells'] for s in ours['stats'].values()):,} cells, "
                 f"{sum(s['distinct'] for s in ours['stats'].values()):,} distinct per table"),
        ("naive nlp.pipe (1 process)", f"{naive_rate:,.0f} chars/s  ({naive['seconds']:.1f} s)  "
                                       f"peak RSS {gb(naive['self_maxrss'])}"),
        ("ours nlp + extract", f"{ours_rate:,.0f} chars/s  ({ours['seconds']:.1f} s = nlp {nlp2:.1f} s + "
                               f"extract {sum(ours['extract_seconds'].values()):.1f} s)  "
                               f"peak RSS: tree {gb(ours['tree_peak_rss'])}, main {gb(ours['self_maxrss'])}, "
                               f"largest worker {gb(ours['children_maxrss'])}"),
        ("extract only, naive parses", f"{ref['seconds']:.1f} s  peak RSS {gb(ref['self_maxrss'])}"),
        ("nlp stage, 1 process", f"{chars / nlp1:,.0f} chars/s  ({nlp1:.1f} s)  peak RSS "
                                 f"{gb(one['tree_peak_rss'])}"),
        (f"nlp stage, {args.workers} processes", f"{chars / nlp2:,.0f} chars/s  ({nlp2:.1f} s)  "
                                                 f"speedup {speedup:.2f}, efficiency "
                                                 f"{speedup / args.workers:.0%} (1 process: 100%)"),
    ]
    for name, s in ours["stats"].items():
        rows.append((f"cache, cold run, table {name}",
                     f"hits {s['cell_hits']}/{s['cells']} cells ({s['hit_rate']:.1%}, "
                     f"{s['char_hit_rate']:.1%} of chars); parsed {s['parsed']} distinct texts"))
    if nxt is not None:
        for name, s in nxt["stats"].items():
            rows.append((f"cache, next year {name}",
                         f"hits {s['cell_hits']}/{s['cells']} cells ({s['hit_rate']:.1%}, "
                         f"{s['char_hit_rate']:.1%} of chars); parsed {s['parsed']} texts in "
                         f"{sum(nxt['nlp_seconds'].values()):.1f} s"))
    rows.append(("cache, warm rerun",
                 f"parsed {sum(s['parsed'] for s in warm['stats'].values())} texts; nlp stage "
                 f"{sum(warm['nlp_seconds'].values()):.1f} s"))
    rows.append(("outputs identical", "yes" if not problems else "NO"))
    width = max(len(r[0]) for r in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    (out / "summary.json").write_text(json.dumps({
        "mode": mode, "naive": naive, "reference_extract": ref, "ours": ours, "one_process": one,
        "warm": warm, "next": nxt, "problems": problems, "ratio": ours_rate / naive_rate},
        indent=2, ensure_ascii=False), encoding="utf-8")
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    print(f"ratio {ours_rate / naive_rate:.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "_job":
        _, _, job, spec_file, result_file = sys.argv
        result = JOBS[job](json.loads(Path(spec_file).read_text(encoding="utf-8")))
        Path(result_file).write_text(json.dumps(result), encoding="utf-8")
        sys.exit(0)
    sys.exit(main())
