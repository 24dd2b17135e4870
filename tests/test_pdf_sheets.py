"""The PDF sheet reader (``pipeline.tables.pdf``) on real sheets and on hostile files.

Expected values were read off the rendered pages (pdftoppm → PNG, looked at by a person),
not copied from the reader's output. The 37 shared sheets live in ``shared/`` beside
the repository (``Path(__file__).resolve().parents[2] / "shared"``); nine of them are also
committed under ``data/raw/sheets``. Hostile files are written byte by byte by the helpers
below, each small, so that every refusal path is exercised without large fixtures.
"""

from __future__ import annotations

import struct
import time
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from pipeline.tables.pdf import (
    SheetLimits,
    SheetReading,
    expand_inputs,
    form_names,
    read_sheets,
)
from pipeline.tables.pdf.periods import fiscal_year, period_of, status_of
from pipeline.tables.pdf.values import compact, parse_value

REPO = Path(__file__).resolve().parents[1]
SHARED_SHEETS = Path(__file__).resolve().parents[2] / "shared" / "data" / "sheets"
IKEDA = SHARED_SHEETS / "ikeda_r7"
YOKOHAMA = SHARED_SHEETS / "yokohama_r7"
COMMITTED = REPO / "data" / "raw" / "sheets"
#: The single sheets the tests below read are committed: they run without the shared folder.
LOCAL_IKEDA = COMMITTED / "ikeda_r7"
FIXTURES = Path(__file__).parent / "fixtures" / "pdf"

IKEDA_COST_HEADERS = {"R4年度決算", "R5年度決算", "R6年度予算", "R6年度決算"}
IKEDA_INDICATOR_HEADERS = {"R5年度実績", "R6年度見込", "R6年度実績", "R9年度見込"}
IKEDA_FUNDING = ["国・府支出金", "地方債", "その他", "うち受益者負担", "一般財源"]
YOKOHAMA_COST_HEADERS = [{"5年度決算", "6年度決算", "差引(増減)決算"}]
YOKOHAMA_INDICATOR_HEADERS = [{f"{n}年度{status}" for n in range(3, 10)}
                              for status in ("想定", "実績")]

#: Per 池田市 sheet, read off the page: 事務事業名, 担当部署名, the 主な内訳 rows of (4)
#: 事業費等, and the 成果指標 rows of (5).
IKEDA_SHEETS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "049": ("地域行事等活動促進事業", "シティプロモーション課", ["報償金"], ["事故件数"]),
    "095": ("就学前児発達支援事業", "発達支援課", ["消耗品費", "保険料"], ["延べ巡回人数"]),
    "096": ("障がい児福祉手当給付事業", "発達支援課", ["障がい児福祉手当"], ["延べ給付人数"]),
    "098": ("やまばと学園管理事業/やまばと学園運営事業", "発達支援課",
            ["土地借り上げ料", "調理業務委託料", "バス運行委託料"],
            ["入園児童数", "通所支援事業等利用者数"]),
    "229": ("石橋図書館管理事業/石橋図書館運営事業", "石橋図書館",
            ["シルバーセンター活用事業委託料", "情報受信料", "図書費"], ["石橋図書館来館者数"]),
    "232": ("社会人落語日本一決定戦開催事業", "人権・文化国際課",
            ["負担金(社会人落語日本一決定戦)"],
            ["社会人落語日本一決定戦応募者数", "社会人落語日本一決定戦集客数"]),
    "239": ("地域スポーツ振興事業", "社会教育課", ["報償金"], ["参加者数"]),
    "244": ("人権等相談事業", "人権・文化国際課", ["相談業務委託料"], ["相談件数"]),
    "261": ("生活困窮者一時生活支援事業", "生活福祉課", ["負担金", "建物借上料"], ["自立支援件数"]),
    "263": ("低所得者福祉給付事業", "生活福祉課", ["扶助費"], ["水洗便所改造資金"]),
    "287": ("高齢者日常生活用具給付等事業", "高齢・福祉総務課",
            ["日常生活用具扶助費(火災報知機)"], ["火災報知機給付数"]),
    "301": ("保険給付事業", "介護保険課", ["負担金【介護保険特別会計】", "手数料"], ["執行率"]),
    "315": ("公的介護施設等整備補助事業", "地域支援課", ["補助金"], ["補助介護施設等数"]),
    "323": ("障がい者支援施設運営補助事業", "障がい福祉課", ["土地借上料", "補助金"],
            ["補助対象施設数", "利用件数"]),
    "400": ("水利管理事業", "消防本部", ["調査委託料", "水道企業会計繰出金"],
            ["消火栓使用可能率", "消火栓維持管理", "防火水槽調査委託数"]),
    "407": ("消防通信指令システム整備事業", "消防本部", ["負担金"], ["消防指令センター構築"]),
    "412": ("既存民間建築物除却補助事業", "都市政策課", ["補助金"], ["特定空家等の割合"]),
    "438": ("道路等管理システム運用事業", "土木管理課", ["委託料"],
            ["明示関連データ管理システム更新件数"]),
    "439": ("市道敷地取得測量事業", "土木管理課", ["委託料"], ["測量・分筆登記件数"]),
    "444": ("交通安全啓発事業", "交通道路課", ["交通安全教育業務委託料", "消耗品費"], ["交通事故件数"]),
}

