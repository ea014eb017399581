"""A buyer's journey in Chromium: espaces verts, reserved to SIAE (L2113-13), in Indre-et-Loire, then the CSV."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mapping import store
from tests.screens.test_browser import (  # noqa: F401 (chromium: the fixture)
    MAP_FRAME,
    SCREENSHOTS,
    _leading_number,
    _watch,
    browser_page,
    chromium,
    streamlit_server,
)

pytestmark = pytest.mark.browser
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _choose(page, label: str, typed: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=re.compile(re.escape(typed))).first.click()
    page.keyboard.press("Escape")
    page.locator(IDLE).wait_for()


def test_buyer_finds_siae_for_green_spaces_in_indre_et_loire_and_exports(chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    store.load_suppliers()
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        page.goto(url)
        page.get_by_role("link", name="Acheteurs").first.click()
        page.get_by_role("heading", name=re.compile("^Acheteurs")).wait_for()
        _choose(page, "Famille d'achat", "Espaces verts")
        page.get_by_text("CPV 773…, 0345…").last.wait_for()
        _choose(page, "Marché réservé visé", "L2113-13")
        place = page.get_by_label("Lieu", exact=True)
        place.fill("Indre-et-Loire")
        place.press("Enter")
        headline = page.get_by_text(re.compile(r"^\d+ fournisseurs? en Indre-et-Loire \(37\)$"))
        headline.wait_for()
        page.locator(IDLE).wait_for()
        total = _leading_number(headline.inner_text())
        assert total > 0
        expect(page.get_by_text(re.compile(rf"^{total} L2113-13"))).to_be_visible()
        assert "familles=espaces_verts" in page.url and page.url.endswith("marches=L2113-13")
        page.frame_locator(MAP_FRAME).locator(".marker-cluster, .leaflet-marker-icon").first.wait_for(state="visible")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1400, "height": 2000})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / "acheteurs.png"))
        page.get_by_role("button", name=re.compile("^Préparer l'export")).click()
        with page.expect_download() as download:
            page.get_by_role("button", name="CSV pour Excel").click()
        path = tmp_path / "export.csv"
        download.value.save_as(path)
        rows = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
        assert len(rows) == total
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.get_by_role("button", name="CSV pour Excel").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "acheteurs-export.png"))
    assert not seen["errors"], seen["errors"]


def test_a_bookmarked_buyer_link_works_on_a_fresh_server(chromium, tmp_path):  # noqa: F811
    """The first request a new server gets is ``/acheteurs?...`` (a shared link): same page, same criteria."""
    store.load_suppliers()
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        page.goto(f"{url}/acheteurs?familles=espaces_verts&marches=L2113-13&lieu=Indre-et-Loire")
        page.get_by_text(re.compile(r"^\d+ fournisseurs? en Indre-et-Loire \(37\)$")).wait_for()
        assert page.get_by_text("Page not found").count() == 0
        assert "/acheteurs" in page.url and "marches=L2113-13" in page.url
    assert not seen["errors"], seen["errors"]
