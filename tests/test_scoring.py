"""scoring: pairing, P/R/F1 over required rows, attribute verdicts and the error report.

Frames are built by hand from real mentions of the つくば FY2023 table: gold rows carry the
columns of data/gold/gold_metrics_r5.csv, predictions the columns of metrics.csv.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.config import FIELDS, StagePaths
from pipeline.analysis.scoring import cell_sentences
from pipeline.rules.records import METRIC_COLUMNS
from pipeline.tables import files
from pipeline.analysis.scoring import (HALVES, Match, error_report, half_for, half_of, match_all, pair_cell, score,
                                       summarize)

GOLD_FILE = Path(__file__).resolve().parent.parent / "data" / "gold" / "gold_metrics_r5.csv"
GOLD_COLUMNS = list(pd.read_csv(GOLD_FILE, nrows=0).columns)


def gold(project_id: str, field: str, surface: str, start: int, value: str, unit: str, *,
         kind: str = "count", required: int = 1, qualifier: str = "", concept: str = "",
         concept_keys: str = "", parent_surface: str = "", delta_direction: str = "",
         delta_basis: str = "", occurrence: int = 1, period: str = "FY2023", period_text: str = "",
         period_source: str = "table", status: str = "actual") -> dict[str, str]:
    """One gold row with exactly the gold file's columns."""
    row = {"project_id": project_id, "field": field, "surface": surface, "occurrence": occurrence,
           "start": start, "end": start + len(surface), "value": value, "unit": unit, "kind": kind,
           "required": required, "qualifier": qualifier, "concept": concept,
           "concept_keys": concept_keys, "parent_surface": parent_surface,
           "delta_direction": delta_direction, "delta_basis": delta_basis, "period": period,
           "period_text": period_text, "period_source": period_source, "status": status}
    assert set(row) == set(GOLD_COLUMNS)
    return {k: str(row[k]) for k in GOLD_COLUMNS}


def pred(project_id: str, field: str, surface: str, start: int, value: str, unit: str, *,
         kind: str = "count", qualifier: str = "", concept: str = "", parent_id: str = "",
         delta_direction: str = "", sentence: str = "", metric_id: str = "", period: str = "FY2023",
         status: str = "actual") -> dict[str, str]:
    """One predicted row with exactly metrics.csv's columns."""
    row = dict.fromkeys(METRIC_COLUMNS, "")
    row.update({"metric_id": metric_id or mid(project_id, field, start), "fiscal_year": "2023",
                "project_id": project_id, "field": field, "sentence": sentence, "start": str(start),
                "end": str(start + len(surface)), "surface": surface, "value": value, "unit": unit,
                "kind": kind, "qualifier": qualifier, "concept": concept, "parent_id": parent_id,
                "delta_direction": delta_direction, "period": period, "status": status})
    assert list(row) == METRIC_COLUMNS
    return row


def as_pred(g: dict[str, str], **changes: str) -> dict[str, str]:
    """The prediction that agrees with gold row ``g`` in every judged field, then ``changes``."""
    base = dict(project_id=g["project_id"], field=g["field"], surface=g["surface"], start=int(g["start"]),
                value=g["value"], unit=g["unit"], kind=g["kind"], qualifier=g["qualifier"],
                concept=g["concept"], delta_direction=g["delta_direction"], period=g["period"],
                status=g["status"])
    base.update(changes)
    return pred(**base)  # type: ignore[arg-type]


def mid(project_id: str, field: str, start: int) -> str:
    """metric_id as the pipeline writes it."""
    return f"2023-{project_id}-{field}-{start}"


def gold_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=GOLD_COLUMNS)


def pred_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def run(golds: list[dict[str, str]], preds: list[dict[str, str]]) -> tuple[dict[str, float | int], list[Match]]:
    """Overall summary and pairings of predictions against gold."""
    scores, matches = score(pred_frame(preds), gold_frame(golds))
    return scores["overall"], matches  # type: ignore[return-value]


def matched(matches: list[Match]) -> list[Match]:
    return [m for m in matches if m.gold is not None and m.pred is not None]


