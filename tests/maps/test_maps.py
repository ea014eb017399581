"""mapping.maps.builder (folium map: escaping, vendored assets, data) and mapping.screens.tables."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from mapping.maps import texts as map_texts
from mapping.maps.builder import build_map, escape_series, escape_text
from mapping.screens import tables, texts

ROOT = Path(__file__).resolve().parents[2]
XSS = "<img src=x onerror=alert(1)>${window.__pwned=1}`</script><script>alert(2)</script>\\"
CDN_MARKERS = ("cdn.", "jsdelivr", "code.jquery", "cdnjs", "unpkg", "netdna", "bootstrapcdn", "d3js.org")


def render(m) -> str:
    return m.get_root().render()


def cluster_data(page: str) -> list[list]:
    """The marker rows of a rendered map (one compact list per actor)."""
    match = re.search(r"var data = (\[.*?\]);\n", page, re.DOTALL)
    assert match, "no marker data in the page"
    return json.loads(match.group(1))


def map_points(page: str) -> list[dict]:
    """The actors of a rendered map, decoded from the compact rows and their tables (``maps.marker_rows``)."""
    tables = json.loads(re.search(r"var T = (\{.*?\}), COLORS = ", page).group(1))

    def names(combos: str, labels: str, i: int) -> list[str]:
        return [tables[labels][j] for j in tables[combos][i]]

    points = []
    for r in cluster_data(page):
        website = f"https://www.{tables['D'][r[9]]}" if isinstance(r[9], int) else r[9]
        points.append(
            {
                "lat": (tables["y0"] + r[0]) / 1e5,
                "lon": (tables["x0"] + r[1]) / 1e5,
                "group": tables["G"][r[2]],
                "kinds": names("K", "k", r[2]),
                "name": r[3],
                "address": r[4],
                "place": tables["P"][r[5]],
                "phone": f"0{r[6]}" if isinstance(r[6], int) else r[6],
                "email": f"{r[7]}@{tables['D'][r[8]]}" if r[7] else "",
                "website": website if not website or website.startswith("http") else f"https://{website}",
                "families": names("F", "f", r[10]),
                "wastes": names("W", "w", r[11]),
                "sources": names("S", "s", r[12]),
                "distance_km": r[13] / 10 if len(r) > 13 and isinstance(r[13], int) else None,
                "uid": r[-1] if isinstance(r[-1], str) and len(r) > 13 else None,
            }
        )
    return points


def legend_html(page: str) -> str:
    match = re.search(r"div\.innerHTML = (\".*?\");", page)
    assert match, "no legend in the page"
    return json.loads(match.group(1))


# --- escape_text -------------------------------------------------------------------------------------


def test_escape_text_neutralises_html_and_template_literals():
    out = escape_text(XSS)
    for raw in ("<", ">", "`", "$", "\\"):
        assert raw not in out
    assert html.unescape(out) == XSS
    assert escape_text('L\'Atelier & "Cie"') == "L&#x27;Atelier &amp; &quot;Cie&quot;"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_escape_text_of_missing_value_is_empty(missing):
    assert escape_text(missing) == ""


def test_escape_series_matches_escape_text():
    import pandas as pd

    values = pd.Series([XSS, "Éco & Co", None])
    assert escape_series(values).tolist() == [escape_text(XSS), escape_text("Éco & Co"), ""]


# --- build_map ---------------------------------------------------------------------------------------


def test_untrusted_text_only_appears_escaped(actors):
    actors.loc[0, "name"] = XSS
    actors.loc[1, "address"] = XSS
    actors.loc[2, "website"] = "javascript:alert(document.cookie)"
    actors.loc[3, "email"] = "x@y.fr'><script>alert(3)</script>"
    page = render(build_map(actors, tiles=None))
    assert "<img src=x" not in page
    assert "${window" not in page
    assert "alert(2)" not in page.replace(json.dumps(escape_text(XSS)), "")
    assert "javascript:" not in page
    assert "alert(3)" not in page
    # The name travels JSON-encoded *after* HTML escaping.
    assert json.dumps(escape_text(XSS)) in page
    points = map_points(page)
    assert points[0]["name"] == escape_text(XSS)
    assert points[1]["address"] == escape_text(XSS)
    assert points[2]["website"] == "" and points[3]["email"] == ""
    assert points[4]["website"] == "https://acteur4.exemple.fr" and points[4]["email"] == "contact4@exemple.fr"
    # Only our own scripts: the XSS text never opens or closes a <script>.
    assert len(re.findall(r"<script\b", page)) == page.count("</script>")


def test_no_cdn_url_and_vendored_assets_exist(actors):
    m = build_map(actors, tiles=None)
    page = render(m)
    for marker in CDN_MARKERS:
        assert marker not in page, marker
    urls = re.findall(r'(?:src|href)="(/app/static/vendor/[^"]+)"', page)
    assert {u.rsplit("/", 1)[1] for u in urls} == {
        "leaflet.js",
        "leaflet.css",
        "leaflet.markercluster.js",
        "MarkerCluster.css",
        "MarkerCluster.Default.css",
    }
    for url in urls:  # each URL is a committed file of static/vendor/
        assert (ROOT / "static" / url.removeprefix("/app/static/")).is_file(), url


def test_no_cdn_url_with_default_tiles(actors):
    page = render(build_map(actors))
    assert "tile.openstreetmap.org" in page
    for marker in CDN_MARKERS:
        assert marker not in page, marker


def test_asset_base_is_configurable(actors):
    page = render(build_map(actors, tiles=None, asset_base="/sourcier/app/static/vendor/"))
    assert '"/sourcier/app/static/vendor/leaflet/leaflet.js"' in page


def test_map_options_bounds_and_points(actors):
    m = build_map(actors, tiles=None)
    assert m.options["maxZoom"] == 18
    page = render(m)
    rows = cluster_data(page)
    assert len(rows) == len(actors)
    minx, miny, maxx, maxy = actors.total_bounds
    assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in page.replace("\n", "")
    assert "L.AwesomeMarkers" not in page
    assert "fitBounds" in page


def test_legend_lists_present_kind_groups(actors_factory):
    gdf = actors_factory(8)  # one actor of each profile
    page = render(build_map(gdf, tiles=None))
    assert "sourcier-legend" in page
    legend = legend_html(page)
    for label in (map_texts.LEGEND_TITLE, "Insertion par l'activité économique", "Producteurs agricoles"):
        assert escape_text(label) in legend, label
    only_aci = build_map(gdf[gdf["actor_kinds"].map(lambda k: k == ["aci"])], tiles=None)
    assert "Producteurs agricoles" not in legend_html(render(only_aci))


def test_popup_data_uses_taxonomy_and_source_titles(actors):
    page = render(build_map(actors, tiles=None))
    assert "Atelier et chantier d" in page  # actor_kinds label of "aci"
    assert "Annuaire des Entreprises" in page  # source TITLE
    point = map_points(page)[0]
    assert point["place"] == f"{actors.loc[0, 'postcode']} {actors.loc[0, 'city']}"
    assert point["kinds"] == ["Atelier et chantier d&#x27;insertion (ACI)"]
    assert point["families"] == ["Espaces verts et paysage", "Nettoyage et propreté des locaux"]
    assert point["phone"] == "0238000000"  # the popup puts the spaces back
    assert point["sources"] == [escape_text("Annuaire des Entreprises (API Recherche d'entreprises)")]
    assert point["distance_km"] is None


def test_distance_column_is_carried(actors):
    actors["distance_km"] = [i / 3 for i in range(len(actors))]
    points = map_points(render(build_map(actors, tiles=None)))
    assert points[4]["distance_km"] == 1.3


def test_search_circle_and_max_points(actors):
    m = build_map(actors, tiles=None, center=(47.9025, 1.9093), radius_km=10, max_points=5)
    page = render(m)
    assert "L.circle(" in page and '"radius": 10000,' in page
    assert len(cluster_data(page)) == 5
    assert escape_text(map_texts.SEARCH_CENTER) in page


def test_outlines_toggle(actors):
    assert "L.geoJson" in render(build_map(actors, tiles=None))
    assert "L.geoJson" not in render(build_map(actors, tiles=None, outlines=False))


def test_empty_table_gives_a_map_of_the_region(actors):
    page = render(build_map(actors.iloc[0:0], tiles=None))
    assert "var data" not in page
    assert "fitBounds" in page


def test_reprojects_to_wgs84(actors):
    points = map_points(render(build_map(actors.to_crs(2154), tiles=None)))
    assert points[0]["lat"] == pytest.approx(actors.geometry.iloc[0].y, abs=1e-5)
    assert points[0]["lon"] == pytest.approx(actors.geometry.iloc[0].x, abs=1e-5)


def test_twenty_thousand_points_stay_light(actors_factory):
    gdf = actors_factory(20_000)
    page = render(build_map(gdf, tiles=None, outlines=False))
    assert len(cluster_data(page)) == 20_000
    assert len(page) / 20_000 < 300, "bytes per point"  # timings: benchmarks/bench_map.py


# --- tables (counts and the compact table of the pages) ------------------------------------------


def test_count_by(actors):
    kinds = tables.count_by(actors, "actor_kinds")
    assert kinds["entreprise"] == 10 and kinds["aci"] == 5
    assert tables.count_by(actors, "sources").to_dict() == {"recherche_entreprises": 20, "carteco": 20}
    assert tables.count_by(actors, "departement")["18"] == 8


def test_actor_table(actors):
    table = tables.actor_table(actors)
    assert list(table.columns) == ["Nom", "SIRET", "Types", "Commune", "Département", "Sources", "Fiche"]
    assert table.iloc[0]["Types"] == "Atelier et chantier d'insertion (ACI)"
    assert table.iloc[0]["Département"] == "Loiret (45)"


def test_french_counts():
    assert texts.actors_count(0) == "0 acteur"
    assert texts.actors_count(1) == "1 acteur"
    assert texts.actors_count(12345) == "12\u202f345 acteurs"
    assert texts.format_km(3.456) == "3,5 km"


def test_card_link_puts_the_uid_last_in_each_row_and_a_link_in_the_popup(actors):
    page = render(build_map(actors, tiles=None, card_link="/search?lieu=Tours&fournisseur="))
    assert 'CARD = "/search?lieu=Tours&amp;fournisseur="' in page
    assert "Fiche fournisseur" in page
    points = map_points(page)
    assert [p["uid"] for p in points] == actors["uid"].tolist()
    without = render(build_map(actors, tiles=None))
    assert 'CARD = ""' in without and len(without) < len(page)


def test_a_small_map_can_go_without_legend(actors):
    assert "sourcier-legend" in render(build_map(actors, tiles=None))
    assert "sourcier-legend" not in render(build_map(actors, tiles=None, legend=False))
