"""Record-level source views of a demo world, at any scale, for dedup quality and benchmarks.

:func:`source_records` turns every (actor, source) membership of :func:`mapping.demo.world.generate`
into one *normalised* record (``schema.RECORD_COLUMNS``) with the variations real sources show:
names in SIRENE upper case or without accents, legal-form words added, dotted acronyms
(« E.S.A.T. »), abbreviations (« St », « Asso »), parenthesised suffixes, typos; street types
spelled out or coded (« AV », « BD »), missing house numbers; jittered or missing coordinates;
missing or superseded SIRETs; phones, websites and e-mails in several formats.

It skips the native formats (the renderers of :mod:`mapping.demo` produce those for the committed
world) and is vectorised per source, so a million records take seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mapping.demo.places import STREET_CODES
from mapping.demo.world import SOURCES
from mapping.reference.schema import CODE_LIST_COLUMNS, CRS_WGS84, RECORD_COLUMNS

logger = logging.getLogger(__name__)

UPDATED_AT = pd.Timestamp("2026-01-15", tz="UTC")


@dataclass(frozen=True)
class SourceStyle:
    """How one source renders an actor (probabilities are per record)."""

    siret: float  # SIRET given
    coords: float  # coordinates given
    sigma_m: float  # coordinate jitter (metres)
    upper: bool  # SIRENE-style upper-case names and addresses
    legal: float  # legal-form word added
    typo: float  # one typo in the name
    contacts: float  # phone / website / e-mail given (each)
    address: float  # street address given
    insee: bool  # INSEE code given


STYLES: dict[str, SourceStyle] = {
    "recherche_entreprises": SourceStyle(1.0, 0.97, 3.0, True, 0.3, 0.0, 0.0, 0.98, True),
    "carteco": SourceStyle(0.35, 0.97, 40.0, False, 0.1, 0.06, 0.7, 0.9, False),
    "ademe_lvao": SourceStyle(0.55, 0.95, 60.0, False, 0.15, 0.05, 0.6, 0.9, False),
    "sinoe": SourceStyle(0.3, 0.9, 80.0, True, 0.05, 0.04, 0.5, 0.85, False),
    "georisques": SourceStyle(0.9, 0.95, 30.0, True, 0.4, 0.02, 0.0, 0.9, True),
    "cress": SourceStyle(0.6, 0.0, 0.0, False, 0.2, 0.05, 0.8, 0.9, False),
    "urscop": SourceStyle(0.85, 0.0, 0.0, False, 0.5, 0.03, 0.8, 0.9, False),
    "france_active": SourceStyle(0.7, 0.0, 0.0, False, 0.2, 0.05, 0.7, 0.8, False),
    "cducentre": SourceStyle(0.5, 0.5, 80.0, False, 0.1, 0.05, 0.9, 0.9, False),
    "agire": SourceStyle(0.5, 0.6, 50.0, False, 0.2, 0.05, 0.8, 0.9, False),
}

#: Legal-form words a source may add, by legal form code (default for the others).
LEGAL_WORDS = {
    "9220": ("Association", "Asso", "ASSOCIATION"),
    "9230": ("Association", "Asso"),
    "5458": ("SCOP SA", "SA SCOP"),
    "5558": ("SCOP", "SCOP SARL"),
    "5658": ("SCOP", "SCOP SAS"),
    "5499": ("SARL", "S.A.R.L."),
    "5710": ("SAS", "S.A.S."),
    "5720": ("SASU",),
    "5498": ("EURL",),
}
DEFAULT_LEGAL_WORDS = ("SARL", "SAS", "SA")
ACRONYMS = {"ESAT": "E.S.A.T.", "AMAP": "A.M.A.P.", "EA": "E.A.", "GAEC": "G.A.E.C.", "EARL": "E.A.R.L."}
ABBREVIATIONS = {"Saint": "St", "Sainte": "Ste", "Association": "Asso", "Entreprise": "Ent."}
SUFFIXES = ("(APF)", "(siège)", "- antenne", "(ex-{})")
_KEYBOARD = "azertyuiopqsdfghjklmwxcvbn"


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _typo(rng: np.random.Generator, names: np.ndarray) -> np.ndarray:
    """One substitution, deletion or transposition inside a word of more than 4 letters."""
    out = names.copy()
    kinds = rng.integers(0, 3, len(names))
    where = rng.random(len(names))
    letters = _pick(rng, tuple(_KEYBOARD), len(names))
    for i, name in enumerate(names.tolist()):
        positions = [p for p in range(1, len(name) - 1) if name[p].isalpha() and name[p - 1].isalpha()]
        if len(positions) < 4:
            continue
        p = positions[int(where[i] * len(positions))]
        if kinds[i] == 0:
            out[i] = name[:p] + letters[i] + name[p + 1 :]
        elif kinds[i] == 1:
            out[i] = name[:p] + name[p + 1 :]
        else:
            out[i] = name[: p - 1] + name[p] + name[p - 1] + name[p + 1 :]
    return out


def _names(rng: np.random.Generator, name: np.ndarray, legal_form: np.ndarray, style: SourceStyle) -> np.ndarray:
    n = len(name)
    s = pd.Series(name, dtype=object)
    # legal-form word before or after
    add = rng.random(n) < style.legal
    if add.any():
        forms = legal_form[add]
        words = np.array(
            [
                LEGAL_WORDS.get(f, DEFAULT_LEGAL_WORDS)[k % len(LEGAL_WORDS.get(f, DEFAULT_LEGAL_WORDS))]
                for f, k in zip(forms.tolist(), rng.integers(0, 6, int(add.sum())).tolist(), strict=True)
            ],
            dtype=object,
        )
        before = rng.random(int(add.sum())) < 0.5
        s[add] = np.where(before, words + " " + s[add].to_numpy(), s[add].to_numpy() + " " + words)
    # dotted acronyms, abbreviations, dropped article, parenthesised suffix (RE2 in pyarrow, in bulk)
    arr = pa.array(s.tolist(), type=pa.large_string())
    for word, variant, p in [
        *((w, d, 0.3) for w, d in ACRONYMS.items()),
        *((w, a, 0.4) for w, a in ABBREVIATIONS.items()),
    ]:
        pattern = rf"\b{word}\b"
        hit = (rng.random(n) < p) & pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)
        arr = pc.if_else(pa.array(hit), pc.replace_substring_regex(arr, pattern, variant), arr)
    drop = (rng.random(n) < 0.3) & pc.match_substring_regex(arr, r"^(Les|La|Le|L')").to_numpy(zero_copy_only=False)
    arr = pc.if_else(pa.array(drop), pc.replace_substring_regex(arr, r"^(Les |La |Le |L')", ""), arr)
    s = pd.Series(np.asarray(arr.to_pylist(), dtype=object), dtype=object)
    suffix = rng.random(n) < 0.03
    s[suffix] = s[suffix] + " " + _pick(rng, SUFFIXES[:3], int(suffix.sum()))
    out = s.to_numpy(dtype=object, copy=True)
    typo = rng.random(n) < style.typo
    if typo.any():
        out[typo] = _typo(rng, out[typo])
    if style.upper:
        out = _upper(out)
    else:
        flat = rng.random(n) < 0.25
        out[flat] = _flat(out[flat])
        caps = rng.random(n) < 0.1
        out[caps] = _upper(out[caps])
    return out


def _ascii(values: np.ndarray) -> pa.Array:
    """:func:`mapping.demo.names.strip_accents` of every value, vectorised (pyarrow)."""
    arr = pa.array(values.tolist(), type=pa.large_string())
    for ligature, plain in (("Œ", "OE"), ("œ", "oe"), ("Æ", "AE"), ("æ", "ae"), ("’", "'")):
        arr = pc.replace_substring(arr, ligature, plain)
    return pc.replace_substring_regex(pc.utf8_normalize(arr, form="NFKD"), r"\p{Mn}+", "")


def _flat(values: np.ndarray) -> np.ndarray:
    """Accents removed (object array; missing values stay missing)."""
    return np.asarray(_ascii(values).to_pylist(), dtype=object)


def _upper(values: np.ndarray) -> np.ndarray:
    """SIRENE style: accents removed, upper case, apostrophes as spaces, single spaces."""
    arr = pc.utf8_upper(_ascii(values))
    arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, r"[\s']+", " "))
    return np.asarray(arr.to_pylist(), dtype=object)


def _addresses(rng: np.random.Generator, world: pd.DataFrame, rows: np.ndarray, style: SourceStyle) -> np.ndarray:
    n = len(rows)
    number = world["street_number"].to_numpy(dtype=object)[rows]
    stype = world["street_type"].to_numpy(dtype=object)[rows]
    sname = world["street_name"].to_numpy(dtype=object)[rows]
    coded = rng.random(n) < (0.8 if style.upper else 0.25)
    stype = np.where(coded, pd.Series(stype).map(STREET_CODES).fillna(pd.Series(stype)).to_numpy(), stype)
    drop_number = rng.random(n) < 0.08
    number = np.where(drop_number | pd.isna(number), "", pd.Series(number).fillna("").astype(str) + " ")
    addr = (number + stype.astype(object) + " " + sname.astype(object)).astype(object)
    if style.upper:
        addr = _upper(addr)
    addr[rng.random(n) >= style.address] = None
    return addr


def _phones(rng: np.random.Generator, phone: np.ndarray, keep: np.ndarray) -> np.ndarray:
    s = pd.Series(phone, dtype=object)
    fmt = rng.integers(0, 4, len(s))
    compact = s.str.replace(" ", "", regex=False)
    out = np.select(
        [fmt == 0, fmt == 1, fmt == 2],
        [s.to_numpy(), compact.to_numpy(), ("+33 " + s.str.slice(1)).to_numpy()],
        (s.str.replace(" ", ".", regex=False)).to_numpy(),
    ).astype(object)
    out[~keep | s.isna().to_numpy()] = None
    return out


def _websites(rng: np.random.Generator, website: np.ndarray, keep: np.ndarray) -> np.ndarray:
    s = pd.Series(website, dtype=object)
    fmt = rng.integers(0, 4, len(s))
    bare = s.str.replace("https://", "", regex=False)
    out = np.select(
        [fmt == 0, fmt == 1, fmt == 2],
        [s.to_numpy(), bare.to_numpy(), ("http://" + bare.str.replace("www.", "", regex=False) + "/").to_numpy()],
        (s + "/").to_numpy(),
    ).astype(object)
    out[~keep | s.isna().to_numpy()] = None
    return out


def _code_lists(world: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """The world's codes of ``column`` for ``rows``; empty lists for a column the world does not draw
    (``circular_actions``, ``audiences``: the source renderers write them in each source's own terms)."""
    if column in world:
        return world[column].to_numpy(dtype=object)[rows]
    out = np.empty(len(rows), dtype=object)
    out[:] = [[] for _ in range(len(rows))]
    return out


def _one_source(
    rng: np.random.Generator, world: pd.DataFrame, source: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    style = STYLES.get(source, STYLES["carteco"])
    rows = np.flatnonzero(world[f"src_{source}"].to_numpy(dtype=bool))
    n = len(rows)
    col = {c: world[c].to_numpy(dtype=object)[rows] for c in ("siret", "siret2", "legal_form", "name")}
    siret = np.where(rng.random(n) < style.siret, col["siret"], None)
    closed = world["siret2_closed"].to_numpy(dtype=bool)[rows] & pd.notna(col["siret2"])
    old = closed & pd.notna(siret) & (rng.random(n) < (0.0 if source == "recherche_entreprises" else 0.5))
    siret[old] = col["siret2"][old]  # this source still cites the closed former establishment
    lon, lat = world["lon"].to_numpy(dtype=float)[rows], world["lat"].to_numpy(dtype=float)[rows]
    has_xy = rng.random(n) < style.coords
    dx, dy = rng.standard_normal((2, n)) * style.sigma_m
    lat_j = lat + dy / 111_320.0
    lon_j = lon + dx / (111_320.0 * np.cos(np.radians(lat)))
    lon_j[~has_xy] = np.nan
    lat_j[~has_xy] = np.nan
    city = world["city"].to_numpy(dtype=object)[rows]
    if style.upper:
        city = _upper(city)
    contacts = {
        "phone": _phones(rng, world["phone"].to_numpy(dtype=object)[rows], rng.random(n) < style.contacts),
        "website": _websites(rng, world["website"].to_numpy(dtype=object)[rows], rng.random(n) < style.contacts),
        "email": np.where(rng.random(n) < style.contacts, world["email"].to_numpy(dtype=object)[rows], None),
    }
    frame = pd.DataFrame(
        {
            "source": source,
            "source_id": [f"{source[:3]}{i:07d}" for i in range(n)] if source != "recherche_entreprises" else siret,
            "name": _names(rng, col["name"], col["legal_form"], style),
            "siret": siret,
            "siren": np.where(pd.notna(siret), pd.Series(siret, dtype=object).str.slice(0, 9), None),
            "address": _addresses(rng, world, rows, style),
            "postcode": world["postcode"].to_numpy(dtype=object)[rows],
            "city": city,
            "code_insee": world["code_insee"].to_numpy(dtype=object)[rows] if style.insee else None,
            "departement": None,
            "epci": None,
            "geo_precision": np.where(has_xy, "source", None),
            **{c: _code_lists(world, c, rows) for c in CODE_LIST_COLUMNS},
            "naf": world["naf"].to_numpy(dtype=object)[rows] if style.upper else None,
            "legal_form": col["legal_form"] if style.upper else None,
            **contacts,
            "description": world["description"].to_numpy(dtype=object)[rows] if not style.upper else None,
            "updated_at": UPDATED_AT,
        }
    )
    return frame, world["actor_id"].to_numpy(dtype=object)[rows], lon_j, lat_j


def source_records(world: pd.DataFrame, *, seed: int = 0) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """One normalised record per (actor, source) membership of ``world``.

    Parameters
    ----------
    world : pandas.DataFrame
        Output of :func:`mapping.demo.world.generate`.
    seed : int
        Seed of the variations.

    Returns
    -------
    tuple[GeoDataFrame, pandas.Series]
        ``(records, truth)``: records in ``schema.RECORD_COLUMNS`` (geometry null when the source
        gives no coordinates; ``code_insee`` only from SIRENE-like sources) and ``truth``, indexed
        by ``"<source>:<source_id>"``, giving each record's ``actor_id``.
    """
    rng = np.random.default_rng(seed)
    frames, actors, lons, lats = [], [], [], []
    for source in SOURCES:
        frame, actor, lon, lat = _one_source(rng, world, source)
        frames.append(frame)
        actors.append(actor)
        lons.append(lon)
        lats.append(lat)
    records = pd.concat(frames, ignore_index=True)
    if "products" not in records.columns:  # product names only come from the « C du Centre » files
        records["products"] = [[] for _ in range(len(records))]
    lon = np.concatenate(lons)
    lat = np.concatenate(lats)
    geometry = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=CRS_WGS84)
    geometry[np.isnan(lon)] = None
    records = gpd.GeoDataFrame(records, geometry=geometry, crs=CRS_WGS84)[list(RECORD_COLUMNS)]
    keys = records["source"] + ":" + records["source_id"].astype(str)
    truth = pd.Series(np.concatenate(actors), index=pd.Index(keys, name="source_key"), name="actor_id")
    logger.info("demo records: %d records of %d actors", len(records), truth.nunique())
    return records, truth
