"""Whether each figure is a result, a target, a plan or a rule of the scheme (annotation
guidelines, "When, and in what status").

The words of a figure's own clause decide first (目標, 予定, 上限, …とする); then a list's heading
or a label (実績：, 補助額：), then what the sentence's closing predicate says of figures dated
ahead. A change has the status of the figure it qualifies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline import resources
from pipeline.rules.dates import AS_OF, BARE_ERA_YEAR, YEAR
from pipeline.rules.periods import (
    ARROW, ARROW_JOINT, CLAUSE_END, CLAUSE_ENDS, end_of_line, enclosing, fiscal_year_of_end, Period, periods_of,
    RelativeClause, TimeExpression, VALUE_ITEM, year_of_period,
)
from pipeline.rules.quantities import (
    BOUNDS, CLASS_BOUND, DAYS_BEFORE, DISCOUNT, EVERY, NOT_CAP, PER_TIME_UNITS, Quantity, TIME_BASES, bounds_next,
    start_of,
)
from pipeline.rules.sentences import SEGMENT_END, sentence_of
from pipeline.rules.units import counter_regex, lookup
from pipeline.text.brackets import BRACKETED, pairs

_WORDS = resources.periods()

#: （備考：…）, （※次回は…）: a bracketed note after a figure, about something else.
_NOTE = re.compile(r"[(（]\s?(?:備考|※|注|次回)[^()（）]*[)）]")
#: …は10.9日と目標値である14日を…: after と, the words name the next thing (とする, となる do not).
_NEXT_SUBJECT = re.compile(r"\s?と(?!する|し|なる|なり|なっ|して)")
#: 68人は目標の60人を上回り: the goal a figure is compared with, named before the goal's own figure.
_GOAL_OF_NEXT = re.compile(r"\s?(?:は|が)\s?(?:当初の)?目標値?の\s?(?:約)?$")
#: 目標に対する達成率, 目標（300件）に対し, 計画比, 目標（98.5%）を上回り: the goal a result is measured against, not its
#: status.
_GOAL_AS_BASIS = re.compile(r"(?:目標|計画)値?\s?(?:[(（][^()（）]*[)）])?\s?(?:に対する|に対して|に対し|比)"
                            r"|(?:目標|計画)値?\s?[(（][^()（）]*[)）]\s?(?:を|に)(?:上回|下回|超え|達成|届か|達し|及ば)")
_COMPARED_AFTER = re.compile(r"[\d,.万億]+[^\d\s、。]{0,4}?(?:を|に)(?:上回|下回|超え|達成|届か|達し|及ば)")
#: Where a clause begins: after 。 、 or a slash, at a 【heading】, at a bullet after a space.
_CLAUSE_MARK = re.compile(r"[。、/／]|【|(?:^|(?<=\s))・")
#: A bullet (・ at a line's start or after a space), not the ・ inside 要介護4・5.
_BULLET = re.compile(r"(?:^|(?<=\s))・")
#: （令和5年度 164事業所）: a bracket that opens with a time and goes on with a figure.
_DATED_ASIDE = re.compile(rf"[(（]\s?{YEAR}(?:末|実績|時点|現在)?\s?[:：]?\s?$")


#: 上限額まで交付を受けた, 限度額を超える申込み: a cap word that names a class of what is counted sets nothing.
_CAPS = tuple(resources.scopes()["caps"])


_STATUS = [(status, re.compile("|".join(f"{w}(?!{NOT_CAP})" if w.startswith(_CAPS) else w for w in words)))
           for status, words in _WORDS["status"].items()]


#: 参加費は1人あたり500円で、定員は20名とした: an item of a list of settings, closed by one.
_SETTING_AFTER_LIST = re.compile(r"\s?で、[^。]*?(?:" + "|".join(_WORDS["settings"]) + r")。?\s?$")


#: 1時間30分とし, 1件あたり5,500円（1時間30分以内）とし: a figure, its bound and an aside of it, then a word of setting;
#: 5,000円～300,000円の価格帯で設定し: the range it is set in; 年2回（6月・9月）を基本とし: the norm it is set as.
_SETTING = re.compile(r"\s?(?:まで|以内|以下)?\s?(?:[(（][^()（）\n]*[)）])?\s?(?:の(?:範囲|価格帯)(?=で))?"
                      r"(?:を(?:" + "|".join(_WORDS["setting_norms"]) + r"))?"
                      r"(?:" + "|".join(_WORDS["settings"]) + r")(?![ぁ-ん])")


#: 9人から見直し後は, 1か所新設して計: the words from a level that stood to the one a change reached.
_REACHED_FROM = re.compile(r"\s?(?:から[^、。\d]{0,12}|を?[^、。\d]{0,8}(?:して|し、)\s?(?:計|合計))")


#: 5人とした (not 150円に改定した): a level a figure is made, which a change may reach.
_SET_AS = re.compile(r"\s?(?:" + "|".join(w for w in _WORDS["settings"] if w.startswith("と")) + r")(?![ぁ-ん])")


#: 2025年度までに…100件とする: a deadline before a setting makes it a goal (guidelines: 〜までに…する).
_DEADLINE = re.compile(r"(?:\d|元)\s?年度?末?(?:頃|ごろ)?までに")


_ELIGIBILITY = re.compile("|".join(_WORDS["eligibility"]))


_OPERATES = re.compile(r"\s?(?:" + "|".join(_WORDS["operating"]) + ")")
#: 開所時間は1日11時間: the facility's hours named before the figure.
_HOURS_NAMED = re.compile(r"(?:" + "|".join(_WORDS["operating"]) + r")時間\s?(?:は|が|:)?\s?$")


#: The rest of a figure's clause, with its comma or full stop, short of the close of a quotation (…2倍にすること」).
_REST_OF_CLAUSE = re.compile(r"[^、。」]*[、。]?")
#: 調査を終えたもの, 整備された施設, 整備している路線: a relative clause in the past or of a state, on the
#: noun a figure counts; what it says is done by a deadline was done.
_DONE_BY = re.compile(r"[ぁ-ん](?:た|ている)(?:もの|[一-龥ァ-ヶー])")
#: A predicate that says a thing was done or stands (減員した, 増加している, となった, 約520万人にとどまる).
_DONE = re.compile(r"(?:した|している|しており|してきた|となった|となっている|であった|だった|された|されている"
                   r"|に(?:とど|留)ま(?:る|っている|った))(?:が|。|$|、)")


#: What ends a heading word used as a label: 目標 80%, 限度額：, 補助金の額（上限）：, 目標(牛肉…).
_LABEL_END = re.compile(r"[^\d、。]{0,6}?[\s:：)）(（】\]]")


_ACTUAL = re.compile("|".join(_WORDS["actual"]))


_SETTING_MEASURE = re.compile(f"(?:{'|'.join(_WORDS['setting_measures'])})数?(?:の?[月年日週]額)?"
                              r"(?:[(（][^()（）]*[)）])*$")  # 補助率（木造）, 家賃の月額（単身向け）, 参加費（1回当たり）


#: 目標70%, 計画値：300件: a label of a goal or plan right before its figure.
_LABELLED_GOAL = re.compile(r"(?:目標|計画|見込み?)値?\s?:?\s?(?:約|およそ)?\s?$")
#: A word joined to the figure after it, by の, a bracket or nothing: 目標の45.0%, 予算現額の約8割, 目標値300件に対し,
#: 国の目標値（50%）.
_NAMES_FIGURE = re.compile(r"[^、。\s\d]{1,6}の\s?(?:約|およそ)?(?=\d)|目標値?\s?(?::\s?|\(\s?)?(?=\d)")


_CLAUSE_CLOSED = re.compile(rf"\s?(?:で|[^、。\d]{{0,16}}?(?:し|して|となり|{CLAUSE_ENDS}))、")


#: 4施設から令和8年度に3施設…, 約2,100万円から、移行後の…: the state a change starts from, then where it goes.
_FROM_STATE = re.compile(r"\s?(?:[(（][^()（）]*[)）])?\s?から[、\s]?[^。、\d]{0,16}?(?:\d{1,4}年度?[^。、\d]{0,6})?")


_LIST_GOES_ON = re.compile(r"[)）]?\s?[、,・]\s?[^。、]{0,16}?")


_SCHEME = re.compile(r"\s?(?:程度|相当)?の[^。、]{0,12}?(?:" + "|".join(_WORDS["scheme_nouns"]) + ")")

#: 救命講習（3時間・, 手話講座（初級: a bracket right after a scheme noun, up to a figure of it (items before it).
_SCHEME_BRACKET = re.compile(r"(?:" + "|".join(_WORDS["scheme_nouns"])
                             + r")\s?\((?:[^\d()、。]{0,6}[\d.,]+[^\d()、。]{0,4}[・、,]\s?)*[^\d()、。]{0,6}$")
#: 程度)、2…(300時間程度)、の研修を行う: the rest of a list of parts that a scheme noun closes.
_PARTS_OF_SCHEME = re.compile(r"[^()（）。]{0,4}[)）][^。]{0,80}?[)）]?[、,]?\s?の(?:" + "|".join(_WORDS["scheme_nouns"]) + ")")


@dataclass(frozen=True)
class _Clause:
    """A figure in its clause, as the cues of a rule read it."""

    text: str
    q: Quantity
    start: int  # of the figure's words (its prefix)
    end: int  # of its words (its suffix)
    stop: int  # where its clause ends (the next 、 or 。, or the next figure)
    cut: int  # where its clause begins, less one
    sentence: tuple[int, int]
    next_start: int
    before: str  # the words of its clause before it, with the heading of a bracket that holds it


#: うち人件費が全体の約4分の1, 4分の1以上が…勧誘された: a fraction of a whole, or one that is who did
#: or underwent what the clause says, or that the clause says stands at its level (…を占め, …に上った): a share
#: of what was.
_OF_WHOLE = re.compile(r"(?:全体|総数|合計|総額)の\s?(?:約|およそ|概ね)?\s?$")
_SHARE_AS_SUBJECT = re.compile(r"\s?(?:以上|以下|未満|程度|強|弱|超|近く|余り)?\s?(?:が|"
                               + "|".join(w.replace("を", r"を\s?") for w in _WORDS["shares_reached"]) + ")")


#: 1回あたり100円引き, 500円割引: an amount taken off a price (not 引き上げ, 引き続き).
_PRICE_OFF = re.compile(r"\s?(?:割引|引き?)(?![上下続出受渡継])")


def _scheme_rate(c: _Clause) -> bool:
    """補助率1/2 (not …の2/5を占めている, 全体の約4分の1, 4分の1以上が… nor 保護者は4分の3に上った: a share that
    stands), 30%減免, 100円引き: the scheme's rate or discount."""
    share = _OF_WHOLE.search(c.text, max(0, c.start - 8), c.start) or _SHARE_AS_SUBJECT.match(c.text, c.end)
    return (c.q.kind == "ratio" and c.q.unit_category != "multiple" and not share) \
        or (c.q.kind == "percent" and DISCOUNT.match(c.text, c.end) is not None) \
        or (c.q.kind == "money" and _PRICE_OFF.match(c.text, c.end) is not None)


