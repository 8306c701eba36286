"""The page template, its stylesheet and its script (kept in Python so they ship with the package).

The template replaces pyvis's own (which loads Bootstrap from a CDN even with
``cdn_resources='in_line'``, switches tooltips to ``innerHTML`` and writes the
heading and node ids into the page raw).  Here:

* vis-network's JS and CSS are inlined from the copy bundled in the pyvis package;
  a Content-Security-Policy forbids loading anything from anywhere;
* all data (nodes, edges, options, legend) travel as one JSON document in a
  ``<script type="application/json">`` element, escaped for that context, and are
  read with ``JSON.parse``;
* every text the page shows is put in with ``textContent``: tooltips are DOM
  elements built that way (vis-network shows an Element as is and a string as
  text), never HTML strings.
"""

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="nikkan (pyvis {{ pyvis_version }}, vis-network {{ vis_version }})">
<title>{{ title }}</title>
<style>{{ vis_css|safe }}</style>
<style>{{ page_css|safe }}</style>
</head>
<body>
<div id="app">
<aside id="panel">
  <h1 id="title">{{ title }}</h1>
  {% if subtitle %}<p class="subtitle">{{ subtitle }}</p>{% endif %}
  <p id="counts" class="counts"></p>
  {% for note in notes %}<p class="note">{{ note }}</p>{% endfor %}
  <fieldset id="lang-switch">
    <legend>ラベル / Labels</legend>
    <label><input type="radio" name="lang" value="ja"> 日本語</label>
    <label><input type="radio" name="lang" value="en"> English</label>
    <label><input type="radio" name="lang" value="both"> 両方 / both</label>
  </fieldset>
  <fieldset id="date-filter"{% if not has_dates %} hidden{% endif %}>
    <legend>出来事の期間 / Events between</legend>
    <label>from <input type="date" id="date-from"></label>
    <label>to <input type="date" id="date-to"></label>
    <button type="button" id="date-clear">clear</button>
  </fieldset>
  <fieldset id="class-filter">
    <legend>クラス / Classes</legend>
    <div class="buttons"><button type="button" id="classes-all">all</button>
    <button type="button" id="classes-none">none</button></div>
    <ul id="class-legend" class="legend"></ul>
  </fieldset>
  <fieldset id="community-filter" hidden>
    <legend>コミュニティ / Communities</legend>
    <ul id="community-legend" class="legend"></ul>
  </fieldset>
  <p class="help">{{ help }}</p>
  <p class="help"><button type="button" id="fit">fit / 全体表示</button></p>
