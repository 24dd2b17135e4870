"""Find metric mentions in normalised text: a numeral, its counter, and the words around it.

This module works on one normalised string at a time and knows nothing about tables or
files. GiNZA contributes only token boundaries (:class:`Tokens`): a prefix such as 計 or
約 counts only where it is a word of its own (設計2件 is not a total), and a kanji numeral
only where the parser read a numeral (三千人 is, 一人ひとり and 一部 are not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline import resources
from pipeline.rules.numbers import NUMERAL, glued_range, has_multiplier, is_kanji_only, parse_numeral
from pipeline.rules.units import Counter, counter_regex, counters_by_repetition, lookup, written_alone

_QUALIFIERS = resources.qualifiers()
QUALIFIER_ORDER: tuple[str, ...] = tuple(_QUALIFIERS["order"])
#: Qualifiers that bound a figure rather than state it (以上, 超, 以下, 未満).
BOUNDS: frozenset[str] = frozenset({"at_least", "more_than", "at_most", "less_than"})
#: (words as a regex alternation, qualifier): words right before a number, and right after the counter.
PREFIX_QUALIFIERS = tuple(("|".join(words), q) for q, words in _QUALIFIERS["prefix"].items())
_PLAIN_PREFIX = "|".join(_QUALIFIERS["plain_prefix"])
SUFFIX_QUALIFIERS = tuple(("|".join(words), q) for q, words in _QUALIFIERS["suffix"].items())
_SUFFIX_RES = tuple((re.compile(f"(?:{words})"), q) for words, q in SUFFIX_QUALIFIERS)
_CUMULATIVE_WORDS = [w for w in _QUALIFIERS["prefix"]["cumulative"] if len(w) > 1]  # 延 alone opens 延床面積
#: 累計相談件数は1,320件, 延べ参加者数が15%増の450人: a cumulative word opening the subject the figure is
#: stated of counts for the figure as if written before it; so does a noun of one closing it (令和元年度～
#: 5年度の累計は102人) or its clause (…までの累計で、3,460件; …までの累計で、登録者数は1,386人), and one
#: opening the name right before the figure (延べ利用者数3.1万人, 延べ受給者1,146人, 累計で指定企業14社). 延 alone
#: opens a count's name (延利用者数は, 就業延人員は), not 延床面積; a goal's year may stand between (累計…を令和8年度に).
_CUMULATIVE_SUBJECT = re.compile(f"(?:{'|'.join(_CUMULATIVE_WORDS)}|延(?=[^、。\\d()]{{0,8}}?(?:数|人員)[はがを]))"
                                 r"(?:の)?[^、。,，\d()（）「」]{1,15}?(?:は|が|を)\s?(?:[\d.,]+%?(?:増|減)の"
                                 r"|(?:令和|平成|R|H)?(?:元|\d{1,4})年度?末?(?:まで)?に\s?)?$"
                                 f"|の(?:{'|'.join(w for w in _CUMULATIVE_WORDS if w[0] != '延' and w[-1] != 'で')})"
                                 r"(?:は|で[、\s](?:[^、。,，\d()（）「」]{1,15}?(?:は|が))?)\s?$"
                                 f"|(?:{'|'.join(w for w in _CUMULATIVE_WORDS if w[-1] != 'で')})で?"
                                 r"[^、。,，\d()（）「」\sはがをにとの]{1,12}?\s?$")
#: 3年ごとに, 5年毎の: after a span of time, the words that make it the time between two doings of a deed.
EVERY = re.compile(r"\s?(?:ごと|毎|おき)")
#: 補助額の合計は約2億円, 参加者の総数は: a total word closing the subject (not 総額, a plain amount).
_TOTAL_SUBJECT = re.compile(r"の(?:合計|総計|総数)は\s?$")
#: 月額, 年額, 日額, 週額 (with 上限, 約 … between) right before an amount: the word, and the period it is per.
AMOUNT_PER = re.compile(r"(?P<word>(?P<period>[年月日週])額)\s?(?:上限|最大|最高|約|およそ)?\s?$")
_PER_PREFIX = re.compile(
    r"(?<![\d〇一二三四五六七八九十百千])(?:毎|1)?(年|月|週)(?:間|平均で?)?(?:当たり|あたり)?$"
    r"|(?<![\d〇一二三四五六七八九十百千月])(?:毎|1|一)(?P<day>日)平均で?$"  # 1日平均14件 (not 3月1日: a day)
    r"|(?:1|一)(?P<base>[^\d\s、。()（）]{1,4}?|[a-z]{1,2}[23])(?:当たり|あたり|につき)(?:平均で?)?$"  # 1クラブ当たり平均58人, 1m2当たり
    r"|各(?P<each>[^\d\s、。()（）をでにはが]{1,3})$"  # 各回1時間30分, 各教室25名: each one of a counted base
    # (not 各館で月2回: a place, then the base period)
)
#: 3年に1回, 1か月に1冊: a span of time, then に and a count of another kind that recurs in it.
_RECURS_IN = frozenset({"年", "か月", "週", "週間"})
_ONCE_IN = re.compile(r"\s?に\s?(?=(?:1|一)\s?(?:回|度|冊|件|人|名|本|つ))")
#: 10百万円/件, 500円/人: a rate written with a slash after the counter.
_PER_SUFFIX = re.compile(r"/(年|月|週|日|人|件|回|世帯|か所|台|個|校|団体)(?![一-龥ァ-ヶ])")
#: 1回の講習時間は, 1件当たりの上限を, 1日あたり平均利用時間は, 1コースの定員：: the words a base (1 + counter) names
#: its measure with (a bracket in it: 1人当たり医療費(国保)は), up to the particle before the figure, or the 額 that ends
#: a label of an amount (1件当たり上限額20万円); the figure may open with 約, 最大, 上限 or 平均, or be written in kanji
#: (1人当たりの限度額は五万円).
_BASE_OF = re.compile(r"(?:(?:当たり|あたり)の?|の)(?:[^、。,，\d()（）「」『』]|\([^()\d]{1,8}\)){1,20}?"
                      r"(?:は|が|を|で|に|として|:|(?<=額)(?<![年月日週]額))\s?"  # 1件当たり上限額20万円 (not 年額: AMOUNT_PER)
                      r"(?:約|およそ|概ね|おおむね|最大|最低|最小|上限|限度|平均(?:で|して)?)?\s?(?=[\d０-９一二三四五六七八九十百千])")
#: 1回の派遣につき, 1件の申請当たり: a 1 and its counter, then the noun of what it counts, as a rate's base.
_BASE_NAMED = re.compile(r"の[^、。,，\d()（）「」]{1,8}?(?:当たり|あたり|につき)")
#: The space a table's row puts between a base and its price (1食 400円), on one line.
_SPACE = re.compile(r" {1,2}")
#: 1回の受診者数が, 1日当たりの利用者数は: a 1 and its counter before the name of a measure (…数, …量, …額).
_BASE_OF_MEASURE = re.compile(r"(?:当たり|あたり)?の[^、。,，\d()（）「」『』]{0,12}?(?:数|量|額|時間)(?:は|が|を|も)")
PER_TIME_UNITS = {"年": "年", "年間": "年", "か月": "月", "月": "月", "週": "週", "週間": "週",
                   "日": "日", "時間": "時間"}
#: Bases of time (年間1,000万円 is a year's amount, no price per unit).
TIME_BASES = frozenset({*PER_TIME_UNITS.values(), "年度", "時間"})
#: 3〜5か所, 12-13人, 200件から300件; a から pair that goes on with に/へ/とする/となった, or with まで and a change
#: verb, is a change (240万人から136万人に, 4人から6人とした, 35百万m3から42百万m3まで増加); not one that goes on
#: with として or となっている (1回あたり5人から10人となっている: a range).
_RANGE_SEP = re.compile(r"\s?(?:〜|~|-|−|–|(?P<kara>から))\s?")
_CHANGE_WORDS = resources.directions()["change"]
_ADDED = "|".join(resources.directions()["added"])  # 1か所増設: a deed that adds things, no change
_DIRECTION = re.compile(rf"(?:[)）])?(?:[(（][^()（）]{{1,20}}[)）])?[のに]?(?!{_ADDED})("
                        + "|".join(sorted((w for ws in _CHANGE_WORDS.values() for w in ws), key=len, reverse=True))
                        + ")")
_OBJECT_CHANGE_WORDS = resources.directions()["object"]
#: 1名を減員した, 52,067時間を削減: a change verb whose object is the figure.
_OBJECT_CHANGE = re.compile(r"(?:[(（][^()（）]{1,20}[)）])?\s?を\s?("
                            + "|".join(w for ws in _OBJECT_CHANGE_WORDS.values() for w in ws) + ")")
_INCREASE = frozenset([*_CHANGE_WORDS["increase"], *_OBJECT_CHANGE_WORDS["increase"]])
#: 5名（労務職員）の人員削減, 100万円の経費削減: a change named by a noun of what changed after the figure.
_NOUN_CHANGE = re.compile(r"(?:[(（][^()（）]{1,20}[)）])?\s?の[一-龥]{1,4}?(削減|縮減|減員|増員)")
#: 約4.7万人運転者が減少: the figure then the subject whose change it is.
_SUBJECT_CHANGE = re.compile(r"\s?[一-龥ァ-ヴー]{1,8}が\s?(" + "|".join(
    sorted((w for ws in _CHANGE_WORDS.values() for w in ws), key=len, reverse=True)) + ")")
#: The verbs a scheme pays with (…を補助, 1/2を交付).
PAID_VERBS = ("補助", "助成", "負担", "交付", "支給")
#: 又は, もしくは: the words that give figures as alternatives (1/2又は1/3以内).
_OR_WORDS = "又は|または|もしくは|若しくは|あるいは|或いは"
#: 経費の1/2以内を補助, 10分の8(限度額100万円)を交付, 1/3を市が補助: the share of a cost that is
#: paid is the aid's rate (a cap in brackets or the payer may stand between).
PAID_SHARE = re.compile(rf"\s?(?:(?:{_OR_WORDS})\s?[\d./分の]+)?\s?(?:以内|以下|まで|程度)?"
                        r"\s?(?:\([^()]{0,30}\))?\s?(?:の(?:金額|額|相当額))?\s?(?:を|の)?\s?(?:[^、。()\d]{1,6}?が)?"
                        r"(?:[、,]\s?(?:限度額|上限額?)[^、。]{0,12}?(?:で|を))?"  # 購入価格の1/2、限度額3万円で助成
                        r"\s?(?P<verb>" + "|".join(PAID_VERBS) + ")")
#: 開催日の14日前まで, 3日前までに: a length of time before a day, by which a step of the procedure is taken.
DAYS_BEFORE = re.compile(r"\s?前\s?まで")
#: A percentage followed by one of these is a fee's discount (30%減免, 20%を減額): a rate, not a change.
DISCOUNT = re.compile(r"\s?(?:を|の)?\s?(?P<word>" + "|".join(resources.directions()["discount"])
                      + r"|(?<=割)引き?(?![上下続出受渡継]))")  # 2割引 (not 2割引き上げ)
#: 100平方メートル以下の住宅, 65歳以上の方, 築50年を経過した宿舎, 20%未満となった路線: a threshold that bounds a class
#: of things.
CLASS_BOUND = re.compile(r"\s?(?:(?:以上|以下|未満|超|を超える|以内)\s?(?:等)?\s?(?:の|かつ|且つ)|を超える|に満たない"
                         r"|を経過し(?:た|、)?"  # 60歳以上かつ創業10年以上の: one of the conditions of a class
                         r"|(?:以上|以下|未満|超)\s?(?:と|に)なった(?=[一-龥ァ-ヶー]))")  # 収支率が20%未満となった路線
#: After a cap word (上限, 限度): 上限を超える, 限度額を超える申込み, 上限額まで交付を受けた: the cap names a class
#: of what the figure that follows counts, it is no cap of that figure.
NOT_CAP = r"額?\s?を?\s?(?:" + "|".join(resources.scopes()["not_caps"]) + ")"
#: 30%以上の企業は11社, 30日以内の通知率 96.4%: the class a threshold bounds is what the next figure measures.
_CLASS_MEASURED = re.compile(r"[^、。\n\d()]{1,20}?(?:は|が|を|:)?[ \t]?")
#: このうち65歳以上が約7割, うち40歳未満は11人: a threshold that names a class, then its share or size (the next
#: figure) right after.
_SIZE_OF_CLASS = re.compile(r"\s?(?:以上|以下|未満|超)\s?(?:の方|の人|の者)?\s?[がは]\s?(?:全体の)?")
#: A direction a little later in the clause (2.1倍、3.5倍と急増, 約1.5倍に拡大) makes X倍 a change.
_LATER_DIRECTION = re.compile(r"[^。、]{0,12}?(急?増|急?減|伸び|拡大|縮小|上昇|低下)")
_BASES = resources.bases()
_EARLIER = sorted([*_BASES["previous_year"], *_BASES["previous_period"]], key=len, reverse=True)
_BASIS = re.compile(
    r"対?(?:" + "|".join(_EARLIER) + r"|(?:令和|平成|昭和|[RH])?\s?(?:\d+|元)年度?|[^\s、。()（）]{1,6}?平均)"
    r"(?:" + "|".join(sorted(_BASES["joins"], key=len, reverse=True)) + ")"
)
#: 全産業平均の約10倍, 有効求人倍率は1.25倍, 平均の2.3と比較し約10倍: a multiple of another group,
#: or a level, after の / は / が / と比較し or with nothing before it in its clause; 再エネ発電容量3倍,
#: 件数を2倍に are changes.
_AGAINST_OTHER = re.compile(r"(?:^|[のはがでも]|(?:と比較|に比べ|と比べ|に対)して?)\s?(?:約|およそ|最大|少なくとも)?\s?$")
#: X倍の約261万戸, 1.2倍となる3,850件: the multiple qualifies the figure that follows it.
_QUALIFIES_FIGURE = re.compile(r"\s?(?:の|となる|になる)\s?(?:約|およそ)?\s?\d")
#: An earlier time the sentence compares with, before a multiple: 令和4年度の…に比べ、…1.2倍.
_EARLIER_COMPARISON = re.compile(r"(?P<basis>(?:(?:令和|平成|R|H)\s?(?:元|\d{1,2})|\d{4})\s?年度?"
                                 r"[^。、]{0,30}?(?:に比べ|と比べ|と比較し|より|から))")
#: 前年比, 10年前と比べ, 平成19年度の約1.4倍: the base of a multiple is an earlier time.
_TEMPORAL_BASIS = re.compile(r"前年|昨年|前回|前期|前月|年度?比|年前|\d年頃?(?:と|に)比|(?:\d|元)\s?年度?の\s?(?:約|およそ)?\s?$")
#: 前年度の1.4倍, 令和4年度の約2倍: the earlier time whose figure a multiple multiplies, as its basis.
_TIME_MULTIPLIED = re.compile(r"(?P<basis>" + "|".join(_EARLIER) + r"|(?:令和|平成|昭和|[RH])?\s?(?:\d+|元)年度?)"
                              r"の\s?(?:約|およそ)?\s?$")
_FRACTION_SLASH = re.compile(r"(?<![\d/.])(\d+)\s?/\s?(\d+)(?!\d|/\d|\s?[-〜~]\s?\d)")
#: 3/1010/10 after 率: two fractions glued where a 〜 was lost (``_glued_fractions``).
_GLUED_FRACTIONS = re.compile(r"(?<![\d/.])(\d+)/(\d{2,})/(\d+)(?![\d/])")
#: 3分の1, 十分の八, 10分の8.5 (a numerator with a decimal: 財政力に応じ最大10分の8.5まで嵩上げ).
_FRACTION_BUN = re.compile(r"(\d+|[一二三四五六七八九十]+)分の(\d+(?:\.\d+)?|[一二三四五六七八九十]+)")
_RATIO_BEFORE = re.compile(r"(?:(?:率|割合|比率|負担|補助)\s?[:：]?|[(（]\s?(?=定額))\s?(?:定額\s?[、・,(（])?\s?$")  # （定額、10/10）
_RATIO_AFTER = re.compile(r"^(?:以内|以下|以上|未満|程度|を超|超|を上限|の(?:補助|負担|割合))")
_LIST_JOINT = re.compile(r"\s?[、,・]\s?")
_NEAR_BEFORE, _NEAR_AFTER = re.compile(r"[^。\n]{0,16}$"), re.compile(r"[^。\n]{0,16}")
_DATE_AROUND = re.compile(r"[・,、]\s?\d{1,2}/\d|^\s?[(（]\s?[月火水木金土日]")
_ERA = re.compile("(?:" + "|".join(sorted([*resources.eras(), "西暦"], key=len, reverse=True)) + r")\s?$")
#: After an age, what makes it a class rather than a figure: a class of children (0歳児, 3歳以上児), the
#: class a rate is taken on (60歳以上の就業率), or the label of the figure that follows (65〜74歳4.4%).
_AGE_CLASS = re.compile(r"\s?(?:以上|以下|未満)?(?:児|の[^、。\d\s]{0,10}?(?:率|割合)(?![一-龥])|\s?[〜~]?\s?[:：]?\s?[\d０-９])")
#: 死傷年千人率, 1時間降水量: a figure inside the name of an indicator, not a quantity.
_INDICATOR_NAME = re.compile(r"[一-龥]{0,3}?(?:率|量)(?![一-龥])")
#: A heading's number (【3点字図書館施設整備】, ■2回答率…) runs straight into a word that
#: begins with a counter: it numbers the item, it counts nothing.
_WORD_GOES_ON = re.compile(r"[一-龥ァ-ヶー]")
_HEADING_START = re.compile(r"[【■□●◆◇]\s?$")
_SET_PHRASE = re.compile("|".join(f"(?:{p})" for p in resources.set_phrases()))
#: Where a list item begins (/1基幹的な輸出物流…, 、2日本社会…): its one-digit number runs into a
#: word that GiNZA reads as one (基幹, 日本), so the counter it seems to begin is no counter.
#: 2法人経営体 12経営体, 1地域活動支援事業 補助件数 22件: the word a list number runs into goes on,
#: and the item states its own figure after it.
_ITEM_GOES_ON = re.compile(r"[一-龥ァ-ヶー]+[ \t]+(?:[^\s\d、。]{1,12}[ \t]?)?\d")
_ITEM_START = re.compile(r"(?:^|[/／\s(（、。,:：])\s?$")
#: A larger duration unit → (its size in the smaller one, the smaller units it may run into).
_COMPOUND = {"年": (12, ("か月", "か月間")), "時間": (60, ("分", "分間")), "分": (60, ("秒",))}
_RELATIVE_TIME = re.compile(r"(?:後|前)(?!倒)")
_YEAR_COUNTERS = {"年", "年間", "年分"}
#: (R2~R4), (2020〜2022年度): a bracket that spells out a span of years.
_YEARS_SPELLED = re.compile(r"\s?[(（]\s?(?:[RHS令平昭]\D{0,1}\s?)?(?:\d{1,4}|元)[^()（）]{0,4}[〜~\-－ー]"
                            r"[^()（）]{0,8}\d[^()（）]{0,4}[)）]")
#: Counters whose ordinal (2回目, 3年目, 5度目) names an occasion or a year, never a count reached (guidelines:
#: ２回目 when it names the second occasion is no mention).
OCCASIONS = ("回", "年", "年度", "度", "期")
#: 第2回, 4か所目 (not 4か所目となる窓口: the count it reaches is a figure).
_ORDINAL = re.compile(r"目(?!となる|になる)")
#: After a から pair, what makes it a change (see _RANGE_SEP).
_PAIR_FOLLOWS = re.compile(r"(?:程度|前後)?(?:に|へ|と(?:し(?!て)|する|なっ(?!て)|なる(?!よう))"
                           r"|まで\s?(?:増|減|拡大|縮小|引き上げ|引き下げ|上昇|低下|向上|削減|短縮))")


@dataclass(frozen=True)
class Tokens:
    """Word boundaries and numeral tokens of the parsed text (character offsets)."""

    starts: frozenset[int]
    ends: frozenset[int]
    numeral_starts: frozenset[int]

    def is_word(self, start: int, end: int) -> bool:
        return start in self.starts and end in self.ends


@dataclass
class Quantity:
    """One metric mention found in normalised text; offsets index that text."""

    start: int
    end: int
    value: Decimal
    unit: str
    unit_category: str
    kind: str
    value_max: Decimal | None = None
    qualifiers: set[str] = field(default_factory=set)
    per: str = ""
    delta_direction: str = ""
    delta_basis: str = ""
    prefix_start: int = -1  # where the qualifier/per words before the number begin
    suffix_end: int = -1  # where the qualifier/direction words after the counter end

    @property
    def qualifier(self) -> str:
        return ",".join(q for q in QUALIFIER_ORDER if q in self.qualifiers)


def _numbered_next(text: str, start: int, value: Decimal) -> bool:
    """Whether the number at ``start`` goes on a numbered list (…10児童家庭支援センター運営等事業、
    11基幹的職員研修事業): the item before it, within its sentence or, for a number that opens a line,
    at the start of an earlier line, opened with the number before."""
    if value != value.to_integral_value() or not 2 <= value < 100:
        return False
    if re.search(r"\n[ \t]?$", text[:start]):
        return _numbers_line(text, start, value)
    previous = re.compile(rf"(?:^|[、,/／\s]){int(value) - 1}(?=[^\d,.:：])")
    window = text[max(0, start - 200):start]
    window = window[window.rfind("。") + 1:]
    return previous.search(window) is not None


def _numbers_line(text: str, start: int, value: Decimal) -> bool:
    """Whether the number at ``start`` opens its line and numbers an item whose list an earlier line opened
    with the number before (1コンソーシアムの推進…\n2施設の整備: the item's number, though a counter follows)."""
    return (value == value.to_integral_value() and 2 <= value < 100 and re.search(r"(?:^|\n)[ \t]?$", text[:start])
            is not None and re.search(rf"(?:^|\n)[ \t]?{int(value) - 1}(?=[^\d,.:：])",
                                      text[max(0, start - 1000):start]) is not None)


def _opens_numbered_list(text: str, after: int, value: Decimal) -> bool:
    """Whether a 1 opens a numbered list that goes on with 2 and 3 in its sentence (本事業は1基礎的な
    情報の収集、2専門的な情報の収集、3実態把握…): it numbers the first item, it counts nothing."""
    if value != 1:
        return False
    end = text.find("。", after)
    sentence = text[after:end if end >= 0 else len(text)]
    return all(re.search(rf"[、,/／\s]{n}(?=[^\d,.:：])", sentence) for n in (2, 3))


def per_of(base: str) -> str:
    """A base as ``per`` writes it: a time by its unit (1か月 → 月), anything else as counted (1か所 → か所)."""
    return PER_TIME_UNITS.get(base, lookup(base).unit if base and counter_regex().fullmatch(base) else base)


def _prefixes(text: str, pos: int, tokens: Tokens, q: Quantity) -> int:
    """Attach qualifier and per words that end at ``pos``; return where they begin."""
    while True:
        before = text[max(0, pos - 12):pos]
        stripped = before.rstrip(" :：")
        gap = len(before) - len(stripped)
        for words, qualifier in (*PREFIX_QUALIFIERS, (_PLAIN_PREFIX, "")):
            m = re.search(f"(?:{words})$", stripped)
            if m and (tokens.is_word(pos - gap - len(m.group()), pos - gap) or (m.group() == "約" and stripped.endswith(
                    "内約") and pos - gap in tokens.ends)):  # 市内約80団体: GiNZA reads 内約 (a pact) as one word
                if qualifier:
                    q.qualifiers.add(qualifier)
                pos -= gap + len(m.group())
                break
        else:
            written = before.rstrip(" ")
            aside = _BRACKETED.search(written)  # 共同住宅（1戸当たり）80,000円: a base in its own bracket is the
            prefixed = aside.group(1) if aside else written  # figure's, but no prefix of it
            m = _PER_PREFIX.search(prefixed)
            while m and m.group("each") and not counter_regex().fullmatch(m.group("each")):
                m = _PER_PREFIX.search(prefixed, m.start() + 1)  # 各所月2回: no base counted by 所, then 月
            each = m.group("each") if m else None
            per = (PER_TIME_UNITS.get(m.group(1) or m.group("day") or "", "") or per_of(m.group("base") or each or "")
                   if m else "")
            if not per or q.per:
                return pos
            q.per = per
            if aside:  # the label stands before the bracket
                return pos
            pos -= len(before) - len(before.rstrip(" ")) + len(m.group())


#: 1,850人（延べ）, 相談件数（累計）：420件, 派遣件数（計）　315件: a qualifier word alone in a bracket (qualifiers.yaml,
#: bracket), right after the figure or closing the label of its line, before it (then a colon or a space) or after it.
_BRACKET_QUALIFIER = {w: q for q, words in _QUALIFIERS["bracket"].items() for w in words}
_BRACKET_WORDS = "|".join(sorted(_BRACKET_QUALIFIER, key=len, reverse=True))
_BRACKET_WORD = rf"[(（](?P<word>{_BRACKET_WORDS})[)）]"
#: 1,850人（延べ）, 214人（延べ参加者数）: the word alone in a bracket right after the figure, or opening the name of
#: the measure there (not 計画数, a plan's number).
_OWN_BRACKET = re.compile(rf"\s?[(（](?P<word>{_BRACKET_WORDS})(?:(?!画)[^()（）\d、。:]{{0,12}}?(?:数|額|量))?[)）]")
_QUALIFYING_LABEL_BEFORE = re.compile(r"[^\n:：。、]*" + _BRACKET_WORD + r"(?:\s?[:：]\s?|[ \t]+)")
_QUALIFYING_LABEL_AFTER = re.compile(r"\s?[:：][^\n:：。、()（）\d]*" + _BRACKET_WORD + r"\s*")
#: A bracket closing the words before a figure, and what it holds.
_BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]$")
#: A figure right after a comparison (…を上回る97.1%, …を下回る約2万円).
_FIGURE_NEXT = re.compile(r"(?:約|およそ)?\d")


