"""Blocking: which record pairs are worth comparing.

Each *pass* is a key (exact SIRET, SIREN, phone, web domain, e-mail; commune, postcode or city ×
rare name token, address, street, initials; phonetic name key; rare name or street token alone;
commune, postcode, city alone) and a window: records are sorted by
(key, normalised name) and each record is paired with the next ``window`` records of the same key
(sorted neighbourhood). Small blocks are thus compared in full and a big block costs
``window × size`` pairs instead of ``size²``, so the number of pairs grows linearly with the input.
The passes are unioned. Passes that found no true pair the others missed, on any labelled set
(département × name token, city × street, street alone, second name token alone or by commune),
were dropped: each cost more comparisons than it brought.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapping.dedup.normalise import column_codes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BlockingPass:
    """A blocking key (a column of the prepared frame, or a combination) and its window."""

    name: str
    columns: tuple[str, ...]
    window: int


PASSES: tuple[BlockingPass, ...] = (
    BlockingPass("siret", ("siret",), 8),
    BlockingPass("siren", ("siren",), 8),
    BlockingPass("telephone", ("phone",), 6),
    BlockingPass("domaine", ("domain",), 6),
    BlockingPass("email", ("email",), 6),
    BlockingPass("commune+mot rare", ("commune", "token1"), 10),
    BlockingPass("commune+adresse", ("commune", "address"), 6),
    BlockingPass("commune+nom sans la commune", ("commune", "core"), 6),
    BlockingPass("commune+sigle", ("commune", "abbrev1"), 6),
    BlockingPass("commune+sigle (sans articles)", ("commune", "abbrev2"), 6),
    BlockingPass("commune+sigle (avec forme juridique)", ("commune", "abbrev3"), 6),
    # the commune key differs when one record has its INSEE code and the other only a postcode
    # and a city, or when either is misspelt: postcode and city each block on their own
    BlockingPass("code postal+mot rare", ("postcode", "token1"), 6),
    BlockingPass("ville+mot rare", ("city", "token1"), 6),
    BlockingPass("code postal+voie", ("postcode", "street"), 6),
    BlockingPass("nom phonetique", ("phonetic",), 4),
    # no geography at all: a postcode and a city both misspelt, or a foreign address
    BlockingPass("mot rare du nom", ("token1",), 4),
    BlockingPass("mot rare de la voie", ("street_token",), 4),
    BlockingPass("commune (voisinage du nom)", ("commune",), 3),
    BlockingPass("code postal (voisinage du nom)", ("postcode",), 3),
    BlockingPass("ville (voisinage du nom)", ("city",), 3),
)


def rare_tokens(name_keys: pd.Series, *, count: int = 2) -> list[np.ndarray]:
    """The ``count`` rarest tokens of each name that occur in at least two records.

    A token seen once (often a typo) can never block two records, so it is skipped; short tokens
    (one or two characters) only serve when nothing else does.

    Returns
    -------
    list of numpy.ndarray
        ``count`` object arrays aligned with ``name_keys`` (``""`` when there is no such token).
    """
    n = len(name_keys)
    tokens = pd.Series(name_keys.to_numpy(dtype=object), dtype=object).str.split()
    exploded = tokens.explode()
    exploded = exploded[exploded.notna() & (exploded != "")]
    row = exploded.index.to_numpy(dtype=np.int64)
    tok = exploded.to_numpy(dtype=object)
    codes, uniques = pd.factorize(tok)
    df = np.bincount(codes, minlength=len(uniques))
    # de-duplicate tokens inside a record, then rank: usable first, rare first, then alphabetical
    key = pd.DataFrame({"row": row, "code": codes}).drop_duplicates()
    row, codes = key["row"].to_numpy(), key["code"].to_numpy()
    freq = df[codes]
    short = np.array([len(t) <= 2 for t in uniques.tolist()], dtype=bool)[codes]
    usable = freq >= 2
    order = np.lexsort((codes, freq, short, ~usable, row))
    row, codes, usable = row[order], codes[order], usable[order]
    rank = np.arange(len(row)) - np.searchsorted(row, row)
    out = []
    names = np.asarray(uniques, dtype=object)
    for k in range(count):
        col = np.full(n, "", dtype=object)
        take = (rank == k) & usable
        col[row[take]] = names[codes[take]]
        out.append(col)
    return out


_Codes = dict[str, tuple[np.ndarray, int]]


def _column_codes(prepared: pd.DataFrame, column: str, cache: _Codes) -> tuple[np.ndarray, int]:
    """Integer codes of a prepared column (-1 for ``""``) and their count, computed once per column."""
    if column not in cache:
        codes, uniques = column_codes(prepared[column])
        cache[column] = (codes, len(uniques))
    return cache[column]


def _key_codes(prepared: pd.DataFrame, columns: tuple[str, ...], cache: _Codes | None = None) -> np.ndarray:
    """Integer code of the combined key of each record; -1 when any part is empty."""
    cache = {} if cache is None else cache
    valid = np.ones(len(prepared), dtype=bool)
    combined = None
    for column in columns:
        codes, size = _column_codes(prepared, column, cache)
        valid &= codes >= 0
        combined = codes if combined is None else combined * (size + 1) + codes
    assert combined is not None
    combined, _ = pd.factorize(combined)
    return np.where(valid, combined, -1)


def sorted_neighbourhood(keys: np.ndarray, sort_by: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)`` of records with the same key within ``window`` places in (key, sort_by) order."""
    idx = np.flatnonzero(keys >= 0)
    if len(idx) < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    # one integer sort on (key, sort_by) instead of a lexsort
    span = np.int64(sort_by.max()) + 1 if len(sort_by) else np.int64(1)
    order = idx[np.argsort(keys[idx].astype(np.int64) * span + sort_by[idx], kind="stable")]
    k = keys[order]
    left, right = [], []
    for d in range(1, window + 1):
        if d >= len(order):
            break
        same = k[d:] == k[:-d]
        if not same.any():
            break
        left.append(order[:-d][same])
        right.append(order[d:][same])
    if not left:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)


