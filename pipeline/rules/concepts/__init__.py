"""Name what a figure measures (guidelines, "Naming the concept"): concept = heading ⊕ item
label ⊕ measure.

Each figure first gets a name of its own from :meth:`ConceptFinder.concept`, which asks, in
order of trust (the name is the record's ``method``):

- the layout (:mod:`.layout`): ``parameter``, ``budget`` (a scheme's bracket, an amount alone
  in 【】), ``heading``, ``series``, ``quoted``, ``line`` (the list, series or line the figure
  is an item of), ``capped`` (月額21万円を上限とする修学資金), ``label``, ``colon``, ``listed``,
  ``bracket`` (the item's own label: 英語968件, 国際交流イベント：3回131名);
- the clause (:mod:`.clause`): ``apposition`` (目標値である14日), ``changed`` (CO2排出量を…46%削減),
  ``subject`` (交通事故死者数は2,678人), ``is``, ``whole`` (…施設は全体の50%), ``as``, ``measure``,
  ``verb`` (42,444名参加), ``set_to``, ``rate``, ``parse`` (the dependency parse), ``topic``;
  last ``carried`` (the sentence before), ``predicate`` and ``nearest``.

The name is made a measure (参加 → 参加者数, 合同宿舎 + 戸 → 戸数) and owned by its scheme
(…事業の補助率); the items of a list take the list's measure (第1子に5,000円 → 支給額（第1子）).
Then the cell (:mod:`.cell`) composes: a part of a breakdown carries its total's name, a figure
under a heading the heading's (■派遣回数 小学校24回 → 派遣回数（小学校）), a step of a series its
last step's measure, a figure under a cap the cap. Time words (2015年は, 年度現在) never name a
concept.
"""

from pipeline.rules.concepts.cell import (
    CAPS, averaged, before_after, bracket_variants, bracketed_shares, by_counter, capped, change_chain, contrasted,
    counted, fuller_names, in_bracket_lists, likewise, listed_items, named_after, of_themes, of_totals, on_item_lines,
    owned_lines, paired_items, per_bases, qualified_names, reached_of, respectively, series_steps, series_subjects,
    status_steps, table_columns, thresholds, under_headings,
)
from pipeline.rules.concepts.finder import ConceptFinder
from pipeline.rules.concepts.words import clean, plain_labels

__all__ = [
    "CAPS", "averaged", "before_after", "bracket_variants", "bracketed_shares", "by_counter", "capped", "change_chain",
    "clean", "ConceptFinder", "contrasted", "counted", "fuller_names", "in_bracket_lists", "likewise", "listed_items",
    "named_after", "of_themes", "of_totals", "on_item_lines", "owned_lines", "paired_items", "per_bases",
    "plain_labels", "qualified_names", "reached_of", "respectively", "series_steps", "series_subjects", "status_steps",
    "table_columns", "thresholds", "under_headings",
]