#: Per 横浜市 sheet, read off the pages: 事業名, 所管区局・課, the 細事業 names in order, and
#: the 細事業事業量 indicators (a 細事業 with an empty indicator cell has none).
YOKOHAMA_SHEETS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "001": ("デジタル企画調整費", "デジタル統括本部企画調整課",
            ["デジタル統括本部運営(人件費)", "デジタル統括本部運営(物件費)"], []),
    "002": ("デジタル化推進事業", "デジタル統括本部企画調整課",
            ["デジタル人材育成", "民間人材の活用", "DX実証・調査"],
            ["DX推進研修受講者数", "民間人材による短期的支援件数", "実証・調査数"]),
    "003": ("情報セキュリティ対策推進事業", "デジタル統括本部企画調整課",
            ["情報セキュリティ対策推進事業"], ["Webサイト脆弱性診断実施件数"]),
    "004": ("社会保障・税番号制度推進事業", "デジタル統括本部企画調整課", ["広報事業"], []),
    "005": ("DXプロモーション事業", "デジタル統括本部デジタル・デザイン室",
            ["広報PR", "次世代DX人材支援"], ["記事掲載数", "DX体験参加人数"]),
    "006": ("AI・RPA等活用推進事業", "デジタル統括本部デジタル・デザイン室",
            ["AI・RPA等を活用した業務自動化・導入支援"], ["AI/RPA等作成・活用相談件数"]),
    "007": ("システム導入等庁内伴走支援事業", "デジタル統括本部デジタル・デザイン室",
            ["システム導入等庁内伴走支援事業", "伴走支援の体制及び環境等の整備"],
            ["支援するプロジェクト等の数", "研修回数"]),
    "008": ("創発・共創によるDX推進事業", "デジタル統括本部デジタル・デザイン室",
            ["創発・共創のプラットフォーム運営", "実証実験に対する負担金"],
            ["YOKOHAMA Hack!登録会員数", "YOKOHAMA Hack!等の実証実験数"]),
    "009": ("区役所デジタル化推進事業", "デジタル統括本部デジタル・デザイン室",
            ["モデル区の実証実験等の支援", "デジタルデバイド対策"],
            ["横展開された取組", "デジタルデバイド対応支援事業による事業実施区数"]),
    "010": ("行政手続オンライン化推進事業", "デジタル統括本部デジタル・デザイン室",
            ["年間受付件数上位100手続等のオンライン化支援"], ["年間受付件数上位100手続のオンライン化"]),
    "011": ("デジタル化によるワークスタイル変革事業", "デジタル統括本部DX基盤課",
            ["デジタル化によるワークスタイル変革事業"], ["クラウドサービス(Microsoft365)利用職員数"]),
    "012": ("行政情報ネットワーク運用事業", "デジタル統括本部DX基盤課",
            ["行政情報ネットワーク基本サービス提供事業", "行政情報ネットワーク基盤運用事業",
             "行政情報ネットワーク資産管理事業"], ["システム稼働日"] * 3),
    "013": ("電子市役所システム運用事業", "デジタル統括本部DX基盤課",
            ["電子申請・届出システム運用事業", "行政地図情報提供システム運用事業",
             "職員認証システム運用事業", "連携システム運用事業"],
            ["電子申請利用件数", "システム稼働率(年間)", "アクセス数/月", "利用システム数"]),
    "014": ("行政情報クラウド基盤事業", "デジタル統括本部DX基盤課", ["行政情報クラウド基盤事業"],
            ["システム稼働日"]),
    "015": ("住民情報系システム標準化・共通化推進事業", "デジタル統括本部住民情報基盤課",
            ["標準化推進PMOの運営", "共通機能システム等整備"],
            ["庁内関係部門への情報発信回数", "ファイル交換システム"]),
    "016": ("情報システム運営管理事業", "デジタル統括本部住民情報基盤課",
            ["基幹情報システム", "情報共有基盤"], ["オンライン稼働率", "情報共有基盤クライアント端末数"]),
    "017": ("職員人件費", "デジタル統括本部企画調整課", ["職員人件費"], []),
}


def nfkc(text: str) -> str:
    """NFKC without spaces: a rendered page does not show full- versus half-width."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def stem_of(record: dict[str, Any]) -> str:
    """The file name without folder and suffix of a project or figure record."""
    return Path(record.get("source_file") or record["file"]).stem


def project(reading: SheetReading, stem: str) -> dict[str, Any]:
    """The one project read from the file ``stem``."""
    found = [p for p in reading.projects if stem_of(p) == stem]
    assert len(found) == 1, f"{stem}: {len(found)} projects"
    return found[0]


def figures(reading: SheetReading, stem: str, **where: Any) -> list[dict[str, Any]]:
    """The figures of file ``stem`` whose fields equal ``where`` (labels compared NFKC)."""
    out = []
    for f in reading.figures:
        if stem_of(f) != stem:
            continue
        if all((nfkc(f[k]) == nfkc(v)) if k == "label" else f[k] == v for k, v in where.items()):
            out.append(f)
    return out


def by_header(found: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Figures keyed by their header (NFKC, the space between column and row header kept)."""
    return {unicodedata.normalize("NFKC", f["header"]): f for f in found}


def values(found: Iterable[dict[str, Any]]) -> dict[str, float | None]:
    """header → value."""
    return {h: f["value"] for h, f in by_header(found).items()}


def rows(reading: SheetReading, stem: str, table: str) -> list[str]:
    """The row labels of a sheet's tables of one kind, in reading order (NFKC), each once."""
    seen: dict[tuple[int, int, int], str] = {}
    for f in reading.figures:
        if stem_of(f) == stem and f["table"] == table:
            seen.setdefault((f["page"], f["table_index"], f["row"]), nfkc(f["label"]))
    return [seen[k] for k in sorted(seen)]


@pytest.fixture(scope="module")
def shared() -> SheetReading:
    """All 37 shared sheets, read once, each form recognised from its first page."""
    return read_sheets(expand_inputs(IKEDA) + expand_inputs(YOKOHAMA))


# --- 池田市 目標設定シート ------------------------------------------------------------------