def _suffixes(text: str, pos: int, q: Quantity) -> int:
    """Attach qualifier words after the counter; return where they end. A verb of comparison that goes
    on to another figure (全国平均92.6%を上回る97.1%) makes this one its base, bounding nothing (not
    定員30人未満 12施設: a class). A qualifier in a bracket closing the label of the figure's line
    (相談件数（累計）：420件, 1,850人：…の利用者（延べ）) qualifies it too."""
    line_start, line_end = text.rfind("\n", 0, q.start) + 1, text.find("\n", pos)
    words_start = q.prefix_start if q.prefix_start >= 0 else q.start
    label = _QUALIFYING_LABEL_BEFORE.fullmatch(text, line_start, words_start) \
        or _QUALIFYING_LABEL_AFTER.fullmatch(text, pos, len(text) if line_end < 0 else line_end)
    if label:
        q.qualifiers.add(_BRACKET_QUALIFIER[label.group("word")])
    while True:
        if m := _OWN_BRACKET.match(text, pos):  # 1,850人（延べ）
            q.qualifiers.add(_BRACKET_QUALIFIER[m.group("word")])
            pos = m.end()
        for pattern, qualifier in _SUFFIX_RES:
            m = pattern.match(text, pos)
            if m and not text.startswith("過", m.end()):  # 62時間超過: by how much it exceeds, a change
                if not (m.group().lstrip().startswith("を") and _FIGURE_NEXT.match(text, m.end())):
                    q.qualifiers.add(qualifier)
                pos = m.end()
                break
        else:
            return pos


