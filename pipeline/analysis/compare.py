"""Match projects and metrics across fiscal years and tabulate how the figures changed.

Pure functions over the text tables the earlier stages write (every cell a string, as
:func:`pipeline.io.read_csv` reads them). Numbers are computed exactly with Decimal and
written back as plain decimal strings, so a comparison is as byte-stable as the rest of
the pipeline.

Within one municipality, a project is the same project in the next year when its 事業番号
is the same, else when its 旧事業名 (「（旧：…）」) is last year's name, else when the two
names are similar enough, in the same bureau, both whole and without bracketed parts. Within a matched project, a metric is the same when its
normalised concept and unit category are the same (the n-th such metric pairs with the
n-th), else when the unit category is the same and the concepts are similar: concepts are
phrases taken from free text and drift between years (要望等の対応数 → 要望等への対応数).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from pipeline.core.config import COMPARE_TABLES, FIELDS
from pipeline import resources
from pipeline.analysis.series import SERIES_COLUMNS, build_series, period_pairs, stated_priors, wide
from pipeline.rules.numbers import format_value
from pipeline.tables.schema import table
from pipeline.text.fold import fold

COMPARISON_COLUMNS = table("comparison").names
WIDE_COLUMNS = table("comparison_wide").names
MATCH_COLUMNS = table("matches").names
TOP_COLUMNS = table("top_changes").names
PROJECT_MATCH_COLUMNS = ["project_id_from", "project_id_to", "project_name_from", "project_name_to",
                         "match_method", "match_confidence"]
METRIC_MATCH_COLUMNS = ["project_id_from", "project_id_to", "metric_id_from", "metric_id_to",
                        "concept_from", "concept_to", "unit_category", "match_method", "match_confidence"]

# How sure a project match is. A shared 事業番号 is certain while the names agree; a declared
# former name is nearly so (the number changed); similar names are a guess, as sure as they
# are similar but never as sure as a link the table itself declares.
FORMER_NAME_CONFIDENCE = 0.95
SIMILARITY_SCALE = 0.9


@dataclass(frozen=True)
class CompareSettings:
    """The ``compare`` section of params.yaml; the bases that mean "the year before" are the
    rules' own (resources/bases.yaml)."""

    name_similarity: float
    concept_similarity: float
    prior_tolerance: float
    top_changes: int
    stated_bases: tuple[str, ...] = tuple(resources.bases()["previous_year"])

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CompareSettings:
        return cls(float(params["name_similarity"]), float(params["concept_similarity"]),
                   float(params["prior_tolerance"]), int(params["top_changes"]))


