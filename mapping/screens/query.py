"""The « Rechercher des fournisseurs » screen without Streamlit: place, search, headline and result table.

The page reads its widgets and calls two functions of this module:

* :func:`locate` turns the typed place into a :class:`PlaceLookup` (the resolved place, or the French
  error and the candidate places to choose from);
* :func:`run_search` runs :meth:`mapping.search.index.SupplierIndex.search` for that place and the chosen
  criteria and returns a :class:`SearchOutcome`: the rows for the map (capped, sorted by distance),
  the French headline, the empty-result or capped message, and the table under the map.

:func:`facet_options` gives the options of the criteria widgets (French labels with counts), computed
once per table with :func:`option_counts`. This module never imports streamlit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

import connectors
from mapping.places.resolve import Place, PlaceError, resolve_place
from mapping.reference import french, taxonomy
from mapping.reference.schema import as_list
from mapping.screens import texts
from mapping.screens.tables import card_links, contains_any, count_by, source_titles
from mapping.search.index import SupplierIndex

log = logging.getLogger(__name__)

#: Criteria of the search page, in the order of the widgets (``SupplierIndex.search`` keywords).
FACETS = (
    "purchase_families",
    "waste_types",
    "product_types",
    "actor_kinds",
    "labels",
    "reserved_contracts",
    "sources",
)
#: At most this many results go to the map and the table (the count gives the total).
MAX_RESULTS = 2_000
DEFAULT_RADIUS_KM = 20
RADIUS_RANGE_KM = (1, 100)


# ----------------------------------------------------------------------------- place


@dataclass(frozen=True)
class PlaceLookup:
    """What the typed place gave: a place, or an error message and the places it may mean.

    ``place`` is None when the text is empty (search the whole région) or could not be resolved.
    """

    text: str
    place: Place | None = None
    message: str | None = None
    candidates: tuple[Place, ...] = ()

    @property
    def candidate_labels(self) -> list[str]:
        return [p.label for p in self.candidates]

    def pick(self, label: str | None) -> Place | None:
        """The resolved place, else the candidate whose label is ``label`` (a choice in the list)."""
        if self.place is not None:
            return self.place
        return next((p for p in self.candidates if p.label == label), None)


def locate(text: str | None) -> PlaceLookup:
    """Resolve what the user typed in « Lieu » (see :func:`mapping.places.resolve.resolve_place`)."""
    text = (text or "").strip()
    if not text:
        return PlaceLookup(text)
    try:
        return PlaceLookup(text, place=resolve_place(text))
    except PlaceError as exc:
        return PlaceLookup(text, message=str(exc), candidates=tuple(exc.candidates))


def is_point(place: Place | None) -> bool:
    """True when the radius applies (commune, lycée, address, coordinates); False for areas."""
    return place is not None and place.near is not None


# ----------------------------------------------------------------------------- options


def option_counts(gdf: gpd.GeoDataFrame) -> dict[str, dict[str, int]]:
    """Actors per code of every criterion of :data:`FACETS` (computed once per table)."""
    counts = {name: count_by(gdf, name).to_dict() for name in FACETS if name != "reserved_contracts"}
    counts["reserved_contracts"] = {}
    for article in taxonomy.codes("reserved_contracts"):
        kinds = [code for code in taxonomy.codes("actor_kinds") if article in taxonomy.reserved_contracts([code])]
        counts["reserved_contracts"][article] = int(contains_any(gdf["actor_kinds"], kinds).sum())
    return counts


def _option_label(name: str, code: str) -> str:
    if name == "sources":
        return connectors.title(code)
    return taxonomy.label(name, code)


def facet_options(name: str, counts: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """Options of one criterion widget: code -> French label with its number of actors."""
    if name == "sources":
        codes = list(dict.fromkeys([*connectors.REGISTRY, *counts.get(name, {})]))
    else:
        codes = taxonomy.codes(name)
    per_code = counts.get(name, {})
    return {code: f"{_option_label(name, code)} ({texts.format_count(int(per_code.get(code, 0)))})" for code in codes}


# ----------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchOutcome:
    """A search, ready to render.

    Attributes
    ----------
    found : geopandas.GeoDataFrame
        At most :data:`MAX_RESULTS` matching actors, nearest first (``distance_km`` when the place is a
        point), for the map.
    total : int
        Number of matching actors before the cap.
    headline : str
        ``"37 fournisseurs à moins de 20 km d'Orléans (45)"``.
    table : pandas.DataFrame
        The rows of ``found`` with French headers (:data:`mapping.screens.texts.SEARCH_TABLE_COLUMNS`).
    center : (lat, lon) or None
        Search point in folium's order, with ``radius_km``.
    empty_message, capped_message, error : str or None
        French messages to show (no result; results capped; invalid criterion).
    """

    found: gpd.GeoDataFrame
    total: int
    headline: str
    table: pd.DataFrame
    center: tuple[float, float] | None = None
    radius_km: float | None = None
    empty_message: str | None = None
    capped_message: str | None = None
    error: str | None = None
    criteria: dict[str, object] = field(default_factory=dict)


def where(place: Place | None, radius_km: float | None) -> str:
    """French phrase of the search area: ``"à moins de 20 km d'Orléans (45)"``, ``"en Indre-et-Loire (37)"``."""
    if place is None:
        return texts.WHERE_REGION
    if is_point(place):
        return texts.WHERE_RADIUS.format(radius=texts.format_radius(radius_km), of_place=french.of_place(place.label))
    if place.kind == "departement":
        return french.in_departement(place.code or "", place.label)
    if place.kind == "epci":
        return texts.WHERE_EPCI.format(label=place.label)
    return place.label


def run_search(
    index: SupplierIndex,
    *,
    place: Place | None,
    radius_km: float = DEFAULT_RADIUS_KM,
    text: str | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
    labels_all: bool = False,
    limit: int | None = None,
    empty_hint: str | None = None,
) -> SearchOutcome:
    """Search ``index`` around/in ``place`` with the chosen criteria; see :class:`SearchOutcome`.

    Parameters
    ----------
    index : SupplierIndex
        Index of the actor table.
    place : Place or None
        Resolved place (None: the whole région). A point-like place uses ``radius_km``, an area its filter.
    radius_km : float
        Radius around a point-like place.
    text : str, optional
        Name, SIRET/SIREN or keywords.
    choices : mapping, optional
        Codes chosen per criterion of :data:`FACETS` (values OR-ed, criteria AND-ed).
    labels_all : bool
        The actors must hold every chosen label (« C du Centre » and « AB »), not just one.
    limit : int, optional
        Cap of the rows returned for the map and the table (default :data:`MAX_RESULTS`).
    empty_hint : str, optional
        What to widen when nothing matches, worded for the page (default: the radius or a criterion).
    """
    limit = MAX_RESULTS if limit is None else limit
    criteria: dict[str, object] = {name: list(values) for name, values in (choices or {}).items() if values}
    if labels_all and len(criteria.get("labels", ())) > 1:
        criteria["labels_all"] = True
    if place is not None:
        criteria.update(place.criteria(radius_km=float(radius_km)))
    if text and text.strip():
        criteria["text"] = text.strip()
    center = (place.near[1], place.near[0]) if is_point(place) else None
    hint = empty_hint or (texts.SEARCH_HINT_RADIUS if is_point(place) else texts.SEARCH_HINT_CRITERIA)
    return search_outcome(
        index,
        criteria,
        phrase=where(place, radius_km),
        center=center,
        radius_km=float(radius_km) if center else None,
        limit=limit,
        empty_hint=hint,
    )


def search_outcome(
    index: SupplierIndex,
    criteria: Mapping[str, object],
    *,
    phrase: str,
    center: tuple[float, float] | None = None,
    radius_km: float | None = None,
    limit: int | None = None,
    empty_hint: str = texts.SEARCH_HINT_CRITERIA,
    count_text=texts.suppliers_count,
    nothing: str = texts.SEARCH_NO_RESULT,
) -> SearchOutcome:
    """Run ``index.search(**criteria)`` and word the result: ``count_text(total)`` + ``phrase`` as headline,
    ``nothing`` (with ``{where}``) + ``empty_hint`` when nothing matches; see :class:`SearchOutcome`."""
    limit = MAX_RESULTS if limit is None else limit
    criteria = dict(criteria)
    try:  # only the rows shown are built; the index counts the others (nearest, best or by name first)
        found = index.search(**criteria, limit=limit)
    except ValueError as exc:  # an unknown code or bad radius: French message from the index
        log.warning("search rejected %r: %s", criteria, exc)
        empty = index.search(limit=0)
        error = texts.SEARCH_ERROR.format(error=exc)
        return SearchOutcome(empty, 0, count_text(0), result_table(empty), error=error, criteria=criteria)
    total = int(found.attrs["total"])
    capped = None
    if total > limit:
        template = texts.SEARCH_CAPPED_NEAREST if "distance_km" in found.columns else texts.SEARCH_CAPPED_FIRST
        capped = template.format(shown=texts.format_count(limit), total=texts.format_count(total))
    empty = f"{nothing.format(where=phrase)} {empty_hint}".strip() if not total else None
    return SearchOutcome(
        found=found,
        total=total,
        headline=f"{count_text(total)} {phrase}",
        table=result_table(found),
        center=center,
        radius_km=radius_km if center else None,
        empty_message=empty,
        capped_message=capped,
        criteria=criteria,
    )


def all_results(index: SupplierIndex, criteria: Mapping[str, object]) -> gpd.GeoDataFrame:
    """Every actor matching ``criteria`` (an outcome's ``criteria``), for the exports: not only the rows shown."""
    return index.search(**criteria)


def _labels(name: str, values: object) -> list[str]:
    return taxonomy.labels_for(name, as_list(values))


def _contact(phone: object, email: object, website: object) -> str:
    return " · ".join(v.strip() for v in (phone, email, website) if isinstance(v, str) and v.strip())


def result_table(found: pd.DataFrame, *, card_link: str | None = None) -> pd.DataFrame:
    """The table under the map: Nom, Distance (km) (when known), SIRET, Types, Familles / Déchets, Produits /
    Labels, Commune, Contact, Sources, Fiche (link) — French headers, rows in the order of ``found``."""
    columns = {
        "name": found["name"].to_numpy(),
        "siret": found["siret"].to_numpy(),
        "kinds": [", ".join(_labels("actor_kinds", v)) for v in found["actor_kinds"]],
        "offer": [
            ", ".join(_labels("purchase_families", f) + _labels("waste_types", w))
            for f, w in zip(found["purchase_families"], found["waste_types"], strict=True)
        ],
        "food": [
            ", ".join(_labels("product_types", p) + _labels("labels", lb))
            for p, lb in zip(found["product_types"], found["labels"], strict=True)
        ],
        "city": found["city"].to_numpy(),
        "contact": [_contact(*values) for values in zip(found["phone"], found["email"], found["website"], strict=True)],
        "sources": [source_titles(v) for v in found["sources"]],
        "card": card_links(found, card_link),
    }
    if "distance_km" in found.columns:
        columns = {"name": columns.pop("name"), "distance_km": found["distance_km"].round(1).to_numpy(), **columns}
    return pd.DataFrame(columns).rename(columns=texts.SEARCH_TABLE_COLUMNS)
