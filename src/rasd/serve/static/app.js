// rasd map page: incidents on a Leaflet map, a brushable timeline, filters and a provenance panel.
// This file holds the page's shared state and helpers and starts the page; each concern is a file of its own,
// loaded before this one (index.html), as a function that takes `page` (this state and these helpers) and
// returns what it offers, which is added to `page`:
//   data.js      what is asked of the server (/api/map for the viewport) and the slim form drawn
//   filters.js   the filter form, and the same tests applied to what the page holds
//   map.js       the Leaflet map, boundaries, legend and markers
//   timeline.js  the brushable timeline and the chart of killed, injured and displaced
//   urlstate.js  the address (filters, view, open incident) and the download links
//   panel.js     one incident with its reports and quotes
//   review.js    corrections with the server's write token
// Every string that comes from a document is put on the page with textContent, never as HTML.
(function () {
  "use strict";

  var state = { all: [], type: "", sub: "", country: "", killed: null, sources: null, actor: "", q: "",
                since: null, until: null, brush: null, bins: null, incident: null,
                counts: null, viewport: true, at: null, bbox: null };
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

  // ---- the modules ------------------------------------------------------------------------
  var page = { state: state, $: $, el: el, visible: visible, setStatus: setStatus, parseDay: parseDay, isoDay: isoDay,
               whole: whole, num: num, getJSON: getJSON, map: null, render: render, reload: reload };
  function use(factory, name) {
    if (typeof factory !== "function") throw new Error("static/" + name + " did not load");
    var offered = factory(page);
    Object.keys(offered).forEach(function (k) { page[k] = offered[k]; });
  }
  use(window.rasdData, "data.js");
  use(window.rasdFilters, "filters.js");
  use(window.rasdMap, "map.js");
  use(window.rasdTimeline, "timeline.js");
  use(window.rasdUrlState, "urlstate.js");
  use(window.rasdPanel, "panel.js");
  if (typeof window.rasdReview !== "function") throw new Error("static/review.js did not load");
  page.review = window.rasdReview(page);
  // what the main functions below use of the modules
  var fetchView = page.fetchView, scheduleFetch = page.scheduleFetch, loadFacets = page.loadFacets,
      loadPaged = page.loadPaged, passesFilters = page.passesFilters, inBrush = page.inBrush,
      fillFilterOptions = page.fillFilterOptions, addActors = page.addActors, bindFilters = page.bindFilters,
      initMap = page.initMap, loadBoundaries = page.loadBoundaries, drawMarkers = page.drawMarkers,
      fitToData = page.fitToData, drawTimeline = page.drawTimeline, bindBrush = page.bindBrush,
      drawChart = page.drawChart, saveState = page.saveState, loadState = page.loadState, showState = page.showState,
      downloads = page.downloads, openIncident = page.openIncident;

  // ---- main -------------------------------------------------------------------------------
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
      if (state.at) page.map.setView([state.at[1], state.at[2]], state.at[0], { animate: false });
      else fitToData(head.extent);
      return fetchView().then(function () { page.map.on("moveend", function () { saveState(); scheduleFetch(); }); });
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
      $("panel").hidden = true; state.incident = null; saveState(); page.map.invalidateSize();
    });
    if (typeof L === "undefined" || typeof topojson === "undefined") {
      setStatus("Map libraries missing: run `make web` to install them.");
      return;
    }
    initMap();
    bindFilters();
    page.review.bind();
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