def test_ikeda_text_fields(shared: SheetReading) -> None:
    """Name, division and the prose fields of sheet 229, wrapped lines joined."""
    record = project(shared, "ikeda-r7-229")
    assert record["project_id"] == "229"
    assert record["form"] == "ikeda"
    assert record["source_page"] == 1
    assert record["project_name"] == "石橋図書館管理事業／石橋図書館運営事業"
    assert record["division_name"] == "石橋図書館"
    assert record["purpose"] == ("石橋図書館の適切な管理運営を行うとともに、市民の課題解決に役立つ"
                                 "資料・情報の提供及び展示や行事を実施する。")
    assert "事業の対象：市民、市内通勤・通学者、北摂地区広域利用者、川西市相互利用者" in record["overview"]
    assert "事業の手段・方法：図書館資料の貸出し、レファレンス、障がい者サービス、各種行事" \
        in record["overview"]
    assert nfkc(record["outcome"]).startswith(nfkc("令和７年１月に図書館システムを更新し、"))
    assert record["outcome"].endswith("新たなサービスを開始した。")
    assert record["missing_fields"] == []


def test_ikeda_cost_table(shared: SheetReading) -> None:
    """(4) 事業費等 of sheet 229: the total, its 主な内訳 and its 財源, every column."""
    total = figures(shared, "ikeda-r7-229", table="cost", label="事業費")
    assert values(total) == {"R4年度決算": 13699, "R5年度決算": 14012, "R6年度予算": 14160,
                             "R6年度決算": 13948}
    assert {(f["period"], f["status"]) for f in total} == {
        ("FY2022", "actual"), ("FY2023", "actual"), ("FY2024", "plan"), ("FY2024", "actual")}
    assert {f["unit_text"] for f in total} == {"千円"}
    assert {f["parent_label"] for f in total} == {""}
    library = figures(shared, "ikeda-r7-229", table="cost", label="図書費")
    assert values(library) == dict.fromkeys(IKEDA_COST_HEADERS, 7000)
    assert {(f["parent_label"], f["group"]) for f in library} == {("事業費", "内訳")}
    other = figures(shared, "ikeda-r7-229", table="cost", label="その他")
    assert values(other) == {"R4年度決算": 22, "R5年度決算": 23, "R6年度予算": 35, "R6年度決算": 22}
    assert {(f["parent_label"], f["group"]) for f in other} == {("事業費", "財源")}
    borne = figures(shared, "ikeda-r7-229", table="cost", label="うち受益者負担")
    assert values(borne) == dict.fromkeys(IKEDA_COST_HEADERS, 0)
    assert {f["parent_label"] for f in borne} == {"その他"}
    general = figures(shared, "ikeda-r7-229", table="cost", label="一般財源")
    assert values(general) == {"R4年度決算": 13677, "R5年度決算": 13989, "R6年度予算": 14125,
                               "R6年度決算": 13926}
    state = figures(shared, "ikeda-r7-229", table="cost", label="国・府支出金")
    assert values(state) == dict.fromkeys(IKEDA_COST_HEADERS, None)
    assert {f["value_text"] for f in state} == {""}


def test_ikeda_cost_dashes_and_ratio(shared: SheetReading) -> None:
    """A dash is no value (the row stays); 受益者負担率 is a percentage, not 千円."""
    lease = figures(shared, "ikeda-r7-261", table="cost", label="建物借上料")
    assert values(lease) == {"R4年度決算": 34253, "R5年度決算": None, "R6年度予算": None,
                             "R6年度決算": None}
    assert {f["value_text"] for f in lease if f["value"] is None} == {"-"}
    ratio = figures(shared, "ikeda-r7-098", table="cost", label="受益者負担率")
    assert values(ratio) == {"R4年度決算": 10.5, "R5年度決算": 11.1, "R6年度予算": 11.7,
                             "R6年度決算": 9.6}
    assert {(f["unit_text"], f["parent_label"]) for f in ratio} == {("%", "")}
    negative = figures(shared, "ikeda-r7-315", table="cost", label="一般財源")
    assert values(negative)["R6年度決算"] == -220


def test_ikeda_indicator_table(shared: SheetReading) -> None:
    """(5) 成果指標 of sheet 400: three indicators × four year columns with period/status."""
    assert rows(shared, "ikeda-r7-400", "indicator") == ["消火栓使用可能率", "消火栓維持管理",
                                                        "防火水槽調査委託数"]
    hydrants = figures(shared, "ikeda-r7-400", table="indicator", label="消火栓維持管理")
    assert values(hydrants) == {"R5年度実績": 1446, "R6年度見込": 1450, "R6年度実績": 1446,
                                "R9年度見込": 1450}
    assert {(nfkc(f["header"]), f["period"], f["status"]) for f in hydrants} == {
        ("R5年度実績", "FY2023", "actual"), ("R6年度見込", "FY2024", "target"),
        ("R6年度実績", "FY2024", "actual"), ("R9年度見込", "FY2027", "target")}
    assert {(f["unit_text"], f["indicator_kind"]) for f in hydrants} == {("基", "成果指標")}
    tanks = figures(shared, "ikeda-r7-400", table="indicator", label="防火水槽調査委託数")
    assert values(tanks) == {"R5年度実績": 8, "R6年度見込": 3, "R6年度実績": 3, "R9年度見込": 1}
    rate = figures(shared, "ikeda-r7-400", table="indicator", label="消火栓使用可能率")
    assert {nfkc(f["unit_text"]) for f in rate} == {"%"}
    execution = figures(shared, "ikeda-r7-301", table="indicator", label="執行率")
    assert values(execution)["R5年度実績"] == pytest.approx(94.37)
    facilities = figures(shared, "ikeda-r7-315", table="indicator", label="補助介護施設等数")
    assert values(facilities) == {"R5年度実績": None, "R6年度見込": 2, "R6年度実績": 2,
                                  "R9年度見込": None}


