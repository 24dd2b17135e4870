"""Names read from the figure's clause: what it is said to be (目標値である14日), what
changed (…を46%削減), the topic (死者数は2,678人), the whole of a share, the measure it is
given in, the verb after it, the dependency parse; last, the sentence before, the predicate
after and the nearest noun."""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline import resources
from pipeline.rules.concepts.phrases import as_written, Phrases, plain_form
from pipeline.rules.concepts.words import (
    clean, EACH_WORD, EVENT_TIME, figure_start, is_noun_like, is_time, is_predicate, MEASURE_ENDS, measure_of,
    measures_kind, NOT_ACTIONS, NOT_CONCEPTS, PAID_VERBS, PER_BASE, QUALIFIER_WORDS, RATE_NOUN, SCOPE_WORDS, STATE_LABEL,
    STOP_PUNCT, SUBJECT_MARK, TIME, TIME_IN_LABEL, TIME_WORDS, TOPIC_PARTICLES, unit_measure, VALUE_LABEL, VALUE_NOUNS,
    VALUE_WORDS, WORDS,
)
from pipeline.rules.periods import ELAPSED, STARTS_FROM, TOPIC_CLOSED
from pipeline.rules.quantities import CLASS_BOUND, DISCOUNT, PAID_SHARE, Quantity


#: 石油消費量の約24%を化学用原料として使用: the part of the whole the share is used as.
_USED_AS = re.compile(r"\s?を\s?(?P<part>[^、。をとし\d]{2,15})として")

#: Verbs that link a subject to a figure or state its change (登録者数が2,230人となった).
LINKING_VERBS = frozenset(WORDS["linking_verbs"])
_SCOPE_VERBS = frozenset(WORDS["scope_verbs"])
_LIGHT_ACTIONS = frozenset(WORDS["light_actions"])

#: Their object is what a figure is compared against (全国平均を約10%上回る), not what it measures.
_COMPARATIVE_VERBS = frozenset(WORDS["comparative_verbs"])

#: …とする, …にする, …に: a figure the sentence sets something to.
_SET_TO = re.compile(r"\s?(?:と|に)(?:する|し|なる|なり|、|増や|減ら|引き上げ|引き下げ|改め|変更|見直)")

#: 42万円から50万円に: a level before and the level a figure is set to, of one measure.
_FROM_TO = re.compile(r"\s?から[、\s]?(?:(?:令和|平成|R)?\d{1,4}年度?(?:から|以降)?は?[、\s]?)?")
#: 補助上限額を、R6年度までの30万円から、R7年度以降は20万円に: the validity of the levels, between the object and
#: the level set, and a level set from.
_SPAN_BACK = re.compile(r"(?:[\d,.]+[^\d\s、。]{0,4}から|(?:令和|平成|R)?\d{1,4}年度?(?:まで|から|以降)(?:の|は)?)[、\s]?$")
#: …42万円から, right before the level set: the level it was set from.
_FROM_BEFORE = re.compile(r"[\d,.]+[^\d\s、。]{0,4}から\s?$")
#: 支給額を、令和5年度から: the time a level is set from, between its object and its figures.
_SINCE_BEFORE = re.compile(r"、?\s?(?:令和|平成|R)?\d{1,4}年度?(?:から|以降)[、\s]?$|、$")
#: 各回, 各教室: a word that spreads the figure over every item, between an object and the figure it is set to.
_EACH_BEFORE = re.compile(f"{EACH_WORD}$")
#: 1人当たり年額, 月額: the base an amount is per, between an object and the amount it is set to.
_BASE_BEFORE = re.compile(f"(?:{PER_BASE.pattern})$")
#: 2030年に, 2025年までに: a time between an object and the figure it is set to.
_TIME_BEFORE = re.compile(r"(?:\d{4}|令和\d{1,2}|R\d{1,2})年度?(?:末)?(?:まで)?に$")

#: The cost a scheme pays a share of (対象経費, 購入費, 購入価格, 月額家賃, 工事費).
_COST = re.compile(r"(?:費|費用|価格|代金|家賃|料金)$")
_OCCUPIES = re.compile(r"\s?(?:程度|前後|強|弱)?(?:を占め|に及)")

#: 156件あった不法投棄件数が, 42人いた待機児童数は: the figure is what the measure after its clause stood at.
_QUALIFIED_MEASURE = re.compile(r"\s?(?:あった|いた|だった|であった)(?P<measure>[一-龥ァ-ヴー]{1,20}?(?:"
                                + "|".join(MEASURE_ENDS) + r"))(?:が|は|も|を)")

#: 4か所目となる外国人総合相談窓口を開設: the count an ordinal reaches is of the noun it becomes (…窓口数).
_ORDINAL_OF = re.compile(r"\s?目\s?(?:と\s?なる|の)\s?(?P<noun>[一-龥ァ-ヴー][一-龥ァ-ヴーぁ-ん]{0,18}?[一-龥ァ-ヴー])(?:を|が|は|に|として|[、。])")

#: What may stand between a topic and its figure: 、それぞれ, 、いずれも, 合わせて, 常に, 毎年, 各回, 全産業より, 本市を含め.
_ADVERB_GAP = re.compile(r"[、\s]*(?:それぞれ|いずれも|各々|合わせて|あわせて|年間|常に|毎年|例年|毎回|各回|1回あたり|1回当たり|概ね|おおむね|ほぼ)?[、\s]*"
                         r"(?:[^、。はが\s]{1,12}(?:より|に比べて?|と比べて?|と比較して?|を含め|を除き|を除いて)[、\s]*)?$")

#: …を有料としているのは、政令市20市中17市: the whole a clause's count is out of, between them.
_CLEFT_WHOLE = re.compile(r"(?<=のは)[、\s]*[^、。はが\s\d]{0,8}\d[\d,]*[^\d、。\s]{1,4}中[、\s]*$")
#: A verb of change right after a change: its object is what changed.
#: 従業者数でも全体の…: the measure a whole (全体) is counted in.
_MEASURED_BY = re.compile(r"([^\s、。のはが]{1,12}?(?:数|額|量|高))(?:でも|では|で)\s?$")
#: Measures of an amount (水揚量, 件数, 事業費), not of a group of people: a share's subject that is one
#: compares a level with a base.
_AMOUNT_ENDS = tuple(e for e in MEASURE_ENDS if e not in ("者", "員", "人"))
#: 6名に増員: a staff reached by a change of staff.
_LEVEL_REACHED = re.compile(r"\s?に\s?(?:増員|減員)")
#: 来年度は6回開催する: a figure with a verb of its own, which names what it counts.
_OWN_VERB = re.compile(r"\s?(?:の\s?[一-龥]{2}|に(?:対し|対して)?\s?[一-龥]{2}|[一-龥]{2}(?:する|した|し)|を)")
_CHANGE_VERBS = "|".join(resources.directions()["verbs"])
#: 40人であったが、…60人に拡大: a level a change brought a measure of the same sentence to.
_LEVEL_OF_SENTENCE = re.compile(rf"\s?(?:[(（][^()（）]{{0,20}}[)）])?\s?(?:体制)?(?:に|まで|へと?)\s?"
                                rf"(?:[一-龥]{{1,4}}的に)?\s?(?:{_CHANGE_VERBS})")
