"""Supplier search: taxonomy filters, places, free text and radius, sorted by distance, in milliseconds.

:class:`SupplierIndex` is built once per actor table (≈0.1 s for 10k actors, a few seconds for 1M) and
answers :meth:`SupplierIndex.search` without scanning the table:

* coordinates are projected once to Lambert-93 (EPSG:2154) and rows are kept in the order of a 5 km
  grid (cells sorted row-major), so the points of a radius query lie in a few contiguous slices
  (one per grid row): no gather, attribute masks are tested on the slice before any distance;
* each code-list column (``actor_kinds``, ``purchase_families``…, plus ``sources`` and the
  ``reserved_contracts`` derived from the kinds) is a bit mask per row and a posting list per code;
  ``departement``, ``epci`` and ``code_insee`` are categorical codes with posting lists. Values of one
  criterion are OR-ed (labels can be AND-ed: ``labels_all``), criteria are AND-ed;
* names and descriptions are tokenised (accents, case and punctuation removed) into posting lists over
  one vocabulary; a query token matches exactly, as a prefix, or with 1–2 typos (rapidfuzz OSA
  distance); digits match SIRET/SIREN prefixes.

Distances: ``distance_km`` is the Lambert-93 planar distance divided by the projection's scale factor
averaged over both ends (Lambert-93 is conformal, its scale only depends on latitude). The raw planar
distance is 0.06–0.09 % short across the Centre-Val de Loire (scale 0.99909–0.99939); the corrected
one stays within a few centimetres of the GRS80 geodesic for radii up to 50 km.

The index keeps a reference to the table (never mutated; pyarrow columns in several chunks are
combined once, as ``mapping.store`` loads them, else pyarrow would concatenate a whole column on every
row selection); results are ``take`` of the selected rows: ≈1.5 ms for a dozen rows, then about
1.4 ms per thousand rows at 1M actors. That cost grows with the rows returned, so callers showing a
page ask for it with ``limit`` and read the number of matches in ``attrs["total"]``. This module never
imports streamlit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.reference import geography, taxonomy
from mapping.reference.arrow import single_chunks
from mapping.reference.grid import CELL_M, grid_cells, lon_lat, project
from mapping.search.criteria import (
    AREA_COLUMNS,
    AREA_ERRORS,
    SIAE_ALIAS,
    TAXONOMY_ERRORS,
    area_codes,
    as_values,
    check_geometry,
    registered_sources,
    taxonomy_codes,
)
from mapping.search.facets import (
    Facet,
    Wanted,
    category_facet,
    contracts_facet,
    explode,
    factorize,
    list_facet,
)
from mapping.search.text import (
    DESCRIPTION_WEIGHT,
    EXACT,
    PREFIX,
    STOPWORDS,
    TYPO1,
    TYPO2,
    TextIndex,
    normalize_text,
    tokenize,
)

__all__ = [
    "CELL_M",
    "DESCRIPTION_WEIGHT",
    "EXACT",
    "PREFIX",
    "SIAE_ALIAS",
    "STOPWORDS",
    "TYPO1",
    "TYPO2",
    "SupplierIndex",
    "normalize_text",
    "project",
    "search",
    "tokenize",
]

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------- index


class SupplierIndex:
    """Search structures over a canonical actor table, built once.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Canonical actor table (:data:`mapping.reference.schema.COLUMNS`), point geometries. Not modified; keep the
        index in ``st.cache_resource`` next to the table it was built from.
    """

    def __init__(self, gdf: gpd.GeoDataFrame) -> None:
        start = time.perf_counter()
        self._table = gdf = single_chunks(gdf)  # the rest of the build reads the combined columns too
        x, y, scale = project(*lon_lat(gdf))
        self.n = n = len(gdf)
        cell, self._origin, self._width, self._height = grid_cells(x, y)
        self._perm = np.argsort(cell, kind="stable")  # grid position -> row position
        grid_pos = np.empty(n, dtype=np.int64)
        grid_pos[self._perm] = np.arange(n)
        self._cell = cell[self._perm]
        self._x, self._y, self._scale = x[self._perm], y[self._perm], scale[self._perm]
        located = np.isfinite(x) & np.isfinite(y)
        self._max_scale = float(np.nanmax(scale)) if located.any() else 1.0

        self._facets: dict[str, Facet] = {}
        for column in taxonomy.TAXONOMIES:
            self._facets[column] = list_facet(gdf[column], taxonomy.codes(column), grid_pos)
        sources = set(explode(gdf["sources"], grid_pos)[0]) | registered_sources()
        self._facets["sources"] = list_facet(gdf["sources"], sorted(map(str, sources)), grid_pos)
        self._facets["reserved_contracts"] = contracts_facet(self._facets["actor_kinds"], n)
        for criterion, column in AREA_COLUMNS.items():
            self._facets[criterion] = category_facet(gdf[column], grid_pos)
        self._text = TextIndex.build(gdf, grid_pos)
        self._name_rank = _name_ranks(gdf["name"])[self._perm]
        self._uids: pd.Index | None = None
        self.build_seconds = time.perf_counter() - start
        logger.info("search index: %d actors in %.2f s", n, self.build_seconds)

    def __len__(self) -> int:
        return self.n

    # ------------------------------------------------------------------ criteria

    def _wanted(self, criteria: dict[str, object], all_of: frozenset[str] = frozenset()) -> list[Wanted]:
        """Validate every criterion; return what to match (an empty id list matches nothing).

        Criteria named in ``all_of`` need every value on a row, the others any of them.
        """
        out = []
        for name, value in criteria.items():
            values = as_values(value)
            if not values:
                continue
            if name in TAXONOMY_ERRORS:
                values = taxonomy_codes(name, values)
            elif name in AREA_ERRORS:
                values = area_codes(name, values, geography)
            else:  # sources
                unknown = [v for v in values if v not in self._facets["sources"].vocab]
                if unknown:
                    msg = f"Source inconnue : {', '.join(unknown)}"
                    raise ValueError(msg)
            facet = self._facets[name]
            ids = sorted({facet.vocab[v] for v in values if v in facet.vocab})
            every = name in all_of and len(set(values)) > 1
            if every and len(ids) < len(set(values)):  # a value nobody has: no row has them all
                ids = []
            out.append(Wanted(facet, ids, every))
        return out

    def by_uid(self, uids: Iterable[str] | str) -> gpd.GeoDataFrame:
        """The actors with these ``uid`` values, in the order asked (unknown ones left out)."""
        wanted = [uids] if isinstance(uids, str) else list(uids)
        if self._uids is None:
            self._uids = pd.Index(self._table["uid"].astype(str))
        positions = self._uids.get_indexer(wanted)
        return self._table.take(positions[positions >= 0])

    def search(
        self,
        *,
        text: str | None = None,
        purchase_families: Iterable[str] | str | None = None,
        waste_types: Iterable[str] | str | None = None,
        product_types: Iterable[str] | str | None = None,
        actor_kinds: Iterable[str] | str | None = None,
        labels: Iterable[str] | str | None = None,
        labels_all: bool = False,
        circular_actions: Iterable[str] | str | None = None,
        audiences: Iterable[str] | str | None = None,
        reserved_contracts: Iterable[str] | str | None = None,
        sources: Iterable[str] | str | None = None,
        departements: Iterable[str] | str | None = None,
        epcis: Iterable[str] | str | None = None,
        communes: Iterable[str] | str | None = None,
        near: tuple[float, float] | None = None,
        radius_km: float | None = None,
        limit: int | None = None,
    ) -> gpd.GeoDataFrame:
        """Actors matching every given criterion (values inside one criterion are OR-ed).

        Parameters
        ----------
        text : str, optional
            Words of the name or description (accents, case and 1–2 typos tolerated; every word must
            match when some actor matches them all, else the actors matching the most words are kept),
            or digits of a SIRET/SIREN (prefix of at least 5 digits).
        purchase_families, waste_types, product_types, actor_kinds, labels : str or iterable of str, optional
            Taxonomy codes (French labels are accepted too). ``actor_kinds`` also accepts ``"siae"``.
        labels_all : bool
            Keep only actors holding *every* label of ``labels`` (« C du Centre » and « AB »); by default
            one of them is enough, as for the other criteria.
        circular_actions : str or iterable of str, optional
            What the actor does with waste or objects (``collecte``, ``tri``, ``traitement_valorisation``,
            ``reemploi``, ``reparation``, ``vente_seconde_main``, ``location``), as its sources say it.
        audiences : str or iterable of str, optional
            Whom it receives (``professionnels``, ``particuliers``); actors whose sources do not say are
            not matched.
        reserved_contracts : str or iterable of str, optional
            Articles ``L2113-12``, ``L2113-13``, ``L2113-15`` open to the actor (derived from its kinds).
        sources : str or iterable of str, optional
            Source names (``connectors.REGISTRY`` keys).
        departements, epcis, communes : str or iterable of str, optional
            Département codes, EPCI SIREN codes, INSEE commune codes.
        near : (float, float), optional
            ``(lon, lat)`` in WGS84: results get ``distance_km`` and are sorted by it.
        radius_km : float, optional
            Keep actors within this geodesic distance of ``near``.
        limit : int, optional
            Keep the first ``limit`` results (after sorting).

        Returns
        -------
        geopandas.GeoDataFrame
            Copies of the matching rows (original index, columns and dtypes), plus ``distance_km`` when
            ``near`` is given. Order: distance, else text relevance, else name (accents and case
            ignored, missing names last); ties keep table order. ``attrs["total"]`` is the number of
            matching actors before ``limit``: ask for the page you show, not for every match.

        Raises
        ------
        ValueError
            Unknown code, bad coordinates, radius without ``near``, negative limit (French message).
        """
        wanted = self._wanted(
            {
                "purchase_families": purchase_families,
                "waste_types": waste_types,
                "product_types": product_types,
                "actor_kinds": actor_kinds,
                "labels": labels,
                "circular_actions": circular_actions,
                "audiences": audiences,
                "reserved_contracts": reserved_contracts,
                "sources": sources,
                "departements": departements,
                "epcis": epcis,
                "communes": communes,
            },
            all_of=frozenset({"labels"} if labels_all else ()),
        )
        query = check_geometry(near, radius_km, limit)
        score, cover = self._text_scores(text)
        positions, distances = self._select(wanted, cover, query)
        if cover is not None and len(positions):
            top = cover[positions].max()
            keep = cover[positions] == top
            positions = positions[keep]
            distances = distances[keep] if distances is not None else None
        rows = self._perm[positions]
        if query is not None:
            order = _ordered(distances, rows, limit)
        elif score is not None:
            order = _ordered(-score[positions], rows, limit)
        else:
            order = _ordered(self._name_rank[positions], rows, limit)
        found = self._table.take(rows[order])
        if query is not None:
            found["distance_km"] = distances[order] / 1000.0
        found.attrs["total"] = len(positions)
        return found

    def _text_scores(self, text: str | None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Relevance (sum of word match qualities) and number of matched words per grid position."""
        tokens = list(dict.fromkeys(tokenize(text)))
        if not tokens:  # nothing searchable (empty, punctuation or stop-words only): no text filter
            return None, None
        score = np.zeros(self.n, dtype=np.float32)
        cover = np.zeros(self.n, dtype=np.int16)
        for token in tokens:
            best = self._text.token_scores(token, self.n)
            score += best
            cover += best > 0
        return score, cover

    def _select(
        self, wanted: list[Wanted], cover: np.ndarray | None, query: tuple | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Grid positions passing every filter (and the radius), with distances in metres when ``near``."""
        if any(not w.ids for w in wanted):
            return np.empty(0, dtype=np.int64), (np.empty(0) if query is not None else None)

        def passing(where: slice | np.ndarray) -> np.ndarray | None:
            mask = None
            for facet, ids, every in wanted:
                part = facet.mask(ids, where, all_of=every)
                mask = part if mask is None else mask & part
            if cover is not None:
                mask = cover[where] > 0 if mask is None else mask & (cover[where] > 0)
            return mask

        if query is not None and query[3] is not None:  # radius: contiguous grid slices
            qx, qy, qscale, radius = query
            found, dists = [], []
            for lo, hi in self._strips(qx, qy, radius * max(qscale, self._max_scale)):
                mask = passing(slice(lo, hi))
                sub = np.arange(lo, hi) if mask is None else lo + np.flatnonzero(mask)
                dist = self._distance(sub, qx, qy, qscale)
                inside = dist <= radius
                found.append(sub[inside])
                dists.append(dist[inside])
            if not found:
                return np.empty(0, dtype=np.int64), np.empty(0)
            return np.concatenate(found), np.concatenate(dists)

        positions = None
        if wanted:  # start from the most selective posting list when it is small
            facet, ids, every = min(wanted, key=lambda w: w.facet.count(w.ids, all_of=w.all_of))
            if facet.count(ids, all_of=every) * 32 < self.n:
                positions = facet.rows(ids, all_of=every).astype(np.int64)
        if positions is None:
            mask = passing(slice(0, self.n))
            positions = np.arange(self.n) if mask is None else np.flatnonzero(mask)
        else:
            mask = passing(positions)
            positions = positions[mask] if mask is not None else positions
        if query is None:
            return positions, None
        dist = self._distance(positions, *query[:3])
        located = np.isfinite(dist)
        return positions[located], dist[located]

    def _strips(self, qx: float, qy: float, half: float) -> list[tuple[int, int]]:
        """``(lo, hi)`` grid-position slices covering the square of half-side ``half`` around a point."""
        x0, y0 = self._origin
        ix0, ix1 = max(int((qx - half - x0) // CELL_M), 0), min(int((qx + half - x0) // CELL_M), self._width - 1)
        iy0, iy1 = max(int((qy - half - y0) // CELL_M), 0), min(int((qy + half - y0) // CELL_M), self._height - 1)
        if ix0 > ix1 or iy0 > iy1:
            return []
        rows = np.arange(iy0, iy1 + 1, dtype=np.int64) * self._width
        lo = np.searchsorted(self._cell, rows + ix0)
        hi = np.searchsorted(self._cell, rows + ix1 + 1)
        return [(int(a), int(b)) for a, b in zip(lo, hi, strict=True) if b > a]

    def _distance(self, where: np.ndarray, qx: float, qy: float, qscale: float) -> np.ndarray:
        """Geodesic-corrected distance (m) from the query point to grid positions ``where``."""
        planar = np.hypot(self._x[where] - qx, self._y[where] - qy)
        return planar / ((self._scale[where] + qscale) * 0.5)


# ------------------------------------------------------------------------------------- helpers


def _ordered(keys: np.ndarray, rows: np.ndarray, limit: int | None) -> np.ndarray:
    """Indices sorting ``keys`` ascending (ties: table order), only the first ``limit`` when given."""
    if limit is not None and limit < len(keys):
        if limit == 0:
            return np.empty(0, dtype=np.int64)
        kth = np.partition(keys, limit - 1)[limit - 1]
        candidates = np.flatnonzero(keys <= kth)
        return candidates[np.lexsort((rows[candidates], keys[candidates]))][:limit]
    return np.lexsort((rows, keys))


def _name_ranks(names: pd.Series) -> np.ndarray:
    """Rank of each row's name in accent- and case-insensitive order (equal keys share a rank; missing last)."""
    codes, uniques = factorize(names)
    if not uniques:
        return np.zeros(len(names), dtype=np.int64)
    keys = normalize_text("\x1f".join(u.replace("\x1f", " ") for u in uniques)).split("\x1f")
    _, unique_rank = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
    return np.where(codes >= 0, unique_rank[codes], len(uniques)).astype(np.int64)


def search(gdf: gpd.GeoDataFrame, **criteria: object) -> gpd.GeoDataFrame:
    """Search ``gdf`` with a throwaway :class:`SupplierIndex` (see :meth:`SupplierIndex.search`)."""
    return SupplierIndex(gdf).search(**criteria)