_BRACKETED = re.compile(r"[(\[（【「][^()\[\]（）【】「」]*[)\]）】」]")


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two strings (1 = identical)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def greedy_pairs(left: Sequence[Sequence[str]], right: Sequence[Sequence[str]],
                 threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (i, j, ratio) of items at least ``threshold`` alike, most alike first.

    An item is one or more views of a string (a name, and the name without brackets); two
    items are as alike as their least alike view. Ties go to table order, so the result
    depends on nothing but the inputs.
    """
    candidates = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            ratio = _least_ratio(a, b, threshold)
            if ratio is not None:
                candidates.append((-ratio, i, j))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for neg_ratio, i, j in sorted(candidates):
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            pairs.append((i, j, -neg_ratio))
    return pairs


def _least_ratio(a: Sequence[str], b: Sequence[str], threshold: float) -> float | None:
    """The lowest ratio over the views, or None as soon as one is below ``threshold``."""
    least = 1.0
    for x, y in zip(a, b):
        matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            return None
        least = min(least, matcher.ratio())
        if least < threshold:
            return None
    return least


def name_views(name: str) -> tuple[str, str]:
    """A normalised name and its core without bracketed parts, compared together.

    National tables append the same bracket to unrelated projects
    (陸自業務システム(情報通信技術調達等適正・効率化推進費) vs 農林水産統計システム(…)): the
    whole names look alike, the cores do not.
    """
    whole = fold(name)
    return whole, _BRACKETED.sub("", whole) or whole


# --- matching -----------------------------------------------------------------------------

def table_pairs(projects: pd.DataFrame) -> list[tuple[str, Table, Table]]:
    """(municipality, table, next table) for every municipality, a table being one dataset's
    rows of one fiscal year, in fiscal-year order (then by dataset name)."""
    out = []
    tables = projects[["municipality", "dataset", "fiscal_year"]].drop_duplicates()
    for municipality, group in sorted(tables.groupby("municipality")):
        ordered = sorted(zip(group["fiscal_year"], group["dataset"]), key=lambda t: (int(t[0]), t[1]))
        out += [(str(municipality), (d0, y0), (d1, y1)) for (y0, d0), (y1, d1) in zip(ordered, ordered[1:])]
    return out


def match_projects(prev: pd.DataFrame, curr: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The projects of one municipality in two years, matched.

    One row per project of either year: the current year's projects in table order, then
    the previous year's projects that ended. ``match_method`` is project_id, former_name,
    name_similarity (only within one bureau, see :func:`_organisations`) or unmatched;
    ``match_confidence`` is 0–1 (0 when unmatched).
    """
    link = _link_projects(prev, curr, threshold)
    taken = {i for i, _, _ in link.values()}

    def row(i: int | None, j: int | None, method: str, confidence: float) -> tuple[object, ...]:
        return (prev["project_id"].iat[i] if i is not None else "",
                curr["project_id"].iat[j] if j is not None else "",
                prev["project_name"].iat[i] if i is not None else "",
                curr["project_name"].iat[j] if j is not None else "", method, confidence)

    rows = [row(link[j][0], j, *link[j][1:]) if j in link else row(None, j, "unmatched", 0.0)
            for j in range(len(curr))]
    rows += [row(i, None, "unmatched", 0.0) for i in range(len(prev)) if i not in taken]
    return pd.DataFrame(rows, columns=PROJECT_MATCH_COLUMNS)


Link = tuple[int, str, float]  # previous row, method, confidence


def _link_projects(prev: pd.DataFrame, curr: pd.DataFrame, threshold: float) -> dict[int, Link]:
    """Current row → (previous row, method, confidence), each step only among rows still free."""
    prev_names = [name_views(n) for n in prev["project_name"]]
    curr_names = [name_views(n) for n in curr["project_name"]]
    curr_former = [fold(n) for n in curr["former_name"]]
    link: dict[int, Link] = {}
    prev_by_id = {pid: i for i, pid in enumerate(prev["project_id"])}
    for j, pid in enumerate(curr["project_id"]):
        if pid in prev_by_id:
            i = prev_by_id[pid]
            whole, before = curr_names[j][0], prev_names[i][0]
            same = whole == before or curr_former[j] == before
            link[j] = (i, "project_id", 1.0 if same else 0.5 + 0.5 * similarity(whole, before))
    taken = {i for i, _, _ in link.values()}
    prev_by_name: dict[str, int] = {}
    for i, (whole, _) in enumerate(prev_names):
        if i not in taken:
            prev_by_name.setdefault(whole, i)
    for j, former in enumerate(curr_former):
        i = prev_by_name.get(former) if former else None
        if j not in link and i is not None and i not in taken:
            link[j] = (i, "former_name", FORMER_NAME_CONFIDENCE)
            taken.add(i)
    prev_org, curr_org = _organisations(prev), _organisations(curr)
    for org in sorted({prev_org[i] for i in range(len(prev)) if i not in taken}):
        left = [i for i in range(len(prev)) if i not in taken and prev_org[i] == org]
        right = [j for j in range(len(curr)) if j not in link and curr_org[j] == org]
        for a, b, ratio in greedy_pairs([prev_names[i] for i in left], [curr_names[j] for j in right],
                                        threshold):
            link[right[b]] = (left[a], "name_similarity", SIMILARITY_SCALE * ratio)
            taken.add(left[a])
    return link


def _organisations(projects: pd.DataFrame) -> list[str]:
    """Who runs each project: its bureau, else its division (a ministry in national tables).

    Similar names are only trusted within one organisation: ministries share long name
    patterns (…システム(情報通信技術調達等適正・効率化推進費)) across unrelated projects.
    """
    return [fold(b) or fold(d) for b, d in zip(projects["bureau"], projects["division"])]


def _comparable(metrics: pd.DataFrame) -> pd.DataFrame:
    """Metrics that can be followed across years, in text order, with their match keys.

    Deltas are left out (they are what the text says about a change, see
    :func:`stated_changes`), and so are figures without a concept: nothing names them.
    """
    m = metrics[(metrics["kind"] != "delta") & (metrics["concept"].str.strip() != "")].copy()
    m["_concept"] = m["concept"].map(fold)
    m["_field"] = m["field"].map({f: i for i, f in enumerate(FIELDS)}).fillna(len(FIELDS)).astype(int)
    m["_start"] = pd.to_numeric(m["start"], errors="coerce").fillna(0).astype(int)
    m = m.sort_values(["project_id", "_field", "_start"], kind="stable")
    m["_rank"] = m.groupby(["project_id", "_concept", "unit_category"]).cumcount()
    return m


def match_metrics(prev: pd.DataFrame, curr: pd.DataFrame, projects: pd.DataFrame,
                  threshold: float) -> pd.DataFrame:
    """The metrics of matched projects in two years, matched (one municipality).

    ``projects`` holds the matched project pairs (project_id_from, project_id_to). Rows
    follow the pairs' order, then the current year's text order; ``match_method`` is
    concept_exact or concept_similar, ``match_confidence`` 1 or the concepts' similarity.
    """
    pairs = (projects[["project_id_from", "project_id_to"]].reset_index(drop=True)
             .rename_axis("_pair").reset_index())
    keep = ["_pair", "project_id_from", "project_id_to", "metric_id", "concept", "unit_category",
            "_concept", "_rank", "_field", "_start"]
    a = _comparable(prev).merge(pairs, left_on="project_id", right_on="project_id_from")[keep]
    b = _comparable(curr).merge(pairs, left_on="project_id", right_on="project_id_to")[keep]
    exact = a.merge(b, on=["_pair", "project_id_from", "project_id_to", "_concept", "unit_category", "_rank"],
                    suffixes=("_from", "_to")).assign(match_method="concept_exact", match_confidence=1.0)
    a = a[~a["metric_id"].isin(exact["metric_id_from"])]
    b = b[~b["metric_id"].isin(exact["metric_id_to"])]
    similar = []
    candidates = dict(tuple(b.groupby(["_pair", "unit_category"])))
    for key, left in a.groupby(["_pair", "unit_category"]):
        right = candidates.get(key)
        if right is None:
            continue
        views = ([(c,) for c in left["_concept"]], [(c,) for c in right["_concept"]])
        for i, j, ratio in greedy_pairs(*views, threshold):
            f, t = left.iloc[i], right.iloc[j]
            similar.append({"_pair": key[0], "project_id_from": f["project_id_from"],
                            "project_id_to": f["project_id_to"], "metric_id_from": f["metric_id"],
                            "metric_id_to": t["metric_id"], "concept_from": f["concept"],
                            "concept_to": t["concept"], "unit_category": key[1], "_field_to": t["_field"],
                            "_start_to": t["_start"],
                            "match_method": "concept_similar", "match_confidence": ratio})
    found = pd.concat([exact, pd.DataFrame(similar, columns=[*METRIC_MATCH_COLUMNS, "_pair", "_field_to",
                                                                "_start_to"])], ignore_index=True)
    found = found.sort_values(["_pair", "_field_to", "_start_to"], kind="stable")
    return found[METRIC_MATCH_COLUMNS].reset_index(drop=True)


# --- the comparison -----------------------------------------------------------------------

@dataclass
class Comparison:
    """The tables of a comparison, as ``python -m pipeline compare`` writes them."""

    comparison: pd.DataFrame
    comparison_wide: pd.DataFrame
    matches: pd.DataFrame
    top_changes: pd.DataFrame
    series: pd.DataFrame
    compare_qa: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in COMPARE_TABLES}


