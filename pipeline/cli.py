"""Command line: ``python -m pipeline COMMAND``. Thin wrappers; the work is in the modules.

The DVC stages call these same commands, so a table tried by hand with ``run`` gives the
same files as the pipeline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline import io
from pipeline.config import ROOT, StagePaths, load_params


def _paths(folder: Path, out: Path | None = None) -> StagePaths:
    return StagePaths(folder, out or folder)


def cmd_parse(table: Path, fiscal_year: int, out: Path, encoding: str | None = None) -> StagePaths:
    """Table → projects.csv, quarantine.csv and parse_summary.json in ``out``.

    The layout (wide or long) is ``table.layout`` in params; a multi-year long table gives
    the rows of ``fiscal_year`` only, the others counted as skipped in the summary.
    """
    from pipeline.table import parse_table

    params = load_params()["table"]
    result = parse_table(table, fiscal_year, params["columns"], params["required"],
                         params["bureau_suffixes"], encoding, layout=params["layout"],
                         long_layout=params["long_layout"], year_filter=fiscal_year)
    paths = _paths(out)
    io.write_csv(result.projects, paths.projects)
    io.write_csv(result.quarantine, paths.quarantine)
    io.write_json(result.summary, paths.parse_summary)
    s = result.summary
    print(f"parse: {s['projects']} projects ({s['layout']} layout), {s['quarantined']} rows "
          f"quarantined, {s['skipped_year']} of other years → {paths.projects}", file=sys.stderr)
    return paths


def cmd_nlp(folder: Path) -> None:
    """projects.csv → docs.spacy: the GiNZA pass, run once per table."""
    from pipeline.nlp import NlpSettings, nlp_stage

    settings = NlpSettings.from_params(load_params()["nlp"])
    paths = _paths(folder)
    stats = nlp_stage(paths.projects, paths.docs, settings)
    print(f"nlp: {stats.summary()} → {paths.docs}", file=sys.stderr)


def cmd_extract(folder: Path, out: Path) -> None:
    """projects.csv + docs.spacy → metrics, entities, trends and qa tables in ``out``."""
    from pipeline.extract import extract_all
    from pipeline.nlp import read_docs

    paths = _paths(folder, out)
    projects = io.read_csv(paths.projects)
    tables = extract_all(projects, read_docs(paths.docs))
    for name, df in tables.items():
        io.write_csv(df, paths.output(name))
    print(f"extract: {len(tables['metrics'])} metrics, {len(tables['entities'])} entities, "
          f"{len(tables['trends'])} trends → {paths.processed}", file=sys.stderr)


def cmd_run(table: Path, fiscal_year: int, out: Path, encoding: str | None = None) -> None:
    """parse + nlp + extract on any table, outside DVC.

    Works in a scratch folder next to ``out`` and moves the files in only when every stage
    has succeeded, so a failed run leaves no partial tables behind.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as scratch:
        work = Path(scratch)
        cmd_parse(table, fiscal_year, work, encoding)
        cmd_nlp(work)
        cmd_extract(work, work)
        out.mkdir(exist_ok=True)
        for produced in sorted(work.iterdir()):
            os.replace(produced, out / produced.name)
    print(f"run: metrics.csv, entities.csv, trends.csv, qa.csv, projects.csv → {out}", file=sys.stderr)


def cmd_evaluate(out_json: Path, reports: Path) -> None:
    """Score every dataset and eval set that has a gold file (see :mod:`pipeline.evaluate`)."""
    from pipeline.evaluate import evaluate_all

    evaluate_all(load_params(), ROOT, out_json, reports)


def cmd_export(out: Path) -> None:
    """All fiscal years' tables → ``out`` as CSV (UTF-8 with BOM) and Parquet."""
    from pipeline.export import export_all

    export_all(load_params(), ROOT, out)


def cmd_compare(folders: Sequence[Path], out: Path) -> None:
    """Run folders, or without any every fiscal year in params ``datasets``, → comparison tables."""
    from pipeline.compare import CompareSettings, compare_years, dataset_sources, folder_sources, load

    params = load_params()
    sources = folder_sources(folders) if folders else dataset_sources(params, ROOT)
    result = compare_years(*load(sources), CompareSettings.from_params(params["compare"]))
    for name, df in result.tables().items():
        io.write_csv(df, out / f"{name}.csv")
    projects = result.matches[(result.matches["level"] == "project")
                              & (result.matches["match_method"] != "unmatched")]
    print(f"compare: {len(projects)} projects and {len(result.comparison)} metrics matched across "
          f"years → {out}", file=sys.stderr)


def cmd_report(folder: Path, out: Path) -> None:
    """A folder of tables (exports/, or a run folder) → one self-contained HTML report."""
    from pipeline.report import write_report

    write_report(folder, out, int(load_params()["compare"]["top_changes"]))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline",
                                     description="事務事業評価 tables → tidy outcome metrics.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def table_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("table", type=Path, help="TSV, CSV or XLSX table, wide or long layout (.gz too)")
        p.add_argument("--fiscal-year", type=int, required=True, help="fiscal year, e.g. 2023")
        p.add_argument("--out", type=Path, required=True, help="output folder")
        p.add_argument("--encoding", default=None, help="file encoding (default: UTF-8, else CP932)")

    table_args(sub.add_parser("parse", help="read a table into projects.csv"))
    p = sub.add_parser("nlp", help="run GiNZA over a parsed table's cells")
    p.add_argument("folder", type=Path, help="folder with projects.csv")
    p = sub.add_parser("extract", help="extract metrics, entities and trends from parsed cells")
    p.add_argument("folder", type=Path, help="folder with projects.csv and docs.spacy")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    table_args(sub.add_parser("run", help="parse + nlp + extract one table, outside DVC"))
    p = sub.add_parser("evaluate", help="score against the gold sets in params.yaml")
    p.add_argument("--out", type=Path, default=ROOT / "metrics" / "eval.json")
    p.add_argument("--reports", type=Path, default=ROOT / "reports")
    p = sub.add_parser("export", help="write the analyst tables of every fiscal year")
    p.add_argument("--out", type=Path, default=ROOT / "exports")
    p = sub.add_parser("compare", help="match projects and metrics across fiscal years")
    p.add_argument("folders", type=Path, nargs="*",
                   help="output folders of `run` (default: every year in params datasets)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p = sub.add_parser("report", help="write a self-contained HTML report of a folder of tables")
    p.add_argument("folder", type=Path, nargs="?", default=ROOT / "exports",
                   help="folder with metrics.csv, qa.csv, projects.csv and optionally comparison.csv")
    p.add_argument("--out", type=Path, required=True, help="HTML file to write")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from pipeline.nlp import ModelMismatch
    from pipeline.table import TableError

    args = build_parser().parse_args(argv)
    try:
        if args.command == "parse":
            cmd_parse(args.table, args.fiscal_year, args.out, args.encoding)
        elif args.command == "nlp":
            cmd_nlp(args.folder)
        elif args.command == "extract":
            cmd_extract(args.folder, args.out)
        elif args.command == "run":
            cmd_run(args.table, args.fiscal_year, args.out, args.encoding)
        elif args.command == "evaluate":
            cmd_evaluate(args.out, args.reports)
        elif args.command == "export":
            cmd_export(args.out)
        elif args.command == "compare":
            cmd_compare(args.folders, args.out)
        elif args.command == "report":
            cmd_report(args.folder, args.out)
    except (TableError, ModelMismatch, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0

