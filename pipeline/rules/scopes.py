"""The structure of a cell, built once: the labels that head a part of it and what they govern.

Evaluation sheets write their figures under headings (■派遣回数, 【補助金の上限額】, ＜相談件数＞,
利用者数：…), under validity labels (令和4年度まで …, 【令和3年度以降】, （いずれも令和6年度以降）) and
after caps (上限額は…, （限度額）, 上限を…に). The guidelines derive a figure's attributes from
them: a heading names what its items measure, a validity label gives them its span, a cap makes
the figure a limit. This module finds those scopes once per cell (:func:`structure`); the
concept, period and status steps read them from ``doc._.scopes`` instead of re-reading the text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, replace

from pipeline import resources
from pipeline.rules.dates import AS_OF, BARE_ERA_YEAR, YEAR
from pipeline.rules.periods import DIRECTION, Period, TimeExpression, end_of_line, time_expressions
from pipeline.rules.statuses import AFTER_FIGURE, how_often, labelled_actual, said_in_bracket
from pipeline.rules.sentences import SEGMENT_END, sentence_of
from pipeline.rules.quantities import NOT_CAP, Quantity, per_of, start_of
from pipeline.rules.units import written_alone
from pipeline.text.brackets import BRACKETED, pairs

_WORDS = resources.scopes()
_STATUS_WORDS = resources.periods()["status"]
_SAYS = {status: re.compile("|".join(words)) for status, words in _STATUS_WORDS.items()}  # 目標, 予定: patterns
_ACTUAL_WORDS = resources.periods()["actual"]
_MARKS = resources.heading_marks()
#: ■派遣回数 / ◆受講者数: a mark at a line's start (or after a space, in text whose lines were
#: joined, after a review sheet's slash that ends a segment, or after a section's bracket: 【事業の成果】■…)
#: heads what follows it up to the next mark (or, with a colon, the rest of its line).
_MARK_LINE = re.compile(rf"(?:^|(?<=\s)|(?<=[^\d\s]/)|(?<=[】＞>]))[{_MARKS}][ \t]*(?P<label>[^\s:、。/{_MARKS}]"
                        rf"(?:[^\n:、。/({_MARKS}]|\([^()\n]{{0,12}}\)){{0,30}}?)"
                        r"(?:[ \t]*(?P<colon>:)|(?=\s|/(?!\d)))", re.M)
#: 活動指標②, 【成果指標】, 指標1: the kind of indicator (and its number) that may open the line naming it.
_INDICATOR_KIND = r"[【<\[]?[^\s:、。/【】<>\[\]]{0,4}指標[①-⑳\d]{0,2}[】>\]]?"
_INDICATOR_LEAD = rf"(?:{_INDICATOR_KIND}(?:[ \t]+|(?<=[】>\]])))?"  # ＜成果指標＞リサイクル率: no space after a bracket
#: まで, 以降, から: the words that end an open span (a label of validity, not a project's years).
_OPEN_SPAN_END = "(?:まで|以降|から)"
#: 【令和5年度まで】男性育休取得事業所奨励金 中小企業100,000円、…: a validity label may open the line before the name.
_VALIDITY_LEAD = rf"(?:[【\[<(][^【】\[\]<>()\n]{{1,20}}{_OPEN_SPAN_END}[】\]>)][ \t]*)?"
#: 成果指標①, 【活動指標】: the kind of an indicator, which names none.
INDICATOR_LABEL = re.compile(_INDICATOR_KIND)
#: ・粗大ごみ処理手数料（1点あたり） 令和5年度まで…, 上限額 木造 20万円、非木造 15万円: a line (bulleted or
#: not) opened by the name of a measure and a space heads the rest of its line (a bullet alone marks an
#: item: ・可燃ごみ 28,410トン). The kind of indicator may open the line before the name (活動指標② 通報件数 実績値 12件).
_MEASURE_LINE = re.compile(r"(?:^|(?<=\n))・?[ \t]*" + _INDICATOR_LEAD + _VALIDITY_LEAD +
                           r"(?P<label>[^\s:、。/・【】<>\[\]()](?:[^\n:、。/【】<>\[\]()]|\([^()\n]*\)){0,30}?)"
                           r"(?=[ \t])", re.M)  # not 市民講座は（定員 各回30名）: a bracket left open
#: ・災害用備蓄品の整備状況（令和6年3月末時点） / 　合計 48,600食: a bullet line with no figure, over lines
#: indented under it, heads them.
_BULLET_HEAD = re.compile(r"(?:^|(?<=\n))・[ \t]*(?P<label>[^\s\d:、。/・][^\n:、。/・]{0,40}?)[ \t]*\n"
                          r"(?P<block>(?:[ \t]+[^\n]*(?:\n|$))+)", re.M)
#: (1): a list number before an item's label ((1)設備導入費：150万円), not a bracket of words.
_LIST_NUMBER = r"\(\d{1,2}\)"
#: 【補助金の上限額】, <相談件数>, [参加者数], (上限): a bracket of words at a line's start, after a
#: space or after a review sheet's slash that ends a segment (…とする。/【成果実績】) heads what follows
#: it; a bracket that dates it may stand inside (【決算額内訳（令和5年度）】). A bracket right after a
#: figure belongs to that figure.
_BRACKET_LABEL = re.compile(r"(?:^|(?<=[ \t\n])|(?<=[^\d\s]/))[ \t]*"
                            rf"(?!{_LIST_NUMBER})[【\[<(]"
                            r"(?P<label>(?:[^【】\[\]<>()\n]|\([^()\n]{1,12}\)){1,40})[】\]>)]", re.M)
_LABEL_CHAR = r"(?:[^\n:、。 \t【】\[\]<>()/]|(?<=\d)/(?=\d))"  # not a segment's end (…調査」/), but 1/2
#: 利用者数：320人…, 限度額：50,000円: a label before a colon at a line's start (or a review sheet's
#: segment's, after a slash) heads the rest of the line (a bracket after it, such as the date of the
#: figures, is no part of the name).
_COLON_LABEL = re.compile(r"(?:^|(?<=[^\d\s]/)|(?<=/)(?=[^\d\s])|(?<=\())"  # a line's, a segment's, a bracket's
                          rf"[ \t]*(?P<label>{_LABEL_CHAR}{{1,30}}?)"
                          r"[ \t]*(?:\([^()\n:]{1,24}\))?[ \t]*:", re.M)
#: 相談件数の推移 / 令和3年度 356件 …: a line that only names a measure heads the lines after it; so does one
#: after a section's bracket (【事業概要】放課後児童クラブの定員 / ・あおば児童クラブ：40人), or after the kind of
#: indicator (指標① がん検診精密検査受診率 / 目標値 90.0% 実績値 84.7%), its bracket of which part with it
#: (【成果指標】水道管路の耐震化率（基幹管路）).
_TITLE_LINE = re.compile(r"(?:^|(?<=】))[ \t]*" + _INDICATOR_LEAD + rf"(?![{_MARKS}])"
                         r"(?P<label>[^\s\d:、。()【】\[\]<>{}]{2,30}?(?:\([^()\d\n]{1,20}\))?)"
                         r"(?:の推移|の実績|の状況|の内訳)?[ \t]*\n(?=.*\d)", re.M)
#: 4か月児, 1歳6か月児, 第2子, 3年生: digits that name a class of people (an age, a birth order, a school year).
_CLASS_DIGITS = re.compile(r"(?:\d+歳)?\d+(?:歳|か月|ヶ月|カ月)児|第\d+子|\d+年生")
#: 成果指標：一般廃棄物のリサイクル率 / 令和4年度 実績値 21.3％: a field's label, a colon and the name of a measure
#: alone on its line (its unit in a bracket after it: （％）; a class of people it may open with: 3歳児健康診査受診率)
#: title the lines after it; so does such a segment of a review sheet's joined line (成果指標：電子申請利用率 /
#: 成果実績：R4年度 65.2%); a field of the unit alone between them (単位：冊) stops neither.
_FIELD_TITLE = re.compile(r"(?:^|(?<=/))[ \t]*[^\s\d:、。/]{1,12}[ \t]*:[ \t]*"
                          rf"(?P<label>(?:{_CLASS_DIGITS.pattern})?[^\s\d:、。()【】\[\]<>{{}}/]{{2,40}}?)"
                          r"[ \t]*(?:\([^()\d\n]{1,6}\))?"
                          r"[ \t]*(?:\n|/(?=[^\d\s]|\s))(?=(?:[ \t]*単位[ \t]*:[^\d\n]*\n)?.*\d)", re.M)
#: (独)日本学生支援機構「外国人留学生在籍状況調査結果」/2020年5月1日現在の留学生数:…: a review sheet's segment that
#: only gives a source and the title of what it reports heads the segments after it, up to the next such title.
_SOURCE_TITLE = re.compile(r"(?:^|(?<=[^\d\s]/))[^/\n「」\d。、]{0,30}「(?P<label>[^「」/\n\d。、]{2,40})」(?=/)")
_NOTE_LINE = re.compile(r"^[ \t]*(?:※|\([^\n]*。\)[ \t]*$)", re.M)  # ※…, （…とすることを目標とする。）
#: 新築50万円／増改築30万円: a figure closing a list's item before a slash, and the next item after it (words and a
#: figure of the same counter, no label of its own), which the label before the list still heads.
_FIGURE_BEFORE = re.compile(r"\d(?P<counter>[^\d\s/:]{1,4})$")
_NEXT_ITEM = re.compile(r"[^\s\d:/、。]{1,12}\d[\d,.]*(?P<counter>[^\d\s/:、。]{1,4})(?=[ \t]*(?:/|\n|$))")


def _next_item(text: str, start: int, slash: re.Match[str]) -> bool:
    """Whether ``slash`` parts two items of one list (新築50万円／増改築30万円), not two segments of a review sheet."""
    before, after = _FIGURE_BEFORE.search(text, start, slash.start()), _NEXT_ITEM.match(text, slash.end())
    return bool(before and after and before.group("counter") == after.group("counter"))


#: 補助率：2/3 限度額：60,000円, (補助期間:35年、補助額:…): a second label on a colon label's line ends its scope.
_NEXT_LABEL = re.compile(r"[ \t、][^\s:、。\d]{1,15}:")
#: 1講演会 参加者120名: a line that opens with a list number, a word and a space.
_NUMBERED_LINE = re.compile(r"^[ \t]*(?:\d{1,2}[.．)]?|[①-⑳]|\(\d{1,2}\))[ \t]*(?!歳)(?P<label>[^\s\d:、。()]{2,20})"
                            r"[ \t]+(?=\S)", re.M)  # not 3歳以上児 1,125人: an age, no list number
_CAP = re.compile("|".join(_WORDS["caps"]))
_NOT_CAP = re.compile(NOT_CAP)
_EACH = re.compile("|".join(_WORDS["each"]))
#: After a dated time: it stands as a label (令和4年度まで 第1子に…, R5年度まで：…, 【令和3年度以降】: a
#: bracket that holds only the time, or with 実施/調査 closes a title line) when a space, colon or
#: closing bracket follows, or it opens a label that a space ends (2023年度以降の利用料金 大人…).
#: Relative words (これまで, 近年) are no labels.
_STANDS = re.compile(r"(?:は)?(?:実施|調査|時点|現在)?(?:[ \t]*[:\n\]】>)]|[ \t]+(?=\S)|の[^\s:、。\d()]{1,20}[ \t:])")
#: 令和5年度待機児童数 12人: a time opening a line, with the name of what the line states after it.
_DATED_NAME = re.compile(r"[^\s:、。\d()]{1,20}[ \t:]")
#: The words a review sheet's field opens with, up to a space or a figure.
_FIELD_NAME = re.compile(r"\s?[^\s\d/:]*")
_CLAUSE_START = "、。\n"
#: Words that say what kind of value a figure is (目標, 見込, 実績).
_VALUE_KINDS = "|".join([*_STATUS_WORDS["target"], *_STATUS_WORDS["plan"], *_ACTUAL_WORDS])
#: 利用者数 実績: a word past a space after a measure's name that says which value of it follows.
_KIND_AFTER_NAME = re.compile(f"[ \t]+(?:{_VALUE_KINDS})値?$")
#: R5年度実績 相談件数42件, 令和6年度目標：…: a time and the kind of value its items are, as a label.
_STATUS_LABEL = re.compile(f"(?:{_VALUE_KINDS})" + r"値?[ \t]*(?:[:\n\]】>)]|[ \t]+(?=\S))")
#: 活動指標：健康教室開催回数 目標値 24回 実績値 22回: the same on one line, its values after it.
_FIELD_LINE = re.compile(r"^[ \t]*[^\s\d:、。]{1,12}[ \t]*:[ \t]*"
                         r"(?P<label>[^\s\d:、。()【】\[\]<>{}]{2,40}?)[ \t]*(?:\([^()\d\n]{1,6}\))?"
                         r"[ \t]+(?=(?:" + _VALUE_KINDS + r")値?[ \t:]*\d)", re.M)
#: A heading ending in one of these names a measure (受講者数, 補助率, 上限額).
_MEASURE_ENDS = tuple(resources.concept_words()["measure_ends"])
#: 目的：, 事業の目的：, 事業の成果：: the label of a sheet's section (its text), which names no measure; so
#: does a label of sections side by side or joined (【成果指標の達成状況 判断理由】: the reasons given for it;
#: 【現状・課題】, 【目的及び概要】).
_SECTION_OWNER = "|".join(resources.concept_words()["section_owners"])
_SECTION = f"(?:(?:{_SECTION_OWNER})の)?(?:" + "|".join(resources.concept_words()["sections"]) + ")"
SECTION_LABEL = re.compile(rf"{_SECTION}(?:(?:[ \t\u3000]+|[・、]|及び|および){_SECTION})*")
#: What may close a validity label's line with no figure after it: （令和5年度実施）, 【…以降】, ：.
_LABEL_TAIL = re.compile(r"実施|調査|時点|現在|[\s)）\]】>:：]")
#: ■令和6年度予算の内訳, ◆委託化した場合の試算（平成26年度）: a heading over amounts foreseen (guidelines: plan).
_FORESEEN_AMOUNTS = re.compile(r"^(?!.*(?:実績|決算)).*(?:予算|試算|推計)(?:額)?(?:の?内訳)?$")
_TARGET_WORD = re.compile("|".join(_STATUS_WORDS["target"]))
#: A heading over the terms of a scheme or a course: its figures are settings (rule), not results.
_TERMS_HEADING = re.compile("|".join(_WORDS["terms_headings"]))
_SCHEME_AMOUNTS = resources.scopes()["scheme_amounts"]
#: ◆補助額, ■施設使用料（午前区分）: a heading over the amounts a scheme pays or charges per category.
_AMOUNT_HEADING = re.compile(f"(?:{'|'.join(_SCHEME_AMOUNTS['payer'])})[^\\s]{{0,8}}?(?:{'|'.join(_SCHEME_AMOUNTS['amount'])})"
                             r"(?:[(（][^()（）]*[)）])?[\s:：]*$")
_AMOUNT_RESULT = re.compile(f"{YEAR}|{'|'.join(_SCHEME_AMOUNTS['result'])}")
#: A bracket after a heading that says per what time an amount is paid: 子育て応援手当（月額）, 【…定期利用料（月額）】:
#: the name's words, and the base of each amount under the heading (per 月).
_AMOUNT_PERIODS = "年月日週"
_AMOUNT_BASES = frozenset(f"{period}額" for period in _AMOUNT_PERIODS)
_PERIOD_AMOUNT = re.compile(rf"[(（](?P<per>[{_AMOUNT_PERIODS}])額[)）]")
#: A closing bracket that gives a base (（1点あたり）, (1人につき), （1人1回あたり）: the first is the figure's).
_BASE_BRACKET = re.compile(r"\s?\((?:\d+|一)?\s?(?P<per>[^()\d]*?)(?:(?:\d+|一)\s?[^()\d]*?)?(?:あたり|当たり|につき)\)$")
#: （目標最終年度：令和8年度）, （R6.3.31現在）: a bracket in a heading that only says when, not what the items are.
_TIME_ASIDE = re.compile(rf"[(（][^()（）]*(?:{YEAR}[^()（）]*|{AS_OF.pattern})[)）]")
#: A heading that only says what kind of value its items are (実績, R6目標値, 【来年度見込み】, 【R5計画】, and
#: 【活動実績】, the project's own as in 事業の実績, 【成果目標及び成果実績（アウトカム）】, and ＜令和6年度の実績＞,
#: whose time the label's scope has taken: の実績, and ＜主な実績＞): no measure.
_STATUS_ONLY = re.compile(f"(?:(?:{_SECTION_OWNER})?の?|主な|主要な?)?(?:{_VALUE_KINDS}|{YEAR}|"
                          + r"値|見込み|計画|当初|[ \t]|[来今本前昨次]年度|末|時点|現在"
                          f"|(?:及び|および|並びに|と|・)(?:{_SECTION_OWNER})?" + r"|[(（](?:アウトカム|アウトプット)[)）])+$")


@dataclass(frozen=True)
class Scope:
    """A label and the part of the cell it governs, ``[start, end)`` of the normalised text."""

    kind: str  # heading | item | validity
    label: str
    label_start: int
    start: int
    end: int
    period: str = ""  # a validity label's span: ..FY2022, FY2023.., FY2018..FY2020
    per: str = ""  # a heading's base: 点 of 粗大ごみ処理手数料（1点につき）

    def governs(self, pos: int) -> bool:
        return self.start <= pos < self.end


@dataclass(frozen=True)
class TableCell:
    """Where a figure stands in a table flattened to text: the table's measure (from its title),
    its row and column labels, and the period and status its column or title gives."""

    measure: str
    row: str
    column: str
    period: str = ""
    status: str = ""


@dataclass(frozen=True)
class CellStructure:
    """The scopes of one cell, the starts of the figures that a cap makes limits, the cell's
    time expressions (read once here for the steps after it) and the places of figures in
    flattened tables (figure start → :class:`TableCell`)."""

    scopes: tuple[Scope, ...]
    capped: frozenset[int]
    times: tuple[TimeExpression, ...] = ()
    tables: tuple[tuple[int, TableCell], ...] = ()

    def table_cell(self, pos: int) -> TableCell | None:
        return next((c for start, c in self.tables if start == pos), None)

    def over(self, pos: int, kind: str) -> list[Scope]:
        """The scopes of ``kind`` that govern ``pos``, outermost first."""
        return sorted((s for s in self.scopes if s.kind == kind and s.governs(pos)), key=lambda s: (s.start, -s.end))


def segment_start(text: str, pos: int) -> int:
    """Where the line holding ``pos`` starts, a review sheet's segment being a line (…がある。/留学生数:…)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return max([line_start, *(m.end() for m in SEGMENT_END.finditer(text, line_start, pos))])


