"""Deduplication: normalisation, never-merge rules, near-linear blocking, survivorship, the seam."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from mapping.dedup import deduplicate, link, normalise
from mapping.dedup.block import PASSES, candidate_pairs
from mapping.dedup.compare import prepare
from mapping.demo.records import source_records
from mapping.demo.world import generate
from mapping.reference import schema

SIRET_A = "13002526500013"  # SIREN 130025265
SIRET_B = "44306184100047"  # SIREN 443061841
SIRET_A2 = "13002526500021"  # second establishment of SIREN 130025265


def rec(source: str, source_id: str, name: str, **fields: object) -> dict:
    return {"source": source, "source_id": source_id, "name": name, **fields}


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    df = pd.DataFrame(rows)
    if "geometry" not in df:
        df["geometry"] = None
    return gpd.GeoDataFrame(df, geometry="geometry", crs=schema.CRS_WGS84)


def rows_of(actors: gpd.GeoDataFrame) -> list[set[str]]:
    return [set(keys) for keys in actors["source_keys"]]


def test_test_sirets_are_valid():
    assert all(schema.is_valid_siret(s) for s in (SIRET_A, SIRET_B, SIRET_A2))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("ESAT Les Ateliers du Cher", "E.S.A.T. ATELIERS DU CHER"),
        ("Ressourcerie de Châteauroux", "RESSOURCERIE DE CHATEAUROUX"),
        ("SARL Menuiserie Dupré", "Menuiserie Dupré SARL"),
        ("Association La Clé de Saint-Amand", "LA CLE DE ST AMAND (ASSOCIATION)"),
        ("SCOP Bâti'Val", "Bati Val SCOP SA"),
    ],
)
def test_accent_legal_form_and_abbreviation_variants_normalise_alike(left, right):
    assert normalise.name_key(left) == normalise.name_key(right.replace("(", "").replace(")", ""))


def test_acronyms_and_initials():
    assert normalise.acronym_key("LBSSA") == "LBSSA"
    assert normalise.acronym_key("La Boutique") == ""
    assert normalise.initials_key("La Boutique Solidaire de Saint-Avertin") == "LBSSA"


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("REPAIR CAFE DE MONTOIRE-SUR-LE-LOIR", "RCML"),  # inner article skipped
        ("LA RESSOURCERIE DE LA BRENNE", "LRB"),  # leading article kept, inner ones skipped
        ("LES AMIS DE LA NATURE D ISSOUDUN", "LANI"),
        ("Énergie Citoyenne du Val de Loire", "ECVL"),  # articles counted
        ("SCOP Menuiserie Charpente du Rivage", "SMCR"),  # with the legal-form word
        ("SCOP Menuiserie Charpente du Rivage", "MCR"),  # without it
    ],
)
def test_initials_variants_cover_the_usual_acronyms(name, acronym):
    assert acronym in normalise.name_parts(name)[2].split()


def test_parenthesised_parts_are_not_part_of_the_name_key():
    # SIRENE's « (SIGLE) » suffix and « (siège) » don't change who the actor is
    assert normalise.name_key("ECO BEAUCE SOLUTIONS (ECO'BEAUCE)") == normalise.name_key("Éco'Beauce Solutions")
    assert normalise.name_key("(APF)") == "APF"  # nothing else left: the parenthesised part stays


def test_name_fields_match_the_scalar_functions():
    names = pd.Series(["E.S.A.T. Les Ateliers du Cher (APF)", "Œuvre Châteauroux", "LBSSA", None, "SARL"])
    fields = normalise.name_fields(names)
    assert fields["name"].tolist() == [normalise.name_key(v) for v in names]
    assert fields["acronym"].tolist() == [normalise.acronym_key(v) for v in names]
    assert fields["name"].tolist()[:2] == ["ESAT ATELIERS CHER", "OEUVRE CHATEAUROUX"]


def test_contacts_normalise():
    phones = normalise.phones(pd.Series(["02 38 12 34 56", "+33 2 38 12 34 56", "02.38.12.34.56", "12", None]))
    assert phones.tolist() == ["0238123456"] * 3 + ["", ""]
    domains = normalise.domains(
        pd.Series(["https://www.tri-val.fr/", "tri-val.fr", None]), pd.Series([None, None, "jean@orange.fr"])
    )
    assert domains.tolist() == ["tri-val.fr", "tri-val.fr", ""]
    assert normalise.sirets(pd.Series([SIRET_A, "130 025 265 00013", "13002526500014", None])).tolist() == [
        SIRET_A,
        SIRET_A,
        "",
        "",
    ]


def test_variants_of_one_structure_are_merged_with_an_explanation():
    p = Point(2.3978, 47.0810)
    q = Point(2.3983, 47.0812)  # ~40 m away
    actors = deduplicate(
        frame(
            [
                rec(
                    "recherche_entreprises",
                    SIRET_A,
                    "ESAT LES ATELIERS DU CHER",
                    siret=SIRET_A,
                    address="12 AV JEAN JAURES",
                    postcode="18000",
                    city="BOURGES",
                    code_insee="18033",
                    geometry=p,
                    geo_precision="source",
                ),
                rec(
                    "carteco",
                    "c1",
                    "E.S.A.T. Ateliers du Cher (APF)",
                    address="12 avenue Jean Jaurès",
                    postcode="18000",
                    city="Bourges",
                    code_insee="18033",
                    geometry=q,
                    geo_precision="source",
                    phone="02 48 12 34 56",
                ),
                rec("cress", "k9", "Esat les ateliers du Cher", siret=SIRET_A, phone="0248123456"),
            ]
        )
    )
    assert len(actors) == 1
    assert set(actors.loc[0, "source_keys"]) == {f"recherche_entreprises:{SIRET_A}", "carteco:c1", "cress:k9"}
    why = actors.loc[0, "merge_explanation"]
    assert "même SIRET" in why and "carteco:c1" in why


def test_different_sirens_are_never_merged_even_with_identical_names_and_addresses():
    p = Point(1.9092, 47.9029)
    rows = [
        rec(
            "a",
            "1",
            "Ressourcerie du Loiret",
            siret=SIRET_A,
            address="1 rue X",
            code_insee="45234",
            geometry=p,
            geo_precision="source",
            phone="0238000000",
        ),
        rec(
            "b",
            "2",
            "Ressourcerie du Loiret",
            siret=SIRET_B,
            address="1 rue X",
            code_insee="45234",
            geometry=p,
            geo_precision="source",
            phone="0238000000",
        ),
    ]
    assert len(deduplicate(frame(rows))) == 2


def test_a_cluster_never_chains_two_sirens_through_a_third_record():
    p = Point(1.9092, 47.9029)
    common = {
        "address": "1 rue X",
        "code_insee": "45234",
        "geometry": p,
        "geo_precision": "source",
        "phone": "0238000000",
    }
    rows = [
        rec("a", "1", "Ressourcerie du Loiret", siret=SIRET_A, **common),
        rec("b", "2", "Ressourcerie du Loiret", **common),  # no SIRET: matches both
        rec("c", "3", "Ressourcerie du Loiret", siret=SIRET_B, **common),
    ]
    actors = deduplicate(frame(rows))
    assert len(actors) == 2
    for keys in rows_of(actors):
        assert not {"a:1", "c:3"} <= keys
    _, _, stats = link(frame(rows))
    assert stats.refused_pairs >= 1


def test_two_establishments_of_one_siren_are_two_actors_even_under_one_name():
    # an actor is an establishment (a place a buyer deals with): a network's establishments under
    # one SIREN stay apart, two different SIRETs are never one actor
    rows = [
        rec(
            "recherche_entreprises",
            SIRET_A,
            "EPICERIE SOCIALE DU VAL",
            siret=SIRET_A,
            code_insee="45234",
            address="15 QUAI JAURES",
        ),
        rec(
            "recherche_entreprises",
            SIRET_A2,
            "EPICERIE SOCIALE DU VAL",
            siret=SIRET_A2,
            code_insee="45234",
            address="1 RUE DES ECOLES",
        ),
    ]
    assert len(deduplicate(frame(rows))) == 2


def test_same_name_in_one_commune_but_far_apart_without_identifiers_stays_apart():
    rows = [
        rec(
            "carteco",
            "1",
            "Déchèterie de Tours",
            code_insee="37261",
            address="ZA des Portes",
            geometry=Point(0.6500, 47.3900),
            geo_precision="source",
        ),
        rec(
            "sinoe",
            "2",
            "DECHETERIE DE TOURS",
            code_insee="37261",
            address="RUE DU MOULIN",
            geometry=Point(0.7200, 47.4300),
            geo_precision="source",
        ),
    ]
    assert len(deduplicate(frame(rows))) == 2


def test_a_common_name_in_one_commune_does_not_merge_on_name_and_commune_alone():
    # two « Recyclerie de Tours » listed by one source: the name no longer identifies an actor
    rows = [
        rec("carteco", "1", "Recyclerie de Tours", code_insee="37261", website="https://recycleries.fr"),
        rec("carteco", "2", "Recyclerie de Tours", code_insee="37261", website="https://recycleries.fr"),
        rec("cress", "3", "RECYCLERIE DE TOURS", code_insee="37261", website="recycleries.fr"),
    ]
    actors = deduplicate(frame(rows))
    assert len(actors) == 3
    _, pairs, _ = link(frame(rows))
    assert pairs["ambiguous"].all()
    assert (pairs["domain"] == 0).all()  # a website two records of one source share identifies nobody


@pytest.mark.parametrize("number", ["", "12 "])
def test_a_namesake_goes_to_the_one_on_its_street_and_namesakes_of_one_source_stay_apart(number):
    # carteco lists two « Déchèterie de Tours »: sinoe's one shares the first one's street (with or
    # without a house number), not the second one's. (The hand-set engine kept it apart when no
    # house number was known; the learned model weighs the shared street, the commune and the
    # name, and takes the namesake on that street.)
    rows = [
        rec("carteco", "1", "Déchèterie de Tours", code_insee="37261", address=f"{number}ZA des Portes"),
        rec("carteco", "2", "Déchèterie de Tours", code_insee="37261", address="Rue du Moulin"),
        rec("sinoe", "3", "DECHETERIE DE TOURS", code_insee="37261", address=f"{number}ZA DES PORTES"),
    ]
    actors = deduplicate(frame(rows))
    assert rows_of(actors) == [{"carteco:1", "sinoe:3"}, {"carteco:2"}]


def test_survivorship_takes_each_field_from_its_trusted_source_and_unions_lists():
    rows = [
        rec(
            "carteco",
            "c1",
            "Tri'Val",
            siret=SIRET_A,
            phone="02 38 00 00 01",
            website="https://trival.fr",
            actor_kinds=["association"],
            labels=[],
            circular_actions=["reemploi", "reparation"],
            audiences=["particuliers"],
            geometry=Point(1.0, 47.0),
            geo_precision="source",
        ),
        rec(
            "recherche_entreprises",
            SIRET_A,
            "TRI VAL",
            siret=SIRET_A,
            phone="02 38 00 00 99",
            actor_kinds=["esus"],
            labels=["esus"],
            circular_actions=["reparation", "vente_seconde_main"],
            geometry=Point(1.0001, 47.0001),
            geo_precision="source",
        ),
    ]
    actor = deduplicate(frame(rows)).iloc[0]
    assert actor["name"] == "TRI VAL"  # recherche_entreprises first for names
    assert actor["phone"] == "02 38 00 00 01"  # carteco before recherche_entreprises for phones
    assert actor["website"] == "https://trival.fr"
    assert actor["geometry"].x == pytest.approx(1.0001)
    assert actor["actor_kinds"] == ["association", "esus"]
    assert sorted(actor["circular_actions"]) == ["reemploi", "reparation", "vente_seconde_main"]
    assert actor["audiences"] == ["particuliers"]  # one source says it, the other is silent
    assert actor["sources"] == ["carteco", "recherche_entreprises"]


def test_minimal_input_and_canonical_output():
    actors = deduplicate(
        pd.DataFrame({"source": ["x", "x", "y"], "source_id": ["1", "2", "1"], "name": ["A", "B", "A"]})
    )
    assert list(actors.columns[: len(schema.COLUMNS)]) == list(schema.COLUMNS)
    keys = actors["source_keys"].explode()
    assert sorted(keys) == ["x:1", "x:2", "y:1"]
    assert keys.is_unique


def test_demo_records_every_key_in_exactly_one_row_and_schema_valid():
    from mapping.build.locate import locate

    records, truth = source_records(generate(400, seed=3), seed=4)
    actors = deduplicate(locate(records))
    keys = actors["source_keys"].explode()
    assert keys.is_unique and set(keys) == set(truth.index)
    schema.validate(actors[actors.geometry.notna()], columns=schema.COLUMNS)


def test_blocking_pairs_grow_about_linearly():
    counts = []
    for n_actors in (1000, 4000):
        records, _ = source_records(generate(n_actors, seed=5), seed=6)
        i, _, _ = candidate_pairs(prepare(records))
        counts.append(len(i) / len(records))
        # sorted neighbourhood: never more than sum(windows) pairs per record, whatever the size
        assert len(i) <= len(records) * sum(p.window for p in PASSES)
    # 4x the records: pairs per record grow far less than 4x (what all-pairs in blocks would give)
    assert counts[1] < 2.0 * counts[0]
