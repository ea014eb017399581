"""Who may import, end to end: the real server behind a "proxy" header, in headless Debian Chromium.

Playwright's ``extra_http_headers`` are sent with every request of the browser context, including the
WebSocket handshake of ``/_stcore/stream`` whose headers Streamlit exposes as ``st.context.headers``:
the browser plays the Région's reverse proxy that sets ``X-Forwarded-User``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks._chromium import launch
from mapping.build import journal
from tests.screens.test_browser import ROOT, SCREENSHOTS, _watch, chromium, streamlit_server  # noqa: F401

pytestmark = pytest.mark.browser

CRESS = ROOT / "tests" / "fixtures" / "partners" / "cress_cp1252_semicolon.csv"


@pytest.fixture
def guarded(tmp_path: Path) -> dict[str, str]:
    """A copy of the embedded snapshots, its own table and journal, imports guarded: alice only."""
    snapshots = tmp_path / "snapshots"
    shutil.copytree(ROOT / "data" / "snapshots", snapshots, ignore=shutil.ignore_patterns(".history"))
    return {
        "SOURCIER_SNAPSHOTS_DIR": str(snapshots),
        "SOURCIER_BUILD_PATH": str(tmp_path / "build" / "suppliers.parquet"),
        "SOURCIER_JOURNAL_PATH": str(tmp_path / "journal.jsonl"),
        "SOURCIER_USER_HEADER": "X-Forwarded-User",
        "SOURCIER_IMPORTERS": "alice",
    }


def _open_sources(browser, url: str, user: str):
    # A tall window: Streamlit scrolls inside its own container, so a full-page screenshot is the window.
    context = browser.new_context(
        viewport={"width": 1400, "height": 2200}, locale="fr-FR", extra_http_headers={"X-Forwarded-User": user}
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    seen = _watch(page)
    page.goto(f"{url}/sources")
    page.get_by_role("heading", name="Sources et imports").wait_for()
    page.get_by_role("heading", name="Journal des modifications").wait_for()
    return page, seen


def test_alice_imports_bob_only_reads(chromium, tmp_path, guarded):  # noqa: F811 (fixture)
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with streamlit_server(tmp_path / "streamlit.log", guarded) as url, sync_playwright() as p:
        browser = launch(p, chromium)
        try:
            page, seen = _open_sources(browser, url, "alice")
            page.get_by_text("Connecté en tant que « alice »").wait_for()
            uploader = page.get_by_test_id("stFileUploader")
            expect(uploader).to_have_count(1)
            uploader.locator("input[type=file]").set_input_files(str(CRESS))
            page.get_by_role("button", name="Vérifier le fichier").click()
            page.get_by_text("8 lignes lues — 3 importées — 5 refusées — 3 structures").wait_for()
            warning = page.get_by_text("Cet import retirerait 876 des 876 structures")
            warning.wait_for()
            accept = page.get_by_role("button", name="Accepter l'import")
            expect(accept).to_be_disabled()
            accept.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / "sources-alice-confirmation.png"), full_page=True)
            page.get_by_text("Je confirme : retirer 876 structures de la source").click()
            expect(accept).to_be_enabled()
            accept.click()
            page.get_by_text("Import enregistré : 3 structures").wait_for(timeout=120_000)
            page.get_by_text("Table des acteurs reconstruite").wait_for()
            page.get_by_test_id("stSelectbox").filter(has_text="Version").wait_for()  # the demo CRESS is kept
            page.get_by_role("heading", name="Journal des modifications").scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=str(SCREENSHOTS / "sources-alice.png"), full_page=True)
            assert not seen["errors"], seen["errors"]

            page, seen = _open_sources(browser, url, "bob")
            page.get_by_text("Connecté en tant que « bob »").wait_for()
            page.get_by_text("adressez-vous à : alice.").wait_for()
            expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
            expect(page.get_by_role("button", name="Restaurer cette version")).to_have_count(0)
            expect(page.get_by_test_id("stDataFrame")).to_have_count(2)  # the sources' status and the journal
            page.screenshot(path=str(SCREENSHOTS / "sources-bob.png"), full_page=True)
            assert not seen["errors"], seen["errors"]
        finally:
            browser.close()
    (entry,) = journal.read(Path(guarded["SOURCIER_JOURNAL_PATH"]))
    assert (entry["action"], entry["user"], entry["forced"], entry["records_after"]) == ("import", "alice", True, 3)
    assert entry["actors_after"] is not None and entry["previous_version"]
