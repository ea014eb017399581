"""The coverage matrix: how many actors of each code of a dimension in each territory of the région.

A *dimension* is one of the actor table's code-list columns (``purchase_families``, ``waste_types``,
``product_types``); a *territory level* is ``"departement"``, ``"epci"`` or ``"lycee:<km>"`` (the area within
``<km>`` km of each lycée). Every territory of the région is a column, even when no actor is there.

Speed: the work is a few numpy passes over the table. Equal code lists are usually one shared object
(``mapping.build.table.read_suppliers``): each distinct list is read once in Python, every actor is then
an integer. Lycée areas use a grid of ``<km>``-sized Lambert-93 cells: each lycée only measures the
actors of the nine cells around it (distances as in ``mapping.search``: planar distance divided by the
mean scale factor of both ends).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapping.reference import geography, taxonomy
from mapping.reference.grid import lon_lat, project

#: The dimensions a matrix can count (code-list columns of the actor table).
DIMENSIONS = ("purchase_families", "waste_types", "product_types")
#: Territory levels without a parameter.
LEVELS = ("departement", "epci")
LYCEE_PREFIX = "lycee"
_LYCEE_RE = re.compile(r"^lycee:(\d+(?:[.,]\d+)?)$")
#: Largest radius around a lycée (km).
MAX_LYCEE_KM = 100.0


@dataclass(frozen=True)
class Territories:
    """The columns of a matrix: territory codes (in order), their names, and the level they belong to."""

    level: str
    codes: tuple[str, ...]
    names: dict[str, str]
    radius_km: float | None = None


def parse_by(by: str) -> tuple[str, float | None]:
    """``"epci"`` -> ``("epci", None)``, ``"lycee:15"`` -> ``("lycee", 15.0)``; ``ValueError`` (French) otherwise."""
    text = str(by).strip().lower()
    if text in LEVELS:
        return text, None
    match = _LYCEE_RE.match(text)
    if match:
        km = float(match.group(1).replace(",", "."))
        if 0 < km <= MAX_LYCEE_KM:
            return LYCEE_PREFIX, km
    msg = f"Niveau de territoire inconnu : {by!r} (attendu « departement », « epci » ou « lycee:<km> », km de 1 à 100)"
    raise ValueError(msg)


def territories(by: str = "departement", region: str | None = None) -> Territories:
    """Every territory of the région at level ``by`` (codes sorted; lycées: UAI in the reference order)."""
    level, km = parse_by(by)
    if level == "departement":
        codes = geography.departements(region)
        all_names = geography.departement_names()
        return Territories(level, tuple(codes), {c: all_names.get(c, c) for c in codes})
    if level == "epci":
        table = geography.communes()
        deps = set(geography.departements(region))
        codes = sorted({c for c, d in zip(table["epci"], table["departement"], strict=True) if c and d in deps})
        all_names = geography.epci_names()
        return Territories(level, tuple(codes), {c: all_names.get(c, c) for c in codes})
    lycees = geography.lycees(region)
    codes = tuple(lycees["uai"].astype(str))
    labels = zip(codes, lycees["nom"], lycees["commune"], strict=True)
    names = {uai: f"{nom} ({commune})" for uai, nom, commune in labels}
    return Territories(level, codes, names, km)


def dimension_codes(dimension: str) -> list[str]:
    """The taxonomy codes of ``dimension`` (rows of the matrix); ``ValueError`` (French) when unknown."""
    if dimension not in DIMENSIONS:
        msg = f"Dimension inconnue : {dimension!r} (attendu : {', '.join(DIMENSIONS)})"
        raise ValueError(msg)
    return taxonomy.codes(dimension)


def kinds_for(kinds: Iterable[str] | str | None) -> frozenset[str] | None:
    """Actor kind codes meant by ``kinds``: kind codes, kind groups (``ess``, ``insertion``, ``handicap``…)
    or reserved-contract articles (``L2113-13``). ``None`` (or empty) means every actor."""
    if kinds is None:
        return None
    items = [kinds] if isinstance(kinds, str) else list(kinds)
    if not items:
        return None
    entries = taxonomy.entries("actor_kinds")
    out: set[str] = set()
    for item in items:
        text = str(item).strip()
        matched = {e["code"] for e in entries if text in (e["code"], e.get("group"), *e.get("reserved_contracts", []))}
        if not matched:
            msg = f"Type d'acteur inconnu : {item!r}"
            raise ValueError(msg)
        out |= matched
    return frozenset(out)


# --------------------------------------------------------------------------- code lists


def _distinct_lists(values: pd.Series) -> tuple[np.ndarray, list[object]]:
    """``(inverse, lists)``: the position of each row's list among the distinct list objects, and them."""
    array = values.to_numpy(dtype=object)
    ids = np.fromiter(map(id, array), dtype=np.uint64, count=len(array))
    inverse, unique_ids = pd.factorize(ids)
    first = np.full(len(unique_ids), -1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(array) - 1, -1, -1)  # last write wins: the first occurrence
    return inverse.astype(np.int64), [array[i] for i in first]


