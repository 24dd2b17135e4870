"""Names read from how the cell is written: a scheme's bracket, a list's heading, a series
labelled by time, a quoted item, a label line, the item's own label, a colon label, a figure
listed right after another. They come first: the layout is surer than the parse."""

from __future__ import annotations

import re

from pipeline import resources
from pipeline.rules.concepts.phrases import Phrases
from pipeline.rules.dates import AS_OF, BARE_ERA_YEAR, QUARTER, YEAR
from pipeline.rules.concepts.words import (
    BASE_OPENS, BRACKETED, clean, count_name, COUNT_OF_PEOPLE, EACH, figure_start, is_noun_like, is_time, MEASURE_ENDS,
    measures_other_kind, PAID_LATER, PAID_VERBS, PLAIN_VERB, RATE_NOUN, SCHEME_PARAMETER, SCOPE_WORDS, STATE_LABEL,
    SUBJECT_MARK, TIME, TIME_IN_LABEL, TIME_PREFIX, TIME_WORDS, unit_measure, unmarked, VALUE_LABEL, WORDS,
)
from pipeline.rules.quantities import Quantity
from pipeline.rules.scopes import heading_name, SECTION_LABEL
from pipeline.rules.sentences import SEGMENT_END


_COLON = re.compile(r"[:：]")
_LIST_FILLER = re.compile(r"(?:[\s、,・]|で|と|" + "|".join(sorted(SCOPE_WORDS, key=len, reverse=True)) + r")*")

#: A time at a label's start: 令和5年度の, 令和5年度は, 令和6年度貸出冊数, 2020~2024年の, 20202024年の (a lost 〜).
_LEADING_TIME = re.compile(r"^(?:(?:令和|平成|昭和|R|H)?(?:元|\d{1,4})(?:年度?)?[~〜\-])?"
                           r"(?:令和|平成|昭和|R|H)?(?:元|\d{1,8})(?:年度(?:まで|以降|から)?[のは]?|年(?:まで|以降|から)?[のは])")
#: 年度予算額, 年の利用者数: what the parse leaves of a label's opening time (令和5年度予算額：), no name.
_YEAR_LEFT = re.compile(r"^(?:年度の?(?!末|内|当初|途中|中)|年の)")
#: Between two steps of a chain: an arrow, and maybe the next step's time (→ 2022年度).
_CHAIN_JOINT = re.compile(r"\s?[→⇒➡]\s?[^、。()（）→⇒➡]{0,14}?\s?")
#: A bracket of words closing a chain: its measure.
_CHAIN_NAME = re.compile(r"\s?[(（](?P<name>[^()（）\d、。]{2,30})[)）]")
#: NAME：… — a heading whose list (separated by ／) the figure is an item of, on the name's own line
#: (観光入込客数：目標…／実績…、達成率90.5％ under ◆成果指標).
_HEADED_LIST = re.compile(r"(?:^|(?<=\n)|[】\]>＞])[ \t]?(?P<name>[^：:／/。【】()（）\s]"
                          r"(?:[^：:／/。【】()（）\n]|[(（][^()（）：:。]*[)）]|【※[^】]*】|[／/](?=[年月週日][：:])){1,60}?)[：:]"
                          r"(?P<rest>[^：:【】]*)$")  # 導入補助（台/年度毎）：, 実施企業数/年：, 件数【※…】：
#: 開催回数／参加者数　18回／: the names, then the figures before this one, each closed by its slash.
_PAIRED_NAME = r"[^\s\d／/:：、。]+"
_PAIRED_VALUE = r"(?:[^／/\s]*\d[^／/\s]*[ \t]*[／/][ \t]*)"
_PAIRED_NAMES = re.compile(rf"(?<![\d,.%])(?P<names>{_PAIRED_NAME}(?:[ \t]*[／/][ \t]*{_PAIRED_NAME})+)"
                           r"(?:[ \t]*[:：][ \t]*|[ \t]+)"
                           rf"(?P<values>{_PAIRED_VALUE}*)[^\d\s／/]{{0,3}}$")
