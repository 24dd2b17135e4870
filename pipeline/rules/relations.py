"""Links between mentions of one cell: breakdown parts to totals, deltas to current values, a
value for a case to the value it varies.

Works on the quantities of one normalised text and returns parents by index, implied prior
values, and consistency findings (a breakdown whose parts do not add up is reported,
never dropped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pipeline import resources
from pipeline.rules.quantities import (
    BOUNDS, TOTAL_WORDS, bounds_next, change_by_object, Quantity, respectively, start_of,
)
from pipeline.rules.sentences import sentence_of, sentence_spans
from pipeline.rules.units import counters
from pipeline.text.brackets import PAREN_OPEN, depths, pairs

_FUZZY = frozenset({"approx", "at_least", "more_than", "at_most", "less_than", "range"})
#: 内 as うち: not the first character of a word (内訳, a breakdown: its items are parts, not a subset; 内科, a class).
_INNER = "内(?!" + "|".join(w.removeprefix("内") for w in resources.qualifiers()["not_subset"]) + ")"
#: …。/このうち (a review sheet's line), ②うち: a clause that opens with うち.
_SUBSET_CLAUSE = re.compile(rf"^\s?[、（(/／]?\s?[・①-⑳]?\s?(?:さらに)?(?:その|この)?(?:うち|{_INNER})")
#: A figure that the sentence compares against (226回と比べて) is the base, not the current value.
#: 2名減員し、令和5年度は8名体制, ２台を減らし、１４台で: a change whose clause goes on to a later
#: figure of its measure (the level it reached).
_WENT_ON = re.compile(r"[^、。\d]{0,8}?(?:し|して|させ)、")
_BASIS_AFTER = re.compile(r"\s?(?:\)|[(（][^()（）]{0,24}[)）])?\s?(?:と比べ|と比較|に比べ|に対し|より|から)")  # …2,680人（令和5年4月1日時点）から
#: Between a total and a part: 19人中12人, 100人のうち女性40人, 17,298ha(2011年末時点)のうち6割.
_PART_OF = re.compile(rf"(?:[(（][^()（）]*[)）])?(?:中|の?(?:うち|{_INNER})(?!に)[、,]?[^、。]{{0,12}})")  # …86経営体のうち、法人は23経営体
#: うち, 内 (not 内訳, 内科).
_PART_WORD = re.compile(f"うち|{_INNER}")
#: 合計842件で、内訳はベトナム語317件, 404台の内訳は、売却282台: the items after 内訳 break down the figure before it.
_BREAKDOWN = re.compile(r"の?内訳(?:は|として|:)?[、,]?\s?[^、,。\d()（）]{0,12}$")
_BREAKDOWN_ITEM = re.compile(r"[ \t]?[、,][ \t]?[^、,。\d()（）\n]{1,12}")  # on the list's line
#: 20都市中、… or 20都市中 (a line of its own): a total the figures after it are parts of.
_OUT_OF = re.compile(r"\s?中(?=[、,\s(（]|$)")
#: The next item of a list: 、継続, 、来所相談が (a label, a particle may close it; no clause), 、ロシア機に
#: 対するものが (a noun the clause before names), 、②障害者に関する相談は (a numbered item, whatever its words),
#: 、養育費に関する相談が (a noun and what it is about).
_NEXT_ITEM = re.compile(r"\s?[、,]\s?(?!このほか|その他|ほかに|加えて|別に)"
                        r"(?:[^、,。\d()（）はがをに]{1,12}|[^、,。\d()（）]{1,16}?(?:もの|者|分)"
                        r"|[①-⑳][^、,。\d()（）]{1,16}?(?=[がは])"  # ②障害者に関する相談は
                        r"|[^、,。\d()（）はがをに]{1,10}に(?:関する|係る|対する|よる)[^、,。\d()（）はがをに]{1,8}"  # 養育費に関する相談が
                        r"|[^、,。\d()（）はがをに]{0,8}\d{1,2}[級類種号]|(?:要介護|要支援)\s?\d)"  # 、2級は, 、要介護3は: a
                        r"(?:が|は|に|で|には|では)?")  # numbered class
_ASIDE = re.compile(r"(?:[(（][^()（）]*[)）])?の?")
#: …11億トンであり、本事業は、…46%削減: a new topic between a figure and a change, which is of another thing.
#: …約8,200億円であり、2030年度には約1.5倍に拡大: a relative change dated by a clause of its own is of
#: that year's value, not of the figure before (its base).
_OWN_TIME = re.compile(r"、[^、。]{0,6}?(?P<time>(?:(?:令和|平成|昭和|R|H)\s?(?:元|\d{1,2})|\d{4})\s?年度?末?)"
                       r"(?:には|は|に(?!比|対))")
_NEW_TOPIC = re.compile(r"、[^、。\d\n]{1,20}?は、")
#: 開設月の1,930件の約2.5倍: a figure a multiple is of (the base, not the current value).
_OF_MULTIPLE = re.compile(r"\s?の\s?")
#: Between a change stated first and the figure it qualifies: 前年比4%増の1,008億円.
#: A multiple that names the figure after it: 約2.1倍の約261万戸, 1.2倍となる3,850件.
_QUALIFIES_FOLLOWING = re.compile(r"\s?(?:の|となる|になる)\s?")
#: 約1割減少(483万ha→437万ha): the bracket after a change gives its prior and current values.
_FROM_TO_AFTER = re.compile(r"\s?[(（]\s?$")
_ARROW = re.compile(r"\s?(?:→|⇒|➡|から)\s?")
#: …15件減少し、98件となった, …1.8トン減少し、本年度は6.2トン: the next clause states the value reached.
_JOINS_FOLLOWING = re.compile(r"(?:[のでと]|となる|となり|になる|にあたる|に当たる"
                              r"|(?:し|して|えて|って|え|り)、?\s?(?:[^、。\d]{0,8}(?:は|が|に))?)?")  # …412人増加し
# 2,846人; 9事業者増えて64事業者, 3人減って21人: the verb of 増 or 減 goes on to the level it reached


@dataclass
class Relations:
    """What linking found. ``quantities`` are the linked copies of the figures (a 計 moved off a
    rate, a うち marked subset); the figures passed to :func:`link` are never changed."""

    quantities: list[Quantity] = field(default_factory=list)
    parent: dict[int, int] = field(default_factory=dict)
    prior_value: dict[int, Decimal] = field(default_factory=dict)
    findings: list[dict[str, str]] = field(default_factory=list)
    #: parts of a total marked 中: classes of it, which may overlap or form several groups
    #: (本庁 and 区役所 under one 20都市中), so their sum is not checked.
    classes: set[int] = field(default_factory=set)
    #: a figure that gives another's value for a case (1割（一定以上所得者は2割）): the other's index and the case.
    variant: dict[int, tuple[int, str]] = field(default_factory=dict)


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause holding ``pos``: after the last 、, bracket or slash that parts items
    (受講者 5,120人／うち高齢者 1,036人; not 1/2, 9,600円/60kg) in its sentence."""
    cut = max(text.rfind(ch, sent_start, pos) for ch in "、,（(）)")
    slash = max((m.start() for m in _ITEM_SLASH.finditer(text, sent_start, pos)), default=-1)
    return max(cut, slash, sent_start)


