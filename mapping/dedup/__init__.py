"""Deduplication of source records into actors, in the vocabulary of record linkage.

``normalise`` (names, addresses, postcodes, cities, phones, domains) → ``block`` (sorted
neighbourhood on exact keys, commune / postcode / city × rare name token, street, phonetic name:
near-linear) → ``compare`` (rapidfuzz, distance, identifiers → comparison levels) → ``estimate``
(Fellegi-Sunter m, u and λ learned from the records: u from random pairs, m by EM over the
candidate pairs) → ``score`` (match weights, term-frequency adjustments, SIRET rules) →
``cluster`` (one SIRET per actor, never two) → ``survive`` (trusted source per field, lists
unioned, every source key kept, a French explanation).

Public seam: :func:`deduplicate`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.dedup.block import candidate_pairs
from mapping.dedup.cluster import constrained_clusters
from mapping.dedup.compare import COMPARISONS, compare, prepare
from mapping.dedup.estimate import Model, estimate_u, expectation_maximisation, random_pairs
from mapping.dedup.explain import explanations
from mapping.dedup.levels import levels
from mapping.dedup.score import THRESHOLD, score, term_frequencies, tf_adjustment
from mapping.dedup.survive import EXPLANATION_COLUMN, survive
from mapping.reference.schema import CODE_LIST_COLUMNS, CRS_WGS84, RECORD_COLUMNS, TEXT_LIST_COLUMNS

logger = logging.getLogger(__name__)

__all__ = ["EXPLANATION_COLUMN", "DedupStats", "Model", "deduplicate", "fit", "link"]

#: Candidate pairs EM runs on (a deterministic sample beyond): the model needs no more.
EM_PAIRS = 3_000_000
#: Candidate pairs compared at a time.
COMPARE_CHUNK = 2_000_000
#: Columns of :func:`mapping.dedup.compare.compare` kept next to the levels in the scored pairs.
KEPT_COLUMNS = ("i", "j", "siret", "siren", "phone", "domain", "email", "ambiguous")
#: Random pairs all at one level of a comparison that make it silent (fewer prove nothing).
SILENT_EVIDENCE = 30


@dataclass
class DedupStats:
    """What a deduplication did (for reports and benchmarks)."""

    records: int = 0
    pairs_per_pass: dict[str, int] = field(default_factory=dict)
    candidate_pairs: int = 0
    matched_pairs: int = 0
    refused_pairs: int = 0
    actors: int = 0
    model: Model | None = None


def _complete(records: pd.DataFrame) -> gpd.GeoDataFrame:
    """``records`` with every ``RECORD_COLUMNS`` column (missing ones empty), positions 0..n-1."""
    rec = pd.DataFrame(records).reset_index(drop=True)
    for column in RECORD_COLUMNS:
        if column not in rec.columns:
            rec[column] = [[] for _ in range(len(rec))] if column in (*CODE_LIST_COLUMNS, *TEXT_LIST_COLUMNS) else None
    if "geometry" not in records.columns:
        rec["geometry"] = None
    rec["updated_at"] = pd.to_datetime(rec["updated_at"], utc=True)
    return gpd.GeoDataFrame(rec, geometry="geometry", crs=getattr(records, "crs", None) or CRS_WGS84)


def _gammas_frame(pairs: pd.DataFrame, gammas: np.ndarray) -> None:
    for k, comp in enumerate(COMPARISONS):
        pairs[f"g_{comp.name}"] = gammas[:, k]


def gammas_of(pairs: pd.DataFrame) -> np.ndarray:
    """The comparison levels stored in ``pairs`` (``g_<comparison>`` columns) as a matrix."""
    return np.column_stack([pairs[f"g_{c.name}"].to_numpy(dtype=np.int8) for c in COMPARISONS]).astype(np.int8)


def _known(pairs: pd.DataFrame) -> np.ndarray:
    """Known class of each pair: 1 one SIRET, -1 two different SIRETs or SIRENs, 0 unknown."""
    siret, siren = pairs["siret"].to_numpy(), pairs["siren"].to_numpy()
    return np.where(siret > 0, 1, np.where((siret < 0) | (siren < 0), -1, 0)).astype(np.int8)


def fit(prepared: pd.DataFrame, pairs: pd.DataFrame, gammas: np.ndarray, *, fix_u: bool = False) -> Model:
    """Learn the model from the records: u from random pairs, m and λ by EM over the candidate pairs."""
    n = len(prepared)
    # random pairs drawn in the order of the record keys: the model does not depend on the input order
    canonical = np.argsort(prepared["key"].to_numpy(dtype=object).astype(str), kind="stable")
    ri, rj = random_pairs(n)
    random = compare(prepared, canonical[ri], canonical[rj])
    random_gammas = levels(random)
    u_random = estimate_u(random_gammas)
    # a comparison that never varies among random pairs (one source only, no point anywhere) says nothing
    silent = []
    for k in range(len(COMPARISONS)):
        seen = random_gammas[:, k][random_gammas[:, k] >= 0]
        silent.append(len(seen) >= SILENT_EVIDENCE and len(np.unique(seen)) == 1)
    known = _known(pairs)
    if len(gammas) > EM_PAIRS:
        take = np.random.default_rng(0).choice(len(gammas), EM_PAIRS, replace=False)
        gammas, known = gammas[take], known[take]
    if any(silent):
        gammas = gammas.copy()
        gammas[:, np.asarray(silent)] = -1
    model = expectation_maximisation(gammas, known, u_random, fix_u=fix_u)
    model.candidates, model.all_pairs = len(pairs), n * (n - 1) // 2
    model.silent = silent
    return model


def _compared(prepared: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Compared candidate pairs (``KEPT_COLUMNS`` and their levels), chunk by chunk: the levels say
    all the model needs, so the raw similarities of all pairs never exist at once (a GB at 1M records)."""
    frames, gammas = [], []
    for start in range(0, max(len(i), 1), COMPARE_CHUNK):
        raw = compare(prepared, i[start : start + COMPARE_CHUNK], j[start : start + COMPARE_CHUNK])
        gammas.append(levels(raw))
        frames.append(raw[list(KEPT_COLUMNS)])
        del raw
    pairs = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    g = np.concatenate(gammas) if len(gammas) > 1 else gammas[0]
    _gammas_frame(pairs, g)
    return pairs, g


