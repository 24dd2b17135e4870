"""The HTML report: content, escaping, links to sentences, and what a browser really shows.

The browser tests open the page in headless Chromium (Debian's ``chromium``) and look at the
DOM its script built and at a screenshot; they are skipped only where no Chromium binary
exists. One drives the page as a person would (a key on the municipality list, typing a search,
a click on a column) over the DevTools protocol; the others take a municipality, year, filters
or a search from the page's address (#city=…&q=…), which go through the controls' own handlers.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from PIL import Image, ImageChops, ImageStat

from pipeline import cli
from pipeline.analysis.panel import Source, read_panel
from pipeline.core.config import StagePaths
from pipeline.outputs.report import (
    STATUS_LABELS,
    anchor,
    build_report,
    change_chart,
    font_path,
    kind_chart,
    kind_counts,
    mark_span,
    read_tables,
)

pytest_plugins = ["compare_support"]  # the two_years fixture

XSS = "<script>alert(1)</script>"
IMG_XSS = '<img src=x onerror="document.body.dataset.pwned=1">'
CHROMIUM = next((path for name in ("chromium", "chromium-browser", "google-chrome")
                 if (path := shutil.which(name))), None)
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary on PATH; on Debian: "
                                                            "apt-get install -y chromium")


@pytest.fixture(scope="session")
def tables(two_years: Path) -> dict[str, pd.DataFrame]:
    return read_tables(two_years / "exports")


@pytest.fixture(scope="session")
def hostile(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The real tables with markup in a project name, a sentence, a QA message and a concept."""
    metrics = tables["metrics"].copy()
    metrics.loc[0, "project_name"] = f"秘書業務{XSS}"
    metrics.loc[1, "sentence"] = f"{IMG_XSS}{metrics.loc[1, 'sentence']}"
    qa = pd.DataFrame([{"municipality": "つくば市", "dataset": "2024", "fiscal_year": "2024", "project_id": "159",
                        "field": "outcome",
                        "check": "breakdown_sum", "metric_id": metrics.loc[0, "metric_id"],
                        "message": f"合計が合わない{XSS}"}])
    comparison = tables["comparison"].copy()
    comparison.loc[comparison.index[0], "concept"] = f"<b>{XSS}</b>"
    return {**tables, "metrics": metrics, "qa": qa, "comparison": comparison}


@pytest.fixture(scope="session")
def hostile_page(hostile: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(build_report(hostile), encoding="utf-8")
    return path


# --- the page's text ----------------------------------------------------------------------

def _data(page: str) -> dict:
    """The figures the page carries as JSON."""
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block.group(1))


def test_markup_in_cells_is_escaped(hostile_page: Path) -> None:
    page = hostile_page.read_text(encoding="utf-8")
    assert XSS not in page and IMG_XSS not in page and "<b>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # QA message, concept
    assert page.lower().count("<script") == 2  # the JSON data and the page's own script
    assert "\\u003cscript>alert(1)\\u003c/script>" in page  # data text cannot close its element
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "script-src 'sha256-" in csp and "unsafe" not in csp.split("script-src")[1]
    rows = _data(page)["rows"]
    assert any(XSS in r[3] for r in rows)  # the data keeps the text; the script makes it text nodes


def test_figures_are_marked_in_their_own_sentence(tables: dict[str, pd.DataFrame]) -> None:
    # 第1回は…、第2回は…結果、2回合計161名が参加した。: the figure is the second 「2回」.
    metric = tables["metrics"].set_index("metric_id").loc["2023:2023-5-outcome-78"]
    cell = tables["projects"].set_index(["fiscal_year", "project_id"]).loc[("2023", "5"), "outcome"]
    s, e = mark_span(metric["sentence"], cell, int(metric["start"]), int(metric["end"]), metric["surface"])
    assert metric["sentence"][s:e] == "2回"
    assert metric["sentence"][:s].endswith("結果、") and metric["sentence"][e:].startswith("合計161名")


