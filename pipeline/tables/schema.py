"""What every column of every output table means: the one place analysts' labels live.

The XLSX workbook takes its Japanese headers, sheet names and データ定義 sheet from here,
the export stage its column types, and ``docs/data_dictionary.md`` is generated from it
(``python -m pipeline.tables.schema > docs/data_dictionary.md``), so the three never disagree.
Tests check that these definitions name exactly the columns the stages write.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from pipeline import resources

#: Column types: how the export stage stores a column and what the data dictionary calls it.
TYPES = {"text": "文字列", "integer": "整数", "number": "数値", "boolean": "真偽値"}


@dataclass(frozen=True)
class Column:
    """One column. In ``name`` and ``label`` a ``{period}`` stands for a period (FY2023, 2023)."""

    name: str
    label: str
    type: str
    description: str
    example: str

    def pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.name).replace(r"\{period\}", r"(?P<period>(?:FY)?\d{4})") + "$")

    def for_name(self, name: str) -> Column | None:
        """This column resolved for ``name`` (value_FY2024 → FY2024の値), or None if not it."""
        m = self.pattern().match(name)
        if not m:
            return None
        period = m.groupdict().get("period")
        return Column(name, self.label.format(period=period), self.type, self.description,
                      self.example) if period else self


@dataclass(frozen=True)
class Table:
    name: str
    sheet: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """Column names in order; a ``{period}`` column is left out (its periods depend on the data)."""
        return [c.name for c in self.columns if "{period}" not in c.name]

    def column(self, name: str) -> Column:
        for c in self.columns:
            resolved = c.for_name(name)
            if resolved is not None:
                return resolved
        raise KeyError(f"{self.name} has no column {name!r}; define it in pipeline/schema.py")


# Columns that several tables share, defined once.
_MUNICIPALITY = Column("municipality", "自治体", "text",
                       "数値を記載した自治体・発行元（params.yaml の datasets の municipality）。"
                       "年度の対応・時系列・年度比較は自治体をまたがない。", "つくば市")
_DATASET = Column("dataset", "データセット", "text",
                  "読み込んだ表（params.yaml の datasets の名前、run フォルダならフォルダ名）。"
                  "IDの先頭の「データセット名:」と同じ。", "tsukuba_2023")
_DATASET_FROM = Column("dataset_from", "比較元のデータセット", "text", "前の値を記載した表のデータセット。",
                       "tsukuba_2023")
_DATASET_TO = Column("dataset_to", "比較先のデータセット", "text", "後の値を記載した表のデータセット。",
                     "tsukuba_2024")
_FISCAL_YEAR = Column("fiscal_year", "年度", "integer", "会計年度（西暦）。", "2023")
_PROJECT_ID = Column("project_id", "事業番号", "text",
                     "表に書かれた事業番号。先頭の0を保つため文字列。", "4")
_PROJECT_NAME = Column("project_name", "事務事業名", "text",
                       "事業の名称。「（旧：…）」の部分は旧事業名に分けてある。",
                       "シティプロモーション・関係人口創出拡大事業")
_BUREAU = Column("bureau", "部局", "text", "担当課名を部局と課に分けた前半。", "市長公室")
_DIVISION = Column("division", "課", "text", "担当課名を部局と課に分けた後半。", "広報戦略課")
_FIELD = Column("field", "欄", "text",
                "数値を含む欄: purpose（事業の目的）、overview（事業の概要）、outcome（成果）、"
                "PDFシートの表なら indicator（指標の表）、cost（事業費の表）。",
                "outcome")
_SENTENCE = Column("sentence", "文", "text", "記載を含む文（原文のまま）。",
                   "チャンネル登録者数が2,230人（昨年比600人増）となった。")
_START = Column("start", "開始位置", "integer", "欄の原文での開始文字位置（0始まり）。", "111")
_END = Column("end", "終了位置", "integer", "欄の原文での終了文字位置（この文字を含まない）。", "117")
_METRIC_ID = Column("metric_id", "指標ID", "text",
                    "データセット:年度-事業番号-欄-開始位置から作る、全データセットを通して一意な指標のID"
                    "（データセットごとの data/processed の表では先頭の「データセット:」がない）。",
                    "tsukuba_2023:2023-4-outcome-111")
_CONCEPT = Column("concept", "指標名", "text", "数値が何を数えているか（文から抽出した名詞句）。",
                  "チャンネル登録者数")
_UNIT = Column("unit", "単位", "text", "正規化した単位（割は%に換算）。", "人")
_UNIT_CATEGORY = Column("unit_category", "単位区分", "text",
                        "同じものを数える単位のまとまり（人と名はどちらもpeople）。", "people")
_PERIOD = Column("period", "期間", "text",
                 "数値が表す期間: FY2023（年度）、2023（暦年）、2024-03（月）、2024-04-01（日）、"
                 "FY2020..FY2022（期間）、..FY2022（まで）、FY2023..（から）。", "FY2023")
_STATUS = Column("status", "区分", "text",
                 "actual（実績）、target（目標）、plan（予定・見込・予算）、rule（制度の条件：補助率・上限・定員など）。",
                 "actual")
_FY_FROM = Column("fiscal_year_from", "比較元年度", "integer", "比べる2年度のうち前の年度。", "2023")
_FY_TO = Column("fiscal_year_to", "比較先年度", "integer", "比べる2年度のうち後の年度。", "2024")
_VALUE_FROM = Column("value_from", "比較元の値", "number", "前の年度の値。", "2230")
_VALUE_TO = Column("value_to", "比較先の値", "number", "後の年度の値。", "2950")
_CHANGE_PCT = Column("change_pct", "増減率（%）", "number",
                     "増減の前の年度の値に対する割合（%、小数2桁）。前の年度が0なら空欄。", "32.29")
_CHANGE_ABS = Column("change_abs", "増減", "number", "後の年度の値 − 前の年度の値。", "720")
_MATCH_CONFIDENCE = Column("match_confidence", "対応の確からしさ", "number",
                           "0〜1。事業番号・旧事業名の一致は1前後、名称の類似では類似度に応じて下がる。",
                           "1")
#: The peer's side of the peers and peer_figures tables.
_PEER = (Column("peer_municipality", "類似事業の自治体", "text", "似た事業の自治体。", "池田市"),
         Column("peer_dataset", "類似事業のデータセット", "text", "似た事業を記載した表のデータセット。", "ikeda_2024"),
         Column("peer_project_id", "類似事業の事業番号", "text", "似た事業の事業番号。", "229"),
         Column("peer_project_name", "類似事業の事務事業名", "text", "似た事業の名称。",
                "石橋図書館管理事業／石橋図書館運営事業"))

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("metrics", "指標一覧", "本文から抽出した数値の記載。1行が1つの記載。", (
        _MUNICIPALITY, _DATASET, _METRIC_ID, _FISCAL_YEAR, _PROJECT_ID, _PROJECT_NAME, _BUREAU, _DIVISION, _FIELD,
        _SENTENCE, _START, _END,
        Column("surface", "表記", "text", "原文での表記。欄の原文[開始位置:終了位置]と一致する。", "2,230人"),
        Column("value", "値", "number", "数値（万・億などを展開した値）。", "2230"),
        Column("value_max", "上限値", "number", "範囲の記載（3〜5回）の上限。範囲でなければ空欄。", "5"),
        _UNIT, _UNIT_CATEGORY,
        Column("kind", "種別", "text",
               "count（数量）、percent（割合）、duration（期間）、money（金額）、physical（物理量）、"
               "ratio（分数・倍率：1/2、他との比較の10倍）、delta（増減の記載）。", "count"),
        Column("qualifier", "限定語", "text",
               "approx（約）、at_least（以上）、total（計）、subset（うち）、cumulative（延べ）など。"
               "複数あればカンマ区切り。", "cumulative"),
        Column("per", "頻度の単位", "text", "年4回の「年」のような頻度・単位当たりの基準。", "年"),
        _CONCEPT,
        Column("parent_id", "親指標ID", "text", "内訳や増減がかかる指標の指標ID。",
               "tsukuba_2023:2023-4-outcome-111"),
        Column("delta_direction", "増減の向き", "text", "増減の記載の向き: increase（増）、decrease（減）。",
               "increase"),
        Column("delta_basis", "増減の基準", "text", "増減の比較の基準として書かれた語。", "昨年比"),
        Column("prior_value", "基準時点の値（逆算）", "number",
               "増減の記載と親指標の値から逆算した基準時点の値。", "1630"),
        _PERIOD,
        Column("period_text", "期間の記載", "text",
               "期間を与えた原文の語（本文に書かれていなければ空）。", "令和5年度"),
        Column("period_source", "期間の根拠", "text",
               "期間の決め方: sentence（同じ文の時の表現）、cell（同じ欄の前の文・見出し・ラベル）、table（表の年度）、"
               "table_header（PDFシートの表の列見出し）。", "sentence"),
        _STATUS,
        Column("locator", "記載場所", "text",
               "PDFシートから読んだ数値の場所（ファイル#page=ページ、表・行・列）。表の本文の数値は空欄"
               "（開始位置・終了位置で文をたどる）。", "data/raw/sheets/ikeda_r7/ikeda-r7-049.pdf#page=1 table 1 row 1 column 1"),
        Column("method", "抽出方法", "text", "抽出した規則と指標名の取り方。", "rule;concept=parse"),
    )),
    Table("comparison", "年度比較",
          "同じ事業・指標・単位区分・区分の、連続する2期間（FY2023→FY2024、2022→2023）の値の変化。"
          "値はその期間を記載した表（年度）から取る。1行が1組。", (
              _MUNICIPALITY, _PROJECT_ID, _PROJECT_NAME, _CONCEPT, _UNIT, _UNIT_CATEGORY, _STATUS,
              Column("period_from", "比較元の期間", "text", "前の期間。", "FY2023"),
              Column("period_to", "比較先の期間", "text", "後の期間。", "FY2024"),
              _DATASET_FROM, _DATASET_TO, _FY_FROM, _FY_TO,
              _VALUE_FROM, _VALUE_TO, _CHANGE_ABS, _CHANGE_PCT,
              Column("stated_change", "記載された増減", "number",
                     "後の期間の値にかかる本文の増減（昨年比600人増 → 600、減なら負）。同じ単位区分の記載のみ。",
                     "600"),
              Column("stated_prior_value", "記載から逆算した前期間の値", "number",
                     "本文の増減の記載（増減・率・倍）から逆算した前の期間の値。", "1630"),
              Column("disagreement", "記載と前期間値の不一致", "boolean",
                     "記載から逆算した前の期間の値が、その期間の値と許容差を超えて異なるとtrue。記載がなければ空欄。",
                     "false"),
              Column("match_method", "対応方法", "text",
                     "same_table（同じ表が両期間を記載）、または事業の対応方法（project_id、former_name、"
                     "name_similarity）と指標の対応方法（concept_exact、concept_similar）を+でつないだもの。",
                     "project_id+concept_exact"),
              _MATCH_CONFIDENCE,
              Column("metric_id_from", "比較元の指標ID", "text", "前の期間の値の記載の指標ID。",
                     "tsukuba_2023:2023-4-outcome-111"),
              Column("metric_id_to", "比較先の指標ID", "text", "後の期間の値の記載の指標ID。",
                     "tsukuba_2024:2024-4-outcome-98"),
          )),
    Table("comparison_wide", "年度比較（期間別）",
          "同じ事業・指標・単位区分・区分の値を1行にまとめ、期間ごとの値を列にした表。", (
              _MUNICIPALITY,
              Column("dataset", "データセット", "text", "最も新しい値を記載した表のデータセット。", "tsukuba_2024"),
              _PROJECT_ID, _PROJECT_NAME, _CONCEPT, _UNIT, _UNIT_CATEGORY, _STATUS,
              Column("value_{period}", "{period}の値", "number",
                     "その期間（FY2023 は年度、2023 は暦年）の値。記載がなければ空欄。", "2230"),
          )),
    Table("series", "時系列",
          "事業×指標×単位区分×区分×期間ごとの値。どの年度の表がその値を記載したか、食い違いがないか。", (
              _MUNICIPALITY,
              Column("dataset", "データセット", "text", "値（最も新しい表の記載）を記載した表のデータセット。",
                     "tsukuba_2024"),
              _PROJECT_ID, _PROJECT_NAME, _CONCEPT, _UNIT, _UNIT_CATEGORY, _STATUS, _PERIOD,
              Column("value", "値", "number", "その期間の値（最も新しい表の記載）。", "3850"),
              Column("fiscal_years", "記載した表の年度", "text", "この値を記載した表の年度（;区切り、古い順）。",
                     "2024;2025"),
              Column("values", "各表の値", "text", "各表が記載した値（fiscal_years と同じ順）。", "3850;3850"),
              Column("agree", "表の間の一致", "boolean",
                     "2つ以上の表が記載した値が許容差の範囲で一致するとtrue、食い違うとfalse。1つの表だけなら空欄。",
                     "true"),
              Column("achievement_pct", "達成率（%）", "number",
                     "同じ事業・指標・期間に目標値があるときの実績 ÷ 目標 × 100（実績の行のみ）。", "96.3"),
              _METRIC_ID,
          )),
    Table("matches", "年度対応", "年度間の事業と指標の対応。どの方法でどれだけ確かに対応づけたか。", (
        _MUNICIPALITY,
        Column("level", "対象", "text", "project（事業）またはmetric（指標）。", "project"),
        _DATASET_FROM, _DATASET_TO, _FY_FROM, _FY_TO,
        Column("project_id_from", "比較元の事業番号", "text", "前の年度の事業番号。", "16"),
        Column("project_id_to", "比較先の事業番号", "text", "後の年度の事業番号。", "18"),
        Column("project_name_from", "比較元の事務事業名", "text", "前の年度の事業名。",
               "市長へのたより・メール等広聴事業"),
        Column("project_name_to", "比較先の事務事業名", "text", "後の年度の事業名。", "市民の声広聴事業"),
        Column("metric_id_from", "比較元の指標ID", "text", "前の年度の指標ID（指標の行のみ）。",
               "tsukuba_2023:2023-16-outcome-135"),
        Column("metric_id_to", "比較先の指標ID", "text", "後の年度の指標ID（指標の行のみ）。",
               "tsukuba_2024:2024-18-outcome-136"),
        Column("concept_from", "比較元の指標名", "text", "前の年度の指標名（指標の行のみ）。", "要望等の対応数"),
        Column("concept_to", "比較先の指標名", "text", "後の年度の指標名（指標の行のみ）。", "要望等への対応数"),
        Column("match_method", "対応方法", "text",
               "事業: project_id（事業番号が同じ）、former_name（旧事業名が前年度の事業名）、"
               "name_similarity（名称が類似）、unmatched（対応なし＝新規または廃止）。"
               "指標: concept_exact（指標名と単位区分が同じ）、concept_similar（単位区分が同じで指標名が類似）。",
               "former_name"),
        _MATCH_CONFIDENCE,
    )),
    Table("top_changes", "変化の大きい指標", "増減率の絶対値が大きい順の年度比較（dvc plotsの元データ）。", (
        _MUNICIPALITY,
        Column("label", "項目", "text", "自治体・年度・事業名・指標名をつないだグラフの項目名。",
               "つくば市 2023→2024 市民目線の広報推進事業：YouTubeチャンネル登録者数"),
        _CHANGE_PCT, _CHANGE_ABS, _VALUE_FROM, _VALUE_TO, _UNIT, _DATASET_FROM, _DATASET_TO, _FY_FROM, _FY_TO,
        _PROJECT_ID, _CONCEPT,
    )),
    Table("peers", "類似事業",
          "事業ごとに、ほかの自治体の最も似た事業（事業名・目的・概要の文字n-gramのTF-IDFのコサイン類似度）。"
          "自治体の中の事業どうしは比べない。", (
              _MUNICIPALITY, _DATASET, _PROJECT_ID, _PROJECT_NAME,
              Column("rank", "順位", "integer", "似ている順（1が最も似ている）。", "1"),
              *_PEER,
              Column("similarity", "類似度", "number",
                     "0〜1。事業名・目的・概要の文字n-gram（TF-IDF）のコサイン類似度（小数3桁）。", "0.412"),
          )),
    Table("peer_figures", "類似事業の指標比較",
          "事業と類似事業の、同じものを測る指標（指標名が同じか似ていて、単位区分・区分が同じ）の最新の値を並べたもの。", (
              _MUNICIPALITY, _DATASET, _PROJECT_ID, _PROJECT_NAME,
              *_PEER,
              Column("similarity", "類似度", "number", "事業どうしの類似度（類似事業の表と同じ）。", "0.412"),
              _CONCEPT,
              Column("peer_concept", "類似事業の指標名", "text", "並べた類似事業の指標名。", "補助上限額"),
              _UNIT_CATEGORY, _STATUS,
              Column("period", "期間", "text", "この事業の値の期間（その指標の最も新しい年度・年）。", "FY2023"),
              Column("value", "値", "number", "この事業の値。", "100000"),
              _UNIT,
              Column("peer_period", "類似事業の期間", "text", "類似事業の値の期間。", "FY2024"),
              Column("peer_value", "類似事業の値", "number", "類似事業の値。", "150000"),
              Column("peer_unit", "類似事業の単位", "text", "類似事業の値の単位。", "円"),
          )),
    Table("entities", "固有表現", "GiNZAが認識した固有表現と、規則で見つけた日付。", (
        _MUNICIPALITY, _DATASET,
        Column("entity_id", "固有表現ID", "text", "データセット:年度-事業番号-欄-開始位置-終了位置。",
               "tsukuba_2023:2023-1-purpose-4-6"),
        _FISCAL_YEAR, _PROJECT_ID, _FIELD, _START, _END,
        Column("surface", "表記", "text", "原文での表記。", "市長"),
        Column("label", "種類", "text", "固有表現の種類（GiNZAのラベル、規則で見つけた日付はDate）。",
               "Position_Vocation"),
        Column("normalized", "正規化値", "text", "日付をISO形式にした値。日付以外は空欄。", "2023-07-27"),
        Column("method", "抽出方法", "text", "ginza（GiNZA）またはrule（規則）。", "ginza"),
    )),
    Table("trends", "トレンド", "増加・減少など、数値を伴わない傾向の記載。", (
        _MUNICIPALITY, _DATASET,
        Column("trend_id", "トレンドID", "text", "データセット:年度-事業番号-欄-開始位置。",
               "tsukuba_2023:2023-3-outcome-11"),
        _FISCAL_YEAR, _PROJECT_ID, _PROJECT_NAME, _FIELD, _SENTENCE, _START, _END,
        Column("concept", "対象", "text", "何が増減したか。", "後援名義の申請件数"),
        Column("direction", "方向", "text", "increase（増加）またはdecrease（減少）。", "increase"),
        Column("evidence", "根拠表現", "text", "傾向を表す語（原文のまま）。", "増加"),
    )),
    Table("qa", "品質チェック", "抽出結果の整合性チェックで見つかった点（内訳の合計が合わないなど）。", (
        _MUNICIPALITY, _DATASET, _FISCAL_YEAR, _PROJECT_ID, _FIELD,
        Column("check", "チェック", "text", "チェックの種類（breakdown_sum: 内訳の合計が計と合わない／subset_exceeds_total: うち数が全体より大きい／"
               "negative_prior: 増減から求めた前年値が負／percent_over_100: 割合が100%超／"
               "extraction_error: この欄の抽出に失敗、message に理由／table_text_agree・table_text_mismatch: "
               "PDFシートの表と本文が同じ指標・期間の値を記載し、一致する・しない）。",
               "breakdown_sum"),
        Column("metric_id", "指標ID", "text", "見つかった点にかかわる指標のID。",
               "tsukuba_2023:2023-159-outcome-11"),
        Column("message", "内容", "text", "見つかった点の説明。", "parts add up to 1284, total is 1285"),
    )),
    Table("compare_qa", "品質チェック（年度間）",
          "年度をまたぐチェック: 後の表が前の表と同じ期間の値を違う値で記載している（restatement_mismatch）。", (
        _MUNICIPALITY, _DATASET, _FISCAL_YEAR, _PROJECT_ID, _FIELD,
        Column("check", "チェック", "text", "restatement_mismatch: 同じ期間の値が表によって異なる。",
               "restatement_mismatch"),
        Column("metric_id", "指標ID", "text", "後の表の記載の指標ID。", "review_2025:2025-4-outcome-98"),
        Column("message", "内容", "text", "食い違いの説明。", "FY2023: 3900 here, 3850 in the FY2024 table"),
    )),
    Table("projects", "事業一覧", "読み込んだ表の事業。1行が1事業。", (
        _MUNICIPALITY, _DATASET, _FISCAL_YEAR,
        Column("row_no", "通し番号", "text", "表の通し番号。", "14"),
        _PROJECT_ID, _PROJECT_NAME,
        Column("former_name", "旧事業名", "text", "事業名の「（旧：…）」に書かれた以前の名称。",
               "国際交流員・留学生交流員事業"),
        _BUREAU, _DIVISION,
        Column("purpose", "事業の目的", "text", "「事業の目的」欄の原文。", "特別職の公務等を円滑に遂行する。"),
        Column("overview", "事業の概要", "text", "「事業の概要」欄の原文。", "市長車の運転・管理業務を行う。"),
        Column("outcome", "成果", "text", "「成果」欄の原文。", "安全かつ迅速に移動することができた。"),
        Column("source_file", "元ファイル", "text", "読み込んだ表ファイル、またはPDFシートのファイル。",
               "data/raw/tsukuba_jimujigyo_r5.tsv"),
        Column("source_line", "元ファイルの行", "integer", "元の表ファイルでの行番号（PDFシートならページ）。", "21"),
    )),
)}



def _columns(source: str, *names: str) -> tuple[Column, ...]:
    return tuple(TABLES[source].column(n) for n in names)


#: The views of the database (exports/jimujigyo.duckdb) an analyst starts from; its tables are
#: the exports above, one per Parquet file. The SQL is in pipeline/outputs/database.py.
VIEWS: dict[str, Table] = {t.name: t for t in (
    Table("latest_values", "最新値",
          "指標（事業×指標名×単位区分×区分）ごとの、最も新しい年度・年の値（時系列から）。", _columns(
              "series", "municipality", "project_id", "project_name", "concept", "unit", "unit_category",
              "status", "period", "value", "fiscal_years", "dataset", "metric_id")),
    Table("yoy_changes", "前期間からの変化",
          "連続する2期間の値の変化と、本文に書かれた増減（年度比較から）。", _columns(
              "comparison", "municipality", "project_id", "project_name", "concept", "unit", "status",
              "period_from", "period_to", "value_from", "value_to", "change_abs", "change_pct",
              "stated_change", "disagreement", "match_method", "dataset_from", "dataset_to")),
    Table("achievement_by_project", "目標の達成状況（事業別）",
          "同じ期間に目標値のある実績を、事業ごとにまとめたもの（時系列の達成率から）。", (
              *_columns("series", "municipality", "project_id", "project_name"),
              Column("indicators", "指標数", "integer", "達成率を計算できた指標（実績と同じ期間の目標がある）の数。", "3"),
              Column("met", "達成した指標数", "integer", "達成率が100%以上の指標の数。", "2"),
              Column("mean_achievement_pct", "平均達成率（%）", "number", "達成率の平均（小数1桁）。", "96.3"),
              Column("min_achievement_pct", "最低達成率（%）", "number", "達成率の最小値。", "80.5"),
          )),
    Table("qa_by_municipality", "品質チェック（自治体別）", "品質チェックの指摘を自治体とチェックの種類ごとに数えたもの。", (
        *_columns("qa", "municipality", "check"),
        Column("findings", "指摘数", "integer", "指摘の数。", "12"),
        Column("projects", "事業数", "integer", "指摘のあった事業の数。", "7"),
    )),
)}


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in pipeline/schema.py") from None


def dictionary_rows() -> list[dict[str, str]]:
    """One row per column of every table: the データ定義 sheet and the markdown dictionary."""
    return [{"table": t.name, "sheet": t.sheet, "name": c.name, "label": c.label,
             "type": TYPES[c.type], "description": c.description, "example": c.example}
            for t in TABLES.values() for c in t.columns]


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _md_section(title: str, t: Table) -> list[str]:
    """A table's or view's heading, description and a row per column."""
    return [title, "", t.description, "", "| 列名 | 見出し | 型 | 説明 | 例 |", "| --- | --- | --- | --- | --- |",
            *(f"| `{c.name}` | {_md(c.label)} | {TYPES[c.type]} | {_md(c.description)} | {_md(c.example)} |"
              for c in t.columns), ""]


def data_dictionary_markdown() -> str:
    """docs/data_dictionary.md: a section per table, a row per column."""
    lines = ["# データ定義 (data dictionary)", "",
             "Generated from `pipeline/tables/schema.py` by `python -m pipeline.tables.schema`; do not edit by hand.",
             "Columns written `{period}` stand for one column per period (value_FY2023, value_2023, …).",
             "In the CSVs of `exports/` (for Excel) a 文字列 cell that begins with `=`, `+`, `-`, `@`, a tab "
             "or a carriage return starts with an added `'`, so that a spreadsheet shows it instead of "
             "running it as a formula; 整数, 数値 and 真偽値 columns, the Parquet files, the workbook and "
             "the pipeline's own CSVs hold the values as written.",
             ""]
    for t in TABLES.values():
        lines += _md_section(f"## {t.sheet} (`{t.name}`)", t)
    lines += ["## データベース (`exports/jimujigyo.duckdb`)", "",
              "The export stage also writes the exports into one DuckDB database: a table per export above "
              "(same name and columns: `metrics`, `series`, `comparison`, `comparison_wide`, `matches`, "
              "`top_changes`, `peers`, `peer_figures`, `entities`, `trends`, `qa`, `projects`), with the "
              "Parquet files' types, "
              "and these views (SQL in `pipeline/outputs/database.py`). Codes are kept as in CSV and "
              "Parquet; their labels are listed below.", ""]
    for t in VIEWS.values():
        lines += _md_section(f"### {t.sheet} (view `{t.name}`)", t)
    lines += ["## コードの表示名 (code labels)", "",
              "The workbook (jimujigyo_metrics.xlsx) and the HTML report show these labels in place of "
              "the codes; CSV and Parquet keep the codes. A qualifier of several codes "
              "(approx,range) reads 約・範囲.", "", "| 列名 | コード | 表示名 |", "| --- | --- | --- |"]
    lines += [f"| `{column}` | `{code}` | {_md(label)} |"
              for column, codes in resources.labels().items() for code, label in codes.items()]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(data_dictionary_markdown())
