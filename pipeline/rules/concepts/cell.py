"""Concepts over the whole cell, after each figure has its own: an item carries its total's
name and its heading's, a count with no measure takes its counter's, the steps of a series
share their last step's measure, and a capped figure names the cap."""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Token

from pipeline import resources
from pipeline.rules.concepts.finder import ConceptFinder, ceiling, PEOPLE, RESULT_END
from pipeline.rules.concepts.words import (
    AGENTS, BASE_OPENS, BRACKETED, clean, count_name, counts_unnamed, figure_start, is_noun_like, is_time,
    ITEM_METHODS, LABEL_METHODS, MEASURE_ENDS, measures_kind, measures_other_kind, NOT_CONCEPTS, NUMBERED_CLASS,
    PER_WORD, QUALIFIER_WORDS, RATE_NOUN, STATE_LABEL, TIME, TIME_IN_LABEL, TIME_PREFIX, TIME_WORDS, unit_measure,
    unmarked, VALUE_LABEL, VALUE_WORDS, WORDS,
)
from pipeline.rules.periods import TimeExpression
from pipeline.rules.statuses import ITEM_AMOUNT
from pipeline.rules.quantities import AMOUNT_PER, PAID_VERBS, Quantity, TIME_BASES, bounds_next, start_of
from pipeline.rules.scopes import (
    CellStructure, heading_name, heading_status, INDICATOR_LABEL, SECTION_LABEL, segment_start, undated,
)
from pipeline.rules.sentences import sentence_of


CAPS = "|".join(resources.scopes()["caps"])  # 上限, 限度
#: Methods that found no name of the figure's own: a noun nearby, the sentence's topic, the counter.
_WEAK_METHODS = frozenset({"none", "nearest", "counter", "carried", "topic"})
#: （うち市外 1,085人）, （国内6,911人: the marks that open a part, before its label.
_SUBSET_MARK = re.compile(r"^[(（]?\s?(?:(?:その)?(?:うち|内)\s?)?")
_CAP_WORD = re.compile(CAPS)
#: …計8.6kmで、内訳は配水本管が2.1km: a part's subject that is only its label, right before its figure.
_PART_SUBJECT = re.compile(r"(?:^|[、,\s])(?:その)?(?:内訳は|うち)?[、,\s]?[①-⑳]?(?P<label>[^、。,\s\d()（）]{1,15}?)(?:が|は)\s?$")

#: Between a step's time and its first figure: 令和元年度は, 2023年には, R4年度 , 民営化後（令和3年度）は,
#: 導入前（R2〜R4年度平均）の (the years a bracket says are averaged).
_STEP_GAP = re.compile(r"(?:平均)?[)）]?\s?(?:に)?(?:は|も)?[、,\s]?")
#: …or the noun the step is about: 本年度の登録者は 350人, 民営化前（平成30年度）の運営経費は, 令和8年度の職員数を.
_NAMED_STEP = re.compile(r"(?:平均)?[)）]?\s?の[^、。\d]{1,15}?(?:は|が|を)\s?")
#: 新規就農者数も, 利用者は: a subject that opens a step's clause before the step's time.
_OWN_SUBJECT = re.compile(r"[^\s、。\d]{2,}(?:も|は|が)\s?$")
#: What a step's concept adds to the words it is named with (登録者 + 数).
_MEASURE_TAIL = re.compile(r"(?:人数|件数|数|の割合|割合)$")

#: 320人(高齢者): a short bracket of words after a figure.
_LABEL_AFTER = re.compile(rf"\s?\(([^()\d、,。]{{1,15}}|{NUMBERED_CLASS})\)")  # (高齢者), (要介護3)
_NOT_ITEM = re.compile("|".join(["上限", "限度", "見込", "予定", "目標", "実績", "速報", "確定", "暫定", "概算", "推計", "現在",
                                 "時点", "累計", "延べ", "計", "税込", "税抜", "以上", "以下", "以内", "未満", "程度",
                                 "^内訳$"]))  # （内訳）, 内訳：…: that parts follow, of no item (not 支給内訳)
#: 36.7%(国民生活基礎調査), 27%(概数値): a bracket that names the figure's source or which value it is.
_SOURCE_OR_VALUE = re.compile("|".join([*resources.periods()["source_words"], *WORDS["publications"]]) + "|値$")

#: The words a section's label ends with (…の業務内容, …の取組内容).
_SECTION_ENDS = tuple(WORDS["sections"])
#: ＜パソコン教室の概要＞, ＜講座概要＞: the section word that closes a heading of what a section is of.
_SECTION_TAIL = re.compile("の?(?:" + "|".join(WORDS["sections"]) + ")$")

#: Before an item of a list in a bracket: labels and the items before it (牛肉    、豚肉).
_LIST_IN_BRACKET = re.compile(r"(?:[^、,。()（）\d:：]{1,15}\s*[、,]\s*)*[^、,。()（）\d:：]{1,15}")

#: 増加傾向(…), 減少傾向, 横ばい(…), 推移(…): a trend a bracket's series bears out.
_TREND_WORD = re.compile(r"(?:傾向|推移|横ばい)$")

#: (養護者:2016年度4,606件→…、障害者福祉施設従事者等:…): the item a bracket's series is of.
_BRACKET_ITEM = re.compile(r"(?:^|[、,]\s?)([^、,:：\d()（）\s]{1,20})[:：][^、,:：()（）]*$")

#: (2023年調査は病院74.4%、…): the topic a bracket's list opens with, before its first item.
_BRACKET_TOPIC = re.compile(r"^[^、,。()（）]{1,20}?は\s?")

#: 札幌市：…: a label that opens its line and ends in a colon.
_COLON_LINE = re.compile(r"[^\n:：]{1,30}?[ \t]*[:：]")
#: Between a heading and the figure it names: spaces, a colon, a base (1人あたり).
_HEADING_GAP = re.compile(rf"[\s:]*(?:[^\s:、。\d]{{0,6}}\d*[^\s:、。\d]{{0,4}}{PER_WORD}[\s:]*)?")

#: Between two items of one list: an aside in brackets, a 、, a comma, a space or と (大人1,120人と子ども864人),
#: and nothing that ends a clause.
_LIST_JOIN = re.compile(r"(?:[(（][^()（）]{1,20}[)）])?(?:[^。、,\s]{0,2}[、,\s]|と)[^。、,]{1,15}")

#: An item's label: a noun (第1子, 一般世帯, その他の言語, 対面のみ), a class of who does something (親元就農する者,
#: 市外から転入した世帯), a class of children by age (4か月児, 1歳6か月児健診), a class a bound draws (構成員10人以下の組織)
#: or a quoted answer (「徹底している」); no other clause, no time. A kana between two kanji is the okurigana of a
#: compound noun (子育て世帯, 見守り活動, 申込み者), no particle.
_BOUNDED_CLASS = re.compile(r"[一-龥々ァ-ヶー]{0,8}\d+[^\d、。()]{0,8}?(?:以上|以下|未満|超)の[一-龥々ァ-ヶー]{1,8}")
_KANA_WORDS = "|".join(["その他", "沿い", "向け", *WORDS["hiragana_nouns"],
                        r"(?<=[一-龥々])[てりしみれえけいきちつく](?=[一-龥々])"])
_ITEM_WORD = re.compile(rf"(?:{_KANA_WORDS}|[^ぁ-ん\d()]|\d(?![\d,.]*[年月日]))+"
                        r"(?:の(?:[^ぁ-ん\d()]|\d(?![\d,.]*[年月日]))+)?(?:のみ|だけ)?|「[^「」]{1,20}」"
                        rf"|(?:{NUMBERED_CLASS})[一-龥々ァ-ヶー]{{0,6}}"
                        rf"|{_BOUNDED_CLASS.pattern}"
                        r"|[^、。\d()「」]{1,16}?[るた](?:者|方|世帯|人|団体|事業者|企業)")

#: The particle or colon that ends an item's label (第1子に, 大人:, 首都圏からが, 展示会場には).
#: バスは約2.4万人、タクシーは約4.7万人運転者が減少: the noun right after a list's last figure, before
#: its case particle, names what every item counts.
_MEASURE_AFTER = re.compile(r"\s?の?(?P<noun>[一-龥ァ-ヴー]{1,10}?)(?:が|を|に)")
#: 英語が1,024件、…215件と、いずれも過去最多の相談件数となった: the measure the list's items reach.
_MEASURE_REACHED = re.compile(r"\s?と、[^。、]{0,20}?の(?P<measure>[一-龥ァ-ヴー]{1,10}(?:件数|人数|数|率|額|量))(?:と|に)なっ")
#: A label that ends in one of these is a measure of its own (日降水量), not an item of another.
_MEASURE_NOUNS = ("数", "率", "量", "額", "割合")
#: What a label alone, or a condition (…の場合), with one of these names: no measure of its own.
_BARE_HEADS = frozenset({"", "上限額", *WORDS["generic_heads"]})
#: 第1子に, 個人の場合は上限, 親元就農する者には1人当たり年間: what ends a label before its figure.
_ITEM_PARTICLE = re.compile(r"(?:の場合)?(?:から|まで|へ)?(?:には|では|に|は|が|で|:)?"
                            rf"(?:(?:\d+|一)?[^\d、。]{{0,4}}?{PER_WORD})?(?:年間|月額|年額|日額|上限|最大)?$")
#: 限度額は、月額で高校生20,000円、…: the base an amount is given for, which opens a list's first label.
_AMOUNT_LEAD = re.compile(r"^(?:[年月日週]額|年間)\s?(?:で|は)?\s?(?=\S)")
#: この10年間で中間農業地域は14%: the particle that closes the figure before a list's first label.
_FIGURE_PARTICLE = re.compile(r"^(?:では|には|で|に|は|が|を)\s?(?=[^\s、,])")
#: How an item named by the deed of its clause alone was named (…合葬墓に80,000円を定めている → 定める額).
_DEED_NAMES = frozenset({"parse", "verb", "predicate", "nearest", "none"})
#: 子育て世帯応援給付金は、第1子に…, 参加者は、…: a topic that names a scheme or people, not the measure of its items.
_NAMES_SCHEME_OR_PEOPLE = ("金", "者", "員", "人")
#: The particle after a label that says where or to whom (戸別訪問で, 小学生に, 首都圏からが).
_PLACE_PARTICLE = re.compile(r"(?:で|に|では|には|が)$")
#: A survey a list of shares answers (市民アンケートでは、「徹底している」が58.3%、…).
_SURVEY = re.compile(r"調査|アンケート")
#: A time that opens the first item's words (令和６年度は小学校で１２校): the list's time, not its label.
_OPENING_TIME = re.compile(TIME + r"\s?(?:まで|以降|から)?(?:は|に|で|には)?\s?")  # 令和5年度まで第1子に: a validity label
#: 令和5年度は, 平成30年度が: a time before a figure, as a step of a series opens.
_STEP_TIME = re.compile(TIME + r"\s?(?:は|が|に|で|には|では)")


