"""Facets of :class:`mapping.search.SupplierIndex`: per-code posting lists, row bit masks, category codes.

Each code-list column (``actor_kinds``, ``purchase_families``…, ``sources`` and the reserved-contract
articles derived from the kinds) becomes a bit mask per row plus a posting list per code;
``departement``, ``epci`` and ``code_insee`` become categorical codes with posting lists.
Positions are grid positions (see :mod:`mapping.search`). Private: the public API is ``mapping.search``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from mapping import taxonomy


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

    def rows(self, ids: list[int], *, all_of: bool = False) -> np.ndarray:
        """Sorted positions holding any of ``ids`` (every one of them with ``all_of``)."""
        parts = [self.postings[self.indptr[i] : self.indptr[i + 1]] for i in ids]
        if len(parts) <= 1:
            return parts[0] if parts else np.empty(0, np.int32)
        if not all_of:
            return np.unique(np.concatenate(parts))
        found = parts[0]
        for part in parts[1:]:
            found = np.intersect1d(found, part, assume_unique=True)
        return found

    def count(self, ids: list[int], *, all_of: bool = False) -> int:
        """Postings of ``ids``: an upper bound of :meth:`rows` (exact without ``all_of``)."""
        sizes = [int(self.indptr[i + 1] - self.indptr[i]) for i in ids]
        return (min(sizes) if all_of else sum(sizes)) if sizes else 0

    def mask(self, ids: list[int], where: slice | np.ndarray, *, all_of: bool = False) -> np.ndarray:
        """Boolean mask of the positions ``where`` holding any of ``ids`` (every one with ``all_of``)."""
        if self.codes is not None:
            lut = np.zeros(len(self.vocab) + 1, dtype=bool)
            if not all_of or len(ids) <= 1:  # one code per row: it cannot hold two
                lut[np.asarray(ids, dtype=np.int64) + 1] = True
            return lut[self.codes[where]]
        if self.bits is not None:
            wanted = np.uint64(sum(1 << i for i in ids))
            found = self.bits[where] & wanted
            return found == wanted if all_of else found != 0
        hits = self.rows(ids, all_of=all_of)
        positions = np.arange(where.start, where.stop) if isinstance(where, slice) else where
        return np.isin(positions, hits)


class _Wanted(NamedTuple):
    """One criterion of a search: its facet, the wanted ids, and whether a row needs all of them."""

    facet: _Facet
    ids: list[int]
    all_of: bool = False


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
