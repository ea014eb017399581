"""The learned deduplication model, step by step, on small handwritten cases: block, compare
(levels), estimate (u from random pairs, m by EM), score (weights, term frequencies, SIRET rules),
cluster (cannot-link), and the seam on French cases and records with missing fields."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from mapping.dedup import deduplicate, keys, link, normalise
from mapping.dedup.block import candidate_pairs
from mapping.dedup.cluster import constrained_clusters
from mapping.dedup.compare import COMPARISONS, compare, prepare
from mapping.dedup.estimate import LAMBDA_PRIOR, Model, estimate_u, expectation_maximisation, random_pairs
from mapping.dedup.levels import levels
from mapping.dedup.score import score, term_frequencies, tf_adjustment
from mapping.reference import schema

SIRET_A = "13002526500013"
SIRET_A2 = "13002526500021"  # same SIREN as SIRET_A, another establishment
SIRET_B = "44306184100047"
LEVEL = {c.name: k for k, c in enumerate(COMPARISONS)}


def rec(source: str, source_id: str, name: str, **fields: object) -> dict:
    return {"source": source, "source_id": source_id, "name": name, **fields}


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    df = pd.DataFrame(rows)
    if "geometry" not in df:
        df["geometry"] = None
    return gpd.GeoDataFrame(df, geometry="geometry", crs=schema.CRS_WGS84)


def keys_of(actors: gpd.GeoDataFrame) -> list[set[str]]:
    return sorted((set(k) for k in actors["source_keys"]), key=lambda s: sorted(s))


def gammas_of(rows: list[dict]) -> tuple[pd.DataFrame, np.ndarray]:
    """Levels of every pair of ``rows`` (all pairs: the inputs are tiny)."""
    prepared = prepare(frame(rows))
    i, j = np.triu_indices(len(rows), k=1)
    pairs = compare(prepared, i.astype(np.int64), j.astype(np.int64))
    return pairs, levels(pairs)


# --------------------------------------------------------------------------- normalise


def test_postcodes_cities_and_streets_normalise_cedex_lieu_dit_and_foreign_forms():
    codes = keys.postcodes(pd.Series(["45 000", "45041 CEDEX 1", "B-1000", None, 37100]))
    assert codes.tolist() == ["45000", "45041", "B1000", "", "37100"]
    assert keys.city_key("Orléans Cedex 2") == "ORLEANS"
    assert keys.city_key("St-Jean-de-Braye") == keys.city_key("SAINT JEAN DE BRAYE")
    assert keys.street_key(normalise.address_key("Lieu-dit Les Quatre Vents")) == "QUATRE VENTS"
    assert keys.street_key(normalise.address_key("LD LES QUATRE-VENTS")) == "QUATRE VENTS"
    assert keys.street_key(normalise.address_key("12 bis av. Jean Jaurès")) == "AVENUE JEAN JAURES"


def test_core_name_drops_the_commune_and_phonetic_key_forgives_spelling_and_order():
    assert keys.core_name("DECHETERIE SAINT JEAN BRAYE", "SAINT JEAN BRAYE") == "DECHETERIE"
    assert keys.core_name("TOURS", "TOURS") == "TOURS"  # nothing else left: the name itself
    assert keys.phonetic_key("PHILIPPE DUPONT") == keys.phonetic_key("DUPOND FILIPE")


# --------------------------------------------------------------------------- block


@pytest.mark.parametrize(
    "other",
    [
        {"postcode": "36000", "city": "Châteauroux"},  # no INSEE code on this side
        {"city": "CHATEAUROUX"},  # a city only
        {"postcode": "36000"},  # a postcode only
        {"postcode": "36001", "city": "Chateauroux"},  # a misspelt postcode
        {"postcode": "63000", "city": "Chateauoux"},  # postcode and city both wrong: the name blocks
    ],
)
def test_blocking_finds_a_duplicate_whatever_location_fields_it_has(other):
    rows = [
        rec("sirene", "1", "RESSOURCERIE DE L INDRE", code_insee="36044", postcode="36000", city="CHATEAUROUX"),
        rec("buyer", "2", "La Ressourcerie de l'Indre", **other),
        rec("sirene", "3", "BOULANGERIE MARTIN", code_insee="36044", postcode="36000", city="CHATEAUROUX"),
    ]
    i, j, _ = candidate_pairs(prepare(frame(rows)))
    assert (0, 1) in set(zip(i.tolist(), j.tolist(), strict=True))


def test_blocking_finds_a_misspelt_name_through_the_street_and_a_foreign_postcode():
    rows = [
        rec("a", "1", "Ressourcerie Bruxelloise", address="Rue Haute 12", postcode="B-1000", city="Bruxelles"),
        rec("b", "2", "RESSOURCERIE BRUXELOISE", postcode="B1000", city="BRUXELLES"),
        rec("c", "3", "Atelier Vélo", address="12 rue Haute", postcode="75001", city="Paris"),
    ]
    i, j, _ = candidate_pairs(prepare(frame(rows)))
    assert (0, 1) in set(zip(i.tolist(), j.tolist(), strict=True))


# --------------------------------------------------------------------------- compare (levels)


def test_levels_of_french_name_variants():
    rows = [
        rec("sirene", "1", "ASSOCIATION INTERMEDIAIRE DU PAYS DE LOCHES", city="LOCHES"),
        rec("carteco", "2", "AIPL", city="Loches"),
        rec("sinoe", "3", "DECHETERIE DE SAINT-JEAN-DE-BRAYE", city="SAINT JEAN DE BRAYE"),
        rec("carteco", "4", "Déchèterie", city="St-Jean-de-Braye"),
        rec("sirene", "5", "GAEC DES QUATRE VENTS", address="LIEU DIT LES QUATRE VENTS", city="MOREE"),
        rec("carteco", "6", "Ferme des Quatre Vents", address="Lieu-dit Les Quatre Vents", city="Morée"),
        rec("cress", "7", "ASSOC. LE RELAIS DE DREUX", city="DREUX"),
        rec("carteco", "8", "Le Relais Dreux", city="Dreux"),
    ]
    pairs, g = gammas_of(rows)
    level = {(a, b): g[k] for k, (a, b) in enumerate(zip(pairs["i"], pairs["j"], strict=True))}
    name = LEVEL["name"]
    assert level[(0, 1)][name] == 4  # « sigle du nom »
    assert level[(2, 3)][name] == 2  # « nom identique sans le nom de la commune »
    assert level[(4, 5)][name] == 5  # « nom inclus dans l'autre » (usage name vs GAEC)
    assert level[(4, 5)][LEVEL["address"]] == 0  # the same lieu-dit is the same address
    assert level[(6, 7)][name] == 0  # legal-form word and articles dropped: identical
    assert level[(0, 2)][name] == 7  # different organisations


def test_missing_fields_give_no_level_and_location_facts_count_once():
    rows = [
        rec("a", "1", "Tri Val", postcode="45000", city="Orléans", phone="0238000000"),
        rec("b", "2", "TRIVAL", postcode="45000", city="ORLEANS"),
        rec("c", "3", "Tri Val", city="Tours", geometry=Point(0.69, 47.39), geo_precision="source"),
    ]
    _, g = gammas_of(rows)
    first = g[0]
    assert first[LEVEL["name"]] == 0  # « TRI VAL » and « TRIVAL » are equal without spaces
    assert first[LEVEL["postcode"]] == 0
    assert first[LEVEL["city"]] == -1  # same postcode: the city is the same fact
    for column in ("address", "distance", "siren", "phone", "domain", "email"):
        assert first[LEVEL[column]] == -1
    second = g[1]  # records 1 and 3: different cities, one postcode missing
    assert second[LEVEL["city"]] == 2 and second[LEVEL["postcode"]] == -1


# --------------------------------------------------------------------------- estimate


def _simulated(n_pairs: int, share: float, m: list[np.ndarray], u: list[np.ndarray], seed: int = 1):
    rng = np.random.default_rng(seed)
    match = rng.random(n_pairs) < share
    g = np.empty((n_pairs, len(m)), dtype=np.int8)
    for k, (mk, uk) in enumerate(zip(m, u, strict=True)):
        g[match, k] = rng.choice(len(mk), size=int(match.sum()), p=mk)
        g[~match, k] = rng.choice(len(uk), size=int((~match).sum()), p=uk)
    return g, match


def test_em_recovers_the_m_probabilities_and_the_share_of_matches():
    comps = COMPARISONS[:3]  # name, address, distance
    true_m = [np.array([0.6, 0.02, 0.05, 0.2, 0.02, 0.05, 0.04, 0.02]), np.array([0.7, 0.1, 0.02, 0.1, 0.05, 0.03])]
    true_m.append(np.array([0.7, 0.2, 0.05, 0.03, 0.02]))
    true_u = [np.array([0.01, 0.01, 0.01, 0.02, 0.005, 0.02, 0.1, 0.825]), np.array([0.01, 0.02, 0.05, 0.02, 0.1, 0.8])]
    true_u.append(np.array([0.01, 0.02, 0.07, 0.2, 0.7]))
    g, match = _simulated(40_000, 0.2, true_m, true_u)
    model = expectation_maximisation(g, np.zeros(len(g), dtype=np.int8), [u.copy() for u in true_u], comps)
    assert model.prior == pytest.approx(match.mean(), abs=0.02)
    for learned, truth in zip(model.m, true_m, strict=True):
        assert learned[0] == pytest.approx(truth[0], abs=0.03)
    assert model.weights()[0][0] > 5 > 0 > model.weights()[0][-1]


def test_u_comes_from_random_pairs_and_small_inputs_fall_back_to_the_priors():
    i, j = random_pairs(5)
    assert len(i) == 10 and (i < j).all()  # every pair of a tiny input
    i, j = random_pairs(100_000, size=1000, seed=3)
    assert len(i) == 1000 and (i < j).all() and (j < 100_000).all()
    # three random pairs say little: u stays near the declared prior
    g = np.full((3, len(COMPARISONS)), -1, dtype=np.int8)
    g[:, 0] = 0  # the three pairs have equal names
    u = estimate_u(g)
    prior = COMPARISONS[0].u_prior[0]
    assert u[0][0] < 0.05 and u[0][0] > prior
    # no candidate pair at all: m is the prior, λ its prior
    empty = expectation_maximisation(np.empty((0, len(COMPARISONS)), dtype=np.int8), np.empty(0, np.int8), u)
    assert np.allclose(empty.m[0], COMPARISONS[0].m_prior)


def test_known_pairs_keep_their_class_during_em():
    g = np.zeros((50, len(COMPARISONS)), dtype=np.int8)  # fifty pairs alike in everything
    u = estimate_u(np.full((1000, len(COMPARISONS)), 1, dtype=np.int8))
    known = np.full(50, -1, dtype=np.int8)  # all of them different SIRETs
    model = expectation_maximisation(g, known, u)
    assert model.prior < LAMBDA_PRIOR[0]  # only non-matches: λ falls below its prior
    assert np.allclose(model.m[0], COMPARISONS[0].m_prior)  # and no pair taught m anything


def test_level_weights_are_monotone_along_their_chains():
    g = np.zeros((30, len(COMPARISONS)), dtype=np.int8)
    g[:, 0] = 3  # only « nom très proche » among candidates: EM would make it outweigh identical names
    model = expectation_maximisation(g, np.ones(30, dtype=np.int8), estimate_u(np.full((500, len(COMPARISONS)), 7)))
    w = model.weights()[0]
    assert w[0] >= w[3] >= w[6] >= w[7]


# --------------------------------------------------------------------------- score


def _fitted(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, Model]:
    prepared, pairs, stats = link(frame(rows))
    assert stats.model is not None
    return prepared, pairs, stats.model


def test_siret_rules_override_the_model():
    rows = [
        rec("a", "1", "Ressourcerie du Loiret", siret=SIRET_A, postcode="45000"),
        rec("b", "2", "Tout autre nom", siret=SIRET_A, postcode="18000"),
        rec("c", "3", "Ressourcerie du Loiret", siret=SIRET_B, postcode="45000"),
    ]
    _, pairs, model = _fitted(rows)
    g = np.column_stack([pairs[f"g_{c.name}"] for c in COMPARISONS]).astype(np.int8)
    s = score(g, model, pairs["siret"].to_numpy(), pairs["siren"].to_numpy())
    by_pair = dict(zip(zip(pairs["i"], pairs["j"], strict=True), s.tolist(), strict=True))
    assert by_pair[(0, 1)] == np.inf
    assert by_pair[(0, 2)] == -np.inf


def test_a_rare_name_weighs_more_than_a_common_one():
    rows = [rec("x", str(k), "Déchèterie", city=f"Ville{k}") for k in range(40)]
    rows += [rec("y", "1", "Déchèterie", city="Ville0"), rec("x", "r", "Ressourcerie Kerlouan", city="Brest")]
    rows += [rec("y", "2", "RESSOURCERIE KERLOUAN", city="Brest")]
    prepared, pairs, model = _fitted(rows)
    tf = {c: term_frequencies(prepared, c) for c in ("name", "core", "address")}
    g = np.column_stack([pairs[f"g_{c.name}"] for c in COMPARISONS]).astype(np.int8)
    bits = tf_adjustment(g, model, tf, pairs["i"].to_numpy(), pairs["j"].to_numpy())
    keys = prepared["key"].to_numpy()
    named = {(keys[a], keys[b]): x for a, b, x in zip(pairs["i"], pairs["j"], bits, strict=True)}
    assert named[("x:r", "y:2")] > named[("x:0", "y:1")]


# --------------------------------------------------------------------------- cluster


def test_clusters_never_join_two_sirets_even_through_a_third_record():
    sirets = np.array([SIRET_A, "", SIRET_B, ""], dtype=object)
    sirens = np.array([s[:9] for s in sirets], dtype=object)
    i, j = np.array([0, 1, 2]), np.array([1, 2, 3])
    labels, accepted = constrained_clusters(4, i, j, np.array([9.0, 8.0, 7.0]), sirens, sirets)
    assert labels[0] == labels[1] != labels[2] == labels[3]
    assert accepted.tolist() == [True, False, True]


def test_two_establishments_of_one_siren_never_share_a_cluster():
    sirets = np.array([SIRET_A, SIRET_A2], dtype=object)
    labels, _ = constrained_clusters(2, np.array([0]), np.array([1]), np.array([50.0]), np.array(["", ""]), sirets)
    assert labels[0] != labels[1]


# --------------------------------------------------------------------------- the seam


def test_a_network_establishment_without_siret_joins_the_one_in_its_town():
    rows = [
        rec(
            "sirene", "1", "EMMAUS TOURAINE", siret=SIRET_A, address="25 RUE DU PLESSIS", postcode="37000", city="TOURS"
        ),
        rec(
            "sirene",
            "2",
            "EMMAUS TOURAINE",
            siret=SIRET_A2,
            address="10 RUE DE LA GITONNIERE",
            postcode="37300",
            city="JOUE LES TOURS",
        ),
        rec(
            "carteco",
            "3",
            "Emmaüs Touraine",
            address="10 rue de la Gitonnière",
            postcode="37300",
            city="Joué-lès-Tours",
        ),
    ]
    actors = deduplicate(frame(rows))
    assert keys_of(actors) == [{"carteco:3", "sirene:2"}, {"sirene:1"}]


def test_several_organisations_at_one_address_stay_apart():
    common = {"address": "46 ter rue Sainte-Catherine", "postcode": "45000", "city": "Orléans"}
    rows = [
        rec("carteco", "1", "Repair Café Orléans", **common),
        rec("carteco", "2", "SEL de l'Orléanais", **common),
        rec("carteco", "3", "Les Amis de la Terre du Loiret", **common),
        rec("partner", "4", "REPAIR CAFE D'ORLEANS", address="46 TER RUE SAINTE CATHERINE", postcode="45041"),
    ]
    actors = deduplicate(frame(rows))
    assert keys_of(actors) == [{"carteco:1", "partner:4"}, {"carteco:2"}, {"carteco:3"}]


def test_a_twenty_row_buyer_list_deduplicates_with_names_and_postcodes_only():
    names = [
        "Ressourcerie de l'Indre",
        "Menuiserie Dupré",
        "Atelier Vélo Solidaire",
        "Jardins de Cocagne",
        "Épicerie Solidaire du Berry",
        "Recyclerie Saint-Amand",
        "Boutique Emmaüs",
        "Tri'Val Insertion",
        "Envie Centre",
        "La Fabrique à Vélos",
        "Compost Collectif",
        "Repair Café Bourges",
        "Maison du Vélo",
        "Ateliers du Bocage",
        "Le Relais Centre",
        "Biocoop des Halles",
        "AMAP du Cher",
    ]
    postcodes = [f"{18000 + 10 * k}" for k in range(len(names))]
    rows = [rec("liste", str(k), n, postcode=p) for k, (n, p) in enumerate(zip(names, postcodes, strict=True))]
    rows += [
        rec("liste", "d1", "RESSOURCERIE DE L INDRE", postcode="18000"),
        rec("liste", "d2", "Menuiserie Dupre SARL", postcode="18010"),
        rec("liste", "d3", "Recyclerie St-Amand", postcode="18050"),
    ]
    actors = deduplicate(frame(rows))
    assert len(actors) == len(names)
    groups = [k for k in keys_of(actors) if len(k) > 1]
    assert groups == [{"liste:0", "liste:d1"}, {"liste:1", "liste:d2"}, {"liste:5", "liste:d3"}]


def test_merge_explanations_give_the_learned_weights_in_french():
    rows = [
        rec("carteco", "1", "Ressourcerie de l'Indre", address="ZI du Buxerioux", postcode="36000", city="Châteauroux"),
        rec("cress", "2", "RESSOURCERIE DE L INDRE", address="ZONE INDUSTRIELLE DU BUXERIOUX", postcode="36000"),
        rec("carteco", "3", "Boulangerie Martin", address="3 rue Grande", postcode="36000", city="Châteauroux"),
    ]
    actors = deduplicate(frame(rows))
    why = actors.loc[actors["source_keys"].map(len) == 2, "merge_explanation"].iloc[0]
    assert "carteco:1 ↔ cress:2" in why
    assert "nom identique (+" in why and "probabilité" in why and "score +" in why
