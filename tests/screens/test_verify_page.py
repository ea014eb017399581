"""« Vérifier une liste » (/verifier) through AppTest: upload via the file_uploader, report, result, indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.matching.upload import read_list
from mapping.screens import verify
from mapping.screens import verify_texts as texts

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/verifier.py"
DEMO_STATUS = {"demo": True, "sources": {}, "built_at": None}

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture
def world(actors_factory, tmp_path, monkeypatch):
    actors = actors_factory(40)
    path = store.write_suppliers(actors, tmp_path / "suppliers.parquet")
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(path))
    monkeypatch.setattr(store, "data_status", lambda: DEMO_STATUS)
    return store.load_suppliers(path)


@pytest.fixture
def page(world) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # a first run registers the pages' url_path
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _list(actors) -> bytes:
    lines = ["N° SIRET;Fournisseur;Adresse;CP;Ville"]
    for _, row in actors.head(5).iterrows():
        lines.append(f";{row['name']};{row['address'] or ''};{row['postcode'] or ''};{row['city'] or ''}")
    lines.append("12345678901234;Quincaillerie Zébulon;;45000;Orléans")
    lines.append(";;;45000;")
    return "\n".join(lines).encode("utf-8")


def test_page_waits_for_a_file_and_offers_a_sample(page):
    assert page.title[0].value == texts.PAGE_TITLE
    assert [i.value for i in page.info] == [texts.WAITING]
    rows, report = read_list(verify.sample_csv(), "exemple.csv")
    assert report.ok and len(rows) == len(verify.SAMPLE_ROWS) - 1


def test_upload_shows_report_result_indicators_and_unmatched(page, world):
    page.get("file_uploader")[0].set_value(("liste.csv", _list(world), "text/csv"))
    page.run()
    assert not page.exception
    first = page.subheader[0].value
    assert first.startswith("6 lignes vérifiées"), first
    headers = [s.value for s in page.subheader]
    assert texts.INDICATORS_HEADER in headers and texts.RESULT_HEADER in headers and texts.UNMATCHED_HEADER in headers
    frames = [d.value for d in page.dataframe]
    report = frames[0]
    assert report[texts.REPORT_COLUMNS["line"]].tolist() == [7, 8]
    result = next(f for f in frames if texts.RESULT_COLUMNS["confidence"] in f.columns)
    assert len(result) == 6
    matched = result[texts.RESULT_COLUMNS["matched_name"]].notna()
    assert matched.sum() == 5
    links = result[texts.RESULT_COLUMNS["card"]]
    assert all("fournisseur=" in link for link in links[matched])
    unmatched = frames[-1]
    assert unmatched[texts.UNMATCHED_COLUMNS["input_name"]].tolist() == ["Quincaillerie Zébulon"]


def test_unreadable_upload_says_why_in_french(page):
    page.get("file_uploader")[0].set_value(("liste.csv", b"a;b\n1;2\n", "text/csv"))
    page.run()
    assert not page.exception
    assert page.error and "en-tête introuvable" in page.error[0].value


def test_export_neutralises_formulas(world):
    content = b'Fournisseur;CP\n=HYPERLINK("http://x");45000\n'
    check = verify.verify(content, "l.csv", world)
    frame = verify.export_table(check, "/search?fournisseur=")
    assert frame[texts.EXPORT_COLUMNS["input_name"]].iloc[0].startswith("'=")
    assert verify.to_csv(frame).startswith(b"\xef\xbb\xbf")
    assert verify.to_xlsx(frame)[:2] == b"PK"