def _programme(c: _Clause) -> bool:
    """3年間の研修: how long the scheme's programme lasts; 救命講習（3時間・4時間）: how long each of its forms
    lasts, in a bracket right after it; 1基礎・一般日本語(1500時間程度)、2…(300時間程度)、
    の研修を行う: how long each part of it lasts, in a bracket after the part."""
    return c.q.kind == "duration" and (_SCHEME.match(c.text, c.end) is not None or (
        c.text.startswith(("(", "（"), c.start - 1) and _PARTS_OF_SCHEME.match(c.text, c.end) is not None)
        or (_SCHEME_BRACKET.search(c.text, max(0, c.start - 24), c.start) is not None and not _held(c)))


#: 講座（全8回、計16時間）を開催し、…受講した: the object of a deed, closing the bracket after a scheme noun.
_OBJECT_OF_DEED = re.compile(r"[^()（）。]*?[)）]\s?を")


def _held(c: _Clause) -> bool:
    """講座（全8回、計16時間）を開催し、延べ186人が受講した: the bracket after a scheme noun says how the programme that
    was held ran (guidelines: actual, 〜した), not how the scheme sets it."""
    deed = _OBJECT_OF_DEED.match(c.text, c.end, c.sentence[1])
    return deed is not None and _DONE.search(c.text, deed.end(), c.sentence[1]) is not None


def _schedule(c: _Clause) -> bool:
    """1日10時間開所, 週6日営業, 開所時間は1日11時間: a facility's schedule per a base period."""
    return bool(c.q.per) and (_OPERATES.match(c.text, c.end) is not None or _HOURS_NAMED.search(c.before) is not None)


def _allowance(c: _Clause) -> bool:
    """年24回まで, 1人2冊まで, 1世帯3基以内: what the scheme allows per a base (a count; not …500g以下に減った)."""
    return bool(c.q.per) and (_UP_TO.match(c.text, c.end) is not None or (
        c.q.kind == "count" and "at_most" in c.q.qualifiers and not _DONE.search(c.text, c.end, c.stop)))


#: 市が助成（在宅：28,000円/月、…）を行う: a bracket that opens right after the deed of paying lists what it pays.
_PAID_IN_BRACKET = re.compile(r"(?:助成|補助|交付|支給|給付)(?:金|額)?\s?[(（][^()（）]*$")


def _paid_rate(c: _Clause) -> bool:
    """1kgあたり3円を交付, 助成（在宅：28,000円/月）; 1kW当たり2万円 on a line, or under one, of what a scheme
    pays (not 1件当たり8,420円の単位当たりコスト, an average or a cost); 一律5万円: an amount per unit the scheme
    pays."""
    text, q = c.text, c.q
    if q.kind != "money":
        return False
    if "一律" in text[c.cut + 1:q.start]:
        return True
    line_start, line_end = text.rfind("\n", 0, c.start) + 1, end_of_line(text, c.end)
    above = text.rfind("\n", 0, max(line_start - 1, 0)) + 1  # the line above: ■…補助 over ・蓄電池：1kW当たり2万円
    return bool(q.per) and (_PAYS.match(text, c.end) is not None or _PAID_IN_BRACKET.search(
        text, max(0, c.start - 60), c.start) is not None or (
        q.per not in TIME_BASES and not _DONE.search(_clause_after(text, c))
        and _SCHEME_PAYS.search(text, above, line_end) is not None
        and not _COST_OF_UNIT.search(text, line_start, line_end)))


def _clause_after(text: str, c: _Clause) -> str:
    """The words after a figure to the end of its clause, past an aside that holds another figure."""
    rest = BRACKETED.sub("", text[c.end:c.sentence[1]])  # 6,300円（前年度6,050円）であった: the aside is another's
    return rest[:end.end()] if (end := CLAUSE_END.search(rest)) else rest


def _defined(c: _Clause) -> bool:
    """週1回…収集を行うものである: a rate in a sentence that says what the scheme is."""
    return bool(c.q.per) and _DEFINES.search(c.text, c.sentence[0], c.sentence[1]) is not None


def how_often(q: Quantity) -> bool:
    """Whether a figure counts how often per a span of time (年5回, 月2回)."""
    return q.kind == "count" and q.per in TIME_BASES


def _recurring(c: _Clause) -> bool:
    """毎年1回…X線検査を実施する, 年4回支給, 3年ごとに実施する: how often the scheme does what it does, said as what it
    does (a sentence that closes on a verb of doing in its plain form or on its noun), not as what was done."""
    interval = c.q.kind == "duration" and EVERY.match(c.text, c.end) is not None
    return (how_often(c.q) or interval) and _DOES.search(c.text, c.sentence[0], c.sentence[1]) is not None


def _benefit_term(c: _Clause) -> bool:
    """入居後3年間は家賃を2割減額する, 当初5年間、年0.5%引き下げる: how long the scheme grants what its sentence, closing
    on the plain form of a verb of granting, says it grants."""
    return c.q.kind == "duration" and _FOR_TERM.match(c.text, c.end) is not None \
        and _GRANTS.search(c.text, c.end, c.sentence[1]) is not None


