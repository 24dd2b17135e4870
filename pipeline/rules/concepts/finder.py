"""The concept of one figure: the layout's name if the cell gives one, else the clause's,
made a measure (参加 → 参加者数) and owned by its scheme (…事業の補助率); list items share
their list's measure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pipeline import resources
from pipeline.rules.concepts.clause import ClauseNames
from pipeline.rules.concepts.layout import LayoutNames
from pipeline.rules.concepts.words import (
    BRACKETED, clean, count_name, counts_unnamed, EACH_BASE, EVENT_TIME, figure_start, is_time, ITEM_METHODS,
    LABEL_METHODS, MEASURE_ENDS, MEASURES, measures_kind, measures_other_kind, NOT_ACTIONS, NOT_CONCEPTS, PAID_LATER,
    PAID_VERBS, PER_BASE, RATE_NOUN, SCHEME_PARAMETER, unit_measure, VALUE_NOUNS, WORDS,
)
from pipeline.rules.quantities import change_by_object, DAYS_BEFORE, EVERY, PER_TIME_UNITS, Quantity
from pipeline.rules.scopes import SECTION_LABEL
from pipeline.rules.units import counters


_OBJECT_ACTIONS = frozenset(WORDS["object_actions"])
_EVENT_NOUNS = tuple(WORDS["event_nouns"])
_MONEY_ENDS = tuple(WORDS["money_ends"])
_SCHEME_NOUNS = tuple(resources.periods()["scheme_nouns"])  # 研修, 講座, コース: what a scheme runs for a time
#: Nouns of people that need 数 to be a count of them (スクールサポーター, 児童, 市民).
PEOPLE = re.compile(r"(?:サポーター|ボランティア|ヘルパー|コーディネーター|リーダー|スタッフ|メンバー|児童|生徒|学生|市民|住民|"
                    r"園児|乳幼児|高齢者|児|師|士|員)(?:ら|等|たち)?$")  # 市民ら, 委員


#: Units of a span of time: a concept that does not name a measure names its 期間.
_SPAN_UNITS = frozenset({"年", "年間", "か月", "か月間", "週間", "か年", "か年間"})

#: 4年連続で増加: a run of years, and what kept happening.
_RUN = re.compile(r"\s?連続(?:[^、。]{0,12}?(?P<verb>増加|減少|上昇|低下|達成|受賞|開催|実施))?")
#: 10年ごとに周年行事を助成, 3年毎に開催する, 50年ごとの周年行事支援: the time between two doings of a deed, and
#: the words up to that deed (its object before を, or a noun it is compounded with).
_INTERVAL = re.compile(rf"{EVERY.pattern}[にの]?\s?(?P<words>[^、。\dにでがは]{{0,16}})")
#: 助成してきた, 開催する, 実施される: a verbal noun used as the verb.
_DONE_VERB = re.compile(r"(?:する|した|し|して|され|さ)")
#: 経年変化分析調査を3年ごとに: the object of a deed, right before the interval.
_DONE_TO_BEFORE = re.compile(r"(?P<noun>[^、。\s\d:/はがをにとで]{2,20})を\s?$")
#: 開催する太平洋・島サミット, 実施される国勢調査: the noun a deed's relative clause names.
_DEED_OF = re.compile(r"(?:する|される|している|されている)(?P<noun>[^、。\dをにがはでと]{2,16}?)(?:[をにがはでと、。]|の[^\d])")

#: A label that says "the same as before": 同, 同上, 〃.
_DITTO = frozenset({"同", "同上", "〃", "同じく"})
#: Verbs that take a quoted answer (「満足」と回答した, 「安全だ」と思う).
_QUOTING_VERB = re.compile(r"回答|答え|思う|思っ|感じ|考え")
#: The quoted answers right before such a verb: 「満足」「やや満足」と回答.
_QUOTED_ANSWERS = re.compile(r"(?P<answers>(?:「[^「」]{1,40}」[・、]?)+)と\s?(?P<verb>回答|答え|思う|思っ|感じ|考え)")
#: 食料・農業・農村白書: a source cited, not a measure.
_PUBLICATIONS = tuple(WORDS["publications"])
#: Formal nouns that end a purpose clause (…に対応するため, …できるよう).
_PURPOSE = ("ため", "よう", "ように")
_GENERIC_HEADS = frozenset(WORDS["generic_heads"])
#: …の派遣実績, 相談実績: a name that ends in the word for a result.
RESULT_END = re.compile(r"(?<!の)(?:実績|実績値)$")
#: 1,500人が参加: people who take part in something, named by how.
_PARTAKE = "参加|出席|参列|受講|聴講|応募|来場|来館|受診|利用"
_TAKES_PART = re.compile(r"\s?(?:と[^、。\d]{0,8}\d[\d,]*\s?[^\d\s、。が]{1,3})?が\s?"  # 市民約2,300人と38団体が参加
                         rf"(?P<verb>{_PARTAKE})")
#: 受講者数, 参加団体数: those who take part, named only by how.
_PARTAKERS = re.compile(rf"(?:{_PARTAKE})(?:者|人|団体|企業|事業者)?数")
#: 歴史講座は, 総合防災訓練に: an event a clause is about (its topic) or that people take part in (に);
#: not the project itself (本事業は).
_EVENT_MARKED = re.compile(r"(?<![一-龥々ァ-ヴーA-Za-zＡ-Ｚａ-ｚ])(?!本|当|同)(?P<event>[一-龥々ァ-ヴーA-Za-zＡ-Ｚａ-ｚ]{0,15}(?:"
                           + "|".join(WORDS["event_nouns"]) + r"))(?:には|では|は|に)")
#: 4園を民営化した, 2か所を廃止し, 2名を派遣。 (closing on the noun): a verbal noun that takes the figure as its object.
_ACTED_UPON = re.compile(r"\s?を\s?(?:新たに|新規に|追加で)?\s?(?P<verb>[一-龥]{2,5}?|[一-龥]け入れ)"
                         r"(?:する|した|し|して|される|された|している|(?<=れ)(?:た|る|て|(?=、))|(?=[。\n]|$))")
#: 年12回開催した, 1日10時間開所し: a verbal noun right after a count of times or a length, which it measures.
_DONE_SO = re.compile(r"\s?(?P<verb>[一-龥]{2,4}?)(?:する|した|し|して|している|(?=[。、\n]|$))")
#: 英語968件、中国語119件を: items of one list, each with its label.
_LISTED_BEFORE = re.compile(r"\s?[、・,]\s?[^、。\d]{1,20}")


#: 1私立大学・…整備費補助(事業開始年度:…)/, /・GIGAスクール運営支援センター事業(…)/: a numbered or bulleted
#: item titled with a scheme's name.
_SCHEME_TITLE = re.compile(r"(?:^|(?<!\d)/\s?|[／。]\s?)(?:\d{1,2}[.．]?|[①-⑳]|\(\d{1,2}\)|・)(?P<name>[^/／。()（）:：\d]"
                           r"[^/／。()（）:：]{1,60}?(?:事業|補助|補助金|交付金|助成|助成金|制度|給付金))(?=[(（/／:：])")
#: The number or bullet that opens the next item of a list (/2…, /・…).
_ITEM_NUMBER = re.compile(r"(?:(?<!\d)/|[／。])\s?(?:\d{1,2}[.．]?|[①-⑳]|\(\d{1,2}\)|・)[^\d\s/／。、,.]")

#: Words that already say a name is of a ceiling.
#: Names read off the clause rather than the figure's own words: one of another kind of measure is not its.
_READ_OFF_CLAUSE = frozenset({"parse", "topic", "action"})
#: 令和7年度までに0人を目指す, 285人体制とする予定: a verb that says the figure is a goal or a plan names
#: nothing it measures.
_GOAL_VERB = re.compile(r"(?:.*を)?(?:目指す|目指し|見込む|見込まれる|予定)[一-龥]{0,4}$")
_CEILING_WORDS = re.compile(r"上限|限度|最大|最高")
#: 約25万人まで落ち込んだ, 2,507万人まで回復し: a verb that only says which way a measure went names
#: nothing of its own; the series' topic (…旅行者数は、) does.
_TREND_ONLY = re.compile("(?:" + "|".join(w for words in resources.directions()["trend"].values() for w in words)
                         + ")(?:する|した)?(?:人|者|件)?(?:数|額|量|率)?")  # 落ち込む人数, 回復者数
#: 25万人まで, 342機関に, 12校に7名と (the last step of a series), 8校に5名、 (a step before it): a level
#: the verb after it says the measure went to.
_LEVEL_REACHED = re.compile(r"\s?(?:まで|に|へ|と|[、,])")


def ceiling(concept: str, q: Quantity) -> str:
    """最大300万円までの…支援金, 1件あたり10万円以内の補助金: an amount that is a ceiling (at_most) is
    named as one (guidelines: caps as nouns, 住宅改修補助の上限額); so is a count allowed per a base
    (貸出条件：1人10冊以内 → 貸出条件冊数（上限）)."""
    if "at_most" not in q.qualifiers or not concept or _CEILING_WORDS.search(concept):
        return concept
    if q.kind == "count" and q.per and q.per not in PER_TIME_UNITS.values():  # not 毎年10人以下: a level over time
        return f"{concept}（上限）"
    if q.kind != "money":
        return concept
    return concept[:-1] + "上限額" if concept.endswith("額") else f"{concept}の上限額"


def _in_own_word(q: Quantity) -> bool:
    """Whether a count is in a word the text made its counter (``units.counters_by_repetition``)."""
    return q.kind == "count" and q.unit not in counters()


class ConceptFinder(LayoutNames, ClauseNames):
    """Concepts for the figures of one parsed cell, asked for in text order."""

    def concept(self, q: Quantity, sentence_start: int) -> tuple[str, str]:
        """The best concept for one figure and the rule that gave it."""
        return next(self.names(q, sentence_start), ("", "none"))

    def names(self, q: Quantity, sentence_start: int) -> Iterator[tuple[str, str]]:
        """Every name the rules find for one figure, with the rule that gave it, in order of trust:
        the first is its concept; the others are what a learned chooser weighs against it."""
        self._naming = q
        strategies: list[tuple[str, Callable[[], str]]] = [
            ("parameter", lambda: self.bracket_parameter(q)),
            ("budget", lambda: self.budget_tag(q)),
            ("paired", lambda: self.paired_name(q)),
            ("heading", lambda: self.list_heading(q)),
            ("series", lambda: self.series_heading(q)),
            ("quoted", lambda: self.quoted_item(q)),
            ("chain", lambda: self.chain_name(q)),
            ("line", lambda: self.line_label(q, sentence_start)),
            ("trailing", lambda: self.trailing_label(q)),
            ("capped", lambda: self.capped(q)),
            ("discount", lambda: self.discount(q)),
            ("age", lambda: self.eligible_age(q, sentence_start)),
            ("elapsed", lambda: self.elapsed_since(q)),
            ("doer", lambda: self.doer(q)),
            ("had", lambda: self.things_had(q)),
            ("deed_at", lambda: self.deed_at_places(q)),
            ("label", lambda: self.item_label(q)),
            ("colon", lambda: self.colon_label(q, sentence_start, strict=True)),
            ("interval", lambda: self.interval(q)),
            ("all", lambda: self.all_of_topic(q, sentence_start)),
            ("listed", lambda: self.listed_after(q)),
            ("bracket", lambda: self.bracket_label(q)),
            ("apposition", lambda: self.apposition(q, sentence_start)),
            ("changed", lambda: self.changed_object(q)),
            ("deed", lambda: self.deed_of_object(q)),
            ("subject", lambda: self.subject_before(q)),
            ("is", lambda: self.said_to_be(q)),
            ("whole", lambda: self.whole_before(q)),
            ("as", lambda: self.named_as(q)),
            ("measure", lambda: self.measure_before(figure_start(q))),
            ("level", lambda: self.level_reached(q)),
            ("verb", lambda: self.following_predicate(q)),
            ("set_to", lambda: self.set_to(q)),
            ("rate", lambda: self.rate_noun(q, sentence_start)),
            ("action", lambda: self.action_topic(q, sentence_start)),
            ("from", lambda: self.level_from(q, sentence_start)),
            ("parse", lambda: self.from_parse(q)),
            ("topic", lambda: self.topic(q, sentence_start)),
            ("colon", lambda: self.colon_label(q, sentence_start, strict=False)),
        ]
        for method, find in strategies:
            text = self.usable(find(), q, sentence_start)
            if text and not (method in _READ_OFF_CLAUSE and (measures_other_kind(text, q) or _GOAL_VERB.match(text)
                                                             or self.one_of_counted(text, q)
                                                             or self.level_of_trend(text, q))):
                self._found.setdefault(q.start, text)  # a figure listed next shares the words, not the measure
                if q.kind == "money" and RATE_NOUN.search(text):  # 補助率1/2上限10百万円: the aid's ceiling
                    text = RATE_NOUN.sub("", text) + ("上限額" if "at_most" in q.qualifiers else "額")
                measure = self.measured(self.quoting(text, q, sentence_start), q, sentence_start,
                                        bare=method in ITEM_METHODS, labelled=method in LABEL_METHODS,
                                        subject=method == "subject")
                yield ceiling(self.scheme_owner(self.of_event(measure, q, sentence_start), q), q), method
        for method, find in (("itself", lambda: self.counts_itself(q)),
                             ("carried", lambda: self.carried_topic(q, sentence_start)),
                             ("predicate", lambda: self.predicate_after(q)),
                             ("nearest", lambda: self.nearest_noun(q, sentence_start)),
                             ("counter", lambda: self.counted_under_topic(q))):
            text = self.usable(find(), q, sentence_start)
            if text and not _GOAL_VERB.match(text):
                yield text, method

    def acted_upon(self, q: Quantity) -> str:
        """市民プール2か所を廃止した, 公立保育所4園を民営化した: the verbal noun a labelled count is the
        object of, which tells these from the others of the label (公立保育所の民営化園数), or that a count of
        times or a length right before it measures (講座は年12回開催した → 講座の開催回数); not the last item of
        a list (英語968件、中国語119件を翻訳: the verb is of every item)."""
        verb = _ACTED_UPON.match(self.text, max(q.end, q.suffix_end)) if q.kind in ("count", "physical") else None
        if verb is None and (q.unit_category == "times" or q.kind == "duration"):  # 講座は年12回開催した, 1日10時間開所し:
            verb = _DONE_SO.match(self.text, max(q.end, q.suffix_end))  # how often or how long the deed was done
            verb = verb if verb and verb.group("verb") in self._verbal_nouns else None
        listed = any(p.end <= q.start and p.unit == q.unit and _LISTED_BEFORE.fullmatch(
            self.text, max(p.end, p.suffix_end), figure_start(q)) for p in self.quantities)
        return verb.group("verb") if verb and not listed and verb.group("verb") not in NOT_ACTIONS else ""

    def interval(self, q: Quantity) -> str:
        """10年ごとに周年行事を助成 → 周年行事の助成期間（10年ごと）, 3年毎に開催する太平洋・島サミット → 太平洋・島サミットの
        開催期間（3年毎）: a span of time before ごと says how often a deed is done; with no noun for it, the name is
        the deed's (guidelines: named from the predicate), the interval as written in brackets."""
        marked = _INTERVAL.match(self.text, max(q.end, q.suffix_end)) if q.unit in _SPAN_UNITS else None
        if marked is None:
            return ""
        start, end = marked.start("words"), marked.end("words")
        deeds = [t for t in self.doc[self.token_range(start, end)] if "サ変" in t.tag_]
        deed = next((t for t in deeds if _DONE_VERB.match(self.text, t.idx + len(t))), deeds[-1] if deeds else None)
        if deed is None:
            return ""
        done_to = re.sub(r"[をの]$", "", self.text[start:deed.idx])  # 周年行事を助成: what the deed is done to
        if not done_to and (noun := _DONE_TO_BEFORE.search(self.text, 0, figure_start(q))):
            done_to = noun.group("noun")  # 経年変化分析調査を3年ごとに実施する: the deed's object, before the figure
        if not done_to and (noun := _DEED_OF.match(self.text, deed.idx + len(deed))):
            done_to = noun.group("noun")  # 3年毎に開催する太平洋・島サミット: the deed's object, after it
        every = self.text[q.start:start].strip().removesuffix("に").removesuffix("の")
        return f"{done_to}の{deed.text}期間（{every}）" if done_to else f"{deed.text}期間（{every}）"

    def quoting(self, text: str, q: Quantity, sentence_start: int) -> str:
        """回答した割合 → 「満足」「やや満足」と回答した割合: a name that opens with a verb of answering or
        thinking keeps the answers quoted before it, which say what the share is of."""
        if not _QUOTING_VERB.match(text):
            return text
        quoted = _QUOTED_ANSWERS.search(self.text, sentence_start, figure_start(q))
        return f"{quoted.group('answers')}と{text}" if quoted and quoted.group("verb") == text[:2] else text

    @staticmethod
    def counts_itself(q: Quantity) -> str:
        """4クリーンセンターから3クリーンセンター体制へ: a noun the text uses as its own counter
        (``counters_by_repetition``) names what it counts, when nothing else does."""
        return unit_measure(q) if _in_own_word(q) else ""

    def level_of_trend(self, text: str, q: Quantity) -> bool:
        """約25万人まで落ち込んだ, 2,507万人に回復, …5名、…7名と段階的に拡充: the level a measure went to
        (each step's, in a series), whose verb only says which way it went (not 17校で…出現率が低下した:
        the count of where it did, which the verb names)."""
        after = max(q.end, q.suffix_end)
        return _TREND_ONLY.fullmatch(text) is not None and _LEVEL_REACHED.match(self.text, after) is not None

    @staticmethod
    def one_of_counted(text: str, q: Quantity) -> bool:
        """…第11次クリーンセンターが…、現在の4クリーンセンターから: words of the clause that end in a
        noun the text counts with (its own counter) name one of the things counted, not the count."""
        return _in_own_word(q) and text.endswith(q.unit)

    def counted_under_topic(self, q: Quantity) -> str:
        """講演会は、R4年度 3会場・…: a count named by its counter alone is a count of the topic's
        (講演会の会場数), never a bare generic head."""
        if q.kind != "count" or q.unit in ("人", "名"):
            return ""
        topic = self.topic(q, self.text.rfind("。", 0, q.start) + 1)
        return f"{topic}の{unit_measure(q)}" if topic and topic not in NOT_CONCEPTS and not is_time(topic) else ""

    def of_event(self, concept: str, q: Quantity, sentence_start: int) -> str:
        """歴史講座は6回開催し、延べ184人が受講した → 歴史講座の受講者数; 総合防災訓練に23団体が参加 →
        総合防災訓練の参加団体数: those named only by how they take part are counted of the event
        their sentence is about or has them take part in (guidelines: an item carries its label)."""
        if not _PARTAKERS.fullmatch(concept):
            return concept
        events = list(_EVENT_MARKED.finditer(self.text, sentence_start, figure_start(q)))
        return f"{events[-1].group('event')}の{concept}" if events else concept

    def scheme_owner(self, concept: str, q: Quantity) -> str:
        """…就学促進事業(補助率1/3以内), …連携事業:定率補助2/3、上限15百万円: a scheme's parameter
        (補助率, 上限) is named with the scheme it belongs to, the item the bracket or colon follows."""
        if not SCHEME_PARAMETER.search(BRACKETED.sub("", concept)) or "の" in concept:
            return concept
        start = figure_start(q)
        lenticular = self.text.rfind("【", 0, start)  # …事業【国費率1/2、2/5等】
        opening = max(self.bracket_of(q), lenticular if "】" not in self.text[lenticular:start] else -1)
        inner_colon = max(self.text.rfind(":", opening + 1, start), self.text.rfind("：", opening + 1, start))
        colon = inner_colon if opening >= 0 and inner_colon > opening else max(
            self.text.rfind(":", 0, opening if opening >= 0 else start),
            self.text.rfind("：", 0, opening if opening >= 0 else start))
        anchors = [a for a in (colon, opening) if a >= 0 and not re.search(r"[。/／]", self.masked(a, start))]
        if opening >= 0 and colon == inner_colon and colon in anchors:  # (複数の市区町村による連携事業:定率補助2/3、…)
            label = clean(self.text[max(opening, self.text.rfind("、", opening, colon)) + 1:colon])
            if 0 < len(label) <= 30 and not SCHEME_PARAMETER.search(BRACKETED.sub("", label)):
                return f"{label}の{concept}"
        owner = next((label for a in anchors if (label := self.list_item_ending_at(a)) and label not in concept
                      and not SCHEME_PARAMETER.search(BRACKETED.sub("", label))), "")
        owner = owner or self.scheme_item(start)
        paid = next((v for v in PAID_VERBS if owner.endswith(v) and concept.startswith(v)), "")
        if paid:  # …経費の一部を補助(10分の5) → …経費の補助率
            owner = re.sub(r"(?:の一部)?を?$", "", owner[:-len(paid)])
        return f"{owner}の{concept}" if owner and owner != concept and owner not in NOT_CONCEPTS else concept

    def scheme_item(self, pos: int) -> str:
        """1私立大学…整備費補助(事業開始年度:1983年度)/…を行う場合、その経費の1/2…を補助: the scheme
        a numbered item is titled with owns the parameters its description states."""
        titles = list(_SCHEME_TITLE.finditer(self.text, 0, pos))
        if not titles or _ITEM_NUMBER.search(self.text, titles[-1].end(), pos):
            return ""
        return clean(titles[-1].group("name"))

    def all_of_topic(self, q: Quantity, sentence_start: int) -> str:
        """創業支援セミナーは全5回で: a count of all (全) of the sentence's topic is the topic's count
        (創業支援セミナーの回数), not of the verb the figure is read with."""
        if q.kind != "count" or not self.text.endswith("全", 0, figure_start(q)):
            return ""
        topic = self.topic(q, sentence_start)
        return f"{topic}の{unit_measure(q)}" if topic and not is_time(topic) and topic not in NOT_CONCEPTS else ""

    def labels_figure(self, label: str, q: Quantity) -> bool:
        """対象者812人のうち: a section's label written right before a figure, with no colon, that names a
        measure of the figure's kind labels the figure (対象者数), not a section."""
        start = figure_start(q)
        return self.text.endswith(label, 0, start) and measures_kind(label, q)

    def usable(self, text: str, q: Quantity, sentence_start: int) -> str:
        """``text`` if it names something; a generic measure alone (割合) takes the sentence's
        topic (…の割合); a word that says how or when (原則, 過去, 開設当初) or for each of what (各教室) is
        no concept."""
        if (not text or text in NOT_CONCEPTS or text.endswith((*_PURPOSE, *EVENT_TIME, *_PUBLICATIONS))
                or is_time(text) or (SECTION_LABEL.fullmatch(text) and not self.labels_figure(text, q))
                or PER_BASE.fullmatch(text) or EACH_BASE.fullmatch(text)):
            return ""  # 人手不足に対応するため: a purpose, not a measure; ~令和 (of 平成31年度～令和4年度): a time
        if text in _DITTO:  # (除却面積2,140㎡)、…(同812㎡): the name of the last figure of its kind
            return next((self._found[p.start] for p in reversed(self.quantities)
                         if p.end <= q.start and p.unit_category == q.unit_category and p.start in self._found), "")
        if text in _GENERIC_HEADS:
            topic = self.topic(q, sentence_start)
            return f"{topic}の{text}" if topic and topic not in NOT_CONCEPTS | _GENERIC_HEADS else ""
        return text

    def measured(self, text: str, q: Quantity, sentence_start: int, bare: bool = False, labelled: bool = False,
                 subject: bool = False) -> str:
        """参加 → 参加者数, 取材 → 取材件数: a concept that ends in an action (a verbal noun) names
        what was done, not what was counted; the figure's counter says what that is. People
        counted under an event (…主催事業：延べ2,040名) are its participants. With ``bare`` (an
        item's own label: 世界お茶のみ話延べ378名) only a label that is the action alone changes;
        ``labelled`` (a label of the layout) names an item, and money takes no 額 after it; a ``subject`` that
        names no measure (防災マップは3万部を配布した) takes the deed done to the figure, as an item does."""
        if q.kind == "count" and len(stem := RESULT_END.sub("", text)) >= 2:
            text = stem  # 派遣実績 + 14校 → 派遣校数: 実績 says which value, the counter what is counted
        if q.unit in _SPAN_UNITS and (run := _RUN.match(self.text, max(q.end, q.suffix_end))):
            whose = text if "連続" not in text else self.topic(q, sentence_start)  # 認知件数は4年連続で増加
            return f"{whose}の連続{run.group('verb') or ''}{unit_measure(q)}" if whose else text
        if q.unit in _SPAN_UNITS and re.search(r"(?:ごと|毎|おき)）$", text):
            return text  # 周年行事の助成期間（10年ごと） (interval): a span between deeds, named already
        if q.kind == "duration" and DAYS_BEFORE.match(self.text, max(q.end, q.suffix_end)) and len(text) >= 2:
            return re.sub(r"(?:日数|期間|時間)$", "", text) + "期限"  # 申込みは開催日の14日前までに受け付ける →
            # 申込み期限: how long before a day a step closes
        if (change := change_by_object(self.text, q)) and change not in text:  # 技術職１名を減員 → 技術職の減員数
            return f"{text}の{change}" + ("数" if change.endswith("員") else "人数" if q.unit in ("人", "名")
                                         else unit_measure(q))
        if (bare or (subject and not text.endswith(MEASURE_ENDS))) and (acted := self.acted_upon(q)) \
                and acted not in text:  # 公立保育所4園を民営化した, 防災マップは3万部を配布した
            return f"{text}の{acted}{unit_measure(q)}"
        if bare and q.unit in ("人", "名") and (
                joined := _TAKES_PART.match(self.text, max(q.end, q.suffix_end))):
            return f"{text}の{joined.group('verb')}者数"  # 市民およそ1,500人が参加: who took part, counted
        if q.unit in ("人", "名") and q.kind not in ("delta", "ratio") and not bare and not text.endswith("定員") and (
                text.endswith(("者", "員")) or (not labelled and PEOPLE.search(text))):
            return text + "数"  # 参加者 → 参加者数, スクールサポーター → スクールサポーター数: the count of them
        if q.kind == "percent" and text.endswith(("者数", "人数")):
            text = text[:-1]  # 1,098人（72.0％）が…と回答: the share of the people the count before it counts
        if q.kind == "percent" and text.endswith(("者", "方", "員", "人")):
            return text + "の割合"  # 回答した者 → 回答した者の割合, 回答した職員 → 回答した職員の割合
        share = text.removesuffix("の割合") if q.kind == "percent" else text  # 工事費の10％…を助成: of 工事費
        if (q.kind in ("ratio", "percent") and not RATE_NOUN.search(share) and not SCHEME_PARAMETER.search(share)
                and not share.endswith(PAID_VERBS)  # 国費負担3/4 names the share already
                and (paid := PAID_LATER.match(self.text, max(q.end, q.suffix_end)))):
            return f"{share}の{paid.group('verb')}率"  # 国が1/2…を補助する → 国の補助率
        if q.kind == "ratio" and text.endswith(("者", "方", "員", "人")):
            return text + "の割合"  # 軽減されたとする保護者は4分の3に上った: a share of people, as a percent is
        if q.kind in ("delta", "ratio") and text in self._verbal_nouns and q.unit in ("%", ""):
            return text + "率"  # 補助 1/2 → 補助率, 削減 46% → 削減率
        if BRACKETED.sub("", text).endswith(MEASURE_ENDS) or q.kind in ("delta", "ratio"):
            return text  # 補助金の上限額（木造）: an item's label after the measure adds none
        if q.kind == "money" and (not labelled or text in self._verbal_nouns or RESULT_END.search(text)) \
                and not text.endswith(_MONEY_ENDS):  # 交付実績：27件、計2,315万円 → 交付実績額
            return text + "額"  # 移住支援金の交付実績 + 3,000千円 → 移住支援金の交付実績額 (not 1人目:20万円; but 補助
            # + 5,316千円 → 補助額: a deed that pays, labelled or not)
        if q.unit in _SPAN_UNITS and not bare:
            return text + "期間"  # 支給対象 + 最大10年間 → 支給対象期間
        if (not bare or q.kind == "duration") and q.unit in MEASURES and not text.endswith(VALUE_NOUNS) and (
                q.kind == "physical" or (q.kind == "duration" and (text.endswith(_SCHEME_NOUNS) or not re.match(
                    r"\s?(?:程度|分)?の", self.text[max(q.end, q.suffix_end):])))):
            return text + MEASURES[q.unit]  # 農地の残り + 1,400ha → 農地の残り面積; 専門日本語 + 140時間; 築25年 → 築年数
            # (not 3日間程度の物資: a span the noun after it lasts; not …の目標値: a value of a measure;
            # but 90分の救命入門コース: how long a course lasts, 救命入門コース時間)
        sentence_end = self.text.find("。", q.start)
        sentence_end = sentence_end if sentence_end >= 0 else len(self.text)
        if not bare and q.unit in ("人", "名") and text.endswith(_EVENT_NOUNS):
            how = _TAKES_PART.search(self.text, max(q.end, q.suffix_end), sentence_end)
            return f"{text}の{how.group('verb') if how else '参加'}者数"  # 講座は、…12地区で420人、…803人が受講した:
            # people at an event, counted by how they took part, which the series' last step may say for all
        if not bare and counts_unnamed(text, q):
            return count_name(text, q)  # 山地災害による被害 + 1,600箇所 → 被害箇所数, 合同宿舎 + 戸 → 戸数
        actions = [t for t in self.doc[self.token_range(sentence_start, sentence_end)]
                   if ("サ変" in t.tag_ or t.text in _OBJECT_ACTIONS)  # 受入, tagged a plain noun
                   and re.sub(r"済み?$", "", text).endswith(t.text)]  # 整備済 + 面積
        if not actions or (bare and text not in {t.text for t in actions}):
            return text
        action = min(actions, key=lambda t: abs(t.idx - q.start)).text
        if q.unit in ("人", "名") and action in _OBJECT_ACTIONS:
            return text + "人数"
        return count_name(text, q)