#: 24件／11件／: a line that holds only the figures before this one, each closed by its slash.
_PAIRED_VALUES = re.compile(rf"[ \t]*{_PAIRED_VALUE}*[^\d\s／/]{{0,3}}")
#: The slash between the items of a list (目標 97／実績 62); not a fraction's (補助率：2/3以内).
_LIST_SEPARATOR = re.compile(r"(?<!\d)[／/]|[／/](?!\d)")
#: …を…として育成するための, 受診率を令和7年度に: a clause before a figure (an object before its verb, or before
#: the figure the verb sets it to), which no item label is.
_PROSE = re.compile(r"[一-龥ァ-ヶー]を(?:[^\d]*(?:ための|する|した|して)|[^、。]*$)")
#: 申込受付後, 卒業後: an event after which a length of time is counted.
_COUNTED_FROM = re.compile(r"[一-龥]{2}後$")
_ITEM_LABEL = re.compile(r"\s?([^\s\d（()、,.]+)")
#: R5.3調査時点：, 4月1日現在： a label that says the moment its figures stand at.
_AS_OF_LABEL = re.compile(rf"(?:{AS_OF.pattern})\s?$")
#: The の (or space) between a label and the qualifier word its figure opens with (参加者数の合計：120人).
_BEFORE_QUALIFIER = re.compile(r"(?:\s?の)?\s?$")
#: What may open a line before its figure: a list mark or a circled number.
_FIGURE_FIRST = re.compile(rf"[ \t]*(?:[・{resources.heading_marks()}]|[①-⑳])?[ \t]*")
#: The words that close such a line across a space or a colon: no figure, no clause, not a bracket alone.
_TRAILING_LABEL = re.compile(r"(?:[ \t]*[:：][ \t]*|[ \t]+)(?P<label>[^\d\s、。:：()（）][^\d\n、。:：]{1,30}?)[ \t]*(?:\n|$)")
#: 支援件数（予定）: a bracket after a label that says which value its figure is.
_SAID_VALUE = re.compile(r"[(（](?:予定|見込み?|実績|目標)[)）]$")
#: 支援件数, 相談回数: a label that is a deed and its count.
_DEED_COUNT = re.compile(r"(?P<deed>[一-龥]{2})(?P<measure>件数|回数|人数|者数)")
#: The bracket still open before a figure: 実績23回（達成率.
_OPEN_BRACKET = re.compile(r"[(（](?=[^()（）]*$)")
#: A short bracket of words or of a base right before a figure, between it and its label
#: (共同住宅（1戸当たり）80,000円; not 小学校（15校）186,420冊, a figure of the item's own).
_ASIDE_BEFORE = re.compile(r"[(（](?:[^()（）\d\n]{1,12}|1[^()（）\d\n]{1,4}(?:当たり|あたり|につき))[)）]\s?$")

#: 月額1万円分の…: words that say which amount a figure is, of the noun after it.
_AMOUNT_WORDS = frozenset({"月額", "年額", "日額", "総額", "単価", "金額"})
_AMOUNT_OF = re.compile(r"\s?(?:分|相当)?の\s?")
#: 2012年→2023年, R4年度→R5年度 before a colon: the times of a series' steps, not a name.
_TIME_STEPS = re.compile(rf"\s?{YEAR}(?:\s?[⇒→➡]\s?{YEAR})+\s?$")
#: What names an amount of money: a topic so named owns the 月額 written before its figure.
_MONEY_MEASURES = ("額", "料", "費", "金", "手当")
#: 月額, 年額, 日額: an amount per period (per 月), a measure's, not a name of its own.
_PERIOD_AMOUNTS = frozenset({"月額", "年額", "日額"})
#: ・A類疾病 接種者数：, ◆北部センター 相談件数：: a list line whose item label and measure a space parts, up to
#: the colon before the figures (guidelines: an item needs its label and its measure).
_ITEM_THEN_MEASURE = re.compile(rf"(?:^|(?<=\n))[ \t]*[・{resources.heading_marks()}][ \t]*"
                                r"(?P<item>[^\s:、。/()（）\d]{1,12})[ \t]+(?P<measure>[^\s:、。/]{1,20})[ \t]*$")
#: The words of an item up to the space or colon before its next label (第2子以降：).
_ITEM_BEFORE = re.compile(r"(?<=[\s、・:：】\]])[^\s、。:：・()（）【】\[\]]{1,12}$")
#: 1世帯 月額5,000円, 65歳以上 月額3,000円: a base or a figure's bound before the per-period word, no item
#: (第1子 and 中学生以上 are items).
_BASE_OR_BOUND = re.compile(r"(?<!第)\d")
#: 一律：月額15,000円: a label that says the amount is the same for all names no item.
_FOR_ALL = frozenset({"一律", "共通"})
#: 1日平均, 月平均: an average per a period, the measure's own words.
_PER_PERIOD_AVERAGE = re.compile(r"(?:日|月|年|週)平均$")
#: …の残余年数は: the topic right before a label.
_TOPIC_BEFORE = re.compile(r"[はが]\s?$")
#: What stands between two labels of one figure (第1子 月額, 第1子：月額).
_LABEL_GAP = re.compile(r"(?<=[^\s:：、。])[ \t\u3000]*[:：]?[ \t\u3000]*(?<=[\s:：])$")
#: 歩道を延長620m整備, 撤去実績は延長186m: a dimension of the noun the clause is about.
_DIMENSION_WORDS = frozenset({"延長", "総延長", "面積", "総面積", "延床面積", "幅員", "距離"})
#: The words that make a name a share's (…の割合, …率): an equivalent amount drops them.
_SHARE_OF = re.compile(r"(?:の)?(?:割合|比率|率)$")
#: 輸入量50日分程度相当(140万t程度), 約14%(4億トン相当): the same figure in another unit.
_EQUIVALENT = re.compile(r"\s?(?:程度)?\s?(?:相当)?\s?[(（]\s?")

