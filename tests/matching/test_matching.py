"""mapping.matching: SIRET, SIREN, then the dedup engine's scoring; the labelled lists; bad files."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from mapping.matching import RESULT_COLUMNS, match_suppliers, siret_status
from mapping.matching.upload import read_list
from mapping.store import load_suppliers

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("matching_quality", ROOT / "scripts" / "matching_quality.py")
quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(quality)


@pytest.fixture(scope="module")
def actors() -> pd.DataFrame:
    return load_suppliers()


def _with_siret(actors: pd.DataFrame, k: int = 0) -> pd.Series:
    return actors[actors["siret"].notna()].iloc[k]


def test_siret_status_reads_luhn_la_poste_siren_and_garbage():
    assert siret_status("356 000 000 00048") == ("35600000000048", "valide")  # La Poste: digit sum rule
    assert siret_status("")[1] == "absent"
    assert siret_status("732 829 320")[1] == "siren"
    assert siret_status("12345678901234")[1] == "invalide"
    assert siret_status("abc")[1] == "invalide"


def test_result_is_aligned_with_the_table_and_has_the_seams_columns(actors):
    one = _with_siret(actors)
    table = pd.DataFrame({"name": ["X", one["name"]], "city": ["", one["city"]]}, index=[10, 20])
    result = match_suppliers(table, actors)
    assert list(result.index) == [10, 20]
    assert list(result.columns) == list(RESULT_COLUMNS)
    assert result["confidence"].between(0, 1).all()


def test_siret_exact_then_siren_then_name(actors):
    one = _with_siret(actors, 3)
    siren_only = one["siret"][:9]
    table = pd.DataFrame(
        {
            "siret": [one["siret"], siren_only, ""],
            "name": ["nom sans rapport", one["name"], one["name"]],
            "postcode": ["", one["postcode"], one["postcode"]],
        }
    )
    result = match_suppliers(table, actors)
    assert result["uid"].tolist() == [one["uid"]] * 3
    assert result["matched_on"].iloc[0] == "siret" and result["confidence"].iloc[0] == 1.0
    assert result["matched_on"].iloc[1] == "siren"
    assert "nom" in result["matched_on"].iloc[2] and result["confidence"].iloc[2] >= 0.5


def test_a_name_not_in_sourcier_is_not_matched(actors):
    table = pd.DataFrame({"name": ["Quincaillerie Zébulon Trifouillis"], "postcode": ["45000"], "city": ["Orléans"]})
    result = match_suppliers(table, actors)
    assert result["uid"].isna().all()
    assert result["matched_on"].iloc[0] == ""


def test_empty_table_and_missing_columns(actors):
    assert len(match_suppliers(pd.DataFrame(), actors)) == 0
    result = match_suppliers(pd.DataFrame({"siret": [None, "", "nonsense"]}), actors)
    assert result["uid"].isna().all()
    assert result["siret_status"].tolist() == ["absent", "absent", "invalide"]


def test_own_labelled_list_precision_and_recall(actors):
    table, truth = quality.own_list(actors, 400)
    scores = quality.scores(match_suppliers(table, actors), truth)
    print(scores)
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.90


def test_public_febrl_set_is_matched_by_learned_weights():
    actors, table, truth = quality.febrl(1)
    scores = quality.scores(match_suppliers(table, actors), truth)
    print(scores)
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.90


def test_bad_file_rows_are_reported_with_their_line_numbers():
    content = (
        "Liste des fournisseurs 2026\n"
        "\n"
        "N° SIRET;Raison sociale;CP;Ville\n"
        "12345678901234;Boulangerie Martin;45000;Orléans\n"
        ";;;\n"
        ";;45000;Orléans\n"
        "356 000 000 00048;La Poste;45000;Orléans\n"
    ).encode("cp1252")
    rows, report = read_list(content, "liste.csv")
    assert report.ok and report.header_line == 3 and report.encoding == "cp1252"
    assert rows["line"].tolist() == [4, 7]
    assert [(w.line, "SIRET invalide" in w.reason) for w in report.warnings] == [(4, True)]
    assert [r.line for r in report.rejected] == [6]


def test_unreadable_files_give_a_french_reason():
    for content, name in ((b"", "a.csv"), (b"\x00\x01\x02", "a.csv"), (b"a;b\n1;2\n", "a.csv"), (b"x", "a.pdf")):
        rows, report = read_list(content, name)
        assert not report.ok and report.fatal and len(rows) == 0


def test_xlsx_list_with_synonym_headers():
    book = Workbook()
    sheet = book.active
    sheet.append(["Fournisseur", "Code postal", "Commune", "SIRET"])
    sheet.append(["Ressourcerie", "28000", "Chartres", '=HYPERLINK("x")'])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, report = read_list(buffer.getvalue(), "liste.xlsx")
    assert report.ok and rows[["name", "postcode", "city"]].iloc[0].tolist() == ["Ressourcerie", "28000", "Chartres"]
    assert report.warnings[0].line == 2


def test_flags_of_a_handwritten_actor_table():
    actors = pd.DataFrame(
        {
            "uid": ["a1", "a2", "a3"],
            "name": ["Atelier Vert Insertion", "ESAT Les Tilleuls", "Scop Bio Centre"],
            "postcode": ["45000", "18000", "37000"],
            "city": ["Orléans", "Bourges", "Tours"],
            "siret": [None, None, None],
            "actor_kinds": [["aci", "association"], ["esat"], ["scop"]],
            "labels": [[], [], ["ab", "c_du_centre"]],
            "purchase_families": [["espaces_verts"], ["conditionnement"], ["restauration_collective"]],
        }
    )
    table = actors[["name", "postcode", "city"]].copy()
    result = match_suppliers(table, actors)
    assert result["uid"].tolist() == ["a1", "a2", "a3"]
    assert result["ess"].tolist() == [True, False, True]
    assert result["siae_kinds"].tolist() == [["aci"], [], []]
    assert result["esat_ea"].tolist() == [False, True, False]
    assert result["scop_scic"].tolist() == [False, False, True]
    assert result["c_du_centre"].tolist() == [False, False, True] and result["ab"].tolist() == [False, False, True]
