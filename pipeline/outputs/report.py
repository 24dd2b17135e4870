"""One self-contained HTML page per run: what was found, what changed, what to check.

The page opens on a choice of municipality (and year) and shows one municipality at a
time. It must open anywhere, offline, and show Japanese on a machine without Japanese
fonts: charts are PNGs drawn with IPAexGothic (shipped inside the japanize-matplotlib
package, loaded from its file, never downloaded), and the page's own text uses a subset
of the same font embedded as a data: URL.

The summary, changes and QA sections are HTML, escaped by :func:`_cells` (only :class:`Html`
values pass unescaped). Every figure reaches the page as JSON data, not as a table of every
row: the page's one script (``report.js``) draws a page of the list at a time, and searches,
filters and sorts it, so that a national corpus's page opens in seconds. The data sits in a
``<script type="application/json">`` block (never run; ``<`` written as ``\u003c`` so no text
closes it) and becomes text nodes only; a Content Security Policy lets no script run but the
page's own, by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.resources
import importlib.util
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import pandas as pd
from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager

from pipeline.tables import files
from pipeline import resources
from pipeline.analysis.compare import largest_changes
from pipeline.core.config import FIELDS
from pipeline.outputs.export import code_label
from pipeline.tables.schema import table

FONT_FAMILY = "ReportGothic"
#: Japanese labels of codes (resources/labels.yaml); the kinds in the summary's column order.
LABELS = resources.labels()
KIND_LABELS, FIELD_LABELS, STATUS_LABELS = LABELS["kind"], LABELS["field"], LABELS["status"]
CHECK_LABELS, MATCH_LABELS = LABELS["check"], LABELS["match_method"]
#: How many of the largest changes get a chart of their concept's whole series.
SERIES_CHARTS = 6
DISAGREEMENT_LABELS = {"true": "不一致", "false": "一致", "": ""}
#: Rows of the figure list the page draws at a time.
PAGE_SIZE = 50
#: The figure list's columns, in order, and how they are styled (num: right-aligned, keep: no wrap).
LIST_COLUMNS = ("fiscal_year", "project_id", "project_name", "field", "concept", "value", "unit", "kind",
                "period", "status", "sentence")
LIST_CLASSES = {"fiscal_year": "keep", "project_id": "keep", "field": "keep", "value": "num", "unit": "keep",
                "kind": "keep", "period": "keep", "status": "keep"}
#: The fields of a figure in the page's data, in order (see report.js).
DATA_COLUMNS = ("city", "fiscal_year", "project_id", "project_name", "field", "concept", "value", "value_text",
                "unit", "kind", "period", "status", "sentence", "mark_start", "mark_end", "metric_id", "anchor")
NO_MUNICIPALITY = "（自治体の指定なし）"
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "script-src 'sha256-%(hash)s'")
_CSS = """
body { font-family: "%(font)s", sans-serif; margin: 2em; color: #222; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #356; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; vertical-align: top; }
th { background: #e8eef3; } td.num { text-align: right; white-space: nowrap; }
td.keep { white-space: nowrap; }
tr:target, tr.target { background: #fff3c4; } mark { background: #ffd54f; }
img { max-width: 100%%; } .note { color: #555; font-size: 0.9em; }
header.choose { position: sticky; top: 0; background: #fff; padding: 0.5em 0; border-bottom: 1px solid #bbb; }
.controls label { margin-right: 1em; white-space: nowrap; } select, input, button { font: inherit; } #list th { cursor: pointer; }
#list th[aria-sort=ascending]::after { content: " ▲"; } #list th[aria-sort=descending]::after { content: " ▼"; }
"""


class Html(str):
    """Markup built here from escaped parts; the only text :func:`_cells` does not escape."""


def _esc(value: object) -> Html:
    return value if isinstance(value, Html) else Html(html.escape("" if value is None else str(value)))


def _cells(values: Iterable[object], tag: str = "td", classes: Sequence[str] = ()) -> Html:
    """Cells of one row; ``classes`` styles them by column (num: right-aligned, keep: no wrap)."""
    out = []
    for i, v in enumerate(values):
        cls = f' class="{classes[i]}"' if i < len(classes) and classes[i] else ""
        out.append(f"<{tag}{cls}>{_esc(v)}</{tag}>")
    return Html("".join(out))


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], classes: Sequence[str] = (),
           row_years: Iterable[str] | None = None) -> Html:
    """A table; every cell escaped unless it is :class:`Html`; a row's ``row_years`` entry becomes
    its ``data-year``, so that the page's year choice can hide it."""
    years = iter(row_years) if row_years is not None else None
    body = []
    for row in rows:
        attr = f' data-year="{_esc(next(years))}"' if years is not None else ""
        body.append(f"<tr{attr}>{_cells(row, classes=classes)}</tr>")
    head = f"<thead><tr>{_cells(headers, 'th')}</tr></thead>"
    return Html(f"<table>{head}<tbody>{''.join(body)}</tbody></table>")


def anchor(metric_id: str) -> str:
    """An element id for a metric: ids may hold any character, anchors keep to safe ones."""
    return "m-" + re.sub(r"[^0-9A-Za-z_-]", lambda m: f".{ord(m.group()):x}.", metric_id)


def _link(metric_id: str) -> Html:
    """A link to the metric's row in the figure list, where its sentence is shown (the page's
    script draws that row and scrolls to it)."""
    if not metric_id:
        return Html("")
    return Html(f'<a href="#{_esc(anchor(metric_id))}" data-metric="{_esc(metric_id)}">文を見る</a>')


def _number(text: object) -> str:
    """2230 → 2,230; text that is not a number is shown as it is."""
    try:
        return f"{Decimal(str(text)):,}" if text not in ("", None) else ""
    except InvalidOperation:
        return str(text)


def mark_span(sentence: str, cell: str, start: int, end: int, surface: str) -> tuple[int, int]:
    """Where in ``sentence`` the figure at cell[start:end] is, as (start, end); (-1, -1) if not.

    Offsets index the cell, so the sentence is placed in it first (the same sentence can
    occur twice); without the cell the first occurrence of the surface is marked.
    """
    pos = cell.find(sentence) if cell and sentence else -1
    while pos != -1 and not (pos <= start and end <= pos + len(sentence)):
        pos = cell.find(sentence, pos + 1)
    s = start - pos if pos != -1 else sentence.find(surface)
    e = s + (end - start if pos != -1 else len(surface))
    return (s, e) if s >= 0 and surface else (-1, -1)


# --- the font -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def font_path() -> Path:
    """IPAexGothic inside the japanize-matplotlib package (found without importing it)."""
    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the report's Japanese font comes with japanize-matplotlib; "
                                "run `make install`")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "ipaexg.ttf"
    if not path.exists():
        raise FileNotFoundError(f"{path}: IPAexGothic missing from japanize-matplotlib")
    return path


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Register IPAexGothic with matplotlib (once) and return its family name."""
    fontManager.addfont(str(font_path()))
    return FontProperties(fname=font_path()).get_name()


def font_face_css(text: str) -> str:
    """An @font-face rule embedding IPAexGothic reduced to the characters of ``text`` (WOFF).

    The whole font is 4 MB; the characters of one report make a few hundred kB.
    """
    font = TTFont(font_path(), recalcTimestamp=False)  # the file's own timestamp: same bytes each run
    options = subset.Options()
    options.flavor = "woff"
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{FONT_FAMILY}"; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}')


# --- charts -------------------------------------------------------------------------------

def _png(draw: Callable[[Figure], None], height: float) -> Html:
    """A figure drawn by ``draw`` in IPAexGothic, as an inline PNG."""
    with rc_context({"font.family": _font_family(), "axes.unicode_minus": False}):
        fig = Figure(figsize=(9, height), dpi=100)
        FigureCanvasAgg(fig)
        draw(fig)
        fig.tight_layout()
        buffer = BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Html(f'<img alt="" src="data:image/png;base64,{data}">')


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def kind_chart(counts: pd.DataFrame) -> Html:
    """Metrics per bureau, stacked by kind (``counts``: bureau × kind)."""
    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        left = pd.Series(0, index=counts.index)
        for kind in counts.columns:
            ax.barh([_short(b, 28) for b in counts.index], counts[kind], left=left,
                    label=KIND_LABELS.get(kind, kind))
            left = left + counts[kind]
        ax.invert_yaxis()
        ax.set_xlabel("指標の数")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(draw, 1.2 + 0.4 * len(counts))


def series_chart(panels: list[tuple[str, pd.DataFrame]]) -> Html:
    """Small multiples: each concept's values over its periods (``panels``: title, rows of
    the series table in period order)."""
    rows = (len(panels) + 1) // 2

    def draw(fig: Figure) -> None:
        for i, (title, series) in enumerate(panels):
            ax = fig.add_subplot(rows, 2, i + 1)
            ax.plot(series["period"], series["value"].astype(float), marker="o", color="#1565c0")
            ax.set_title(_short(title, 30), fontsize=9)
            ax.tick_params(labelsize=8)
    return _png(draw, 2.6 * rows)


def change_chart(changes: pd.DataFrame) -> Html:
    """Relative change of the largest changes, labelled by project and concept."""
    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        values = changes["change_pct"].astype(float)
        ax.barh([_short(f"{p}：{c}", 36) for p, c in zip(changes["project_name"], changes["concept"])],
                values, color=["#2e7d32" if v >= 0 else "#c62828" for v in values])
        ax.invert_yaxis()
        ax.axvline(0, color="#555", linewidth=0.8)
        ax.set_xlabel("増減率（%）")
    return _png(draw, 1.2 + 0.35 * len(changes))


# --- sections -----------------------------------------------------------------------------

def _with_municipality(df: pd.DataFrame) -> pd.DataFrame:
    """A run folder's tables carry no municipality: they are one, unnamed."""
    return df if "municipality" in df else df.assign(municipality="")


def kind_counts(metrics: pd.DataFrame) -> pd.DataFrame:
    """Metrics per fiscal year, bureau and division, one column per kind, and 計."""
    kinds = [k for k in KIND_LABELS if k in set(metrics["kind"])]
    kinds += sorted(set(metrics["kind"]) - set(kinds))
    counts = (metrics.groupby(["fiscal_year", "bureau", "division", "kind"]).size()
              .unstack("kind", fill_value=0).reindex(columns=kinds, fill_value=0))
    counts["total"] = counts.sum(axis=1)
    return counts


def _summary(metrics: pd.DataFrame) -> Html:
    if metrics.empty:
        return Html("<p>指標はありません。</p>")
    counts = kind_counts(metrics)
    kinds = [k for k in counts.columns if k != "total"]
    headers = ["年度", "部局", "課", *(KIND_LABELS.get(k, k) for k in kinds), "計"]
    rows = [[*key, *(int(v) for v in values)] for key, values in zip(counts.index, counts.to_numpy())]
    unit = (metrics["bureau"] + " " + metrics["division"]).str.strip().replace("", "（課なし）")
    by_division = (metrics.assign(unit=unit).groupby(["unit", "kind"]).size()
                   .unstack("kind", fill_value=0).reindex(columns=kinds, fill_value=0))
    table_html = _table(headers, rows, classes=["keep"] * 3 + ["num"] * (len(kinds) + 1),
                        row_years=(key[0] for key in counts.index))
    return Html(table_html + kind_chart(by_division))


def _comparison_table(changes: pd.DataFrame) -> Html:
    label = table("comparison").column
    headers = [label("project_name").label, label("concept").label, label("status").label, "期間",
               "表の年度", label("value_from").label, label("value_to").label, label("unit").label,
               label("change_abs").label, label("change_pct").label, label("stated_change").label,
               label("stated_prior_value").label, label("disagreement").label, label("match_method").label,
               label("match_confidence").label, "文"]
    rows = [[r.project_name, r.concept, STATUS_LABELS.get(r.status, r.status), f"{r.period_from}→{r.period_to}",
             f"{r.fiscal_year_from}→{r.fiscal_year_to}", _number(r.value_from), _number(r.value_to), r.unit,
             _number(r.change_abs), _number(r.change_pct), _number(r.stated_change),
             _number(r.stated_prior_value), DISAGREEMENT_LABELS.get(r.disagreement, r.disagreement),
             str(code_label(r.match_method, MATCH_LABELS)).replace("＋", "＋\u200b"), r.match_confidence,
             _link(r.metric_id_to)]
            for r in changes.itertuples()]
    classes = ["", "", "keep", "keep", "keep", "num", "num", "keep", "num", "num", "num", "num", "keep", "",
               "num", "keep"]
    return _table(headers, rows, classes)


def series_panels(changes: pd.DataFrame, series: pd.DataFrame | None) -> list[tuple[str, pd.DataFrame]]:
    """For each of the largest changes, the series of its concept (same municipality, project,
    concept, unit category and status) over every period it has, in period order."""
    if series is None or series.empty:
        return []
    panels = []
    for r in changes.head(SERIES_CHARTS).itertuples():
        rows = series[(series["municipality"] == r.municipality) & (series["project_id"] == r.project_id)
                      & (series["concept"] == r.concept) & (series["unit_category"] == r.unit_category)
                      & (series["status"] == r.status) & series["period"].str.fullmatch(r"(?:FY)?\d{4}")]
        if len(rows) >= 2:
            rows = rows.assign(_year=rows["period"].str[-4:].astype(int)).sort_values("_year")
            panels.append((f"{r.project_name}：{r.concept}（{r.unit}）", rows))
    return panels


def _changes(comparison: pd.DataFrame | None, series: pd.DataFrame | None, top: int) -> Html:
    if comparison is None or comparison.empty:
        return Html("<p>比較できる期間がありません（同じ指標の連続する2期間の値が必要です）。</p>")
    largest = largest_changes(comparison, top)
    parts = [Html(f"<p>増減率の絶対値が大きい{len(largest)}件（全{len(comparison)}件の比較のうち）。"
                  "同じ事業・指標・区分の連続する期間どうしを、すべての年度の表から比べています。</p>"),
             _comparison_table(largest)]
    if not largest.empty:
        parts.append(change_chart(largest))
    panels = series_panels(largest, series)
    if panels:
        parts += [Html("<h3>変化の大きい指標の時系列</h3>"), series_chart(panels)]
    disagree = comparison[comparison["disagreement"] == "true"]
    parts.append(Html("<h3>本文の増減の記載と前の期間の値が合わないもの</h3>"))
    parts.append(_comparison_table(disagree) if not disagree.empty else Html("<p>ありません。</p>"))
    return Html("".join(parts))


def _qa(qa: pd.DataFrame) -> Html:
    if qa.empty:
        return Html("<p>見つかった点はありません。</p>")
    label = table("qa").column
    cols = ["fiscal_year", "project_id", "field", "check", "message"]
    rows = [[r.fiscal_year, r.project_id, FIELD_LABELS.get(r.field, r.field), CHECK_LABELS.get(r.check, r.check),
             r.message, _link(r.metric_id)] for r in qa.itertuples()]
    return _table([label(c).label for c in cols] + ["文"], rows, ["keep"] * 4 + ["", "keep"],
                  row_years=qa["fiscal_year"])


def _peers(peers: pd.DataFrame | None, figures: pd.DataFrame | None) -> Html:
    """Each project's most similar projects elsewhere, and their figures of one measure side by side."""
    if peers is None or peers.empty:
        return Html("<p>ほかの自治体に似た事業はありません（自治体が1つだけか、似た事業が見つかりません）。</p>")
    label = table("peers").column
    cols = ["project_name", "rank", "peer_municipality", "peer_project_name", "similarity"]
    parts = [Html("<p>事業名・目的・概要の文字n-gram（TF-IDF）のコサイン類似度で、ほかの自治体の最も似た事業を挙げています。</p>"),
             _table([label(c).label for c in cols], peers[cols].to_numpy().tolist(), ["", "num", "keep", "", "num"])]
    if figures is not None and not figures.empty:
        fl = table("peer_figures").column
        headers = [fl("project_name").label, fl("peer_municipality").label, fl("peer_project_name").label,
                   fl("concept").label, fl("status").label, fl("value").label, fl("unit").label, fl("period").label,
                   fl("peer_concept").label, fl("peer_value").label, fl("peer_unit").label, fl("peer_period").label]
        rows = [[r.project_name, r.peer_municipality, r.peer_project_name, r.concept,
                 STATUS_LABELS.get(r.status, r.status), _number(r.value), r.unit, r.period, r.peer_concept,
                 _number(r.peer_value), r.peer_unit, r.peer_period] for r in figures.itertuples()]
        parts += [Html("<h3>同じものを測る指標の比較（最新の値）</h3>"),
                  _table(headers, rows, ["", "keep", "", "", "keep", "num", "keep", "keep", "", "num", "keep", "keep"])]
    return Html("".join(parts))


def _span(years: Iterable[str]) -> str:
    ordered = sorted(set(years), key=int)
    if not ordered:
        return ""
    return f"{ordered[0]}〜{ordered[-1]}年度" if len(ordered) > 1 else f"{ordered[0]}年度"


def _of(df: pd.DataFrame | None, municipality: str) -> pd.DataFrame | None:
    return None if df is None else df[df["municipality"] == municipality]


def _city_block(index: int, name: str, tables: Mapping[str, pd.DataFrame | None], top: int) -> Html:
    """One municipality's summary, changes and QA; all but the first hidden until chosen."""
    metrics, qa = (tables[n][tables[n]["municipality"] == name] for n in ("metrics", "qa"))
    projects = _of(tables.get("projects"), name)
    listed = projects if projects is not None else metrics[["fiscal_year", "project_id"]].drop_duplicates()
    sections = [
        (f"summary-{index}", "部局・課別の指標数", _summary(metrics)),
        (f"changes-{index}", "期間比較：変化の大きい指標",
         _changes(_of(tables.get("comparison"), name), _of(tables.get("series"), name), top)),
        (f"qa-{index}", "品質チェック", _qa(qa)),
        (f"peers-{index}", "類似事業（ほかの自治体）",
         _peers(_of(tables.get("peers"), name), _of(tables.get("peer_figures"), name))),
    ]
    nav = "".join(f'<li><a href="#{sid}">{_esc(title)}</a></li>' for sid, title, _ in sections)
    nav += '<li><a href="#metrics">指標一覧</a></li>'
    body = "".join(f'<section id="{sid}"><h2>{_esc(title)}</h2>{content}</section>'
                   for sid, title, content in sections)
    shown = name or NO_MUNICIPALITY
    span = _span([*listed["fiscal_year"], *metrics["fiscal_year"]])
    hidden = " hidden" if index else ""
    return Html(f'<div class="city-block" data-city="{index}"{hidden}><h2 class="city">{_esc(shown)}'
                f'{_esc("（" + span + "）" if span else "")}</h2>'
                f"<p>事業数 {len(listed)}、指標数 {len(metrics)}、品質チェックの指摘 {len(qa)}。</p>"
                f"<nav><ol>{nav}</ol></nav>{body}</div>")


def figure_data(metrics: pd.DataFrame, projects: pd.DataFrame | None, cities: Sequence[str]) -> dict[str, Any]:
    """Every figure as the page's script reads it: a row of :data:`DATA_COLUMNS` each, the
    sentences once each (many figures share one), codes as their Japanese labels."""
    cells: dict[tuple[str, str, str, str], str] = {}
    for p in (projects.to_dict("records") if projects is not None else []):
        for field in FIELDS:
            cells[(p["municipality"], p.get("dataset", ""), p["project_id"], field)] = p.get(field, "")
    city_of = {name: i for i, name in enumerate(cities)}
    sentences: dict[str, int] = {}
    rows = []
    for r in metrics.to_dict("records"):
        cell = cells.get((r["municipality"], r.get("dataset", ""), r["project_id"], r["field"]), "")
        start, end = mark_span(r["sentence"], cell, int(r["start"] or 0), int(r["end"] or 0), r["surface"])
        try:
            value = float(Decimal(r["value"])) if r["value"] else None
        except InvalidOperation:
            value = None
        rows.append([city_of[r["municipality"]], r["fiscal_year"], r["project_id"], r["project_name"],
                     FIELD_LABELS.get(r["field"], r["field"]), r["concept"], value, _number(r["value"]), r["unit"],
                     KIND_LABELS.get(r["kind"], r["kind"]), r["period"], STATUS_LABELS.get(r["status"], r["status"]),
                     sentences.setdefault(r["sentence"], len(sentences)), start, end, r["metric_id"],
                     anchor(r["metric_id"])])
    years = [sorted(set(metrics.loc[metrics["municipality"] == c, "fiscal_year"]), key=int) for c in cities]
    label = table("metrics").column
    return {"columns": list(DATA_COLUMNS), "rows": rows, "sentences": list(sentences),
            "cities": [{"name": c or NO_MUNICIPALITY, "years": y} for c, y in zip(cities, years)],
            "list": list(LIST_COLUMNS), "headers": [label(c).label for c in LIST_COLUMNS],
            "classes": LIST_CLASSES, "numeric": ["value"], "page_size": PAGE_SIZE}


def _figure_list(data: Mapping[str, Any]) -> Html:
    """The list's controls and empty table; the script fills it from the data."""
    headers = "".join(f"<th>{_esc(h)}</th>" for h in data["headers"])
    return Html(
        '<div class="controls">'
        '<label>検索 <input id="q" type="search" placeholder="事業名・指標名・文・事業番号"></label>'
        '<label>指標名 <input id="concept" type="search" placeholder="指標名の一部"></label>'
        '<label>区分 <select id="status"></select></label><label>種別 <select id="kind"></select></label>'
        '<label>期間 <select id="period"></select></label></div>'
        '<p><button id="prev" type="button">前へ</button> <span id="list-count"></span> '
        '<button id="next" type="button">次へ</button></p>'
        f'<table id="list"><thead><tr>{headers}</tr></thead><tbody id="list-body"></tbody></table>'
        "<noscript><p>指標一覧の表示・検索には JavaScript が必要です（データはこのページに含まれています）。</p>"
        "</noscript>")


@lru_cache(maxsize=1)
def _script() -> str:
    return importlib.resources.files("pipeline.outputs").joinpath("report.js").read_text("utf-8")


def _json_for_html(data: object) -> str:
    """JSON that no text inside can end the <script> element it sits in."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def build_report(tables: Mapping[str, pd.DataFrame], top: int = 20) -> str:
    """The HTML page of ``tables`` (metrics and qa; projects, comparison and series when
    present), a municipality at a time."""
    tables = {name: _with_municipality(df) for name, df in tables.items()}
    metrics, projects = tables["metrics"], tables.get("projects")
    cities = sorted(set(metrics["municipality"]) | set(projects["municipality"] if projects is not None else []))
    title = "事務事業評価 指標レポート"
    blocks = "".join(_city_block(i, name, tables, top) for i, name in enumerate(cities))
    data = figure_data(metrics, projects, cities)
    body = (f'<header class="choose"><h1>{_esc(title)}</h1><div class="controls">'
            '<label>自治体 <select id="city"></select></label>'
            '<label>年度 <select id="year"></select></label></div></header>'
            f'{blocks}<section id="metrics"><h2>指標一覧</h2>{_figure_list(data)}</section>'
            "<footer class=\"note\"><p>グラフと本文のフォント: IPAexゴシック（IPAフォントライセンスv1.0）、"
            "必要な文字だけを埋め込み。</p></footer>")
    script = _script()
    drawn = [html.unescape(re.sub(r"<[^>]+>", "", body)), script, *data["sentences"],
             *(c["name"] for c in data["cities"]),
             *(str(v) for row in data["rows"] for v in row[3:12])]
    csp = _CSP % {"hash": base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")}
    return ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
            f"<title>{_esc(title)}</title><style>{font_face_css(''.join(drawn))}{_CSS % {'font': FONT_FAMILY}}"
            f"</style></head><body>{body}"
            f'<script type="application/json" id="report-data">{_json_for_html(data)}</script>'
            f"<script>{script}</script></body></html>\n")


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """metrics.csv and qa.csv of ``folder``, and projects, comparison, series and peers if it has them."""
    tables = {name: files.read_csv(folder / f"{name}.csv") for name in ("metrics", "qa")}
    for name in ("projects", "comparison", "series", "peers", "peer_figures"):
        if (folder / f"{name}.csv").exists():
            tables[name] = files.read_csv(folder / f"{name}.csv")
    return tables


def write_report(folder: Path, out: Path, top: int) -> None:
    files.write_text(build_report(read_tables(folder), top), out)