#: 全産業対比, 2013年度比: a basis the figure is compared with, not what it measures.
_BASIS = re.compile(r"(?:対比|年度?比)$")

#: 石川県内, 市内: a place the figures are counted in.
_PLACE = re.compile(r"[都道府県市区町村国]内$")

#: Counters that name a class of things counted (箇所, 施設, 校): a concept that names no
#: measure is counted in them (山地災害による被害 → 山地災害による被害箇所数).
_CLASS_COUNTERS = frozenset(WORDS["class_counters"])

#: …を上限とする, …を限度とした: a ceiling of the noun that follows.
_CAPPED = re.compile(r"\s?を(?P<word>上限|限度)(?:と|に)(?:する|した|して)")
_VALUE_LABEL_END = re.compile(r"\s?[:：]\s?(?:" + "|".join(sorted(WORDS["value_labels"], key=len, reverse=True))
                             + r")?\s?$")
#: A bracket after an indicator's name that defines it: a clause (…と感じる…の割合), not a label.
_DEFINITION = re.compile(r"[、]|(?:する|した|いる|感じる|思う|できる|ある)[^()]{0,30}(?:割合|率|数)$")
#: The steps before a figure's time: joined by 、 (2015年度:4,391千件、2016年度:…), or lines of a time
#: label each (2019年:58,720人(前年比312人増)/令和元年:…, a lost line break in the national sheets).
_SERIES = re.compile(rf"(?:{TIME}\s?[:：]?\s?[^、/。:：]{{1,20}}?、\s?|{TIME}\s?[:：]\s?[^/／。:：]{{1,40}}?[/／]\s?)*"
                     rf"{TIME}\s?[:：]?\s?$")
_STATUS_WORDS = re.compile("|".join(w for ws in resources.periods()["status"].values() for w in ws)
                           + "|" + "|".join(resources.periods()["actual"]) + "|最終年度目標値")


#: A label that ends in a time (…のH30年度末, 令和5年度): the time a figure is of, no item.
_TIME_LAST = re.compile(rf"(?:{TIME})$")


