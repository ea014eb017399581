"""Comparison: prepare records, then measure how alike each candidate pair is.

:func:`prepare` gives every record its comparable fields (normalised name, address, SIRET,
SIREN, phone, web domain, e-mail, commune, département, Lambert-93 coordinates).
:func:`compare` gives every candidate pair its comparison vector: name and address similarity
(rapidfuzz, 0-100), distance in metres, and agreement of the identifiers and contacts
(``1`` same, ``-1`` different, ``0`` unknown).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pyproj import Transformer
from rapidfuzz import fuzz, process

from mapping.dedup import normalise
from mapping.dedup.block import rare_tokens

_TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)

#: geo_precision values whose points locate the establishment itself (not its commune).
PRECISE = ("housenumber", "street", "source")
#: Initials variants used as blocking keys (see :func:`mapping.dedup.normalise.name_parts`).
ABBREV_VARIANTS = 3
#: Contact columns whose agreement is ignored when one source gives the value to several records.
SHARED_COLUMNS = ("domain", "email", "phone")
AGREEMENT_COLUMNS = ("number", "siret", "siren", "phone", "domain", "email", "commune")
#: Prepared columns stored as categoricals (everything but the record key and the coordinates).
CATEGORICAL_COLUMNS = (
    "source",
    "address",
    "number",
    "siret",
    "siren",
    "phone",
    "domain",
    "email",
    "commune",
    "departement",
    "name",
    "token1",
    "token2",
    "acronym",
    "initials",
    "abbrev1",
    "abbrev2",
    "abbrev3",
)


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
        ``source, key, address, number, siret, siren, phone, domain, email, commune, departement,
        name, token1, token2, acronym, initials, abbrev1..3, x, y`` (x/y Lambert-93, NaN unless
        the point is precise; ``initials`` only in communes holding a bare acronym).
    """
    out = pd.DataFrame(index=pd.RangeIndex(len(records)))
    out["source"] = normalise.text(_column(records, "source"))
    out["key"] = (out["source"] + ":" + normalise.text(_column(records, "source_id"))).astype(object)
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
    fields = normalise.name_fields(_column(records, "name"), groups=out["commune"].to_numpy(dtype=object))
    out["name"] = fields["name"].to_numpy()
    out["token1"], out["token2"] = rare_tokens(out["name"])
    out["acronym"] = fields["acronym"].to_numpy()
    out["initials"] = fields["initials"].to_numpy()
    # blocking keys: the acronym of a bare-acronym name, else each variant of its initials
    acronym = out["acronym"].to_numpy(dtype=object)
    initials = out["initials"].to_numpy(dtype=object)
    rows = np.flatnonzero(initials != "")
    split = [(v.split(" ") + [""] * ABBREV_VARIANTS)[:ABBREV_VARIANTS] for v in initials[rows].tolist()]
    for k in range(ABBREV_VARIANTS):
        variant = acronym.copy()
        if len(rows):
            variant[rows] = np.array([v[k] for v in split], dtype=object)
        out[f"abbrev{k + 1}"] = np.where(acronym != "", acronym, variant)
    x, y = _coordinates(records)
    out["x"], out["y"] = x, y
    # comparisons and blocking only need codes: int32 categoricals instead of a million strings each
    for column in CATEGORICAL_COLUMNS:
        out[column] = normalise.categorical(out[column])
    out["ambiguous"] = _ambiguous_names(out)
    for column in SHARED_COLUMNS:
        out[f"{column}_shared"] = _shared_values(out, column)
    return out


def _ambiguous_names(prepared: pd.DataFrame) -> np.ndarray:
    """Records whose (commune, name) is shared by several actors: some source lists it twice.

    This is the term-frequency adjustment of the name: the group's records of *every* source
    are flagged, since any of them may be any of those actors.
    """
    name, _ = normalise.column_codes(prepared["name"])
    commune, _ = normalise.column_codes(prepared["commune"])
    source, sources = normalise.column_codes(prepared["source"])
    group = pd.factorize((commune + 1) * (name.max(initial=0) + 2) + name + 1)[0]
    twice = pd.Series(group * (len(sources) + 1) + source + 1).duplicated(keep=False).to_numpy()
    named = name >= 0
    shared = np.zeros(group.max() + 1 if len(group) else 0, dtype=bool)
    shared[group[twice & named]] = True
    return shared[group] & named if len(group) else named


def _shared_values(prepared: pd.DataFrame, column: str) -> np.ndarray:
    """Records whose ``column`` value is given by two records of one source (a federation's
    website, a shared switchboard): its agreement does not identify an actor."""
    values, _ = normalise.column_codes(prepared[column])
    source, sources = normalise.column_codes(prepared["source"])
    both = pd.Series(values * (len(sources) + 1) + source + 1)
    return both.duplicated(keep=False).to_numpy() & (values >= 0)


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


