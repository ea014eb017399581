"""Blocking of a buyer's list against the actor table: which (row, actor) pairs are worth scoring.

The keys are the deduplication engine's (:mod:`mapping.dedup.normalise`, :mod:`mapping.dedup.keys`):
normalised name, its rarest words, phonetic key, name without the commune, street, postcode, city.
Each *pass* pairs a row with the actors sharing its key; a key many actors share (a common word in a
big town) gives only the ``window`` actors nearest to the row in the pass's order (the name, or the
postcode for a word alone): the sorted neighbourhood of :mod:`mapping.dedup.block`, one side being
the list. The actor side of the keys is computed once per actor table (:func:`actor_keys`, cached),
so a 10,000-row list against a million actors costs a few joins of integer codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapping.dedup import keys, normalise

#: Key columns of both sides.
KEY_COLUMNS = ("name", "token1", "token2", "phonetic", "core", "street", "postcode", "city", "departement")


@dataclass(frozen=True)
class BlockingPass:
    """A key (one or two key columns), the order inside a block and the neighbours kept per row."""

    name: str
    columns: tuple[str, ...]
    order: str
    window: int


PASSES: tuple[BlockingPass, ...] = (
    BlockingPass("nom identique", ("name",), "postcode", 10),
    BlockingPass("code postal+mot rare", ("postcode", "token1"), "name", 6),
    BlockingPass("code postal+second mot rare", ("postcode", "token2"), "name", 4),
    BlockingPass("ville+mot rare", ("city", "token1"), "name", 6),
    BlockingPass("département+mot rare", ("departement", "token1"), "name", 4),
    BlockingPass("mot rare", ("token1",), "postcode", 4),
    BlockingPass("second mot rare", ("token2",), "postcode", 3),
    BlockingPass("nom phonétique", ("phonetic",), "postcode", 4),
    BlockingPass("nom sans la commune", ("core",), "postcode", 3),
    BlockingPass("code postal+voie", ("postcode", "street"), "name", 4),
    BlockingPass("ville+voie", ("city", "street"), "name", 3),
    BlockingPass("code postal (voisinage du nom)", ("postcode",), "name", 2),
    BlockingPass("ville (voisinage du nom)", ("city",), "name", 2),
)


def key_fields(names: pd.Series, addresses: pd.Series, postcodes: pd.Series, cities: pd.Series) -> pd.DataFrame:
    """Normalised key fields (``""`` when missing), without the rare words (they need the actors' counts)."""
    index = pd.RangeIndex(len(names))
    names, addresses = names.reset_index(drop=True), addresses.reset_index(drop=True)
    postcode = keys.postcodes(postcodes.reset_index(drop=True))
    city = keys.cities(cities.reset_index(drop=True))
    name = pd.Series(normalise.name_fields(names)["name"].to_numpy(), index=index, dtype=object)
    street = keys.streets(normalise.addresses(addresses))
    french = postcode.str.fullmatch(r"\d{5}")
    out = pd.DataFrame(index=index)
    out["name"] = name
    out["phonetic"] = keys.phonetic_keys(name).to_numpy()
    out["core"] = keys.core_names(name, city).to_numpy()
    out["street"] = street.to_numpy()
    out["postcode"] = postcode.to_numpy()
    out["city"] = city.to_numpy()
    out["departement"] = postcode.str.slice(0, 2).where(french, "").to_numpy()
    return out


def _ranked_tokens(names: pd.Series, frequency: pd.Series, count: int = 2) -> list[np.ndarray]:
    """The ``count`` rarest words of each name among the actors' words (unknown words, often typos,
    skipped; one- and two-letter words only when nothing else is left)."""
    n = len(names)
    exploded = names.str.split().explode()
    exploded = exploded[exploded.notna() & (exploded != "")]
    frame = pd.DataFrame({"row": exploded.index.to_numpy(dtype=np.int64), "token": exploded.to_numpy(dtype=object)})
    frame = frame.drop_duplicates()
    frame["freq"] = frequency.reindex(frame["token"].to_numpy()).to_numpy()
    frame = frame[frame["freq"].notna()]
    frame["short"] = frame["token"].str.len() <= 2
    frame = frame.sort_values(["row", "short", "freq", "token"], kind="stable")
    frame["rank"] = frame.groupby("row").cumcount()
    out = []
    for k in range(count):
        col = np.full(n, "", dtype=object)
        take = frame[frame["rank"] == k]
        col[take["row"].to_numpy()] = take["token"].to_numpy(dtype=object)
        out.append(col)
    return out


@dataclass
class ActorKeys:
    """The actor side of the keys: per key column, the distinct values and each actor's code."""

    size: int
    frequency: pd.Series
    values: dict[str, pd.Index]
    codes: dict[str, np.ndarray]

    def row_codes(self, rows: pd.DataFrame) -> dict[str, np.ndarray]:
        """Codes of the rows' key values in the actors' code space (``-1``: empty or unknown), and
        under ``<column>_rank`` the place each value would take among the actors' sorted values."""
        out = {}
        for column, index in self.values.items():
            values = rows[column].to_numpy(dtype=object)
            codes = index.get_indexer(values).astype(np.int64)
            codes[values == ""] = -1
            out[column] = codes
            out[f"{column}_rank"] = index.searchsorted(values).astype(np.int64)
        return out


def actor_keys(actors: pd.DataFrame) -> ActorKeys:
    """The key fields of every actor, as integer codes (computed once per table by the caller's cache)."""
    fields = key_fields(
        _text(actors, "name"), _text(actors, "address"), _text(actors, "postcode"), _text(actors, "city")
    )
    tokens = fields["name"].str.split().explode()
    frequency = tokens[tokens.notna() & (tokens != "")].value_counts()
    fields["token1"], fields["token2"] = _ranked_tokens(fields["name"], frequency)
    values, codes = {}, {}
    for column in KEY_COLUMNS:
        raw, uniques = pd.factorize(fields[column].to_numpy(dtype=object), sort=True)  # codes in value order
        values[column] = pd.Index(uniques, dtype=object)
        codes[column] = raw.astype(np.int64)
        empty = values[column].get_indexer([""])[0]
        if empty >= 0:
            codes[column][codes[column] == empty] = -1
    return ActorKeys(size=len(actors), frequency=frequency, values=values, codes=codes)


def row_keys(rows: pd.DataFrame, actor_side: ActorKeys) -> dict[str, np.ndarray]:
    """The list's key codes, its rare words ranked by the actors' word counts."""
    fields = key_fields(_text(rows, "name"), _text(rows, "address"), _text(rows, "postcode"), _text(rows, "city"))
    fields["token1"], fields["token2"] = _ranked_tokens(fields["name"], actor_side.frequency)
    return actor_side.row_codes(fields)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), dtype=object)
    return normalise.text(frame[column].reset_index(drop=True))


