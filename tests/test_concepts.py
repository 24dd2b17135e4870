"""What each figure measures, named from the sentence around it (real つくば sentences)."""

from __future__ import annotations

import pytest

from pipeline.rules.concepts import clean
from pipeline.rules.components import annotate
from pipeline.text.textnorm import normalize


def concepts(nlp, text: str) -> dict[str, tuple[str, str]]:
    """surface → (concept, method) for every figure of ``text``."""
    doc = annotate(nlp(normalize(text).text), text)
    return {r["surface"]: (r["concept"], r["concept_method"]) for r in doc._.metrics}


@pytest.mark.parametrize(("text", "surface", "concept", "method"), [
    # the item label right before the number
    ("庁内文書の翻訳件数：合計200件（英語141件、中国語39件、韓国 語10件、その他の言語10件）", "141件",
     "庁内文書の翻訳件数（英語）", "label+total"),
    ("翻訳件数：合計49件（中国語39件、韓国 語10件）", "10件", "翻訳件数（韓国語）", "label+total"),
    ("つくばインターナショナルスクールの生徒数は、定員335名に対し31 0名ほどで", "335名", "定員", "label"),
    ("できる限り分かりやすい回答を作成した。要望等の対応数1,108件（うち文書等による回答を要するものは609件）",
     "1,108件", "要望等の対応数", "label"),
    # the label before a colon that opens the figures
    ("地域子育て支援拠点での国際交流イベント：3回131名、留学生向け救命講座7名", "131名", "地域子育て支援拠点での国際交流イベントの参加者数", "colon"),
    ("市立公立小中学校向け国際理解講座：市内19校40講座2,023名", "19校", "市立公立小中学校向け国際理解講座校数", "colon"),
    # the subject of the figure
    ("つくばインターナショナルスクールの生徒数は、定員335名に対し31 0名ほどで", "31 0名", "つくばインターナショナルスクールの生徒数", "parse"),
    ("2023年中の交通事故死者数は2,678人と政府目標の達成は容易でなく", "2,678人", "交通事故死者数", "subject"),
    ("チャンネル登録者数が2,230人（昨年比600人増）となった。", "2,230人", "チャンネル登録者数", "subject"),
    # the verb it counts, with its object, and what the counter measures (回 → 回数)
    ("職員向けの広報力向上セミナーを2回実施した。", "2回", "職員向けの広報力向上セミナー実施回数", "verb"),
    ("商業施設において防災イベントを2回開催、パネル展示を1回実施。", "2回", "防災イベント開催回数", "verb"),
    ("シェイクアウト訓練を1回実施（96団体 42,444名参加）。", "96団体", "参加団体数", "verb"),
    ("2回合計161名が参加した。", "161名", "参加者数", "listed"),
    # figures in a row share their item (定率補助1/2上限10百万円/件)
    ("シェイクアウト訓練を1回実施（96団体 42,444名参加）。", "42,444名", "参加者数", "listed"),
    ("(定額補助10百万円/件、定率補助1/2上限10百万円/件)", "1/2", "定率補助", "label"),
    # the category a figure is counted as (「…」として選定)
    ("先導的な取組を「自治体SDGsモデル事業」として10件選定し", "10件", "自治体SDGsモデル事業選定件数", "verb"),
    # the noun it modifies
    ("留学生交流員を委嘱し、8か国語の外国語広報紙を発行", "8か国語", "外国語広報紙言語数", "parse"),
    ("また、年間400件以上のチラシデザインチェックを実施するとともに", "400件", "チラシデザインチェック件数", "parse"),
    # a share names its whole; a rate its rate noun
    ("自治体全体の約7割を占める小規模な自治体は", "7割", "自治体全体の割合", "whole"),
    ("高齢化率(区分ごとの総人口に占める65歳以上の割合)は、全国平均を約10%上回っている。", "10%", "高齢化率", "rate"),
    # the measure a figure is given in
    ("これは薬物乱用者の通常使用量で約6,593万回分、末端価格にして約1,226億円に相当し", "1,226億円", "末端価格", "measure"),
    # the topic of the sentence
    ("我が国の漁業就業者数は一貫して減少傾向にあり、平成17(2005)年の23.8万人から", "23.8万人", "我が国の漁業就業者数", "topic"),
])
def test_concepts(nlp, text: str, surface: str, concept: str, method: str) -> None:
    assert concepts(nlp, text)[surface] == (concept, method)


@pytest.mark.parametrize("word", ["2015年", "年度現在", "その後", "市内", "合計", "約", "2013年度比"])
def test_time_scope_and_qualifier_words_are_never_concepts(word: str) -> None:
    assert clean(word) == ""


def test_other_items_keep_their_label(nlp) -> None:
    found = concepts(nlp, "（大人向け日本語講座延べ274名、世界お茶のみ話延べ378名ほか438名）")
    assert found["274名"][0] == "大人向け日本語講座"
    assert found["378名"][0] == "世界お茶のみ話"
    assert found["438名"][0] == "ほか"


def test_a_bracketed_aside_never_names_a_figure_outside_it(nlp) -> None:
    text = "分譲マンションのストック数は、2022年末時点で約694万戸(建築着工統計等をもとに国土交通省推計)に達し"
    assert concepts(nlp, text)["694万戸"][0] == "分譲マンションのストック数"
