"""Command line: ``python -m pipeline COMMAND``. Each command runs one stage module of
:mod:`pipeline.stages`; ``run`` chains parse, nlp and extract.

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

from pipeline.core.config import ROOT


def cmd_run(table: Path, fiscal_year: int, out: Path, encoding: str | None = None,
            form: str | None = None) -> None:
    """parse + nlp + extract on any table, outside DVC.

    Works in a scratch folder next to ``out`` and moves the files in only when every stage
    has succeeded, so a failed run leaves no partial tables behind.
    """
    from pipeline.stages import extract, nlp, parse

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as scratch:
        work = Path(scratch)
        parse.run(table, fiscal_year, work, encoding, form)
        nlp.run(work)
        extract.run(work, work)
        out.mkdir(exist_ok=True)
        for produced in sorted(work.iterdir()):
            os.replace(produced, out / produced.name)
    print(f"run: metrics.csv, entities.csv, trends.csv, qa.csv, projects.csv → {out}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline",
                                     description="事務事業評価 tables → tidy outcome metrics.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def table_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("table", type=Path, help="TSV, CSV or XLSX table, wide or long layout (.gz too); "
                       "or PDF evaluation sheets: one .pdf, a folder of them, or a glob ('sheets/*.pdf')")
        p.add_argument("--fiscal-year", type=int, required=True, help="fiscal year, e.g. 2023")
        p.add_argument("--out", type=Path, required=True, help="output folder")
        p.add_argument("--encoding", default=None, help="file encoding (default: UTF-8, else CP932)")
        p.add_argument("--form", default=None, help="PDF form profile (ikeda, yokohama, generic; default: "
                       "recognised from each sheet)")

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
    p = sub.add_parser("learn", help="train and measure the learned status classifier beside the rules")
    p.add_argument("--out", type=Path, default=ROOT / "metrics" / "learned_status.json")
    p.add_argument("--model", type=Path, default=ROOT / "models" / "status.json")
    p = sub.add_parser("learn-concept",
                       help="train and measure a learned choice of each figure's concept beside the rules")
    p.add_argument("--out", type=Path, default=ROOT / "metrics" / "learned_concept.json")
    p.add_argument("--model", type=Path, default=ROOT / "models" / "concept.json")
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
    """Each command imports only its own stage, so ``parse`` never loads spaCy."""
    from pipeline.ginza.model import ModelMismatch
    from pipeline.tables.pdf.profiles import ProfileError
    from pipeline.tables.reader import TableError

    args = build_parser().parse_args(argv)
    try:
        if args.command == "parse":
            from pipeline.stages import parse
            parse.run(args.table, args.fiscal_year, args.out, args.encoding, args.form)
        elif args.command == "nlp":
            from pipeline.stages import nlp
            nlp.run(args.folder)
        elif args.command == "extract":
            from pipeline.stages import extract
            extract.run(args.folder, args.out)
        elif args.command == "run":
            cmd_run(args.table, args.fiscal_year, args.out, args.encoding, args.form)
        elif args.command == "evaluate":
            from pipeline.stages import evaluate
            evaluate.run(args.out, args.reports)
        elif args.command == "learn":
            from pipeline.stages import learn
            learn.run(args.out, args.model)
        elif args.command == "learn-concept":
            from pipeline.stages import learn
            learn.run_concept(args.out, args.model)
        elif args.command == "export":
            from pipeline.stages import export
            export.run(args.out)
        elif args.command == "compare":
            from pipeline.stages import compare
            compare.run(args.folders, args.out)
        elif args.command == "report":
            from pipeline.stages import report
            report.run(args.folder, args.out)
    except (TableError, ModelMismatch, FileNotFoundError, ProfileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
