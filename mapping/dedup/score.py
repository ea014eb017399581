"""Scoring: the match weight of each candidate pair under the learned Fellegi-Sunter model.

The weight (bits) is ``log2(λ/(1-λ)) + Σ log2(m/u)`` over the comparison levels (a missing field
adds nothing), plus term-frequency adjustments: agreeing on a rare name or address says more
than agreeing on a common one (« Déchèterie » and « 1 place de la Mairie » are everywhere), by
``log2(u_exact / tf(value))`` as in splink, bounded by :data:`TF_BOUNDS`.

Two hard rules override the model: the same SIRET is one actor (``+inf``), two different
SIRETs or SIRENs are never one actor (``-inf``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.dedup import normalise
from mapping.dedup.compare import COMPARISONS
from mapping.dedup.estimate import U_RANDOM_PRIOR_STRENGTH, Model

#: Match weight (bits: posterior log-odds over all pairs) above which a pair is a match: a posterior
#: probability of 0.8. A little above the 0.5 of a single pair decision because clusters are
#: transitive (one false link joins two whole groups).
THRESHOLD = float(np.log2(0.8 / 0.2))
#: Bounds of a term-frequency adjustment (bits).
TF_BOUNDS = (-8.0, 4.0)
#: (comparison, level, prepared column): the levels adjusted by the frequency of a value.
TF_LEVELS = (("name", 0, "name"), ("name", 2, "core"), ("address", 0, "address"))


def term_frequencies(prepared: pd.DataFrame, column: str, prior: float = 0.002) -> np.ndarray:
    """For each record, how often *another* record holds its value of ``column`` (NaN when empty).

    A posterior mean, ``(count - 1 + α·prior) / (n - 1 + α)`` with ``α`` =
    :data:`mapping.dedup.estimate.U_RANDOM_PRIOR_STRENGTH`: in a 20-row list three namesakes are not
    evidence that the name is common.
    """
    codes, uniques = normalise.column_codes(prepared[column])
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.float64)
    out = np.full(len(codes), np.nan)
    known = codes >= 0
    alpha = U_RANDOM_PRIOR_STRENGTH
    out[known] = (counts[codes[known]] - 1 + alpha * prior) / (max(known.sum(), 1) - 1 + alpha)
    return out


def tf_adjustment(
    gammas: np.ndarray,
    model: Model,
    tf: dict[str, np.ndarray],
    i: np.ndarray,
    j: np.ndarray,
) -> np.ndarray:
    """Term-frequency adjustment (bits) of every pair: the exact name and address levels are worth
    ``log2(u_exact / tf)``, tf the larger of the two records' value frequencies."""
    out = np.zeros(len(i), dtype=np.float64)
    names = [c.name for c in COMPARISONS]
    for comparison, level, column in TF_LEVELS:
        k = names.index(comparison)
        rows = np.flatnonzero(gammas[:, k] == level)
        if not len(rows) or column not in tf:
            continue
        u_level = model.u_random[k][level]
        freq = np.fmax(tf[column][i[rows]], tf[column][j[rows]])
        adj = np.log2(u_level / np.where(np.isnan(freq) | (freq <= 0), u_level, freq))
        out[rows] = np.clip(adj, *TF_BOUNDS)
    return out


def level_weights(gammas: np.ndarray, model: Model) -> np.ndarray:
    """Weight (bits) of each pair's level of each comparison (0 for a missing field): float32 matrix."""
    out = np.zeros(gammas.shape, dtype=np.float32)
    for k, w in enumerate(model.weights()):
        table = np.append(w, 0.0).astype(np.float32)
        out[:, k] = table[gammas[:, k]]
    return out


def score(
    gammas: np.ndarray,
    model: Model,
    siret: np.ndarray,
    siren: np.ndarray,
    tf_bits: np.ndarray | None = None,
) -> np.ndarray:
    """Match weight of every pair (bits); ``+inf`` for one SIRET, ``-inf`` for two different SIRETs or SIRENs.

    Parameters
    ----------
    gammas : numpy.ndarray
        Comparison levels (:func:`mapping.dedup.levels.levels`).
    model : Model
        Fitted parameters.
    siret, siren : numpy.ndarray
        Agreements of the pairs (``1`` same, ``-1`` different, ``0`` unknown).
    tf_bits : numpy.ndarray, optional
        Term-frequency adjustments (:func:`tf_adjustment`).
    """
    total = np.full(len(gammas), model.prior_weight, dtype=np.float64)
    for k, w in enumerate(model.weights()):  # column by column: no pairs × comparisons float matrix
        total += np.append(w, 0.0)[gammas[:, k]]
    if tf_bits is not None:
        total += tf_bits
    total[siret > 0] = np.inf
    total[(siret < 0) | (siren < 0)] = -np.inf
    return total


def probability(weight: np.ndarray) -> np.ndarray:
    """Posterior match probability of a match weight."""
    return 1.0 / (1.0 + np.exp2(-np.clip(weight, -60, 60)))