#: 3年間は, 5年間、, 3年間にわたり: a length of time a clause holds for (not 3年間で500件: a span a goal is reached in).
_FOR_TERM = re.compile(r"\s?(?:は|、|にわたり|にわたって|の間)")
#: …減額する。, …引き下げる。, …を交付する。: a sentence that closes on a verb of granting, in its plain form.
_GRANTS = re.compile(f"(?:{'|'.join(_WORDS['grants'])})" + r"(?:する|る)?\s?。?\s?(?:/|$)")


def _borne(c: _Clause) -> bool:
    """利用者負担は費用の1割: the share of a cost its users bear; 教材費500円は自己負担: an amount they pay themselves."""
    return (c.q.kind in ("percent", "ratio") and _BORNE.search(c.before) is not None) or (
        c.q.kind == "money" and _SELF_PAID.match(c.text, c.end) is not None)


#: 500円は自己負担, 実費1,000円を利用者負担 (not …を自己負担した: what someone paid).
_SELF_PAID = re.compile(r"\s?(?:[はを]|分は)?\s?(?:自己負担|利用者負担|実費負担)(?!し[たて])")


def _ceiling(c: _Clause) -> bool:
    """月額21万円を上限, 最大10年間: a ceiling on money or time (not 3歳未満, a group); 助成回数：14回以内: on how
    many times or things a scheme grants, as its field's value."""
    granted = c.q.kind == "count" and _GRANTED_COUNT.search(c.before) is not None
    return (c.q.kind in ("money", "duration") or granted) and c.q.unit_category != "age" \
        and bool(c.q.qualifiers & {"at_most", "less_than"}) and not _BROUGHT_DOWN.match(c.text, c.end)


#: 助成回数：, 利用回数：年, 交付枚数： 1人: a field that names how many times or things are granted, before its value.
_GRANTED_COUNT = re.compile(r"(?:助成|補助|交付|支給|給付|貸与|貸出|利用)(?:回数|枚数|冊数|日数)\s?[:：]\s?(?:[年月週日]|1人)?\s?$")


#: 環境基準（3mg/L以下）, 注意報の発令基準は0.12ppm以上: a standard, then (in its bracket or after its topic) the bound it
#: sets, perhaps averaged (年平均15μg/m3以下); not 基準値：2,100kW, where a goal starts from.
_STANDARD = re.compile(r"基準(?:値)?\s?(?:は|が|を|[:：(（])\s?(?:[年日月]平均|1時間値)?(?:で|の)?\s?$")


def _setting(c: _Clause) -> bool:
    """1時間30分とし, 最大1%とする: what a figure is set to; not a goal (目標値は…550人とする, 48万冊で、来年度は
    50万冊を目標とする) nor a setting with a deadline (2025年度までに…100件とする)."""
    text = c.text
    clause_start = max(_last_clause_start(text, c.start), c.sentence[0])
    goal_words = [pattern for status, pattern in _STATUS if status in ("target", "plan")]
    set_to = _SETTING.match(text, c.end) or (
        _SETTING_AFTER_LIST.match(text, c.end, c.sentence[1])
        and not any(pattern.search(text, c.end, c.sentence[1]) for pattern in goal_words))
    return bool(set_to) and not any(pattern.search(text, clause_start, c.start) for pattern in goal_words) \
        and not _DEADLINE.search(text, clause_start, c.start)


#: 交付要件として, 条件は: a requirement the scheme sets; …ことを求め, …ことを条件: what it asks, after the figure.
_REQUIREMENT = re.compile(r"要件|条件")
_ASKED = re.compile(r"ことを(?:求め|条件|要件|義務付け)|こととする|ことが必要")
#: （対象：65歳以上）, 要件：従業員20人以下: a bound as the value of a label that says who qualifies; 補助対象経費は: of
#: the topic that names what qualifies (not 対象者数は, a count).
_ELIGIBILITY_LABEL = re.compile(r"(?:対象|要件|条件)(?:者|年齢)?\s?:\s?[^、。\d:]{0,12}$"
                                r"|対象[一-龥]{1,4}(?<![数率額])\s?は\s?$")  # 補助対象経費は10万円以上
#: 対象：18歳未満の子を3人以上養育している世帯, ＜補助対象＞…, ■対象住宅：床面積50㎡以上、…, ・返還免除要件　市内で
#: 5年以上勤務 (a label and its value after a space): every bound in the conditions a label of who or what qualifies
#: opens (not 対象者数：, a count); after 対象は, the bounds of its clause.
_ELIGIBILITY_LINE = re.compile(r"[^:、。]{0,20}?(?:対象|要件|条件)(?:者|年齢|[一-龥]{1,4}(?<!数))?"
                                r"(?:\s?[:>\]】]|[ \t\u3000])[^\n。/]*"
                                r"|[^:、。]{0,20}?対象(?:者|年齢)?\s?は[^\n。/、(（]*(?:[(（][^()（）\n]*)?")  # 対象は市内で1年以上事業を営む…
#: 【対象者】, ＜補助対象＞, ■要件 on a line of its own: the lines under it, up to the next heading, say who qualifies.
_HEADING_MARK = rf"[{resources.heading_marks()}【<\[]"
_HEADING_OPEN = re.compile(rf"[ \t]*{_HEADING_MARK}")
_ELIGIBILITY_HEADING = re.compile(rf"[ \t]*{_HEADING_MARK}*[ \t]*(?:対象|要件|条件)(?:者|年齢|[一-龥]{{1,4}}(?<!数))?"
                                  r"[ \t】>\]:]*")
#: ■支援内容：指導員を週2回派遣, 【サービス内容】1回60分の訪問: the label of what a scheme provides (not 実施内容,
#: what was done).
_PROVIDED_LABEL = re.compile(r"(?:支援|事業|制度|サービス|補助|助成|給付|派遣)の?内容\s?[:】>\]]")


def _provided(c: _Clause) -> bool:
    """How often or how long per time the scheme provides what the label of its line says it provides."""
    line = c.text.rfind("\n", 0, c.start) + 1
    return (how_often(c.q) or (c.q.kind == "duration" and bool(c.q.per))) \
        and _PROVIDED_LABEL.search(c.text, line, c.start) is not None and not _DONE.search(_clause_after(c.text, c))


#: 返還期間：卒業後10年間, 研修期間：6か月間, 所要時間：2～3時間, 講習時間：3時間: a scheme's term, or how long what it
#: runs takes, as the label of its line (not 平均在院期間: a result).
_TERM_LABEL = re.compile(r"(?P<label>[^\s、。:\d]*(?:期間|期限|年限|所要時間|(?:研修|講習|講座|実習|相談)時間))"
                         r"\s?:\s?[^、。\d:]{0,8}$")


def _term(c: _Clause) -> bool:
    """返還期間：卒業後10年間: a length of time labelled as a term of the scheme."""
    term = _TERM_LABEL.search(c.before) if c.q.kind == "duration" else None
    return term is not None and "平均" not in term.group("label")


def _eligible(c: _Clause) -> bool:
    """…以下の住宅を対象とする, …以下の中小企業が行う…に対し補助する, 3歳未満の児童の…: a threshold of who qualifies;
    交付要件として、…従業員を1人以上新たに雇用することを求めており: a bound in what a requirement asks."""
    if c.q.kind == "delta":
        return False
    line = max(c.text.rfind(ch, 0, c.start) for ch in "\n。/") + 1
    if c.q.qualifiers & BOUNDS and (_ELIGIBILITY_LABEL.search(c.before)
                                    or _ELIGIBILITY_LINE.fullmatch(c.text, line, c.start)
                                    or _under_eligibility_heading(c.text, c.start)):
        return True
    if c.q.qualifiers & BOUNDS and _REQUIREMENT.search(c.text, c.sentence[0], c.stop) \
            and _ASKED.search(c.text, c.end, c.sentence[1]):
        return True
    if _age_class(c.text, c.q):
        return True
    return bounds_next(c.text, c.q, c.next_start) or _bounds_class(c) or CLASS_BOUND.match(
        c.text, c.q.end) is not None and bool(_ELIGIBILITY.search(c.text, c.sentence[0], c.sentence[1])
                                              or c.q.unit_category == "age")


