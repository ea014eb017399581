"""Comparison levels (γ): the agreement values of :func:`mapping.dedup.compare.compare` cut into the levels
of :data:`mapping.dedup.compare.COMPARISONS` (exact, close, far, missing...)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.dedup.compare import COMPARISONS


def _levels(values: np.ndarray, bounds: tuple[float, ...], first: int) -> np.ndarray:
    """Level ``first + k`` for the k-th bound reached (values >= bound), the next one below all; NaN: -1."""
    out = np.full(len(values), first + len(bounds), dtype=np.int8)
    for k in range(len(bounds) - 1, -1, -1):
        out[values >= bounds[k]] = first + k
    out[np.isnan(values)] = -1
    return out


def levels(pairs: pd.DataFrame) -> np.ndarray:
    """Comparison levels (γ) of every pair: an ``int8`` matrix, one column per :data:`COMPARISONS`
    entry, level ``0`` the most alike, ``-1`` when a side is missing."""
    n = len(pairs)
    g = np.full((n, len(COMPARISONS)), -1, dtype=np.int8)
    col = {c: pairs[c].to_numpy() for c in pairs.columns}
    # name: identical (unique / shared by namesakes) > identical but for the commune > fuzzy > acronym > subset
    name = _levels(col["name_sort"].astype(np.float64), (92.0, 80.0), 3)  # 3 very close, 4 close, 5 other
    name = np.where(name == 4, 6, np.where(name == 5, 7, name)).astype(np.int8)  # close -> 6, other -> 7
    subset = (col["name_set"] >= 95) & (name > 3)
    name[subset] = 5
    name[col["initials"] & (name > 4)] = 4
    name[(col["core"] > 0) & (name > 2)] = 2
    exact = col["name_sort"] >= 100
    name[exact] = 0
    # a name (or a spelling of it) that several actors of the town bear tells little about which one
    name[col["ambiguous"] & ((name == 0) | (name == 3))] = 1
    name[np.isnan(col["name_sort"].astype(np.float64))] = -1
    g[:, 0] = name
    # address: same address; same street with a number missing or different; close street; other
    street = col["street"].astype(np.float64)
    address = _levels(street, (100.0, 90.0, 75.0), 2)  # 2 same street, 3 very close, 4 close, 5 other
    same_street = address == 2
    address[same_street] = 1
    address[same_street & (col["number"] < 0)] = 2
    address[same_street & ((col["number"] > 0) | col["lieu_dit"])] = 0  # a lieu-dit is a place, not a way
    address[np.isnan(street)] = -1
    g[:, 1] = address
    g[:, 2] = _distance_levels(col["distance"].astype(np.float64))
    postcode = np.where(col["postcode"] > 0, 0, np.where(col["postcode_near"], 1, 2)).astype(np.int8)
    postcode[col["postcode"] == 0] = -1
    g[:, 3] = postcode
    g[:, 4] = _levels(col["city"].astype(np.float64), (100.0, 85.0), 0)
    for k, name_ in enumerate(("siren", "phone", "domain", "email"), start=5):
        agree = col[name_]
        g[:, k] = np.where(agree > 0, 0, np.where(agree < 0, 1, -1))
    # a postcode and a city name one place: when the postcodes agree, agreeing cities say nothing more
    # (counting both would weigh one fact twice); disagreeing ones still do
    g[(g[:, 3] == 0) & (g[:, 4] == 0), 4] = -1
    # a shared SIRET settles the SIREN: its agreement is not counted twice
    g[col["siret"] != 0, 5] = -1
    g[:, 9] = np.where(col["same_source"], 1, 0)
    return g


def _distance_levels(distance: np.ndarray) -> np.ndarray:
    out = np.full(len(distance), 4, dtype=np.int8)
    for k, bound in reversed(list(enumerate((100.0, 300.0, 1000.0, 5000.0)))):
        out[distance <= bound] = k
    out[np.isnan(distance)] = -1
    return out