def _label_starts(text: str, figures: Sequence[Quantity]) -> list[int]:
    """Where every heading of the cell starts: a mark line or a bracket label (not a bracket that
    holds a figure: 【…手当の廃止】 （▲ 1億9,378万円） is the heading's figure), or a note line (※…),
    which ends the heading before it."""
    return sorted({m.start() for m in _MARK_LINE.finditer(text)} | _bracket_starts(text, figures) | {
        m.start() for m in _NOTE_LINE.finditer(text)})  # ※令和5年度の収集件数は…: a note under no heading


#: 【令和5年度まで】, 【令和6年度から】: a bracket label that only says from or until when the lines under it hold.
_VALIDITY_ONLY = re.compile(rf"{YEAR}\s?(?:まで|から|以降|以前)")


def _bracket_starts(text: str, figures: Sequence[Quantity]) -> set[int]:
    """Where the bracket labels of the cell start (not a bracket that holds a figure, nor a validity label
    under a heading: ■養育支援手当の支給額 / 【令和5年度まで】…/【令和6年度から】一律：月額15,000円)."""
    return {m.start("label") - 1 for m in _BRACKET_LABEL.finditer(text)
            if not any(m.start() <= q.start < m.end() for q in figures)
            and not _VALIDITY_ONLY.fullmatch(m.group("label").strip()) and not _labels_value(text, m, figures)}


