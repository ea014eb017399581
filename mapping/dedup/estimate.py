"""Estimation: the Fellegi-Sunter model's parameters, learned from the records being deduplicated.

For each comparison (:data:`mapping.dedup.compare.COMPARISONS`) and each of its levels:

* **u** — how often two records of *different* actors reach that level — first from random
  pairs of the input (almost all of them are non-matches), as splink does;
* **m** — how often two records of *one* actor reach it — by expectation-maximisation over the
  blocked candidate pairs (unlabelled). Pairs that share a SIRET are known matches and pairs of
  two different SIRETs known non-matches: EM keeps their class fixed, so the identifiers anchor
  the model where the input has them;
* **λ** — the share of matches among candidate pairs — by the same EM.

Among candidate pairs, non-matches are far more alike than random pairs (they were blocked on a
shared name word, street or postcode): EM therefore also re-estimates u over the candidates
(``u_C``, starting from and drawn towards the random-pair u) to tell matches from non-matches
there. Keeping u at the random-pair values during EM (splink's way without its per-rule
sessions, ``fix_u=True``) lets the match class swallow the candidates (measured on Febrl 3
with candidate-scale scores: λ → 0.999, F1 0.001). The *score* of a pair is then on the scale of
all pairs, as in splink:
``log2(λ_all/(1-λ_all)) + Σ log2(m/u_random)``, ``λ_all = λ_C · candidates / all pairs``, blocking
being only a filter (measured better on every labelled set than the candidate-scale log-odds).

Every estimate is a posterior mean under a Dirichlet prior: the m prior is the declared
:attr:`~mapping.dedup.compare.Comparison.m_prior`, the u prior the random-pair u (itself drawn towards
the declared u prior). With a 20-row list the priors carry the model; with a million records
the data do. EM runs on the distinct comparison vectors with their counts (a few thousand), not
on the pairs, so it costs milliseconds whatever the input size.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from mapping.dedup.compare import COMPARISONS, Comparison

logger = logging.getLogger(__name__)

#: Pseudo-counts of the priors (in pairs): how much data it takes to move an estimate away from them.
M_PRIOR_STRENGTH = 1000.0
U_PRIOR_STRENGTH = 500.0
#: Pseudo-count of the declared u prior against the random pairs (a 20-row list has 190 pairs, some of them matches).
U_RANDOM_PRIOR_STRENGTH = 100.0
#: Prior share of matches among candidate pairs, and its pseudo-count.
LAMBDA_PRIOR = (0.1, 100.0)
#: Random pairs drawn for u (all pairs when the input has fewer).
RANDOM_PAIRS = 300_000
MAX_ITERATIONS = 60
TOLERANCE = 1e-5
#: Smallest probability of a level (no weight is infinite).
FLOOR = 1e-6


@dataclass
class Model:
    """A fitted Fellegi-Sunter model: m and u per comparison level, λ among candidate pairs."""

    comparisons: tuple[Comparison, ...]
    m: list[np.ndarray]
    u: list[np.ndarray]
    u_random: list[np.ndarray]
    prior: float
    iterations: int = 0
    trained_pairs: int = 0
    labelled_pairs: int = 0
    history: list[float] = field(default_factory=list)

    #: Number of candidate pairs and of all pairs of the input (for the prior over all pairs).
    candidates: int = 0
    all_pairs: int = 0
    #: Comparisons that never vary among random pairs of the input: they weigh nothing.
    silent: list[bool] = field(default_factory=list)
    #: Score against all pairs (u from random pairs, λ over all pairs) rather than among candidates.
    global_scale: bool = True

    def weights(self) -> list[np.ndarray]:
        """log2(m/u) of every level of every comparison (bits)."""
        us = self.u_random if self.global_scale else self.u
        out = []
        for k, (comp, m, u) in enumerate(zip(self.comparisons, self.m, us, strict=True)):
            w = np.log2(np.maximum(m, FLOOR) / np.maximum(u, FLOOR))
            for level in comp.local_levels:
                w[level] = np.log2(max(m[level], FLOOR) / max(self.u[k][level], FLOOR))
            if k < len(self.silent) and self.silent[k]:
                w = np.zeros_like(w)
            for _ in range(2):  # chains share levels: a second pass settles them
                for chain in comp.chains:
                    for better, worse in zip(chain[-2::-1], chain[:0:-1], strict=True):
                        w[better] = max(w[better], w[worse])
            out.append(w)
        return out

    @property
    def prior_weight(self) -> float:
        """log2(λ/(1-λ)): the weight of a pair before any comparison."""
        lam = self.prior
        if self.global_scale and self.all_pairs:
            lam = min(self.prior * max(self.candidates, 1) / self.all_pairs, 0.5)
        return float(np.log2(lam / (1.0 - lam)))

    def table(self) -> str:
        """The model as a French text table (one line per level: m, u, weight)."""
        lines = [f"λ (part des paires candidates qui sont des doublons) = {self.prior:.4f}"]
        for comp, m, u, w in zip(self.comparisons, self.m, self.u, self.weights(), strict=True):
            for label, mk, uk, wk in zip(comp.levels, m, u, w, strict=True):
                lines.append(f"{comp.label:<12} {label:<60} m={mk:.4f} u={uk:.4f} poids={wk:+.2f}")
        return "\n".join(lines)


def random_pairs(n: int, size: int = RANDOM_PAIRS, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of ``0..n-1`` drawn uniformly (every pair when there are at most ``size``)."""
    total = n * (n - 1) // 2
    if total <= size:
        i, j = np.triu_indices(n, k=1)
        return i.astype(np.int64), j.astype(np.int64)
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=size, dtype=np.int64)
    j = rng.integers(0, n - 1, size=size, dtype=np.int64)
    j[j >= i] += 1  # j != i
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return lo, hi


