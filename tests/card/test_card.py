"""The supplier card model: built from a real actor of the build, safe links, escaped Markdown."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

import connectors
from mapping import card, store
from mapping.build import records as source_records
from mapping.build.pipeline import build
from mapping.reference import taxonomy

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x","y")',
    "Recyclerie ${(window.parent.__pwned=1)}",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "suppliers.parquet"
    build(output=out)
    return store.read_suppliers(out), source_records.read_source_records(source_records.records_path(out))


@pytest.fixture
def row(actors_factory):
    return actors_factory(3).iloc[1].to_dict()  # ESAT profile


def test_card_of_a_real_actor_with_several_sources(built):
    actors, records = built
    multi = actors[actors["sources"].map(len) >= 2]
    actor = multi[multi["siret"].notna()].iloc[0]
    status = {"demo": True, "built_at": "2026-12-01T10:00:00+00:00", "sources": {}}
    for name in actor["sources"]:
        status["sources"][name] = {"title": connectors.REGISTRY[name].TITLE, "fetched_at": "2026-11-22", "demo": True}
    c = card.build_card(actor, records.for_uid(actor["uid"]), distance_km=2.34, status=status)
    assert c.uid == actor["uid"] and c.name == actor["name"]
    assert c.siret == actor["siret"] and c.siren == actor["siret"][:9]
    assert c.annuaire.url == f"https://annuaire-entreprises.data.gouv.fr/etablissement/{actor['siret']}"
    assert len(c.sources) == len(actor["source_keys"]) >= 2
    assert {s.title for s in c.sources} == {connectors.REGISTRY[n].TITLE for n in actor["sources"]}
    assert all(s.name and s.address for s in c.sources)
    assert any(s.link is not None for s in c.sources)
    assert c.merge_explanation and "↔" in c.merge_explanation
    assert c.distance == "2,3 km"
    assert c.lat == pytest.approx(actor.geometry.y) and c.lon == pytest.approx(actor.geometry.x)
    assert c.kinds == tuple(taxonomy.labels_for("actor_kinds", actor["actor_kinds"]))
    assert c.demo and any("22/11/2026" in f for f in c.freshness)
    assert any("01/12/2026" in f for f in c.freshness)
    text = card.card_markdown(c)
    assert card.L_SOURCES in text and card.L_MERGE in text


def test_other_names_used_by_the_sources(built):
    actors, records = built
    for _, actor in actors[actors["sources"].map(len) >= 2].iterrows():
        c = card.build_card(actor, records.for_uid(actor["uid"]))
        if c.other_names:
            assert actor["name"] not in c.other_names
            assert set(c.other_names) <= {s.name for s in c.sources}
            return
    pytest.fail("no multi-source actor whose sources spell its name differently")


@pytest.mark.parametrize(
    ("kinds", "articles"),
    [
        (["esat"], ["L2113-12"]),
        (["ea", "entreprise"], ["L2113-12"]),
        (["aci"], ["L2113-13"]),
        (["scop"], ["L2113-15"]),
        (["ei", "esus"], ["L2113-13", "L2113-15"]),
        (["entreprise"], []),
    ],
)
def test_reserved_contracts_in_plain_sentences(row, kinds, articles):
    c = card.build_card({**row, "actor_kinds": kinds})
    assert [r.article for r in c.reserved] == articles
    for r in c.reserved:
        assert r.article in r.sentence and r.sentence == card.RESERVED_SENTENCES[r.article]
    text = card.card_markdown(c)
    assert (card.escape_markdown(card.NO_RESERVED) in text) == (not articles)
    assert "handicap" in card.RESERVED_SENTENCES["L2113-12"]
    assert "insertion" in card.RESERVED_SENTENCES["L2113-13"]
    assert "sociale et solidaire" in card.RESERVED_SENTENCES["L2113-15"]


def test_links_are_safe(row):
    c = card.build_card(row)
    assert c.website.url.startswith("https://") and c.email.url.startswith("mailto:")
    assert c.phone.url == "tel:+33238000000"
    hostile = {
        **row,
        "website": "javascript:alert(1)",
        "email": "a@b.fr<script>alert(1)</script>",
        "phone": "javascript:alert(1)",
    }
    c = card.build_card(hostile)
    assert c.website is None and c.email is None and c.phone is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example",
        "http://user:pass@evil.example",
        'https://x.fr/"onmouseover="alert(1)',
        "https://x.fr/<script>",
        "http://",
        "",
        None,
        42,
    ],
)
def test_unsafe_urls_are_rejected(url):
    assert card.safe_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://exemple.fr/page", "https://exemple.fr/page"),
        ("http://exemple.fr", "http://exemple.fr"),
        ("www.exemple.fr", "https://www.exemple.fr"),
        ("https://fr.wikipedia.org/wiki/A_(b)", "https://fr.wikipedia.org/wiki/A_%28b%29"),
        ("mailto:contact@exemple.fr", "mailto:contact@exemple.fr"),
        ("tel:+33238000000", "tel:+33238000000"),
    ],
)
def test_safe_urls_are_kept(url, expected):
    assert card.safe_url(url) == expected


def test_hostile_names_are_text_in_the_card(row):
    for name in HOSTILE:
        c = card.build_card({**row, "name": name, "description": name})
        assert c.name == name  # plain data: the page escapes it
        text = card.card_markdown(c)
        assert "<img" not in text and "<" not in text.replace("&lt;", "")
        assert "${" not in text  # no LaTeX / template start
        assert "[" not in text.split("\n")[0].replace("\\[", "")  # the title holds no link syntax
    assert card.escape_markdown(HOSTILE[0]) == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert card.escape_markdown(":red[alerte]") == "\\:red\\[alerte\\]"


def test_precision_distance_and_missing_values(row):
    c = card.build_card({**row, "geo_precision": "municipality", "distance_km": 0.42})
    assert c.precision == card.PRECISION_TEXTS["municipality"]
    assert c.distance == "420 m"
    assert card.format_distance(14.6) == "15 km"
    empty = card.build_card({"uid": "a1", "name": None, "geometry": None})
    assert empty.name == card.NONE_TEXT and empty.lat is None and empty.reserved == ()
    assert empty.precision == card.PRECISION_TEXTS[None] and empty.annuaire is None
    assert card.card_markdown(empty)
    siren_only = card.build_card({**row, "siret": None, "siren": "356000000"})
    assert siren_only.annuaire.url.endswith("/entreprise/356000000")


def test_missing_records_are_said(row):
    c = card.build_card({**row, "geometry": Point(1.9, 47.9)}, records_available=False)
    assert card.escape_markdown(card.NO_RECORDS) in card.card_markdown(c)


def test_merge_reasons_name_the_records(built):
    actors, records = built
    actor = actors[actors["sources"].map(len) >= 2].iloc[0]
    found = records.for_uid(actor["uid"])
    c = card.build_card(actor, found)
    assert len(c.merge_reasons) == actor["merge_explanation"].count(" ↔ ")
    assert all(" et " in r and " : " in r for r in c.merge_reasons)
    assert not any(r.source + ":" + r.source_id in " ".join(c.merge_reasons) for r in found)
    assert card.merge_reasons("texte libre") == ("texte libre",)
    assert card.merge_reasons(None) == ()
