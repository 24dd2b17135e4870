"""Phrases of a parsed cell: the token look-ups and the noun, verb and topic phrases every
naming rule builds on. Nothing here decides a concept."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from spacy.tokens import Token

from pipeline.rules.concepts.words import (
    AGENTS, clean, figure_start, is_noun_like, is_predicate, is_time, MEASURE_ENDS, measure_of, NUMBERED_CLASS,
    OTHER_WORDS, PLAIN_VERB, QUALIFIER_WORDS, STOP_PUNCT, TIME_PREFIX, TIME_WORDS, TOPIC_PARTICLES, VALUE_LABEL, WORDS,
)
from pipeline.rules.docindex import DocIndex
from pipeline.rules.periods import CLAUSE_ENDS, TOPIC_CLOSED
from pipeline.rules.quantities import BOUNDS, OCCASIONS, Quantity
from pipeline.text.brackets import pairs


_AS_CATEGORY = re.compile(r"[」』]?として")
#: What an ordinal (2回目となる, 3年目の) leaves of itself before a noun once its digits are cut off.
_ORDINAL_REST = re.compile(rf"^(?:{'|'.join(OCCASIONS)})目(?:と(?:なる|なった)|になる|の)?")
#: 第12回市民マラソン大会: the counter an ordinal with 第 leaves before a noun once its digits are cut off.
_AFTER_NTH = re.compile(r"第\s?\d+\s?$")
_NTH_REST = re.compile(rf"^(?:{'|'.join(OCCASIONS)}|次|号)")
#: Particles that close a clause's topic, subject or object: no piece of a name.
_CLAUSE_PARTICLES = frozenset({"は", "が", "を", "に", "で", "も"})
#: 市が主催した講座, 改修した体育館で開催した大会: the clause that modifies a noun, which names it no further.
_RELATIVE_HEAD = re.compile(r"^.*[たる](?=[一-龥ァ-ヴー])")
_FIGURE_CLOSES = re.compile(f"\\s?(?:で|{CLAUSE_ENDS})、")
#: 者(クレジットカード納付者を含む。)の実施率, 微小粒子状物質（PM2.5）の: an aside with no figure (a Latin alias
#: may hold digits) inside a name, before its の (not a time: 委託化前（令和元年度）の維持管理費, the time of a state).
_ASIDE_IN_NAME = re.compile(r"[(（](?![^()（）]*(?:年|月|時点|現在))(?:[^()（）\d]{1,40}|[A-Za-z][A-Za-z\d.]{0,9})[)）]の")
#: 60か国・地域に: a count of countries that takes in regions too; the regions are no name of it.
_REGIONS_TOO = re.compile(r"\s?[・･]\s?地域")
#: 看護師等のみ2名, 対面だけ15名: a particle that limits an item to its noun ends the item's label.
_ONLY = frozenset({"のみ", "だけ"})

#: A numeral followed by one of these is a date (1981年), not a figure of the phrase.
#: 行う (and 行く, as the parse reads 行った after an object): a verb that only says its object was done.
_DOING = frozenset({"行う", "行く", "おこなう"})
#: 1件あたりの, 1回当たり: the rest of a base after its number.
_BASE_AFTER = re.compile(r"[^\d\s、。]{1,4}?(?:当たり|あたり|につき|平均)")  # 1日平均利用者数: the base of the average
_DATE_AFTER = re.compile(r"\s?(?:年度?(?!生)|月|日)")  # not 3年生, a school year
#: 1981年以前に建築された住宅, 2010年以降に整備した施設: a date that bounds the class the clause names.
_BOUNDING_DATE = re.compile(r"\s?(?:年度?|年\d{1,2}月)\s?(?:以前|以降|より前|より後)(?:に|の|から)")

#: 2.輸出先国における…を支援 (up to a bracket): a numbered item of a list, all of it.
_LIST_ITEM = re.compile(r"(?:^|[/／。]\s?)(?:\d{1,2}[.．]|[①-⑳]|\(\d{1,2}\))(?P<item>[^/／。()（）:：]{2,80})$")

#: その結果有効求人倍率は: a word that links to the sentence before is no part of a name.
_CONNECTIVES = frozenset(WORDS["connectives"])


#: The characters a numeral is written in (GiNZA may tag a noun NUM: 令和5年度の寄附額 → 寄附).
_NUMERAL = re.compile(r"[\d０-９〇一二三四五六七八九十百千万億兆]")


def _numeral(tok: Token) -> bool:
    """Whether a token is a numeral, not a noun GiNZA tagged NUM."""
    return tok.pos_ == "NUM" and _NUMERAL.search(tok.text) is not None


def _is_content_start(tok: Token) -> bool:
    """A phrase starts with a content word, not with a particle, auxiliary or bound suffix."""
    return (tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "DET", "ADV")
            and not tok.tag_.startswith("接尾辞") and tok.text not in QUALIFIER_WORDS)


def plain_form(verb: Token) -> str:
    """A predicate as a name reads it with no tense written: 支える, 直面する (not 直面し)."""
    return verb.lemma_ if verb.pos_ == "VERB" and PLAIN_VERB.search(verb.lemma_) else verb.text + "する"


#: The auxiliaries of a plain past (し, た: 受講した), not of a state (ている) or of politeness (ました).
_PAST = frozenset({"し", "た"})


def as_written(verb: Token) -> str:
    """A predicate as a name reads it, in the past when the text says it was done (被害を受けた560万人 →
    被害を受けた人数; guidelines), else plain (約630万人が食糧不安に直面 → 食糧不安に直面する人数)."""
    last = verb
    while last.i + 1 < len(last.doc) and last.doc[last.i + 1].pos_ == "AUX" and last.doc[last.i + 1].text in _PAST:
        last = last.doc[last.i + 1]
    said = verb.doc.text[verb.idx:last.idx + len(last.text)]
    return said if said.endswith("た") else plain_form(verb)


#: A class named by numbered grades, ending a label or naming what the label is of: 1・2歳児, 要介護4・5の方,
#: 4か月児健診 (no figures).
_AGE_CLASS = re.compile(rf"(?:{NUMBERED_CLASS})[一-龥々ァ-ヶー]{{0,6}}\s*$")
_CLASS = re.compile(NUMBERED_CLASS)


#: 特定保健指導は、: a sentence's theme that may own a bare measure later in it: a name (no clause, no
#: demonstrative such as 本事業, この制度, which only point back at the project).
_THEME = re.compile(r"(?!本|当|同|この|その)[^ぁ-ん\s\d]{2,20}")

class Phrases:
    """The tokens and phrases of one parsed cell, for the naming rules."""

    def __init__(self, index: DocIndex, quantities: Sequence[Quantity]) -> None:
        self.doc = index.doc
        self.text = index.text
        self.quantities = list(quantities)
        self.taken = [(q.start, tail.end() if q.unit == "か国" and (tail := _REGIONS_TOO.match(self.text, q.end))
                       else q.end) for q in quantities]  # 60か国・地域: the regions are of the counter, no name
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
        if age := _AGE_CLASS.search(self.text, max(0, pos - 12), pos):
            return age.group().strip()
        doc, tok = self.doc, self.ending_at(pos)
        if tok is None or self.text[tok.idx + len(tok.text):pos].strip(" "):
            return ""
        first: Token | None = None
        last = -1
        while tok is not None:
            gap = self.text[tok.idx + len(tok.text):(first.idx if first is not None else pos)]
            fragment = first is not None and last - first.idx == 1
            if gap and not (gap.isspace() and (fragment or first is None)):
                break  # a space ends a label, unless what follows it is a one-character piece (韓国 語) or the
                # figure itself (研修参加者 合計 1,540人: a table's line)
            if (self.overlaps(tok) or tok.text in STOP_PUNCT or tok.text in QUALIFIER_WORDS - OTHER_WORDS
                    or tok.is_space):  # ■出産祝金の額\n第1子：: a line break, which GiNZA may tag a noun, ends it
                break
            if fragment and tok.pos_ == "ADP" and tok.text not in _CLAUSE_PARTICLES:
                pass  # お茶のみ話: a one-character label is a piece of a longer name (not 令和6年度は全40区画中)
            elif (first is None and tok.text in _ONLY and tok.pos_ == "ADP" and tok.i > 0
                  and is_noun_like(doc[tok.i - 1])):
                pass  # タクシーのみ1名: the label of those who use that alone
            elif tok.text == "の":
                prev = doc[tok.i - 1] if tok.i > 0 else None
                if first is None or prev is None or not is_noun_like(prev) or self.overlaps(prev):
                    break
            elif not (is_noun_like(tok) or (tok.pos_ == "DET" and first is not None)
                      or (first is None and tok.tag_.startswith("形状詞"))  # 新規22件, 主要6か国: a stem as label
                      or (first is not None and self._digit_in_name(tok, first))):  # V2H充放電設備
                break
            if last < 0:
                last = tok.idx + len(tok.text)
            first = tok
            tok = doc[tok.i - 1] if tok.i > 0 else None
        return clean(TIME_PREFIX.sub("", self.text[first.idx:last])) if first is not None else ""  # 令和5|年度の来館者数

    def _digit_in_name(self, tok: Token, after: Token) -> bool:
        """V2H, 5G基地局: digits glued between a Latin letter and the rest of a name are part of it."""
        prev = self.doc[tok.i - 1] if tok.i > 0 else None
        return (tok.text.isdigit() and prev is not None and prev.idx + len(prev.text) == tok.idx
                and tok.idx + len(tok.text) == after.idx and prev.text[-1:].isascii() and prev.text[-1:].isalpha())

    def _numeral_in_word(self, tok: Token) -> bool:
        """死傷年千人率, 中学3年生: a numeral glued between nouns, no figure itself, is part of a word
        (not a list number: /6漁業者)."""
        prev = self.doc[tok.i - 1] if tok.i > 0 else None
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        glued = (nxt is not None and tok.idx + len(tok.text) == nxt.idx and is_noun_like(nxt)
                 and not self.overlaps(tok))
        return ((tok.dep_ == "compound" or glued) and prev is not None and is_noun_like(prev)
                and not self.overlaps(prev) and prev.idx + len(prev.text) == tok.idx)

    def _note_before(self, closing: Token) -> Token | None:
        """The token before a note mark such as (※) or (※1) that ends at ``closing``, or before an aside
        inside a name (…を実施している者(クレジットカード納付者を含む。)の実施率)."""
        opening = next((o for o, c in self._asides if c == closing.idx), -1)
        if opening < 0 or not (re.fullmatch(r"[※*＊]\d{0,2}", self.text[opening + 1:closing.idx])
                               or _ASIDE_IN_NAME.fullmatch(self.text, opening, closing.idx + 2)):
            return None
        return self.ending_at(opening)

    def _threshold_start(self, tok: Token) -> Token | None:
        """The first token of the figure ``tok`` is part of, when that figure is a threshold
        (40年以上, 65歳以上, 30人未満); None otherwise."""
        figure = next((q for q in self.quantities if q.start <= tok.idx < max(q.end, q.suffix_end)), None)
        if figure is None or not figure.qualifiers & BOUNDS or figure is self._naming:
            return None  # 年間400件以上のチラシデザインチェック: the figure named is no threshold of itself
        return self.starting_at(figure.start)

    def _class_holding(self, num: Token, after: Token) -> Token | None:
        """The first token of a class named by numbered grades (1歳6か月児) that holds ``num`` and runs on
        at least to ``after``, the name's words found so far."""
        for m in _CLASS.finditer(self.text, max(0, num.idx - 8), after.idx + 12):
            if m.start() <= num.idx < m.end() and m.end() >= after.idx:
                return self.starting_at(m.start())
        return None

    def noun_phrase(self, tok: Token) -> str:
        """The phrase a noun heads: its run of nouns, with の-modifiers and a short relative clause."""
        doc = self.doc
        left = right = compound = nominal = tok
        quoted = None
        subtree = {t.i for t in tok.subtree} | self._relative_clause(tok) | self._of_modifier(tok)
        while left.i > 0:
            prev = doc[left.i - 1]
            if prev.is_space:
                break  # a line break ends a name (GiNZA may tag it NUM: no figure before the name)
            if _numeral(prev) and (grade := self._class_holding(prev, left)) is not None:
                left = grade  # 1歳6か月児健康診査, 3年次以上: a class its digits name is part of the name
                continue
            if _numeral(prev) and _BASE_AFTER.match(self.text, prev.idx + len(prev.text)):
                left = prev  # 1件あたりの処理日数, 就業者10万人当たりの…: the base is written as part of the name,
                continue  # with its number
            if _numeral(prev) and prev.i in subtree and _BOUNDING_DATE.match(self.text, prev.idx + len(prev.text)):
                left = prev  # 1981年以前に建築された住宅: the date is part of the class, not when it was counted
                break
            if _numeral(prev) and not self.overlaps(prev) and prev.i in subtree and (
                    _DATE_AFTER.match(self.text, prev.idx + len(prev.text)) or not self._numeral_in_word(prev)):
                break  # 1981年の…以前に開業した地下街, 2予防接種…: the clause, without its date or list number
            if prev.tag_.startswith("助詞-係助詞") and prev.text == "は":
                break  # …事業については整備されていない自治体: a relative clause holds no topic
            if self.overlaps(prev) or (_numeral(prev) and not self._numeral_in_word(prev)):
                bound = self._threshold_start(prev)
                if bound is not None and prev.i in subtree and tok.i - prev.i <= 12:
                    left = bound  # 築40年以上を経過したマンション: a threshold defines the class
                    continue
                left = nominal  # a clause about a figure (6会場に向かう…) does not name the noun
                break
            if prev.text in (")", "）") and (note := self._note_before(prev)) is not None:
                prev = note  # 経営改善漁業者(※)の…: a note mark is no boundary
                if prev.i in subtree or is_noun_like(prev):
                    left = prev
                    continue
            if prev.text == "」" and left.text == "の" and (opening := self._quote_opening(prev)) is not None:
                left = quoted = opening  # 「こども110番の家」の登録件数: a quoted name is one noun, whatever it holds
                break
            if prev.text in STOP_PUNCT or self.text[prev.idx + len(prev.text):left.idx] or "\n" in prev.text or (
                    prev.text == "・" and self.text[prev.idx - 1:prev.idx] in ("", "\n")):
                break  # ・歴史講座 opening a line: a bullet, not a joint of two names; a line break ends a name
            if is_noun_like(prev) or (prev.i in subtree and tok.i - prev.i <= 12):
                left = prev
                if compound.i == prev.i + 1 and is_noun_like(prev):
                    compound = prev
                if nominal.i == prev.i + 1 and (is_noun_like(prev) or prev.text == "の"):
                    nominal = prev  # 人々の数: the の-chain of nouns, without the clause before it
            else:
                break
        while right.i + 1 < len(doc):
            nxt = doc[right.i + 1]
            if (not is_noun_like(nxt) or nxt.text in OTHER_WORDS or self.overlaps(nxt)
                    or self.text[right.idx + len(right.text):nxt.idx] or is_predicate(nxt)):
                break
            right = nxt
        while left.i < tok.i and left != quoted and (
                not _is_content_start(left) or left.text in _CONNECTIVES or left.dep_ == "fixed"
                or (left.pos_ != "NUM" and TIME_WORDS.fullmatch(left.text)) or left.text == "まで"):
            left = doc[left.i + 1]  # …における, 2023年度までに…: what is left of a date or a case marker
        phrase = _ASIDE_IN_NAME.sub("の", self.text[left.idx:right.idx + len(right.text)])
        phrase = TIME_PREFIX.sub("", phrase)  # 2023年の畜産物輸出実績 → 畜産物輸出実績
        if _AFTER_NTH.search(self.text, 0, left.idx):
            phrase = _NTH_REST.sub("", phrase)  # 第12回市民マラソン大会: not 回市民マラソン大会
        return clean(_ORDINAL_REST.sub("", phrase))  # 2回目となる市民ワークショップ: not 回目となる…

    def _quote_opening(self, closing: Token) -> Token | None:
        """The 「 that opens the quote ``closing`` ends, on its line and within a short name."""
        for tok in reversed(self.doc[max(0, closing.i - 15):closing.i]):
            if tok.text == "「":
                return tok
            if tok.text in ("」", "。") or "\n" in tok.text:
                return None
        return None

    def _run_start(self, tok: Token) -> Token:
        """The first noun of the run of nouns written together that ends with ``tok``."""
        first = tok
        while first.i > 0 and is_noun_like(self.doc[first.i - 1]) and not self.text[
                self.doc[first.i - 1].idx + len(self.doc[first.i - 1].text):first.idx]:
            first = self.doc[first.i - 1]
        return first

    def _touching_before(self, first: Token) -> Token | None:
        """The token written right before ``first``, with nothing between."""
        if first.i == 0 or self.text[self.doc[first.i - 1].idx + len(self.doc[first.i - 1].text):first.idx]:
            return None
        return self.doc[first.i - 1]

    def _relative_clause(self, tok: Token) -> set[int]:
        """移管した施設, 修繕した橋梁: a verb that ends right before the nouns ``tok`` heads modifies
        them, even where the parse hangs it elsewhere; its own dependents come with it."""
        end = self._touching_before(self._run_start(tok))
        if end is None:
            return set()
        verb = end.head if end.pos_ == "AUX" else end
        if end.pos_ not in ("AUX", "VERB") or verb.pos_ != "VERB" or verb.i > end.i:
            return set()
        return {t.i for t in verb.subtree if t.i <= end.i}

    def _of_modifier(self, tok: Token) -> set[int]:
        """耐震診断の実施件数, 電子書籍の貸出件数: a の-modifier right before the nouns ``tok`` heads
        modifies the whole run, even where the parse hangs it on the run's first noun alone (実施 as a
        root of its own, 件数 the subject); its own dependents come with it."""
        first = self._run_start(tok)
        particle = self._touching_before(first)
        if particle is None or particle.text != "の" or first.i == tok.i:
            return set()
        owner = particle.head
        if owner.i >= particle.i or owner.head.i != first.i:
            return set()
        return {t.i for t in owner.subtree if t.i < first.i} | {particle.i}

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
        return noun if is_noun_like(noun) and not self.overlaps(noun) else None

    def verb_phrase(self, verb: Token, q: Quantity) -> str:
        """The verb with what it acts on: the category of 「…」として選定, else its object."""
        for child in verb.children:
            end = child.idx + len(child.text)
            if child.dep_ == "obl" and not self.overlaps(child) and _AS_CATEGORY.match(self.text, end):
                return clean(self.noun_phrase(child) + (verb.lemma_ if verb.pos_ == "VERB" else verb.text))
        objects = [c for c in verb.children if c.dep_ == "obj" and not self.overlaps(c)]
        obj = self.marked_noun_before(figure_start(q), frozenset({"を"}))  # AをN、BをMで実施: its own item
        if obj is None and objects:
            obj = max(objects, key=lambda c: c.i)  # the nearest: AをBし、CをD
        if verb.pos_ == "VERB" and obj is not None and verb.lemma_ in _DOING:  # 講義を3回行った: what was done is
            return clean(self.noun_phrase(obj) + measure_of(q))  # its object (講義回数), the verb says nothing more
        if verb.pos_ == "VERB" and PLAIN_VERB.search(verb.lemma_):  # …を支える人数: with the counter
            return clean((self.noun_phrase(obj) + "を" if obj is not None else "") + verb.lemma_ + measure_of(q))
        if verb.pos_ == "VERB":  # 参加, 開催: a verbal noun; measured() adds what it counts
            acted_on = self.noun_phrase(obj) if obj is not None else self._acted_on(verb, q)
            return clean(acted_on + verb.lemma_)
        target = None if obj is not None else next(
            (c for c in verb.children if c.dep_ == "obl" and not self.overlaps(c) and not self.in_aside(c, q)
             and self.text.startswith("に", c.idx + len(c.text)) and not TIME_WORDS.fullmatch(c.text)), None)
        if target is not None and self.noun_phrase(target):  # 食糧不安に直面する人数
            return clean(self.noun_phrase(target) + "に" + verb.text + "する" + measure_of(q))
        done = self.doc[verb.i + 1].text if verb.i + 1 < len(self.doc) else ""
        joined = "".join(c.text for c in verb.children if c.dep_ == "compound" and c.i == verb.i - 1
                         and verb.tag_.startswith("接尾辞"))  # オンライン化: a suffix joins its noun
        word = joined + verb.text + ("済" if done.startswith("済") else "")  # 26,000km2を整備済: what is done so far
        return clean((self.noun_phrase(obj) if obj is not None else "") + word)

    def _acted_on(self, verb: Token, q: Quantity) -> str:
        """What a verbal noun with no object of its own acts on: the object of the verb joined before
        it (ガイドブックを改訂し、…で配布した（3,200部）), the event it goes to (総合防災訓練には…約2,300人が
        参加した) or the sentence's topic when that is a thing, not who acts (防災倉庫は…3棟…を整備する予定)."""
        shared = next((o for c in verb.children if c.dep_ == "advcl" and c.i < verb.i for o in c.children
                       if o.dep_ == "obj" and is_noun_like(o) and not self.overlaps(o)), None)
        if shared is not None:
            return self.noun_phrase(shared)
        sentence = self.text.rfind("。", 0, verb.idx) + 1
        particle = next((t for t in reversed(self.doc[self.token_range(sentence, verb.idx)])
                         if t.text in ("は", "も") and t.pos_ == "ADP" and t.i > 0), None)
        if particle is None:
            return ""
        noun = self.topic_noun(particle)
        marker = self.text[noun.idx + len(noun.text):particle.idx]
        if marker not in ("", "に", "について"):  # 公民館では: where, not what
            return ""
        named = is_noun_like(noun) and not self.overlaps(noun)
        phrase = _RELATIVE_HEAD.sub("", self.noun_phrase(noun)) if named else ""
        event = marker == "に"  # …訓練には: where the verb goes
        closed = TOPIC_CLOSED.search(self.text, particle.idx, verb.idx) or any(
            particle.idx < p.start < verb.idx and (p.unit_category != q.unit_category  # …は214世帯で、…: the
                                                   or _FIGURE_CLOSES.match(self.text, max(p.end, p.suffix_end)))
            for p in self.quantities)  # topic's own figure
        if not phrase or TIME_WORDS.fullmatch(phrase) or closed or (phrase.endswith(AGENTS) and not event):
            return ""
        return phrase

    def _after_aside(self, q: Quantity) -> int:
        """Where the text after the figure goes on, past a bracket right after it."""
        end = max(q.end, q.suffix_end)
        if self.text.startswith(("(", "（"), end):
            return next((c + 1 for o, c in self._asides if o == end), end)
        return end

    def shared_modifier(self, phrase: str, noun: Token) -> str:
        """覚醒剤の摘発件数は296件…、押収量は約1,978キロ: a second topic of the sentence, bare,
        shares the の-modifier of the measure before it (覚醒剤の押収量), else of the sentence's
        first topic; one that names no measure is an item of the first's (…の負担割合は、国が2分の1
        → …の負担割合（国）; so of a measure a setting sets: …の限度額を、単身世帯は…); a bare measure is
        of the theme the sentence opens with (特定保健指導は、…実施率は → 特定保健指導の実施率)."""
        if "の" in phrase:
            return phrase
        clause = max(self.text.rfind("、", 0, noun.idx), self.text.rfind("。", 0, noun.idx))
        sentence = self.text.rfind("。", 0, clause) + 1 if clause >= 0 else 0
        if clause < 0 or self.text[clause] == "。":
            return phrase
        topics = [tok for tok in self.doc[self.token_range(sentence, clause)]
                  if tok.pos_ == "ADP" and tok.i > 0 and (tok.text in ("は", "が") or (
                      tok.text == "を" and self.text.startswith(("、", ","), tok.idx + 1)
                      and self.noun_phrase(self.doc[tok.i - 1]).endswith(MEASURE_ENDS)))]
        # 助成上限額を、組換えワクチンは1回あたり10,000円…とする: the measure a setting sets heads its items too
        parallel = next((self.noun_phrase(self.doc[t.i - 1]) for t in reversed(topics) if t.text == "は"), "")
        owner = parallel.rpartition("の")[0]
        if (owner and phrase.endswith(MEASURE_ENDS) and parallel.endswith(MEASURE_ENDS)
                and not parallel.endswith(phrase) and not TIME_WORDS.fullmatch(owner)):
            return f"{owner}の{phrase}"  # 不正薬物全体の摘発件数は815件…、押収量は: the measure just before, in parallel
        if not topics:
            return phrase
        tok = topics[0]
        first = self.noun_phrase(self.doc[tok.i - 1])
        if (first.endswith(MEASURE_ENDS) and not phrase.endswith(MEASURE_ENDS)
                and self.text.startswith(("、", ","), tok.idx + len(tok.text))):
            return f"{first}（{phrase}）"  # 負担割合は、国が2分の1: the measure heads its items
        owner = first.rpartition("の")[0]
        if owner and not first.endswith(phrase) and not TIME_WORDS.fullmatch(owner):
            return f"{owner}の{phrase}"
        if (tok.text == "は" and not owner and phrase.endswith(MEASURE_ENDS) and not first.endswith(MEASURE_ENDS)
                and is_noun_like(self.doc[tok.i - 1]) and self.text.startswith(("、", ","), tok.idx + 1)
                and _THEME.fullmatch(first) and not is_time(first) and first not in phrase):
            return f"{first}の{phrase}"  # 特定保健指導は、…実施率は35.6%: the measure of the sentence's theme
        return phrase

    def measure_before(self, start: int) -> str:
        """末端価格にして約1,226億円, 通常使用量で約6,593万回分: the measure a figure (at ``start``) is given in."""
        for marker in ("にして", "において", "で"):
            if self.text.startswith(marker, start - len(marker)):
                noun = self.ending_at(start - len(marker))
                if (noun is not None and noun.idx + len(noun.text) == start - len(marker)
                        and is_noun_like(noun) and not self.overlaps(noun)):
                    phrase = self.noun_phrase(noun)  # 世界で約3億人 names a place, not a measure
                    return phrase if phrase.endswith(MEASURE_ENDS) else ""
        return ""

    def compared_measure(self, q: Quantity, base: str) -> str:
        """A multiple of another group's figure measures the noun it modifies (5倍以上の強度) or the
        sentence's subject (有効求人倍率は全産業の2倍), against that group (…の全産業比)."""
        end = max(q.end, q.suffix_end)
        measure = ""
        if self.text.startswith("の", end) and (noun := self.starting_at(end + 1)) is not None:
            head = noun
            while head.i + 1 < len(self.doc) and is_noun_like(self.doc[head.i + 1]) and not self.overlaps(self.doc[head.i + 1]):
                head = self.doc[head.i + 1]
            measure = self.noun_phrase(head) if is_noun_like(head) and not self.overlaps(head) else ""
        measure = measure or self.subject_of_sentence(q)
        return f"{measure}の{base}比" if measure and base else measure

    def subject_of_sentence(self, q: Quantity, before: int = -1) -> str:
        """The noun marked with が or は nearest before the figure (or ``before``) in its clause chain."""
        sentence = self.text.rfind("。", 0, q.start) + 1
        for tok in reversed(self.doc[self.token_range(sentence, before if before >= 0 else figure_start(q))]):
            if tok.text not in ("が", "は") or tok.pos_ != "ADP" or tok.i == 0:
                continue
            noun = self.doc[tok.i - 1]
            if noun.text in (")", "）"):  # 登録者数（R7.3.31時点）は: past the aside
                noun = self.topic_noun(tok)
            if is_noun_like(noun):
                return self.noun_phrase(noun)
        return ""

    def name_with_bracket(self, pos: int) -> str:
        """受講者の満足度（大変満足＋満足）：… — a label whose name ends in a bracketed qualifier."""
        before = self.text[:pos].rstrip(" ")
        if not before.endswith((")", "）")):
            return ""
        opening = max(before.rfind("("), before.rfind("（"))
        inner = before[opening + 1:-1]
        name = self.phrase_ending_at(opening) if opening > 0 else ""
        return clean(f"{name}（{inner}）") if name and 0 < len(inner) <= 20 else ""

    def owner_before(self, pos: int) -> str:
        """入込観光客数（宿泊）R6年度目標値：…, 子育て環境満足度（R6：75.0%）: past a label that only
        says which value (a time, 目標値), the indicator it is a value of."""
        m = VALUE_LABEL.search(self.text, max(0, pos - 20), pos)
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
        if tok is None or tok.idx + len(tok.text) != pos or not is_noun_like(tok) or self.overlaps(tok):
            return self.label_before(pos)
        return self.noun_phrase(tok) or self.label_before(pos)

    def anchor(self, q: Quantity) -> Token | None:
        """The token that carries the figure in the parse: its counter, or a qualifier after it."""
        tok = self.ending_at(q.end)
        end = max(q.suffix_end, q.end)
        while tok is not None and tok.head.i != tok.i and (
                q.start <= tok.head.idx < end or tok.head.text in QUALIFIER_WORDS):
            tok = tok.head
        return tok

    def doing_share(self, noun: Token, verb: Token, measure: str = "の割合") -> str:
        """The share (or count) of ``noun`` that does what ``verb`` says, with what the verb
        takes: 営農再開をはたす農地の割合, 洪水浸水想定区域内に位置する地下街の割合,
        医療へのアクセス困難に直面する住民数."""
        base = as_written(verb)
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
        for tok in reversed(self.doc[self.token_range(sentence_start, figure_start(q))]):
            nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
            if tok.text in ("も", "は") and nxt is not None and nxt.lemma_ in ("ある", "有る", "ない", "無い"):
                continue  # 個体数の減少もあり, 増加傾向にはある: a cause or a state, not the topic
            if tok.text in TOPIC_PARTICLES and tok.pos_ == "ADP" and tok.i > 0:
                noun = self.topic_noun(tok)
                if is_noun_like(noun) and not self.overlaps(noun) and not self.in_aside(noun, q):
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
        if noun.text in (")", "）"):  # 市民アンケート(R6年7月実施)では: the noun the aside follows
            opening = next((o for o, c in self._asides if c == noun.idx), None)
            before = self.ending_at(opening) if opening is not None else None
            noun = before if before is not None and before.idx + len(before.text) == opening else noun
        return noun

    def bracket_of(self, q: Quantity) -> int:
        """Where the innermost bracket that holds the figure opens; -1 outside brackets."""
        start = figure_start(q)
        return max((o for o, c in self._asides if o < start < c), default=-1)

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
