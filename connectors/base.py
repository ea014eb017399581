"""Connector protocol, snapshot files, errors and helpers shared by every source.

A connector turns one public source into normalised records (``mapping.reference.schema.RECORD_COLUMNS``)
in three steps that never mix I/O and shaping:

``fetch(http, *, region)``
    live HTTP through :class:`mapping.http.HttpClient`, yields :class:`SnapshotFile` holding
    the exact bytes the service returned (one file per request);
``parse(files)``
    pure: native payloads -> raw dicts (one per source record);
``normalize(raw)``
    pure: raw dicts -> GeoDataFrame with exactly ``RECORD_COLUMNS`` (EPSG:4326).

``snapshot_path(url, params)`` names the file of a request; ``fetch`` and the fake HTTP server of
the tests both use it, so a recorded snapshot can always be replayed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl, urlsplit

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from connectors.snapshots import MANIFEST_NAME, SnapshotFile, read_snapshot, snapshot_dir
from mapping import settings
from mapping.errors import RetriableError, SourceError
from mapping.reference import schema

if TYPE_CHECKING:
    from mapping.http import HttpClient


@runtime_checkable
class Connector(Protocol):
    """What every entry of ``connectors.REGISTRY`` provides."""

    NAME: str
    TITLE: str
    LICENCE: str
    ATTRIBUTION: str
    DEFAULT_BASE_URL: str
    HOMEPAGE: str

    def base_url(self) -> str:
        """Scheme + host to query (env ``SOURCIER_<NAME>_URL`` or ``DEFAULT_BASE_URL``)."""
        ...

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """Snapshot file path of a request (raises ``ValueError`` for a foreign request)."""
        ...

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """Query the live service, yield native payloads."""
        ...

    def parse(self, files: Iterable[SnapshotFile]) -> Iterator[dict]:
        """Native payloads -> raw dicts (pure)."""
        ...

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Raw dicts -> records with exactly ``RECORD_COLUMNS``."""
        ...


class BaseConnector:
    """Shared behaviour of the connectors (subclass it, set the class attributes)."""

    NAME: str = ""
    TITLE: str = ""
    LICENCE: str = ""
    ATTRIBUTION: str = ""
    DEFAULT_BASE_URL: str = ""
    HOMEPAGE: str = ""

    def base_url(self) -> str:
        """Scheme + host to query, see :func:`resolve_base_url`."""
        return resolve_base_url(self.NAME, self.DEFAULT_BASE_URL)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.NAME!r}>"


# --------------------------------------------------------------------------- helpers


def env_var_name(name: str) -> str:
    """Name of the environment variable overriding a source's base URL."""
    return settings.env_var_name(name)


def resolve_base_url(name: str, default: str) -> str:
    """Return the base URL of source ``name``: env ``SOURCIER_<NAME>_URL`` when set, else
    ``default``; no trailing slash (connectors append their usual paths)."""
    return settings.get().source_url(name, default)


def query_params(url: str, params: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Flatten the query of ``url`` and ``params`` to ``{name: value}`` (strings, last wins)."""
    out = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    for key, value in (params or {}).items():
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        out[str(key)] = str(value)
    return out


def parse_timestamp(text: str) -> pd.Timestamp | None:
    """ISO 8601 date or date-time (offset kept, naive = UTC) -> UTC Timestamp, None if unreadable.

    ``datetime.fromisoformat`` first: ``pd.to_datetime`` on one string at a time costs ~2 ms
    (format guessing), which dominated the build.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        stamp = pd.to_datetime(text, utc=True, errors="coerce")
        return None if pd.isna(stamp) else stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return pd.Timestamp(moment).tz_convert("UTC")


def text_or_none(value: object) -> str | None:
    """Stripped string, or None when empty/missing (None, NaN, ``pd.NA``)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def point_or_none(lon: object, lat: object) -> Point | None:
    """A WGS84 point from numbers or numeric strings; None when missing, invalid or (0, 0)."""
    try:
        x, y = float(str(lon).replace(",", ".")), float(str(lat).replace(",", "."))
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)) or not (-180 <= x <= 180 and -90 <= y <= 90):
        return None
    if x == 0 and y == 0:
        return None
    return Point(x, y)


def unique(values: Iterable[str]) -> list[str]:
    """Deduplicate keeping the first occurrence order."""
    return list(dict.fromkeys(v for v in values if v))


def record(source: str, source_id: str, **fields: Any) -> dict[str, Any]:
    """One source record with every key of ``RECORD_COLUMNS``: the one constructor of the connectors.

    Fields not given are None (code lists ``[]``); ``siren`` defaults to the SIRET's first nine digits and
    ``geo_precision`` to ``"source"`` when a geometry is given. An unknown field raises ``TypeError``
    (a typo would otherwise drop a value silently).
    """
    unknown = sorted(set(fields) - set(schema.RECORD_COLUMNS))
    if unknown:
        msg = f"unknown record fields: {', '.join(unknown)}"
        raise TypeError(msg)
    row: dict[str, Any] = {col: [] if col in schema.LIST_COLUMNS else None for col in schema.RECORD_COLUMNS}
    row.update(fields, source=source, source_id=source_id)
    if "siren" not in fields:
        siret = row.get("siret")
        row["siren"] = siret[:9] if isinstance(siret, str) and siret else None
    if "geo_precision" not in fields:
        row["geo_precision"] = "source" if row.get("geometry") is not None else None
    return row


def records_frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Build a record table with exactly ``RECORD_COLUMNS`` from dicts.

    Missing keys become None (lists: ``[]``); string columns keep ``object`` dtype with None for
    missing values; ``updated_at`` is converted to ``datetime64[ns, UTC]``; CRS is EPSG:4326.
    """
    if not rows:
        frame = schema.empty_records()
        frame["updated_at"] = pd.Series(dtype="datetime64[ns, UTC]")
        return frame
    data: dict[str, Any] = {}
    for col in schema.RECORD_COLUMNS:
        if col == "geometry":
            continue
        if col in schema.LIST_COLUMNS:
            data[col] = pd.Series([list(r.get(col) or []) for r in rows], dtype=object)
        elif col == "updated_at":
            data[col] = pd.to_datetime(pd.Series([r.get(col) for r in rows], dtype=object), utc=True).astype(
                "datetime64[ns, UTC]"
            )
        else:
            data[col] = pd.Series([r.get(col) for r in rows], dtype=object)
    geometry = gpd.GeoSeries([r.get("geometry") for r in rows], crs=schema.CRS_WGS84)
    frame = gpd.GeoDataFrame(data, geometry=geometry, crs=schema.CRS_WGS84)
    return frame[list(schema.RECORD_COLUMNS)]


__all__ = [
    "MANIFEST_NAME",
    "BaseConnector",
    "Connector",
    "RetriableError",
    "SnapshotFile",
    "SourceError",
    "env_var_name",
    "parse_timestamp",
    "point_or_none",
    "query_params",
    "read_snapshot",
    "record",
    "records_frame",
    "resolve_base_url",
    "snapshot_dir",
    "text_or_none",
    "unique",
]
