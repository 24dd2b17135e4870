"""Name what a figure measures, from GiNZA's tokens and dependency parse.

:meth:`ConceptFinder.concept` tries, in order of trust (the name is the record's ``method``):
- ``parameter``, ``budget``: a scheme's bracket ((補助率:定額、1/2以内) → …事業の補助率) and an
  amount alone in 【】 closing a list item (…の予算額);
- ``heading``, ``series``, ``quoted``, ``line``: the heading of the list, series or line the
  figure is an item of; ``capped``: 月額21万円を上限とする修学資金 → 修学資金の月額上限;
- ``label``, ``colon``, ``listed``, ``bracket``: the item's own label (英語968件, 国際交流イベント：
  3回131名), or that of the figure it is listed with;
- ``apposition`` (目標値である14日), ``changed`` (CO2排出量を…46%削減), ``subject``
  (交通事故死者数は2,678人), ``is`` (…が文部科学省分である), ``whole`` (…施設は全体の50%),
  ``as``, ``measure``, ``verb`` (42,444名参加), ``set_to``, ``rate``;
- ``parse``: the dependency parse (登録者数が2,230人となった, 約8割の地下街が…に位置する);
- ``topic`` of the sentence; last, ``carried`` (the measure the sentence before was about),
  ``predicate`` and ``nearest``.
Time words (2015年は, 年度現在, その後) never name a concept; see the guidelines' "Naming the concept".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from spacy.tokens import Token

from pipeline import resources
from pipeline.rules.docindex import DocIndex
from pipeline.rules.quantities import PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, Quantity
from pipeline.rules.periods import TimeExpression
from pipeline.rules.scopes import CellStructure, heading_name
from pipeline.rules.sentences import sentence_of
from pipeline.text.brackets import pairs

_WORDS = resources.concept_words()
#: Nouns that say where, not what (市内19校): never a concept on their own.
SCOPE_WORDS = frozenset(_WORDS["scope"])
#: Words that name the rest of a list (…ほか438名, その他198件).
OTHER_WORDS = frozenset(_WORDS["other"])
#: Verbs that link a subject to a figure or state its change (登録者数が2,230人となった).
LINKING_VERBS = frozenset(_WORDS["linking_verbs"])
#: Nouns that need their relative clause to mean anything (回答を要するもの).
FORMAL_NOUNS = frozenset(_WORDS["formal_nouns"])
_TIME_WORDS = re.compile(r"(?:[\d()（）]|" + "|".join(_WORDS["time_words"]) + ")+")
_TIME_PREFIX = re.compile(r"^[^の]{0,6}?(?:\d+\s?年度?|年度|\d+月|\d+日|時点|現在|末)[^の]{0,2}(?:の|における|での)")
_QUALIFIER_WORDS = frozenset(
    w for table in (PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS) for words, _ in table for w in words.split("|")
)
_STOP_PUNCT = set("、。，,（）()「」『』【】:：;；/")
_COLON = re.compile(r"[:：]")
_LIST_FILLER = re.compile(r"(?:[\s、,・]|で|と|" + "|".join(sorted(SCOPE_WORDS, key=len, reverse=True)) + r")*")
_RATE_NOUN = re.compile(r"(?:率|割合|比率)$")
_TOPIC_PARTICLES = frozenset({"は", "が", "も"})
_AS_CATEGORY = re.compile(r"[」』]?として")
#: Their object is what a figure is compared against (全国平均を約10%上回る), not what it measures.
_COMPARATIVE_VERBS = frozenset(_WORDS["comparative_verbs"])
_MEASURES: dict[str, str] = _WORDS["measures"]
_OBJECT_ACTIONS = frozenset(_WORDS["object_actions"])
_MEASURE_ENDS = tuple(_WORDS["measure_ends"])
_EVENT_NOUNS = tuple(_WORDS["event_nouns"])
#: …とする, …にする, …に: a figure the sentence sets something to.
_SET_TO = re.compile(r"\s?(?:と|に)(?:する|し|なる|なり|、|増や|減ら|引き上げ|引き下げ)")
#: 2030年に, 2025年までに: a time between an object and the figure it is set to.
_TIME_BEFORE = re.compile(r"(?:\d{4}|令和\d{1,2}|R\d{1,2})年度?(?:末)?(?:まで)?に$")
#: Strategies that read an item's own label (英語968件): the label is kept as written.
_ITEM_METHODS = frozenset({"heading", "label"})
#: Between two items of one list: a 、, a comma or a space, and nothing that ends a clause.
_LIST_JOIN = re.compile(r"[^。、,\s]{0,2}[、,\s][^。、,]{1,15}")
#: An item's label: a noun (第1子, 一般世帯, その他の言語), no clause, no time.
_ITEM_WORD = re.compile(r"(?:[^ぁ-ん\d()]|\d(?![\d,.]*[年月日]))+(?:の(?:[^ぁ-ん\d()]|\d(?![\d,.]*[年月日]))+)?")
#: A label that says when (本年度の登録者, 令和元年度, 2023年): the step of a series, not an item.
_TIME_IN_LABEL = re.compile("|".join([*resources.periods()["relative"], *resources.eras()]) + r"|年度|\d年|\d月")
#: The particle or colon that ends an item's label (第1子に, 大人:).
_ITEM_PARTICLE = re.compile(r"(?:に|は|が|で|:)$")
_CAP_WORD = re.compile("|".join(resources.scopes()["caps"]))
#: Between a step's time and its first figure: 令和元年度は, 2023年には, R4年度 .
_STEP_GAP = re.compile(r"\s?(?:に)?(?:は|も)?[、,\s]?")
#: Strategies whose concept is an item's label (英語968件, 小学校 24回, 電話：120件).
_LABEL_METHODS = frozenset({"heading", "label", "line", "colon", "listed"})
#: 320人(高齢者): a short bracket of words after a figure.
_LABEL_AFTER = re.compile(r"\s?\(([^()\d、,。]{1,15})\)")
_NOT_ITEM = re.compile("|".join(["上限", "限度", "見込", "予定", "目標", "実績", "速報", "確定", "暫定", "概算", "推計", "現在",
                                 "時点", "累計", "延べ", "計", "税込", "税抜", "以上", "以下", "以内", "未満", "程度"]))
#: Between a heading and the figure it names: spaces, a colon, a base (1人あたり).
_HEADING_GAP = re.compile(r"[\s:]*(?:[^\s:、。\d]{0,6}\d*[^\s:、。\d]{0,4}(?:当たり|あたり|につき)[\s:]*)?")
#: NAME：… — a heading whose list (separated by ／) the figure is an item of.
_HEADED_LIST = re.compile(r"(?:^|[】\]>＞])\s?(?P<name>[^：:／/。【】\s][^：:／/。【】]{1,60}?)[：:](?P<rest>[^：:【】]*)$")
_LIST_SEPARATOR = re.compile(r"[／/]")
_ITEM_LABEL = re.compile(r"\s?([^\s\d（()、,.]+)")
#: A label made only of times, era initials and value words (R6年度目標値, H22, R4n(現状)).
_VALUE_LABEL = re.compile(r"(?:[\s\d()（）:：]|[RHSnN](?![A-Za-z])|"
                          + "|".join(sorted([*_WORDS["value_labels"], *_WORDS["time_words"]], key=len, reverse=True))
                          + r")+$")
_PAID_VERBS = ("補助", "助成", "負担", "交付", "支給")
#: 経費の1/2以内を補助, 10分の8(限度額100万円)を交付, 1/3を市が補助: the share of a cost that is
#: paid is the aid's rate (a cap in brackets or the payer may stand between).
_PAID_SHARE = re.compile(r"\s?(?:(?:又は|または|若しくは|もしくは)\s?[\d./分の]+)?\s?(?:以内|以下|まで|程度)?"
                         r"\s?(?:\([^()]{0,30}\))?\s?(?:の(?:金額|額|相当額))?\s?(?:を|の)?\s?(?:[^、。()\d]{1,6}?が)?"
                         r"\s?(?P<verb>" + "|".join(_PAID_VERBS) + ")")
#: 国が1/2、県が1/4を補助する: the verb that pays the shares listed before it in the sentence.
_PAID_LATER = re.compile(r"(?:[^。/()]|(?<=\d)/(?=\d))*?(?:を|が)\s?(?P<verb>" + "|".join(_PAID_VERBS) + ")")
_OCCUPIES = re.compile(r"\s?(?:程度|前後|強|弱)?(?:を占め|に及)")
#: Units of a span of time: a concept that does not name a measure names its 期間.
_SPAN_UNITS = frozenset({"年", "年間", "か月", "か月間", "週間", "か年", "か年間"})
#: What may stand between a topic and its figure: 、それぞれ, 、いずれも, 合わせて, 全産業より.
_ADVERB_GAP = re.compile(r"[、\s]*(?:それぞれ|いずれも|各々|合わせて|あわせて|年間)?[、\s]*"
                         r"(?:[^、。はが\s]{1,12}(?:より|に比べて?|と比べて?|と比較して?)[、\s]*)?$")
_THRESHOLDS = frozenset({"at_least", "more_than", "at_most", "less_than"})
#: A parameter of a scheme, named with the scheme it belongs to (…事業の補助率).
_SCHEME_PARAMETER = re.compile(r"(?:補助率|国費率|国庫補助率|県費率|補助上限額?|上限額?|限度額|交付率|負担率|定率補助額?|定額補助額?|補助額|助成率|助成額)$")
#: 輸入量50日分程度相当(140万t程度), 約14%(4億トン相当): the same figure in another unit.
_EQUIVALENT = re.compile(r"\s?(?:程度)?\s?(?:相当)?\s?[(（]\s?")
#: 全産業対比, 2013年度比: a basis the figure is compared with, not what it measures.
_BASIS = re.compile(r"(?:対比|年度?比)$")
#: 石川県内, 市内: a place the figures are counted in.
_PLACE = re.compile(r"[都道府県市区町村国]内$")
#: A verb of change right after a change: its object is what changed.
_CHANGE_VERB = re.compile(r"\s?(?:以上|程度)?\s?(?:の)?(?:削減|増加|減少|低減|向上|拡大|縮小|増|減|引き上げ|引き下げ"
                          r"|に(?:する|し|増や|引き上げ|拡大|削減))")
#: Counters that name a class of things counted (箇所, 施設, 校): a concept that names no
#: measure is counted in them (山地災害による被害 → 山地災害による被害箇所数).
_CLASS_COUNTERS = frozenset(_WORDS["class_counters"])
#: 4年連続で増加: a run of years, and what kept happening.
_RUN = re.compile(r"\s?連続(?:[^、。]{0,12}?(?P<verb>増加|減少|上昇|低下|達成|受賞|開催|実施))?")
#: Formal nouns that end a purpose clause (…に対応するため, …できるよう).
_PURPOSE = ("ため", "よう", "ように")
#: What a measure word says the figure is: 利用数 a count, 必要額 money, 割合 a share.
_KIND_OF_MEASURE: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("割合", "率", "比率"), frozenset({"percent", "ratio"})),
    (("額", "費", "金", "料", "価格"), frozenset({"money"})),
    (("期間", "時間", "年数", "日数"), frozenset({"duration"})),
    (("量", "面積", "距離"), frozenset({"physical"})),
    (("数", "者", "員", "人", "人口"), frozenset({"count"})),
)
#: Nouns that name a value a figure can be (計画目標である38,000km2, 保守期限である5年).
_VALUE_NOUNS = ("目標", "目標値", "期限", "上限", "限度", "基準", "水準", "見込み", "見込")
#: …が文部科学省分である: what a figure is said to be.
_SAID_TO_BE = re.compile(r"\s?が\s?(?P<name>[^、。がはをにでと\d]{2,20}?)(?:である|です|となっている|となる|だ)"
                         r"(?=[。、]|こと|と|から|ため|など|$)")
#: …を上限とする, …を限度とした: a ceiling of the noun that follows.
_CAPPED = re.compile(r"\s?を(?P<word>上限|限度)(?:と|に)(?:する|した|して)")
#: 56か国(…)が参加: a figure that is itself the subject of a verb.
_DOER = re.compile(r"\s?が\s?(?:[一-龥]{2,}(?:[。、]|する|した|して|し|$)|[^、。]{0,3}(?:参加|出席|受講|応募|来場|利用))")
#: A numeral followed by one of these is a date (1981年), not a figure of the phrase.
_DATE_AFTER = re.compile(r"\s?(?:年度?|月|日)")
#: A bracketed part of a name (補助(交付)率), dropped when the name is matched against words.
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
#: 2.輸出先国における…を支援 (up to a bracket): a numbered item of a list, all of it.
_LIST_ITEM = re.compile(r"(?:^|[/／。]\s?)(?:\d{1,2}[.．]|[①-⑳]|\(\d{1,2}\))(?P<item>[^/／。()（）:：]{2,80})$")
#: 制度開始以降, 事業開始時点: a phrase that ends as a time says when, not what.
_SINCE = re.compile(r"(?:以降|以来|以前|以後|当時|時点|現在|まで)$")
_VALUE_LABEL_END = re.compile(r"\s?[:：]\s?(?:" + "|".join(sorted(_WORDS["value_labels"], key=len, reverse=True))
                             + r")?\s?$")
#: A verb in its dictionary form ends in kana (支える, 行う); a verbal noun (参加) does not.
_PLAIN_VERB = re.compile(r"[ぁ-ん]$")
#: A concept that is one of these alone names nothing (原則, 過去, 割合約 after cleaning).
_NOT_CONCEPTS = frozenset(_WORDS["not_concepts"])
#: その結果有効求人倍率は: a word that links to the sentence before is no part of a name.
_CONNECTIVES = frozenset(_WORDS["connectives"])
#: における, に対して, に関する: verbs that only join a noun to another.
_FUNCTIONAL_VERBS = frozenset(resources.periods()["functional_verbs"])
_GENERIC_HEADS = frozenset(_WORDS["generic_heads"])
#: Qualifier words a label may drag along at its end (割合約, 補助額最大).
_TRAILING_QUALIFIER = re.compile(r"(?:約|およそ|概ね|おおむね|最大|最小|最低|延べ|計|合計|等|など)+$")
#: A time that labels an item of a series (2015年度:4,391千件、2016年度:…, 2023年44件).
_TIME = r"(?:(?:令和|平成|昭和|R|H)\s?(?:元|\d{1,2})|\d{4})\s?年度?(?:\s?\d{1,2}\s?月)?(?:末|時点)?"
#: 2022年に(は), 令和5年度(は): a time marked as a topic.
_TIME_TOPIC = re.compile(rf"{_TIME}(?:末|時点|現在)?\s?(?:に|で)?$")
_SERIES = re.compile(rf"(?:{_TIME}\s?[:：]?\s?[^、/。:：]{{1,20}}?、\s?)*{_TIME}\s?[:：]?\s?$")
_STATUS_WORDS = re.compile("|".join(w for ws in resources.periods()["status"].values() for w in ws)
                           + "|" + "|".join(resources.periods()["actual"]) + "|最終年度目標値")


def _is_noun_like(tok: Token) -> bool:
    """Nouns by the parser or by the dictionary (the parser now and then calls 死者数 a verb)."""
    return (tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith(("接尾辞", "接頭辞", "名詞-普通名詞-一般",
                                                                   "名詞-固有名詞"))
            or (tok.tag_.startswith("形状詞") and tok.i + 1 < len(tok.doc)  # 特殊詐欺: a stem in a compound
                and tok.doc[tok.i + 1].pos_ in ("NOUN", "PROPN") and tok.idx + len(tok.text) == tok.doc[tok.i + 1].idx)
            or tok.text in ("・", "等", "など") or tok.text in OTHER_WORDS)


def _is_content_start(tok: Token) -> bool:
    """A phrase starts with a content word, not with a particle, auxiliary or bound suffix."""
    return (tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "DET", "ADV")
            and not tok.tag_.startswith("接尾辞") and tok.text not in _QUALIFIER_WORDS)


def _is_predicate(tok: Token, loose: bool = False) -> bool:
    """A verb, or a サ変 noun used as one (実施した, a clause head; right after a figure, 2回開催)."""
    if tok.pos_ == "VERB":
        return True
    if tok.pos_ != "NOUN" or "サ変" not in tok.tag_:
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return loose or tok.dep_ in ("ROOT", "acl", "advcl") or (nxt is not None and nxt.lemma_ == "する")


def clean(text: str) -> str:
    """A concept as analysts read it: no spaces, no leading うち/の, never a bare scope or time word."""
    label = re.sub(r"\s+", "", text).strip("・").lstrip("の")
    label = re.sub(r"[(（][※*＊]\d{0,2}[)）]", "", label)  # 漁業者(※)の: a note mark
    label = re.sub(r"^(?:うち|の)+", "", label)
    label = re.sub(r"^(?:[IVX]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|\d{1,2}\.|[A-Z]\.)(?=[一-龥ァ-ヶ])", "", label)  # II外国人…, B.精神…
    stripped = _TRAILING_QUALIFIER.sub("", label)
    label = stripped if len(stripped) > 1 else label  # 推計 is no 推 + 計
    label = re.sub(r"(?<=[一-龥ァ-ヶー])の$", "", label)  # 地下鉄の路線延長の (not もの, その)
    if label.count("(") + label.count("（") != label.count(")") + label.count("）"):
        label = label.strip("()（）")  # 総合): a piece of a bracket is no part of a name
    if (label in SCOPE_WORDS or label in _QUALIFIER_WORDS or _TIME_WORDS.fullmatch(label)
            or _VALUE_LABEL.fullmatch(label) or _SINCE.search(label)):
        return ""
    return label


def _measure_of(q: Quantity) -> str:
    """What a figure of this unit measures after a predicate: 人数, 件数, 割合, 額, 日数."""
    if q.unit in ("人", "名"):
        return "人数"
    if q.kind in ("percent", "ratio") or q.unit == "%":
        return "割合"
    return _unit_measure(q)


def _unit_measure(q: Quantity) -> str:
    """The measure a unit names (円 → 額, km2 → 面積); a count's counter + 数 (部 → 部数)."""
    return _MEASURES.get(q.unit) or ("量" if q.kind == "physical" else (q.unit or "") + "数")


