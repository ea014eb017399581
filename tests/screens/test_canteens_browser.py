"""A canteen manager's journey in Chromium: fromages, AB, same département as lycée Pothier, then the CSV."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mapping import store
from tests.screens.test_browser import (  # noqa: F401 (chromium: the fixture)
    SCREENSHOTS,
    _leading_number,
    _watch,
    browser_page,
    chromium,
    streamlit_server,
)

pytestmark = pytest.mark.browser
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _choose(page, label: str, typed: str, option: str, *, close: bool = True) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    if close:  # a multiselect stays open; a selectbox closes by itself (Escape would undo the choice)
        page.keyboard.press("Escape")
    page.locator(IDLE).wait_for()


def test_canteen_finds_organic_cheese_in_the_lycee_departement_and_exports(chromium, tmp_path):  # noqa: F811
    store.load_suppliers()
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        page.goto(f"{url}/cantines")  # the first visit of a fresh server, straight to the page
        page.get_by_role("heading", name="Cantines").wait_for()
        page.get_by_text("Choisissez votre lycée").wait_for()
        _choose(page, "Mon lycée", "Pothier", "Lycée Pothier — Orléans", close=False)
        page.get_by_text(re.compile(r"^\d+ producteurs? à moins de 30 km du lycée Pothier")).wait_for()
        _choose(page, "Familles de produits", "Fromages", "Fromages")
        _choose(page, "Signes de qualité", "biologique", "Agriculture biologique")
        page.get_by_text("Même département").click()
        page.locator(IDLE).wait_for()
        headline = page.get_by_text(re.compile(r"^\d+ producteurs? dans le Loiret \(45\)$"))
        headline.wait_for()
        total = _leading_number(headline.inner_text())
        assert total > 0
        assert "lycee=0450049J" in page.url and "local=departement" in page.url and "labels=ab" in page.url
        page.get_by_text(re.compile(r"^Dont \d+ % bio \(AB\)")).wait_for()
        page.set_viewport_size({"width": 1400, "height": 2000})
        page.wait_for_timeout(1500)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "cantines.png"))
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.get_by_role("button", name=re.compile("^Préparer l'export")).click()
        with page.expect_download() as download:
            page.get_by_role("button", name="CSV pour Excel").click()
        path = tmp_path / "export.csv"
        download.value.save_as(path)
        rows = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
        assert len(rows) == total
    assert not seen["errors"], seen["errors"]
