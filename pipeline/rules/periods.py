"""The period of every figure (annotation guidelines, "When, and in what status"); its status is
read in `statuses`, from the same clauses.

A time expression governs the figures after it in its sentence up to the next time expression
(令和5年度は…3,850件), and a bracket it opens ((2023年調査は病院74.4%、…)) but not what lies
outside that bracket; a heading or label (【令和6年度実績】, R5年度：) governs the rest of its
cell. まで / から / 以降 make it a span; relative words (昨年度) resolve against the table's fiscal
year. Without any, the figure describes the table's fiscal year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline import resources
from pipeline.rules.dates import AS_OF, ERA_START, find_dates, QUARTER
from pipeline.rules.quantities import BOUNDS, CLASS_BOUND, Quantity, start_of
from pipeline.rules.sentences import sentence_of
from pipeline.text.brackets import depths, pairs

_WORDS = resources.periods()
_ERA_ALT = "|".join(sorted(ERA_START, key=len, reverse=True))
#: The dashes a span of years is written with (平成22〜24年度, 平成22―24年度, R2-R4), on one line (R4年度 －\nR5年度
#: is a year without a value and the next year's line).
_DASHES = "〜~\\-－ー―—–‐"
#: R2〜R4年度, 令和2年度から令和4年度: a span of fiscal years written as one expression.
_FY_SPAN = re.compile(rf"(?P<e1>{_ERA_ALT})?\s?(?P<y1>元|\d{{1,4}})\s?(?:年度)?[ \t]?[{_DASHES}][ \t]?"
                      rf"(?P<e2>{_ERA_ALT})?[ \t]?(?P<y2>\d{{1,4}})\s?年度")
#: 2018年から2022年(にかけて), 1990年度から2014年度まで: a span written with から.
_KARA_SPAN = re.compile(rf"(?P<e1>{_ERA_ALT})?\s?(?P<y1>元|\d{{1,4}})\s?年(?P<fy1>度)?\s?から\s?"
                        rf"(?P<e2>{_ERA_ALT})?\s?(?P<y2>元|\d{{1,4}})\s?年(?P<fy2>度)?(?:\s?(?:まで|にかけて))?")
#: (20142023年), (令和元年2023年), 1976年1985年: a span whose 〜 was lost when the sheet was
#: extracted from PDF (the national review sheets drop it throughout).
_GLUED_SPAN = re.compile(rf"(?<!\d)(?:(?P<e1>{_ERA_ALT})\s?(?P<y1>元|\d{{1,2}})\s?年(?P<fy1>度)?"
                         rf"|(?P<g1>(?:19|20)\d{{2}})(?:年(?P<gfy1>度)?)?)(?P<y2>(?:19|20)\d{{2}})年(?P<fy2>度)?")
#: (R1R3), R2R4年度, H30R2年度: two era years whose 〜 was lost; bare in brackets or with 年度, fiscal years.
_GLUED_ERA_SPAN = re.compile(rf"(?<![A-Za-z])(?P<e1>{_ERA_ALT})\s?(?P<y1>元|\d{{1,2}})(?:年度?)?"
                             rf"(?P<e2>{_ERA_ALT})\s?(?P<y2>元|\d{{1,2}})(?P<nen>年(?P<fy>度)?)?")
#: 平成2931年度: two two-digit years of one era whose 〜 was lost (平成29〜31年度; not 平成24年度).
_GLUED_SAME_ERA = re.compile(rf"(?<![A-Za-z\d])(?P<e>{_ERA_ALT})\s?(?P<y1>\d{{2}})(?P<y2>\d{{2}})年(?P<fy>度)?")
#: 高齢社会白書2022, 観光白書2023年版: a year in the name of a publication (a dated source).
_PUBLICATION_YEAR = re.compile(r"(?:白書|年報|統計|要覧)\s?(?P<y>(?:19|20)\d{2})(?:年版)?(?!\d)")
#: 2025年1〜3月期, 2024年10~12月, 2025年1月3月にかけて (its 〜 lost): a span of months of one year.
_MONTH_SPAN = re.compile(rf"(?P<e>{_ERA_ALT})?\s?(?P<y>元|\d{{1,4}})\s?年\s?(?P<m1>\d{{1,2}})\s?(?:月?\s?(?:[〜~\-－]|から)\s?|月(?=\d{{1,2}}月(?:期|まで|にかけて)))"
                         r"(?P<m2>\d{1,2})\s?月(?:期|まで|にかけて)?")  # 令和7年1月から3月まで: the months of one year
#: 2024年度第3四半期, 2023年第4四半期: a quarter of a fiscal year (from April) or of a calendar year.
_QUARTER = re.compile(rf"(?P<e>{_ERA_ALT})?\s?(?P<y>元|\d{{1,4}})\s?年(?P<fy>度)?\s?(?:の)?\s?{QUARTER}")
#: 第1四半期 with no year of its own: a quarter of the year the text last named, or of the table's fiscal year.
_BARE_QUARTER = re.compile(QUARTER)
_RELATIVE = re.compile("|".join(sorted(_WORDS["relative"], key=len, reverse=True)))
#: 平成17(2005)年, 令和4(2022)年度: an era year with its Gregorian year in brackets.
_ERA_WITH_YEAR = re.compile(rf"(?:(?:{_ERA_ALT})\s?(?:元|\d{{1,2}})\s?[(（](?P<year>\d{{4}})[)）]"
                            rf"|(?P<year2>\d{{4}})\s?[(（](?:{_ERA_ALT})\s?(?:元|\d{{1,2}})[)）])\s?年(?P<fy>度)?")
#: (R5), （H22）, R6 11件, R5は43.1%: a bare era year in brackets, or labelling the figure after a space or
#: as its topic, as evaluation sheets date a figure: a fiscal year.
_BARE_ERA = re.compile(rf"(?<![A-Za-z\d{_DASHES}])(?P<era>{_ERA_ALT})\s?(?P<y>元|\d{{1,2}})"
                       r"(?=[)）]|[ \t]\d|(?:は|には)\s?\d)")
#: (R2~R4), H30~R2 23件: a bare span of era years in brackets (事業開始前3年(R2~R4)) or before a
#: figure: fiscal years.
_BARE_ERA_SPAN = re.compile(rf"(?<![A-Za-z\d])(?P<e1>{_ERA_ALT})\s?(?P<y1>元|\d{{1,2}})[ \t]?[{_DASHES}][ \t]?"
                            rf"(?P<e2>{_ERA_ALT})?[ \t]?(?P<y2>\d{{1,2}})(?=[)）]|[ \t]\d)")
#: R4n(現状)：65.2%, H22:108万4千人, R6目標値：8,000人, R6計画 380基, R4決算 3,842千円, R4実績1,272人: an era year (n = 年度)
#: labelling the figure after a colon, or with the value it is: a fiscal year.
_ERA_LABEL = re.compile(rf"(?<![A-Za-z])(?P<era>{_ERA_ALT})\s?(?P<y>元|\d{{1,2}})\s?[nN]?"
                        r"(?=\s?(?:[(（][^()（）]{0,6}[)）])?\s?(?:(?:目標|実績|現状|見込)?値?\s?[:：]"
                        r"|(?:目標|実績|現状|見込み?|計画|予定|予算|決算)(?:値|額)?[ \t]*\d))")
#: 【R6予算】, <R5決算見込>: a bare era year opening a bracket heading of a kind of value.
_ERA_HEADING = re.compile(rf"(?<=[【\[<(])(?P<era>{_ERA_ALT})\s?(?P<y>元|\d{{1,2}})"
                          r"(?=\s?(?:予算|決算|実績|目標|見込|計画)[^\n【】\[\]<>()]{0,6}[】\]>)])")
#: 24年度, 24年5月: an era year whose era is left unwritten, as municipal sheets write them (not
#: 5年間, 17年を経過: durations have no 度 and no month).
_ERA_LEFT_OUT = re.compile(r"(?<![\d.,/A-Za-z第和成治正元])(?P<y>[1-6]?\d)\s?年(?:(?P<fy>度)(?!\s?(?:連続|分|間|にわた))"
                           r"|\s?(?P<m>1[0-2]|[1-9])\s?月)")
#: 10年後: so many years after the time the cell last named (or the table's year).
#: (not 事業継続率（3年後）, 定着率(1年後): the horizon a measure is taken at, a part of its name)
_YEARS_AFTER = re.compile(r"(?<![率数額量][(（])(?P<n>\d{1,3})\s?年後")
#: 【R7年度以降の事業の方向性】: a time that dates a direction (from when it holds), not a figure.
DIRECTION = re.compile(r"\s?の\s?(?:[^\s\d、。の]{1,6}の)?(?:" + "|".join(_WORDS["directions"]) + ")")
#: 現状の142経営体から160経営体に: the current state's figure, of the table's year (as 現在 is); not 現状値,
#: a baseline's label, nor 【現状・課題】.
_CURRENT_STATE = re.compile(r"現状(?=の\s?(?:約|およそ)?\s?\d)")
#: 同時点, 同日: the moment the text last named, whole.
_SAME_MOMENT = re.compile(r"同(?:時点|日)(?![一-龥])")
#: 同期間, 実証期間中: the span the text last named, whole.
_SAME_SPAN = re.compile(r"同期間|[一-龥]{0,4}期間中")
#: 令和6年8月の…、同年12月の…: the year of the time stated before it.
_SAME_YEAR = re.compile(r"同年(?P<fy>度)?(?:\s?(?P<m>\d{1,2})\s?月)?")
#: 10月に実施し, 8月が延べ1,214人, 7月から9月の間に: a month without its year, of the year the text
#: last named (or of the table's fiscal year, April to March); not 6か月, 月2回, 3月31日, a month as
#: a length (1月あたり, 3月以上) or in a name (4月入所); but 4月8,120人: a month that labels the count after it.
_BARE_MONTH = re.compile(r"(?<![\d年/.第])(?P<m1>1[0-2]|[1-9])\s?(?:月|(?=[〜~\-－]\s?(?:1[0-2]|[1-9])\s?月))"
                         r"(?:\s?(?:[〜~\-－]|から)\s?翌?(?P<m2>1[0-2]|[1-9])\s?月)?(?:期|まで|にかけて)?"
                         r"(?!\s?(?:\d{1,2}\s?[日月]|\d(?![\d,.]*\s?[^\d\s,.、。])|あたり|当たり|未満|以上|以下|以内|超|間))"
                         r"(?!(?![末中上下期時分頃現以]|実施|開催)[一-龥々ァ-ヶー])")  # 10月実施: the month of the deed
#: 直近5年間: the years up to the last year the cell named (or the table's); the time is the word
#: 直近, the duration stays a figure.
_LAST_YEARS = re.compile(r"直近\s?(?P<n>\d{1,2})\s?(?:年間|か年|カ年|ヵ年|ヶ年)")
#: 11/15-17: a day range after a yearless date.
_DAY_RANGE = re.compile(r"\s?[-〜~]\s?(?P<day>\d{1,2})(?![\d/])")
#: 2022年度から, R4年度補正より, 2030年頃から: what opens a span (a budget's name or 頃 may stand between).
_SPAN_FROM = re.compile(r"\s?(?:補正予算|補正|当初予算|頃|ごろ)?(?:" + "|".join(_WORDS["span_from"]) + ")"
                        r"|\s?の\s?[^、。\d]{0,8}?(?:" + "|".join(_WORDS["started"]) + r")(?:から|以来|以降)")  # 平成28年度の事業開始から
#: 制度創設時(H28)から: a time in brackets that dates a moment (…時, 当初, 開始) dates the span opened there.
_MOMENT_BRACKET = re.compile(r"(?:時|当初|開始|創設|設立|施行|開業|導入)\s?[(（]$")
#: 2000年以降の20年間, 2025年までの5年間: the years an open span runs for.
_SPAN_LENGTH = re.compile(r"\s?の\s?(?P<n>\d{1,3})\s?年間")
_SPAN_TO = re.compile(r"\s?末?(?:頃|ごろ)?(?:" + "|".join(_WORDS["span_to"]) + ")")  # 2030年度頃までに
#: (令和5年4月23日執行), (R5.10.1開催): the day an event was held dates it as a bare day does.
_HELD = "実施|執行|開催|調査"
#: What may follow the time in a bracket that only dates (2011年末時点, 2023年11月現在).
_DATE_TAIL = re.compile(rf"\s?(?:末|時点|現在|頃|ごろ|{_HELD}|実績|平均)*\s?")  # (R2〜R4年度平均): the years averaged
#: ◆利用件数（令和6年度） 一時預かり…, R5年度：, 【令和6年度実績】: a time that labels what follows it.
_LABEL_AFTER = re.compile(rf"[^。、（）()]{{0,8}}?[】］>＞]|\s?[:：]|\s?(?:末?(?:時点|現在)|{_HELD}|実績)?[)）][:：]?[ \t\n]")
#: ■令和5年度助成額, 【出典】2023年市民意識調査 (a line of its own): a time that opens a heading line, or
#: follows a bracketed label alone (【】, <> or [], ＜＞ and ［］ once NFKC), dates the lines under it.
_HEADING_LINE = re.compile(f"^[ \t]*(?:[{resources.heading_marks()}]|[【<\\[][^\\d】>\\]]{{1,8}}[】>\\]])[ \t]*$")
_HEADING_REST = re.compile(r"[^\d。、\n]{0,16}$", re.M)
#: A time written as the base of a change (昨年比, 前年度(末)に比べ, 前年度の1.2倍, 前年度並み, 前年度を(11人)上回る) is not the period of
#: the figures after it; so is one that より compares a figure's change with.
_AS_BASIS = re.compile(r"\s?(?:同月|同期|頃|ごろ|末)?(?:比|対比|並み|並(?![びぶべ])|に比べ|と比べ|と比較|を\s?(?:上回|下回)"
                       r"|の\s?(?:約|およそ|ほぼ)?\s?[\d.]+\s?倍|(?:の水準)?から[^。、]{0,12}?(?:(?<!に)(?:増|減)|\d+(?:\.\d+)?倍)"
                       r"|から\s?(?:約|およそ)?\s?\d[^。、]{0,8}?(?<![にへ])(?:引き?上げ|引き?下げ|上昇|低下)"  # 前年度から43円引き上げ; not 8万円に
                       r"|より[^。、\d]{0,10}?\d[\d,.]*[^。、\d]{0,6}?(?:増|減|多|少|高|低|上回|下回|上昇|改善|悪化|短縮|延長)"
                       # 前年度より600人増加, 前年度より1.2ポイント上昇
                       r"|を\s?(?:約|およそ)?\s?\d[\d,.]*[^。、\d]{0,6}?(?:上回|下回))")  # 前年度を11人上回った
#: 平成23－24年度比, 令和4〜5年度比で: two years compared, written as a span (read as its later year).
_SPAN_COMPARED = re.compile(r"\s?(?:比|対比)")
_PAIR = re.compile(r"\d\s?[-−–〜~～]\s?\d")


def _pair_compared(text: str, t: TimeExpression) -> bool:
    """平成23－24年度比 ▲1億6,240万円: a change from the earlier year to the later is of the later year, which
    is no basis (guidelines: a change's basis is no period of it)."""
    return bool(_PAIR.search(text, t.start, t.end) and _SPAN_COMPARED.match(text, t.end))

#: より after a relative word compares (前年より増加); after a year it means "since" (2022年度より).
_RELATIVE_BASIS = re.compile(r"\s?より")
#: 【これまでの取組み及び成果】, これまでの見直しにより: an until-word that modifies a deed (not a
#: count: これまでの実績は120件) names the work done, not the period of the figures after it.
_OF_A_DEED = re.compile(r"の(?![^、。】\]]{0,6}?(?:実績|累計|合計|総数|件数|人数))")
CLAUSE_END = re.compile(r"[。、]")
#: (▲1億9,378万円 /平成22年度実績): a time after the figure in its bracket, past a slash, dates it…
_DATE_AFTER_SLASH = re.compile(r"\s?[/／]\s?")
#: …when nothing but a word of its kind or moment follows it in the bracket.
_DATE_CLOSES = re.compile(r"\s?(?:実績|見込み?|時点|現在|末|決算|予算)?\s?")
#: かつては年15人程度派遣できていたが、…派遣人数は年12-13人: a time that is the topic of a clause
#: contrasted with the next (…が、) does not govern the next.
_TOPIC = re.compile(r"\s?(?:に)?は")
_CONTRAST = re.compile(r"(?:が|けれども|けど)、")
ARROW = re.compile(r"[⇒→➡]")
_FUNCTIONAL = frozenset(_WORDS["functional_verbs"])
_CONJUNCTIVE = frozenset(_WORDS["conjunctive_nouns"])
#: 前年度の7人から, 令和元年度の利用者数120人から: a time, の and a figure's words, then から.
_FROM_FIGURE = re.compile(r"の[^、。\d()はがをにでと]{0,15}")
#: 7人から, ２か所から: the figure a change starts from.
STARTS_FROM = re.compile(r"\s?から")
#: After a figure, its clause closes: 350人で、, 4回開催し、, 12校で出前授業を実施し、.
CLAUSE_ENDS = "|".join(_WORDS["clause_ends"])
#: …給付金であり、 / …が課題であったが、: the end of a clause, past which its topic names no figure.
TOPIC_CLOSED = re.compile(f"(?:{CLAUSE_ENDS})、")
_SOURCE_WORDS = re.compile("|".join(_WORDS["source_words"]))
_STARTED = re.compile(r"(?:" + "|".join(_WORDS["started"]) + r")(?:(?:し|され)た)?$")
#: 貸付限度額：1世帯50万円: a line of its own label.
_NEW_LABEL = re.compile(r"(?:^|(?<=[\s。]))[^\s:：。、\d()（）]{1,20}[:：]", re.M)
#: What may stand between a figure and the bracket that dates it: 2社出展（11/15-17）.
_BEFORE_ASIDE = re.compile(r"[ \t]?[^\s、。，,()（）]{0,4}[ \t]?")  # not past a line break
#: 65.2%　目標値（令和8年度）：80.0%: a bracket before a colon, or right before a figure, is of the label of
#: the figure after it.
_LABELS_NEXT = re.compile(r"\s?(?:[:：]|(?=\d))")
#: …61枚 （令和６年度） 全体発行数：454枚, …2媒体） （令和６年度） ⑴ …: a bracket after a space, then a label and
#: its colon or a list mark, heads the items after it (a sheet whose lines were joined by spaces).
_OPENS_ITEMS = re.compile(rf"[ \t]+(?:[{resources.heading_marks()}⑴-⒇①-⑳]"
                          r"|[^\s、。\d()（）]{1,20}[:：])")


#: The words of one line between a time and the figure it labels: no clause mark, no other figure.
_LINE_LABEL = re.compile(r"[^\n、。\d]{0,30}")
#: A line that opens with a note mark: a note on the scheme as a whole, under no label before it.
_NOTE_MARK = re.compile(r"^[ \t]*※", re.M)
#: （出展件数：3件）※1件は出展済（R6.12末時点）: a note with a figure of its own, whose time is that figure's.
_NOTE_ON_OWN = re.compile(r"※[^※。]*?\d")
#: ※2回は開催済（R6.11末時点）: a time inside a note, which dates the note's own figures only.
_IN_NOTE = re.compile(r"※[^※\n。]*$")
#: …にとどまる。※2023年度調査: a note mark after a full stop or opening a line, right before a time.
_DATE_NOTE = re.compile(r"(?:(?<=。)|^)[ \t]*※[ \t]?$", re.M)
#: 1982年以前に建てられた建物は約9,900棟: a time that bounds the class of what is counted, not when it is counted.
_CLASS_BOUND = re.compile(r"\s?(?:以前|より前)\s?(?:に|の)")
#: 開始から17年を経過, 施行から10年を迎え: a length of time that has passed since a start, which a time
#: before it dates (the start), not the length.
ELAPSED = re.compile(r"\s?(?:以上|余り|余)?\s?(?:が|を)?\s?(?:経過|経(?:つ|った|ち)|迎え)")
#: R5.10.13～R6.2.16, 令和5年5月～令和6年2月: two days, or two months (normalised), joined by a dash.
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_DAY_JOINT = re.compile(rf"\s?[{_DASHES}～]\s?")
#: 11/18, 6月14日: a day written without its year.
_DAY_ONLY = re.compile(r"\d{1,2}/\d{1,2}|\d{1,2}月\d{1,2}日")
#: 約390人（8回） ※R6.12末時点: a note of the moment right after a figure (and its bracket) dates that figure.
_NOTE_BEFORE = re.compile(r"\s?(?:[(（][^()（）]{0,20}[)）]|[^\s\d、。()（）※]{1,4})?\s?※\s?")  # 125件認証 ※R6.12.27時点
#: （数値目標の考え方：…）, （第1次募集：…）: a label of a bracket's own, before its colon; the labels that say
#: when (or from which source) the time after them is.
_ASIDE_LABEL = re.compile(r"([^:：()（）]{1,16})[:：]")
#: 一斉撤去は, 2回目の会員講習会を: the topic or object of a deed an aside opens with, before its time.
_ASIDE_TOPIC = re.compile(r"[^\s()（）、。]{2,20}[はを]\s?")
_WHEN_LABEL = re.compile(r"時点|現在|調査|出典|資料|基準日|年度|期間|募集|受付")
#: 利用者数（令和5年度）は…, …調査（令和4年度）によると, …（令和5年度）。: a bracketed time the clause goes on from as
#: its topic or source, or that closes the sentence (not 開設（令和6年3月）し or 南区（11/12、3/9）、: one deed's date).
_BRACKET_TOPIC = re.compile(r"\s?(?:[はもの。]|では|には|によ|$)")
#: How far back a dated sentence may lie to carry its time into the sentences after it.
_CARRY_YEARS = 3


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    period: str


@dataclass(frozen=True)
class Period:
    period: str
    start: int  # of the words that give it in the normalised text; -1 for the table's year
    end: int
    source: str  # sentence | cell | table


#: What a relative clause's noun may go on with and still be the topic, or the whole of a share,
#: of the figures after it (…検査の受検者は, …立入検査先のうち, …実施した講座には78人が参加,
#: …完成した工事では、工期が…), past the rest of a compound noun the parse left out (…開催した第3回まちなか|アート
#: フォーラムには), or the object whose level the figure right after it sets (…に占める…の比率を36～38％とする).
_OWN_TOPIC = re.compile(r"[^、。()（）\sをがでにはたるし]{0,12}?(?:の[^、。()（）はがをにで]{1,15}?)?"
                        r"(?:[にで]?は|のうち|を(?=\s?(?:約|およそ)?\d[^、。]{0,12}?[とに](?:する|し)))")


#: …を開始した自治体は累計で約300市町村: the figure right after the clause's noun counts that noun, so the
#: time the clause says they began in is the time of the count (not …に開設した窓口には412件の相談); so is its share
#: of all (令和4年度までに…策定した施設は全体の87.5%であった).
_COUNTED = re.compile(r"[はが](?:累計で|合計で|全国で|計|延べ|全体の)?(?:約|およそ)?\d[\d,.万千億]*[^\d\s、。のでを年間]{1,5}"
                      r"(?=に|と|。|$|[(（]|であ|です|だ)")  # not …窓口は、412件の相談に, …事業は5年間で延べ2,000人


@dataclass(frozen=True)
class RelativeClause:
    """A predicate that modifies a noun (昨年3月にリニューアルした|市ホームページ): a time inside it
    dates that noun phrase, not the figures of the sentence."""
    start: int  # first character of the clause
    end: int  # end of its predicate
    noun_end: int  # end of the noun it modifies


def relative_clauses(doc: Doc) -> list[RelativeClause]:
    """The relative clauses of a parse (GiNZA's ``acl`` on a verb or adjective); a verb's stem (連用形)
    right before a noun is no attributive form: a compound (見守り協力事業所) or a clause that goes on
    (買上を行い国有地化された面積), not a clause that modifies the noun; nor is one before a noun that joins
    it to the sentence (…増となった一方、)."""
    found = []
    for tok in doc:
        compound = (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "NOUN"
                    and any("連用形" in form for form in tok.morph.get("Inflection")))
        if (tok.dep_ == "acl" and tok.pos_ in ("VERB", "ADJ") and tok.head.i > tok.i and not compound
                and tok.lemma_ not in _FUNCTIONAL and tok.head.text not in _CONJUNCTIVE):
            found.append(RelativeClause(doc[tok.left_edge.i].idx, tok.idx + len(tok), tok.head.idx + len(tok.head)))
    return found


def _bound(text: str, t: TimeExpression, clauses: list[RelativeClause], brackets: list[tuple[int, int]]
           ) -> int | None:
    """Where the scope of ``t`` ends when it dates an event of a relative clause (1981年の…以前に
    開業した地下街); None when it is free, when the clause names a dated source (2021年度に実施した
    「…調査」によると: the survey's time is its findings' period), or when the noun it modifies is
    (part of) the sentence's topic or the whole of a share (…にPCAが担当した裁判数は…190件,
    …に実施した立入検査先のうち約4割: the time of what is counted), unless the clause only says when
    that noun began (平成28年度に開設した窓口には412件の相談: counted since). A predicate
    inside an aside that does not hold the time (…期間(決裁起案から…を行い…まで)は) binds nothing."""
    for c in clauses:
        if c.start <= t.start < c.end and enclosing(c.end - 1, brackets) == enclosing(t.start, brackets):
            stop = CLAUSE_END.search(text, c.end)
            if _SOURCE_WORDS.search(text, c.end, stop.start() if stop else len(text)):
                return None
            if _OWN_TOPIC.match(text, c.noun_end) and (not _STARTED.search(text, 0, c.end) or _COUNTED.match(
                    text, c.noun_end)) and enclosing(c.noun_end - 1, brackets) == enclosing(
                    t.start, brackets):  # 2018年から2022年にPCAが担当した裁判数は: the topic;
                return None  # 2023年度に実施した検査の受検者は, …立入検査先のうち約4割: what is counted
            return c.noun_end
    return None


def _quarter(year: int, quarter: int, fiscal: bool) -> str:
    """The three months of a quarter of a fiscal year (from April) or of a calendar year: 2023-04..2023-06."""
    first = year * 12 + (quarter - 1) * 3 + (3 if fiscal else 0)  # months since year 0, from January
    return f"{first // 12}-{first % 12 + 1:02d}..{(first + 2) // 12}-{(first + 2) % 12 + 1:02d}"


def _implied_era_year(n: int, fiscal_year: int) -> int:
    """24年度 in a FY2013 table is 平成24年度 (2012): the table's era, or the one before it when
    that would be more than ten years ahead (30年度 in a FY2024 table is 平成30年度)."""
    starts = sorted({v for v in ERA_START.values() if v < fiscal_year}, reverse=True)
    return starts[0] + n if starts[0] + n <= fiscal_year + 10 or len(starts) < 2 else starts[1] + n


def _year(era: str | None, year: str, default_era: str | None) -> int:
    n = 1 if year == "元" else int(year)
    era = era or default_era
    return n if n >= 1000 or era is None else ERA_START[era] + n


def time_expressions(text: str, fiscal_year: int) -> list[TimeExpression]:
    """Every time expression of ``text``, normalised (spans and relative words included)."""
    found: list[TimeExpression] = []

    def free(start: int) -> bool:
        return not any(t.start <= start < t.end for t in found)

    for m in _ERA_WITH_YEAR.finditer(text):
        year = m["year"] or m["year2"]
        found.append(TimeExpression(m.start(), m.end(), f"FY{year}" if m["fy"] else year))
    for m in _KARA_SPAN.finditer(text):
        era1, era2 = m["e1"], m["e2"]
        a, b = _year(era1, m["y1"], era2 if m["y1"] != "元" else era1), _year(era2, m["y2"], None)
        if 1000 < a < b and free(m.start()):
            fy = "FY" if m["fy1"] and m["fy2"] else ""
            found.append(TimeExpression(m.start(), m.end(), f"{fy}{a}..{fy}{b}"))
    for m in _GLUED_SPAN.finditer(text):
        a, b = (int(m["g1"]) if m["g1"] else _year(m["e1"], m["y1"], None)), int(m["y2"])
        if a < b <= a + 60 and free(m.start()):
            fy = "FY" if m["fy2"] else ""
            found.append(TimeExpression(m.start(), m.end(), f"{fy}{a}..{fy}{b}"))
    for m in _PUBLICATION_YEAR.finditer(text):
        found.append(TimeExpression(m.start("y"), m.end(), m["y"]))
    for m in _MONTH_SPAN.finditer(text):
        year, m1, m2 = _year(m["e"], m["y"], None), int(m["m1"]), int(m["m2"])
        if year > 1000 and 1 <= m1 <= 12 and 1 <= m2 <= 12 and m1 != m2 and free(m.start()):
            end_year = year + (m2 < m1)  # 令和6年10月から3月まで: the months run into the next year
            found.append(TimeExpression(m.start(), m.end(), f"{year}-{m1:02d}..{end_year}-{m2:02d}"))
    for m in _QUARTER.finditer(text):
        year = _year(m["e"], m["y"], None)
        if year > 1000 and free(m.start()):
            found.append(TimeExpression(m.start(), m.end(), _quarter(year, int(m["q"]), bool(m["fy"]))))
    for m in _GLUED_ERA_SPAN.finditer(text):
        a, b = _year(m["e1"], m["y1"], None), _year(m["e2"], m["y2"], None)
        if a < b <= a + 60 and free(m.start()):
            fy = "FY" if m["fy"] or not m["nen"] else ""
            found.append(TimeExpression(m.start(), m.end(), f"{fy}{a}..{fy}{b}"))
    for m in _GLUED_SAME_ERA.finditer(text):
        a, b = _year(m["e"], m["y1"], None), _year(m["e"], m["y2"], None)
        if a < b <= a + 10 and free(m.start()):
            prefix = "FY" if m["fy"] else ""
            found.append(TimeExpression(m.start(), m.end(), f"{prefix}{a}..{prefix}{b}"))
    for m in [*_BARE_ERA.finditer(text), *_ERA_LABEL.finditer(text), *_ERA_HEADING.finditer(text)]:
        found.append(TimeExpression(m.start(), m.end(), f"FY{_year(m['era'], m['y'], None)}"))
    for m in _BARE_ERA_SPAN.finditer(text):
        a, b = _year(m["e1"], m["y1"], None), _year(m["e2"] or m["e1"], m["y2"], None)
        if a < b and free(m.start()):
            found.append(TimeExpression(m.start(), m.end(), f"FY{a}..FY{b}"))
    for m in _FY_SPAN.finditer(text):
        era = m.group("e1") or m.group("e2")
        a, b = _year(m.group("e1"), m.group("y1"), era), _year(m.group("e2"), m.group("y2"), era)
        if a < b and free(m.start()):
            found.append(TimeExpression(m.start(), m.end(), f"FY{a}..FY{b}"))
    dates = find_dates(text)
    for d, e in zip(dates, dates[1:]):  # R5.10.13～R6.2.16, 令和5年5月～令和6年2月: two days, or two months,
        if any(unit.fullmatch(d.normalized) and unit.fullmatch(e.normalized) for unit in (_DAY, _MONTH)) \
                and d.normalized < e.normalized \
                and _DAY_JOINT.fullmatch(text, d.end, e.start) and free(d.start):
            found.append(TimeExpression(d.start, e.end, f"{d.normalized}..{e.normalized}"))
    for d in dates:
        if free(d.start):
            found.append(_dated(text, d.start, d.end, d.normalized, fiscal_year))
    for m in _RELATIVE.finditer(text):
        unit, offset = _WORDS["relative"][m.group()]
        as_of = m.group() in ("現在", "現時点") and any(t.end >= m.start() - 1 and t.end <= m.start()
                                                       for t in found)
        if free(m.start()) and not as_of and not (unit == "year" and _RELATIVE_BASIS.match(text, m.end())) \
                and not (unit == "until" and _OF_A_DEED.match(text, m.end())):
            year = fiscal_year + int(offset)
            found.append(TimeExpression(m.start(), m.end(), {"fy": f"FY{year}", "until": f"..FY{year}"}.get(unit, str(year))))
    for m in _CURRENT_STATE.finditer(text):
        if free(m.start()):
            found.append(TimeExpression(m.start(), m.end(), f"FY{fiscal_year}"))
    for m in _ERA_LEFT_OUT.finditer(text):
        if free(m.start()) and fiscal_year > 0 and not any(t.start < m.end() and m.start() < t.end for t in found):
            year = _implied_era_year(int(m["y"]), fiscal_year)
            found.append(TimeExpression(m.start(), m.end(), f"FY{year}" if m["fy"] else f"{year}-{int(m['m']):02d}"))
    stated = sorted(found, key=lambda t: t.start)
    ordered = list(stated)
    brackets = pairs(text)

    def anchor(pos: int) -> tuple[str, int]:  # 同年度: the year last named, not a comparison's basis (…の1.3倍)
        return next((year_of_period(t.period) for t in reversed(stated) if t.end <= pos
                     and year_of_period(t.period) and not _COMPARED.match(text, t.end)
                     and not _MULTIPLE_OF.match(text, t.end) and not _one_deed(text, t, brackets)), None) \
            or ("FY", fiscal_year)

    for m in _YEARS_AFTER.finditer(text):
        prefix, year = anchor(m.start())
        ordered.append(TimeExpression(m.start(), m.end(), f"{prefix}{year + int(m['n'])}"))
    for m in _BARE_MONTH.finditer(text):
        if any(t.start < m.end() and m.start() < t.end for t in ordered) or "月" not in m.group():
            continue  # 3〜6月間: a length, whose first number alone is no month
        prefix, year = anchor(m.start())
        months = [int(m["m1"])] + ([int(m["m2"])] if m["m2"] else [])
        named = {int(t.period[5:]): int(t.period[:4]) for t in stated if t.end <= m.start()
                 and re.fullmatch(r"\d{4}-\d{2}", t.period)}  # 令和5年7月と令和6年2月に…、7月が86人: that July
        if len(months) == 1 and months[0] in named:
            ordered.append(TimeExpression(m.start(), m.end(), f"{named[months[0]]}-{months[0]:02d}"))
            continue
        years = ([year + (n < 4) for n in months] if prefix else  # a fiscal year runs April to March
                 [year, year + (months[-1] < months[0])])
        whole_year = months == ([4, 3] if prefix else [1, 12])  # 4月〜翌3月, 2023年（1月～12月）: the year itself
        ordered.append(TimeExpression(m.start(), m.end(), f"{prefix}{year}" if whole_year else
                                      "..".join(f"{y}-{n:02d}" for y, n in zip(years, months))))
    for m in _BARE_QUARTER.finditer(text):  # 第1四半期 3,105件: a quarter of the year last named (of the table's
        if any(t.start < m.end() and m.start() < t.end for t in ordered):  # fiscal year: from April)
            continue
        prefix, year = anchor(m.start())
        ordered.append(TimeExpression(m.start(), m.end(), _quarter(year, int(m["q"]), bool(prefix))))
    for m in _SAME_YEAR.finditer(text):
        prefix, year = anchor(m.start())
        ordered.append(TimeExpression(m.start(), m.end(), f"{year}-{int(m['m']):02d}" if m["m"] and not m["fy"]
                                      else f"FY{year}" if m["fy"] else f"{prefix}{year}"))
    for m in _SAME_MOMENT.finditer(text):  # 令和6年3月末時点で…。/また、同時点で…: the moment last named
        last = next((t for t in reversed(stated) if t.end <= m.start()), None)
        if last is not None and ".." not in last.period and (  # not a span; 同日 only after a day
                m.group() != "同日" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", last.period)):
            ordered.append(TimeExpression(m.start(), m.end(), last.period))
    spans: list[TimeExpression] = []
    for t in sorted(ordered, key=lambda t: t.start):
        if _AS_BASIS.match(text, t.end) and not _pair_compared(text, t):
            continue
        bracketed = text[t.end:t.end + 1] in (")", "）") and _MOMENT_BRACKET.search(text, 0, t.start)
        end = t.end + 1 if bracketed else t.end  # 制度創設時(H28)から: the span opens past the bracket
        if (m := _SPAN_TO.match(text, end)) and ".." not in t.period:
            length = _SPAN_LENGTH.match(text, m.end())
            year = year_of_period(t.period)
            since = f"{year[0]}{year[1] - int(length['n']) + 1}" if length and year else ""
            t = TimeExpression(t.start, m.end(), f"{since}..{t.period}")
        elif (m := _SPAN_FROM.match(text, end)) and ".." not in t.period and not _FY_SPAN.match(text, t.start):
            length = _SPAN_LENGTH.match(text, m.end())
            year = year_of_period(t.period)
            until = f"{year[0]}{year[1] + int(length['n'])}" if length and year else ""
            t = TimeExpression(t.start, m.end(), f"{t.period}..{until}")
        if spans and spans[-1].end == t.start and spans[-1].period.endswith("..") and t.period.startswith(".."):
            opened = spans.pop()  # (H28)から2023年度まで: one span from the first to the last, which
            inside = text[opened.start - 1:opened.start] in ("(", "（")  # governs as the unbracketed end does
            t = TimeExpression(t.start if inside else opened.start, t.end, opened.period + t.period[2:])
        if _pair_compared(text, t) and ".." in t.period:
            t = TimeExpression(t.start, t.end, t.period.rpartition("..")[2])
        spans.append(t)
    for m in _LAST_YEARS.finditer(text):
        end = next((_last_year(t.period) for t in reversed(spans) if t.end <= m.start()
                    and _last_year(t.period)), None) or ("FY", fiscal_year)
        spans.append(TimeExpression(m.start(), m.start() + 2, f"{end[0]}{end[1] - int(m['n'])}..{end[0]}{end[1]}"))
    for m in _SAME_SPAN.finditer(text):  # 平成20年度から平成24年度にかけて…。同期間の委託料は: the span last named
        last = next((t for t in reversed(spans) if t.end <= m.start()), None)
        if last is not None and ".." in last.period.strip("."):
            spans.append(TimeExpression(m.start(), m.end(), last.period))
    return sorted(spans, key=lambda t: t.start)


def _last_year(period: str) -> tuple[str, int] | None:
    """The year a period ends in: 2020 of 2000..2020, FY2023 of FY2023."""
    return year_of_period(period.split("..")[-1]) if period.split("..")[-1] else None


def fiscal_year_of_end(period: str) -> int | None:
    """The fiscal year a period ends in, a month or day of January to March being of the fiscal
    year before (R7.3.31時点 is of FY2024); a calendar year counts as itself."""
    end = period.split("..")[-1]
    m = re.fullmatch(r"(?:FY)?(\d{4})(?:-(\d{2}))?(?:-\d{2})?", end)
    if m is None:
        return None
    return int(m.group(1)) - (1 if m.group(2) and int(m.group(2)) < 4 else 0)


def year_of_period(period: str) -> tuple[str, int] | None:
    """("FY", 2023) for FY2023, ("", 2023) for 2023 or a date in it; None for spans."""
    m = re.fullmatch(r"(FY)?(\d{4})(?:-\d{2}){0,2}", period)
    return (m.group(1) or "", int(m.group(2))) if m else None


def _dated(text: str, start: int, end: int, normalized: str, fiscal_year: int) -> TimeExpression:
    """A date as a period; a date without a year (11/15) is in the table's fiscal year (April
    to March), and a day range after it (11/15-17) makes it a span."""
    if not normalized.startswith("-"):
        return TimeExpression(start, end, normalized)
    month, day = normalized.lstrip("-").split("-")
    full = f"{fiscal_year + (int(month) < 4)}-{month}-{day}"
    if m := _DAY_RANGE.match(text, end):
        return TimeExpression(start, m.end(), f"{full}..{full[:8]}{int(m['day']):02d}")
    return TimeExpression(start, end, full)


def _after_own_label(text: str, t: TimeExpression, brackets: list[tuple[int, int]]) -> bool:
    """（第1次募集：R5.10.13～R6.2.16）: a time after a label inside its bracket is that label's value,
    no heading of the lines after it (as （令和５年度） is)."""
    b = enclosing(t.start, brackets)
    return b is not None and _aside_label(text, b, t) != ""


def _event_day(text: str, t: TimeExpression) -> bool:
    """京北出張所（11/18）: a day written without its year, and not as the moment a figure stands at
    (4月1日現在), is the day of an event; it heads no lines."""
    return bool(_DAY_ONLY.fullmatch(text, t.start, t.end)) and not AS_OF.match(text, t.end)


def _one_deed(text: str, t: TimeExpression, brackets: list[tuple[int, int]]) -> bool:
    """開設（令和6年3月）し: a bracketed time right after the word of a deed dates that deed alone, as
    a year to come joined by の to a noun dates that noun (次年度のメディアパートナーの選考); no month
    written later without its year (10月実施) is of it (unlike （令和５年度） heading lines)."""
    b = enclosing(t.start, brackets)
    relative = _WORDS["relative"].get(text[t.start:t.end])
    return (b is not None and text[b[0] - 1:b[0]].strip() not in ("", "】", "]", "＞", ">")
            and not _BRACKET_TOPIC.match(text, b[1] + 1)) or (
        relative is not None and int(relative[1]) > 0 and text.startswith("の", t.end))


#: 前年の世帯所得が, 前年所得: the attribute a threshold tests, named after the year it is read in.
_TESTED = re.compile(r"\s?の?[^\s、。\d()（）:：はがをにで]{0,6}?(?:" + "|".join(_WORDS["tested"])
                     + r")[^\s、。\d()（）:：はがをにで]{0,4}?(?:が|は)?\s?")
_BOUND_CLOSES = re.compile(r"\s?[)）]")


def _tested_year(text: str, t: TimeExpression, quantities: Sequence[Quantity]) -> bool:
    """前年の世帯所得が400万円未満の世帯, （前年所得1,600,000円未満）: the year whose income a threshold tests is part
    of the class the threshold bounds; it dates no figure (the rule holds in the sheet's year)."""
    q = next((q for q in quantities if start_of(q) >= t.end), None)
    return q is not None and bool(q.qualifiers & BOUNDS) and _TESTED.fullmatch(text, t.end, start_of(q)) is not None \
        and (CLASS_BOUND.match(text, q.end) is not None or _BOUND_CLOSES.match(text, q.suffix_end) is not None)


def enclosing(pos: int, brackets: list[tuple[int, int]]) -> tuple[int, int] | None:
    inner = [b for b in brackets if b[0] < pos < b[1]]
    return max(inner, key=lambda b: b[0]) if inner else None


def periods_of(text: str, quantities: list[Quantity], sentences: list[tuple[int, int]],
               fiscal_year: int, times: Sequence[TimeExpression], clauses: list[RelativeClause] = ()) -> list[Period]:
    """The period of each figure: the nearest time expression before it in its sentence and
    bracket scope; else one in a bracket right after it (17,298ha(2011年末時点)) or a deadline
    later in its clause (6割を2025年度末までに); else a heading or label earlier in the cell;
    else the table's fiscal year. ``times`` are the cell's time expressions that are no figure's
    (1/2 is a rate, not January 2nd), read once with its structure."""
    times = [t for t in times if not DIRECTION.match(text, t.end) and not _tested_year(text, t, quantities)]
    brackets = pairs(text)
    depth = depths(text)
    labels = [t for t in times if (_LABEL_AFTER.match(text, t.end) or _heads_lines(text, t)) and depth[t.start] <= 1
              and not _event_day(text, t) and not _after_own_label(text, t, brackets)
              and not _IN_NOTE.search(text, max(0, t.start - 40), t.start)
              and not _labels_aside_figure(t, quantities, brackets)]
    noun_dates = _noun_dates(text, times, quantities, brackets)
    notes = _date_notes(text, times, brackets)
    scope_end = {t: _step_end(text, t, times, quantities) or _basis_end(text, t, quantities)
                 or _bound(text, t, list(clauses), brackets) or _aside_end(text, t) for t in times}
    starting = _starting_points(text, times, quantities)
    topics: list[TimeExpression] = []  # times that dated a figure of their sentence, in text order
    out = []
    for q in quantities:
        s_start, s_end = sentence_of(sentences, q.start)
        scope = enclosing(q.start, brackets)
        elapsed = q.kind == "duration" and ELAPSED.match(text, max(q.end, q.suffix_end)) is not None
        label = next((t for t in times if t.end <= start_of(q) and t.start < s_start  # 2022年度 15.8ha: a time
                      and _LINE_LABEL.fullmatch(text, t.end, start_of(q))), None)  # that labels the figure's own
        # chunk, or the line it opens (計画期間（R4〜R6年度）の目標 年間相談件数 1,500件)
        end = max(q.end, q.suffix_end)
        comma = text.find("、", end, s_end)  # …68.4%と多数を占めており(2023年…調査)、: a source closing its clause
        source = next((t for t in times if (max(s_start, s_end - 40) <= t.start < s_end or end <= t.start < comma)
                       and _source_bracket(text, t, brackets, s_end)
                       and not _NOTE_ON_OWN.search(text, end, t.start)), None)
        before = [t for t in times if (s_start <= t.start < q.start or t == label)
                  and (scope_end[t] is None or q.start < scope_end[t])
                  and not (t in starting and starting[t] < q.start)
                  and not (_TOPIC.match(text, t.end) and _CONTRAST.search(text, t.end, q.start))
                  and not _other_label(text, t, q.start) and not _CLASS_BOUND.match(text, t.end)
                  and not _labels_other_item(text, t, q, quantities)
                  and not ("-" in t.period and _WHOLE_YEAR.search(text, t.end, start_of(q)))  # 上半期（令和5年4月～9月）
                  # …5,320件で、通年では14,000件: the whole year's figure, no month's
                  and not (elapsed and not AS_OF.match(text, t.end))
                  and ((b := enclosing(t.start, brackets)) is None or b[0] < q.start < b[1]
                       or (b in noun_dates and b[1] < q.start))]
        trailing = next((b for b in brackets if b[0] >= end and _trails(text, end, b)), None)
        clause = CLAUSE_END.search(text, end)
        clause_end = clause.start() if clause else s_end
        if (line_end := text.find("\n", end)) >= 0:  # 累計 1,048人 / 令和8年度までに…: no deadline past the line
            clause_end = min(clause_end, line_end)
        as_of = next((t for t in times if trailing and trailing[0] < t.start
                      and not text[trailing[0] + 1:t.start].strip()
                      and (m := AS_OF.match(text, t.end)) and _PARTICULARS.match(text, m.end())), None)
        # 38人（R6.3.31現在、前年同期比4人減）: the moment the figure stands at opens its aside, whatever else the aside
        # says of it after a comma (not （R5.4.1現在 4,650人）: the moment of the figure it labels)
        if trailing and any(trailing[0] < p.start < trailing[1] for p in quantities):
            trailing = None  # 30%を減免（令和6年度から20%に縮小予定）: the bracket's time is its own figure's
        if trailing and _lists_occasions(text, trailing, times):
            trailing = None  # 年2回（6月・11月）: the times the figure counts, each of them, not its period
        after = ([t for t in times if trailing[0] < t.start < trailing[1]
                  and _aside_label(text, trailing, t) != "other"]
                 if trailing else []) + [
            t for t in times if end <= t.start < clause_end and t.period.startswith("..")
            and (enclosing(t.start, brackets) == scope)]
        dating = [t for t in after if trailing and (_only_time(text, trailing, t)
                                                    or _aside_label(text, trailing, t) == "when")] + [
            t for t in times if scope is not None and end <= t.start < scope[1]  # (▲1億9,378万円 /平成22年度実績)
            and _DATE_AFTER_SLASH.fullmatch(text, end, t.start) and _DATE_CLOSES.fullmatch(text, t.end, scope[1])]
        noted = [t for t in times if t.start > end and AS_OF.match(text, t.end) and (
            _NOTE_BEFORE.fullmatch(text, end, t.start)  # 約390人（8回） ※R6.12末時点: the figure and its bracket
            or scope is not None and not text[end:scope[1]].strip()
            and _NOTE_BEFORE.fullmatch(text, scope[1] + 1, t.start))]
        dating += noted + ([as_of] if as_of is not None else [])
        deadline = [t for t in after if t.period.startswith("..") and text.startswith("に", t.end)
                    and not STARTS_FROM.match(text, trailing[1] + 1 if trailing else end)]  # 12.7%（…）から…までに15%
        if dating:  # 最初の10年間(1976〜1985年): a bracket that only dates the figure beats the sentence
            t = dating[0]
        elif deadline:  # 17,298ha(2011年末時点)のうち6割を2025年度末までに: the deadline beats the past
            t = deadline[0]
        elif before:
            t = before[-1]
        elif after:
            t = after[0]
        elif source is not None:  # …となっている(2023年度マンション総合調査)。
            t = source
        elif (listed := _listed_source(text, quantities, q, times, brackets)) is not None:
            t = listed
        elif (held := next((t for t in reversed(times) if s_start <= t.start < q.start
                            and (b := enclosing(t.start, brackets)) is not None and b[1] < q.start
                            and _dates_source(text, t, b)), None)) is not None:
            t = held  # (2023年「医療施設調査」)であり、…9割を超える: a source's date holds on in its sentence
        elif (note := next((t for b, t in notes if b[0] >= s_end and not text[s_end:b[0]].strip()), None)) is not None:
            out.append(Period(note.period, note.start, note.end, "cell"))  # …87.4％である。\n（令和6年4月1日現在）
            continue
        elif (deed := _after_dated_deed(text, times, s_start)) is not None:
            out.append(Period(deed.period, deed.start, deed.end, "cell"))
            continue
        else:
            heading = [t for t in labels if t.start < s_start and "【" not in text[t.end:s_start]  # 【24年度～】 … 【他都市の状況】
                       and not _NOTE_MARK.search(text, t.end, s_start + 1)  # 令和6年度から：30万円 / ※補助率は…
                       ] + [t for t in topics if t.start < s_start and not _other_label(text, t, q.start)
                            and not (_WHOLE_YEAR.search(text, s_start, start_of(q)) and "-" in t.period)]
            t = max(heading, key=lambda t: t.start) if heading else _closing_note(text, times, end)
            if t is not None:  # else 指定避難所64か所（…）、… 1,240㎡　※R6.4.1現在: the note that closes the line
                out.append(Period(t.period, t.start, t.end, "cell"))
                continue
            out.append(Period(f"FY{fiscal_year}", -1, -1, "table"))
            continue
        heads_line = t == label and text[t.end:start_of(q)].strip()  # a label of the line, not of the figure
        out.append(Period(t.period, t.start, t.end, "cell" if heads_line else "sentence"))
        if _recent(t.period, fiscal_year) and t not in topics and _basis_end(text, t, quantities) is None \
                and t not in noted and not _of_deed(text, t) \
                and ((b := enclosing(t.start, brackets)) is None or t in labels
                     or (_BRACKET_TOPIC.match(text, b[1] + 1) and not any(b[0] < p.start < b[1] for p in quantities))):
            topics.append(t)  # a basis, an aside (（前年度41,598世帯）, 開設（令和6年3月）し, even before 。) or a note
            # after a figure (125件認証 ※R6.12.27時点) dates its own figures only
    return _summed_since(text, times, _arrowed(text, quantities, times, _from_to(text, quantities, times,
                                                                               _each_year(text, quantities, out))))


#: 年間の相談件数は, 通年で: a sentence of the whole year, which a month or day of the sentences before does not date.
_WHOLE_YEAR = re.compile(r"(?<![\d〇一二三四五六七八九十数])年間(?:の|で|を通じ|を通して)|通年")


#: 整備後の配備率は, 導入後は: a sentence that opens after a deed.
_AFTER_DEED = re.compile(r"\s?(?P<deed>[一-龥]{2})後")


def _after_dated_deed(text: str, times: list[TimeExpression], s_start: int) -> TimeExpression | None:
    """令和６年度は…蓄電池を…整備する計画である。整備後の配備率は約７５％となる見込み: a sentence that opens
    after a deed the sentence before dates is of that time (guidelines: a date that says when something
    happened to the figure is its period)."""
    m = _AFTER_DEED.match(text, s_start)
    previous = text.rfind("。", 0, max(0, s_start - 1)) + 1
    said = text.find(m.group("deed"), previous, s_start) if m else -1
    dated = [t for t in times if previous <= t.start < said]
    return dated[-1] if dated else None


#: 7/27の夏休み特別回を含め延べ310名: a dated noun that an aside adds to, or leaves out of, what is counted
#: (not 令和4年9月の総合防災訓練には市職員を含め: there the dated noun is the topic, the aside inside its clause).
_DATED_ASIDE_NOUN = re.compile(r"の[^、。\dはが]{1,20}?を(?:含め|含んで|除き|除いて)")


#: 前年度（15.8t）に比べ, 2022年度比で: a time named as the basis of a comparison (not 令和4年度より: since).
_COMPARED = re.compile(r"(?:[(（][^()（）]{0,20}[)）])?\s?(?:に比べ|と比べ|に比して|と比較|比)")
#: 前年度の18.6%から21.9%へ, 前年度の2倍: a time whose figure is a comparison's base, or whose figure a
#: multiple is of.
_MULTIPLE_OF = re.compile(r"\s?の\s?(?:約|およそ)?\s?[\d.,]+\s?倍")
_BASE_FIGURE = re.compile(r"\s?の\s?(?:約|およそ)?$")
_FROM_BASE = re.compile(r"\s?(?:から|に比べ|と比べ|より)")
#: 1月末時点の推移から約4,700件となる見込み, 前年度の実績を踏まえ: a time of the data an estimate or a figure is drawn
#: from, not of the figure.
_ESTIMATE_BASIS = re.compile(r"\s?(?:末|時点|現在)*\s?の\s?[^、。\d()（）]{0,8}?(?:推移|実績|傾向|動向|伸び|データ)\s?"
                             r"(?:から|をもとに|を基に|を踏まえ|に基づ)")


def _basis_end(text: str, t: TimeExpression, quantities: Sequence[Quantity]) -> int | None:
    """Where the scope of a time that is a comparison's basis ends (guidelines: a change's
    basis is no period of it; 令和4年度に比べ、令和5年度は…X: X is of 令和5年度): after the base
    figure it dates, if any; the change and the current value after it are not of that time."""
    if _pair_compared(text, t):
        return None
    if m := _COMPARED.match(text, t.end) or _ESTIMATE_BASIS.match(text, t.end):
        return m.end()
    base = next((q for q in quantities if q.start >= t.end), None)
    if base is None or not _BASE_FIGURE.fullmatch(text, t.end, start_of(base)):
        return None
    after = max(base.end, base.suffix_end)
    if base.unit == "倍":
        return t.end  # 前年度の2倍: the multiple is of the current year's figure
    return after if _FROM_BASE.match(text, after) else None


#: 第1四半期に4回, 7月に約120人: a time, に and right after it the figure it dates.
_STEP = re.compile(r"\s?に\s?(?=(?:約|およそ)?\d)")


def _step_end(text: str, t: TimeExpression, times: Sequence[TimeExpression], quantities: Sequence[Quantity]
              ) -> int | None:
    """Where the scope of one step of a series of dated figures ends (第1四半期に4回、…第4四半期に5回開催し、年間計25回):
    at the end of the clause its figure closes; what the sentence goes on with after the series (the total, 受講者は計
    1,020人) is not of the last step's time. A time alone before its figure (令和6年2月に64人が参加し、…) is no step."""
    if not _STEP.match(text, t.end) or not any(u is not t and _STEP.match(text, u.end) and abs(u.start - t.start) < 80
                                               for u in times):
        return None
    figure = next((q for q in quantities if start_of(q) >= t.end), None)
    comma = text.find("、", figure.end) if figure is not None else -1
    return comma if comma >= 0 else None


def _aside_end(text: str, t: TimeExpression) -> int | None:
    """Where the scope of a time that dates only the noun of an aside ends (7/27の特別回を含め): the
    figures after the aside are of the whole, not of that day."""
    m = _DATED_ASIDE_NOUN.match(text, t.end)
    return m.end() if m else None


def _heads_lines(text: str, t: TimeExpression) -> bool:
    """■令和5年度助成額 / ・電動式：…: a time that opens a heading line with no figure of its own."""
    return bool(_HEADING_LINE.match(text[text.rfind("\n", 0, t.start) + 1:t.start])
                and _HEADING_REST.match(text, t.end) and "\n" in text[t.end:])


def _other_label(text: str, t: TimeExpression, pos: int) -> bool:
    """対象：前年の世帯所得… 貸付限度額：1世帯50万円: a time on a labelled line does not reach past the
    next line's label."""
    line = max(text.rfind(ch, 0, t.start) for ch in " \n。") + 1
    return bool(_NEW_LABEL.match(text, line)) and bool(_NEW_LABEL.search(text, t.end, pos))


def _starting_points(text: str, times: list[TimeExpression], quantities: list[Quantity]) -> dict[TimeExpression, int]:
    """前年度の7人から2人減の5人: a time joined by の to a figure a change starts from dates that
    figure only; for each such time, where that figure starts (the figures after it are not of it)."""
    out = {}
    for t in times:
        if not text.startswith("の", t.end):
            continue
        q = next((q for q in quantities if q.start > t.end), None)
        if q is not None and _FROM_FIGURE.fullmatch(text, t.end, start_of(q)) and STARTS_FROM.match(
                text, max(q.end, q.suffix_end)):
            out[t] = q.start
    return out


#: 2012年→2023年：124団体→186団体: the joints of a run of times, and of figures, joined by arrows.
ARROW_JOINT = re.compile(rf"\s?{ARROW.pattern}\s?")
_ARROWED_LABEL = re.compile(r"\s?[:：]\s?")
#: What may name the figures after the times' colon: 2019年→2023年：空き家バンク登録物件 18戸→41戸.
_ARROWED_NAME = re.compile(r"[^\d、。()（）]{0,30}")


#: 令和4年度からの累計で, 平成30年度以降累計: a start that a sum counts from.
_SUM_SINCE = re.compile(r"\s?(?:から|以降|以来)?の?\s?(?:累計|通算|合計)")


def _summed_since(text: str, times: list[TimeExpression], found: list[Period]) -> list[Period]:
    """令和4年度からの累計で、令和8年度までに延べ600人: a figure dated by a deadline (..FY2026) that a sum
    since a start of its sentence counts up to spans from that start to the deadline (FY2022..FY2026)."""
    out = list(found)
    for i, p in enumerate(found):
        if p.source != "sentence" or not p.period.startswith(".."):
            continue
        since = next((t for t in reversed(times) if t.end <= p.start and t.period.endswith("..")
                      and _SUM_SINCE.match(text, t.end) and not re.search("[。\n]", text[t.end:p.start])), None)
        if since is not None:
            out[i] = Period(f"{since.period[:-2]}..{p.period[2:]}", since.start, p.end, p.source)
    return out


def _arrowed(text: str, quantities: list[Quantity], times: list[TimeExpression], found: list[Period]
             ) -> list[Period]:
    """2012年→2023年：124団体→186団体: times joined by arrows label the figures joined by arrows
    after them, in order (124団体 is of 2012), a name between them or not."""
    out = list(found)
    k = 0
    while k < len(times):
        run = [times[k]]
        while k + len(run) < len(times) and ARROW_JOINT.fullmatch(text, run[-1].end, times[k + len(run)].start):
            run.append(times[k + len(run)])
        k += len(run)
        label = _ARROWED_LABEL.match(text, run[-1].end)
        first = next((i for i, q in enumerate(quantities) if label and start_of(q) >= label.end()
                      and _ARROWED_NAME.fullmatch(text, label.end(), start_of(q))), None)
        if len(run) < 2 or first is None:
            continue
        figures = [first]
        while (figures[-1] + 1 < len(quantities) and len(figures) < len(run) and ARROW_JOINT.fullmatch(
                text, max(quantities[figures[-1]].end, quantities[figures[-1]].suffix_end),
                start_of(quantities[figures[-1] + 1]))):
            figures.append(figures[-1] + 1)
        if len(figures) == len(run):
            for i, t in zip(figures, run):
                out[i] = Period(t.period, t.start, t.end, "sentence")
    return out


def _from_to(text: str, quantities: list[Quantity], times: list[TimeExpression], found: list[Period]) -> list[Period]:
    """2000年以降の20年間で240万人から136万人に: under a closed span, the figure after which から
    stands is of the span's first year, the figure it went to of its last; so under two times
    joined by と (1991年と2021年の比較において23%から76%に): the first is the first's, the second the second's."""
    out = list(found)
    for i in range(len(quantities) - 1):
        a, b = quantities[i], quantities[i + 1]
        if (found[i] != found[i + 1] or a.unit_category != b.unit_category
                or not re.fullmatch(r"\s?から\s?", text[max(a.end, a.suffix_end):b.prefix_start])):
            continue
        span = re.fullmatch(r"(FY)?(\d{4})\.\.(FY)?(\d{4})", found[i].period)
        pair = next((t for t in times if t.end < found[i].start and found[i].source == "sentence"
                     and re.fullmatch(r"\s?と\s?", text[t.end:found[i].start])), None)
        if span:
            out[i] = Period(f"{span[1] or ''}{span[2]}", found[i].start, found[i].end, found[i].source)
            out[i + 1] = Period(f"{span[3] or ''}{span[4]}", found[i].start, found[i].end, found[i].source)
        elif pair is not None:
            out[i] = Period(pair.period, pair.start, pair.end, "sentence")
    return out


def _each_year(text: str, quantities: list[Quantity], found: list[Period]) -> list[Period]:
    """2018年から2022年の5年間に…それぞれ190件、199件、211件、204件、204件: as many figures after
    それぞれ as the span has years are one per year, in order."""
    out = list(found)
    for p in {p for p in found if p.source == "sentence"}:
        span = re.fullmatch(r"(FY)?(\d{4})\.\.(?:FY)?(\d{4})", p.period)
        each = text.find("それぞれ", p.end)
        members = [i for i, f in enumerate(found) if f == p and quantities[i].kind != "delta"
                   and quantities[i].start > each >= 0]
        if not span or not members or CLAUSE_END.search(text, each, quantities[members[0]].start):
            continue
        first, last = int(span[2]), int(span[3])
        if len(members) == last - first + 1:
            for k, i in enumerate(members):
                out[i] = Period(f"{span[1] or ''}{first + k}", p.start, p.end, p.source)
    return out


#: 、目標30.0%, 、見込み：120件: the next item of a list, labelled by which value of the measure it is.
VALUE_ITEM = re.compile(r"[、,]\s?(?:目標|見込み?|計画|予定)値?\s?[:：]?\s?(?:約|およそ)?\s?$")


def _labels_other_item(text: str, t: TimeExpression, q: Quantity, quantities: Sequence[Quantity]) -> bool:
    """（前年度24.1%、目標30.0%）: a time that labels an item of its own, right before that item's figure, does not date
    a later item that a value word labels (the goal is the current year's); not （令和5年度 実績24.1%、目標30.0%）,
    where the time heads both."""
    return VALUE_ITEM.search(text, t.end, start_of(q)) is not None and any(
        t.end <= start_of(p) and p.end <= start_of(q) and re.fullmatch(r"[\s:：]*", text[t.end:start_of(p)])
        for p in quantities)


def _of_deed(text: str, t: TimeExpression) -> bool:
    """令和5年10月に新車両へ更新し: a month or day that says when a deed was done dates the figures of its
    own sentence (guidelines: a date that says when something happened to the figure); the sentences
    after it report the year, unless the date is a moment they stand at (令和6年3月末時点)."""
    return "-" in t.period and not AS_OF.match(text, t.end)


def _recent(period: str, fiscal_year: int) -> bool:
    """A single year, month or day of the table's last few years: the time of the facts a cell
    reports (2023年の摘発件数は815件…。また、覚醒剤の摘発件数は296件), which governs the
    sentences after it; a span, a target year or a historical date (1981年の新耐震基準) does not."""
    year = year_of_period(period)
    return year is not None and fiscal_year - _CARRY_YEARS <= year[1] <= fiscal_year


def _labels_aside_figure(t: TimeExpression, quantities: Sequence[Quantity], brackets: list[tuple[int, int]]) -> bool:
    """…死傷者数 356人（R4：389人）: a time that labels a figure inside a bracket is that figure's, no label of the
    lines after it."""
    b = enclosing(t.start, brackets)
    return b is not None and any(t.end <= q.start < b[1] for q in quantities)


def _date_notes(text: str, times: list[TimeExpression], brackets: list[tuple[int, int]]
                ) -> list[tuple[tuple[int, int], TimeExpression]]:
    """…87.4％である。（令和6年4月1日現在）: a bracket of a date alone after a full stop, closing the
    cell or its line, is a note that dates the sentence right before it; so is one that opens its line
    and names the dated source of what is above it (72.4％ / （出典：令和5年度市民意識調査 回答者1,532人）),
    and a ※ note of a date or of a dated source (…である。 / ※令和2年国勢調査)."""
    out = []
    for t in times:
        b = enclosing(t.start, brackets)
        if (b is not None and text[b[1] + 1:b[1] + 2] in ("", " ", "\n") and (
                (_only_time(text, b, t) and text[:b[0]].rstrip().endswith("。"))
                or (text[:b[0]].rstrip(" \t").endswith(("\n", "。")) and (
                    _aside_label(text, b, t) == "when" or _dates_source(text, t, b))))):
            out.append((b, t))
        elif ((note := _DATE_NOTE.search(text, 0, t.start)) and note.end() == t.start
              and (_DATE_TAIL.fullmatch(text, t.end, line_end := end_of_line(text, t.end))
                   or _SOURCE_WORDS.search(text, t.end, line_end))):
            out.append(((note.start(), end_of_line(text, t.end)), t))  # …82.4%にとどまる。※2023年度調査
    return out


def _closing_note(text: str, times: Sequence[TimeExpression], pos: int) -> TimeExpression | None:
    """A note of the moment that closes the line of ``pos`` (…、延床面積 1,240㎡　※R6.4.1現在): it dates every
    figure of the line that no time of its own dates."""
    line_end = end_of_line(text, pos)
    return next((t for t in times if pos < t.start < line_end and re.search(r"※\s?$", text[pos:t.start])
                 and AS_OF.match(text, t.end) and _DATE_TAIL.fullmatch(text, t.end, line_end)), None)


def end_of_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _aside_label(text: str, bracket: tuple[int, int], t: TimeExpression) -> str:
    """What the label a time has inside its bracket says: "when" for a time's or a
    source's (第1次募集：R5.10.13～R6.2.16, 調査時点：…, 出典：…), which dates the figure as a bracket of the
    time alone does; "other" for any other (46,294円（数値目標の考え方：平成27年以降の最高値）), or for a topic
    the aside opens with (（一斉撤去は7/27に実施）), whose time dates what the label says, not the figure; "" when
    the time has no label."""
    label = _ASIDE_LABEL.search(text, bracket[0] + 1, t.start)
    if label is None:  # （一斉撤去は7/27に実施）: a clause of its own, about something else
        return "other" if _ASIDE_TOPIC.fullmatch(text, bracket[0] + 1, t.start) else ""
    return "when" if _WHEN_LABEL.search(label[1]) else "other"


#: What may stand between the times a bracket lists (6月・11月, 5月、9月及び1月).
_OCCASIONS_JOINT = re.compile(r"[\s・、,，と及びおよ]*")


def _lists_occasions(text: str, bracket: tuple[int, int], times: Sequence[TimeExpression]) -> bool:
    """Whether ``bracket`` holds two times or more and nothing else: when the figure before it happened, one by
    one (年2回（6月・11月）実施), not one period of it."""
    inside = [t for t in times if bracket[0] < t.start and t.end <= bracket[1]]
    gaps = zip([bracket[0] + 1] + [t.end for t in inside], [t.start for t in inside] + [bracket[1]])
    return len(inside) >= 2 and all(_OCCASIONS_JOINT.fullmatch(text, a, b) for a, b in gaps)


def _only_time(text: str, bracket: tuple[int, int], t: TimeExpression) -> bool:
    """Whether ``bracket`` holds the time ``t`` and nothing else but 末 / 時点 / 現在 (or the words after
    it that open a span from it: 制度創設（平成28年度）から)."""
    return (text[bracket[0] + 1:t.start].strip() == ""
            and (t.end > bracket[1] or _DATE_TAIL.fullmatch(text, t.end, bracket[1]) is not None))


def _noun_dates(text: str, times: list[TimeExpression], quantities: list[Quantity],
                brackets: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Brackets that hold nothing but a time, or open with one before more particulars, and date a phrase, not a
    figure: 最近10年間(2014〜2023年)の平均発生回数, 山地災害(令和元年〜2023年)による. They govern what comes after them as an
    unbracketed time would; a bracket right after a figure (80%(R5)、90%(R6)) dates that figure
    alone, unless の makes figure and date a modifier of what follows."""
    figure_ends = {max(q.end, q.suffix_end) for q in quantities}
    out = set()
    for t in times:
        b = enclosing(t.start, brackets)
        if b is None or _BASIS_OF_DEED.match(text, b[1] + 1):
            continue
        after_figure = any(_trails(text, e, b) for e in figure_ends if e <= b[0])
        if _only_time(text, b, t) and (not after_figure or text.startswith("の", b[1] + 1)):
            out.add(b)
        elif (not after_figure and not text[b[0] + 1:t.start].strip() and _PARTICULARS.match(text, t.end)
              and _BRACKET_TOPIC.match(text, b[1] + 1)):
            out.add(b)  # 夏休み特別展（令和5年7月～8月、開催日数36日）の入場者数は: the time opens the particulars
            # of the event (or scheme) the sentence is about, and dates it
    return out


#: 第3次水道ビジョン（令和3年度〜令和12年度）に基づき、…1.2kmを布設した: the term of a plan that a deed follows dates
#: the plan, not the deed.
_BASIS_OF_DEED = re.compile(r"\s?(?:に基づ|に沿|に則|を踏まえ)")
#: 、開催日数36日）: a time at the head of a bracket goes on to more particulars of what the bracket follows.
_PARTICULARS = re.compile(r"\s?[、,]")


def _trails(text: str, end: int, bracket: tuple[int, int]) -> bool:
    """Whether ``bracket`` is an aside of the figure that ends at ``end`` (2社出展（11/15-17）), not
    part of the label of the next one (65.2%　目標値（令和8年度）：80.0%)."""
    return (_BEFORE_ASIDE.fullmatch(text, end, bracket[0]) is not None and not _LABELS_NEXT.match(text, bracket[1] + 1)
            and not _OPENS_ITEMS.match(text, bracket[1] + 1))


#: 、一般診療所で: what joins one item of a list to the next (its label and a particle).
_NEXT_ITEM = re.compile(r"\s?、\s?[^、。\d()（）]{0,15}")


def _listed_source(text: str, quantities: Sequence[Quantity], q: Quantity, times: Sequence[TimeExpression],
                   brackets: list[tuple[int, int]]) -> TimeExpression | None:
    """一般病院で65.6%、一般診療所で55.0%（2023年「医療施設調査」）であり: a source's bracket right after the
    last item of a list dates every item of it (guidelines: a source note dates the survey's figures)."""
    last = q
    for nxt in quantities[quantities.index(q) + 1:]:
        if not _NEXT_ITEM.fullmatch(text, max(last.end, last.suffix_end), start_of(nxt)):
            break
        last = nxt
    if last is q:
        return None  # the last item's own bracket is read with its trailing words
    end = max(last.end, last.suffix_end)
    b = next((b for b in brackets if b[0] >= end and not text[end:b[0]].strip()), None)
    return next((t for t in times if b is not None and b[0] < t.start < b[1] and _dates_source(text, t, b)), None)


def _dates_source(text: str, t: TimeExpression, bracket: tuple[int, int]) -> bool:
    """(2023年「医療施設調査」): whether ``t`` is followed in its bracket by the name of a source."""
    return _SOURCE_WORDS.search(text, t.end, bracket[1]) is not None


def _source_bracket(text: str, t: TimeExpression, brackets: list[tuple[int, int]], sentence_end: int) -> bool:
    """Whether ``t`` dates a source named in a bracket that closes the sentence or a clause of it
    (…が68.4%と多数を占めており(2023年…実態調査)、…), or is the only thing in a bracket that closes
    the sentence (…残っている（令和5年4月1日時点）。)."""
    b = enclosing(t.start, brackets)
    if b is None:
        return False
    rest = text[b[1] + 1:sentence_end].strip(" )")  # （出典：…「…調査」（2022年））: the bracket a source's opens
    closes = rest.strip(" 。") == "" or rest.startswith(("、", ","))
    return closes and (_dates_source(text, t, b)
                       or (rest.strip(" 。") == "" and _only_time(text, b, t)))  # …残っている（令和5年4月1日時点）。


