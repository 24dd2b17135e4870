"""Metric mentions in real sentences: values, units, qualifiers, ranges, periods, deltas, non-metrics."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.rules.components import annotate, tokens_of
from pipeline.rules.quantities import Quantity, Tokens, find_quantities
from pipeline.text.textnorm import normalize


def find(nlp, text: str) -> list[tuple[str, Quantity]]:
    """(original surface, quantity) for every mention in ``text``."""
    norm = normalize(text)
    found = find_quantities(norm.text, tokens_of(nlp(norm.text)))
    return [(norm.original_span_text(q.start, q.end), q) for q in found]


def one(nlp, text: str, surface: str) -> Quantity:
    matches = [q for s, q in find(nlp, text) if s == surface]
    assert len(matches) == 1, f"{surface!r} in {[s for s, _ in find(nlp, text)]}"
    return matches[0]


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("チャンネル登録者数が2,230人（昨年比600人増）となった。", "2,230人", "2230", "人"),
    ("外国人相談窓口件数計：１，２８５件", "１，２８５件", "1285", "件"),
    ("40日以内の回答率48.9%", "48.9%", "48.9", "%"),
    ("引き続き2万人の3食3日分程度の備蓄を維持した。", "2万人", "20000", "人"),
    ("市内に三千人が集まった。", "三千人", "3000", "人"),
    ("総事業費は1億2,345万円である。", "1億2,345万円", "123450000", "円"),
    ("留学生数は1万6,298件であった。", "1万6,298件", "16298", "件"),
    ("事業費850千円を支出した。", "850千円", "850000", "円"),
    ("対象者の約9割が参加した。", "9割", "90", "%"),
    ("つくばインターナショナルスクールの生徒数は、定員335名に対し31 0名ほどで", "31 0名", "310", "名"),
    ("面積は167.05ｋ㎡である。", "167.05ｋ㎡", "167.05", "km2"),
    ("留学生交流員を委嘱し、8ヶ国語の外国語広報紙を発行", "8ヶ国語", "8", "か国語"),
    ("避難所を３ヶ所開設した。", "３ヶ所", "3", "か所"),
    ("浄化槽（５人槽）を設置", "５人槽", "5", "人槽"),
])
def test_values_and_units(nlp, text: str, surface: str, value: str, unit: str) -> None:
    q = one(nlp, text, surface)
    assert q.value == Decimal(value)
    assert q.unit == unit


def test_people_counters_share_a_category(nlp) -> None:
    found = dict(find(nlp, "シェイクアウト訓練を1回実施（96団体 42,444名参加）。参加者は2,000人。"))
    assert found["42,444名"].unit_category == found["2,000人"].unit_category == "people"
    assert found["96団体"].unit_category == "organizations"


def test_wrapped_digits_join_but_separate_figures_stay_apart(nlp) -> None:
    surfaces = [s for s, _ in find(nlp, "シェイクアウト訓練を1回実施（96団体 42,444名参加）。")]
    assert surfaces == ["1回", "96団体", "42,444名"]


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("当該事業にかかる経費の1/3以内を補助。", "1/3", "0.333333"),
    ("補助率２／３で交付する。", "２／３", "0.666667"),
    ("負担は3分の1とする。", "3分の1", "0.333333"),
])
def test_fractions_are_ratios(nlp, text: str, surface: str, value: str) -> None:
    q = one(nlp, text, surface)
    assert (q.kind, q.value) == ("ratio", Decimal(value))


@pytest.mark.parametrize(("text", "surface", "qualifier"), [
    ("2回合計161名が参加した。", "161名", "total"),
    ("年間400件以上のチラシデザインチェックを実施", "400件", "at_least"),
    ("つくば市国際交流協会主催事業：延べ2,040名", "2,040名", "cumulative"),
    ("市の人口は約24万人である。", "24万人", "approx"),
    ("参加者はおよそ300人。", "300人", "approx"),
    ("概ね3日間程度の物資を確保する。", "3日間", "approx"),
    ("補助金は上限10万円とする。", "10万円", "at_most"),
    ("40日以内の回答率", "40日", "at_most"),
    ("18歳未満の子ども", "18歳", "less_than"),
    ("1,000人を超える来場", "1,000人", "more_than"),
    ("5人以下の世帯", "5人", "at_most"),
    ("生徒数は310名ほどで", "310名", "approx"),
    ("参加者は100人前後であった。", "100人", "approx"),
    ("要望等の対応数1,108件（うち文書等による回答を要するものは609件）", "609件", "subset"),
    ("延べ約500人が参加", "500人", "approx,cumulative"),
])
def test_qualifiers_before_and_after(nlp, text: str, surface: str, qualifier: str) -> None:
    norm = normalize(text)
    # うち scopes are resolved with the other figures of the text, by the relations step
    quantities = annotate(nlp(norm.text), text)._.relations.quantities
    q = next(q for q in quantities if norm.original_span_text(q.start, q.end) == surface)
    assert q.qualifier == qualifier


def test_qualifier_words_inside_other_words_do_not_count(nlp) -> None:
    q = one(nlp, "施設の設計2件を発注した。", "2件")
    assert q.qualifier == ""


@pytest.mark.parametrize(("text", "surface", "low", "high", "unit"), [
    ("浄化槽を3〜5か所に設置", "3〜5か所", "3", "5", "か所"),
    ("合併処理浄化槽（６～７人槽）", "６～７人槽", "6", "7", "人槽"),
    ("補助額は8,101千円～11,877千円", "8,101千円～11,877千円", "8101000", "11877000", "円"),
    ("派遣人数は年12-13人にとどまっている。", "12-13人", "12", "13", "人"),
    ("授与件数は年間200件から300件程度で推移", "200件から300件", "200", "300", "件"),
])
def test_ranges_are_one_mention(nlp, text: str, surface: str, low: str, high: str, unit: str) -> None:
    q = one(nlp, text, surface)
    assert (q.value, q.value_max, q.unit) == (Decimal(low), Decimal(high), unit)
    assert "range" in q.qualifiers


@pytest.mark.parametrize(("text", "ranges"), [
    ("年間合計600万1,200万トン", [("6000000", "12000000")]),  # a 〜 lost in PDF extraction
    ("予算は5万万円", []),        # a doubled multiplier is no numeral, so no range either
    ("対象は0億億人", []),
    ("600万5万トン", []),         # descending parts are no lost 〜
])
def test_glued_numerals_give_a_range_only_when_it_rises(text: str, ranges: list[tuple[str, str]]) -> None:
    every = frozenset(range(len(text) + 1))
    found = find_quantities(text, Tokens(every, every, every))
    assert [(str(q.value), str(q.value_max)) for q in found if q.value_max is not None] == ranges


def test_from_to_change_is_two_figures_not_a_range(nlp) -> None:
    surfaces = [s for s, _ in find(nlp, "従事者数は240万人から136万人に半減している。")]
    assert surfaces == ["240万人", "136万人"]


@pytest.mark.parametrize(("text", "surface", "per"), [
    ("外国語広報紙（8言語）発行計：年4回で15,835部", "4回", "年"),
    ("年間400件以上のチラシデザインチェックを実施", "400件", "年"),
    ("1頭当たり400円を補助する。", "400円", "頭"),
    ("使用料は１ヶ月3,500円とする。", "3,500円", "月"),
    ("毎月2回開催した。", "2回", "月"),
    ("被害は、年平均で約1,600箇所", "1,600箇所", "年"),
    ("定率補助1/2上限10百万円/件", "10百万円", "件"),
])
def test_periods_and_bases(nlp, text: str, surface: str, per: str) -> None:
    assert one(nlp, text, surface).per == per


def test_per_base_is_not_a_mention(nlp) -> None:
    assert [s for s, _ in find(nlp, "使用料は１ヶ月3,500円とする。")] == ["3,500円"]


@pytest.mark.parametrize(("text", "surface", "direction", "basis", "unit"), [
    ("チャンネル登録者数が2,230人（昨年比600人増）となった。", "600人", "increase", "昨年比", "人"),
    ("歳入は前年度比14.7%増となった。", "14.7%", "increase", "前年度比", "%"),
    ("予算額は前年度に比べ48,995千円(20.6%)増加した。", "48,995千円", "increase", "前年度に比べ", "円"),
    ("予算額は前年度に比べ48,995千円(20.6%)増加した。", "20.6%", "increase", "前年度に比べ", "%"),
    ("摘発件数は815件と前年比22%減少した。", "22%", "decrease", "前年比", "%"),
    ("利用者は対前年度比で約9割減となった。", "9割", "decrease", "対前年度比", "%"),
    ("押収量は約1,978キロと前年比約3倍と大幅に増加", "3倍", "increase", "前年比", "倍"),
    ("見直しにより人員を削減した（労務職員▲25人）。", "25人", "decrease", "", "人"),   # ▲ marks a reduction
    ("26年度予算で△1.7億円の効果額を見込んでいる。", "1.7億円", "decrease", "", "円"),
])
def test_deltas(nlp, text: str, surface: str, direction: str, basis: str, unit: str) -> None:
    q = one(nlp, text, surface)
    assert (q.kind, q.delta_direction, q.delta_basis, q.unit) == ("delta", direction, basis, unit)


def test_multiple_against_another_group_is_a_ratio(nlp) -> None:
    q = one(nlp, "死傷年千人率は全産業平均の2.3と比較し約10倍となっている。", "10倍")
    assert (q.kind, q.delta_direction) == ("ratio", "")


def test_level_reached_is_not_a_change(nlp) -> None:
    q = one(nlp, "受入数は2019年には約31万人に増加した。", "31万人")
    assert q.kind == "count"


@pytest.mark.parametrize("text", [
    "令和5年度に開所したコリドイオ内の国際交流拠点",
    "韓国大田広域市副市長による副市長表敬訪問（3/21）",
    "中学生が韓国大田広域市を訪問（7 /27-30）",
    "2050年カーボンニュートラルの実現",
    "第1回は昨年3月にリニューアルした市ホームページの紹介",
    "第2次つくば市グローバル化基本指針の推進",
    "① 相談窓口の運営 ② 翻訳",
    "14条地図の作成",
    "中国深セン市CHTF 2023に出展",
    "姉妹都市提携10周年記念式典",
    "職員一人ひとりが市民の求める情報を把握する",
    "資機材購入の一部補助等を行う",
    "二十歳のつどいを開催",
    "２回目の訪問を行った",
    "R6/2/3に実施",
])
def test_not_metrics(nlp, text: str) -> None:
    assert find(nlp, text) == []


def test_indicator_names_are_not_figures(nlp) -> None:
    surfaces = [s for s, _ in find(nlp, "1時間降水量50mm以上の発生回数は約330回、死傷年千人率は23.5である。")]
    assert surfaces == ["50mm", "330回"]


@given(st.text(alphabet="0123456789,.〇一二三四五六七八九十百千万億兆年度月日人件回%割〜~-/約延べ計うち以上未満程度（）、。比増減倍 ",
               max_size=40))
def test_scanner_never_fails_and_stays_inside_the_text(text: str) -> None:
    """Any string of digits, counters and qualifier words: no exception, spans inside the text."""
    every = frozenset(range(len(text) + 1))
    for q in find_quantities(text, Tokens(every, every, every)):
        assert 0 <= q.start < q.end <= len(text)
        assert q.value_max is None or q.value_max > q.value


def test_numbers_that_go_on_a_numbered_list_are_no_figures(nlp) -> None:
    # 行政事業レビュー 2024, こども家庭庁 (児童虐待防止対策等総合支援事業): items 10, 11, 25, 26 of a list
    text = ("➀児童虐待防止対策支援事業、2ヤングケアラー支援体制強化事業、10児童家庭支援センター運営等事業、"
            "11基幹的職員研修事業、24児童養護施設退所者等に対する自立支援資金貸付事業、25社会的養護自立支援実態把握事業、"
            "26地域障害児支援体制強化事業、相談件数は10件、11件と推移した。")
    assert [s for s, _ in find(nlp, text)] == ["10件", "11件"]