#: 88歳の方に, 100歳の高齢者: an age that says which people (guidelines: 対象は18歳未満 is a rule).
_AGE_OF_PEOPLE = re.compile(r"\s?の\s?(?:方|人|者|高齢者|市民|子|児童|生徒)")


def _age_class(text: str, q: Quantity) -> bool:
    """75歳以上は無料, 対象を18歳未満に拡大, 88歳の方に祝い金を支給: an age with a bound, or before the people it
    sorts, is a class of people, never a result nor a list's item (平均年齢90歳超 is one: a measure of a group)."""
    return q.unit_category == "age" and bool(q.qualifiers & BOUNDS or _AGE_OF_PEOPLE.match(text, q.end)) \
        and "平均" not in text[max(0, start_of(q) - 8):start_of(q)]


#: 10分を超えた事案, 8km以上離れた地域, 体長3cm未満の稚魚, 10人以上の団体: a bound, then (after a verb that says how
#: the class stands to it) the noun of the class it draws.
_CLASS_OF = re.compile(r"\s?(?:(?:以上|以下|未満|超)\s?(?:(?P<of>の)|[^\s、。\d()（）のをがは]{1,5}?(?:した|った|れた|いた|ない|する))"
                       r"|を超え(?:る|た)|に満たない)\s?(?P<noun>[一-龥ァ-ヶー]{1,10})")
#: 従業員, 予定価格, 資本金, 部員数が right before a figure (a noun that ends as a measure does): the measure it is of.
_MEASURE_BEFORE = re.compile(r"[一-龥ァ-ヶー]*(?:" + "|".join(resources.concept_words()["measure_ends"]) + r")\s?が?\s?$")
#: 売上高10%以上の増加, 利用率80%以上の確保, 90%以上の維持: after の, a deed whose level the figure is, no class.
_DEEDS = tuple(resources.directions()["verbs"] + [w for key in ("levels_reached", "object_actions")
                                                 for w in resources.concept_words()[key]])
#: The words that name a measure of each kind: a bound over one (100km以上の距離) is the figure's own amount, at
#: least what it says, not a class.
_OWN_KIND = {"duration": ("時間", "期間", "日数", "年数"),
             "physical": ("量", "面積", "距離", "延長", "重量")}


def _bounds_class(c: _Clause) -> bool:
    """10分を超えた事案は全体の12.5％: a bound in a unit that cannot count the noun after it (a time, a length; a
    count in a counter of another category: 10人以上の団体) draws a class of that noun, a setting of what is reported,
    not a result. A bound on a sum or a share (年収400万円未満の世帯) is a class where the eligibility words say so."""
    m = _CLASS_OF.match(c.text, c.q.end)
    if m is None:
        return False
    noun = m["noun"]
    if m["of"] and c.q.kind != "delta" and _MEASURE_BEFORE.search(c.text, 0, c.start) and not noun.startswith(_DEEDS):
        return True  # 従業員20人以下の小規模事業者, 部員数が10人以下の部活動: the measure a figure bounds is named
        # before it, and the noun after の is what the bound sorts, not what the figure counts
    if c.q.kind == "duration" and (m["of"] or "経" in m.group()):
        return False  # 10年以上の長期にわたり: how long it lasts (a class needs a verb: 10分を超えた事案); 50年以上
        # 経過した橋梁: how long it has stood (periods.ELAPSED)
    if c.q.kind == "count":
        counted = re.search(f"(?:{counter_regex().pattern})$", noun)
        return counted is not None and lookup(counted.group()).unit_category != c.q.unit_category \
            and not noun.endswith(("者", "員"))  # 1,000人以上の参加者: people, whom 者 may also count as firms
    return c.q.kind in _OWN_KIND and not noun.endswith(_OWN_KIND[c.q.kind])  # not 鋼鉄の5倍以上の強度: a multiple


def _under_eligibility_heading(text: str, pos: int) -> bool:
    """【対象者】 / 市内在住の15歳以上40歳未満で、…: a line under a heading of who qualifies (up to the next heading)."""
    lines = text[:text.rfind("\n", 0, pos) + 1].split("\n")[:-1]
    for line in reversed(lines):
        if _ELIGIBILITY_HEADING.fullmatch(line):
            return True
        if _HEADING_OPEN.match(line):
            return False
    return False


#: The patterns that make a figure a parameter of the scheme (guidelines: rule), each read off its clause.
#: 1冊10,000円で12,000円分, 13,000円分を10,000円で販売, 12,000円分を半額の6,000円で: the price a voucher sells at and
#: the value it buys, one of them marked 分.
_PRICE_AND_VALUE = re.compile(r"(?P<a>\d[\d,.千万億]*円)(?P<a_worth>分)?\s?(?:を|で)\s?(?:[^、。\d]{0,4}の)?\s?"
                              r"(?P<b>\d[\d,.千万億]*円)(?P<b_worth>分)?")


def _voucher(c: _Clause) -> bool:
    """A voucher's price and face value (プレミアム付商品券は、1冊10,000円で12,000円分の買い物ができる) are the terms
    it is sold on, not what was sold."""
    return c.q.kind == "money" and any(
        bool(m["a_worth"]) != bool(m["b_worth"]) and c.q.start in (m.start("a"), m.start("b"))
        for m in _PRICE_AND_VALUE.finditer(c.text, c.sentence[0], c.sentence[1]))


_RULE_CUES = (_scheme_rate, _programme, _schedule, _allowance, _paid_rate, _defined, _recurring, _borne, _ceiling,
              _setting, _term, _benefit_term, _eligible, _voucher, _provided)


