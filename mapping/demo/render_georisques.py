"""Géorisques view of the demo world: ``dep-<dép>/page-NNNN.json`` (API v1, 100 per page).

The API lists every installation classée of a département, so besides the world's waste
installations (``src_georisques``, rubriques chosen among the waste rubriques covering the
actor's natures of waste, sometimes with a non-waste rubrique next to them) each département
holds farms, warehouses and factories (non-waste rubriques only) and a few waste sites that
stopped operating (``etatActivite`` « En cessation d'activité »): the connector must drop both,
so they are not in the ground truth. Items follow the ``InstallationClassee`` model of the
published v1 OpenAPI (``tests/fixtures/real/schemas/georisques-v1-installations_classees.schema.json``),
validated by ``tests/connectors/test_published_schemas.py``.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from connectors.georisques import PAGE_SIZE, GeorisquesConnector
from mapping import settings
from mapping.demo import name_parts
from mapping.demo.names import sirene_upper, strip_accents
from mapping.demo.rendered import Rendered, dumps
from mapping.reference import geography

SOURCE = "georisques"
URL = f"{GeorisquesConnector.DEFAULT_BASE_URL}/api/v1/installations_classees"
#: Non-waste rubriques: (numero, alinea, nature) of farms, warehouses, factories.
OTHER_RUBRIQUES = (
    ("2101", "2", "Élevage de bovins"),
    ("2102", "1", "Élevage de porcs"),
    ("2111", "1", "Élevage de volailles"),
    ("1510", "2", "Entrepôts couverts"),
    ("2910", "A", "Combustion"),
    ("4331", "2", "Liquides inflammables"),
    ("2560", "B", "Travail mécanique des métaux"),
    ("1435", "", "Stations-service"),
)
OTHER_NAMES = ("EARL {lieu}", "GAEC {lieu}", "SAS {surname} Industrie", "Entrepôts {surname}", "SCEA {surname}")
FILLER_RATIO = 1.3
CLOSED_RATIO = 0.05


def _waste_index() -> dict[str, list[str]]:
    """Waste type -> rubrique keys of ``georisques.json`` covering it."""
    data = json.loads((settings.get().reference_dir / "mappings" / "georisques.json").read_text("utf-8"))
    index: dict[str, list[str]] = {}
    for key, entry in data["rubriques"].items():
        for waste in entry.get("waste_types", []):
            index.setdefault(waste, []).append(key)
    return index


def _rubrique(key: str, rng: np.random.Generator) -> dict:
    number, _, alinea = key.partition("-")
    regime = str(rng.choice(["A", "E", "D", "DC"], p=[0.3, 0.3, 0.3, 0.1]))
    return {
        "numeroRubrique": number,
        "nature": "Installation de gestion de déchets",
        "alinea": alinea or str(rng.choice(["1", "2", ""])),
        "regimeAutoriseAlinea": regime,
        "quantiteTotale": str(int(rng.integers(1, 500) * 10)),
        "unite": str(rng.choice(["t", "m3", "t/j"])),
        "dateMotif": f"{int(rng.integers(2000, 2025))}-0{int(rng.integers(1, 10))}-1{int(rng.integers(0, 10))}",
    }


def _installation(
    rng: np.random.Generator, row: Any, rubriques: list[dict], when: datetime, *, state: str, code: int
) -> dict:
    lat = round(float(row.lat + rng.normal(0, 0.0004)), 6)
    lon = round(float(row.lon + rng.normal(0, 0.0006)), 6)
    street = " ".join(p for p in (row.street_number, row.street_type, row.street_name) if isinstance(p, str))
    siret = row.siret if isinstance(row.siret, str) and rng.random() < 0.9 else None
    naf = row.naf.replace(".", "") if isinstance(row.naf, str) and rng.random() < 0.7 else None
    regimes = {r["regimeAutoriseAlinea"] for r in rubriques}
    regime = "Autorisation" if "A" in regimes else "Enregistrement" if "E" in regimes else "Déclaration"
    return {
        "raisonSociale": sirene_upper(row.name),
        "adresse1": sirene_upper(street) if street else None,
        "adresse2": None,
        "adresse3": None,
        "codePostal": row.postcode,
        "codeInsee": row.code_insee,
        "commune": strip_accents(row.city).upper(),
        "codeNaf": naf[:2] if naf else None,  # « deux premiers caractères du code NAF » (published model)
        "longitude": lon,
        "latitude": lat,
        "bovins": any(r["numeroRubrique"] == "2101" for r in rubriques),
        "porcs": any(r["numeroRubrique"] == "2102" for r in rubriques),
        "volailles": any(r["numeroRubrique"] == "2111" for r in rubriques),
        "carriere": False,
        "eolienne": False,
        "industrie": True,
        "prioriteNationale": False,
        "statutSeveso": "3" if rng.random() < 0.97 else "2",
        "ied": any(r["numeroRubrique"].startswith("35") for r in rubriques),
        "etatActivite": state,
        "codeAIOT": f"{code:010d}",
        "siret": siret,
        "coordonneeXAIOT": round(700000 + (lon - 3) * 75000),  # integers in the published model
        "coordonneeYAIOT": round(6600000 + (lat - 46.5) * 111000),
        "systemeCoordonneesAIOT": "Lambert 93",
        "serviceAIOT": "DREAL",
        "regime": regime,
        "rubriques": rubriques,
        "inspections": [],
        "documentsHorsInspection": [],
        "date_maj": (when - timedelta(days=int(rng.integers(5, 1500)))).strftime("%Y-%m-%d"),
    }


def _waste_rubriques(rng: np.random.Generator, row: Any, index: dict[str, list[str]]) -> list[dict]:
    keys: list[str] = []
    if row.kind == "decheterie":
        keys += ["2710-1", "2710-2"] if rng.random() < 0.6 else ["2710-2"]
    for waste in row.waste_types:
        pool = [k for k in index.get(waste, []) if not k.startswith("2710")]
        if pool and rng.random() < 0.8:
            keys.append(str(rng.choice(pool)))
    if not keys:
        keys.append(str(rng.choice(["2716", "2791", "2714"])))
    rubriques = [_rubrique(k, rng) for k in dict.fromkeys(keys)]
    if rng.random() < 0.3:
        number, alinea, nature = OTHER_RUBRIQUES[int(rng.integers(0, len(OTHER_RUBRIQUES)))]
        rubriques.append({**_rubrique(number, rng), "alinea": alinea, "nature": nature})
    return rubriques


def _filler(rng: np.random.Generator, row: Any, when: datetime, code: int) -> dict:
    number, alinea, nature = OTHER_RUBRIQUES[int(rng.integers(0, len(OTHER_RUBRIQUES)))]
    template = OTHER_NAMES[int(rng.integers(0, len(OTHER_NAMES)))]
    name = template.format(
        lieu=str(rng.choice(name_parts.LIEUX)).removeprefix("de ").removeprefix("du "),
        surname=str(rng.choice(name_parts.SURNAMES)),
    )
    rubriques = [{**_rubrique(number, rng), "alinea": alinea, "nature": nature}]
    fake = row._replace(name=name, siret=None, naf=None)
    return _installation(rng, fake, rubriques, when, state="En fonctionnement", code=code)


def render(world: pd.DataFrame, *, seed: int, fetched_at: datetime) -> Rendered:
    """Pages of every département of the region (see the module docstring)."""
    rng = np.random.default_rng([seed, 5])
    region = world.attrs.get("region", "24")
    in_region = (world["region"] == region).to_numpy()
    listed = world[world["src_georisques"].to_numpy(dtype=bool) & in_region]
    others = world[~world["src_georisques"].to_numpy(dtype=bool) & in_region]
    index = _waste_index()
    out = Rendered(SOURCE, URL, GeorisquesConnector.LICENCE, GeorisquesConnector.ATTRIBUTION)
    n_filler = min(int(len(listed) * FILLER_RATIO), len(others))
    n_closed = min(int(len(listed) * CLOSED_RATIO), len(others))
    codes = iter(rng.choice(94_000_000, size=len(listed) + n_filler + n_closed, replace=False) + 6_000_000)
    by_dep: dict[str, list[dict]] = {}
    for row in listed.itertuples(index=False):
        rubriques = _waste_rubriques(rng, row, index)
        item = _installation(rng, row, rubriques, fetched_at, state="En fonctionnement", code=int(next(codes)))
        by_dep.setdefault(row.departement, []).append(item)
        out.keys.append((item["codeAIOT"], row.actor_id))
    for k in rng.choice(len(others), size=n_filler, replace=False):
        row = others.iloc[int(k)]
        by_dep.setdefault(row["departement"], []).append(_filler(rng, _Row(row), fetched_at, int(next(codes))))
    for k in rng.choice(len(others), size=n_closed, replace=False):
        row = _Row(others.iloc[int(k)])
        rubriques = _waste_rubriques(rng, row, index)
        state = "En cessation d'activité"
        closed = _installation(rng, row, rubriques, fetched_at, state=state, code=int(next(codes)))
        by_dep.setdefault(row.departement, []).append(closed)
    for dep in geography.departements(region):
        items = by_dep.get(dep, [])
        items = [items[i] for i in rng.permutation(len(items))]
        pages = max(1, math.ceil(len(items) / PAGE_SIZE))
        for page in range(1, pages + 1):
            query = f"departement={dep}&page_size={PAGE_SIZE}"
            payload = {
                "results": len(items),
                "page": page,
                "total_pages": pages,
                "data": items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
                "response_code": 200,
                "message": "OK",
                "next": f"{URL}?{query}&page={page + 1}" if page < pages else None,
                "previous": f"{URL}?{query}&page={page - 1}" if page > 1 else None,
            }
            out.files.append((f"dep-{dep}/page-{page:04d}.json", dumps(payload)))
    return out


class _Row:
    """Attribute access over a world row (``itertuples`` style) with ``_replace``."""

    def __init__(self, series: pd.Series) -> None:
        self._values = series.to_dict()

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def _replace(self, **changes: Any) -> _Row:
        clone = _Row(pd.Series(self._values))
        clone._values.update(changes)
        return clone
