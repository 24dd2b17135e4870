"""The extraction steps as spaCy components, each reading what the step before it wrote to
``Doc`` extensions and adding its own, as GiNZA registers ``bunsetu_recognizer``:

    metric_quantities  → doc._.quantities   figures with unit, kind, qualifiers (scanner)
    metric_scopes      → doc._.scopes       headings, validity labels and caps of the cell (a cap
                                            makes its figures at_most)
    metric_relations   → doc._.relations    linked copies of the figures, parents, prior values
    metric_concepts    → doc._.concepts     (concept, method) of each linked figure
    metric_periods     → doc._.periods      (period, status) of each linked figure
    metric_records     → doc._.metrics      one dict per figure, offsets in the original text

Any spaCy pipeline of ja_ginza gets them with :func:`add_metric_pipes`; set
``doc._.fiscal_year`` (or pass it to :func:`parse`) to resolve 昨年度 and undated figures. The rules read
normalised text (NFKC, PDF-wrapped digits rejoined); :func:`parse` normalises, parses and keeps
the map back to the original in ``doc._.source``, so every record's ``start``/``end`` index the
text as the user gave it.
"""

from __future__ import annotations

import re

from dataclasses import replace
from collections.abc import Callable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.rules.concepts import (
    CAPS, ConceptFinder, averaged, before_after, bracket_variants, bracketed_shares, by_counter, capped, change_chain,
    contrasted, counted, fuller_names, in_bracket_lists, likewise, listed_items, named_after, of_themes, of_totals,
    on_item_lines, owned_lines, paired_items, per_bases, plain_labels, qualified_names, reached_of, respectively,
    series_steps, series_subjects, status_steps, table_columns, thresholds, under_headings,
)
from pipeline.rules.docindex import DocIndex
from pipeline.rules.numbers import format_value
from pipeline.rules.periods import TimeExpression, relative_clauses
from pipeline.rules.statuses import (
    from_totals, of_changes, of_settings, of_variants, periods_and_statuses, started_from,
)
from pipeline.rules.quantities import BOUNDS, Quantity, Tokens, find_quantities
from pipeline.rules.relations import link
from pipeline.rules.scopes import structure, within_scopes
from pipeline.rules.sentences import sentence_of, sentence_spans
from pipeline.text.textnorm import NormalizedText, normalize

#: The words that say a figure is summed over time or occasions, in its name or its heading.
_CUMULATIVE = "(?:延べ|累計)"
#: ■子育て支援センター利用者数（延べ）: a heading whose bracket says its figures are cumulative.
_CUMULATIVE_BRACKET = re.compile(rf"[(（]\s?{_CUMULATIVE}\s?[)）]")
#: A measure whose name says it is summed over time or occasions (累計除却件数, 延べ宿泊者数, 就業延べ人員, 延べ活動時間,
#: and 整備拠点数（累計）, the label's bracket).
_CUMULATIVE_NAME = re.compile(rf"^{_CUMULATIVE}|{_CUMULATIVE}(?=[^のにでは]*(?:数|量|額|人員|時間)$)"
                              rf"|{_CUMULATIVE_BRACKET.pattern}$")