Table = tuple[str, str]  # dataset, fiscal year
ProjectKey = tuple[str, str, str]  # dataset, fiscal year, project_id


def compare_years(projects: pd.DataFrame, metrics: pd.DataFrame, settings: CompareSettings) -> Comparison:
    """Every municipality's tables, followed across fiscal years by period.

    Projects and metrics of consecutive tables are matched (``matches``); matched projects
    and similar concepts make one series key across tables, and the figures are then set out
    by the period they describe (:mod:`pipeline.analysis.series`) and compared between
    consecutive periods. ``projects`` and ``metrics`` hold any number of years as the
    pipeline writes them, with the panel keys ``municipality`` and ``dataset`` (optional, see
    :func:`_with_panel_keys`). Matching, series and comparison never cross municipalities:
    every row of every table says which one it is of.
    """
    projects, metrics = _with_panel_keys(projects), _with_panel_keys(metrics)
    matches: list[pd.DataFrame] = []
    project_links: dict[ProjectKey, tuple[ProjectKey, str, float]] = {}
    concept_links: dict[str, tuple[str, str, float]] = {}
    for municipality, t0, t1 in table_pairs(projects):
        header = {"municipality": municipality, "dataset_from": t0[0], "dataset_to": t1[0],
                  "fiscal_year_from": t0[1], "fiscal_year_to": t1[1]}
        pm = match_projects(_of_table(projects, t0), _of_table(projects, t1), settings.name_similarity)
        matched = pm[pm["match_method"] != "unmatched"]
        mm = match_metrics(_of_table(metrics, t0), _of_table(metrics, t1), matched, settings.concept_similarity)
        mm = mm.merge(matched.rename(columns={"match_method": "project_method",
                                              "match_confidence": "project_confidence"}),
                      on=["project_id_from", "project_id_to"])
        matches += [pm.assign(level="project", **header), mm.assign(level="metric", **header)]
        for r in matched.itertuples():
            project_links[(*t1, r.project_id_to)] = ((*t0, r.project_id_from), r.match_method,
                                                    float(r.match_confidence))
        for r in mm.itertuples():
            concept_links[r.metric_id_to] = (r.metric_id_from, r.match_method, float(r.match_confidence))
    match_table = (pd.concat(matches, ignore_index=True).reindex(columns=MATCH_COLUMNS).fillna("")
                   if matches else pd.DataFrame(columns=MATCH_COLUMNS))
    match_table["match_confidence"] = match_table["match_confidence"].map(_confidence)
    keyed = _keyed(metrics, project_links, concept_links)
    series, findings = build_series(keyed, settings.prior_tolerance)
    comparison = _comparison(series, keyed, settings)
    return Comparison(comparison, wide(series, WIDE_COLUMNS), match_table,
                      top_changes(comparison, settings.top_changes), series[SERIES_COLUMNS], findings)