#: 5,100万円から縮減した: a change from the figure, with no level after it.
_CHANGE_FROM = re.compile(rf"\s?から\s?(?:[一-龥]{{1,4}}的に|大幅に|さらに)?\s?(?:{_CHANGE_VERBS})")
#: 46%削減, 2倍にする: a figure that is the size of a change of the verb's object.
_CHANGE_VERB = re.compile(rf"\s?(?:以上|程度)?\s?(?:の)?(?:{_CHANGE_VERBS}|増|減|に(?:する|し|{_CHANGE_VERBS}))")

#: …を月2回の実施とした: a verbal noun after the figure and its の, closing on a particle.
_DEED_AFTER = re.compile(r"\s?の\s?(?P<deed>[一-龥]{2,4})(?:と|に|で|を)")
#: 小学校12校での実施となった: a verbal noun after a count of places and its での.
_DEED_AT = re.compile(r"\s?での\s?(?P<deed>[一-龥]{2,4})(?:と|に|で|を|が|は|であ)")
#: …が文部科学省分である: what a figure is said to be (…が65歳以上の高齢者だった: with the class that bounds it).
_SAID_TO_BE = re.compile(r"\s?が\s?(?P<name>(?:[^、。がはをにでと\d()（）]|\d+[^\d、。]{0,3}?(?:以下|以上|未満)の){2,20}?)"
                         r"(?:(?:である|であり|であった|です|となっている|となる|だった|だ)(?=[。、(（]|こと|と|から|ため|など|$)"
                         r"|(?=[、。)）]))")  # 3割強が市外在住者、…, (99.7%が中小企業): the verb left out

#: 56か国(…)が参加: a figure that is itself the subject of a verb.
_DOER = re.compile(r"\s?が\s?(?:[一-龥]{2,}(?:[。、]|する|した|して|し|$)|[^、。]{0,3}(?:参加|出席|受講|応募|来場|利用))")

#: における, に対して, に関する: verbs that only join a noun to another.
_FUNCTIONAL_VERBS = frozenset(resources.periods()["functional_verbs"])
#: Words that say a sentence sets who qualifies (対象, 要件, 条件).
_ELIGIBILITY = re.compile("|".join(resources.periods()["eligibility"]))

#: 2022年に(は), 令和5年度(は): a time marked as a topic.
_TIME_TOPIC = re.compile(  # 2022年には, 開所当初は
    rf"(?:{TIME}(?:末|時点|現在)?|[一-龥]{{1,6}}(?:{'|'.join(EVENT_TIME)}))\s?(?:に|で)?$")


#: 補助額, 助成金額, 交付額: an amount paid, whose share of a cost is the rate of the aid.
_PAID_AMOUNT = re.compile(r"(補助|助成|交付|給付)金?額$")


#: After a count: it is the whole a part is of or what was done for (…1,126か所のうち, …180世帯中, …38戸に対し),
#: named by nothing but the clause before it.
#: 返還されなかった, 利用しなかった: a verbal noun's negated past, kept as written.
_NOT_DONE = ("されなかった", "しなかった")
#: 5校で (not 5校であった, 5校です, 5校でき, 5校での): the places or cases a deed was done at.
_AT_PLACES = re.compile(r"\s?で(?!あ|す|し|き|の)\s?")
_HEAD_FIGURE = re.compile(r"\s?(?:のうち|中|に対し|の内訳)")
#: ６名いた, 12校ある, 45件あった: there being that many of what follows.
_HAD = re.compile(r"\s?(?:いた|いる|あった|ある)(?=[一-龥ァ-ヶーA-Za-z])")
_SUBJECT_BEFORE = re.compile(r"(?<![にで])[がは]\s?(?:約|およそ)?\s?$")  # 対象者が5人いる; not 市内には約300件ある


#: 経費の1/2, 工事費の23%: the kinds a paid share of a cost is written in (guidelines: the aid rate).
_SHARES = ("ratio", "percent")

#: 定員の15名, 上限額の5万円: a setting of the scheme named before its value by の (guidelines: 定員 is a concept).
_SETTINGS = frozenset(resources.periods()["setting_measures"])