def link(
    records: pd.DataFrame, *, threshold: float = THRESHOLD, model: Model | None = None, fix_u: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, DedupStats]:
    """Block, compare, estimate, score and cluster ``records``; no survivorship.

    Parameters
    ----------
    records : (Geo)DataFrame
        Source records.
    threshold : float
        Match weight (bits) above which a pair is a match.
    model : Model, optional
        Parameters to use instead of learning them from ``records``.
    fix_u : bool
        Learn u from random pairs only (splink's way), not over the candidate pairs too.

    Returns
    -------
    tuple
        ``(prepared, pairs, stats)``: the prepared fields with a ``cluster`` column, the scored
        candidate pairs (``KEPT_COLUMNS``, levels ``g_<comparison>``, ``tf``, ``score``, ``match``,
        ``accepted``) and statistics (with the fitted model).
    """
    stats = DedupStats(records=len(records))
    prepared = prepare(records)
    i, j, stats.pairs_per_pass = candidate_pairs(prepared)
    stats.candidate_pairs = len(i)
    pairs, gammas = _compared(prepared, i.astype(np.int32), j.astype(np.int32))
    del i, j
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    model = model if model is not None else fit(prepared, pairs, gammas, fix_u=fix_u)
    stats.model = model
    tf = {c: term_frequencies(prepared, c) for c in ("name", "core", "address")}
    pairs["tf"] = tf_adjustment(gammas, model, tf, i, j).astype(np.float32)
    pairs["score"] = score(gammas, model, pairs["siret"].to_numpy(), pairs["siren"].to_numpy(), pairs["tf"].to_numpy())
    del gammas
    pairs["match"] = pairs["score"] >= threshold
    matched = pairs[pairs["match"]]
    labels, accepted = constrained_clusters(
        len(prepared),
        matched["i"].to_numpy(),
        matched["j"].to_numpy(),
        matched["score"].to_numpy(),
        prepared["siren"].to_numpy(dtype=object).astype(str),
        prepared["siret"].to_numpy(dtype=object).astype(str),
    )
    pairs["accepted"] = False
    pairs.loc[matched.index[accepted], "accepted"] = True
    prepared["cluster"] = labels
    stats.matched_pairs = int(pairs["match"].sum())
    stats.refused_pairs = int((~accepted).sum())
    stats.actors = int(labels.max()) + 1 if len(labels) else 0
    return prepared, pairs, stats


def deduplicate(records: pd.DataFrame, *, threshold: float = THRESHOLD, explain: bool = True) -> gpd.GeoDataFrame:
    """Deduplicate normalised source records into actors.

    Parameters
    ----------
    records : (Geo)DataFrame
        At least ``source``, ``source_id``, ``name``; any other ``schema.RECORD_COLUMNS`` column may
        be absent or empty.
    threshold : float
        Match weight (bits: posterior log-odds under the learned model) above which two records
        are the same actor.
    explain : bool
        Fill ``merge_explanation`` (French) for actors made of several records.

    Returns
    -------
    GeoDataFrame
        One row per actor: ``schema.COLUMNS`` + ``merge_explanation``; each input
        ``"<source>:<source_id>"`` is in exactly one row's ``source_keys``.
    """
    rec = _complete(records)
    if rec.empty:
        actors = survive(rec, np.empty(0, dtype=np.int64))
        return actors
    prepared, pairs, stats = link(rec, threshold=threshold)
    labels = prepared["cluster"].to_numpy()
    why = explanations(prepared, pairs[pairs["accepted"]], labels, stats.model) if explain else None
    del prepared, pairs  # free the candidate pairs before survivorship (the memory peak at 1M records)
    actors = survive(rec, labels, why)
    logger.info(
        "déduplication : %d enregistrements -> %d acteurs (%d paires candidates, %d appariées, %d refusées)",
        stats.records,
        stats.actors,
        stats.candidate_pairs,
        stats.matched_pairs,
        stats.refused_pairs,
    )
    return actors