def verdict(golds: list[dict[str, str]], preds: list[dict[str, str]], gold_start: int, attr: str) -> bool:
    """The verdict on ``attr`` for the gold row starting at ``gold_start`` (which must be matched)."""
    found = [m for m in matched(match_all(pred_frame(preds), gold_frame(golds)))
             if int(m.gold["start"]) == gold_start]  # type: ignore[index]
    assert len(found) == 1, f"gold row @{gold_start} was not matched"
    return found[0].verdicts[attr]


# 4/outcome: チャンネル登録者数が2,230人（昨年比600人増）となった。
G_2230 = gold("4", "outcome", "2,230人", 111, "2230", "人", concept="チャンネル登録者数", concept_keys="登録者")
G_600 = gold("4", "outcome", "600人", 121, "600", "人", kind="delta", concept="チャンネル登録者数",
             concept_keys="登録者", parent_surface="2,230人", delta_direction="increase", delta_basis="昨年比")
# 5/outcome: 職員向けの広報力向上セミナーを2回実施した。…2回合計161名が参加した。また、年間400件以上の…
G_5_2 = gold("5", "outcome", "2回", 15, "2", "回", concept="広報力向上セミナー実施回数",
              concept_keys="セミナー&回数|セミナー&実施数|セミナー&開催数")
G_161 = gold("5", "outcome", "161名", 82, "161", "名", qualifier="total", concept="セミナー参加者数",
             concept_keys="参加者")
G_400 = gold("5", "outcome", "400件", 97, "400", "件", qualifier="at_least",
             concept="チラシデザインチェック件数", concept_keys="チラシ|デザインチェック")
# 16/outcome: 要望等の対応数1,108件（うち…609件、40日以内の回答率48.9%）
G_1108 = gold("16", "outcome", "1,108件", 135, "1108", "件", concept="要望等の対応数",
                concept_keys="対応数|対応件数|要望&対応")
G_40 = gold("16", "outcome", "40日", 164, "40", "日", kind="duration", required=0, qualifier="at_most",
            concept="回答期限", concept_keys="回答&期限|回答&日数|回答&期間", status="rule")
G_489 = gold("16", "outcome", "48.9%", 173, "48.9", "%", kind="percent", concept="40日以内の回答率",
             concept_keys="回答率")
# 159/outcome: 庁内文書の翻訳件数：合計200件（英語141件、中国語39件、韓国 語10件、その他の言語10件）
G_159 = [
    gold("159", "outcome", "200件", 58, "200", "件", qualifier="total", concept="庁内文書の翻訳件数",
         concept_keys="翻訳"),
    gold("159", "outcome", "141件", 65, "141", "件", concept="庁内文書の翻訳件数（英語）",
         concept_keys="翻訳&英語|文書&英語", parent_surface="200件"),
    gold("159", "outcome", "39件", 73, "39", "件", concept="庁内文書の翻訳件数（中国語）",
         concept_keys="翻訳&中国語|文書&中国語", parent_surface="200件"),
    gold("159", "outcome", "10件", 81, "10", "件", concept="庁内文書の翻訳件数（韓国語）",
         concept_keys="翻訳&韓国|文書&韓国", parent_surface="200件"),
    gold("159", "outcome", "10件", 91, "10", "件", concept="庁内文書の翻訳件数（その他の言語）",
         concept_keys="翻訳&その他|文書&その他",
         parent_surface="200件", occurrence=2),
]
# 19/outcome: …自主防災組織活動育成事業補助金を16団体に交付（運営支援1団体、資機材10団体、防災士資格取得支援5団体）。
G_16 = gold("19", "outcome", "16団体", 143, "16", "団体", concept="自主防災組織活動育成事業補助金交付団体数",
            concept_keys="補助金|交付")
G_1 = gold("19", "outcome", "1団体", 155, "1", "団体", concept="自主防災組織活動育成事業補助金交付団体数（運営支援）",
           concept_keys="運営支援&補助|運営支援&交付|運営支援&助成",
           parent_surface="16団体")