_ITEM_SLASH = re.compile(r"/(?!\s?\d)")


def link(text: str, quantities: list[Quantity]) -> Relations:
    """Parents, prior values and findings for the quantities of one text."""
    quantities = [replace(q, qualifiers=set(q.qualifiers)) for q in quantities]
    rel = Relations(quantities)
    spans = sentence_spans(text)
    sentence = [sentence_of(spans, q.start) for q in quantities]
    depth = depths(text)
    _move_totals_off_rates(text, quantities, sentence)
    for i, q in enumerate(quantities):
        if q.kind == "delta":
            continue
        _link_subset(text, quantities, sentence, depth, i, rel)
    _link_breakdown(text, quantities, sentence, rel)
    _link_parenthesised_parts(text, quantities, sentence, depth, rel)
    _link_out_of(text, quantities, sentence, depth, rel)
    _link_total_after(quantities, rel)
    _link_line_totals(text, quantities, rel)
    _link_wholes_after(text, quantities, rel)
    rel.variant = variants(text, quantities)
    for j, (i, _case) in rel.variant.items():  # 月額100,000円（住民税課税世帯は70,500円）: the case's value is per 月
        if not quantities[j].per and quantities[j].unit == quantities[i].unit:  # as the value it varies
            quantities[j].per = quantities[i].per
    paired = _link_respectively(text, quantities, sentence, rel)
    for i, q in enumerate(quantities):
        if q.kind == "delta" and i not in paired:
            _link_delta(text, quantities, sentence, depth, i, rel)
    _check_consistency(quantities, rel)
    return rel


#: 職員4名を含む計6名, 市内12件を含め48件: the figure after 含む/含め, of the same kind, holds the one before.
_INCLUDED_IN = re.compile(r"\s?(?:[(（][^()（）]{0,20}[)）])?\s?を含(?:む|め)[、\s]?[^、。\d]{0,8}?")
#: 修了者 23人（受講者27人中）: a bracket right after a figure that gives the whole it is out of.
_WHOLE_ASIDE = re.compile(r"\s?[(（][^()（）\d]{0,12}")


