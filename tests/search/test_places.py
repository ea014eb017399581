"""Tests of mapping.places.resolve: what users type -> Place, and French errors."""

from __future__ import annotations

import pytest

from mapping.places.resolve import MSG_OFFLINE_ADDRESS, Place, PlaceError, resolve_place


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Tours", "commune", "37261"),
        ("tours", "commune", "37261"),
        ("  TOURS ", "commune", "37261"),
        ("Orleans", "commune", "45234"),  # accents optional
        ("Châteauroux", "commune", "36044"),
        ("Orlans", "commune", "45234"),  # typo
        ("37000", "commune", "37261"),  # postcode of one commune
        ("45234", "commune", "45234"),  # INSEE code (not a postcode)
        ("45200 Amilly", "commune", "45004"),  # homonym told apart by its postcode
        ("Amilly 28", "commune", "28006"),  # ... or by its département
        ("Amilly (45)", "commune", "45004"),
        ("Orléans Métropole", "epci", "244500468"),
        ("orleans metropole", "epci", "244500468"),
        ("Tours Métropole", "epci", "243700754"),
        ("CC du Dunois", "epci", "241800424"),
        ("244500468", "epci", "244500468"),
        ("Indre-et-Loire", "departement", "37"),
        ("indre et loire", "departement", "37"),
        ("37", "departement", "37"),
        ("département du Loiret", "departement", "45"),
        ("lycée Pothier", "lycee", "0450049J"),
        ("LYCEE POTHIER", "lycee", "0450049J"),
        ("lycée Pottier", "lycee", "0450049J"),  # typo after « lycée »
        ("Pothier", "lycee", "0450049J"),
        ("0450049J", "lycee", "0450049J"),  # UAI
        ("0450049j", "lycee", "0450049J"),
        ("lycée Descartes Tours", "lycee", "0370035M"),
    ],
)
def test_resolve_place(text, kind, code):
    place = resolve_place(text)
    assert (place.kind, place.code) == (kind, code)


def test_commune_place_has_point_area_and_criteria():
    place = resolve_place("Tours")
    assert place.label == "Tours (37)"
    assert place.near == pytest.approx((0.689, 47.391), abs=0.01)
    assert place.area == {"communes": ["37261"]}
    assert place.criteria() == {"near": place.near, "radius_km": place.radius_km_hint}
    assert place.criteria(radius_km=20) == {"near": place.near, "radius_km": 20}
    assert place.criteria(within=True) == {"communes": ["37261"]}


def test_area_places_give_filters():
    assert resolve_place("Indre-et-Loire").criteria() == {"departements": ["37"]}
    epci = resolve_place("Orléans Métropole")
    assert epci.near is None and epci.criteria() == {"epcis": ["244500468"]}


def test_lycee_label_and_radius():
    place = resolve_place("lycée Pothier")
    assert place.label == "Lycée Pothier (Orléans)"
    assert place.criteria(radius_km=20)["radius_km"] == 20
    assert place.near is not None and place.area == {}


@pytest.mark.parametrize("text", ["1.9093, 47.9025", "1,9093; 47,9025", "47.9025, 1.9093", "(1.9093 47.9025)"])
def test_coordinates_in_either_order(text):
    place = resolve_place(text)
    assert place.kind == "point"
    assert place.near == pytest.approx((1.9093, 47.9025))


def test_homonym_communes_are_ambiguous():
    with pytest.raises(PlaceError, match="« Amilly » désigne plusieurs communes") as info:
        resolve_place("Amilly")
    assert {p.code for p in info.value.candidates} == {"28006", "45004"}
    assert all(isinstance(p, Place) for p in info.value.candidates)


def test_postcode_shared_by_several_communes():
    with pytest.raises(PlaceError, match="41000") as info:
        resolve_place("41000")
    assert "Blois (41)" in str(info.value)
    assert {p.code for p in info.value.candidates} >= {"41018", "41276"}
    assert resolve_place("41000 Blois").code == "41018"
    assert resolve_place("Villebarou 41000").code == "41276"


def test_name_prefix_shared_by_several_communes():
    with pytest.raises(PlaceError, match="précisez") as info:
        resolve_place("Saint-Martin")
    assert "Saint-Martin-d'Auxigny (18)" in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Indiquez un lieu"),
        ("xyzzy", "Lieu introuvable : « xyzzy »"),
        ("99", "Département inconnu : 99"),
        ("00000", "inconnu"),
        ("lycée Zzzz", "Lycée introuvable"),
        ("120.5, 80.1", "hors de France"),
        ("12 rue Nationale, Tours", "géocodeur en ligne"),
    ],
)
def test_unknown_places_give_french_errors(text, message):
    with pytest.raises(PlaceError, match=message):
        resolve_place(text)


def test_address_goes_through_the_geocoder_hook_when_online():
    assert str(PlaceError(MSG_OFFLINE_ADDRESS)) == MSG_OFFLINE_ADDRESS
    calls = []

    def geocoder(text: str) -> tuple[float, float, str]:
        calls.append(text)
        return 0.6889, 47.3936, "12 Rue Nationale 37000 Tours"

    place = resolve_place("12 rue Nationale, Tours", online=True, geocoder=geocoder)
    assert calls == ["12 rue Nationale, Tours"]
    assert (place.kind, place.label, place.near) == ("adresse", "12 Rue Nationale 37000 Tours", (0.6889, 47.3936))
    with pytest.raises(PlaceError, match="Adresse introuvable"):
        resolve_place("1 rue Nulle Part", online=True, geocoder=lambda _t: None)


def test_default_online_geocoder_is_the_ban_client(monkeypatch):
    from mapping.build import geocoding
    from mapping.places import resolve

    class FakeBan:
        def search(self, address: str) -> geocoding.Geocode | None:
            return geocoding.Geocode(1.9, 47.9, 0.9, "housenumber", "45234", f"{address} 45000 Orléans")

    monkeypatch.setattr(resolve, "BanGeocoder", FakeBan)
    place = resolve_place("3 rue Jeanne d'Arc", online=True)
    assert (place.kind, place.near, place.label) == ("adresse", (1.9, 47.9), "3 rue Jeanne d'Arc 45000 Orléans")


def test_geocoder_failure_gives_a_french_message():
    def broken(_text: str) -> None:
        raise OSError("connexion refusée")

    with pytest.raises(PlaceError, match="ne répond pas"):
        resolve_place("3 rue Jeanne d'Arc", online=True, geocoder=broken)