#: How a change names what changed itself (its object: 臨時職員を2名減員; its label).
_OWN_OBJECT = frozenset({"changed", "label"})
#: How a figure names its own measure (a label, a heading, its subject): a change does not rename it.
_NAMING_METHODS = LABEL_METHODS | {"subject", "changed", "is", "whole"}


def of_totals(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], parent: dict[int, int],
              text: str) -> list[tuple[str, str]]:
    """An item of a breakdown named by its own label carries its total's name (guidelines,
    "Naming the concept"): 英語968件 under 外国人相談窓口件数1,285件 → 外国人相談窓口件数（英語）.
    A change names what its current value names, unless it came first and named what changed:
    then its level is of that (職員を2名減員し、…8名体制 → 窓口の臨時職員数)."""
    out = list(concepts)
    for i in sorted(parent):  # totals before their items, so nested breakdowns compose
        name, method = out[parent[i]]
        if quantities[i].kind == "delta" and parent[i] > i and out[i][1] in _OWN_OBJECT:
            if method not in _NAMING_METHODS:  # 職員を2名減員し、…8名体制: the level is of what the change named
                level = quantities[parent[i]]
                people = level.unit in ("人", "名") and out[i][0].endswith(("員", "者"))
                out[parent[i]] = (out[i][0] + ("数" if people else unit_measure(level)), "change")
        elif quantities[i].kind == "delta":
            out[i] = (name, "parent")
        elif (out[i][1] in ITEM_METHODS or out[i][1] == "line" and parent[i] < i) and name and out[i][0] \
                and name not in out[i][0]:  # 56基\n内訳：小学校 28基: a line's label, under its total
            out[i] = (f"{name}（{_item_label(out[i][0], quantities[i])}）", f"{out[i][1]}+total")  # （継続）, not （継続件数）
        elif name and out[i][1] == "subject" and parent[i] < i and (part := _PART_SUBJECT.search(
                text, max(quantities[i - 1].end, quantities[i - 1].suffix_end), figure_start(quantities[i]))) \
                and not part["label"].endswith(MEASURE_ENDS) and part["label"] not in name:
            out[i] = (f"{name}（{part['label']}）", "subject+total")  # 内訳は配水本管が2.1km → 更新延長（配水本管）
        elif name and out[i][1] in _WEAK_METHODS and ("subset" in quantities[i].qualifiers or parent[i] < i):
            before = quantities[i - 1]  # （うち市外 1,085人）, （国内6,911人、…）: a place names no measure alone,
            # but labels the part
            label = _SUBSET_MARK.sub("", _words_before(text, max(before.end, before.suffix_end), figure_start(quantities[i])))
            label = re.sub(r"(?<=.)[はが]$", "", label)  # うち本年度分は86件: the label, not its particle
            if label and label not in name:
                out[i] = (f"{name}（{label}）", "label+total")
    return out


def listed_items(concepts: list[tuple[str, str]], quantities: Sequence[Quantity],
                 sentences: Sequence[tuple[int, int]], finder: ConceptFinder) -> list[tuple[str, str]]:
    """The items of a list each carry their label and the list's measure (guidelines,
    "Naming the concept"): 第1子に5,000円、第2子に10,000円を支給 → 支給額（第1子）, 支給額（第2子）;
    助成額は、小学生2,000円、中学生3,000円 → 助成額（小学生）. A list is two or more figures of
    one sentence and one kind of unit, each after its own label, joined by 、 or a space (changes and levels
    apart: 東部地区が318人、西部地区は274人で、西部地区は…41人減少 lists the two levels; a figure of
    another kind before them, 設置（延長8.6km）し、…捕獲頭数はイノシシ186頭, is no item of theirs; not
    摘発件数は296件、押収量は約1,978キロ: two measures)."""
    out = list(concepts)
    runs: list[list[int]] = []
    listed = [i for i, q in enumerate(quantities) if not _aside(finder.text, q)]  # 自治会（32団体）に1,920千円、…
    for k, i in enumerate(listed):
        q, previous = quantities[i], quantities[listed[k - 1]] if k else None
        joined = previous is not None and sentence_of(sentences, q.start) == sentence_of(sentences, previous.start) \
            and (previous.unit_category == q.unit_category or previous.kind == q.kind == "count") \
            and (previous.kind == "delta") == (q.kind == "delta") \
            and _LIST_JOIN.fullmatch(finder.text, max(previous.end, previous.suffix_end), figure_start(q)) is not None
        if joined and runs and runs[-1][-1] == listed[k - 1]:
            runs[-1].append(i)
        else:
            runs.append([i])
    ends = {i: max(quantities[listed[k - 1]].end, quantities[listed[k - 1]].suffix_end) if k else 0
            for k, i in enumerate(listed)}
    while runs:
        run = runs.pop(0)
        words = [BRACKETED.sub("", _words_before(finder.text, ends[i], figure_start(quantities[i]))) for i in run]
        labels = [_ITEM_PARTICLE.sub("", _AMOUNT_LEAD.sub("", _OPENING_TIME.sub("", _FIGURE_PARTICLE.sub("", w))))
                  for w in words]
        timed = [bool(_STEP_TIME.search(finder.text, ends[i], figure_start(quantities[i]))) for i in run]
        if (not all(labels) and any(timed)) or (len(set(labels)) < len(labels) and any(timed[1:])):
            runs[:0] = _series_steps(run, timed, labels)
            continue
        if len(run) < 2 or len(set(labels)) < len(labels) or any(
                not _ITEM_WORD.fullmatch(label) or TIME_IN_LABEL.search(label) for label in labels  # 本年度は350人、
            ) or any(label.endswith((*_MEASURE_NOUNS, *VALUE_WORDS)) for label in labels):  # 来年度は400人: times;
            continue  # 1時間降水量80mm以上、日降水量300mm以上, 検挙人員は55人、被害者数は57人: measures; 目標50%に対し実績41.2%、
            # …率は目標90%: which value each is; no items
        heading = _LIST_HEAD.search(finder.text, sentence_of(sentences, quantities[run[0]].start)[0],
                                    figure_start(quantities[run[0]]))
        head = TIME_PREFIX.sub("", heading["name"]) if heading else ""  # フォロワー数：Instagram:856人、X:241人:
        if head.endswith(MEASURE_ENDS):  # the label that heads the items' labels names the measure of them all
            for i, label in zip(run, labels):
                out[i] = (f"{head}（{label}）", f"{out[i][1]}+list")
            continue
        if len({quantities[i].unit_category for i in run}) > 1:  # 戸別訪問で1,320世帯、イベント会場で2,460人に啓発:
            for i, label in zip(run, labels):  # counts of different things share no measure; each keeps its own,
                if (out[i][1] not in ("nearest", "none") and out[i][0] and not any(w in out[i][0] for w in labels)
                        and all(_PLACE_PARTICLE.search(w) for w in words)):  # when a particle marks every label
                    out[i] = (f"{out[i][0]}（{label}）", f"{out[i][1]}+list")
            continue
        first = quantities[run[0]]
        topic = finder.topic(first, sentence_of(sentences, first.start)[0])
        if _ITEM_PARTICLE.sub("", topic) in labels:  # 相談者は、首都圏からが64人: the topic before the first item's label
            topic = finder.subject_of_sentence(first, figure_start(first) - len(words[0]))
        topic = BRACKETED.sub("", topic)
        names = {out[i][0] for i in run if out[i][1] not in ("nearest", "none")  # a nearest noun names nothing,
                 and not any(label in out[i][0] for label in labels)}  # nor an item's own label
        last = out[run[-1]][0]  # …子ども会（18団体）に540千円を交付した: the verb that closes the list names its measure
        about = topic.endswith(MEASURE_ENDS) and not topic.endswith(_NAMES_SCHEME_OR_PEOPLE) and not any(
            label in topic for label in labels) and all(out[i][1] in _DEED_NAMES for i in run)
        measure = topic if about else names.pop() if len(names) == 1 else last if (
            last.endswith(MEASURE_ENDS) and not any(label in last for label in labels)) else ""
        # 永代使用料は、一般区画に280,000円、…を定めている: the measure the sentence is about, over its verb's
        last_end = max(quantities[run[-1]].end, quantities[run[-1]].suffix_end)
        after = _MEASURE_AFTER.match(finder.text, last_end) or _MEASURE_AFTER.match(  # 4.7万人運転者が減少: the
            finder.text, quantities[run[-1]].end)  # change's subject, read past as the figure's suffix
        if (not measure or measure in labels) and after and after.group("noun") not in labels:
            noun, q = after.group("noun"), quantities[run[-1]]
            measure = noun if noun.endswith(MEASURE_ENDS) else noun + (
                "数" if q.unit in ("人", "名") and noun.endswith(("者", "員")) else unit_measure(q))
        if not measure or measure in labels:  # …、ハクビシンが45頭捕獲され → 捕獲頭数; …215件と、…相談件数となった
            named = _MEASURE_REACHED.match(finder.text, last_end)
            measure = named.group("measure") if named else finder.predicate_after(quantities[run[-1]])
            measure = "" if any(label in measure for label in labels) else measure
        if not measure or measure in labels:
            capped = all(quantities[i].kind == "money" and "at_most" in quantities[i].qualifiers for i in run)
            stem = RESULT_END.sub("", topic)  # 交付実績は個人38件、団体11件: 実績 says which value, the counter what
            measure = topic if topic.endswith(MEASURE_ENDS) or _SURVEY.search(topic) else (  # 設置補助は、個人住宅に上限8万円、…
                f"{topic}の上限額" if topic and capped else
                count_name(stem, first) if first.kind == "count" and stem and not is_time(stem)
                and stem not in NOT_CONCEPTS else  # 交付先は、都道府県が32団体、…: 交付先団体数（都道府県）
                f"{stem}の割合" if stem and not is_time(stem) and stem not in NOT_CONCEPTS and all(
                    quantities[i].kind == "percent" for i in run) else "")  # 利用目的は、通院が約7割、買物が約2割:
            # the shares of the classes of what the sentence is about (利用目的の割合（通院）)
        if not measure and all(quantities[i].kind == "count" and out[i][0] in labels for i in run):
            measure = "人数" if quantities[run[0]].unit in ("人", "名") else unit_measure(quantities[run[0]])
            # 展示会場には4,717人、講演会等に430人。: nothing but the items' labels names them; the counter names
            # the measure (guidelines: name it from the predicate and the counter)
        if _SURVEY.search(measure) and not measure.endswith(MEASURE_ENDS) and all(
                quantities[i].kind == "percent" for i in run):  # 市民アンケートでは、「徹底している」が58.3%、…
            measure += "の回答割合"
        if measure:
            measure = ceiling(measure, quantities[run[-1]])  # 個人の場合は上限50万円、…: 貸付上限額（個人）
            if measure.endswith(("者", "員")) and all(quantities[i].unit in ("人", "名") for i in run):
                measure += "数"  # 参加者は大人1,120人と子ども864人: 参加者数（大人）
            for i, label in zip(run, labels):
                rest = re.sub(r"^の(?:場合)?", "", out[i][0][len(label):]) if out[i][0].startswith(label) else None
                bare = rest in _BARE_HEADS or rest == measure or out[i][0].endswith(label + unit_measure(quantities[i]))
                # 窓口は1,250件 (窓口件数), 単身世帯の場合は2万円 (単身世帯の場合額), 親元就農する者交付額: a label
                # and a generic head or the list's measure name no measure of the item's own
                named = label in out[i][0] and not any(  # 電動式に…、非電動式に…: not as a part of another label
                    label != other and label in other and other in out[i][0] for other in labels)
                if not named or out[i][0].endswith(label) or bare:  # 負担割合は国: the label, not a name
                    out[i] = (f"{measure}（{label}）", f"{out[i][1]}+list")
    return out


