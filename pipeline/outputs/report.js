// The report's one script: a municipality (and year) at a time, and the list of figures drawn
// from the page's JSON data a page at a time, searched, filtered and sorted in the page.
// Text from the data only ever becomes text nodes (textContent), never markup.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const C = Object.fromEntries(data.columns.map((name, i) => [name, i]));
  const rows = data.rows;
  const PAGE = data.page_size;
  const $ = (id) => document.getElementById(id);
  const ui = {city: $("city"), year: $("year"), q: $("q"), status: $("status"), kind: $("kind"),
              period: $("period"), concept: $("concept"), body: $("list-body"), count: $("list-count"),
              prev: $("prev"), next: $("next")};
  // What a search looks through: project, concept, sentence, unit, period, 事業番号 and id.
  const haystack = rows.map((r) => [r[C.project_name], r[C.concept], data.sentences[r[C.sentence]],
    r[C.unit], r[C.period], r[C.project_id], r[C.metric_id]].join("\u0001").toLowerCase());
  const byId = new Map(rows.map((r, i) => [r[C.metric_id], i]));
  const state = {city: 0, year: "", q: "", status: "", kind: "", period: "", concept: "",
                 sort: -1, desc: false, page: 0};
  let shown = [];

  function option(select, value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function fillSelect(select, values, all) {
    select.replaceChildren();
    option(select, "", all);
    values.forEach((v) => option(select, v, v));
  }

  function distinct(column) {
    const seen = new Set();
    rows.forEach((r) => { if (r[C.city] === state.city && r[column] !== "") seen.add(r[column]); });
    return [...seen].sort((a, b) => a.localeCompare(b, "ja"));
  }

  function matching() {
    const terms = state.q.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const concept = state.concept.trim().toLowerCase();
    const out = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r[C.city] !== state.city || (state.year && r[C.fiscal_year] !== state.year)) continue;
      if ((state.status && r[C.status] !== state.status) || (state.kind && r[C.kind] !== state.kind)) continue;
      if (state.period && r[C.period] !== state.period) continue;
      if (concept && !r[C.concept].toLowerCase().includes(concept)) continue;
      if (terms.length && !terms.every((t) => haystack[i].includes(t))) continue;
      out.push(i);
    }
    if (state.sort >= 0) {
      const key = state.sort;
      const numeric = data.numeric.includes(data.columns[key]);
      const sign = state.desc ? -1 : 1;
      out.sort((a, b) => {
        const x = rows[a][key], y = rows[b][key];
        const order = numeric ? (x ?? -Infinity) - (y ?? -Infinity) : String(x).localeCompare(String(y), "ja");
        return sign * order || a - b;
      });
    }
    return out;
  }

  function cell(tr, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function sentenceCell(tr, r) {
    const td = cell(tr, "", "");
    const sentence = data.sentences[r[C.sentence]];
    const s = r[C.mark_start], e = r[C.mark_end];
    if (s < 0) { td.textContent = sentence; return; }
    const mark = document.createElement("mark");
    mark.textContent = sentence.slice(s, e);
    td.append(sentence.slice(0, s), mark, sentence.slice(e));
  }

  function draw() {
    const start = state.page * PAGE;
    const frag = document.createDocumentFragment();
    shown.slice(start, start + PAGE).forEach((i) => {
      const r = rows[i];
      const tr = document.createElement("tr");
      tr.id = r[C.anchor];
      data.list.forEach((column) => {
        if (column === "sentence") sentenceCell(tr, r);
        else cell(tr, r[C[column === "value" ? "value_text" : column]], data.classes[column] || "");
      });
      frag.appendChild(tr);
    });
    ui.body.replaceChildren(frag);
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    ui.count.textContent = shown.length
      ? `${shown.length}件中 ${start + 1}〜${Math.min(start + PAGE, shown.length)}件（${state.page + 1}/${pages}ページ）`
      : "該当する指標はありません。";
    ui.prev.disabled = state.page === 0;
    ui.next.disabled = state.page + 1 >= pages;
  }

  function refresh() {
    shown = matching();
    state.page = 0;
    draw();
  }

  function showCity() {
    document.querySelectorAll(".city-block").forEach((block) => {
      block.hidden = Number(block.dataset.city) !== state.city;
    });
    document.querySelectorAll(".city-block [data-year]").forEach((row) => {
      row.hidden = Boolean(state.year) && row.dataset.year !== state.year;
    });
  }

  function chooseCity(index) {
    state.city = index;
    state.year = "";
    fillSelect(ui.year, data.cities[index].years, "すべての年度");
    fillSelect(ui.status, distinct(C.status), "すべての区分");
    fillSelect(ui.kind, distinct(C.kind), "すべての種別");
    fillSelect(ui.period, distinct(C.period), "すべての期間");
    state.status = state.kind = state.period = "";
    showCity();
    refresh();
  }

  function jumpTo(metricId) {
    const i = byId.get(metricId);
    if (i === undefined) return;
    if (rows[i][C.city] !== state.city) { ui.city.value = String(rows[i][C.city]); chooseCity(rows[i][C.city]); }
    Object.assign(state, {year: "", q: "", status: "", kind: "", period: "", concept: ""});
    [ui.year, ui.q, ui.status, ui.kind, ui.period, ui.concept].forEach((el) => { el.value = ""; });
    showCity();
    shown = matching();
    state.page = Math.floor(shown.indexOf(i) / PAGE);
    draw();
    const tr = document.getElementById(rows[i][C.anchor]);
    document.querySelectorAll("tr.target").forEach((t) => t.classList.remove("target"));
    tr.classList.add("target");
    tr.scrollIntoView({block: "center"});
  }

  data.cities.forEach((c, i) => option(ui.city, String(i), c.name));
  ui.city.addEventListener("change", () => chooseCity(Number(ui.city.value)));
  ui.year.addEventListener("change", () => { state.year = ui.year.value; showCity(); refresh(); });
  ["status", "kind", "period"].forEach((name) => ui[name].addEventListener("change", () => {
    state[name] = ui[name].value;
    refresh();
  }));
  ["q", "concept"].forEach((name) => ui[name].addEventListener("input", () => {
    state[name] = ui[name].value;
    refresh();
  }));
  ui.prev.addEventListener("click", () => { state.page -= 1; draw(); });
  ui.next.addEventListener("click", () => { state.page += 1; draw(); });
  document.querySelectorAll("#list th").forEach((th, k) => th.addEventListener("click", () => {
    const key = C[data.list[k]];
    state.desc = state.sort === key ? !state.desc : false;
    state.sort = key;
    document.querySelectorAll("#list th").forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
    shown = matching();
    draw();
  }));
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-metric]");
    if (link) { event.preventDefault(); jumpTo(link.dataset.metric); }
  });

  // The address may choose: #city=池田市&year=2024&status=実績&q=検索語 (also kind, period,
  // concept), or #m-… a figure's row.
  const root = document.documentElement;
  new PerformanceObserver((list) => list.getEntries().forEach((e) => {
    if (e.name === "first-contentful-paint") root.dataset.firstPaintMs = String(Math.round(e.startTime));
  })).observe({type: "paint", buffered: true});
  const params = new URLSearchParams(location.hash.startsWith("#m-") ? "" : location.hash.slice(1));
  const city = data.cities.findIndex((c) => c.name === params.get("city"));
  ui.city.value = String(Math.max(city, 0));
  ui.city.dispatchEvent(new Event("change"));
  ["year", "status", "kind", "period"].filter((name) => params.get(name)).forEach((name) => {
    ui[name].value = params.get(name);
    ui[name].dispatchEvent(new Event("change"));
  });
  if (params.get("concept")) { ui.concept.value = params.get("concept"); ui.concept.dispatchEvent(new Event("input")); }
  root.dataset.firstRenderMs = String(Math.round(performance.now()));
  if (params.get("q")) {
    const t0 = performance.now();
    ui.q.value = params.get("q");
    ui.q.dispatchEvent(new Event("input"));
    root.dataset.searchMs = (performance.now() - t0).toFixed(1);
  }
  if (location.hash.startsWith("#m-")) {
    const i = rows.findIndex((r) => "#" + r[C.anchor] === location.hash);
    if (i >= 0) jumpTo(rows[i][C.metric_id]);
  }
  root.dataset.ready = "true";
})();
