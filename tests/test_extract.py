"""Records of one cell: metrics with offsets into the original text, entities, trends, QA."""

from __future__ import annotations

import pytest

from pipeline.rules.records import METRIC_COLUMNS, extract_cell
from pipeline.text.textnorm import normalize

CONTEXT = {"fiscal_year": 2023, "project_id": "159", "project_name": "外国人生活支援事業",
           "bureau": "市長公室", "division": "国際都市推進課", "field": "outcome"}
OUTCOME_159 = ("外国人相談窓口件数計：1,285件（英語968件、中国語119件、 その他の言語198件） "
               "庁内文書の翻訳件数：合計200件（英語141件、中国語39件、韓国 語10件、その他の言語10件） "
               "外国語広報紙（8言語）発行計：年4回で15,835部")


def records(nlp, text: str, **context: object):
    return extract_cell(nlp(normalize(text).text), text, {**CONTEXT, **context})


def test_every_metric_points_back_into_the_original_cell(nlp) -> None:
    out = records(nlp, OUTCOME_159)
    assert len(out.metrics) == 12
    for m in out.metrics:
        assert set(m) == set(METRIC_COLUMNS)
        assert OUTCOME_159[m["start"]:m["end"]] == m["surface"]
        assert m["surface"] in m["sentence"]
    ids = [m["metric_id"] for m in out.metrics]
    assert len(set(ids)) == len(ids)
    by_surface = {m["surface"]: m for m in out.metrics}
    assert by_surface["968件"]["parent_id"] == by_surface["1,285件"]["metric_id"]
    assert by_surface["15,835部"]["qualifier"] == "total"


def test_delta_takes_its_parent_concept_and_prior(nlp) -> None:
    text = ("また、市民に市政情報を分かりやすく伝えるため、YouTubeかわら版チャンネルで動画発信を行った結果、"
            "チャンネル登録者数が2,230人（昨年比600人増）となった。")
    metrics = {m["surface"]: m for m in records(nlp, text, project_id="4").metrics}
    delta = metrics["600人"]
    assert (delta["kind"], delta["concept"], delta["prior_value"]) == ("delta", "チャンネル登録者数", "1630")
    assert delta["parent_id"] == metrics["2,230人"]["metric_id"] == f"2023-4-outcome-{text.index('2,230人')}"


def test_breakdown_that_does_not_add_up_goes_to_qa(nlp) -> None:
    out = records(nlp, "外国人相談窓口件数計：1,300件（英語968件、中国語119件、その他の言語198件）")
    assert [q["check"] for q in out.qa] == ["breakdown_sum"]
    assert len(out.metrics) == 4  # reported, never dropped


def test_dates_become_normalised_entities(nlp) -> None:
    text = "令和5年度に開所したコリドイオ内の国際交流拠点において、R6/2/3に式典を行った（3/21）。"
    dates = {e["surface"]: e["normalized"] for e in records(nlp, text).entities if e["label"] == "Date"}
    assert dates["令和5年度"] == "FY2023"
    assert dates["R6/2/3"] == "2024-02-03"
    assert dates["3/21"] == "--03-21"
    assert records(nlp, text).metrics == []


def test_trend_without_a_figure(nlp) -> None:
    text = "・後援名義の申請件数は増加し、新型コロナウイルス感染症前の件数に戻りつつある。"
    trends = records(nlp, text, project_id="3").trends
    assert [(t["concept"], t["direction"], t["evidence"]) for t in trends] == [("後援名義の申請件数", "increase", "増加")]
    assert text[trends[0]["start"]:trends[0]["end"]] == "増加"


def test_direction_word_of_a_delta_is_not_a_trend(nlp) -> None:
    text = "摘発件数は815件と前年比22%減少した。"
    out = records(nlp, text)
    assert out.trends == []
    assert [m["kind"] for m in out.metrics] == ["count", "delta"]


def test_parse_of_other_text_is_rejected(nlp) -> None:
    with pytest.raises(ValueError, match="does not match"):
        extract_cell(nlp("別の文章"), "定員335名", CONTEXT)


def test_a_cell_that_fails_is_reported_and_the_others_still_extracted(nlp, monkeypatch) -> None:
    import pandas as pd

    from pipeline.rules import records as extract

    texts = {"1": "定員335名に対し310名ほど", "2": "計：1,285件"}
    projects = pd.DataFrame([{**CONTEXT, "project_id": pid, "purpose": "", "overview": "", "outcome": t}
                             for pid, t in texts.items()])
    docs = []
    for pid, text in texts.items():
        doc = nlp(normalize(text).text)
        doc.user_data["cell"] = [pid, "outcome"]
        docs.append(doc)
    real = extract.extract_cell

    def flaky(doc, original, context):
        if context["project_id"] == "1":
            raise ValueError("boom")
        return real(doc, original, context)

    monkeypatch.setattr(extract, "extract_cell", flaky)
    tables = extract.extract_all(projects, docs)
    assert list(tables["metrics"]["surface"]) == ["1,285件"]
    qa = tables["qa"]
    assert list(qa["check"]) == ["extraction_error"] and list(qa["project_id"]) == ["1"]
    assert "boom" in qa["message"].iloc[0]


def test_an_aim_is_not_a_trend_and_a_tendency_names_its_subject(nlp) -> None:
    for aim in ("後援による市民への信頼性の確保と公共の福祉の向上を図る。",
                "「伝わる」広報内容の作成等の広報力を向上させるとともに、市のブランドイメージの向上を図る。"):
        assert records(nlp, aim).trends == []
    text = "周辺地域へ目を向けてもらうための取組みを行い、人口が減少傾向にある周辺地域へ人の流れを作り出す。"
    trends = records(nlp, text).trends
    assert [(t["concept"], t["direction"], t["evidence"]) for t in trends] == [("人口", "decrease", "減少傾向")]