def _link_wholes_after(text: str, quantities: list[Quantity], rel: Relations) -> None:
    """A figure that the next one includes (総務省関連職員4名を含む計6名: a うち part) or that a bracket
    after it says is out of the next one (23人（受講者27人中）, as 27人中23人) is a part of that one."""
    for i in range(len(quantities) - 1):
        part, whole = quantities[i], quantities[i + 1]
        if i in rel.parent or part.kind == "delta" or whole.kind == "delta" \
                or part.unit_category != whole.unit_category or part.value >= whole.value:
            continue
        gap = (max(part.end, part.suffix_end), start_of(whole))
        if _INCLUDED_IN.fullmatch(text, *gap):
            part.qualifiers.add("subset")
            rel.parent[i] = i + 1
        elif _WHOLE_ASIDE.fullmatch(text, *gap) and re.match(r"\s?中\s?[)）]", text[max(whole.end, whole.suffix_end):]):
            rel.parent[i] = i + 1


_HEADING_MARKS = resources.heading_marks()
#: 計 607人, 合計：24件 9,330千円, 合計｜53件｜3億4,000万円: a line (or a table's row) that opens with the word for a
#: sum states the sum of the lines above.
_TOTAL_LINE = re.compile(rf"(?:^|\n)[ \t・{_HEADING_MARKS}【<|]*(?:{TOTAL_WORDS})[】>]?[ \t]*[:|]?[ \t]*$")


def _link_line_totals(text: str, quantities: list[Quantity], rel: Relations) -> None:
    """The figures of a 計/合計 line are the totals of the figures of the same unit on the lines
    above it, up to a blank line or the total before (guidelines: parts point at their total)."""
    for i, q in enumerate(quantities):
        line_start = text.rfind("\n", 0, q.start) + 1
        words = text[line_start:q.start]
        if len(re.findall(r"[(（]", words)) > len(re.findall(r"[)）]", words)):
            continue  # 計6,842件（電話4,915件、…）: a part in the bracket after the sum
        words = re.sub(r"\d[\d,.]*\s?[^\s\d]{0,4}\s*", "", words)  # 合計：24件 9,330千円: past the line's first figure
        if not _TOTAL_LINE.search("\n" + words) or q.kind == "delta":
            continue
        q.qualifiers.add("total")
        top = max(text.rfind("\n\n", 0, line_start), 0)
        column = _column(text, q.start)
        for j in range(i - 1, -1, -1):
            p = quantities[j]
            if p.start >= line_start or p.unit != q.unit or p.kind == "delta" or _column(text, p.start) != column:
                continue  # 合計：24件 9,330千円: the other sum of the line, or another measure; 合計｜69人｜60人: another
                # column's
            if p.start < top or "total" in p.qualifiers:
                break
            rel.parent.setdefault(j, i)


def _column(text: str, pos: int) -> int:
    """The column of a table's row (…｜42人｜38人) that ``pos`` is in; 0 on a line that is no row."""
    return text.count("|", text.rfind("\n", 0, pos) + 1, pos)


#: 年間計25回, 月間合計: a sum over the span a figure is per, which it is the total of.
_SUM_OVER_SPAN = re.compile(rf"(?:年|月|週)間\s?(?:{TOTAL_WORDS})")


def _move_totals_off_rates(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]]) -> None:
    """計：年4回で15,835部: a rate is not a sum, so 計 belongs to the next figure (not 年間計25回: the year's sum)."""
    for i, q in enumerate(quantities):
        if "total" in q.qualifiers and q.per and not _SUM_OVER_SPAN.search(text, start_of(q), q.start):
            nxt = next((j for j in range(i + 1, len(quantities))
                        if sentence[j] == sentence[i] and not quantities[j].per), None)
            if nxt is not None:
                q.qualifiers.discard("total")
                quantities[nxt].qualifiers.add("total")


def _part_of(part: Quantity, whole: Quantity) -> bool:
    """Whether ``part`` counts what ``whole`` counts: the same category, or one its counter also counts
    (1,741市区町村のうち…1,203団体)."""
    counter = counters().get(part.unit)  # 団体 also counts municipalities (counters.tsv)
    also = counter.also_counts if counter is not None else ()
    return part.unit_category == whole.unit_category or whole.unit_category in also


def _previous_total(quantities: list[Quantity], sentence: list[tuple[int, int]], i: int,
                    before: int, depth: list[int] | None = None, share: bool = False) -> int | None:
    """Nearest earlier figure of the same category in the sentence, ending before ``before``; with ``share``, of a
    percent, the nearest count (1,300人が…受け、うち8割強が…: the share of those counted)."""
    for j in range(i - 1, -1, -1):
        c = quantities[j]
        if sentence[j] != sentence[i] or c.end > before:
            continue
        if depth is not None and depth[c.start] > 0:
            continue
        if c.kind != "delta" and (_part_of(quantities[i], c) or (share and c.kind == "count")):
            return j
    return None


