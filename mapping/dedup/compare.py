"""Comparison: prepare records, then measure how alike each candidate pair is.

:func:`prepare` gives every record its comparable fields (normalised name and its variants,
address and street, SIRET, SIREN, phone, web domain, e-mail, postcode, city, commune,
département, Lambert-93 coordinates). :func:`compare` gives every candidate pair its raw
comparisons: similarities (rapidfuzz, 0-100, NaN when a side is empty), distance in metres, and
agreements (``1`` same, ``-1`` different, ``0`` unknown). :func:`levels` turns them into the
comparison levels (γ) of the Fellegi-Sunter model, one small integer per comparison (``-1``:
a side is missing, the comparison says nothing), whose weights :mod:`mapping.dedup.estimate`
learns from the records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from mapping.dedup import keys, normalise
from mapping.dedup.block import rare_tokens

_TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)

#: geo_precision values whose points locate the establishment itself (not its commune).
PRECISE = ("housenumber", "street", "source")
#: Initials variants used as blocking keys (see :func:`mapping.dedup.normalise.name_parts`).
ABBREV_VARIANTS = 3
#: Pairs scored by rapidfuzz at a time.
CHUNK = 1_000_000
#: Contact columns whose agreement is ignored when one source gives the value to several records.
SHARED_COLUMNS = ("domain", "email", "phone")
AGREEMENT_COLUMNS = ("number", "siret", "siren", "phone", "domain", "email", "commune", "postcode", "core")
#: Prepared columns stored as categoricals (everything but the record key and the coordinates).
CATEGORICAL_COLUMNS = (
    "source",
    "address",
    "street",
    "number",
    "siret",
    "siren",
    "phone",
    "domain",
    "email",
    "postcode",
    "city",
    "insee",
    "commune",
    "place",
    "departement",
    "name",
    "name_flat",
    "street_flat",
    "core",
    "phonetic",
    "token1",
    "token2",
    "street_token",
    "acronym",
    "initials",
    "abbrev1",
    "abbrev2",
    "abbrev3",
)


@dataclass(frozen=True)
class Comparison:
    """A comparison of the model: its levels (French labels, most alike first) and the prior m- and
    u-probabilities of those levels (what two records of one actor, and of two actors, look like
    before the data say more: they carry a model fitted on a handful of records, and weigh nothing
    once there are thousands)."""

    name: str
    label: str
    levels: tuple[str, ...]
    m_prior: tuple[float, ...]
    u_prior: tuple[float, ...]
    #: Chains of levels, most alike first, whose weights may not increase along the chain (an exact
    #: name never weighs less than a fuzzy one, whatever EM made of a small or odd input).
    chains: tuple[tuple[int, ...], ...] = ()
    #: Levels defined within one town (« a name several actors of the town bear »): their u is measured
    #: among the candidate pairs (same town), not among random pairs of the whole input.
    local_levels: tuple[int, ...] = ()


#: The comparisons of the Fellegi-Sunter model, in the order of :func:`levels`' columns.
COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        "nom",
        (
            "nom identique",
            "nom identique ou très proche, porté par plusieurs structures de la commune",
            "nom identique sans le nom de la commune",
            "nom très proche",
            "sigle du nom",
            "nom inclus dans l'autre",
            "nom proche",
            "noms différents",
        ),
        (0.45, 0.03, 0.1, 0.15, 0.04, 0.1, 0.08, 0.05),
        (0.002, 0.015, 0.0005, 0.002, 0.0005, 0.005, 0.02, 0.955),
        ((0, 3, 6, 7), (0, 2, 6), (4, 7), (5, 7), (1, 7)),
        (1,),
    ),
    Comparison(
        "address",
        "adresse",
        (
            "même adresse",
            "même voie, numéro inconnu",
            "même voie, autre numéro",
            "voie très proche",
            "voie proche",
            "adresses différentes",
        ),
        (0.5, 0.15, 0.03, 0.15, 0.07, 0.1),
        (0.002, 0.003, 0.01, 0.005, 0.02, 0.96),
        ((0, 1, 3, 4, 5), (1, 2, 5)),
    ),
    Comparison(
        "distance",
        "distance",
        ("< 100 m", "100-300 m", "300 m-1 km", "1-5 km", "> 5 km"),
        (0.6, 0.2, 0.1, 0.06, 0.04),
        (0.001, 0.002, 0.01, 0.08, 0.907),
    ),
    Comparison(
        "postcode",
        "code postal",
        ("même code postal", "code postal à un chiffre près", "codes postaux différents"),
        (0.85, 0.08, 0.07),
        (0.05, 0.1, 0.85),
    ),
    Comparison(
        "city",
        "commune",
        ("même commune", "commune très proche", "communes différentes"),
        (0.85, 0.08, 0.07),
        (0.05, 0.01, 0.94),
    ),
    Comparison("siren", "SIREN", ("même SIREN", "SIREN différents"), (0.95, 0.05), (0.001, 0.999), ((0, 1),)),
    Comparison(
        "phone", "téléphone", ("même téléphone", "téléphones différents"), (0.7, 0.3), (0.0005, 0.9995), ((0, 1),)
    ),
    Comparison("domain", "site web", ("même site web", "sites web différents"), (0.8, 0.2), (0.001, 0.999), ((0, 1),)),
    Comparison("email", "e-mail", ("même e-mail", "e-mails différents"), (0.6, 0.4), (0.0005, 0.9995), ((0, 1),)),
    Comparison("source", "source", ("sources différentes", "même source"), (0.9, 0.1), (0.5, 0.5)),
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
        ``source, key, address, street, number, siret, siren, phone, domain, email, postcode, city,
        insee, commune, departement, name, core, phonetic, token1, token2, acronym, initials,
        abbrev1..3, x, y`` (x/y Lambert-93, NaN unless the point is precise; ``initials`` only in
        communes holding a bare acronym), ``ambiguous`` and ``<contact>_shared`` flags.
    """
    out = pd.DataFrame(index=pd.RangeIndex(len(records)))
    out["source"] = normalise.text(_column(records, "source"))
    out["key"] = (out["source"] + ":" + normalise.text(_column(records, "source_id"))).astype(object)
    out["address"] = normalise.addresses(_column(records, "address"))
    out["street"] = keys.streets(out["address"])
    out["number"] = normalise.house_numbers(out["address"])
    out["lieu_dit"] = keys.lieux_dits(out["address"])
    siret = normalise.sirets(_column(records, "siret"))
    siren = normalise.text(_column(records, "siren")).str.replace(r"\D", "", regex=True)
    siren = siren.where(siren.str.len() == 9, "")
    out["siret"] = siret
    out["siren"] = siret.str.slice(0, 9).where(siret != "", siren).astype(object)
    out["phone"] = normalise.phones(_column(records, "phone"))
    out["domain"] = normalise.domains(_column(records, "website"), _column(records, "email"))
    out["email"] = normalise.emails(_column(records, "email"))
    commune = normalise.text(_column(records, "code_insee")).str.upper()
    postcode = keys.postcodes(_column(records, "postcode"))
    city = keys.cities(_column(records, "city"))
    out["postcode"] = postcode
    out["city"] = city
    out["insee"] = commune
    out["commune"] = commune.where(commune != "", (postcode + "|" + city).where(postcode != "", city)).astype(object)
    # the town as every record can name it (city name, else INSEE code, else postcode): namesakes and
    # acronyms are looked for in it, whichever of those fields each source fills
    place = city.where(city != "", commune.where(commune != "", postcode))
    out["place"] = place.astype(object)
    dep = normalise.text(_column(records, "departement"))
    from_insee = commune.str.slice(0, 2)
    french = postcode.str.fullmatch(r"\d{5}")
    from_postcode = postcode.str.slice(0, 2).where(french, "")
    out["departement"] = dep.where(dep != "", from_insee.where(from_insee != "", from_postcode)).astype(object)
    fields = normalise.name_fields(_column(records, "name"), groups=out["place"].to_numpy(dtype=object))
    out["name"] = fields["name"].to_numpy()
    out["core"] = keys.core_names(out["name"], city).to_numpy()
    out["phonetic"] = keys.phonetic_keys(out["name"]).to_numpy()
    # without spaces (« BATI VAL » and « BATIVAL », « LAWSONDCRESCENT »): compared by plain ratio
    out["name_flat"] = _flat(out["name"])
    out["street_flat"] = _flat(out["street"])
    out["token1"], out["token2"] = rare_tokens(out["name"])
    out["street_token"] = rare_tokens(out["street"], count=1)[0]
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
    """Records whose (town, name) is shared by several actors: some source lists it twice (only
    when the input has several sources).

    This is the term-frequency adjustment of the name: the group's records of *every* source
    are flagged, since any of them may be any of those actors.
    """
    name, _ = normalise.column_codes(prepared["phonetic"])  # spelling variants are namesakes too
    commune, _ = normalise.column_codes(prepared["place"])
    source, sources = normalise.column_codes(prepared["source"])
    group = pd.factorize((commune + 1) * (name.max(initial=0) + 2) + name + 1)[0]
    twice = pd.Series(group * (len(sources) + 1) + source + 1).duplicated(keep=False).to_numpy()
    named = name >= 0
    if len(sources) < 2:  # one file: a name listed twice is a duplicate to find, not a namesake
        return np.zeros(len(name), dtype=bool)
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
    for start in range(0, len(idx), CHUNK):  # in chunks: the string lists of 10M pairs would weigh a GB
        part = idx[start : start + CHUNK]
        out[part] = process.cpdist(
            values[a[part]].tolist(), values[b[part]].tolist(), scorer=scorer, dtype=np.float32, workers=-1
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


def _flat(values: pd.Series) -> np.ndarray:
    """Values with their spaces removed, computed once per distinct value."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    flat = np.array([v.replace(" ", "") for v in uniques.tolist()] + [""], dtype=object)
    return flat[codes]


def _city_similarity(prepared: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Commune similarity (0-100, NaN unknown): the INSEE codes when both have one, else the city names."""
    insee = normalise.column_codes(prepared["insee"])[0]
    values_city = normalise.column_codes(prepared["city"])
    out = _similarity(values_city[1], values_city[0], i, j, fuzz.ratio)
    both = (insee[i] >= 0) & (insee[j] >= 0)
    out[both] = np.where(insee[i][both] == insee[j][both], np.float32(100), np.float32(0))
    return out


def _postcode_near(values: np.ndarray, codes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs of different postcodes one typing slip apart (one digit changed, added, dropped or two swapped)."""
    a, b = codes[i], codes[j]
    out = np.zeros(len(i), dtype=bool)
    idx = np.flatnonzero((a >= 0) & (b >= 0) & (a != b))
    if len(idx):
        d = process.cpdist(values[a[idx]].tolist(), values[b[idx]].tolist(), scorer=OSA.distance, workers=-1)
        out[idx] = np.asarray(d) <= 1
    return out


def compare(prepared: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> pd.DataFrame:
    """Raw comparisons of the pairs ``(i, j)`` (positions in ``prepared``).

    Returns
    -------
    pandas.DataFrame
        ``i, j, name_sort, name_set, initials, ambiguous, core, address, street, number, distance,
        siret, siren, phone, domain, email, commune, postcode, postcode_near, city, same_source``
        (similarities 0-100 or NaN, distance in metres or NaN, agreements in ``{-1, 0, 1}``).
    """
    code, col = {}, {}
    for c in (*AGREEMENT_COLUMNS, "name", "address", "street"):
        code[c], col[c] = normalise.column_codes(prepared[c])
    x, y = prepared["x"].to_numpy(), prepared["y"].to_numpy()
    out = pd.DataFrame({"i": i, "j": j})
    for c in ("name_flat", "street_flat"):
        code[c], col[c] = normalise.column_codes(prepared[c])
    # the costlier scores only run where they can still change the level
    name_sort = _similarity(col["name"], code["name"], i, j, fuzz.token_sort_ratio)
    name_sort = np.fmax(
        name_sort, _similarity(col["name_flat"], code["name_flat"], i, j, fuzz.ratio, todo=name_sort < 92)
    )
    out["name_sort"] = name_sort
    name_set = _similarity(col["name"], code["name"], i, j, fuzz.token_set_ratio, todo=name_sort < 95)
    out["name_set"] = np.fmax(name_set, name_sort)
    out["initials"] = _initials_match(prepared["acronym"].to_numpy(dtype=object), prepared["initials"], i, j)
    ambiguous = prepared["ambiguous"].to_numpy(dtype=bool)
    out["ambiguous"] = ambiguous[i] | ambiguous[j]
    out["distance"] = np.hypot(x[i] - x[j], y[i] - y[j]).astype(np.float32)
    for name in AGREEMENT_COLUMNS:
        out[name] = _agreement(code[name], i, j)
    for name in SHARED_COLUMNS:
        shared = prepared[f"{name}_shared"].to_numpy(dtype=bool)
        agree = out[name].to_numpy()
        out[name] = np.where((agree > 0) & (shared[i] | shared[j]), 0, agree).astype(np.int8)
    out["address"] = _agreement(code["address"], i, j)
    # a street is often cut short (a second address line dropped) or split differently (« LAWSONDCRESCENT »)
    street = _similarity(col["street"], code["street"], i, j, fuzz.token_set_ratio)
    flat = _similarity(col["street_flat"], code["street_flat"], i, j, fuzz.ratio, todo=street < 90)
    out["street"] = np.fmax(street, flat)
    lieu_dit = prepared["lieu_dit"].to_numpy(dtype=bool)
    out["lieu_dit"] = lieu_dit[i] & lieu_dit[j]
    out["postcode_near"] = _postcode_near(col["postcode"], code["postcode"], i, j)
    out["city"] = _city_similarity(prepared, i, j)
    source = normalise.column_codes(prepared["source"])[0]
    out["same_source"] = source[i] == source[j]
    return out