def _series_steps(run: list[int], timed: list[bool], labels: list[str]) -> list[list[int]]:
    """平成30年度が約48万人、令和5年度は国内線41.2万人、国際線3.6万人: a figure a time alone labels is a step of a
    series (guidelines, "each step of a series"), no item; 令和4年度は電話380件、来所96件、令和5年度は電話412件、…:
    where the same labels come again, a time written before a figure starts a step, and the items of a list are
    those of one step (not 平成23年度に北事務所で5名、平成24年度は西事務所で5名: one list, an item per step)."""
    by_time = len(set(labels)) < len(labels)
    steps: list[list[int]] = []
    for k, (i, time, label) in enumerate(zip(run, timed, labels)):
        if k == 0 or (time and by_time) or not label:
            steps.append([])
        if label:
            steps[-1].append(i)
    return [step for step in steps if step]


#: A label and its colon right before the first item's own label and colon (フォロワー数：Instagram:856人).
_LIST_HEAD = re.compile(r"(?P<name>[^\s、。:：()（）\d■◆◇□●○・【】＜＞<>]{2,30})[:：]\s?[^\s、。:：()（）\d]{1,20}[:：]\s?$")


def _aside(text: str, q: Quantity) -> bool:
    """A figure that is all of a bracket (自治会（32団体）に…): an aside, no item of the list around it."""
    return text[:figure_start(q)].rstrip().endswith(("(", "（")) and text[max(q.end, q.suffix_end):].lstrip().startswith(
        (")", "）"))


def _names_own_measure(label: str) -> bool:
    """定員充足率 names a measure; 来庁者 (…（2023年調査は来庁者82.4%、…）) is a group a measure is of."""
    label = label.rstrip(" :")
    return label.endswith(MEASURE_ENDS) and not label.endswith(_PERSON_NOUNS + ("人",))


def in_bracket_lists(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], parent: dict[int, int],
                     finder: ConceptFinder) -> list[tuple[str, str]]:
    """The items of a list in a bracket right after a noun carry that noun as their heading
    (guidelines: an item carries its label and the list's heading): 畜産物輸出目標(牛肉3,600億円、
    豚肉60億円) → 畜産物輸出目標（牛肉）; after a predicate, the measure the sentence is about
    (オンライン回答率は上昇した(…病院74.4%、…)); a series in a bracket after a trend is that measure's
    (年間アクセス件数は増加傾向(2022年度…件→2023年度…件)). Not the breakdown of a total
    (16団体に交付（運営支援1団体、…）), whose items carry the total's name, nor a bracket after a
    verbal noun."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        opening = finder.bracket_of(q)
        if opening < 0:
            continue
        before = finder.ending_at(opening)  # the word the bracket follows
        inner = finder.masked(opening + 1, figure_start(q))
        if before is not None and _TREND_WORD.search(before.text) and q.kind != "delta" \
                and (topic := finder.subject_of_sentence(q, opening)).endswith(MEASURE_ENDS):
            item = _BRACKET_ITEM.search(inner)  # (養護者:2016年度…件→…)
            out[i] = (f"{topic}（{item.group(1)}）" if item else topic, f"{method}+trend")
            continue
        if (i in parent or method not in ITEM_METHODS or not concept or re.search("[はがを]", concept)
                or not _LIST_IN_BRACKET.fullmatch(_BRACKET_TOPIC.sub("", inner))  # (2023年調査は病院74.4%、…)
                or before is None or before.idx + len(before.text) != opening):
            continue  # not an item's label ((…のものは全86件)), or not only items before it in the bracket
        if "サ変" not in before.tag_ and before.pos_ in ("NOUN", "PROPN"):
            owner = finder.phrase_ending_at(opening)
        elif before.pos_ in ("AUX", "VERB") and not _names_own_measure(finder.text[opening + 1:figure_start(q)]) \
                and (topic := finder.subject_of_sentence(q, opening)).endswith(MEASURE_ENDS):
            owner = topic  # not …受講した（定員充足率91.3%）: an item that names its own measure needs no topic
        else:
            owner = ""
        if owner and concept not in owner and owner not in concept:
            out[i] = (f"{owner}（{concept}）", f"{method}+bracket")
    return out


#: 小学生118人に計1,432千円: the joint of the two figures of one item (its count, then what it got or did).
_PAIR_JOINT = re.compile(r"\s?[にで]\s?(?:計|合計|延べ|約)?\s?")
#: 、中学生76人に: the joint to the next item, whose label comes before its first figure.
_PAIR_NEXT = re.compile(r"\s?[、,]\s?[^、。\d\s()（）]{1,12}\s?")


def paired_items(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
                 ) -> list[tuple[str, str]]:
    """Items of a list that each state two figures after one label (就学援助費を小学生118人に計1,432千円、
    中学生76人に計1,615千円支給した) carry the label in both (guidelines: an item carries its label): the
    first is named by its label already (小学生数); the second of each becomes 支給額（小学生）, 支給額（中学生）,
    not one 支給額 for all."""
    out, n = list(concepts), len(quantities)

    def joined(k: int, pattern: re.Pattern[str]) -> bool:
        return k + 1 < n and pattern.fullmatch(text, max(quantities[k].end, quantities[k].suffix_end),
                                               figure_start(quantities[k + 1])) is not None

    i = 0
    while i < n:
        firsts = [i]
        while joined(firsts[-1], _PAIR_JOINT) and joined(firsts[-1] + 1, _PAIR_NEXT) and joined(firsts[-1] + 2,
                                                                                                 _PAIR_JOINT):
            firsts.append(firsts[-1] + 2)
        if len(firsts) < 2:
            i += 1
            continue
        seconds = [k + 1 for k in firsts]
        labels = [_words_before(text, max(quantities[k - 1].end, quantities[k - 1].suffix_end) if k else 0,
                                figure_start(quantities[k])) for k in firsts]
        measures = {out[k][0] for k in seconds}
        measure = measures.pop() if len(measures) == 1 else ""
        if (measure and len(set(labels)) == len(labels)
                and len({quantities[k].unit_category for k in firsts}) == 1
                and len({quantities[k].unit_category for k in seconds}) == 1
                and quantities[i].unit_category != quantities[i + 1].unit_category
                and all(_ITEM_WORD.fullmatch(label) and label not in measure for label in labels)):
            for k, label in zip(seconds, labels):
                out[k] = (f"{measure}（{label}）", f"{out[k][1]}+pair")
        i = firsts[-1] + 2
    return out


#: …1時間5分で、平日（25分）を上回った: a group named right before a bracket that holds only its figure.
_GROUP_BEFORE = re.compile(r"(?:^|(?<=[、,\s]))(?P<label>[^()（）、,。\d\s]{1,12})\s?[(（]\s?$")


def _compared_group(text: str, q: Quantity) -> str:
    """平日（25分）: the group a bracket that holds only the figure is of, unless it names a measure, a
    status or a time (目標（300件）, 前年度（1,200人）)."""
    start, end = start_of(q), q.suffix_end if q.suffix_end >= 0 else q.end
    m = _GROUP_BEFORE.search(text, max(0, start - 16), start)
    label = m["label"] if m and re.match(r"\s?[)）]", text[end:]) else ""
    return label if _names_group(label) else ""


def _names_group(label: str) -> bool:
    """Whether the words before a bracket of figures name a group they are of (a class a bound draws:
    構成員10人以下の組織), not a measure, a status or a time (目標（300件）, 前年度（1,200人）)."""
    named = bool(_item_word(label) or _BOUNDED_CLASS.fullmatch(label))
    return named and not (is_time(label) or VALUE_LABEL.fullmatch(label) or _names_own_measure(label)
                          or label.endswith(MEASURE_ENDS))


#: 、 or , between two figures of one bracket.
_FIGURE_JOINT = re.compile(r"\s?[、,]\s?")
#: いずれも県内平均（: words that say the figures before are each compared, before the group's name.
_EACH_COMPARED = re.compile(r"^(?:いずれも|ともに|共に)")


def _compared_run(text: str, quantities: Sequence[Quantity], i: int) -> tuple[str, int] | None:
    """…貸出冊数は5.8冊、蔵書回転率は1.2回で、いずれも県内市町村平均（4.9冊、1.1回）を上回った: the figures of a
    bracket after a group's name, as many as the figures right before it in its sentence and of their kinds, are
    those measures of the group, in order. The group's name and the figure of the same place before, or None."""
    def end(j: int) -> int:
        return max(quantities[j].end, quantities[j].suffix_end)

    first = last = i
    while first and _FIGURE_JOINT.fullmatch(text, end(first - 1), start_of(quantities[first])):
        first -= 1
    while last + 1 < len(quantities) and _FIGURE_JOINT.fullmatch(text, end(last), start_of(quantities[last + 1])):
        last += 1
    n = last - first + 1
    m = _GROUP_BEFORE.search(text, max(0, start_of(quantities[first]) - 20), start_of(quantities[first]))
    if n < 2 or first < n or m is None or not re.match(r"\s?[)）]", text[end(last):]):
        return None
    group = _EACH_COMPARED.sub("", m["label"])
    earlier = range(first - n, first)
    if ("。" in text[quantities[first - n].start:m.start()] or not _names_group(group)
            or any(quantities[k].unit_category != quantities[k + n].unit_category for k in earlier)):
        return None
    return group, i - n