def _labels_value(text: str, m: re.Match, figures: Sequence[Quantity]) -> bool:
    """◆補助金の額（上限） / ＜一般世帯＞ 50,000円: a bracket label whose line holds one value and nothing
    else is that value's label, as 一般世帯： is, an item under the heading above it; it heads no lines (one that
    names a measure, 【補助率】２／３, is a heading of its own)."""
    if m.group("label").strip().endswith(_MEASURE_ENDS):
        return False
    line_end = end_of_line(text, m.end())
    value = len(text) - len(text[m.end():].lstrip(" \t\u3000"))
    return any(start_of(q) == value and not text[max(q.end, q.suffix_end):line_end].strip() for q in figures)


def _headings(text: str, figures: Sequence[Quantity]) -> list[Scope]:
    starts = _label_starts(text, figures)

    def next_label(pos: int) -> int:
        return next((s for s in starts if s > pos), len(text))

    brackets = sorted(_bracket_starts(text, figures) | {m.start() for m in _NOTE_LINE.finditer(text)}
                      | {m.start() for m in re.finditer(r"\n[ \t]*\n", text)})

    def next_bracket(pos: int) -> int:
        """A bracket heading (<講座別受講者数>) holds over the marked lines under it (○パソコン講座:42人),
        to the next bracket heading, note or blank line."""
        return next((s for s in brackets if s > pos), len(text))

    found = []
    for m in _MARK_LINE.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if m.group("colon") and text[m.end():line_end].strip():  # ■補助上限額：…円/■補助率：1/2: to the segment's
            end = _own_field(text, m.end(), line_end)  # end, on a review sheet's joined line
            if beside := _MARK_LINE.search(text, m.end(), end):  # ■補助金の額（上限）：… ■補助率：…: or to the next
                end = beside.start()  # mark on the line, which heads a field of its own
        else:
            end = next_label(m.end())
        found.append(Scope("heading", m.group("label"), m.start("label"), m.end(), end))
    for m in _BRACKET_LABEL.finditer(text):
        label = m.group("label").strip()
        if not label or any(m.start() <= q.start < m.end() for q in figures):
            continue
        found.append(Scope("heading", label, m.start("label"), m.end(),
                           end_of_line(text, m.end()) if _labels_value(text, m, figures) else next_bracket(m.end())))
    for m in _COLON_LABEL.finditer(text):  # up to the end of its line or sentence, or the next label on it
        slash = next((e for e in SEGMENT_END.finditer(text, m.end())  # 負担割合：国1/2、…/令和5年度実績：…: to the
                      if not _next_item(text, m.end(), e)), None)  # segment's end, past its list's items
        closing = text.find(")", m.end()) if text[m.start() - 1:m.start()] == "(" else -1  # （耐震化率：…）
        end = min((i for i in (text.find("\n", m.end()), text.find("。", m.end()), slash.start() if slash else -1,
                               closing) if i >= 0), default=len(text))
        if beside := _NEXT_LABEL.search(text, m.end(), end):  # 補助率：2/3 限度額：60,000円
            end = beside.start() + 1
        if end == text.find("\n", m.end()) and not text[m.end():end].strip():  # 目標（令和9年度）： / ・…40%: a label
            end = next_bracket(m.end())  # alone on its line heads the lines under it, as a bracket heading does
        found.append(Scope("heading", m.group("label"), m.start("label"), m.end(), end))
    for m in (*_TITLE_LINE.finditer(text), *_FIELD_TITLE.finditer(text)):  # up to a blank line or the next heading
        if BRACKETED.sub("", m.group("label")).endswith(_MEASURE_ENDS):  # 水道管路の耐震化率（基幹管路）
            blank = text.find("\n\n", m.end())
            found.append(Scope("heading", m.group("label"), m.start("label"), m.end(),
                               min(next_label(m.end()), len(text) if blank < 0 else blank)))
    titles = list(_SOURCE_TITLE.finditer(text))
    for m, after in zip(titles, [*(t.start() for t in titles[1:]), len(text)]):
        found.append(Scope("heading", m.group("label"), m.start("label"), m.end(), min(after, next_label(m.end()))))
    for m in _FIELD_LINE.finditer(text):  # to the end of its line
        line_end = text.find("\n", m.end())
        found.append(Scope("heading", m.group("label"), m.start("label"), m.end(),
                           len(text) if line_end < 0 else line_end))
    for m in _BULLET_HEAD.finditer(text):  # ・災害用備蓄品の整備状況（令和6年3月末時点） / 　合計 48,600食
        if not any(m.start("label") <= q.start < m.end("label") for q in figures):
            found.append(Scope("heading", m.group("label"), m.start("label"), m.end("label"), m.end("block")))
    for m in _MEASURE_LINE.finditer(text):  # ・粗大ごみ処理手数料（1点あたり） 令和5年度まで 500円、…
        if heading_name(_bare_name(m.group("label"))):  # to its line's end, or to the next field that names a
            line_end = len(text) if (n := text.find("\n", m.end())) < 0 else n  # measure of its own
            found.append(Scope("heading", m.group("label"), m.start("label"), m.end(),
                               _own_field(text, m.end(), line_end)))
    found = [replace(s, label=_bare_name(s.label), per=per_of(m.group("per")) if (m := _BASE_BRACKET.search(s.label)
                                                                             or _PERIOD_AMOUNT.search(s.label))
                     else "") for s in found]  # 観光案内所の利用者数; 【定期利用料（月額）】: per 月
    # （令和4年度）: the period's; 粗大ごみ処理手数料（1点あたり）: the base's, still a fee
    # a label with a figure is no heading, but 成果目標（目標年度：令和8年度） is one: its bracket only says when
    # and neither is 4か月児健診, 第2子, 3年生: a class of people its digits name
    return [s for s in found if s.label and not re.search(r"\d", _CLASS_DIGITS.sub("", undated(
        _YEAR_OF_STATUS.sub("", s.label))))]  # 【R6年度目標】: the year of the values it says the kind of


def undated(label: str) -> str:
    """A label without the brackets that only say when (防犯灯の設置状況（R6.3.31現在） → 防犯灯の設置状況): the
    period's words, not the name's."""
    return _TIME_ASIDE.sub("", label)


def _own_field(text: str, start: int, line_end: int) -> int:
    """Where a line's heading stops: at the next slash whose field names a measure of its own (…予算額 1億円／決算額…,
    ■補助上限額：…円/■補助率：1/2) or opens with a bracket label (… / 【成果】…), else at the line's end (上限額 木造
    20万円／非木造 15万円: items of it)."""
    return next((s.start() for s in SEGMENT_END.finditer(text, start, line_end)
                 if heading_name(_FIELD_NAME.match(text, s.end()).group()) or text[s.end():s.end() + 1] == "【"),
                line_end)


def _bare_name(label: str) -> str:
    """A heading's words without the time that dates it (【令和6年度予算】, （令和4年度）) or a bracket
    that gives its base or its unit (（1点あたり）, （単位：千円）, （t）)."""
    label = _OPENING_YEAR.sub("", _OPENING_DATE.sub("", label.lstrip(_WORDS["heading_marks"] + " \t")))
    if (unit := _UNIT_BRACKET.search(label)) and written_alone(unit.group("unit")):
        label = label[:unit.start()]
    return _BASE_BRACKET.sub("", _DATED.sub("", label))