G_10 = gold("19", "outcome", "10団体", 162, "10", "団体", concept="自主防災組織活動育成事業補助金交付団体数（資機材）",
            concept_keys="資機材&補助|資機材&交付|資機材&助成",
            parent_surface="16団体")


def test_gold_helper_matches_the_real_gold_file() -> None:
    """The hand-built rows are the real annotation (so the examples stay honest)."""
    real = pd.read_csv(GOLD_FILE, dtype=str, keep_default_na=False)
    real_rows = {tuple(r[c] for c in GOLD_COLUMNS) for r in real.to_dict("records")}
    for g in [G_2230, G_600, G_5_2, G_161, G_400, G_1108, G_40, G_489, *G_159, G_16, G_1, G_10]:
        assert tuple(g[c] for c in GOLD_COLUMNS) in real_rows, g


def test_exact_match_scores_perfectly() -> None:
    overall, matches = run([G_2230], [as_pred(G_2230)])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 0, 0)
    assert overall["precision"] == overall["recall"] == overall["f1"] == 1.0
    assert all(overall[f"{a}_accuracy"] == 1.0 for a in ("kind", "qualifier", "concept", "parent",
                                                          "delta_direction"))
    (m,) = matches
    assert m.gold is not None and m.pred is not None and all(m.verdicts.values())


def test_same_value_with_a_different_unit_is_no_match() -> None:
    overall, matches = run([G_161], [as_pred(G_161, unit="人", surface="161人")])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (0, 1, 1)
    assert not matched(matches)


def test_same_unit_with_a_different_value_is_no_match() -> None:
    overall, _ = run([G_161], [as_pred(G_161, value="160", surface="160名")])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (0, 1, 1)


def test_values_compare_as_numbers() -> None:
    overall, _ = run([G_161], [as_pred(G_161, value="161.0")])
    assert overall["tp"] == 1


def test_pairs_only_within_one_cell() -> None:
    """2,230人 of project 4 does not pair with the same 2,230人 of project 7, nor another field."""
    other_project = as_pred(G_2230, project_id="7", start=170)
    other_field = as_pred(G_2230, field="overview")
    overall, matches = run([G_2230], [other_project, other_field])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (0, 2, 1)
    assert not matched(matches)


def test_optional_gold_row_matched_by_a_prediction_is_ignored() -> None:
    """40日 (required=0) is predicted, with a wrong qualifier even: no TP, no FP, not judged."""
    preds = [as_pred(G_1108), as_pred(G_40, qualifier=""), as_pred(G_489)]
    overall, matches = run([G_1108, G_40, G_489], preds)
    assert (overall["tp"], overall["fp"], overall["fn"]) == (2, 0, 0)
    assert overall["precision"] == 1.0
    assert overall["qualifier_accuracy"] == 1.0
    assert [m.pred["surface"] for m in matched(matches) if m.gold["surface"] == "40日"] == ["40日"]  # type: ignore[index]


def test_optional_gold_row_missed_costs_nothing() -> None:
    overall, _ = run([G_1108, G_40, G_489], [as_pred(G_1108), as_pred(G_489)])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (2, 0, 0)
    assert overall["recall"] == 1.0


def test_required_row_missed_is_a_false_negative() -> None:
    overall, _ = run([G_1108, G_40, G_489], [as_pred(G_1108)])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 0, 1)


def _preds_159(concepts: dict[int, str]) -> list[dict[str, str]]:
    """Predictions for 159/outcome's breakdown, concepts by start, parents to 200件, reversed order."""
    total_id = mid("159", "outcome", 58)
    rows = [as_pred(g, concept=concepts.get(int(g["start"]), g["concept"]),
                    parent_id=total_id if g["parent_surface"] else "") for g in G_159]
    return rows[::-1]


