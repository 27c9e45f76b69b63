"""The map for many incidents, in a real browser (Chromium via Playwright), on a store ingested
through the pipeline (examples/reports): text search, filters and the open incident in the URL,
downloads of the filtered view, clustering, a timeline fitted to where the data is, reports titled
by headline or publisher and date, and a phone layout. Screenshots go to build/."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VENDOR = ROOT / "src" / "rasd" / "serve" / "static" / "vendor"
SHOTS = ROOT / "build"


def _serve(db: Path, token: str | None = None) -> tuple[Any, Any, str]:
    import uvicorn

    from rasd.serve import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(db, write_token=token), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    return srv, thread, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`")
    if not (VENDOR / "leaflet.markercluster.js").exists():
        pytest.skip("map libraries not installed: run `make web`")
    pytest.importorskip("playwright.sync_api")
    import rasd

    db = tmp_path_factory.mktemp("desk-browser") / "examples.db"
    with rasd.open_store(db) as store:
        rasd.ingest([ROOT / "examples" / "reports"], store)
    srv, thread, url = _serve(db)
    yield url
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def writable(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import rasd

    db = tmp_path_factory.mktemp("desk-review") / "examples.db"
    with rasd.open_store(db) as store:
        rasd.ingest([ROOT / "examples" / "reports"], store)
    srv, thread, url = _serve(db, token="page-token")
    yield url
    srv.should_exit = True
    thread.join(timeout=10)


def _browser(tmp_path: Path, viewport: dict[str, int]) -> Any:
    from playwright.sync_api import sync_playwright

    p = sync_playwright().start()
    context = p.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
        args=["--no-sandbox", "--disable-background-networking"], viewport=viewport, accept_downloads=True)
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return p, context, page, errors


@pytest.fixture()
def desktop(tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    manager, context, page, errors = _browser(tmp_path, {"width": 1280, "height": 800})
    try:
        yield page, errors
    finally:
        context.close()
        manager.stop()


@pytest.fixture()
def phone(tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    manager, context, page, errors = _browser(tmp_path, {"width": 390, "height": 844})
    try:
        yield page, errors
    finally:
        context.close()
        manager.stop()


def _ready(page: Any, url: str, errors: list[str] | None = None) -> None:
    page.goto(url)
    try:
        page.wait_for_selector("body[data-ready='1']")
    except Exception:
        raise AssertionError(f"the page did not get ready: {errors}; status: {page.inner_text('#status')}") from None


def _sign(page: Any, who: str, why: str) -> None:
    """The review form's token, name and reason (the writable server's token)."""
    page.fill("#rv-token", "page-token")
    page.fill("#rv-who", who)
    page.fill("#rv-why", why)


def _shown(page: Any) -> int:
    return int(page.get_attribute("body", "data-shown") or -1)


def test_search_url_state_and_downloads(server: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    _ready(page, server)
    total = _shown(page)
    assert total >= 15
    page.fill("#f-q", "Saraqib")
    page.wait_for_selector(f"body:not([data-shown='{total}'])")
    saraqib = _shown(page)
    assert 1 <= saraqib < total
    assert "q=Saraqib" in page.url
    # the address is the filter state: a fresh load of it shows the same view
    page.goto("about:blank")
    _ready(page, server + "#q=Saraqib")
    assert page.input_value("#f-q") == "Saraqib" and _shown(page) == saraqib
    # downloads follow the filters; the file is the server's export, loaded as CSV
    page.select_option("#f-type", "Battles")
    href = page.get_attribute("#dl-acled", "href") or ""
    assert "format=acled" in href and "type=Battles" in href and "bbox=" in href
    body = page.request.get(server + href).text()
    header = body.splitlines()[0].split(",")
    assert header[:3] == ["event_id_cnty", "event_date", "year"] and len(header) == 31
    assert all(",Battles," in line for line in body.splitlines()[1:])
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "desk-search.png"))
    assert not errors


def test_incident_url_titles_and_timeline(server: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    _ready(page, server + "#incident=I3")
    page.wait_for_selector("#panel-body[data-incident='I3']")
    sources = page.locator("#panel-body .report .src").all_inner_texts()
    assert sources and not any(re.fullmatch(r"[0-9a-f]{64}", s.strip()) for s in sources)
    assert "incident=I3" in page.url
    page.click("#panel-close")
    assert "incident" not in page.url
    # the timeline is fitted to where the data is: 2016 and 2017 outliers are named, not drawn
    title = page.inner_text("#tl-title")
    labels = page.locator("#timeline text.axis").all_text_contents()
    assert labels and labels[0] >= "2019-12-01", labels
    assert "not shown" in title
    page.screenshot(path=str(SHOTS / "desk-timeline.png"))
    assert not errors


def test_clusters(server: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    _ready(page, server + "#cluster=always", errors)
    assert page.get_attribute("body", "data-clustered") == "1"
    page.wait_for_selector(".marker-cluster")
    clusters = page.locator(".marker-cluster").all_inner_texts()
    assert sum(int(t) for t in clusters if t.strip().isdigit()) >= 2
    page.screenshot(path=str(SHOTS / "desk-clusters.png"))
    assert not errors


def _centres(page: Any) -> dict[str, tuple[float, float]]:
    out = {}
    markers = page.locator("path.incident")
    for i in range(markers.count()):
        box = markers.nth(i).bounding_box()
        name = next(c for c in (markers.nth(i).get_attribute("class") or "").split() if c.startswith("inc-"))
        out[name] = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return out


def test_incidents_at_one_place_fan_out(server: str, desktop: tuple[Any, list[str]]) -> None:
    """Unclustered, the example reports' incidents at one town (Saraqib, Idlib, Aleppo, ...) are spread round it,
    each with a leg to the place, at every zoom; each can be clicked and opens its own incident."""
    page, errors = desktop
    _ready(page, server + "#cluster=never", errors)
    assert page.get_attribute("body", "data-clustered") == "0", errors
    page.wait_for_selector("path.incident")
    for view in ("", "#at=9/35.8/36.7&cluster=never"):  # all of them; then Idlib's towns, closer
        if view:
            page.goto("about:blank")  # a new load: a hash change alone does not move the map
            _ready(page, server + view, errors)
            page.wait_for_selector("path.incident")
        centres = _centres(page)
        assert len(centres) >= 6
        near = [(a, b) for a in centres for b in centres if a < b
                and abs(centres[a][0] - centres[b][0]) + abs(centres[a][1] - centres[b][1]) < 4]
        assert near == []  # no marker hides another
        assert page.locator("path.leg").count() >= 2
    page.screenshot(path=str(SHOTS / "desk-fan-out.png"))
    for name in centres:
        page.locator(f"path.{name}").dispatch_event("click")
        deadline = time.monotonic() + 10
        while f"incident={name[4:]}" not in page.url:
            assert time.monotonic() < deadline, f"{name} did not open"
            page.wait_for_timeout(50)
    assert not errors


def test_phone_layout(server: str, phone: tuple[Any, list[str]]) -> None:
    page, errors = phone
    _ready(page, server + "#incident=I7")
    page.wait_for_selector("#panel-body[data-incident='I7']")
    sheet = page.locator("#panel").bounding_box()
    assert sheet is not None
    # the timeline's date labels do not overlap
    boxes = [page.locator("#timeline text.axis").nth(i).bounding_box()
             for i in range(page.locator("#timeline text.axis").count())]
    edges = sorted((b["x"], b["x"] + b["width"]) for b in boxes if b)
    assert all(a[1] <= b[0] + 1 for a, b in zip(edges, edges[1:])), edges
    # the open incident's marker shows in the map above the sheet, not under it
    page.wait_for_timeout(300)
    marker = page.locator("path.inc-I7").bounding_box()
    mapbox = page.locator("#map").bounding_box()
    assert marker is not None and mapbox is not None
    centre = marker["y"] + marker["height"] / 2
    assert mapbox["y"] <= centre < sheet["y"], (mapbox, marker, sheet)
    # and nothing covers it: the element at its centre is the marker itself (the charts fold on a phone)
    hit = page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.getAttribute('class'); }",
                        [marker["x"] + marker["width"] / 2, centre])
    assert hit is not None and "inc-I7" in hit, hit
    page.screenshot(path=str(SHOTS / "desk-phone.png"))
    assert not errors


def test_filters_and_chart(server: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    _ready(page, server)
    total = _shown(page)
    totals = page.get_attribute("#chart", "data-totals") or ""
    assert int(page.get_attribute("#chart", "data-points") or 0) > 5
    killed = int(re.search(r"killed=(\d+)", totals).group(1))  # type: ignore[union-attr]
    assert killed > 0 and "injured=" in totals and "displaced=" in totals
    page.select_option("#f-sub", "Air/drone strike")
    page.wait_for_selector(f"body:not([data-shown='{total}'])")
    strikes = _shown(page)
    assert 1 <= strikes < total and "sub=Air%2Fdrone+strike" in page.url
    page.select_option("#f-sub", "")
    libya = page.request.get(server + "api/incidents?place=LY&limit=500").json()["count"]
    assert 1 <= libya < total  # the examples hold reports from Libya among others
    page.select_option("#f-country", "LY")
    page.wait_for_selector(f"body[data-shown='{libya}']")
    page.select_option("#f-country", "")
    page.fill("#f-killed", "30")
    page.wait_for_selector(f"body:not([data-shown='{total}'])")
    assert 1 <= _shown(page) < strikes + total and "killed=30" in page.url
    page.fill("#f-killed", "")
    page.fill("#f-sources", "2")
    page.wait_for_selector(f"body:not([data-shown='{total}'])")
    several = _shown(page)
    assert 1 <= several < total
    assert "sources=2" in (page.get_attribute("#dl-csv", "href") or "")
    after = page.get_attribute("#chart", "data-totals") or ""
    assert after != totals  # the chart follows the filters
    page.screenshot(path=str(SHOTS / "desk-filters.png"))
    assert not errors


def test_review_from_the_page(writable: str, server: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    items = page.request.get(server + "api/incidents?limit=500").json()["items"]
    busiest = max(items, key=lambda i: len(i["reports"]))  # the incident with the most reports
    ref = busiest["id"]
    assert len(busiest["reports"]) >= 2
    _ready(page, server + f"#incident={ref}")  # the read-only server: no review form
    page.wait_for_selector(f"#panel-body[data-incident='{ref}']")
    assert page.locator("#review").is_hidden() and page.locator(".report .actions").count() == 0
    _ready(page, writable + f"#incident={ref}")
    page.wait_for_selector(f"#panel-body[data-incident='{ref}'] .report .actions")
    reports = page.locator("#panel-body .report").count()
    assert reports == len(busiest["reports"])
    page.fill("#rv-token", "wrong")
    page.fill("#rv-who", "Hana")
    page.fill("#rv-why", "matches the dateline")
    page.locator(".report .actions button", has_text="Confirm").first.click()
    page.wait_for_selector("#rv-status:has-text('Refused')")
    page.fill("#rv-token", "page-token")
    page.locator(".report .actions button", has_text="Confirm").first.click()
    page.wait_for_selector("body[data-reviewed='1']")
    page.locator(".report .actions button", has_text="Detach").last.click()
    page.wait_for_selector("body[data-reviewed='2']")
    # a function, not an expression: the page's CSP forbids the eval that polling an expression needs
    page.wait_for_function("(n) => document.querySelectorAll('#panel-body .report').length === n", arg=reports - 1)
    listed = page.request.get(writable + "api/review").json()
    assert [(c["who"], c["action"]) for c in listed["items"]] == [("Hana", "accept"), ("Hana", "detach")]
    # a figure of its own: rejected from the page, struck through there, and gone from /api/figures
    counted = next(i for i in page.request.get(writable + "api/incidents?limit=500").json()["items"]
                   if (i.get("figures") or {}).get("killed"))
    page.goto("about:blank")
    _ready(page, writable + f"#incident={counted['id']}")
    page.wait_for_selector(f"#panel-body[data-incident='{counted['id']}'] .report .figure-actions")
    _sign(page, "Hana", "a cumulative toll, not this strike's")
    figure = page.locator("#panel-body .report .figure-actions").first
    figure.locator("button", has_text="Reject figure").click()
    page.wait_for_selector("body[data-reviewed='3']")
    page.wait_for_selector("#panel-body .report blockquote.rejected")
    last = page.request.get(writable + "api/review").json()["items"][-1]
    assert (last["target"], last["action"]) == ("figure", "reject")
    listed_figures = page.request.get(writable + "api/figures?limit=1000").json()["items"]
    rejected = page.request.get(writable + "api/figures?limit=1000&include_rejected=true").json()["items"]
    assert len(rejected) == len(listed_figures) + 1
    page.screenshot(path=str(SHOTS / "desk-review.png"))
    assert not errors


def _one_killed_figure(api: Any, base: str, unreviewed: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """An incident whose one figure of its own is a killed count with a best value, and that figure's quote; with
    ``unreviewed``, one that no one has reviewed yet (nor any of its events)."""
    for item in api.get(base + "api/incidents?limit=500").json()["items"]:
        full = api.get(base + f"api/incidents/{item['id']}").json()["item"]
        quotes = [q for r in full["reports"] for q in r.get("quotes", []) if q.get("figure_id")]
        if len(quotes) != 1 or quotes[0]["figure"]["kind"] != "killed" or not quotes[0]["figure"]["best"]:
            continue
        if unreviewed and (quotes[0]["reviews"] or not all(r.get("event_id") and not r["event_reviews"] for r in full["reports"])):
            continue
        return full, quotes[0]
    raise AssertionError("the examples have no " + ("unreviewed " if unreviewed else "") + "incident with one killed figure")


def test_edit_a_figure_from_the_page(writable: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    api = page.request
    # an incident whose one figure of its own is a killed count with a best value: the edit must show in it
    chosen, quote = _one_killed_figure(api, writable, unreviewed=False)
    old = quote["figure"]["best"]
    assert chosen["figures"]["killed"]["best"] == old
    made = len(api.get(writable + "api/review").json()["items"])
    _ready(page, writable + f"#incident={chosen['id']}")
    page.wait_for_selector(f"#panel-body[data-incident='{chosen['id']}'] .report .figure-actions")
    _sign(page, "Hana", "the hospital's later count")
    form = page.locator("#panel-body .report form.edit-form").first
    assert form.is_hidden()
    page.locator("#panel-body .report .figure-actions button", has_text="Edit figure").first.click()
    assert form.is_visible()
    kinds = form.locator("select[name='kind'] option").all_text_contents()
    assert "killed" in kinds and "injured" in kinds  # the taxonomy's kinds, from /api/review
    assert form.locator("select[name='kind']").input_value() == "killed"
    assert form.locator("input[name='best']").input_value() == str(old)
    form.locator("input[name='best']").fill(str(old + 2))
    form.locator("input[name='high']").fill(str(old + 2))
    form.locator("button", has_text="Save correction").click()
    page.wait_for_selector(f"body[data-reviewed='{made + 1}']")
    last = api.get(writable + "api/review").json()["items"][-1]
    assert (last["target"], last["action"], last["who"]) == ("figure", "edit", "Hana")
    assert last["changes"] == {"best": old + 2, "high": old + 2}  # only the fields changed, checked as numbers
    after = api.get(writable + f"api/incidents/{chosen['id']}").json()["item"]
    assert after["figures"]["killed"]["best"] == old + 2
    # a bad value is refused with the server's reason, and nothing is recorded
    page.locator("#panel-body .report .figure-actions button", has_text="Edit figure").first.click()
    form = page.locator("#panel-body .report form.edit-form").first
    form.locator("input[name='low']").fill(str(old + 50))
    form.locator("input[name='high']").fill(str(old + 1))
    form.locator("button", has_text="Save correction").click()
    page.wait_for_selector("#rv-status:has-text('is above high')")
    assert len(api.get(writable + "api/review").json()["items"]) == made + 1
    # an event: its sub-event type and date, the type chosen from ACLED's sub-event types
    page.locator("#panel-body .report .actions button", has_text="Edit event").first.click()
    event = page.locator("#panel-body .report form.edit-form:has(select[name='sub_event_type'])").first
    # the form starts from the event's own type, so another one is chosen
    current = event.locator("select[name='sub_event_type']").input_value()
    other = "Shelling/artillery/missile attack" if current == "Air/drone strike" else "Air/drone strike"
    event.locator("select[name='sub_event_type']").select_option(other)
    event.locator("input[name='date']").fill("2020-02-06")
    event.locator("button", has_text="Save correction").click()
    page.wait_for_selector(f"body[data-reviewed='{made + 2}']")
    last = api.get(writable + "api/review").json()["items"][-1]
    assert (last["target"], last["action"]) == ("event", "edit")
    assert last["changes"]["sub_event_type"] == other and "date" in last["changes"]
    assert not errors


def test_edit_forms_start_from_the_values_as_corrected(writable: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    api = page.request
    # an incident with one figure of its own, a killed count with a best value, that no one has reviewed yet
    chosen, quote = _one_killed_figure(api, writable, unreviewed=True)
    old = quote["figure"]["best"]
    made = len(api.get(writable + "api/review").json()["items"])
    _ready(page, writable + f"#incident={chosen['id']}")
    page.wait_for_selector(f"#panel-body[data-incident='{chosen['id']}'] .report .figure-actions")
    assert page.locator("#panel-body .reviews").count() == 0
    _sign(page, "Rami <i>R</i>", "the morgue's list")  # a name is text on the page, never markup

    def figure_form() -> Any:
        page.locator("#panel-body .report .figure-actions button", has_text="Edit figure").first.click()
        return page.locator("#panel-body .report form.edit-form:has(input[name='best'])").first

    form = figure_form()
    form.locator("input[name='best']").fill(str(old + 3))
    form.locator("input[name='high']").fill(str(old + 3))
    form.locator("button", has_text="Save correction").click()
    page.wait_for_selector(f"body[data-reviewed='{made + 1}']")
    page.wait_for_selector("#panel-body .figure-reviews li.review-edit")
    # the second edit starts from the first: its form holds the corrected bounds, and only the low is sent
    form = figure_form()
    assert form.locator("input[name='best']").input_value() == str(old + 3)
    assert form.locator("input[name='high']").input_value() == str(old + 3)
    form.locator("input[name='low']").fill(str(old + 1))
    form.locator("button", has_text="Save correction").click()
    page.wait_for_selector(f"body[data-reviewed='{made + 2}']")
    page.wait_for_function("() => document.querySelectorAll('#panel-body .figure-reviews li.review-edit').length === 2")
    last = api.get(writable + "api/review").json()["items"][-1]
    assert (last["who"], last["action"], last["changes"]) == ("Rami <i>R</i>", "edit", {"low": old + 1})
    form = figure_form()
    assert [form.locator(f"input[name='{b}']").input_value() for b in ("low", "best", "high")] == \
        [str(old + 1), str(old + 3), str(old + 3)]
    # who edited, when, and what extraction said, under the quote; a confirmation is listed after the edits
    lines = page.locator("#panel-body .figure-reviews").first.locator("li").all_inner_texts()
    assert page.locator("#panel-body .reviews i").count() == 0
    assert lines[0].startswith("Edited by Rami <i>R</i>, 20") and f"best={old + 3}" in lines[0] and "the morgue's list" in lines[0]
    assert lines[1].startswith("Edited by Rami") and f"low={old + 1}" in lines[1]
    assert lines[-1].startswith("As extracted: killed") and f"/ {old} /" in lines[-1]
    page.locator("#panel-body .report .figure-actions button", has_text="Confirm figure").first.click()
    page.wait_for_selector(f"body[data-reviewed='{made + 3}']")
    page.wait_for_selector("#panel-body .figure-reviews li.review-accept:has-text('Confirmed by Rami')")
    # the event form is filled with the event as it stands, and after an edit with the edit
    values = chosen["reports"][0]["event_values"]
    page.locator("#panel-body .report .actions button", has_text="Edit event").first.click()
    event = page.locator("#panel-body .report form.edit-form:has(select[name='sub_event_type'])").first
    assert event.locator("select[name='sub_event_type']").input_value() == values["sub_event_type"]
    assert event.locator("input[name='place']").input_value() == (values["place"] or "")
    assert event.locator("input[name='date']").input_value() == (values["date"] or "") != ""
    assert event.locator("input[name='actor1']").input_value() == (values["actor1"] or "")
    event.locator("input[name='date']").fill("2020-02-03")
    event.locator("button", has_text="Save correction").click()
    page.wait_for_selector(f"body[data-reviewed='{made + 4}']")
    last = api.get(writable + "api/review").json()["items"][-1]
    assert (last["target"], last["action"], list(last["changes"])) == ("event", "edit", ["date"])
    page.wait_for_selector("#panel-body .event-reviews li.review-edit:has-text('date=2020-02-03')")
    page.locator("#panel-body .report .actions button", has_text="Edit event").first.click()
    event = page.locator("#panel-body .report form.edit-form:has(select[name='sub_event_type'])").first
    assert event.locator("input[name='date']").input_value() == "2020-02-03"
    assert event.locator("select[name='sub_event_type']").input_value() == values["sub_event_type"]
    page.screenshot(path=str(SHOTS / "desk-corrected.png"))
    assert not errors


# Towns of four countries for a store where the viewport matters: one short report of ours per town and date.
TOWNS = {
    "Syria": ["Aleppo", "Homs", "Hama", "Daraa", "Raqqa", "Deir ez-Zor", "Latakia", "Palmyra", "Qamishli",
              "Manbij", "Azaz", "Afrin", "Douma", "Tartus", "Al-Bab"],
    "Iraq": ["Mosul", "Kirkuk", "Tikrit", "Ramadi", "Fallujah", "Samarra", "Baqubah", "Sinjar"],
    "Libya": ["Benghazi", "Sirte", "Misrata", "Derna", "Sabha", "Tarhuna"],
    "Yemen": ["Taiz", "Hodeidah", "Marib", "Aden", "Saada"],
}


def _wide_reports(path: Path) -> Path:
    import json

    lines = []
    for country, towns in TOWNS.items():
        for n, town in enumerate(towns):
            for week in range(3):
                day = f"2020-02-{3 + 7 * week + n % 5:02d}"
                killed = 2 + (n * 7 + week * 3) % 19
                text = (f"{town.upper()}, {country} - An air strike killed {killed} civilians in {town} on "
                        f"{day}, local officials said. Rescue workers searched the rubble for survivors.")
                lines.append(json.dumps({"id": f"wide-{country}-{n}-{week}", "title": f"Strike in {town}",
                                         "published": day, "publisher": "rasd test wire", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wide(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import rasd

    folder = tmp_path_factory.mktemp("desk-wide")
    db = folder / "wide.db"
    with rasd.open_store(db) as store:
        rasd.ingest([ROOT / "examples" / "reports", _wide_reports(folder / "wide.jsonl")], store)
    srv, thread, url = _serve(db)
    yield url
    srv.should_exit = True
    thread.join(timeout=10)


def _markers(page: Any) -> set[str]:
    names = page.eval_on_selector_all("path.incident", "els => els.map(e => e.getAttribute('class'))")
    return {m for c in names for m in c.split() if m.startswith("inc-")}


def test_map_fetches_the_viewport(wide: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/map?" in r.url else None)
    everything = page.request.get(wide + "api/map?bbox=-180,-90,180,90").json()
    assert everything["count"] >= 80
    _ready(page, wide + "#at=7/35.5/37.5&cluster=never", errors)  # northern Syria, zoomed in
    page.wait_for_function("() => document.body.getAttribute('data-requests') === '1'")
    first = _markers(page)
    drawn = [u for u in asked if "limit=0" not in u]
    assert drawn and all("bbox=" in u for u in drawn)
    assert 0 < len(first) < everything["count"]
    offscreen = int(page.get_attribute("body", "data-offscreen") or -1)
    assert offscreen > 0 and "off-screen" in page.inner_text("#status")
    # drag the map: the view moves, a request with the new bounds follows, and other markers are drawn
    before = page.get_attribute("body", "data-bbox")
    box = page.locator("#map").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 500, y, steps=12)  # the view moves east, into Iraq
    page.mouse.up()
    page.wait_for_function("(b) => document.body.getAttribute('data-bbox') !== b", arg=before)
    second = _markers(page)
    assert second and second != first
    boxes = {_bbox_of(u) for u in asked if "bbox=" in u}
    assert len(boxes) >= 2
    assert "at=" in page.url and "cluster=never" in page.url
    # a filter is asked of the server with the viewport, and the open incident stays in the address
    page.fill("#f-killed", "5")
    page.wait_for_function("(n) => Number(document.body.getAttribute('data-requests')) > n",
                           arg=int(page.get_attribute("body", "data-requests") or 0))
    page.wait_for_timeout(300)
    assert any("killed=5" in u and "bbox=" in u for u in asked)
    shown = _markers(page)
    assert shown and shown <= second
    # click the visible marker nearest the map's middle (others may lie in the renderer's margin or under the legend)
    x, y = page.evaluate("""() => {
        var m = document.getElementById('map').getBoundingClientRect(), cx = m.x + m.width / 2, cy = m.y + m.height / 2;
        var best = null, dist = Infinity;
        document.querySelectorAll('path.incident').forEach(function (p) {
            var r = p.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2, d = Math.hypot(x - cx, y - cy);
            if (d < dist && document.elementFromPoint(x, y) === p) { dist = d; best = [x, y]; }
        });
        return best;
    }""")
    page.mouse.click(x, y)
    page.wait_for_selector("#panel-body[data-incident]")
    assert "incident=I" in page.url and "killed=5" in page.url and "at=" in page.url
    page.screenshot(path=str(SHOTS / "desk-viewport.png"))
    assert not errors


def _bbox_of(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)["bbox"][0]


def _drag(page: Any, dx: int, dy: int = 0) -> None:
    box = page.locator("#map").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=10)
    page.mouse.up()


def test_a_late_answer_for_an_old_view_is_dropped(wide: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    # each map request's AbortSignal, kept where the test can ask whether the page cancelled it
    page.add_init_script("""(() => {
        var fetch0 = window.fetch; window.mapSignals = [];
        window.fetch = function (url, opts) {
            if (String(url).indexOf('api/map?') === 0 && opts && opts.signal) window.mapSignals.push([String(url), opts.signal]);
            return fetch0.apply(this, arguments);
        };
    })()""")
    _ready(page, wide + "#at=7/35.5/37.5&cluster=never", errors)
    held: list[Any] = []

    def hold_the_first(route: Any) -> None:
        if not held and "limit=0" not in route.request.url:
            held.append(route)  # answered by hand below, after the newer view's
        else:
            route.continue_()

    first = page.get_attribute("body", "data-bbox")
    page.route("**/api/map?*", hold_the_first)
    _drag(page, -300)  # the view moves east: its request is held, as a slow server would
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the moved view asked nothing of the server"
    old_url = held[0].request.url
    # before the first answer came, the view moves on (west and north): a newer request goes out and is answered
    _drag(page, 300, 250)
    page.wait_for_function("(b) => b.indexOf(document.body.getAttribute('data-bbox')) < 0", arg=[first, _bbox_of(old_url)])
    new_bbox = page.get_attribute("body", "data-bbox") or ""
    newer = {f"inc-{i['id']}" for i in page.request.get(wide + "api/map?bbox=" + new_bbox).json()["items"]}
    older = {f"inc-{i['id']}" for i in page.request.get(old_url).json()["items"]}
    assert older and older != newer
    assert _markers(page) == newer
    # the first request was cancelled by the page, and its answer, arriving now, changes nothing
    aborted = page.evaluate("() => window.mapSignals.filter(s => s[1].aborted).map(s => s[0])")
    assert [wide + url for url in aborted] == [old_url]
    try:
        held[0].fulfill(status=200, content_type="application/json", body=page.request.get(old_url).text())
    except Exception:  # noqa: BLE001 - the browser may already have let go of the cancelled request
        pass
    page.wait_for_timeout(500)
    assert page.get_attribute("body", "data-bbox") == new_bbox and _markers(page) == newer
    assert not errors


def _downloaded_ids(page: Any, link: str) -> list[str]:
    """The incident ids of the file a download link gives, read as the CSV it is."""
    import csv
    import io

    with page.expect_download() as info:
        page.click(link)
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return [f"inc-{row['id']}" for row in csv.DictReader(io.StringIO(text))]


def _settled(page: Any, before: int) -> None:
    """Wait for the map's request after a change, and its drawing."""
    page.wait_for_function("(n) => Number(document.body.getAttribute('data-requests')) > n", arg=before)
    page.wait_for_timeout(400)


