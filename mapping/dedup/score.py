"""Scoring: turn comparison vectors into a match weight (sum of log2 Bayes factors).

As in the Fellegi-Sunter model (and splink), each comparison level adds a weight: positive when
the level is much more frequent among true matches than among non-matches, negative otherwise.
The weights below were set by hand from the m/u frequencies observed on the demo world's
labelled pairs, and are declared here, in one table, so that they can be read and discussed.
A pair whose records have two different SIRENs gets ``-inf``: it is never merged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Match weight above which a pair is a match.
THRESHOLD = 10.0

#: (column, lower bound, weight): the first bound reached gives the level; NaN gives 0.
SIMILARITY_LEVELS: dict[str, tuple[tuple[float, float], ...]] = {
    "name": ((99.5, 9.0), (92.0, 7.0), (85.0, 4.5), (75.0, 0.0), (0.0, -8.0)),
    "address": ((95.0, 5.0), (85.0, 2.5), (70.0, 0.0), (0.0, -4.0)),
}
#: Distance levels (upper bound in metres, weight); NaN (no precise point) gives 0.
DISTANCE_LEVELS = ((100.0, 5.0), (300.0, 2.0), (1000.0, 0.0), (5000.0, -3.0), (np.inf, -8.0))
#: Weights of agreement columns: (same, different).
AGREEMENT = {
    "siret": (25.0, -2.0),
    "siren": (10.0, 0.0),
    "phone": (9.0, -2.0),
    "domain": (6.0, -2.0),
    "email": (2.0, 0.0),
    "commune": (1.0, -5.0),
    "number": (1.0, -2.0),
}
#: Name weight when a name subsumes the other (token set) without a close whole-name match.
NAME_SUBSET = (95.0, 3.0)
#: Cap on the name weight when the name is shared by several records of one source in one commune.
AMBIGUOUS_NAME_CAP = 4.0
#: (name similarity at least, SIREN weight): same SIREN and a close name.
SIREN_NAME = (92.0, 25.0)
#: Name weight when one name is the acronym of the other.
INITIALS = 7.0
#: Two records of one source are rarely the same actor.
SAME_SOURCE = -6.0


def _levels(values: np.ndarray, levels: tuple[tuple[float, float], ...]) -> np.ndarray:
    out = np.zeros(len(values), dtype=np.float32)
    done = np.isnan(values)
    for bound, weight in levels:
        hit = ~done & (values >= bound)
        out[hit] = weight
        done |= hit
    return out


def weights(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Per-comparison weights of every pair (columns ``w_<comparison>``)."""
    out = pd.DataFrame(index=comparisons.index)
    name = _levels(comparisons["name_sort"].to_numpy(), SIMILARITY_LEVELS["name"])
    subset = comparisons["name_set"].to_numpy() >= NAME_SUBSET[0]
    name = np.where(subset & (name < NAME_SUBSET[1]), NAME_SUBSET[1], name)
    if "ambiguous" in comparisons.columns:
        name = np.where(comparisons["ambiguous"].to_numpy(), np.minimum(name, AMBIGUOUS_NAME_CAP), name)
    if "initials" in comparisons.columns:  # « LBSSA » for « La Boutique Solidaire de Saint-Avertin »
        name = np.where(comparisons["initials"].to_numpy(), np.maximum(name, INITIALS), name)
    out["w_name"] = name
    out["w_address"] = _levels(comparisons["address"].to_numpy(), SIMILARITY_LEVELS["address"])
    distance = comparisons["distance"].to_numpy()
    w = np.zeros(len(distance), dtype=np.float32)
    done = np.isnan(distance)
    for bound, weight in DISTANCE_LEVELS:
        hit = ~done & (distance <= bound)
        w[hit] = weight
        done |= hit
    out["w_distance"] = w
    for column, (same, different) in AGREEMENT.items():
        values = comparisons[column].to_numpy()
        out[f"w_{column}"] = np.where(values > 0, same, np.where(values < 0, different, 0.0)).astype(np.float32)
    siret_same = comparisons["siret"].to_numpy() > 0
    out.loc[siret_same, "w_siren"] = 0.0  # same SIRET already says same SIREN
    # establishments of one SIREN under one name are one actor, wherever they are
    siren_named = (
        ~siret_same & (comparisons["siren"].to_numpy() > 0) & (comparisons["name_sort"].to_numpy() >= SIREN_NAME[0])
    )
    out.loc[siren_named, "w_siren"] = SIREN_NAME[1]
    # two establishments of one SIREN in one source are one actor with two addresses
    same_source = comparisons["same_source"].to_numpy() & (comparisons["siren"].to_numpy() <= 0)
    out["w_source"] = np.where(same_source, SAME_SOURCE, 0.0).astype(np.float32)
    return out


def score(comparisons: pd.DataFrame) -> np.ndarray:
    """Match weight of every pair; ``-inf`` for pairs of different SIRENs (never merged)."""
    total = weights(comparisons).sum(axis=1).to_numpy(dtype=np.float64)
    total[comparisons["siren"].to_numpy() < 0] = -np.inf
    return total


def upper_bound(comparisons: pd.DataFrame) -> np.ndarray:
    """Best match weight a pair could reach whatever its token-set name and address scores.

    ``comparisons`` holds every comparison but ``name_set`` and ``address``; pairs whose bound
    is under the threshold need not have those (costly) scores computed.
    """
    best = comparisons.assign(name_set=100.0, address=100.0)
    return score(best)
