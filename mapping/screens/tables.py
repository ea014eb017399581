"""Counts shown next to the criteria and the compact actor table of the pages.

Filtering is :class:`mapping.search.SupplierIndex`'s job, on every page. List columns (``sources``,
``actor_kinds``...) are flattened once with numpy: a 100k-row count takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

import connectors
from mapping.reference import geography, taxonomy
from mapping.reference.schema import LIST_COLUMNS, as_list
from mapping.screens import texts


def _flatten(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Flatten a list column: (row position of each item, items as an object array)."""
    lists = [as_list(v) for v in values]
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    rows = np.repeat(np.arange(len(lists)), lengths)
    items = np.empty(int(lengths.sum()), dtype=object)
    items[:] = [item for v in lists for item in v]
    return rows, items


def contains_any(values: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Boolean mask: rows of a list column holding at least one of ``wanted``.

    Parameters
    ----------
    values : pandas.Series
        A list-valued column (lists, numpy arrays or missing values).
    wanted : iterable of str
        Codes to look for.

    Returns
    -------
    numpy.ndarray
        One boolean per row, in the order of ``values``.
    """
    mask = np.zeros(len(values), dtype=bool)
    wanted = list(dict.fromkeys(wanted))
    if not wanted or not len(values):
        return mask
    rows, items = _flatten(values)
    mask[rows[pd.Index(items).isin(wanted)]] = True
    return mask


def count_by(gdf: pd.DataFrame, column: str) -> pd.Series:
    """How many actors per value of ``column``, most frequent first.

    For a list column an actor counts once for each code it holds (a code repeated in the same list
    counts once), so the counts can add up to more than ``len(gdf)``.

    Parameters
    ----------
    gdf : pandas.DataFrame
        Actor table.
    column : str
        Column to count, e.g. ``"actor_kinds"``, ``"sources"`` or ``"departement"``.

    Returns
    -------
    pandas.Series
        Integer counts indexed by value (missing values are not counted).
    """
    if column in LIST_COLUMNS:
        rows, items = _flatten(gdf[column])
        pairs = pd.DataFrame({"row": rows, "value": items}).drop_duplicates()
        counts = pairs["value"].value_counts()
    else:
        counts = gdf[column].dropna().value_counts()
    counts.index.name = column
    counts.name = "count"
    return counts.sort_values(ascending=False, kind="stable")


def source_titles(values: object) -> str:
    """« CRESS Centre-Val de Loire, CartEco » from a list of source names."""
    return ", ".join(connectors.title(n) for n in as_list(values))


def card_links(found: pd.DataFrame, card_link: str | None) -> list[str | None]:
    """``card_link + uid`` per row (None when no link prefix is given)."""
    return [f"{card_link}{uid}" if card_link else None for uid in found["uid"]]


def actor_table(gdf: pd.DataFrame, *, card_link: str | None = None) -> pd.DataFrame:
    """The compact table shown under the map: name, SIRET, kinds (French labels), commune, département,
    sources and the link to the card (``card_link + uid``, None without a prefix).

    Column headers are French (:data:`mapping.screens.texts.TABLE_COLUMNS`); the row order is kept.
    """
    kinds = taxonomy.labels_for
    names = geography.departement_names()
    departement = gdf["departement"].map(
        lambda code: f"{names.get(code, '')} ({code})".strip() if isinstance(code, str) else ""
    )
    table = pd.DataFrame(
        {
            "name": gdf["name"].to_numpy(),
            "siret": gdf["siret"].to_numpy(),
            "kinds": [", ".join(kinds("actor_kinds", as_list(v))) for v in gdf["actor_kinds"]],
            "city": gdf["city"].to_numpy(),
            "departement": departement.to_numpy(),
            "sources": [source_titles(v) for v in gdf["sources"]],
            "card": card_links(gdf, card_link),
        }
    )
    return table.rename(columns=texts.TABLE_COLUMNS)
