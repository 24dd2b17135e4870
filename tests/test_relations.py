"""Breakdowns, subsets and deltas linked to the figures they belong to, on real sentences."""

from __future__ import annotations

from decimal import Decimal

from pipeline.rules.components import annotate, tokens_of
from pipeline.rules.quantities import find_quantities
from pipeline.rules.relations import Relations, link
from pipeline.text.textnorm import normalize


def linked(nlp, text: str) -> tuple[dict[str, str], Relations, list[str]]:
    """child surface → parent surface, the relations, and the surfaces in order."""
    norm = normalize(text)
    rel = annotate(nlp(norm.text), text)._.relations
    surfaces = [norm.original_span_text(q.start, q.end) for q in rel.quantities]
    return {surfaces[c]: surfaces[p] for c, p in rel.parent.items()}, rel, surfaces


def test_parts_in_brackets_after_a_total(nlp) -> None:
    parents, rel, _ = linked(nlp, "外国人相談窓口件数計：1,285件（英語968件、中国語119件、 その他の言語198件）")
    assert parents == {"968件": "1,285件", "119件": "1,285件", "198件": "1,285件"}
    assert rel.findings == []


def test_bracket_after_the_verb_of_the_total(nlp) -> None:
    parents, _, _ = linked(nlp, "自主防災組織活動育成事業補助金を16団体に交付（運営支援1団体、資機材10団体、"
                                "防災士資格取得支援5団体）。")
    assert parents == {"1団体": "16団体", "10団体": "16団体", "5団体": "16団体"}


def test_figures_of_other_units_in_brackets_are_not_parts(nlp) -> None:
    parents, _, _ = linked(nlp, "シェイクアウト訓練を1回実施（96団体 42,444名参加）。")
    assert parents == {}


def test_bracket_in_another_clause_is_not_a_breakdown(nlp) -> None:
    parents, _, _ = linked(nlp, "畜産物輸出実績は1,008億円と過去最高となったが、輸出目標(牛肉3,600億円、豚肉60億円)の達成に向け")
    assert parents == {}


def test_subset_after_uchi_and_x_of_y(nlp) -> None:
    parents, _, _ = linked(nlp, "要望等の対応数1,108件（うち文書等による回答を要するものは609件、40日以内の回答率48.9%）")
    assert parents == {"609件": "1,108件"}
    parents, _, _ = linked(nlp, "受験者19人中12人が合格した。")
    assert parents == {"12人": "19人"}
    parents, _, _ = linked(nlp, "現状、毎年約6000人程度が参加しており、その内新規招致者が約2000人程度である。")
    assert parents == {"2000人": "6000人"}


def test_parts_that_do_not_add_up_are_a_finding_not_a_drop(nlp) -> None:
    parents, rel, surfaces = linked(nlp, "相談件数計：1,300件（英語968件、中国語119件、その他の言語198件）")
    assert len(parents) == 3 and len(surfaces) == 4
    assert [f["check"] for f in rel.findings] == ["breakdown_sum"]
    assert "1285" in rel.findings[0]["message"] and "1300" in rel.findings[0]["message"]


def test_shares_of_one_cost_are_no_breakdown_to_add_up(nlp) -> None:
    """補助率:1/3(都道府県1/3、対象施設1/3): each party's share of a cost, not parts of 1/3."""
    _, rel, _ = linked(nlp, "/補助率:1/3(都道府県1/3、対象施設1/3)/")
    assert [f["check"] for f in rel.findings] == []


def test_delta_parent_and_prior_value(nlp) -> None:
    parents, rel, surfaces = linked(nlp, "チャンネル登録者数が2,230人（昨年比600人増）となった。")
    assert parents == {"600人": "2,230人"}
    assert rel.prior_value[surfaces.index("600人")] == Decimal(1630)


def test_relative_delta_before_its_value(nlp) -> None:
    parents, rel, surfaces = linked(nlp, "2023年の畜産物輸出実績は、前年比4%増の1,008億円と過去最高となった。")
    assert parents == {"4%": "1,008億円"}
    assert rel.prior_value[surfaces.index("4%")] == Decimal("96923076923.08")  # 1,008億円 / 1.04


