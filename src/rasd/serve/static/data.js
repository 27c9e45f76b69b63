// rasd map page, data: what the map asks the server for (/api/map for the viewport, /api/incidents
// page by page from an older server) and the incidents' slim form the page draws.
// app.js calls rasdData(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdData = function (page) {
  "use strict";
  var $ = page.$, state = page.state, getJSON = page.getJSON, setStatus = page.setStatus, isoDay = page.isoDay, parseDay = page.parseDay;
  // defined by the other modules, looked up when called
  function render() { return page.render.apply(null, arguments); }
  function addActors() { return page.addActors.apply(null, arguments); }
  var MAX_PAGES = 40;
  var PAGE = 1000;
  var MAP_PAGE = 5000;      // at most this many incidents per viewport (the largest); the rest are counted, "not loaded"
  var FETCH_DELAY = 250;    // ms after the map stops moving or a filter changes before the server is asked
  var pending = null, fetchTimer = null, requests = 0;

  function countOf(inc, kind) {
    var k = inc.figures && inc.figures[kind];
    if (!k) return 0;
    var v = k.best !== null && k.best !== undefined ? k.best : (k.low !== null && k.low !== undefined ? k.low : k.high);
    return v || 0;
  }
  function deathsOf(inc) { return countOf(inc, "killed"); }
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
    var b = page.map.getBounds();
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
        state.bbox = bbox;  // the box of what is loaded: the download links ask for it
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

  return { normalise: normalise, filterParams: filterParams, boundsParam: boundsParam, fetchView: fetchView, scheduleFetch: scheduleFetch, loadFacets: loadFacets, loadPaged: loadPaged };
};