def _with_panel_keys(df: pd.DataFrame) -> pd.DataFrame:
    """Tables read straight from run folders, without panel keys, are one municipality whose
    fiscal years are its datasets (their ids are unique, each year's being its own)."""
    if "municipality" not in df:
        df = df.assign(municipality="")
    return df if "dataset" in df else df.assign(dataset=df["fiscal_year"])


def _of_table(df: pd.DataFrame, t: Table) -> pd.DataFrame:
    return df[(df["dataset"] == t[0]) & (df["fiscal_year"] == t[1])]


def _keyed(metrics: pd.DataFrame, project_links: Mapping[ProjectKey, tuple[ProjectKey, str, float]],
           concept_links: Mapping[str, tuple[str, str, float]]) -> pd.DataFrame:
    """Metrics in year and text order with their series keys: ``_project`` (the project as
    first seen, through matched projects), ``_concept`` (the folded concept, or the one of the
    figure it was matched to by similarity) and ``_link``, how the figure's project and concept
    were linked to the table before (method, confidence)."""
    m = metrics.copy()
    m["_field"] = m["field"].map({f: i for i, f in enumerate(FIELDS)}).fillna(len(FIELDS)).astype(int)
    m["_start"] = pd.to_numeric(m["start"], errors="coerce").fillna(0).astype(int)
    m["_year"] = m["fiscal_year"].astype(int)
    m = m.sort_values(["_year", "dataset", "project_id", "_field", "_start"], kind="stable").reset_index(drop=True)
    m["_order"] = range(len(m))

    def first_seen(key: ProjectKey) -> str:
        while key in project_links:
            key = project_links[key][0]
        return ":".join(key)

    concept_of: dict[str, str] = {}
    projects, concepts, methods, confidences = [], [], [], []
    for r in m.itertuples():
        key = (r.dataset, r.fiscal_year, r.project_id)
        projects.append(first_seen(key))
        concept = fold(r.concept)
        link = concept_links.get(r.metric_id)
        if link and link[1] == "concept_similar" and link[0] in concept_of:
            concept = concept_of[link[0]]
        concept_of[r.metric_id] = concept
        concepts.append(concept)
        project = project_links.get(key)
        methods.append(f"{project[1]}+{link[1] if link else 'concept_exact'}" if project else "")
        confidences.append(project[2] * (link[2] if link else 1.0) if project else 1.0)
    return m.assign(_project=projects, _concept=concepts, _method=methods, _confidence=confidences)