def test_every_figure_is_in_the_data_and_every_link_points_at_one(tables: dict[str, pd.DataFrame]) -> None:
    page = build_report(tables)
    data = _data(page)
    ids = [r[data["columns"].index("metric_id")] for r in data["rows"]]
    assert ids == list(tables["metrics"]["metric_id"])
    targets = set(re.findall(r'data-metric="([^"]+)"', page))
    assert targets and targets <= set(ids)
    assert anchor("2023-4-outcome-111") == "m-2023-4-outcome-111"
    assert re.fullmatch(r"[\w.-]+", anchor("2024:事業/1-outcome-3"))
    assert len(data["sentences"]) < len(ids)  # a sentence of several figures is carried once


def test_codes_are_shown_in_japanese(tables: dict[str, pd.DataFrame]) -> None:
    page = build_report(tables)
    changes = page[page.index("<h2>期間比較：変化の大きい指標</h2>"):page.index('<section id="qa-0">')]
    assert "same_table" not in changes and "concept_exact" not in changes
    assert "事業番号＋\u200b指標名が同じ" in changes
    data = _data(page)
    status = {r[data["columns"].index("status")] for r in data["rows"]}
    assert status <= {"実績", "目標", "予定・見込", "制度の条件"}


def test_summary_counts_metrics_by_kind(tables: dict[str, pd.DataFrame]) -> None:
    metrics = tables["metrics"]
    counts = kind_counts(metrics)
    assert counts["total"].sum() == len(metrics)
    assert counts.drop(columns="total").sum().to_dict() == metrics["kind"].value_counts().to_dict()
    assert ("2024", "市長公室", "広報戦略課") in counts.index


def test_sections_and_disagreements(tables: dict[str, pd.DataFrame]) -> None:
    page = build_report(tables)
    for heading in ("部局・課別の指標数", "期間比較：変化の大きい指標", "品質チェック", "類似事業（ほかの自治体）", "指標一覧"):
        assert f"<h2>{heading}</h2>" in page
    assert '<h2 class="city">つくば市（2023〜2024年度）</h2>' in page
    disagreeing = page[page.index("本文の増減の記載と前の期間の値が合わないもの"):page.index('<section id="qa-0">')]
    assert "YouTubeチャンネル登録者数" in disagreeing and "不一致" in disagreeing