def test_ikeda_wrapped_number() -> None:
    """A number that wraps in a narrow cell (430,77 over 7) is one number."""
    reading = read_sheets([FIXTURES / "ikeda-r7-227.pdf"])
    record = project(reading, "ikeda-r7-227")
    assert (record["project_name"], record["division_name"]) == (
        "図書館管理事業／図書館運営事業", "図書館")
    visits = figures(reading, "ikeda-r7-227", table="indicator", label="図書館来館者数")
    assert values(visits) == {"R5年度実績": 419537, "R6年度見込": 419500, "R6年度実績": 430777,
                              "R9年度見込": 419500}
    assert by_header(visits)["R6年度実績"]["value_text"] == "430,777"


# --- 横浜市 事業評価書 --------------------------------------------------------------------

def test_yokohama_text_fields(shared: SheetReading) -> None:
    """Name, division, 事業概要 and the review of sheet 005 (two pages)."""
    record = project(shared, "yokohama-r7-005")
    assert record["project_id"] == "yokohama-r7-005"
    assert record["form"] == "yokohama"
    assert nfkc(record["project_name"]) == "DXプロモーション事業"
    assert record["division_name"] == "デジタル統括本部デジタル・デザイン室"
    assert nfkc(record["overview"]).startswith(nfkc(
        "令和５年度に開設したＤＸポータルサイト「横浜DIGITAL窓口」を通じて、オンライン手続の利用促進に"
        "つなげるとともに、横浜ＤＸ戦略の取組・進捗を積極的に発信します。"))
    assert nfkc("次世代ＤＸ人材支援：市民の皆様、特に子どもたちを対象に") in nfkc(record["overview"])
    assert "外部委託にて事業を実施しています。" in record["outcome"]
    assert "広報PR：事業見直しによる減" in record["outcome"]
    assert record["missing_fields"] == ["purpose"]


def test_yokohama_cost_table(shared: SheetReading) -> None:
    """事業決算額 and the 細事業費 of sheet 005: ▲ is a minus, 差引 a difference."""
    total = figures(shared, "yokohama-r7-005", table="cost", label="事業費")
    assert values(total) == {"5年度 決算": 18871, "6年度 決算": 17032, "差引(増減) 決算": -1839}
    assert [(f["period"], f["status"], f["group"]) for f in total] == [
        ("FY2023", "actual", ""), ("FY2024", "actual", ""), ("FY2024", "actual", "増減")]
    pr = figures(shared, "yokohama-r7-005", table="cost", label="広報PR")
    assert values(pr) == {"5年度 決算": 18871, "6年度 決算": 10080, "差引(増減) 決算": -8791}
    assert {(f["parent_label"], f["page"]) for f in pr} == {("事業費", 1)}
    assert [f["group"] for f in pr] == ["内訳", "内訳", "増減"]
    talent = figures(shared, "yokohama-r7-005", table="cost", label="次世代DX人材支援")
    assert values(talent) == {"5年度 決算": 0, "6年度 決算": 6952, "差引(増減) 決算": 6952}
    assert {(f["page"], f["unit_text"]) for f in talent} == {(2, "千円")}


def test_yokohama_indicator_table(shared: SheetReading) -> None:
    """細事業事業量 of sheet 013: 想定 and 実績 rows over 3年度…9年度, three pages."""
    online = figures(shared, "yokohama-r7-013", table="indicator", label="電子申請利用件数")
    assert values(online) == {
        "3年度 想定": 1_000_000, "4年度 想定": 1_250_000, "5年度 想定": 1_500_000,
        "6年度 想定": 1_750_000, "7年度 想定": 2_000_000, "8年度 想定": 2_250_000,
        "9年度 想定": 2_500_000, "3年度 実績": 960_235, "4年度 実績": 1_021_028,
        "5年度 実績": 1_007_281, "6年度 実績": 1_104_045, "7年度 実績": None,
        "8年度 実績": None, "9年度 実績": None}
    periods = {nfkc(h): (f["period"], f["status"]) for h, f in by_header(online).items()}
    assert periods["3年度想定"] == ("FY2021", "plan")
    assert periods["6年度実績"] == ("FY2024", "actual")
    assert {(f["unit_text"], f["indicator_kind"]) for f in online} == {("件", "事業量")}
    systems = figures(shared, "yokohama-r7-013", table="indicator", label="利用システム数")
    assert {f["page"] for f in systems} == {3}
    assert values(systems)["9年度 想定"] == 50 and values(systems)["6年度 実績"] == 49
    uptime = figures(shared, "yokohama-r7-013", table="indicator", label="システム稼働率(年間)")
    assert {nfkc(f["unit_text"]) for f in uptime} == {"%"}


def test_yokohama_written_values(shared: SheetReading) -> None:
    """Ranges, fractions and words as sheet cells write them."""
    rate = figures(shared, "yokohama-r7-016", table="indicator", label="オンライン稼働率")
    planned = by_header(rate)["5年度 想定"]
    assert (planned["value"], planned["value_max"], planned["qualifier"]) == (99.9, 100, "range")
    steps = figures(shared, "yokohama-r7-010", table="indicator",
                    label="年間受付件数上位100手続のオンライン化")
    assert by_header(steps)["5年度 実績"]["value"] == pytest.approx(0.56)
    assert by_header(steps)["5年度 実績"]["value_text"] == "56/100"
    exchange = figures(shared, "yokohama-r7-015", table="indicator", label="ファイル交換システム")
    words = by_header(exchange)["7年度 想定"]
    assert (words["value_text"], words["value"]) == ("本稼働", None)


