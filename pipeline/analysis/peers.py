"""Peers: for each project, the most similar projects of other municipalities, figures side by side.

Analysts compare a scheme with the same kind of scheme elsewhere (the 補助上限額 or 支給額 of
comparable subsidies in several cities). Projects are compared by what they say they are: the
name, purpose and overview, as TF-IDF over character n-grams (Japanese has no spaces to split
words at, and n-grams of characters match 補助金 in 住宅改修補助金 and 補助金交付事業 alike), cosine
similarity between them. A project's peers are only ever of another municipality: within one,
the comparison across years follows projects (:mod:`pipeline.analysis.compare`).

The figures of a project and a peer are set side by side where they measure the same thing:
the latest year value of each series (concept, unit category, status) of each, paired when
the folded concepts are the same or, within one unit category and status, similar enough.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.analysis.compare import greedy_pairs
from pipeline.analysis.series import year_of
from pipeline.rules.numbers import format_value
from pipeline.tables.schema import table
from pipeline.text.fold import fold

PEER_COLUMNS = table("peers").names
PEER_FIGURE_COLUMNS = table("peer_figures").names
#: Projects whose similarities are computed at once: bounds memory on a national corpus.
_BLOCK = 2000


@dataclass(frozen=True)
class PeerSettings:
    """The ``peers`` section of params.yaml, and the concept similarity of ``compare``."""

    ngram_min: int
    ngram_max: int
    top: int
    min_similarity: float
    concept_similarity: float

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PeerSettings:
        peers = params["peers"]
        return cls(int(peers["ngram_range"][0]), int(peers["ngram_range"][1]), int(peers["top"]),
                   float(peers["min_similarity"]), float(params["compare"]["concept_similarity"]))


def latest_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """Each project of each municipality once: its row of the latest table that lists it."""
    p = projects.assign(_year=projects["fiscal_year"].astype(int))
    p = p.sort_values(["municipality", "project_id", "_year", "dataset"], kind="stable")
    return p.drop_duplicates(["municipality", "project_id"], keep="last").drop(columns="_year").reset_index(drop=True)


def find_peers(projects: pd.DataFrame, settings: PeerSettings) -> pd.DataFrame:
    """The ``top`` most similar projects of other municipalities of every project, at least
    ``min_similarity`` alike, most similar first (ties in table order)."""
    p = latest_projects(projects)
    if p["municipality"].nunique() < 2:
        return pd.DataFrame(columns=PEER_COLUMNS)
    texts = [fold(" ".join(parts)) for parts in zip(p["project_name"], p["purpose"], p["overview"])]
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(settings.ngram_min, settings.ngram_max),
                              sublinear_tf=True, dtype=np.float64).fit_transform(texts)
    city = pd.factorize(p["municipality"])[0]
    rows = []
    for start in range(0, len(p), _BLOCK):
        sims = (vectors[start:start + _BLOCK] @ vectors.T).toarray()
        for k, scores in enumerate(sims):
            i = start + k
            scores[city == city[i]] = -1.0  # never a project of its own municipality
            order = np.lexsort((np.arange(len(scores)), -scores))[:settings.top]
            for rank, j in enumerate(o for o in order if scores[o] >= settings.min_similarity):
                rows.append({**_side(p, i, ""), "rank": rank + 1, **_side(p, j, "peer_"),
                             "similarity": format_value(Decimal(str(round(float(scores[j]), 3))))})
    return pd.DataFrame(rows, columns=PEER_COLUMNS)


def _side(p: pd.DataFrame, i: int, prefix: str) -> dict[str, str]:
    return {f"{prefix}{c}": p[c].iat[i] for c in ("municipality", "dataset", "project_id", "project_name")}


def _latest_values(series: pd.DataFrame) -> pd.DataFrame:
    """The latest year period's row of every series (project, concept, unit category, status)."""
    s = series[series["period"].map(lambda v: year_of(v) is not None)]
    s = s.assign(_year=s["period"].map(lambda v: year_of(v)[1]), _concept=s["concept"].map(fold))  # type: ignore[index]
    s = s.sort_values(["_year", "period"], kind="stable")
    return s.drop_duplicates(["municipality", "project_id", "_concept", "unit_category", "status"], keep="last")


def peer_figures(peers: pd.DataFrame, series: pd.DataFrame, concept_similarity: float) -> pd.DataFrame:
    """For each project and peer, their latest values of the same measure, side by side: the
    same folded concept, unit category and status, else concepts alike within both of these."""
    latest = _latest_values(series)
    by_project = dict(tuple(latest.groupby(["municipality", "project_id"], sort=False)))
    rows = []
    for r in peers.to_dict("records"):
        a = by_project.get((r["municipality"], r["project_id"]))
        b = by_project.get((r["peer_municipality"], r["peer_project_id"]))
        if a is None or b is None:
            continue
        for key, left in a.groupby(["unit_category", "status"], sort=False):
            right = b[(b["unit_category"] == key[0]) & (b["status"] == key[1])]
            views = ([(c,) for c in left["_concept"]], [(c,) for c in right["_concept"]])
            for i, j, _ratio in greedy_pairs(*views, concept_similarity):
                x, y = left.iloc[i], right.iloc[j]
                rows.append({**{c: r[c] for c in ("municipality", "dataset", "project_id", "project_name",
                                                  "peer_municipality", "peer_dataset", "peer_project_id",
                                                  "peer_project_name", "similarity")},
                             "concept": x["concept"], "peer_concept": y["concept"], "unit_category": key[0],
                             "status": key[1], "period": x["period"], "value": x["value"], "unit": x["unit"],
                             "peer_period": y["period"], "peer_value": y["value"], "peer_unit": y["unit"]})
    return pd.DataFrame(rows, columns=PEER_FIGURE_COLUMNS)


def peer_tables(projects: pd.DataFrame, series: pd.DataFrame, settings: PeerSettings) -> dict[str, pd.DataFrame]:
    """The files the compare stage writes beside the comparison: peers and peer_figures."""
    peers = find_peers(projects, settings)
    return {"peers": peers, "peer_figures": peer_figures(peers, series, settings.concept_similarity)}
