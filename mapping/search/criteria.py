"""Validation of :meth:`mapping.search.index.SupplierIndex.search` criteria.

Codes or French labels of the taxonomies, area codes, ``near``/``radius_km``/``limit``: every bad value
raises a ``ValueError`` with a French message. Private: the public API is ``mapping.search.index``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import connectors
from mapping.reference import geography, taxonomy
from mapping.reference.grid import project
from mapping.search.text import tokenize

SIAE_ALIAS = "siae"
TAXONOMY_ERRORS = {
    "actor_kinds": "Type de structure inconnu",
    "purchase_families": "Famille d'achat inconnue",
    "waste_types": "Type de déchet inconnu",
    "product_types": "Type de produit inconnu",
    "labels": "Label inconnu",
    "circular_actions": "Action inconnue",
    "audiences": "Public inconnu",
    "reserved_contracts": "Marché réservé inconnu",
}
AREA_ERRORS = {
    "departements": "Département inconnu",
    "epcis": "EPCI inconnu",
    "communes": "Commune inconnue (code INSEE)",
}
AREA_COLUMNS = {"departements": "departement", "epcis": "epci", "communes": "code_insee"}


def as_values(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        value = [value]
    return list(dict.fromkeys(str(v).strip() for v in value if v is not None and str(v).strip()))


@lru_cache(maxsize=8)
def _label_codes(name: str) -> dict[str, str]:
    """Normalised French label -> code (so that « Espaces verts » works as well as ``espaces_verts``)."""
    return {" ".join(tokenize(e["label"])): e["code"] for e in taxonomy.entries(name)}


def _code_for_label(name: str, value: str) -> str | None:
    """The code whose French label is, or starts with, ``value`` (when only one does)."""
    wanted = " ".join(tokenize(value))
    labels = _label_codes(name)
    if not wanted or wanted in labels:
        return labels.get(wanted)
    found = [code for label, code in labels.items() if label.startswith(wanted + " ")]
    return found[0] if len(found) == 1 else None


def taxonomy_codes(name: str, values: list[str]) -> list[str]:
    known = set(taxonomy.codes(name))
    out, unknown = [], []
    for value in values:
        if value in known:
            out.append(value)
        elif name == "actor_kinds" and value.lower() == SIAE_ALIAS:
            out.extend(sorted(taxonomy.SIAE_KINDS))
        elif value.lower() in known or value.upper() in known:
            out.append(value.lower() if value.lower() in known else value.upper())
        elif code := _code_for_label(name, value):
            out.append(code)
        else:
            unknown.append(value)
    if unknown:
        msg = f"{TAXONOMY_ERRORS[name]} : {', '.join(unknown)}"
        raise ValueError(msg)
    return out


def area_codes(name: str, values: list[str], geography: object) -> list[str]:
    if name == "departements":
        values = [v.upper().zfill(2) if v.isdigit() else v.upper() for v in values]
        known = geography.departement_names()
    elif name == "epcis":
        known = geography.epci_names()
    else:
        values = [v.upper().zfill(5) if v.isdigit() else v.upper() for v in values]
        known = _commune_codes()
    unknown = [v for v in values if v not in known]
    if unknown:
        msg = f"{AREA_ERRORS[name]} : {', '.join(unknown)}"
        raise ValueError(msg)
    return values


@lru_cache(maxsize=1)
def _commune_codes() -> frozenset[str]:
    return frozenset(geography.communes()["code_insee"])


def registered_sources() -> set[str]:
    return set(connectors.REGISTRY)


def check_geometry(
    near: tuple[float, float] | None, radius_km: float | None, limit: int | None
) -> tuple[float, float, float, float | None] | None:
    """Validate ``near``/``radius_km``/``limit``; return ``(x, y, scale, radius_m)`` or None."""
    if limit is not None and (not isinstance(limit, (int, np.integer)) or limit < 0):
        msg = f"La limite doit être un entier positif ou nul, pas {limit!r}"
        raise ValueError(msg)
    if near is None:
        if radius_km is not None:
            msg = "Un rayon de recherche demande un point de départ (near=(lon, lat))"
            raise ValueError(msg)
        return None
    try:
        lon, lat = (float(v) for v in near)
    except (TypeError, ValueError) as exc:
        msg = f"Point de départ invalide : {near!r} (attendu : (longitude, latitude))"
        raise ValueError(msg) from exc
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"Coordonnées hors limites : {near!r} (attendu : (longitude, latitude) en degrés)"
        raise ValueError(msg)
    radius = None
    if radius_km is not None:
        if not isinstance(radius_km, (int, float, np.number)) or not np.isfinite(radius_km) or radius_km <= 0:
            msg = f"Le rayon doit être un nombre de kilomètres strictement positif, pas {radius_km!r}"
            raise ValueError(msg)
        radius = float(radius_km) * 1000.0
    x, y, scale = project(np.array([lon]), np.array([lat]))
    return float(x[0]), float(y[0]), float(scale[0]), radius