#: 【決算額内訳】: a heading over the parts of a measure.
_BREAKDOWN = re.compile(r"の?内訳$")
#: 【職員数の推移】: a heading over a measure's values year after year.
_TREND = re.compile(r"の推移$")
_UNIT_BRACKET = re.compile(r"\s?\((?:単位:\s?)?(?P<unit>[^()\d]{1,5})\)$")
#: 【R6予算】, 【R5決算見込】: a bare era year before the budget or the settled accounts it says the kind of.
_BUDGET_ERA = rf"{BARE_ERA_YEAR}(?=予算|決算)"
_OPENING_YEAR = re.compile(rf"^(?:{YEAR}|{_BUDGET_ERA})(?:の)?[ \t]*(?=[^\d\s:])"
                           r"(?!度|まで|以降|から|以前|末|時点|現在|実績|目標|見込|当初|[~〜～-])")
#: 【R6年度目標】, ＜令和5年度計画＞: the year a heading of a kind of value opens with.
_YEAR_OF_STATUS = re.compile(rf"^(?:{YEAR}|{_BUDGET_ERA})(?:の)?[ \t]*(?=実績|目標|見込|当初|計画|予算|決算)")
#: 令和5年4月1日現在の耐震化率: a date that opens a label says when, not what.
_OPENING_DATE = re.compile(rf"^{YEAR}\s?\d{{1,2}}月(?:\s?\d{{1,2}}日)?末?(?:時点|現在)?の")
#: A bracket closing a heading that only dates it (（令和4年度）, (2023年度実績)): the period's, not the name's.
_DATED = re.compile(rf"\s?[(（]{YEAR}(?:\s?\d{{1,2}}月(?:\s?\d{{1,2}}日)?)?末?(?:実績|時点|現在)?[)）]\s?$")


def _items(text: str) -> list[Scope]:
    """Numbered lines (1講演会 参加者120名, (2)相談会 …, ③研修会 …): the word after the number
    labels the item the rest of the line states. So does the word that opens each segment of a line cut by
    slashes, before a space (体育館 稼働率72.5%/武道場 稼働率58.1%): the segments are a flattened list."""
    found = []
    for m in _NUMBERED_LINE.finditer(text):
        line_end = text.find("\n", m.end())
        found.append(Scope("item", m.group("label"), m.start("label"), m.end(), len(text) if line_end < 0 else line_end))
    for m in _SLASHED_ITEM.finditer(text):
        line_end = end_of_line(text, m.end())
        if not SEGMENT_END.search(text, text.rfind("\n", 0, m.start()) + 1, line_end):
            continue  # a line of one segment: no list
        segment_end = SEGMENT_END.search(text, m.end(), line_end)
        found.append(Scope("item", m.group("label"), m.start("label"), m.end(),
                           segment_end.start() if segment_end else line_end))
    return found


#: 体育館 稼働率72.5%, /武道場 稼働率58.1%: a word opening a line or a slash's segment, then a space and words
#: that go on to a figure in the segment.
_SLASHED_ITEM = re.compile(r"(?:^|(?<=[^\d\s]/)|(?<=\s/\s))[ \t]*(?P<label>[^\s\d:、。()/]{2,20})[ \t]+"
                           r"(?=[^\s\d/:、。]{1,15}\s?\d)", re.M)


def _bracket_label(text: str, t: TimeExpression) -> bool:
    """Whether ``t`` is all of a bracket that stands as a label (【令和3年度以降】 at a line's start or
    after a space), not one that dates the phrase before it (最近5カ年間(令和元年~2023年))."""
    before = text[:t.start]
    return before.endswith(("(", "[", "【", "<")) and (len(before) == 1 or before[-2] in " \t\n、。/")


def _each_bracket(text: str, t: TimeExpression) -> int:
    """Where the bracket opens that says ``t`` holds for each item before it ((いずれも…以降)), or -1."""
    opening = text.rfind("(", 0, t.start)
    return opening if opening >= 0 and ")" not in text[opening:t.start] and _EACH.search(text, opening, t.start) else -1


def _validity(text: str, times: Sequence[TimeExpression]) -> list[Scope]:
    """Open or closed spans that stand as labels over the items after them, up to the next such
    label; and a bracket after a list that says its span holds for each item (いずれも…以降)."""
    each = [t for t in times if _each_bracket(text, t) >= 0]

    def opens_line(t: TimeExpression) -> bool:
        return not text[text.rfind("\n", 0, t.start) + 1:t.start].strip(f" \t{_WORDS['heading_marks']}")

    labels = [t for t in times if re.search(r"\d|元", text[t.start:t.end])
              and (m := _STANDS.match(text, t.end) or _STATUS_LABEL.match(text, t.end)
                   or (opens_line(t) and _DATED_NAME.match(text, t.end))) and t not in each
              and not re.search(r"[⇒→➡]\s?$", text[:t.start])  # 2012年→2023年：A→B: steps, not a label
              and (not m.group().strip(" \t:").endswith(tuple(")]】>")) or _bracket_label(text, t)
                   or (text[m.end():m.end() + 1] in ("\n", "", "】", "]", ">")
                       and not AFTER_FIGURE.search(text, 0, text.rfind("(", 0, t.start))))]
    # アンケート（令和5年度実施） closing a title line, 【決算額内訳（令和5年度）】 a heading (not 目標値：50.0%（令和9年度）
    # closing a line: the figure's own aside)
    found = []
    for i, t in enumerate(labels):
        stop = text.find("。", t.end)
        end = min(labels[i + 1].start if i + 1 < len(labels) else len(text), len(text) if stop < 0 else stop + 1)
        line_end = text.find("\n", t.end)
        if (segment := SEGMENT_END.search(text, t.end, len(text) if line_end < 0 else line_end)) is not None:
            line_end = segment.start()  # 第4四半期 5,233件 / 年間計 15,830件: a review sheet's slash ends a line
        # （R6年度以降）ふるさと納税の募集適正基準 / ・…: an open span in a bracket that opens its line opens the line
        # (not 【令和3～5年度】旧町役場庁舎保存活用事業: a project's years)
        opening = _bracket_label(text, t) and re.search(_OPEN_SPAN_END + "$", text[t.start:t.end]) is not None
        before = text[text.rfind("\n", 0, t.start) + 1:t.start - opening]
        if line_end >= 0 and before.strip() and _LABEL_TAIL.sub("", text[t.end:line_end]):
            end = min(end, line_end)  # 定員：令和4年度まで 480人、令和5年度以降 560人 / 令和5年度待機児童数…: a
            # label inside a line, with figures after it, holds to the line's end; one that opens or closes
            # its line (アンケート（令和5年度実施）), to the next label
        if not (_STANDS.match(text, t.end) or _STATUS_LABEL.match(text, t.end)):
            end = min(end, len(text) if line_end < 0 else line_end)  # a dated name holds for its line
        if note := _NOTE_LINE.search(text, t.end, end):
            end = note.start()  # …令和6年度から：30万円 / ※補助率は…1/2以内: a note is about the scheme as a whole
        found.append(Scope("validity", text[t.start:t.end], t.start, t.end, end, t.period))
    for t in each:
        opening = _each_bracket(text, t)
        if ".." in t.period:
            start = max(max(text.rfind(ch, 0, opening) for ch in "。\n") + 1,
                        max((s.end for s in found if s.end <= opening), default=0))
            if not text[start:opening].strip():  # ・第2子 10,000円\n（いずれも令和6年度以降）: a note on its own
                start = max(text.rfind("。", 0, opening) + 1, max((s.end for s in found if s.end <= opening), default=0))
            close = text.find(")", t.end)
            line_end = len(text) if (n := text.find("\n", close)) < 0 else n
            in_heading = close >= 0 and not re.search(r"\d", text[start:opening])  # no figure before the bracket
            if in_heading and not text[close + 1:line_end].strip() \
                    and line_end < len(text):  # 高齢者タクシー利用助成（いずれも令和6年度から） / ・…：1回700円: a
                block = text.find("\n\n", line_end)  # heading over the lines after it, to the block's end
                found.append(Scope("validity", text[t.start:t.end], t.start, line_end, len(text) if block < 0 else block,
                                   t.period))
                continue
            if in_heading and re.match(r"\s?[:：]", text[close + 1:line_end]):
                found.append(Scope("validity", text[t.start:t.end], t.start, close + 1, line_end, t.period))
                continue  # ◆…の上限額（いずれも令和6年度以降）：耐震診断6万円、…: over the items after the colon
            found.append(Scope("validity", text[t.start:t.end], t.start, start, opening, t.period))
    return found


