"""The top-1 peers of a random sample of projects, to judge by eye (README: Peers).

The bundled datasets have few projects alike across municipalities, so the sample is drawn from
a wider panel: つくば市 (FY2023), 池田市 and 横浜市 (PDF sheets), 福岡市 (the 令和6年度 table of the
fukuoka_r6 gold set) and the 2025 national review slice, as `make repro` leaves them parsed.

    .venv/bin/python bench/peers_sample.py [--n 30] [--seed 20]
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from pipeline.analysis.panel import Source, read_panel
from pipeline.analysis.peers import PeerSettings, find_peers
from pipeline.core.config import StagePaths, load_params

PANEL = (("tsukuba_2023", "つくば市"), ("ikeda_2024", "池田市"), ("yokohama_2024", "横浜市"),
         ("review_2025", "行政事業レビュー（国）"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    sources = [Source(StagePaths.for_dataset(name), name, city) for name, city in PANEL]
    sources.append(Source(StagePaths.for_eval_set("fukuoka_r6"), "fukuoka_r6", "福岡市"))
    settings = PeerSettings.from_params(load_params())
    top1 = PeerSettings(settings.ngram_min, settings.ngram_max, 1, 0.0, settings.concept_similarity)
    peers = find_peers(read_panel(sources, "projects"), top1)
    sample = peers.sample(args.n, random_state=args.seed)
    sample = sample.assign(_s=sample["similarity"].astype(float)).sort_values("_s", ascending=False)
    with pd.option_context("display.width", 250, "display.max_colwidth", 45):
        print(sample[["municipality", "project_name", "peer_municipality", "peer_project_name", "similarity"]]
              .reset_index(drop=True).to_string())
    print(f"\n{len(peers)} projects; min_similarity in params: {settings.min_similarity}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
