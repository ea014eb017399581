"""SINOE view of the demo world: the waste nomenclature and the déchèteries directory.

``nomenclature/page-start.json`` (one page) and ``decheteries/page-start.json`` then
``decheteries/page-after-<_i>.json`` (1 000 rows per page), as the connector requests them.
Each déchèterie of the world (``src_sinoe``) appears once per biennial survey since its opening
(2013…2025; a few sites miss the last survey), so the connector must keep the latest row of each
``C_SERVICE``. ``LST_TYPE_DECHET`` is filled up to the 2015 survey only, as in the real
directory whose recent vintages leave it empty. The nomenclature below is **synthetic** (shaped
like SINOE's: dotted hierarchical codes, French labels); the real one is read live.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from connectors import datafair
from connectors.sinoe import DECHETERIES, NOMENCLATURE, PAGE_SIZE, SinoeConnector
from mapping.demo.names import strip_accents
from mapping.demo.rendered import Rendered, datafair_pages
from mapping.reference import geography

SOURCE = "sinoe"
SURVEYS = (2013, 2015, 2017, 2019, 2021, 2023, 2025)
#: Last survey whose rows still list the waste accepted.
LAST_LISTED = 2015
#: Synthetic nomenclature: (code, label, level); the world's waste types point into it.
NOMENCLATURE_ROWS: tuple[tuple[str, str, int], ...] = (
    ("01", "Déchets dangereux des ménages", 1),
    ("01.1", "Produits chimiques, peintures et solvants", 2),
    ("01.2", "Huiles minérales usagées", 2),
    ("01.3", "Piles et accumulateurs", 2),
    ("01.4", "Déchets d'activités de soins à risques infectieux (DASRI)", 2),
    ("01.5", "Déchets amiantés", 2),
    ("02", "Déchets organiques", 1),
    ("02.1", "Déchets verts", 2),
    ("02.2", "Biodéchets et déchets alimentaires", 2),
    ("02.31", "Huiles alimentaires usagées", 3),
    ("03", "Matériaux recyclables", 1),
    ("03.1", "Papiers et cartons", 2),
    ("03.2", "Emballages en plastique", 2),
    ("03.3", "Verre d'emballage", 2),
    ("03.4", "Métaux et ferrailles", 2),
    ("03.5", "Bois", 2),
    ("03.6", "Textiles, linge et chaussures", 2),
    ("03.7", "Emballages ménagers en mélange", 2),
    ("04", "Déchets du bâtiment", 1),
    ("04.1", "Gravats et déchets inertes", 2),
    ("04.2", "Plâtre", 2),
    ("05", "Déchets d'équipements électriques et électroniques (DEEE)", 1),
    ("05.1", "Cartouches d'impression", 2),
    ("05.2", "Panneaux photovoltaïques", 2),
    ("06", "Encombrants et tout-venant", 1),
    ("07", "Déchets d'éléments d'ameublement", 1),
    ("08", "Pneumatiques usagés", 1),
    ("09", "Déchets non dangereux en mélange des activités économiques", 1),
)
WASTE_CODES = {
    "dechets_dangereux": "01.1",
    "huiles_minerales": "01.2",
    "piles_batteries": "01.3",
    "dasri": "01.4",
    "amiante": "01.5",
    "dechets_verts": "02.1",
    "biodechets": "02.2",
    "huiles_alimentaires": "02.31",
    "papiers_cartons": "03.1",
    "plastiques": "03.2",
    "verre": "03.3",
    "metaux": "03.4",
    "bois": "03.5",
    "textiles": "03.6",
    "emballages": "03.7",
    "inertes": "04.1",
    "platre": "04.2",
    "deee": "05",
    "cartouches": "05.1",
    "photovoltaique": "05.2",
    "encombrants": "06",
    "mobilier": "07",
    "pneus": "08",
    "dib_melange": "09",
}


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    x = lon * 20037508.34 / 180.0
    y = math.log(math.tan((90.0 + lat) * math.pi / 360.0)) / (math.pi / 180.0) * 20037508.34 / 180.0
    return round(x, 2), round(y, 2)


def _site_rows(rng: np.random.Generator, row: Any, site: int, epci: dict[str, str], deps: dict[str, str]) -> list[dict]:
    opened = int(rng.integers(1988, 2020))
    years = [y for y in SURVEYS if y >= opened + 1]
    if len(years) > 1 and rng.random() < 0.08:
        years = years[:-1]  # the site skipped the last survey
    years = years or [SURVEYS[-1]]
    codes = "|".join(sorted({WASTE_CODES[w] for w in row.waste_types if w in WASTE_CODES}))
    lat = round(float(row.lat + rng.normal(0, 0.0006)), 6)
    lon = round(float(row.lon + rng.normal(0, 0.0008)), 6)
    x, y = _mercator(lon, lat)
    name = f"DECHETERIE DE {strip_accents(row.city).upper()}" if rng.random() < 0.5 else row.name
    street = " ".join(p for p in (row.street_number, row.street_type, row.street_name) if isinstance(p, str))
    operator = epci.get(row.epci or "", f"Commune de {row.city}")
    out = []
    for year in years:
        modified = datetime(year, 1, 1) + timedelta(days=int(rng.integers(0, 700)))
        out.append(
            {
                "ANNEE": year,
                "C_SERVICE": site,
                "N_SERVICE": name,
                "AD1_SITE": street or row.city,
                "AD2_SITE": None,
                "CP_SITE": row.postcode,
                "L_VILLE_SITE": strip_accents(row.city).upper(),
                "C_COMM": row.code_insee,
                "C_DEPT": row.departement,
                "N_DEPT": deps.get(row.departement, row.departement),
                "C_REGION": row.region,
                "L_REGION": "Centre-Val de Loire",
                "TEL_SERVICE": row.phone,
                "FAX_SERVICE": None,
                "LST_TYPE_DECHET": codes if year <= LAST_LISTED else None,
                "ORIGINE_DECHET_ACC": "DMA" if rng.random() < 0.7 else "DMA|DAE",
                "LOV_MO_GEST": "REGIE" if rng.random() < 0.6 else "PRESTATAIRE",
                "D_OUV": f"{opened}-01-01",
                "D_MODIF": modified.strftime("%Y-%m-%d"),
                "C_ACTEUR": 40000 + site % 9000,
                "N_ACTEUR": operator,
                "C_TYP_ACTEUR": "EPCI",
                "L_TYP_ACTEUR": "Établissement public de coopération intercommunale",
                "GPS_LAT": lat,
                "GPS_LONG": lon,
                "GPS_X": x,
                "GPS_Y": y,
                "GPS_PRECISION": "ADRESSE",
                "GPS_QUALITY": 1,
                "_geopoint": f"{lat},{lon}",
            }
        )
    return out


def render(world: pd.DataFrame, *, seed: int, fetched_at: datetime) -> Rendered:
    """The nomenclature and every survey row of the region's déchèteries."""
    rng = np.random.default_rng([seed, 4])
    region = world.attrs.get("region", "24")
    listed = world[world["src_sinoe"].to_numpy(dtype=bool) & (world["region"] == region).to_numpy()]
    sites = rng.choice(np.arange(1000, 99999), size=len(listed), replace=False)
    epci, deps = geography.epci_names(), geography.departement_names()
    rows = [
        r
        for k, row in enumerate(listed.itertuples(index=False))
        for r in _site_rows(rng, row, int(sites[k]), epci, deps)
    ]
    rows.sort(key=lambda r: (r["ANNEE"], r["C_DEPT"], r["C_SERVICE"]))
    for i, r in enumerate(rows):
        r["_i"] = i * 7 + 3
    base = SinoeConnector.DEFAULT_BASE_URL
    nomenclature = [
        {"C_TYP_DECHET": code, "L_TYP_DECHET": label, "NIV_HIER": level, "_i": i}
        for i, (code, label, level) in enumerate(NOMENCLATURE_ROWS)
    ]
    out = Rendered(SOURCE, datafair.lines_url(base, DECHETERIES), SinoeConnector.LICENCE, SinoeConnector.ATTRIBUTION)
    out.files += datafair_pages(
        nomenclature,
        url=datafair.lines_url(base, NOMENCLATURE),
        query="size=1000&sort=_i",
        folder="nomenclature",
        page_size=PAGE_SIZE,
    )
    query = f"size=1000&C_DEPT_in={','.join(geography.departements(region))}&sort=_i"
    out.files += datafair_pages(
        rows, url=datafair.lines_url(base, DECHETERIES), query=query, folder="decheteries", page_size=PAGE_SIZE
    )
    out.keys.extend((str(site), actor) for site, actor in zip(sites, listed["actor_id"], strict=True))
    return out