class ClauseNames(Phrases):
    """Naming rules that read the figure's clause."""

    def apposition(self, q: Quantity, sentence_start: int) -> str:
        """計画目標である38,000km2, 目標値である14日: the noun the figure is said to be names it;
        a value word (目標値, and 目標値の500g) is the value of the sentence's topic (書類審査期間の目標値)."""
        before = re.sub(TIME + r"\s?$", "", self.text[:figure_start(q)].rstrip(" "))  # 目標である令和7年度60%
        cut = 3 if before.endswith("である") else 1 if before.endswith("の") else 0  # 目標値の500gには届かなかった
        noun = self.ending_at(len(before) - cut) if cut else None
        if (noun is None or noun.idx + len(noun.text) != len(before) - cut or not is_noun_like(noun)
                or self.overlaps(noun)):
            return ""
        phrase = self.noun_phrase(noun) or noun.text  # 目標値: a value word, which clean() drops
        if cut == 1 and phrase in _SETTINGS and q.kind not in _SHARES:
            return phrase  # 定員の15名には満たない; not 定員の8割, a share of it
        if cut == 1 and not (phrase in NOT_CONCEPTS or VALUE_LABEL.fullmatch(phrase)):
            return ""  # 市民の500人: a の-modifier, no apposition
        if not phrase.endswith((*MEASURE_ENDS, *VALUE_NOUNS)):
            return ""  # 主たる要素である1つの契約: a description of what the figure counts
        if phrase in NOT_CONCEPTS or VALUE_LABEL.fullmatch(phrase):
            earlier = [p for p in self.quantities if p.end <= q.start and p.unit == q.unit and p.start in self._found]
            topic = self.topic(q, sentence_start) or (self._found[earlier[-1].start] if earlier else "")
            return f"{topic}の{phrase}" if topic else ""  # …割合は52.6%… 市の目標である60%: of that measure
        return phrase

    def changed_object(self, q: Quantity) -> str:
        """CO2排出量を2030年度において2013年度比46%削減, 気候資金の供与を…2倍にする: a change names
        the object of its verb, however far before it in the clause."""
        verb_at = self._after_aside(q) if q.kind == "percent" else q.end  # 収入を3%程度(月額9,000円)引き上げる
        if q.kind not in ("delta", "percent") or not _CHANGE_VERB.match(self.text, verb_at):
            return ""
        clause = max(self.text.rfind(ch, 0, figure_start(q)) for ch in "、。「(（") + 1
        marker = self.masked(clause, figure_start(q)).rfind("を")
        noun = self.ending_at(clause + marker) if marker >= 0 else None
        if noun is None or noun.idx + len(noun.text) != clause + marker or not is_noun_like(noun) or self.overlaps(noun):
            return ""
        return self.noun_phrase(noun)

    def deed_of_object(self, q: Quantity) -> str:
        """さくらんぼ相談会を月2回の実施とした, 養成講座を年4回の開催とし: a count of a deed (a verbal noun after
        の) done to the object before the figure is of that deed of that object (…相談会の実施回数)."""
        noun = self._deed_noun(_DEED_AFTER.match(self.text, max(q.end, q.suffix_end)))
        if noun is None:
            return ""
        marker = self.text[:figure_start(q)].rstrip()
        if not marker.endswith("を"):
            return ""
        obj = self.phrase_ending_at(len(marker) - 1)
        return f"{obj}の{noun.text}" if obj else ""

    def _deed_noun(self, deed: re.Match[str] | None) -> Token | None:
        """The verbal noun (実施, 開催) a pattern's ``deed`` group found, when the parse agrees it is one."""
        noun = self.starting_at(deed.start("deed")) if deed else None
        if noun is None or "サ変" not in noun.tag_ or noun.text != deed.group("deed") or noun.text in NOT_ACTIONS:
            return None
        return noun

    def deed_at_places(self, q: Quantity) -> str:
        """市内小学校12校での実施となった, 全10校での開催を計画: a count of the places a deed is done at is
        that deed's count of them (…の実施校数), not of the places alone."""
        noun = self._deed_noun(_DEED_AT.match(self.text, max(q.end, q.suffix_end))) if q.kind == "count" else None
        if noun is None:
            return ""
        places = self.label_before(figure_start(q))
        return f"{places}の{noun.text}" if places else noun.text

    def said_to_be(self, q: Quantity) -> str:
        """…のうち18,941,555千円が文部科学省分である: the noun a figure is said to be names it."""
        m = _SAID_TO_BE.match(self.text, max(q.end, q.suffix_end))
        last = self.ending_at(m.end("name")) if m else None
        if last is None or not is_noun_like(last) or "形状詞" in last.tag_:
            return ""  # 約57万人が必要となっている: a state, not a name
        name = clean(m.group("name"))
        if q.kind == "percent" and name and not RATE_NOUN.search(name):
            whole = self._whole_figure(q)  # 参加者152人の約7割が市内在住者: the part of that count
            return f"{whole}のうち{name}の割合" if whole else f"{name}の割合"
        return name

    def _whole_figure(self, q: Quantity) -> str:
        """参加者152人の約7割: the name of the count a share is written of, without its 数."""
        start = figure_start(q)
        before = next((p for p in reversed(self.quantities) if p.end <= start
                       and re.fullmatch(r"\s?の\s?", self.text[max(p.end, p.suffix_end):start])), None)
        name = self._found.get(before.start, "") if before is not None else ""
        return re.sub(r"数$", "", name)

    def subject_before(self, q: Quantity) -> str:
        """交通事故死者数は2,678人; 70歳以上が56.7% (a population named by a figure); 裁判数は、
        それぞれ190件 (past an adverb that distributes or sums); …しているのは、政令市20市中17市
        (past the whole the count is out of)."""
        start = figure_start(q)
        if gap := _CLEFT_WHOLE.search(self.text, max(0, start - 16), start) or _ADVERB_GAP.search(
                self.text, max(0, start - 12), start):
            start = gap.start()
        particle = self.ending_at(start)
        if particle is not None and particle.text in TOPIC_PARTICLES and particle.i > 0:
            figure = next(((s, e) for s, e in self.taken if s <= self.doc[particle.i - 1].idx < e
                           or e == self.doc[particle.i - 1].idx), None)
            if figure is not None and self.doc[particle.i - 1].text in QUALIFIER_WORDS | {"以上", "以下"}:
                return re.sub(r"\s+", "", self.text[figure[0]:particle.idx])
            nominal = self.doc[particle.i - 1]  # 同様の制度を設けているのは41市: the clause is what is counted
            if nominal.text == "の" and nominal.i > 0 and self.doc[nominal.i - 1].pos_ in ("AUX", "VERB"):
                clause = max(self.text.rfind(ch, 0, nominal.idx) for ch in "、。(（「") + 1
                return clean(self.text[clause:nominal.idx]) if 0 < nominal.idx - clause <= 30 else ""
        noun = self.marked_noun_before(start, TOPIC_PARTICLES)
        if noun is None or noun.text == "場合" or _DOER.match(self.text, self._after_aside(q)):
            return ""  # OECD開発センターは、56か国(…)が参加: the figure is the subject, the topic its owner;
            # 単身世帯の場合は2万円: a condition, the label of an item
        phrase = self.noun_phrase(noun)
        if (is_time(phrase) or VALUE_LABEL.fullmatch(phrase.replace("の", ""))) and not _OWN_VERB.match(
                self.text, max(q.end, q.suffix_end)):  # 目標は95.0%, 令和5年度の実績は512g, 令和元年度は3人:
            # which value (or when) of the measure the sentence's topic names (隊員数は、平成30年度は2人、…), else
            # of the one named before
            return ("" if VALUE_WORDS & set(phrase.split("の")) else self._topic_before(noun, q)) or self.earlier_name(
                q, within_sentence=False)
        if STATE_LABEL.fullmatch(phrase):  # 民営化後（令和3年度）は1億9,800万円: when, of the measure named before
            return ""
        return self.shared_modifier(phrase, noun) if phrase else ""

    def whole_before(self, q: Quantity) -> str:
        """自治体全体の約7割, 世帯主の55%: a share names the whole it is a share of."""
        if q.kind not in ("percent", "ratio"):
            return ""
        noun = self.marked_noun_before(figure_start(q), frozenset({"の"}))
        if noun is not None and any(p.kind == "delta" and p.end <= noun.idx < p.suffix_end for p in self.quantities):
            return ""  # 前年度比1.5ポイント増の20.7%: the の joins the change to the level it reached, no whole
        if noun is None:  # 人件費が事業費3,600万円の約8割を占めている: a share of a figure, of what the sentence's
            whole_figure = any(re.fullmatch(r"\s?の\s?", self.text[max(p.end, p.suffix_end):figure_start(q)])
                               for p in self.quantities if p.end <= q.start)  # subject is a part
            part = self.subject_of_sentence(q) if whole_figure and _OCCUPIES.match(
                self.text, max(q.end, q.suffix_end)) else ""
            return f"{part}の割合" if part else ""
        if q.unit == "倍" or self.text.endswith("倍", q.start, q.end):  # 全産業の2倍, 鋼鉄の5倍以上の強度: the noun is the base compared with, not a whole
            return self.compared_measure(q, self.noun_phrase(noun))
        if q.kind in _SHARES and (paid := PAID_SHARE.match(self.text, max(q.end, q.suffix_end))):
            return paid.group("verb") + "率"  # 経費の1/2以内を補助, 経費の50%を助成: the rate of the aid, not the cost
        if (q.kind in _SHARES and _COST.search(self.noun_phrase(noun)) and not _OCCUPIES.match(self.text, q.end)
                and (aid := self._aid_before(q))):
            return aid + "率"  # 補助金額：購入費の１０分の２, 【補助内容】対象経費の2分の1以内: the paid share of a cost
        if _OCCUPIES.match(self.text, max(q.end, q.suffix_end)) or noun.text in SCOPE_WORDS:  # …が全体の約7%を占める
            part = self.subject_of_sentence(q)
            whole = self.noun_phrase(noun)
            by = _MEASURED_BY.search(self.text, 0, noun.idx) if noun.text in SCOPE_WORDS else None
            if by:
                whole = by.group(1)  # 従業者数でも全体の68.5%を占め: the whole is of that measure
            if part and whole and (noun.text not in SCOPE_WORDS or by) and whole not in part:
                return f"{whole}のうち{part}の割合"  # 中小企業が全事業所の97.1%を占め: the part of that whole
            if part:
                return f"{part}の割合"
        subject = self.subject_of_sentence(q)
        if RATE_NOUN.search(subject):
            return subject  # 補助率は事業費の1/2以内: the rate the sentence is about, of that whole
        if q.kind in _SHARES and (paid := _PAID_AMOUNT.search(subject)):
            return subject[:paid.start()] + paid.group(1) + "率"  # 補助額は工事費の2分の1, …の23%: the aid's rate
        if q.kind == "percent" and (part := _USED_AS.match(self.text, max(q.end, q.suffix_end))):
            return f"{self.noun_phrase(noun)}のうち{clean(part.group('part'))}の割合"  # 石油消費量の約24%を化学用原料として
        whole = self.noun_phrase(noun)
        whole_start = noun.idx + len(noun.text) - len(whole)
        if (q.kind == "percent" and subject and whole and subject != whole and whole not in subject
                and not subject.endswith(_AMOUNT_ENDS)  # 水揚量は被災前年の54%: a level against a base
                and self.text[whole_start:noun.idx + len(noun.text)] == whole
                and self.text[:whole_start].rstrip().endswith(("は", "が"))):
            if subject.endswith("負担"):  # 利用者負担は費用の1割: the share of the cost its users bear
                return f"{subject}割合"
            return f"{whole}のうち{subject}の割合"  # 市内に宿泊した人は回答者の2～3割: the subject is the part
        opening = self.bracket_of(q)
        if q.kind == "percent" and opening >= 0 and re.match(r"\s?[)）]", self.text[max(q.end, q.suffix_end):]):
            owner = self.phrase_ending_at(opening)  # 外国語指導助手(…。全招致者数の約9割): the noun is the part
            # of a whole population (全…, …全体, 総…), not of a level
            if owner and owner != whole and (re.match(r"全|総", whole) or whole.endswith("全体")):
                return f"{whole}のうち{owner}の割合"
        return f"{whole}の割合" if q.kind == "percent" and whole and not RATE_NOUN.search(whole) else whole  # 世界人口の約4割

    def _aid_before(self, q: Quantity) -> str:
        """What the scheme whose terms the line of ``q``, or the line above it, states pays (補助, 助成, …):
        the last such word before it there, unless those lines are of results (【補助事業の実績】)."""
        this_line = self.text.rfind("\n", 0, q.start)
        line = self.text.rfind("\n", 0, this_line) + 1 if this_line > 0 else 0  # this line and the one above
        words = self.text[line:figure_start(q)]
        found = [m.group() for m in re.finditer("|".join(PAID_VERBS), words)]
        return found[-1] if found and "実績" not in words else ""

    def named_as(self, q: Quantity) -> str:
        """森林吸収量目標として約3,800万t-CO2, 約1兆6,644億円を支援額として: the measure a figure is
        stated as (not a role: 友好都市として2社)."""
        start = figure_start(q)
        after = re.match(r"\s?を\s?([^、。をとし]{2,15})として", self.text[max(q.end, q.suffix_end):])
        if after:
            end = max(q.end, q.suffix_end) + after.end(1)
        elif self.text[:start].rstrip().endswith("として"):
            end = self.text[:start].rstrip().rfind("として")
        else:
            return ""
        tok = self.ending_at(end)
        phrase = self.noun_phrase(tok) if tok is not None and is_noun_like(tok) and not self.overlaps(tok) else ""
        return phrase if phrase.endswith((*MEASURE_ENDS, "目標", "目標値")) else ""  # 友好都市として2社: a role

    def action_topic(self, q: Quantity, sentence_start: int) -> str:
        """ICT支援員の配置は、2020年度4人で12校、…: figures under a topic (は) that is an action on
        someone (…の配置, …の派遣) count those people (ICT支援員数) or the action's places
        (ICT支援員の配置校数), not the verb that closes the sentence (…と拡充した)."""
        marks = [t for t in self.doc[self.token_range(sentence_start, figure_start(q))]
                 if t.text == "は" and t.pos_ == "ADP" and t.i > 0
                 and not TIME_IN_LABEL.search(self.text[max(0, t.idx - 6):t.idx])]  # not 令和6年度は
        topic = self.noun_phrase(self.topic_noun(marks[-1])) if marks else ""
        who, _, act = topic.rpartition("の")
        if not who or not (act in self._verbal_nouns or act.endswith("化")):  # 配置, 派遣, LED化
            return ""
        if q.unit in ("人", "名"):
            return who if who.endswith(("員", "者", "師", "士")) else ""
        return topic if q.kind == "count" else ""

    def level_reached(self, q: Quantity) -> str:
        """…4名であったが、令和5年度は6名に増員: the level a measure was brought to, with no noun of its
        own, is of the measure of the nearest earlier figure of its unit in the cell."""
        staff = _LEVEL_REACHED.match(self.text, max(q.end, q.suffix_end))
        if (not staff and not _LEVEL_OF_SENTENCE.match(self.text, max(q.end, q.suffix_end))) or self.set_to(q):
            return ""  # 多子加算額を…6,000円に引き上げた: a level with its own object is that object's
        if earlier := self.earlier_name(q, within_sentence=not staff):  # other changes: a level stated in the sentence
            return earlier
        thing = self._changed_thing(q)  # 国産材の供給量を42百万m3まで増加させる: of what is changed
        return self.noun_phrase(thing) if thing is not None else ""

    def _topic_before(self, noun: Token, q: Quantity) -> str:
        """The nearest topic the sentence marks before ``noun`` that is no time (有病率については、2014年時点が),
        when no figure of another unit stands between (not 定員は各回30名とし、令和7年度は24回)."""
        sentence = self.text.rfind("。", 0, noun.idx) + 1
        topics = [n for t in self.doc[self.token_range(sentence, noun.idx)]
                  if t.text in TOPIC_PARTICLES and t.pos_ == "ADP" and t.i > 0 and is_noun_like(n := self.topic_noun(t))
                  and not self.overlaps(n) and not is_time(self.noun_phrase(n))]
        if not topics or any(topics[-1].idx < p.start < q.start and p.unit_category != q.unit_category
                             for p in self.quantities) or TOPIC_CLOSED.search(self.text, topics[-1].idx, noun.idx):
            return ""
        return self.noun_phrase(topics[-1])

    def earlier_name(self, q: Quantity, within_sentence: bool) -> str:
        """The name of the nearest earlier figure of the same unit (in the cell, or its sentence)."""
        sentence = self.text.rfind("。", 0, q.start) + 1 if within_sentence else 0
        earlier = [p for p in self.quantities if sentence <= p.start and p.end <= q.start
                   and p.unit_category == q.unit_category and p.start in self._found]
        return self._found[earlier[-1].start] if earlier else ""

    def _changed_thing(self, q: Quantity) -> Token | None:
        """The object (…を) of the change the figure's clause states, before the figure."""
        clause = max(self.text.rfind(ch, 0, q.start) for ch in "、。\n") + 1
        mark = next((t for t in reversed(self.doc[self.token_range(clause, figure_start(q))])
                     if t.text == "を" and t.pos_ == "ADP"), None)
        return self.marked_noun_before(mark.idx + 1, frozenset({"を"})) if mark is not None else None

    def level_from(self, q: Quantity, sentence_start: int) -> str:
        """相談窓口は、令和５年度の２か所から、令和６年度は…３か所に拡大, ごみ収集車を見直し前の14台から…
        11台に削減: the level a change starts from, with no noun of its own, is of what the change is
        done to (its object in the clause, else the sentence's topic), not of a verb on the way (…を加えて)."""
        end = max(q.end, q.suffix_end)
        stop = self.text.find("。", end)
        reached = [p for p in self.quantities if end < p.start < (len(self.text) if stop < 0 else stop)
                   and p.unit_category == q.unit_category and _LEVEL_OF_SENTENCE.match(self.text, max(p.end, p.suffix_end))]
        if not STARTS_FROM.match(self.text, end):
            return ""
        if not reached:  # 委託料は4,800万円であり、前年度の5,100万円から縮減した: the level the change left,
            return self.earlier_name(q, within_sentence=True) if _CHANGE_FROM.match(self.text, end) else ""
            # of the measure the sentence named for the level it reached
        thing = self._changed_thing(q)  # ごみ収集車を…14台から: its object
        return self.noun_phrase(thing) if thing is not None else self.topic(q, sentence_start)

    def following_predicate(self, q: Quantity) -> str:
        """42,444名参加, 2回開催, 2社出展: a verb right after the figure (or after figures listed with it).

        A change carries its verb (CO2排出量を…46%削減): its object names what changed.
        """
        if q.kind == "delta":
            verb = next((t for t in self.doc[self.token_range(q.end, q.suffix_end)]
                         if is_predicate(t, loose=True)), None)
            if (verb is not None and verb.lemma_ not in _COMPARATIVE_VERBS
                    and any(c.dep_ == "obj" and not self.overlaps(c) for c in verb.children)):
                return self.verb_phrase(verb, q)  # not 52,067時間を削減: the figure is the object
        pos = max(q.suffix_end, q.end)
        while True:
            while pos < len(self.text) and self.text[pos] == " ":
                pos += 1
            nxt = next(((s, e) for s, e in self.taken if s == pos), None)
            if nxt is None:
                break
            pos = nxt[1]
        tok = self.starting_at(pos)
        if (tok is None or not is_predicate(tok, loose=True) or tok.lemma_ in LINKING_VERBS
                or tok.text in QUALIFIER_WORDS or self.text[pos - 1:pos] == " "):
            return ""  # 研修参加者 合計1,540人 / 相談総数…: a word after a space opens the next item
        return self.verb_phrase(tok, q)

    def rate_noun(self, q: Quantity, sentence_start: int) -> str:
        """For a percentage or a fraction: the nearest earlier noun naming a rate (補助率, 高齢化率)."""
        if q.kind not in ("percent", "ratio") and q.unit not in ("%", "倍"):
            return ""
        for tok in reversed(self.doc[self.token_range(sentence_start, figure_start(q))]):
            if (is_noun_like(tok) and RATE_NOUN.search(tok.text) and not self.overlaps(tok)
                    and not self.in_aside(tok, q)):
                return self.noun_phrase(tok)
        return ""

    def from_parse(self, q: Quantity) -> str:
        """Concept from the dependency parse around the figure."""
        tok = self.anchor(q)
        if tok is None:
            return ""
        for child in tok.children:
            if child.dep_ == "nsubj" and not self.overlaps(child) and not self.in_aside(child, q):
                return self.noun_phrase(child)
        opening = self.bracket_of(q)
        if opening >= 0 and TIME_WORDS.fullmatch(re.sub(r"[\sでにの]", "", self.text[opening + 1:figure_start(q)]) or "年"):
            before = self.ending_at(opening)  # 整備されていない自治体(2025年5月12日時点で27箇所)
            before = before if before is not None and before.idx + len(before.text) == opening else None
            if (before is not None and before.pos_ == "NOUN" and not self.overlaps(before)
                    and not any(c.dep_ == "obj" for c in before.children)):
                return self.noun_phrase(before)  # 理解促進(300時間程度): a name, not an action
            if before is not None and is_predicate(before, loose=True) and before.lemma_ not in LINKING_VERBS:
                return self.verb_phrase(before, q)
            if before is not None and is_noun_like(before) and not self.overlaps(before):
                return self.noun_phrase(before)
        head = tok.head
        while head.i != head.head.i and (self.overlaps(head) or head.text in QUALIFIER_WORDS):
            head = head.head
        if "\n" in self.text[max(q.end, q.suffix_end):head.idx]:
            return ""  # ◇市民農園：年額6,000円 / 令和6年度は…を貸し出した: a line break ends the figure's clause
        if (head.i != tok.i and is_predicate(head) and head.lemma_ in _COMPARATIVE_VERBS
                and not q.qualifiers & {"more_than", "less_than"}):  # (1万人を超える来場者: a bound, not a base)
            return ""  # 年平均1,051件と比べて, 3,188万人に迫る水準: a base compared with names no measure of its own
        if head.i != tok.i and is_predicate(head):
            subject = next((c for c in head.children if c.dep_ == "nsubj" and not self.overlaps(c)
                            and not self.in_aside(c, q)), None)
            reached = (tok.dep_ == "obl" and self.bracket_of(q) < 0
                       and self.text.startswith("に", max(q.end, q.suffix_end)))
            measure = self.noun_phrase(subject) if subject is not None and reached else ""
            if measure and measures_kind(measure, q):
                return measure  # 医療機関数は、…342機関に拡大した: the level the measure the sentence is about reached
            if head.lemma_ in LINKING_VERBS:
                subj = next((c for c in head.children if c.dep_ == "nsubj" and not self.overlaps(c)), None)
                return self.noun_phrase(subj) if subj is not None else ""
            if tok.dep_ == "nsubj":
                return self.verb_phrase(head, q)
            if head.dep_ == "acl" and not any(c.dep_ == "obj" for c in head.children) and head.head.i > head.i:
                return self.noun_phrase(head.head)
            return self.verb_phrase(head, q)
        if (head.i > tok.i and is_noun_like(head) and not self.overlaps(head) and not self.in_aside(head, q)
                and not ("、" in self.text[max(q.end, q.suffix_end):head.idx]  # AをN、BをM: not the next item's
                         and self.marked_noun_before(figure_start(q), frozenset({"を"})) is not None)):
            if (q.kind == "percent" or (q.unit in ("人", "名") and "サ変" not in head.tag_)) \
                    and head.dep_ == "nsubj" and head.head.i > head.i \
                    and is_predicate(head.head) and head.head.lemma_ not in LINKING_VERBS:
                return self.doing_share(head, head.head, "の割合" if q.kind == "percent" else "数")  # 50%の農地が…
            done = head.head if head.dep_ == "obj" and head.head.i > head.i else None
            noun = self.noun_phrase(head)  # 12名の生徒を派遣した, 500部のパンフレットを配布: what was done to the
            if (q.kind == "count" and done is not None and done.pos_ == "VERB" and "サ変" in done.tag_  # things
                    and not self.overlaps(done) and done.lemma_ not in NOT_ACTIONS | _LIGHT_ACTIONS  # counted; not
                    and not noun.endswith((*MEASURE_ENDS, "定員"))):  # 100人の定員を設定: a measure already
                return f"{done.lemma_}{noun}" if q.unit in ("人", "名") else f"{noun}の{done.lemma_}"
            if head.dep_ == "nmod" and head.head.i > head.i and not self.overlaps(head.head) \
                    and measures_kind(whole := self.noun_phrase(head.head), q):
                return whole  # 約337万トンであった一般廃棄物の最終処分量: the measure the modified noun is of
            return self.noun_phrase(head)
        noun = self.marked_noun_before(figure_start(q), frozenset({"を"}))
        return self.noun_phrase(noun) if noun is not None else ""

    def nearest_noun(self, q: Quantity, sentence_start: int) -> str:
        """Last resort: the nearest noun phrase before the figure in its sentence."""
        for tok in reversed(self.doc[self.token_range(sentence_start, figure_start(q))]):
            if (is_noun_like(tok) and not self.overlaps(tok) and tok.text not in NOT_CONCEPTS
                    and not TIME_WORDS.fullmatch(tok.text) and not VALUE_LABEL.fullmatch(tok.text)):
                phrase = self.noun_phrase(tok)
                if phrase and phrase not in NOT_CONCEPTS:
                    return phrase
        return ""

    def carried_topic(self, q: Quantity, sentence_start: int) -> str:
        """…受入数については、…約31万人となった。しかしながらその後、…約23万人まで減少し: a sentence
        with no topic or subject before its figure goes on about the topic of the sentence before."""
        if sentence_start == 0 or any(
                t.text in TOPIC_PARTICLES and t.pos_ == "ADP" and not _TIME_TOPIC.search(self.text, 0, t.idx)
                for t in self.doc[self.token_range(sentence_start, figure_start(q))]):
            return ""  # 2022年には is a time, not a topic
        previous = self.text.rfind("。", 0, sentence_start - 1) + 1
        for tok in self.doc[self.token_range(previous, sentence_start)]:
            if tok.text == "は" and tok.pos_ == "ADP" and tok.i > 0:
                noun = self.topic_noun(tok)
                phrase = self.noun_phrase(noun) if is_noun_like(noun) and not self.overlaps(noun) else ""
                return phrase if measures_kind(phrase, q) else ""
        return ""

    def predicate_after(self, q: Quantity) -> str:
        """When nothing before the figure names it: the measure its clause qualifies (156件あった不法投棄件数),
        the noun an ordinal becomes (4か所目となる相談窓口 → 相談窓口数),
        or the first predicate after it in its clause, with the counter's measure (…が7%増加 → 増加率,
        68か国で…支援 → 支援か国数)."""
        if qualified := _QUALIFIED_MEASURE.match(self.text, max(q.end, q.suffix_end)):
            return qualified.group("measure")
        if ordinal := _ORDINAL_OF.match(self.text, q.end):  # 目 is the suffix of the figure
            return ordinal.group("noun") + "数"
        end = min((i for i in (self.text.find("。", q.end), self.text.find("\n", q.end)) if i >= 0),
                  default=len(self.text))  # its clause ends with its sentence or its line
        quoted = False
        for tok in self.doc[self.token_range(max(q.end, q.suffix_end), end)]:
            if tok.text in ("「", "」") or quoted:  # 4か所目となる「SOS子どもの村西部」を開設: a name quoted
                quoted = tok.text != "」" and (quoted or tok.text == "「")  # on the way is no end of the clause
                continue
            if tok.text in STOP_PUNCT or self.overlaps(tok):
                return ""
            if tok.lemma_ in _FUNCTIONAL_VERBS or tok.dep_ == "fixed":
                continue  # 36施設に対して…補助: a verb that only joins, not what is done
            if is_predicate(tok, loose=True) and tok.lemma_ not in LINKING_VERBS - {"増加", "減少"}:
                return clean((tok.lemma_ if tok.pos_ == "VERB" else tok.text) + measure_of(q))
        return ""

    def set_to(self, q: Quantity) -> str:
        """訪日外国人旅行消費額単価を20万円とする, 旅行者数を2030年に6,000万人に: the object a figure is
        set to (a target, mostly) is what it measures, and the level it was set from (…を、令和5年度から42万円
        から50万円に) too; a time, a base or a comma between them is skipped."""
        after = max(q.end, q.suffix_end)
        to = next((p for p in self.quantities if p.start > q.start), None)
        if to is not None and _FROM_TO.fullmatch(self.text, after, figure_start(to)):
            return self.set_to(to)  # 42万円から50万円に引き上げた: the level before is of the same measure
        if not _SET_TO.match(self.text, after):
            return ""
        pos = figure_start(q)
        if since := _FROM_BEFORE.search(self.text, max(0, pos - 12), pos):  # 支給額を、令和5年度から1児につき42万円から
            pos = since.start()
        time = _TIME_BEFORE.search(self.text[max(0, pos - 16):pos])
        if time:
            pos -= len(time.group())
        if spread := _EACH_BEFORE.search(self.text[max(0, pos - 9):pos]):  # 定員を各回40人として: of each
            pos -= len(spread.group())
        if base := _BASE_BEFORE.search(self.text, max(0, pos - 12), pos):  # 給付額を1人当たり年額12,000円に
            pos = base.start()
        if since := _SINCE_BEFORE.search(self.text, max(0, pos - 12), pos):
            pos = since.start()
        while (span := _SPAN_BACK.search(self.text, max(0, pos - 16), pos)) and span.start() < pos:
            pos = span.start() - self.text.endswith("、", 0, span.start())  # and the comma before it
        noun = self.marked_noun_before(pos, frozenset({"を"}))
        return clean(self.noun_phrase(noun)) if noun is not None else ""

    def doer(self, q: Quantity) -> str:
        """約630万人が食糧不安に直面 → 食糧不安に直面する人数; 受講者の7〜8割が「満足」と回答 →
        「満足」と回答する受講者の割合 (guidelines: a sentence with no noun for the measure names it
        from the predicate and the counter); 31社が新製品の試作に着手 → 新製品の試作に着手した社数. Only
        people, shares and counts that do what a predicate with its own words says; 42,444名が参加 is left to the
        verbal noun (参加者数)."""
        head = q.kind == "count" and _HEAD_FIGURE.match(self.text, self._after_aside(q))
        if q.kind == "count" and not head and (things := self.counted_after(q)) and (done := self.done_to(q)):
            # 配置した12名の相談員 too: the people after の are what the clause did
            return f"{done.removesuffix(measure_of(q))}{things}{'回数' if q.unit_category == 'times' else '数'}"
        marker = SUBJECT_MARK.match(self.text, self._after_aside(q))
        people = q.unit in ("人", "名")
        where = self._places_of_deed(q) if marker is None and q.kind == "count" and not people else None
        marker = marker or where
        if not (q.kind == "percent" or people) and (q.kind != "count" or marker is None):
            return self.done_to(q) if head else ""
        if marker is None:
            return self.done_to(q)
        verb, quoted = None, 0
        for tok in self.doc[self.token_range(marker.end(), len(self.text))]:
            quoted += (tok.text in ("「", "『")) - (tok.text in ("」", "』"))
            if tok.text in ("、", "。", "/") or self.overlaps(tok):
                return ""
            if not quoted and is_predicate(tok) and tok.lemma_ not in LINKING_VERBS and tok.dep_ != "fixed":
                verb = tok  # 「また参加したい」と回答: the predicate is the answer, not what it says
                break
        between = self.text[marker.end():verb.idx].strip() if verb is not None else ""
        part = re.search(r"中\s?$", self.text[:figure_start(q)])  # 支援対象者25人中18人が就職した
        if verb is None or (not between and (not part or where)) or len(between) > 30:
            return ""
        base = as_written(verb)
        whole = self.marked_noun_before(figure_start(q), frozenset({"の"}))
        if q.kind == "percent":  # 「満足」と回答する受講者の割合, 民間貿易で輸入する割合
            return clean(f"{between}{base}{self.noun_phrase(whole) + 'の' if whole is not None else ''}割合")
        if not people:  # 31社が新製品の試作に着手した → 新製品の試作に着手した社数
            return clean(f"{between}{base}{measure_of(q)}")
        who = self.label_before(figure_start(q))  # 新規就農者5人が作付けを開始した: those the label says they are
        return clean(f"{between}{base}{who}数" if who.endswith(("者", "員")) else f"{between}{base}人数")

    def _places_of_deed(self, q: Quantity) -> re.Match | None:
        """5校で体育館への空調設備の設置を完了した: で after a count of the places (or cases) where the predicate
        after it was done; not 訪問件数は48件で… (a topic's value, で joining the next clause), 郵送業務を8都市で
        共同実施 (the deed of the object before it), 250校での実施 (a noun of the deed)."""
        before = self.marked_noun_before(figure_start(q), TOPIC_PARTICLES | {"を"})
        timed = before is not None and TIME_WORDS.fullmatch(before.text)  # 今年度は5校で: a time, no topic
        return _AT_PLACES.match(self.text, self._after_aside(q)) if before is None or timed else None

    def counted_after(self, q: Quantity) -> str:
        """認定した10社のWEBメディア運営事業者: the things a count is of, written after it with の; the
        clause before the count says which of them (認定したWEBメディア運営事業者数)."""
        pos = max(q.end, q.suffix_end)
        return self._noun_from(pos + 1) if self.text.startswith("の", pos) else ""

    def things_had(self, q: Quantity) -> str:
        """６名いた現場業務員, 市内に12校ある小学校, 45件あった苦情: a count that says how many of the
        things after it there are (were) is the count of those things (現場業務員数); not when a subject
        right before it names them (対象者が5人いる状況), nor a noun that names no thing (状況, ため)."""
        had = _HAD.match(self.text, max(q.end, q.suffix_end)) if q.kind == "count" else None
        things = self._noun_from(had.end()) if had and not _SUBJECT_BEFORE.search(self.text, 0, figure_start(q)) else ""
        return "" if things in NOT_CONCEPTS or TIME_WORDS.fullmatch(things) else things

    def _noun_from(self, pos: int) -> str:
        """The run of nouns that starts at ``pos`` (WEBメディア運営事業者)."""
        tok, last = self.starting_at(pos), None
        while tok is not None and is_noun_like(tok) and not self.overlaps(tok):
            last, tok = tok, self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        return self.text[pos:last.idx + len(last.text)] if last is not None else ""

    def done_to(self, q: Quantity) -> str:
        """被害を受けた560万人, 支援を必要とする約3割, 避難した約350人, 浸水の被害を受けた38戸: people, a
        share or things named only by the clause that modifies them, its verb with its object, or with
        what the things were made (ため池に指定している1,126か所): 被害を受けた人数, 避難した人数, …戸数."""
        verb = self.ending_at(figure_start(q))
        if verb is None or verb.idx + len(verb.text) != figure_start(q):
            return ""
        while (verb.pos_ == "AUX" or verb.dep_ in ("fixed", "mark")) and verb.i > 0:
            verb = self.doc[verb.i - 1]  # 受けた, 避難した, 指定している: the verb, past its auxiliaries
        said = next((c for c in verb.children if c.dep_ == "obl" and not self.overlaps(c)  # 要精密検査と判定された
                     and any(g.text == "と" and g.dep_ == "case" for g in c.children)), None)
        judged = said is not None and verb.lemma_ == "する" and said.text not in VALUE_WORDS  # 対策が必要とされた
        # 23ヶ所: what they were judged to be (not 目標とする240人: which value)
        if (not is_predicate(verb, loose=True) or self.overlaps(verb) or verb.lemma_ in _SCOPE_VERBS  # 本市を含む8都市
                or (verb.lemma_ in LINKING_VERBS and not judged)):  # a verb that only links
            return ""
        people = q.unit in ("人", "名") or q.kind == "percent"
        obj = next((c for c in verb.children if c.dep_ == "obj" and not self.overlaps(c)), None) or (
            None if people else next(  # ため池に指定している1,126か所: what
                (c for c in verb.children if c.dep_ == "obl" and not self.overlaps(c)  # the things were made
                 and self.text.startswith("に", c.idx + len(c.text)) and not TIME_WORDS.fullmatch(c.text)), None))
        subject = None if obj is not None or said is not None or not people else next(  # がんが発見された5人: what
            (c for c in verb.children if c.dep_ == "nsubj" and not self.overlaps(c)  # happened to them, by its subject
             and self.text.startswith("が", c.idx + len(c.text))), None)
        ending = self.text[verb.idx + len(verb.text):figure_start(q)]
        done = "サ変" in verb.tag_ and verb.lemma_ not in _FUNCTIONAL_VERBS and ending in (
            "した", "している", "された", "されている", *_NOT_DONE)
        if obj is None and subject is None and not judged and not done:
            return ""  # only a verbal noun done to them names them alone (避難した約350人; not 対し, 引き続き)
        marked = "に" if obj is not None and obj.dep_ == "obl" else "を"
        action = (f"{self.noun_phrase(obj)}{marked}" if obj is not None
                  else f"{self.noun_phrase(said)}と" if said is not None
                  else f"{self.noun_phrase(subject)}が" if subject is not None
                  else "") + (verb.text + ending if judged
                              else verb.lemma_ + ending if ending in _NOT_DONE  # 返還されなかった404台: not done
                              else verb.lemma_ + "された" if ending.startswith("され") else as_written(verb))
        return clean(action + measure_of(q))  # 避難した人数, 要精密検査と判定された人数, 被害を受けた戸数

    def eligible_age(self, q: Quantity, sentence_start: int) -> str:
        """対象は市内に住所を有する65歳以上の方, 3歳未満の児童の利用料を無償化: an age in a sentence that says
        who qualifies, or that bounds the class the noun after it names, is the scheme's 対象年齢, not a noun
        near it."""
        stop = self.text.find("。", q.end)
        sentence = self.text[sentence_start:len(self.text) if stop < 0 else stop]
        return "対象年齢" if q.unit == "歳" and (
            _ELIGIBILITY.search(sentence) or CLASS_BOUND.match(self.text, q.end)) else ""

    def elapsed_since(self, q: Quantity) -> str:
        """国保改革から7年が経過し, 法律の施行から10年を迎え: a length of time that has passed since an
        event is the time elapsed since it (国保改革からの経過年数), not a span the verb lasted."""
        if q.kind != "duration" or not ELAPSED.match(self.text, max(q.end, q.suffix_end)):
            return ""
        event = self.marked_noun_before(figure_start(q), frozenset({"から"}))
        phrase = self.noun_phrase(event) if event is not None and not self.overlaps(event) else ""
        return f"{phrase}からの経過{unit_measure(q)}" if phrase and not is_time(phrase) else ""

    def discount(self, q: Quantity) -> str:
        """水道料金の20%を減額 → 水道料金の減額率; 従量料金30%減額 → 従量料金の減額率; 水道料金の減免を
        廃止(10%減免⇒0) → 水道料金の減免率: a fee's discount is named by the fee it is taken off."""
        m = DISCOUNT.match(self.text, max(q.end, q.suffix_end)) if q.kind == "percent" else None
        if m is None:
            return ""
        word, start = m.group("word"), figure_start(q)
        word = "割引" if word.startswith("引") else word  # 2割引
        noun = self.marked_noun_before(start, frozenset({"の"}))
        fee = self.noun_phrase(noun) if noun is not None else self.label_before(start)
        opening = self.bracket_of(q)
        if not fee and opening >= 0 and (named := self.text.rfind(f"の{word}", 0, opening)) >= 0:
            fee = self.phrase_ending_at(named)  # 水道料金の減免を廃止（10%減免⇒0）
        rate = f"{fee}の{word}率" if fee else f"{word}率"
        group = self._group_of_clause(start)  # 障害者手帳をお持ちの方は２割引, 第2子は保育料の50％を減免: the
        return f"{rate}（{group}）" if group and group != fee else rate  # class the discount is for, as its item

    def _group_of_clause(self, pos: int) -> str:
        """The topic (…は) of the clause that ends at ``pos``, when it names a group, not a measure or a time."""
        clause = max(self.text.rfind(ch, 0, pos) for ch in "、,。\n") + 1
        topic = next((self.noun_phrase(self.topic_noun(t)) for t in self.doc[self.token_range(clause, pos)]
                      if t.text == "は" and t.pos_ == "ADP" and t.i > 0), "")
        return "" if not topic or topic.endswith(_AMOUNT_ENDS) or is_time(topic) else topic
