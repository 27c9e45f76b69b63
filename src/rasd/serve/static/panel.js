// rasd map page, panel: one incident opened with its reports, each report's sentences with the number
// marked, who reviewed what, and (with the write token) the review buttons and forms of review.js.
// app.js calls rasdPanel(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdPanel = function (page) {
  "use strict";
  var $ = page.$, el = page.el, state = page.state, num = page.num, getJSON = page.getJSON, setStatus = page.setStatus;
  // defined by the other modules, looked up when called
  function keepVisible() { return page.keepVisible.apply(null, arguments); }
  function saveState() { return page.saveState.apply(null, arguments); }
  function figureButtons(inc, q) { return page.review.figureButtons(inc, q); }
  function reviewButtons(inc, r) { return page.review.reviewButtons(inc, r); }

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
        var seen = page.review.figureReviews(q);
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
      var checked = page.review.eventReviews(r);
      if (checked) box.appendChild(checked);
      if (state.writable) box.appendChild(reviewButtons(inc, r));
      body.appendChild(box);
    });
    $("review").hidden = !state.writable;
    $("panel").hidden = false;
    if (page.map) page.map.invalidateSize();
    keepVisible(inc);
    // which incident the panel shows, and how many times it was drawn (tests wait on these)
    body.setAttribute("data-incident", String(inc.id));
    body.setAttribute("data-rendered", String(Number(body.getAttribute("data-rendered") || 0) + 1));
    if (page.map) page.map.invalidateSize();
  }
  function openIncident(id) {
    state.incident = id;
    saveState();
    return getJSON("api/incidents/" + encodeURIComponent(id)).then(function (body) { renderPanel(body.item); })
      .catch(function (err) { setStatus("Could not open incident: " + err.message); });
  }

  return { renderPanel: renderPanel, openIncident: openIncident };
};