def _similarity(
    values: np.ndarray, codes: np.ndarray, i: np.ndarray, j: np.ndarray, scorer: object, todo: np.ndarray | None = None
) -> np.ndarray:
    """Scores of pairs (0-100, float32): 100 for equal values, NaN where either side is empty;
    rapidfuzz only runs on the pairs of different values (and in ``todo`` when given).
    ``values`` holds the distinct values, ``codes`` each record's index into them."""
    a, b = codes[i], codes[j]
    out = np.where((a >= 0) & (b >= 0), np.float32(0), np.float32(np.nan)).astype(np.float32)
    out[(a == b) & (a >= 0)] = 100.0
    run = (a >= 0) & (b >= 0) & (a != b)
    if todo is not None:
        run &= todo
    idx = np.flatnonzero(run)
    if len(idx):
        out[idx] = process.cpdist(
            values[a[idx]].tolist(), values[b[idx]].tolist(), scorer=scorer, dtype=np.float32, workers=-1
        )
    return out


def _initials_match(acronym: np.ndarray, initials: pd.Series, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs where one name is a bare acronym equal to one of the other's initials variants."""
    out = np.zeros(len(i), dtype=bool)
    variants = initials.to_numpy(dtype=object)
    for a, b in ((i, j), (j, i)):
        todo = np.flatnonzero(acronym[a] != "")
        if len(todo):
            hits = [
                x in v.split(" ") for x, v in zip(acronym[a[todo]].tolist(), variants[b[todo]].tolist(), strict=True)
            ]
            out[todo] |= np.asarray(hits, dtype=bool)
    return out


def compare(
    prepared: pd.DataFrame,
    i: np.ndarray,
    j: np.ndarray,
    *,
    worth: Callable[[pd.DataFrame], np.ndarray] | None = None,
) -> pd.DataFrame:
    """Comparison vectors of the pairs ``(i, j)`` (positions in ``prepared``).

    Parameters
    ----------
    prepared : pandas.DataFrame
        Output of :func:`prepare`.
    i, j : numpy.ndarray
        Candidate pairs.
    worth : callable, optional
        Given the cheap part of the vectors (everything but ``name_set`` and ``address``), the
        pairs that could still match with the best token-set and address scores: the two costly
        rapidfuzz scores run on those pairs only (the others keep ``name_set = name_sort`` and a
        NaN address).

    Returns
    -------
    pandas.DataFrame
        ``i, j, name_sort, distance, number, siret, siren, phone, domain, email, commune,
        initials, same_source, ambiguous, name_set, address`` (similarities 0-100 or NaN,
        distance in metres or NaN, agreements in ``{-1, 0, 1}``).
    """
    code, col = {}, {}
    for c in (*AGREEMENT_COLUMNS, "name", "address"):
        code[c], col[c] = normalise.column_codes(prepared[c])
    x, y = prepared["x"].to_numpy(), prepared["y"].to_numpy()
    out = pd.DataFrame({"i": i, "j": j})
    name_sort = _similarity(col["name"], code["name"], i, j, fuzz.token_sort_ratio)
    out["name_sort"] = name_sort
    out["distance"] = np.hypot(x[i] - x[j], y[i] - y[j]).astype(np.float32)
    for name in AGREEMENT_COLUMNS:
        out[name] = _agreement(code[name], i, j)
    for name in SHARED_COLUMNS:
        shared = prepared[f"{name}_shared"].to_numpy(dtype=bool)
        agree = out[name].to_numpy()
        out[name] = np.where((agree > 0) & (shared[i] | shared[j]), 0, agree).astype(np.int8)
    out["initials"] = _initials_match(prepared["acronym"].to_numpy(dtype=object), prepared["initials"], i, j)
    source = normalise.column_codes(prepared["source"])[0]
    out["same_source"] = source[i] == source[j]
    ambiguous = prepared["ambiguous"].to_numpy(dtype=bool)
    out["ambiguous"] = ambiguous[i] | ambiguous[j]
    todo = worth(out) if worth is not None else np.ones(len(out), dtype=bool)
    name_set = _similarity(col["name"], code["name"], i, j, fuzz.token_set_ratio, todo=todo & (name_sort < 95))
    out["name_set"] = np.fmax(name_set, name_sort)
    address = _similarity(col["address"], code["address"], i, j, fuzz.token_sort_ratio, todo=todo)
    address[~todo] = np.nan
    out["address"] = address
    return out
