// rasd map page, review: corrections through /api/review, with the server's write token.
// app.js calls rasdReview(page) with the page's shared state and helpers; every document word goes in with textContent.
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
  function field(form, f) {
    // one labelled input (or select) of an edit form; values only ever go in as .value / textContent
    var label = el("label", null, f.label + " "), input;
    if (f.options) {
      input = document.createElement("select");
      f.options.forEach(function (o) { var opt = el("option", null, o[1]); opt.value = o[0]; input.appendChild(opt); });
    } else {
      input = document.createElement("input"); input.type = f.type || "text";
      if (f.placeholder) input.placeholder = f.placeholder;
    }
    input.name = f.name;
    input.value = f.value == null ? "" : String(f.value);
    input.setAttribute("data-initial", input.value);
    label.appendChild(input); form.appendChild(label);
  }
  function editForm(title, fields, url, inc) {
    // the fields a correction may change; only the ones given or changed are sent, as an "edit"
    var form = el("form", "edit-form"), toggle = el("button", null, title);
    form.hidden = true;
    fields.forEach(function (f) { field(form, f); });
    var save = el("button", null, "Save correction"); save.type = "submit"; form.appendChild(save);
    toggle.type = "button";
    toggle.addEventListener("click", function () { form.hidden = !form.hidden; });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var changes = {};
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name) return;
        var v = input.value.trim();
        if (v !== "" && v !== input.getAttribute("data-initial")) changes[input.name] = v;
      });
      if (!Object.keys(changes).length) { $("rv-status").textContent = "Change a field first."; return; }
      var p = reviewPost(url, { action: "edit", changes: changes });
      if (p) p.then(afterReview(inc));
    });
    return { toggle: toggle, form: form };
  }
  function options(values, keep) {
    return [["", keep]].concat((values || []).map(function (v) { return [v, v]; }));
  }
  function yesNo(v) { return v === true ? "yes" : (v === false ? "no" : ""); }
  function figureEdit(inc, q) {
    var f = q.figure || {};  // the figure as it stands after earlier corrections
    return editForm("Edit figure", [
      { name: "kind", label: "Kind", options: options(state.figureKinds, "(kind)"), value: f.kind },
      { name: "who", label: "Who", value: f.who },
      { name: "low", label: "Low", type: "number", value: f.low },
      { name: "best", label: "Best", type: "number", value: f.best },
      { name: "high", label: "High", type: "number", value: f.high },
      { name: "aggregate", label: "Aggregate", options: [["", "(unchanged)"], ["yes", "yes"], ["no", "no"]], value: yesNo(f.aggregate) },
      { name: "attributed_to", label: "Source", value: f.attributed_to }
    ], "api/review/figures/" + encodeURIComponent(q.figure_id), inc);
  }
  function eventEdit(inc, r) {
    var v = r.event_values || {};  // the event as it stands after earlier corrections
    return editForm("Edit event", [
      { name: "sub_event_type", label: "Sub-event type", options: options(state.subEventTypes, "(unchanged)"), value: v.sub_event_type },
      { name: "place", label: "Place", placeholder: "a gazetteer name", value: v.place },
      { name: "date", label: "Date", placeholder: "YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD", value: v.date },
      { name: "actor1", label: "Actor 1", value: v.actor1 },
      { name: "actor2", label: "Actor 2", value: v.actor2 }
    ], "api/review/events/" + encodeURIComponent(r.event_id), inc);
  }
  var DONE = { accept: "Confirmed", reject: "Rejected", edit: "Edited" };
  function reviewList(cls, reviews, extracted) {
    // who confirmed, rejected or edited this item, when and why, oldest first; and what extraction said
    var list = el("ul", "reviews " + cls);
    (reviews || []).forEach(function (c) {
      var line = el("li", "review-" + c.action, (DONE[c.action] || c.action) + " by " + c.who + ", " +
        String(c.at || "").replace("T", " ").replace("+00:00", " UTC") + (c.summary ? ": " + c.summary : ""));
      line.appendChild(el("span", "why", " (" + c.why + ")"));
      line.setAttribute("data-who", c.who);
      list.appendChild(line);
    });
    if ((reviews || []).some(function (c) { return c.action === "edit"; }) && extracted) {
      list.appendChild(el("li", "extracted", "As extracted: " + extracted));
    }
    return list;
  }
  function figureText(f) {
    if (!f) return null;
    var bounds = [f.low, f.best, f.high].map(function (n) { return n === null || n === undefined ? "?" : String(n); });
    return [f.kind, f.who].filter(Boolean).join(" ") + " " + bounds.join(" / ") + " (low / best / high)" +
      (f.attributed_to ? ", according to " + f.attributed_to : "");
  }
  function eventText(v) {
    if (!v) return null;
    return [v.sub_event_type, v.place, v.date, v.actor1, v.actor2].filter(Boolean).join(" · ");
  }
  function figureButtons(inc, q) {
    // a figure's own review: confirm, reject or correct the number this sentence states
    var box = el("div"), row = el("div", "actions figure-actions");
    [["Confirm figure", "accept"], ["Reject figure", "reject"]].forEach(function (b) {
      var button = el("button", null, b[0]);
      button.type = "button";
      button.addEventListener("click", function () {
        var p = reviewPost("api/review/figures/" + encodeURIComponent(q.figure_id), { action: b[1], changes: {} });
        if (p) p.then(afterReview(inc));
      });
      row.appendChild(button);
    });
    var edit = figureEdit(inc, q);
    row.appendChild(edit.toggle); box.appendChild(row); box.appendChild(edit.form);
    return box;
  }
  function figureReviews(q) {
    return (q.reviews || []).length ? reviewList("figure-reviews", q.reviews, figureText(q.extracted)) : null;
  }
  function eventReviews(r) {
    return (r.event_reviews || []).length ? reviewList("event-reviews", r.event_reviews, eventText(r.event_extracted)) : null;
  }
  function reviewButtons(inc, r) {
    var box = el("div"), row = el("div", "actions"), edit = null;
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
      edit = eventEdit(inc, r);
      row.appendChild(edit.toggle);
    }
    if ((inc.reports || []).length > 1) {
      button("Detach", function () {
        var p = reviewPost("api/review/incidents/" + encodeURIComponent(inc.id) + "/detach",
                           { documents: [r.document] });
        if (p) p.then(afterReview(inc));
      });
    }
    box.appendChild(row);
    if (edit) box.appendChild(edit.form);
    return box;
  }
  function bindReview() {
    getJSON("api/review").then(function (b) {
      state.writable = !!b.writable; state.figureKinds = b.figure_kinds || []; state.subEventTypes = b.sub_event_types || [];
    }).catch(function () { state.writable = false; });
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

  return { figureButtons: figureButtons, reviewButtons: reviewButtons, figureReviews: figureReviews,
           eventReviews: eventReviews, bind: bindReview };
};