def test_a_single_year_run_folder_gets_a_report(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert cli.main(["report", str(run_dir), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "2023年度" in page and "比較できる期間がありません" in page


def test_report_is_deterministic(tables: dict[str, pd.DataFrame]) -> None:
    assert build_report(tables) == build_report(tables)


# --- the font -----------------------------------------------------------------------------

def test_font_comes_from_the_installed_package() -> None:
    assert font_path().name == "ipaexg.ttf"
    assert "japanize_matplotlib" in font_path().parts


def test_charts_have_every_japanese_glyph(tables: dict[str, pd.DataFrame]) -> None:
    comparison = tables["comparison"].head(5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = [kind_chart(pd.DataFrame({"count": [3, 1]}, index=["市長公室 広報戦略課", "市長公室 広聴室"])),
                  change_chart(comparison)]
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert all(i.startswith('<img alt="" src="data:image/png;base64,') for i in images)


# --- in a real browser --------------------------------------------------------------------

def _chromium(url: Path, profile: Path, *args: str, fragment: str = "") -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update", "--no-first-run",
                           f"--user-data-dir={profile}", "--hide-scrollbars", *args,
                           url.as_uri() + (f"#{fragment}" if fragment else "")],
                          capture_output=True, text=True, timeout=120, check=False)


def _screenshot(page: Path, tmp_path: Path, name: str, size: str = "1200,400") -> Image.Image:
    png = tmp_path / f"{name}.png"
    proc = _chromium(page, tmp_path / f"profile-{name}", f"--screenshot={png}", f"--window-size={size}")
    assert png.exists(), proc.stderr[-2000:]
    return Image.open(png).convert("RGB")


@needs_browser
def test_browser_shows_the_escaped_text_and_runs_nothing(hostile_page: Path, tmp_path: Path) -> None:
    proc = _chromium(hostile_page, tmp_path / "profile", "--dump-dom")
    dom = proc.stdout
    assert "<h1>事務事業評価 指標レポート</h1>" in dom, proc.stderr[-2000:]
    assert "<h2>期間比較：変化の大きい指標</h2>" in dom
    assert 'data-ready="true"' in dom, "the page's script did not finish"
    assert dom.lower().count("<script") == 2, "a <script> element was parsed from table text"
    assert "pwned" not in dom.split("<body", 1)[1].split(">", 1)[0], "an event handler ran"
    assert "<img src=\"x\"" not in dom
    listed = dom.split('<tbody id="list-body">', 1)[1].split("</tbody>", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed  # drawn by the script, as text
    assert "&lt;img src=x" in listed


def _city_dom(page: Path, tmp_path: Path, fragment: str) -> tuple[str, list[str]]:
    """The dumped DOM of ``page#fragment`` and the rows of the figure list it shows."""
    proc = _chromium(page, tmp_path / f"profile-{abs(hash(fragment))}", "--dump-dom", fragment=fragment)
    assert 'data-ready="true"' in proc.stdout, proc.stderr[-2000:]
    listed = proc.stdout.split('<tbody id="list-body">', 1)[1].split("</tbody>", 1)[0]
    return proc.stdout, re.findall(r"<tr id=.*?</tr>", listed)


def _visible_city(dom: str) -> list[str]:
    return re.findall(r'<div class="city-block" data-city="\d+"><h2 class="city">([^<（]+)', dom)


@pytest.fixture(scope="module")
def three_cities(tables: dict[str, pd.DataFrame], sheets_run: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, dict[str, pd.DataFrame]]:
    """The つくば市 tables with the committed PDF sheets of 池田市 and 横浜市 (their own cities)."""
    source = Source(StagePaths(sheets_run, sheets_run), "sheets_2024", "")
    sheets = {name: read_panel([source], name) for name in ("metrics", "qa", "projects")}
    city = {p: "横浜市" if "yokohama" in f else "池田市"
            for p, f in zip(sheets["projects"]["project_id"], sheets["projects"]["source_file"])}
    merged = {name: pd.concat([tables[name], df.assign(municipality=df["project_id"].map(city))],
                              ignore_index=True) for name, df in sheets.items()}
    page = tmp_path_factory.mktemp("cities") / "report.html"
    page.write_text(build_report({**tables, **merged}), encoding="utf-8")
    return page, merged


@needs_browser
def test_choosing_a_city_changes_what_is_shown(three_cities: tuple[Path, dict[str, pd.DataFrame]],
                                               tmp_path: Path) -> None:
    page, tables = three_cities
    metrics = tables["metrics"]
    first_dom, first_rows = _city_dom(page, tmp_path, "")
    assert _visible_city(first_dom) == ["つくば市"]
    ikeda_dom, ikeda_rows = _city_dom(page, tmp_path, "city=" + quote("池田市"))
    assert _visible_city(ikeda_dom) == ["池田市"]
    ikeda = metrics[metrics["municipality"] == "池田市"]
    assert f"{len(ikeda)}件中 1〜50件" in ikeda_dom
    shown = {re.search(r'<tr id="([^"]+)"', r).group(1) for r in ikeda_rows}
    assert shown and shown <= {anchor(m) for m in ikeda["metric_id"]}
    assert not shown & {re.search(r'<tr id="([^"]+)"', r).group(1) for r in first_rows}
    year_dom, _ = _city_dom(page, tmp_path, "city=" + quote("つくば市") + "&year=2024")
    tsukuba_2024 = metrics[(metrics["municipality"] == "つくば市") & (metrics["fiscal_year"] == "2024")]
    assert f"{len(tsukuba_2024)}件中 1〜" in year_dom


@needs_browser
def test_a_search_and_the_filters_narrow_the_list(three_cities: tuple[Path, dict[str, pd.DataFrame]],
                                                  tmp_path: Path) -> None:
    page, tables = three_cities
    metrics = tables["metrics"]
    tsukuba = metrics[metrics["municipality"] == "つくば市"]
    word = "チャンネル"
    expected = tsukuba[tsukuba["project_name"].str.contains(word) | tsukuba["concept"].str.contains(word)
                       | tsukuba["sentence"].str.contains(word)]
    assert 0 < len(expected) < len(tsukuba)
    dom, rows = _city_dom(page, tmp_path, "q=" + quote(word))
    assert f"{len(expected)}件中 1〜{min(50, len(expected))}件" in dom
    assert rows and all(word in re.sub(r"<[^>]+>", "", r) for r in rows)
    searched = re.search(r'data-search-ms="([0-9.]+)"', dom)
    assert searched is not None
    kind_dom, kind_rows = _city_dom(page, tmp_path, "status=" + quote("実績") + "&kind=" + quote("増減"))
    deltas = tsukuba[(tsukuba["status"] == "actual") & (tsukuba["kind"] == "delta")]
    assert f"{len(deltas)}件中 1〜{min(50, len(deltas))}件" in kind_dom
    assert all("<td class=\"keep\">増減</td>" in r for r in kind_rows)


@needs_browser
def test_browser_renders_japanese_with_the_embedded_font(hostile_page: Path, tmp_path: Path) -> None:
    """The page's Japanese is drawn with the embedded IPAexGothic, whatever fonts the machine has.

    The same page with the font's data removed is the control: a browser without Japanese
    fonts draws empty boxes there, one with other fonts draws other shapes; either way the
    heading must look different from the page with the embedded font.
    """
    page = _screenshot(hostile_page, tmp_path, "page")
    control_html = re.sub(r"src: url\(data:font/woff;base64,[^)]*\) format\(\"woff\"\);", "",
                          hostile_page.read_text(encoding="utf-8"))
    assert control_html != hostile_page.read_text(encoding="utf-8")
    control_path = tmp_path / "control.html"
    control_path.write_text(control_html, encoding="utf-8")
    control = _screenshot(control_path, tmp_path, "control")
    heading = (0, 0, 1200, 80)
    assert ImageStat.Stat(page.crop(heading).convert("L")).stddev[0] > 10, "the heading drew nothing"
    assert ImageChops.difference(page.crop(heading), control.crop(heading)).getbbox() is not None, (
        "the heading looks the same without the embedded font: it is not being used")


@needs_browser
def test_browser_shows_the_charts(two_years: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert cli.main(["report", str(two_years / "exports"), "--out", str(out)]) == 0
    proc = _chromium(out, tmp_path / "profile", "--dump-dom")
    images = re.findall(r'<img alt="" src="data:image/png;base64,([^"]+)"', proc.stdout)
    assert len(images) == 3  # つくば市: indicators per bureau, largest changes, their series over periods
    assert "<h3>変化の大きい指標の時系列</h3>" in proc.stdout
    shot = _screenshot(out, tmp_path, "full", "1200,1400")
    assert ImageStat.Stat(shot.convert("L")).stddev[0] > 10


@needs_browser
def test_a_figures_address_draws_its_row(three_cities: tuple[Path, dict[str, pd.DataFrame]], tmp_path: Path) -> None:
    # The links of the changes and QA sections lead to a figure's row, wherever in the list it is.
    page, tables = three_cities
    yokohama = tables["metrics"][tables["metrics"]["municipality"] == "横浜市"]
    last = anchor(yokohama["metric_id"].iloc[-1])
    dom, rows = _city_dom(page, tmp_path, last)
    assert _visible_city(dom) == ["横浜市"]
    assert any(r.startswith(f'<tr id="{last}" class="target">') for r in rows)


class DevTools:
    """Headless Chromium driven as a person would (keys, typing, clicks) over the DevTools
    protocol, on the pipe ``--remote-debugging-pipe`` reads (fd 3) and writes (fd 4)."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_browser, self._send = os.pipe()
        self._receive, from_browser = os.pipe()

        def pipes() -> None:  # in the child: the pipes as fds 3 and 4, left open across exec
            a, b = os.dup(to_browser), os.dup(from_browser)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                      f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
                                     preexec_fn=pipes, close_fds=False, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._id, self._session = b"", 0, ""

    def call(self, method: str, **params: object) -> dict:
        self._id += 1
        message: dict[str, object] = {"id": self._id, "method": method, "params": params}
        if self._session and not method.startswith("Target."):
            message["sessionId"] = self._session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                if not select.select([self._receive], [], [], 60)[0]:
                    raise TimeoutError(method)
                self._buffer += os.read(self._receive, 1 << 20)
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply["error"]
                return reply["result"]

    def open(self, page: Path) -> None:
        target = self.call("Target.createTarget", url=page.as_uri())["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        deadline = time.monotonic() + 60
        while self.js("document.documentElement.dataset.ready") != "true":
            assert time.monotonic() < deadline, "the page's script did not finish"
            time.sleep(0.1)

    def js(self, expression: str) -> object:
        """What the page shows, read from its DOM; the tests act through keys, typing and clicks."""
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def press(self, selector: str, key: str, code: int) -> None:
        self.click(selector)
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code)

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.call("Input.insertText", text=text)

    def click(self, selector: str) -> None:
        """A mouse click in the middle of an element, scrolled into view. A <select> is focused
        instead (as a Tab would): a click opens its native list, keys change it closed."""
        find = f"document.querySelector({json.dumps(selector)})"
        if self.js(f"{find}.tagName") == "SELECT":
            self.js(f"{find}.focus()")
            return
        box = self.js(f"(() => {{ const e = {find}; e.scrollIntoView({{block: 'center'}}); "
                      "const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        assert isinstance(box, list)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def close(self) -> None:
        self.call("Browser.close")
        self.proc.wait(timeout=30)
        os.close(self._send)
        os.close(self._receive)


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[DevTools]:
    devtools = DevTools(tmp_path / "profile")
    yield devtools
    devtools.close()


def _shown(browser: DevTools) -> tuple[str, str, list[str]]:
    """The visible municipality, the list's count line and the ids of the rows drawn."""
    city = browser.js("[...document.querySelectorAll('.city-block')].filter(e => !e.hidden)"
                      ".map(e => e.querySelector('h2').textContent).join('|')")
    count = browser.js("document.getElementById('list-count').textContent")
    rows = browser.js("[...document.querySelectorAll('#list-body tr')].map(r => r.id)")
    return str(city), str(count), list(rows)  # type: ignore[arg-type]


@needs_browser
def test_a_person_chooses_a_city_searches_filters_and_sorts(three_cities: tuple[Path, dict[str, pd.DataFrame]],
                                                           browser: DevTools) -> None:
    page, tables = three_cities
    metrics = tables["metrics"]
    of = {c: metrics[metrics["municipality"] == c] for c in ("つくば市", "横浜市", "池田市")}
    browser.open(page)
    city, count, rows = _shown(browser)
    assert city.startswith("つくば市") and count.startswith(f"{len(of['つくば市'])}件中")
    browser.press("#city", "ArrowDown", 40)  # the next municipality in the list: 横浜市
    city, count, rows = _shown(browser)
    assert city.startswith("横浜市") and count.startswith(f"{len(of['横浜市'])}件中 1〜")
    assert rows and set(rows) <= {anchor(m) for m in of["横浜市"]["metric_id"]}
    browser.type("#q", "事業費")
    city, count, rows = _shown(browser)
    searched = of["横浜市"][of["横浜市"]["concept"].str.contains("事業費")
                           | of["横浜市"]["sentence"].str.contains("事業費")
                           | of["横浜市"]["project_name"].str.contains("事業費")]
    assert 0 < len(searched) < len(of["横浜市"]) and count.startswith(f"{len(searched)}件中")
    browser.press("#status", "ArrowDown", 40)  # the first status of the list
    first_status = browser.js("document.getElementById('status').value")
    _, count, _ = _shown(browser)
    code = {label: c for c, label in STATUS_LABELS.items()}[first_status]
    assert count.startswith(f"{(searched['status'] == code).sum()}件中")
    browser.click("#list th:nth-child(6)")  # 値: ascending
    values = browser.js("[...document.querySelectorAll('#list-body td.num')].map(td => td.textContent)")
    numbers = [float(v.replace(",", "")) for v in values]  # type: ignore[union-attr]
    assert numbers == sorted(numbers) and len(numbers) > 1