def status_of(text: str, q: Quantity, sentence: tuple[int, int], previous_end: int, next_start: int,
              brackets: list[tuple[int, int]]) -> str:
    """rule, target or plan by the words of the figure's clause (and of the heading of a
    bracket that lists it), up to the next figure or a bracket that holds it; else rule by a
    pattern of a scheme's parameter (``_RULE_CUES``); a multiple of another group (鋼鉄の5倍) is a
    fact; actual otherwise. Empty when nothing in the figure's own clause decides and it is an
    item of a list that goes on (the list's words decide)."""
    start = start_of(q)
    cut = max(_last_clause_start(text, start) - 1, sentence[0] - 1, previous_end - 1)
    scope = enclosing(q.start, brackets)
    labelled = scope is not None and ":" in text[scope[0] + 1:start]  # NFKC text: one colon
    if labelled:  # (「人材不足」と回答した館の割合:49.7%): a bracket with a label of its own is the figure's clause
        cut = max(cut, scope[0])
    before = _GOAL_AS_BASIS.sub("", text[cut + 1:start])
    if said_in_bracket(text, start, brackets):
        return "actual"
    if q.qualifiers & BOUNDS and _STANDARD.search(text, max(sentence[0], start - 20), start):
        return "rule"  # 環境基準値（3mg/L以下）, 発令基準は0.12ppm以上: the bound a standard sets (not 基準値：2,100kW,
        # where a goal starts from), whatever the clause says was achieved of it
    aside = scope is not None and AFTER_FIGURE.search(text, max(sentence[0], scope[0] - 6), scope[0]) \
        and _OWN_MEASURE.search(text, scope[0] + 1, start)  # 上限額 20万円（補助件数112件）: an aside that measures another thing
    if scope is not None and not aside and not labelled:
        before = text[max(sentence[0], scope[0] - 12):scope[0]] + before  # 目標(牛肉3,600億円、…): the bracket's heading
    end = q.suffix_end if q.suffix_end >= 0 else q.end
    clause = CLAUSE_END.search(text, end)
    stop = min(clause.start() if clause else sentence[1], sentence[1], next_start)
    # 実績120回／目標150回: a label past a slash is the next field's (not 100件/年を目標: a base)
    field = SEGMENT_END.search(text, end, stop)
    stop = field.start() if field and _FIELD_LABEL.match(text, field.end()) else stop
    after = ARROW.split(text[end:stop])[0]  # 85万人(2010年)⇒目標値：…: the words after ⇒ are the next's
    after = _NOTE.sub("", after)  # 99.7%（R5）（備考：次回調査はR9年度の予定）: a note is about something else
    opening = re.search(r"[(（][^)）]*$", after)
    if opening:  # 62.5%（目標70%）: the words of a bracket that holds the next figure are that figure's
        after = after[:opening.start()]
        held = enclosing(next_start, brackets)
        if held is not None and held[0] == end + opening.start():  # 工事費の10％（限度額20万円）を助成する:
            rest = text[held[1] + 1:sentence[1]]  # the figure's clause goes on after the aside
            clause_end = CLAUSE_END.search(rest)
            after += ARROW.split(rest[:clause_end.start() if clause_end else len(rest)])[0]
    if _NEXT_SUBJECT.match(after) or (_GOAL_OF_NEXT.fullmatch(after) and _COMPARED_AFTER.match(text, next_start)):
        after = ""  # 2,678人と政府目標の達成は容易でなく, 68人は目標の60人を上回り: 目標 is of what follows
    if q.kind == "percent" and _OF_BUDGET.search(text, max(sentence[0], start - 8), start) and not any(
            pattern.search(after) for status, pattern in _STATUS if status in ("target", "plan")):
        return "actual"  # 予算現額の約8割にとどまった: the share of the budget spent, a result (not …を執行する見込み)
    heading_at, heading = _list_heading(text, start, q.kind == "money") if not aside else (-1, "")
    if heading_at >= 0 and heading_at < previous_end and _OWN_TOPIC.search(before) \
            and _NAMES_MEASURE.match(text, heading_at):  # 予算額 1億5,000万円に対し、決算額は2億1,360万円: the label
        heading_at, heading = -1, ""  # of the figure before; this one's clause names its own measure
    if _stands_by_label(text, heading_at, heading, start):
        return "actual"  # 【成果目標】現状値（令和4年度）：65.2%: the figure's own label says it stands
    words = {status: pattern.search(before) or pattern.search(after) for status, pattern in _STATUS}
    if (cue := words["rule"]) and _PER_PERIOD_AMOUNT.fullmatch(cue.group()) and "平均" in cue.string[:cue.start()]:
        words["rule"] = None  # 平均工賃は月額18,420円, 9か所の平均工賃月額は: an average of what was paid, a result
    if (words["rule"] is None and heading != "actual" and q.kind == "money"  # 支給額：月額1万円, not
            and _AMOUNT_NAME.search(before)
            and not _OF_RESULTS.search(text, text.rfind("\n", 0, start) + 1, start)  # 令和4年度支給額：29,412千円
            and not _AVERAGE_OR_SUM.search(before) and not _DONE.search(text, end, stop)):  # 給付額は…であった
        words["rule"] = _AMOUNT_NAME.search(before)
    for status in ("rule", "target", "plan"):
        if words[status]:
            return status
    if q.kind == "duration" and ("at_most" in q.qualifiers or DAYS_BEFORE.match(text, end)) \
            and not _BROUGHT_DOWN.match(text, end):
        return "rule"  # 申請から30日以内に交付決定した割合, 開催日の14日前までに受け付ける: a term of the procedure,
        # whatever the heading says of the result it qualifies (the ceiling below, read before the heading)
    if heading:
        return heading
    clause = _Clause(text, q, start, end, stop, cut, sentence, next_start, before)
    if any(cue(clause) for cue in _RULE_CUES):
        return "rule"
    if next_start < sentence[1] and _LIST_GOES_ON.fullmatch(text[end:next_start]) \
            and not _OWN_VALUE_LABEL.search(before):  # 目標50%に対し実績41.2%、…: its own label says it stands
        return ""
    return "actual"


#: 実績 41.2%: a label of what stands right before the figure.
_OWN_VALUE_LABEL = re.compile(rf"(?:{_ACTUAL.pattern})\s?[:：]?\s?$")
#: 決算額は, 執行率は: a topic that names a measure, right before its figure.
_OWN_TOPIC = re.compile(r"(?:数|率|額|量|費)\s?は\s?$")
#: 予算額 , 計画値：: a status word in the name of a measure that a label gives the figure after it.
_NAMES_MEASURE = re.compile(r"[^\s:：、。\d]{0,6}?(?:数|率|額|量|費|値)\s?[\s:：]")


#: 補助件数, 利用率: a measure's name in a bracket, not a class (3歳未満は) nor an item label.
_OWN_MEASURE = re.compile(r"[^\d\s、。()（）]+(?:数|率|額|量)")


#: 1kgあたり3円を交付している, 1人5万円を支給した, 利用券（1人12,000円分）を交付: an amount per unit that a scheme
#: pays, in any tense, is its rate.
_PAYS = re.compile(r"\s?(?:分|相当)?\s?[)）]?\s?(?:の[^、。\d]{1,10}?)?を\s?(?:" + "|".join(  # 4円の奨励金を交付: the verbs of paying,
    w.removesuffix("する") for w in _WORDS["eligibility"] if w.endswith("する")) + ")")  # as the eligibility words say them


#: …週1回、戸別に収集を行うものである: a sentence that says what a scheme is (its rates are its terms).
_DEFINES = re.compile(r"(?:もの|こと)(?:である|とする|としている|です)\s?。?\s?$")


#: …を実施する。, …年4回支給, …を行う: a sentence that closes on a verb of doing in its plain form, or on its noun.
_DOES = re.compile(r"(?:実施|支給)(?:する)?\s?。?\s?$|行う\s?。?\s?$")


#: 利用者負担は費用の1割, 自己負担割合は: the share of a cost its users bear, a term of the scheme.
_BORNE = re.compile(r"負担(?:割合|率)?は")


#: 100,000円に拡充した, 500円に改定: the level a scheme's amount was revised to.
#: 平均日数を10日未満に短縮する: a bound a measure is brought down to is the level aimed at, no ceiling.
_BROUGHT_DOWN = re.compile(r"\s?(?:未満|以下|以内)?\s?に\s?(?:" + "|".join(_WORDS["brought_down"]) + ")")
_REVISED = re.compile(r"\s?に\s?(?:" + "|".join(_WORDS["revised"]) + ")")


#: 年24回まで (not 2030年度までに, a deadline): as far as a figure per a base period may go.
_UP_TO = re.compile(r"\s?まで(?!に)")


#: A figure's number and counter, right before a bracket.
AFTER_FIGURE = re.compile(r"\d\s?[^\d\s、。()（）]{0,3}\s?$")


def said_in_bracket(text: str, pos: int, brackets: list[tuple[int, int]]) -> bool:
    """Whether the bracket that holds the figure at ``pos`` says, before it, that it is a result: 見込みで548g
    （前年度実績561g）, 80%以上を維持（令和5年度実績84.6%）: the bracket's word, not the clause's or heading's, decides."""
    scope = enclosing(pos, brackets)
    return scope is not None and _ACTUAL.search(text, scope[0], pos) is not None


def _last_clause_start(text: str, pos: int) -> int:
    """Where the clause of ``pos`` begins: after the last 、 or 。, at a 【heading】, at a bullet
    (・ after a space) or after a / that separates items."""
    return max((m.end() if m.group() != "【" else m.start()) for m in _CLAUSE_MARK.finditer(text, 0, pos)) \
        if _CLAUSE_MARK.search(text, 0, pos) else 0


#: 1,240人（目標 1,500人）、満足度 91.2％: the aside of an item that a comma closes heads none of the items after it.
_ITEM_ASIDE = re.compile(BRACKETED.pattern + r"(?=\s?[、,])")


