"""A panel of values by period, and changes between consecutive periods.

A table of one fiscal year states figures of several periods (令和4年度の3,210件に比べ、令和5年度は
3,850件); a later table may restate them. So figures are followed by what they describe, not by
the table they come from: one ``series`` row per project × concept × unit category × status ×
period, with every table that states it and whether those tables agree; the comparison pairs
consecutive periods of one series key (FY2023 → FY2024, 2022 → 2023), never a target with an
actual, never a multiple or a rule with a result of another status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from decimal import Decimal

import pandas as pd

from pipeline.rules.numbers import format_value
from pipeline.rules.periods import time_expressions
from pipeline.rules.quantities import BOUNDS
from pipeline.tables.schema import table
from pipeline.text.fold import fold

SERIES_COLUMNS = table("series").names
QA_COLUMNS = table("qa").names
#: FY2023 or 2023: the periods that have a "previous one" a year before.
_YEAR_PERIOD = re.compile(r"(FY)?(\d{4})")
#: What names one series: a project (canonical across tables), its measure, and the status.
KEY = ["municipality", "_project", "_concept", "unit_category", "status"]


def year_of(period: str) -> tuple[str, int] | None:
    """("FY", 2023) for FY2023, ("", 2023) for 2023; None for months, days and spans."""
    m = _YEAR_PERIOD.fullmatch(period or "")
    return (m.group(1) or "", int(m.group(2))) if m else None


def previous_period(period: str) -> str:
    """The period one year before (FY2023 → FY2022); empty for other periods."""
    y = year_of(period)
    return f"{y[0]}{y[1] - 1}" if y else ""


def _differ(a: str, b: str, tolerance: float) -> bool:
    x, y = Decimal(a), Decimal(b)
    return abs(x - y) > Decimal(str(tolerance)) * max(abs(x), abs(y), Decimal(1))


def statements(metrics: pd.DataFrame) -> pd.DataFrame:
    """The figures that state a value of a series: not changes (they say how a value moved),
    with a concept (nothing names the others) and a period; the first in text order per table
    and series row. ``metrics`` carries the keys ``_project`` and ``_concept``."""
    m = metrics[(metrics["kind"] != "delta") & (metrics["_concept"] != "") & (metrics["period"] != "")]
    m = m.sort_values(["fiscal_year", "_order"], kind="stable")
    return m.drop_duplicates([*KEY, "period", "dataset", "fiscal_year"])


def build_series(metrics: pd.DataFrame, tolerance: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The series table and its ``restatement_mismatch`` QA findings.

    The value of a series row is the latest table's; ``agree`` is false when the tables that
    state it differ by more than ``tolerance`` (relative), and each later table that differs
    from the first statement gives a finding.
    """
    rows, findings = [], []
    stated = statements(metrics)
    targets = {tuple(r[k] for k in (*KEY[:-1], "period")): r["value"]
               for r in stated[stated["status"] == "target"].to_dict("records")}
    for _key, group in stated.groupby([*KEY, "period"], sort=False):
        first, last = group.iloc[0], group.iloc[-1]
        agree = ""
        if len(group) > 1:
            agree = "false" if any(_differ(first["value"], v, tolerance) for v in group["value"]) else "true"
            for r in group.iloc[1:].itertuples():
                if _differ(first["value"], r.value, tolerance):
                    findings.append({"municipality": r.municipality, "dataset": r.dataset,
                                     "fiscal_year": r.fiscal_year, "project_id": r.project_id, "field": r.field,
                                     "check": "restatement_mismatch", "metric_id": r.metric_id,
                                     "message": f"{r.period}: {r.value} here, {first['value']} in the "
                                                f"FY{first['fiscal_year']} table ({first['metric_id']})"})
        target = targets.get((*(last[k] for k in KEY[:-1]), last["period"]))
        achievement = ""
        if last["status"] == "actual" and target and Decimal(target):
            achievement = format_value((Decimal(last["value"]) / Decimal(target) * 100).quantize(Decimal("0.1")))
        rows.append({"municipality": last["municipality"], "dataset": last["dataset"],
                     "project_id": last["project_id"], "project_name": last["project_name"],
                     "concept": last["concept"], "unit": last["unit"], "unit_category": last["unit_category"],
                     "status": last["status"], "period": last["period"], "value": last["value"],
                     "fiscal_years": ";".join(group["fiscal_year"]), "values": ";".join(group["value"]),
                     "agree": agree, "achievement_pct": achievement, "metric_id": last["metric_id"],
                     **{k: last[k] for k in ("_project", "_concept")}})
    series = pd.DataFrame(rows, columns=[*SERIES_COLUMNS, "_project", "_concept"])
    return series, pd.DataFrame(findings, columns=QA_COLUMNS)


