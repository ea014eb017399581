"""Tests of mapping.reference.taxonomy: code lists, mappings to NAF/CPV/EWC/ADEME/legal forms, integrity."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mapping.reference import taxonomy, taxonomy_check

REF = taxonomy.DATA_DIR

#: The codes fixed by docs/ARCHITECTURE.md (others store them in the data: never rename/remove).
CONTRACT_CODES = {
    "actor_kinds": "association fondation mutuelle scop scic cae ei aci ai etti eiti geiq esat ea esus "
    "entreprise producteur decheterie icpe",
    "purchase_families": "restauration_collective traiteur nettoyage espaces_verts btp_gros_oeuvre "
    "btp_second_oeuvre dechets informatique_reconditionnement impression mobilier textile blanchisserie "
    "transport_logistique demenagement formation evenementiel prestations_administratives "
    "conditionnement entretien_vehicules energie services_personne reemploi_reparation "
    "fournitures_bureau communication",
    "waste_types": "deee piles_batteries biodechets dechets_verts bois inertes platre amiante metaux "
    "papiers_cartons plastiques verre textiles mobilier pneus vhu dechets_dangereux huiles_alimentaires "
    "huiles_minerales cartouches dasri dib_melange emballages photovoltaique encombrants",
    "product_types": "legumes fruits produits_laitiers fromages viandes volailles oeufs charcuterie "
    "cereales_farines pain_viennoiserie legumineuses epicerie boissons vins miel poissons plats_cuisines "
    "huiles",
    "labels": "ab c_du_centre label_rouge hve aop_crottin_chavignol aop_sainte_maure aop_selles_sur_cher "
    "aop_valencay aop_pouligny_saint_pierre aop_vins igp_lentille_verte_berry igp_volailles_berry "
    "igp_volailles_orleanais qualirepar reparacteur rge esus qualiopi rfar entreprise_mission",
    "circular_actions": "collecte tri traitement_valorisation reemploi reparation vente_seconde_main location",
    "audiences": "professionnels particuliers",
}


def _csv_column(name: str, column: str) -> set[str]:
    with (REF / name).open(encoding="utf-8", newline="") as fh:
        return {row[column] for row in csv.DictReader(fh)}


# ------------------------------------------------------------------ code lists


@pytest.mark.parametrize("name", taxonomy.TAXONOMIES)
def test_contract_codes_are_all_present(name: str) -> None:
    assert set(CONTRACT_CODES[name].split()) <= set(taxonomy.codes(name))


@pytest.mark.parametrize(
    ("name", "minimum"),
    [("purchase_families", 20), ("waste_types", 20), ("product_types", 10), ("labels", 20)],
)
def test_counts(name: str, minimum: int) -> None:
    assert len(taxonomy.codes(name)) >= minimum


def test_all_19_actor_kinds() -> None:
    assert len(taxonomy.codes("actor_kinds")) == 19


@pytest.mark.parametrize("name", taxonomy.TAXONOMIES)
def test_labels_are_french_and_not_codes(name: str) -> None:
    for entry in taxonomy.entries(name):
        assert entry["label"] != entry["code"]
        assert entry["label"][0].isupper() or entry["label"][0].isdigit()


def test_label_and_labels_for() -> None:
    assert taxonomy.label("waste_types", "platre") == "Plâtre"
    assert taxonomy.label("waste_types", "nope") == "nope"
    assert taxonomy.labels_for("actor_kinds", ["ea", "nope"]) == ["Entreprise adaptée (EA)", "nope"]


def test_entries_returns_a_copy() -> None:
    taxonomy.entries("labels")[0]["label"] = "changed"
    assert taxonomy.entries("labels")[0]["label"] != "changed"


def test_unknown_taxonomy_raises() -> None:
    with pytest.raises(taxonomy.TaxonomyError, match="unknown taxonomy"):
        taxonomy.codes("colours")


def test_aop_igp_labels_name_the_regional_products() -> None:
    text = " ".join(e["label"] + " " + e.get("scope", "") for e in taxonomy.entries("labels"))
    for product in (
        "Crottin de Chavignol",
        "Sainte-Maure de Touraine",
        "Selles-sur-Cher",
        "Valençay",
        "Pouligny-Saint-Pierre",
        "Lentille verte du Berry",
        "Volailles du Berry",
        "Volailles de l'Orléanais",
    ):
        assert product in text
    assert {e["kind"] for e in taxonomy.entries("labels")} <= set(taxonomy.LABEL_KINDS)


# ------------------------------------------------------------------ mappings


@pytest.mark.parametrize(
    ("naf", "family"),
    [
        ("81.21Z", "nettoyage"),
        ("8121Z", "nettoyage"),
        ("81.21", "nettoyage"),
        ("81.30Z", "espaces_verts"),
        ("56.29A", "restauration_collective"),
        ("56.21Z", "traiteur"),
        ("38.11Z", "dechets"),
        ("95.11Z", "reemploi_reparation"),
        ("95.11Z", "informatique_reconditionnement"),
        ("96.01B", "blanchisserie"),
        ("49.42Z", "demenagement"),
        ("82.92Z", "conditionnement"),
    ],
)
def test_families_for_naf(naf: str, family: str) -> None:
    assert family in taxonomy.families_for_naf(naf)


def test_families_for_naf_unknown_or_short() -> None:
    assert taxonomy.families_for_naf("64.19Z") == []
    assert taxonomy.families_for_naf("81") == []
    assert taxonomy.families_for_naf(None) == []


@pytest.mark.parametrize(
    ("cpv", "family"),
    [
        ("90910000", "nettoyage"),
        ("90910000-9", "nettoyage"),
        ("90911200-8", "nettoyage"),
        ("77310000-6", "espaces_verts"),
        ("55524000-9", "restauration_collective"),
        ("15811100-7", "restauration_collective"),
        ("90511000-2", "dechets"),
        ("98392000-7", "demenagement"),
        ("79952000-2", "evenementiel"),
        ("98310000-9", "blanchisserie"),
    ],
)
def test_families_for_cpv(cpv: str, family: str) -> None:
    assert family in taxonomy.families_for_cpv(cpv)


def test_families_for_cpv_does_not_widen() -> None:
    # The cleaning-and-sanitation group (909) is covered; the whole environment division (90) is not.
    assert taxonomy.families_for_cpv("90000000-7") == []
    assert taxonomy.families_for_cpv("") == []


@pytest.mark.parametrize(
    ("code", "waste_type"),
    [
        ("20 01 08", "biodechets"),
        ("200108", "biodechets"),
        ("20 02 01", "dechets_verts"),
        ("17 06 05*", "amiante"),
        ("170605", "amiante"),
        ("16 01 03", "pneus"),
        ("20 01 21*", "deee"),
        ("20 01 25", "huiles_alimentaires"),
        ("18 01 03*", "dasri"),
    ],
)
def test_waste_types_for_ewc(code: str, waste_type: str) -> None:
    assert waste_type in taxonomy.waste_types_for_ewc(code)


def test_waste_types_for_ewc_unknown() -> None:
    assert taxonomy.waste_types_for_ewc("01 01 01") == []
    assert taxonomy.waste_types_for_ewc("20 01") == []


@pytest.mark.parametrize(
    ("sous_categorie", "waste_type"),
    [
        ("dechets_verts", "dechets_verts"),
        ("biodechets", "biodechets"),
        ("pneu", "pneus"),
        ("materiel_informatique", "deee"),
        ("panneaux_photovoltaiques", "photovoltaique"),
    ],
)
def test_waste_types_for_ademe(sous_categorie: str, waste_type: str) -> None:
    assert waste_type in taxonomy.waste_types_for_ademe(sous_categorie)


def test_hazardous_streams() -> None:
    hazardous = {e["code"] for e in taxonomy.entries("waste_types") if e.get("hazardous")}
    assert {"amiante", "dechets_dangereux", "dasri", "huiles_minerales"} <= hazardous


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("9220", "association"),
        ("9230", "association"),
        ("9222", "ai"),
        ("9300", "fondation"),
        ("8210", "mutuelle"),
        ("5458", "scop"),
        ("5558", "scop"),
        ("5658", "scop"),
        ("6533", "producteur"),
        ("6598", "producteur"),
        ("6317", "producteur"),
        ("5710", "entreprise"),
        ("5499", "entreprise"),
        ("1000", "entreprise"),
        (5710, "entreprise"),
    ],
)
def test_kinds_for_legal_form(code: str, kind: str) -> None:
    assert kind in taxonomy.kinds_for_legal_form(code)


def test_legal_forms_without_kind() -> None:
    assert taxonomy.kinds_for_legal_form("7210") == []  # commune
    assert taxonomy.legal_form_group("7210") == "public"
    assert taxonomy.kinds_for_legal_form("5460") == []  # other cooperative: ESS, no specific kind
    assert taxonomy.legal_form_group("5460") == "ess"
    assert taxonomy.kinds_for_legal_form("") == []
    assert taxonomy.kinds_for_legal_form("abcd") == []


def test_every_insee_legal_form_has_a_rule() -> None:
    for code in _csv_column("legal_forms.csv", "code"):
        assert taxonomy.legal_form_rule(code) is not None, code


def test_legal_form_and_naf_labels() -> None:
    assert taxonomy.legal_form_label("9220") == "Association déclarée"
    assert taxonomy.legal_form_label("5458") == "SARL coopérative de production (SCOP)"
    assert taxonomy.legal_form_label("0001") == "0001"
    assert taxonomy.naf_label("8121Z") == "Nettoyage courant des bâtiments"
    assert taxonomy.naf_label("81.21Z") == "Nettoyage courant des bâtiments"
    assert taxonomy.naf_label("99.99Z") == "99.99Z"


# ------------------------------------------------------------------ reserved contracts


@pytest.mark.parametrize(
    ("kind", "article"),
    [
        ("esat", "L2113-12"),
        ("ea", "L2113-12"),
        ("aci", "L2113-13"),
        ("geiq", "L2113-13"),
        ("scop", "L2113-15"),
    ],
)
def test_reserved_contracts(kind: str, article: str) -> None:
    assert taxonomy.reserved_contracts([kind]) == [article]


def test_reserved_contracts_sorted_unique() -> None:
    kinds = ["scop", "esat", "ea", "aci", "association", "nope"]
    assert taxonomy.reserved_contracts(kinds) == ["L2113-12", "L2113-13", "L2113-15"]
    assert taxonomy.reserved_contracts(["entreprise"]) == []


def test_reserved_contract_labels() -> None:
    assert taxonomy.reserved_contract_label("L2113-12") == "Marchés réservés aux ESAT et EA (art. L2113-12 CCP)"
    for article in ("L2113-13", "L2113-15"):
        assert article in taxonomy.reserved_contract_label(article)


def test_is_siae() -> None:
    expected = {"ei", "aci", "ai", "etti", "eiti", "geiq"}
    assert expected == taxonomy.SIAE_KINDS
    assert taxonomy.is_siae(["association", "aci"])
    assert not taxonomy.is_siae(["esat", "ea", "scop"])
    assert not taxonomy.is_siae([])


# ------------------------------------------------------------------ referential integrity


def test_every_naf_exists() -> None:
    known = _csv_column("naf.csv", "code")
    for entry in taxonomy.entries("purchase_families"):
        assert entry["naf"], entry["code"]
        for naf in entry["naf"]:
            assert re.fullmatch(r"\d{2}\.\d{2}[A-Z]", naf) and naf in known, (entry["code"], naf)


def test_every_cpv_prefix_is_2_to_8_digits() -> None:
    for entry in taxonomy.entries("purchase_families"):
        assert entry["cpv"], entry["code"]
        for prefix in entry["cpv"]:
            assert re.fullmatch(r"\d{2,8}", prefix), (entry["code"], prefix)


def test_every_ewc_exists_with_its_hazard_marker() -> None:
    known = _csv_column("ewc.csv", "code")
    for entry in taxonomy.entries("waste_types"):
        for code in entry["ewc"]:
            assert code in known, (entry["code"], code)


def test_every_ademe_code_exists() -> None:
    known = _csv_column("ademe_sous_categories.csv", "sous_categorie_code")
    for entry in taxonomy.entries("waste_types"):
        for code in entry["ademe"]:
            assert code in known, (entry["code"], code)


def test_actor_kinds_groups_and_articles() -> None:
    articles = set(taxonomy.codes("reserved_contracts"))
    for entry in taxonomy.entries("actor_kinds"):
        assert entry["group"] in taxonomy.ACTOR_GROUPS
        assert set(entry["reserved_contracts"]) <= articles


# ------------------------------------------------------------------ check()


def test_check_passes_on_committed_files() -> None:
    assert taxonomy_check.check() == []


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    """A writable copy of data/reference (tables + taxonomy files, without geo/)."""
    (tmp_path / "taxonomy").mkdir()
    for path in REF.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    for path in (REF / "taxonomy").glob("*.json"):
        shutil.copy(path, tmp_path / "taxonomy" / path.name)
    return tmp_path


def _edit(path: Path, change: Callable[[list], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_check_finds_duplicate_code(reference_copy: Path) -> None:
    path = reference_copy / "taxonomy" / "waste_types.json"
    _edit(path, lambda data: data.append(dict(data[0])))
    problems = taxonomy_check.check(reference_copy)
    assert any("duplicate code 'deee'" in p for p in problems), problems


def test_check_finds_missing_label_and_bad_references(reference_copy: Path) -> None:
    def damage(data: list) -> None:
        del data[0]["label"]
        data[1]["naf"].append("99.99Z")
        data[1]["cpv"].append("9")

    _edit(reference_copy / "taxonomy" / "purchase_families.json", damage)
    _edit(reference_copy / "taxonomy" / "waste_types.json", lambda d: d[0]["ewc"].append("20 01 21"))
    problems = taxonomy_check.check(reference_copy)
    text = "\n".join(problems)
    assert "missing label" in text
    assert "unknown NAF code '99.99Z'" in text
    assert "CPV prefix '9'" in text
    assert "unknown EWC code '20 01 21'" in text  # hazardous code written without its asterisk


def test_check_finds_unknown_kind_in_legal_form_rules(reference_copy: Path) -> None:
    _edit(reference_copy / "taxonomy" / "legal_form_kinds.json", lambda d: d[0]["kinds"].append("cooperative"))
    assert any("unknown actor kind 'cooperative'" in p for p in taxonomy_check.check(reference_copy))


def test_loading_a_malformed_file_raises(reference_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(reference_copy / "taxonomy" / "labels.json", lambda data: data.append(dict(data[0])))
    monkeypatch.setattr(taxonomy, "DATA_DIR", reference_copy)
    taxonomy.clear_caches()
    try:
        with pytest.raises(taxonomy.TaxonomyError, match="duplicate code 'ab'"):
            taxonomy.codes("labels")
    finally:
        monkeypatch.undo()
        taxonomy.clear_caches()
