"""ADEME « Longue vie aux objets » view of the demo world: data-fair ``lines`` pages.

``lines/page-start.json`` then ``lines/page-after-<_i>.json``, 1 000 rows per page, as the
connector requests them (same parameters, ``next`` URL with the ``after`` cursor, no ``next`` on
the last page). Rows carry the open-data columns the connector selects.

Overlaps are those of the real dataset: ADEME ingests CARTECO (``paternite`` ``…|CartEco``: same
actor, retyped name, no phone, SIRET often given) and SINOE's déchèteries (``…|SINOE``); repairers
come from the CMA Répar'acteurs and QualiRépar, ressourceries from their network, textile points
from Refashion. Natures of waste are the world's, written as ADEME sous-catégories under the
actions the actor offers (``trier``, ``donner``, ``reparer``…).
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from connectors import datafair
from connectors.ademe_lvao import DATASET, PAGE_SIZE, AdemeLvaoConnector, attribution
from mapping.demo.rendered import Rendered, datafair_pages
from mapping.demo.variants import street_line, vary_name, vary_website
from mapping.reference import geography, taxonomy

SOURCE = "ademe_lvao"
PUBLISHER = "Que faire de mes objets et déchets|ADEME"
_ALPHABET = np.array(list("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"), dtype=object)
#: Profiles whose actors sort waste (``trier``), repair (``reparer``); the others take objects
#: for re-use (``donner``) and sell second-hand goods (``acheter``).
SORTING = frozenset({"decheterie", "recyclage", "icpe", "depollution", "ei_collecte", "compost", "ea_recyclage"})
REPAIRING = frozenset({"reparation", "repair_cafe", "atelier_velo", "informatique"})
#: Contributor named in ``paternite`` by profile (CartEco and SINOE handled apart).
CONTRIBUTORS = {
    "reparation": "CMA - Répar'acteurs",
    "informatique": "ecosystem",
    "ressourcerie": "Réseau des Ressourceries",
    "aci_ressourcerie": "Réseau des Ressourceries",
    "textile": "Refashion",
    "recyclage": "Ecomaison",
    "icpe": "Ecomaison",
    "repair_cafe": "Repair Café",
}
#: Objects handed over for re-use when the world lists no nature of waste.
REUSE_OBJECTS = ("vetement", "livre", "jouet", "vaisselle", "meuble", "decoration", "puericulture", "velo")
REPAIR_OBJECTS = (
    "petit_electromenager",
    "velo",
    "smartphone_tablette_et_console",
    "materiel_informatique",
    "luminaire",
)


def _identifiants(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 22-character base57 identifiers."""
    out = np.array(["".join(_ALPHABET[rng.integers(0, len(_ALPHABET), 22)]) for _ in range(n)], dtype=object)
    return out


def _sous_categories(rng: np.random.Generator, wastes: list[str]) -> list[str]:
    codes: list[str] = []
    for waste in wastes:
        pool = [c for e in taxonomy.entries("waste_types") if e["code"] == waste for c in e.get("ademe", [])]
        if pool:
            k = min(len(pool), int(rng.integers(1, 4)))
            codes.extend(str(c) for c in rng.choice(pool, size=k, replace=False))
    return list(dict.fromkeys(codes))


def _actions(rng: np.random.Generator, row: Any) -> dict[str, list[str]]:
    objects = _sous_categories(rng, list(row.waste_types))
    if row.profile in SORTING or row.kind == "decheterie":
        return {"trier": objects or ["encombrants_menagers_divers"]}
    if row.profile in REPAIRING:
        repaired = objects or [str(rng.choice(REPAIR_OBJECTS))]
        if row.profile == "atelier_velo":
            repaired = ["velo"]
        actions = {"reparer": repaired}
        if row.profile == "informatique":
            actions["revendre"] = repaired
            actions["acheter"] = repaired
        return actions
    given = objects or list(rng.choice(REUSE_OBJECTS, size=int(rng.integers(1, 4)), replace=False))
    actions = {"donner": given, "acheter": given}
    if rng.random() < 0.3:
        actions["trier"] = given
    return actions


#: Profiles that also rent objects out (``louer``: bikes, tools), one actor in :data:`RENTAL_ONE_IN`.
RENTAL_PROFILES = frozenset({"atelier_velo", "ressourcerie", "aci_ressourcerie", "reparation"})
RENTAL_ONE_IN = 4
#: Profiles receiving professionals (collection and treatment of business waste).
PROFESSIONAL_PROFILES = SORTING - {"decheterie"}


def _stable(ident: str) -> int:
    """A number drawn from the actor's identifier (does not consume the renderer's random stream)."""
    return zlib.crc32(ident.encode("ascii"))


def _with_rental(actions: dict[str, list[str]], row: Any, ident: str) -> dict[str, list[str]]:
    if row.profile not in RENTAL_PROFILES or _stable(ident) % RENTAL_ONE_IN:
        return actions
    rented = ["velo"] if row.profile == "atelier_velo" else (actions.get("reparer") or actions.get("donner") or [])[:2]
    return {**actions, "louer": rented} if rented else actions


def _public(draw: float, row: Any, ident: str) -> str | None:
    """``public_accueilli`` as the export writes it; about one actor in ten leaves it blank."""
    if _stable(ident) % 10 == 7:
        return None
    if row.kind != "decheterie" and row.profile in PROFESSIONAL_PROFILES:
        return "Particuliers et professionnels" if draw < 0.4 else "Professionnels"
    return "Particuliers et professionnels" if draw < 0.4 else "Particuliers"