def _link_subset(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]], depth: list[int], i: int,
                 rel: Relations) -> None:
    """うち…N, XのうちN and X中N: N is a part of X."""
    q = quantities[i]
    if i + 1 < len(quantities) and bounds_next(text, q, start_of(quantities[i + 1])):
        if "subset" in q.qualifiers:  # このうち65歳以上が約7割: the うち is of the figure of the class, not of its bound
            q.qualifiers.discard("subset")
            quantities[i + 1].qualifiers.add("subset")
        return  # 42社のうち、女性管理職比率が30%以上の企業は11社: the part is 11社, 30% bounds its class
    line_start = text.rfind("\n", 0, q.start) + 1
    if line_start and _PART_LINE.match(text, line_start):  # ■登録事業者数：152社 / ■うち認定事業者：100社以上
        above = text.rfind("\n", 0, line_start - 1) + 1
        j = next((j for j in range(i - 1, -1, -1) if above <= quantities[j].start < line_start
                  and quantities[j].kind != "delta" and quantities[j].unit_category == q.unit_category), None)
        if j is not None:
            q.qualifiers.add("subset")
            rel.parent[i] = j
            return
    clause = _clause_start(text, sentence[i][0], q.start)
    head = text[clause:q.start]  # with the figure's own うち (、うち19人)
    if i > 0:
        p = quantities[i - 1]
        between = text[p.end:q.prefix_start if q.prefix_start >= 0 else q.start]
        subset = bool(_PART_WORD.search(between)) or "subset" in q.qualifiers
        share = _part_of(q, p) or (q.kind == "percent" and subset)
        adjacent = _PART_OF.fullmatch(between) or ("subset" in q.qualifiers and _ASIDE.fullmatch(between))
        next_line = _ASIDE_LINE.fullmatch(between)  # 42件 / （うち緊急一時保護 3件）: the line's aside
        if (sentence[i - 1] == sentence[i] or next_line) and p.kind != "delta" and share and (adjacent or next_line):
            if _PART_WORD.search(between):
                q.qualifiers.add("subset")
            rel.parent[i] = i - 1
            return
    if i > 0 and "subset" in quantities[i - 1].qualifiers and (i - 1) in rel.parent \
            and quantities[i - 1].unit_category == q.unit_category and sentence[i - 1] == sentence[i] \
            and _NEXT_ITEM.fullmatch(text, max(quantities[i - 1].end, quantities[i - 1].suffix_end),
                                     q.prefix_start if q.prefix_start >= 0 else q.start):
        q.qualifiers.add("subset")  # (うち新規20件、継続28件): the うち reaches every item of its list
        rel.parent[i] = rel.parent[i - 1]
        return
    after_part_of = (q.kind == "count" and re.search(r"(?:うち|の内)\s?$", text[sentence[i][0]:clause])
                     and not (i and clause <= quantities[i - 1].start  # 対象となった人のうち、…214人: its first count
                              and not bounds_next(text, quantities[i - 1], start_of(q))))
    whole = _previous_total(quantities, sentence, i, clause)
    after_part_of = after_part_of or (whole is not None and bool(_OPENING_PART.search(
        text, quantities[whole].end, clause)))  # …約23,000棟の建物を保有しており、そのうち、…建物は約9,900棟
    if (named := _LABELLED_WHOLE.search(text, sentence[i][0], q.prefix_start if q.prefix_start >= 0 else q.start)) \
            and (j := _labelled(text, quantities, sentence, i, named.group("label"))) is not None:
        q.qualifiers.add("subset")  # 486件（うち新規312件）で、新規のうち心理的虐待が198件: of the figure so labelled
        rel.parent[i] = j
        return
    # the clause's うち is of its first figure (not of 10冊 in うち312人が10冊以上を…), or of the one a bound leads to
    taken = i > 0 and quantities[i - 1].start >= clause and not bounds_next(text, quantities[i - 1], start_of(q))
    if (_SUBSET_CLAUSE.match(head) and not taken) or "subset" in q.qualifiers or after_part_of:
        q.qualifiers.add("subset")  # (この)うち…41人 opening a clause: of the figure the sentence stated, not of an item in its bracket
        opened = _SUBSET_CLAUSE.match(head) is not None  # うち8割強が: the share of the count before
        j = _previous_total(quantities, sentence, i, clause + 1, depth if depth[q.start] == 0 and opened else None,
                            share=opened and q.kind == "percent")
        if j is None and ((_SUBSET_CLAUSE.match(head) and not text[sentence[i][0]:clause].strip()) or (
                _THAT_PART.search(text, sentence[i][0], q.start) and sentence[i - 1 if i else 0] != sentence[i])):
            j = _whole_of_sentence_before(text, quantities, sentence, depth, i)  # …事故はそのうち121件: of the
            # sentence before, when the sentence's first figure follows a そのうち
        if j is not None:
            rel.parent[i] = j