#: The day of a date right before a number (6月12日, 6月12日・): a day after it is of the same month.
_DAY_OF_DATE = re.compile(r"月\s?\d{1,2}\s?日\s?[・、,]?\s?$")


#: 平均15月, 10.5月以内: the words that make a number of 月 a length of months, not a month of the year.
_MONTHS_BEFORE = re.compile(r"(?:平均|約|最大|最長|最短|標準)\s?$")
_MONTHS_AFTER = re.compile(r"\s?(?:以内|以下|未満|程度|を要|かか)")


def _is_date(text: str, num_start: int, value: Decimal, unit: str, after: int) -> bool:
    """令和5年度, 2050年, 3月21日, R6年: calendar references, not quantities (平均15月, 10.5月: months
    counted, no month of the year)."""
    if unit == "月":  # a length in months says so (平均15月以内); 2023年1112月 is two months whose 〜 was lost
        return not (_MONTHS_BEFORE.search(text, max(0, num_start - 4), num_start) or _MONTHS_AFTER.match(text, after))
    if unit in _YEAR_COUNTERS:
        if unit == "年" and (text.startswith("度", after) or re.match(r"\d{1,2}月", text[after:])):
            return True
        if _ERA.search(text[max(0, num_start - 3):num_start]) or value >= 1000:
            return True
    return unit == "日" and (text[max(0, num_start - 1):num_start] == "月" or (  # 6月12日13日にかけて, 12日・13日:
        value <= 31 and _DAY_OF_DATE.search(text, max(0, num_start - 12), num_start) is not None))  # a second day