def _capped(text: str, q: Quantity, previous_end: int, headings: Sequence[Scope]) -> bool:
    """A cap word in the figure's clause before it, with no other figure between (上限額は20万円,
    上限を20万円に, （上限額５万円）) and not the cap of the figure before (50万円を上限に), in a bracket
    of its own right after it (年額2,150万円（上限）), or in a heading over it (【上限】, （限度額）) or the label that
    opens its line (補助金の額（上限）：木造200,000円、非木造300,000円)."""
    if q.kind == "delta":
        return False
    start = q.prefix_start if q.prefix_start >= 0 else q.start
    clause = max(max(text.rfind(ch, 0, start) for ch in _CLAUSE_START), text.rfind("(", 0, start), previous_end - 1) + 1
    owned = _CAP_AFTER.match(text, previous_end) if previous_end else None  # 50万円を上限に補助率2/3: the cap
    before = [m for m in _CAP.finditer(text, clause, q.start)  # of the figure before; 上限80,000円: its prefix too
              if not _NOT_CAP.match(text, m.end()) and not (owned and m.start() < owned.end())]
    opening = text.rfind("(", 0, start)
    named = opening >= 0 and _BRACKET_OPENS_WITH.fullmatch(text, opening + 1, start) is not None and any(
        m.end() == opening for m in _CAP_WORD_BEFORE.finditer(text, max(0, opening - 8), opening))  # 上限規制（年960時間）
    own = _CAP_BRACKET.match(text, max(q.end, q.suffix_end))  # 年額2,150万円（上限）
    label = _LINE_LABEL.match(text, text.rfind("\n", 0, start) + 1)  # 補助金の額（上限）：木造…、非木造…: a line's
    lined = (label is not None and label.end() <= start and _CAP.search(label.group()) is not None  # label heads
             and not re.search(r"[:。/()]", text[label.end():start]))  # its items as a heading does, up to the next
    return (bool(before) or named or bool(own) or lined  # label (…、補助率：1/2) or bracket
            or any(_CAP.search(s.label) for s in headings if s.governs(q.start)))


#: The label that opens a line, up to its colon (補助金の額（上限）：).
_LINE_LABEL = re.compile(r"[^\n:。、\d]{1,30}?:")


#: 上限規制（年960時間）, 限度額（1世帯あたり）: a bracket right after a cap word, opening with its figure.
_BRACKET_OPENS_WITH = re.compile(r"[^()、。\d]{0,6}")
_CAP_WORD_BEFORE = re.compile(f"(?:{_CAP.pattern})額?(?:規制)?")
#: 月額7,500円（要介護4・5）を限度として: a cap word after the figure (past its bracket) that caps it.
_CAP_AFTER = re.compile(r"\s?(?:[(（][^()（）]*[)）])?\s?を\s?(?:上限|限度)")
#: 2,150万円（上限）, 5万円（限度額）: a bracket that holds a cap word alone, right after the figure.
_CAP_BRACKET = re.compile(rf"\s?\(\s?(?:{_CAP.pattern})額?\s?\)")
#: 月額5,000円（要介護3）、月額7,500円…: from one item of a list to the next.
_NEXT_CAPPED_ITEM = re.compile(r"\s?(?:[(（][^()（）]*[)）])?\s?[、,]\s?[^、。\d()（）]{0,12}")


def _capped_list(text: str, figures: Sequence[Quantity]) -> set[int]:
    """The items of a list that a cap word after its last item caps (月額5,000円（要介護3）、月額7,500円
    （要介護4・5）を限度として支給: both)."""
    out: set[int] = set()
    for i, q in enumerate(figures):
        if q.kind == "delta" or not any(_CAP_AFTER.match(text, end) for end in {q.end, q.suffix_end}):
            continue  # …10,000円を上限とする: the figure may have read を上限 as its own suffix
        out.add(q.start)
        j = i - 1
        while j >= 0 and figures[j].unit == q.unit and _NEXT_CAPPED_ITEM.fullmatch(
                text, max(figures[j].end, figures[j].suffix_end), start_of(figures[j + 1])):
            out.add(figures[j].start)
            j -= 1
    return out


def structure(text: str, figures: Sequence[Quantity], fiscal_year: int) -> CellStructure:
    """The headings, validity labels and caps of one cell of normalised text (line breaks kept)."""
    headings = _headings(text, figures)
    times = tuple(t for t in time_expressions(text, fiscal_year)  # 補助率：2/3 is a rate, not February 3rd
                  if not any(q.start < t.end and t.start < q.end for q in figures))
    scopes = (*headings, *_items(text), *_validity(text, times))
    ends = [0] + [max(q.end, q.suffix_end) for q in figures]  # where the figure before each ends
    capped = frozenset(q.start for i, q in enumerate(figures)
                       if _capped(text, q, ends[i], headings)) | _capped_list(text, figures)
    return CellStructure(scopes, capped, times, tuple(_tables(text, figures, fiscal_year)
                                                      + _slash_columns(text, figures, fiscal_year)
                                                      + _parted_tables(text, figures, fiscal_year)
                                                      + _named_cells(text, figures, fiscal_year)
                                                      + _labels_over_values(text, figures, fiscal_year)))


#: 2021, 1998: a Western year written bare (a column of years under 年度).
_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
#: A column name: a bracketed word, or a word without digits other than a year's (令和5年度決算), up to a space.
_COLUMN = re.compile(r"[^\s()（）\d]{0,6}\d{1,4}\s?年度?[^\s()（）\d]{0,6}(?:[(（][^()（）]{1,6}[)）])?|[(（][^()（）\d\s]{1,12}[)）]"
                     rf"|(?<![^\s]){BARE_ERA_YEAR}(?:[^\s()（）\d]{{1,6}})?|[^\s()（）\d]{{1,12}}"
                     rf"|(?<![^\s]){_BARE_YEAR.pattern}(?![^\s])")  # 年度 2021 2022 2023: a year under a header of 年度
#: 年度 R3 R4 R5, R4実績 R5見込: a bare era year that heads a column is a fiscal year, as the same year in brackets
#: is; a word after it says the column's status.
_ERA_COLUMN = re.compile(rf"{BARE_ERA_YEAR}(?![\x00-\x7f])")
#: 前年度比, 前年比, 増減: a column of the changes of the row's figures, dated by them, not by its name.
_CHANGE_COLUMN = re.compile(r"^(?:前年度?|昨年度?|対前年度?)比|^増減")
#: What a table's title says around its measure: marks, "…の推移", "…別内訳".
_TITLE_MARKS = re.compile(r"^[\s■□◆◇●○・【<＜]+|[\s】>＞:]+$")
_TITLE_TAIL = re.compile(r"(?:の推移|の内訳|の[^の\s]{1,8}別内訳|別内訳|の実績|の状況)$")
_TITLE_DATE = re.compile(r"\s?[(（][^()（）]*\d[^()（）]*[)）]\s?$")


def _tables(text: str, figures: Sequence[Quantity], fiscal_year: int) -> list[tuple[int, TableCell]]:
    """Tables flattened to text (窓口別の証明書発行件数（令和５年度） （本庁）（区役所） 住民票の写し
    ２８,４１０件 ６１,２３５件 …): two or more rows of a label and one figure per column (or one row
    under a header of years), after a header of as many column names and a title. A figure's measure
    is the title's, its labels its row and column; a column that is a year dates it (R4年度 R5年度 R6年度（予算））, else a
    dated title does; a column or else a row (当初見込み, 目標値) says its status. A cell left empty
    (成果実績 41.2% 43.8% －) is a column without a figure."""
    rows = _rows(text, figures)
    found: list[tuple[int, TableCell]] = []
    g = 0
    while g < len(rows):
        k, run = len(rows[g].cells), [rows[g]]
        while (g + len(run) < len(rows) and len(rows[g + len(run)].cells) == k
               and (_ROW_LABEL.fullmatch(text, run[-1].end, rows[g + len(run)].start)
                    or _YEAR_LABEL.fullmatch(text, run[-1].end, rows[g + len(run)].start))):
            run.append(rows[g + len(run)])
        g += len(run)
        if k < 2:
            continue
        first = run[0].start
        before = text[rows[g - len(run) - 1].end if g - len(run) else 0:first]
        head, columns, first_label = next(
            (found for found in (_header(before.rstrip(), k, r"\n[^\n]*"), _header(before.rstrip(), k, r"\s\S*"))
             if found), ("", [], ""))  # the label is its line (活動実績 回 18 24), else its last word
        if not first_label.strip(" ・"):
            continue
        if head.rstrip().endswith("年度"):  # 年度 2021 2022 2023: the years of a header opened by 年度 are fiscal years
            columns = [f"{column}年度" if _BARE_YEAR.fullmatch(column) else column for column in columns]
        times, statuses = _column_dates(columns, fiscal_year)
        if len(run) < 2 and not all(times):
            continue  # one row is a table only under a header of years (年度 R3 R4 R5)
        lines = [line for line in re.split(r"[。\n]", head) if line.strip()][-2:]  # the header's line, or the one before
        title = next((line for line in reversed(lines) if _measure_of_title(line)), lines[-1] if lines else "")
        title = _TITLE_MARKS.sub("", title)
        title_time = next((t for t in time_expressions(title, fiscal_year) if _TITLE_DATE.search(title, t.start - 1)),
                          None)  # 【他市の実施状況（令和5年度調査）】: the survey's year
        measure = _measure_of_title(title)
        for n, row in enumerate(run):
            label = (first_label if n == 0 else text[run[n - 1].end:row.start]).strip()
            said = next((st for st, pattern in _COLUMN_STATUS if pattern.search(label)), "")  # 当初見込み 3,000頭 …
            row_time = _column_time(label, fiscal_year) if _YEAR_LABEL.fullmatch(f"{label} ") else None
            for i, column, time, status in zip(row.cells, columns, times, statuses):
                if i is None:
                    continue
                status = said if said and status in ("", "actual") else status
                dated = time or row_time or title_time
                found.append((figures[i].start, TableCell(
                    measure, "" if row_time else _row_name(label, measure), "" if time else _column_label(column),
                    dated.period if dated else "", status or _undated_column_status(column))))
    return found