def _whole_of_sentence_before(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]],
                              depth: list[int], i: int) -> int | None:
    """…21人が一般就労に結びついた。うち障害者手帳所持者は9人: a sentence that opens with うち counts
    a part of the last figure of its kind the sentence right before stated (outside brackets)."""
    q = quantities[i]
    for j in range(i - 1, -1, -1):
        c = quantities[j]
        if sentence[j] == sentence[i]:
            continue
        if text[sentence[j][1]:sentence[i][0]].strip(" \t\n/／"):
            return None  # not the sentence right before (a review sheet's slash between them is no sentence)
        if c.kind != "delta" and c.unit_category == q.unit_category and depth[c.start] == 0:
            return j
    return None


#: そのうち, このうち: a part of a whole named before.
_THAT_PART = re.compile(r"(?:その|この)うち")
#: そのうち、 / このうち、 opening a clause: its part is the first figure after it, clauses later.
_OPENING_PART = re.compile(r"(?:^|[、,。\s])(?:その|この)うち[、,]")
_PART_LINE = re.compile(rf"[ \t]*[{_HEADING_MARKS}・①-⑳]?[ \t]*(?:その)?うち")
_ASIDE_LINE = re.compile(r"[ \t]*\n[ \t]*[(（][ \t]?(?:その)?(?:うち|内)[^()（）\d\n]{0,15}")
#: 新規のうち心理的虐待が198件: a label of an earlier figure, then のうち, then the part's words.
_LABELLED_WHOLE = re.compile(r"(?P<label>[一-龥ァ-ヴー]{1,8})のうち[、,]?[^、。\d]{0,15}$")


def _labelled(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]], i: int, label: str) -> int | None:
    """The earlier figure of the sentence, of the same kind of unit, whose own label is ``label``."""
    return next((j for j in range(i - 1, -1, -1) if sentence[j] == sentence[i]
                 and quantities[j].unit_category == quantities[i].unit_category
                 and re.search(rf"{re.escape(label)}\s?$", text[:start_of(quantities[j])])), None)


def _link_out_of(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]], depth: list[int],
                 rel: Relations) -> None:
    """政令市20都市中、直営は5都市、委託は15都市; 回答20都市中 / 直営：5都市 / …: the figures of its
    kind after a total marked 中 are its parts (19人中12人 is the adjacent case), to the end of its
    sentence, or, when the total stands as a line or label of its own, to the next heading or full
    stop; a figure not smaller than the total, or a new total, ends them."""
    for i, q in enumerate(quantities):
        mark = _OUT_OF.match(text, max(q.end, q.suffix_end))
        if mark is None or q.kind == "delta":
            continue
        if text.startswith(("、", ","), mark.end()):
            scope_end = sentence[i][1]
        else:
            scope_end = min((p for p in (text.find(ch, mark.end()) for ch in ("【", "。", "\n\n")) if p >= 0),
                            default=len(text))
        for j in range(i + 1, len(quantities)):
            part = quantities[j]
            if part.start >= scope_end or part.kind == "delta" or part.unit_category != q.unit_category \
                    or part.value >= q.value:
                break
            if j not in rel.parent and depth[part.start] <= depth[q.start]:
                rel.parent[j] = i  # (うち新規20件、継続28件): a bracket's figures are its own breakdown's
                rel.classes.add(j)
            if _OUT_OF.match(text, max(part.end, part.suffix_end)):
                break


#: 目標60%, 県平均38.5%, 前年度312件: a bracket's first label that says it compares, not breaks down.
_COMPARED = re.compile("|".join(resources.bases()["compared_labels"]))


#: 計356件\n（内訳：…: a breakdown that opens the line right after its total, as an aside of that line.
_OPENS_NEXT_LINE = re.compile(r"[ \t]*\n[ \t]*[(（]?[ \t]*")
#: 合計 152件\n（内訳）\n・管理に関する相談 87件: a line that only says that the lines after it break down the total
#: on the line before it, then the first item's label; each next item is the next line's.
_BREAKDOWN_LINE = re.compile(r"[ \t]*\n[ \t]*[(【<]?[ \t]*内訳[ \t]*[)】>:]?[ \t]*\n[^\d\n、。]{0,20}")
_BREAKDOWN_LINE_ITEM = re.compile(r"[ \t]*\n[^\d\n、。]{1,20}")
#: 改修工事は14件実施した。内訳は、…: a breakdown that opens the sentence right after the one its total closes.
_OPENS_NEXT_SENTENCE = re.compile(r"[^。\d\n、]{0,12}。[ \t]*")


