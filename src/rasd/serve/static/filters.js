// rasd map page, filters: the form's controls, the same tests the server applies to what the page
// holds (so a change shows at once), and the lists the selects offer.
// app.js calls rasdFilters(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdFilters = function (page) {
  "use strict";
  var $ = page.$, el = page.el, state = page.state, whole = page.whole, parseDay = page.parseDay;
  // defined by the other modules, looked up when called
  function render() { return page.render.apply(null, arguments); }
  function scheduleFetch() { return page.scheduleFetch.apply(null, arguments); }
  var knownActors = {};

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

  return { passesFilters: passesFilters, inBrush: inBrush, fillFilterOptions: fillFilterOptions, addActors: addActors, bindFilters: bindFilters };
};
