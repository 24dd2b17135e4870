"""The vocabulary of naming, shared by the concept modules: word lists from
``resources/concept_words.yaml``, the patterns built from them, and what a unit or a
phrase says about the measure (人 → 人数, 円 → 額)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline import resources
from pipeline.rules.dates import YEAR
from pipeline.rules.quantities import PAID_VERBS, PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, Quantity
from pipeline.rules.quantities import start_of as figure_start
from pipeline.rules.scopes import unmarked
from pipeline.text.brackets import BRACKETED
from pipeline.rules.units import counter_regex
from pipeline.text.fold import fold_counters


WORDS = resources.concept_words()

#: Nouns that say where, not what (市内19校): never a concept on their own.
SCOPE_WORDS = frozenset(WORDS["scope"])

#: Words that name the rest of a list (…ほか438名, その他198件).
OTHER_WORDS = frozenset(WORDS["other"])
#: A phrase made only of these (and digits or brackets) names a time, never a measure; the
#: relative words (今年度, 来年度) are times as much as 年度 is.
TIME_WORDS = re.compile(r"(?:[\d()（）]|" + "|".join(
    sorted([*WORDS["time_words"], *resources.periods()["relative"]], key=len, reverse=True)) + ")+")
TIME_PREFIX = re.compile(r"^[^の]{0,6}?(?:\d+\s?年度?(?!生)|年度|\d+月|\d+日|時点|現在|末)[^の]{0,2}(?:の|における|での)")
QUALIFIER_WORDS = frozenset(
    w for table in (PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS) for words, _ in table for w in words.split("|")
)
#: 1人当たり, 1館あたり, 1件につき: the words that make what precedes them the base a figure is per.
PER_WORD = "(?:当たり|あたり|につき)"
#: 市民1人当たり12,480円, 1m2当たり: a base a figure's words open with, glued to what it counts.
BASE_OPENS = re.compile(rf"(?:1|一)\S{{1,4}}?{PER_WORD}")
#: 1人当たり, クラブ当たり平均, 回ごと, 月額: a base a figure is per (its per), never what it measures.
PER_BASE = re.compile(rf"(?:\d+|一)?[^\d、。]{{0,8}}?(?:{PER_WORD}|ごと)(?:平均|の平均)?"
                      rf"|(?:(?:\d+|一)?[^\d、。]{{0,8}}?{PER_WORD})?[年月日週]額")  # 月額, 1人当たり年額: a base's amount
#: 10万人を達成した, 目標を突破: verbs of a level reached, not of what was done to what is counted.
NOT_ACTIONS = frozenset(WORDS["levels_reached"])
#: 各教室, 各回とも: a word that spreads a figure over every item; it names none of them.
EACH_WORD = r"各[^\s\d、。をに]{1,6}?(?:とも|ごと)?"
EACH = re.compile(EACH_WORD)
#: 開設当初, 導入当時, 移転直後: the time of an event, not a measure.
EVENT_TIME = ("当初", "当時", "直後")
#: 各回, 各教室とも: one of every counted item, the base a figure is per (各回1時間30分); it names nothing.
EACH_BASE = re.compile(rf"各(?:{counter_regex().pattern})(?:とも|ごと)?")
STOP_PUNCT = set("、。，,（）()「」『』【】:：;；/")
RATE_NOUN = re.compile(r"(?:率|割合|比率)$")
TOPIC_PARTICLES = frozenset({"は", "が", "も"})
MEASURES: dict[str, str] = WORDS["measures"]
MEASURE_ENDS = tuple(WORDS["measure_ends"])

#: Strategies that read an item's own label (英語968件): the label is kept as written.
#: 本市は, 事業者は, 参加者は: the ends of a topic that says who acts, not what a verb acts on.
AGENTS = tuple(WORDS["agents"])
ITEM_METHODS = frozenset({"heading", "label"})
#: How a figure is named by a label of the layout (an item's, a line's, a heading's), not by its clause.
LABEL_METHODS = frozenset({"heading", "label", "line", "trailing", "colon", "listed"})

#: A label that says when (本年度の登録者, 令和元年度, 2023年): the step of a series, not an item.
TIME_IN_LABEL = re.compile("|".join([*resources.periods()["relative"], *resources.eras()]) + r"|年度|\d年|\d月")

#: Words that say which value of a measure (目標値, 実績, 見込み), not what it measures.
VALUE_WORDS = frozenset(WORDS["value_labels"])
#: A label made only of times, era initials and value words (R6年度目標値, H22, R4n(現状)).
VALUE_LABEL = re.compile(r"(?:[\s\d()（）:：]|[RHSnN](?![A-Za-z])|"
                          + "|".join(sorted([*WORDS["value_labels"], *WORDS["time_words"]], key=len, reverse=True))
                          + r")+$")
#: 国が1/2、県が1/4を補助する, …を限度として支給する: the verb later in the sentence that pays the figure.
PAID_LATER = re.compile(r"(?:[^。/()]|\([^()]*\)|(?<=\d)/(?=\d))*?(?:を|が)\s?(?:(?:上限|限度)と\s?して\s?)?"
                        r"(?P<verb>" + "|".join(PAID_VERBS) + ")")

#: A parameter of a scheme, named with the scheme it belongs to (…事業の補助率).
SCHEME_PARAMETER = re.compile(r"(?:補助率|補助割合|負担割合|国費率|国庫補助率|県費率|補助上限額?|上限額?|限度額|交付率|負担率"
                              r"|定率補助額?|定額補助額?|補助額|助成率|助成額|支給額|交付額)$")

#: 制度開始以降, 事業開始時点: a phrase that ends as a time says when, not what.
SINCE = re.compile(r"(?:以降|以来|以前|以後|当時|時点|現在|まで)$")

#: A verb in its dictionary form ends in kana (支える, 行う); a verbal noun (参加) does not.
PLAIN_VERB = re.compile(r"[ぁ-ん]$")

#: A concept that is one of these alone names nothing (原則, 過去, 割合約 after cleaning).
NOT_CONCEPTS = frozenset(WORDS["not_concepts"])

#: A class named by numbered grades: children by age (0歳児, 1・2歳児, 3歳以上児, 4か月児), people by care level
#: (要介護3, 要介護4・5の方, 要支援1・2): a label, though it holds a number.
NUMBERED_CLASS = (r"(?:\d{1,2}[・~〜\-])*(?:\d{1,2}歳(?:\d{1,2}[かヶカ]月)?|\d{1,2}[かヶカ]月)(?:以上|以下|未満)?児"
                  r"|(?:要介護|要支援)\s?(?:\d[・~〜\-])*\d(?:の(?:方|人|者))?"
                  r"|(?:\d{1,2}[・~〜\-])*\d{1,2}(?:年次|年生)(?:以上|以下)?")  # 1年次48人, 3年次以上115人: a school year
#: 見直し前, 民営化後: the state before or after a change, a time of the measure, no name of it.
STATE_LABEL = re.compile(r"(?:見直し|導入|実施|変更|改正|改修|整備|開始|移行|統合|集約|再編|[一-龥]{1,4}化)(?:前|後)")
#: Qualifier words a label may drag along at its end (割合約, 補助額最大; not the 約 of 契約, 予約, 集約).
TRAILING_QUALIFIER = re.compile(r"(?:(?<![契予規条集節要公制誓確解])約|およそ|概ね|おおむね|最大|最小|最低|延べ|(?<![累総])計|合計|等|など)+$")

#: Words that say which value of a measure a figure is (目標値である14日, 上限, 実績), not what it measures.
VALUE_NOUNS = ("目標", "目標値", "期限", "上限", "限度", "基準", "水準", "見込み", "見込", "実績")

#: A figure that is the subject of what follows: 約9割が, 560万人程度が.
SUBJECT_MARK = re.compile(r"\s?(?:程度|前後|強|弱|以上)?\s?が\s?")

#: A time that labels an item of a series (2015年度:4,391千件、2016年度:…, 2023年44件).
TIME = YEAR + r"(?:\s?\d{1,2}\s?月)?(?:末|時点)?"


def is_noun_like(tok: Token) -> bool:
    """Nouns by the parser or by the dictionary (the parser now and then calls 死者数 a verb)."""
    return (tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith(("接尾辞", "接頭辞", "名詞-普通名詞-一般",
                                                                   "名詞-固有名詞"))
            or (tok.tag_.startswith("形状詞") and tok.i + 1 < len(tok.doc)  # 特殊詐欺: a stem in a compound
                and tok.doc[tok.i + 1].pos_ in ("NOUN", "PROPN") and tok.idx + len(tok.text) == tok.doc[tok.i + 1].idx)
            or (tok.pos_ == "ADV" and tok.tag_.startswith("名詞-普通名詞-サ変可能"))  # 寄附額: a noun the parser misreads
            or tok.text in ("・", "等", "など") or tok.text in OTHER_WORDS)


def is_predicate(tok: Token, loose: bool = False) -> bool:
    """A verb, or a サ変 noun used as one (実施した, a clause head; right after a figure, 2回開催)."""
    if tok.pos_ == "VERB":
        return True
    if tok.pos_ != "NOUN" or "サ変" not in tok.tag_:
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return loose or tok.dep_ in ("ROOT", "acl", "advcl") or (nxt is not None and nxt.lemma_ == "する")



def clean(text: str) -> str:
    """A concept as analysts read it: no spaces, no leading うち/の, never a bare scope or time word."""
    label = unmarked(re.sub(r"\s+", "", text).strip("・/／")).lstrip("の")  # /医師…貸与者数: a segment's slash
    label = re.sub(r"[(（][※*＊]\d{0,2}[)）]", "", label)  # 漁業者(※)の: a note mark
    label = re.sub(r"^(?:さらに|この|その)?(?:うち|の|期の)+", "", label)  # 2025年1〜3月期の訪日客数: what the time left
    label = re.sub(r"^(?:[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|\d{1,2}\.|[A-Z]\.)(?=[一-龥ァ-ヶ])", "", label)  # II外国人…, B.精神…
    label = re.sub(r"^(.+?)累計$", r"累計\1", label)  # 設置台数累計 → 累計設置台数
    stripped = TRAILING_QUALIFIER.sub("", label)
    label = stripped if len(stripped) > 1 else label  # 推計 is no 推 + 計
    label = re.sub(r"(?<=[一-龥ァ-ヶー])の$", "", label)  # 地下鉄の路線延長の (not もの, その)
    label = re.sub(r"(?<=[るうくすつぬむぶぐた])の(割合|人数|件数)$", r"\1", label)  # 対応を行うの割合 → 行う割合
    if label.count("(") + label.count("（") != label.count(")") + label.count("）"):
        label = label.strip("()（）")  # 総合): a piece of a bracket is no part of a name
    if (label in SCOPE_WORDS or label in QUALIFIER_WORDS or TIME_WORDS.fullmatch(label)
            or VALUE_LABEL.fullmatch(label) or SINCE.search(label)):
        return ""
    return label


def measure_of(q: Quantity) -> str:
    """What a figure of this unit measures after a predicate: 人数, 件数, 割合, 額, 日数."""
    if q.unit in ("人", "名"):
        return "人数"
    if q.kind in ("percent", "ratio") or q.unit == "%":
        return "割合"
    return unit_measure(q)


def unit_measure(q: Quantity) -> str:
    """The measure a unit names (円 → 額, km2 → 面積); a count's counter + 数 (部 → 部数)."""
    return MEASURES.get(q.unit) or ("量" if q.kind == "physical" else (q.unit or "") + "数")