def _list_heading(text: str, pos: int, money: bool = False) -> tuple[int, str]:
    """The status a list's heading gives its items (目標 80%（R5）、90%（R6）／実績 63.9%): the last
    status word since the last 。, ／, 【 or bullet before ``pos`` that stands as a label (before a space,
    colon or bracket), 実績 meaning actual and, over an amount (``money``), a name of what a scheme pays
    (補助額：, 出産祝金：) rule, and where it stands; 定員335名に対し310名 has no heading."""
    bullet = max((m.start() for m in _BULLET.finditer(text, 0, pos)), default=-1)
    segment = text[max(max(text.rfind(ch, 0, pos) for ch in "。／/\n【"), bullet) + 1:pos]
    paid = [("rule", _AMOUNT_NAME)] if money else []  # 資源集団回収奨励金：43団体 is a count of the year
    closed = _GOAL_AS_BASIS.sub(lambda m: "・" * len(m.group()),  # 目標（300件）に対する達成率: the basis, no heading
                                _ITEM_ASIDE.sub(lambda m: "・" * len(m.group()), segment))
    found = [(m.start(), status) for status, pattern in [*_STATUS, *paid, ("actual", _ACTUAL)]
             for m in pattern.finditer(closed) if _LABEL_END.match(segment, m.end())
             and not (pattern is _AMOUNT_NAME and _OF_RESULTS.search(segment, 0, m.start()))  # 令和4年度支給額：
             and not _closed_before(segment, m.start())]
    offset = pos - len(segment)
    return (offset + max(found)[0], max(found)[1]) if found else (-1, "")


def _closed_before(segment: str, at: int) -> bool:
    """Whether the label at ``at`` heads a figure of the bracket it stands in, which closes before the segment's end
    (（定員 各回30名）で…参加は延べ87人: the label heads its bracket's figure, not the clause's; a bracket of words,
    ■指定管理料（令和6年度予算）：…, still heads the list)."""
    depth, figure = 0, False
    for ch in segment[at:]:
        depth += (ch == "(") - (ch == ")")
        figure = figure or (depth == 0 and ch.isdigit())
        if depth < 0:
            return figure
    return False


#: Between a value label and its figure: a colon, a time, spaces, the figures before it in the label's list;
#: no particle, no clause.
_LABEL_GAP = re.compile(r"(?:[^ぁ-ん、。]{0,12}、){0,3}[^ぁ-ん、。]{0,12}")  # 交付実績：27件、計2,315万円: the label's list


def labelled_actual(text: str, pos: int) -> int:
    """Where the label that says the figure at ``pos`` stands begins (現状値（令和4年度）：65.2%,
    基準値：2,100kW, 実績 63.9%), when no word of another status follows it; else -1."""
    at, status = _list_heading(text, pos)
    return at if _stands_by_label(text, at, status, pos) else -1


def _stands_by_label(text: str, at: int, status: str, pos: int) -> bool:
    """Whether the list heading found at ``at`` with ``status`` is the figure's own label of a result."""
    if status != "actual" or any(pattern.search(text, at, pos) for _, pattern in _STATUS):
        return False
    between = BRACKETED.sub("", text[_ACTUAL.match(text, at).end():pos])
    return _LABEL_GAP.fullmatch(between) is not None  # not 【成果実績】令和5年度は…から: a section's


def _not_past(period: str, fiscal_year: int) -> bool:
    """Whether a period starts in or after the table's fiscal year (a forecast can be of it)."""
    year = year_of_period(period.split("..")[0] or period.split("..")[-1])
    return year is not None and year[1] >= fiscal_year


#: 令和6年度に, 2024年度には: a time of a deed or event, not a topic.
_WHEN_DONE = re.compile(r"\s?(?:中|内|末|頃)?に")


def _forecast_of_later_step(text: str, quantities: list[Quantity], found: list[Period],
                            sentences: list[tuple[int, int]], i: int, status: str, fiscal_year: int) -> bool:
    """令和5年度は93.1%、令和6年度は95.0%に達する見込み (in FY2023): a forecast that closes a sentence of steps is
    of the later step its own time dates, not of one that stands by the table's year (its time a topic or the
    measure's, not 令和6年度に3棟、…整備する予定 nor 2024年度には約14%、…不足する可能性: when a deed is to be)."""
    year = year_of_period(found[i].period)
    when_done = found[i].source == "sentence" and _WHEN_DONE.match(text, found[i].end) is not None
    return status == "plan" and year is not None and year[1] <= fiscal_year and not when_done and any(
        found[j].period != found[i].period for j in _later_steps(quantities, found, sentences, i, quantities[i].end))


def _later_steps(quantities: list[Quantity], found: list[Period], sentences: list[tuple[int, int]], i: int,
                 end: int) -> Iterator[int]:
    """The figures after ``i`` in its sentence that a time of their own, written after ``end``, dates."""
    sentence = sentence_of(sentences, quantities[i].start)
    return (j for j in range(i + 1, len(found)) if found[j].source == "sentence" and found[j].start > end
            and sentence_of(sentences, quantities[j].start) == sentence)


def _stated_before_later_step(text: str, quantities: list[Quantity], found: list[Period],
                              sentences: list[tuple[int, int]], i: int) -> bool:
    """本年度は350人で、来年度は400人を目指す, 今年度は4回開催し、来年度は6回開催する予定: a figure
    whose clause closes (で、, a verb in し、) before a later figure dated by a time of its own is a
    result; the sentence's closing goal or plan is the later step's. Figures written one after the
    other (2棟48戸の改修を実施し) are one step: its clause closes after the last."""
    while i + 1 < len(quantities) and re.fullmatch(r"\s?", text[max(quantities[i].end, quantities[i].suffix_end):
                                                                 start_of(quantities[i + 1])]):
        i += 1
    end = max(quantities[i].end, quantities[i].suffix_end)
    later = _later_steps(quantities, found, sentences, i, end)
    return _CLAUSE_CLOSED.match(text, end) is not None and next(later, None) is not None


#: 補助額, 支給額: a name of what a scheme pays (periods.yaml amount_names).
_AMOUNT_NAME = re.compile("|".join(_WORDS["amount_names"]))


#: 受講後, 導入後（令和5年度）: a label that says the figure after it stands after a change (not 就学後: a class).
_AFTER_CHANGE = re.compile(r"[一-龥]{1,6}(?<!就学)後\s?(?:[(（][^()（）]*[)）])?\s?[:：]?\s?$")


#: 令和4年度支給額, 令和5年度：…助成額, 実績, 決算: a line of a year's results.
_OF_RESULTS = re.compile(r"年度|実績|決算")


#: 支給額：月額1万円: an amount for a base period, the scheme's rate unless its clause averages what was paid.
_PER_PERIOD_AMOUNT = re.compile(r"[月日年]額")
#: 給付額1人あたり平均…, 助成額は総計で…: an average or a sum of what was paid, a result.
_AVERAGE_OR_SUM = re.compile("平均|総計|合計|総額")




#: 1人当たり平均3,500円, 単位当たりコスト…1件当たり8,420円: on the line of an amount per unit, an average or
#: a cost says it is what was paid or spent, a result.
_COST_OF_UNIT = re.compile("平均|コスト|原価|経費|費用")


#: On the line of an amount per unit, or the line above: a word that says a scheme pays or charges it.
_SCHEME_PAYS = re.compile("補助|助成|交付|給付|支給|手当|奨励|祝金|支援金|料|上限|限度|単価")


#: 目標, 実績, 見込, 計画: a label of which value a field holds, as it opens the field (after its year: R6年度目標, R6目標).
_FIELD_LABEL = re.compile(rf"\s?(?:(?:{YEAR}|{BARE_ERA_YEAR})\s?)?(?:目標|実績|見込|計画|予定)")


#: 予算現額の約: the budget a share is of.
_OF_BUDGET = re.compile(r"予算(?:現額|額)?の\s?(?:約|およそ)?\s?$")


#: …する予定で, …を行う計画であり, …の見込みで: a clause that says it is planned and joins the next one (not
#: 地域防災計画で, a plan that says where).
_PLAN_GOES_ON = re.compile(r"(?:る(?:予定|計画)|見込み)(?:で|であり)$")


#: 60%に引き上げ、, 20件に増やして: the level a measure is brought to, in a clause that joins the next (not に引き上げた).
_BROUGHT_TO = re.compile(r"\s?に\s?(?:引き上げ|引き下げ|増や|減ら|高め|上げ|下げ|抑え)(?:、|て|ることで|ることにより)")


