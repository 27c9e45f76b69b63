"""The map page in a real browser: Debian's Chromium, headless, driven by Playwright.

Loads the page over the demo store, sees the markers, opens incidents and reads
their sources, proves that HTML and script in a document stay text, brushes the
timeline, and saves a screenshot to build/map.png.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasd.serve.demo import HOSTILE, demo_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VENDOR = ROOT / "src" / "rasd" / "serve" / "static" / "vendor"


def _requirements() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`")
    if not (VENDOR / "leaflet.js").exists():
        pytest.skip("map libraries not installed: run `make web` (npm ci + copy into static/vendor)")
    pytest.importorskip("playwright.sync_api", reason="the Python playwright package is missing: pip install -e '.[test]'")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _requirements()
    import uvicorn

    from rasd.serve import create_app

    db = tmp_path_factory.mktemp("browser") / "demo.db"
    demo_store(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start within 15 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def browser_page(tmp_path: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-background-networking"], viewport={"width": 1280, "height": 800},
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        def only_loopback(route: Any) -> None:
            if route.request.url.startswith("http://127.0.0.1:"):
                route.continue_()
            else:  # the page must work offline: nothing may leave the machine
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_loopback)
        try:
            yield page, errors, outside
        finally:
            context.close()


def _click_and_wait(page: Any, marker: Any) -> None:
    """Click a marker and wait until the panel has been drawn anew (not just until it holds an older incident)."""
    before = int(page.get_attribute("#panel-body", "data-rendered") or 0)
    marker.dispatch_event("click")
    page.wait_for_selector(f"#panel-body[data-rendered='{before + 1}']")  # a selector: the page's CSP forbids eval


def _marker_classes(page: Any) -> list[str]:
    """Each marker's own class (``inc-I4``): an opened marker is raised over the others, which reorders them."""
    markers = page.locator("path.incident")
    return [c for i in range(markers.count()) for c in (markers.nth(i).get_attribute("class") or "").split() if c.startswith("inc-")]


def _open_all(page: Any) -> dict[str, str]:
    """Click every marker; the panel's text by its heading."""
    panels: dict[str, str] = {}
    for name in _marker_classes(page):
        _click_and_wait(page, page.locator(f"path.{name}"))
        panels[page.inner_text("#panel-body h2")] = page.inner_text("#panel-body")
    return panels


def test_map_markers_sources_xss_and_brush(server: str, browser_page: tuple[Any, list[str], list[str]]) -> None:
    page, errors, outside = browser_page
    page.goto(server)
    page.wait_for_selector("body[data-ready='1']")
    markers = page.locator("path.incident")
    assert markers.count() == 6
    assert page.locator(".leaflet-overlay-pane path:not(.incident)").count() > 10  # country + governorate outlines

    # a real click on one marker opens its incident with every report's source and sentence
    markers.first.click()
    page.wait_for_selector("#panel:not([hidden]) .report")

    panels = _open_all(page)
    saraqib = next(text for title, text in panels.items() if "Saraqib" in title)
    assert "Syrian Observer" in saraqib and "Daily Wire Service" in saraqib
    assert "killed 12 civilians" in saraqib and "2 independent source(s)" in saraqib

    # the hostile document: its strings are shown literally and nothing in them runs
    hostile = next(text for title, text in panels.items() if title.endswith("— Idlib"))
    assert HOSTILE in hostile
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#panel img, #panel script, .leaflet-tooltip img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.locator("path.incident").first.hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"

    # open Saraqib again and check the highlighted figure and the link
    for name in _marker_classes(page):
        _click_and_wait(page, page.locator(f"path.{name}"))
        if "Saraqib" in page.inner_text("#panel-body h2"):
            break
    assert set(page.locator("#panel mark").all_inner_texts()) == {"12", "14"}
    assert page.locator("#panel a[href='https://example.org/saraqib-1']").count() == 1

    # brush the first part of the timeline: the map keeps only the incidents in it
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.03, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.35, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.62, y, steps=5)
    page.mouse.up()
    page.wait_for_selector("body:not([data-shown='6'])")
    shown = int(page.get_attribute("body", "data-shown"))
    assert 0 < shown < 6 and page.locator("path.incident").count() == shown
    assert " to 2020-" in page.inner_text("#status")

    (ROOT / "build").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "build" / "map.png"))
    assert errors == [] and outside == []


def test_phone_layout_opens_the_panel(server: str, browser_page: tuple[Any, list[str], list[str]]) -> None:
    page, errors, outside = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server)
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("path.incident").count() == 6
    page.locator("path.incident").first.dispatch_event("click")
    page.wait_for_selector("#panel:not([hidden]) .report")
    panel = page.locator("#panel").bounding_box()
    assert panel["width"] <= 390 and panel["y"] > 200  # a sheet over the lower part of the screen
    (ROOT / "build").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "build" / "map-phone.png"))
    assert errors == [] and outside == []
