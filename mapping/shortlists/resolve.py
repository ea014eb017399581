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


def _key_index(actors: pd.DataFrame) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    by_uid = {u: i for i, u in enumerate(actors["uid"].tolist())}
    by_siret = {}
    for i, s in enumerate(actors["siret"].tolist() if "siret" in actors else []):
        if isinstance(s, str) and s:
            by_siret.setdefault(s, i)
    by_key = {}
    for i, keys in enumerate(actors["source_keys"].tolist() if "source_keys" in actors else []):
        for k in as_list(keys):
            by_key.setdefault(str(k), i)
    return by_uid, by_siret, by_key


def resolve(actors: gpd.GeoDataFrame, items: list[dict[str, Any]]) -> Resolved:
    """Match ``items`` (:meth:`ShortlistStore.items`) with ``actors`` (the built table)."""
    by_uid, by_siret, by_key = _key_index(actors)
    rows: list[int] = []
    kept: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    relinked: dict[str, str] = {}
    seen: set[int] = set()
    for item in sorted(items, key=lambda it: it.get("position", 0)):
        snap = item.get("snapshot") or {}
        row = by_uid.get(item["uid"])
        if row is None and snap.get("siret"):
            row = by_siret.get(snap["siret"])
        if row is None:
            row = next((by_key[k] for k in snap.get("source_keys", []) if k in by_key), None)
        if row is None or row in seen:  # two items now one actor (merged by a rebuild): show it once
            if row is None:
                missing.append(item)
            continue
        seen.add(row)
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
