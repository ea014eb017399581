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
#: Added to that name weight when either house number is unknown (same street, no way to tell
#: the namesakes apart): at 1M records it cuts false merges by three quarters for 1.5 % of recall.
AMBIGUOUS_UNNUMBERED = -1.0
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


def _array(comparisons: pd.DataFrame | dict[str, np.ndarray], column: str) -> np.ndarray:
    values = comparisons[column]
    return values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)


def weights(comparisons: pd.DataFrame | dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-comparison weights of every pair (``w_<comparison>`` -> float32 array)."""
    col = lambda c: _array(comparisons, c)  # noqa: E731
    has = (lambda c: c in comparisons.columns) if isinstance(comparisons, pd.DataFrame) else comparisons.__contains__
    out: dict[str, np.ndarray] = {}
    name_sort = col("name_sort")
    name = _levels(name_sort, SIMILARITY_LEVELS["name"])
    subset = col("name_set") >= NAME_SUBSET[0]
    name = np.where(subset & (name < NAME_SUBSET[1]), np.float32(NAME_SUBSET[1]), name)
    number = col("number")
    if has("ambiguous"):
        # the name is shared by several actors of the commune: it alone says little, and an
        # unknown house number cannot tell those actors apart
        ambiguous = col("ambiguous")
        name = np.where(ambiguous, np.minimum(name, AMBIGUOUS_NAME_CAP), name)
        name = np.where(ambiguous & (number == 0), name + AMBIGUOUS_UNNUMBERED, name)
    if has("initials"):  # « LBSSA » for « La Boutique Solidaire de Saint-Avertin »
        name = np.where(col("initials"), np.maximum(name, INITIALS), name)
    out["w_name"] = name.astype(np.float32)
    out["w_address"] = _levels(col("address"), SIMILARITY_LEVELS["address"])
    distance = col("distance")
    w = np.zeros(len(distance), dtype=np.float32)
    done = np.isnan(distance)
    for bound, weight in DISTANCE_LEVELS:
        hit = ~done & (distance <= bound)
        w[hit] = weight
        done |= hit
    out["w_distance"] = w
    for column, (same, different) in AGREEMENT.items():
        values = col(column)
        out[f"w_{column}"] = np.where(values > 0, same, np.where(values < 0, different, 0.0)).astype(np.float32)
    siret_same = col("siret") > 0
    siren = col("siren")
    w_siren = np.where(siret_same, np.float32(0.0), out["w_siren"])  # same SIRET already says same SIREN
    # establishments of one SIREN under one name are one actor, wherever they are
    siren_named = ~siret_same & (siren > 0) & (name_sort >= SIREN_NAME[0])
    out["w_siren"] = np.where(siren_named, np.float32(SIREN_NAME[1]), w_siren).astype(np.float32)
    # two establishments of one SIREN in one source are one actor with two addresses
    same_source = col("same_source") & (siren <= 0)
    out["w_source"] = np.where(same_source, SAME_SOURCE, 0.0).astype(np.float32)
    return out


def score(comparisons: pd.DataFrame | dict[str, np.ndarray]) -> np.ndarray:
    """Match weight of every pair; ``-inf`` for pairs of different SIRENs (never merged)."""
    total = np.zeros(len(_array(comparisons, "siren")), dtype=np.float64)
    for w in weights(comparisons).values():
        total += w
    total[_array(comparisons, "siren") < 0] = -np.inf
    return total


def upper_bound(comparisons: pd.DataFrame) -> np.ndarray:
    """Best match weight a pair could reach whatever its token-set name and address scores.

    ``comparisons`` holds every comparison but ``name_set`` and ``address``; pairs whose bound
    is under the threshold need not have those (costly) scores computed.
    """
    best = {c: comparisons[c].to_numpy() for c in comparisons.columns}
    best["name_set"] = best["address"] = np.full(len(comparisons), 100.0, dtype=np.float32)
    return score(best)
