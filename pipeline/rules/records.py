"""Turn parsed cells into tidy records: metrics, entities, trends and QA findings.

Pure functions over one Doc and its original cell text; :func:`extract_all` maps them over
a table. Offsets in every record index the original cell, so ``cell[start:end] == surface``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from spacy.tokens import Doc

from pipeline.rules.components import annotate
from pipeline.rules.concepts import ConceptFinder
from pipeline.rules.table_figures import prose_table_findings, table_metrics
from pipeline.rules.dates import find_dates
from pipeline.rules.quantities import Quantity
from pipeline.rules.sentences import sentence_of
from pipeline.rules.trends import find_trends
from pipeline.text.textnorm import NormalizedText

METRIC_COLUMNS = ["metric_id", "fiscal_year", "project_id", "project_name", "bureau", "division",
                  "field", "sentence", "start", "end", "surface", "value", "value_max", "unit",
                  "unit_category", "kind", "qualifier", "per", "concept", "parent_id",
                  "delta_direction", "delta_basis", "prior_value", "period", "period_text",
                  "period_source", "status", "locator", "method"]
ENTITY_COLUMNS = ["entity_id", "fiscal_year", "project_id", "field", "start", "end", "surface",
                  "label", "normalized", "method"]
TREND_COLUMNS = ["trend_id", "fiscal_year", "project_id", "project_name", "field", "sentence", "start",
                 "end", "concept", "direction", "evidence"]
QA_COLUMNS = ["fiscal_year", "project_id", "field", "check", "metric_id", "message"]


@dataclass
class CellRecords:
    metrics: list[dict[str, object]] = field(default_factory=list)
    entities: list[dict[str, object]] = field(default_factory=list)
    trends: list[dict[str, object]] = field(default_factory=list)
    qa: list[dict[str, object]] = field(default_factory=list)


def _sentence(norm: NormalizedText, spans: list[tuple[int, int]], pos: int) -> str:
    s, e = sentence_of(spans, pos)
    return norm.original_span_text(s, e)


def extract_cell(doc: Doc, original: str, context: Mapping[str, object]) -> CellRecords:
    """Records for one cell. ``context`` holds fiscal_year, project_id, project_name, bureau,
    division and field; ``doc`` must be the parse of ``normalize(original).text``."""
    try:
        doc = annotate(doc, original, int(str(context["fiscal_year"])))
    except ValueError as exc:
        raise ValueError(f"{context['project_id']}/{context['field']}: {exc}") from exc
    norm, rel = doc._.source, doc._.relations
    prefix = f"{context['fiscal_year']}-{context['project_id']}-{context['field']}"
    ids = [f"{prefix}-{r['start']}" for r in doc._.metrics]
    out = CellRecords()
    for i, r in enumerate(doc._.metrics):
        out.metrics.append({
            "metric_id": ids[i], **{k: context[k] for k in ("fiscal_year", "project_id", "project_name",
                                                             "bureau", "division", "field")},
            **{k: r[k] for k in ("sentence", "start", "end", "surface", "value", "value_max", "unit",
                                 "unit_category", "kind", "qualifier", "per", "concept")},
            "parent_id": ids[r["parent"]] if r["parent"] is not None else "",
            **{k: r[k] for k in ("delta_direction", "delta_basis", "prior_value", "period", "period_text",
                                 "period_source", "status")},
            "locator": "", "method": f"rule;concept={r['concept_method']}",
        })
    for finding in rel.findings:
        out.qa.append({"fiscal_year": context["fiscal_year"], "project_id": context["project_id"],
                       "field": context["field"], "check": finding["check"],
                       "metric_id": ids[int(finding["index"])], "message": finding["message"]})
    out.entities = _entities(doc, norm, rel.quantities, prefix, context)
    spans = doc._.sentences
    figures = [(q.start, max(q.end, q.suffix_end)) for q in rel.quantities]
    for t in find_trends(doc._.index, figures):
        start, end = norm.span_to_original(t.start, t.end)
        out.trends.append({"trend_id": f"{prefix}-{start}", **{k: context[k] for k in (
            "fiscal_year", "project_id", "project_name", "field")},
            "sentence": _sentence(norm, spans, t.start), "start": start, "end": end,
            "concept": t.concept, "direction": t.direction, "evidence": original[start:end]})
    return out


def concept_candidates(doc: Doc, original: str, fiscal_year: int) -> list[dict[str, object]]:
    """Every name the concept rules find for each figure of a cell, for a learned chooser to
    weigh: one row per (figure, name) with the figure's start in the original text, the name, the
    rule that gave it, its rank in the rules' order of trust, and the figure's final concept and
    method (after a list, heading or total composed it). The final concept is a candidate too."""
    doc = annotate(doc, original, fiscal_year)
    rel, spans = doc._.relations, doc._.sentences
    finder = ConceptFinder(doc._.index, rel.quantities)
    rows: list[dict[str, object]] = []
    for q, r in zip(rel.quantities, doc._.metrics):
        names: dict[str, str] = {}  # name → the first rule that gave it
        for text, method in [*finder.names(q, sentence_of(spans, q.start)[0]), (r["concept"], "final")]:
            names.setdefault(text, method)
        for rank, (text, method) in enumerate(names.items()):
            rows.append({"start": r["start"], "candidate": text, "candidate_method": method, "rank": rank,
                         "final": r["concept"], "final_method": r["concept_method"], "unit": r["unit"],
                         "unit_category": r["unit_category"], "kind": r["kind"]})
    return rows


def candidates_all(projects: pd.DataFrame, docs: Iterable[Doc]) -> pd.DataFrame:
    """:func:`concept_candidates` of every parsed cell of a table, with its project and field."""
    by_id = {str(r["project_id"]): r for r in projects.to_dict("records")}
    rows = []
    for doc in docs:
        project_id, field_name = doc.user_data["cell"]
        row = by_id[project_id]
        rows += [{"project_id": project_id, "field": field_name, **c}
                 for c in concept_candidates(doc, row[field_name], int(str(row["fiscal_year"])))]
    return pd.DataFrame(rows)


def _entities(doc: Doc, norm: NormalizedText, quantities: list[Quantity], prefix: str,
              context: Mapping[str, object]) -> list[dict[str, object]]:
    """GiNZA's named entities, with calendar dates found by rule in place of what GiNZA calls them.

    GiNZA reads R6/2/3 as a product and 3/21 as an ordinal; the date rules know better, so a
    rule date replaces every GiNZA entity it overlaps (method ``rule+ginza``).
    """
    dates = [d for d in find_dates(norm.text)
             if not any(q.start < d.end and d.start < q.end for q in quantities)]
    rows: dict[tuple[int, int], dict[str, object]] = {}
    for d in dates:
        overlapped = any(e.start_char < d.end and d.start < e.end_char for e in doc.ents)
        rows[(d.start, d.end)] = {"label": "Date", "normalized": d.normalized,
                                  "method": "rule+ginza" if overlapped else "rule"}
    for ent in doc.ents:
        if not any(ent.start_char < d.end and d.start < ent.end_char for d in dates):
            rows[(ent.start_char, ent.end_char)] = {"label": ent.label_, "normalized": "", "method": "ginza"}
    out = []
    for (s, e), row in sorted(rows.items()):
        start, end = norm.span_to_original(s, e)
        out.append({"entity_id": f"{prefix}-{start}-{end}", "fiscal_year": context["fiscal_year"],
                    "project_id": context["project_id"], "field": context["field"], "start": start,
                    "end": end, "surface": norm.original[start:end], **row})
    return out


def extract_all(projects: pd.DataFrame, docs: Iterable[Doc], figures: pd.DataFrame | None = None
                ) -> dict[str, pd.DataFrame]:
    """Metrics, entities, trends and QA tables for a table's projects and their parsed cells,
    and the figures of PDF sheets' tables (``figures``, from the parse stage)."""
    by_id = {str(r["project_id"]): r for r in projects.to_dict("records")}
    total = CellRecords()
    for doc in docs:
        project_id, field_name = doc.user_data["cell"]
        row = by_id[project_id]
        context = {**{k: row[k] for k in ("fiscal_year", "project_id", "project_name", "bureau",
                                          "division")}, "field": field_name}
        try:
            cell = extract_cell(doc, row[field_name], context)
        except Exception as exc:  # one odd cell must not stop a national corpus; it is reported
            cell = CellRecords(qa=[{"fiscal_year": context["fiscal_year"], "project_id": project_id,
                                    "field": field_name, "check": "extraction_error", "metric_id": "",
                                    "message": f"{type(exc).__name__}: {exc}"}])
        source = str(row.get("source_file") or "")
        for m in cell.metrics:  # a PDF sheet's prose: the page it was read from
            m["locator"] = f"{source}#page={row['source_line']}" if source.lower().endswith(".pdf") else ""
        for name in ("metrics", "entities", "trends", "qa"):
            getattr(total, name).extend(getattr(cell, name))
    if figures is not None and not figures.empty:
        found, findings = table_metrics(figures, projects)
        total.metrics += found
        total.qa += findings
    metrics = pd.DataFrame(total.metrics, columns=METRIC_COLUMNS)
    total.qa += prose_table_findings(metrics)
    return {
        "metrics": metrics,
        "entities": pd.DataFrame(total.entities, columns=ENTITY_COLUMNS),
        "trends": pd.DataFrame(total.trends, columns=TREND_COLUMNS),
        "qa": pd.DataFrame(total.qa, columns=QA_COLUMNS),
    }
