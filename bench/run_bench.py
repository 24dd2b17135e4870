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
    python bench/run_bench.py --full --resume   # go on after an interrupted run

The last line printed is ``ratio X``: our throughput / naive throughput.
"""

from __future__ import annotations

import argparse
import json

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
    """Plain nlp.pipe, single process; parses stored (untimed) for the reference outputs.

    Each table goes in segments of 2,000 cells whose parses and timings are kept, so that a
    killed run goes on with the next segment (``--resume``) instead of starting over."""
    from spacy.tokens import DocBin

    from pipeline.tables import files
    from pipeline.ginza.model import load_model
    from pipeline.ginza.run import cells
    from pipeline.text.textnorm import normalize

    nlp = load_model(spec["model"], spec["model_version"])
    chars = seconds = 0.0
    for table in spec["tables"]:
        folder = Path(table["folder"])
        items = list(cells(files.read_csv(table["projects"])))
        chars += sum(len(text) for _key, text in items)
        merged = DocBin(store_user_data=True)
        for start in range(0, len(items), 2000):
            part, timing = folder / f"naive_{start}.spacy", folder / f"naive_{start}.json"
            if not (part.exists() and timing.exists()):
                segment = items[start:start + 2000]
                docbin = DocBin(store_user_data=True)
                stream = nlp.pipe([normalize(text).text for _key, text in segment],
                                  batch_size=spec["batch_size"])
                took = 0.0
                for key, _text in segment:
                    t0 = time.perf_counter()
                    doc = next(stream)
                    took += time.perf_counter() - t0
                    doc.user_data = {"cell": list(key)}
                    docbin.add(doc)
                files.write_bytes(docbin.to_bytes(), part)
                files.write_json({"seconds": took}, timing)
            seconds += json.loads(timing.read_text(encoding="utf-8"))["seconds"]
            merged.merge(DocBin(store_user_data=True).from_bytes(part.read_bytes()))
        files.write_bytes(merged.to_bytes(), folder / "docs.spacy")
        del merged
    return {"chars": chars, "seconds": seconds, **_maxrss()}


def job_extract(spec: dict[str, Any]) -> dict[str, Any]:
    from pipeline.stages.extract import run as cmd_extract

    per_table = {}
    for table in spec["tables"]:
        t0 = time.perf_counter()
        cmd_extract(Path(table["folder"]), Path(table["out"]))
        per_table[table["name"]] = time.perf_counter() - t0
    return {"seconds": sum(per_table.values()), "per_table": per_table, **_maxrss()}


def job_ours(spec: dict[str, Any]) -> dict[str, Any]:
    """Our nlp stage (and extract stage unless nlp_only), timed end to end."""
    from pipeline.stages.extract import run as cmd_extract
    from pipeline.core.config import load_params
    from pipeline.ginza.model import NlpSettings
    from pipeline.ginza.run import nlp_stage

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


def run_job(name: str, spec: dict[str, Any], workdir: Path, label: str, resume: bool = False
            ) -> dict[str, Any]:
    """Run a job in a fresh interpreter; add the sampled peak RSS of its process tree.
    With ``resume``, a job whose result (for the same spec) is already in ``workdir`` is not
    run again: an interrupted full run can go on where it stopped."""
    import psutil

    spec_path = workdir / f"job_{label}.json"
    result_path = workdir / f"job_{label}.result.json"
    if resume and result_path.exists() and spec_path.exists() and \
            json.loads(spec_path.read_text(encoding="utf-8")) == spec:
        print(f"  (reusing the result of an earlier run: {result_path.name})", flush=True)
        return json.loads(result_path.read_text(encoding="utf-8"))
    result_path.unlink(missing_ok=True)
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    proc = psutil.Popen([sys.executable, __file__, "_job", name, str(spec_path), str(result_path)],
                        cwd=ROOT, stderr=subprocess.DEVNULL if not sys.stderr.isatty() else None)
    peak = 0
    tree_cpu: dict[int, float] = {}  # CPU seconds of every process of the job's tree
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
                        t = p.cpu_times()
                        tree_cpu[p.pid] = t.user + t.system
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            done.wait(0.1)

    def busy() -> float:
        t = psutil.cpu_times()
        return t.user + t.system + getattr(t, "nice", 0.0) + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0, busy0 = time.perf_counter(), busy()
    code = proc.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"bench job {name} failed with exit code {code}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["tree_peak_rss"] = peak
    result["wall"] = time.perf_counter() - t0
    # cores kept busy by other processes meanwhile (this machine is shared): should be ~0
    result["other_load"] = max(0.0, busy() - busy0 - sum(tree_cpu.values())) / result["wall"]
    result_path.write_text(json.dumps(result), encoding="utf-8")
    return result


def gb(n: float) -> str:
    return f"{n / 2**30:.2f} GB"


def same_files(a: Path, b: Path, names: tuple[str, ...]) -> list[str]:
    """Names of the files that differ between folders a and b."""
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


def prepare(mode: str, out: Path, quick_chars: int) -> list[dict[str, Any]]:
    from bench.corpus import build_tables
    from pipeline.stages.parse import run as cmd_parse

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
    parser.add_argument("--resume", action="store_true",
                        help="reuse the jobs an interrupted run of the same mode finished")
    args = parser.parse_args(argv)

    from pipeline.core.config import load_params

    mode = "full" if args.full else "quick"
    out = args.out / mode
    params = load_params()["nlp"]
    prepared = out / "tables.json"
    if args.resume and prepared.exists():
        tables = json.loads(prepared.read_text(encoding="utf-8"))
    else:
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        print(f"bench ({mode}): preparing tables from the review corpus …", flush=True)
        tables = prepare(mode, out, args.quick_chars)
        prepared.write_text(json.dumps(tables), encoding="utf-8")
    main_tables = [t for t in tables if t["role"] == "main"]
    next_tables = [t for t in tables if t["role"] == "next"]

    naive_tables = variant(main_tables, out, "naive")
    base = {"model": params["model"], "model_version": str(params["model_version"]),
            "batch_size": params["batch_size"]}

    resume = args.resume
    print("naive nlp.pipe, 1 process …", flush=True)
    naive = run_job("naive", {**base, "tables": naive_tables}, out, "naive", resume)
    print("extract on the naive parses (reference outputs) …", flush=True)
    ref = run_job("extract", {"tables": naive_tables}, out, "reference", resume)

    print(f"ours, {args.workers} processes, cold cache …", flush=True)
    ours_tables = variant(main_tables, out, "ours")
    cache2 = out / "cache_ours"
    if not (resume and (out / "job_ours.result.json").exists()):
        shutil.rmtree(cache2, ignore_errors=True)  # cold
    ours = run_job("ours", {"tables": ours_tables, "overrides": {
        "workers": args.workers, "backend": "local", "cache_dir": str(cache2)}}, out, "ours", resume)

    print("ours, 1 process, cold cache (nlp stage only) …", flush=True)
    one_tables = variant(main_tables, out, "ours_1proc")
    cache1 = out / "cache_1proc"
    if not (resume and (out / "job_one.result.json").exists()):
        shutil.rmtree(cache1, ignore_errors=True)  # cold
    one = run_job("ours", {"tables": one_tables, "nlp_only": True, "overrides": {
        "workers": 1, "backend": "local", "cache_dir": str(cache1)}}, out, "one", resume)

    print("cache: warm rerun of every table, and the next year …", flush=True)
    warm_tables = variant(main_tables, out, "warm")
    warm = run_job("ours", {"tables": warm_tables, "nlp_only": True, "overrides": {
        "workers": args.workers, "cache_dir": str(cache2)}}, out, "warm", resume)
    nxt = None
    if next_tables:
        nxt = run_job("ours", {"tables": variant(next_tables, out, "next"), "nlp_only": True,
                               "overrides": {"workers": args.workers, "cache_dir": str(cache2)}},
                      out, "next", resume)

    # ---- identical outputs, whatever the backend/cache/parallelism
    problems = []
    for n, o, w, t1 in zip(naive_tables, ours_tables, warm_tables, one_tables):
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
    rows.append(("other load (cores busy with other work)",
                 "  ".join(f"{k} {v.get('other_load', float('nan')):.2f}" for k, v in
                           (("naive", naive), ("ours", ours), ("1 process", one)))))
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
