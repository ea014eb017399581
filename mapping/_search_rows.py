"""Result frames of :class:`mapping.search.SupplierIndex`: the selected rows of the actor table, fast.

``DataFrame.iloc`` on the canonical table costs 10–60 ms for a thousand rows out of a million: GeoParquet
string columns arrive as pyarrow arrays in several chunks (one per row group), and pyarrow concatenates
the whole column again on *every* ``take``. :class:`_RowTaker` takes the pyarrow-backed columns together,
record batch by record batch (zero-copy slices: no second copy of the strings), lets pandas ``take`` the
other columns (numpy blocks, geometry), and joins both: ≈10 ms instead of ≈55 ms for 1,400 rows of
26 columns at 1M actors. Private: the public API is ``mapping.search``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray


def _arrow_chunks(values: object) -> pa.ChunkedArray | None:
    """The pyarrow data of a pyarrow-backed pandas array (None for other arrays)."""
    if not isinstance(values, pd.arrays.ArrowExtensionArray):
        return None
    chunked = values.__arrow_array__()
    return chunked if isinstance(chunked, pa.ChunkedArray) else pa.chunked_array([chunked])


def _from_arrow(chunked: pa.ChunkedArray, like: pd.arrays.ArrowExtensionArray) -> ExtensionArray:
    """A pandas array of ``like``'s class and dtype around ``chunked`` (no copy)."""
    if isinstance(like, pd.arrays.ArrowStringArray):
        return pd.arrays.ArrowStringArray(chunked, dtype=like.dtype)
    return pd.arrays.ArrowExtensionArray(chunked)


class _RowTaker:
    """The columns of a GeoDataFrame, kept so that any subset of rows becomes a new frame quickly.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The table; never modified (its columns are shared, not copied).
    """

    def __init__(self, gdf: gpd.GeoDataFrame) -> None:
        self._names = list(gdf.columns)
        self._like: dict[str, pd.arrays.ArrowExtensionArray] = {}  # pyarrow-backed: taken together
        arrow: dict[str, pa.ChunkedArray] = {}
        for name in self._names:
            values = gdf[name].array
            chunked = _arrow_chunks(values)
            if chunked is not None and _from_arrow(chunked, values).dtype == values.dtype:
                arrow[name] = chunked
                self._like[name] = values
        # The other columns (numpy blocks, geometry) are taken by pandas, which does it well.
        self._rest = gdf.drop(columns=list(self._like)) if self._like else gdf.copy(deep=False)
        self._geometry = gdf.geometry.name
        # pyarrow concatenates the chunks of a column on every take (the whole column, for a few rows):
        # take from each record batch (zero-copy slices of the table) instead.
        table = pa.table(arrow) if arrow else pa.table({"_": pa.nulls(len(gdf))})
        self._schema = table.schema
        self._batches = table.to_batches()
        self._starts = np.cumsum([0] + [batch.num_rows for batch in self._batches])

    def _take_arrow(self, rows: np.ndarray) -> pa.Table:
        """Rows of the pyarrow-backed columns, in the order of ``rows``."""
        if len(self._batches) <= 1:
            return pa.Table.from_batches(self._batches, self._schema).take(pa.array(rows, type=pa.int64()))
        batch_of = np.searchsorted(self._starts, rows, side="right") - 1
        order = np.argsort(batch_of, kind="stable")
        bounds = np.searchsorted(batch_of[order], np.arange(len(self._batches) + 1))
        parts = []
        for b, batch in enumerate(self._batches):
            if bounds[b + 1] > bounds[b]:
                local = rows[order[bounds[b] : bounds[b + 1]]] - self._starts[b]
                parts.append(batch.take(pa.array(local, type=pa.int64())))
        grouped = pa.Table.from_batches(parts, self._schema)
        back = np.empty(len(rows), dtype=np.int64)
        back[order] = np.arange(len(rows))
        return grouped.take(pa.array(back))

    def take(self, rows: np.ndarray, extra: dict[str, np.ndarray] | None = None) -> gpd.GeoDataFrame:
        """New frame of the rows at positions ``rows`` (in that order), plus the ``extra`` columns."""
        rows = np.asarray(rows, dtype=np.int64)
        frame = self._rest.take(rows)
        if self._like:
            taken = self._take_arrow(rows)
            arrow = {name: _from_arrow(taken.column(name), like) for name, like in self._like.items()}
            both = pd.concat([pd.DataFrame(frame, copy=False), pd.DataFrame(arrow, index=frame.index)], axis=1)
            frame = gpd.GeoDataFrame(both[self._names], geometry=self._geometry, copy=False)
        for name, values in (extra or {}).items():
            frame[name] = values
        return frame
