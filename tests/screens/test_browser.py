"""End-to-end: the real Streamlit server in headless Debian Chromium (Playwright, no downloaded browser).

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; ``make test`` and ``.ci/run`` install it).
Without it these tests FAIL, unless ``SOURCIER_SKIP_BROWSER=1`` is set. Run only them with
``.venv/bin/python -m pytest -m browser``.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks._chromium import CHROMIUM_PATH, launch
from mapping import store

pytestmark = pytest.mark.browser
log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
FEATURES = ".marker-cluster, path.leaflet-interactive"
SCREENSHOTS = ROOT / "screenshots"
XSS_NAME = "<img src=x onerror=window.top.__pwned=1>${window.top.__pwned=2}`</script>\\"


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM_PATH.exists():
        if os.environ.get("SOURCIER_SKIP_BROWSER") == "1":
            pytest.skip("SOURCIER_SKIP_BROWSER=1 : tests navigateur ignorés")
        pytest.fail(
            f"{CHROMIUM_PATH} is missing: install Debian chromium (apt-get install -y chromium, as `make test` "
            "and .ci/run do), or set SOURCIER_SKIP_BROWSER=1 to skip the browser tests explicitly."
        )
    return CHROMIUM_PATH


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port; yield its URL once healthy."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Streamlit did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def browser_page(chromium: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def _wait_until_still(page, locator, *, checks: int = 4, every_ms: int = 400) -> None:
    """Wait until ``locator``'s box has not moved for ``checks`` consecutive looks (layout settled)."""
    last, still = None, 0
    for _ in range(100):
        box = locator.bounding_box()
        still = still + 1 if box == last else 0
        if still >= checks:
            return
        last = box
        page.wait_for_timeout(every_ms)


def _watch(page) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"errors": [], "console": [], "failed": [], "requests": []}
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("console", lambda msg: seen["console"].append(f"{msg.type}: {msg.text}"))
    # A request the browser cancelled (a map frame replaced by the next run) is not a failure of the app.
    page.on(
        "requestfailed", lambda req: None if "ERR_ABORTED" in (req.failure or "") else seen["failed"].append(req.url)
    )
    page.on("request", lambda req: seen["requests"].append(req.url))
    return seen


def test_map_page_in_chromium(chromium, tmp_path):
    store.load_suppliers()  # build data/build/ before the server, outside the page timeouts
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        start = time.monotonic()
        page.goto(f"{url}/carte")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(FEATURES).first.wait_for(state="visible", timeout=60_000)
        first_features = time.monotonic() - start
        log.info("first map features after %.1f s", first_features)
        count = page.get_by_text(re.compile(r"^\d[\d\u202f]* acteurs?$")).first
        assert count.is_visible()
        assert page.get_by_text("Données de démonstration").first.is_visible()
        assert frame.locator(".sourcier-legend").is_visible()
        page.wait_for_timeout(1500)  # let clusters settle before the screenshot
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "carte.png"), full_page=True)
    vendored = [u for u in seen["requests"] if "/app/static/vendor/" in u]
    assert len(vendored) >= 5, seen["requests"]
    assert not [u for u in seen["failed"] if "127.0.0.1" in u], seen["failed"]
    assert not seen["errors"], seen["errors"]
    scripts = [u for u in seen["requests"] if u.endswith((".js", ".css"))]
    assert all(u.startswith(url) for u in scripts), scripts
    print(f"\nfirst map features: {first_features:.1f} s")


def test_untrusted_names_do_not_run_in_the_browser(chromium, tmp_path, actors_factory):
    gdf = actors_factory(30)
    gdf["name"] = [XSS_NAME] * len(gdf)
    path = store.write_suppliers(gdf, tmp_path / "xss.parquet")
    env = {"SOURCIER_BUILD_PATH": str(path)}
    with streamlit_server(tmp_path / "streamlit.log", env) as url, browser_page(chromium) as page:
        seen = _watch(page)
        page.goto(f"{url}/carte")
        frame_el = page.locator(MAP_FRAME)
        frame_el.wait_for()
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(FEATURES).first.wait_for(state="visible")
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
        _wait_until_still(page, frame_el)  # spinners of the first run leave: the map frame moves up once
        # Zoom on one marker (out of its clusters), then hover and click it as a user would.
        inner = frame_el.element_handle().content_frame()
        where = inner.evaluate(
            """() => new Promise((resolve) => {
                let cluster = null;
                map_div.eachLayer((layer) => { if (layer.zoomToShowLayer) { cluster = cluster || layer; } });
                if (!cluster) { resolve("no cluster"); return; }
                const marker = cluster.getLayers()[0];
                map_div.setView(marker.getLatLng(), 17, {animate: false});
                const started = Date.now();
                const poll = setInterval(() => {
                    if (marker._map) {
                        clearInterval(poll);
                        const point = map_div.latLngToContainerPoint(marker.getLatLng());
                        const box = map_div.getContainer().getBoundingClientRect();
                        resolve({x: box.left + point.x, y: box.top + point.y});
                    } else if (Date.now() - started > 20000) { clearInterval(poll); resolve("timeout"); }
                }, 100);
            })"""
        )
        assert isinstance(where, dict), where
        frame_box = frame_el.bounding_box()
        x, y = frame_box["x"] + where["x"], frame_box["y"] + where["y"]
        page.mouse.move(x, y)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for(state="visible")
        assert tooltip.inner_text() == XSS_NAME  # the name, shown as text
        popup = frame.locator(".leaflet-popup-content")
        for _ in range(5):  # the page may still move the frame (late layout): measure again, click again
            frame_box = frame_el.bounding_box()
            x, y = frame_box["x"] + where["x"], frame_box["y"] + where["y"]
            page.mouse.click(x, y)
            try:
                popup.wait_for(state="visible", timeout=5_000)
                break
            except Exception:
                continue
        popup.wait_for(state="visible")
        popup.wait_for(state="visible")
        assert XSS_NAME in popup.inner_text()  # shown as text
        assert popup.locator("img").count() == 0
        text = popup.inner_text()
        assert "Types :" in text and "Sources :" in text and "&#" not in text  # entities shown as characters
        page.mouse.move(x + 250, y + 150)  # away from the marker: its tooltip closes, the popup stays
        tooltip.wait_for(state="hidden")
        page.wait_for_timeout(400)  # the popup's fade-in
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "popup.png"))
        assert page.evaluate("() => window.__pwned") is None
        assert inner.evaluate("() => window.top.__pwned") is None
    assert not seen["errors"], seen["errors"]