</aside>
<main id="network" aria-label="network"></main>
</div>
<script>{{ vis_js|safe }}</script>
<script type="application/json" id="nikkan-data">{{ data_json|safe }}</script>
<script>{{ page_js|safe }}</script>
</body>
</html>
"""

PAGE_CSS = r"""
html, body { margin: 0; height: 100%; font-family: "IPAPGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: #222; }
#app { display: flex; height: 100vh; width: 100%; }
#panel { flex: 0 0 290px; overflow-y: auto; padding: 10px 14px; border-right: 1px solid #ddd; background: #fafafa; font-size: 13px; box-sizing: border-box; }
#panel h1 { font-size: 16px; margin: 4px 0 6px; line-height: 1.35; }
#panel .subtitle { margin: 0 0 6px; color: #555; }
#panel .counts { margin: 0 0 8px; color: #333; font-variant-numeric: tabular-nums; }
#panel .note { margin: 0 0 8px; padding: 6px 8px; background: #fff6d6; border: 1px solid #ecd68a; border-radius: 4px; }
#panel fieldset { border: 1px solid #ddd; border-radius: 4px; margin: 0 0 10px; padding: 6px 8px; }
#panel fieldset[hidden] { display: none; }
#panel legend { font-weight: bold; padding: 0 4px; }
#panel label { display: inline-block; margin-right: 8px; }
#panel .buttons { margin-bottom: 4px; }
#panel button { font-size: 12px; }
#panel .help { color: #666; font-size: 12px; }
ul.legend { list-style: none; margin: 0; padding: 0; }
ul.legend li { margin: 2px 0; display: flex; align-items: center; gap: 6px; }
ul.legend li.family { font-weight: bold; margin-top: 6px; color: #444; }
ul.legend label { margin: 0; display: flex; align-items: center; gap: 6px; cursor: pointer; }
ul.legend .count { color: #888; font-size: 11px; margin-left: 2px; }
ul.legend svg { flex: 0 0 16px; }
#network { flex: 1 1 auto; position: relative; min-width: 0; background: #fff; }
div.vis-tooltip { max-width: 440px; white-space: normal; font-family: inherit; font-size: 12px; line-height: 1.45;
  background: #fffef6; border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 2px 6px rgba(0,0,0,.2); padding: 8px 10px; }
.tip .tip-type { color: #666; font-size: 11px; }
.tip .tip-label { font-weight: bold; font-size: 13px; }
.tip .tip-label-en { color: #333; }
.tip .tip-date { color: #333; }
.tip .tip-iri { color: #888; font-size: 10px; word-break: break-all; }
.tip ol { margin: 4px 0 0; padding-left: 18px; }
.tip .tip-quote { display: block; }
.tip .tip-section { color: #777; font-size: 11px; }
.tip .tip-more { color: #777; font-style: italic; }
"""

PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("nikkan-data").textContent);
  var ui = data.ui;
  var state = { lang: ui.lang, hidden: new Set(), from: ui.dateFrom || "", to: ui.dateTo || "" };
  var classes = new Map();
  data.classes.forEach(function (c) { classes.set(c.id, c); });
  var MAX_LABEL = { ja: 18, en: 30 };
  var MAX_QUOTES = 6;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function cut(text, max) {
    if (!text) { return ""; }
    var chars = Array.from(text);
    return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : text;
  }
  function pick(ja, en, lang) {
    if (lang === "ja") { return ja || en || ""; }
    if (lang === "en") { return en || ja || ""; }
    if (ja && en && ja !== en) { return ja + "\n" + en; }
    return ja || en || "";
  }
  function nodeLabel(m) {
    if (m.kind === "evidence") { return cut(m.ja || m.en, 22); }
    var ja = cut(m.ja, MAX_LABEL.ja), en = cut(m.en, MAX_LABEL.en);
    var text = pick(ja, en, state.lang);
    if (m.date && ui.showDates) { text += "\n" + m.date; }
    return text;
  }
  function edgeLabel(m) { return pick(m.ja, m.en, state.lang); }
  function classLabel(id, lang) {
    var c = classes.get(id);
    if (!c) { return id || ""; }
    return pick(c.ja, c.en, lang || "both").replace("\n", " / ");
  }

  function nodeTooltip(m) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-type", classLabel(m.cls, "both")));
    if (m.ja) { box.appendChild(el("div", "tip-label tip-label-ja", m.ja)); }
    if (m.en && m.en !== m.ja) { box.appendChild(el("div", "tip-label tip-label-en", m.en)); }
    if (m.date) { box.appendChild(el("div", "tip-date", "日付 / date: " + m.date)); }
    if (m.community !== undefined && m.community !== null) {
      box.appendChild(el("div", "tip-type", "community " + (m.community + 1)));
    }
    if (m.members && m.members.length) {
      var ml = el("ol");
      m.members.slice(0, 12).forEach(function (member) { ml.appendChild(el("li", null, member)); });
      if (m.members.length > 12) { ml.appendChild(el("li", "tip-more", "… +" + (m.members.length - 12))); }
      box.appendChild(ml);
    }
    if (m.evidence && m.evidence.length) {
      box.appendChild(el("div", "tip-type", "根拠 / evidence (" + m.evidence.length + ")"));
      var list = el("ol");
      m.evidence.slice(0, MAX_QUOTES).forEach(function (ev) {
        var item = el("li");
        item.appendChild(el("span", "tip-quote", "「" + ev.quote + "」"));
        var section = pick(ev.section_ja, ev.section_en, "both").replace("\n", " / ");
        if (section) { item.appendChild(el("span", "tip-section", "— " + section)); }
        list.appendChild(item);
      });
      if (m.evidence.length > MAX_QUOTES) {
        list.appendChild(el("li", "tip-more", "… +" + (m.evidence.length - MAX_QUOTES)));
      }
      box.appendChild(list);
    }
    if (m.iri) { box.appendChild(el("div", "tip-iri", m.iri)); }
    return box;
  }
  function edgeTooltip(m, from, to) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-type", pick(m.ja, m.en, "both").replace("\n", " / ") + (m.count > 1 ? " ×" + m.count : "")));
    box.appendChild(el("div", null, pick(from.ja, from.en, state.lang).replace("\n", " / ") + " → " +
                                     pick(to.ja, to.en, state.lang).replace("\n", " / ")));
    if (m.predicate) { box.appendChild(el("div", "tip-iri", m.predicate)); }
    return box;
  }

  var metaById = new Map();
  data.nodes.forEach(function (n) { metaById.set(n.id, n.m); });
  function visNode(n) {
    var item = Object.assign({}, n.vis);
    item.id = n.id;
    item.label = nodeLabel(n.m);
    item.title = nodeTooltip(n.m);
    return item;
  }
  function visEdge(e) {
    var item = Object.assign({}, e.vis);
    item.id = e.id; item.from = e.from; item.to = e.to;
    item.label = ui.edgeLabels ? edgeLabel(e.m) : undefined;
    item.title = edgeTooltip(e.m, metaById.get(e.from) || {}, metaById.get(e.to) || {});
    return item;
  }
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var edgeMeta = new Map();
  data.edges.forEach(function (e) { edgeMeta.set(e.id, e); });

  var visible = new Set();
  function nodeVisible(item) {
    var m = metaById.get(item.id);
    if (!m) { return false; }
    if (state.hidden.has(m.cls)) { return false; }
    if (m.event && (state.from || state.to)) {
      if (!m.earliest) { return false; }
      if (state.from && (m.latest || m.earliest) < state.from) { return false; }
      if (state.to && m.earliest > state.to) { return false; }
    }
    return true;
  }
  function computeVisible() { visible = new Set(nodes.getIds({ filter: nodeVisible })); }
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (item) { return visible.has(item.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (item) { return visible.has(item.from) && visible.has(item.to); } });

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var api = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    settled: false, view: ui.view,
    visibleCounts: function () { return { nodes: nodeView.length, edges: edgeView.length }; }
  };
  window.nikkanNetwork = api;

  function showCounts() {
    var text = nodeView.length + " / " + nodes.length + " nodes · " + edgeView.length + " / " + edges.length + " edges";
    document.getElementById("counts").textContent = text;
  }
  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }
  function fit() {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.92, animation: false });
  }
  function settle() {
    if (api.settled) { return; }
    if (ui.physics) { network.setOptions({ physics: { enabled: false } }); }
    api.settled = true;
    document.body.setAttribute("data-settled", "true");
  }
  if (ui.physics) {
    network.once("stabilizationIterationsDone", function () { settle(); fit(); });
  } else {
    network.once("afterDrawing", function () { fit(); settle(); });
  }

  // the timeline's date axis
  if (ui.axis && ui.axis.length) {
    network.on("beforeDrawing", function (ctx) {
      var top = ui.axisTop, bottom = ui.axisBottom;
      ctx.save();
      ctx.strokeStyle = "#e3e3e3"; ctx.lineWidth = 1;
      ctx.fillStyle = "#666"; ctx.font = "13px sans-serif"; ctx.textAlign = "center";
      ui.axis.forEach(function (tick) {
        ctx.beginPath(); ctx.moveTo(tick.x, top); ctx.lineTo(tick.x, bottom); ctx.stroke();
        ctx.fillText(tick.label, tick.x, top - 8);
      });
      ctx.textAlign = "left"; ctx.fillStyle = "#999";
      (ui.lanes || []).forEach(function (lane) {
        ctx.fillText(classLabel(lane.cls, state.lang), ui.laneLabelX, lane.y - 26);
      });
      ctx.restore();
    });
  }

  // language switch
  function relabel() {
    nodes.update(data.nodes.map(function (n) { return { id: n.id, label: nodeLabel(n.m), title: nodeTooltip(n.m) }; }));
    if (ui.edgeLabels) {
      edges.update(data.edges.map(function (e) { return { id: e.id, label: edgeLabel(e.m) }; }));
    }
    document.querySelectorAll("[data-class-label]").forEach(function (span) {
      span.textContent = classLabel(span.getAttribute("data-class-label"), state.lang);
    });
  }
  document.querySelectorAll("input[name=lang]").forEach(function (input) {
    input.checked = input.value === state.lang;
    input.addEventListener("change", function () { if (input.checked) { state.lang = input.value; relabel(); } });
  });

  // legend and class filter
  function swatch(colour, border, shape) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    var s;
    var points = {
      triangle: "8,1.5 15,14.5 1,14.5", triangleDown: "1,1.5 15,1.5 8,14.5",
      diamond: "8,1 15,8 8,15 1,8", hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8",
      star: "8,0.8 10,5.8 15.4,6 11.2,9.4 12.6,14.8 8,11.8 3.4,14.8 4.8,9.4 0.6,6 6,5.8"
    };
    if (points[shape]) {
      s = document.createElementNS(ns, "polygon"); s.setAttribute("points", points[shape]);
    } else if (shape === "square" || shape === "box" || shape === "database") {
      s = document.createElementNS(ns, "rect"); s.setAttribute("x", "2"); s.setAttribute("y", "2");
      s.setAttribute("width", "12"); s.setAttribute("height", "12"); s.setAttribute("rx", shape === "square" ? "0" : "3");
    } else {
      s = document.createElementNS(ns, "circle"); s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6.5");
    }
    s.setAttribute("fill", colour); s.setAttribute("stroke", border); s.setAttribute("stroke-width", "1");
    svg.appendChild(s);
    return svg;
  }
  var legend = document.getElementById("class-legend");
  var lastFamily = null;
  data.classes.filter(function (c) { return c.count > 0; }).forEach(function (c) {
    if (c.family !== lastFamily) {
      legend.appendChild(el("li", "family", c.familyLabel));
      lastFamily = c.family;
    }
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-class", c.id);
    box.addEventListener("change", function () {
      if (box.checked) { state.hidden.delete(c.id); } else { state.hidden.add(c.id); }
      refresh();
    });
    label.appendChild(box);
    label.appendChild(swatch(ui.colourBy === "class" ? c.color : "#ffffff", ui.colourBy === "class" ? c.border : "#555", c.shape));
    var name = el("span", null, classLabel(c.id, state.lang));
    name.setAttribute("data-class-label", c.id);
    label.appendChild(name);
    label.appendChild(el("span", "count", String(c.count)));
    li.appendChild(label);
    legend.appendChild(li);
  });
  function setAll(on) {
    legend.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = on;
      var id = box.getAttribute("data-class");
      if (on) { state.hidden.delete(id); } else { state.hidden.add(id); }
    });
    refresh();
  }
  document.getElementById("classes-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("classes-none").addEventListener("click", function () { setAll(false); });

  if (ui.colourBy === "community" && data.communities) {
    var cl = document.getElementById("community-legend");
    document.getElementById("community-filter").hidden = false;
    data.communities.forEach(function (c) {
      var li = el("li");
      li.appendChild(swatch(c.color, c.border, "dot"));
      li.appendChild(el("span", null, (c.index + 1) + ": " + c.label));
      li.appendChild(el("span", "count", String(c.size)));
      cl.appendChild(li);
    });
  }

  // date filter
  var fromInput = document.getElementById("date-from"), toInput = document.getElementById("date-to");
  fromInput.value = state.from; toInput.value = state.to;
  if (ui.dateMin) { fromInput.min = ui.dateMin; toInput.min = ui.dateMin; }
  if (ui.dateMax) { fromInput.max = ui.dateMax; toInput.max = ui.dateMax; }
  function dateChanged() { state.from = fromInput.value || ""; state.to = toInput.value || ""; refresh(); }
  fromInput.addEventListener("change", dateChanged);
  toInput.addEventListener("change", dateChanged);
  document.getElementById("date-clear").addEventListener("click", function () {
    fromInput.value = ""; toInput.value = ""; dateChanged();
  });
  document.getElementById("fit").addEventListener("click", function () { fit(); });

  api.setLanguage = function (lang) {
    state.lang = lang;
    document.querySelectorAll("input[name=lang]").forEach(function (input) { input.checked = input.value === lang; });
    relabel();
  };
  api.setHiddenClasses = function (ids) {
    state.hidden = new Set(ids);
    legend.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = !state.hidden.has(box.getAttribute("data-class")); });
    refresh();
  };
  api.setDates = function (from, to) { fromInput.value = from || ""; toInput.value = to || ""; dateChanged(); };
  api.tooltip = function (id) { var item = nodes.get(id); return item && item.title ? item.title.textContent : null; };
  api.edgeMeta = edgeMeta;
  showCounts();
})();
"""