def _counts_unnamed(concept: str, q: Quantity) -> bool:
    """Whether a count's concept names what is counted but no measure of it (合同宿舎 + 69,724戸;
    not 指定件数(累計), not people or ages, which have their own measures)."""
    return (q.kind == "count" and q.unit not in ("人", "名", "歳")
            and not _BRACKETED.sub("", concept).endswith((*_MEASURE_ENDS, q.unit)))


def _measures_kind(phrase: str, q: Quantity) -> bool:
    """Whether a phrase that names a measure names one of the figure's kind (an 額 is money)."""
    for ends, kinds in _KIND_OF_MEASURE:
        if phrase.endswith(ends):
            return q.kind in kinds
    return False


def _start(q: Quantity) -> int:
    return q.prefix_start if q.prefix_start >= 0 else q.start


class ConceptFinder:
    """Concepts for the figures of one parsed cell, asked for in text order."""

    def __init__(self, index: DocIndex, quantities: Sequence[Quantity]) -> None:
        self.doc = index.doc
        self.text = index.text
        self.quantities = list(quantities)
        self.taken = [(q.start, q.end) for q in quantities]
        self._found: dict[int, str] = {}  # figure start → its concept, for figures listed in a row
        self._ends = index.ends
        self._starts = index.starts
        self._asides = pairs(self.text)
        self._naming: Quantity | None = None  # the figure being named
        self._verbal_nouns = frozenset(t.text for t in self.doc if "サ変" in t.tag_)  # 補助, 削減, 交付

    def in_aside(self, tok: Token, q: Quantity) -> bool:
        """Inside a bracketed aside that does not hold the figure: (区分ごとの…割合)."""
        return any(s < tok.idx < e and not s < q.start < e for s, e in self._asides)

    # -- token helpers -------------------------------------------------------------------
    def overlaps(self, tok: Token) -> bool:
        end = tok.idx + len(tok.text)
        return any(s < end and tok.idx < e for s, e in self.taken)

    def ending_at(self, pos: int) -> Token | None:
        """The last token that ends at or before ``pos``."""
        i = bisect.bisect_right(self._ends, pos) - 1
        return self.doc[i] if i >= 0 else None

    def token_range(self, start: int, end: int) -> slice:
        """The tokens that start in [start, end)."""
        return slice(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end))

    def starting_at(self, pos: int) -> Token | None:
        i = bisect.bisect_left(self._starts, pos)
        return self.doc[i] if i < len(self.doc) and self._starts[i] == pos else None

    # -- phrases -------------------------------------------------------------------------
    def label_before(self, pos: int) -> str:
        """The noun phrase that ends right at ``pos``: an item label such as その他の言語."""
        doc, tok = self.doc, self.ending_at(pos)
        if tok is None or self.text[tok.idx + len(tok.text):pos].strip(" "):
            return ""
        first: Token | None = None
        last = -1
        while tok is not None:
            gap = self.text[tok.idx + len(tok.text):(first.idx if first is not None else pos)]
            fragment = first is not None and last - first.idx == 1
            if gap and not (gap.isspace() and fragment):
                break  # a space ends a label, unless what follows it is a one-character piece (韓国 語)
            if self.overlaps(tok) or tok.text in _STOP_PUNCT or tok.text in _QUALIFIER_WORDS - OTHER_WORDS:
                break
            if fragment and tok.pos_ == "ADP":
                pass  # お茶のみ話: a one-character label is a piece of a longer name
            elif tok.text == "の":
                prev = doc[tok.i - 1] if tok.i > 0 else None
                if first is None or prev is None or not _is_noun_like(prev) or self.overlaps(prev):
                    break
            elif not (_is_noun_like(tok) or (tok.pos_ == "DET" and first is not None)):
                break
            if last < 0:
                last = tok.idx + len(tok.text)
            first = tok
            tok = doc[tok.i - 1] if tok.i > 0 else None
        return clean(self.text[first.idx:last]) if first is not None else ""

    def _numeral_in_word(self, tok: Token) -> bool:
        """死傷年千人率: a numeral glued between nouns is part of a word (not a list number: /6漁業者)."""
        prev = self.doc[tok.i - 1] if tok.i > 0 else None
        return (tok.dep_ == "compound" and prev is not None and _is_noun_like(prev) and not self.overlaps(prev)
                and prev.idx + len(prev.text) == tok.idx)

    def _note_before(self, closing: Token) -> Token | None:
        """The token before a note mark such as (※) or (※1) that ends at ``closing``."""
        opening = next((o for o, c in self._asides if c == closing.idx), -1)
        if opening < 0 or not re.fullmatch(r"[※*＊]\d{0,2}", self.text[opening + 1:closing.idx]):
            return None
        return self.ending_at(opening)

    def _threshold_start(self, tok: Token) -> Token | None:
        """The first token of the figure ``tok`` is part of, when that figure is a threshold
        (40年以上, 65歳以上, 30人未満); None otherwise."""
        figure = next((q for q in self.quantities if q.start <= tok.idx < max(q.end, q.suffix_end)), None)
        if figure is None or not figure.qualifiers & _THRESHOLDS or figure is self._naming:
            return None  # 年間400件以上のチラシデザインチェック: the figure named is no threshold of itself
        return self.starting_at(figure.start)

    def noun_phrase(self, tok: Token) -> str:
        """The phrase a noun heads: its run of nouns, with の-modifiers and a short relative clause."""
        doc = self.doc
        left = right = compound = nominal = tok
        subtree = {t.i for t in tok.subtree}
        while left.i > 0:
            prev = doc[left.i - 1]
            if prev.pos_ == "NUM" and not self.overlaps(prev) and prev.i in subtree and (
                    _DATE_AFTER.match(self.text, prev.idx + len(prev.text)) or not self._numeral_in_word(prev)):
                break  # 1981年の…以前に開業した地下街, 2予防接種…: the clause, without its date or list number
            if prev.tag_.startswith("助詞-係助詞") and prev.text == "は":
                break  # …事業については整備されていない自治体: a relative clause holds no topic
            if self.overlaps(prev) or (prev.pos_ == "NUM" and not self._numeral_in_word(prev)):
                bound = self._threshold_start(prev)
                if bound is not None and prev.i in subtree and tok.i - prev.i <= 12:
                    left = bound  # 築40年以上を経過したマンション: a threshold defines the class
                    continue
                left = nominal  # a clause about a figure (6会場に向かう…) does not name the noun
                break
            if prev.text in (")", "）") and (note := self._note_before(prev)) is not None:
                prev = note  # 経営改善漁業者(※)の…: a note mark is no boundary
                if prev.i in subtree or _is_noun_like(prev):
                    left = prev
                    continue
            if prev.text in _STOP_PUNCT or self.text[prev.idx + len(prev.text):left.idx]:
                break
            if _is_noun_like(prev) or (prev.i in subtree and tok.i - prev.i <= 12):
                left = prev
                if compound.i == prev.i + 1 and _is_noun_like(prev):
                    compound = prev
                if nominal.i == prev.i + 1 and (_is_noun_like(prev) or prev.text == "の"):
                    nominal = prev  # 人々の数: the の-chain of nouns, without the clause before it
            else:
                break
        while right.i + 1 < len(doc):
            nxt = doc[right.i + 1]
            if (not _is_noun_like(nxt) or nxt.text in OTHER_WORDS or self.overlaps(nxt)
                    or self.text[right.idx + len(right.text):nxt.idx] or _is_predicate(nxt)):
                break
            right = nxt
        while left.i < tok.i and (not _is_content_start(left) or left.text in _CONNECTIVES or left.dep_ == "fixed"
                                  or (left.pos_ != "NUM" and _TIME_WORDS.fullmatch(left.text)) or left.text == "まで"):
            left = doc[left.i + 1]  # …における, 2023年度までに…: what is left of a date or a case marker
        phrase = self.text[left.idx:right.idx + len(right.text)]
        phrase = _TIME_PREFIX.sub("", phrase)  # 2023年の畜産物輸出実績 → 畜産物輸出実績
        return clean(phrase)

    def marked_noun_before(self, pos: int, particles: frozenset[str]) -> Token | None:
        """The noun of 「補助金を16団体に」 or 「死者数は2,678人」: noun + particle right before."""
        particle = self.ending_at(pos)
        if particle is None or particle.text not in particles or particle.i == 0:
            return None
        if self.text[particle.idx + len(particle.text):pos].strip():
            return None
        noun = self.doc[particle.i - 1]
        if noun.text in (")", "）"):  # 認知件数(以下「総認知件数」という。)は21,043件: past the aside
            opening = next((o for o, c in self._asides if c == noun.idx), None)
            noun = self.ending_at(opening) if opening is not None else None
            if noun is None or noun.idx + len(noun.text) != opening:
                return None
        return noun if _is_noun_like(noun) and not self.overlaps(noun) else None

    def verb_phrase(self, verb: Token, q: Quantity) -> str:
        """The verb with what it acts on: the category of 「…」として選定, else its object."""
        for child in verb.children:
            end = child.idx + len(child.text)
            if child.dep_ == "obl" and not self.overlaps(child) and _AS_CATEGORY.match(self.text, end):
                return clean(self.noun_phrase(child) + (verb.lemma_ if verb.pos_ == "VERB" else verb.text))
        objects = [c for c in verb.children if c.dep_ == "obj" and not self.overlaps(c)]
        obj = max(objects, key=lambda c: c.i) if objects else None  # the nearest: AをBし、CをD
        if obj is None:
            obj = self.marked_noun_before(_start(q), frozenset({"を"}))
        if verb.pos_ == "VERB" and _PLAIN_VERB.search(verb.lemma_):  # …を支える人数: with the counter
            return clean((self.noun_phrase(obj) + "を" if obj is not None else "") + verb.lemma_ + _measure_of(q))
        if verb.pos_ == "VERB":  # 参加, 開催: a verbal noun; measured() adds what it counts
            return clean((self.noun_phrase(obj) if obj is not None else "") + verb.lemma_)
        target = None if obj is not None else next(
            (c for c in verb.children if c.dep_ == "obl" and not self.overlaps(c) and not self.in_aside(c, q)
             and self.text.startswith("に", c.idx + len(c.text)) and not _TIME_WORDS.fullmatch(c.text)), None)
        if target is not None and self.noun_phrase(target):  # 食糧不安に直面する人数
            return clean(self.noun_phrase(target) + "に" + verb.text + "する" + _measure_of(q))
        done = self.doc[verb.i + 1].text if verb.i + 1 < len(self.doc) else ""
        word = verb.text + ("済" if done.startswith("済") else "")  # 26,000km2を整備済: what is done so far
        return clean((self.noun_phrase(obj) if obj is not None else "") + word)

    # -- strategies ----------------------------------------------------------------------
    def listed_after(self, q: Quantity) -> str:
        """定率補助1/2上限10百万円, 3食3日分: a figure right after another shares its item's concept."""
        start = _start(q)
        for prev in reversed(self.quantities):
            if prev.start < q.start and max(prev.end, prev.suffix_end) <= start:
                between = re.sub(r"[⇒→➡、]", "", self.text[max(prev.end, prev.suffix_end):start])
                if not between.strip() or _VALUE_LABEL.fullmatch(between) or _EQUIVALENT.fullmatch(between):
                    found = self._found.get(prev.start, "")  # H22:108万4千人→R6:120万人, 92.2%(R5)、91.4%(R6)
                    rate = prev.kind == "ratio" and found and not _RATE_NOUN.search(found)
                    return found + "率" if rate else found  # 定率補助1/2上限10百万円: the ceiling of a rate's aid
                return ""
        return ""

    def item_label(self, q: Quantity) -> str:
        """The label right before the figure, unless it is a basis of comparison (全産業対比62時間)
        or a place the figures are counted in (石川県内6市町 → 石川県内の市町数)."""
        label = self.label_before(_start(q))
        if q.unit in _CLASS_COUNTERS and re.search(r"(?:等|など)\s?$", self.text[:_start(q)]):
            return ""  # …一般幹部候補生等14種目: examples of the class counted, not its name
        if _BASIS.search(label):  # 実労働時間において全産業対比62時間: the measure before the basis
            return self.measure_before(_start(q) - len(label))
        if q.kind == "count" and _PLACE.search(label) and q.unit not in ("人", "名", "件"):
            return f"{label}の{_unit_measure(q)}"
        return label

    def apposition(self, q: Quantity, sentence_start: int) -> str:
        """計画目標である38,000km2, 目標値である14日: the noun the figure is said to be names it;
        a value word (目標値) is the value of the sentence's topic (書類審査期間の目標値)."""
        before = self.text[:_start(q)].rstrip(" ")
        if not before.endswith("である"):
            return ""
        noun = self.ending_at(len(before) - 3)
        if noun is None or noun.idx + len(noun.text) != len(before) - 3 or not _is_noun_like(noun) or self.overlaps(noun):
            return ""
        phrase = self.noun_phrase(noun) or noun.text  # 目標値: a value word, which clean() drops
        if not phrase.endswith((*_MEASURE_ENDS, *_VALUE_NOUNS)):
            return ""  # 主たる要素である1つの契約: a description of what the figure counts
        if phrase in _NOT_CONCEPTS or _VALUE_LABEL.fullmatch(phrase):
            topic = self.topic(q, sentence_start)
            return f"{topic}の{phrase}" if topic else ""
        return phrase

    def changed_object(self, q: Quantity) -> str:
        """CO2排出量を2030年度において2013年度比46%削減, 気候資金の供与を…2倍にする: a change names
        the object of its verb, however far before it in the clause."""
        verb_at = self._after_aside(q) if q.kind == "percent" else q.end  # 収入を3%程度(月額9,000円)引き上げる
        if q.kind not in ("delta", "percent") or not _CHANGE_VERB.match(self.text, verb_at):
            return ""
        clause = max(self.text.rfind(ch, 0, _start(q)) for ch in "、。「(（") + 1
        marker = self.masked(clause, _start(q)).rfind("を")
        noun = self.ending_at(clause + marker) if marker >= 0 else None
        if noun is None or noun.idx + len(noun.text) != clause + marker or not _is_noun_like(noun) or self.overlaps(noun):
            return ""
        return self.noun_phrase(noun)

    def said_to_be(self, q: Quantity) -> str:
        """…のうち18,941,555千円が文部科学省分である: the noun a figure is said to be names it."""
        m = _SAID_TO_BE.match(self.text, max(q.end, q.suffix_end))
        last = self.ending_at(m.end("name")) if m else None
        if last is None or not _is_noun_like(last) or "形状詞" in last.tag_:
            return ""  # 約57万人が必要となっている: a state, not a name
        name = clean(m.group("name"))
        return f"{name}の割合" if q.kind == "percent" and name and not _RATE_NOUN.search(name) else name

    def capped(self, q: Quantity) -> str:
        """月額21万円を上限とする修学資金: a ceiling of the noun it qualifies, with the figure's label."""
        m = _CAPPED.match(self.text, q.end)
        noun = self.starting_at(m.end()) if m else None
        if noun is None or not _is_noun_like(noun) or self.overlaps(noun):
            return ""
        while noun.i + 1 < len(self.doc) and _is_noun_like(self.doc[noun.i + 1]) and not self.overlaps(self.doc[noun.i + 1]):
            noun = self.doc[noun.i + 1]
        label = self.label_before(_start(q))
        return clean(f"{self.noun_phrase(noun)}の{label}{m.group('word')}")

    def subject_before(self, q: Quantity) -> str:
        """交通事故死者数は2,678人; 70歳以上が56.7% (a population named by a figure); 裁判数は、
        それぞれ190件 (past an adverb that distributes or sums)."""
        start = _start(q)
        if gap := _ADVERB_GAP.search(self.text, max(0, start - 12), start):
            start = gap.start()
        particle = self.ending_at(start)
        if particle is not None and particle.text in _TOPIC_PARTICLES and particle.i > 0:
            figure = next(((s, e) for s, e in self.taken if s <= self.doc[particle.i - 1].idx < e
                           or e == self.doc[particle.i - 1].idx), None)
            if figure is not None and self.doc[particle.i - 1].text in _QUALIFIER_WORDS | {"以上", "以下"}:
                return re.sub(r"\s+", "", self.text[figure[0]:particle.idx])
        noun = self.marked_noun_before(start, _TOPIC_PARTICLES)
        if noun is None or _DOER.match(self.text, self._after_aside(q)):
            return ""  # OECD開発センターは、56か国(…)が参加: the figure is the subject, the topic its owner
        phrase = self.noun_phrase(noun)
        return self.shared_modifier(phrase, noun) if phrase else ""

    def _after_aside(self, q: Quantity) -> int:
        """Where the text after the figure goes on, past a bracket right after it."""
        end = max(q.end, q.suffix_end)
        if self.text.startswith(("(", "（"), end):
            return next((c + 1 for o, c in self._asides if o == end), end)
        return end

    def shared_modifier(self, phrase: str, noun: Token) -> str:
        """覚醒剤の摘発件数は296件…、押収量は約1,978キロ: a second topic of the sentence, bare,
        shares the first topic's の-modifier (覚醒剤の押収量)."""
        if "の" in phrase:
            return phrase
        clause = max(self.text.rfind("、", 0, noun.idx), self.text.rfind("。", 0, noun.idx))
        sentence = self.text.rfind("。", 0, clause) + 1 if clause >= 0 else 0
        if clause < 0 or self.text[clause] == "。":
            return phrase
        for tok in self.doc[self.token_range(sentence, clause)]:
            if tok.text in ("は", "が") and tok.pos_ == "ADP" and tok.i > 0:
                first = self.noun_phrase(self.doc[tok.i - 1])
                owner = first.rpartition("の")[0]
                if owner and not first.endswith(phrase) and not _TIME_WORDS.fullmatch(owner):
                    return f"{owner}の{phrase}"
                return phrase
        return phrase

    def measure_before(self, start: int) -> str:
        """末端価格にして約1,226億円, 通常使用量で約6,593万回分: the measure a figure (at ``start``) is given in."""
        for marker in ("にして", "において", "で"):
            if self.text.startswith(marker, start - len(marker)):
                noun = self.ending_at(start - len(marker))
                if (noun is not None and noun.idx + len(noun.text) == start - len(marker)
                        and _is_noun_like(noun) and not self.overlaps(noun)):
                    phrase = self.noun_phrase(noun)  # 世界で約3億人 names a place, not a measure
                    return phrase if phrase.endswith(_MEASURE_ENDS) else ""
        return ""

    def whole_before(self, q: Quantity) -> str:
        """自治体全体の約7割, 世帯主の55%: a share names the whole it is a share of."""
        if q.kind not in ("percent", "ratio"):
            return ""
        noun = self.marked_noun_before(_start(q), frozenset({"の"}))
        if noun is None:
            return ""
        if q.unit == "倍" or self.text.endswith("倍", q.start, q.end):  # 全産業の2倍, 鋼鉄の5倍以上の強度: the noun is the base compared with, not a whole
            return self.compared_measure(q, self.noun_phrase(noun))
        if q.kind == "ratio" and (paid := _PAID_SHARE.match(self.text, max(q.end, q.suffix_end))):
            return paid.group("verb") + "率"  # 経費の1/2以内を補助: the rate of the aid, not the cost
        if _OCCUPIES.match(self.text, max(q.end, q.suffix_end)) or noun.text in SCOPE_WORDS:  # …が全体の約7%を占める
            part = self.subject_of_sentence(q)
            if part:
                return f"{part}の割合"
        return self.noun_phrase(noun)

    def compared_measure(self, q: Quantity, base: str) -> str:
        """A multiple of another group's figure measures the noun it modifies (5倍以上の強度) or the
        sentence's subject (有効求人倍率は全産業の2倍), against that group (…の全産業比)."""
        end = max(q.end, q.suffix_end)
        measure = ""
        if self.text.startswith("の", end) and (noun := self.starting_at(end + 1)) is not None:
            head = noun
            while head.i + 1 < len(self.doc) and _is_noun_like(self.doc[head.i + 1]) and not self.overlaps(self.doc[head.i + 1]):
                head = self.doc[head.i + 1]
            measure = self.noun_phrase(head) if _is_noun_like(head) and not self.overlaps(head) else ""
        measure = measure or self.subject_of_sentence(q)
        return f"{measure}の{base}比" if measure and base else measure

    def subject_of_sentence(self, q: Quantity) -> str:
        """The noun marked with が or は nearest before the figure in its clause chain."""
        sentence = self.text.rfind("。", 0, q.start) + 1
        for tok in reversed(self.doc[self.token_range(sentence, _start(q))]):
            if tok.text in ("が", "は") and tok.pos_ == "ADP" and tok.i > 0 and _is_noun_like(self.doc[tok.i - 1]):
                return self.noun_phrase(self.doc[tok.i - 1])
        return ""

    def named_as(self, q: Quantity) -> str:
        """森林吸収量目標として約3,800万t-CO2, 約1兆6,644億円を支援額として: the measure a figure is
        stated as (not a role: 友好都市として2社)."""
        start = _start(q)
        after = re.match(r"\s?を\s?([^、。をとし]{2,15})として", self.text[max(q.end, q.suffix_end):])
        if after:
            end = max(q.end, q.suffix_end) + after.end(1)
        elif self.text[:start].rstrip().endswith("として"):
            end = self.text[:start].rstrip().rfind("として")
        else:
            return ""
        tok = self.ending_at(end)
        phrase = self.noun_phrase(tok) if tok is not None and _is_noun_like(tok) and not self.overlaps(tok) else ""
        return phrase if phrase.endswith((*_MEASURE_ENDS, "目標", "目標値")) else ""  # 友好都市として2社: a role

    def colon_label(self, q: Quantity, sentence_start: int, strict: bool) -> str:
        """The label of a 「label：figures」 list; ``strict`` wants only figures after the colon."""
        start = _start(q)
        colons = [m.start() for m in _COLON.finditer(self.text, sentence_start, start)]
        if not colons:
            return ""
        colon = colons[-1]
        if strict and not _LIST_FILLER.fullmatch(self.masked(colon + 1, start)):
            return ""
        phrase, whole = self.phrase_ending_at(colon), _TIME_PREFIX.sub("", self.label_before(colon))
        if phrase and whole.endswith(phrase):
            phrase = whole  # a label runs back to the separator before it, whatever the parse says
        label = phrase or whole or self.name_with_bracket(colon)
        return label or self.owner_before(colon)

    def name_with_bracket(self, pos: int) -> str:
        """受講者の満足度（大変満足＋満足）：… — a label whose name ends in a bracketed qualifier."""
        before = self.text[:pos].rstrip(" ")
        if not before.endswith((")", "）")):
            return ""
        opening = max(before.rfind("("), before.rfind("（"))
        inner = before[opening + 1:-1]
        name = self.phrase_ending_at(opening) if opening > 0 else ""
        return clean(f"{name}（{inner}）") if name and 0 < len(inner) <= 20 else ""

    def line_label(self, q: Quantity, sentence_start: int) -> str:
        """・ごみ処理量 49万トン（令和6年度）: a figure that opens its line takes the label line before it
        (a short line without a figure or a full stop)."""
        if self.text[sentence_start:_start(q)].strip(" ・〇○●■□◆◇-") or sentence_start == 0:
            return ""
        line_start = max(self.text.rfind(ch, 0, sentence_start - 1) for ch in " 。\n") + 1
        line = self.text[line_start:sentence_start].strip()
        if not line or len(line) > 40 or line.endswith("。") or any(line_start <= s < sentence_start for s, _ in self.taken):
            return ""
        label = line.lstrip("・〇○●■□◆◇- ")
        label = re.sub(r"^【[^】]*】", "", label)
        label = _VALUE_LABEL_END.sub("", label)  # …満足度(大変満足+満足):実績
        return clean(label) if label and not _VALUE_LABEL.fullmatch(label) else ""

    def owner_before(self, pos: int) -> str:
        """入込観光客数（宿泊）R6年度目標値：…, 子育て環境満足度（R6：75.0%）: past a label that only
        says which value (a time, 目標値), the indicator it is a value of."""
        m = _VALUE_LABEL.search(self.text, max(0, pos - 20), pos)
        if m is None or m.end() != pos:
            return ""
        end = m.start()
        while end < pos and self.text[end] in ")）":  # （日帰り）R6年度目標値: the bracket is the name's
            end += 1
        while end > 0 and self.text[end - 1] in "(（":
            end -= 1
        if self.text[end - 1:end] in (")", "）"):  # 入込観光客数（宿泊）: the name with its qualifier
            opening = self.text.rfind("（" if self.text[end - 1] == "）" else "(", 0, end - 1)
            name = self.phrase_ending_at(opening) if opening > 0 else ""
            inner = self.text[opening + 1:end - 1]
            return clean(f"{name}（{inner}）") if name and len(inner) <= 12 else name
        return self.phrase_ending_at(end)

    def phrase_ending_at(self, pos: int) -> str:
        """The noun phrase that ends at ``pos``, with its relative clause (公共交通が便利と感じる市民の割合)."""
        tok = self.ending_at(pos)
        if tok is None or tok.idx + len(tok.text) != pos or not _is_noun_like(tok) or self.overlaps(tok):
            return self.label_before(pos)
        return self.noun_phrase(tok) or self.label_before(pos)

    def following_predicate(self, q: Quantity) -> str:
        """42,444名参加, 2回開催, 2社出展: a verb right after the figure (or after figures listed with it).

        A change carries its verb (CO2排出量を…46%削減): its object names what changed.
        """
        if q.kind == "delta":
            verb = next((t for t in self.doc[self.token_range(q.end, q.suffix_end)]
                         if _is_predicate(t, loose=True)), None)
            if (verb is not None and verb.lemma_ not in _COMPARATIVE_VERBS
                    and any(c.dep_ == "obj" for c in verb.children)):
                return self.verb_phrase(verb, q)
        pos = max(q.suffix_end, q.end)
        while True:
            while pos < len(self.text) and self.text[pos] == " ":
                pos += 1
            nxt = next(((s, e) for s, e in self.taken if s == pos), None)
            if nxt is None:
                break
            pos = nxt[1]
        tok = self.starting_at(pos)
        if (tok is None or not _is_predicate(tok, loose=True) or tok.lemma_ in LINKING_VERBS
                or tok.text in _QUALIFIER_WORDS):
            return ""
        return self.verb_phrase(tok, q)

    def rate_noun(self, q: Quantity, sentence_start: int) -> str:
        """For a percentage or a fraction: the nearest earlier noun naming a rate (補助率, 高齢化率)."""
        if q.kind not in ("percent", "ratio") and q.unit not in ("%", "倍"):
            return ""
        for tok in reversed(self.doc[self.token_range(sentence_start, _start(q))]):
            if (_is_noun_like(tok) and _RATE_NOUN.search(tok.text) and not self.overlaps(tok)
                    and not self.in_aside(tok, q)):
                return self.noun_phrase(tok)
        return ""

    def anchor(self, q: Quantity) -> Token | None:
        """The token that carries the figure in the parse: its counter, or a qualifier after it."""
        tok = self.ending_at(q.end)
        end = max(q.suffix_end, q.end)
        while tok is not None and tok.head.i != tok.i and (
                q.start <= tok.head.idx < end or tok.head.text in _QUALIFIER_WORDS):
            tok = tok.head
        return tok

    def from_parse(self, q: Quantity) -> str:
        """Concept from the dependency parse around the figure."""
        tok = self.anchor(q)
        if tok is None:
            return ""
        for child in tok.children:
            if child.dep_ == "nsubj" and not self.overlaps(child) and not self.in_aside(child, q):
                return self.noun_phrase(child)
        opening = self._bracket_of(q)
        if opening >= 0 and _TIME_WORDS.fullmatch(re.sub(r"[\sでにの]", "", self.text[opening + 1:_start(q)]) or "年"):
            before = self.ending_at(opening)  # 整備されていない自治体(2025年5月12日時点で27箇所)
            before = before if before is not None and before.idx + len(before.text) == opening else None
            if (before is not None and before.pos_ == "NOUN" and not self.overlaps(before)
                    and not any(c.dep_ == "obj" for c in before.children)):
                return self.noun_phrase(before)  # 理解促進(300時間程度): a name, not an action
            if before is not None and _is_predicate(before, loose=True) and before.lemma_ not in LINKING_VERBS:
                return self.verb_phrase(before, q)
            if before is not None and _is_noun_like(before) and not self.overlaps(before):
                return self.noun_phrase(before)
        head = tok.head
        while head.i != head.head.i and (self.overlaps(head) or head.text in _QUALIFIER_WORDS):
            head = head.head
        if head.i != tok.i and _is_predicate(head):
            if head.lemma_ in LINKING_VERBS:
                subj = next((c for c in head.children if c.dep_ == "nsubj" and not self.overlaps(c)), None)
                return self.noun_phrase(subj) if subj is not None else ""
            if tok.dep_ == "nsubj":
                return self.verb_phrase(head, q)
            if head.dep_ == "acl" and not any(c.dep_ == "obj" for c in head.children) and head.head.i > head.i:
                return self.noun_phrase(head.head)
            return self.verb_phrase(head, q)
        if head.i > tok.i and _is_noun_like(head) and not self.overlaps(head) and not self.in_aside(head, q):
            if (q.kind == "percent" or (q.unit in ("人", "名") and "サ変" not in head.tag_)) \
                    and head.dep_ == "nsubj" and head.head.i > head.i \
                    and _is_predicate(head.head) and head.head.lemma_ not in LINKING_VERBS:
                return self.doing_share(head, head.head, "の割合" if q.kind == "percent" else "数")  # 50%の農地が…
            return self.noun_phrase(head)
        noun = self.marked_noun_before(_start(q), frozenset({"を"}))
        return self.noun_phrase(noun) if noun is not None else ""

    def doing_share(self, noun: Token, verb: Token, measure: str = "の割合") -> str:
        """The share (or count) of ``noun`` that does what ``verb`` says, with what the verb
        takes: 営農再開をはたす農地の割合, 洪水浸水想定区域内に位置する地下街の割合,
        医療へのアクセス困難に直面する住民数."""
        base = verb.lemma_ if verb.pos_ == "VERB" and _PLAIN_VERB.search(verb.lemma_) else verb.text + "する"
        marker = self.doc[noun.i + 1] if noun.i + 1 < verb.i else None
        between = self.text[marker.idx + len(marker.text):verb.idx] if marker is not None else ""
        if marker is not None and marker.text == "が" and 0 < len(between) <= 40 and not re.search(r"[、。]", between):
            action = between + base
        else:
            obj = next((c for c in verb.children if c.dep_ == "obj" and not self.overlaps(c)), None)
            action = (self.noun_phrase(obj) + "を" if obj is not None else "") + base
        return clean(f"{action}{self.noun_phrase(noun)}{measure}")

    def topic(self, q: Quantity, sentence_start: int) -> str:
        """The nearest earlier subject or topic (noun + は/が/も) in the sentence."""
        for tok in reversed(self.doc[self.token_range(sentence_start, _start(q))]):
            nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
            if tok.text in ("も", "は") and nxt is not None and nxt.lemma_ in ("ある", "有る", "ない", "無い"):
                continue  # 個体数の減少もあり, 増加傾向にはある: a cause or a state, not the topic
            if tok.text in _TOPIC_PARTICLES and tok.pos_ == "ADP" and tok.i > 0:
                noun = self.topic_noun(tok)
                if _is_noun_like(noun) and not self.overlaps(noun) and not self.in_aside(noun, q):
                    phrase = self.noun_phrase(noun)
                    if phrase:
                        return phrase
        return ""

    def topic_noun(self, particle: Token) -> Token:
        """The noun a topic particle marks: past a case marker (受入数については, 運輸部門では) or an
        aside (書類審査期間(決裁起案から…まで)は)."""
        noun = self.doc[particle.i - 1]
        while noun.i > 0 and particle.i - noun.i <= 4 and noun.dep_ in ("fixed", "case", "mark"):
            noun = self.doc[noun.i - 1]
        if noun.text in (")", "）"):
            noun = self.marked_noun_before(particle.idx + len(particle.text), frozenset({particle.text})) or noun
        return noun

    def concept(self, q: Quantity, sentence_start: int) -> tuple[str, str]:
        """The best concept for one figure and the rule that gave it."""
        self._naming = q
        strategies: list[tuple[str, Callable[[], str]]] = [
            ("parameter", lambda: self.bracket_parameter(q)),
            ("budget", lambda: self.budget_tag(q)),
            ("heading", lambda: self.list_heading(q)),
            ("series", lambda: self.series_heading(q)),
            ("quoted", lambda: self.quoted_item(q)),
            ("line", lambda: self.line_label(q, sentence_start)),
            ("capped", lambda: self.capped(q)),
            ("label", lambda: self.item_label(q)),
            ("colon", lambda: self.colon_label(q, sentence_start, strict=True)),
            ("listed", lambda: self.listed_after(q)),
            ("bracket", lambda: self.bracket_label(q)),
            ("apposition", lambda: self.apposition(q, sentence_start)),
            ("changed", lambda: self.changed_object(q)),
            ("subject", lambda: self.subject_before(q)),
            ("is", lambda: self.said_to_be(q)),
            ("whole", lambda: self.whole_before(q)),
            ("as", lambda: self.named_as(q)),
            ("measure", lambda: self.measure_before(_start(q))),
            ("verb", lambda: self.following_predicate(q)),
            ("set_to", lambda: self.set_to(q)),
            ("rate", lambda: self.rate_noun(q, sentence_start)),
            ("parse", lambda: self.from_parse(q)),
            ("topic", lambda: self.topic(q, sentence_start)),
            ("colon", lambda: self.colon_label(q, sentence_start, strict=False)),
        ]
        for method, find in strategies:
            text = self.usable(find(), q, sentence_start)
            if text:
                self._found[q.start] = text  # a figure listed next shares the words, not the measure
                if q.kind == "money" and _RATE_NOUN.search(text):  # 補助率1/2上限10百万円: the aid's ceiling
                    text = _RATE_NOUN.sub("", text) + ("上限額" if "at_most" in q.qualifiers else "額")
                return self.scheme_owner(self.measured(text, q, sentence_start, bare=method in _ITEM_METHODS),
                                         q), method
        for method, find in (("carried", lambda: self.carried_topic(q, sentence_start)),
                             ("predicate", lambda: self.predicate_after(q)),
                             ("nearest", lambda: self.nearest_noun(q, sentence_start))):
            text = self.usable(find(), q, sentence_start)
            if text:
                return text, method
        return "", "none"

    def listed_items(self, concepts: list[tuple[str, str]], quantities: Sequence[Quantity],
                     sentences: Sequence[tuple[int, int]]) -> list[tuple[str, str]]:
        """The items of a list each carry their label and the list's measure (guidelines,
        "Naming the concept"): 第1子に5,000円、第2子に10,000円を支給 → 支給額（第1子）, 支給額（第2子）;
        助成額は、小学生2,000円、中学生3,000円 → 助成額（小学生）. A list is two or more figures of
        one sentence, each after its own label, joined by 、 or a space."""
        out = list(concepts)
        runs: list[list[int]] = []
        for i, q in enumerate(quantities):
            previous = quantities[i - 1] if i else None
            joined = previous is not None and sentence_of(sentences, q.start) == sentence_of(sentences, previous.start) \
                and _LIST_JOIN.fullmatch(self.text, max(previous.end, previous.suffix_end), _start(q)) is not None
            if joined and runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            labels = [_ITEM_PARTICLE.sub("", _words_before(self.text, max(quantities[i - 1].end, quantities[i - 1].suffix_end)
                                                          if i else 0, _start(quantities[i]))) for i in run]
            if len(run) < 2 or len(set(labels)) < len(labels) or any(
                    quantities[i].kind == "delta" or not _ITEM_WORD.fullmatch(label) or _TIME_IN_LABEL.search(label)
                    for i, label in zip(run, labels)):  # 本年度は350人、来年度は400人: times, not items
                continue
            names = {out[i][0] for i in run}
            measure = names.pop() if len(names) == 1 else ""
            if not measure or measure in labels:
                topic = self.topic(quantities[run[0]], sentence_of(sentences, quantities[run[0]].start)[0])
                measure = topic if topic.endswith(_MEASURE_ENDS) else ""
            if measure:
                for i, label in zip(run, labels):
                    if label not in out[i][0] or out[i][0] == label:
                        out[i] = (f"{measure}（{label}）", f"{out[i][1]}+list")
        return out

    def scheme_owner(self, concept: str, q: Quantity) -> str:
        """…就学促進事業(補助率1/3以内), …連携事業:定率補助2/3、上限15百万円: a scheme's parameter
        (補助率, 上限) is named with the scheme it belongs to, the item the bracket or colon follows."""
        if not _SCHEME_PARAMETER.search(_BRACKETED.sub("", concept)) or "の" in concept:
            return concept
        start = _start(q)
        lenticular = self.text.rfind("【", 0, start)  # …事業【国費率1/2、2/5等】
        opening = max(self._bracket_of(q), lenticular if "】" not in self.text[lenticular:start] else -1)
        inner_colon = max(self.text.rfind(":", opening + 1, start), self.text.rfind("：", opening + 1, start))
        colon = inner_colon if opening >= 0 and inner_colon > opening else max(
            self.text.rfind(":", 0, opening if opening >= 0 else start),
            self.text.rfind("：", 0, opening if opening >= 0 else start))
        anchors = [a for a in (colon, opening) if a >= 0 and not re.search(r"[。/／]", self.masked(a, start))]
        if opening >= 0 and colon == inner_colon and colon in anchors:  # (複数の市区町村による連携事業:定率補助2/3、…)
            label = clean(self.text[max(opening, self.text.rfind("、", opening, colon)) + 1:colon])
            if 0 < len(label) <= 30 and not _SCHEME_PARAMETER.search(_BRACKETED.sub("", label)):
                return f"{label}の{concept}"
        owner = next((label for a in anchors if (label := self.list_item_ending_at(a)) and label not in concept
                      and not _SCHEME_PARAMETER.search(_BRACKETED.sub("", label))), "")
        paid = next((v for v in _PAID_VERBS if owner.endswith(v) and concept.startswith(v)), "")
        if paid:  # …経費の一部を補助(10分の5) → …経費の補助率
            owner = re.sub(r"(?:の一部)?を?$", "", owner[:-len(paid)])
        return f"{owner}の{concept}" if owner and owner != concept and owner not in _NOT_CONCEPTS else concept

    def _bracket_of(self, q: Quantity) -> int:
        """Where the innermost bracket that holds the figure opens; -1 outside brackets."""
        start = _start(q)
        return max((o for o, c in self._asides if o < start < c), default=-1)

    def bracket_parameter(self, q: Quantity) -> str:
        """(補助率:定額、1/2以内), (補助(交付)率:2/5), (定額、1/2), 経費の一部を補助(10分の5): a fraction
        in the bracket that follows a scheme is its aid rate; a label before a colon names every
        value of the bracket."""
        opening = self._bracket_of(q)
        if q.kind != "ratio" or opening < 0:
            return ""
        inner = self.text[opening + 1:_start(q)]
        label = re.match(r"\s?(?P<name>[^:：、]{1,12}?)\s?[:：]", inner)
        if label and _SCHEME_PARAMETER.search(_BRACKETED.sub("", label.group("name"))):
            return clean(label.group("name"))
        if (re.fullmatch(r"(?:定額|定率|[\s、,・])*", inner)
                and re.search(r"定額|定率", self.text[opening:self._closing(opening)])):
            return "補助率"
        paid = self.ending_at(opening)
        if not inner.strip() and paid is not None and paid.text in _PAID_VERBS:
            return paid.text + "率"
        return ""

    def _closing(self, opening: int) -> int:
        return next(c for o, c in self._asides if o == opening)

    def masked(self, start: int, end: int) -> str:
        """text[start:end] with the figures blanked (2/3 is no list separator)."""
        chars = list(self.text[start:end])
        for s, e in self.taken:
            for k in range(max(s, start), min(e, end)):
                chars[k - start] = " "
        return "".join(chars)

    def list_item_ending_at(self, pos: int) -> str:
        """2.輸出先国における基準…、設備の改良等を支援(補助率:…): a numbered item's whole text names
        the scheme; elsewhere the noun phrase before ``pos``."""
        phrase = self.phrase_ending_at(pos)
        item = _LIST_ITEM.search(self.text, 0, pos)
        if item is None or not phrase:
            return phrase
        whole = clean(item.group("item"))
        return whole if whole.endswith(phrase) else phrase

    def quoted_item(self, q: Quantity) -> str:
        """「正しく使用すれば安全だと思う43.9%」: a figure that closes a quoted item is the share of it."""
        end = max(q.end, q.suffix_end)
        if not self.text.startswith(("」", "』"), end):
            return ""
        opening = max(self.text.rfind("「", 0, q.start), self.text.rfind("『", 0, q.start))
        inner = self.text[opening + 1:_start(q)].strip()
        if opening < 0 or not inner or len(inner) > 40 or re.search(r"[「」『』。\d]", inner):
            return ""
        inner = re.sub(r"\s+", "", inner)
        return inner + "割合" if q.kind == "percent" and _PLAIN_VERB.search(inner) else inner  # …と思う割合

    def bracket_label(self, q: Quantity) -> str:
        """(相談件数)28,401件, 「従業員数の確保難」(19.9%), 後継者の育成(経営管理面)(43.7%): a label in
        brackets right before the figure, or a quoted item right before the bracket that holds it."""
        start = _start(q)
        before = self.text[:start].rstrip(" ")
        if before.endswith(("(", "（")):
            before = before[:-1].rstrip(" ")
        if not before.endswith((")", "）", "」", "』")):
            return ""
        close = len(before) - 1
        opening = {")": "(", "）": "（", "」": "「", "』": "『"}[before[-1]]
        start_label = before.rfind(opening, 0, close)
        inner = before[start_label + 1:close]
        if start_label < 0 or not inner or len(inner) > 30 or re.search(r"\d", inner):
            return ""
        if before[-1] in ")）":  # 育成(経営管理面): the item before its qualifier
            name = self.label_before(start_label)
            return clean(f"{name}（{inner}）") if name else clean(inner)
        return clean(inner)

    def nearest_noun(self, q: Quantity, sentence_start: int) -> str:
        """Last resort: the nearest noun phrase before the figure in its sentence."""
        for tok in reversed(self.doc[self.token_range(sentence_start, _start(q))]):
            if (_is_noun_like(tok) and not self.overlaps(tok) and tok.text not in _NOT_CONCEPTS
                    and not _TIME_WORDS.fullmatch(tok.text) and not _VALUE_LABEL.fullmatch(tok.text)):
                phrase = self.noun_phrase(tok)
                if phrase and phrase not in _NOT_CONCEPTS:
                    return phrase
        return ""

    def usable(self, text: str, q: Quantity, sentence_start: int) -> str:
        """``text`` if it names something; a generic measure alone (割合) takes the sentence's
        topic (…の割合); a word that says how or when (原則, 過去) is no concept."""
        if not text or text in _NOT_CONCEPTS or text.endswith(_PURPOSE):
            return ""  # 人手不足に対応するため: a purpose, not a measure
        if text in _GENERIC_HEADS:
            topic = self.topic(q, sentence_start)
            return f"{topic}の{text}" if topic and topic not in _NOT_CONCEPTS | _GENERIC_HEADS else ""
        return text

    def carried_topic(self, q: Quantity, sentence_start: int) -> str:
        """…受入数については、…約31万人となった。しかしながらその後、…約23万人まで減少し: a sentence
        with no topic or subject before its figure goes on about the topic of the sentence before."""
        if sentence_start == 0 or any(
                t.text in _TOPIC_PARTICLES and t.pos_ == "ADP" and not _TIME_TOPIC.search(self.text, 0, t.idx)
                for t in self.doc[self.token_range(sentence_start, _start(q))]):
            return ""  # 2022年には is a time, not a topic
        previous = self.text.rfind("。", 0, sentence_start - 1) + 1
        for tok in self.doc[self.token_range(previous, sentence_start)]:
            if tok.text == "は" and tok.pos_ == "ADP" and tok.i > 0:
                noun = self.topic_noun(tok)
                phrase = self.noun_phrase(noun) if _is_noun_like(noun) and not self.overlaps(noun) else ""
                return phrase if _measures_kind(phrase, q) else ""
        return ""

    def budget_tag(self, q: Quantity) -> str:
        """/1介護労働講習:…の実施。【610,930千円】: an amount alone in 【】 closing a list item is that
        item's budget."""
        if q.kind != "money" or not (self.text[:_start(q)].endswith("【") and self.text.startswith("】", q.end)):
            return ""
        item_start = max(self.text.rfind("/", 0, q.start), self.text.rfind("／", 0, q.start)) + 1
        item = re.sub(r"^\s?(?:\d{1,2}[.．]?|[①-⑳])", "", self.text[item_start:_start(q) - 1])
        name = re.split(r"[:：、。]", item, maxsplit=1)[0]
        return clean(name) + "の予算額" if 0 < len(clean(name)) <= 40 else ""

    def predicate_after(self, q: Quantity) -> str:
        """When nothing before the figure names it: the first predicate after it in its clause, with
        the counter's measure (…が7%増加 → 増加率, 68か国で…支援 → 支援か国数)."""
        end = self.text.find("。", q.end)
        for tok in self.doc[self.token_range(max(q.end, q.suffix_end), end if end >= 0 else len(self.text))]:
            if tok.text in _STOP_PUNCT or self.overlaps(tok):
                return ""
            if tok.lemma_ in _FUNCTIONAL_VERBS or tok.dep_ == "fixed":
                continue  # 36施設に対して…補助: a verb that only joins, not what is done
            if _is_predicate(tok, loose=True) and tok.lemma_ not in LINKING_VERBS - {"増加", "減少"}:
                return clean((tok.lemma_ if tok.pos_ == "VERB" else tok.text) + _measure_of(q))
        return ""

    def series_heading(self, q: Quantity) -> str:
        """2015年度:4,391千件、2016年度:4,531千件…: the items of a series labelled by time are of the
        measure named before the series (「法人番号の指定件数(累計)」/2015年度:…, (優先品目)2020年度39件)."""
        start = _start(q)
        m = _SERIES.search(self.text, max(0, start - 400), start)
        if m is None:
            return ""
        head_end = m.start()
        while head_end > 0 and self.text[head_end - 1] in " /／:：、":
            head_end -= 1
        if self.text[head_end - 1:head_end] in ("」", "』", ")", "）"):
            close = self.text[head_end - 1]
            opening = {"」": "「", "』": "『", ")": "(", "）": "（"}[close]
            inner = self.text[self.text.rfind(opening, 0, head_end - 1) + 1:head_end - 1]
            return clean(inner) if 0 < len(inner) <= 40 and not re.search(r"[。]", inner) else ""
        return self.label_before(head_end)

    def set_to(self, q: Quantity) -> str:
        """訪日外国人旅行消費額単価を20万円とする, 旅行者数を2030年に6,000万人に: the object a figure is
        set to (a target, mostly) is what it measures; a time between them is skipped."""
        if not _SET_TO.match(self.text, max(q.end, q.suffix_end)):
            return ""
        pos = _start(q)
        time = _TIME_BEFORE.search(self.text[max(0, pos - 16):pos])
        if time:
            pos -= len(time.group())
        noun = self.marked_noun_before(pos, frozenset({"を"}))
        return clean(self.noun_phrase(noun)) if noun is not None else ""

    def list_heading(self, q: Quantity) -> str:
        """【成果指標】認知症サポーター数：目標 97（R5）／実績 62（R5）／達成率 63.9%（R5）: the items of
        a list under a heading are of the heading's measure; an item label that is not a status
        word (達成率) names a measure of it (認知症サポーター数の達成率)."""
        start = self.text.rfind("。", 0, q.start) + 1
        m = _HEADED_LIST.search(self.text, start, _start(q))
        end = self.text.find("。", q.end)
        if m is None or not (_LIST_SEPARATOR.search(m.group("rest"))
                             or _LIST_SEPARATOR.search(self.text, q.end, end if end >= 0 else len(self.text))):
            return ""
        segment = _LIST_SEPARATOR.split(m.group("rest"))[-1]
        label = _ITEM_LABEL.match(segment)
        word = label.group(1) if label else ""
        name = m.group("name").strip().split("、")[-1]
        if not word or (_STATUS_WORDS.fullmatch(word) and not _SCHEME_PARAMETER.search(word)):
            return name
        return f"{name}の{word}"

    def measured(self, text: str, q: Quantity, sentence_start: int, bare: bool = False) -> str:
        """参加 → 参加者数, 取材 → 取材件数: a concept that ends in an action (a verbal noun) names
        what was done, not what was counted; the figure's counter says what that is. People
        counted under an event (…主催事業：延べ2,040名) are its participants. With ``bare`` (an
        item's own label: 世界お茶のみ話延べ378名) only a label that is the action alone changes."""
        if q.unit in _SPAN_UNITS and (run := _RUN.match(self.text, max(q.end, q.suffix_end))):
            whose = text if "連続" not in text else self.topic(q, sentence_start)  # 認知件数は4年連続で増加
            return f"{whose}の連続{run.group('verb') or ''}{_unit_measure(q)}" if whose else text
        if q.unit in ("人", "名") and text.endswith(("者", "員")) and q.kind not in ("delta", "ratio") and not bare:
            return text + "数"  # 参加者 → 参加者数: the count of them
        if q.kind == "percent" and text.endswith(("者", "方")):
            return text + "の割合"  # 回答した者 → 回答した者の割合
        if (q.kind == "ratio" and not _RATE_NOUN.search(text) and not _SCHEME_PARAMETER.search(text)
                and not text.endswith(_PAID_VERBS)  # 国費負担3/4 names the share already
                and (paid := _PAID_LATER.match(self.text, max(q.end, q.suffix_end)))):
            return f"{text}の{paid.group('verb')}率"  # 国が1/2…を補助する → 国の補助率
        if q.kind in ("delta", "ratio") and text in self._verbal_nouns and q.unit in ("%", ""):
            return text + "率"  # 補助 1/2 → 補助率, 削減 46% → 削減率
        if text.endswith(_MEASURE_ENDS) or q.kind in ("delta", "ratio"):
            return text
        if q.unit in _SPAN_UNITS and not bare:
            return text + "期間"  # 支給対象 + 最大10年間 → 支給対象期間
        if q.kind == "physical" and not bare and q.unit in _MEASURES:
            return text + _MEASURES[q.unit]  # 農地の残り + 1,400ha → 農地の残り面積
        if not bare and q.unit in ("人", "名") and text.endswith(_EVENT_NOUNS):
            return text + "の参加者数"
        if not bare and _counts_unnamed(text, q):
            return text + _unit_measure(q)  # 山地災害による被害 + 1,600箇所 → 被害箇所数, 合同宿舎 + 戸 → 戸数
        sentence_end = self.text.find("。", q.start)
        actions = [t for t in self.doc[self.token_range(sentence_start, sentence_end if sentence_end >= 0
                                                         else len(self.text))]
                   if "サ変" in t.tag_ and re.sub(r"済み?$", "", text).endswith(t.text)]  # 整備済 + 面積
        if not actions or (bare and text not in {t.text for t in actions}):
            return text
        action = min(actions, key=lambda t: abs(t.idx - q.start)).text
        if q.unit in ("人", "名") and action in _OBJECT_ACTIONS:
            return text + "人数"
        return text + _unit_measure(q)