def _comparison(series: pd.DataFrame, keyed: pd.DataFrame, settings: CompareSettings) -> pd.DataFrame:
    """Consecutive periods of each series, with the change the text states beside the computed one."""
    pairs = period_pairs(series)
    stated = stated_priors(keyed, settings.stated_bases).set_index("metric_id")
    link = keyed.set_index("metric_id")[["_method", "_confidence"]]
    rows = []
    for r in pairs.to_dict("records"):
        table_from, table_to = r["fiscal_years_from"].split(";")[-1], r["fiscal_years_to"].split(";")[-1]
        same_table = (r["dataset_from"], table_from) == (r["dataset_to"], table_to)
        said = stated.loc[r["metric_id_to"]] if r["metric_id_to"] in stated.index else None
        prior = said["stated_prior_value"] if said is not None else ""
        slack = Decimal(said["stated_prior_slack"]) if said is not None else Decimal(0)
        method, confidence = ("same_table", 1.0) if same_table else tuple(link.loc[r["metric_id_to"]])
        rows.append({
            "municipality": r["municipality"], "project_id": r["project_id_to"], "project_name": r["project_name_to"], "concept": r["concept_to"],
            "unit": r["unit_to"], "unit_category": r["unit_category"], "status": r["status"],
            "period_from": r["period_from"], "period_to": r["period_to"],
            "dataset_from": r["dataset_from"], "dataset_to": r["dataset_to"],
            "fiscal_year_from": table_from, "fiscal_year_to": table_to,
            "value_from": r["value_from"], "value_to": r["value_to"],
            **changes_of(r["value_from"], r["value_to"], prior, settings.prior_tolerance, True, slack),
            "stated_change": said["stated_change"] if said is not None else "", "stated_prior_value": prior,
            "match_method": method or "same_table", "match_confidence": _confidence(confidence),
            "metric_id_from": r["metric_id_from"], "metric_id_to": r["metric_id_to"]})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def changes_of(value_from: str, value_to: str, stated_prior: str, tolerance: float,
               consecutive: bool, slack: Decimal = Decimal(0)) -> dict[str, str]:
    """change_abs, change_pct (2 decimals; empty from 0) and disagreement, as text.

    ``disagreement`` says whether the prior value the text implies differs from the figure
    of the period before by more than ``tolerance`` of it (of 1, for figures under 1) plus
    ``slack`` (how far the rounding of a stated percentage moves the prior); it is empty
    without a stated prior value or when the periods are not consecutive.
    """
    a, b = Decimal(value_from), Decimal(value_to)
    change = b - a
    pct = format_value((change / abs(a) * 100).quantize(Decimal("0.01"))) if a else ""
    disagreement = ""
    if stated_prior and consecutive:
        limit = Decimal(str(tolerance)) * max(abs(a), Decimal(1)) + slack
        disagreement = "true" if abs(Decimal(stated_prior) - a) > limit else "false"
    return {"change_abs": format_value(change), "change_pct": pct, "disagreement": disagreement}


def _confidence(value: float) -> str:
    return format_value(Decimal(str(round(float(value), 3))))


def largest_changes(comparison: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` comparison rows of largest relative change, with a unique ``label`` for charts."""
    c = comparison[comparison["change_pct"] != ""].copy()
    c["_size"] = c["change_pct"].map(lambda v: abs(Decimal(v)))
    c = c.sort_values("_size", ascending=False, kind="stable").head(n).drop(columns="_size")
    where = c["municipality"].map(lambda m: f"{m} " if m else "")
    label = where + c["period_from"] + "→" + c["period_to"] + " " + c["project_name"] + "：" + c["concept"]
    c["label"] = [f"{text}（{k + 1}）" if k else text
                  for text, k in zip(label, label.groupby(label).cumcount())]
    return c.reset_index(drop=True)


def top_changes(comparison: pd.DataFrame, n: int) -> pd.DataFrame:
    """The source of the ``dvc plots`` bar chart of the largest changes."""
    return largest_changes(comparison, n)[TOP_COLUMNS]
