/* Maillage — explorer page (plain JavaScript, no build step, no external resource).
 *
 * search (GET /api/actors?q=) → a view: an actor's neighbourhood, a pôle or a territory
 * (GET /api/actors/{id}/neighbourhood, /api/poles/{id}/subgraph, /api/territories/{tid}/subgraph,
 * SubgraphOut JSON) drawn with vis-network → side panel (GET /api/actors/{id},
 * /api/poles/{id}/diagnostic) on a click on an actor or a relation.
 *
 * Every text that comes from the data is inserted with textContent / createTextNode, never as
 * HTML. Requests go to this server only (relative URLs). Every text of the page itself comes from
 * the inlined configuration (CONFIG.strings: maps.EXPLORER_STRINGS, French or English) and numbers
 * are written in the page's language (Intl): none is written here.
 */
(function () {
  "use strict";

  var CONFIG = readConfig();
  var STRINGS = CONFIG.strings || {};
  var PLURAL = new Intl.PluralRules(CONFIG.lang || "fr");
  var FAMILIES = index(CONFIG.families), TYPES = index(CONFIG.types);
  var METRIC_LABELS = {};
  (CONFIG.metrics || []).forEach(function (m) { METRIC_LABELS[m.name] = m.label; });
  var TERRITORY = /^(commune|epci|departement|region|pays):[0-9A-Za-z]+$/;
  var DASHES = { solid: false, dashed: [8, 5], dotted: [2, 4] };
  var START_POLES = 15;  // pôles listed on the page opened with no view
  var PANEL_LIST_MAX = 50;  // actors listed under each heading of a territory diagnostic
  // how a territory's map rings its isolated and peripheral actors: colour, width, legend line and
  // tooltip row, as the static maps (maps.RINGS, maps.STRINGS); which actors: the view's « marks »
  var MARKS = CONFIG.marks || [];
  var PHYSICS_MAX = 300;  // above this many actors the layout settles then physics stops at once

  var state = { seq: 0, view: null, sub: null, nodes: null, edges: null, network: null,
                familiesOn: null, typesOn: null, edgeById: {}, nodeById: {} };
  var $ = function (id) { return document.getElementById(id); };

  // ------------------------------------------------------------------------------------------
  // helpers

  function readConfig() {
    var node = document.getElementById("vocabulaire-explorateur");
    if (!node) return { lang: "fr", families: [], types: [], lenses: [], certainty: {}, metrics: [], exports: [], marks: [],
                        levels: {}, strings: {} };
    return JSON.parse(node.textContent);
  }

  function index(list) {
    var out = {};
    (list || []).forEach(function (x) { out[x.name] = x; });
    return out;
  }

  /** An element with attributes and text children (strings become text nodes, never HTML). */
  function el(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "className") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    });
    for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }

  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); return; }
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /** A text of the page in its language (CONFIG.strings), its {name}s filled in with ``vars``. */
  function T(key, vars) {
    var text = STRINGS[key];
    if (text === undefined) return key;
    return text.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? String(vars[k]) : m; });
  }

  /** The singular or plural of a text (key_one / key_many) for n, n written in the page's language. */
  function TN(key, n, vars) {
    return T(key + (PLURAL.select(n) === "one" ? "_one" : "_many"), Object.assign({ n: number(n) }, vars || {}));
  }

  /** « label : » in French, "label: " in English. */
  function labelled(label) { return label + T("label_sep"); }

  var FORMATS = {};
  /** A number as the page's language writes it: 1 234,5 in French, 1,234.5 in English. */
  function number(x) {
    if (x === null || x === undefined || (typeof x === "number" && isNaN(x))) return "—";
    if (typeof x !== "number") return String(x);
    var kind = Number.isInteger(x) ? "int" : Math.abs(x) < 1 ? "small" : "real";
    if (!FORMATS[kind]) FORMATS[kind] = new Intl.NumberFormat(CONFIG.lang || "fr",
      { int: {}, small: { maximumSignificantDigits: 3 }, real: { maximumFractionDigits: 2 } }[kind]);
    return FORMATS[kind].format(x);
  }

  function familyLabel(f) { return (FAMILIES[f] && FAMILIES[f].label) || f; }
  function familyColour(f) { return (FAMILIES[f] && FAMILIES[f].colour) || "#9aa5b1"; }
  function typeLabel(t) { return (TYPES[t] && TYPES[t].label) || t; }

  /** A node's vis colours: its disc and border, black border when pointed at or selected. */
  function nodeColour(background, border) {
    return { background: background, border: border, highlight: { background: background, border: "#000000" },
             hover: { background: background, border: "#000000" } };
  }

  function darker(hex) {
    var h = hex.replace("#", "");
    var c = [0, 2, 4].map(function (i) { return Math.round(parseInt(h.substr(i, 2), 16) * 0.7); });
    return "#" + c.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("");
  }

  function status(text, error) {
    var s = $("etat");
    s.textContent = text || "";
    s.className = "etat" + (error ? " erreur" : "");
  }

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (v === null || v === undefined || v === "") return;
      parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(v));
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  /** GET a JSON document of this server; rejects with the API's message ({"detail": …}). */
  function api(path, params) {
    return fetch(path + query(Object.assign({ lang: CONFIG.lang }, params || {})),
                 { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (!res.ok) {
            var d = body && body.detail;
            var msg = typeof d === "string" ? d : (Array.isArray(d) && d[0] && d[0].msg) || T("error_status", { status: res.status });
            throw new Error(msg);
          }
          return body;
        });
      });
  }

  function seg(x) { return encodeURIComponent(x); }

  function settings() {
    var year = $("annee").value.trim();
    return { lens: $("lentille").value || "all", as_of: /^\d{4}$/.test(year) ? year : "",
             depth: $("profondeur").value || "1", size_by: $("taille").value };
  }

  // ------------------------------------------------------------------------------------------
  // settings and search

  function fillSettings() {
    var fam = $("famille");
    CONFIG.families.forEach(function (f) {
      if (f.personal) return;
      fam.appendChild(el("option", { value: f.name, text: f.label }));
    });
    var lens = $("lentille");
    CONFIG.lenses.forEach(function (l) {
      lens.appendChild(el("option", { value: l.name, text: l.label, selected: l.name === "all" ? "selected" : null }));
    });
    var size = $("taille");
    ["lentille", "annee", "profondeur"].forEach(function (id) {
      $(id).addEventListener("change", function () { if (state.view) openView(state.view); });
    });
    size.addEventListener("change", function () { if (state.sub) draw(state.sub); updateLinks(); });
  }

  function search(ev) {
    if (ev) ev.preventDefault();
    var q = $("q").value.trim();
    var family = $("famille").value;
    var list = $("resultats-liste");
    clear(list);
    $("resultats").hidden = false;
    $("resultats-compte").textContent = T("searching");
    // territories by name, code or the start of a name (Haute-Garonne, 31, Sicoval, Toul…), then actors
    var places = q.length >= 2 && !family ? api("/api/territories", { q: q, limit: 5 }).catch(function () { return []; })
                                          : Promise.resolve([]);
    Promise.all([places, api("/api/actors", { q: TERRITORY.test(q) ? "" : q, family: family, size: 30 })]).then(function (got) {
      var territories = got[0], page = got[1];
      territories.forEach(function (t) {
        list.appendChild(resultItem({ kind: "territory", id: t.id, label: t.label, level: t.level_label,
                                      meta: T("territory_meta", { level: t.level_label }) }));
      });
      var items = page.items.slice().sort(function (a, b) { return (b.is_pole ? 1 : 0) - (a.is_pole ? 1 : 0); });
      var said = territories.length ? TN("territories", territories.length) + " · " : "";
      $("resultats-compte").textContent = said + (page.total === 0 ? T("no_actor")
        : (TN("actors", page.total, page.capped ? { n: number(page.total) + "+" } : null) +
           (page.total > items.length ? T("first_shown", { n: number(items.length) }) : "")));
      if (!territories.length && page.total === 0) $("resultats-compte").textContent = T("no_result");
      items.forEach(function (a) {
        list.appendChild(resultItem({ kind: a.is_pole ? "pole" : "actor", id: a.id, label: a.name, family: a.family,
                                      meta: [a.family_label, a.kind_label, a.location_label].filter(Boolean).join(" · ") }));
      });
    }).catch(function (e) { $("resultats-compte").textContent = T("search_failed", { error: e.message }); });
  }

  function resultItem(r) {
    var button = el("button", { type: "button", className: "resultat", "data-kind": r.kind, "data-id": r.id,
                                onclick: function () { $("resultats").hidden = true; openView({ kind: r.kind, id: r.id, label: r.label, level: r.level }); } },
      el("span", { className: "pastille", style: "background:" + (r.kind === "territory" ? "#ffffff" : familyColour(r.family)) }),
      el("span", { className: "nom", text: r.label }),
      el("span", { className: "meta", text: r.meta || "" }));
    return el("li", {}, button);
  }

  // ------------------------------------------------------------------------------------------
  // views

  function viewTitle(view) {
    if (view.kind === "actor") return T("view_actor", { name: view.label });
    return T(view.kind === "pole" ? "view_pole" : "view_territory", { name: view.label });
  }

  // every view is asked through its lens: the API gives what its export holds, the note on its
  // measures names that lens
  function viewRequest(view, s) {
    var lens = s.lens === "all" ? "" : s.lens;
    if (view.kind === "pole") return ["/api/poles/" + seg(view.id) + "/subgraph", { lens: lens, as_of: s.as_of }];
    if (view.kind === "territory") return ["/api/territories/" + seg(view.id) + "/subgraph", { lens: lens, as_of: s.as_of }];
    return ["/api/actors/" + seg(view.id) + "/neighbourhood", { depth: s.depth, lens: lens, as_of: s.as_of }];
  }

  function openView(view) {
    var s = settings();
    var req = viewRequest(view, s);
    var seq = ++state.seq;  // a newer request wins: answers to older ones are dropped
    state.view = view;
    window.explorer.ready = false;
    $("profondeur").disabled = view.kind !== "actor";
    status(T("loading_map"));
    writeHash();
    // a territory opened from an address or by id: its name, as maps and reports give it
    var named = view.kind === "territory" && (!view.label || view.label === view.id)
      ? api("/api/territories", { q: view.id, limit: 1 }).then(function (hits) {
          if (hits.length && hits[0].id === view.id) { view.label = hits[0].label; view.level = hits[0].level_label; }
        }).catch(function () {})
      : Promise.resolve();
    return Promise.all([api(req[0], req[1]), named]).then(function (got) {
      var sub = got[0];
      if (seq !== state.seq) return;
      state.sub = sub;
      var centre = sub.nodes.filter(function (n) { return n.id === view.id; })[0];
      view.label = centre ? centre.label : (view.label || view.id);
      $("titre-vue").textContent = viewTitle(view);
      draw(sub);
      updateLinks();
      status("");
      if (view.kind !== "territory") showActor(view.id);
      else showTerritory(view);
    }).catch(function (e) { if (seq === state.seq) status(T("map_failed", { error: e.message }), true); });
  }

  function tooltip(title, rows, quote) {
    var div = el("div", { className: "bulle" }, el("strong", { text: title }));
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      div.appendChild(el("div", {}, el("span", { className: "k", text: labelled(r[0]) }), String(r[1])));
    });
    if (quote) div.appendChild(el("div", {}, el("em", { text: T("quote", { text: quote }) })));
    return div;
  }

  /** The size selector offers the metrics the view's actors carry (latest analysis run). */
  function fillSizes(sub) {
    var select = $("taille"), current = select.value, present = {};
    sub.nodes.forEach(function (n) { Object.keys(n.metrics || {}).forEach(function (k) { present[k] = true; }); });
    while (select.options.length > 1) select.remove(1);
    CONFIG.metrics.forEach(function (m) {
      if (m.sizable && present[m.name]) select.appendChild(el("option", { value: m.name, text: m.label }));
    });
    select.value = present[current] ? current : "";
  }

  function draw(sub) {
    fillSizes(sub);
    var s = settings();
    var container = $("carte");
    if (state.network) { state.network.destroy(); state.network = null; }
    clear(container);
    var edges = sub.edges;
    var metric = s.size_by;
    var top = 0;
    if (metric) sub.nodes.forEach(function (n) { var v = n.metrics && n.metrics[metric]; if (v > top) top = v; });
    state.nodeById = {}; state.edgeById = {};
    var famCount = {}, typeCount = {}, markCount = {};
    var nodes = sub.nodes.map(function (n) {
      state.nodeById[n.id] = n;
      famCount[n.family] = (famCount[n.family] || 0) + 1;
      var colour = familyColour(n.family);
      var size = n.is_pole ? 22 : 13;
      if (metric) {
        var v = (n.metrics && n.metrics[metric]) || 0;
        size = 8 + 30 * (top > 0 ? Math.sqrt(Math.max(v, 0) / top) : 0);
      }
      var mark = markOf(sub, n.id);
      var rows = [[T("family"), n.family_label || familyLabel(n.family)], [T("place"), n.location_label],
                  metric ? [METRIC_LABELS[metric] || metric, number(n.metrics && n.metrics[metric])] : ["", ""]];
      if (mark) rows.push([mark.row, sub.marks[mark.name][n.id]]);  // why, as the static map says it
      var node = { id: n.id, label: n.label, family: n.family, size: size, shape: "dot", borderWidth: 1.5,
                   color: nodeColour(colour, darker(colour)), title: tooltip(n.label, rows) };
      if (n.placeholder) {
        node.color = nodeColour("#eef0f2", colour);
        node.shapeProperties = { borderDashes: [4, 3] };
        node.borderWidth = 2.5;
      }
      if (mark) {
        node.mark = mark.name;
        node.borderWidth = mark.width;
        node.color = nodeColour(node.color.background, mark.border);
        markCount[mark.name] = (markCount[mark.name] || 0) + 1;
      }
      return node;
    });
    var parallel = {};
    var visEdges = edges.map(function (e) {
      state.edgeById[e.id] = e;
      typeCount[e.type] = (typeCount[e.type] || 0) + 1;
      var t = TYPES[e.type] || { colour: "#8d99ae", style: "solid", directed: e.directed };
      var pair = e.source < e.target ? e.source + "\u0000" + e.target : e.target + "\u0000" + e.source;
      var i = parallel[pair] || 0;
      parallel[pair] = i + 1;
      var p = e.provenance || {};
      return { id: e.id, from: e.source, to: e.target, rtype: e.type, width: 1.6,
               color: { color: t.colour, highlight: t.colour, hover: t.colour, opacity: 0.85 },
               dashes: DASHES[t.style] || false, arrows: { to: { enabled: !!e.directed, scaleFactor: 0.55 } },
               smooth: i ? { enabled: true, type: i % 2 ? "curvedCW" : "curvedCCW", roundness: 0.18 * Math.ceil(i / 2) } : false,
               title: tooltip(e.type_label || typeLabel(e.type), [[T("document"), documentLine(p)], [T("certainty"), certainty(p.certainty)]], p.quote) };
    });
    $("compte").textContent = TN("actors", nodes.length) + " · " + TN("relations", visEdges.length) +
      (sub.capped ? T("capped_count", { limit: number(sub.limit), total: number(sub.total_nodes) }) : "");
    var notes = $("avis");
    clear(notes);
    if (sub.capped && !(sub.notes || []).length)
      notes.appendChild(el("li", { text: T("capped_note") }));
    (sub.notes || []).forEach(function (n) { notes.appendChild(el("li", { text: n })); });
    if (!nodes.length) {
      container.appendChild(el("p", { className: "vide", text: T("nothing_to_show") }));
      $("legende").hidden = true;
      window.explorer.network = null;
      window.explorer.ready = true;
      return;
    }
    state.familiesOn = new Set(Object.keys(famCount));
    state.typesOn = new Set(Object.keys(typeCount));
    state.nodes = new vis.DataSet(nodes);
    state.edges = new vis.DataSet(visEdges);
    var familyOf = {};
    nodes.forEach(function (n) { familyOf[n.id] = n.family; });
    var nodesView = new vis.DataView(state.nodes, { filter: function (n) { return state.familiesOn.has(n.family); } });
    var edgesView = new vis.DataView(state.edges, { filter: function (e) {
      return state.typesOn.has(e.rtype) && state.familiesOn.has(familyOf[e.from]) && state.familiesOn.has(familyOf[e.to]); } });
    var large = nodes.length > PHYSICS_MAX;
    var options = {
      autoResize: true,
      layout: { improvedLayout: !large, randomSeed: 7 },
      nodes: { font: { face: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", color: "#1d2327",
                       strokeWidth: 3, strokeColor: "#ffffff", size: 12 },
               widthConstraint: { maximum: 140 },
               scaling: { label: CONFIG.name_scaling } },
      edges: { smooth: false, selectionWidth: 1.5 },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large, keyboard: false },
      physics: { enabled: true, solver: "barnesHut",
                 barnesHut: { gravitationalConstant: -3000, springLength: 90, springConstant: 0.03, avoidOverlap: 0.3, damping: 0.3 },
                 stabilization: { enabled: true, iterations: large ? 120 : 200, fit: true } }
    };
    var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, options);
    // the whole map in view after a resize too, the largest actors' names readable (static/fit.js)
    var whole = maillageFit(network, state.nodes);
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      // the names are measured once drawn: then moved apart, kept, and the view fitted
      network.once("afterDrawing", function () {
        if (!large) separateNames(network);
        network.storePositions();
        whole.fit(function () { if (state.network === network) window.explorer.ready = true; });
      });
      network.redraw();
    });
    network.on("dragEnd", function () { network.storePositions(); });
    network.on("click", function (params) {
      if (params.nodes.length) showActor(params.nodes[0]);
      else if (params.edges.length) showEdge(params.edges[0]);
    });
    state.network = network;
    window.explorer.network = network;
    window.explorer.ready = false;
    legend(famCount, typeCount, markCount, nodesView, edgesView);
  }

  /** The ring of an actor of a territory's view (MARKS: isolated first), or null. */
  function markOf(sub, id) {
    var marks = sub.marks || {};
    for (var i = 0; i < MARKS.length; i++) {
      if (marks[MARKS[i].name] && Object.prototype.hasOwnProperty.call(marks[MARKS[i].name], id)) return MARKS[i];
    }
    return null;
  }

  function legend(famCount, typeCount, markCount, nodesView, edgesView) {
    var fams = $("legende-familles"), types = $("legende-types");
    clear(fams); clear(types);
    function refresh() { nodesView.refresh(); edgesView.refresh(); }
    CONFIG.families.forEach(function (f) {
      if (!famCount[f.name]) return;
      var box = el("input", { type: "checkbox", className: "filtre-famille", value: f.name, checked: "checked" });
      box.addEventListener("change", function () {
        if (box.checked) state.familiesOn.add(f.name); else state.familiesOn.delete(f.name);
        refresh();
      });
      fams.appendChild(el("label", {}, box, el("span", { className: "pastille", style: "background:" + f.colour }),
                          f.label, el("span", { className: "n", text: "(" + number(famCount[f.name]) + ")" })));
    });
    // the rings of a territory's view, with the static map's legend line (no box: not a filter)
    MARKS.forEach(function (m) {
      if (!markCount[m.name]) return;
      fams.appendChild(el("label", { id: "legende-" + m.name, className: "marque" },
        el("span", { className: "pastille", style: "background:#ffffff;border:" + m.swatch + "px solid " + m.border }),
        m.legend, el("span", { className: "n", text: "(" + number(markCount[m.name]) + ")" })));
    });
    CONFIG.types.forEach(function (t) {
      if (!typeCount[t.name]) return;
      var box = el("input", { type: "checkbox", className: "filtre-type", value: t.name, checked: "checked" });
      box.addEventListener("change", function () {
        if (box.checked) state.typesOn.add(t.name); else state.typesOn.delete(t.name);
        refresh();
      });
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", "28"); svg.setAttribute("height", "10"); svg.setAttribute("aria-hidden", "true");
      var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      [["x1", "1"], ["y1", "5"], ["x2", "27"], ["y2", "5"], ["stroke", t.colour], ["stroke-width", "2.5"]]
        .forEach(function (a) { line.setAttribute(a[0], a[1]); });
      if (t.style === "dashed") line.setAttribute("stroke-dasharray", "7 4");
      if (t.style === "dotted") line.setAttribute("stroke-dasharray", "2 3");
      svg.appendChild(line);
      types.appendChild(el("label", {}, box, svg, t.label, el("span", { className: "n", text: "(" + number(typeCount[t.name]) + ")" })));
    });
    $("legende").hidden = false;
  }

  // ------------------------------------------------------------------------------------------
  // side panel

  function certainty(c) { return (CONFIG.certainty && CONFIG.certainty[c]) || c || ""; }

  /** Where a fact is in its source: the document and the locator as the API reads it
   *  (graph/locators.py locator_text: L12, row 32 → « ligne N » / "line N", in the page's language). */
  function documentLine(p) {
    if (!p) return "";
    var loc = p.locator_label || p.locator || "";
    var doc = p.document_label && p.document_label !== p.document ? p.document_label
      : (p.document ? T("document_id", { id: p.document }) : "");
    return [doc, loc].filter(Boolean).join(", ");
  }

  /** A relation's fields as the server labels them (the edge JSON's field_rows: maps.field_rows,
   *  as the map's tooltips show them — the vocabulary's labels, the role as role_text says it,
   *  amounts and shares as the language writes them): the page decides no label of its own. */
  function fieldRows(e) {
    return (e.field_rows || []).map(function (r) { return [r[0], r[1]]; });
  }

  /** A date as the sources give it (2024-03-15, 2024-03, 2024) as the page's language writes it
   * (CONFIG.dates: maillage.writing.date_text's months and patterns): « 1er mars 2024 »,
   * "March 2024". */
  function dateText(d) {
    var words = CONFIG.dates, m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(d));
    if (!words || !m || !m[2] || +m[2] < 1 || +m[2] > 12 || (m[3] && (+m[3] < 1 || +m[3] > 31))) return String(d);
    var vars = { year: m[1], month: words.months[+m[2] - 1], day: m[3] ? String(+m[3]) : "" };
    var pattern = !m[3] ? words.month : (+m[3] === 1 && words.first ? words.first : words.day);
    return pattern.replace(/\{(\w+)\}/g, function (x, k) { return vars[k]; });
  }

  /** A tie's period as maillage.writing.period_text writes it: one date when start and end are
   * the same, an open end with its day said (« depuis le 15 mars 2024 »). */
  function period(e) {
    var day = function (d) { return /^\d{4}-\d{2}-\d{2}$/.test(String(d)); };
    if (e.start && e.end) return String(e.start) === String(e.end) ? dateText(e.start)
      : dateText(e.start) + " – " + dateText(e.end);
    if (e.start) return T(day(e.start) ? "since_day" : "since", { start: dateText(e.start) });
    if (e.end) return T(day(e.end) ? "until_day" : "until", { end: dateText(e.end) });
    return "";
  }

  function dl(rows) {
    var d = el("dl");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "" || (Array.isArray(r[1]) && !r[1].length)) return;
      d.appendChild(el("dt", { text: r[0] }));
      d.appendChild(el("dd", {}, r[1]));
    });
    return d;
  }

  function sourceBlock(p) {
    p = p || {};
    return el("div", { className: "source" },
      p.quote ? el("blockquote", { className: "citation", text: T("quote", { text: p.quote }) }) : null,
      el("div", { className: "document", text: [documentLine(p), certainty(p.certainty)].filter(Boolean).join(" · ") }),
      el("div", { className: "origine", text: T("source_line", { source: p.source_label || p.source || "" }) }));
  }

  function actorLink(id, name) {
    return el("button", { type: "button", className: "lien", text: name || id,
                          onclick: function () { showActor(id); } });
  }

  function relationItem(e, selfId, names) {
    var other = e.source === selfId ? e.target : e.source;
    var outgoing = e.source === selfId;
    var head = el("div", {},
      el("span", { className: "type", text: (e.type_label || typeLabel(e.type)) }), " ",
      e.directed ? (outgoing ? "→ " : "← ") : "— ",
      actorLink(other, names[other]));
    var rows = fieldRows(e);
    var per = period(e);
    if (per) rows.push([T("period"), per]);
    return el("li", { className: "relation", "data-id": e.id }, head, rows.length ? dl(rows) : null, sourceBlock(e.provenance));
  }

  function panel() {
    var d = $("detail");
    clear(d);
    return d;
  }

  function showActor(id) {
    var d = panel();
    d.appendChild(el("p", { className: "aide", text: T("loading") }));
    return api("/api/actors/" + seg(id)).then(function (res) {
      d = panel();
      var a = res.actor;
      d.setAttribute("data-actor", a.id);
      d.appendChild(el("h2", { text: a.name }));
      var rows = [[T("family"), a.family_label || familyLabel(a.family)], [T("kind"), a.kind_label || a.kind],
                  [T("place"), a.location_label || a.location], [T("territory_administered"), a.territory_label || a.territory],
                  [T("legal_form"), a.legal_form],
                  [T("identifiers"), (a.identifiers || []).map(function (i) { return i.scheme.toUpperCase() + " " + i.value; }).join(T("list_sep"))],
                  [T("aliases"), (a.aliases || []).join(T("list_sep"))],
                  [T("group_of"), a.group_count ? number(a.group_count) : ""]];
      Object.keys(a.declared || {}).forEach(function (k) {
        rows.push([(CONFIG.declared || {})[k] || T("declared", { key: k }), number(a.declared[k])]);
      });
      if (a.pole) {
        rows.push([T("phase"), a.pole.phase ? (CONFIG.phases || {})[a.pole.phase] || a.pole.phase : ""]);
        rows.push([T("founding_year"), a.pole.founding_year ? String(a.pole.founding_year) : ""]);
      }
      Object.keys(a.attributes || {}).forEach(function (k) {
        var v = a.attributes[k];
        rows.push([(CONFIG.attributes || {})[k] || k, ((CONFIG.attribute_values || {})[k] || {})[v] || v]);
      });
      // each source once, one a line: two sources cut from one document share a label, and a
      // label holds commas (« RTES, « … », Repères, 2016 »), so a joined list read as one text
      var labels = (a.sources || []).map(function (s) { return (res.source_labels || {})[s] || s; });
      rows.push([T("sources"), labels.filter(function (l, i) { return labels.indexOf(l) === i; })
        .map(function (l) { return el("div", { className: "source-nom", text: l }); })]);
      d.appendChild(dl(rows));
      if (a.placeholder) d.appendChild(el("p", { className: "note", text: T("placeholder_note") }));

      var actions = el("div", { className: "actions" });
      if (!(state.view && state.view.kind === "actor" && state.view.id === a.id))
        actions.appendChild(el("button", { type: "button", text: T("neighbourhood_map"),
          onclick: function () { openView({ kind: "actor", id: a.id, label: a.name }); } }));
      if (a.is_pole && !(state.view && state.view.kind === "pole" && state.view.id === a.id))
        actions.appendChild(el("button", { type: "button", text: T("pole_map"),
          onclick: function () { openView({ kind: "pole", id: a.id, label: a.name }); } }));
      [a.territory, a.location].forEach(function (t, i) {
        if (i === 1 && t === a.territory) return;
        if (t && TERRITORY.test(t)) actions.appendChild(el("button", { type: "button",
          text: T(i === 0 ? "administered_button" : "territory_button", { name: (i === 0 ? a.territory_label : a.location_label) || t }),
          onclick: function () { openView({ kind: "territory", id: t }); } }));
      });
      d.appendChild(actions);

      var diag = a.is_pole ? el("section", { id: "diagnostic" }) : null;
      if (diag) d.appendChild(diag);

      var names = {};
      (res.neighbours || []).forEach(function (n) { names[n.id] = n.name; });
      Object.keys(state.nodeById).forEach(function (k) { if (!names[k]) names[k] = state.nodeById[k].label; });
      var rels = res.relations || [];
      d.appendChild(el("h3", { text: T("relations_heading", { n: number(rels.length) }) }));
      var ul = el("ul", { className: "relations" });
      rels.forEach(function (e) { ul.appendChild(relationItem(e, a.id, names)); });
      d.appendChild(ul);

      d.appendChild(el("h3", { text: T("metrics_heading") }));
      if (res.metrics) {
        var main = el("table", { className: "metriques" }), others = el("table", { className: "metriques" });
        var nOthers = 0;
        CONFIG.metrics.forEach(function (m) {
          if (!(m.name in res.metrics)) return;
          (m.main ? main : others).appendChild(el("tr", {}, el("td", { text: m.label }),
                                                   el("td", { className: "nombre", text: number(res.metrics[m.name]) })));
          if (!m.main) nOthers++;
        });
        Object.keys(res.metrics).sort().forEach(function (k) {
          if (METRIC_LABELS[k]) return;
          others.appendChild(el("tr", {}, el("td", { text: k }), el("td", { className: "nombre", text: number(res.metrics[k]) })));
          nOthers++;
        });
        d.appendChild(main);
        if (nOthers) d.appendChild(el("details", {}, el("summary", { text: T("other_metrics", { n: number(nOthers) }) }), others));
        if (res.run_label) d.appendChild(el("p", { className: "aide", text: T("run", { run: res.run_label }) }));
        (res.run_notes || []).forEach(function (n) { d.appendChild(el("p", { className: "note", text: n })); });
      } else {
        d.appendChild(el("p", { className: "aide", text: T("no_run") }));
      }
      if (diag) return showDiagnostic(a.id, diag);
    }).catch(function (e) {
      d = panel();
      d.appendChild(el("p", { className: "etat erreur", text: T("details_failed", { error: e.message }) }));
    });
  }

  function measure(m) {
    if (!m) return "—";
    if (m.value === null || m.value === undefined) return m.unknown || T("unknown");
    return number(m.value) + (m.n ? " (n = " + number(m.n) + ")" : "");
  }

  /** A figure of the diagnostic: its value (or why it is unknown, said once: a second figure
   *  unknown for the same reason refers to the first, ``sameAs.text``), then its definition — each
   *  figure its own (docs/analytics-poles.md; the two used to show the same sentence word for word). */
  function figure(m, definition, sameAs) {
    if (!m) return "";
    var text = measure(m);
    if (sameAs && (m.value === null || m.value === undefined) && m.unknown && m.unknown === sameAs.m.unknown)
      text = sameAs.text;
    return [el("span", { className: "valeur", text: text }), el("span", { className: "definition", text: definition })];
  }

  /** Move actors apart until no two names overlap. The physics only keeps the dots apart
   *  (``avoidOverlap``): on a dense pôle the names (up to 140 px wide, on several lines) were
   *  drawn over one another (« Mairie de Ramonville-Saint-Agne » over « Initiatives… »). With
   *  the boxes vis-network measures for each dot and its name, every overlapping pair is pushed
   *  apart, half each, along the axis where they overlap least, until none does (a few rounds
   *  on a pôle of 45 actors) — the drawing grows only where names crowd. */
  function separateNames(network) {
    var ids = network.body.nodeIndices.slice(), GAP = 4;
    if (ids.length < 2) return;
    var pos = network.getPositions(ids), box = {};
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id), p = pos[id];
      box[id] = { l: b.left - p.x, r: b.right - p.x, t: b.top - p.y, b: b.bottom - p.y };
    });
    for (var round = 0; round < 300; round++) {
      var moved = false;
      for (var i = 0; i < ids.length; i++) {
        for (var j = i + 1; j < ids.length; j++) {
          var pa = pos[ids[i]], pc = pos[ids[j]], ba = box[ids[i]], bc = box[ids[j]];
          var ox = Math.min(pa.x + ba.r, pc.x + bc.r) - Math.max(pa.x + ba.l, pc.x + bc.l) + GAP;
          var oy = Math.min(pa.y + ba.b, pc.y + bc.b) - Math.max(pa.y + ba.t, pc.y + bc.t) + GAP;
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) {
            var sx = pc.x >= pa.x ? 1 : -1;
            pa.x -= sx * ox / 2; pc.x += sx * ox / 2;
          } else {
            var sy = pc.y >= pa.y ? 1 : -1;
            pa.y -= sy * oy / 2; pc.y += sy * oy / 2;
          }
        }
      }
      if (!moved) break;
    }
    ids.forEach(function (id) { network.moveNode(id, pos[id].x, pos[id].y); });
  }

  function showDiagnostic(id, section) {
    append(section, [el("h3", { text: T("pole_diagnostic") }), el("p", { className: "aide", text: T("loading") })]);
    var s = settings();
    return api("/api/poles/" + seg(id) + "/diagnostic", { as_of: s.as_of }).then(function (res) {
      clear(section);
      var g = res.diagnostic || {};
      section.appendChild(el("h3", { text: T(g.as_of ? "pole_diagnostic_year" : "pole_diagnostic", { year: g.as_of }) }));
      var size = g.size || {}, internal = g.internal || {}, funding = g.funding || {}, coop = g.cooperation || {};
      section.appendChild(dl([
        [T("kind"), g.kind_label], [T("phase"), g.phase_label], [T("founded"), g.founding_year ? String(g.founding_year) : ""],
        [T("perimeter"), (g.perimeter_text || (g.perimeter_labels || []).join(", ") || g.location_label)
          + (g.perimeter_note ? " (" + g.perimeter_note + ")" : "")],
        [T("named_members"), size.named_members !== undefined ? number(size.named_members) : ""],
        [T("core_units"), size.core_units !== undefined ? number(size.core_units) : ""],
        [T("declared_members"), size.declared_members !== null && size.declared_members !== undefined ? number(size.declared_members) : ""],
        [T("families_present"), g.families_present !== undefined ? number(g.families_present) : ""],
        [T("blau"), g.blau ? measure(g.blau) : ""],
        [T("density"), figure(internal.density, T("density_definition"))],
        [T("centralisation"), figure(internal.centralisation, T("centralisation_definition"),
                                     { m: internal.density || {}, text: T("centralisation_same_reason") })],
        [T("hhi"), funding.hhi ? measure(funding.hhi) : ""],
        [T("forms"), (coop.forms || []).filter(function (f) { return f.count; })
           .map(function (f) { return f.label + " (" + number(f.count) + ")"; }).join(", ")]
      ]));
      if (g.composition && g.composition.length) {
        section.appendChild(el("p", { className: "aide", text: T("composition", {
          list: g.composition.map(function (c) { return c.label + " " + number(c.count); }).join(", ") }) }));
      }
      (g.caveats || []).forEach(function (c) { section.appendChild(el("p", { className: "note", text: c })); });
      var crit = res.criteria || [];
      if (crit.length) {
        section.appendChild(el("h3", { text: T("criteria") }));
        var ul = el("ul", { className: "criteres" });
        crit.forEach(function (c) {
          var cls = c.state === true ? "oui" : c.state === false ? "non" : "inconnu";
          ul.appendChild(el("li", { "data-critere": c.id },
            el("span", { className: "etat-critere " + cls, text: c.state_label }), " ",
            el("span", { className: "type", text: c.label }),
            el("div", { className: "source", text: c.reason + (c.source_label ? " — " + c.source_label : "") })));
        });
        section.appendChild(ul);
      }
    }).catch(function (e) {
      clear(section);
      section.appendChild(el("h3", { text: T("pole_diagnostic") }));
      section.appendChild(el("p", { className: "aide", text: T("diagnostic_failed", { error: e.message }) }));
    });
  }

  function showEdge(id) {
    var e = state.edgeById[id];
    if (!e) return;
    var d = panel();
    d.setAttribute("data-edge", id);
    var src = state.nodeById[e.source], tgt = state.nodeById[e.target];
    d.appendChild(el("h2", { text: e.type_label || typeLabel(e.type) }));
    d.appendChild(el("p", {}, actorLink(e.source, src ? src.label : e.source), e.directed ? " → " : " — ",
                     actorLink(e.target, tgt ? tgt.label : e.target)));
    var rows = fieldRows(e);
    var per = period(e);
    if (per) rows.push([T("period"), per]);
    if (rows.length) d.appendChild(dl(rows));
    d.appendChild(el("h3", { text: T("source") }));
    d.appendChild(sourceBlock(e.provenance));
  }

  function showTerritory(view) {
    var d = panel();
    d.setAttribute("data-territory", view.id);
    d.appendChild(el("h2", { text: view.label || view.id }));
    if (view.level) d.appendChild(el("p", { className: "meta", text: view.level }));  // its id is the address's
    d.appendChild(el("p", { className: "aide", text: T("territory_hint") }));
    var section = el("section", { id: "diagnostic-territoire" });
    d.appendChild(section);
    showTerritoryDiagnostic(view.id, section);
  }

  /** A list of actors of the territory diagnostic, each a link to its details, with what is
   * said of it (the reasons an actor is isolated, a pôle's presence, a funder's grants). */
  function actorList(listing, say) {
    var ul = el("ul", { className: "acteurs" });
    listing.items.slice(0, PANEL_LIST_MAX).forEach(function (a) {
      ul.appendChild(el("li", { "data-id": a.id }, actorLink(a.id, a.name),
                        el("div", { className: "meta", text: say(a) })));
    });
    var more = listing.size - Math.min(listing.items.length, PANEL_LIST_MAX);
    if (more > 0) ul.appendChild(el("li", { className: "aide", text: TN("more", more) }));
    return ul;
  }

  /** The territory's isolated and peripheral actors counted by part, one level down (a région's
   * départements…): where to look first; each part opens its own map and diagnostic. */
  function partTable(level, parts) {
    var gaps = parts.some(function (p) { return p.documentation_gaps; });
    var head = [(CONFIG.levels || {})[level] || level, T("isolated"), T("peripheral")]
      .concat(gaps ? [T("documentation_gaps")] : []);
    var body = el("tbody");
    parts.forEach(function (p) {
      var name = p.id ? el("button", { type: "button", className: "lien", text: p.name,
                                       onclick: function () { openView({ kind: "territory", id: p.id, label: p.name }); } })
                      : p.name;
      var cells = [p.isolated, p.peripheral].concat(gaps ? [p.documentation_gaps] : []);
      body.appendChild(el("tr", { "data-part": p.id || "" }, el("td", {}, name),
        cells.map(function (n) { return el("td", { className: "nombre", text: number(n) }); })));
    });
    return el("table", { className: "parties" },
      el("thead", {}, el("tr", {}, head.map(function (h, i) { return el("th", { className: i ? "nombre" : null, text: h }); }))),
      body);
  }

  function amountText(f) {
    return f.amounts_stated ? T("euros", { n: number(Math.round(f.amount)) }) + (f.amounts_stated < f.ties
      ? T("amount_known_for", { known: number(f.amounts_stated), ties: number(f.ties) }) : "") : "";
  }

  /** How many isolated actors the territory's map still shown circles (a capped view keeps the
   * most tied, so often not all of them). */
  function isolatedDrawn(tid) {
    if (!state.view || state.view.kind !== "territory" || state.view.id !== tid || !state.sub) return 0;
    return Object.keys((state.sub.marks || {}).isolated || {}).length;
  }

  function showTerritoryDiagnostic(tid, section) {
    append(section, [el("h3", { text: T("territory_diagnostic") }), el("p", { className: "aide", text: T("loading") })]);
    var s = settings();
    // the panel shows PANEL_LIST_MAX names a heading: the API cuts the other listings there (every
    // isolated actor still comes); a région's whole diagnostic is ~5 MiB. The map's rings come with
    // the view itself (its « marks »), only for the actors it draws
    return api("/api/territories/" + seg(tid) + "/diagnostic", { as_of: s.as_of, items: PANEL_LIST_MAX }).then(function (g) {
      clear(section);
      section.appendChild(el("h3", { text: T(g.as_of ? "territory_diagnostic_year" : "territory_diagnostic", { year: g.as_of }) }));
      var isolated = g.isolated || { size: 0, items: [] }, poles = g.poles || { size: 0, items: [] };
      var funders = g.funders || { size: 0, items: [] };
      section.appendChild(dl([
        [T("actors_located"), number((g.actors || {}).size || 0)],
        [T("in_pole"), number(g.in_pole || 0)], [T("not_in_pole"), number(g.not_in_pole || 0)],
        [T("isolated"), number(isolated.size)], [T("poles_present"), number(poles.size)],
        [T("funders"), number(funders.size)]
      ]));
      (g.notes || []).forEach(function (n) { section.appendChild(el("p", { className: "note", text: n })); });
      section.appendChild(el("h4", { text: T("isolated_actors") }));
      var marked = isolatedDrawn(tid);
      if (marked) section.appendChild(el("p", { className: "aide", text: TN("circled", marked) }));
      var parts = (g.flagged_by_part || []).filter(function (p) { return p.isolated + p.peripheral + p.documentation_gaps; });
      if (parts.length > 1) section.appendChild(partTable(g.part_level, parts));
      if (!isolated.size) section.appendChild(el("p", { className: "aide", text: T("no_isolated") }));
      else section.appendChild(actorList(isolated, function (a) {
        return [a.family_label, a.location_label].filter(Boolean).join(" · ") + " — " +
          (a.reasons || []).map(function (r) { return r.text; }).join(T("list_sep"));
      }));
      if (poles.size) {
        section.appendChild(el("h4", { text: T("poles_present") }));
        section.appendChild(actorList(poles, function (p) {
          return [p.location_label, p.members_here ? TN("members_here", p.members_here) : ""]
            .concat((p.presence || []).map(function (r) { return r.text; })).filter(Boolean).join(" · ");
        }));
      }
      if (funders.size) {
        section.appendChild(el("h4", { text: T("funders") }));
        section.appendChild(actorList(funders, function (f) {
          var n = (f.beneficiaries || {}).size || 0;
          return [f.kind_label || f.family_label, T("grants_to", { grants: TN("grants", f.ties), beneficiaries: TN("beneficiaries", n) }),
                  amountText(f)].filter(Boolean).join(" · ");
        }));
      }
      var cut = [isolated, poles, funders].some(function (x) { return x.size > Math.min(x.items.length, PANEL_LIST_MAX); });
      if (cut) section.appendChild(el("p", { className: "aide", text: T("lists_cut", { tid: tid }) }));
    }).catch(function (e) {
      clear(section);
      section.appendChild(el("h3", { text: T("territory_diagnostic") }));
      section.appendChild(el("p", { className: "aide", text: T("diagnostic_failed", { error: e.message }) }));
    });
  }

  // ------------------------------------------------------------------------------------------
  // links (exports, standalone map) and shareable address

  function updateLinks() {
    var v = state.view;
    if (!v) return;
    var s = settings();
    var params = v.kind === "pole" ? { pole: v.id } : v.kind === "territory" ? { territory: v.id } : { actor: v.id, depth: s.depth };
    // the view as drawn: its lens and year
    params.lens = s.lens === "all" ? "" : s.lens;
    params.as_of = s.as_of;
    // the exports and the standalone map in the page's language (French: the API's default, no parameter)
    var lang = CONFIG.lang === "fr" ? "" : CONFIG.lang;
    params.lang = lang;
    var box = $("liens-exports");
    clear(box);
    CONFIG.exports.forEach(function (fmt) {
      box.appendChild(el("a", { href: "/api/export/" + seg(fmt) + query(params), download: "", className: "export", text: fmt }));
      box.appendChild(document.createTextNode(" "));
    });
    var map = v.kind === "pole" ? "/map/pole/" + seg(v.id) + query({ lens: params.lens, as_of: s.as_of, size_by: s.size_by, lang: lang })
      : v.kind === "territory" ? "/map/territory/" + seg(v.id) + query({ lens: params.lens, as_of: s.as_of, size_by: s.size_by, lang: lang })
      : "/map/actor/" + seg(v.id) + query({ depth: s.depth, lens: params.lens, as_of: s.as_of,
                                             size_by: s.size_by, lang: lang });
    $("lien-carte").setAttribute("href", map);
    $("liens").hidden = false;
  }

  var HASH_KINDS = { actor: "acteur", pole: "pole", territory: "territoire" };

  function writeHash() {
    var v = state.view, s = settings();
    var h = HASH_KINDS[v.kind] + "=" + encodeURIComponent(v.id);
    if (s.lens !== "all") h += "&lentille=" + encodeURIComponent(s.lens);
    if (s.as_of) h += "&annee=" + s.as_of;
    if (v.kind === "actor" && s.depth !== "1") h += "&profondeur=" + s.depth;
    if (location.hash.slice(1) !== h) history.replaceState(null, "", "#" + h);
  }

  function readHash() {
    var params = {};
    location.hash.slice(1).split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    if (params.lentille) $("lentille").value = params.lentille;
    if (params.annee) $("annee").value = params.annee;
    if (params.profondeur) $("profondeur").value = params.profondeur;
    var kinds = Object.keys(HASH_KINDS);
    for (var i = 0; i < kinds.length; i++) {
      var key = HASH_KINDS[kinds[i]];
      if (params[key]) return { kind: kinds[i], id: params[key] };
    }
    return null;
  }

  /** The page opened with no view: the store's pôles, most members listed first, each a
   * button to its map — where an animator or a collectivité starts before knowing a name. */
  function showStart() {
    var box = el("div", { id: "accueil" }, el("h3", { text: T("poles") }), el("p", { className: "aide", text: T("loading") }));
    $("detail").appendChild(box);
    return api("/api/poles").then(function (poles) {
      clear(box);
      box.appendChild(el("h3", { text: T("poles") }));
      if (!poles.length) {
        box.appendChild(el("p", { className: "aide", text: T("no_poles") }));
        return;
      }
      var shown = poles.slice().sort(function (a, b) { return b.members - a.members || a.name.localeCompare(b.name, CONFIG.lang || "fr"); })
                       .slice(0, START_POLES);
      box.appendChild(el("p", { className: "aide", text: TN("poles", poles.length) +
        (poles.length > shown.length ? T("poles_top", { n: number(shown.length) }) : T("poles_all")) }));
      var list = el("ul", { className: "liste-poles" });
      shown.forEach(function (p) {
        var members = p.members ? TN("named", p.members)
          : p.declared_members ? T("declared_none_named", { n: number(p.declared_members) }) : T("none_named");
        list.appendChild(el("li", {}, el("button", { type: "button", className: "lien", "data-id": p.id,
          onclick: function () { openView({ kind: "pole", id: p.id, label: p.name }); } }, p.name),
          el("span", { className: "meta", text: [members, p.location_label].filter(Boolean).join(" · ") })));
      });
      box.appendChild(list);
    }).catch(function (e) { clear(box); box.appendChild(el("p", { className: "aide", text: T("poles_failed", { error: e.message }) })); });
  }

  // ------------------------------------------------------------------------------------------
  // start

  window.explorer = { openView: openView, showActor: showActor, showEdge: showEdge, search: search,
                      state: state, network: null, ready: false };
  if (typeof vis === "undefined") {
    status(T("vis_missing"), true);
    return;
  }
  fillSettings();
  $("recherche").addEventListener("submit", search);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") $("resultats").hidden = true; });
  var initial = readHash();
  if (initial) openView(initial);
  else showStart();
})();