def test_delta_skips_the_figure_compared_against(nlp) -> None:
    parents, _, _ = linked(nlp, "最近10年間の平均発生回数(約330回)は、最初の10年間の平均発生回数(約226回)と比べて"
                                "約1.5倍に増加している。")
    assert parents == {"1.5倍": "330回"}


def test_total_moves_off_a_rate(nlp) -> None:
    text = "外国語広報紙（8言語）発行計：年4回で15,835部"
    found = find_quantities(normalize(text).text, tokens_of(nlp(normalize(text).text)))
    rel = link(normalize(text).text, found)
    assert [q.qualifier for q in found] == ["", "total", ""], "link must not change the figures it is given"
    assert [(q.value, q.qualifier) for q in rel.quantities] == [
        (Decimal(8), ""), (Decimal(4), ""), (Decimal(15835), "total")]


def test_consistency_findings(nlp) -> None:
    _, rel, _ = linked(nlp, "要望等の対応数1,108件（うち文書等による回答を要するものは1,609件）")
    assert [f["check"] for f in rel.findings] == ["subset_exceeds_total"]
    _, rel, _ = linked(nlp, "参加者は200人（前年比300人増）となった。")
    assert [f["check"] for f in rel.findings] == ["negative_prior"]
    _, rel, _ = linked(nlp, "達成率は120%となった。")
    assert [f["check"] for f in rel.findings] == ["percent_over_100"]


def test_changes_after_sorezore_pair_in_order(nlp) -> None:
    parents, rel, surfaces = linked(nlp, "2023年の特殊詐欺の認知件数は19,038件、被害額は452.6億円と、前年に比べてそれぞれ"
                                         "8.4%、22.0%の増加となっている。")
    assert parents == {"8.4%": "19,038件", "22.0%": "452.6億円"}
    prior = {surfaces[i]: v for i, v in rel.prior_value.items()}
    assert prior == {"8.4%": Decimal("17562.73"), "22.0%": Decimal("37098360655.74")}  # 452.6億円 ÷ 1.22, in yen


def test_a_change_in_points_qualifies_the_rate_before_it(nlp) -> None:
    parents, rel, surfaces = linked(nlp, "2023年度平均の有効求人倍率は1.29倍と、前年度に比べ0.02ポイント低下したものの、"
                                         "雇用情勢は緩やかに持ち直している。")
    assert parents == {"0.02ポイント": "1.29倍"}
    assert {surfaces[i]: v for i, v in rel.prior_value.items()} == {"0.02ポイント": Decimal("1.31")}


def test_a_bracket_from_to_after_a_change_holds_its_figure(nlp) -> None:
    parents, rel, surfaces = linked(nlp, "1農業算出額は同水準(約9兆円)、農地面積は約1割減少(483万ha→437万ha)/")
    assert parents == {"1割": "437万ha"}


def test_classes_of_a_total_marked_naka_are_its_parts_and_their_sum_is_not_checked(nlp) -> None:
    # 神戸市 H25 (庁舎管理): one total over two groups of classes, flattened from a table
    parents, rel, _ = linked(nlp, "【他都市の状況】政令指定都市 20都市中 （本庁） ・全部直営 5都市 ・全部委託 15都市 "
                                  "（区役所） ・全部直営 4都市 ・全部委託 16都市 【課題認識】職員は3名である。")
    assert parents == {"5都市": "20都市", "15都市": "20都市", "4都市": "20都市", "16都市": "20都市"}
    assert rel.findings == []


def test_a_total_marked_naka_ends_at_its_sentence_and_at_a_larger_figure(nlp) -> None:
    parents, _, _ = linked(nlp, "政令市20都市中、直営は5都市、委託は15都市であった。全国では30都市が委託している。")
    assert parents == {"5都市": "20都市", "15都市": "20都市"}