def test_two_identical_counts_in_one_cell_pair_by_overlapping_offsets() -> None:
    """韓国 語10件 and その他の言語10件: same value and unit, each pairs with its own offsets."""
    matches = match_all(pred_frame(_preds_159({})), gold_frame(G_159))
    pairs = matched(matches)
    assert len(pairs) == len(G_159)
    assert all(m.gold["start"] == m.pred["start"] for m in pairs)  # type: ignore[index]
    assert all(m.verdicts["concept"] for m in pairs)
    assert summarize(matches)["concept_accuracy"] == 1.0


def test_swapped_concepts_of_the_two_10件_are_concept_errors_on_exactly_those_rows() -> None:
    swapped = _preds_159({81: "その他の言語", 91: "韓国語"})
    matches = match_all(pred_frame(swapped), gold_frame(G_159))
    pairs = matched(matches)
    assert all(m.gold["start"] == m.pred["start"] for m in pairs)  # type: ignore[index]
    wrong = sorted(int(m.gold["start"]) for m in pairs if not m.verdicts["concept"])  # type: ignore[index]
    assert wrong == [81, 91]
    assert all(m.verdicts[a] for m in pairs for a in ("kind", "qualifier", "parent", "delta_direction"))
    summary = summarize(matches)
    assert summary["tp"] == 5 and summary["concept_accuracy"] == round(3 / 5, 4)


def test_pairing_prefers_overlap_over_list_order_when_offsets_shift() -> None:
    """Predicted offsets one character off still pair with the overlapping gold row."""
    shifted = [as_pred(G_159[3], start=80), as_pred(G_159[4], start=90)]
    pairs = pair_cell([G_159[4], G_159[3]], shifted[::-1])
    assert {(int(m.gold["start"]), int(m.pred["start"])) for m in pairs if m.gold and m.pred} == {(81, 80), (91, 90)}


def test_pairing_prefers_the_overlapping_gold_row_to_the_nearest_one() -> None:
    """Synthetic offsets: the prediction lies inside a long gold range but starts nearer another row."""
    long_row = gold("159", "outcome", "1万件～1万2千件", 60, "10000", "件", qualifier="range")  # 60-69
    short_row = gold("159", "outcome", "1万件", 69, "10000", "件")                           # 69-72
    p = pred("159", "outcome", "2千件", 66, "10000", "件")  # 66-69: overlaps long, 3 from short
    assert abs(int(short_row["start"]) - 66) < abs(int(long_row["start"]) - 66)
    (pair, alone) = sorted(pair_cell([short_row, long_row], [p]), key=lambda m: m.pred is None)
    assert pair.gold is long_row and pair.pred is p
    assert alone.gold is short_row and alone.pred is None


@pytest.mark.parametrize("gold_kind, pred_kind, ok", [
    ("count", "count", True),
    ("count", "money", True),        # the rest is one class
    ("duration", "count", True),
    ("percent", "percent", True),
    ("delta", "delta", True),
    ("delta", "count", False),
    ("count", "delta", False),
    ("percent", "count", False),
    ("delta", "percent", False),
])
def test_kind_is_judged_by_class(gold_kind: str, pred_kind: str, ok: bool) -> None:
    g = {**G_161, "kind": gold_kind}
    assert verdict([g], [as_pred(g, kind=pred_kind)], 82, "kind") is ok


@pytest.mark.parametrize("gold_q, pred_q, ok", [
    ("total", "total", True),
    ("total,cumulative", "cumulative,total", True),
    ("approx,range", "range, approx", True),
    ("", "", True),
    ("total", "", False),
    ("", "approx", False),
    ("approx,range", "approx", False),
    ("at_least", "at_most", False),
])
def test_qualifier_is_an_exact_set(gold_q: str, pred_q: str, ok: bool) -> None:
    g = {**G_161, "qualifier": gold_q}
    assert verdict([g], [as_pred(g, qualifier=pred_q)], 82, "qualifier") is ok


