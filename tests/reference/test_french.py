"""French prepositions before place names (mapping.reference.french)."""

import pytest

from mapping.reference.french import in_departement, of_place


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Le Blanc", "du Blanc"),
        ("Le Blanc (36)", "du Blanc (36)"),
        ("Les Montils", "des Montils"),
        ("Orléans", "d'Orléans"),
        ("Orléans (45)", "d'Orléans (45)"),
        ("Issoudun", "d'Issoudun"),
        ("La Ferté-Imbault", "de La Ferté-Imbault"),
        ("L'Île-Bouchard", "de L'Île-Bouchard"),
        ("Tours", "de Tours"),
        ("Lycée Pothier (Orléans)", "du lycée Pothier (Orléans)"),
        ("Yzeures-sur-Creuse", "d'Yzeures-sur-Creuse"),
        ("Houdan", "de Houdan"),
        ("Hérault", "d'Hérault"),
        ("Lembron", "de Lembron"),
        ("Lesparre", "de Lesparre"),
    ],
)
def test_of_place(name, expected):
    assert of_place(name) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("18", "dans le Cher (18)"),
        ("28", "en Eure-et-Loir (28)"),
        ("36", "dans l'Indre (36)"),
        ("37", "en Indre-et-Loire (37)"),
        ("41", "en Loir-et-Cher (41)"),
        ("45", "dans le Loiret (45)"),
        ("29", "dans le Finistère (29)"),
        ("88", "dans les Vosges (88)"),
        ("2A", "en Corse-du-Sud (2A)"),
    ],
)
def test_in_departement(code, expected):
    assert in_departement(code) == expected


def test_every_french_departement_has_a_phrase():
    from mapping.reference import geography

    codes = set(geography.departement_names())
    missing = [code for code in codes if in_departement(code).startswith("dans le département")]
    assert missing == []


def test_unknown_departement_is_said_plainly():
    assert in_departement("99", "Ailleurs") == "dans le département Ailleurs (99)"
