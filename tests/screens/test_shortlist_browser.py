"""« Sélections » and « Préparer une rencontre » in headless Chromium: hostile names stay text, the PDF downloads.

Screenshots: ``screenshots/selections.png``, ``screenshots/rencontre.png`` and the downloaded pack's first
two pages through poppler's ``pdftoppm`` (``screenshots/rencontre-pdf-1.png``, ``-2.png``).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mapping import shortlists, store
from tests.screens.test_browser import MAP_FRAME, SCREENSHOTS, _watch, browser_page, chromium, streamlit_server

pytestmark = pytest.mark.browser
__all__ = ["chromium"]  # the fixture, imported for this module

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
HOSTILE = (
    "<img src=x onerror=window.top.__pwned=1>",
    '=HYPERLINK("http://x","y")',
    "Recyclerie ${(window.parent.__pwned=1)}",
)


def test_shortlist_and_meeting_pages_in_chromium(chromium, tmp_path, actors_factory):
    actors = actors_factory(30)
    for i, name in enumerate(HOSTILE):
        actors.loc[i * 3, "name"] = name
    path = store.write_suppliers(actors, tmp_path / "suppliers.parquet")
    url_db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    db = shortlists.open_store(url_db)
    list_id = db.create("Rencontre réemploi – Loiret", owner="Camille Martin")
    for uid in ("a00000", "a00003", "a00006", "a00010", "a00012", "a00017"):
        shortlists.add_actor(db, list_id, actors, uid, "Vu au salon ESS de novembre" if uid == "a00010" else "")
    db.add(list_id, "a-gone", "À relancer", snapshot={"name": "Ancienne ressourcerie", "city": "Dreux"})
    shortlists.close_all()
    env = {"SOURCIER_BUILD_PATH": str(path), "SOURCIER_DATABASE_URL": url_db}
    with streamlit_server(tmp_path / "streamlit.log", env) as url, browser_page(chromium) as page:
        seen = _watch(page)
        # A first visit of the app's root: on a fresh server process, a first request straight to a page
        # whose url_path differs from its file name gets Streamlit's « Page not found » dialog (legacy
        # pages/ mode, see pages/_data.enter_through_app) before the right page runs.
        page.goto(f"{url}/selections")  # the first visit of a fresh server, straight to the page
        page.get_by_role("heading", name="Sélections").wait_for()
        page.locator(IDLE).wait_for()
        assert page.get_by_text("Page not found").count() == 0  # a bookmarked URL on a fresh server
        name_field = page.get_by_label("Votre nom", exact=True).and_(page.locator("input"))
        name_field.fill("Camille Martin")
        name_field.press("Enter")
        page.get_by_text("n'est plus dans les données").first.wait_for()
        for name in HOSTILE:
            page.get_by_text(name, exact=False).first.wait_for()  # shown as text
        assert page.get_by_role("link", name="http://x").count() == 0  # not even an automatic link
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".marker-cluster, .leaflet-marker-icon, path.leaflet-interactive").first.wait_for()
        page.wait_for_timeout(1500)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "selections.png"), full_page=True)

        page.goto(f"{url}/rencontre")
        page.get_by_role("heading", name="Préparer une rencontre").wait_for()
        button = page.get_by_role("button", name="Dossier de rencontre (PDF)")
        button.wait_for()
        assert page.get_by_role("link", name="Écrire aux fournisseurs (en copie cachée)").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "rencontre.png"), full_page=True)
        with page.expect_download() as download:
            button.click()
        pdf = tmp_path / "pack.pdf"
        download.value.save_as(pdf)
        assert page.evaluate("() => window.__pwned") is None
    assert not seen["errors"], seen["errors"]
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-l", "2", str(pdf), str(SCREENSHOTS / "rencontre-pdf")],
                       check=True)  # fmt: skip
