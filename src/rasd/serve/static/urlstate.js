// rasd map page, the address: every filter, the view and the open incident live in it
// (#type=...&at=zoom/lat/lon&incident=I4); and the download links, which follow what the map shows.
// app.js calls rasdUrlState(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdUrlState = function (page) {
  "use strict";
  var $ = page.$, state = page.state, isoDay = page.isoDay, parseDay = page.parseDay, whole = page.whole;

  function saveState() {
    var p = page.filterParams();  // the filters as the server reads them (data.js), then what only the address holds
    if (state.incident) p.set("incident", state.incident);
    var map = page.map;
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
  // The download links ask for what the map shows (/api/map/export): the box of the incidents loaded, the
  // filters, and the timeline's selection as a narrower period. An older server, without /api/map, is asked
  // for the filters it knows (/api/export).
  function downloads() {
    var p, base = "api/map/export?", empty = false;
    if (state.viewport && state.bbox) {
      p = page.filterParams();
      var since = state.since, until = state.until;
      if (state.brush) {
        since = since === null ? state.brush[0] : Math.max(since, state.brush[0]);
        until = until === null ? state.brush[1] : Math.min(until, state.brush[1]);
      }
      empty = since !== null && until !== null && since > until;  // a selection outside the filters' period
      if (since !== null) p.set("since", isoDay(since));
      if (until !== null) p.set("until", isoDay(until));
      p.set("bbox", state.bbox);
    } else {
      base = "api/export?";
      p = new URLSearchParams();
      if (state.sub || state.type) p.set("kind", state.sub || state.type);
      if (state.country) p.set("place", state.country);
      if (state.sources !== null) p.set("min_sources", String(state.sources));
      if (state.since !== null) p.set("since", isoDay(state.since));
      if (state.until !== null) p.set("until", isoDay(state.until));
    }
    ["csv", "acled", "geojson"].forEach(function (f) {
      var link = $("dl-" + f);
      p.set("format", f);
      if (empty) { link.removeAttribute("href"); link.title = "Nothing in view to download"; return; }
      link.href = base + p.toString();
      link.title = "The incidents the map shows, as " + f.toUpperCase();
    });
  }

  return { saveState: saveState, loadState: loadState, showState: showState, downloads: downloads };
};