def _combined(codes: dict[str, np.ndarray], columns: tuple[str, ...], sizes: dict[str, int]) -> np.ndarray:
    out = None
    valid = None
    for column in columns:
        c = codes[column]
        valid = c >= 0 if valid is None else valid & (c >= 0)
        out = c if out is None else out * (sizes[column] + 1) + c
    assert out is not None and valid is not None
    return np.where(valid, out, -1)


def neighbours(
    actor_key: np.ndarray, actor_order: np.ndarray, row_key: np.ndarray, row_order: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row, actor) of one key: every actor of the row's block when it holds at most ``window``,
    else the ``window`` actors nearest to the row in ``order`` (a sorted neighbourhood)."""
    valid = np.flatnonzero(actor_key >= 0)
    rows = np.flatnonzero(row_key >= 0)
    if not len(valid) or not len(rows):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    span = np.int64(max(actor_order.max(initial=0), row_order.max(initial=0))) + 2
    actor_sort = actor_key[valid].astype(np.int64) * span + actor_order[valid] + 1
    perm = np.argsort(actor_sort, kind="stable")
    sorted_keys, sorted_actors = actor_sort[perm], valid[perm]
    lo = np.searchsorted(sorted_keys, row_key[rows].astype(np.int64) * span, side="left")
    hi = np.searchsorted(sorted_keys, (row_key[rows].astype(np.int64) + 1) * span, side="left")
    present = hi > lo
    rows, lo, hi = rows[present], lo[present], hi[present]
    if not len(rows):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    at = np.searchsorted(sorted_keys, row_key[rows].astype(np.int64) * span + row_order[rows] + 1)
    start = np.clip(at - window // 2, lo, np.maximum(hi - window, lo))
    offsets = np.arange(window)
    positions = start[:, None] + offsets[None, :]
    inside = positions < hi[:, None]
    r = np.repeat(rows, window).reshape(-1, window)[inside]
    a = sorted_actors[np.minimum(positions, len(sorted_actors) - 1)][inside]
    return r, a


def candidate_pairs(rows: dict[str, np.ndarray], actor_side: ActorKeys) -> tuple[np.ndarray, np.ndarray]:
    """Union of the (row, actor) pairs of every pass in :data:`PASSES` (each pair once, sorted)."""
    sizes = {c: len(v) for c, v in actor_side.values.items()}
    n_actors = max(actor_side.size, 1)
    found = []
    for blocking in PASSES:
        a_key = _combined(actor_side.codes, blocking.columns, sizes)
        r_key = _combined(rows, blocking.columns, sizes)
        a_order = np.maximum(actor_side.codes[blocking.order], 0)
        r, a = neighbours(a_key, a_order, r_key, rows[f"{blocking.order}_rank"], blocking.window)
        found.append(r * n_actors + a)
    pairs = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return pairs // n_actors, pairs % n_actors