def _items(value: object) -> list:
    if value is None or isinstance(value, (str, float)):
        return [value] if isinstance(value, str) and value else []
    try:
        return list(value)
    except TypeError:
        return []


def _code_table(lists: Sequence[object], codes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """CSR-like table of each distinct list's known codes (deduplicated): ``(offsets, code positions)``."""
    position = {code: i for i, code in enumerate(codes)}
    lengths = np.zeros(len(lists), dtype=np.int64)
    flat: list[int] = []
    for u, value in enumerate(lists):
        found = dict.fromkeys(position[c] for c in _items(value) if c in position)
        lengths[u] = len(found)
        flat.extend(found)
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets, np.asarray(flat, dtype=np.int64)


def kinds_mask(actors: pd.DataFrame, kinds: Iterable[str] | str | None) -> np.ndarray | None:
    """Boolean mask of the actors having one of ``kinds`` (see :func:`kinds_for`); ``None``: every actor."""
    if kinds_for(kinds) is None:
        return None
    return KindMasks(actors).mask(kinds)


# --------------------------------------------------------------------------- territories of the actors


def _commune_attribute(actors: pd.DataFrame, column: str) -> np.ndarray:
    """The actors' ``departement`` or ``epci`` column, filled from their commune (``code_insee``) when missing."""
    n = len(actors)
    values = actors[column].to_numpy(dtype=object) if column in actors.columns else np.full(n, None, dtype=object)
    missing = pd.isna(values) | (values == "")
    if missing.any() and "code_insee" in actors.columns:
        table = geography.communes()
        lookup = dict(zip(table["code_insee"], table[column], strict=True))
        insee = actors["code_insee"].to_numpy(dtype=object)[missing]
        values = values.copy()
        values[missing] = [lookup.get(code) for code in insee]
    return values


def _area_members(actors: pd.DataFrame, terr: Territories) -> tuple[np.ndarray, np.ndarray]:
    """``(actor positions, column positions)`` of the actors inside a département or an EPCI of the région."""
    values = _commune_attribute(actors, terr.level)
    column = pd.Index(terr.codes).get_indexer(pd.Index(values, dtype=object))
    inside = np.flatnonzero(column >= 0)
    return inside, column[inside]


def _lycee_members(actors: pd.DataFrame, terr: Territories, region: str | None) -> tuple[np.ndarray, np.ndarray]:
    """``(actor positions, lycée positions)`` of every actor within ``terr.radius_km`` of each lycée."""
    if not hasattr(actors, "geometry"):
        msg = "Les distances aux lycées demandent une table géolocalisée (colonne geometry)"
        raise ValueError(msg)
    x, y, scale = project(*lon_lat(actors))
    located = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    lycees = geography.lycees(region)
    lx, ly, lscale = project(lycees["lon"].to_numpy(dtype=float), lycees["lat"].to_numpy(dtype=float))
    empty = np.zeros(0, dtype=np.int64)
    if not len(located) or not len(lx):
        return empty, empty
    radius = float(terr.radius_km) * 1000.0
    cell = radius * float(max(np.nanmax(scale[located]), np.nanmax(lscale)))
    stride = np.int64(1 << 20)
    cx = np.floor(x[located] / cell).astype(np.int64)
    cy = np.floor(y[located] / cell).astype(np.int64)
    keys = cx * stride + cy
    order = np.argsort(keys, kind="stable")
    sorted_keys, rows = keys[order], located[order]
    lcx, lcy = np.floor(lx / cell).astype(np.int64), np.floor(ly / cell).astype(np.int64)
    actor_parts, column_parts = [], []
    for column in range(len(lx)):
        if not (np.isfinite(lx[column]) and np.isfinite(ly[column])):
            continue
        lows = (lcx[column] + np.arange(-1, 2)) * stride + lcy[column] - 1
        starts = np.searchsorted(sorted_keys, lows, side="left")
        ends = np.searchsorted(sorted_keys, lows + 2, side="right")
        near = np.concatenate([rows[s:e] for s, e in zip(starts, ends, strict=True)])
        planar = np.hypot(x[near] - lx[column], y[near] - ly[column])
        near = near[planar / ((scale[near] + lscale[column]) * 0.5) <= radius]
        actor_parts.append(near)
        column_parts.append(np.full(len(near), column, dtype=np.int64))
    if not actor_parts:
        return empty, empty
    return np.concatenate(actor_parts), np.concatenate(column_parts)


def memberships(actors: pd.DataFrame, terr: Territories, region: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(actor positions, column positions)``: which actor counts in which territory column of ``terr``."""
    if terr.level == LYCEE_PREFIX:
        return _lycee_members(actors, terr, region)
    return _area_members(actors, terr)


def explode(
    actors: pd.DataFrame, dimension: str, members: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(code positions, column positions, actor positions)``: one triple per member actor and distinct code."""
    codes = dimension_codes(dimension)
    actor_pos, column_pos = members
    if dimension not in actors.columns or not len(actor_pos):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    inverse, lists = _distinct_lists(actors[dimension])
    offsets, flat = _code_table(lists, codes)
    distinct = inverse[actor_pos]
    lengths = offsets[distinct + 1] - offsets[distinct]
    total = int(lengths.sum())
    ends = np.cumsum(lengths)
    within = np.arange(total, dtype=np.int64) - np.repeat(ends - lengths, lengths)
    code_pos = flat[np.repeat(offsets[distinct], lengths) + within]
    return code_pos, np.repeat(column_pos, lengths), np.repeat(actor_pos, lengths)


def count_triples(
    triples: tuple[np.ndarray, np.ndarray, np.ndarray], n_codes: int, n_columns: int, mask: np.ndarray | None = None
) -> np.ndarray:
    """``codes x columns`` counts of the triples of :func:`explode` (only actors in ``mask`` when given)."""
    code_pos, column_pos, actor_pos = triples
    if mask is not None:
        keep = mask[actor_pos]
        code_pos, column_pos = code_pos[keep], column_pos[keep]
    cells = code_pos * n_columns + column_pos
    return np.bincount(cells, minlength=n_codes * n_columns).reshape(n_codes, n_columns)


def count_codes(
    actors: pd.DataFrame,
    dimension: str,
    members: tuple[np.ndarray, np.ndarray],
    n_columns: int,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """``codes x columns`` counts: each member actor counted once for each distinct code of its list."""
    if mask is not None:
        keep = mask[members[0]]
        members = (members[0][keep], members[1][keep])
    triples = explode(actors, dimension, members)
    return count_triples(triples, len(dimension_codes(dimension)), n_columns)


class KindMasks:
    """Masks of the actors having some kinds, the table's distinct ``actor_kinds`` lists read once."""

    def __init__(self, actors: pd.DataFrame) -> None:
        self._n = len(actors)
        if "actor_kinds" in actors.columns:
            self._inverse, lists = _distinct_lists(actors["actor_kinds"])
            self._lists = [frozenset(_items(v)) for v in lists]
        else:
            self._inverse, self._lists = np.zeros(self._n, dtype=np.int64), [frozenset()]

    def mask(self, kinds: Iterable[str] | str | None) -> np.ndarray | None:
        """Boolean mask of the actors with one of ``kinds`` (:func:`kinds_for`); ``None``: every actor."""
        wanted = kinds_for(kinds)
        if wanted is None:
            return None
        has = np.fromiter((not wanted.isdisjoint(v) for v in self._lists), dtype=bool, count=len(self._lists))
        return has[self._inverse] if self._n else np.zeros(0, dtype=bool)


def coverage_matrix(
    actors: pd.DataFrame,
    *,
    dimension: str = "purchase_families",
    by: str = "departement",
    kinds: Iterable[str] | str | None = None,
) -> pd.DataFrame:
    """Number of actors of each code of ``dimension`` in each territory of the région.

    Parameters
    ----------
    actors : DataFrame or GeoDataFrame
        Actor table (canonical columns). ``departement``/``epci`` come from the columns of that name,
        filled from ``code_insee`` when missing; ``"lycee:<km>"`` needs the geometry.
    dimension : str
        ``"purchase_families"``, ``"waste_types"`` or ``"product_types"``.
    by : str
        ``"departement"``, ``"epci"`` (SIREN codes of the région's EPCI) or ``"lycee:<km>"`` (UAI of every
        lycée of the région; an actor counts for each lycée within ``<km>`` km, Lambert-93 distances).
    kinds : iterable of str, optional
        Count only actors with one of these ``actor_kinds`` codes (kind groups such as ``"insertion"`` and
        reserved-contract articles such as ``"L2113-13"`` are accepted too).

    Returns
    -------
    DataFrame
        Index: the dimension's taxonomy codes (every code, in taxonomy order); columns: every territory
        code of the région (even when empty); values: ``int64`` counts. ``attrs`` holds ``dimension``,
        ``by`` and ``kinds``.

    Raises
    ------
    ValueError
        Unknown dimension, level or kind (French message).
    """
    codes = dimension_codes(dimension)
    terr = territories(by)
    mask = kinds_mask(actors, kinds)
    counts = count_codes(actors, dimension, memberships(actors, terr), len(terr.codes), mask)
    matrix = pd.DataFrame(
        counts,
        index=pd.Index(codes, name=dimension),
        columns=pd.Index(list(terr.codes), name=terr.level),
    )
    matrix.attrs.update({"dimension": dimension, "by": by, "kinds": sorted(kinds_for(kinds) or [])})
    return matrix
