"""URL parameters of the search and map pages (mapping.screens.links)."""

from mapping.screens import links
from mapping.screens.links import SearchState, parse, to_params


def test_round_trip_keeps_every_criterion():
    state = SearchState(
        lieu="Lycée Pothier (Orléans)",
        rayon=35,
        texte="recyclerie",
        facets={"purchase_families": ["nettoyage", "espaces_verts"], "labels": ["ab", "c_du_centre"]},
        labels_all=True,
        fournisseur="abc123",
    )
    params = to_params(state)
    assert params == {
        "lieu": "Lycée Pothier (Orléans)",
        "rayon": "35",
        "texte": "recyclerie",
        "familles": "nettoyage,espaces_verts",
        "labels": "ab,c_du_centre",
        "tous_labels": "1",
        "fournisseur": "abc123",
    }
    again, messages = parse(params)
    assert again == state and messages == []


def test_defaults_are_left_out():
    assert to_params(SearchState()) == {}
    assert to_params(SearchState(lieu="Tours")) == {"lieu": "Tours"}  # 20 km is the default radius


def test_bad_parameters_are_dropped_with_french_messages():
    state, messages = parse(
        {"lieu": "Tours", "rayon": "mille", "familles": "nettoyage,inconnue", "couleur": "bleu", "sources": "carteco"}
    )
    assert state.lieu == "Tours" and state.rayon == links.DEFAULT_RADIUS_KM
    assert state.facets == {"purchase_families": ["nettoyage"], "sources": ["carteco"]}
    assert len(messages) == 3
    assert any("couleur" in m and "inconnu" in m for m in messages)
    assert any("inconnue" in m and "familles" in m for m in messages)
    assert any("mille" in m for m in messages)


def test_radius_out_of_range_and_lists_of_values():
    state, messages = parse({"rayon": ["10", "500"], "types": ["aci", "esat,ea"]})
    assert state.rayon == links.DEFAULT_RADIUS_KM and len(messages) == 1
    assert state.facets == {"actor_kinds": ["aci", "esat", "ea"]}


def test_hostile_values_are_kept_as_text_not_interpreted():
    hostile = "<img src=x onerror=alert(1)>"
    state, messages = parse({"texte": hostile, "lieu": '=HYPERLINK("x")'})
    assert state.texte == hostile and messages == []
    assert links.query_string(to_params(state)).startswith("?lieu=%3DHYPERLINK")


def test_map_page_accepts_only_its_parameters():
    state, messages = parse({"sources": "cress", "types": "scop", "lieu": "Tours"}, allowed=links.MAP_PARAMS)
    assert state.facets == {"sources": ["cress"], "actor_kinds": ["scop"]} and state.lieu == ""
    assert len(messages) == 1
    assert to_params(state, allowed=links.MAP_PARAMS) == {"types": "scop", "sources": "cress"}
