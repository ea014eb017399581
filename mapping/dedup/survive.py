"""Survivorship: one actor row per cluster, each field from the most trusted source for it.

Trust orders are declared in ``data/reference/survivorship.json`` (read by
:func:`mapping.reference.survivorship.survivorship`). Scalar fields take the first non-empty value in the field's
order (ties: smallest source key); the location (point + ``geo_precision``) travels as one field;
taxonomy lists and product names are unioned; ``sources`` and ``source_keys`` keep every input; ``updated_at`` is
the latest; ``merge_explanation`` says in French why the records were merged.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.reference.schema import CODE_LIST_COLUMNS, COLUMNS, CRS_WGS84, TEXT_LIST_COLUMNS, as_list
from mapping.reference.survivorship import SCALAR_COLUMNS, make_uid, survivorship

EXPLANATION_COLUMN = "merge_explanation"


def _rank(source_codes: np.ndarray, source_names: list[str], field: str) -> np.ndarray:
    """Trust rank of each record's source for ``field`` (per distinct source, then by code)."""
    rules = survivorship()
    order = rules.get(field, rules["default"])
    ranks = {name: i for i, name in enumerate(order)}
    per_source = np.array([ranks.get(name, len(order)) for name in source_names], dtype=np.int64)
    return per_source[source_codes]


def _filled(values: pd.Series) -> np.ndarray:
    mask = values.notna().to_numpy().copy()
    if values.dtype == object and mask.any():
        # only the strings need a closer look: blank ones are not values
        codes, uniques = pd.factorize(values)
        blank = np.array([isinstance(u, str) and not u.strip() for u in uniques.tolist()] + [False], dtype=bool)
        mask &= ~blank[codes]
    return mask


def _first_by_group(group: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Among positions (already sorted by group then preference) where ``mask``, the first of each group."""
    pos = np.flatnonzero(mask)
    g = group[pos]
    first = np.ones(len(pos), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    return g[first], pos[first]


def survive(records: pd.DataFrame, labels: np.ndarray, explanations: pd.Series | None = None) -> gpd.GeoDataFrame:
    """Merge ``records`` (``schema.RECORD_COLUMNS``, aligned with ``labels``) into actors.

    Parameters
    ----------
    records : GeoDataFrame
        Records with every ``schema.RECORD_COLUMNS`` column.
    labels : numpy.ndarray
        Cluster label of each record (``0..k-1``).
    explanations : pandas.Series, optional
        French explanation per cluster label (index = label).

    Returns
    -------
    GeoDataFrame
        One row per cluster (in label order): ``schema.COLUMNS`` + ``merge_explanation``.
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    rec = records.reset_index(drop=True)
    sources = rec["source"].astype(str).to_numpy(dtype=object)
    source_codes, source_names = pd.factorize(sources)
    source_names = [str(v) for v in source_names]
    keys = (rec["source"].astype(str) + ":" + rec["source_id"].astype(str)).to_numpy(dtype=object)
    key_rank = pd.factorize(keys, sort=True)[0]
    out: dict[str, object] = {}

    rules = survivorship()
    fields_by_order: dict[tuple[str, ...], list[str]] = {}
    for field in (*SCALAR_COLUMNS, "geometry"):
        fields_by_order.setdefault(tuple(rules.get(field, rules["default"])), []).append(field)
    for fields in fields_by_order.values():
        order = np.lexsort((key_rank, _rank(source_codes, source_names, fields[0]), labels))
        group = labels[order]
        for field in fields:
            if field == "geometry":
                geom = rec.geometry.iloc[order]
                mask = (geom.notna() & ~geom.is_empty).to_numpy()
                g, pos = _first_by_group(group, mask)
                points = np.full(k, None, dtype=object)
                points[g] = geom.to_numpy()[pos]
                precision = np.full(k, None, dtype=object)
                precision[g] = rec["geo_precision"].to_numpy(dtype=object)[order][pos]
                out["geometry"], out["geo_precision"] = points, precision
                continue
            values = rec[field].iloc[order]
            g, pos = _first_by_group(group, _filled(values))
            column = np.full(k, None, dtype=object)
            column[g] = values.to_numpy(dtype=object)[pos]
            out[field] = column

    frame = pd.DataFrame({c: out[c] for c in SCALAR_COLUMNS})
    frame["geo_precision"] = out["geo_precision"]
    frame["updated_at"] = rec["updated_at"].groupby(labels).max().reindex(range(k)).to_numpy()

    sizes = np.bincount(labels, minlength=k)
    for column in (*CODE_LIST_COLUMNS, *TEXT_LIST_COLUMNS):
        frame[column] = _union_lists(rec[column], labels, k)
    by_key = np.lexsort((key_rank, labels))
    groups = np.split(by_key, np.cumsum(sizes)[:-1]) if k else []
    frame["source_keys"] = [keys[g].tolist() for g in groups]
    frame["sources"] = [sorted(set(sources[g].tolist())) for g in groups]
    siret = frame["siret"].to_numpy(dtype=object)
    frame["uid"] = [
        make_uid(s if isinstance(s, str) and s else ks[0])
        for s, ks in zip(siret.tolist(), frame["source_keys"].tolist(), strict=True)
    ]
    _dedupe_uids(frame)
    frame[EXPLANATION_COLUMN] = (
        explanations.reindex(range(k)).to_numpy(dtype=object) if explanations is not None else None
    )
    geometry = gpd.GeoSeries(out["geometry"], crs=CRS_WGS84)
    actors = gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS_WGS84)
    return actors[[*COLUMNS, EXPLANATION_COLUMN]]


def _union_lists(values: pd.Series, labels: np.ndarray, k: int) -> list[list[str]]:
    """Sorted union of the code lists of each cluster (no per-group Python aggregation)."""
    cells = values.tolist()
    if not all(type(v) is list for v in cells):
        cells = [as_list(v) for v in cells]
    counts = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    flat = np.empty(int(counts.sum()), dtype=object)
    flat[:] = list(itertools.chain.from_iterable(cells))
    group = np.repeat(labels, counts)
    if len(flat):
        codes, uniques = pd.factorize(flat, sort=True)
        pairs = np.unique(group.astype(np.int64) * (len(uniques) + 1) + codes)
        group, flat = pairs // (len(uniques) + 1), np.asarray(uniques, dtype=object)[pairs % (len(uniques) + 1)]
    bounds = np.searchsorted(group, np.arange(k + 1))
    flat_list = flat.tolist()
    return [flat_list[bounds[g] : bounds[g + 1]] for g in range(k)]


def _dedupe_uids(frame: pd.DataFrame) -> None:
    """Two clusters sharing a SIRET (refused merge) get uids from their own smallest source key."""
    dup = frame["uid"].duplicated(keep="first").to_numpy()
    if dup.any():
        frame.loc[dup, "uid"] = [make_uid(ks[0]) for ks in frame.loc[dup, "source_keys"].tolist()]