def named_after(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str) -> list[tuple[str, str]]:
    """A figure alone in a bracket after a group's name, compared with one of its kind before it, is that
    figure's measure for the group (平均待ち時間は1時間5分で、平日（25分）を上回った → 平均待ち時間（平日）).
    A bracket right after a figure that names a measure names the figure (152,340冊（貸出冊数）),
    where nothing of its own clause did; one that names a group labels the figure as an item of
    its measure (上限100万円（木造）; 86人（ヨガ）、54人（卓球） → 受講者数（ヨガ）)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        group, k = _compared_run(text, quantities, i) or (
            _compared_group(text, q) if i and out[i][1] in _WEAK_METHODS | {"parse"} else "", i - 1)
        if (group and quantities[k].unit_category == q.unit_category and out[k][0] and out[k][1] not in _WEAK_METHODS
                and "。" not in text[quantities[k].end:q.start]
                and not re.search(r"[(（]\s?$", text[:start_of(quantities[k])])):
            # …1時間5分で、平日（25分）: that measure of the group (not 分散した農地(56%)、未整備農地(47%), a list)
            measure = re.sub(r"（[^（）]*）$", "", out[k][0]).rsplit("の", 1)[-1]  # not 土曜開庁日の, the other group
            out[i] = (f"{measure}（{group}）", f"{out[i][1]}+group")
            continue
        after = _bracket_label_after(text, q)
        if not after or re.search("[はがをにでと]", after):  # （市民税非課税世帯は無料）: a clause, no name
            continue
        unnamed = out[i][1] in _WEAK_METHODS or INDICATOR_LABEL.fullmatch(out[i][0].removesuffix(unit_measure(q)))
        if unnamed and _names_own_measure(after):  # 成果指標① 96.2%（来庁者アンケートの満足度）: the bracket names it
            out[i] = (after, "bracket_after")
        elif out[i][0] and after not in out[i][0] and not after.endswith(MEASURE_ENDS):
            out[i] = (f"{out[i][0]}（{after}）", f"{out[i][1]}+item")  # 上限100万円（木造）: that item's
    return out


#: 補助率, 助成率: the rate of what a scheme pays, named from the share of a cost it pays.
_AID_RATES = frozenset(f"{verb}率" for verb in PAID_VERBS)


def under_headings(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure,
                   text: str) -> list[tuple[str, str]]:
    """A figure under a heading that names a measure carries it (guidelines, "Naming the
    concept"): ■派遣回数 小学校24回 → 派遣回数（小学校）; 【補助金の上限額】戸建住宅150,000円 →
    補助金の上限額（戸建住宅）; 利用者数：320人（高齢者） → 利用者数（高齢者）; a figure right after its
    heading (限度額：50,000円), or that nothing else names, is named by it; an unnamed figure under a
    heading that names a scheme or an action measures it (■見守り機器購入費助成 … 延べ38件 →
    見守り機器購入費助成件数; 【環境業務手当の廃止】 （▲1億9,378万円） → 環境業務手当の廃止額)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        if out[i][1] == "paired" and any(text.rfind("\n", 0, q.start) < h.label_start or out[i][0] in h.label
                                         for h in cell.over(q.start, "heading")):
            continue  # 開催回数／参加者数／成立数：６回／…: the heading is the pair's names, or one of them
        named = [h for h in cell.over(q.start, "heading") if heading_name(h.label)]
        heading = next(reversed(named), None)
        if heading is not None and measures_other_kind(heading_name(heading.label), q) and (outer := next(
                (h for h in reversed(named) if h.start < heading.start and measures_kind(heading_name(h.label), q)),
                None)) is not None:
            out[i] = (f"{heading_name(outer.label)}（{heading_name(heading.label)}）", f"{out[i][1]}+heading")
            continue  # 【補助率】 / 設備導入費：3分の2以内: the cost is the item, the outer heading the measure
        if heading is None:  # ■見守り機器購入費助成 … 延べ38件, 【環境業務手当の廃止】 （▲1億円）
            h, scheme = next(((h, label) for h in reversed(cell.over(q.start, "heading"))
                              if (label := unmarked(h.label).strip(" :")) and not SECTION_LABEL.fullmatch(label)
                              and not _NOT_ITEM.search(label) and not VALUE_LABEL.fullmatch(label)
                              and not label.endswith("指標")), (None, ""))  # not ○現状値（令和4年度）：
            concept, method = out[i]
            if scheme and not concept:  # the count of what it heads (＜講座概要＞全8回: of the 講座, not its 概要)
                out[i] = (_SECTION_TAIL.sub("", scheme) + unit_measure(q), "heading")
            elif (scheme and scheme not in concept and q.kind != "delta"
                  and text.startswith(("【", "<"), h.label_start - 1)  # 【…】, ＜…＞
                  and not scheme.endswith(_SECTION_ENDS)  # 【労務職員の業務内容】: a section, of no measure
                  and not re.search(r"[\nはがを。]", text[h.start:q.start])):  # 【ウォーキング大会】2回開催、…: the
                out[i] = (f"{scheme}の{concept}", f"{method}+heading")  # measure of what the heading of a line of
                # items names (not 【これまでの取組み】…は…を…: a section of sentences)
        if heading is None or q.kind == "delta" or (q.kind == "ratio" and out[i][0].endswith("率")) or (
                q.kind == "percent" and out[i][0] in _AID_RATES):
            continue  # 補助額：経費の3分の2以内, 【補助額】工事費の23%: a rate names its own measure
        name, (concept, method) = heading_name(heading.label), out[i]
        if name.endswith("実績"):  # ■補助金交付実績 ・蓄電池 31件 4,650千円: its count and its amount
            name += unit_measure(q)
        if method == "whole" and concept.endswith("の割合") and "のうち" not in concept:
            # 返礼品の調達額：寄附額の3割以下: the heading's measure is the part of the whole the share is of;
            # ■自主財源比率 / 歳入総額の42.3%: a heading that names a rate is that rate
            whole = concept.removesuffix("の割合")
            out[i] = (name if RATE_NOUN.search(name) else f"{whole}のうち{name}の割合", "whole+heading")
            continue
        if (after := _bracket_label_after(text, q)) and (after not in concept or method.endswith("+item")):
            # 利用者数：320人（高齢者）; 貸付額：月額4万円以内（大学生）: the bracket names the item, not 月額
            out[i] = (f"{name}（{after}）", f"{method}+heading")
            continue
        if concept and name.endswith(concept) and concept != name and not re.search(r"[・、/]", name):
            out[i] = (name, f"{method}+heading")  # 指標名：市民農園の利用区画数 … 180区画: the fuller name of it
            # (not ■相談件数・訪問件数: a heading of two measures)
            continue
        if concept and (name in concept or "+total" in method):
            continue  # already named by the heading, or by the total it is a part of
        start = q.prefix_start if q.prefix_start >= 0 else q.start
        previous_end = max(quantities[i - 1].end, quantities[i - 1].suffix_end) if i else 0
        line_start = text.rfind("\n", 0, start) + 1
        line = text[line_start:start].strip()
        if line and heading.start <= line_start and VALUE_LABEL.fullmatch(line):  # 令和4年度 実績値 21.3％:
            out[i] = (name, "heading")  # a line under the heading that says which value of its measure it states
            continue
        written = _words_before(text, max(heading.start, previous_end, 0), start)  # not the digits of the figure before
        label = (method == "colon" and _line_item(cell, text, q.start)) or (  # ○パソコン講座:42人: as written
            _item_label(concept, q) if method in LABEL_METHODS else "") or written
        if written.startswith(label) and concept.startswith(written):
            label = written  # 小学校　18校 (小学校数), 要保護者 86人: the label as written, with the counter it ends in
        if label and q.per and text[:start].endswith(label) and (base := BASE_OPENS.match(text, start)):
            label += base.group()  # 事業費 …（参加者1人当たり 3,150円）: the class the base counts, glued to it
        if label in NOT_CONCEPTS and not VALUE_LABEL.fullmatch(label):  # …原則3か月間支給する: how it holds, no item
            label = ""
        if label and VALUE_LABEL.fullmatch(label):  # …58.9％　令和5年度実績 60.4％: which value, no item
            out[i] = (name, "heading")
        elif (method in LABEL_METHODS | {"subject"} and concept.endswith(MEASURE_ENDS)
              and re.sub(r"(?:は|が)?[\s:]*$", "", text[:start]).endswith(concept)):
            out[i] = (f"{name}の{concept}", f"{method}+heading")  # …開催回数 目標値 24回 … 達成率 91.7%; 補助上限額は
            # 50万円: a measure of the heading's, as written before the figure (…開催回数の達成率)
        elif label and name not in label and label not in name:
            out[i] = (f"{name}（{label}）", f"{method}+heading")
        elif not label and (not concept or _HEADING_GAP.fullmatch(text, heading.start, start)):
            out[i] = (name, "heading")  # nothing else names it: the heading's measure does
    return out


#: 開催回数, 登録者, 満足度: a name that says what was done or felt, not of what.
_BARE_MEASURE = re.compile(r"[一-龥]{2,4}(?:者|人|件|回)?(?:数|率|度|額|量)?")
#: A scheme's name that is its amount's too (防犯カメラ設置費補助金): a heading of it owns the terms under it.
_SCHEME_FUNDS = tuple(WORDS["scheme_funds"])
#: How a heading says its lines tell the state of a thing (図書館利用状況, 事業の実施状況).
_STATE_OF = re.compile(r"の?(?:利用|実施|活動|運営|整備|設置)?状況(?:調査)?(?:結果)?$")


def owned_lines(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure,
                text: str) -> list[tuple[str, str]]:
    """A heading on a line of its own that names a thing, not a measure (【子育て支援センター】, ■放課後児童クラブ),
    over lines that each name their measure (利用者数 延べ4,208人, ・登録児童数：412人), owns them (guidelines:
    an item carries the list's heading): 子育て支援センターの利用者数, not a 利用者数 that would not tell it
    from the next heading's; a scheme's name that is its amount's too owns its terms (◆防犯カメラ設置費補助金 /
    ・補助率：2/3 → 防犯カメラ設置費補助金の補助率). Not a section (【成果】), a status or time (【令和5年度実績】), a heading that
    says its lines are the scheme's terms, a kind of indicator (【成果指標】), nor over sentences that name
    their measure's thing themselves."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        line_start = segment_start(text, q.start)
        owner = next((h for h in reversed(cell.over(q.start, "heading")) if h.start <= line_start
                      and (text.find("\n", h.label_start) == h.start or text.startswith("/", h.start))), None)
        # the label is all of its line (or of a review sheet's segment: …「…調査結果」/)
        own_line = text[line_start:].split("\n", 1)[0]
        if (owner is None or not concept or q.kind == "delta" or not BRACKETED.sub("", concept).endswith(MEASURE_ENDS)
                or ("。" in own_line and not _BARE_MEASURE.fullmatch(concept))):  # 市全体の出生数は…。: a sentence
            continue  # that names what it measures is not the heading's; one that only says what was done is (18回開催し)
        name = _STATE_OF.sub("", undated(unmarked(owner.label)).strip(" :"))  # ＜図書館利用状況＞: of the 図書館
        if (not name or name in concept or (heading_name(name) and not name.endswith(_SCHEME_FUNDS))
                or heading_status(name) or SECTION_LABEL.fullmatch(name)
                or name.endswith((*_SECTION_ENDS, "指標")) or _NOT_ITEM.search(name) or VALUE_LABEL.fullmatch(name)
                or is_time(name) or TIME_IN_LABEL.search(name) or "。" in text[owner.start:q.start]):
            continue
        out[i] = (f"{name}の{concept}", f"{method}+owner")
    return out


#: How a figure was named from the deed of its clause (42,444名参加 → 参加者数), not from a label.
_DEED_METHODS = frozenset({"verb", "parse"})


def of_themes(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], finder: ConceptFinder
              ) -> list[tuple[str, str]]:
    """救命入門コースは開催4回で受講者11名, 健康講座は4回で、受講者は延べ97人: a label that only names
    a measure (開催回数, 受講者数), or a count named from the deed of its clause (市内4会場で開講し), in a
    clause whose theme (its first topic, …は) is a thing, not a measure nor a time, measures that thing
    (guidelines: specific enough to tell the figure from the others of the project, 講座の受講者数); people
    who did the deed of a clause whose theme is a class of people (ボランティアは約650人が運営に協力した) are
    counted as that class (運営に協力するボランティア数)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        if (not (method in ("label", "doer") or method in _DEED_METHODS and _BARE_MEASURE.fullmatch(concept))
                or q.kind == "delta" or not concept.endswith(MEASURE_ENDS)):
            continue  # 開講会場数 (日本語教室は市内4会場で開講し): a deed's count, named from its verb
        clause = max(finder.text.rfind(ch, 0, q.start) for ch in "、,。\n") + 1  # the figure's own clause
        theme = next((finder.noun_phrase(noun) for t in finder.doc[finder.token_range(clause, figure_start(q))]
                      if t.text == "は" and t.pos_ == "ADP" and t.i > 0
                      and is_noun_like(noun := finder.topic_noun(t)) and not finder.overlaps(noun)), "")
        theme = TIME_PREFIX.sub("", theme)  # 令和6年中の救命入門コース: the time is the period's
        if method != "label" and theme.endswith(AGENTS) or method == "doer" and not PEOPLE.search(theme):
            continue  # 本市は…12回開催した: who acts, not what the deed is of; the doers of a deed are of a theme
            # that is a class of people only (ボランティアは)
        if (theme and theme not in concept and concept not in theme and not theme.endswith(MEASURE_ENDS)
                and not is_time(theme) and not TIME_IN_LABEL.search(theme) and not re.search(r"\d", theme)
                and not SECTION_LABEL.fullmatch(theme) and not VALUE_WORDS & set(theme.split("の"))):
            named = f"{concept[:-2]}{theme}数" if method == "doer" and concept.endswith("人数") else f"{theme}の{concept}"
            out[i] = (named, f"{method}+theme")  # ボランティアは約650人が運営に協力した → 運営に協力するボランティア数;
            # not 国の目標値は…: which value
    return out


def likewise(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], finder: ConceptFinder
             ) -> list[tuple[str, str]]:
    """乳がん検診の受診率は…21.9%へと上昇した。子宮がん検診も…20.7%であった: a thing marked as a topic by も
    (likewise) has the measure the figure of the same unit before it measured, in an earlier sentence
    (子宮がん検診の受診率, not 子宮がん検診率)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        sentence = _sentence_start(finder.text, q.start)
        thing = next(iter(_topics(finder, "も", sentence, figure_start(q))), "")
        earlier = [k for k, p in enumerate(quantities[:i]) if p.end <= sentence and p.kind != "delta"
                   and p.unit_category == q.unit_category and out[k][0].endswith(MEASURE_ENDS)]
        if (not thing or q.kind == "delta" or not earlier or thing.endswith(MEASURE_ENDS) or is_time(thing)
                or (concept and not concept.startswith(thing))):
            continue
        measure = out[earlier[-1]][0].rpartition("の")[2]
        if measure not in concept:
            out[i] = (f"{thing}の{measure}", f"{method}+likewise")
    return out


def contrasted(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], finder: ConceptFinder
               ) -> list[tuple[str, str]]:
    """利用料は月額5,000円とし、ひとり親世帯は月額2,500円とする; 出動報酬は、火災出動は1回当たり4,000円とし、訓練出動は
    …: a group marked by は in a later clause of the sentence whose earlier clause's topic named an amount or a
    rate is an item of that measure (guidelines: an item carries its label and the list's measure):
    利用料（ひとり親世帯）, 出動報酬（火災出動）, not ひとり親世帯額. Not a count, whose group names what it counts
    (…定員は1,540人であり、待機児童は18人)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        sentence = _sentence_start(finder.text, q.start)
        clause = max(finder.text.rfind("、", sentence, figure_start(q)) + 1, sentence)
        if q.kind not in ("money", "ratio", "percent") or clause == sentence:
            continue
        group = next(iter(_topics(finder, "は", clause, figure_start(q))), "")
        measure = next((t for t in reversed(_topics(finder, "は", sentence, clause)) if t.endswith(MEASURE_ENDS)
                        and not is_time(t) and not measures_other_kind(t, q)), "")
        if measure and group and _names_group(group) and (group in concept) != (measure in concept):
            out[i] = (f"{measure}（{group}）", f"{method}+contrast")  # ひとり親世帯額, or the measure with no group
    return out


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence or line that holds ``pos`` starts (after the last 。 or line break before it)."""
    return max(text.rfind(ch, 0, pos) for ch in "。\n") + 1


def _topics(finder: ConceptFinder, particle: str, start: int, end: int) -> list[str]:
    """The nouns ``particle`` (は, も) marks as topics between two offsets, as noun phrases."""
    return [finder.noun_phrase(finder.topic_noun(t)) for t in finder.doc[finder.token_range(start, end)]
            if t.text == particle and t.pos_ == "ADP" and t.i > 0 and is_noun_like(finder.doc[t.i - 1])]


#: 相談件数と訪問件数はそれぞれ, 「A」と「B」をそれぞれ、: names joined before それぞれ and the particle.
_RESPECTIVELY = re.compile(r"(?P<names>[^。\n]+?)\s?(?:は|を|が|も|では|には)\s?[、,]?\s?それぞれ\s?[、,]?\s?")
#: What joins the names (と, 及び, 、), outside brackets and quotes.
_NAME_JOINT = re.compile(r"と|及び|および|並びに|[、,]")
#: Between the figures that それぞれ gives out: 、 and a short label (平均15月以内、平均10.5月以内).
_GIVEN_OUT = re.compile(r"[^。、,\d]{0,4}[、,と]\s?[^。、,\d]{0,6}")


def respectively(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
                 ) -> list[tuple[str, str]]:
    """相談件数と訪問件数はそれぞれ320件、145件, 小学校と中学校の耐震化率をそれぞれ98.2%、96.5%: as many
    figures as names joined before それぞれ go to those names in order (guidelines: an item carries its
    label; a measure the last name shares heads them all: 耐震化率（小学校）)."""
    out = list(concepts)
    for m in re.finditer("それぞれ", text):
        given = [i for i, q in enumerate(quantities) if q.start > m.start() and q.kind != "delta"
                 and "。" not in text[m.end():q.start]]
        run = given[:1]
        for i in given[1:]:
            previous = quantities[run[-1]]
            if not _GIVEN_OUT.fullmatch(text, max(previous.end, previous.suffix_end), figure_start(quantities[i])):
                break
            run.append(i)
        if len(run) < 2 or len(text[m.end():figure_start(quantities[run[0]])].strip(" 、,")) > 4:
            continue  # not figures given out right after それぞれ (and a short label: それぞれ、平均15月以内)
        before = _RESPECTIVELY.fullmatch(text, text.rfind("。", 0, m.start()) + 1, m.end())
        if before is None:
            continue
        names = [n for n in _NAME_JOINT.split(BRACKETED.sub("", before.group("names"))) if n.strip()][-len(run):]
        names = [clean(TIME_PREFIX.sub("", re.sub(r"[「」『』]", "", n.strip()))) for n in names]  # 令和6年度の: a period
        if len(names) < len(run) or not all(names):
            continue
        head, _, measure = names[-1].rpartition("の")
        shared = head and measure.endswith(MEASURE_ENDS) and not any(n.endswith(MEASURE_ENDS) for n in names[:-1])
        for i, name in zip(run, [*names[:-1], head] if shared else names):
            out[i] = (f"{measure}（{name}）" if shared else name, "respectively")
    return out


def on_item_lines(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure,
                  text: str) -> list[tuple[str, str]]:
    """A line labelled with an item, not a measure (札幌市：使用料の50%を減免, 千葉市：30%減額,
    1講演会 参加者120名): its figure is that item's (guidelines: an item carries its label),
    使用料の減免率（札幌市）, 参加者数（講演会）."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        label = _line_item(cell, text, q.start)
        if (not label or heading_name(label) or label in concept or q.kind == "delta"
                or _NOT_ITEM.search(label) or TIME_WORDS.fullmatch(label) or SECTION_LABEL.fullmatch(label)
                or VALUE_LABEL.fullmatch(label) or label.endswith("指標")):  # ○現状値（令和4年度）：41.3%: which
            # value, not which item; 活動指標：…: a kind of indicator
            continue
        if not concept:  # 実施していない：16市町村: the label names what is counted
            out[i] = (label + (unit_measure(q) if q.kind == "count" else ""), "line")
        else:
            out[i] = (f"{concept}（{label}）", f"{method}+line")
    return out


def _line_item(cell: CellStructure, text: str, pos: int) -> str:
    """The label of the line ``pos`` is on, when a colon label opens that line (札幌市：…) or the
    line is numbered (1講演会 参加者120名), with no other colon between label and ``pos``."""
    line = next((h for h in reversed(cell.over(pos, "heading")) if _COLON_LINE.match(text, h.label_start)
                 and text[h.label_start - 1:h.label_start] in ("", "\n", " ")), None) or next(
        iter(reversed(cell.over(pos, "item"))), None)
    return unmarked(line.label).strip() if line is not None and not re.search(r"[:：]", text[line.start:pos]) else ""


_ADDED_CAP = re.compile(rf"(?<=.)の?(?:{CAPS})$")


def _item_label(concept: str, q: Quantity) -> str:
    """An item's label as the finder read it, without the measure or cap it added (小学校回数 → 小学校,
    家庭用蓄電池の上限額 → 家庭用蓄電池)."""
    return _ADDED_CAP.sub("", concept.removesuffix(unit_measure(q))) or concept


def _words_before(text: str, start: int, end: int) -> str:
    """The words of an item between the last separator and its figure (子育て世帯 30万円), past
    the object of the verb the items share (耐震診断を小学校で4校、…) or the topic (負担割合は国1/2)."""
    # splits: 令和元年から…にかけて; 要介護4・5 is one; …謝礼として運動部に (として closes what comes before,
    # unless the figure follows it)
    words = text[start:end].strip(" 、,/・:").removeprefix("と")  # 1,120人と子ども864人
    words = words.removesuffix("として") if words.endswith("として") else words  # 一般枠として12件: its label
    segment = re.split(r"[、,/\s:※。]+|(?<!\d)・|・(?!\d)|を|として|にかけて"
                       rf"|(?<=[一-龥ァ-ヶー)])は(?=[一-龥ァ-ヶー]|{NUMBERED_CLASS})"  # 受診率は4か月児が: a class label
                       r"|[】>\]](?=\S)", words)[-1]  # 【観覧料】一般: the heading's mark closes it
    segment = re.sub(r"^[<【\[]([^<>【】\[\]]+)[>】\]]$", r"\1", segment)  # ＜一般世帯＞ 50,000円: the label in its marks
    segment = re.sub(r"^[(（](?=[^()（）]*$)", "", segment)  # （参加者1人当たり 3,150円）: an aside's label
    named = re.search(r"[^\d\s]", segment) and not TIME_WORDS.fullmatch(segment) and not is_time(segment)
    return segment if named else ""


def _bracket_label_after(text: str, q: Quantity) -> str:
    """320人(高齢者): a bracket of words right after a figure labels it as an item, unless the
    words say how (延べ, 見込み, 上限), when, or where it comes from."""
    end = q.suffix_end if q.suffix_end >= 0 else q.end
    m = _LABEL_AFTER.match(text, end)
    word = m.group(1) if m else ""
    return word if _item_word(word) and not _SOURCE_OR_VALUE.search(word) else ""


def _item_word(word: str) -> bool:
    """Whether the words of a bracket or before one may label an item: not how (延べ, 見込み, 上限) nor when."""
    return bool(word) and not (word in QUALIFIER_WORDS or _NOT_ITEM.search(word) or TIME_WORDS.fullmatch(word))


#: Nouns that name people (支援員, 参加者, 相談員): people counted under one are its count (…員数).
_PERSON_NOUNS = ("者", "員", "生", "児", "士", "師")


def counted(concepts: list[tuple[str, str]], quantities: Sequence[Quantity]) -> list[tuple[str, str]]:
    """A count named only by the label of what it counts, with no list or total to carry it
    (合同宿舎69,724戸), is that label's count in its counter (合同宿舎戸数); people under a noun
    that names them, that noun's count (学校生活支援員430人 → 学校生活支援員数)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        if concept and concept == q.unit and q.kind == "count":
            out[i] = (concept + "数", method)  # 公園（約1,600公園）: the counter alone, counted
        elif method in ITEM_METHODS and concept and counts_unnamed(concept, q):
            out[i] = (count_name(concept, q), method)
        elif method in ITEM_METHODS and q.unit in ("人", "名") and concept.endswith(_PERSON_NOUNS) \
                and not concept.endswith("定員"):  # 定員335名: a capacity is a measure already
            out[i] = (concept + "数", method)  # 学校生活支援員430人を配置 → 学校生活支援員数
    return out


#: 1区画あたり, 1人につき: a base the name writes already.
_PER_WORD_IN = re.compile(PER_WORD)


def per_bases(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
              ) -> list[tuple[str, str]]:
    """An amount per a base period written as such (◇市民農園：1区画あたり年額6,000円) is the 年額 of what
    names it, or the 年額 alone; any other amount that nothing in its cell names, but that is per a base
    (定員は各教室25名、各回1時間30分とし), is that base's measure (1回当たりの時間), never nameless."""
    out = []
    for q, (concept, method) in zip(quantities, concepts):
        written = AMOUNT_PER.search(text, max(0, start_of(q) - 8), start_of(q)) if q.kind == "money" else None
        if written and written["word"] not in concept and not BRACKETED.sub("", concept).endswith(MEASURE_ENDS):
            out.append((f"{concept}の{written['word']}" if concept else written["word"], f"{method}+base"))
        elif not concept and q.per and q.kind != "count":
            out.append((f"1{q.per}当たりの{unit_measure(q)}", "base"))
        elif (q.kind == "money" and q.per and q.per not in TIME_BASES and q.per not in concept
              and not _PER_WORD_IN.search(concept)):  # 1kW当たり20,000円を補助 → 補助額（1kW当たり）: an amount
            out.append((f"{concept}（1{q.per}当たり）", f"{method}+base"))  # per a unit is that unit's price,
            # which its name says (guidelines: specific enough to tell it from the others: the cap, the total paid)
        else:
            out.append((concept, method))
    return out


def table_columns(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure
                  ) -> list[tuple[str, str]]:
    """A figure of a table flattened to text (■事業費の推移 R4年度 R5年度 委託料 8,520千円 9,140千円;
    （本庁）（区役所） ・全部直営 5都市 4都市) is the title's measure of its row and column (guidelines:
    an item carries its label and heading): 事業費（委託料）, 全部直営都市数（本庁）."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        place = cell.table_cell(q.start)
        if place is None:
            continue
        labels = "・".join(label for label in (place.row, place.column) if label)
        if place.measure:
            measure = place.measure + ("数" if q.unit in ("人", "名") and place.measure.endswith(("者", "員")) else "")
            out[i] = (f"{measure}（{labels}）" if labels else measure, "table")
        elif place.column.endswith(MEASURE_ENDS) and not place.row:  # 年度 測定地点数 環境基準達成率: the column's
            out[i] = (place.column, "table")                          # name is the measure of its figures
        elif place.row.endswith(MEASURE_ENDS):  # 区分 令和4年度 令和5年度 / 相談者数（人） 214 238: the row's name
            out[i] = (f"{place.row}（{place.column}）" if place.column else place.row, "table")  # is the measure
        elif place.column and out[i][0] and place.column not in out[i][0]:
            out[i] = (f"{out[i][0]}（{place.column}）", f"{out[i][1]}+column")
        elif place.row and not place.column and not (place.row in out[i][0] and out[i][0].endswith(MEASURE_ENDS)):
            out[i] = (place.row + unit_measure(q), "table")  # 区分｜令和4年度｜令和5年度 / 耐震診断｜45件｜52件: a row
            # of an item under no measure, named by its label and its counter (guidelines: name it from the counter)
    return out


def series_steps(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str,
                 times: Sequence[TimeExpression], sentences: Sequence[tuple[int, int]]) -> list[tuple[str, str]]:
    """A step of a series that names nothing of its own measures what the same place of another
    step does (guidelines: "each step of a series"): the step that writes the noun before its
    figure (本年度の登録者は350人で、来年度は400人を目指す → 400人 is 登録者数), else the last step
    that names it, which may write it after (平成30年度は9校に9名、令和元年度は10校に12名の相談員を配置 → 9名 is
    相談員数 as 12名 is)."""
    out = list(concepts)
    for sentence in sorted(set(sentences)):
        marks = [t for t in times if sentence[0] <= t.start < sentence[1]]
        steps: list[tuple[int, list[int]]] = []
        own: set[int] = set()  # 新規就農者数も令和4年に45,840人: a step whose clause names its measure before its time
        for k, t in enumerate(marks):
            stop = marks[k + 1].start if k + 1 < len(marks) else sentence[1]
            step = [i for i, q in enumerate(quantities) if t.end <= q.start < stop]
            gap = (t.end, figure_start(quantities[step[0]])) if step else (0, 0)
            if step and (_STEP_GAP.fullmatch(text, *gap) or _NAMED_STEP.fullmatch(text, *gap)):
                steps.append((t.end, step))
                if _OWN_SUBJECT.search(text[_clause_start(text, t.start):t.start]):
                    own.update(step)
        if len(steps) < 2 or any(len(step) != len(steps[-1][1]) for _, step in steps):
            continue
        if any(quantities[step[j]].unit != quantities[steps[-1][1][j]].unit for _, step in steps for j in range(len(step))):
            continue
        for j in range(len(steps[-1][1])):
            written = [step[j] for begin, step in steps if _names_before(out[step[j]], text[begin:figure_start(
                quantities[step[j]])])]
            source = written[-1] if written else next(  # else the last step that names it
                (step[j] for _, step in reversed(steps) if not _unnamed(out[step[j]])), steps[-1][1][j])
            name = out[source][0] if not _unnamed(out[source]) else ""
            for _, step in steps:
                i = step[j]
                if i == source or i in written or i in own or not name or quantities[i].kind == "delta":
                    continue
                if _unnamed(out[i]) or (written and out[i][1] not in LABEL_METHODS):
                    out[i] = (name, "series")
    return _next_sentence_steps(out, quantities, text, times, sentences)


def _next_sentence_steps(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str,
                         times: Sequence[TimeExpression], sentences: Sequence[tuple[int, int]]
                         ) -> list[tuple[str, str]]:
    """今年度の参加者数は412人であった。来年度は450人を目標とする。: a sentence that opens with a step's time
    and names nothing (or its counter's generic head: 件数) continues the series of the sentence before; the
    step measures what that sentence's last dated figure of its unit does."""
    out = list(concepts)
    ordered = sorted(set(sentences))
    for before, sentence in zip(ordered, ordered[1:]):
        t = next((t for t in times if sentence[0] <= t.start < sentence[1]), None)
        step = next((i for i, q in enumerate(quantities) if t is not None and t.end <= q.start < sentence[1]), None)
        if (step is None or text[sentence[0]:t.start].strip() or not (_unnamed(out[step]) or out[step][1] == "counter")
                or not _STEP_GAP.fullmatch(text, t.end, figure_start(quantities[step]))):
            continue
        dated = [i for i, q in enumerate(quantities) if before[0] <= q.start < before[1]
                 and q.unit == quantities[step].unit and not _unnamed(out[i])
                 and any(before[0] <= m.start < q.start for m in times)]
        if dated:
            out[step] = (out[dated[-1]][0], "series")
    return out


#: Between the steps of a change written as a chain (186人から、令和元年度159人、…104人へと削減): a 、 and
#: the next step's time.
_CHAIN_STEP = re.compile(r"\s?(?:から[、,]?|[、,])\s?" + _OPENING_TIME.pattern)
#: Names a step of the chain reads off the verb that closes it (削減者数), not off what is changed.
_VERB_READ = frozenset({"parse", "listed", "predicate", "nearest", "none", "verb"})


def change_chain(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
                 ) -> list[tuple[str, str]]:
    """The levels after the one a change starts from (職員数は平成29年度の186人から、令和元年度159人、
    令和3年度137人、令和5年度104人へと段階的に削減) are levels of the same measure: each step of the
    series carries the name of the first (guidelines: each step of a series)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        if not out[i][0] or (out[i][1] != "from" and (out[i][1].split("+")[0] in _VERB_READ or not re.match(
                r"\s?から", text[max(q.end, q.suffix_end):]))):  # …の約4割から令和2年度 52.0%、…: named by its own words
            continue
        j = i + 1
        while j < len(quantities) and quantities[j].unit == q.unit and quantities[j].kind != "delta" \
                and _CHAIN_STEP.fullmatch(text, max(quantities[j - 1].end, quantities[j - 1].suffix_end),
                                          start_of(quantities[j])):
            if out[j][1] in _VERB_READ:
                out[j] = (out[i][0], "series")
            j += 1
    return out


def _clause_start(text: str, pos: int) -> int:
    """Where the clause before ``pos`` opens: after a 、, a 。, a line break, a slash (a lost line break
    in the national sheets, or a separator of items: 2022年度実績：…／2023年度実績：) or an opening bracket."""
    return max(text.rfind(ch, 0, pos) for ch in "、。\n/／(（") + 1


def _unnamed(concept: tuple[str, str]) -> bool:
    """A concept that names nothing of its own: none, the nearest noun, or a time (元年度校数)."""
    own, method = concept
    return not own or method in ("none", "nearest") or TIME_IN_LABEL.search(own) is not None


def _names_before(concept: tuple[str, str], words: str) -> bool:
    """Whether a step's figure is named by words the step writes before it (の登録者は)."""
    stem = _MEASURE_TAIL.sub("", concept[0])
    return not _unnamed(concept) and len(stem) > 1 and stem in re.sub(r"\s+", "", words)


def capped(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure
           ) -> list[tuple[str, str]]:
    """A figure under a cap names the cap (guidelines: caps as nouns): 交付金は上限総額を300万円とする →
    交付金の総額（上限）, unless its name already says 上限 or 限度; one that nothing else names is the
    cap a heading over it names (【融資限度額】2,000万円), else the cap of the amount named as one before it in
    the cell (補助限度額 100,000円（令和2年度までは上限50,000円） → 補助限度額), or the cap itself (上限額)."""
    out = []
    for i, (q, (concept, method)) in enumerate(zip(quantities, concepts)):
        if q.start in cell.capped and concept and not _CAP_WORD.search(concept):
            item = ITEM_AMOUNT.match(concept)  # 補助額（生垣の新設） → 補助上限額（生垣の新設）
            concept = f"{item['amount']}上限額{item['item']}" if item else f"{concept}（上限）"
        elif (q.kind == "money" and (q.start in cell.capped or "at_most" in q.qualifiers)
              and (not concept or method in _WEAK_METHODS)):
            concept = next((name for h in reversed(cell.over(q.start, "heading"))  # 【融資限度額】2,000万円: the cap
                            if _CAP_WORD.search(name := heading_name(h.label))), "")  # its heading names
            concept = concept or next((c for c, _ in reversed(out[:i]) if _CAP_WORD.search(c)), "上限額")
            method = "capped"
        out.append((concept, method))
    return out


#: 年平均292トン, 政令市平均の約2万8千円, 全国平均（52.1%）: the words right before a figure that say it is an average, of the
#: period (年平均) or of a group it is compared with (政令市平均, 全国平均).
_PER_GROUP = re.compile(rf"(?:{PER_WORD}|ごと)$")
_AVERAGE_BEFORE = re.compile(r"(?P<group>[^、。\s\d()（）:：はがをにの]{0,8}?)(?P<average>(?:年間?|月|1日)?平均)"
                             r"\s?[の(（]?\s?(?:約|およそ|概ね)?\s?$")


def averaged(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str) -> list[tuple[str, str]]:
    """An average is another measure than the figures it averages: 合計1,460トン、年平均292トン →
    年平均不法投棄回収量; 政令市平均の約2万8千円 → 処理経費（政令市平均）, what the figure is compared with."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        m = _AVERAGE_BEFORE.search(text, max(0, q.start - 16), q.start)  # its words, the per (年) of 年平均 too
        if not concept or m is None or "平均" in concept or q.kind == "delta":
            continue
        group = "" if _PER_GROUP.search(m["group"]) else m["group"]  # 1館当たり平均: a base, no group
        out[i] = (f"{concept}（{group}{m['average']}）" if group else f"{m['average']}{concept}", method)
    return out


#: 累計では742台, 新たに12事業者, 設置台数累計312台: a word right before a figure that makes it another
#: measure, and the label it adds to the name (resources: named_qualifiers).
_NAMED_QUALIFIERS = tuple(
    (re.compile(rf"(?:{'|'.join(words)})\s?(?:では|で|は)?[、,]?\s?(?:約|およそ|概ね)?\s?$"), label,
     re.compile("|".join([label, *words, *(("延べ",) if label == "累計" else ())])))
    for label, words in WORDS["named_qualifiers"].items())


def qualified_names(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
                    ) -> list[tuple[str, str]]:
    """A running total or the year's new ones are another measure than the figure of the same name
    beside them, and their names say so, as a cap's does: 今年度3施設で、累計28施設 → 導入施設数（累計）;
    新たに12事業者が協定を締結し → 協定締結事業者数（新規）; a name written right before the word takes
    it first (27台設置した（設置台数累計312台） → 累計設置台数)."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        for before, label, in_name in _NAMED_QUALIFIERS:
            m = before.search(text, max(0, q.start - 12), q.start)
            if not concept or m is None or q.kind in ("percent", "ratio", "delta") or in_name.search(concept):
                continue
            concept = f"{label}{concept}" if text[:m.start()].endswith(concept[-2:]) else f"{concept}（{label}）"
        out[i] = (concept, method)
    return out


def bracket_variants(concepts: list[tuple[str, str]], variant: dict[int, tuple[int, str]]) -> list[tuple[str, str]]:
    """A figure in a bracket right after another that gives its value for a class or a case
    (利用者負担は費用の1割（一定以上所得者は2割）) is the same measure for that class: 利用者負担割合
    （一定以上所得者） (guidelines: an item carries its label and the measure)."""
    out = list(concepts)
    for j, (i, case) in variant.items():
        if out[i][0]:
            base = re.sub(r"（[^（）]*）$", "", out[i][0])
            out[j] = (f"{base}（{case}）", f"{out[j][1]}+variant")
    return out


#: From one step of a series to the next: an arrow or a 、, and the next step's time.
_SERIES_JOIN = re.compile(r"\s?(?:[→⇒➡]|[、,])\s?(?:" + _OPENING_TIME.pattern + ")?")
#: …150件と、空き家の相談件数は増加している: the subject the series is said of, after と、.
_SERIES_SUBJECT = re.compile(r"\s?と[、,]\s?(?P<noun>[^、。\d()（）]{2,30}?)(?:は|が|も)")


def series_subjects(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
                    ) -> list[tuple[str, str]]:
    """The steps of a series closed by と、 and its subject (令和3年度は120件、令和4年度は150件と、空き家の
    相談件数は増加している; 48社 → 63社 → 81社と、…参加企業は年々増加) measure that subject, where the
    steps' own words named nothing better than a verb (guidelines: each step of a series)."""
    out = list(concepts)
    start = 0
    for k, q in enumerate(quantities):
        if k and not (quantities[k - 1].unit == q.unit and _SERIES_JOIN.fullmatch(
                text, max(quantities[k - 1].end, quantities[k - 1].suffix_end), start_of(q))):
            start = k
        m = _SERIES_SUBJECT.match(text, max(q.end, q.suffix_end))
        if m is None or k == start or q.kind == "delta":
            continue
        noun = m.group("noun")
        name = noun if noun.endswith(MEASURE_ENDS) else noun + (
            "数" if q.unit in ("人", "名") and noun.endswith(_PERSON_NOUNS) else unit_measure(q))
        for i in range(start, k + 1):
            if not out[i][0] or out[i][1].split("+")[0] in _VERB_READ:
                out[i] = (name, "series_subject")
    return out


#: 累計利用者数, 平均受講者数: a name that makes another statistic of the measure it ends with.
_OTHER_STATISTIC = re.compile(r"累計|延べ|平均|合計|総")


def fuller_names(concepts: list[tuple[str, str]], quantities: Sequence[Quantity]) -> list[tuple[str, str]]:
    """A name read off a verb that ends an earlier figure's fuller name of the same unit (…脱炭素先行地域を
    累計100か所選定… / 2023年度は累計74か所を選定した: 選定箇所数) is that measure stated again."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        concept, method = out[i]
        if not concept or method.split("+")[0] not in ("parse", "predicate", "verb") or q.kind == "delta":
            continue
        fuller = next((out[j][0] for j in range(i - 1, -1, -1) if quantities[j].unit == q.unit
                       and out[j][0].endswith(concept) and len(out[j][0]) > len(concept)
                       and not _OTHER_STATISTIC.search(out[j][0][:-len(concept)])), "")
        if fuller:
            out[i] = (fuller, f"{method}+fuller")
    return out


_REACHED_RATES = tuple(WORDS["reached_rates"])


def reached_of(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str) -> list[tuple[str, str]]:
    """A rate that only says how far a goal was reached (達成率 99.0%), named by that word alone, is the rate of the
    measure stated right before it, on its line or the lines of its block (開館日数 目標値 295日／実績値 292日／
    達成率 99.0% → 開館日数の達成率): a sheet's rates of several indicators must tell themselves apart."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        bare = re.sub(r"^目標", "", out[i][0])
        if bare not in _REACHED_RATES or q.kind not in ("percent", "ratio"):
            continue
        j = next((j for j in range(i - 1, -1, -1) if quantities[j].kind != "delta"), None)
        if j is not None and out[j][0] and not out[j][0].endswith(_REACHED_RATES) \
                and "\n\n" not in text[quantities[j].end:q.start]:
            out[i] = (f"{out[j][0]}の{bare}", f"{out[i][1]}+reached")
    return out


def bracketed_shares(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str
                     ) -> list[tuple[str, str]]:
    """A percent alone in a bracket right after a count (外国籍住民は158人（84.9％）) is the share the count is of
    its whole: named as a share (外国籍住民の割合), not as the things counted."""
    out = list(concepts)
    for i in range(1, len(quantities)):
        q, count = quantities[i], quantities[i - 1]
        name = out[i][0] or out[i - 1][0]
        if (q.kind == "percent" and count.kind == "count" and name and not RATE_NOUN.search(name)
                and re.fullmatch(r"\s?\(\s?", text[max(count.end, count.suffix_end):start_of(q)])
                and re.match(r"\s?\)", text[max(q.end, q.suffix_end):])):
            out[i] = (f"{name}の割合", f"{out[i][1]}+share")
    return out


def thresholds(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], text: str) -> list[tuple[str, str]]:
    """A threshold that bounds the class the next figure measures (30日以内の通知率 96.4%) names that
    measure's threshold (通知率の基準日数), not the measure itself nor an item of a list before it; a
    count of the class it bounds is named by the whole class (創業から3年未満の事業者は18件 →
    創業から3年未満の事業者数), not by its head noun alone."""
    out = list(concepts)
    for i in range(len(quantities) - 1):
        measure, counted_ = out[i + 1][0], quantities[i + 1]
        if not bounds_next(text, quantities[i], start_of(counted_)):
            continue
        if measure and (out[i][0] == measure or out[i][1].startswith("listed")):
            out[i] = (f"{measure}の基準{unit_measure(quantities[i])}", "threshold")
        clause = _clause_start(text, start_of(quantities[i]))
        words = _CLASS_WORDS.fullmatch(text, clause, start_of(counted_))
        if counted_.kind == "count" and words and not words.group("name").endswith("を") \
                and out[i + 1][1] in _VERB_READ | {"subject"}:  # not …講座を12回開催: a count of what is done to it
            name = re.sub(r"\s+", "", words.group("name"))
            out[i + 1] = (name + ("数" if not name.endswith(_MEASURE_NOUNS) else ""), "class")
    return out


#: The words of a class a threshold bounds, up to the particle before the count of it.
_CLASS_WORDS = re.compile(r"(?:その|この)?(?:うち)?[、\s]?(?P<name>[^、。()（）]{2,40}?)\s?(?:は|が|:)?\s?")


#: 週4日営業から週6日営業へ, 1班9名→8名: the words between the level a change starts from and the one it
#: reaches, in one clause.
#: 市外からの利用 is where from, no change.
_FROM_TO = re.compile(r"[^、。\d]{0,12}?(?:から(?!の)|→|⇒|➡)[^、。\d]{0,12}")
#: What the change is called after its new level (…へ営業日数を拡大, …体制へ移行): 拡大前 / 拡大後.
_CHANGE_NOUN = re.compile(r"[^、。]{0,15}?(見直し|見直|移行|拡大|縮小|削減|集約|変更|増員|減員|拡充|改定|短縮|延長)")


#: …29日に短縮した, …6日に短縮された: the level a change reaches, and the verb of the change.
_REACHED = re.compile(r"\s?(?:に|へ|まで)\s?(?P<verb>" + "|".join(resources.periods()["brought_down"]
                                                          + resources.periods()["revised"]) + ")")


#: A label of the state before or after a change, right before its figure (見直し前の, 導入後は週).
_STATE_BEFORE = re.compile(rf"(?P<label>{STATE_LABEL.pattern})\s?(?:の|は|で|に|:|：)?\s?(?:週|月|年間?|1日)?$")


#: 現在の4クリーンセンターから: "now" said of the level a change starts from tells it from none of the two.
_NOW_OF = re.compile(r"(?:現在|現行|現状)の?\s?$")


def before_after(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], finder: ConceptFinder,
                 times: Sequence[TimeExpression]) -> list[tuple[str, str]]:
    """Two levels of one measure with no time to tell them apart, the one a change starts from and
    the one it reaches (週4日営業から週6日営業へ…拡大, 1班9名→8名), are named by their role (guidelines:
    a concept tells the figure from the others of the project): 営業日数（拡大前）, 営業日数（拡大後）.
    Labels of the two states written before the figures (運行便数は見直し前の24便から見直し後は31便に)
    are those roles, of the measure the clause marks before the first."""
    out, text = list(concepts), finder.text
    for i in range(len(quantities) - 1):
        a, b = quantities[i], quantities[i + 1]
        start, end = max(a.end, a.suffix_end), start_of(b)
        reached = _REACHED.match(text, max(b.end, b.suffix_end))
        if (reached and a.kind == b.kind != "delta" and a.unit == b.unit and "。" not in text[start:end]
                and (named := [n for n, (concept, _) in enumerate(out[i:i + 2]) if reached["verb"] not in concept])
                and len(named) == 1 and out[i + named[0]][0]):  # 平均処理日数は…38日から…29日に短縮: both are levels
            measure = out[i + named[0]][0]  # of the measure, no length of the change (短縮日数)
            out[i], out[i + 1] = (measure, f"{out[i][1]}+level"), (measure, f"{out[i + 1][1]}+level")
        labelled = [_STATE_BEFORE.search(text, max(0, start_of(q) - 12), start_of(q)) for q in (a, b)]
        if (a.kind == b.kind != "delta" and a.unit == b.unit and labelled[0] and labelled[1]
                and labelled[0]["label"].endswith("前") and labelled[1]["label"].endswith("後")
                and _FROM_TO.fullmatch(text, start, labelled[1].start())
                and (noun := finder.marked_noun_before(len(text[:labelled[0].start()].rstrip("、 ")),
                                                       frozenset({"は", "を", "が"})))):
            measure = finder.noun_phrase(noun)
            if a.unit in ("人", "名") and measure.endswith(("者", "員")):
                measure += "数"  # 担当職員を見直し前の9人から: 担当職員数
            elif counts_unnamed(measure, a):
                measure = count_name(measure, a)
            if measure and not STATE_LABEL.search(measure):
                out[i] = (f"{measure}（{labelled[0]['label']}）", "label+before")
                out[i + 1] = (f"{measure}（{labelled[1]['label']}）", "label+after")
                continue
        sentence = _sentence_start(text, start_of(a))
        clause = max(text.rfind("、", sentence, start_of(a)) + 1, sentence)
        if (a.kind == b.kind != "delta" and a.unit == b.unit and out[i][0] and out[i][0] == out[i + 1][0]
                and _FROM_TO.fullmatch(text, start, end)
                and not any(clause <= t.start < b.end and not _NOW_OF.match(text, t.start, start_of(a))
                            for t in times)  # 令和4年度の312件から令和5年度は447件; not 現在の4…から3…へ
                and sum(sentence <= t.start < b.end for t in times) < 2):  # 2000年の…から2020年には…、A%からB%
            change = _CHANGE_NOUN.match(text, max(b.end, b.suffix_end))
            word = "見直し" if change and change.group(1).startswith("見直") else change.group(1) if change else "変更"
            out[i] = (f"{out[i][0]}（{word}前）", f"{out[i][1]}+before")
            out[i + 1] = (f"{out[i + 1][0]}（{word}後）", f"{out[i + 1][1]}+after")
    return out


