"""Figures of the PDF sheets' indicator and cost tables as metrics, beside the prose's.

A table cell already says what it measures (the row's indicator name, or 事業費 and its
内訳/財源 items), its unit (千円 → 円 as everywhere), period and status (R5年度実績 → FY2023,
actual); so no parse is needed, only the same normalisation as prose figures and a locator
(file, page, table, row, column) in place of sentence offsets. The checks the guidelines ask
of breakdowns apply (parts sum to their total), and where the prose states a figure of the
same concept and period the QA table says whether the two agree.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pandas as pd

from pipeline.rules.numbers import format_value
from pipeline.rules.units import written_alone
from pipeline.text.fold import fold

#: The table's own row of a cell: what a breakdown item or a change is a part of.
_TOTAL, _PARTS, _CHANGE = "", ("内訳", "財源"), "増減"


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text not in ("", "nan") else None
    except ArithmeticError:
        return None


def _unit(unit_text: str) -> tuple[str, str, str, int]:
    """(unit, unit category, kind, scale) of a column's unit as written: a money multiplier is
    folded into the scale (千円 → 円 × 1,000), an unknown unit is kept as written and counted
    (手続 → 手続, count)."""
    written = unicodedata.normalize("NFKC", unit_text).strip()
    c = written_alone(written)
    return (c.unit, c.unit_category, c.kind, c.scale) if c else (written, written or "none", "count", 1)


def table_metrics(figures: pd.DataFrame, projects: pd.DataFrame
                  ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Metric rows and QA findings for the cells of the sheets' tables. An empty cell (-, －)
    stays in figures.csv only: it states no value."""
    by_project = {str(p["project_id"]): p for p in projects.to_dict("records")}
    rows = [f for f in figures.to_dict("records") if _number(f["value"]) is not None]
    ids = {id(f): "-".join(str(f[k]) for k in ("fiscal_year", "project_id", "table", "page", "table_index",
                                                "row", "column")) for f in rows}
    totals = {(f["file"], f["header"], f["label"]): f for f in rows if f["group"] in (_TOTAL,)}
    metrics: list[dict[str, object]] = []
    parts: dict[tuple[str, str], list[Decimal]] = {}  # (total's id, 内訳 | 財源) → item values
    values: dict[str, Decimal] = {}
    for f in rows:
        p = by_project.get(str(f["project_id"]), {})
        unit, category, kind, scale = _unit(f["unit_text"])
        value = _number(f["value"]) * scale  # type: ignore[operator]
        values[ids[id(f)]] = value
        change = f["group"] == _CHANGE
        parent = None
        if f["group"] in _PARTS:
            parent = totals.get((f["file"], f["header"], f["parent_label"]))
        elif change:  # 差引（増減）: the change of its row up to the later year's figure
            parent = next((t for t in rows if t["file"] == f["file"] and t["label"] == f["label"]
                           and t["group"] != _CHANGE and t["period"] == f["period"]
                           and (t["page"], t["table_index"]) == (f["page"], f["table_index"])), None)
        if parent is not None and f["group"] in _PARTS:
            parts.setdefault((ids[id(parent)], f["group"]), []).append(value)
        prior = _number(parent["value"]) * scale - value if change and parent else None  # type: ignore[operator]
        metrics.append({
            "metric_id": ids[id(f)], "fiscal_year": f["fiscal_year"], "project_id": f["project_id"],
            "project_name": p.get("project_name", ""), "bureau": p.get("bureau", ""),
            "division": p.get("division", ""), "field": f["table"],
            "sentence": f"{f['label']}｜{f['header']}｜{f['value_text']}{f['unit_text']}",
            "start": "", "end": "", "surface": f["value_text"],
            "value": format_value(abs(value) if change else value),
            "value_max": format_value(_number(f["value_max"]) * scale) if _number(f["value_max"]) else "",
            "unit": unit, "unit_category": category, "kind": "delta" if change else kind,
            "qualifier": f["qualifier"], "per": "",
            "concept": f"{f['parent_label']}（{f['label']}）" if f["group"] in _PARTS else f["label"],
            "parent_id": ids[id(parent)] if parent else "",
            "delta_direction": ("decrease" if value < 0 else "increase") if change else "",
            "delta_basis": f["header"] if change else "",
            "prior_value": format_value(prior) if prior is not None else "",
            "period": f["period"], "period_text": f["header"], "period_source": "table_header",
            "status": f["status"], "locator": f"{f['file']}#page={f['page']} table {int(f['table_index']) + 1} "
                                            f"row {int(f['row']) + 1} column {int(f['column']) + 1}",
            "method": "table"})
    by_id = {m["metric_id"]: m for m in metrics}
    qa = [{"fiscal_year": by_id[total]["fiscal_year"], "project_id": by_id[total]["project_id"],
           "field": by_id[total]["field"], "check": "breakdown_sum", "metric_id": total,
           "message": f"{group} items add up to {format_value(sum(items))}, total is {format_value(values[total])}"}
          for (total, group), items in parts.items() if _off(group, sum(items), values[total])]
    return metrics, qa


def _off(group: str, parts: Decimal, total: Decimal) -> bool:
    """財源 (how a cost is paid) must add up to it; 内訳 lists the main items (主な内訳), so only
    items that add up to more than the cost are a finding."""
    return parts != total if group == "財源" else parts > total


def prose_table_findings(metrics: pd.DataFrame) -> list[dict[str, object]]:
    """Where prose and a table state a figure of the same project, concept, unit category,
    period and status: whether they agree (table_text_agree / table_text_mismatch)."""
    table = metrics[metrics["method"] == "table"]
    prose = metrics[(metrics["method"] != "table") & (metrics["kind"] != "delta")]
    if table.empty or prose.empty:
        return []
    key = ["project_id", "unit_category", "period", "status"]
    findings = []
    for t in table.merge(prose, on=key, suffixes=("", "_prose")).itertuples():
        if fold(t.concept) and fold(t.concept) in fold(t.concept_prose):
            same = Decimal(t.value) == Decimal(t.value_prose)
            findings.append({"fiscal_year": t.fiscal_year, "project_id": t.project_id, "field": t.field_prose,
                             "check": "table_text_agree" if same else "table_text_mismatch",
                             "metric_id": t.metric_id_prose,
                             "message": f"text {t.value_prose} {t.unit}, table {t.value} {t.unit} "
                                        f"({t.concept}, {t.period}, {t.metric_id})"})
    return findings
