"""Deduplication of source records into actors, in the vocabulary of record linkage.

``normalise`` (names, addresses, phones, domains) → ``block`` (sorted neighbourhood on exact keys
and commune × rare name token: near-linear) → ``compare`` (rapidfuzz, distance, identifiers) →
``score`` (match weights) → ``cluster`` (never two different SIRENs in one actor) → ``survive``
(trusted source per field, lists unioned, every source key kept, a French explanation).

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
from mapping.dedup.compare import compare, prepare
from mapping.dedup.explain import explanations
from mapping.dedup.score import THRESHOLD, score, upper_bound
from mapping.dedup.survive import EXPLANATION_COLUMN, survive
from mapping.reference.schema import CODE_LIST_COLUMNS, CRS_WGS84, RECORD_COLUMNS

logger = logging.getLogger(__name__)

__all__ = ["EXPLANATION_COLUMN", "DedupStats", "deduplicate", "link"]


@dataclass
class DedupStats:
    """What a deduplication did (for reports and benchmarks)."""

    records: int = 0
    pairs_per_pass: dict[str, int] = field(default_factory=dict)
    candidate_pairs: int = 0
    matched_pairs: int = 0
    refused_pairs: int = 0
    actors: int = 0


def _complete(records: pd.DataFrame) -> gpd.GeoDataFrame:
    """``records`` with every ``RECORD_COLUMNS`` column (missing ones empty), positions 0..n-1."""
    rec = pd.DataFrame(records).reset_index(drop=True)
    for column in RECORD_COLUMNS:
        if column not in rec.columns:
            rec[column] = [[] for _ in range(len(rec))] if column in CODE_LIST_COLUMNS else None
    if "geometry" not in records.columns:
        rec["geometry"] = None
    rec["updated_at"] = pd.to_datetime(rec["updated_at"], utc=True)
    return gpd.GeoDataFrame(rec, geometry="geometry", crs=getattr(records, "crs", None) or CRS_WGS84)


def link(records: pd.DataFrame, *, threshold: float = THRESHOLD) -> tuple[pd.DataFrame, pd.DataFrame, DedupStats]:
    """Block, compare, score and cluster ``records``; no survivorship.

    Returns
    -------
    tuple
        ``(prepared, pairs, stats)``: the prepared fields with a ``cluster`` column, the scored
        candidate pairs (comparison vector, ``score``, ``match``, ``accepted``) and statistics.
    """
    stats = DedupStats(records=len(records))
    prepared = prepare(records)
    i, j, stats.pairs_per_pass = candidate_pairs(prepared)
    stats.candidate_pairs = len(i)
    pairs = compare(prepared, i, j, worth=lambda cheap: upper_bound(cheap) >= threshold)
    pairs["score"] = score(pairs)
    pairs["match"] = pairs["score"] >= threshold
    matched = pairs[pairs["match"]]
    labels, accepted = constrained_clusters(
        len(prepared),
        matched["i"].to_numpy(),
        matched["j"].to_numpy(),
        matched["score"].to_numpy(),
        prepared["siren"].to_numpy(dtype=object),
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
        Match weight above which two records are the same actor.
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
    why = explanations(prepared, pairs[pairs["accepted"]], labels) if explain else None
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