@pytest.mark.parametrize("keys, concept, ok", [
    ("シェイクアウト|訓練|参加", "シェイクアウト訓練参加者数", True),
    ("シェイクアウト|訓練|参加", "参加", True),
    ("シェイクアウト|訓練|参加", "訓練参加団体", True),
    ("シェイクアウト|訓練|参加", "自主防災組織活動育成事業補助金", False),
    ("シェイクアウト|訓練|参加", "", False),
    ("登録者", "YouTubeチャンネル登録者数", True),
    ("YouTube", "ＹｏｕＴｕｂｅチャンネル登録者数", True),   # compared after NFKC
    ("韓国", "韓国 語", True),
    ("登録者", "チャンネル", False),
    # `&`: every term of one alternative (an item needs its label and its measure)
    ("支給額&第1子|給付額&第1子", "支給額（第1子）", True),
    ("支給額&第1子|給付額&第1子", "第1子", False),
    ("支給額&第1子|給付額&第1子", "支給額（第2子）", False),
    ("支給額&第1子|給付額&第1子", "給付額 第１子", True),
    ("国費率&(1)", "国費率", False),
    ("国費率&(1)", "(1)整備事業の国費率", True),
    ("翻訳&英語|文書&英語", "英語", False),
    (" 翻訳 & 英語 ||", "庁内文書の翻訳件数（英語）", True),   # blanks and empty alternatives ignored
    ("", "何でも", True),                                    # no keys: nothing to judge
    # a counter's spellings are one (the guidelines write ヶ/ケ/カ/箇 as か)
    ("開設&か所", "地域包括支援センターの開設箇所数", True),
    ("整備箇所", "整備ヶ所数", True),
    ("8か国", "8カ国語", True),
    ("か所", "整備数", False),
    ("カード", "カード発行枚数", True),                       # カ of a word stays
])
def test_concept_is_judged_by_key_terms(keys: str, concept: str, ok: bool) -> None:
    g = {**G_161, "concept_keys": keys}
    assert verdict([g], [as_pred(g, concept=concept)], 82, "concept") is ok


def _parent_case(parent_of_1: str) -> bool:
    preds = [as_pred(G_16), as_pred(G_10, parent_id=mid("19", "outcome", 143)),
             as_pred(G_1, parent_id=parent_of_1),
             pred("19", "outcome", "16団体", 300, "16", "団体", metric_id="other-16")]  # another 16
    return verdict([G_16, G_1, G_10], preds, 155, "parent")


def test_parent_right_when_it_points_at_the_total() -> None:
    assert _parent_case(mid("19", "outcome", 143)) is True


def test_parent_judged_by_the_total_value_not_the_id() -> None:
    assert _parent_case("other-16") is True


def test_parent_wrong_when_it_points_at_another_value() -> None:
    assert _parent_case(mid("19", "outcome", 162)) is False


def test_parent_wrong_when_missing() -> None:
    assert _parent_case("") is False


def test_parent_wrong_when_gold_has_none() -> None:
    preds = [as_pred(G_16, parent_id=mid("19", "outcome", 162)), as_pred(G_10)]
    assert verdict([G_16, G_10], preds, 143, "parent") is False
    assert verdict([G_16, G_10], [as_pred(G_16), as_pred(G_10)], 143, "parent") is True


@pytest.mark.parametrize("direction, ok", [("increase", True), ("decrease", False), ("", False)])
def test_delta_direction(direction: str, ok: bool) -> None:
    preds = [as_pred(G_2230), as_pred(G_600, delta_direction=direction, parent_id=mid("4", "outcome", 111))]
    assert verdict([G_2230, G_600], preds, 121, "delta_direction") is ok
    assert verdict([G_2230, G_600], preds, 111, "delta_direction") is True


def test_delta_with_its_parent_is_fully_right() -> None:
    preds = [as_pred(G_2230), as_pred(G_600, parent_id=mid("4", "outcome", 111))]
    overall, _ = run([G_2230, G_600], preds)
    assert overall["parent_accuracy"] == overall["kind_accuracy"] == overall["delta_direction_accuracy"] == 1.0