def _link_breakdown(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]], rel: Relations) -> None:
    """合計842件で、内訳はベトナム語317件、英語204件、その他135件: the list after 内訳 holds the parts of
    the figure of its kind before it in the sentence (guidelines: a part points at its total)."""
    i = 0
    while i < len(quantities):
        q = quantities[i]
        previous_end = max(quantities[i - 1].end, quantities[i - 1].suffix_end) if i else 0
        line_start = text.rfind("\n", 0, q.start) + 1  # 内訳：小学校 28基、…: a line's spaces part no breakdown
        opened = _BREAKDOWN.search(text, max(previous_end, min(sentence[i][0], line_start)), start_of(q))
        lined = i > 0 and _BREAKDOWN_LINE.fullmatch(text, previous_end, start_of(q)) is not None
        if (opened is None and not lined) or q.kind == "delta":
            i += 1
            continue
        same_kind = [j for j in range(i - 1, -1, -1)
                     if quantities[j].kind != "delta" and quantities[j].unit_category == q.unit_category]
        if lined:  # 合計 152件\n（内訳）\n・…87件: the figure right before the 内訳 line
            total, item = (i - 1 if same_kind[:1] == [i - 1] else None), _BREAKDOWN_LINE_ITEM
        else:
            # the nearest in the sentence, or one whose line or sentence the breakdown opens right after
            # (計356件\n（内訳：…）, …14件実施した。内訳は、…)
            total, item = next((j for j in same_kind if quantities[j].start >= sentence[i][0] or any(
                pattern.fullmatch(text, max(quantities[j].end, quantities[j].suffix_end), opened.start())
                for pattern in (_OPENS_NEXT_LINE, _OPENS_NEXT_SENTENCE))), None), _BREAKDOWN_ITEM
        if total is None:
            i += 1
            continue
        while True:  # the items of the list, up to the first that is no item
            rel.parent[i] = total
            i += 1
            if i == len(quantities) or quantities[i].unit_category != q.unit_category \
                    or not item.fullmatch(
                        text, max(quantities[i - 1].end, quantities[i - 1].suffix_end), start_of(quantities[i])):
                break


def _link_parenthesised_parts(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]],
                              depth: list[int], rel: Relations) -> None:
    """計：1,285件（英語968件、中国語119件、…）: two or more same-unit figures in brackets."""
    closes = dict(pairs(text))
    for open_pos, ch in enumerate(text):
        if ch not in PAREN_OPEN:
            continue
        close = closes.get(open_pos, len(text))
        inside = [i for i, q in enumerate(quantities)
                  if open_pos < q.start < close and depth[q.start] == depth[open_pos] + 0
                  and q.kind != "delta" and i not in rel.parent]
        by_category: dict[str, list[int]] = {}
        for i in inside:
            by_category.setdefault(quantities[i].unit_category, []).append(i)
        for members in by_category.values():
            if len(members) < 2:
                continue
            total = _previous_total(quantities, sentence, members[0], open_pos,
                                    depth if depth[open_pos] == 1 else None)
            if total is None or re.search(r"[、。]", text[quantities[total].end:open_pos]):
                continue  # a total is stated in the clause that the brackets break down
            if _COMPARED.search(text, open_pos + 1, start_of(quantities[members[0]])):
                continue  # 43.1%（目標60%、県平均38.5%）: what the figure is compared with, not its parts
            for i in members:
                rel.parent[i] = total


def _link_total_after(quantities: list[Quantity], rel: Relations) -> None:
    """・可燃ごみ 28,410トン …・合計 37,207トン, 委託料 4,850千円、消耗品費 312千円（計5,162千円）: a total
    written after its parts points back at the run of figures of its kind right before it that add
    up to it; the sum is what makes them its parts (no sum, no link)."""
    for i, total in enumerate(quantities):
        if "total" not in total.qualifiers or any(p == i for p in rel.parent.values()):
            continue
        run, sum_ = [], Decimal(0)
        for j in range(i - 1, -1, -1):
            part = quantities[j]
            if part.kind == "delta" or j in rel.parent or part.unit_category != total.unit_category:
                break
            run.append(j)
            sum_ += part.value
            if len(run) >= 2 and sum_ == total.value:
                for k in run:
                    rel.parent[k] = i
                break


def _link_respectively(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]],
                       rel: Relations) -> set[int]:
    """認知件数は21,043件、被害額は718.8億円と、…それぞれ10.5%、58.8%の増加: the k changes after
    それぞれ qualify, in order, the last k figures before it in the sentence."""
    paired: set[int] = set()
    for group in respectively(text, quantities):
        levels = [j for j in range(group[0]) if sentence[j] == sentence[group[0]] and quantities[j].kind != "delta"]
        if len(levels) < len(group):
            continue
        for i, j in zip(group, levels[-len(group):]):
            _set_parent(quantities, i, j, rel)
            paired.add(i)
    return paired


