"""White and thin cells, and the reservation potential of each cell (thresholds from the data file).

In the spirit of Le Marché de l'inclusion's analysis of a need: count the structures eligible to each
reserved-contract article (``reserved_contracts`` of ``data/reference/taxonomy/actor_kinds.json``:
L2113-12 ESAT/EA, L2113-13 SIAE, L2113-15 ESS) and say whether there are enough of them to reserve the
whole contract, a lot, or only to write a social clause.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.coverage.matrix import KindMasks, count_triples, dimension_codes, explode, memberships, territories
from mapping.coverage.thresholds import Thresholds, load_thresholds
from mapping.reference import taxonomy

ARTICLES = ("L2113-12", "L2113-13", "L2113-15")
POTENTIALS = ("contract", "lot", "clause")


def cell_status(matrix: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Same shape as ``matrix``: ``"white"`` (≤ white_at_most), ``"thin"`` (< thin_below) or ``"covered"``."""
    limits = thresholds or load_thresholds()
    values = matrix.to_numpy()
    status = np.where(values <= limits.white_at_most, "white", np.where(values < limits.thin_below, "thin", "covered"))
    return pd.DataFrame(status, index=matrix.index, columns=matrix.columns)


def flagged_cells(matrix: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Tidy list of the white and thin cells: ``code, territory, count, status`` (white first)."""
    status = cell_status(matrix, thresholds)
    tidy = pd.DataFrame(
        {
            "code": np.repeat(matrix.index.to_numpy(dtype=object), matrix.shape[1]),
            "territory": np.tile(matrix.columns.to_numpy(dtype=object), matrix.shape[0]),
            "count": matrix.to_numpy().ravel(),
            "status": status.to_numpy().ravel(),
        }
    )
    tidy = tidy[tidy["status"] != "covered"]
    order = tidy["status"].map({"white": 0, "thin": 1})
    return (
        tidy.assign(_order=order)
        .sort_values(["_order", "code", "territory"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def potential_of(eligible: int, thresholds: Thresholds) -> str:
    """``"contract"``, ``"lot"`` or ``"clause"`` for ``eligible`` structures."""
    if eligible >= thresholds.reserve_contract_at_least:
        return "contract"
    if eligible >= thresholds.reserve_lot_at_least:
        return "lot"
    return "clause"


def reservation_potential(
    actors: pd.DataFrame,
    *,
    dimension: str = "purchase_families",
    by: str = "departement",
    codes: list[str] | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Per cell, the structures eligible to each reserved-contract article and the best potential.

    Returns a tidy frame, one row per (code, territory): ``code, territory, eligible_L2113-12,
    eligible_L2113-13, eligible_L2113-15, potential`` (``contract`` / ``lot`` / ``clause``, the best over
    the articles) and ``articles`` (the articles reaching that potential, ``;``-joined; empty for a clause).
    """
    limits = thresholds or load_thresholds()
    every = dimension_codes(dimension)
    wanted = every if codes is None else [c for c in every if c in set(codes)]
    rows = [every.index(c) for c in wanted]
    terr = territories(by)
    members = memberships(actors, terr)
    by_kind = {e["code"]: set(e.get("reserved_contracts", [])) for e in taxonomy.entries("actor_kinds")}
    frame = pd.DataFrame(
        {
            "code": np.repeat(np.array(wanted, dtype=object), len(terr.codes)),
            "territory": np.tile(np.array(terr.codes, dtype=object), len(wanted)),
        }
    )
    triples = explode(actors, dimension, members)
    masks = KindMasks(actors)
    for article in ARTICLES:
        mask = masks.mask([kind for kind, articles in by_kind.items() if article in articles])
        counts = count_triples(triples, len(every), len(terr.codes), mask)
        frame[f"eligible_{article}"] = counts[rows].ravel()
    # rank 0 = contract, 1 = lot, 2 = clause (POTENTIALS order), per article then the best of them
    ranks = np.stack([_rank(frame[f"eligible_{a}"].to_numpy(), limits) for a in ARTICLES], axis=1)
    best = ranks.min(axis=1) if len(frame) else np.zeros(0, dtype=np.int64)
    frame["potential"] = np.array(POTENTIALS, dtype=object)[best]
    reaching = (ranks == best[:, None]) & (best[:, None] < 2)
    frame["articles"] = [";".join(a for a, hit in zip(ARTICLES, row, strict=True) if hit) for row in reaching]
    return frame


def _rank(eligible: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    return np.where(
        eligible >= thresholds.reserve_contract_at_least, 0, np.where(eligible >= thresholds.reserve_lot_at_least, 1, 2)
    )