#: …89.2%であった。, …に達した。: a sentence that closes on a figure stated as what was.
_CLOSES_ON_RESULT = re.compile(r"\d[^\d、。]{0,6}(?:であった|だった|となった|に達した|にとどまった|を記録した)\s?。?\s?$")


def _final_clause_status(text: str, sentence: tuple[int, int]) -> str:
    """plan or target when the predicate that closes the sentence says so (…と見込まれている,
    …が不足する可能性がある, …を目指す): it governs the dated figures before it that are not past.
    A word joined to a figure names that figure (目標の45.0%には届かなかった, 目標値300件に対し), no predicate."""
    last = text.rfind("、", sentence[0], sentence[1])
    clause = text[max(last + 1, sentence[0]):sentence[1]]
    if last > sentence[0] and _PLAN_GOES_ON.search(text, sentence[0], last):
        return "plan"  # …で開催する予定で、案内チラシ2,000部を作成する: the plan goes on to the clause it joins
    if _CLOSES_ON_RESULT.search(clause):
        return ""  # …目標とする240人に対し達成率は89.2%であった。: the sentence closes on a figure that was
    clause = _NAMES_FIGURE.sub("", clause)
    clause = BRACKETED.sub("", clause)  # 86人（目標90人）: a bracket's words are its own figure's
    return next((status for status, pattern in _STATUS if status in ("plan", "target") and pattern.search(clause)), "")


def periods_and_statuses(text: str, quantities: list[Quantity], sentences: list[tuple[int, int]],
                         fiscal_year: int, parent: dict[int, int], times: Sequence[TimeExpression],
                         clauses: list[RelativeClause] = ()) -> list[tuple[Period, str]]:
    """Period and status of each figure (a change takes its figure's later, in :func:`of_changes`)."""
    found = periods_of(text, quantities, sentences, fiscal_year, times, clauses)
    brackets = pairs(text)
    starts = [start_of(q) for q in quantities]
    # 目標値は前年度比10%増の550人: a change written right before its figure is part of the figure's words
    first = [i - 1 if i and parent.get(i - 1) == i and quantities[i - 1].kind == "delta" else i
             for i in range(len(quantities))]
    statuses = [status_of(text, q, sentence_of(sentences, q.start), quantities[first[i] - 1].end if first[i] else 0,
                          starts[i + 1] if i + 1 < len(quantities) else len(text), brackets)
                for i, q in enumerate(quantities)]
    bounds = [bounds_next(text, q, starts[i + 1] if i + 1 < len(quantities) else len(text)) or _age_class(text, q)
              for i, q in enumerate(quantities)]
    for i in range(len(statuses) - 1, -1, -1):  # a list's items take what its last item's words say;
        if not statuses[i]:  # 412件、30日以内の通知率 96.4%: a threshold in the next name is no item
            j = next((j for j in range(i + 1, len(statuses)) if not bounds[j]), len(statuses))
            topic = j < len(statuses) and text[:starts[j]].rstrip().endswith("は")  # 待機児童数は0人、保育所等の
            own = (topic and any(pattern.search(text, quantities[i].end, starts[j])  # 利用定員は4,820人: the topic's
                                 for status, pattern in _STATUS if status != "actual")) or (  # own word
                j < len(statuses) and VALUE_ITEM.search(text, quantities[i].end, starts[j]) is not None)  # （前年度
            # 24.1%、目標30.0%）: the next item's label of which value it is (not 各講座2時間30分、定員40名で開講する)
            statuses[i] = statuses[j] if j < len(statuses) and not own and not _forecast_of_later_step(
                text, quantities, found, sentences, i, statuses[j], fiscal_year) else "actual"
    for i, p in enumerate(found):  # 6割を2025年度末までに…: a deadline makes a target
        if (statuses[i] == "actual" and p.period.startswith("..") and text.startswith("に", p.end)
                and re.search(r"\d", text[p.start:p.end])  # これまでに is no deadline
                and _not_past(p.period, fiscal_year)  # 2023年度までに…採択した (in 2025) is what was done
                and not _DONE_BY.search(text, p.end, starts[i])  # 令和5年度までに調査を終えたものは41件 (in 2023): done
                and not _DONE.search(text, quantities[i].end, _REST_OF_CLAUSE.match(text, quantities[i].end).end())):
            statuses[i] = "target"  # not 令和5年度までに…累計約520万人にとどまる (in 2023): where it stands
    for i, p in enumerate(found):  # …10年後には約261万戸…と急増していくことが見込まれている
        if (statuses[i] == "actual" and p.source == "sentence" and _not_past(p.period, fiscal_year)
                and not _stated_before_later_step(text, quantities, found, sentences, i)):
            sentence = sentence_of(sentences, quantities[i].start)
            # 3.4%/目標 R7年度 5%: the words past a field's slash are the next field's
            if not SEGMENT_END.search(text, quantities[i].end, sentence[1]):
                closing = _final_clause_status(text, sentence)
                later = _forecast_of_later_step(text, quantities, found, sentences, i, closing, fiscal_year)
                statuses[i] = closing if closing and not later else "actual"
    # 受診率を60%に引き上げ、…ことを目指す: the level a measure is to be brought to, in a clause that goes on to a goal
    for i, q in enumerate(quantities):
        if statuses[i] == "actual" and _BROUGHT_TO.match(text, max(q.end, q.suffix_end)):
            statuses[i] = _final_clause_status(text, sentence_of(sentences, q.start)) or "actual"
    for i in range(1, len(quantities)):  # 初期値：85万人(2010年)⇒目標値：320万人: what an arrow leads to
        between = text[quantities[i - 1].end:starts[i]]
        of_change = i >= 2 and quantities[i - 2].kind == "delta" and re.fullmatch(
            r"\s?[(（]\s?", text[max(quantities[i - 2].end, quantities[i - 2].suffix_end):starts[i - 1]])
        dated_past = ("⇒" not in between and found[i].source == "sentence"  # ⇒ leads to a goal, dated or not
                      and not _not_past(found[i].period, fiscal_year))
        stop = text.find("。", quantities[i].end)  # 9名→8名に減員した, 48社→…81社と…増加している: done
        done = "⇒" not in between and _DONE.search(text, quantities[i].end, len(text) if stop < 0 else stop)
        after_change = _AFTER_CHANGE.search(between)  # 受講前 41.3％ → 受講後 87.6％: where a change that was made led
        stated = _ACTUAL.search(ARROW.split(between)[-1])  # R4実績 6回 → R5実績 11回: labelled as what happened
        # a goal, unless both happened (2022年度16,248,427件→2023年度21,977,736件; …約1割減少(483万ha→437万ha)),
        # its change was done or made (…に減員した, 受講後), or its label says it happened (R5実績)
        if (statuses[i] == "actual" and ARROW.search(between) and not CLAUSE_END.search(between) and not of_change
                and not dated_past and not done and not after_change and not stated):
            statuses[i] = "target"
    for i, p in enumerate(found):  # 2030年度に46%削減, 3,500名(2023年度から2027年度): a goal
        if (statuses[i] == "actual" and (fiscal_year_of_end(p.period) or 0) > fiscal_year > 0
                and not (p.end >= 0 and AS_OF.match(text, p.end))):  # 令和6年4月1日時点の…0人 (FY2023): a fact
            statuses[i] = "target"
    for i, (p, q) in enumerate(zip(found, quantities)):  # R6年度以降は…一律100,000円に拡充した: an amount the
        if (statuses[i] == "actual" and q.kind == "money" and p.period.count("..") == 1  # scheme was revised to, from
                and (p.period.startswith("..") or p.period.endswith(".."))  # or until a year on: its rule then
                and not q.qualifiers & {"total", "cumulative"} and _REVISED.match(text, max(q.end, q.suffix_end))):
            statuses[i] = "rule"
    for i in range(len(quantities) - 2, -1, -1):  # 一時利用料を100円→150円に改定: the setting a revision
        if (statuses[i] == "actual" and statuses[i + 1] == "rule"  # replaced was one too
                and quantities[i].unit == quantities[i + 1].unit
                and ARROW_JOINT.fullmatch(text, max(quantities[i].end, quantities[i].suffix_end), starts[i + 1])):
            statuses[i] = "rule"
    # 自己負担額を500円とする（令和5年度までは1,000円）: the setting before it, in the bracket of a setting, valid until
    # a year
    for i in range(1, len(quantities)):
        setting_end = max(quantities[i - 1].end, quantities[i - 1].suffix_end)
        if (statuses[i] == "actual" and statuses[i - 1] == "rule"
                and quantities[i].unit == quantities[i - 1].unit and found[i].period.startswith("..")
                and (scope := enclosing(quantities[i].start, brackets)) is not None and scope[0] >= setting_end
                and not CLAUSE_END.search(text, setting_end, scope[0])):
            statuses[i] = "rule"
    for i in range(1, len(quantities)):  # 担当職員を見直し前の9人から見直し後は5人とした, 1か所新設して計4か所とし:
        if (statuses[i] == "rule" and statuses[i - 1] == "actual"  # the level a change went on to from one that
                and quantities[i].unit == quantities[i - 1].unit  # stood is what it did, no setting of the scheme
                and _REACHED_FROM.fullmatch(text, max(quantities[i - 1].end, quantities[i - 1].suffix_end),
                                            quantities[i].start)
                and _SET_AS.match(text, max(quantities[i].end, quantities[i].suffix_end))):
            statuses[i] = "actual"
    for i, p in enumerate(found):  # 令和6年4月1日現在で64人の職員を、令和9年度には30人とする予定: what stands
        if (statuses[i] in ("plan", "target") and p.source == "sentence" and p.end >= 0 and AS_OF.match(text, p.end)
                and (fiscal_year_of_end(p.period) or fiscal_year + 1) <= fiscal_year  # at a date not past the year,
                and not _LABELLED_GOAL.search(text, max(0, starts[i] - 8), starts[i])):  # unless its own label says
            statuses[i] = "actual"  # which value it is (…現在、…適合率は64.3％（目標70%）: the goal)
    for i, q in enumerate(quantities):  # …200事業所とすることを目指す（令和5年度 164事業所）: the bracket
        opening = _DATED_ASIDE.search(text, 0, starts[i])  # states where the goal starts from, a fact
        if statuses[i] in ("plan", "target") and opening and opening.end() == starts[i] \
                and (fiscal_year_of_end(found[i].period) or fiscal_year + 1) <= fiscal_year:
            statuses[i] = "actual"
    for child, par in parent.items():  # ４便増やし、２２便とした: a level a change went on to is what the
        if quantities[child].kind == "delta" and child < par and statuses[par] == "rule":  # change did
            statuses[par] = statuses[child]
    return list(zip(found, statuses))


