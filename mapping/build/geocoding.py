"""Geocoding with the BAN geocoder of the Géoplateforme, and the offline fallback.

* Online: ``POST /search/csv/`` for bulk (chunks of :data:`BATCH_ROWS` rows, one job at a time),
  ``GET /search`` for one address (https://data.geopf.fr/geocodage/, same paths and answers as the
  retired api-adresse.data.gouv.fr). Answers under :data:`MIN_SCORE` are not trusted. Every answer
  (found or not) is kept in a SQLite cache under ``data/cache/`` so an address is never asked twice.
  Requests go through :class:`mapping.http.HttpClient` (retries, ``Retry-After``, per-host
  throttle at the ``ban`` rate of :data:`mapping.settings.SOURCE_RATES`, below the documented 50 req/s per IP).
* Offline, and for whatever BAN could not place: :func:`mapping.build.locate.locate` (commune point by
  INSEE code or postcode + city; reverse lookup of the commune of a point).

Formats: GeoCodeJSON as both hosts answer it, checked on recorded answers
(``tests/fixtures/real/ban``): the old api-adresse root (``version``, ``attribution``,
``licence``, ``query``, ``limit``, ``filters``; ADRNIVX or BAN ids) and the Géoplateforme one
(``type``, ``features``, ``query``; features with ``banId``, ``_type``). ``/search/csv/`` answers
are read by column name (the column order changed on 2025-01-07) with the header's delimiter.

Layers: :func:`geocode_records` (public) -> :class:`BanGeocoder` (cache + request loop) ->
:func:`parse_search` / :func:`parse_csv` (pure: answers -> :class:`Geocode`).
"""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping import settings
from mapping.build.locate import locate
from mapping.errors import SourceError
from mapping.http import HttpClient
from mapping.reference.schema import CRS_WGS84

logger = logging.getLogger(__name__)

BASE_URL = settings.BAN_URL
SOURCE = "ban"
#: File name of the answer cache inside the settings' cache folder.
CACHE_NAME = "geocoding.sqlite"
#: Below this ``score`` a BAN answer is not trusted (users report ``ok`` statuses for bad matches).
MIN_SCORE = 0.6
#: Rows per CSV job (the service accepts files up to ~50 MB; small jobs retry cheaply).
BATCH_ROWS = 2000
#: Requests per second to the Géoplateforme (documented limit: 50 per IP).
#: BAN result type -> ``geo_precision``.
PRECISION = {"housenumber": "housenumber", "street": "street", "locality": "street", "municipality": "municipality"}


@dataclass(frozen=True)
class Geocode:
    """One BAN answer."""

    lon: float
    lat: float
    score: float
    type: str
    citycode: str | None
    label: str | None


def base_url() -> str:
    """BAN base URL (env ``SOURCIER_BAN_URL`` overrides the Géoplateforme)."""
    return settings.get().ban_url


def query_key(address: object, postcode: object, city: object) -> str:
    """Cache key of a query: its parts stripped, lower-cased, ``|``-joined."""
    parts = (
        "" if v is None or (isinstance(v, float) and np.isnan(v)) else " ".join(str(v).split()).lower()
        for v in (address, postcode, city)
    )
    return "|".join(parts)


# --------------------------------------------------------------------------- pure parsing


def parse_search(payload: dict) -> Geocode | None:
    """Best feature of a ``/search`` GeoCodeJSON answer (``None`` when there is none).

    Both formats are read: the old api-adresse root (``version``, ``attribution``, ``licence``,
    ``query``, ``limit``, ``filters``) and the Géoplateforme one (``type``, ``features``,
    ``query``; features with ``banId`` and ``_type``). Features without a usable point are skipped.
    """
    best: Geocode | None = None
    for feature in payload.get("features") or [] if isinstance(payload, dict) else []:
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") or {}
        coordinates = (feature.get("geometry") or {}).get("coordinates") or []
        try:
            lon, lat = float(coordinates[0]), float(coordinates[1])
            score = float(props.get("score") or 0.0)
        except (IndexError, TypeError, ValueError):
            continue
        if best is None or score > best.score:
            citycode = props.get("citycode")
            best = Geocode(
                lon,
                lat,
                score,
                str(props.get("type") or ""),
                str(citycode) if citycode not in (None, "") else None,
                props.get("label"),
            )
    return best