def test_precision_recall_f1_arithmetic() -> None:
    """19/outcome: five required counts, three found, one spurious: TP=3, FP=1, FN=2."""
    golds = [gold("19", "outcome", s, start, v, "回") for s, start, v in
             [("6回", 23, "6"), ("30回", 34, "30"), ("2回", 79, "2"), ("1回", 90, "1"), ("1回", 106, "1")]]
    spurious = pred("19", "outcome", "96団体", 111, "96", "団体")
    overall, _ = run(golds, [as_pred(golds[0]), as_pred(golds[1]), as_pred(golds[2]), spurious])
    assert (overall["tp"], overall["fp"], overall["fn"]) == (3, 1, 2)
    assert overall["precision"] == 0.75
    assert overall["recall"] == 0.6
    assert overall["f1"] == round(2 * 0.75 * 0.6 / (0.75 + 0.6), 4) == 0.6667


def test_scores_by_field() -> None:
    scores, _ = score(pred_frame([as_pred(G_2230), as_pred(G_1108, field="overview")]),
                      gold_frame([G_2230, G_1108]))
    by_field = scores["by_field"]
    assert set(by_field) == {"outcome", "overview"}  # type: ignore[arg-type]
    assert by_field["outcome"]["tp"] == 1 and by_field["outcome"]["fn"] == 1  # type: ignore[index]
    assert by_field["overview"]["fp"] == 1 and by_field["overview"]["tp"] == 0  # type: ignore[index]


def test_no_predictions_scores_zero_without_dividing_by_zero() -> None:
    overall, _ = run([G_2230], [])
    assert (overall["tp"], overall["fn"], overall["precision"], overall["recall"], overall["f1"]) == (0, 1, 0, 0, 0)


# --------------------------------------------------------------------------- error report

def _report_items(report: str, heading: str) -> list[str]:
    """The bullet items (with their quoted context line) under a ``## heading (n)`` section."""
    m = re.search(rf"^## {re.escape(heading)} \((\d+)\)\n\n(.*?)(?=^## |\Z)", report, re.S | re.M)
    assert m, f"no section {heading!r} in:\n{report}"
    body = m.group(2).strip()
    items = [] if body == "(none)" else re.split(r"\n(?=- )", body)
    assert len(items) == int(m.group(1))
    return items


def test_error_report_lists_missed_spurious_and_wrong_rows_with_sentences() -> None:
    s1 = "職員向けの広報力向上セミナーを2回実施した。"
    s3 = "また、年間400件以上のチラシデザインチェックを実施するとともに、…"
    s2 = "第1回は昨年3月にリニューアルした市ホームページの活用・運用方法の紹介、…"
    spurious = pred("5", "outcome", "1回", 23, "1", "回", sentence=s2)  # the ordinal of 第1回
    preds = [as_pred(G_161), as_pred(G_400, qualifier="", sentence=s3), spurious]
    _, matches = run([G_5_2, G_161, G_400, G_40], preds)
    report = error_report("2023", matches, {("5", "outcome", 15): s1, ("16", "outcome", 164): "要望等の対応数…"})
    assert report.startswith("# Errors: 2023")
    (missed,) = _report_items(report, "Missed (false negatives)")
    assert "`2回`" in missed and "5/outcome @15" in missed and f"> {s1}" in missed
    (fp,) = _report_items(report, "Spurious (false positives)")
    assert "`1回`" in fp and "5/outcome @23" in fp and f"> {s2}" in fp
    (wrong,) = _report_items(report, "Wrong attributes")
    assert "`400件`" in wrong and "qualifier: gold='at_least' pred=''" in wrong and s3 in wrong
    assert "40日" not in report, "an optional row missed is not an error"


def test_error_report_quotes_each_missed_row_in_its_own_sentence(tsukuba_cells: dict[tuple[str, str], str]) -> None:
    """As evaluate_all builds it: two missed rows of 5/outcome sit in different sentences."""
    projects = pd.DataFrame([{"project_id": "5", **{f: tsukuba_cells[("5", f)] for f in FIELDS}}])
    golds = gold_frame([G_5_2, G_400])
    _, matches = score(pred_frame([]), golds)
    report = error_report("2023", matches, cell_sentences(projects, golds))
    items = _report_items(report, "Missed (false negatives)")
    assert len(items) == 2
    for item in items:
        surface = re.match(r"- `([^`]+)`", item).group(1)  # type: ignore[union-attr]
        context = item.split("\n  > ", 1)[1]
        assert surface in context, f"missed {surface} is quoted with another row's sentence: {context!r}"


