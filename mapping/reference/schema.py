"""Canonical supplier schema: one row per actor after deduplication.

Every source is normalised to *records* (one per source record, columns of ``RECORD_COLUMNS``),
then merged into *actors* (``COLUMNS``). Column names are a public seam: tooling outside the
package reads them, so they never change meaning.

Coordinates are stored in WGS84 (EPSG:4326); distances are computed in Lambert-93 (EPSG:2154).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.reference import taxonomy

CRS_WGS84 = "EPSG:4326"
CRS_LAMBERT93 = "EPSG:2154"

#: Known exception to the SIRET Luhn rule: La Poste's establishments (SIREN 356000000) use a
#: different checksum (sum of digits divisible by 5).
LA_POSTE_SIREN = "356000000"

GEO_PRECISIONS = ("housenumber", "street", "municipality", "source")

#: Columns holding lists of taxonomy codes. ``circular_actions`` (collecte, tri, réemploi…) and
#: ``audiences`` (professionnels, particuliers) say what the sources say; an empty ``audiences`` means
#: that no source says whom the actor receives (« non précisé »), not « nobody ».
CODE_LIST_COLUMNS = (
    "actor_kinds",
    "purchase_families",
    "waste_types",
    "product_types",
    "labels",
    "circular_actions",
    "audiences",
)
#: Free-text list columns (not taxonomy codes): ``products`` holds a producer's product names as its
#: source gives them (« Crottin de Chavignol AOP », « Lentilles vertes du Berry »), unioned on merge.
TEXT_LIST_COLUMNS = ("products",)
#: All list-valued columns.
LIST_COLUMNS = (*CODE_LIST_COLUMNS, *TEXT_LIST_COLUMNS, "sources", "source_keys")

#: Columns of the merged actor table, in order.
COLUMNS = (
    "uid",
    "name",
    "siret",
    "siren",
    "address",
    "postcode",
    "city",
    "code_insee",
    "departement",
    "epci",
    "geometry",
    "geo_precision",
    "actor_kinds",
    "purchase_families",
    "waste_types",
    "product_types",
    "labels",
    "circular_actions",
    "audiences",
    "products",
    "naf",
    "legal_form",
    "phone",
    "email",
    "website",
    "description",
    "sources",
    "source_keys",
    "updated_at",
)

#: Extra columns a built table may carry beyond ``COLUMNS`` (kept by the store when present):
#: ``merge_explanation`` says in French why several source records were merged into one actor.
OPTIONAL_COLUMNS = ("merge_explanation",)

#: Columns of a normalised source record (before merge). ``source`` + ``source_id`` identify it;
#: ``geometry`` may be missing (null) when the source gives no coordinates.
RECORD_COLUMNS = (
    "source",
    "source_id",
    *(c for c in COLUMNS if c not in ("uid", "sources", "source_keys")),
)

STRING_COLUMNS = tuple(c for c in COLUMNS if c not in ("geometry", "updated_at", *LIST_COLUMNS))


def luhn_valid(digits: str) -> bool:
    """Return True when ``digits`` passes the Luhn checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_valid_siren(value: object) -> bool:
    """A SIREN is 9 digits passing Luhn."""
    return isinstance(value, str) and len(value) == 9 and value.isdigit() and luhn_valid(value)


def is_valid_siret(value: object) -> bool:
    """A SIRET is 14 digits passing Luhn (La Poste: digit sum divisible by 5), SIREN valid."""
    if not (isinstance(value, str) and len(value) == 14 and value.isdigit()):
        return False
    if value.startswith(LA_POSTE_SIREN):
        # The head office (35600000000048) passes Luhn; the other establishments use the digit sum.
        return luhn_valid(value) or sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value) and luhn_valid(value[:9])


