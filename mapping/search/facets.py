"""Facets of :class:`mapping.search.index.SupplierIndex`: per-code posting lists, row bit masks, category codes.

Each code-list column (``actor_kinds``, ``purchase_families``…, ``sources`` and the reserved-contract
articles derived from the kinds) becomes a bit mask per row plus a posting list per code;
``departement``, ``epci`` and ``code_insee`` become categorical codes with posting lists.
Positions are grid positions (see :mod:`mapping.search.index`). Private: the public API is ``mapping.search.index``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from mapping.reference import taxonomy
from mapping.reference.arrow import contiguous


def csr(keys: np.ndarray, positions: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Posting lists ``(indptr, rows)``: ``rows[indptr[k]:indptr[k+1]]``, sorted unique positions of key ``k``."""
    span = int(positions.max()) + 1 if len(positions) else 1
    combined = np.sort(keys.astype(np.int64) * span + positions)
    if len(combined):
        combined = combined[np.concatenate(([True], combined[1:] != combined[:-1]))]  # a pair listed twice counts once
    indptr = np.searchsorted(combined, np.arange(size + 1, dtype=np.int64) * span)
    return indptr, (combined % span).astype(np.int32)


@dataclass
class Facet:
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


class Wanted(NamedTuple):
    """One criterion of a search: its facet, the wanted ids, and whether a row needs all of them."""

    facet: Facet
    ids: list[int]
    all_of: bool = False


def _exploded(values: pd.Series, grid_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Items of a list column without per-row Python work on shared lists.

    Returns the items of the *distinct* list objects concatenated (``flat``), and for every item of
    every row its index in ``flat`` and the row's grid position. ``mapping.store`` shares equal code
    lists, so a million rows hold a few hundred distinct lists; unshared lists just cost one pass.
    Missing cells and non-list values give nothing.
    """
    cells = values.to_numpy(dtype=object)
    identity = np.fromiter(map(id, cells), dtype=np.int64, count=len(cells))
    _, first_row, first = np.unique(identity, return_index=True, return_inverse=True)  # first: distinct number
    distinct = cells[first_row]
    lists = [v if isinstance(v, (list, tuple, np.ndarray)) else () for v in distinct]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.empty(int(lengths.sum()), dtype=object)
    flat[:] = [item for cell in lists for item in cell]
    starts = np.cumsum(lengths) - lengths
    per_row = lengths[first]
    total = int(per_row.sum())
    where = np.repeat(starts[first], per_row) + np.arange(total) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return flat, where, np.repeat(np.asarray(grid_pos, dtype=np.int64), per_row)


def explode(values: pd.Series, grid_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Items of a list column and the grid position of their row (missing/empty cells give nothing)."""
    flat, where, rows = _exploded(values, grid_pos)
    items = flat[where]
    keep = pd.notna(items)
    return items[keep], rows[keep]


def list_facet(values: pd.Series, vocab: list[str], grid_pos: np.ndarray) -> Facet:
    flat, where, rows = _exploded(values, grid_pos)
    ids = pd.Index(vocab).get_indexer(pd.Index(flat, dtype=object))[where]  # looked up once per distinct list
    keep = ids >= 0
    return _bits_facet(*csr(ids[keep], rows[keep], len(vocab)), vocab, len(grid_pos))


def _bits_facet(indptr: np.ndarray, postings: np.ndarray, vocab: list[str], n: int) -> Facet:
    bits = None
    if len(vocab) <= 64:
        bits = np.zeros(n, dtype=np.uint64)
        for i in range(len(vocab)):
            bits[postings[indptr[i] : indptr[i + 1]]] |= np.uint64(1 << i)
    return Facet({v: i for i, v in enumerate(vocab)}, indptr, postings, bits=bits)


def contracts_facet(kinds: Facet, n: int) -> Facet:
    """Reserved-contract articles of each row, derived from its actor kinds (bit operations only)."""
    vocab = taxonomy.codes("reserved_contracts")
    keys, rows = [], []
    for j, article in enumerate(vocab):
        ids = [i for kind, i in kinds.vocab.items() if article in taxonomy.reserved_contracts([kind])]
        hits = kinds.rows(ids) if ids else np.empty(0, np.int32)
        keys.append(np.full(len(hits), j))
        rows.append(hits.astype(np.int64))
    return _bits_facet(*csr(np.concatenate(keys), np.concatenate(rows), len(vocab)), vocab, n)


def arrow_strings(values: pd.Series) -> pa.Array:
    """A string column as one contiguous pyarrow array (no copy when it is pyarrow-backed already)."""
    data = contiguous(values.array)
    if data is None or not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        objects = values.to_numpy(dtype=object)
        data = pa.array([None if pd.isna(v) else str(v) for v in objects], type=pa.large_string())
    return data


def factorize(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """``pd.factorize`` for string columns at pyarrow speed: codes (-1 when missing), uniques in order of
    appearance."""
    encoded = arrow_strings(values).dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary.to_pylist()


def category_facet(values: pd.Series, grid_pos: np.ndarray) -> Facet:
    codes, uniques = factorize(values)
    shifted = np.zeros(len(grid_pos), dtype=np.int32)
    shifted[grid_pos] = codes + 1
    present = codes >= 0
    indptr, postings = csr(codes[present], grid_pos[present], len(uniques))
    return Facet({str(v): i for i, v in enumerate(uniques)}, indptr, postings, codes=shifted)