# --- every shared sheet -------------------------------------------------------------------

def test_every_ikeda_sheet(shared: SheetReading) -> None:
    """Each of the 20: its project, every field, every indicator row, every cost column."""
    for number, (name, division, breakdown, indicators) in IKEDA_SHEETS.items():
        stem = f"ikeda-r7-{number}"
        record = project(shared, stem)
        assert (record["project_id"], record["form"]) == (number.lstrip("0"), "ikeda")
        assert (nfkc(record["project_name"]), record["division_name"]) == (nfkc(name), division)
        assert record["missing_fields"] == [], stem
        assert rows(shared, stem, "indicator") == [nfkc(i) for i in indicators], stem
        assert rows(shared, stem, "cost") == [nfkc(label) for label in [
            "事業費", *breakdown, *IKEDA_FUNDING, "受益者負担率"]], stem
        for table, headers in (("cost", IKEDA_COST_HEADERS), ("indicator", IKEDA_INDICATOR_HEADERS)):
            per_row: dict[tuple[int, int], set[str]] = defaultdict(set)
            for f in figures(shared, stem, table=table):
                per_row[(f["table_index"], f["row"])].add(nfkc(f["header"]))
            assert per_row and all(found == headers for found in per_row.values()), (stem, table)


def test_every_yokohama_sheet(shared: SheetReading) -> None:
    """Each of the 17: its project, every field but 目的 (the form has none), every 細事業's
    cost row, and both rows of every 事業量 over seven years."""
    for number, (name, division, parts, indicators) in YOKOHAMA_SHEETS.items():
        stem = f"yokohama-r7-{number}"
        record = project(shared, stem)
        assert (record["project_id"], record["form"]) == (stem, "yokohama")
        assert (nfkc(record["project_name"]), nfkc(record["division_name"])) == \
            (nfkc(name), nfkc(division))
        assert record["missing_fields"] == ["purpose"], stem
        assert rows(shared, stem, "cost") == [nfkc(label) for label in ["事業費", *parts]], stem
        assert rows(shared, stem, "indicator") == [
            nfkc(i) for i in indicators for _ in ("想定", "実績")], stem
        for table, headers in (("cost", YOKOHAMA_COST_HEADERS),
                               ("indicator", YOKOHAMA_INDICATOR_HEADERS)):
            per_row: dict[tuple[int, int, int], set[str]] = defaultdict(set)
            for f in figures(shared, stem, table=table):
                per_row[(f["page"], f["table_index"], f["row"])].add(nfkc(f["header"]))
            assert all(found in headers for found in per_row.values()), (stem, table)


def test_cost_breakdowns_add_up(shared: SheetReading) -> None:
    """財源 items add up to 事業費 in every column of all 20 池田市 sheets; 主な内訳 (main items
    only) never exceed it and add up except where the page lists fewer items; 横浜市's 細事業費
    add up to 事業費 within 1千円 of rounding, except for 細事業 that ended before 6年度."""
    partial = set()
    for number in IKEDA_SHEETS:
        stem = f"ikeda-r7-{number}"
        total = values(figures(shared, stem, table="cost", label="事業費"))
        for group in ("財源", "内訳"):
            sums: dict[str, float] = defaultdict(float)
            for f in figures(shared, stem, table="cost", parent_label="事業費", group=group):
                sums[unicodedata.normalize("NFKC", f["header"])] += f["value"] or 0
            for header, amount in total.items():
                if group == "財源":
                    assert sums[header] == (amount or 0), (stem, header)
                else:
                    assert sums[header] <= (amount or 0), (stem, header)
                    if sums[header] != (amount or 0):
                        partial.add(number)
    # 229: 4,527 + 571 + 7,000 = 12,098 of 13,699 (R4); the others likewise list main items.
    assert partial == {"095", "098", "229", "287", "444"}
    ended = set()
    for number in YOKOHAMA_SHEETS:
        stem = f"yokohama-r7-{number}"
        total = values(figures(shared, stem, table="cost", label="事業費"))
        sums = defaultdict(float)
        for f in figures(shared, stem, table="cost", parent_label="事業費", group="内訳"):
            sums[unicodedata.normalize("NFKC", f["header"])] += f["value"]
        assert abs(sums["6年度 決算"] - total["6年度 決算"]) <= 1, stem
        if abs(sums["5年度 決算"] - total["5年度 決算"]) > 1:
            ended.add(number)
        for f_label in {f["label"] for f in figures(shared, stem, table="cost")}:
            item = values(figures(shared, stem, table="cost", label=f_label))
            assert item["差引(増減) 決算"] == item["6年度 決算"] - item["5年度 決算"], (stem, f_label)
    # 004: 298,907 then merged into another 事業; 009 and 010: 細事業 of 5年度 not listed.
    assert ended == {"004", "009", "010"}


def test_summary_counts(shared: SheetReading) -> None:
    """The summary adds up: 37 sheets, 48 pages, no quarantine, fields found + missing."""
    summary = shared.summary
    assert (summary["sheets"], summary["pages"], summary["projects"]) == (37, 48, 37)
    assert summary["quarantined"] == 0 and shared.quarantine == []
    assert summary["figures"] == len(shared.figures)
    assert summary["fields_missing"]["purpose"] == 17
    assert all(summary["fields_found"][f] + summary["fields_missing"][f] == 37
               for f in summary["fields_found"])
    assert summary["forms"]["ikeda"]["projects"] == 20
    assert summary["forms"]["yokohama"]["projects"] == 17
    assert summary["forms"]["ikeda"]["indicator_rows"] == sum(
        len(v[3]) for v in IKEDA_SHEETS.values())
    assert summary["forms"]["yokohama"]["indicator_rows"] == 2 * sum(
        len(v[3]) for v in YOKOHAMA_SHEETS.values())


