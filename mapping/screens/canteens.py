"""The « Cantines » screen without Streamlit: a lycée (or a place), products, quality signs and « local » as
ma-cantine defines it (within N km, same EPCI, same département, same région); producers nearest first.

URL parameters of ``/cantines`` (public seam): ``lycee`` (UAI), ``lieu``, ``produits``, ``labels``,
``local`` = ``km:<N>`` | ``epci`` | ``departement`` | ``region``, and ``fournisseur`` for a card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from mapping.places.names import french_title
from mapping.places.resolve import Place, PlaceError, resolve_place
from mapping.reference import french, geography, taxonomy
from mapping.reference.schema import as_list
from mapping.screens import canteen_texts as t
from mapping.screens import links, query, texts
from mapping.screens.tables import card_links
from mapping.search.index import SupplierIndex

#: URL parameters of the page (``lycee`` and ``local`` are read by :func:`parse_extras`).
CANTEEN_PARAMS = ("lycee", "lieu", "produits", "labels", "local", "fournisseur")
FACETS = ("product_types", "labels")
LOCAL_KINDS = ("km", "epci", "departement", "region")
DEFAULT_LOCAL = ("km", 30)
#: Quality signs a canteen chooses from, in this order (codes of ``labels.json`` of kind ``food``).
FIXED_SIGNS = ("ab", "c_du_centre", "label_rouge", "hve")


@dataclass(frozen=True)
class Local:
    """What « local » means for this search: ``kind`` of :data:`LOCAL_KINDS` and ``km`` for ``"km"``."""

    kind: str = DEFAULT_LOCAL[0]
    km: int = DEFAULT_LOCAL[1]

    def param(self) -> str:
        return f"km:{self.km}" if self.kind == "km" else self.kind


def parse_local(value: str) -> tuple[Local | None, str | None]:
    """``"km:30"`` / ``"epci"`` / ``"departement"`` / ``"region"`` -> (Local, None); else (None, French message)."""
    text = (value or "").strip().lower()
    if text in LOCAL_KINDS[1:]:
        return Local(text, DEFAULT_LOCAL[1]), None
    if text.startswith("km:"):
        try:
            km = int(float(text[3:].replace(",", ".")))
        except ValueError:
            km = 0
        if query.RADIUS_RANGE_KM[0] <= km <= query.RADIUS_RANGE_KM[1]:
            return Local("km", km), None
    return None, t.BAD_LOCAL.format(value=value, high=query.RADIUS_RANGE_KM[1])


def region_lycees() -> pd.DataFrame:
    """Every lycée of the région once (UAI upper-cased), with the label shown in the selector."""
    table = pd.DataFrame(geography.lycees().drop(columns="geometry"))
    table["uai"] = table["uai"].str.upper()
    table = table.drop_duplicates("uai").sort_values(["commune", "nom"], kind="stable").reset_index(drop=True)
    table["label"] = [
        f"{french_title(nom)} — {commune} ({uai})"
        for nom, commune, uai in zip(table["nom"], table["commune"], table["uai"], strict=True)
    ]
    return table


def lycee_place(uai: str) -> Place | None:
    """The lycée of UAI ``uai`` (any case) as a place, None when the région has no such lycée."""
    code = (uai or "").strip().upper()
    if not code or code not in set(region_lycees()["uai"]):
        return None
    try:
        place = resolve_place(code)
    except PlaceError:
        return None
    return place if place.kind == "lycee" else None


def parse_extras(params: Mapping[str, object]) -> tuple[str | None, Local, list[str]]:
    """``lycee`` and ``local`` of the URL: (UAI or None, Local, French messages of what was ignored)."""
    messages: list[str] = []
    uai = links.last_value(params.get("lycee")) if "lycee" in params else ""
    if uai and lycee_place(uai) is None:
        messages.append(t.BAD_LYCEE.format(value=uai[:20]))
        uai = ""
    local = Local()
    if "local" in params:
        parsed, message = parse_local(links.last_value(params["local"]))
        if message:
            messages.append(message)
        local = parsed or local
    return (uai.upper() or None), local, messages


def option_labels(counts: Mapping[str, Mapping[str, int]]) -> tuple[dict[str, str], dict[str, str]]:
    """Options of the product and quality-sign widgets: code -> « label (count) »."""
    per_product = counts.get("product_types", {})
    products = {
        code: f"{taxonomy.label('product_types', code)} ({texts.format_count(int(per_product.get(code, 0)))})"
        for code in taxonomy.codes("product_types")
    }
    food = [e["code"] for e in taxonomy.entries("labels") if e.get("kind") == "food"]
    ordered = [c for c in FIXED_SIGNS if c in food] + [c for c in food if c not in FIXED_SIGNS]
    per_label = counts.get("labels", {})
    signs = {}
    for code in ordered:
        label = taxonomy.label("labels", code)
        group = t.LABEL_GROUPS["aop_igp"].split(" (")[0] if code.startswith(("aop_", "igp_")) else None
        name = f"{group} · {label}" if group else label
        signs[code] = f"{name} ({texts.format_count(int(per_label.get(code, 0)))})"
    return products, signs


def local_criteria(place: Place, local: Local) -> tuple[dict[str, object], str, str | None]:
    """Search criteria of « local » around ``place``, the French phrase of the area, and a note (or None).

    Every mode keeps ``near`` (the lycée or the place) so that producers come nearest first.
    """
    if place.near is None:  # an EPCI or a département typed as the place: that area, by name
        return place.criteria(), query.where(place, None), None
    near = place.near
    if local.kind == "km":
        phrase = t.WHERE_KM.format(km=local.km, of_place=french.of_place(place.label))
        return {"near": near, "radius_km": float(local.km)}, phrase, None
    commune = _commune_of(place)
    if local.kind == "epci":
        epci = str(commune.get("epci") or "") if commune else ""
        if epci:
            name = geography.epci_names().get(epci, epci)
            return {"near": near, "epcis": [epci]}, t.WHERE_EPCI.format(epci=name), None
        local = Local("departement")
        note = t.NO_EPCI
    else:
        note = None
    if local.kind == "departement":
        dep = str(commune.get("departement") or "") if commune else ""
        if dep:
            names = geography.departement_names()
            return {"near": near, "departements": [dep]}, french.in_departement(dep, names.get(dep, dep)), note
    return {"near": near, "departements": geography.departements()}, t.WHERE_REGION, note


def _commune_of(place: Place) -> dict | None:
    if place.kind == "lycee":
        row = region_lycees().set_index("uai").loc[str(place.code).upper()]
        return geography.commune(str(row["code_insee"]))
    if place.kind == "commune" and place.code:
        return geography.commune(place.code)
    lon, lat = place.near
    found = geography.locate_points([lon], [lat])
    code = found["code_insee"].iloc[0] if len(found) else None
    return geography.commune(str(code)) if isinstance(code, str) and code else None


def widen_hint(local: Local, choices: Mapping[str, Sequence[str]]) -> str:
    """What to widen when no producer matches, in the order a canteen manager would try."""
    hints = []
    if local.kind == "km":
        hints.append(t.WIDEN_KM.format(km=min(query.RADIUS_RANGE_KM[1], max(local.km * 2, 30))))
    elif local.kind == "epci":
        hints.append(t.WIDEN_EPCI)
    elif local.kind == "departement":
        hints.append(t.WIDEN_DEPARTEMENT)
    if choices.get("labels"):
        hints.append(t.WIDEN_LABELS)
    if choices.get("product_types"):
        hints.append(t.WIDEN_PRODUCTS)
    return " ".join(hints)


def producers_count(n: int) -> str:
    return f"{texts.format_count(n)} producteur{'s' if n > 1 else ''}"


def run(
    index: SupplierIndex,
    *,
    place: Place,
    local: Local,
    choices: Mapping[str, Sequence[str]],
) -> tuple[query.SearchOutcome, str | None]:
    """Producers (actors with food products) matching ``choices``, « local » around ``place``, nearest first.

    Without a chosen product family every food product counts (the canteen looks for producers, not for
    every supplier). Returns the outcome (headline « 12 producteurs à moins de 30 km du lycée … ») and a note.
    """
    criteria, phrase, note = local_criteria(place, local)
    products = list(choices.get("product_types") or taxonomy.codes("product_types"))
    criteria = {**criteria, "product_types": products}
    if choices.get("labels"):
        criteria["labels"] = list(choices["labels"])
    outcome = query.search_outcome(
        index,
        criteria,
        phrase=phrase,
        center=(place.near[1], place.near[0]) if place.near else None,  # the lycée on the map in every mode
        radius_km=float(local.km) if "radius_km" in criteria else None,
        empty_hint=widen_hint(local, choices),
        count_text=producers_count,
        nothing=t.EMPTY,
    )
    return outcome, note


def shares(found: gpd.GeoDataFrame) -> str:
    """« Dont 42 % bio (AB) et 18 % « C du Centre ». » over every producer of the result."""
    n = max(len(found), 1)
    organic = sum("ab" in as_list(v) for v in found["labels"])
    cdc = sum("c_du_centre" in as_list(v) for v in found["labels"])
    return t.SHARES.format(organic=round(100 * organic / n), cdc=round(100 * cdc / n))


def result_table(found: pd.DataFrame, *, card_link: str | None = None) -> pd.DataFrame:
    """Producers nearest first: name, distance, products (names when the source gives them), families,
    quality signs, commune, contact, card link (French headers of ``canteen_texts.TABLE_COLUMNS``)."""
    names = found["products"] if "products" in found.columns else [[] for _ in range(len(found))]
    columns = {
        "name": found["name"].to_numpy(),
        "distance_km": found["distance_km"].round(1).to_numpy() if "distance_km" in found.columns else None,
        "products": [", ".join(as_list(v)) for v in names],
        "families": [", ".join(taxonomy.labels_for("product_types", as_list(v))) for v in found["product_types"]],
        "labels": [", ".join(taxonomy.labels_for("labels", as_list(v))) for v in found["labels"]],
        "city": found["city"].to_numpy(),
        "contact": [
            " · ".join(str(x).strip() for x in values if isinstance(x, str) and x.strip())
            for values in zip(found["phone"], found["email"], found["website"], strict=True)
        ],
        "card": card_links(found, card_link),
    }
    if columns["distance_km"] is None:
        del columns["distance_km"]
    return pd.DataFrame(columns).rename(columns=t.TABLE_COLUMNS)


__all__ = [
    "CANTEEN_PARAMS",
    "FACETS",
    "Local",
    "local_criteria",
    "lycee_place",
    "option_labels",
    "parse_extras",
    "parse_local",
    "region_lycees",
    "result_table",
    "run",
    "shares",
]
