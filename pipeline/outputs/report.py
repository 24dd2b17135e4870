"""One self-contained HTML page per run: what was found, what changed, what to check.

The page must open anywhere, offline, and show Japanese on a machine without Japanese
fonts: charts are PNGs drawn with IPAexGothic (shipped inside the japanize-matplotlib
package, loaded from its file, never downloaded), and the page's own text uses a subset
of the same font embedded as a data: URL. It carries no script, and a Content Security
Policy forbids any, so table text (which comes from documents) can never run; all of it
is HTML-escaped by :func:`_cells`, and only :class:`Html` values pass unescaped.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from io import BytesIO
from pathlib import Path

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
from pipeline.tables.schema import table

FONT_FAMILY = "ReportGothic"
#: Japanese labels of codes (resources/labels.yaml); the kinds in the summary's column order.
LABELS = resources.labels()
KIND_LABELS, FIELD_LABELS, STATUS_LABELS = LABELS["kind"], LABELS["field"], LABELS["status"]
#: How many of the largest changes get a chart of their concept's whole series.
SERIES_CHARTS = 6
DISAGREEMENT_LABELS = {"true": "不一致", "false": "一致", "": ""}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
_CSS = """
body { font-family: "%(font)s", sans-serif; margin: 2em; color: #222; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #356; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; vertical-align: top; }
th { background: #e8eef3; } td.num { text-align: right; white-space: nowrap; }
td.keep { white-space: nowrap; }
tr:target { background: #fff3c4; } mark { background: #ffd54f; }
img { max-width: 100%%; } .note { color: #555; font-size: 0.9em; }
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
           row_ids: Iterable[str] | None = None) -> Html:
    """A table; every cell escaped unless it is :class:`Html`; ``row_ids`` become anchors."""
    ids = iter(row_ids) if row_ids is not None else None
    body = []
    for row in rows:
        rid = f' id="{_esc(next(ids))}"' if ids is not None else ""
        body.append(f"<tr{rid}>{_cells(row, classes=classes)}</tr>")
    head = f"<thead><tr>{_cells(headers, 'th')}</tr></thead>"
    return Html(f"<table>{head}<tbody>{''.join(body)}</tbody></table>")


def anchor(metric_id: str) -> str:
    """An element id for a metric: ids may hold any character, anchors keep to safe ones."""
    return "m-" + re.sub(r"[^0-9A-Za-z_-]", lambda m: f".{ord(m.group()):x}.", metric_id)


def _link(metric_id: str) -> Html:
    """A link to the metric's row in the metric list, where its sentence is shown."""
    return Html(f'<a href="#{_esc(anchor(metric_id))}">文を見る</a>') if metric_id else Html("")


def _number(text: object) -> str:
    """2230 → 2,230; text that is not a number is shown as it is."""
    try:
        return f"{Decimal(str(text)):,}" if text not in ("", None) else ""
    except InvalidOperation:
        return str(text)


def highlight(sentence: str, cell: str, start: int, end: int, surface: str) -> Html:
    """The sentence, escaped, with the figure at cell[start:end] marked.

    Offsets index the cell, so the sentence is placed in it first (the same sentence can
    occur twice); without the cell the first occurrence of the surface is marked.
    """
    pos = cell.find(sentence) if cell and sentence else -1
    while pos != -1 and not (pos <= start and end <= pos + len(sentence)):
        pos = cell.find(sentence, pos + 1)
    s = start - pos if pos != -1 else sentence.find(surface)
    e = s + (end - start if pos != -1 else len(surface))
    if s < 0 or not surface:
        return _esc(sentence)
    return Html(f"{_esc(sentence[:s])}<mark>{_esc(sentence[s:e])}</mark>{_esc(sentence[e:])}")


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
    table_html = _table(headers, rows, classes=["keep"] * 3 + ["num"] * (len(kinds) + 1))
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
             r.match_method.replace("+", "+\u200b"), r.match_confidence, _link(r.metric_id_to)]
            for r in changes.itertuples()]
    classes = ["", "", "keep", "keep", "keep", "num", "num", "keep", "num", "num", "num", "num", "keep", "",
               "num", "keep"]
    return _table(headers, rows, classes)


def series_panels(changes: pd.DataFrame, series: pd.DataFrame | None) -> list[tuple[str, pd.DataFrame]]:
    """For each of the largest changes, the series of its concept (same project, concept, unit
    category and status) over every period it has, in period order."""
    if series is None or series.empty:
        return []
    panels = []
    for r in changes.head(SERIES_CHARTS).itertuples():
        rows = series[(series["project_id"] == r.project_id) & (series["concept"] == r.concept)
                      & (series["unit_category"] == r.unit_category) & (series["status"] == r.status)
                      & series["period"].str.fullmatch(r"(?:FY)?\d{4}")]
        if len(rows) >= 2:
            rows = rows.assign(_year=rows["period"].str[-4:].astype(int)).sort_values("_year")
            panels.append((f"{r.project_name}：{r.concept}（{r.unit}）", rows))
    return panels


def _changes(comparison: pd.DataFrame | None, series: pd.DataFrame | None, top: int) -> Html:
    if comparison is None or comparison.empty:
        return Html("<p>比較できる期間がありません（同じ指標の連続する2期間の値が必要です）。</p>")
    largest = largest_changes(comparison, top)
    parts = [Html(f"<p>増減率の絶対値が大きい{len(largest)}件（全{len(comparison)}件の比較のうち）。"
                  "同じ事業・指標・区分の連続する期間どうしを比べています。</p>"),
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
    rows = [[r.fiscal_year, r.project_id, FIELD_LABELS.get(r.field, r.field), r.check, r.message,
             _link(r.metric_id)] for r in qa.itertuples()]
    return _table([label(c).label for c in cols] + ["文"], rows, ["keep"] * 4 + ["", "keep"])


def _metric_list(metrics: pd.DataFrame, projects: pd.DataFrame | None) -> Html:
    cells: dict[tuple[str, str, str], str] = {}
    for p in (projects.to_dict("records") if projects is not None else []):
        for field in FIELDS:
            cells[(p["fiscal_year"], p["project_id"], field)] = p.get(field, "")
    label = table("metrics").column
    cols = ["fiscal_year", "project_id", "project_name", "field", "concept", "value", "unit", "kind",
            "period", "status", "sentence"]
    rows = [[r.fiscal_year, r.project_id, r.project_name, FIELD_LABELS.get(r.field, r.field), r.concept,
             _number(r.value), r.unit, KIND_LABELS.get(r.kind, r.kind), r.period,
             STATUS_LABELS.get(r.status, r.status),
             highlight(r.sentence, cells.get((r.fiscal_year, r.project_id, r.field), ""),
                       int(r.start or 0), int(r.end or 0), r.surface)]
            for r in metrics.itertuples()]
    classes = ["keep", "keep", "", "keep", "", "num", "keep", "keep", "keep", "keep", ""]
    return _table([label(c).label for c in cols], rows, classes,
                  row_ids=(anchor(m) for m in metrics["metric_id"]))


def build_report(tables: Mapping[str, pd.DataFrame], top: int = 20) -> str:
    """The HTML page of ``tables`` (metrics and qa; projects and comparison when present)."""
    metrics, qa = tables["metrics"], tables["qa"]
    projects, comparison = tables.get("projects"), tables.get("comparison")
    listed = projects if projects is not None else metrics[["fiscal_year", "project_id"]].drop_duplicates()
    years = sorted(set(listed["fiscal_year"]) | set(metrics["fiscal_year"]), key=int)
    span = f"{years[0]}〜{years[-1]}年度" if len(years) > 1 else (f"{years[0]}年度" if years else "")
    title = f"事務事業評価 指標レポート（{span}）" if span else "事務事業評価 指標レポート"
    sections = [
        ("summary", "部局・課別の指標数", _summary(metrics)),
        ("changes", "期間比較：変化の大きい指標", _changes(comparison, tables.get("series"), top)),
        ("qa", "品質チェック", _qa(qa)),
        ("metrics", "指標一覧", _metric_list(metrics, projects)),
    ]
    nav = "".join(f'<li><a href="#{sid}">{_esc(name)}</a></li>' for sid, name, _ in sections)
    body = "".join(f'<section id="{sid}"><h2>{_esc(name)}</h2>{content}</section>'
                   for sid, name, content in sections)
    body = (f"<h1>{_esc(title)}</h1><p>事業数 {len(listed)}、指標数 {len(metrics)}、"
            f"品質チェックの指摘 {len(qa)}。</p><nav><ol>{nav}</ol></nav>{body}"
            "<footer class=\"note\"><p>グラフと本文のフォント: IPAexゴシック（IPAフォントライセンスv1.0）、"
            "必要な文字だけを埋め込み。</p></footer>")
    text = html.unescape(re.sub(r"<[^>]+>", "", body))  # what the embedded font must draw
    return ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">"
            f"<title>{_esc(title)}</title><style>{font_face_css(text)}{_CSS % {'font': FONT_FAMILY}}</style>"
            f"</head><body>{body}</body></html>\n")


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """metrics.csv and qa.csv of ``folder``, and projects, comparison and series if it has them."""
    tables = {name: files.read_csv(folder / f"{name}.csv") for name in ("metrics", "qa")}
    for name in ("projects", "comparison", "series"):
        if (folder / f"{name}.csv").exists():
            tables[name] = files.read_csv(folder / f"{name}.csv")
    return tables


def write_report(folder: Path, out: Path, top: int) -> None:
    files.write_text(build_report(read_tables(folder), top), out)
