"""« Couverture du territoire » in headless Chromium: pick a family, see the choropleth, download the CSV."""

from __future__ import annotations

import pytest

from mapping import store
from tests.screens.test_browser import (
    MAP_FRAME,
    SCREENSHOTS,
    _wait_until_still,
    _watch,
    browser_page,
    chromium,
    streamlit_server,
)

pytestmark = pytest.mark.browser
__all__ = ["chromium"]


def test_coverage_page_in_chromium(chromium, tmp_path):
    from playwright.sync_api import expect

    store.load_suppliers()
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        page.goto(f"{url}/couverture?par=epci")  # the first visit of a fresh server, straight to the page
        page.get_by_role("heading", name="Couverture du territoire").wait_for()
        headline = page.get_by_test_id("stHeading").filter(has_text="dans la région").first
        headline.wait_for()
        idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
        idle.wait_for()
        page.wait_for_timeout(1000)
        before = headline.inner_text()
        try:
            box = page.get_by_label("Code à cartographier")
            box.click()
            box.fill("Espaces verts")
            page.keyboard.press("Enter")
        except Exception:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "couverture-echec.png"), full_page=True)
            raise
        expect(headline).not_to_have_text(before, timeout=60_000)
        assert "Espaces verts" in headline.inner_text() and headline.inner_text()[0].isdigit()
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
        expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=60_000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.leaflet-interactive").first.wait_for(state="visible")
        assert frame.locator("path.leaflet-interactive").count() >= 50  # the EPCI polygons
        assert "espaces_verts" in page.url
        with page.expect_download() as info:
            page.get_by_role("button", name="Matrice (CSV)").click()
        data = info.value.path().read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
        assert info.value.suggested_filename.startswith("couverture-")
        page.get_by_role("heading", name="Couverture du territoire").scroll_into_view_if_needed()
        _wait_until_still(page, page.locator(MAP_FRAME))
        page.wait_for_timeout(1000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "couverture.png"), full_page=True)
    assert not seen["errors"], seen["errors"]
    assert not [u for u in seen["failed"] if "127.0.0.1" in u], seen["failed"]