def build_csv(rows: Iterable[tuple[str, str, str, str]]) -> bytes:
    """CSV body of a batch job: ``id, adresse, postcode, city`` (UTF-8, comma-separated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "adresse", "postcode", "city"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def parse_csv(content: bytes) -> dict[str, Geocode | None]:
    """Answers of a ``/search/csv/`` job by ``id`` (``None`` for ``not-found``/``skipped`` rows).

    Columns are read by name, never by position: the service moved ``result_label`` after
    ``result_score_next`` on 2025-01-07 (BaseAdresseNationale/adresse.data.gouv.fr#1962). The
    delimiter is the one of the header line (the answer keeps the input's: ``,``, ``;``, ``|``
    or tab). An answer without an ``id`` column cannot be matched to the queries: ``{}``.
    """
    text = content.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    delimiter = max(",;|\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if "id" not in (reader.fieldnames or []):
        logger.warning("BAN : réponse CSV sans colonne « id », ignorée (colonnes : %s)", header[:200])
        return {}
    out: dict[str, Geocode | None] = {}
    for row in reader:
        ident = row.get("id")
        if ident is None:
            continue
        status = row.get("result_status") or ("ok" if row.get("latitude") else "not-found")
        try:
            lon, lat = float(row.get("longitude") or ""), float(row.get("latitude") or "")
        except ValueError:
            out[ident] = None
            continue
        if status != "ok":
            out[ident] = None
            continue
        try:
            score = float(row.get("result_score") or 0)
        except ValueError:
            score = 0.0
        out[ident] = Geocode(
            lon,
            lat,
            score,
            row.get("result_type") or "",
            row.get("result_citycode") or None,
            row.get("result_label") or None,
        )
    return out


# --------------------------------------------------------------------------- cache


class GeocodeCache:
    """Persistent answers (SQLite): ``query -> Geocode | None`` (``None``: BAN found nothing)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else settings.get().cache_dir / CACHE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (query TEXT PRIMARY KEY, lon REAL, lat REAL, score REAL, "
            "type TEXT, citycode TEXT, label TEXT, fetched_at REAL)"
        )
        self.hits = 0

    def get_many(self, queries: Iterable[str]) -> dict[str, Geocode | None]:
        """Cached answers of ``queries`` (absent keys were never asked)."""
        found: dict[str, Geocode | None] = {}
        queries = list(queries)
        for start in range(0, len(queries), 500):
            chunk = queries[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT query, lon, lat, score, type, citycode, label FROM answers WHERE query IN ({marks})"
            for q, lon, lat, score, kind, citycode, label in self._db.execute(sql, chunk):
                found[q] = None if lon is None else Geocode(lon, lat, score, kind, citycode, label)
        self.hits += len(found)
        return found

    def put_many(self, answers: dict[str, Geocode | None]) -> None:
        """Store answers (``None`` too: a query that found nothing is not asked again)."""
        now = time.time()
        rows = [
            (q, *((g.lon, g.lat, g.score, g.type, g.citycode, g.label) if g else (None,) * 6), now)
            for q, g in answers.items()
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        """Close the database."""
        self._db.close()


# --------------------------------------------------------------------------- requests


class BanGeocoder:
    """BAN client with cache.

    Parameters
    ----------
    http : HttpClient, optional
        HTTP policy (a new client by default).
    cache : GeocodeCache, optional
        Persistent cache (``data/cache/geocoding.sqlite`` by default).
    url : str, optional
        Base URL (default :func:`base_url`).
    batch_rows : int
        Rows per CSV job.
    """

    def __init__(
        self,
        http: HttpClient | None = None,
        *,
        cache: GeocodeCache | None = None,
        url: str | None = None,
        batch_rows: int = BATCH_ROWS,
    ) -> None:
        self.http = http or HttpClient()
        self.cache = cache or GeocodeCache()
        self.url = (url or base_url()).rstrip("/")
        self.batch_rows = batch_rows
        self.requests = 0

    def search(self, address: str, postcode: str | None = None, city: str | None = None) -> Geocode | None:
        """Geocode one address with ``GET /search`` (cached)."""
        key = query_key(address, postcode, city)
        cached = self.cache.get_many([key])
        if key in cached:
            return cached[key]
        params = {"q": " ".join(p for p in (address, postcode, city) if p), "limit": 1, "index": "address"}
        if postcode:
            params["postcode"] = postcode
        self.requests += 1
        payload = self.http.get_json(f"{self.url}/search", params=params, source=SOURCE)
        answer = parse_search(payload)
        self.cache.put_many({key: answer})
        return answer

    def search_many(self, queries: pd.DataFrame) -> dict[str, Geocode | None]:
        """Geocode ``queries`` (``address, postcode, city``) by CSV jobs; answers by :func:`query_key`."""
        keys = [query_key(a, p, c) for a, p, c in queries[["address", "postcode", "city"]].itertuples(index=False)]
        answers = self.cache.get_many(set(keys))
        todo: dict[str, tuple[str, str, str]] = {}
        for key in keys:
            if key not in answers and key not in todo:
                todo[key] = tuple(key.split("|"))  # type: ignore[assignment]
        items = list(todo.items())
        for start in range(0, len(items), self.batch_rows):
            chunk = items[start : start + self.batch_rows]
            body = build_csv((str(n), a, p, c) for n, (_, (a, p, c)) in enumerate(chunk))
            found = parse_csv(self._post_csv(body))
            batch = {key: found.get(str(n)) for n, (key, _) in enumerate(chunk)}
            self.cache.put_many(batch)
            answers.update(batch)
            logger.info("BAN : lot de %d adresses géocodé", len(chunk))
        return answers

    def _post_csv(self, body: bytes) -> bytes:
        """``POST /search/csv/`` through the client's policy (retries, ``Retry-After``, throttle)."""
        data = [("columns", "adresse"), ("postcode", "postcode"), ("result_columns", "result_score")]
        data += [
            ("result_columns", c)
            for c in ("latitude", "longitude", "result_type", "result_citycode", "result_label", "result_status")
        ]
        self.requests += 1
        response = self.http.post(
            f"{self.url}/search/csv/",
            data=data,
            files={"data": ("adresses.csv", body, "text/csv")},
            source=SOURCE,
        )
        return response.content


# --------------------------------------------------------------------------- public


def geocode_records(
    records: gpd.GeoDataFrame,
    *,
    mode: str = "offline",
    geocoder: BanGeocoder | None = None,
    region: str | None = None,
    min_score: float = MIN_SCORE,
) -> gpd.GeoDataFrame:
    """Locate every record: BAN for addresses without a point (``mode="online"``), then offline.

    Parameters
    ----------
    records : GeoDataFrame
        Normalised records (``schema.RECORD_COLUMNS``).
    mode : {"offline", "online"}
        ``online`` asks BAN for records with a street address but no point; a BAN failure logs a
        warning and falls back to the commune point.
    geocoder : BanGeocoder, optional
        Client to use online (a default one otherwise).
    region : str, optional
        Region of the reverse lookup.
    min_score : float
        BAN answers under this score are ignored.

    Returns
    -------
    GeoDataFrame
        Same rows, located (``geo_precision`` set) when possible, with commune codes.
    """
    if mode not in ("offline", "online"):
        msg = f"mode de géocodage inconnu : {mode!r} (offline ou online)"
        raise ValueError(msg)
    out = records.copy()
    if mode == "online":
        geom = out.geometry
        address = out["address"].astype("string").str.strip().fillna("")
        todo = (geom.isna() | geom.is_empty).to_numpy() & (address != "").to_numpy()
        if todo.any():
            geocoder = geocoder or BanGeocoder()
            queries = out.loc[todo, ["address", "postcode", "city"]]
            try:
                answers = geocoder.search_many(queries)
            except SourceError as exc:
                logger.warning("Géocodage BAN indisponible, repli sur le centre des communes : %s", exc)
                answers = {}
            _apply(out, queries, answers, min_score)
    located = locate(gpd.GeoDataFrame(out, geometry="geometry", crs=CRS_WGS84), region=region)
    return located


def _apply(out: gpd.GeoDataFrame, queries: pd.DataFrame, answers: dict[str, Geocode | None], min_score: float) -> None:
    """Write trusted answers into ``out`` (in place)."""
    rows, points, precisions, citycodes = [], [], [], []
    for index, (a, p, c) in zip(queries.index, queries.itertuples(index=False), strict=True):
        answer = answers.get(query_key(a, p, c))
        if answer is None or answer.score < min_score or answer.type not in PRECISION:
            continue
        rows.append(index)
        points.append((answer.lon, answer.lat))
        precisions.append(PRECISION[answer.type])
        citycodes.append(answer.citycode)
    if not rows:
        return
    xy = np.array(points)
    out.loc[rows, "geometry"] = gpd.points_from_xy(xy[:, 0], xy[:, 1], crs=CRS_WGS84)
    out.loc[rows, "geo_precision"] = precisions
    blank = out.loc[rows, "code_insee"].isna() | (out.loc[rows, "code_insee"].astype("string").str.strip() == "")
    fill = [r for r, b in zip(rows, blank.to_numpy(), strict=True) if b]
    out.loc[fill, "code_insee"] = [c for c, b in zip(citycodes, blank.to_numpy(), strict=True) if b]
    logger.info("BAN : %d enregistrement(s) géocodé(s) avec un score ≥ %.2f", len(rows), min_score)
