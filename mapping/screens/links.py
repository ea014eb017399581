"""Links that reproduce a search: the criteria of the search and map pages as URL parameters.

Public seam (tooling outside the package builds these URLs): ``/search?lieu=Orléans&rayon=20&texte=…
&familles=nettoyage,espaces_verts&dechets=…&produits=…&types=…&labels=…&marches=L2113-13&sources=…``,
``tous_labels=1`` for « every chosen label », and ``fournisseur=<uid>`` opens a supplier card. Taxonomy
codes are comma-separated. The map page uses the same names for what it offers (``sources``, ``types``);
``/dechets?dechets=biodechets&actions=collecte&public=professionnels&lieu=…&rayon=…`` (:data:`WASTE_PARAMS`).

:func:`parse` never raises: an unknown parameter, an unknown code or a bad radius is dropped with a
French message the page shows; :func:`to_params` writes the current state back (defaults left out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import connectors
from mapping.reference import taxonomy
from mapping.screens import texts
from mapping.screens.query import DEFAULT_RADIUS_KM, RADIUS_RANGE_KM

#: URL parameter -> ``SupplierIndex.search`` criterion, in the order of the widgets.
FACET_PARAMS: Mapping[str, str] = {
    "familles": "purchase_families",
    "dechets": "waste_types",
    "produits": "product_types",
    "types": "actor_kinds",
    "labels": "labels",
    "marches": "reserved_contracts",
    "sources": "sources",
    # « Déchets et économie circulaire » (/dechets): what the actor does, whom it receives
    "actions": "circular_actions",
    "public": "audiences",
}
PARAM_OF_FACET = {facet: param for param, facet in FACET_PARAMS.items()}
SCALAR_PARAMS = ("lieu", "rayon", "texte", "tous_labels", "fournisseur")
#: Criteria of the search page (its sidebar).
SEARCH_FACET_PARAMS = ("familles", "dechets", "produits", "types", "labels", "marches", "sources")
#: Every parameter of the search page.
SEARCH_PARAMS = (*SCALAR_PARAMS[:3], *SEARCH_FACET_PARAMS, SCALAR_PARAMS[3], SCALAR_PARAMS[4])
#: The parameters of the « Déchets et économie circulaire » page (``/dechets``).
WASTE_PARAMS = ("dechets", "actions", "public", "lieu", "rayon", "fournisseur")
#: The parameters of the map page (its criteria are sources and kinds).
MAP_PARAMS = ("sources", "types", "fournisseur")
MAX_TEXT = 200


@dataclass
class SearchState:
    """What a search page shows, as the URL says it."""

    lieu: str = ""
    rayon: int = DEFAULT_RADIUS_KM
    texte: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)
    labels_all: bool = False
    fournisseur: str | None = None


def _codes(facet: str) -> list[str]:
    if facet == "sources":
        return list(connectors.REGISTRY)
    return taxonomy.codes(facet)


def _values(raw: object) -> list[str]:
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out: list[str] = []
    for item in items:
        out.extend(part.strip() for part in str(item if item is not None else "").split(",") if part.strip())
    return list(dict.fromkeys(out))


def last_value(raw: object) -> str:
    """The last value of a URL parameter (repeated parameters: the last one wins), stripped."""
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    return str(raw if raw is not None else "").strip()


_last = last_value


def parse(
    params: Mapping[str, object], *, allowed: Iterable[str] = SEARCH_PARAMS, own: Iterable[str] = ()
) -> tuple[SearchState, list[str]]:
    """The state a URL asks for, and the French messages of what was ignored (never raises).

    ``own``: parameters of ``allowed`` the page reads itself (``lycee``, ``local`` of ``/cantines``).
    """
    allowed = tuple(allowed)
    own = set(own)
    state, messages = SearchState(), []
    for name, raw in params.items():
        if name in own and name in allowed:
            continue
        if name not in allowed:
            messages.append(texts.LINK_UNKNOWN_PARAM.format(name=name))
            continue
        if name in FACET_PARAMS:
            facet = FACET_PARAMS[name]
            known = set(_codes(facet))
            values = _values(raw)
            bad = [v for v in values if v not in known]
            if bad:
                messages.append(texts.LINK_UNKNOWN_CODES.format(name=name, codes=", ".join(bad)))
            good = [v for v in values if v in known]
            if good:
                state.facets[facet] = good
        elif name == "rayon":
            value = _last(raw)
            try:
                radius = int(float(value.replace(",", ".")))
            except ValueError:
                radius = None
            if radius is None or not RADIUS_RANGE_KM[0] <= radius <= RADIUS_RANGE_KM[1]:
                messages.append(
                    texts.LINK_BAD_RADIUS.format(value=value, low=RADIUS_RANGE_KM[0], high=RADIUS_RANGE_KM[1])
                )
            else:
                state.rayon = radius
        elif name == "tous_labels":
            state.labels_all = _last(raw).lower() in {"1", "oui", "true"}
        elif name == "fournisseur":
            state.fournisseur = _last(raw)[:64] or None
        else:
            value = _last(raw)
            if len(value) > MAX_TEXT:
                messages.append(texts.LINK_TOO_LONG.format(name=name, limit=MAX_TEXT))
                value = value[:MAX_TEXT]
            setattr(state, name, value)
    return state, messages


def to_params(state: SearchState, *, allowed: Iterable[str] = SEARCH_PARAMS) -> dict[str, str]:
    """URL parameters of ``state`` (defaults and empty criteria left out), in a stable order."""
    allowed = set(allowed)
    out: dict[str, str] = {}
    if state.lieu and "lieu" in allowed:
        out["lieu"] = state.lieu
        if state.rayon != DEFAULT_RADIUS_KM:
            out["rayon"] = str(state.rayon)
    if state.texte and "texte" in allowed:
        out["texte"] = state.texte
    for param, facet in FACET_PARAMS.items():
        if state.facets.get(facet) and param in allowed:
            out[param] = ",".join(state.facets[facet])
    if state.labels_all and len(state.facets.get("labels", [])) > 1 and "tous_labels" in allowed:
        out["tous_labels"] = "1"
    if state.fournisseur and "fournisseur" in allowed:
        out["fournisseur"] = state.fournisseur
    return out


def query_string(params: Mapping[str, str]) -> str:
    """``?a=1&b=x%2Cy`` (empty string for no parameter)."""
    return f"?{urlencode(params)}" if params else ""


__all__ = [
    "FACET_PARAMS",
    "MAP_PARAMS",
    "SEARCH_PARAMS",
    "WASTE_PARAMS",
    "SearchState",
    "last_value",
    "parse",
    "query_string",
    "to_params",
]