def counts_unnamed(concept: str, q: Quantity) -> bool:
    """Whether a count's concept names what is counted but no measure of it (合同宿舎 + 69,724戸;
    not 指定件数(累計), not people or ages, which have their own measures)."""
    return (q.kind == "count" and q.unit not in ("人", "名", "歳")
            and not BRACKETED.sub("", concept).endswith(MEASURE_ENDS))


def count_name(concept: str, q: Quantity) -> str:
    """The count of what ``concept`` names: 被害 + 1,600箇所 → 被害箇所数; a name that ends in the
    counter takes only 数 (移管した施設 + 5施設 → 移管した施設数, not 施設施設数); the counter alone
    names nothing, and stays for the layout to name."""
    if concept == q.unit:
        return concept
    counter_written = q.unit and fold_counters(concept).endswith(q.unit)  # 整備した箇所 + 17ヶ所
    return concept + ("数" if counter_written else unit_measure(q))


#: The pieces of a time expression: a name made only of them is a time, not a concept.
_TIME_RESIDUE = re.compile(r"令和|平成|昭和|元(?=年)|毎(?=年|月)|年度|年|月|以降|以前|まで|から|[RH\d~〜\-－ー\s・→⇒]")


def is_time(text: str) -> bool:
    """令和元年度, ~令和, H30~R2, 2019年→2023年, 毎年度: a name made only of the pieces of a time expression."""
    return not _TIME_RESIDUE.sub("", text)