def of_totals(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], parent: dict[int, int]
              ) -> list[tuple[str, str]]:
    """An item of a breakdown named by its own label carries its total's name (guidelines,
    "Naming the concept"): 英語968件 under 外国人相談窓口件数1,285件 → 外国人相談窓口件数（英語）.
    A change names what its current value names."""
    out = list(concepts)
    for i in sorted(parent):  # totals before their items, so nested breakdowns compose
        name, method = out[parent[i]]
        if quantities[i].kind == "delta":
            out[i] = (name, "parent")
        elif out[i][1] in _ITEM_METHODS and name and out[i][0] and name not in out[i][0]:
            out[i] = (f"{name}（{out[i][0]}）", f"{out[i][1]}+total")
    return out


def under_headings(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure,
                   text: str) -> list[tuple[str, str]]:
    """A figure under a heading that names a measure carries it (guidelines, "Naming the
    concept"): ■派遣回数 小学校24回 → 派遣回数（小学校）; 【補助金の上限額】戸建住宅150,000円 →
    補助金の上限額（戸建住宅）; 利用者数：320人（高齢者） → 利用者数（高齢者）; a figure right after its
    heading (限度額：50,000円) is named by it."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        heading = next((h for h in reversed(cell.over(q.start, "heading")) if heading_name(h.label)), None)
        if heading is None or q.kind == "delta":
            continue
        name, (concept, method) = heading_name(heading.label), out[i]
        if (after := _bracket_label_after(text, q)) and after not in concept:  # 利用者数：320人（高齢者）
            out[i] = (f"{name}（{after}）", f"{method}+heading")
            continue
        if concept and (name in concept or concept in name or "+total" in method):
            continue  # already named by the heading, or by the total it is a part of
        start = q.prefix_start if q.prefix_start >= 0 else q.start
        label = (_item_label(concept, q) if method in _LABEL_METHODS else "") or _words_before(
            text, max(heading.start, 0), start)
        if label and name not in label and label not in name:
            out[i] = (f"{name}（{label}）", f"{method}+heading")
        elif not label and _HEADING_GAP.fullmatch(text, heading.start, start):
            out[i] = (name, "heading")
    return out


def _item_label(concept: str, q: Quantity) -> str:
    """An item's label as the finder read it, without the measure it added (小学校回数 → 小学校)."""
    return concept.removesuffix(_unit_measure(q)) or concept