def test_committed_sheets() -> None:
    """The sheets under data/raw/sheets read like their shared originals, in-process too."""
    paths = expand_inputs(COMMITTED)
    assert [p.stem for p in paths] == [
        "ikeda-r7-049", "ikeda-r7-098", "ikeda-r7-229", "ikeda-r7-261", "ikeda-r7-400",
        "yokohama-r7-005", "yokohama-r7-010", "yokohama-r7-013", "yokohama-r7-016"]
    assert "8d7c2b5145c4820f3bb7c6bde93dca8e28465295" in (COMMITTED / "README.md").read_text()
    assert sum(p.stat().st_size for p in paths) <= 10_000_000
    isolated = read_sheets(paths)
    inline = read_sheets(paths, limits=SheetLimits(isolate=False))
    assert isolated.quarantine == [] and isolated.figures == inline.figures
    assert isolated.projects == inline.projects
    assert [p["form"] for p in isolated.projects] == ["ikeda"] * 5 + ["yokohama"] * 4
    names = {**{f"ikeda-r7-{k}": v[0] for k, v in IKEDA_SHEETS.items()},
             **{f"yokohama-r7-{k}": v[0] for k, v in YOKOHAMA_SHEETS.items()}}
    assert [nfkc(p["project_name"]) for p in isolated.projects] == [
        nfkc(names[p.stem]) for p in paths]


# --- generic mode ---------------------------------------------------------------------------

def test_generic_mode_on_a_known_form() -> None:
    """Forced to the generic mode, an 池田市 sheet still gives its name, division, 事業内容,
    取組実績 and both tables from their year headers; there is no 目的 label to find."""
    reading = read_sheets([LOCAL_IKEDA / "ikeda-r7-229.pdf"], form="generic")
    record = reading.projects[0]
    assert record["form"] == "generic" and record["project_id"] == "ikeda-r7-229"
    assert record["project_name"] == "石橋図書館管理事業／石橋図書館運営事業"
    assert record["division_name"] == "石橋図書館"
    assert record["overview"].startswith("石橋図書館の適切な管理運営を行うとともに")
    assert record["outcome"].endswith("新たなサービスを開始した。")
    assert record["missing_fields"] == ["purpose"]
    visits = figures(reading, "ikeda-r7-229", table="indicator", label="石橋図書館来館者数")
    assert values(visits) == {"R5年度実績": 180882, "R6年度見込": 181000, "R6年度実績": 191767,
                              "R9年度見込": 181000}
    assert {(f["unit_text"], f["indicator_kind"]) for f in visits} == {("人", "成果指標")}
    plan = by_header(visits)["R6年度見込"]
    assert (plan["period"], plan["status"]) == ("FY2024", "plan")
    cost = figures(reading, "ikeda-r7-229", table="cost", label="事業費Ａ")
    assert values(cost)["R6年度予算"] == 14160
    assert {f["unit_text"] for f in cost} == {"千円"}


def test_generic_mode_on_an_unknown_form() -> None:
    """A 神戸市 sheet (no profile) falls back to the generic mode by itself: every field is
    found from the vocabulary, the cost table from its 年度決算 headers (平成 years)."""
    reading = read_sheets(expand_inputs(FIXTURES / "kobe-r25-001.pdf"))
    record = reading.projects[0]
    assert record["form"] == "generic"
    assert record["project_name"] == "庁舎設備管理業務"
    assert record["division_name"] == "行財政局行政監察部庶務課"
    assert record["purpose"].startswith("本庁舎機能を維持するための庁舎設備")
    assert record["overview"].startswith("①冷暖房用熱源機器の保守管理")
    assert record["outcome"] == "業務執行体制の見直しにより、技術職１名を減員した。"
    assert record["missing_fields"] == []
    staff_cost = figures(reading, "kobe-r25-001", table="cost", label="人件費")
    assert values(staff_cost) == {"20年度決算": 100000, "21年度決算": 90000, "22年度決算": 90000,
                                  "23年度決算": 90000, "24年度決算": 90000, "25年度予算": 80000}
    first = by_header(staff_cost)["20年度決算"]
    assert (first["period"], first["status"], first["unit_text"]) == ("FY2008", "actual", "千円")
    assert by_header(staff_cost)["25年度予算"]["status"] == "plan"
    assert {nfkc(f["parent_label"]) for f in staff_cost} == {"合計(A)"}
    total = figures(reading, "kobe-r25-001", table="cost", label="合計（A）")
    assert values(total)["24年度決算"] == 380877
    general = [f for f in reading.figures if nfkc(f["label"]).startswith("(差引)一般財源")]
    assert values(general) == {"20年度決算": 375620, "21年度決算": 498178, "22年度決算": 457342,
                               "23年度決算": 438724, "24年度決算": 380877, "25年度予算": 439451}
    staff = figures(reading, "kobe-r25-001", label="技術職")
    assert values(staff)["20年度決算"] == 6 and {f["unit_text"] for f in staff} == {"人"}
    assert reading.summary["forms"] == {"generic": {"sheets": 1, "projects": 1,
                                                    "figures": len(reading.figures),
                                                    "indicator_rows": 10}}


# --- inputs, forms, values -----------------------------------------------------------------