def test_downloads_hold_what_the_map_shows(wide: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    _ready(page, wide + "#at=7/35.5/37.5&cluster=never", errors)
    everything = page.request.get(wide + "api/incidents?limit=500").json()["count"]
    asked = int(page.get_attribute("body", "data-requests") or 0)
    page.fill("#f-killed", "6")
    _settled(page, asked)
    in_view = _markers(page)
    assert 0 < len(in_view) < everything
    href = page.get_attribute("#dl-csv", "href") or ""
    assert href.startswith("api/map/export?") and "killed=6" in href and "bbox=" in href
    rows = _downloaded_ids(page, "#dl-csv")
    assert len(rows) == len(set(rows)) == _shown(page) and set(rows) == in_view
    geo = page.request.get(wide + (page.get_attribute("#dl-geojson", "href") or "")).json()
    assert {f"inc-{f['id']}" for f in geo["features"]} == in_view
    # a period brushed on the timeline narrows the download as it narrows the map
    svg = page.locator("#timeline").bounding_box()
    assert svg is not None
    y = svg["y"] + svg["height"] / 2
    page.mouse.move(svg["x"] + svg["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(svg["x"] + svg["width"] * 0.6, y, steps=5)
    page.mouse.up()
    page.wait_for_function("(n) => Number(document.body.getAttribute('data-shown')) < n", arg=len(in_view))
    brushed = _markers(page)
    assert brushed and brushed < in_view
    assert "since=" in (page.get_attribute("#dl-csv", "href") or "")
    assert set(_downloaded_ids(page, "#dl-csv")) == brushed
    page.click("#tl-clear")
    # the view moves: the download follows it
    asked = int(page.get_attribute("body", "data-requests") or 0)
    _drag(page, -300)
    _settled(page, asked)
    moved = _markers(page)
    assert moved and moved != in_view
    rows = _downloaded_ids(page, "#dl-csv")
    assert len(rows) == _shown(page) and set(rows) == moved
    assert not errors


def test_merge_two_incidents_from_the_page(writable: str, desktop: tuple[Any, list[str]]) -> None:
    page, errors = desktop
    api = page.request
    items = [i for i in api.get(writable + "api/incidents?limit=500").json()["items"] if i.get("place")]
    keep, other = sorted(items, key=lambda i: int(i["id"][1:]))[:2]
    docs = {r["document"] for i in (keep, other) for r in i["reports"]}
    made = len(api.get(writable + "api/review").json()["items"])
    _ready(page, writable + f"#incident={keep['id']}")
    page.wait_for_selector(f"#panel-body[data-incident='{keep['id']}'] .report")
    _sign(page, "Hana", "one strike, two datelines")
    page.fill("#rv-merge", "x7")  # not an incident id: said on the page, nothing recorded
    page.locator("#rv-merge-go").click()
    page.wait_for_selector("#rv-status:has-text('such as I12')")
    page.fill("#rv-merge", other["id"].lower())
    page.locator("#rv-merge-go").click()
    page.wait_for_selector(f"body[data-reviewed='{made + 1}']")
    last = api.get(writable + "api/review").json()["items"][-1]
    assert (last["target"], last["action"], last["who"], last["why"]) == ("incident", "merge", "Hana", "one strike, two datelines")
    merged = api.get(writable + f"api/incidents/{keep['id']}").json()["item"]
    assert {r["document"] for r in merged["reports"]} == docs
    page.wait_for_function("(n) => document.querySelectorAll('#panel-body .report').length === n", arg=len(merged["reports"]))
    page.screenshot(path=str(SHOTS / "desk-merge.png"))
    assert not errors