def clean_siret(value: object) -> str | None:
    """Strip spaces/dots from a SIRET-like value; return it if valid, else None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return digits if is_valid_siret(digits) else None


def empty_records() -> gpd.GeoDataFrame:
    """An empty record table with the right columns."""
    return _empty(RECORD_COLUMNS)


def empty_actors() -> gpd.GeoDataFrame:
    """An empty actor table with the right columns."""
    return _empty(COLUMNS)


def _empty(columns: Iterable[str]) -> gpd.GeoDataFrame:
    data = {c: pd.Series(dtype="object") for c in columns if c != "geometry"}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=CRS_WGS84), crs=CRS_WGS84)[list(columns)]


def as_list(value: object) -> list:
    """Coerce a cell to a list (None/NaN -> [], numpy array -> list, scalar -> [scalar])."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, (tuple, set, np.ndarray)):
        return list(value)
    if isinstance(value, float) and np.isnan(value):
        return []
    return [value]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an actor table."""

    column: str
    message: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = f" (lignes {', '.join(map(str, self.rows[:5]))}{'…' if len(self.rows) > 5 else ''})"
        return f"{self.column}: {self.message}{where if self.rows else ''}"


class SchemaError(ValueError):
    """Raised by :func:`validate` with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def problems(gdf: pd.DataFrame, *, columns: Iterable[str] = COLUMNS) -> list[Problem]:
    """List what is wrong with ``gdf`` against the canonical schema (empty list when valid)."""
    columns = tuple(columns)
    found: list[Problem] = []
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        found.append(Problem("*", f"colonnes manquantes: {', '.join(missing)}"))
        return found
    if not isinstance(gdf, gpd.GeoDataFrame):
        found.append(Problem("geometry", "la table n'est pas un GeoDataFrame"))
        return found
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        found.append(Problem("geometry", f"le CRS doit être EPSG:4326, pas {gdf.crs}"))

    def bad(column: str, mask: pd.Series | np.ndarray, message: str) -> None:
        idx = np.flatnonzero(np.asarray(mask))
        if len(idx):
            found.append(Problem(column, message, tuple(int(i) for i in idx)))

    if "uid" in columns:
        bad("uid", gdf["uid"].isna(), "identifiant manquant")
        bad("uid", gdf["uid"].duplicated(keep=False) & gdf["uid"].notna(), "identifiant en double")
    bad("name", gdf["name"].isna() | (gdf["name"].astype("string").str.strip() == ""), "nom vide")
    siret = gdf["siret"]
    bad("siret", siret.notna() & ~siret.map(is_valid_siret), "SIRET invalide (14 chiffres, clé de Luhn)")
    both = siret.notna() & gdf["siren"].notna()
    bad(
        "siren",
        both & (siret.astype("string").str[:9] != gdf["siren"].astype("string")),
        "SIREN différent des 9 premiers chiffres du SIRET",
    )
    bad("siren", gdf["siren"].notna() & ~gdf["siren"].map(is_valid_siren), "SIREN invalide")
    for col in STRING_COLUMNS:
        if col in columns:
            bad(
                col,
                ~gdf[col].map(
                    lambda v: v is None or v is pd.NA or isinstance(v, str) or (isinstance(v, float) and np.isnan(v))
                ),
                "valeur non textuelle",
            )
    geom = gdf.geometry
    located = geom.notna() & ~geom.is_empty
    if "uid" in columns:  # actors must be located; source records may not be yet
        bad("geometry", ~located, "localisation manquante")
    bad("geometry", located & (geom.geom_type != "Point"), "la géométrie doit être un point")
    pts = located & (geom.geom_type == "Point")
    if pts.any():
        x = geom[pts].x
        y = geom[pts].y
        outside = (x < -180) | (x > 180) | (y < -90) | (y > 90)
        bad("geometry", pts & outside.reindex(gdf.index, fill_value=False), "coordonnées hors limites")
    bad(
        "geo_precision",
        (located | gdf["geo_precision"].notna()) & ~gdf["geo_precision"].isin(GEO_PRECISIONS),
        "précision de localisation inconnue",
    )
    for col in LIST_COLUMNS:
        if col not in columns:
            continue
        bad(col, ~gdf[col].map(lambda v: isinstance(v, (list, np.ndarray))), "doit être une liste")
    for col in CODE_LIST_COLUMNS:
        if col not in columns:
            continue
        known = set(taxonomy.codes(col))
        unknown = gdf[col].map(
            lambda v, known=known: isinstance(v, (list, np.ndarray)) and any(c not in known for c in v)
        )
        if unknown.any():
            sample = sorted({c for v in gdf.loc[unknown, col] for c in v if c not in known})[:5]
            bad(col, unknown, f"codes inconnus de la taxonomie: {', '.join(sample)}")
    if "source_keys" in columns:
        keys = gdf["source_keys"].map(as_list).reset_index(drop=True)
        bad("source_keys", keys.map(len) == 0, "aucune clé source")
        exploded = keys.explode().dropna()
        dup = exploded[exploded.duplicated(keep=False)]
        if len(dup):
            rows = sorted(set(dup.index))
            found.append(Problem("source_keys", "clé source présente dans plusieurs lignes", tuple(rows)))
    return found


def validate(gdf: pd.DataFrame, *, columns: Iterable[str] = COLUMNS) -> pd.DataFrame:
    """Return ``gdf`` unchanged if it follows the schema, else raise :class:`SchemaError` naming
    every problem (column, French message, row positions)."""
    found = problems(gdf, columns=columns)
    if found:
        raise SchemaError(found)
    return gdf