def _is_excluded_numeral(text: str, start: int, end: int, tokens: Tokens) -> bool:
    """Ordinals, codes, units and kanji inside words: 第1回, R6, COVID-19, （千円）, 一部, 2.1.3."""
    if text[max(0, start - 2):start].rstrip(" ").endswith("第"):
        return True
    prev = text[start - 1] if start else ""
    if prev and prev.isascii() and (prev.isalpha() or prev in "-/.#_") and not _slash_listed(text, start, end):
        return True
    if text[end:end + 1] in ("/", ":", ".") and text[end + 1:end + 2].isdigit():
        return True
    if _MULTIPLIER_ONLY.fullmatch(text, start, end) and _UNIT_HEADER.search(text, max(0, start - 4), start):
        return True  # （千円）, 単位：百万円: a column's unit, no figure
    if text[start:end] == "〇":
        return True  # 〇地域、民間事業者等との連携: a list mark; a zero is written 0 or inside a numeral (二〇二三)
    return is_kanji_only(text[start:end]) and start not in tokens.numeral_starts


#: 3,902人/: a figure's counter right before a slash.
_COUNTER_SLASH = re.compile(r"\d([^\d\s/]{1,4})/$")


def _slash_listed(text: str, start: int, end: int) -> bool:
    """3,902人/4,315人, 48回/1,120人: figures joined by a slash, each with a counter of its own, each a figure
    (not a code, a date, a fraction, nor the base of a price: 9,600円/60kg); after a sum, a count of more than
    one is a figure of its own (1億8,420万円/42,615件), as a price's counted base is one (500円/1人) or unwritten."""
    counter = _COUNTER_SLASH.search(text, max(0, start - 8), start)
    if counter is None:
        return False
    own = counter_regex().match(text, end)
    return text.startswith(counter.group(1), end) or (
        not counter.group(1).endswith("円") and _OWN_COUNTER.match(text, end) is not None) or (
        own is not None and lookup(own.group()).kind == "count" and text[start:end] not in ("1", "一"))


#: 回/1,120人, 件/45.8%: a counter written in Japanese, or a percent sign, right after the figure that follows a slash.
_OWN_COUNTER = re.compile(r"[^\x00-\x7f\s、。()（）・:：/／]|%")


#: What opens the unit of a column or table: a bracket, or 単位 and its colon.
#: 千, 百万: a multiplier with no digit before it, as a unit's name writes it.
_MULTIPLIER_ONLY = re.compile("[十百千]?[万億]?")
_UNIT_HEADER = re.compile(r"(?:[(（]|単位\s?[:：]?)\s?$")