#: 補助上限額を20万円から30万円に引き上げた: a figure named as a cap is one (guidelines: caps as nouns).
_CAP_NAME = re.compile(rf"(?:{CAPS})額?(?:[(（][^()（）]*[)）])*$")  # 補助金の上限額（木造）（1戸当たり）
STEPS = ("metric_quantities", "metric_scopes", "metric_relations", "metric_concepts", "metric_periods", "metric_records")
#: ``doc._.fiscal_year``: the fiscal year relative words (昨年度) and undated figures refer to;
#: None = the current calendar year is not assumed, undated figures get no period.
#: ``doc._.index`` (token offsets, and the text, read once) and ``doc._.sentences`` are set by
#: the first step for the others: Doc.text rebuilds its string on every access.
for _name in ("source", "fiscal_year", "index", "sentences", "quantities", "scopes", "relations", "concepts",
              "periods", "metrics"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def parse(nlp: Language, text: str, fiscal_year: int | None = None) -> Doc:
    """Parse ``text`` the way the pipeline does: its normalised form, with the offset map kept."""
    norm = normalize(text)
    doc = nlp.make_doc(norm.text)
    doc._.source = norm
    doc._.fiscal_year = fiscal_year
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def source_of(doc: Doc) -> NormalizedText:
    """The original text and its map; a Doc parsed without :func:`parse` must already be normal."""
    if doc._.source is None:
        norm = normalize(doc.text)
        if norm.text != doc.text:
            raise ValueError("this text changes under normalisation (full-width digits, wrapped "
                             "numbers …): parse it with pipeline.rules.components.parse(nlp, text)")
        doc._.source = norm
    return doc._.source


def _needs(doc: Doc, extension: str, step: str) -> Any:
    value = getattr(doc._, extension)
    if value is None:
        raise ValueError(f"{step} needs doc._.{extension}: add the components in the order {', '.join(STEPS)}")
    return value


def tokens_of(doc: Doc | DocIndex) -> Tokens:
    """The token boundaries the scanner needs, from a Doc or its index."""
    index = doc if isinstance(doc, DocIndex) else DocIndex.of(doc)
    return Tokens(starts=frozenset(index.starts), ends=frozenset(index.ends),
                  numeral_starts=index.numeral_starts)


def find_figures(doc: Doc) -> Doc:
    """Every figure of the text, by the scanner, on GiNZA's token boundaries."""
    source_of(doc)
    index = doc._.index = DocIndex.of(doc)
    doc._.sentences = sentence_spans(index.text)
    doc._.quantities = find_quantities(index.text, tokens_of(index))
    return doc


def scope_figures(doc: Doc) -> Doc:
    """The structure of the cell, built once for the steps after it; a figure under a cap
    (上限額は…, 【限度額】) is a limit."""
    quantities = _needs(doc, "quantities", "metric_scopes")
    year = doc._.fiscal_year
    cell = doc._.scopes = structure(doc._.index.text, quantities, int(year) if year is not None else 0)
    for q in quantities:
        if q.start in cell.capped and not q.qualifiers & BOUNDS - {"at_most"}:
            q.qualifiers.add("at_most")
        if q.kind == "money" and not q.per:  # 粗大ごみ処理手数料（1点につき） / 令和6年度から：500円: per 点
            q.per = next((h.per for h in reversed(cell.over(q.start, "heading")) if h.per), "")
    return doc


def link_figures(doc: Doc) -> Doc:
    """Parents of parts and changes, implied prior values, consistency findings."""
    doc._.relations = link(_needs(doc, "index", "metric_relations").text,
                           _needs(doc, "quantities", "metric_relations"))
    return doc


def name_figures(doc: Doc) -> Doc:
    """The concept of each linked figure; a part of a breakdown carries its total's, a change
    names what its current value names."""
    rel = _needs(doc, "relations", "metric_concepts")
    cell = _needs(doc, "scopes", "metric_concepts")
    spans, text, figures, times = doc._.sentences, doc._.index.text, rel.quantities, cell.times
    finder = ConceptFinder(doc._.index, figures)  # figures in text order: a list shares its item
    concepts = [finder.concept(q, sentence_of(spans, q.start)[0]) for q in figures]
    concepts = in_bracket_lists(of_totals(concepts, figures, rel.parent, text), figures, rel.parent, finder)
    concepts = paired_items(listed_items(concepts, figures, spans, finder), figures, text)
    concepts = named_after(concepts, figures, text)
    concepts = owned_lines(on_item_lines(under_headings(concepts, figures, cell, text), figures, cell, text),
                           figures, cell, text)
    concepts = change_chain(series_steps(concepts, figures, text, times, spans), figures, text)
    concepts = fuller_names(series_subjects(concepts, figures, text), figures)
    concepts = of_themes(counted(status_steps(concepts, figures, cell, text), figures), figures, finder)
    concepts = bracketed_shares(reached_of(concepts, figures, text), figures, text)
    concepts = contrasted(likewise(respectively(concepts, figures, text), figures, finder), figures, finder)
    concepts = thresholds(capped(table_columns(concepts, figures, cell), figures, cell), figures, text)
    concepts = of_totals(concepts, figures, rel.parent, text)  # 計 318台 named by its table or heading only now
    concepts = qualified_names(bracket_variants(averaged(concepts, figures, text), rel.variant), figures, text)
    concepts = [(concepts[rel.parent[i]][0], m) if m == "parent" else (c, m)  # named after its current
                for i, (c, m) in enumerate(concepts)]  # value, once headings have named it (not its role)
    concepts = by_counter(per_bases(before_after(concepts, figures, finder, times), figures, text), figures)
    doc._.concepts = [(plain_labels(c), m) for c, m in concepts]
    for i, (q, (concept, method)) in enumerate(zip(figures, doc._.concepts)):
        headed = "heading" in method and any(_CUMULATIVE_BRACKET.search(text, h.label_start, h.start)
                                             for h in cell.over(q.start, "heading"))  # as written, with its bracket
        if q.kind not in ("percent", "ratio", "delta") and (_CUMULATIVE_NAME.search(concept) or headed) \
                and not _one_period_part(text, q, times):
            q.qualifiers.add("cumulative")  # 累計除却件数 480件, 延べ宿泊者数は約12万人: the name says it; ■利用者数（延べ）
            # ・中央センター：8,215人: the heading that names it does
        if (q.kind != "delta" and _CAP_NAME.search(concept)
                and not q.qualifiers & BOUNDS):
            q.qualifiers.add("at_most")
    return doc


def _one_period_part(text: str, q: Quantity, times: Sequence[TimeExpression]) -> bool:
    """延べ1,026回（うち本年度148回）: a part a time of its own marks off (うち本年度) is of that time alone, not
    summed as its whole is, though it shares the whole's name."""
    part = text.rfind("うち", max(0, q.start - 12), q.start)
    return "subset" in q.qualifiers and part >= 0 and any(part < t.start and t.end <= q.start for t in times)


def date_figures(doc: Doc) -> Doc:
    """The period each figure describes and whether it is a result, target, plan or rule."""
    rel = _needs(doc, "relations", "metric_periods")
    year = doc._.fiscal_year
    fiscal_year = int(year) if year is not None else 0
    cell, text = _needs(doc, "scopes", "metric_periods"), doc._.index.text
    found = periods_and_statuses(text, rel.quantities, doc._.sentences, fiscal_year, rel.parent, cell.times,
                                 relative_clauses(doc))
    found = of_changes(within_scopes(text, found, rel.quantities, cell, doc._.sentences), rel.quantities, rel.parent)
    found = started_from(text, from_totals(text, found, rel.quantities, rel.parent), rel.quantities, fiscal_year)
    found = of_variants(of_settings(found, _needs(doc, "concepts", "metric_periods"), rel.quantities), rel.quantities,
                        rel.variant)
    doc._.periods = [(p if year is not None or p.source != "table" else replace(p, period=""), s)
                     for p, s in found]
    return doc


def figure_records(doc: Doc) -> Doc:
    """One dict per figure, with offsets and sentence in the original text."""
    rel = _needs(doc, "relations", "metric_records")
    concepts = _needs(doc, "concepts", "metric_records")
    periods = _needs(doc, "periods", "metric_records")
    norm = source_of(doc)
    spans = doc._.sentences
    records = []
    for i, q in enumerate(rel.quantities):
        start, end = norm.span_to_original(q.start, q.end)
        records.append({
            "sentence": norm.original_span_text(*sentence_of(spans, q.start)), "start": start, "end": end,
            "surface": norm.original[start:end], "value": format_value(q.value),
            "value_max": format_value(q.value_max) if q.value_max is not None else "",
            "unit": q.unit, "unit_category": q.unit_category, "kind": q.kind,
            "qualifier": q.qualifier, "per": q.per, "concept": concepts[i][0],
            "concept_method": concepts[i][1], "parent": rel.parent.get(i),
            "delta_direction": q.delta_direction, "delta_basis": q.delta_basis,
            "prior_value": format_value(rel.prior_value[i]) if i in rel.prior_value else "",
            "period": periods[i][0].period,
            "period_text": norm.original_span_text(periods[i][0].start, periods[i][0].end)
            if periods[i][0].start >= 0 else "",
            "period_source": periods[i][0].source, "status": periods[i][1],
        })
    doc._.metrics = records
    return doc


def _factory(step: Callable[[Doc], Doc]) -> Callable[[Language, str], Callable[[Doc], Doc]]:
    def make(nlp: Language, name: str) -> Callable[[Doc], Doc]:
        return step
    return make


for _name, _step in zip(STEPS, (find_figures, scope_figures, link_figures, name_figures, date_figures, figure_records)):
    if not Language.has_factory(_name):
        Language.factory(_name, func=_factory(_step))


def add_metric_pipes(nlp: Language) -> Language:
    """Add the steps, in order, to a loaded pipeline (``spacy.load("ja_ginza")``)."""
    for step in STEPS:
        nlp.add_pipe(step)
    return nlp


def annotate(doc: Doc, original: str, fiscal_year: int | None = None) -> Doc:
    """Run the steps on a stored parse of ``normalize(original).text``."""
    norm = normalize(original)
    if doc.text != norm.text:
        raise ValueError("parsed text does not match the table: rerun the nlp stage")
    doc._.source = norm
    doc._.fiscal_year = fiscal_year
    for step in (find_figures, scope_figures, link_figures, name_figures, date_figures, figure_records):
        doc = step(doc)
    return doc
