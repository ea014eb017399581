"""Supplier search: taxonomy filters, places, free text and radius, sorted by distance, in milliseconds.

:class:`SupplierIndex` is built once per actor table (≈0.1 s for 10k actors, a few seconds for 1M) and
answers :meth:`SupplierIndex.search` without scanning the table:

* coordinates are projected once to Lambert-93 (EPSG:2154) and rows are kept in the order of a 5 km
  grid (cells sorted row-major), so the points of a radius query lie in a few contiguous slices
  (one per grid row): no gather, attribute masks are tested on the slice before any distance;
* each code-list column (``actor_kinds``, ``purchase_families``…, plus ``sources`` and the
  ``reserved_contracts`` derived from the kinds) is a bit mask per row and a posting list per code;
  ``departement``, ``epci`` and ``code_insee`` are categorical codes with posting lists. Values of one
  criterion are OR-ed, criteria are AND-ed;
* names and descriptions are tokenised (accents, case and punctuation removed) into posting lists over
  one vocabulary; a query token matches exactly, as a prefix, or with 1–2 typos (rapidfuzz OSA
  distance); digits match SIRET/SIREN prefixes.

Distances: ``distance_km`` is the Lambert-93 planar distance divided by the projection's scale factor
averaged over both ends (Lambert-93 is conformal, its scale only depends on latitude). The raw planar
distance is 0.06–0.09 % short across the Centre-Val de Loire (scale 0.99909–0.99939); the corrected
one stays within a few centimetres of the GRS80 geodesic for radii up to 50 km.

The index keeps a shallow copy of the table (never mutated); results are new GeoDataFrames holding
only the selected rows. This module never imports streamlit.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from rapidfuzz import process
from rapidfuzz.distance import OSA

from mapping import taxonomy
from mapping.schema import CRS_LAMBERT93, CRS_WGS84

logger = logging.getLogger(__name__)

#: Side of a grid cell, metres.
CELL_M = 5_000.0
#: Quality of a query-token match: exact, prefix, one typo, two typos; description hits count less.
EXACT, PREFIX, TYPO1, TYPO2 = 1.0, 0.8, 0.7, 0.6
DESCRIPTION_WEIGHT = 0.6
STOPWORDS = frozenset(
    ["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une"]
)
SIAE_ALIAS = "siae"

_WORD_RE = re.compile(r"[a-z0-9]+")
_DOC_WORD_RE = re.compile(r"[a-z0-9]+|\x1f")
_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_TAXONOMY_ERRORS = {
    "actor_kinds": "Type de structure inconnu",
    "purchase_families": "Famille d'achat inconnue",
    "waste_types": "Type de déchet inconnu",
    "product_types": "Type de produit inconnu",
    "labels": "Label inconnu",
    "reserved_contracts": "Marché réservé inconnu",
}
_AREA_ERRORS = {
    "departements": "Département inconnu",
    "epcis": "EPCI inconnu",
    "communes": "Commune inconnue (code INSEE)",
}
_AREA_COLUMNS = {"departements": "departement", "epcis": "epci", "communes": "code_insee"}


def normalize_text(text: str) -> str:
    """Lower-case, accent-free form of ``text`` (``"Biodéchets Œuvre"`` -> ``"biodechets oeuvre"``).

    Works on any length at C speed, so whole columns are normalised as one joined string.
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return _COMBINING_RE.sub("", text).lower()


def tokenize(text: object) -> list[str]:
    """Normalised words (ASCII letters and digits) of ``text`` without stop-words, in order."""
    if not isinstance(text, str):
        return []
    return [w for w in _WORD_RE.findall(normalize_text(text)) if w not in STOPWORDS]


