"""Comparison: prepare records, then measure how alike each candidate pair is.

:func:`prepare` gives every record its comparable fields (normalised name, address, SIRET,
SIREN, phone, web domain, e-mail, commune, département, Lambert-93 coordinates).
:func:`compare` gives every candidate pair its comparison vector: name and address similarity
(rapidfuzz, 0-100), distance in metres, and agreement of the identifiers and contacts
(``1`` same, ``-1`` different, ``0`` unknown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Transformer
from rapidfuzz import fuzz, process

from mapping.dedup import normalise
from mapping.dedup.block import rare_tokens

_TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)

#: geo_precision values whose points locate the establishment itself (not its commune).
PRECISE = ("housenumber", "street", "source")
AGREEMENT_COLUMNS = ("number", "siret", "siren", "phone", "domain", "email", "commune")


def _column(records: pd.DataFrame, name: str) -> pd.Series:
    if name in records.columns:
        return records[name].reset_index(drop=True)
    return pd.Series([None] * len(records), dtype=object)


def prepare(records: pd.DataFrame) -> pd.DataFrame:
    """Comparable fields of each record (positions ``0..n-1``, ``""`` for missing strings).

    Parameters
    ----------
    records : (Geo)DataFrame
        Normalised source records; only ``source``, ``source_id`` and ``name`` are required.

    Returns
    -------
    pandas.DataFrame
        ``source, key, name, token1, token2, address, number, siret, siren, phone, domain, email,
        commune, departement, x, y`` (x/y Lambert-93, NaN unless the point is precise).
    """
    out = pd.DataFrame(index=pd.RangeIndex(len(records)))
    out["source"] = normalise.text(_column(records, "source"))
    out["key"] = (out["source"] + ":" + normalise.text(_column(records, "source_id"))).astype(object)
    out["name"] = normalise.names(_column(records, "name"))
    out["token1"], out["token2"] = rare_tokens(out["name"])
    raw_names = _column(records, "name")
    out["initials"] = normalise.initials(raw_names)
    out["acronym"] = normalise.acronyms(raw_names)
    out["abbrev"] = out["acronym"].where(out["acronym"] != "", out["initials"]).astype(object)
    out["address"] = normalise.addresses(_column(records, "address"))
    out["number"] = normalise.house_numbers(out["address"])
    siret = normalise.sirets(_column(records, "siret"))
    siren = normalise.text(_column(records, "siren")).str.replace(r"\D", "", regex=True)
    siren = siren.where(siren.str.len() == 9, "")
    out["siret"] = siret
    out["siren"] = siret.str.slice(0, 9).where(siret != "", siren).astype(object)
    out["phone"] = normalise.phones(_column(records, "phone"))
    out["domain"] = normalise.domains(_column(records, "website"), _column(records, "email"))
    out["email"] = normalise.emails(_column(records, "email"))
    commune = normalise.text(_column(records, "code_insee")).str.upper()
    postcode = normalise.text(_column(records, "postcode")).str.replace(" ", "", regex=False)
    city = normalise.names(_column(records, "city"))
    out["commune"] = commune.where(commune != "", (postcode + "|" + city).where(postcode != "", "")).astype(object)
    dep = normalise.text(_column(records, "departement"))
    from_insee = commune.str.slice(0, 2)
    from_postcode = postcode.str.slice(0, 2)
    out["departement"] = dep.where(dep != "", from_insee.where(from_insee != "", from_postcode)).astype(object)
    x, y = _coordinates(records)
    out["x"], out["y"] = x, y
    return out


def _coordinates(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(records)
    if "geometry" not in records.columns or n == 0:
        return np.full(n, np.nan), np.full(n, np.nan)
    geom = records.geometry if hasattr(records, "geometry") else records["geometry"]
    has = (geom.notna() & ~geom.is_empty).to_numpy()
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    lon[has] = geom[has].x.to_numpy()
    lat[has] = geom[has].y.to_numpy()
    precision = _column(records, "geo_precision")
    precise = precision.isin(PRECISE).to_numpy() | precision.isna().to_numpy()
    lon[~precise] = np.nan
    lat[~precise] = np.nan
    x, y = _TO_L93.transform(lon, lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _agreement(codes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = codes[i], codes[j]
    known = (a >= 0) & (b >= 0)
    return np.where(known, np.where(a == b, 1, -1), 0).astype(np.int8)


def _codes(values: np.ndarray) -> np.ndarray:
    codes = pd.factorize(values)[0]
    return np.where(values == "", -1, codes)


def _similarity(
    values: np.ndarray, codes: np.ndarray, i: np.ndarray, j: np.ndarray, scorer: object, todo: np.ndarray | None = None
) -> np.ndarray:
    """Scores of pairs (0-100, float32): 100 for equal values, NaN where either side is empty;
    rapidfuzz only runs on the pairs of different values (and in ``todo`` when given)."""
    a, b = codes[i], codes[j]
    out = np.where((a >= 0) & (b >= 0), np.float32(0), np.float32(np.nan)).astype(np.float32)
    out[(a == b) & (a >= 0)] = 100.0
    run = (a >= 0) & (b >= 0) & (a != b)
    if todo is not None:
        run &= todo
    idx = np.flatnonzero(run)
    if len(idx):
        out[idx] = process.cpdist(
            values[i[idx]].tolist(), values[j[idx]].tolist(), scorer=scorer, dtype=np.float32, workers=-1
        )
    return out


def compare(prepared: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> pd.DataFrame:
    """Comparison vectors of the pairs ``(i, j)`` (positions in ``prepared``).

    Returns
    -------
    pandas.DataFrame
        ``i, j, name_sort, name_set, address, number, distance, siret, siren, phone, domain, email,
        commune, same_source`` (similarities 0-100 or NaN, distance in metres or NaN, agreements
        in ``{-1, 0, 1}``).
    """
    col = {c: prepared[c].to_numpy(dtype=object) for c in ("name", "address")}
    code = {c: _codes(prepared[c].to_numpy(dtype=object)) for c in (*AGREEMENT_COLUMNS, "name", "address")}
    x, y = prepared["x"].to_numpy(), prepared["y"].to_numpy()
    out = pd.DataFrame({"i": i, "j": j})
    out["name_sort"] = _similarity(col["name"], code["name"], i, j, fuzz.token_sort_ratio)
    out["name_set"] = _similarity(
        col["name"], code["name"], i, j, fuzz.token_set_ratio, todo=out["name_sort"].to_numpy() < 95
    )
    out["name_set"] = np.fmax(out["name_set"].to_numpy(), out["name_sort"].to_numpy())
    out["address"] = _similarity(col["address"], code["address"], i, j, fuzz.token_sort_ratio)
    out["distance"] = np.hypot(x[i] - x[j], y[i] - y[j]).astype(np.float32)
    for name in AGREEMENT_COLUMNS:
        out[name] = _agreement(code[name], i, j)
    acronym, initials = prepared["acronym"].to_numpy(dtype=object), prepared["initials"].to_numpy(dtype=object)
    out["initials"] = ((acronym[i] != "") & (acronym[i] == initials[j])) | (
        (acronym[j] != "") & (acronym[j] == initials[i])
    )
    source = pd.factorize(prepared["source"].to_numpy(dtype=object))[0]
    out["same_source"] = source[i] == source[j]
    return out
