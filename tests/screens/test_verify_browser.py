"""« Vérifier une liste » in Chromium: open /verifier, upload a CSV, see the result and the indicators, download it."""

from __future__ import annotations

import re

import pytest

from mapping import store
from mapping.screens import verify_texts as texts
from tests.screens.test_browser import SCREENSHOTS, _watch, browser_page, chromium, streamlit_server  # noqa: F401

pytestmark = pytest.mark.browser


def _buyer_csv(path) -> None:
    actors = store.load_suppliers()
    lines = ["N° SIRET;Raison sociale;Adresse;Code postal;Ville"]
    with_siret = actors[actors["siret"].notna()].head(3)
    for _, row in with_siret.iterrows():
        lines.append(f"{row['siret']};{row['name']};{row['address'] or ''};{row['postcode'] or ''};{row['city'] or ''}")
    for _, row in actors[actors["siret"].isna()].head(3).iterrows():
        lines.append(f";{str(row['name']).title()};;{row['postcode'] or ''};{row['city'] or ''}")
    lines.append("12345678901234;Boulangerie Martin;3 rue de la Gare;45000;Orléans")
    lines.append(";;;45000;")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_verify_page_in_chromium(chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    csv_path = tmp_path / "mes-fournisseurs.csv"
    _buyer_csv(csv_path)
    with streamlit_server(tmp_path / "streamlit.log") as url, browser_page(chromium) as page:
        seen = _watch(page)
        page.goto(f"{url}/verifier")  # the first visit of a fresh server, straight to the page (a bookmark)
        page.get_by_role("heading", name=texts.PAGE_TITLE).wait_for()
        assert page.get_by_text("Page not found").count() == 0
        page.locator("input[type='file']").set_input_files(str(csv_path))
        headline = page.get_by_text(re.compile(r"^7 lignes vérifiées — \d+ reconnues dans Sourcier"))
        headline.wait_for(timeout=60_000)
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
        expect(page.get_by_role("heading", name=texts.INDICATORS_HEADER)).to_be_visible()
        expect(page.get_by_role("heading", name=texts.RESULT_HEADER)).to_be_visible()
        expect(page.get_by_text(texts.REPORT_HEADER)).to_be_visible()
        page.get_by_test_id("stDataFrame").first.wait_for()
        expect(page.get_by_test_id("stDataFrame")).to_have_count(5)  # report, indicators, families, result, unmatched
        page.wait_for_timeout(1000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "verifier.png"), full_page=True)
        button = page.get_by_role("button", name=texts.DOWNLOAD_CSV)
        with page.expect_download() as info:
            button.click()
        downloaded = info.value.path().read_bytes()
        assert downloaded.startswith(b"\xef\xbb\xbf") and b"Boulangerie Martin" in downloaded
        print(f"\n{headline.inner_text()}")
    assert not seen["errors"], seen["errors"]
    assert not [u for u in seen["failed"] if "127.0.0.1" in u], seen["failed"]
