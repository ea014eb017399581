"""Reference geography: communes, EPCI, départements and lycées.

Tables are derived by ``scripts/derive_reference.py`` into ``data/reference/geo/`` and loaded lazily here
(each loader is cached with :func:`functools.lru_cache`). This module never imports streamlit.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from mapping import settings
from mapping.reference.text import strip_accents

logger = logging.getLogger(__name__)

#: Committed reference geography (see ``data/reference/README.md``).
DATA_DIR = settings.get().reference_dir / "geo"
DEFAULT_REGION = settings.DEFAULT_REGION
FUZZY_CUTOFF = 85.0

_CEDEX_RE = re.compile(r"\bCEDEX\b.*$")
_NON_ALNUM_RE = re.compile(r"[^A-Z0-9]+")
_TOKEN_ALIASES = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}
_ALIASED_TOKENS = frozenset(_TOKEN_ALIASES)


def normalize_place_name(name: object) -> str:
    """Normalise a place name for comparison.

    Strips accents, case, punctuation (hyphens, apostrophes), a trailing ``CEDEX nn`` and expands the
    abbreviations ``ST``/``STE`` to ``SAINT``/``SAINTE``.

    Parameters
    ----------
    name : object
        A place name; anything that is not a non-empty string gives ``""``.

    Returns
    -------
    str
        Upper-case tokens separated by single spaces, e.g. ``"SAINT JEAN DE BRAYE"``.
    """
    if not isinstance(name, str) or not name:
        return ""
    text = strip_accents(name)
    text = text.upper()
    if "CEDEX" in text:
        text = _CEDEX_RE.sub("", text)
    tokens = _NON_ALNUM_RE.sub(" ", text).split()
    if _ALIASED_TOKENS.isdisjoint(tokens):
        return " ".join(tokens)
    return " ".join(_TOKEN_ALIASES.get(token, token) for token in tokens)


def postcode_departements(postcode: str) -> list[str]:
    """Département codes a 5-digit postcode may belong to (``20xxx`` gives both Corsican codes)."""
    if len(postcode) != 5 or not postcode.isdigit():
        return []
    if postcode.startswith("20"):
        return ["2A", "2B"]
    if postcode.startswith("97"):
        return [postcode[:3]]
    return [postcode[:2]]


def clean_postcode(postcode: object) -> str:
    """Postcode as 5 digits (``"3600"`` → ``"03600"``), ``""`` when unusable."""
    if postcode is None or (isinstance(postcode, float) and np.isnan(postcode)):
        return ""
    text = str(postcode).strip().replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text if text.isdigit() and len(text) == 5 else ""


class CommuneIndex:
    """Dictionary indexes over a communes table, for tolerant commune lookup.

    Parameters
    ----------
    communes : DataFrame
        Columns of ``communes.csv`` (at least ``code_insee, nom, codes_postaux, departement``).
    aliases : DataFrame, optional
        Extra names (``nom, code_insee``), e.g. former communes merged into a current one.
    """

    def __init__(self, communes: pd.DataFrame, aliases: pd.DataFrame | None = None) -> None:
        columns = list(communes.columns)
        # DataFrame.to_dict("records") is ~10x slower than zipping plain lists on 35k rows.
        values = zip(*(communes[c].tolist() for c in columns), strict=True)
        records = [dict(zip(columns, row, strict=True)) for row in values]
        self.rows: dict[str, dict] = {row["code_insee"]: row for row in records}
        self.by_postcode: dict[str, list[str]] = defaultdict(list)
        self.names: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for row in records:
            for postcode in str(row.get("codes_postaux") or "").split("|"):
                if postcode:
                    self.by_postcode[postcode].append(row["code_insee"])
            self._add_name(row["nom"], row["code_insee"])
        if aliases is not None:
            for name, code in zip(aliases["nom"], aliases["code_insee"], strict=True):
                if code in self.rows:
                    self._add_name(name, code)
        self._dep_choices: dict[str, dict[str, str]] = {}

    def _add_name(self, name: str, code: str) -> None:
        norm = normalize_place_name(name)
        if norm and norm not in self.names[code]:
            self.names[code].add(norm)
            self.by_name[norm].append(code)

    def _choices(self, departement: str) -> dict[str, str]:
        """``{"<code>|<normalised name>": normalised name}`` of one département (for rapidfuzz)."""
        if departement not in self._dep_choices:
            self._dep_choices[departement] = {
                f"{code}|{norm}": norm
                for code, row in self.rows.items()
                if row["departement"] == departement
                for norm in self.names[code]
            }
        return self._dep_choices[departement]

    def _fuzzy(self, name: str, choices: dict[str, str]) -> str | None:
        best = process.extractOne(name, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return best[2].split("|", 1)[0] if best else None

    def _shortened(self, name: str, candidates: list[str]) -> str | None:
        """The only candidate whose name extends ``name`` ("HERBLAY" → "HERBLAY SUR SEINE")."""
        found = {code for code in candidates for norm in self.names[code] if norm.startswith(name + " ")}
        return found.pop() if len(found) == 1 else None

    def find(
        self,
        *,
        code_insee: str | None = None,
        postcode: object = None,
        city: str | None = None,
        departements: Collection[str] | None = None,
    ) -> tuple[dict | None, str]:
        """Find a commune; return ``(row, method)``.

        ``method`` is ``"code_insee"``, ``"postcode"``, ``"name"``, ``"fuzzy"`` (typo-tolerant match, or a
        postcode's only commune whose name extends the given one) or ``""`` when nothing was found.

        Parameters
        ----------
        code_insee : str, optional
            Exact INSEE code, tried first.
        postcode : str, optional
            Postcode; its communes are disambiguated by ``city``.
        city : str, optional
            City name (accents, case, ``ST``/``STE``, ``CEDEX nn`` tolerated).
        departements : collection of str, optional
            Scope of the name-only search when the postcode gives no département.
        """
        if code_insee and str(code_insee).strip().upper() in self.rows:
            return self.rows[str(code_insee).strip().upper()], "code_insee"
        name = normalize_place_name(city)
        postcode = clean_postcode(postcode)
        candidates = self.by_postcode.get(postcode, []) if postcode else []
        if candidates:
            if len(candidates) == 1 and not name:
                return self.rows[candidates[0]], "postcode"
            exact = [code for code in candidates if name in self.names[code]]
            if len(exact) == 1:
                return self.rows[exact[0]], "postcode"
            if name:
                choices = {f"{c}|{n}": n for c in candidates for n in self.names[c]}
                found = self._fuzzy(name, choices) or self._shortened(name, candidates)
                if found:
                    return self.rows[found], "fuzzy"
        if not name:
            return None, ""
        scope = set(postcode_departements(postcode)) | set(departements or ())
        exact = [code for code in self.by_name.get(name, []) if not scope or self.rows[code]["departement"] in scope]
        if len(exact) == 1:
            return self.rows[exact[0]], "name"
        if len(exact) > 1:
            return None, ""
        for departement in sorted(scope):
            found = self._fuzzy(name, self._choices(departement))
            if found:
                return self.rows[found], "fuzzy"
        return None, ""


# --------------------------------------------------------------------------- loaders


def region_code() -> str:
    """Current region code: env ``SOURCIER_REGION`` or ``"24"`` (Centre-Val de Loire)."""
    return settings.get().region


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """Every French commune (``communes.csv``): code_insee, nom, codes_postaux, departement, region, epci,
    population, lon, lat. Do not mutate the returned (cached) frame."""
    frame = pd.read_csv(DATA_DIR / "communes.csv", dtype=str, keep_default_na=False)
    frame["epci"] = frame["epci"].replace("", None)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").astype("Int64")
    for column in ("lon", "lat"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


@lru_cache(maxsize=1)
def _departements_table() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "departements.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _index() -> CommuneIndex:
    return CommuneIndex(communes())


@lru_cache(maxsize=1)
def _postcode_rows() -> dict[str, list[int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for position, value in enumerate(communes()["codes_postaux"].tolist()):
        for postcode in value.split("|"):
            if postcode:
                positions[postcode].append(position)
    return dict(positions)


@lru_cache(maxsize=16)
def _region_departements(region: str) -> tuple[str, ...]:
    table = _departements_table()
    return tuple(sorted(code for code, reg in zip(table["code"], table["region"], strict=True) if reg == region))


def departements(region: str | None = None) -> list[str]:
    """Sorted département codes of a region (default: :func:`region_code`)."""
    return list(_region_departements(region or region_code()))


def departement_names() -> dict[str, str]:
    """``{code: nom}`` of every département."""
    table = _departements_table()
    return dict(zip(table["code"], table["nom"], strict=True))


@lru_cache(maxsize=1)
def epci_names() -> dict[str, str]:
    """``{code: nom}`` of every EPCI."""
    table = pd.read_csv(DATA_DIR / "epci.csv", dtype=str, keep_default_na=False)
    return dict(zip(table["code"], table["nom"], strict=True))


def commune(code_insee: str) -> dict | None:
    """The commune row as a dict, or ``None`` for an unknown code."""
    row = _index().rows.get(str(code_insee).strip().upper())
    return dict(row) if row else None


def is_known_postcode(postcode: object) -> bool:
    """True when some commune is served by ``postcode`` (cheap: no frame is built)."""
    return bool(_postcode_rows().get(clean_postcode(postcode)))


def communes_for_postcode(postcode: object) -> pd.DataFrame:
    """Communes served by a postcode (empty frame when none)."""
    positions = _postcode_rows().get(clean_postcode(postcode), [])
    return communes().iloc[positions].reset_index(drop=True)


def find_commune(*, code_insee: str | None = None, postcode: object = None, city: str | None = None) -> dict | None:
    """Find a commune by INSEE code, else postcode (+ city name), else city name within the region.

    Returns
    -------
    dict or None
        The commune row (incl. ``lon``/``lat``), or ``None`` when not found or ambiguous.
    """
    row, _method = _index().find(code_insee=code_insee, postcode=postcode, city=city, departements=departements())
    return dict(row) if row else None


# --------------------------------------------------------------------------- polygons and points


@lru_cache(maxsize=16)
def _layer(kind: str, region: str) -> gpd.GeoDataFrame:
    path = DATA_DIR / f"{kind}_r{region}.parquet"
    if not path.exists():
        command = f"python scripts/derive_reference.py --region {region}"
        msg = f"Géographie de la région {region} absente : lancez {command}"
        raise FileNotFoundError(msg)
    return gpd.read_parquet(path)


def commune_polygons(region: str | None = None) -> gpd.GeoDataFrame:
    """Simplified commune polygons of a region: code_insee, nom, departement, epci, geometry."""
    return _layer("communes", region or region_code()).copy()


def epci_polygons(region: str | None = None) -> gpd.GeoDataFrame:
    """EPCI polygons (dissolved from the region's communes): code, nom, geometry."""
    return _layer("epci", region or region_code()).copy()


def departement_polygons(region: str | None = None) -> gpd.GeoDataFrame:
    """Département polygons of a region: code, nom, geometry."""
    return _layer("departements", region or region_code()).copy()


@lru_cache(maxsize=1)
def _lycees_table() -> pd.DataFrame:
    frame = pd.read_csv(DATA_DIR / "lycees.csv", dtype=str, keep_default_na=False)
    for column in ("lon", "lat"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def lycees(region: str | None = None) -> gpd.GeoDataFrame:
    """Lycées of a region, located at their commune point: uai, nom, code_insee, commune, code_postal,
    departement, region, lon, lat, geometry."""
    table = _lycees_table()
    sub = table[table["departement"].isin(departements(region))].reset_index(drop=True)
    return gpd.GeoDataFrame(sub, geometry=gpd.points_from_xy(sub["lon"], sub["lat"]), crs="EPSG:4326")


@lru_cache(maxsize=4)
def _commune_tree(region: str) -> tuple[shapely.STRtree, pd.DataFrame]:
    layer = _layer("communes", region)
    attributes = pd.DataFrame(layer[["code_insee", "departement", "epci"]]).reset_index(drop=True)
    return shapely.STRtree(layer.geometry.to_numpy()), attributes


def locate_points(
    lon: Sequence[float] | np.ndarray | pd.Series,
    lat: Sequence[float] | np.ndarray | pd.Series,
    region: str | None = None,
) -> pd.DataFrame:
    """Commune, département and EPCI of each point (vectorised point-in-polygon).

    Parameters
    ----------
    lon, lat : array-like of float
        Coordinates in EPSG:4326; NaN gives an empty row.
    region : str, optional
        Region whose commune polygons are searched (default: :func:`region_code`).

    Returns
    -------
    DataFrame
        One row per point, same order, columns ``code_insee, departement, epci``
        (``None`` outside the region).
    """
    xs = np.asarray(lon, dtype=float)
    ys = np.asarray(lat, dtype=float)
    tree, attributes = _commune_tree(region or region_code())
    out = pd.DataFrame({column: [None] * len(xs) for column in ("code_insee", "departement", "epci")}, dtype=object)
    if len(xs) == 0:
        return out
    points = shapely.points(xs, ys)
    point_idx, poly_idx = tree.query(points, predicate="intersects")
    first = ~pd.Series(point_idx).duplicated().to_numpy()  # a point on a shared edge takes its first commune
    point_idx, poly_idx = point_idx[first], poly_idx[first]
    for column in out.columns:
        values = np.array(out[column], dtype=object)
        values[point_idx] = attributes[column].to_numpy(dtype=object)[poly_idx]
        out[column] = values
    return out.replace({np.nan: None})


def region_bbox(region: str | None = None) -> tuple[float, float, float, float]:
    """``(min_lon, min_lat, max_lon, max_lat)`` of a region (polygons, else its commune points)."""
    region = region or region_code()
    try:
        bounds = _layer("departements", region).total_bounds
    except FileNotFoundError:
        points = communes()[communes()["region"] == region]
        bounds = (points["lon"].min(), points["lat"].min(), points["lon"].max(), points["lat"].max())
    return tuple(float(v) for v in bounds)  # type: ignore[return-value]
