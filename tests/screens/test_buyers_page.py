"""« Acheteurs » (``/acheteurs``) through AppTest, on the embedded data (as ``make run`` serves it).

Each parameter set of the issue's public seam is opened from the URL; the page's count must equal
``SupplierIndex.search`` for the same criteria, computed here independently of the page's code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.coverage import load_thresholds
from mapping.places.resolve import resolve_place
from mapping.reference import taxonomy
from mapping.screens import buyer_texts, buyers
from mapping.search.index import SupplierIndex

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/acheteurs.py"

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture(scope="module")
def index() -> SupplierIndex:
    return SupplierIndex(store.load_suppliers())


def open_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # a first run registers the pages' url_path (AppTest.switch_page's documented requirement)
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def count(text: str) -> int:
    return int(re.match(r"(\d+)", text.replace("\u202f", "")).group(1))


CASES = [
    ({"familles": "espaces_verts", "marches": "L2113-13", "lieu": "Indre-et-Loire"}, "Indre-et-Loire", None),
    ({"familles": "espaces_verts", "types": "esat,ea", "lieu": "Orléans", "rayon": "40"}, "Orléans", 40),
    ({"familles": "restauration_collective,traiteur"}, None, None),
    ({"types": "scop,scic", "lieu": "45"}, "45", None),
]


@pytest.mark.parametrize(("params", "where", "radius"), CASES)
def test_the_page_counts_what_the_index_finds(index, params, where, radius):
    at = open_page(params)
    criteria: dict[str, object] = {}
    facets = (("familles", "purchase_families"), ("types", "actor_kinds"), ("marches", "reserved_contracts"))
    for param, facet in facets:
        if param in params:
            criteria[facet] = params[param].split(",")
    if where:
        criteria.update(resolve_place(where).criteria(radius_km=float(radius or 20)))
    expected = int(index.search(**criteria, limit=0).attrs["total"])
    assert count(at.subheader[0].value) == expected > 0
    if expected:
        assert len(at.dataframe[0].value) == min(expected, 2000)
    # One line per reservation article, counted on the whole result with the article's kinds.
    lines = [m.value for m in at.markdown if re.match(r"\*\*\d", m.value)]
    for article in taxonomy.codes("reserved_contracts"):
        wanted = {k: v for k, v in criteria.items() if k != "reserved_contracts"}
        eligible = int(index.search(**wanted, reserved_contracts=[article], limit=0).attrs["total"])
        if expected:
            assert any(line.startswith(f"**{eligible}** {article}") for line in lines), (article, lines)
    # The advice follows the thresholds file (the coverage page's): with its limits, 39 SIAE reserve a contract.
    limits = load_thresholds()
    for reservation in buyers.reservation_counts(index, criteria):
        advice = buyer_texts.ADVICE[reservation.potential]
        start = f"**{reservation.count}** {reservation.article}"
        assert any(line.startswith(start) and advice in line for line in lines)
        if reservation.applies and reservation.count >= limits.reserve_contract_at_least:
            assert reservation.potential == "contract"
        elif reservation.applies and reservation.count < limits.reserve_lot_at_least:
            assert reservation.potential == "clause"


def test_cpv_codes_of_the_family_are_shown_and_l2113_15_is_qualified():
    at = open_page({"familles": "espaces_verts"})
    captions = [c.value for c in at.caption]
    assert any("CPV 773…, 0345…" in c for c in captions), captions
    # Espaces verts is no health, social or cultural service: the ESS reservation does not apply.
    assert any("L2113-15 ne s'applique pas" in c.value for c in at.caption)
    at = open_page({"familles": "services_personne"})
    assert not any("L2113-15 ne s'applique pas" in c.value for c in at.caption)
    assert any(c.value.startswith("ESS : seulement pour les services") for c in at.caption)


def test_l2113_15_applies_only_to_listed_services():
    assert buyers.article_applies("L2113-15", ["services_personne"])
    assert buyers.article_applies("L2113-15", ["formation"])
    assert not buyers.article_applies("L2113-15", ["nettoyage"])
    assert buyers.article_applies("L2113-13", ["nettoyage"])  # no CPV restriction on insertion


def test_empty_result_says_what_to_widen():
    at = open_page({"familles": "energie", "types": "eiti", "lieu": "Vierzon", "rayon": "1"})
    assert count(at.subheader[0].value) == 0
    assert any("Élargissez la recherche" in i.value for i in at.info)


def test_bad_parameters_are_ignored_with_a_message():
    at = open_page({"familles": "espaces_verts,piscines", "marches": "L9999", "rayon": "abc", "texte": "x"})
    warnings = " ".join(w.value for w in at.warning)
    assert "piscines" in warnings and "L9999" in warnings and "abc" in warnings
    assert at.multiselect(key="critere_purchase_families").value == ["espaces_verts"]
