"""The « Cantines » screen without Streamlit: my lycée (or a place), product families, quality signs and
« local » as ma-cantine defines it, turned into :meth:`mapping.search.index.SupplierIndex.search` criteria.

URL (public seam): ``/cantines?lycee=<UAI>&lieu=<place>&produits=fromages,legumes&labels=ab,aop_igp
&local=km:30|epci|departement|region&fournisseur=<uid>``. ``labels`` takes the codes of
``data/reference/taxonomy/labels.json`` (``ab``, ``label_rouge``, ``hve``, ``c_du_centre``); every AOP/IGP
code (or ``aop_igp``) selects the AOP/IGP group. :func:`parse` never raises: a bad value is dropped with a
French message, as :func:`mapping.screens.links.parse` does.

« Local » (ma-cantine's « définition du local »): ``km:N`` within N km of the lycée; ``epci`` the actors
whose ``epci`` is that of the lycée's commune (``data/reference/geo/communes.csv``); ``departement`` its
département; ``region`` the whole région. Producers are sorted by distance from the lycée in every mode.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from mapping.places.names import gazetteer
from mapping.places.resolve import Place, PlaceError, resolve_place
from mapping.reference import french, geography, taxonomy
from mapping.reference.schema import as_list
from mapping.screens import canteen_texts as ct
from mapping.screens import texts
from mapping.screens.links import _last, _values, query_string
from mapping.screens.tables import card_links
from mapping.search.index import SupplierIndex

log = logging.getLogger(__name__)

#: Parameters of the page, in the order of the widgets.
PARAMS = ("lycee", "lieu", "produits", "labels", "local", "fournisseur")
LOCAL_MODES = ("km", "epci", "departement", "region")
DEFAULT_LOCAL = "departement"
DEFAULT_KM = 30
KM_RANGE = (1, 200)
AOP_IGP = "aop_igp"
#: Quality-sign groups of the page (keys are label codes, except the AOP/IGP group).
LABEL_GROUPS = tuple(ct.LABEL_GROUPS)
MAX_RESULTS = 2_000

__all__ = [
    "AOP_IGP",
    "PARAMS",
    "CanteenOutcome",
    "CanteenState",
    "label_codes",
    "local_criteria",
    "lycee_options",
    "parse",
    "place_for",
    "run",
    "to_params",
]


@dataclass
class CanteenState:
    """What the « Cantines » page shows, as the URL says it."""

    lycee: str | None = None
    lieu: str = ""
    produits: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # groups of LABEL_GROUPS
    local: str = DEFAULT_LOCAL
    km: int = DEFAULT_KM
    fournisseur: str | None = None

    @property
    def local_param(self) -> str:
        return f"km:{self.km}" if self.local == "km" else self.local


# ----------------------------------------------------------------------------- lycées


def lycee_options() -> dict[str, str]:
    """UAI -> « Lycée Pothier — Orléans (0450049J) » for every lycée of the région, sorted by commune then name."""
    table = gazetteer(geography.region_code()).lycees.sort_values(["commune", "nom"], kind="stable")
    return {
        uai: f"{nom.title()} — {commune} ({uai})"
        for uai, nom, commune in zip(table["uai"], table["nom"], table["commune"], strict=True)
    }


def _lycee_row(uai: str) -> pd.Series | None:
    table = gazetteer(geography.region_code()).lycees
    hit = table[table["uai"] == uai.upper()]
    return hit.iloc[0] if len(hit) else None


# ----------------------------------------------------------------------------- URL


def label_codes(groups: list[str]) -> list[str]:
    """Label codes of the chosen groups (``aop_igp``: every AOP and IGP code)."""
    out: list[str] = []
    for group in groups:
        if group == AOP_IGP:
            out += [c for c in taxonomy.codes("labels") if c.startswith(("aop_", "igp_"))]
        else:
            out.append(group)
    return list(dict.fromkeys(out))


def _group(code: str) -> str | None:
    if code == AOP_IGP or (code.startswith(("aop_", "igp_")) and code in taxonomy.codes("labels")):
        return AOP_IGP
    return code if code in LABEL_GROUPS else None


def parse_local(value: str) -> tuple[str, int] | None:
    """``"km:30"`` -> ``("km", 30)``, ``"epci"`` -> ``("epci", DEFAULT_KM)``; None when invalid."""
    value = value.strip().lower()
    if value in LOCAL_MODES and value != "km":
        return value, DEFAULT_KM
    if value.startswith("km:"):
        try:
            km = int(float(value[3:].replace(",", ".")))
        except ValueError:
            return None
        if KM_RANGE[0] <= km <= KM_RANGE[1]:
            return "km", km
    return None


def parse(params: Mapping[str, object]) -> tuple[CanteenState, list[str]]:
    """The state a URL asks for, and the French messages of what was ignored (never raises)."""
    state, messages = CanteenState(), []
    for name, raw in params.items():
        if name not in PARAMS:
            messages.append(ct.UNKNOWN_PARAM.format(name=name))
        elif name == "lycee":
            value = _last(raw)[:20]
            if value and _lycee_row(value) is not None:
                state.lycee = value.upper()
            elif value:
                messages.append(ct.BAD_LYCEE.format(value=value))
        elif name == "lieu":
            state.lieu = _last(raw)[:200]
        elif name == "produits":
            values = _values(raw)
            known = set(taxonomy.codes("product_types"))
            bad = [v for v in values if v not in known]
            if bad:
                messages.append(ct.BAD_CODES.format(name=name, codes=", ".join(bad)))
            state.produits = [v for v in values if v in known]
        elif name == "labels":
            values = _values(raw)
            groups = [_group(v) for v in values]
            bad = [v for v, g in zip(values, groups, strict=True) if g is None]
            if bad:
                messages.append(ct.BAD_CODES.format(name=name, codes=", ".join(bad)))
            state.labels = list(dict.fromkeys(g for g in groups if g))
        elif name == "local":
            value = _last(raw)
            local = parse_local(value)
            if local is None:
                messages.append(ct.BAD_LOCAL.format(value=value, high=KM_RANGE[1]))
            else:
                state.local, state.km = local
        else:
            state.fournisseur = _last(raw)[:64] or None
    return state, messages


def to_params(state: CanteenState) -> dict[str, str]:
    """URL parameters of ``state`` (empty ones left out), in :data:`PARAMS` order."""
    out: dict[str, str] = {}
    if state.lycee:
        out["lycee"] = state.lycee
    elif state.lieu:
        out["lieu"] = state.lieu
    if state.produits:
        out["produits"] = ",".join(state.produits)
    if state.labels:
        out["labels"] = ",".join(state.labels)
    out["local"] = state.local_param
    if state.fournisseur:
        out["fournisseur"] = state.fournisseur
    return out


# ----------------------------------------------------------------------------- local


def place_for(state: CanteenState) -> tuple[Place | None, str | None]:
    """The lycée (else the typed place) of ``state``, or None with the French message of a place not found."""
    text = state.lycee or state.lieu.strip()
    if not text:
        return None, None
    try:
        return resolve_place(text), None
    except PlaceError as exc:
        return None, str(exc)


def _commune_of(place: Place) -> pd.Series | None:
    """The commune row (communes.csv) of a lycée, a commune or a point."""
    communes = geography.communes().set_index("code_insee", drop=False)
    code = None
    if place.kind == "lycee" and place.code:
        row = _lycee_row(place.code)
        code = row["code_insee"] if row is not None else None
    elif place.kind == "commune":
        code = place.code
    elif place.near is not None:
        found = geography.locate_points([place.near[0]], [place.near[1]])
        code = found["code_insee"].iloc[0] if len(found) else None
    return communes.loc[code] if isinstance(code, str) and code in communes.index else None


def local_criteria(place: Place, local: str, km: int = DEFAULT_KM) -> dict[str, object]:
    """``SupplierIndex.search`` criteria of « local » around ``place`` (ma-cantine's définition du local).

    ``km``: within ``km`` of the place; ``epci``: the EPCI of the place's commune; ``departement``: its
    département; ``region``: the whole région. ``near`` is always given for a point-like place, so the
    producers come sorted by distance. An EPCI or département typed as the place is its own area.
    """
    if local not in LOCAL_MODES:
        msg = f"« local » inconnu : {local!r}"
        raise ValueError(msg)
    near = {"near": place.near} if place.near is not None else {}
    if local == "region":
        return near
    if place.near is None:  # an area typed as the place: it is the « local » (no distance to sort by)
        return place.criteria()
    if local == "km":
        return {"near": place.near, "radius_km": float(km)}
    commune = _commune_of(place)
    if commune is None:
        return {"near": place.near, "radius_km": float(km)}
    if local == "epci" and isinstance(commune.get("epci"), str) and commune["epci"]:
        return {**near, "epcis": [commune["epci"]]}
    return {**near, "departements": [commune["departement"]]}


def where(place: Place | None, state: CanteenState, criteria: Mapping[str, object]) -> str:
    """French phrase of the « local » area."""
    if place is None or state.local == "region":
        return ct.WHERE_REGION
    of_place = french.of_place(place.label)
    if "radius_km" in criteria:
        return ct.WHERE_KM.format(km=state.km, of_place=of_place)
    if "epcis" in criteria:
        epci = criteria["epcis"][0]
        return ct.WHERE_EPCI.format(place=place.label, epci=geography.epci_names().get(epci, epci))
    if "departements" in criteria:
        code = criteria["departements"][0]
        name = geography.departement_names().get(code, code)
        return french.in_departement(code, name)
    return place.label


# ----------------------------------------------------------------------------- search


@dataclass(frozen=True)
class CanteenOutcome:
    """A canteen search, ready to render."""

    found: gpd.GeoDataFrame
    total: int
    headline: str
    shares: str
    criteria: dict[str, object]
    empty_message: str | None = None
    center: tuple[float, float] | None = None
    radius_km: float | None = None
    error: str | None = None


def criteria_for(place: Place | None, state: CanteenState) -> dict[str, object]:
    """Every search criterion of ``state``: products (any food family when none is chosen), labels, local."""
    criteria: dict[str, object] = {"product_types": list(state.produits or taxonomy.codes("product_types"))}
    if state.labels:
        criteria["labels"] = label_codes(state.labels)
    if place is not None:
        criteria.update(local_criteria(place, state.local, state.km))
    return criteria


def _share(found: pd.DataFrame, code: str) -> int:
    if not len(found):
        return 0
    return round(100 * sum(code in as_list(v) for v in found["labels"]) / len(found))


def _widen(state: CanteenState) -> str:
    hints = []
    if state.local == "km":
        hints.append(ct.WIDEN_KM.format(km=min(KM_RANGE[1], max(state.km * 2, 50))))
    elif state.local == "epci":
        hints.append(ct.WIDEN_EPCI)
    elif state.local == "departement":
        hints.append(ct.WIDEN_DEPARTEMENT)
    if state.labels:
        hints.append(ct.WIDEN_LABELS)
    if state.produits:
        hints.append(ct.WIDEN_PRODUCTS)
    return " ".join(hints)


def run(index: SupplierIndex, place: Place | None, state: CanteenState, *, limit: int = MAX_RESULTS) -> CanteenOutcome:
    """Search ``index`` for the canteen ``state``; the shares are over the whole result."""
    criteria = criteria_for(place, state)
    try:
        found = index.search(**criteria, limit=limit)
        every = index.search(**criteria) if int(found.attrs["total"]) > limit else found
    except ValueError as exc:
        log.warning("canteen search rejected %r: %s", criteria, exc)
        empty = index.search(limit=0)
        return CanteenOutcome(
            empty, 0, texts.suppliers_count(0), "", criteria, error=texts.SEARCH_ERROR.format(error=exc)
        )
    total = int(found.attrs["total"])
    phrase = where(place, state, criteria)
    shares = ct.SHARES.format(organic=_share(every, "ab"), cdc=_share(every, "c_du_centre"))
    empty = f"{ct.EMPTY.format(where=phrase)} {_widen(state)}".strip() if not total else None
    near = criteria.get("near")
    return CanteenOutcome(
        found=found,
        total=total,
        headline=f"{texts.suppliers_count(total)} {phrase}",
        shares=shares,
        criteria=criteria,
        empty_message=empty,
        center=(near[1], near[0]) if near else None,
        radius_km=criteria.get("radius_km"),
    )


def result_table(found: pd.DataFrame, *, card_link: str | None = None) -> pd.DataFrame:
    """Producers with their products (names as the source gives them) and quality signs, in ``found``'s order."""
    columns = {
        "name": found["name"].to_numpy(),
        "products": [", ".join(as_list(v)) for v in found["products"]],
        "families": [", ".join(taxonomy.labels_for("product_types", as_list(v))) for v in found["product_types"]],
        "labels": [", ".join(taxonomy.labels_for("labels", as_list(v))) for v in found["labels"]],
        "city": found["city"].to_numpy(),
        "contact": [
            " · ".join(v.strip() for v in vals if isinstance(v, str) and v.strip())
            for vals in zip(found["phone"], found["email"], found["website"], strict=True)
        ],
        "card": card_links(found, card_link),
    }
    if "distance_km" in found.columns:
        columns = {"name": columns.pop("name"), "distance_km": found["distance_km"].round(1).to_numpy(), **columns}
    return pd.DataFrame(columns).rename(columns=ct.TABLE_COLUMNS)


def signature(params: Mapping[str, str]) -> str:
    """The export signature of a search (its URL without the card)."""
    return query_string({k: v for k, v in params.items() if k != "fournisseur"})