def _list_head(text: str, m: re.Match[str]) -> int:
    """Where the list of slash pairs that ``m`` is an item of starts (補助率:2/3、1/2、1/3: at 2/3)."""
    start = m.start()
    while (prev := next((p for p in _FRACTION_SLASH.finditer(text, max(0, start - 12), start)
                         if _LIST_JOINT.fullmatch(text, p.end(), start)), None)) is not None:
        start = prev.start()
    return start


def _is_ratio_slash(text: str, m: re.Match[str]) -> bool:
    """1/2 is a fraction next to 率 or 以内, or after one in a list that 率 heads (補助率:2/3、1/2), or
    when it cannot be a date; 3/21 and 7/27 are dates, and so is 7/8 among days (北区（8/11）、上京区(7/8))."""
    before, after = text[max(0, m.start() - 8):m.start()], text[m.end():m.end() + 6]
    head = _list_head(text, m)
    if _RATIO_BEFORE.search(before) or _RATIO_AFTER.match(after) or _RATIO_BEFORE.search(text, max(0, head - 8), head):
        return True
    near = _NEAR_BEFORE.search(text, 0, m.start()).start(), _NEAR_AFTER.match(text, m.end()).end()
    among_days = any(p.start() != m.start() and not _small_fraction(p) and 1 <= int(p.group(1)) <= 12
                     for p in _FRACTION_SLASH.finditer(text, *near))
    return (_small_fraction(m) and not among_days and not _DATE_AROUND.search(after)
            and not re.search(r"\d\s?・\s?$", before))


def _small_fraction(m: re.Match[str]) -> bool:
    """1/2, 3/4, 1/10: a slash pair that reads as a fraction (8/11 or 3/31 cannot)."""
    return 0 < int(m.group(1)) < int(m.group(2)) <= 10


def _fractions(text: str, tokens: Tokens) -> list[Quantity]:
    """2/3 and 3分の1 as ratios, with qualifiers (1/3以内 is at most a third)."""
    found: list[Quantity] = []
    spans = [(m, int(m.group(1)), int(m.group(2))) for m in _FRACTION_SLASH.finditer(text)
             if _is_ratio_slash(text, m)]
    spans += [(m, parse_numeral(m.group(2)), parse_numeral(m.group(1))) for m in _FRACTION_BUN.finditer(text)]
    upper: dict[re.Match[str], tuple[int, int]] = {}  # a glued pair's upper bound
    for m in _GLUED_FRACTIONS.finditer(text):
        if _RATIO_BEFORE.search(text, max(0, m.start() - 8), m.start()) and (bounds := _glued_fractions(m)):
            spans.append((m, *bounds[0]))
            upper[m] = bounds[1]
    for m, num, den in spans:
        if den:
            q = Quantity(m.start(), m.end(), _round(Decimal(num) / Decimal(den)), "", "ratio", "ratio")
            if (high := upper.get(m)) is not None:
                q.value_max, q.qualifiers = _round(Decimal(high[0]) / Decimal(high[1])), {"range"}
            q.prefix_start = _prefixes(text, m.start(), tokens, q)
            q.suffix_end = _suffixes(text, m.end(), q)
            found.append(q)
    return found