def _header(before: str, k: int, label: str) -> tuple[str, list[str], str] | None:
    """The text over a table's first row split into what is left over its header, the header's ``k`` column names
    and the first row's label (``label``: where it starts, as a pattern), or None if the header has fewer names."""
    split = re.fullmatch(rf"(?P<head>.*)(?P<label>{label})", before, re.S)
    if split is None:
        return None
    head, columns = split["head"], []
    while len(columns) < k and (m := _last_column(head := head.rstrip())):
        columns.insert(0, m.group())
        head = head[:m.start()]
    return (head, columns, split["label"].strip()) if len(columns) == k else None


def _row_name(label: str, measure: str) -> str:
    """What a row label adds to its figures' concept: the label without a bracket or a column that only gives
    the unit (総排出量（t）, 活動実績 回), and nothing where the title's measure already says it (ごみ総排出量) or
    where it only says which value of the measure the row holds (活動実績, 当初見込み: a status)."""
    name = _bare_name(label.strip(" ・")).strip()
    if (unit := re.search(r"\s(?P<unit>\S{1,4})$", name)) and written_alone(unit["unit"]) is not None:
        name = name[:unit.start()]  # 活動実績 回: a column of the row's unit
    return "" if (measure and name in measure) or _VALUE_ONLY.fullmatch(name) else name


def _named_cells(text: str, figures: Sequence[Quantity], fiscal_year: int) -> list[tuple[int, TableCell]]:
    """A table flattened to a line of names over a line of as many figures and nothing else (蔵書数 電子書籍数
    年間貸出冊数 / 486,215冊 12,408点 512,340冊; 目標値 実績値 / 320人 296人): each figure is what its name
    says, the measure (a name of one), the year, the status, or else the label (本庁 支所) of the measure the line
    above names (■相談件数, 指標：参加者数)."""
    found: list[tuple[int, TableCell]] = []
    for row in _rows(text, figures):
        start, end = text.rfind("\n", 0, row.start) + 1, text.find("\n", row.end)
        end = len(text) if end < 0 else end
        if len(row.cells) < 2 or not start or text[start:row.start].strip() or text[row.end:end].strip():
            continue
        above = text.rfind("\n", 0, start - 1)
        names = text[above + 1:start - 1].split()
        title = _measure_of_title(text[text.rfind("\n", 0, above) + 1:above]) if above > 0 else ""
        if len(names) != len(row.cells) or any(re.search(r"\d", name) and _column_time(name, fiscal_year) is None
                                               for name in names):
            continue
        for i, name in zip(row.cells, names):
            if i is not None:
                said = _says_of_value(name, fiscal_year)
                found.append((figures[i].start, _said_cell(said, title, "" if said else name)))
    return found


#: 指標名, 成果指標, 名称: a label whose value line is the name of the indicator of the lines after it.
_NAME_LABEL = re.compile(rf"{_INDICATOR_KIND}|[^\s:、。/]{{0,4}}指標名|名称")


def _labels_over_values(text: str, figures: Sequence[Quantity], fiscal_year: int) -> list[tuple[int, TableCell]]:
    """A form flattened to one field a line or slash-parted segment, each label over its value (指標名 / …提供会員数 /
    目標値 / 320人 / 実績値 / 296人), or all labels over all values in the same order (指標名 / 目標値 / 実績値 /
    …団体数 / 90団体 / 88団体): a figure alone on its line takes what its label says (status, year, measure), and
    the value of a name label (指標名) is the measure of the figures after it."""
    spans = [(a, b) for line in re.finditer(r"[^\n]+", text) for a, b in _fields(text, *line.span()) if a < b]
    lines = [text[a:b] for a, b in spans]
    ends = [max(q.end, q.suffix_end) for q in figures]
    alone = {n: i for n, line in enumerate(lines) for i, q in enumerate(figures) if line == text[start_of(q):ends[i]]}
    bare = {n for n, (a, b) in enumerate(spans) if not any(a <= start_of(q) < b for q in figures)}  # no figure
    label_of = _value_labels(lines, alone, bare, fiscal_year)
    found: list[tuple[int, TableCell]] = []
    name = ""
    for v, line in enumerate(lines):
        label = lines[label_of[v]] if v in label_of else ""
        if v not in alone:
            if _NAME_LABEL.fullmatch(label) or v and _NAME_LABEL.fullmatch(lines[v - 1]):
                name = line
        elif said := _says_of_value(label, fiscal_year):
            found.append((figures[alone[v]].start, _said_cell(said, name)))
    return found


def _value_labels(lines: Sequence[str], alone: Container[int], bare: Container[int], fiscal_year: int
                  ) -> dict[int, int]:
    """Which line labels each value line: in a run of lines without a lone figure and then lines of one, as many
    labels over as many values (:func:`_labels_then_values`), else each figure's line right above it."""
    label_of: dict[int, int] = {}
    n = 0
    while n < len(lines):
        texts = n
        while texts < len(lines) and texts not in alone:
            texts += 1
        figs = texts
        while figs < len(lines) and figs in alone:
            figs += 1
        first = next((a for a in range(n, texts) if _labels_then_values(lines, a, texts, figs, bare, fiscal_year)),
                     None)
        if first is not None:  # all labels, then all values (after a title line or more)
            k = (figs - first) // 2
            label_of.update({first + k + j: first + j for j in range(k)})
        else:
            label_of.update({v: v - 1 for v in range(texts, figs) if v - 1 >= n and v - 1 in bare})
        n = max(figs, n + 1)
    return label_of


def _labels_then_values(lines: Sequence[str], first: int, texts: int, figs: int, bare: Container[int],
                        fiscal_year: int) -> bool:
    """Whether lines[first:figs] are k labels over k values, the values from some text lines (up to ``texts``) and
    then figures: the labels hold no figure, those over figures say something of a value, and the values that are
    text are no labels (目標値)."""
    t, f = texts - first, figs - texts
    k = (t + f) // 2
    return bool(f and (t + f) % 2 == 0 and 2 <= k and f <= k and all(first + j in bare for j in range(k))
                and all(_says_of_value(lines[first + j], fiscal_year) for j in range(k - f, k))
                and not any(_label_status(lines[first + j]) for j in range(k, t)))


def _says_of_value(label: str, fiscal_year: int) -> tuple[str, str, TimeExpression | None] | None:
    """What a label over a value says of it: the measure it names, the status, the year; None if nothing."""
    said = (_label_measure(label), _label_status(label), _column_time(label, fiscal_year))
    return said if any(said) else None


def _said_cell(said: tuple[str, str, TimeExpression | None] | None, measure: str, label: str = "") -> TableCell:
    """The place of a figure whose label says ``said`` (:func:`_says_of_value`): its own measure or else
    ``measure``, its year (a result unless it says otherwise) and status, or else ``label``."""
    own, status, time = said or ("", "", None)
    return TableCell(own or measure, "", label, time.period if time else "", status or ("actual" if time else ""))


def _column_dates(columns: Sequence[str], fiscal_year: int) -> tuple[list[TimeExpression | None], list[str]]:
    """The time each column name gives (R4年度, R3: a bare era year, a fiscal year) and the status a dated column
    says (R6年度（予算）: plan; else actual); a column with no time says none."""
    times = [_column_time(column, fiscal_year) for column in columns]
    return times, [next((st for st, pattern in _COLUMN_STATUS if pattern.search(column)), "actual") if time else ""
                   for column, time in zip(columns, times)]


def _column_label(column: str) -> str:
    """What a column without a time adds to its figures' concept: its name (（本庁）, 測定地点数), or nothing
    where the name only says which value of the row it holds (年度 目標 実績: a status, not a label)."""
    return "" if _VALUE_ONLY.fullmatch(column) else column.strip("()（）")


def _undated_column_status(column: str) -> str:
    """The status a column without a time says (目標 → target, 見込 → plan, 実績 → actual), or ""."""
    said = next((st for st, pattern in _COLUMN_STATUS if pattern.search(column)), "")
    return said or ("actual" if "実績" in column else "")


def _column_time(name: str, fiscal_year: int) -> TimeExpression | None:
    """The time a column's or a row's name gives (R4年度, R3, R4実績: a bare era year is a fiscal year), or None;
    none for a column of changes (前年度比), which are of the time of the figures they change."""
    era = _ERA_COLUMN.match(name)
    name = f"{name[:era.end()]}年度{name[era.end():]}" if era else name
    return None if _CHANGE_COLUMN.search(name) else next(iter(time_expressions(name, fiscal_year)), None)


#: 救急搬送人員（R3年度／R4年度／R5年度）\n3,902人／4,315人／4,477人: a label whose bracket names the columns, parted by
#: slashes, over as many figures parted the same way.
_COLUMN_NAME = r"(?:[^()/\n]|\([^()/\n]{1,6}\)){1,16}"  # R6年度（見込）
_SLASH_HEADER = re.compile(r"(?P<label>[^\s、。:()/\d][^\n、。:()/]{0,30}?)"
                           rf"\((?P<columns>{_COLUMN_NAME}(?:/{_COLUMN_NAME})+)\)[ \t]*:?\s*")
