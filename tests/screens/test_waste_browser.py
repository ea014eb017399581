"""Chromium journey « biodéchets near a lycée » on /dechets, ending with the downloaded CSV export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from mapping.reference import geography
from tests.screens.test_browser import _wait_until_still, browser_page, chromium, streamlit_server  # noqa: F401

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SHOT = ROOT / "screenshots" / "dechets.png"


def test_biodechets_near_a_lycee(chromium, tmp_path) -> None:  # noqa: F811
    lycees = geography.lycees()
    lycee = str(lycees[lycees["commune"].str.contains("Orléans", na=False)]["nom"].iloc[0])
    with streamlit_server(tmp_path / "server.log") as url, browser_page(chromium) as page:
        page.goto(url)  # the app's navigation first: a first visit straight to /dechets shows « Page not found »
        page.get_by_text("Carte des acteurs").first.wait_for()
        page.goto(f"{url}/dechets?dechets=biodechets&rayon=30&lieu={quote(lycee)}")
        headline = page.locator("h3").filter(has_text=re.compile(r"^\d[\d\u202f ]* fournisseur"))
        headline.first.wait_for()
        page.get_by_text(re.compile("Lieu retenu")).wait_for()
        count = int(re.sub(r"\D", "", headline.first.inner_text().split("fournisseur")[0]))
        page.wait_for_timeout(3000)
        page.screenshot(path=str(SHOT), full_page=True)
        page.get_by_role("button", name=re.compile("Préparer l'export")).click()
        button = page.get_by_role("button", name=re.compile("CSV pour Excel"))
        button.wait_for()
        _wait_until_still(page, page.locator("iframe").first)
        page.screenshot(path=str(SHOT), full_page=True)
        with page.expect_download() as info:
            button.click()
        data = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert count > 0
    assert len(rows) - 1 == count
