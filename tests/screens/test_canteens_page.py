"""« Cantines » (``/cantines``) through AppTest on the embedded data: each parameter set of the public seam,
the page's count equal to ``SupplierIndex.search`` for the same criteria (built here, not by the page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapping import store
from mapping.reference import geography, taxonomy
from mapping.screens import canteens
from mapping.search.index import SupplierIndex

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/cantines.py"
POTHIER = "0450049J"  # Lycée Pothier, Orléans (45), Orléans Métropole
ORLEANS_METROPOLE = "244500468"

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture(scope="module")
def index() -> SupplierIndex:
    return SupplierIndex(store.load_suppliers())


@pytest.fixture(scope="module")
def pothier() -> tuple[float, float]:
    row = geography.lycees().set_index("uai").loc[POTHIER]
    return float(row["lon"]), float(row["lat"])


def open_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()  # a first run registers the pages' url_path
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def count(at: AppTest) -> int:
    return int(re.match(r"(\d+)", at.subheader[0].value.replace("\u202f", "")).group(1))


def expected(index, pothier, area: dict, products=None, labels=None) -> int:
    criteria = {"near": pothier, **area, "product_types": products or taxonomy.codes("product_types")}
    if labels:
        criteria["labels"] = labels
    return int(index.search(**criteria, limit=0).attrs["total"])


def test_fromages_ab_same_departement_as_the_lycee(index, pothier):
    at = open_page({"lycee": POTHIER, "produits": "fromages", "labels": "ab", "local": "departement"})
    total = expected(index, pothier, {"departements": ["45"]}, ["fromages"], ["ab"])
    assert count(at) == total and at.subheader[0].value.endswith("dans le Loiret (45)")
    assert any(m.value.startswith("Dont ") and "bio (AB)" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("local", "area"),
    [
        ("km:30", {"radius_km": 30.0}),
        ("epci", {"epcis": [ORLEANS_METROPOLE]}),
        ("region", {"departements": geography.departements()}),
    ],
)
def test_each_meaning_of_local(index, pothier, local, area):
    at = open_page({"lycee": POTHIER.lower(), "local": local})
    total = expected(index, pothier, area)
    assert count(at) == total > 0
    table = at.dataframe[0].value
    assert len(table) == min(total, 2000)
    distances = list(table["Distance (km)"])
    assert distances == sorted(distances)  # nearest first in every mode
    if local == "km:30":
        assert max(distances) <= 30


def test_the_share_of_organic_and_c_du_centre_is_counted_on_the_result(index, pothier):
    at = open_page({"lycee": POTHIER, "local": "km:40"})
    found = index.search(near=pothier, radius_km=40.0, product_types=taxonomy.codes("product_types"))
    organic = round(100 * sum("ab" in list(v) for v in found["labels"]) / len(found))
    assert any(m.value.startswith(f"Dont {organic} % bio (AB)") for m in at.markdown)


def test_bad_local_and_unknown_lycee_are_ignored_with_a_message():
    at = open_page({"lycee": "9999999Z", "local": "km:500", "produits": "fromages,caviar"})
    warnings = " ".join(w.value for w in at.warning)
    assert "9999999Z" in warnings and "km:500" in warnings and "caviar" in warnings
    assert any("Choisissez votre lycée" in i.value for i in at.info)


def test_empty_result_says_what_to_widen():
    at = open_page({"lycee": POTHIER, "local": "km:1", "labels": "hve"})
    assert count(at) == 0
    (message,) = [i.value for i in at.info]
    assert "distance plus grande" in message and "Retirez un signe" in message


def test_parse_local():
    assert canteens.parse_local("km:25")[0] == canteens.Local("km", 25)
    assert canteens.parse_local("EPCI")[0].kind == "epci"
    assert canteens.parse_local("km:0")[0] is None and canteens.parse_local("loin")[1]
