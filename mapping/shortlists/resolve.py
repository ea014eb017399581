"""A shortlist's items against the built actor table: who is still there, who is not, and who moved.

An item refers to an actor by ``uid`` (:func:`mapping.reference.survivorship.make_uid`: a hash of the
actor's SIRET, or of its smallest ``source:source_id`` key when it has none). A rebuild keeps the
``uid`` as long as that key is the same; it changes when an actor without SIRET gains one (enrichment)
or when a record with a smaller key joins its cluster. So :func:`resolve` looks an item up by ``uid``,
then by the SIRET, then by the source keys of the snapshot stored when it was added: such an actor is
shown (and flagged as found again), not lost. Only an actor found by none of them is « n'est plus dans
les données », shown with what the snapshot knew of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from mapping.reference.schema import as_list

#: Columns copied into an item's snapshot when it is added.
SNAPSHOT_COLUMNS = ("name", "city", "postcode", "siret", "source_keys")


def _text(value: object) -> str:
    if value is None or (not isinstance(value, (str, list)) and pd.isna(value)):
        return ""
    return str(value)


def snapshot_of(actors: pd.DataFrame, uid: str) -> dict[str, Any]:
    """What is known of actor ``uid`` now (name, commune, postcode, SIRET, source keys); ``{}`` if absent."""
    found = actors.index[actors["uid"] == uid]
    if not len(found):
        return {}
    row = actors.loc[found[0]]
    snap: dict[str, Any] = {c: _text(row.get(c)) for c in SNAPSHOT_COLUMNS if c != "source_keys"}
    snap["source_keys"] = [str(k) for k in as_list(row.get("source_keys"))]
    return snap


@dataclass
class Resolved:
    """A shortlist seen through the current actor table.

    ``actors``: the actors still there, in list order, with the item's ``note``, ``position``,
    ``added_at`` and ``item_uid`` (the uid the list holds; differs from ``uid`` when found again by
    SIRET or source key). ``missing``: the items no actor matches (``uid``, ``note``, ``position``,
    ``added_at``, ``snapshot``). ``relinked``: ``item uid -> current uid``.
    """

    actors: gpd.GeoDataFrame
    missing: list[dict[str, Any]] = field(default_factory=list)
    relinked: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.actors) + len(self.missing)


def _positions(actors: pd.DataFrame, items: list[dict[str, Any]]) -> list[int | None]:
    """Row of each item in ``actors``: by uid (vectorised), then SIRET, then source key — the slower
    look-ups only for the items the previous one did not find."""
    index = pd.Index(actors["uid"])
    if not index.is_unique:  # never in a built table (survive dedupes uids); first row wins
        index = pd.Index(actors["uid"].where(~actors["uid"].duplicated()))
    found: list[int | None] = [int(i) if i >= 0 else None for i in index.get_indexer([it["uid"] for it in items])]
    snaps = [it.get("snapshot") or {} for it in items]
    wanted = {snap["siret"] for snap, row in zip(snaps, found, strict=True) if row is None and snap.get("siret")}
    if wanted and "siret" in actors:
        hits = actors["siret"].isin(wanted).to_numpy().nonzero()[0]
        by_siret: dict[str, int] = {}
        for row in hits.tolist():
            by_siret.setdefault(actors["siret"].iat[row], row)
        found = [
            row if row is not None else by_siret.get(snap.get("siret")) for snap, row in zip(snaps, found, strict=True)
        ]
    keys = {k for snap, row in zip(snaps, found, strict=True) if row is None for k in snap.get("source_keys", [])}
    if keys and "source_keys" in actors:
        by_key: dict[str, int] = {}
        for row, values in enumerate(actors["source_keys"].tolist()):
            for key in as_list(values):
                if key in keys:
                    by_key.setdefault(key, row)
        found = [
            row if row is not None else next((by_key[k] for k in snap.get("source_keys", []) if k in by_key), None)
            for snap, row in zip(snaps, found, strict=True)
        ]
    return found


def resolve(actors: gpd.GeoDataFrame, items: list[dict[str, Any]]) -> Resolved:
    """Match ``items`` (:meth:`ShortlistStore.items`) with ``actors`` (the built table)."""
    ordered = sorted(items, key=lambda it: it.get("position", 0))
    rows: list[int] = []
    kept: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    relinked: dict[str, str] = {}
    # Two items that a rebuild merged into one actor both stay (flagged as found again): the user
    # sees the duplicate and removes one; nothing disappears without being shown.
    for item, row in zip(ordered, _positions(actors, ordered), strict=True):
        if row is None:
            missing.append(item)
            continue
        rows.append(row)
        kept.append(item)
        if actors["uid"].iat[row] != item["uid"]:
            relinked[item["uid"]] = actors["uid"].iat[row]
    found = actors.iloc[rows].copy()
    found["item_uid"] = [it["uid"] for it in kept]
    found["note"] = [it.get("note", "") for it in kept]
    found["position"] = [it.get("position", 0) for it in kept]
    found["added_at"] = [it.get("added_at", "") for it in kept]
    return Resolved(found.reset_index(drop=True), missing, relinked)