def candidate_pairs(
    prepared: pd.DataFrame, passes: tuple[BlockingPass, ...] = PASSES
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Union of the pairs of every blocking pass.

    Parameters
    ----------
    prepared : pandas.DataFrame
        Output of :func:`mapping.dedup.compare.prepare` (``""`` for missing values).
    passes : tuple of BlockingPass
        Blocking passes to union.

    Returns
    -------
    tuple
        ``(i, j, counts)``: position arrays with ``i < j`` (each pair once) and the number of pairs
        each pass proposed.
    """
    n = len(prepared)
    codes, uniques = column_codes(prepared["name"])
    rank = np.empty(len(uniques) + 1, dtype=np.int64)
    rank[np.argsort(uniques.astype(str), kind="stable")] = np.arange(1, len(uniques) + 1)
    rank[-1] = 0  # empty names first
    sort_by = rank[codes]
    encoded = []
    counts: dict[str, int] = {}
    cache: _Codes = {}
    for blocking in passes:
        i, j = sorted_neighbourhood(_key_codes(prepared, blocking.columns, cache), sort_by, blocking.window)
        counts[blocking.name] = len(i)
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        encoded.append(lo.astype(np.int64) * n + hi)
    pairs = np.concatenate(encoded) if encoded else np.empty(0, dtype=np.int64)
    del encoded
    pairs.sort()  # in place: the union of 1M records' passes is a few hundred MB
    if len(pairs):
        keep = np.ones(len(pairs), dtype=bool)
        keep[1:] = pairs[1:] != pairs[:-1]
        pairs = pairs[keep]
    counts["total (union)"] = len(pairs)
    logger.info("blocking: %d paires candidates pour %d enregistrements", len(pairs), n)
    return pairs // max(n, 1), pairs % max(n, 1), counts