def test_expand_inputs(tmp_path: Path) -> None:
    """One file, a folder (sorted, .pdf only, subfolders too), a glob; nothing found is a
    clear error."""
    (tmp_path / "city").mkdir()
    for name in ("b.pdf", "a.PDF", "notes.txt", "city/c.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert expand_inputs(tmp_path / "b.pdf") == [tmp_path / "b.pdf"]
    assert expand_inputs(tmp_path) == [tmp_path / "a.PDF", tmp_path / "b.pdf",
                                       tmp_path / "city" / "c.pdf"]
    assert expand_inputs(str(tmp_path / "*.pdf")) == [tmp_path / "b.pdf"]
    assert expand_inputs(str(tmp_path / "**" / "*.pdf")) == [tmp_path / "b.pdf",
                                                             tmp_path / "city" / "c.pdf"]
    with pytest.raises(FileNotFoundError, match="no such PDF file or folder"):
        expand_inputs(tmp_path / "missing.pdf")
    with pytest.raises(FileNotFoundError, match="no files match"):
        expand_inputs(str(tmp_path / "*.xlsx"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no .pdf files in the folder"):
        expand_inputs(tmp_path / "empty")


def test_forms() -> None:
    """The shipped profiles, and a clear error for an unknown one before any file is read."""
    assert form_names() == ["ikeda", "yokohama"]
    with pytest.raises(ValueError, match="no form profile named 'osaka'"):
        read_sheets([LOCAL_IKEDA / "ikeda-r7-049.pdf"], form="osaka")
    forced = read_sheets([LOCAL_IKEDA / "ikeda-r7-049.pdf"], form="ikeda",
                         limits=SheetLimits(isolate=False))
    assert forced.projects[0]["form"] == "ikeda"


@pytest.mark.parametrize(("text", "value", "value_max", "qualifier"), [
    ("▲1,234", -1234, None, ""), ("△ 1,234", -1234, None, ""), ("-5", -5, None, ""),
    ("-", None, None, ""), ("－", None, None, ""), ("―", None, None, ""), ("‐", None, None, ""),
    ("", None, None, ""), ("0.03未満", 0.03, None, "less_than"), ("８０以上", 80, None, "at_least"),
    ("3以下", 3, None, "at_most"), ("約1,000件", 1000, None, "approx"), ("1〜3", 1, 3, "range"),
    ("99.9～100", 99.9, 100, "range"), ("１，２３４", 1234, None, ""), ("43/100", 0.43, None, ""),
    ("430,77\n7", 430777, None, ""), ("集計中", None, None, ""), ("）375,620", 375620, None, ""),
])
def test_parse_value(text: str, value: float | None, value_max: float | None,
                     qualifier: str) -> None:
    """Signs, dashes, qualifiers, ranges, full-width digits, fractions, wrapped digits, and
    the bracket a label left in a value cell."""
    parsed = parse_value(compact(text))
    if value is None:
        assert parsed.value is None
    else:
        assert parsed.value == pytest.approx(value)
    assert parsed.value_max == value_max and parsed.qualifier == qualifier


def test_units_in_cells() -> None:
    """A unit written in the cell is kept apart from the number."""
    assert parse_value("10.0人").unit == "人" and parse_value("10人以上").qualifier == "at_least"
    assert parse_value("3～5か所").unit == "か所"


@pytest.mark.parametrize(("header", "era", "period"), [
    ("R5年度実績", "令和", "FY2023"), ("Ｒ４年度\n決 算", "令和", "FY2022"), ("令和元年度", None, "FY2019"),
    ("H30", None, "FY2018"), ("平成30年度", None, "FY2018"), ("2023年度", None, "FY2023"),
    ("５年度", "令和", "FY2023"), ("20年度決算", None, "FY2008"), ("5年度", None, "FY2023"),
    ("差引（増減）", "令和", ""),
])
def test_periods(header: str, era: str | None, period: str) -> None:
    """Era years (令和N → 2018+N, 平成N → 1988+N), Western years, bare years by the form."""
    assert period_of(header, era) == period


def test_status_rules() -> None:
    """The first matching rule wins; no rule, no status."""
    rules = (("実績|決算", "actual"), ("目標|見込", "target"), ("予算", "plan"))
    assert status_of("R6年度見込", rules) == "target"
    assert status_of("Ｒ６年度\n予 算", rules) == "plan"
    assert status_of("差引", rules) == "" and fiscal_year("差引", "令和") is None


# --- hostile input ---------------------------------------------------------------------------

def pdf_file(objects: Sequence[bytes], trailer: bytes = b"") -> bytes:
    """A PDF whose numbered objects are ``objects`` (1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(data: bytes, filters: bytes = b"") -> bytes:
    """A stream object body."""
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), filters, data)


def pages_pdf(contents: Sequence[bytes], count: int | None = None, extra: bytes = b"") -> bytes:
    """One page per content stream (Helvetica as F1); ``count`` overrides /Count."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n if count is None else count),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> %s>>" % (5 + 2 * i, extra))
        objects.append(stream(content))
    return pdf_file(objects)


#: A ruled box with one word in it, and a page with only a drawn rectangle (no text layer).
BOX_WITH_TEXT = (b"50 700 m 300 700 l S 50 760 m 300 760 l S 50 700 m 50 760 l S "
                 b"300 700 m 300 760 l S BT /F1 12 Tf 60 720 Td (Hello) Tj ET")
DRAWING_ONLY = b"100 100 200 200 re S"
#: 3000 one-point glyphs inside that box, 100 to a row (with Hello, 3005 characters).
CROWD = b"BT /F1 1 Tf " + b"".join(b"1 0 0 1 %d %.1f Tm (x) Tj " % (60 + 2 * (i % 100), 702 + 1.5 * (i // 100))
                                   for i in range(3000)) + b"ET"


def flate_bomb(megabytes: int) -> bytes:
    """A zlib stream of ~1 KiB per MiB that inflates to ``megabytes`` MiB of spaces: one
    compressed MiB repeated (full flushes make the blocks independent), then the checksum."""
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9)
    head = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()[:-4]
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return head + body * (megabytes - 1) + tail + struct.pack(">I", checksum)


def quarantined(reading: SheetReading, name: str) -> list[dict[str, Any]]:
    """The quarantine rows of one file."""
    return [q for q in reading.quarantine if Path(q["source_file"]).name == name]


def test_broken_files_are_quarantined(tmp_path: Path) -> None:
    """Truncated, not a PDF, empty, too big, no text layer, too many pages (declared or
    real), no pages, an over-long cell: one quarantine row each, with page and reason;
    nothing raises, and a sheet with one unreadable page keeps its other page."""
    real = (LOCAL_IKEDA / "ikeda-r7-049.pdf").read_bytes()
    files = {
        "truncated.pdf": real[: len(real) // 2],
        "not_a_pdf.pdf": b"<html><body>404 Not Found</body></html>\n",
        "empty.pdf": b"",
        "too_big.pdf": real,
        "no_text.pdf": pages_pdf([DRAWING_ONLY]),
        "count_bomb.pdf": pages_pdf([BOX_WITH_TEXT], count=1_000_000_000),
        "page_flood.pdf": pages_pdf([DRAWING_ONLY] * 30, count=1),
        "long_cell.pdf": pages_pdf([BOX_WITH_TEXT + CROWD]),
        "no_pages.pdf": pages_pdf([]),
        "fine.pdf": pages_pdf([BOX_WITH_TEXT, DRAWING_ONLY]),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    limits = SheetLimits(max_file_bytes=len(real) - 1, max_chars_per_cell=2000,
                         max_pages_per_sheet=20)
    reading = read_sheets(expand_inputs(tmp_path), limits=limits)
    expected = {
        "truncated.pdf": ("", "truncated PDF: no %%EOF marker"),
        "not_a_pdf.pdf": ("", "not a PDF: no %PDF- header"),
        "empty.pdf": ("", "file is empty"),
        "too_big.pdf": ("", f"over max_file_bytes ({len(real) - 1})"),
        "no_text.pdf": (1, "page has no text layer"),
        "count_bomb.pdf": ("", "declares 1000000000 pages, over max_pages_per_sheet (20)"),
        "page_flood.pdf": ("", "more than max_pages_per_sheet (20) pages"),
        "long_cell.pdf": (1, "holds 3005 characters, over max_chars_per_cell (2000)"),
        "no_pages.pdf": ("", "PDF has no pages"),
        "fine.pdf": (2, "page has no text layer"),
    }
    for name, (page, reason) in expected.items():
        rows_ = quarantined(reading, name)
        assert len(rows_) == 1, (name, reading.quarantine)
        assert rows_[0]["page"] == page and reason in rows_[0]["reason"], (name, rows_[0])
    assert [stem_of(p) for p in reading.projects] == ["fine"]
    assert reading.projects[0]["form"] == "generic"
    assert reading.summary["quarantined"] == 10 and reading.summary["sheets"] == 10
    assert reading.summary["quarantined_sheets"] == 10


def test_out_of_time_between_pages() -> None:
    """The checks between pages and cells stop a sheet past max_seconds_per_sheet,
    in-process, naming the page it was on."""
    reading = read_sheets([LOCAL_IKEDA / "ikeda-r7-229.pdf"],
                          limits=SheetLimits(max_seconds_per_sheet=0.001, isolate=False))
    assert reading.projects == [] and reading.figures == []
    (row,) = reading.quarantine
    assert row["page"] == 1 and "longer than max_seconds_per_sheet (0.001 s)" in row["reason"]


def test_nested_object_bomb_is_stopped(tmp_path: Path) -> None:
    """Three million nested arrays keep pdfminer busy inside one call that never checks
    the clock; the worker process is killed after the limit and the grace period."""
    bomb = tmp_path / "nested.pdf"
    bomb.write_bytes(pages_pdf([BOX_WITH_TEXT], extra=b"/Junk " + b"[" * 3_000_000
                               + b"]" * 3_000_000 + b" "))
    after = tmp_path / "after.pdf"
    after.write_bytes(pages_pdf([BOX_WITH_TEXT]))
    start = time.monotonic()
    reading = read_sheets([bomb, after], limits=SheetLimits(max_seconds_per_sheet=1))
    assert time.monotonic() - start < 60
    (row,) = reading.quarantine
    assert Path(row["source_file"]).name == "nested.pdf"
    assert "longer than max_seconds_per_sheet (1 s)" in row["reason"]
    assert [stem_of(p) for p in reading.projects] == ["after"]  # a new worker read the next


def test_inflating_stream_is_stopped(tmp_path: Path) -> None:
    """A 1 KiB-per-MiB content stream that inflates to 1 GiB meets the worker's memory
    cap and is quarantined; the next sheet is still read."""
    content = stream(flate_bomb(1024), b"/Filter /FlateDecode ")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               content]
    bomb = tmp_path / "inflates.pdf"
    bomb.write_bytes(pdf_file(objects))
    assert bomb.stat().st_size < 2_000_000
    reading = read_sheets([bomb, LOCAL_IKEDA / "ikeda-r7-049.pdf"],
                          limits=SheetLimits(max_memory_bytes=400_000_000))
    (row,) = reading.quarantine
    assert Path(row["source_file"]).name == "inflates.pdf" and row["page"] == ""
    assert "memory" in row["reason"] and "400000000" in row["reason"]
    assert [p["project_id"] for p in reading.projects] == ["49"]
    assert values(figures(reading, "ikeda-r7-049", table="cost", label="事業費")) == {
        "R4年度決算": 487, "R5年度決算": 925, "R6年度予算": 885, "R6年度決算": 885}
