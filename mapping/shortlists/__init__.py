"""Shortlists (« Sélections ») of the support cell: persisted, shared, resolved against the built table.

Public seams: :func:`open_store` (SQLite by default, ``SOURCIER_DATABASE_URL`` for PostgreSQL) and its
:class:`ShortlistStore` (``create, lists, add, remove, set_note, move, items, rename, delete``);
:func:`snapshot_of` (what to keep of an actor when adding it) and :func:`resolve` (a list against the
current actors, « n'est plus dans les données » included). :func:`add_actor` is what the supplier card's
« Ajouter à une sélection » calls.
"""

from __future__ import annotations

import pandas as pd

from mapping.shortlists.resolve import SNAPSHOT_COLUMNS, Resolved, resolve, snapshot_of
from mapping.shortlists.store import (
    SCHEMA_VERSION,
    ShortlistStore,
    UnknownListError,
    close_all,
    default_url,
    open_store,
)


def add_actor(store: ShortlistStore, list_id: str, actors: pd.DataFrame, uid: str, note: str = "") -> bool:
    """Add actor ``uid`` of ``actors`` to a list with a snapshot of it (False when already there)."""
    return store.add(list_id, uid, note, snapshot=snapshot_of(actors, uid))


__all__ = [
    "SCHEMA_VERSION",
    "SNAPSHOT_COLUMNS",
    "Resolved",
    "ShortlistStore",
    "UnknownListError",
    "add_actor",
    "close_all",
    "default_url",
    "open_store",
    "resolve",
    "snapshot_of",
]