def period_pairs(series: pd.DataFrame) -> pd.DataFrame:
    """Series rows of consecutive periods of one key, as (from, to) columns with suffixes."""
    s = series[series["period"].map(lambda p: year_of(p) is not None)].copy()
    s["_prev"] = s["period"].map(previous_period)
    return s.merge(s, left_on=[*KEY, "_prev"], right_on=[*KEY, "period"], suffixes=("_to", "_from"))


def stated_priors(metrics: pd.DataFrame, bases: Sequence[str]) -> pd.DataFrame:
    """What a table says its value was one period before: per current figure, the change of
    its own unit category (昨年比600人増 → +600) and the prior value the text implies (1,630;
    also from a 20.8%増 or a 1.2倍). Only changes against the previous period count: a basis in
    ``bases`` (前年, 昨年度, …, with 対/比/より around it), or one naming that period; a change
    without a written basis counts unless its clause says from what (ローンチ時から7%増加) or over
    how many years (ここ10年で37%増加), or it is a multiple (初版の10倍: of what, the text says
    elsewhere). Only results are checked: a rule's change, a threshold (30%以上削減) or a change
    dated apart from its figure (…60%を占め、2050年までに約14%の増加) is no statement about last year. ``stated_prior_slack`` is how far
    the prior may be from the implied one because the stated percentage is rounded (24%増 is
    23.5–24.5 %)."""
    by_id = metrics.set_index("metric_id")
    levels: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = {}  # the figures of each sentence
    source = metrics["dataset"] if "dataset" in metrics else metrics["fiscal_year"]  # a project id's table
    for t, m in zip(source[metrics["kind"] != "delta"], metrics[metrics["kind"] != "delta"].itertuples()):
        levels.setdefault((t, m.project_id, m.sentence), []).append((m.metric_id, m.value, m.period, m.unit_category))
    rows: dict[str, dict[str, str]] = {}
    deltas = (metrics["kind"] == "delta") & metrics["parent_id"].isin(by_id.index)
    for t, d in zip(source[deltas], metrics[deltas].itertuples()):
        parent = by_id.loc[d.parent_id]
        prev = previous_period(parent["period"])
        if d.delta_basis and basis_stem(d.delta_basis) not in bases and not _names(d.delta_basis, prev):
            continue
        if not d.delta_basis and (d.unit == "倍" or _FROM_SOMETHING.search(_clause_before(d.sentence, d.surface))):
            continue
        if parent["status"] != "actual" or set(str(d.qualifier).split(",")) & BOUNDS:
            continue  # 30%以上削減する設備: a threshold of a scheme, no statement about last year
        if d.period != parent["period"]:
            continue  # 今後も2050年までに約14%の増加(2018年比)が見込まれる: a change over a span of its own
        if d.prior_value and _prior_written(levels.get((t, d.project_id, d.sentence), []), d, parent, prev):
            continue  # 2014年時点では18.4パーセントであったところ、2023年時点では22.1パーセントと、3.7ポイント増加
        row = rows.setdefault(d.parent_id, {"stated_change": "", "stated_prior_value": "", "stated_prior_slack": "0"})
        if d.unit == "%" and d.prior_value:
            row["stated_prior_slack"] = format_value(rounding_slack(Decimal(parent["value"]), Decimal(d.value),
                                                                     d.surface, d.delta_direction))
        if d.unit_category == parent["unit_category"] and not row["stated_change"]:
            sign = -1 if d.delta_direction == "decrease" else 1
            row["stated_change"] = format_value(sign * Decimal(d.value))
            row["stated_prior_value"] = d.prior_value or row["stated_prior_value"]
        elif not row["stated_prior_value"]:
            row["stated_prior_value"] = d.prior_value
    return pd.DataFrame([{"metric_id": k, **v} for k, v in rows.items()],
                        columns=["metric_id", "stated_change", "stated_prior_value", "stated_prior_slack"])