def test_period_and_status_are_judged_where_the_gold_has_them() -> None:
    overall, _ = run([G_2230, G_161], [as_pred(G_2230, period="FY2022"), as_pred(G_161, status="target")])
    assert (overall["period_accuracy"], overall["status_accuracy"]) == (0.5, 0.5)
    no_period = {k: v for k, v in G_2230.items() if k not in ("period", "status")}
    overall, _ = run([no_period], [as_pred(G_2230)])
    assert "period_accuracy" not in overall and overall["concept_accuracy"] == 1.0


def test_halves_split_whole_projects_the_same_way_every_time() -> None:
    ids = [str(i) for i in range(400)]
    first = [half_of(i, "salt-a") for i in ids]
    assert first == [half_of(i, "salt-a") for i in ids]
    assert 150 < first.count("blind") < 250                 # about half, not all on one side
    assert first != [half_of(i, "salt-b") for i in ids]      # the salt chooses the split


def test_each_half_is_scored_on_its_own_projects() -> None:
    """Project 4 all right, project 16 with a miss: each half's counts are its projects' counts."""
    half = {"4": "dev", "16": "blind"}.__getitem__
    scores, _ = score(pred_frame([as_pred(G_2230), as_pred(G_600), as_pred(G_1108)]),
                      gold_frame([G_2230, G_600, G_1108, G_489]), half)
    dev, blind, overall = scores["dev"], scores["blind"], scores["overall"]
    assert (dev["tp"], dev["fn"], dev["recall"]) == (2, 0, 1.0)                  # type: ignore[index]
    assert (blind["tp"], blind["fn"], blind["recall"]) == (1, 1, 0.5)            # type: ignore[index]
    assert overall["tp"] == dev["tp"] + blind["tp"]                               # type: ignore[index]


def test_a_set_listed_whole_is_not_split() -> None:
    evaluation = {"halves_salt": "s", "whole": ["tsukuba_2023"]}
    assert half_for("tsukuba_2023", evaluation) is None
    split = half_for("eval_rs2024_sample", evaluation)
    assert split is not None and split("110") == half_of("110", "s")


def test_evaluate_keeps_the_blind_errors_apart(tmp_path: Path, tsukuba_cells: dict[tuple[str, str], str]) -> None:
    """The stage writes dev errors where rules are worked on, blind ones under reports/blind."""
    from pipeline.stages import evaluate

    pids = ("5", "16")
    params = {"eval_sets": {"demo": {"gold": "gold.csv"}}, "evaluation": {"halves_salt": "s"}}
    halves = {pid: half_of(pid, "s") for pid in pids}
    paths = StagePaths.for_eval_set("demo", tmp_path)
    files.write_csv(pd.DataFrame([{"project_id": p, **{f: tsukuba_cells[(p, f)] for f in FIELDS}} for p in pids]),
                    paths.projects)
    files.write_csv(pred_frame([]), paths.output("metrics"))
    files.write_csv(gold_frame([G_5_2, G_1108]), tmp_path / "gold.csv")
    results = evaluate.run(tmp_path / "eval.json", tmp_path / "reports", params, root=tmp_path)
    assert {h: results["eval_demo"][h]["fn"] for h in HALVES} == {
        h: sum(halves[p] == h for p in pids) for h in HALVES}
    dev_report = (tmp_path / "reports" / "errors_eval_demo.md").read_text(encoding="utf-8")
    blind_report = (tmp_path / "reports" / "blind" / "errors_eval_demo.md").read_text(encoding="utf-8")
    for pid, surface in (("5", "`2回`"), ("16", "`1,108件`")):
        assert (surface in dev_report, surface in blind_report) == (halves[pid] == "dev", halves[pid] == "blind")
    assert "do not read" in blind_report
