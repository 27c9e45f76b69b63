// rasd map page, review: corrections through /api/review, with the server's write token.
// app.js calls rasdReview(page) with its helpers and state; every document word goes in with textContent.
// The token goes in an Authorization header (never a cookie), so another site cannot forge the request.
window.rasdReview = function (page) {
  "use strict";
  var $ = page.$, el = page.el, state = page.state, getJSON = page.getJSON;
  function openIncident(id) { return page.openIncident(id); }
  function reload() { return page.reload(); }

  function reviewPost(url, body) {
    var token = $("rv-token").value, who = $("rv-who").value.trim(), why = $("rv-why").value.trim();
    if (!token || !who || !why) { $("rv-status").textContent = "Give the write token, your name and why."; return null; }
    try { sessionStorage.setItem("rasd-token", token); sessionStorage.setItem("rasd-who", who); } catch (e) { /* private mode */ }
    body.who = who; body.why = why;
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token },
                        body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { if (!r.ok || b.ok === false) throw new Error(b.error || ("HTTP " + r.status)); return b; }); })
      .then(function (b) {
        $("rv-status").textContent = "Recorded correction " + b.item.id + " (" + b.item.action + " " + b.item.ref + ").";
        return b;
      })
      .catch(function (err) { $("rv-status").textContent = "Refused: " + err.message; });
  }
  function afterReview(inc) {
    return function (b) { if (b) { document.body.setAttribute("data-reviewed", String(b.item.id)); openIncident(inc.id); } };
  }
  function figureButtons(inc, q) {
    // a figure's own review: confirm or reject the number this sentence states
    var row = el("div", "actions figure-actions");
    [["Confirm figure", "accept"], ["Reject figure", "reject"]].forEach(function (b) {
      var button = el("button", null, b[0]);
      button.type = "button";
      button.addEventListener("click", function () {
        var p = reviewPost("api/review/figures/" + encodeURIComponent(q.figure_id), { action: b[1], changes: {} });
        if (p) p.then(afterReview(inc));
      });
      row.appendChild(button);
    });
    return row;
  }
  function reviewButtons(inc, r) {
    var row = el("div", "actions");
    function button(label, action) {
      var b = el("button", null, label); b.type = "button"; b.addEventListener("click", action); row.appendChild(b);
    }
    if (r.event_id) {
      button("Confirm", function () {
        var p = reviewPost("api/review/events/" + encodeURIComponent(r.event_id), { action: "accept", changes: {} });
        if (p) p.then(afterReview(inc));
      });
      button("Reject", function () {
        var p = reviewPost("api/review/events/" + encodeURIComponent(r.event_id), { action: "reject", changes: {} });
        if (p) p.then(afterReview(inc));
      });
    }
    if ((inc.reports || []).length > 1) {
      button("Detach", function () {
        var p = reviewPost("api/review/incidents/" + encodeURIComponent(inc.id) + "/detach",
                           { documents: [r.document] });
        if (p) p.then(afterReview(inc));
      });
    }
    return row;
  }
  function bindReview() {
    getJSON("api/review").then(function (b) { state.writable = !!b.writable; }).catch(function () { state.writable = false; });
    try { $("rv-token").value = sessionStorage.getItem("rasd-token") || ""; $("rv-who").value = sessionStorage.getItem("rasd-who") || ""; }
    catch (e) { /* private mode */ }
    $("review").addEventListener("submit", function (e) { e.preventDefault(); });
    $("rv-merge-go").addEventListener("click", function () {
      var id = $("panel-body").getAttribute("data-incident"), other = $("rv-merge").value.trim().toUpperCase();
      if (!/^I?\d+$/.test(other)) { $("rv-status").textContent = "Give an incident id such as I12."; return; }
      if (other[0] !== "I") other = "I" + other;
      var p = reviewPost("api/review/incidents/" + encodeURIComponent(id) + "/merge", { others: [other] });
      if (p) p.then(function (b) { if (b) { document.body.setAttribute("data-reviewed", String(b.item.id)); reload().then(function () { openIncident(id); }); } });
    });
  }

  return { figureButtons: figureButtons, reviewButtons: reviewButtons, bind: bindReview };
};
