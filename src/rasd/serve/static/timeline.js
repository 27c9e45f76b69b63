// rasd map page, timeline: incidents and deaths per day or week (an SVG one can brush to select a
// period) and the chart of killed, injured and displaced over time (Chart.js).
// app.js calls rasdTimeline(page) with the page's shared state and helpers and adds what it returns to `page`;
// every document word goes on the page with textContent (page.el), never as HTML.
window.rasdTimeline = function (page) {
  "use strict";
  var $ = page.$, state = page.state, isoDay = page.isoDay;
  // defined by the other modules, looked up when called
  function render() { return page.render.apply(null, arguments); }
  var DAY = 86400000;
  var FIT_IQR = 3;          // the timeline leaves out dates further than 3 interquartile ranges (+30 days) from the middle half
  var SERIES = [["killed", "#b3261e"], ["injured", "#e67e22"], ["displaced", "#2980b9"]];
  var chart = null;

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

  return { drawTimeline: drawTimeline, bindBrush: bindBrush, drawChart: drawChart };
};