#: The rules that name a figure by its item's own label (胃がん32.4%, 電話：120件).
_ITEM_NAMES = frozenset({"label", "colon", "listed"})


def status_steps(concepts: list[tuple[str, str]], quantities: Sequence[Quantity], cell: CellStructure, text: str
                 ) -> list[tuple[str, str]]:
    """A figure that nothing names, under a heading that only says its status (【目標】観光入込客数 120万人
    /【実績】98万6千人/【来年度見込み】105万人), is a step of the measure the steps before it name: the
    goal, the result and the outlook of one indicator. So is one whose clause only says when and in
    what status (…現業職員数を250人とすることを目標とし、… なお、令和5年度実績は297人): of the measure
    the last earlier figure of its unit names. A figure named only by its item (■成果実績 胃がん32.4%,
    under ■成果目標 …受診率50%以上) is that measure's, for the item: 受診率（胃がん）."""
    out = list(concepts)
    for i, q in enumerate(quantities):
        item = out[i][0] if out[i][1] in _ITEM_NAMES and not out[i][0].endswith(MEASURE_ENDS) else ""
        if (out[i][0] and not item) or q.kind == "delta":
            continue
        clause = _clause_start(text, figure_start(q))  # （令和5年度 164事業所）
        before = re.sub(r"^[\s、]*(?:なお|また)", "", text[clause:figure_start(q)])
        words = re.sub(TIME + r"(?:まで|以降|から)?", "", before).strip(" 、はがにで:")  # 令和5年度は12.8%,
        # 令和7年度までに0人: a time alone says when, too
        value_only = not item and (VALUE_LABEL.fullmatch(words) is not None if words  # an item names something
                                   else re.search(TIME, before) is not None)
        said = [h for h in cell.over(q.start, "heading") if heading_status(h.label) in ("actual", "target", "plan")]
        named = next((j for j in range(i - 1, -1, -1) if quantities[j].unit == q.unit and out[j][0]
                      and (value_only or any(heading_status(h.label) for h in cell.over(quantities[j].start, "heading")))
                      and (value_only or not any(h.governs(quantities[j].start) for h in said))
                      and (not item or out[j][0].endswith(MEASURE_ENDS))), None) if said or value_only else None
        if named is not None:
            out[i] = (f"{out[named][0]}（{item}）" if item else out[named][0], "status_step")
    return out


def by_counter(concepts: list[tuple[str, str]], quantities: Sequence[Quantity]) -> list[tuple[str, str]]:
    """A count of things that nothing else names is named by its counter (3市2町（池田市・…）→ 市数, 町数;
    guidelines: name it from the predicate and the counter); not people, whose counter names nothing."""
    return [(unit_measure(q), "counter") if not concept and q.kind == "count" and q.unit_category != "people"
            else (concept, method) for q, (concept, method) in zip(quantities, concepts)]
