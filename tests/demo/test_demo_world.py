"""Tests of the demo world generator and its per-source renderers (mapping.demo)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mapping.demo import codes, identifiers, names, render, world
from mapping.reference import geography, schema

REPO = Path(__file__).resolve().parents[2]
REGION_DEPS = ("18", "28", "36", "37", "41", "45")


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return world.generate(300, seed=7)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    render.render_all(world.generate(600, seed=11), root)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _ground_truth(root: Path) -> list[tuple[str, str]]:
    with (root / "demo" / "ground_truth.csv").open(encoding="utf-8") as f:
        return [(r["source_key"], r["actor_id"]) for r in csv.DictReader(f)]


# ---------------------------------------------------------------- determinism


def test_same_seed_same_world_and_bytes(tmp_path: Path) -> None:
    a = world.generate(300, seed=3)
    b = world.generate(300, seed=3)
    pd.testing.assert_frame_equal(a, b)
    render.render_all(a, tmp_path / "a")
    render.render_all(b, tmp_path / "b")
    files_a, files_b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert files_a.keys() == files_b.keys()
    assert files_a == files_b


def test_different_seed_differs() -> None:
    a = world.generate(300, seed=3)
    b = world.generate(300, seed=4)
    assert not a["name"].equals(b["name"])
    assert set(a["siret"].dropna()) != set(b["siret"].dropna())


# ---------------------------------------------------------------- identifiers


def test_sirets_valid_and_sirens_unique(small: pd.DataFrame) -> None:
    sirets = small["siret"].dropna()
    assert len(sirets) > 0.8 * len(small)
    assert sirets.map(schema.is_valid_siret).all()
    assert small["siret2"].dropna().map(schema.is_valid_siret).all()
    assert small["siren"].dropna().map(schema.is_valid_siren).all()
    assert not small["siren"].dropna().duplicated().any()
    with_siret = small[small["siret"].notna()]
    assert (with_siret["siret"].str[:9] == with_siret["siren"]).all()


def test_some_actors_have_no_siret_and_some_two_establishments() -> None:
    big = world.generate(5000, seed=5)
    assert 0.02 < big["siret"].isna().mean() < 0.2
    second = big[big["siret2"].notna()]
    assert len(second) > 10
    assert (second["siret2"].str[:9] == second["siren"]).all()
    assert (second["siret2"] != second["siret"]).all()


def test_luhn_helpers() -> None:
    rng = np.random.default_rng(0)
    sirens = identifiers.sirens(rng, 1000)
    sirets = identifiers.as_digits(identifiers.sirets(sirens, np.full(1000, 1)), 14)
    assert all(schema.is_valid_siret(s) for s in sirets)
    phones = identifiers.phones(rng, np.array(["45"] * 5 + ["37"] * 5, dtype=object), np.zeros(10, dtype=bool))
    assert all(p.startswith("02 38 ") for p in phones[:5]) and all(p.startswith("02 47 ") for p in phones[5:])
    assert all(len(p) == 14 for p in phones)


def test_names_helpers() -> None:
    assert names.with_de("Tours") == "de Tours"
    assert names.with_de("Orléans") == "d'Orléans"
    assert names.with_de("Le Blanc") == "du Blanc"
    assert names.with_de("Les Montils") == "des Montils"
    assert names.sirene_upper("Rue de l'Église") == "RUE DE L EGLISE"
    assert names.slug("Ressourcerie de Vierzon") == "ressourcerie-vierzon"


# ---------------------------------------------------------------- geography and content


def test_in_region_actors_are_in_region_communes(small: pd.DataFrame) -> None:
    communes = geography.communes().set_index("code_insee")
    inside = small[small["in_region"]]
    assert inside["code_insee"].map(communes["departement"]).isin(REGION_DEPS).all()
    assert (inside["departement"].isin(REGION_DEPS)).all()
    outside = small[~small["in_region"]]
    assert not outside["departement"].isin(REGION_DEPS).any()
    assert small["lon"].between(-1, 4).all() and small["lat"].between(46, 49.5).all()


def test_population_weighting() -> None:
    big = world.generate(5000, seed=9)
    counts = big["city"].value_counts()
    tiny = geography.communes().query("region == '24'").sort_values("population").iloc[0]["nom"]
    assert counts.get("Orléans", 0) > 50 and counts.get("Tours", 0) > 50
    assert counts.get("Orléans", 0) > 10 * counts.get(tiny, 0)
    assert 0.005 < (~big["in_region"]).mean() < 0.04


def test_codes_and_kinds_are_taxonomy_literals(small: pd.DataFrame) -> None:
    for column, known in (
        ("actor_kinds", codes.ACTOR_KINDS),
        ("purchase_families", codes.PURCHASE_FAMILIES),
        ("waste_types", codes.WASTE_TYPES),
        ("product_types", codes.PRODUCT_TYPES),
        ("labels", codes.LABELS),
    ):
        assert small[column].map(lambda v, known=known: isinstance(v, list) and set(v) <= set(known)).all()
    assert (small["actor_kinds"].map(lambda v: v[0]) == small["kind"]).all()
    siae = small[small["est_siae"]]
    assert siae["type_siae"].notna().all()
    assert small.loc[small["kind"] == "producteur", "product_types"].map(len).gt(0).all()
    assert set(world.SOURCES) == {c.removeprefix("src_") for c in small.columns if c.startswith("src_")}


def test_fifty_thousand_actors_are_distinct() -> None:
    big = world.generate(50_000, seed=1)  # timings: benchmarks/bench_build.py
    assert len(big) == 50_000 and big["actor_id"].is_unique
    assert big["siret"].dropna().is_unique


# ---------------------------------------------------------------- native formats


def test_recherche_entreprises_pages(rendered: Path) -> None:
    folder = rendered / "snapshots" / "recherche_entreprises"
    pages = sorted(folder.glob("*-*/page-*.json"))
    assert pages
    queries = {p.parent.name.split("-")[0] for p in pages}
    assert queries == {"ess", "siae", "scop", "dechets"}
    for page in pages:
        payload = json.loads(page.read_bytes())
        assert list(payload) == ["results", "total_results", "page", "per_page", "total_pages"]
        assert payload["per_page"] == 25 and len(payload["results"]) <= 25
        assert payload["total_pages"] == -(-payload["total_results"] // 25)
        assert payload["page"] == int(page.stem.split("-")[1])
        dep = page.parent.name.split("-")[1]
        for result in payload["results"]:
            assert result["nom_complet"] == result["nom_complet"].upper()
            for etab in [result["siege"], *result["matching_etablissements"]]:
                assert schema.is_valid_siret(etab["siret"])
                assert etab["latitude"] is None or isinstance(etab["latitude"], str)
                assert etab["longitude"] is None or isinstance(etab["longitude"], str)
            # matching establishments carry no ``departement`` (OpenAPI ``etablissement``): their commune says it
            assert all(e["commune"][:2] == dep for e in result["matching_etablissements"])
            assert "departement" not in result["matching_etablissements"][0] and "ancien_siege" not in result["siege"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["demo"] is True and manifest["source"] == "recherche_entreprises"
    assert manifest["files"] == len(pages)


def test_carteco_elements(rendered: Path) -> None:
    payload = json.loads((rendered / "snapshots" / "carteco" / "elements.json").read_bytes())
    assert payload["ontology"] == "gogofull"
    elements = payload["data"]
    assert elements and all(isinstance(e["id"], str) for e in elements)
    assert len({e["id"] for e in elements}) == len(elements)
    for e in elements:
        assert isinstance(e["geo"]["latitude"], float) and isinstance(e["geo"]["longitude"], float)
        assert e["address"]["addressCountry"] == "FR" and e["categories"]
    assert any(e["siret"] for e in elements) and any(not e["siret"] for e in elements)


def test_ground_truth_covers_exactly_the_records(rendered: Path) -> None:
    truth = _ground_truth(rendered)
    assert truth == sorted(truth) and len({k for k, _ in truth}) == len(truth)
    expected: set[str] = set()
    for page in (rendered / "snapshots" / "recherche_entreprises").glob("*/page-*.json"):
        for result in json.loads(page.read_bytes())["results"]:
            expected |= {f"recherche_entreprises:{e['siret']}" for e in result["matching_etablissements"]}
    elements = json.loads((rendered / "snapshots" / "carteco" / "elements.json").read_bytes())["data"]
    expected |= {f"carteco:{e['id']}" for e in elements}
    assert {k for k, _ in truth if k.split(":")[0] in ("recherche_entreprises", "carteco")} == expected
    by_source: dict[str, set[str]] = {}
    for key, actor in truth:
        by_source.setdefault(key.split(":")[0], set()).add(actor)
    assert by_source["carteco"] & by_source["recherche_entreprises"], "no actor in both sources"
    assert by_source["carteco"] - by_source["recherche_entreprises"], "no carteco-only actor"


def test_committed_demo_files() -> None:
    truth = REPO / "data" / "demo" / "ground_truth.csv"
    if not truth.exists():
        pytest.skip("demo data not generated")
    rows = _ground_truth(REPO / "data")
    actors = {a for _, a in rows}
    assert len(actors) >= 3000
    for source in ("recherche_entreprises", "carteco"):
        manifest = json.loads((REPO / "data" / "snapshots" / source / "manifest.json").read_text("utf-8"))
        assert manifest["demo"] is True
        assert manifest["records"] == sum(k.startswith(f"{source}:") for k, _ in rows)


@pytest.mark.parametrize("source", ["ademe_lvao", "sinoe", "georisques"])
def test_waste_sources_ground_truth_is_what_the_connector_keeps(rendered: Path, source: str) -> None:
    import connectors
    from connectors.base import read_snapshot

    connector = connectors.get(source)
    records = connector.normalize(connector.parse(read_snapshot(source, root=rendered / "snapshots")))
    truth = {k.split(":", 1)[1] for k, _ in _ground_truth(rendered) if k.startswith(f"{source}:")}
    assert truth and set(records["source_id"]) == truth  # closed or non-waste ICPE are not in it


def test_national_world_spreads_over_france() -> None:
    """``scope="france"``: metropolitan communes by population, real postcodes, zone phone prefixes."""
    w = world.generate(3000, seed=5, scope="france")
    assert w.attrs["scope"] == "france"
    assert w["departement"].nunique() > 60
    assert not w["departement"].str.startswith("97").any()
    assert (w["region"] == "11").mean() > 0.1  # Île-de-France: about 18 % of the population
    communes = geography.communes().set_index("code_insee")
    pairs = zip(w["code_insee"], w["postcode"], strict=True)
    assert all(p in communes.at[c, "codes_postaux"].split("|") for c, p in pairs)
    assert (w["in_region"] == (w["region"] == geography.region_code())).all()
    fixed = w["phone"].dropna()
    fixed = fixed[~fixed.str.match(r"^0[67]")]
    paris = fixed[w.loc[fixed.index, "departement"] == "75"]
    assert paris.str.startswith("01 ").all() and len(paris)
    south_west = fixed[w.loc[fixed.index, "departement"] == "33"]
    assert south_west.str.startswith("05 ").all() and len(south_west)
    outside = ~w["in_region"]
    assert not w.loc[outside, "labels"].map(lambda ls: "c_du_centre" in ls).any()
    assert w.loc[outside, "src_cress"].any()  # every region has its own CRESS
    assert "75056" not in set(w["code_insee"])  # Paris counts as its arrondissements
    pd.testing.assert_frame_equal(w, world.generate(3000, seed=5, scope="france"))
    with pytest.raises(ValueError):
        world.generate(10, scope="moon")