def of_changes(found: list[tuple[Period, str]], quantities: list[Quantity], parent: dict[int, int]
               ) -> list[tuple[Period, str]]:
    """A change is of its figure's period and status, once the scopes have given them (64店（目標：70店、前年度比
    5店増）: the change is of 64店, though it stands under the bracket's label of a goal)."""
    out = list(found)
    for child, par in parent.items():
        if quantities[child].kind == "delta":
            period = out[par][0] if out[child][0].source != "sentence" or out[par][0].source == "sentence" \
                else out[child][0]
            out[child] = (period, out[par][1])
    return out


def started_from(text: str, found: list[tuple[Period, str]], quantities: list[Quantity], fiscal_year: int
                 ) -> list[tuple[Period, str]]:
    """The level a planned or targeted change starts from stands (actual: 現在の4施設から令和8年度に3施設体制へ
    移行する予定, 12.7%（令和5年度…調査）から令和7年度までに15%へ), whatever the sentence or its heading
    (成果目標：…84.7%から、…87%) says of the levels it goes to, unless its own clause says otherwise."""
    out = list(found)
    for i in range(len(quantities) - 1):
        (period, status), q = out[i], quantities[i]
        start = start_of(q)
        nxt = start_of(quantities[i + 1])
        if status in ("plan", "target") and _FROM_STATE.fullmatch(text, max(q.end, q.suffix_end), nxt) \
                and quantities[i + 1].unit_category == q.unit_category \
                and (fiscal_year_of_end(period.period) or 0) <= fiscal_year \
                and not any(pattern.search(text, _after_label(text, start), start)
                            for kind, pattern in _STATUS if kind != "actual"):
            out[i] = (period, "actual")
    return out


def _after_label(text: str, pos: int) -> int:
    """Where the words of the clause of ``pos`` begin past a label that heads it (成果目標：…,
    【定量的な成果目標】…): the label says what the sentence sets, not what its first figure is."""
    return max(_last_clause_start(text, pos), text.rfind(":", 0, pos) + 1, text.rfind("】", 0, pos) + 1)


def of_settings(found: list[tuple[Period, str]], concepts: list[tuple[str, str]], quantities: list[Quantity]
                ) -> list[tuple[Period, str]]:
    """A result whose concept is a setting of the scheme (定員数, 上限額, 補助率（木造）) is a rule:
    the measure says so even where the figure's own clause does not name it. So is an amount for one
    item of a list that holds over an open span (令和5年度まで第1子に5,000円、…を支給: the validity span
    of a rule, guidelines), which no result has."""
    return [(p, "rule" if s == "actual" and (_SETTING_MEASURE.search(c) or (
        q.kind == "money" and ".." in p.period and p.period.count("FY") == 1 and ITEM_AMOUNT.search(c))) else s)
            for (p, s), (c, _method), q in zip(found, concepts, quantities)]


def of_variants(found: list[tuple[Period, str]], quantities: list[Quantity], variant: dict[int, tuple[int, str]]
                ) -> list[tuple[Period, str]]:
    """A value of a setting for a case (交付単価は1万円（集積率が8割以上に達した地域は1万5千円）とし) is a
    setting too, and so is a bound that says which case (8割以上): both rule, as the value they vary."""
    out = list(found)
    for j, (i, _case) in variant.items():
        if out[i][1] != "rule":
            continue
        for k in range(i + 1, j + 1):
            if out[k][1] == "actual" and (k == j or quantities[k].qualifiers & BOUNDS):
                out[k] = (out[k][0], "rule")
    return out


#: 支給額（第1子）, 補助額（木造）: the amount for one item of a list.
ITEM_AMOUNT = re.compile(r"(?P<amount>.+)額(?P<item>（[^（）]+）)(?:（1[^（）]+当たり）)?$")  # 支給額（第1子）（1人当たり）


def from_totals(text: str, found: list[tuple[Period, str]], quantities: list[Quantity], parent: dict[int, int]
              ) -> list[tuple[Period, str]]:
    """A part with no time of its own is of its total's, wherever that came from (令和5年度…42件 /
    （うち緊急一時保護 3件）; ■令和6年度 登録事業者数：152社 / ■うち認定事業者：100社以上); a part of
    a budget or goal is one too, unless its own words say it happened (予算額は4,850千円で、うち委託料
    3,200千円を計上: plan)."""
    out = list(found)
    for child, par in parent.items():
        if quantities[child].kind == "delta":
            continue
        if out[child][0].source == "table" and out[par][0].source != "table":
            out[child] = (out[par][0], out[child][1])
        end = _clause_end(text, quantities[child])
        done = _DONE.search(text, quantities[child].end, end)
        own = any(pattern.search(text, quantities[par].end, end) for _, pattern in [*_STATUS, ("actual", _ACTUAL)])
        if out[child][1] in ("actual", "target") and out[par][1] in ("plan", "target") and par < child and not own \
                and not (done and not text[:done.start()].endswith(_BUDGETED)):  # を計上している: of the budget
            out[child] = (out[child][0], out[par][1])
    return out


#: Verbs that put an amount in a budget: a part so written is of the budget, however its verb ends.
_BUDGETED = ("計上", "予算化", "措置")


def _clause_end(text: str, q: Quantity) -> int:
    """Where the clause a figure is in ends: its next 、 or 。."""
    clause = CLAUSE_END.search(text, max(q.end, q.suffix_end))
    return clause.start() if clause else len(text)