_SLASH = re.compile(r"\s?/\s?")


def _slash_columns(text: str, figures: Sequence[Quantity], fiscal_year: int) -> list[tuple[int, TableCell]]:
    """The figures of a header in brackets whose columns a slash parts (救急搬送人員（R3年度／R4年度／R5年度）) and the
    row of as many figures parted by slashes after it, or the labelled rows under it (◆…事業（開催回数／参加者数） /
    親子ひろば：48回／1,120人): each is of its column, dated by it, or of the measure it names (開催回数（親子ひろば）),
    else of the label's measure."""
    starts = {start_of(q): i for i, q in enumerate(figures)}
    found: list[tuple[int, TableCell]] = []
    for m in _SLASH_HEADER.finditer(text):
        columns = [c.strip() for c in m.group("columns").split("/")]
        times, statuses = _column_dates(columns, fiscal_year)
        measure = _measure_of_title(m.group("label"))
        rows = [("", m.end())] if m.end() in starts else [
            (r.group("label"), r.end()) for r in _rows_under(text, m.end())]
        for label, at in rows:
            i = starts.get(at)
            run = figures[i:i + len(columns) + 1] if i is not None else []
            parted = [_SLASH.fullmatch(text, max(a.end, a.suffix_end), start_of(b)) is not None
                      for a, b in zip(run, run[1:])]
            if len(run) < len(columns) or not all(parted[:len(columns) - 1]) or parted[len(columns) - 1:] == [True]:
                break  # fewer figures than columns, or more
            for q, column, time, status in zip(run, columns, times, statuses):
                named = "" if time else _label_measure(column)
                place = TableCell(named, label, "") if named else TableCell(
                    measure, label, "" if time or _VALUE_ONLY.fullmatch(column) else column)  # no 参加者数（目標）
                found.append((q.start, replace(place, period=time.period if time else "",
                                               status=status or _label_status(column))))  # （目標／実績）
    return found


#: 親子ひろば：48回／…: a row under a header, its label and a colon or a space before its first figure.
_ROW_UNDER = re.compile(r"[ \t]*[・]?[ \t]*(?P<label>[^\s\d:、。/()]{1,20})[ \t]*(?::[ \t]*|[ \t]+)")


def _rows_under(text: str, start: int) -> Iterator[re.Match[str]]:
    """The labelled lines from ``start`` on, each up to its first figure, as long as they follow one another."""
    while (row := _ROW_UNDER.match(text, start)) is not None:
        yield row
        start = text.find("\n", row.end()) + 1
        if not start:
            return


#: The boundary of two cells of a table flattened with bars or slashes (指標｜目標｜実績); a slash between digits is a
#: fraction (1/2), no boundary.
_BAR = re.compile(r"[ \t]*(?:\||(?<!\d)/|/(?!\d))[ \t]*")
_VALUE_ONLY = re.compile("(?:" + "|".join(sorted(resources.concept_words()["value_labels"], key=len, reverse=True))
                         + r"|[\s()（）])+")


def _fields(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one line of a table flattened with bars or slashes, each as its span without the spaces
    around it."""
    cuts = [(start, start), *((m.start(), m.end()) for m in _BAR.finditer(text, start, end)), (end, end)]
    spans = [(a[1], b[0]) for a, b in zip(cuts, cuts[1:])]
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - len(text[a:b]) + len(text[a:b].rstrip()))
            for a, b in spans]


def _label_status(label: str) -> str:
    """The status a column's or a row's name says (目標値, R6年度（予算）, 当初見込み, 決算額, 成果実績), or ""."""
    if _SAYS["target"].search(label):
        return "target"
    if _SAYS["plan"].search(label):
        return "plan"
    return "actual" if any(re.search(word, label) for word in _ACTUAL_WORDS) else ""


def _label_measure(label: str) -> str:
    """The measure a column's or a row's name states (宿泊者数, 予算額, 達成度 %: its unit after a space
    dropped; 参加者数（延べ）: a bracket of how it is summed kept), or "" for a name of a value's kind, a time
    or a category (目標値, R3, 委託料 under 予算額)."""
    name = unmarked(BRACKETED.sub("", label)).split(" ")[0].strip()  # ■放置撤去台数 / 計 318台: no heading mark
    if not name or _VALUE_ONLY.fullmatch(name) or time_expressions(name, 2000):
        return ""
    summed = "".join(m.group() for m in BRACKETED.finditer(label) if _SUMMED_BRACKET.fullmatch(m.group()))
    return name + summed if name.endswith(_MEASURE_ENDS) or re.search(r"(?<!年)度$", name) else ""  # 満足度, not 目標最終年度


#: 参加者数（延べ）, 利用件数（累計）: a bracket that says how a row's measure is summed stays part of its name.
_SUMMED_BRACKET = re.compile(r"\(\s?(?:" + "|".join(resources.qualifiers()["bracket"]["cumulative"]) + r")\s?\)")


def _parted_tables(text: str, figures: Sequence[Quantity], fiscal_year: int) -> list[tuple[int, TableCell]]:
    """Tables flattened with bars or slashes, a line a row (指標｜目標｜実績 / 講座数｜40講座｜42講座; 年度 / 宿泊者数 /
    観光消費額 / R3 / 41,250人 / 21.6億円): a header line of three or more fields and no figure over lines of as many
    fields, each a row's name and one figure, an empty cell (－) or a word (a unit, a year) per column. A row or a
    column that is a time dates its cells; one that says a status gives it, the row's first (成果実績 under 目標最終年度
    is a result); the measure is a column's that names one (宿泊者数, 予算額: the row is then its label), else the
    row's (講座数), else the title's above the header (成果指標：急速充電器の設置基数), the row its label; a row that
    names an item under no measure at all (区分｜令和4年度｜令和5年度 / 耐震診断｜45件｜52件) is its label alone."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    ends = [max(q.end, q.suffix_end) for q in figures]
    found: list[tuple[int, TableCell]] = []
    for n, (start, end) in enumerate(lines):
        header = _fields(text, start, end)
        if len(header) < 3 or any(start <= start_of(q) < end for q in figures):
            continue
        names = [text[a:b] for a, b in header]
        title = _measure_of_title(text[slice(*lines[n - 1])]) if n else ""
        times = [_column_time(name, fiscal_year) for name in names]
        for row_start, row_end in lines[n + 1:]:
            row = _fields(text, row_start, row_end)
            if [text[a:b] for a, b in row] == names or all(BRACKETED.fullmatch(text[a:b]) for a, b in row):
                continue  # the header repeated, or a line of units under it: （千円） / （千円）
            cells = [[i for i, q in enumerate(figures) if a <= start_of(q) and ends[i] <= b] for a, b in row]
            if len(row) != len(header) or cells[0] or any(len(c) > 1 for c in cells) or not any(cells):
                break
            label = text[slice(*row[0])]
            said = [_column_time(text[a:b], fiscal_year) for a, b in row]
            when = next((t for t in said if t is not None), None)
            for j in range(1, len(row)):
                if not cells[j]:
                    continue
                time = when or times[j]
                status = _label_status(label) or _label_status(names[j]) or ("actual" if time else "")
                column, own = _label_measure(names[j]), _label_measure(label)
                item = "" if said[0] or _label_status(label) else label
                place = TableCell(column, item, "") if column else TableCell(own or title, "" if own else item, "")
                found.append((figures[cells[j][0]].start, replace(place, period=time.period if time else "",
                                                                  status=status)))
    return found


def _measure_of_title(title: str) -> str:
    """The measure a table's title names (指標：特定健康診査の受診率 → 特定健康診査の受診率), or ""."""
    measure = _TITLE_TAIL.sub("", _TITLE_MARKS.sub("", _TITLE_DATE.sub("", title.split(":")[-1])))
    return measure if measure.endswith(_MEASURE_ENDS) else ""


@dataclass(frozen=True)
class _Row:
    """A row of a flattened table: its cells (a figure's index, or None for a cell left empty) and
    where its first cell starts and its last ends."""

    cells: tuple[int | None, ...]
    start: int
    end: int


def _rows(text: str, figures: Sequence[Quantity]) -> list[_Row]:
    """Figures separated by nothing but spaces and empty cells, as rows (a row label or any other
    word between two figures starts a new one)."""
    rows: list[_Row] = []
    for i, q in enumerate(figures):
        start, end = start_of(q), max(q.end, q.suffix_end)
        trailing = _EMPTY_AFTER.match(text, end)
        end = trailing.end() if trailing else end
        gap = _EMPTY_BETWEEN.fullmatch(text, rows[-1].end, start) if rows else None
        if gap is not None:
            rows[-1] = _Row((*rows[-1].cells, *_empty_cells(gap), i, *_empty_cells(trailing)), rows[-1].start, end)
            continue
        leading = _EMPTY_BEFORE.search(text, rows[-1].end if rows else 0, start)
        rows.append(_Row((*_empty_cells(leading), i, *_empty_cells(trailing)), leading.start() if leading else start,
                         end))
    return rows


