"""pyarrow-backed pandas columns as contiguous pyarrow arrays, and back (no copy when already contiguous).

GeoParquet string columns arrive in several chunks (one per row group); pyarrow then concatenates the
whole column again on every ``take``. The table loader (``mapping.store``) and the search index
(``mapping.search.index``, ``mapping.search.facets``) work on one chunk. Private helpers.
"""

from __future__ import annotations

from typing import TypeVar

import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray

FrameT = TypeVar("FrameT", bound=pd.DataFrame)


def contiguous(values: object) -> pa.Array | None:
    """The pyarrow data of a pyarrow-backed pandas array as one array (None for other arrays)."""
    if not isinstance(values, pd.arrays.ArrowExtensionArray):
        return None
    data = values.__arrow_array__()
    if isinstance(data, pa.ChunkedArray):
        data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
    return data


def wrap(data: pa.Array, like: pd.arrays.ArrowExtensionArray) -> ExtensionArray:
    """A pandas array of ``like``'s class and dtype around ``data`` (no copy)."""
    chunked = pa.chunked_array([data], type=data.type)
    if isinstance(like, pd.arrays.ArrowStringArray):
        return pd.arrays.ArrowStringArray(chunked, dtype=like.dtype)
    return pd.arrays.ArrowExtensionArray(chunked)


def single_chunk(values: object) -> object:
    """``values`` with its pyarrow data in one chunk (other arrays, and single chunks, as they are)."""
    if isinstance(values, pd.arrays.ArrowExtensionArray) and values.__arrow_array__().num_chunks > 1:
        return wrap(contiguous(values), values)
    return values


def single_chunks(frame: FrameT) -> FrameT:
    """``frame``, or a shallow copy of it whose pyarrow columns in several chunks are combined into one."""
    combined = {name: single_chunk(frame[name].array) for name in frame.columns}
    changed = {name: values for name, values in combined.items() if values is not frame[name].array}
    return frame.assign(**changed) if changed else frame