def _link_delta(text: str, quantities: list[Quantity], sentence: list[tuple[int, int]],
                depth: list[int], i: int, rel: Relations) -> None:
    """昨年比600人増 qualifies the figure it follows (2,230人); the prior value follows.

    The current value is the nearest earlier figure in the sentence, outside any bracket the
    change is not in (none for a change that is a verb's object: 5名を削減), of the change's own category (any category for a relative change in %
    or 倍, durations aside), skipping a figure the sentence compares against (226回と比べて);
    failing that, the figure right after it (前年比4%増の1,008億円), or the first later figure of its
    measure when its clause goes on (2名減員し、…8名体制); a multiple joined to the figure
    after it (10年後には約2.1倍の約261万戸) qualifies that figure, whatever came before.
    """
    d = quantities[i]
    relative = d.unit in ("%", "倍")

    def fits(j: int) -> bool:
        c = quantities[j]
        if c.kind == "delta" or sentence[j] != sentence[i]:
            return False
        if c.unit_category == d.unit_category:
            return True
        if d.unit == "ポイント":  # 有効求人倍率は1.25倍と、前年度に比べ0.04ポイント低下: a rate's change in points
            return c.kind in ("percent", "ratio")
        return (relative and c.unit_category not in ("percent", "duration", "age")
                and not c.qualifiers & BOUNDS)

    def visible(j: int) -> bool:
        """Not inside a bracket the change is outside of, unless the bracket holds just that figure."""
        c = quantities[j]
        if depth[c.start] <= depth[d.start]:
            return True
        return (text[:c.prefix_start].rstrip().endswith(("(", "（"))
                and text[c.suffix_end:].lstrip().startswith((")", "）")))

    before = [] if change_by_object(text, d) else [j for j in range(i - 1, -1, -1) if fits(j) and visible(j)
              and not _BASIS_AFTER.match(text, max(quantities[j].suffix_end, quantities[j].end))
              and not _NEW_TOPIC.search(text, quantities[j].end, d.start)
              and not _goal_beside(text, quantities[j], d, depth)
              and not (relative and _dated_apart(text, quantities[j], d, sentence[i][0]))
              and not (d.unit == "倍" and _OF_MULTIPLE.fullmatch(text, max(quantities[j].suffix_end, quantities[j].end),
                                                                 d.prefix_start if d.prefix_start >= 0 else d.start))]
    after = [j for j in range(i + 1, len(quantities)) if fits(j)
             and _JOINS_FOLLOWING.fullmatch(text[d.suffix_end:quantities[j].prefix_start])]
    explicit = [j for j in after if (d.unit == "倍" or _OF_MULTIPLE.match(text, d.suffix_end))
                and _QUALIFIES_FOLLOWING.fullmatch(text[d.suffix_end:quantities[j].prefix_start])]
    span = [j for j in range(i + 1, len(quantities) - 1) if sentence[j] == sentence[i]
            and _FROM_TO_AFTER.fullmatch(text[d.suffix_end:quantities[j].prefix_start])
            and _ARROW.fullmatch(text[quantities[j].suffix_end:quantities[j + 1].prefix_start])
            and quantities[j + 1].unit_category == quantities[j].unit_category]
    went_on = [j for j in range(i + 1, len(quantities)) if fits(j)  # 2名減員し、…8名体制: the level it reached
               and quantities[j].unit_category == d.unit_category] if _WENT_ON.match(text, d.end) else []
    candidates = [span[0] + 1] if span else explicit[:1] or before or after or went_on[:1]
    if not candidates:
        return
    _set_parent(quantities, i, candidates[0], rel)


#: （目標150人、: a bracket that opens with a goal's label and its figure, then goes on to another item.
_GOAL_ITEM = re.compile(r"\(\s?目標値?\s?:?\s?$")


def _goal_beside(text: str, c: Quantity, d: Quantity, depth: list[int]) -> bool:
    """Whether ``c`` is the goal a bracket gives beside a result, and the change ``d`` another item of that
    bracket (128人（目標150人、前年度比12人増）): the change is of the result the bracket follows, not of the goal."""
    start = c.prefix_start if c.prefix_start >= 0 else c.start
    return (depth[c.start] == depth[d.start] > 0 and _GOAL_ITEM.search(text, max(0, start - 8), start) is not None
            and "、" in text[c.end:d.start] and not re.search(r"[()]", text[c.end:d.start]))


def _dated_apart(text: str, c: Quantity, d: Quantity, sentence_start: int) -> bool:
    """Whether change ``d`` is dated by a clause of its own to another time than figure ``c``'s (…8,200億円
    であり、2030年度には約1.5倍; not 令和5年は21,930人泊と…、令和5年は前年の約3.2倍: the same year)."""
    own = _OWN_TIME.search(text, c.end, d.start)
    return own is not None and own.group("time") not in text[sentence_start:c.start]


