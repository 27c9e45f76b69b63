// rasd map page, the address: every filter, the view and the open incident live in it
// (#type=...&at=zoom/lat/lon&incident=I4); and the download links, which follow what the map shows.
// app.js calls rasdUrlState(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdUrlState = function (page) {
  "use strict";
  var $ = page.$, state = page.state, isoDay = page.isoDay, parseDay = page.parseDay, whole = page.whole;

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

  return { saveState: saveState, loadState: loadState, showState: showState, downloads: downloads };
};