@lru_cache(maxsize=1)
def _projection() -> tuple[pyproj.Transformer, np.ndarray, np.ndarray]:
    """WGS84 -> Lambert-93 transformer and a latitude -> scale-factor table (conformal: k = k(lat))."""
    transformer = pyproj.Transformer.from_crs(CRS_WGS84, CRS_LAMBERT93, always_xy=True)
    lats = np.arange(-89.0, 89.01, 0.01)
    scale = pyproj.Proj(CRS_LAMBERT93).get_factors(np.full(lats.shape, 3.0), lats).parallel_scale
    ok = np.isfinite(scale)
    return transformer, lats[ok], np.asarray(scale, dtype=float)[ok]


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lambert-93 ``x, y`` (metres) and scale factor of WGS84 points (NaN stays NaN)."""
    transformer, lats, scale = _projection()
    x, y = transformer.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), np.interp(lat, lats, scale)


# ------------------------------------------------------------------------------------- facets


def _csr(keys: np.ndarray, positions: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Posting lists ``(indptr, rows)``: ``rows[indptr[k]:indptr[k+1]]``, sorted unique positions of key ``k``."""
    span = int(positions.max()) + 1 if len(positions) else 1
    combined = np.sort(keys.astype(np.int64) * span + positions)
    if len(combined):
        combined = combined[np.concatenate(([True], combined[1:] != combined[:-1]))]  # a pair listed twice counts once
    indptr = np.searchsorted(combined, np.arange(size + 1, dtype=np.int64) * span)
    return indptr, (combined % span).astype(np.int32)


@dataclass
class _Facet:
    """One filterable attribute: per-row bit masks (list columns) or category codes, plus postings."""

    vocab: dict[str, int]
    indptr: np.ndarray
    postings: np.ndarray
    bits: np.ndarray | None = None  # uint64 per row (list columns with ≤ 64 codes)
    codes: np.ndarray | None = None  # int32 per row, shifted by one (0 = missing)

    def rows(self, ids: list[int]) -> np.ndarray:
        """Sorted positions holding any of ``ids``."""
        parts = [self.postings[self.indptr[i] : self.indptr[i + 1]] for i in ids]
        return np.unique(np.concatenate(parts)) if len(parts) > 1 else (parts[0] if parts else np.empty(0, np.int32))

    def count(self, ids: list[int]) -> int:
        return int(sum(self.indptr[i + 1] - self.indptr[i] for i in ids))

    def mask(self, ids: list[int], where: slice | np.ndarray) -> np.ndarray:
        """Boolean mask of the positions ``where`` holding any of ``ids``."""
        if self.codes is not None:
            lut = np.zeros(len(self.vocab) + 1, dtype=bool)
            lut[np.asarray(ids, dtype=np.int64) + 1] = True
            return lut[self.codes[where]]
        if self.bits is not None:
            wanted = np.uint64(sum(1 << i for i in ids))
            return (self.bits[where] & wanted) != 0
        hits = self.rows(ids)
        positions = np.arange(where.start, where.stop) if isinstance(where, slice) else where
        return np.isin(positions, hits)