def _leading_number(text: str) -> int:
    """``"1 234 fournisseurs…"`` -> 1234 (French thousands separators)."""
    return int(re.sub(r"\D", "", re.match(r"[\d\s\u202f\u00a0]+", text).group()))


def test_search_page_in_chromium(chromium, tmp_path):
    """A buyer types « Tours », picks a purchase family and gets the count, the circle and the markers."""
    from playwright.sync_api import expect

    store.load_suppliers()
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        # A bookmarked link, first visit of a fresh server: served by app.py's navigation all the same.
        page.goto(f"{url}/search")
        page.get_by_role("heading", name="Rechercher des fournisseurs").wait_for()
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_text("Carte des acteurs")).to_be_visible()  # app.py's titles, not file names
        assert "_data" not in nav.inner_text() and page.url.endswith("/search")
        place = page.get_by_label("Lieu", exact=True)
        place.fill("Tours")
        place.press("Enter")
        page.get_by_text("Lieu retenu : Tours (37)").wait_for()
        count = page.get_by_text(re.compile(r"^\d+ fournisseurs? à moins de 20 km de Tours \(37\)$"))
        every = count.inner_text()  # every supplier near Tours, before choosing a family
        family = page.get_by_test_id("stSidebar").get_by_label("Familles d'achat")
        family.click()
        family.fill("Espaces verts")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        expect(count).not_to_have_text(every, timeout=60_000)  # the run with the family has rendered
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()  # stale elements gone
        assert _leading_number(count.inner_text()) < _leading_number(every)
        expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=60_000)  # the map page's stale map is gone
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".marker-cluster, .leaflet-marker-icon").first.wait_for(state="visible")
        assert frame.locator("path.leaflet-interactive").count() >= 2  # search circle and its centre
        assert page.get_by_test_id("stDataFrame").first.is_visible()  # a canvas grid: no DOM text to read
        nav = page.get_by_test_id("stSidebarNav").inner_text()
        assert "Carte des acteurs" in nav and "Rechercher des fournisseurs" in nav
        page.wait_for_timeout(1500)  # let clusters settle before the screenshot
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "recherche.png"), full_page=True)
        print(f"\n{count.inner_text()}")
    assert not seen["errors"], seen["errors"]
    assert not [u for u in seen["failed"] if "127.0.0.1" in u], seen["failed"]


def test_a_search_link_reproduces_the_search_and_opens_a_card(chromium, tmp_path):
    """Criteria set by hand end up in the URL; that URL in a fresh browser gives the same headline; a card
    opens from ``?fournisseur=`` with its sources."""
    from playwright.sync_api import expect, sync_playwright

    actors = store.load_suppliers()
    multi = actors[actors["sources"].map(len) >= 2].iloc[0]
    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    headline_re = re.compile(r"^\d+ fournisseurs? à moins de \d+ km d")
    with streamlit_server(tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = launch(p, chromium)
        try:
            first = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR").new_page()
            first.set_default_timeout(60_000)
            first.goto(f"{url}/search")
            place = first.get_by_label("Lieu", exact=True)
            place.fill("Orléans")
            place.press("Enter")
            family = first.get_by_test_id("stSidebar").get_by_label("Familles d'achat")
            family.click()
            family.fill("Nettoyage")
            first.keyboard.press("Enter")
            first.keyboard.press("Escape")
            expect(first).to_have_url(re.compile(r"familles=nettoyage"), timeout=60_000)
            first.locator(idle).wait_for()
            headline = first.get_by_text(headline_re).inner_text()
            assert "lieu=Orl" in first.url
            shared = first.url

            second = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR").new_page()
            second.set_default_timeout(60_000)
            second.goto(shared)
            expect(second.get_by_text(headline_re)).to_have_text(headline, timeout=60_000)
            second.locator(idle).wait_for()
            expect(second.get_by_label("Lieu", exact=True)).to_have_value("Orléans")  # the widgets, from the URL
            second.frame_locator(MAP_FRAME).locator(FEATURES).first.wait_for(state="visible")
            second.wait_for_timeout(1500)
            SCREENSHOTS.mkdir(exist_ok=True)
            second.screenshot(path=str(SCREENSHOTS / "lien-recherche.png"), full_page=True)

            second.goto(f"{url}/search?fournisseur={multi['uid']}")
            second.get_by_text("Pourquoi ces enregistrements ont été réunis").wait_for()
            expect(second.get_by_role("button", name="Ajouter à une sélection")).to_be_visible()
            second.locator(idle).wait_for()
            second.wait_for_timeout(1500)
            second.screenshot(path=str(SCREENSHOTS / "fiche-fournisseur.png"), full_page=True)
            print(f"\n{headline}\n{shared}")
        finally:
            browser.close()
