"""Clustering: group matched pairs into actors under cannot-link constraints.

Pairs above the threshold are taken from the strongest to the weakest (Kruskal-like), pairs of
one SIRET first (``+inf``: must-link). A cluster holds at most one SIRET and one SIREN: a pair
whose two clusters already hold different SIRETs (or SIRENs) is refused, so that a cluster never
chains two establishments through a third record that resembles both. The accepted pairs are
the cluster's "reasons" (its spanning tree).
"""

from __future__ import annotations

import numpy as np


def constrained_clusters(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    scores: np.ndarray,
    sirens: np.ndarray,
    sirets: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ``n`` records from scored pairs.

    Parameters
    ----------
    n : int
        Number of records.
    i, j : numpy.ndarray
        Matched pairs (positions).
    scores : numpy.ndarray
        Their match weights (strongest first wins).
    sirens : numpy.ndarray
        SIREN of each record (``""`` when unknown), object array.
    sirets : numpy.ndarray, optional
        SIRET of each record (``""`` when unknown): two different ones never share a cluster.

    Returns
    -------
    tuple[numpy.ndarray, numpy.ndarray]
        ``(labels, accepted)``: a cluster label per record (``0..k-1``, in order of first record)
        and the boolean mask of the pairs used to build the clusters.
    """
    parent = list(range(n))
    constraints = [sirens] if sirets is None else [sirets, sirens]
    held: list[dict[int, str]] = []
    for values in constraints:
        named = np.flatnonzero(values != "")
        held.append(dict(zip(named.tolist(), values[named].tolist(), strict=True)))
    order = np.argsort(-scores, kind="stable")
    accepted = np.zeros(len(i), dtype=bool)
    ii, jj = i.tolist(), j.tolist()

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for k in order.tolist():
        a, b = find(ii[k]), find(jj[k])
        if a == b:
            continue
        conflict = False
        for values in held:
            va, vb = values.get(a), values.get(b)
            if va and vb and va != vb:
                conflict = True
                break
        if conflict:
            continue
        if a > b:
            a, b = b, a
        parent[b] = a
        for values in held:
            vb = values.get(b)
            if vb and not values.get(a):
                values[a] = vb
        accepted[k] = True
    roots = np.arange(n, dtype=np.int64)
    touched = np.unique(np.concatenate([i, j])) if len(i) else np.empty(0, dtype=np.int64)
    roots[touched] = [find(x) for x in touched.tolist()]
    _, labels = np.unique(roots, return_inverse=True)
    return labels.astype(np.int64), accepted