class LayoutNames(Phrases):
    """Naming rules that read the layout of the cell."""

    # -- strategies ----------------------------------------------------------------------
    def listed_after(self, q: Quantity) -> str:
        """定率補助1/2上限10百万円, 3食3日分: a figure right after another shares its item's concept."""
        start = figure_start(q)
        if q.kind == "percent" and SUBJECT_MARK.match(self.text, self._after_aside(q)):
            return ""  # 42社(95%が中小企業): a share with a predicate of its own
        if "total" in q.qualifiers and q.unit_category == self.quantities[0].unit_category:
            return ""  # …3歳以上児 1,125人 合計 1,623人: the total of the items, not the next item
        for prev in reversed(self.quantities):
            if prev.start < q.start and max(prev.end, prev.suffix_end) <= start:
                joins = "[⇒→➡、・]" if prev.unit == q.unit else "[⇒→➡、]"  # （3時間・4時間）; not 3件・3,000千円
                between = re.sub(joins, "", self.text[max(prev.end, prev.suffix_end):start])
                if between.strip() == "中":
                    return ""  # 配布2,000人中1,200人から回答を得た: the part is named by its own clause
                labelled = re.search(r"[^\s()（）]", between) and VALUE_LABEL.fullmatch(between) and prev.unit != q.unit
                if (not between.strip() or VALUE_LABEL.fullmatch(between) or _EQUIVALENT.fullmatch(between)) \
                        and not labelled:  # 来場者450人、R5年度 4会場: a new step, not the same measure
                    found = self._found.get(prev.start, "")  # H22:108万4千人→R6:120万人, 92.2%(R5)、91.4%(R6)
                    if found and prev.kind == "percent" and q.kind not in ("percent", "ratio", "delta") \
                            and _EQUIVALENT.fullmatch(between) and (whole := _SHARE_OF.sub("", found)) != found:
                        return count_name(whole, q)  # 約14%(4億トン相当)の輸送能力が不足: the amount, not the share
                    rate = prev.kind == "ratio" and found and not RATE_NOUN.search(found)
                    # 定員は各教室25名、各回1時間30分: a measure of another kind is not shared (but the share of a
                    # count, 198人（82.5％）, and the ceiling of a rate's aid are)
                    if prev.kind != "ratio" and q.kind != "percent" and measures_other_kind(found, q):
                        return COUNT_OF_PEOPLE.sub("", found) + unit_measure(q) if between.strip() in ("(", "（") \
                            else ""  # 参加人数 約970人（14回）: the same deed's 参加回数
                    if prev.kind == q.kind == "count" and prev.unit_category != q.unit_category and found.endswith("数"):
                        return ""  # 30団体、延べ7,000食の提供: a count of the first's things is not the second's
                    if prev.kind == q.kind == "count" and prev.unit_category != q.unit_category and found \
                            and not BRACKETED.sub("", found).endswith(MEASURE_ENDS) \
                            and self.text[:figure_start(prev)].rstrip(" :：").endswith(found):
                        measure = "人数" if q.unit in ("人", "名") else unit_measure(q)  # not 者数: no deed says who
                        return f"{measure}（{found}）"  # ・小学校：19校　2,130人: the item's count in its own counter
                        # (人数（小学校）), not the item alone
                    return found + "率" if rate else found  # 定率補助1/2上限10百万円: the ceiling of a rate's aid
                return ""
        return ""

    def item_label(self, q: Quantity) -> str:
        """The label right before the figure, unless it is a basis of comparison (全産業対比62時間)
        or a place the figures are counted in (石川県内6市町 → 石川県内の市町数)."""
        label = self.label_before(figure_start(q))
        if not label and (aside := _ASIDE_BEFORE.search(self.text, 0, figure_start(q))):
            label = self.label_before(aside.start())  # 共同住宅（1戸当たり）80,000円: the label before its aside
        if re.search(r"(?:等|など)\s?$", self.text[:figure_start(q)]) and (
                q.unit in _CLASS_COUNTERS or self.text.startswith("の", max(q.end, q.suffix_end))):
            return ""  # …一般幹部候補生等14種目, 庁舎、隊舎など約23,000棟の建物: examples of the class counted
        if label.endswith("平均") and not _PER_PERIOD_AVERAGE.search(label) \
                and _TOPIC_BEFORE.search(self.text, 0, figure_start(q) - len(label)):
            return ""  # 残余年数は全国平均23.5年: which value of the measure named before (averaged), not an item
            # of a list (…建設業が5.9人、全産業平均1.2人) nor a label after another clause (…45.2%で県平均38.1%)
        if _PER_PERIOD_AVERAGE.search(label) and (topic := self.topic(q, self.text.rfind("。", 0, q.start) + 1)) \
                and topic.endswith(MEASURE_ENDS):  # 利用者数は1日平均212人: the topic's measure, averaged per day
            base = re.search(r"\d*$", self.text[:figure_start(q) - len(label)]).group()  # the 1 of 1日平均
            return f"{topic}（{base}{label}）"
        if _TIME_LAST.search(label):  # 事業着手前のH30年度末62.5%から: when, not which item
            return ""
        if q.per and BASE_OPENS.match(self.text, figure_start(q)):  # 市民1人当たり12,480円: what the base counts,
            return ""  # not which item
        if STATE_LABEL.fullmatch(label) or EACH.fullmatch(label):  # 見直し前の14台から見直し後11台に: when,
            return ""  # not which item; 定員は各教室25名, 割合は各回とも80%以上: of each item, named before
        if q.kind == "duration" and _COUNTED_FROM.search(label) and not q.qualifiers & {"more_than", "at_least"}:
            return ""  # 申込受付後7日以内, 卒業後10年間: the event a length is counted from, no name of it (but
            # 建設後50年を超える道路橋: the age that bounds a class)
        if _BASIS.search(label):  # 実労働時間において全産業対比62時間: the measure before the basis
            return self.measure_before(figure_start(q) - len(label))
        if q.kind == "count" and _PLACE.search(label) and q.unit not in ("人", "名", "件"):
            return f"{label}の{unit_measure(q)}"
        if label in _AMOUNT_WORDS and (of := _AMOUNT_OF.match(self.text, max(q.end, q.suffix_end))):
            noun = self.starting_at(of.end())  # 月額1万円分のクーポン: the coupon's monthly amount
            while noun is not None and noun.i + 1 < len(self.doc) and is_noun_like(self.doc[noun.i + 1]):
                noun = self.doc[noun.i + 1]
            if noun is not None and is_noun_like(noun) and not self.overlaps(noun):
                return f"{clean(self.text[of.end():noun.idx + len(noun.text)])}の{label}"
        if label in _PERIOD_AMOUNTS and (topic := self.topic(q, self.text.rfind("。", 0, q.start) + 1)) \
                and topic.endswith(_MONEY_MEASURES):  # 交付額は、…月額2,000円, 利用料は、…月額4,000円: the
            # topic's amount, per month
            return topic
        if label in _PERIOD_AMOUNTS and (paid := PAID_LATER.match(self.text, max(q.end, q.suffix_end))):
            return paid.group("verb") + "額"  # 月額5,000円（要介護3）、…を限度として支給する: the amount paid
        if label in _PERIOD_AMOUNTS and (item := self.label_before_label(figure_start(q) - len(label))):
            return item  # 第1子 月額5,000円, 大学生：月額4万円以内: the item is the label before the per-month word
        if label in _DIMENSION_WORDS and (owner := self.marked_noun_before(
                figure_start(q) - len(label), frozenset({"を", "は", "が"}))) is not None:
            return f"{self.noun_phrase(owner)}の{label}"  # 通学路の歩道を延長620m → 通学路の歩道の延長
        opening = figure_start(q) - len(label) - 1
        if label and self.text[opening:opening + 1] in ("(", "（") and self.text[opening + 1:figure_start(q)] == label:
            owner = self.phrase_ending_at(opening)
            if not owner or label in owner:
                return label
            if re.match(r"\s?[)）]", self.text[max(q.end, q.suffix_end):]):
                return f"{owner}の{label}"  # 道路（延長約5,900㎞）: the length of the road
        return label

    def label_before_label(self, pos: int) -> str:
        """The label a space or a colon sets before another label that ends at ``pos``: the words
        from the start of the item (第2子以降：月額, which the parse splits oddly); not what is paid
        (…福祉手当：年額), which the amount's own label names."""
        gap = _LABEL_GAP.search(self.text, max(0, pos - 3), pos)
        if not gap:
            return ""
        label = self.label_before(gap.start())
        item = _ITEM_BEFORE.search(self.text, max(0, gap.start() - 12), gap.start())
        label = item.group() if item and len(item.group()) > len(label) else label
        return "" if (label in _FOR_ALL or EACH.fullmatch(label) or label.endswith(_MONEY_MEASURES)
                      or _BASE_OR_BOUND.search(label)) else label

    def capped(self, q: Quantity) -> str:
        """月額21万円を上限とする修学資金: a ceiling of the noun it qualifies, with the figure's label."""
        m = _CAPPED.match(self.text, q.end)
        noun = self.starting_at(m.end()) if m else None
        if noun is None or not is_noun_like(noun) or self.overlaps(noun):
            return ""
        while noun.i + 1 < len(self.doc) and is_noun_like(self.doc[noun.i + 1]) and not self.overlaps(self.doc[noun.i + 1]):
            noun = self.doc[noun.i + 1]
        label = self.label_before(figure_start(q))
        return clean(f"{self.noun_phrase(noun)}の{label}{m.group('word')}")

    def colon_label(self, q: Quantity, sentence_start: int, strict: bool) -> str:
        """The label of a 「label：figures」 list; ``strict`` wants only figures after the colon."""
        start = figure_start(q)
        colons = [m.start() for m in _COLON.finditer(self.text, sentence_start, start)]
        if _COLON.search(self.text, start, q.start):  # 参加者数の合計：120人: the colon is inside the figure's
            colons = [_BEFORE_QUALIFIER.search(self.text, sentence_start, start).start()]  # words; the label ends
            # before them
        if not colons:
            return ""
        colon = colons[-1]
        if strict and not _LIST_FILLER.fullmatch(self.masked(colon + 1, start)):
            return ""
        if _AS_OF_LABEL.search(self.text, 0, colon):  # （R5.3調査時点：81.4％）: the label says when, not what
            return ""
        if steps := _TIME_STEPS.search(self.text, sentence_start, colon):  # 団体数　2012年→2023年：124団体→…
            colon = len(self.text[:steps.start()].rstrip())
        phrase = _YEAR_LEFT.sub("", self.phrase_ending_at(colon))
        whole = _YEAR_LEFT.sub("", _LEADING_TIME.sub("", TIME_PREFIX.sub("", self.label_before(colon))))
        if phrase and whole.endswith(phrase):
            phrase = whole  # a label runs back to the separator before it, whatever the parse says
        label = self.fuller_deed(phrase or whole or self.name_with_bracket(colon), colon, sentence_start)
        if SECTION_LABEL.fullmatch(label):
            return ""
        item = _ITEM_THEN_MEASURE.search(self.text, 0, colon)
        if label and item and label.endswith(item["measure"]) and self._names_item(item["item"]):
            return f"{label}（{item['item']}）"  # ・A類疾病 接種者数：18,245人 → 接種者数（A類疾病）
        return label or self.owner_before(colon)

    @staticmethod
    def _names_item(word: str) -> bool:
        """Whether the word before a measure on a list line names an item (A類疾病, 北部センター), not a
        measure, a section or a value of its own (活動指標, 実績, 令和5年度)."""
        return not (word.endswith(MEASURE_ENDS) or SECTION_LABEL.fullmatch(word) or VALUE_LABEL.fullmatch(word)
                    or is_time(word) or "指標" in word)

    def fuller_deed(self, label: str, colon: int, sentence_start: int) -> str:
        """…伴走支援を実施（支援件数：6件）: a label that only counts a deed (支援件数) in a bracket after the
        sentence that names the deed more fully is the count of that deed (伴走支援件数), which tells it
        from the other deeds of the sheet."""
        value = _SAID_VALUE.search(label)  # 支援件数（予定）：7件: which value, after the name
        bare = label[:value.start()] if value else label
        m = _DEED_COUNT.fullmatch(bare)
        opening = colon - len(label) - 1
        if (m is None or opening <= sentence_start or self.text[opening] not in "(（"
                or (said := self.text.rfind(m.group("deed"), sentence_start, opening)) < 0):
            return label
        deed = self.label_before(said + len(m.group("deed")))
        fuller = deed.endswith(m.group("deed")) and deed != m.group("deed") and "の" not in deed  # a compound:
        return f"{deed}{m.group('measure')}{label[len(bare):]}" if fuller else label  # 伴走支援, not 繋ぐ等の支援

    def line_label(self, q: Quantity, sentence_start: int) -> str:
        """・ごみ処理量 49万トン（令和6年度）: a figure that opens its line takes the label line before it
        (a short line without a figure or a full stop)."""
        lead = self.text[sentence_start:figure_start(q)].strip(" ・〇○●■□◆◇-")
        if (lead and not VALUE_LABEL.fullmatch(lead)) or sentence_start == 0:
            return ""  # 蔵書数　実績412,305冊: which value the figure is (its status) names no measure
        line_start = max(max(self.text.rfind(ch, 0, sentence_start - 1) for ch in " 。\n") + 1,
                         max((m.end() for m in SEGMENT_END.finditer(self.text, 0, sentence_start - 1)), default=0))
        line = self.text[line_start:sentence_start].strip(" \t\n/")  # …8,640人。 / ・うち: a segment's slash, no label
        if (not line or len(line) > 40 or line.endswith("。") or "、" in line  # 講演会は、R4年度: a clause
                or any(line_start <= s < sentence_start for s, _ in self.taken)
                or any(self.text.rfind("\n", 0, line_start) < p.start and p.end <= line_start and self.trailing_label(p)
                       for p in self.quantities)):  # 3,412人　登録者数⏎18,920回: the label of the line before
            return ""
        label = line.lstrip("・〇○●■□◆◇- ")
        label = re.sub(r"^(?:【[^】]*】|<[^>]*>|\[[^\]]*\])", "", label)  # 【…】, ＜貸出実績＞: the heading
        label = _VALUE_LABEL_END.sub("", label)  # …満足度(大変満足+満足):実績
        label = _LEADING_TIME.sub("", label)  # 20202024年の累計除却件数: the time is the figures' period
        label = next((part for part in reversed(label.split(":")) if not is_time(part)), "")  # 空き家除却補助:H30~R2
        # 23件, 2019年→2023年:空き家バンク登録物件 18戸→41戸: the times are the figures' periods, not their names;
        # 補助上限額:太陽光発電設備 80,000円: the words before the colon head the line (a heading), the last label it
        return clean(label) if label and not VALUE_LABEL.fullmatch(label) else ""

    def trailing_label(self, q: Quantity) -> str:
        """○3回：セミナー開催回数, 3,412人　電子図書館の利用登録者数: a figure that opens its line (after a mark)
        and is followed, across a space or a colon, by words alone up to the line's end takes those words."""
        line_start = self.text.rfind("\n", 0, q.start) + 1
        if not _FIGURE_FIRST.fullmatch(self.text, line_start, figure_start(q)):
            return ""
        label = _TRAILING_LABEL.match(self.text, max(q.end, q.suffix_end))
        return clean(label["label"]) if label else ""

    def bracket_parameter(self, q: Quantity) -> str:
        """(補助率:定額、1/2以内), (補助(交付)率:2/5), (定額、1/2), 経費の一部を補助(10分の5): a fraction
        in the bracket that follows a scheme is its aid rate; a label before a colon names every
        value of the bracket. An amount in a bracket right after the deed that pays it is the deed's
        amount (助成（在宅：28,000円/月） → 在宅の助成額)."""
        opening = self.bracket_of(q)
        if q.kind not in ("ratio", "money") or opening < 0:
            return ""
        inner = self.text[opening + 1:figure_start(q)]
        paid = self.ending_at(opening)
        if q.kind == "money":  # the item's label (在宅：) is added to it as any label is
            return f"{paid.text}額" if paid is not None and paid.text in PAID_VERBS else ""
        label = re.match(r"\s?(?P<name>[^:：、]{1,12}?)\s?[:：]", inner)
        if label and SCHEME_PARAMETER.search(BRACKETED.sub("", label.group("name"))):
            return clean(label.group("name"))
        if (re.fullmatch(r"(?:定額|定率|[\s、,・])*", inner)
                and re.search(r"定額|定率", self.text[opening:self._closing(opening)])):
            return "補助率"
        if not inner.strip() and paid is not None and paid.text in PAID_VERBS:
            return paid.text + "率"
        return ""

    def chain_name(self, q: Quantity) -> str:
        """2021年度 12.3ha → 2022年度 15.8ha → 2023年度 18.1ha（耕作放棄地解消面積）: figures joined by
        arrows are the steps of one measure, which a bracket closing the last one names."""
        figures = self.quantities
        first = last = next(i for i, p in enumerate(figures) if p.start == q.start)

        def joined(i: int) -> bool:
            return _CHAIN_JOINT.fullmatch(self.text, max(figures[i].end, figures[i].suffix_end),
                                          figure_start(figures[i + 1])) is not None

        while first > 0 and joined(first - 1):
            first -= 1
        while last + 1 < len(figures) and joined(last):
            last += 1
        name = _CHAIN_NAME.match(self.text, max(figures[last].end, figures[last].suffix_end))
        return clean(name.group("name")) if last > first and name and name.group("name").endswith(MEASURE_ENDS) else ""

    def quoted_item(self, q: Quantity) -> str:
        """「正しく使用すれば安全だと思う43.9%」: a figure that closes a quoted item is the share of it."""
        end = max(q.end, q.suffix_end)
        if not self.text.startswith(("」", "』"), end):
            return ""
        opening = max(self.text.rfind("「", 0, q.start), self.text.rfind("『", 0, q.start))
        inner = self.text[opening + 1:figure_start(q)].strip()
        if opening < 0 or not inner or len(inner) > 40 or re.search(r"[「」『』。\d]", inner):
            return ""
        inner = re.sub(r"\s+", "", inner)
        return inner + "割合" if q.kind == "percent" and PLAIN_VERB.search(inner) else inner  # …と思う割合

    def bracket_label(self, q: Quantity) -> str:
        """(相談件数)28,401件, 「従業員数の確保難」(19.9%), 後継者の育成(経営管理面)(43.7%), 「不安」が4割: a label
        in brackets right before the figure, or a quoted item right before the bracket that holds it or before
        the share it is the subject of."""
        start = figure_start(q)
        before = self.text[:start].rstrip(" ")
        if before.endswith(("(", "（")):
            before = before[:-1].rstrip(" ")
        answer = q.kind == "percent" and re.search(r"[」』]\s?[がは]\s?$", before) is not None
        if answer:  # 「適した仕事がないから」が約7割: the share of those who gave that answer
            before = before.rstrip(" がは")
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
        return f"「{clean(inner)}」の割合" if answer else clean(inner)

    def budget_tag(self, q: Quantity) -> str:
        """/1介護労働講習:…の実施。【610,930千円】, ・ノンステップバス導入促進【3台】: a figure alone in 【】
        closing a list item is that item's: its budget if an amount, else (a bullet's) its count;
        the measure is added after."""
        if not (self.text[:figure_start(q)].endswith("【") and self.text.startswith("】", max(q.end, q.suffix_end))):
            return ""
        marks = ("/", "／") if q.kind == "money" else ("・",)
        item_start = max(self.text.rfind(mark, 0, q.start) for mark in marks) + 1
        if q.kind != "money" and (not item_start or re.search(r"[/／。】\n]", self.text[item_start:q.start])):
            return ""
        item = re.sub(r"^\s?(?:\d{1,2}[.．]?|[①-⑳])", "", self.text[item_start:figure_start(q) - 1])
        name = clean(re.split(r"[:：、。]", item, maxsplit=1)[0])
        if not 0 < len(name) <= 40:
            return ""
        return name + "の予算額" if q.kind == "money" else name

    def series_heading(self, q: Quantity) -> str:
        """2015年度:4,391千件、2016年度:4,531千件…: the items of a series labelled by time are of the
        measure named before the series (「法人番号の指定件数(累計)」/2015年度:…, (優先品目)2020年度39件)."""
        start = figure_start(q)
        m = _SERIES.search(self.text, max(0, start - 400), start)
        if m is None:
            return ""
        head_end = m.start()
        while head_end > 0 and self.text[head_end - 1] in " /／:：、":
            head_end -= 1
        close = self.text[head_end - 1:head_end]
        opening = {"」": "「", "』": "『", ")": "(", "）": "（"}.get(close, "")
        open_at = self.text.rfind(opening, 0, head_end - 1) if opening else -1
        inner = self.text[open_at + 1:head_end - 1] if opening else ""
        if opening in ("(", "（") and TIME_WORDS.fullmatch(inner.removeprefix("各")):
            head_end = open_at  # 交付率（各年度末）：R3年度 45.2％: when each step stands, no name; the name is before it
        elif opening:
            named = self.label_before(open_at) if opening == "(" and _DEFINITION.search(inner) else ""
            if named and not TIME_IN_LABEL.search(named):  # 子育て環境満足度（…と感じる保護者の割合）令和6年度：75%:
                return named  # the indicator's name, not the definition in its bracket
            return clean(inner) if 0 < len(inner) <= 40 and not re.search(r"[。\d]", inner) else ""  # not （…58台減）
        label = self.label_before(head_end)
        return "" if TIME_IN_LABEL.search(label) else label  # 平成31年度～令和4年度：a span, not a name

    def paired_name(self, q: Quantity) -> str:
        """開催回数／参加者数　18回／延べ412人: measures parted by slashes, then as many figures parted the same way
        on the line: each figure is of the measure in its place."""
        line_start = self.text.rfind("\n", 0, q.start) + 1
        line = self.text[line_start:figure_start(q)]
        if line_start and _PAIRED_VALUES.fullmatch(line):  # 登録件数／成約件数／成約率 / 24件／11件／45.8%: the names
            line = self.text[self.text.rfind("\n", 0, line_start - 1) + 1:line_start - 1].strip() + " " + line  # above
        m = _PAIRED_NAMES.search(line)
        if m is None:
            return ""
        names, place = re.split(r"\s*[／/]\s*", m.group("names")), len(re.findall(r"[／/]", m.group("values")))
        fits = len(names) > place and all(name.endswith(MEASURE_ENDS) for name in names)
        return clean(names[place]) if fits else ""

    def list_heading(self, q: Quantity) -> str:
        """【成果指標】認知症サポーター数：目標 97（R5）／実績 62（R5）／達成率 63.9%（R5）: the items of
        a list under a heading are of the heading's measure; an item label that is not a status
        word (達成率) names a measure of it (認知症サポーター数の達成率)."""
        start = self.text.rfind("。", 0, q.start) + 1
        m = _HEADED_LIST.search(self.text, start, figure_start(q))
        end = self.text.find("。", q.end)
        if m is None or not (_LIST_SEPARATOR.search(m.group("rest"))
                             or _LIST_SEPARATOR.search(self.text, q.end, end if end >= 0 else len(self.text))):
            return ""
        segment = _LIST_SEPARATOR.split(m.group("rest"))[-1]
        if (opened := _OPEN_BRACKET.search(segment)) and re.search(r"\d", segment[:opened.start()]):
            segment = segment[opened.end():]  # 実績23回（達成率115%）: the bracket after a value labels its own
        item = re.split(r"[、,]", segment)[-1]  # 人件費…、委託費3億円: its own label; 30%（R5）、70%（R6）: the segment's
        topic = re.search(r"([^\s\d]+?)\s?(?:は|が)", item)
        if topic and not VALUE_LABEL.fullmatch(topic.group(1)):  # / 令和6年度予算額は計…: a clause of its own,
            return ""  # no item (/ 目標は2025年度58.5%: a value of the indicator)
        if _PROSE.search(item):  # 事業(定額):…林業作業士として育成するための3年間の研修: prose after a
            return ""  # scheme's title, no item of a list
        item, segment = (re.sub(rf"^\s?(?:{TIME}|{BARE_ERA_YEAR}(?![\d年])|{QUARTER})", "", part)  # R3年度 1,250人,
                         for part in (item, segment))  # R5目標 120区画, 第1四半期 820件: a step's time
        label = _ITEM_LABEL.match(item) or _ITEM_LABEL.match(segment)
        word = label.group(1) if label else ""
        name = unmarked(m.group("name").split("、")[-1]).strip()
        name = heading_name(_LEADING_TIME.sub("", name)) or name  # 令和5年度執行額の内訳： → 執行額 (its parts)
        if VALUE_LABEL.fullmatch(name):  # 成果目標：R7年度 2,000人/…: values of the indicator named before
            name = ""
        first = _LIST_SEPARATOR.split(m.group("rest").strip())[0].split("\n")[0].strip()  # its first line's
        if SECTION_LABEL.fullmatch(name) and first and not re.search(r"\d", first):  # 指標：…参加者数／…／達成率
            name = heading_name(first) or first  # 95.8%: the section's first field names its measure
        elif SECTION_LABEL.fullmatch(name) and (lead := first.split()[0] if first else "") and lead != first \
                and not re.search(r"\d", lead):  # 指標名：商店街歩行者通行量（休日）　R5目標 3,000人／R5実績…: so does
            name = heading_name(lead) or lead  # the name that opens its first field, before a space
        if not word or (_STATUS_WORDS.fullmatch(word) and not SCHEME_PARAMETER.search(word)):
            return name
        if name.endswith(word):  # 活動指標：利用者数 実績1,200人／…: the section's first field is the label itself
            return name
        return f"{name}の{word}" if name else word