def _words_before(text: str, start: int, end: int) -> str:
    """The words of an item between the last separator and its figure (子育て世帯 30万円)."""
    segment = re.split(r"[、,/・\s:]+", text[start:end].strip(" 、,/・:"))[-1]
    return segment if re.search(r"[^\d\s]", segment) and not _TIME_WORDS.fullmatch(segment) else ""


def _bracket_label_after(text: str, q: Quantity) -> str:
    """320人(高齢者): a bracket of words right after a figure labels it as an item, unless the
    words say how (延べ, 見込み, 上限) or when."""
    end = q.suffix_end if q.suffix_end >= 0 else q.end
    m = _LABEL_AFTER.match(text, end)
    word = m.group(1) if m else ""
    return word if word and not (word in _QUALIFIER_WORDS or _NOT_ITEM.search(word) or _TIME_WORDS.fullmatch(word)) else ""


def counted(concepts: list[tuple[str, str]], quantities: Sequence[Quantity]) -> list[tuple[str, str]]:
    """A count named only by the label of what it counts, with no list or total to carry it
    (合同宿舎69,724戸), is that label's count in its counter (合同宿舎戸数)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        if method in _ITEM_METHODS and concept and _counts_unnamed(concept, q):
            out[i] = (concept + _unit_measure(q), method)
    return out


def series_steps(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str,
                 times: Sequence[TimeExpression], sentences: Sequence[tuple[int, int]]) -> list[tuple[str, str]]:
    """A step of a series that names nothing of its own measures what the same place of its last
    step does (guidelines: "each step of a series"): 平成30年度は9校に9名、令和元年度は10校に12名の
    相談員を配置 → 9名 is 相談員数 as 12名 is. The noun is written once, after the last step."""
    out = list(concepts)
    for sentence in sorted(set(sentences)):
        marks = [t for t in times if sentence[0] <= t.start < sentence[1]]
        steps = []
        for k, t in enumerate(marks):
            stop = marks[k + 1].start if k + 1 < len(marks) else sentence[1]
            step = [i for i, q in enumerate(quantities) if t.end <= q.start < stop]
            if step and _STEP_GAP.fullmatch(text, t.end, _start(quantities[step[0]])):
                steps.append(step)
        if len(steps) < 2 or any(len(step) != len(steps[-1]) for step in steps):
            continue
        if any(quantities[step[j]].unit != quantities[steps[-1][j]].unit for step in steps for j in range(len(step))):
            continue
        for j, last in enumerate(steps[-1]):
            name = out[last][0]
            for step in steps[:-1]:
                own, method = out[step[j]]
                unnamed = not own or method in ("none", "nearest") or _TIME_IN_LABEL.search(own)  # 元年度校数
                if name and unnamed and quantities[step[j]].kind != "delta":
                    out[step[j]] = (name, "series")
    return out


def capped(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure
           ) -> list[tuple[str, str]]:
    """A figure under a cap names the cap (guidelines: caps as nouns): 交付金は上限総額を300万円とする →
    交付金の総額（上限）, unless its name already says 上限 or 限度."""
    return [(f"{concept}（上限）", method) if q.start in cell.capped and concept and not _CAP_WORD.search(concept)
            else (concept, method) for q, (concept, method) in zip(quantities, concepts)]