def _glued_fractions(m: re.Match[str]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """補助率3/1010/10: 3/10〜10/10 whose 〜 the PDF lost. The digits between the slashes are the lower
    bound's denominator and the upper bound's numerator, the two denominators equal."""
    low_num, middle, high_den = m.groups()
    for cut in range(1, len(middle)):
        low_den, high_num = middle[:cut], middle[cut:]
        if low_den == high_den and not high_num.startswith("0") and 0 < int(low_num) < int(high_num) <= int(high_den):
            return (int(low_num), int(low_den)), (int(high_num), int(high_den))
    return None


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001")).normalize() if value != value.to_integral_value() else value


@dataclass
class _Reading:
    """A numeral and its counter, possibly a range: what the scanner has read so far."""

    value: Decimal
    counter: Counter
    end: int  # after the (upper) counter
    value_max: Decimal | None = None


def _read(text: str, m: re.Match[str], own: dict[str, Counter]) -> _Reading | None:
    """Numeral + counter, or numeral〜numeral + counter, or numeral+counter〜numeral+counter;
    ``own`` holds the counters the text makes its own (``counters_by_repetition``)."""
    counter_re = counter_regex()
    lower = m.group()
    cm = counter_re.match(text, m.end())
    word = max((w for w in own if text.startswith(w, m.end())), key=len, default=None) if not cm else None
    if word:
        return _Reading(parse_numeral(lower), own[word], m.end() + len(word))
    if cm and (glued := glued_range(lower)):  # 年間合計600万1,200万トン: 600万〜1,200万トン
        low, high = parse_numeral(glued[0]), parse_numeral(glued[1])
        # A lost 〜 joins a lower and a higher bound; descending parts are no numeral at all.
        return _Reading(low, lookup(cm.group()), cm.end(), high) if high > low else None
    if cm and (bounds := _glued_tenths(lower, lookup(cm.group()))  # 34割弱: 3〜4割 whose 〜 was lost
               or _glued_share(text, m, lookup(cm.group()))):  # 電源構成で810%程度: 8〜10%
        return _Reading(Decimal(bounds[0]), lookup(cm.group()), cm.end(), Decimal(bounds[1]))
    if cm:
        reading = _Reading(parse_numeral(lower), lookup(cm.group()), cm.end())
        sep, upper = _range_upper(text, cm.end())
        if upper and counter_re.match(text, upper.end()):
            cm2 = counter_re.match(text, upper.end())
            if lookup(cm2.group()) == reading.counter:
                _set_range(text, reading, parse_numeral(upper.group()), cm2.end(), sep)
        return reading
    sep, upper = _range_upper(text, m.end())
    cm = counter_re.match(text, upper.end()) if upper else None
    if not upper or not cm:
        return None
    value = parse_numeral(lower)
    if has_multiplier(upper.group()) and not has_multiplier(lower):  # 3〜5万円 is 3万〜5万円
        unit_part = upper.group().lstrip("0123456789,.〇一二三四五六七八九十百")
        value *= parse_numeral("1" + unit_part) if unit_part else 1
    reading = _Reading(value, lookup(cm.group()), cm.end())
    _set_range(text, reading, parse_numeral(upper.group()), cm.end(), sep)
    return reading if reading.value_max is not None else None


def _glued_tenths(numeral: str, counter: Counter) -> tuple[str, str] | None:
    """34割, 56割: a share in tenths cannot pass 10割, so two rising digits are a range whose 〜 a
    PDF extraction lost (3〜4割); None for anything else."""
    if counter.counter == "割" and re.fullmatch(r"\d\d", numeral) and numeral[0] < numeral[1]:
        return numeral[0], numeral[1]
    return None


#: 電源構成で, …に占める, 割合は: words that make a percent a share of a whole, which cannot pass 100%.
_SHARE_BEFORE = re.compile(r"(?:構成|割合|シェア|占め|比率)[^、。\d]{0,6}$")


def _glued_share(text: str, m: re.Match[str], counter: Counter) -> tuple[str, str] | None:
    """電源構成で810%: a share of a whole above 100% is two rising bounds whose 〜 a PDF extraction
    lost (8〜10%); None for anything else (達成率120% is no share of a whole)."""
    numeral = m.group()
    if counter.unit != "%" or not re.fullmatch(r"\d{3,4}", numeral) or int(numeral) <= 100 \
            or not _SHARE_BEFORE.search(text, max(0, m.start() - 16), m.start()):
        return None
    return next(((numeral[:i], numeral[i:]) for i in range(1, len(numeral))
                 if numeral[i] != "0" and int(numeral[:i]) < int(numeral[i:]) <= 100), None)


def _counter_after(text: str, pos: int) -> re.Match[str] | None:
    """The counter of the figure that starts at ``pos``, past the upper end of a range (の定員は15〜20人)."""
    following = NUMERAL.match(text, pos)
    if following is None:
        return None
    counter = counter_regex().match(text, following.end())
    if counter is None and (upper := _range_upper(text, following.end())[1]):
        counter = counter_regex().match(text, upper.end())
    return counter


def _range_upper(text: str, pos: int) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    sep = _RANGE_SEP.match(text, pos)
    return sep, (NUMERAL.match(text, sep.end()) if sep else None)


def _set_range(text: str, reading: _Reading, upper: Decimal, end: int, sep: re.Match[str] | None) -> None:
    """Accept an upper bound only when it is one: larger, and not a from→to change."""
    probe = Quantity(0, 0, Decimal(0), "", "", "")
    after = _suffixes(text, end, probe)
    is_pair = sep is not None and sep.group("kara") and _PAIR_FOLLOWS.match(text, after)
    if upper > reading.value and not is_pair:
        reading.value_max, reading.end = upper, end


#: ○家庭系ごみ排出量（t）, 事業費（単位：千円）: a heading line that ends with the unit of the lines under it.
_UNIT_HEADING = re.compile(r"[(（](?:単位[:：]\s?)?(?P<unit>[^()（）\n\d]{1,5})[)）][ \t]*\n")
#: 可燃ごみ 18,420: a line of a label and a bare number under such a heading.
TOTAL_WORDS = "|".join(_QUALIFIERS["prefix"]["total"])  # 合計, 総計, 総数, 計
_TOTAL_LABEL = re.compile(rf"[・\s]*(?:{TOTAL_WORDS})")
#: 事業費 48,210 49,876 51,300: the numbers after a row's label, parted by spaces.
_BARE_LINE = re.compile(r"[ \t]*(?P<label>[^\d\s][^\n]*?)(?P<number>(?:[ \t]+\d[\d,]*(?:\.\d+)?)+)[ \t]*(?:\n|$)")
#: 区分 令和4年度決算 令和5年度決算: a line of column names between a unit heading and its rows.
_HEADER_LINE = re.compile(r"[ \t]*[^\d\s][^\n]*?[^\d\s,.][ \t]*\n")
#: R4年度 4,100 R5年度 3,950: each label and its bare number, where a line holds several.
_BARE_PAIR = re.compile(r"(?<!\S)(?P<label>[^\d\s]\S*?)[ \t]+(?P<number>\d[\d,]*(?:\.\d+)?)"
                        r"(?=[ \t]*(?:\n|$)|[ \t]+[^\d\s])")
#: 単位：冊／R4実績：42,315／R5目標：45,000: a review sheet's field that gives the unit of the bare
#: numbers of the fields after it, each field a label and its number up to the next slash.
_UNIT_FIELD = re.compile(r"単位\s?[:：]\s?(?P<unit>[^\s/／()（）\d:：]{1,5})[ \t]*[/／]")
_BARE_FIELD = re.compile(r"[ \t]*(?P<label>[^\d\s/／][^/／\n]*?)[ \t:：]*(?P<number>\d[\d,]*(?:\.\d+)?)[ \t]*(?:[/／]|$)")


#: 活動実績 回 18 24 31, 成果実績 基 / 1,240 / 2,015 / －, 移住者数（人）　34　41: a row of a flattened table whose
#: label is followed by the counter of its cells (a unit column, or the label's bracket), then two or more bare
#: numbers parted by spaces or slashes, a dash standing for an empty cell.
_ROW_UNIT = re.compile(r"(?m)^[ \t]*[^\d\s/／:：()（）][^\d\n/／:：()（）]*?(?:[ \t]+(?:[/／][ \t]*)?"
                       r"(?P<unit>[^\d\s/／:：()（）]{1,4})|[(（](?P<bracketed>[^\d\s()（）]{1,4})[)）])"
                       r"(?=(?:[ \t]*[/／]?[ \t]*(?:[-―－—]|\d[\d,]*(?:\.\d+)?)){2,}[ \t]*$)")
_BARE_CELL = re.compile(r"(?:[ \t]*[/／]?[ \t]*[-―－—](?=[ \t/／]|$))*[ \t]*[/／]?[ \t]*(?P<label>)"
                        r"(?P<number>\d[\d,]*(?:\.\d+)?)(?=[ \t/／]|$)", re.M)


def _unit_headings(text: str) -> list[tuple[re.Match[str], re.Pattern[str]]]:
    """Each heading, field or row label that gives a unit, with the pattern of the lines, fields or cells it
    gives it to."""
    return [(h, _BARE_LINE) for h in _UNIT_HEADING.finditer(text)] + [
        (h, _BARE_FIELD) for h in _UNIT_FIELD.finditer(text)] + [(h, _BARE_CELL) for h in _ROW_UNIT.finditer(text)]


def _under_unit_headings(text: str) -> list[Quantity]:
    """The bare numbers of the lines under a heading that gives their unit (guidelines: a figure is
    its number and counter; a table that writes the counter once in its heading still gives it)."""
    found = []
    for heading, bare in _unit_headings(text):
        counter = written_alone(_unit_of(heading))
        if counter is None:
            continue
        pos = heading.end()
        if bare is _BARE_LINE and not bare.match(text, pos) and (header := _HEADER_LINE.match(text, pos)):
            pos = header.end()  # 区分 令和4年度決算 令和5年度決算: the names of the columns under the heading
        while line := bare.match(text, pos):
            pairs = (list(_BARE_PAIR.finditer(text, line.start(), line.end()))
                     or list(_BARE_CELL.finditer(text, line.start("number"), line.end())) if bare is _BARE_LINE
                     else [line])  # 事業費 48,210 49,876: each number of a row after its label
            for pair in pairs:
                start, end = pair.span("number")
                q = Quantity(start, end, _round(parse_numeral(pair.group("number")) * counter.scale),
                             counter.unit, counter.unit_category, counter.kind)
                if _TOTAL_LABEL.fullmatch(pair.group("label").strip()):
                    q.qualifiers.add("total")  # 合計 6,080
                found.append(q)
            pos = line.end()
    return found


def _unit_words(text: str) -> list[tuple[int, int]]:
    """The spans of the units such headings give: （単位：千円） states no figure."""
    return [h.span("unit" if h.group("unit") else "bracketed") for h, _ in _unit_headings(text)]


def _unit_of(heading: re.Match[str]) -> str:
    """The counter a heading, field or row label writes."""
    return (heading.group("unit") or heading.groupdict().get("bracketed") or "").strip()


def find_quantities(text: str, tokens: Tokens) -> list[Quantity]:
    """Every metric mention in ``text``, in order, with qualifiers, ranges, per and deltas."""
    found = _fractions(text, tokens) + _under_unit_headings(text)
    taken = sorted((q.start, q.end) for q in found)  # fractions do not overlap: one bisect finds the one
    taken_starts = [s for s, _ in taken]
    consumed = 0
    per_from_base, base_start = "", -1
    phrases = [m.span() for m in _SET_PHRASE.finditer(text)] + _unit_words(text)
    own = counters_by_repetition(text)
    for m in NUMERAL.finditer(text):
        start = m.start()
        k = bisect_right(taken_starts, start) - 1
        if start < consumed or (k >= 0 and start < taken[k][1]) or any(a <= start < b for a, b in phrases):
            continue
        if _is_excluded_numeral(text, start, m.end(), tokens):
            continue
        reading = _read(text, m, own)
        if reading is None:
            continue
        counter, after = reading.counter, reading.end
        if _is_date(text, start, reading.value, counter.counter, after):
            consumed = after
            continue
        occasion = counter.counter in OCCASIONS  # 2回目となるワークショップ, 3年目となる事業: which one
        if (text.startswith("目", after) if occasion else _ORDINAL.match(text, after)) or text.startswith("周年", after) \
                or _INDICATOR_NAME.match(text, after):
            continue  # 第2回, 2回目 (4か所目となる窓口: the count it reaches is a figure)
        if (counter.counter in ("歳", "か月") and _AGE_CLASS.match(text, after)) or (
                counter.counter == "か月" and text.startswith("時", after) and re.search(r"歳\s?$", text[:start])) or (
                counter.counter == "年" and text.startswith("生", after) and set(text[start:after - 1]) <= set("123456")):
            continue  # 0歳児, 3歳以上児, 4か月児, 1歳6か月時, 60歳以上の就業率, 65〜74歳4.4%, 5年生 (4〜5年生): a class by
            # age or school year, of children or of what a measure is taken on
            # (a name; not 50年生の人工林, a stand's age)
        if counter.counter in _YEAR_COUNTERS and _YEARS_SPELLED.match(text, after) \
                and re.search(r"(?:前|過去|直近|最近)\s?$", text[:start]):
            continue  # 事業開始前3年(R2~R4): the years before, as the bracket spells them out: a period
        if counter.counter in _YEAR_COUNTERS and _RELATIVE_TIME.match(text, after):
            continue  # 10年後, 7年前: a time relative to another, not a duration of anything
        counted = text[:start].rstrip().endswith(("(", "（"))  # （4回開催、…: a count opening an aside
        if not counted and (_WORD_GOES_ON.match(text, after) or _numbers_line(text, start, reading.value)) and (
                _HEADING_START.search(text[:start])
                or (_ITEM_START.search(text[:start]) and reading.value < 10
                    and (after not in tokens.ends or _ITEM_GOES_ON.match(text, after)))
                or (_ITEM_START.search(text[:start]) and _numbered_next(text, start, reading.value))
                or _opens_numbered_list(text, after, reading.value)):
            continue  # 【3点字図書館…】, /1基幹的な…, 2法人経営体 12経営体, …、11基幹的職員研修事業: a list
            # number before a word
        base_of = _BASE_OF.match(text, after) if reading.value == 1 and reading.value_max is None else None
        if re.match(r"分?(?:当たり|あたり|につき)", text[after:]) or (  # 1台分当たり: the base, by its share
                reading.value == 1 and (text.startswith("平均", after)  # 1人平均貸出冊数: the base of an average
                                        or _BASE_NAMED.match(text, after))):  # 1回の派遣につき: a base and its noun
            chained = per_from_base and base_start >= 0 and consumed == start  # 1人1日当たり: one base of two
            per_from_base, base_start, consumed = per_of(counter.counter), base_start if chained else start, after
            if base_of:  # 1件当たりの上限を20万円
                base_start, consumed = -1, base_of.end()
            continue
        if (counter.unit in _RECURS_IN and reading.value_max is None and (once := _ONCE_IN.match(text, after))
                and not _ERA.search(text, max(0, start - 3), start)):
            # 3年に1回, 2年に1度, 1か月に1冊: the span the count recurs in is its base, not a figure
            span = per_of(counter.counter)
            per_from_base = span if reading.value == 1 else f"{reading.value}{span}"
            base_start, consumed = start, once.end()
            continue
        next_counter = _counter_after(text, base_of.end() if base_of else after)
        if next_counter is None and not base_of and (spaced := _SPACE.match(text, after)):
            priced = _counter_after(text, spaced.end())  # 1時間 1,200円, 1食 400円: a price per its base
            next_counter = priced if priced and lookup(priced.group()).kind == "money" else None
        if (reading.value == 1 and reading.value_max is None and next_counter
                and lookup(next_counter.group()).unit != counter.unit
                and not _compound(text, after, counter.counter, reading.value)):
            # 1か月3,500円, 1人3,500円, 1回500円: the base of the rate that follows, not a figure;
            # 1回の講習時間は1時間30分, 1件当たりの上限を20万円: the base of the measure it names
            per_from_base = per_of(counter.counter)
            base_start, consumed = (-1, base_of.end()) if base_of else (start, after)
            continue
        if reading.value == 1 and reading.value_max is None and _BASE_OF_MEASURE.match(text, after):
            continue  # 1回の受診者数が増えている: the base of the measure it names, no figure of its own
        q = Quantity(start, after, _round(reading.value * counter.scale), counter.unit,
                     counter.unit_category, counter.kind)
        if reading.value_max is None and (compound := _compound(text, after, counter.counter, reading.value)):
            after, q.end, q.value, q.unit = compound[0], compound[0], compound[1], compound[2]
        if reading.value_max is not None:
            q.value_max = _round(reading.value_max * counter.scale)
            q.qualifiers.add("range")
        q.prefix_start = _prefixes(text, start, tokens, q)
        if _CUMULATIVE_SUBJECT.search(text, max(0, start - 24), q.prefix_start if q.prefix_start >= 0 else start):
            q.qualifiers.add("cumulative")
        if _TOTAL_SUBJECT.search(text, max(0, start - 8), start_of(q)):
            q.qualifiers.add("total")
        if counter.kind == "money" and (amount := AMOUNT_PER.search(text, max(0, start - 12), start)):
            q.per = q.per or amount["period"]  # 上限月額2,000円: a monthly amount is per 月 (the words stay the name's)
        if per_from_base and text[consumed:q.prefix_start if q.prefix_start >= 0 else start].strip() == "":
            q.per = per_from_base
            if base_start >= 0:  # 1人3,500円: the base is written as part of the figure
                q.prefix_start = min(base_start, q.prefix_start if q.prefix_start >= 0 else start)
        per_from_base = ""
        per_suffix = _PER_SUFFIX.match(text, after)
        if per_suffix and not q.per:
            q.per = per_of(per_suffix.group(1))
        suffix_end = _suffixes(text, per_suffix.end() if per_suffix else after + text.startswith("目", after), q)
        direction = _DIRECTION.match(text, suffix_end)
        if direction and counter.unit != "倍" and text[direction.start(1) - 1:direction.start(1)] == "に":
            direction = None  # 230万人に増加: the level reached, not the change
        if counter.kind == "percent" and DISCOUNT.match(text, suffix_end):
            direction = None  # 水道料金の20%を減額: the scheme's discount, not a change
        direction = direction or _OBJECT_CHANGE.match(text, suffix_end) or _NOUN_CHANGE.match(text, suffix_end) \
            or _SUBJECT_CHANGE.match(text, suffix_end)
        q.suffix_end = direction.end() if direction else suffix_end
        marked = _MARKED_DECREASE.search(text, 0, q.prefix_start if q.prefix_start >= 0 else start)
        if q.kind == "delta" or direction or marked:
            _mark_delta(text, q, direction.group(1) if direction else ("減" if marked else ""))
        found.append(q)
        consumed = after
    found.sort(key=lambda q: (q.start, q.end))
    for group in respectively(text, found):  # それぞれ10.5%、58.8%の増加: every item is a change
        last = found[group[-1]]
        for i in group[:-1]:
            if found[i].kind != "delta" and found[i].unit == last.unit:
                found[i].kind, found[i].delta_direction = "delta", last.delta_direction
                found[i].delta_basis = last.delta_basis
    _changed_lists(text, found)
    _cumulative_lists(text, found)
    _bound_alternatives(text, found)
    _paid_shares(text, found)
    return found


def _paid_shares(text: str, found: list[Quantity]) -> None:
    """A fraction after うち that a verb of paying follows (支援金のうち1/2を補助) is the rate of the aid
    (guidelines: the paid share of a cost), no part of a total."""
    for q in found:
        if q.kind == "ratio" and "subset" in q.qualifiers and PAID_SHARE.match(text, max(q.end, q.suffix_end)):
            q.qualifiers.discard("subset")


#: 1/2又は1/3以内, 5万円若しくは10万円以内: figures given as alternatives, one bound written after the last.
_OR = re.compile(rf"\s?(?:{_OR_WORDS})\s?")


def _bound_alternatives(text: str, found: list[Quantity]) -> None:
    """A bound after the last of figures given as alternatives of one unit (経費の1/2又は1/3以内を補助)
    bounds each of them, as the scheme caps whichever applies."""
    for i in range(len(found) - 2, -1, -1):
        q, last = found[i], found[i + 1]
        bound = last.qualifiers & BOUNDS
        if bound and not q.qualifiers & BOUNDS and q.unit == last.unit and q.kind == last.kind \
                and _OR.fullmatch(text, max(q.end, q.suffix_end), start_of(last)):
            q.qualifiers |= bound


#: Between two items of a list: an aside, 、, then the next item's label and particle
#: (北建設事務所で5名（労務職員）、平成24年度は西建設事務所で5名).
_NEXT_LISTED = re.compile(r"(?:[(（][^()（）\d]{1,20}[)）])?[、,]\s?[^、。()（）]{1,20}?(?:は|で|が|に)\s?")


def _changed_lists(text: str, found: list[Quantity]) -> None:
    """The items of a list share its measure (guidelines, "Naming the concept"), so when the change
    word after the last item makes it a change, the items before it are changes too: バスは約2.4万人、
    タクシーは約4.7万人運転者が減少; …で5名、…で5名の人員削減. A label that compares (前年度より) or
    takes a part (うち) starts no item."""
    for k in range(len(found) - 1, 0, -1):
        last = found[k]
        if last.kind != "delta" or not last.delta_direction or last.delta_basis:
            continue
        i = k
        while i > 0:
            item, gap = found[i - 1], text[max(found[i - 1].end, found[i - 1].suffix_end):start_of(found[i])]
            if item.kind == "delta" or item.unit != last.unit or not _NEXT_LISTED.fullmatch(gap) \
                    or _BASIS.search(gap) or re.search(r"うち|比べ|より", gap):
                break
            item.kind, item.delta_direction = "delta", last.delta_direction
            i -= 1


#: …までの累計で、: a cumulative word that opens its clause as a phrase of its own.
_CUMULATIVE_CLAUSE = re.compile(r"(?:累計|累積|通算)で[、,\s]")
#: …の累計：: a label of 累計 over the list after it.
_CUMULATIVE_LABEL = re.compile(r"(?:累計|累積|通算)\s?[:：]")
#: 、成約52件: the next item of a label's list, its own label and no particle.
_NEXT_LABELLED = re.compile(r"[、,]\s?[^、。()（）\d:：/]{1,20}")


def _cumulative_lists(text: str, found: list[Quantity]) -> None:
    """A clause opened by 累計で states each item of the list after it as cumulative (令和2年度からの累計で、
    交付件数は38件、交付額は3,450万円), and so does a label of 累計 each item of its list (H28年度〜R5年度の累計：
    登録物件86件、成約52件), as a time that opens it dates each of them; 延べ利用者数は… names its own figure
    alone."""
    for prev, q in zip(found, found[1:]):
        end = max(prev.end, prev.suffix_end)
        if "cumulative" not in prev.qualifiers or "cumulative" in q.qualifiers or "delta" in (prev.kind, q.kind):
            continue
        opening, first, nxt = text.rfind("。", 0, prev.start) + 1, start_of(prev), start_of(q)
        if (_NEXT_LISTED.fullmatch(text, end, nxt) and _CUMULATIVE_CLAUSE.search(text, opening, first)) \
                or (_NEXT_LABELLED.fullmatch(text, end, nxt) and _CUMULATIVE_LABEL.search(text, opening, first)):
            q.qualifiers.add("cumulative")


def change_by_object(text: str, q: Quantity) -> str:
    """1名を減員した → 減員, 2時間を減らす → 削減: the change a delta is the object of, named; "" for
    other figures. Its level is not written before it (the change qualifies no earlier figure)."""
    verb = (_OBJECT_CHANGE.search(text, q.end, q.suffix_end) or _NOUN_CHANGE.search(text, q.end, q.suffix_end)
            if q.kind == "delta" else None)  # also 5名（労務職員）の人員削減
    return next((names[verb.group(1)] for names in _OBJECT_CHANGE_WORDS.values() if verb.group(1) in names),
                verb.group(1)) if verb else ""


#: …は21,043件、被害額は718.8億円と、前年に比べてそれぞれ10.5%、58.8%の増加: figures listed after
#: それぞれ pair in order with the figures before it.
_RESPECTIVELY = re.compile(r"(?:それぞれ|各々|おのおの)[、\s]*$")


def respectively(text: str, quantities: Sequence[Quantity]) -> list[list[int]]:
    """The runs of figures joined by 、 right after それぞれ whose last item is a change."""
    groups = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        if not _RESPECTIVELY.search(text, max(0, q.start - 8), start_of(q)):
            i += 1
            continue
        group = [i]
        while group[-1] + 1 < len(quantities) and re.fullmatch(
                r"[、,\s]*", text[max(quantities[group[-1]].end, quantities[group[-1]].suffix_end):
                                   start_of(quantities[group[-1] + 1])]):
            group.append(group[-1] + 1)
        if len(group) > 1 and quantities[group[-1]].kind == "delta":
            groups.append(group)
        i = group[-1] + 1
    return groups


def start_of(q: Quantity) -> int:
    """Where a figure's words begin: its prefix (約, 延べ, 上限) if it has one, else its number."""
    return q.prefix_start if q.prefix_start >= 0 else q.start


def _compound(text: str, after: int, counter: str, value: Decimal) -> tuple[int, Decimal, str] | None:
    """9年2ヶ月, 1時間30分: one duration in its smaller unit (110 か月, 90 分), ending after it."""
    per = _COMPOUND.get(counter)
    following = NUMERAL.match(text, after) if per else None
    smaller = counter_regex().match(text, following.end()) if following else None
    if not smaller or lookup(smaller.group()).unit not in per[1]:
        return None
    return smaller.end(), value * per[0] + parse_numeral(following.group()), lookup(smaller.group()).unit


#: ▲25人, （▲ 1億9,378万円: a mark right before a figure that says it is a reduction.
_MARKED_DECREASE = re.compile("(?:" + "|".join(map(re.escape, resources.directions()["before"]["decrease"])) + r")\s?$")


def _mark_delta(text: str, q: Quantity, word: str) -> None:
    """A change against a base: direction from its word, basis from the clause before it.

    X倍 is a change against an earlier time (前年比約3倍, 10年前と比べると1.8倍), with a
    direction word, when it qualifies a figure it is the multiple of (10年後には約2.1倍の約261万戸),
    or when it multiplies the measure it follows (再エネ発電容量3倍); against another group
    (全産業平均の約10倍, …の2.3と比較し約10倍) or as a level (有効求人倍率は1.25倍) it is a ratio.
    """
    clause_start = max(max(text.rfind(ch, 0, q.start) for ch in "。、") + 1, q.start - 40, 0)
    bases = list(_BASIS.finditer(text, clause_start, q.start))
    basis = bases[-1].group() if bases else ""
    if q.unit == "倍" and not word:
        later = _LATER_DIRECTION.match(text, q.suffix_end)
        earlier = list(_EARLIER_COMPARISON.finditer(text, text.rfind("。", 0, q.start) + 1, q.start))
        if later:
            word = "増" if later.group(1) in ("伸び", "拡大", "上昇") or "増" in later.group(1) else "減"
        elif (earlier and not basis) or _QUALIFIES_FIGURE.match(text, q.suffix_end):  # 令和4年度の…に比べ、…1.2倍
            basis = earlier[-1].group("basis") if earlier and not basis else basis
        elif not _TEMPORAL_BASIS.search(text[clause_start:q.start]) and _AGAINST_OTHER.search(
                text[clause_start:q.prefix_start if q.prefix_start >= 0 else q.start]):
            q.kind, q.unit = "ratio", ""  # 全産業平均の約10倍, 有効求人倍率は1.25倍: a ratio has no unit
            return
    q.kind = "delta"
    if q.unit == "倍" and not basis and (of := _TIME_MULTIPLIED.search(text, clause_start, q.start)):
        basis = of["basis"]  # 前年度の1.4倍: the time whose figure it multiplies
    if word:
        q.delta_direction = "increase" if word in _INCREASE else "decrease"
    else:
        q.delta_direction = "increase" if q.value >= 1 else "decrease"
    q.delta_basis = re.sub(r"(?:を)$", "", basis)


def bounds_next(text: str, q: Quantity, next_start: int) -> bool:
    """Whether ``q`` is a threshold that bounds the class the next figure measures (30%以上の企業は
    11社, 30日以内の通知率 96.4%): a setting of the measure, not an item of a list with it."""
    bound = CLASS_BOUND.match(text, q.end)
    size = _SIZE_OF_CLASS.match(text, q.end)  # うち65歳以上が約7割: the class whose share or size the next figure is
    return bool(bound and _CLASS_MEASURED.fullmatch(text, bound.end(), next_start)) or bool(
        size and size.end() == next_start)