def _explode(values: pd.Series, grid_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Items of a list column and the grid position of their row (missing/empty cells give nothing)."""
    items = pd.Series(values.to_numpy(), index=grid_pos, copy=False).explode()
    items = items[items.notna()]
    return items.to_numpy(dtype=object), items.index.to_numpy(dtype=np.int64)


def _list_facet(values: pd.Series, vocab: list[str], grid_pos: np.ndarray) -> _Facet:
    items, rows = _explode(values, grid_pos)
    ids = pd.Index(vocab).get_indexer(items)
    keep = ids >= 0
    return _bits_facet(*_csr(ids[keep], rows[keep], len(vocab)), vocab, len(grid_pos))


def _bits_facet(indptr: np.ndarray, postings: np.ndarray, vocab: list[str], n: int) -> _Facet:
    bits = None
    if len(vocab) <= 64:
        bits = np.zeros(n, dtype=np.uint64)
        for i in range(len(vocab)):
            bits[postings[indptr[i] : indptr[i + 1]]] |= np.uint64(1 << i)
    return _Facet({v: i for i, v in enumerate(vocab)}, indptr, postings, bits=bits)


def _contracts_facet(kinds: _Facet, n: int) -> _Facet:
    """Reserved-contract articles of each row, derived from its actor kinds (bit operations only)."""
    vocab = taxonomy.codes("reserved_contracts")
    keys, rows = [], []
    for j, article in enumerate(vocab):
        ids = [i for kind, i in kinds.vocab.items() if article in taxonomy.reserved_contracts([kind])]
        hits = kinds.rows(ids) if ids else np.empty(0, np.int32)
        keys.append(np.full(len(hits), j))
        rows.append(hits.astype(np.int64))
    return _bits_facet(*_csr(np.concatenate(keys), np.concatenate(rows), len(vocab)), vocab, n)


def _category_facet(values: pd.Series, grid_pos: np.ndarray) -> _Facet:
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), None), use_na_sentinel=True)
    shifted = np.zeros(len(grid_pos), dtype=np.int32)
    shifted[grid_pos] = codes + 1
    present = codes >= 0
    indptr, postings = _csr(codes[present], grid_pos[present], len(uniques))
    return _Facet({str(v): i for i, v in enumerate(uniques)}, indptr, postings, codes=shifted)


# ------------------------------------------------------------------------------------- text


@dataclass
class _TextIndex:
    """Name and description postings over one sorted vocabulary, and sorted SIRET/SIREN keys."""

    vocab: np.ndarray  # sorted unique tokens (object)
    lookup: dict[str, int]
    fields: tuple[tuple[np.ndarray, np.ndarray, float], ...]  # (indptr, postings, weight)
    ids: tuple[tuple[np.ndarray, np.ndarray], ...]  # (sorted identifiers, positions)

    @classmethod
    def build(cls, gdf: pd.DataFrame, grid_pos: np.ndarray) -> _TextIndex:
        per_field, words = [], []
        for column in ("name", "description"):
            codes, uniques = pd.factorize(gdf[column].astype(object), use_na_sentinel=True)
            joined = normalize_text("\x1f".join(str(u).replace("\x1f", " ") for u in uniques))
            flat = np.array([*_DOC_WORD_RE.findall(joined), "\x1f"], dtype=object)
            sep = flat == "\x1f"
            doc = np.cumsum(sep) - sep  # text number of each word
            keep = ~sep & ~pd.Series(flat).isin(STOPWORDS).to_numpy()
            per_field.append((codes, doc[keep]))
            words.append(flat[keep])
        token_ids, vocab = pd.factorize(np.concatenate(words), sort=True)
        fields, start = [], 0
        for (codes, doc), weight in zip(per_field, (1.0, DESCRIPTION_WEIGHT), strict=True):
            tokens = token_ids[start : start + len(doc)]
            start += len(doc)
            fields.append((*_expand_docs(codes, doc, tokens, grid_pos, len(vocab)), weight))
        ids = []
        for column in ("siret", "siren"):
            values = gdf[column].astype(object).where(gdf[column].notna(), "").astype(str).to_numpy()
            order = np.argsort(values, kind="stable")
            ids.append((values[order], grid_pos[order]))
        vocab = np.asarray(vocab, dtype=object)
        return cls(vocab, {t: i for i, t in enumerate(vocab)}, tuple(fields), tuple(ids))

    def expand(self, token: str) -> list[tuple[int, float]]:
        """Vocabulary entries matching a query token, with their quality."""
        found: dict[int, float] = {}
        if len(token) >= 4:
            maxd = 1 if len(token) <= 6 else 2
            for _t, dist, i in process.extract(token, self.vocab, scorer=OSA.distance, score_cutoff=maxd, limit=None):
                found[i] = TYPO1 if dist <= 1 else TYPO2
        if len(token) >= 3:
            lo, hi = np.searchsorted(self.vocab, [token, token + "\uffff"])
            found.update(dict.fromkeys(range(int(lo), int(hi)), PREFIX))
        if token in self.lookup:
            found[self.lookup[token]] = EXACT
        return list(found.items())

    def token_scores(self, token: str, n: int) -> np.ndarray:
        """Best match quality of ``token`` per position (0 when absent)."""
        best = np.zeros(n, dtype=np.float32)
        if token.isdigit():
            if len(token) >= 5:
                for keys, positions in self.ids:
                    lo, hi = np.searchsorted(keys, [token, token + ":"])  # ':' sorts right after '9'
                    best[positions[lo:hi]] = EXACT
            return best
        for i, quality in sorted(self.expand(token), key=lambda item: item[1]):
            for indptr, postings, weight in self.fields:
                best[postings[indptr[i] : indptr[i + 1]]] = np.maximum(
                    best[postings[indptr[i] : indptr[i + 1]]], quality * weight
                )
        return best


def _expand_docs(
    codes: np.ndarray, doc: np.ndarray, tokens: np.ndarray, grid_pos: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Postings token -> positions from the words of each distinct text (texts shared by rows are read once)."""
    present = codes >= 0
    order = np.argsort(codes[present], kind="stable")
    rows_by_doc = grid_pos[present][order]
    per_doc = np.bincount(codes[present], minlength=int(doc.max()) + 1 if len(doc) else 0)
    doc_start = np.concatenate(([0], np.cumsum(per_doc)))[:-1]
    count = per_doc[doc]
    offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    rows = rows_by_doc[np.repeat(doc_start[doc], count) + offsets]
    return _csr(np.repeat(tokens, count), rows, size)


# ------------------------------------------------------------------------------------- index


class SupplierIndex:
    """Search structures over a canonical actor table, built once.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Canonical actor table (:data:`mapping.schema.COLUMNS`), point geometries. Not modified; keep the
        index in ``st.cache_resource`` next to the table it was built from.
    """

    def __init__(self, gdf: gpd.GeoDataFrame) -> None:
        start = time.perf_counter()
        self._gdf = gdf.copy(deep=False)
        geometry = gdf.geometry if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.geometry.to_crs(CRS_WGS84)
        points = geometry.to_numpy()
        lon, lat = shapely.get_x(points), shapely.get_y(points)
        x, y, scale = project(lon, lat)
        self.n = n = len(gdf)
        located = np.isfinite(x) & np.isfinite(y)
        self._origin = (float(np.nanmin(x)), float(np.nanmin(y))) if located.any() else (0.0, 0.0)
        cx = np.where(located, (x - self._origin[0]) // CELL_M, 0).astype(np.int64)
        cy = np.where(located, (y - self._origin[1]) // CELL_M, 0).astype(np.int64)
        self._width = int(cx.max()) + 1 if n else 1
        self._height = int(cy.max()) + 1 if n else 0
        cell = np.where(located, cy * self._width + cx, np.iinfo(np.int64).max)  # unlocated rows last
        self._perm = np.argsort(cell, kind="stable")  # grid position -> row position
        grid_pos = np.empty(n, dtype=np.int64)
        grid_pos[self._perm] = np.arange(n)
        self._cell = cell[self._perm]
        self._x, self._y, self._scale = x[self._perm], y[self._perm], scale[self._perm]
        self._max_scale = float(np.nanmax(scale)) if located.any() else 1.0

        self._facets: dict[str, _Facet] = {}
        for column in taxonomy.TAXONOMIES:
            self._facets[column] = _list_facet(gdf[column], taxonomy.codes(column), grid_pos)
        sources = set(_explode(gdf["sources"], grid_pos)[0]) | _registered_sources()
        self._facets["sources"] = _list_facet(gdf["sources"], sorted(map(str, sources)), grid_pos)
        self._facets["reserved_contracts"] = _contracts_facet(self._facets["actor_kinds"], n)
        for criterion, column in _AREA_COLUMNS.items():
            self._facets[criterion] = _category_facet(gdf[column], grid_pos)
        self._text = _TextIndex.build(gdf, grid_pos)
        self.build_seconds = time.perf_counter() - start
        logger.info("search index: %d actors in %.2f s", n, self.build_seconds)

    def __len__(self) -> int:
        return self.n

    # ------------------------------------------------------------------ criteria

    def _wanted(self, criteria: dict[str, object]) -> list[tuple[_Facet, list[int]]]:
        """Validate every criterion; return ``(facet, ids)`` pairs (an empty id list matches nothing)."""
        from mapping import geography  # local import: reference tables load lazily

        out = []
        for name, value in criteria.items():
            values = _as_values(value)
            if not values:
                continue
            if name in _TAXONOMY_ERRORS:
                values = _taxonomy_codes(name, values)
            elif name in _AREA_ERRORS:
                values = _area_codes(name, values, geography)
            else:  # sources
                unknown = [v for v in values if v not in self._facets["sources"].vocab]
                if unknown:
                    msg = f"Source inconnue : {', '.join(unknown)}"
                    raise ValueError(msg)
            facet = self._facets[name]
            out.append((facet, sorted({facet.vocab[v] for v in values if v in facet.vocab})))
        return out

    def search(
        self,
        *,
        text: str | None = None,
        purchase_families: Iterable[str] | str | None = None,
        waste_types: Iterable[str] | str | None = None,
        product_types: Iterable[str] | str | None = None,
        actor_kinds: Iterable[str] | str | None = None,
        labels: Iterable[str] | str | None = None,
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
            Copies of the matching rows (original index), plus ``distance_km`` when ``near`` is given.
            Order: distance, else text relevance, else table order.

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
                "reserved_contracts": reserved_contracts,
                "sources": sources,
                "departements": departements,
                "epcis": epcis,
                "communes": communes,
            }
        )
        query = _check_geometry(near, radius_km, limit)
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
            order = np.argsort(rows, kind="stable")[:limit]
        result = self._gdf.iloc[rows[order]]
        if query is not None:
            result = result.assign(distance_km=distances[order] / 1000.0)
        return result

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
        self, wanted: list[tuple[_Facet, list[int]]], cover: np.ndarray | None, query: tuple | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Grid positions passing every filter (and the radius), with distances in metres when ``near``."""
        if any(not ids for _facet, ids in wanted):
            return np.empty(0, dtype=np.int64), (np.empty(0) if query is not None else None)

        def passing(where: slice | np.ndarray) -> np.ndarray | None:
            mask = None
            for facet, ids in wanted:
                part = facet.mask(ids, where)
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
            facet, ids = min(wanted, key=lambda item: item[0].count(item[1]))
            if facet.count(ids) * 32 < self.n:
                positions = facet.rows(ids).astype(np.int64)
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


def _as_values(value: object) -> list[str]:
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


def _taxonomy_codes(name: str, values: list[str]) -> list[str]:
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
        msg = f"{_TAXONOMY_ERRORS[name]} : {', '.join(unknown)}"
        raise ValueError(msg)
    return out


def _area_codes(name: str, values: list[str], geography: object) -> list[str]:
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
        msg = f"{_AREA_ERRORS[name]} : {', '.join(unknown)}"
        raise ValueError(msg)
    return values


@lru_cache(maxsize=1)
def _commune_codes() -> frozenset[str]:
    from mapping import geography

    return frozenset(geography.communes()["code_insee"])


def _registered_sources() -> set[str]:
    try:
        import connectors  # local import: the core does not need connectors
    except ImportError:  # pragma: no cover - connectors ship with the app
        return set()
    return set(connectors.REGISTRY)


def _check_geometry(
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


def search(gdf: gpd.GeoDataFrame, **criteria: object) -> gpd.GeoDataFrame:
    """Search ``gdf`` with a throwaway :class:`SupplierIndex` (see :meth:`SupplierIndex.search`)."""
    return SupplierIndex(gdf).search(**criteria)