def _level_counts(gammas: np.ndarray, k: int, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    g = gammas[:, k]
    known = g >= 0
    w = None if weights is None else weights[known]
    return np.bincount(g[known].astype(np.int64), weights=w, minlength=size)[:size].astype(np.float64)


def estimate_u(gammas: np.ndarray, comparisons: tuple[Comparison, ...] = COMPARISONS) -> list[np.ndarray]:
    """u of every level from the comparison levels of random pairs, drawn towards the declared
    :attr:`~mapping.dedup.compare.Comparison.u_prior` by :data:`U_RANDOM_PRIOR_STRENGTH` pseudo-pairs."""
    out = []
    for k, comp in enumerate(comparisons):
        size = len(comp.levels)
        counts = _level_counts(gammas, k, size)
        prior = np.asarray(comp.u_prior, dtype=np.float64)
        out.append((counts + U_RANDOM_PRIOR_STRENGTH * prior) / (counts.sum() + U_RANDOM_PRIOR_STRENGTH))
    return out


def _patterns(gammas: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (comparison vector, known class) rows and their counts (rows coded as one integer)."""
    width = gammas.shape[1]
    if len(gammas) == 0:
        return np.empty((0, width), dtype=np.int8), np.empty(0, dtype=np.int8), np.empty(0)
    radix = np.int64(max(int(gammas.max()) + 2, 2))
    code = known.astype(np.int64) + 1
    for k in range(width):
        code = code * radix + (gammas[:, k].astype(np.int64) + 1)
    uniq, counts = np.unique(code, return_counts=True)
    rows = np.empty((len(uniq), width), dtype=np.int8)
    rest = uniq.copy()
    for k in range(width - 1, -1, -1):
        rows[:, k] = rest % radix - 1
        rest //= radix
    return rows, (rest - 1).astype(np.int8), counts.astype(np.float64)


def _log_ratio(gammas: np.ndarray, m: list[np.ndarray], u: list[np.ndarray]) -> np.ndarray:
    """Σ log2(m/u) of each row (missing levels count 0)."""
    total = np.zeros(len(gammas), dtype=np.float64)
    for k, (mk, uk) in enumerate(zip(m, u, strict=True)):
        w = np.append(np.log2(np.maximum(mk, FLOOR) / np.maximum(uk, FLOOR)), 0.0)
        total += w[gammas[:, k]]  # level -1 picks the appended 0
    return total


def expectation_maximisation(
    gammas: np.ndarray,
    known: np.ndarray,
    u_random: list[np.ndarray],
    comparisons: tuple[Comparison, ...] = COMPARISONS,
    *,
    fix_u: bool = False,
) -> Model:
    """Fit m, u and λ to candidate pairs.

    Parameters
    ----------
    gammas : numpy.ndarray
        Comparison levels of the candidate pairs (:func:`mapping.dedup.levels.levels`).
    known : numpy.ndarray
        ``1`` for a known match (same SIRET), ``-1`` a known non-match (different SIRETs), ``0`` unknown.
    u_random : list of numpy.ndarray
        u from random pairs (:func:`estimate_u`): the starting point and the prior of u.
    fix_u : bool
        Keep u at ``u_random`` (splink's way) instead of re-estimating it over the candidates.
    """
    rows, cls, counts = _patterns(gammas, known)
    m = [np.asarray(c.m_prior, dtype=np.float64) for c in comparisons]
    u = [x.copy() for x in u_random]
    lam_prior, lam_strength = LAMBDA_PRIOR
    lam = lam_prior
    history: list[float] = []
    iterations = 0
    for iteration in range(1, MAX_ITERATIONS + 1):
        iterations = iteration
        logit = np.log2(lam / (1 - lam)) + _log_ratio(rows, m, u)
        p = 1.0 / (1.0 + np.exp2(-np.clip(logit, -60, 60)))
        p[cls > 0] = 1.0
        p[cls < 0] = 0.0
        wm, wu = counts * p, counts * (1 - p)
        new_m, new_u = [], []
        for k, comp in enumerate(comparisons):
            size = len(comp.levels)
            cm = _level_counts(rows, k, size, wm)
            prior_m = np.asarray(comp.m_prior, dtype=np.float64)
            new_m.append((cm + M_PRIOR_STRENGTH * prior_m) / (cm.sum() + M_PRIOR_STRENGTH))
            if fix_u:
                new_u.append(u_random[k])
            else:
                cu = _level_counts(rows, k, size, wu)
                new_u.append((cu + U_PRIOR_STRENGTH * u_random[k]) / (cu.sum() + U_PRIOR_STRENGTH))
        new_lam = (wm.sum() + lam_strength * lam_prior) / (counts.sum() + lam_strength)
        new_lam = float(np.clip(new_lam, 1e-6, 1 - 1e-6))
        change = max(
            abs(new_lam - lam),
            *(float(np.abs(a - b).max()) for a, b in zip(new_m + new_u, m + u, strict=True)),
        )
        m, u, lam = new_m, new_u, new_lam
        history.append(change)
        if change < TOLERANCE:
            break
    model = Model(
        comparisons=comparisons,
        m=m,
        u=u,
        u_random=[x.copy() for x in u_random],
        prior=lam,
        iterations=iterations,
        trained_pairs=int(counts.sum()),
        labelled_pairs=int(counts[cls != 0].sum()),
        history=history,
    )
    logger.info(
        "EM : %d itérations sur %d paires (%d motifs), λ = %.4f", iterations, model.trained_pairs, len(rows), lam
    )
    return model