def _set_parent(quantities: list[Quantity], i: int, j: int, rel: Relations) -> None:
    """Change ``i`` qualifies figure ``j``; the prior value follows from the two."""
    rel.parent[i] = j
    d, base = quantities[i], quantities[j]
    sign = 1 if d.delta_direction == "increase" else -1
    if (base.unit_category == d.unit_category and d.unit != "倍") or d.unit == "ポイント":
        rel.prior_value[i] = base.value - sign * d.value
    elif d.unit == "%" and d.value < 100:
        rel.prior_value[i] = (base.value / (1 + sign * d.value / 100)).quantize(Decimal("0.01"))
    elif d.unit == "倍" and d.value:
        rel.prior_value[i] = (base.value / d.value).quantize(Decimal("0.01"))


def _check_consistency(quantities: list[Quantity], rel: Relations) -> None:
    """Findings for the QA table; the figures themselves are always kept.

    - breakdown_sum: the parts of a breakdown do not add up to its total;
    - subset_exceeds_total: a うち part is larger than what it is part of;
    - negative_prior: a stated increase larger than the value it reached;
    - percent_over_100: a share above 100% that is not a change.
    """
    def finding(check: str, index: int, message: str) -> None:
        rel.findings.append({"check": check, "index": str(index), "message": message})

    parts: dict[int, list[int]] = {}
    for child, parent in sorted(rel.parent.items()):
        c, p = quantities[child], quantities[parent]
        if c.kind == "delta" or child in rel.classes:
            continue
        if "subset" in c.qualifiers:
            if c.unit_category == p.unit_category and c.value > p.value:
                finding("subset_exceeds_total", child, f"part {c.value} is larger than its total {p.value}")
        else:
            parts.setdefault(parent, []).append(child)
    for total, children in sorted(parts.items()):
        t = quantities[total]
        fuzzy = any(_FUZZY & quantities[c].qualifiers for c in children + [total])
        shares = any(quantities[i].kind == "ratio" for i in children + [total])  # 補助率1/3(都道府県1/3、…)
        if fuzzy or shares or any(quantities[c].unit != t.unit for c in children):
            continue  # shares of one cost (補助率, 負担割合) are not parts that add up to it
        s = sum((quantities[c].value for c in children), Decimal(0))
        if s != t.value:
            finding("breakdown_sum", total, f"parts add up to {s}, total is {t.value}")
    for i, prior in sorted(rel.prior_value.items()):
        if prior < 0:
            finding("negative_prior", i, f"implied prior value {prior} is below zero")
    for i, q in enumerate(quantities):
        if q.unit == "%" and q.kind == "percent" and q.value > 100:
            finding("percent_over_100", i, f"share of {q.value}% is above 100%")


#: 1割（一定以上所得者は2割）, １／３以内（ただし中山間地域は１／２以内）: a bracket right after a figure that gives
#: its value for a class or a case; not （うち…は609件）, a part.
_VARIANT_OPEN = re.compile(r"\s?[(（]\s?(?:ただし|但し)?\s?(?!(?:その|この)?(?:うち|内))")
#: …集積率が8割以上に達した地域は1万5千円, 重度の方を介護する場合は月額1万5千円: the class or case, then its value;
#: 令和5年度まで200,000円: the time the value held until (or from), then that value.
_VARIANT_CASE = re.compile(r"(?:(?P<label>[^()（）、。]{1,30}?)(?:の場合|場合)?は"
                           r"|(?P<span>[^()（）、。]{1,30}?(?:まで|以前|以降|から(?!の)))[はに]?[:：]?)"
                           r"\s?(?:約|最大|上限|一律|[月年日]額)?\s?")


def variants(text: str, quantities: Sequence[Quantity]) -> dict[int, tuple[int, str]]:
    """Each figure that gives another's value for a class or a case, in a bracket right after it, with the
    figure it varies and the words of the case (集積率が8割以上に達した地域). A figure of another kind in the
    case (8割) is part of its words."""
    found: dict[int, tuple[int, str]] = {}
    for i, q in enumerate(quantities):
        opened = _VARIANT_OPEN.match(text, max(q.end, q.suffix_end)) if q.kind != "delta" else None
        if opened is None:
            continue
        j = next((j for j in range(i + 1, len(quantities)) if quantities[j].unit_category == q.unit_category), None)
        case = _VARIANT_CASE.fullmatch(text, opened.end(), start_of(quantities[j])) if j is not None else None
        if case is not None:
            found[j] = (i, (case["label"] or case["span"]).strip())
    return found
