"""What actors do with waste and objects (``circular_actions``) and whom they receive (``audiences``), read
from each source's own fields: ADEME LVAO actions and ``public_accueilli``, SINOE ``ORIGINE_DECHET_ACC``,
Géorisques rubriques, CARTECO categories, NAF codes, the AGIRE partner file's provider type."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from connectors import vocab
from connectors.ademe_lvao import AdemeLvaoConnector, actions_of, vocabulary_codes
from connectors.base import SnapshotFile, read_snapshot
from connectors.carteco import map_categories
from connectors.georisques import GeorisquesConnector
from connectors.recherche_entreprises import circular_actions_for_naf
from connectors.sinoe import SinoeConnector, split_codes
from mapping.reference import schema, taxonomy
from mapping.reference.text import fold
from tests.connectors.conftest import FIXTURES

MAPPINGS = Path(vocab.MAPPINGS_DIR)
#: The ADEME actions as the issue defines them (the actions with no circular meaning are left out).
LVAO_ACTIONS = {
    "reparer": "reparation",
    "donner": "reemploi",
    "echanger": "reemploi",
    "acheter": "vente_seconde_main",
    "revendre": "vente_seconde_main",
    "louer": "location",
    "mettreenlocation": "location",
    "trier": "tri",
}


def _expected_audiences(text: object) -> set[str]:
    """Whom a free-text « public » names, read word by word (independent of the mapping file)."""
    folded = fold(str(text or ""))
    words = (("particuliers", "particulier"), ("professionnels", "professionnel"))
    return {code for code, word in words if word in folded}


def test_new_columns_are_code_lists_of_records_and_actors() -> None:
    for column in ("circular_actions", "audiences"):
        assert column in schema.CODE_LIST_COLUMNS and column in schema.LIST_COLUMNS
        assert column in schema.COLUMNS and column in schema.RECORD_COLUMNS
        assert column in taxonomy.TAXONOMIES and column in vocab.CODE_COLUMNS


def test_lvao_actions_and_public_come_from_the_payload() -> None:
    connector = AdemeLvaoConnector()
    raw = list(connector.parse(read_snapshot("ademe_lvao", root=FIXTURES)))
    records = connector.normalize(raw).set_index("source_id")
    assert len(raw) == len(records)
    said = 0
    for row in raw:
        record = records.loc[row["identifiant"]]
        wanted = {LVAO_ACTIONS[a] for a in actions_of(row) if a in LVAO_ACTIONS}
        assert wanted <= set(record["circular_actions"]), row["identifiant"]
        assert set(record["audiences"]) == _expected_audiences(row.get("public_accueilli")), row["identifiant"]
        said += bool(record["audiences"])
    assert said, "the fixture says whom some actors receive"


@pytest.mark.parametrize(
    ("public", "audiences"),
    [
        ("Particuliers", ["particuliers"]),
        ("Professionnels", ["professionnels"]),
        ("Particuliers et professionnels", ["particuliers", "professionnels"]),
        (None, []),
        ("", []),
    ],
)
def test_lvao_public_accueilli(public: str | None, audiences: list[str]) -> None:
    codes = vocabulary_codes({"public_accueilli": public, "louer": "velo", "mettreenlocation": "outil"})
    assert codes["audiences"] == audiences
    assert set(codes["circular_actions"]) == {"location"}


def test_lvao_unknown_public_never_crashes_and_is_counted() -> None:
    unknown: Counter[str] = Counter()
    codes = vocabulary_codes({"public_accueilli": "Associations", "reparer": "velo"}, unknown)
    assert codes["audiences"] == [] and codes["circular_actions"] == ["reparation"]
    assert unknown == {"public_accueilli:Associations": 1}


def test_sinoe_every_site_collects_and_sorts_and_origin_says_the_public() -> None:
    connector = SinoeConnector()
    raw = list(connector.parse(read_snapshot("sinoe", root=FIXTURES)))
    records = connector.normalize(raw).set_index("source_id")
    pros = 0
    for site in raw:
        record = records.loc[str(site["site"]["C_SERVICE"])]
        assert set(record["circular_actions"]) == {"collecte", "tri"}
        origins = set(split_codes(site["site"].get("ORIGINE_DECHET_ACC")))
        wanted = {"particuliers"} if "DMA" in origins else set()
        wanted |= {"professionnels"} if "DAE" in origins else set()
        assert set(record["audiences"]) == wanted
        pros += "professionnels" in record["audiences"]
    assert pros, "the fixture holds déchèteries open to professionals"


def test_sinoe_site_without_origin_says_nothing() -> None:
    page = {"total": 1, "results": [{"ANNEE": 2024, "C_SERVICE": 5, "N_SERVICE": "D", "C_DEPT": "45"}]}
    files = [SnapshotFile("decheteries/page-start.json", json.dumps(page).encode())]
    connector = SinoeConnector()
    record = connector.normalize(connector.parse(files)).iloc[0]
    assert record["audiences"] == [] and set(record["circular_actions"]) == {"collecte", "tri"}


@pytest.mark.parametrize(
    ("rubrique", "actions"),
    [
        ("2710", {"collecte", "tri"}),
        ("2711", {"tri"}),
        ("2713", {"tri"}),
        ("2714", {"tri"}),
        ("2716", {"tri"}),
        ("2780", {"traitement_valorisation"}),
        ("2781", {"traitement_valorisation"}),
        ("2790", {"traitement_valorisation"}),
        ("2791", {"traitement_valorisation"}),
    ],
)
def test_georisques_rubriques(rubrique: str, actions: set[str]) -> None:
    item = {
        "codeAIOT": "0001",
        "raisonSociale": "Installation",
        "etatActivite": "En fonctionnement",
        "rubriques": [{"numeroRubrique": rubrique, "alinea": None}],
    }
    record = GeorisquesConnector().normalize([item]).iloc[0]
    assert set(record["circular_actions"]) == actions
    assert record["audiences"] == []  # an installation's rubriques do not say whom it receives


def test_carteco_categories_say_what_they_name() -> None:
    assert set(map_categories(["Réparation"])["circular_actions"]) == {"reparation"}
    assert set(map_categories(["Collecte et tri des déchets"])["circular_actions"]) == {"collecte", "tri"}
    assert set(map_categories(["Compostage"])["circular_actions"]) == {"traitement_valorisation"}
    assert map_categories(["Agriculture et alimentation durables", "Catégorie inconnue"])["circular_actions"] == []


@pytest.mark.parametrize(
    ("naf", "actions"),
    [
        ("38.11Z", ["collecte"]),
        ("38.21Z", ["traitement_valorisation"]),
        ("38.22Z", ["traitement_valorisation"]),
        ("95.22Z", ["reparation"]),
        ("47.79Z", ["vente_seconde_main"]),
        ("77.21Z", ["location"]),
        ("81.21Z", []),
        (None, []),
    ],
)
def test_naf_codes(naf: str | None, actions: list[str]) -> None:
    assert circular_actions_for_naf(naf) == actions


def test_naf_38_32z_is_sorting() -> None:
    assert "tri" in circular_actions_for_naf("38.32Z")


def test_every_mapping_file_uses_known_codes() -> None:
    """``circular_actions`` and ``audiences`` of every mapping and partner file are taxonomy codes."""
    known = {column: set(taxonomy.codes(column)) for column in ("circular_actions", "audiences")}
    files = [*MAPPINGS.glob("*.json"), *(MAPPINGS.parent / "partner_files").glob("*.json")]
    seen = Counter()

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in known:
                    assert set(value) <= known[key], f"{where}/{key}"
                    seen[key] += 1
                else:
                    walk(value, f"{where}/{key}")

    for path in files:
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    assert seen["circular_actions"] >= 20 and seen["audiences"] >= 3