def _paternite(rng: np.random.Generator, row: Any) -> tuple[str, bool]:
    """``(paternite, from_carteco)``."""
    if row.src_carteco and rng.random() < 0.8:
        return f"{PUBLISHER}|CartEco", True
    if row.kind == "decheterie" and row.src_sinoe:
        return f"{PUBLISHER}|SINOE", False
    contributor = CONTRIBUTORS.get(row.profile)
    if contributor and rng.random() < 0.85:
        return f"{PUBLISHER}|{contributor}", False
    return PUBLISHER, False


def _type_dacteur(row: Any) -> str:
    if row.kind == "decheterie":
        return "decheterie"
    if row.profile in ("reparation", "informatique"):
        return "artisan" if row.legal_form == "1000" else "commerce"
    if row.kind in ("entreprise", "icpe"):
        return "commerce"
    return "ess"


def _services(row: Any, actions: dict[str, list[str]]) -> list[str]:
    if row.kind == "decheterie" or row.profile in SORTING:
        return ["structure_de_collecte"]
    if row.profile == "repair_cafe":
        return ["atelier_pour_reparer_soi_meme"]
    if "reparer" in actions:
        return ["service_de_reparation", *(["achat_revente_professionnel"] if "revendre" in actions else [])]
    if "ressourcerie" in row.profile:
        return ["recyclerie"]
    return ["depot_vente"] if "acheter" in actions else ["structure_de_collecte"]


def _labels(rng: np.random.Generator, row: Any) -> list[str]:
    labels = []
    if row.est_ess:
        labels.append("ess")
    if "reparacteur" in row.labels:
        labels.append("reparacteur")
    if "qualirepar" in row.labels:
        labels.append("qualirepar")
        if rng.random() < 0.5:
            labels.append("bonusrepar_ecosystem")
    if row.profile == "textile" and rng.random() < 0.5:
        labels.append("refashion")
    return labels


def _row(rng: np.random.Generator, row: Any, ident: str, index: int, when: datetime) -> dict:
    paternite, from_carteco = _paternite(rng, row)
    actions = _with_rental(_actions(rng, row), row, ident)
    distance, angle = rng.uniform(0, 80), rng.uniform(0, 2 * np.pi)
    lat = row.lat + distance * np.sin(angle) / 111_320.0
    lon = row.lon + distance * np.cos(angle) / (111_320.0 * np.cos(np.radians(row.lat)))
    number, street = street_line(rng, row.street_number, row.street_type, row.street_name)
    siret = row.siret if isinstance(row.siret, str) and rng.random() < (0.6 if from_carteco else 0.75) else None
    phone = None if from_carteco or row.phone is None or row.phone.startswith(("06", "07")) else row.phone
    modified = when - timedelta(days=int(rng.integers(3, 900)))
    return {
        "identifiant": ident,
        "paternite": paternite,
        "nom": vary_name(rng, row.name, row.kind),
        "nom_commercial": None,
        "siren": siret[:9] if siret else None,
        "siret": siret,
        "description": row.description if rng.random() < 0.6 else None,
        "type_dacteur": _type_dacteur(row),
        "site_web": vary_website(rng, row.website),
        "telephone": phone,
        "adresse": f"{number} {street}" if number else street,
        "complement_dadresse": None,
        "code_postal": row.postcode,
        "ville": row.city,
        "code_commune": row.code_insee,
        "code_epci": row.epci,
        "latitude": round(float(lat), 6),
        "longitude": round(float(lon), 6),
        "qualites_et_labels": "|".join(_labels(rng, row)) or None,
        "public_accueilli": _public(rng.random(), row, ident),
        "type_de_services": "|".join(_services(row, actions)),
        "propositions_de_services": json.dumps(
            [{"action": a, "sous_categories": codes} for a, codes in actions.items()], ensure_ascii=False
        ),
        **{action: "|".join(codes) for action, codes in actions.items()},
        "date_de_derniere_modification": modified.strftime("%Y-%m-%d"),
        "_geopoint": f"{round(float(lat), 6)},{round(float(lon), 6)}",
        "_i": index,
    }


def render(world: pd.DataFrame, *, seed: int, fetched_at: datetime) -> Rendered:
    """Pages of the region's bounding box, cursor-paged (see the module docstring)."""
    rng = np.random.default_rng([seed, 3])
    region = world.attrs.get("region", "24")
    west, south, east, north = geography.region_bbox(region)
    inside_box = world["lon"].between(west, east) & world["lat"].between(south, north)
    listed = world[world["src_ademe_lvao"].to_numpy(dtype=bool) & inside_box.to_numpy()]
    listed = listed.iloc[rng.permutation(len(listed))]
    idents = _identifiants(rng, len(listed))
    indexes = np.sort(rng.choice(400_000, size=len(listed), replace=False))
    rows = [
        _row(rng, row, idents[k], int(indexes[k]), fetched_at) for k, row in enumerate(listed.itertuples(index=False))
    ]
    connector = AdemeLvaoConnector()
    params = connector.params(region)
    url = datafair.lines_url(AdemeLvaoConnector.DEFAULT_BASE_URL, DATASET)
    out = Rendered(SOURCE, url, connector.LICENCE, attribution(r["paternite"] for r in rows))
    query = "&".join(f"{k}={v}" for k, v in params.items())
    out.files += datafair_pages(rows, url=url, query=query, folder=datafair.LINES_DIR, page_size=PAGE_SIZE)
    out.keys.extend((ident, actor) for ident, actor in zip(idents, listed["actor_id"], strict=True))
    return out
