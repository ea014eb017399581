"""Normalisers of values as live answers hold them (connectors/normalize.py)."""

from __future__ import annotations

import pytest

from connectors.normalize import company_name, email_or_none, french_phone, insee_code, street_from_line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("02 38 12 34 56", "02 38 12 34 56"),
        ("0238123456", "02 38 12 34 56"),
        ("02.38.12.34.56", "02 38 12 34 56"),
        ("02-38-12-34-56", "02 38 12 34 56"),
        ("+33 2 38 12 34 56", "02 38 12 34 56"),
        ("+33 (0)2 38 12 34 56", "02 38 12 34 56"),
        ("0033 2 38 12 34 56", "02 38 12 34 56"),
        ("+33238123456", "02 38 12 34 56"),
        ("238123456", "02 38 12 34 56"),  # leading 0 lost (GoGoCarto, spreadsheets)
        (238123456, "02 38 12 34 56"),
        (238123456.0, "02 38 12 34 56"),
        ("238123456.0", "02 38 12 34 56"),
        ("967556221", "09 67 55 62 21"),
        ("02 38 12 34 56 / 06 12 34 56 78", "02 38 12 34 56"),
        ("3949", "3949"),  # not a French 10-digit number: kept as typed
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("hidden", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_french_phone(value: object, expected: str | None) -> None:
    assert french_phone(value) == expected


def test_email_or_none() -> None:
    assert email_or_none(" contact@example.org ") == "contact@example.org"
    assert email_or_none("hidden") is None and email_or_none("") is None and email_or_none(None) is None
    assert email_or_none("pas d'adresse") is None


def test_insee_code_pads_codes_typed_as_numbers() -> None:
    assert insee_code(1000) == "01000" and insee_code("1000") == "01000" and insee_code(45000.0) == "45000"
    assert insee_code("2A004") == "2A004" and insee_code("45234") == "45234"
    assert insee_code(None) is None and insee_code("") is None and insee_code(1.5) is None


def test_company_name_drops_repeated_brackets_only() -> None:
    assert company_name("ASSOCIATION TRI VAL (TRIVAL) (TRIVAL)") == "ASSOCIATION TRI VAL (TRIVAL)"
    assert company_name("GANYMEDE (GANYMEDE)") == "GANYMEDE"
    assert company_name("X (Y) (Z)") == "X (Y) (Z)"
    assert company_name("LA RUCHE (L'ÉPICERIE) (l'epicerie)") == "LA RUCHE (L'ÉPICERIE)"
    assert company_name(None, "LA POSTE") == "LA POSTE" and company_name("  ", None) is None


@pytest.mark.parametrize(
    ("line", "postcode", "expected"),
    [
        ("14 RUE DE BERTRAND 35000 RENNES", "35000", "14 RUE DE BERTRAND"),
        (
            "HOTEL DE LA COMMUNAUTE 19 RUE GEORGES BRAQUE 76600 LE HAVRE",
            "76600",
            "19 RUE GEORGES BRAQUE, HOTEL DE LA COMMUNAUTE",
        ),
        ("ESPACE SOLEIL BAT C ROUTE DE GRUISSAN 11100 NARBONNE", "11100", "ESPACE SOLEIL BAT C ROUTE DE GRUISSAN"),
        ("12 RUE X BP 45 45000 ORLEANS CEDEX 2", "45000", "12 RUE X BP 45"),
        ("12 RUE X 45000 ORLEANS", None, "12 RUE X"),  # no postcode given: the first 5-digit word
        ("12 RUE X 45000 ORLEANS 45044 ORLEANS CEDEX 1", None, "12 RUE X"),
        ("12 RUE X 45000 ORLEANS 45044 ORLEANS CEDEX 1", "45000", "12 RUE X"),
        ("7255 AVENUE CHARLES DE GAULLE 72120 SAINT-CALAIS", "72120", "7255 AVENUE CHARLES DE GAULLE"),
        ("45000 ORLEANS", "45000", None),
        ("", "45000", None),
    ],
)
def test_street_from_line(line: str, postcode: str | None, expected: str | None) -> None:
    assert street_from_line(line, postcode) == expected


def test_street_from_line_cuts_a_trailing_city_without_postcode() -> None:
    assert street_from_line("LIEU DIT LA MOTTE BLOIS", None, "BLOIS") == "LIEU DIT LA MOTTE"
    assert street_from_line("BLOIS", None, "BLOIS") is None