def _empty_cells(words: re.Match[str] | None) -> tuple[None, ...]:
    """One empty cell per dash the words hold."""
    return (None,) * len(_EMPTY.findall(words.group())) if words else ()


#: A cell a flattened table leaves empty: a dash standing alone between spaces.
_DASHES = "\\-―‐—−–"
_EMPTY = re.compile(rf"(?<=\s)[{_DASHES}](?=\s|$)")
_EMPTY_BETWEEN = re.compile(rf"(?:\s+[{_DASHES}](?=\s))*\s+")  # between two figures of a row
_EMPTY_AFTER = re.compile(rf"(?:[ \t]+[{_DASHES}](?=[ \t]*(?:\n|$)|[ \t]))+")  # after its last figure
_EMPTY_BEFORE = re.compile(rf"(?:[ \t]+[{_DASHES}])+(?=[ \t]+$)")  # before its first figure
#: A row label: a short phrase without a clause's end or a figure.
_ROW_LABEL = re.compile(rf"\s*[・]?\s?[^\s、。\d()（）{_DASHES}][^、。\d]{{0,20}}?\s+")
_COLUMN_STATUS = [("plan", re.compile("予算|見込|計画")), ("target", re.compile("目標"))]
#: 令和3年度, R4: a row label that is a year, which dates its row (年度 目標 実績 / R4 1,200件 1,148件).
_YEAR_LABEL = re.compile(rf"\s*(?:[^\s()（）\d、。]{{0,6}}\d{{1,4}}\s?年度?|{BARE_ERA_YEAR})\s+")


def _last_column(header: str) -> re.Match[str] | None:
    """The last column name of a header (a bracketed word, a plain word or a year)."""
    return next((m for m in _COLUMN.finditer(header) if m.end() == len(header)), None)


def unmarked(text: str) -> str:
    """A label without the list mark that opens it (・空き家除却補助, ②視聴覚資料, ◆利用件数)."""
    return re.sub(r"^[\s・◆◇■□●○〇◎※①-⑳❶-❿]+", "", text)


#: …の利用実績, …の開催状況: the words of a heading that say its lines tell what was done with its thing.
_STATE_TAIL = re.compile(r"の[^の()]{0,6}?(?:実績|状況)$")


def heading_name(label: str) -> str:
    """The measure a heading names, as an indicator's name: 補助金の額（上限） → 補助金の上限額;
    【受講者数】 → 受講者数. Empty for a heading that names no measure (【活動指標】, ■事業内容) or
    only says a status or value (実績, 目標値)."""
    label = unmarked(label.strip(" \t:"))  # ・登録児童数：412人: no list mark
    bracket = re.fullmatch(r"(?P<name>.+?)\((?P<word>[^()]+)\)", label)
    if bracket and written_alone(bracket.group("word").strip()) is not None:  # 担い手への農地集積率（％）: its unit
        label, bracket = bracket.group("name"), None
    if bracket and bracket.group("word") in _AMOUNT_BASES:  # 子育て応援手当（月額） → 子育て応援手当の月額
        label = f"{bracket.group('name')}の{bracket.group('word')}"
    elif bracket and _CAP.fullmatch(bracket.group("word")):
        name, word = bracket.group("name"), bracket.group("word")
        label = f"{name[:-1]}{word}額" if name.endswith("額") else f"{name}の{word}"
    elif bracket and bracket.group("name").endswith(_MEASURE_ENDS) and not bracket.group("word").endswith(
            _MEASURE_ENDS):  # 施設使用料（午前区分）, 助成額（いずれも令和6年度から）: the bracket scopes the measure
        label = bracket.group("name")  # the heading names (not 参加者数（利用者数）: another name of it)
    elif bracket and bracket.group("word").endswith(_MEASURE_ENDS) and not bracket.group("name").endswith(
            _MEASURE_ENDS) and not _STATUS_ONLY.fullmatch(bracket.group("word")):
        name = bracket.group("name")  # 障害福祉サービスの利用実績（実利用者数） → 障害福祉サービスの実利用者数: the bracket
        label = f"{_STATE_TAIL.sub('', name) or name}の{bracket.group('word')}"  # names the measure of the state's lines
    label = _TREND.sub("", _BREAKDOWN.sub("", label))  # 【決算額内訳】: its items are parts of the 決算額;
    # 【職員数の推移】: its items are the 職員数 of year after year
    if label in ("予算", "決算"):  # 【令和6年度予算】: its items are parts of the budget
        return label + "額"
    kind = _KIND_AFTER_NAME.search(label)  # 駐輪場巡回指導回数 実績／目標…: the name, then which value of it follows
    if kind and label[:kind.start()].endswith(_MEASURE_ENDS):
        label = label[:kind.start()]
    names_measure = label.endswith((*_MEASURE_ENDS, "実績", "予算", "決算")) or _CAP.search(label)  # ＜貸出実績＞: of 貸出
    return label if names_measure and not _STATUS_ONLY.fullmatch(label) else ""


def heading_status(label: str) -> str:
    """target, plan or actual for a heading that only says which (【目標】, 実績, R6見込); rule for one
    that says its items are the scheme's terms (＜制度の内容＞, 貸出条件：); else ''."""
    if _TERMS_HEADING.search(label):
        return "rule"
    if _FORESEEN_AMOUNTS.search(BRACKETED.sub("", label).strip(" \t:")):
        return "plan"
    label = BRACKETED.sub("", label) if _TIME_ASIDE.search(label) else label  # 成果目標（目標最終年度：令和8年度）
    if not _STATUS_ONLY.fullmatch(label.strip(" \t:")):
        return ""
    said = [status for status in ("target", "plan") if _SAYS[status].search(label)] or (
        ["plan"] if label.strip(" \t:").endswith("計画") else [])  # 【令和5年度計画】: what is planned for the year
    if said and any(w in label for w in _ACTUAL_WORDS):
        return ""  # 【成果目標及び成果実績】: a section of both, each item says which
    return said[0] if said else "actual"


def within_scopes(text: str, found: Sequence[tuple[Period, str]], figures: Sequence[Quantity], cell: CellStructure,
                  sentences: Sequence[tuple[int, int]]) -> list[tuple[Period, str]]:
    """A figure under a heading that says its status (【目標】 ・参加者数 500人) has it unless its own
    clause or label (目標値：4,500kW（基準値：2,100kW）) said another; a figure under a validity label takes
    its span, unless a time of its own clause dates it after the label, and an amount or a rate that
    holds over a span (a rate: an open one) is a setting of the scheme (rule); counts under a label are
    what stood then."""
    out, brackets = list(found), pairs(text)
    for i, q in enumerate(figures):
        if (place := cell.table_cell(q.start)) is not None and (place.period or place.status):
            period, status = out[i]  # R4年度 R5年度 R6年度（予算）: a table's column or title dates its figures
            out[i] = (Period(place.period, -1, -1, "cell") if place.period else period, place.status or status)
            continue
        headings = cell.over(q.start, "heading")
        sayer = next((h for h in reversed(headings) if heading_status(h.label)), None)
        said = heading_status(sayer.label) if sayer is not None else ""
        if not said and q.kind == "money" and out[i][0].source == "table" and "total" not in q.qualifiers \
                and any(_AMOUNT_HEADING.search(h.label) for h in headings) \
                and not any(_AMOUNT_RESULT.search(h.label) for h in headings):
            said = "rule"  # ◆補助額 ・生垣の新設：1メートル当たり4,000円: the scheme's amount for a category (a total,
            # ◆交付額 計 1,436千円, is what was paid)
        if said and (out[i][1] == "actual" or (said == "plan" and out[i][1] == "target" and not _TARGET_WORD.search(
                text, sayer.end, q.start))) and (sayer is None or labelled_actual(text, start_of(q)) < sayer.start) \
                and not (out[i][1] == "actual" and said_in_bracket(text, start_of(q), brackets)):
            out[i] = (out[i][0], said)  # ■令和6年度予算の内訳 … 3,456百万円: a plan, though of a year ahead
        elif said == "actual" and out[i][1] == "rule" and how_often(q):
            out[i] = (out[i][0], said)  # 【R6年度取組実績】…連絡会は年5回実施。: how often it was done, no setting
        labels = cell.over(q.start, "validity")
        if not labels:
            continue
        v, (period, status) = labels[-1], out[i]
        if (period.source == "table" or period.start < v.label_start or period.start >= v.end) \
                and not DIRECTION.match(text, v.label_start + len(v.label)):
            end = v.label_start + len(v.label)
            source = "sentence" if sentence_of(sentences, v.label_start) == sentence_of(sentences, q.start) else "cell"
            period = Period(v.period, v.label_start, end, source)
        open_span = v.period.startswith("..") or v.period.endswith("..")
        setting = q.kind in ("money", "ratio") or (q.kind == "percent" and open_span)  # 3社・22台 are counts
        # 【令和5年度から令和7年度まで】 ・本庁舎 3,000円: a span that ends after the sheet's year is what the amount
        # holds over, no goal, unless a goal word says so
        goal = status == "target" and _TARGET_WORD.search(text, v.label_start + len(v.label),
                                                          sentence_of(sentences, q.start)[1])
        out[i] = (period, "rule" if status in ("actual", "target") and not goal and ".." in v.period and setting
                  else status)
    return out