def _prior_written(levels: Sequence[tuple[str, str, str, str]], d: Any, parent: pd.Series,
                   prev: str | None) -> bool:
    """Whether the sentence writes the change's prior value as a figure of another period than
    the one before the parent's (``levels``: its figures as id, value, period, unit category):
    the change is counted from that period, not from last year."""
    prior = Decimal(d.prior_value)
    return any(metric_id != d.parent_id and category == parent["unit_category"] and period != prev
               and abs(Decimal(value) - prior) <= abs(prior) / 100
               for metric_id, value, period, category in levels)


#: A clause that says from what a change is counted (…ローンチ時から7%増加, 10年前の…から), or over
#: more than a year (ここ10年で38%増加, 過去5年間で).
_FROM_SOMETHING = re.compile(r"から|より|に比べ|と比べ|ここ\s?\d+\s?年|過去\s?\d+\s?年|\d+\s?年間で|年前")


def _clause_before(sentence: str, surface: str) -> str:
    """The words of ``sentence`` before ``surface`` back to the last 、, ( or /."""
    end = sentence.find(surface)
    before = sentence[:end if end >= 0 else 0]
    return before[max(before.rfind(ch) for ch in "、,(（/") + 1:]


def rounding_slack(current: Decimal, pct: Decimal, surface: str, direction: str) -> Decimal:
    """Half a unit of the percentage's last written digit, as a range of implied prior values."""
    digits = surface.split("%")[0].split("％")[0]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    half = Decimal(5) / Decimal(10) ** (decimals + 1)
    sign = -1 if direction == "decrease" else 1
    lo, hi = (1 + sign * (pct + half) / 100), (1 + sign * (pct - half) / 100)
    return abs(current / lo - current / hi) / 2 if lo > 0 and hi > 0 else Decimal(0)


def _names(basis: str, period: str) -> bool:
    """Whether a written basis names ``period`` (令和4年度に比べ → FY2022)."""
    y = year_of(period)
    return bool(y) and any(t.period == period for t in time_expressions(fold(basis), y[1] + 1))


def basis_stem(basis: str) -> str:
    """The period a basis names: 前年度比 → 前年度, 対前年比 → 前年, 昨年に比べて → 昨年."""
    return re.sub(r"^対|(?:比|に比べて?|と比べて?|と比較して?|から|より)$", "", basis)


def wide(series: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """One row per series key, one value column per year period (value_FY2023, value_2023)."""
    s = series[series["period"].map(lambda p: year_of(p) is not None)]
    periods = sorted(set(s["period"]), key=lambda p: (year_of(p)[1], p))  # type: ignore[index]
    rows = []
    for _key, group in s.groupby(KEY, sort=False):
        last = group.iloc[-1]
        values: Mapping[str, str] = dict(zip(group["period"], group["value"]))
        rows.append({**{c: last[c] for c in columns}, **{f"value_{p}": values.get(p, "") for p in periods}})
    return pd.DataFrame(rows, columns=[*columns, *(f"value_{p}" for p in periods)])