#: An item's label as the sentence glued it to its figure: the particle that ties it on (イノシシは8,000円,
#: 市内在住の65歳), not part of the name.
_LABEL_PARTICLE = re.compile(r"(?<=[一-龥々ァ-ヶー])(?:には|では|は|が|も|に|の|を)$")
#: What is left of a label when the figure before took its words (成約21件のうちの8件 → の): particles, no name.
_ONLY_PARTICLES = re.compile(r"(?:の|に|を|は|が|も|で|と|うち)*")


def plain_labels(concept: str) -> str:
    """A name whose item labels are nouns (guidelines, "Naming the concept": never a time word or a
    particle): 捕獲報奨金（イノシシは） → 捕獲報奨金（イノシシ）; 派遣校数（平成30年度は） → 派遣校数, the time
    is the period's; 成約件数（の） → 成約件数."""
    def label(m: re.Match[str]) -> str:  # each bracket the name carries: （木造）, (高齢者)
        word = _LABEL_PARTICLE.sub("", m.group()[1:-1])
        if is_time(word) or _ONLY_PARTICLES.fullmatch(word):
            return ""
        return m.group()[0] + word + m.group()[-1]
    return BRACKETED.sub(label, concept)


#: What a measure word says the figure is: 利用数 a count, 必要額 money, 割合 a share.
_KIND_OF_MEASURE: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("割合", "率", "比率"), frozenset({"percent", "ratio"})),
    (("額", "費", "金", "料", "価格", "報酬"), frozenset({"money"})),
    (("期間", "時間", "年数", "日数"), frozenset({"duration"})),
    (("量", "面積", "距離"), frozenset({"physical"})),
    (("数", "者", "員", "人", "人口"), frozenset({"count"})),
)


#: The measure word of a count of people (参加人数, 研修会の参加者数, 職員数), and the counters people are counted in.
COUNT_OF_PEOPLE = re.compile(r"(?:人数|者数|員数|人口)$")
_PEOPLE_COUNTERS = frozenset({"人", "名", "人日", "人回"})


def measures_kind(phrase: str, q: Quantity) -> bool:
    """Whether a phrase that names a measure names one of the figure's kind (an 額 is money)."""
    for ends, kinds in _KIND_OF_MEASURE:
        if phrase.endswith(ends):
            return q.kind in kinds
    return False


def measures_other_kind(phrase: str, q: Quantity) -> bool:
    """Whether a phrase names a measure of another kind than the figure's (定員 for 1時間30分, 参加人数
    for 14回): a name read off the clause that does cannot be the figure's. A change measures what its
    level does."""
    if q.kind == "delta":
        return False
    if q.kind == "count" and COUNT_OF_PEOPLE.search(phrase):
        return q.unit not in _PEOPLE_COUNTERS
    return any(phrase.endswith(ends) for ends, _ in _KIND_OF_MEASURE) and not measures_kind(phrase, q)
