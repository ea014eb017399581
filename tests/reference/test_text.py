"""The one text-folding function (mapping.reference.text)."""

import unicodedata

import pytest

from mapping.reference.text import fold, strip_accents


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("L’Œuvre  Saint-Éloi", "l oeuvre saint eloi"),
        ("Cœur de Loire", "coeur de loire"),
        ("ÆSOP", "aesop"),
        ("Aujourd'hui", "aujourd hui"),
        ("Mézières-en-Brenne", "mezieres en brenne"),
        ("  RECYCLERIE\u00a0DU   BERRY ", "recyclerie du berry"),
        ("Straße", "strasse"),
        ("Île–Bouchard", "ile bouchard"),  # en dash
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_of_non_strings_is_empty():
    assert fold(None) == fold(12) == fold(float("nan")) == ""


def test_fold_is_idempotent():
    for text in ("L’Œuvre Saint-Éloi", "Châteauroux", "Saint-Benoît-du-Sault"):
        assert fold(fold(text)) == fold(text)


def test_strip_accents_keeps_case_and_punctuation():
    assert strip_accents("Biodéchets Œuvre-à l’EHPAD") == "Biodechets OEuvre-a l’EHPAD"
    assert strip_accents("plain ascii") == "plain ascii"


def test_strip_accents_matches_the_unicodedata_filter():
    for name in ("Châteauroux", "Saint-Benoît-du-Sault", "Mézières-en-Brenne", "L'Île-Bouchard", "Bléré"):
        expected = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
        assert strip_accents(name) == expected
