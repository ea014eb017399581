"""API Recherche d'entreprises view of the demo world: ``<query>-<departement>/page-NNNN.json``.

Queries (``docs/ARCHITECTURE.md``): ``ess`` (``est_ess=true``), ``siae`` (``est_siae=true``),
``scop`` (``nature_juridique=5458,5558,5658``) and ``dechets`` (``activite_principale`` = the waste
NAF codes, every company of those codes whether ESS or not), each per département of the region, 25 results per
page, ``minimal=true&include=siege,complements,matching_etablissements``. One actor appears in
every query it matches, as with the real API; ``total_results`` is capped at 10,000.
Each result is a unité légale with its ``siege``, the establishments matching the filter
(``matching_etablissements``, a few closed ``"F"`` ones) and ``complements``. Keys follow the
published OpenAPI (``components/schemas``: ``siege`` has the street parts and no
``ancien_siege``; ``etablissement`` items have the one-line ``adresse`` and no street parts nor
``departement``), as the answers recorded from the live API do
(``tests/fixtures/real/recherche_entreprises``); ``tests/connectors/test_published_schemas.py``
validates every page.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from mapping.demo.codes import SCOP_LEGAL_FORMS
from mapping.demo.names import initials, sirene_upper, strip_accents
from mapping.demo.places import STREET_CODES
from mapping.demo.rendered import Rendered, dumps

SOURCE = "recherche_entreprises"
URL = "https://recherche-entreprises.api.gouv.fr/search"
LICENCE = "Licence Ouverte 2.0 (Etalab)"
ATTRIBUTION = "Annuaire des Entreprises – DINUM, d'après la base SIRENE de l'INSEE et les registres partenaires"
PER_PAGE = 25
MAX_RESULTS = 10_000
QUERIES = ("ess", "siae", "scop", "dechets")
#: NAF codes of the AGIRE-style ``dechets`` query (``activite_principale=…``).
WASTE_NAF = ("38.11Z", "38.12Z", "38.21Z", "38.22Z", "38.31Z", "38.32Z", "39.00Z", "46.77Z")
_SECTIONS = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)
#: Fields of ``siege`` that ``matching_etablissements`` entries do not carry (OpenAPI ``siege`` minus
#: ``etablissement``; the real answers agree): the street parts, the complement, the département…
SIEGE_ONLY = frozenset(
    {
        "activite_principale_registre_metier",
        "cedex",
        "code_pays_etranger",
        "complement_adresse",
        "coordonnees",
        "date_mise_a_jour",
        "date_mise_a_jour_insee",
        "departement",
        "dernier_numero_voie",
        "distribution_speciale",
        "geo_adresse",
        "indice_repetition",
        "libelle_cedex",
        "libelle_commune_etranger",
        "libelle_pays_etranger",
        "libelle_voie",
        "numero_voie",
        "type_voie",
    }
)
#: Fields of establishments that ``siege`` does not carry (OpenAPI ``etablissement`` minus ``siege``).
ESTABLISHMENT_ONLY = frozenset({"ancien_siege"})
_COMPLEMENTS = ("BAT A", "BATIMENT B", "LOCAL 3", "1ER ETAGE", "RESIDENCE LES TILLEULS", "ZONE D ACTIVITES")


def section(naf: str) -> str | None:
    """NAF section letter of a code such as ``"81.21Z"``."""
    division = int(naf[:2])
    return next((letter for letter, low, high in _SECTIONS if low <= division <= high), None)


def _coord(value: float) -> str:
    return str(round(float(value), 6))


def _stamp(rng: np.random.Generator, when: datetime, max_days: int) -> str:
    moment = when - timedelta(seconds=int(rng.integers(3600, max_days * 86400)))
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _establishment(rng: np.random.Generator, row: Any, *, second: bool, when: datetime) -> dict:
    closed = second and bool(row.siret2_closed)
    siret = row.siret2 if second else row.siret
    number = row.street2_number if second else row.street_number
    stype = row.street2_type if second else row.street_type
    sname = row.street2_name if second else row.street_name
    lon = row.lon2 if second else row.lon
    lat = row.lat2 if second else row.lat
    city = strip_accents(row.city).upper()
    type_voie = STREET_CODES.get(stype) if isinstance(stype, str) else None
    libelle = sirene_upper(sname) if isinstance(sname, str) else None
    if type_voie == "LD" and rng.random() < 0.5:
        type_voie, libelle = None, f"LIEU DIT {libelle}"
    numero = number if isinstance(number, str) else None
    complement = _COMPLEMENTS[int(rng.integers(0, len(_COMPLEMENTS)))] if rng.random() < 0.05 else None
    diffusion = "P" if rng.random() < 0.01 else "O"
    lat_s = _coord(lat + rng.normal(0, 0.00012))
    lon_s = _coord(lon + rng.normal(0, 0.00017))
    if diffusion == "P":
        numero = type_voie = libelle = complement = None
    if diffusion == "P" or rng.random() < 0.015:
        lat_s = lon_s = None  # not geocoded (or hidden)
    parts = [complement, numero, type_voie, libelle, row.postcode, city]
    created = row.date_creation if not second or closed else _stamp(rng, when, 2000)[:10]
    return {
        "activite_principale": row.naf,
        "activite_principale_naf25": None,
        "activite_principale_registre_metier": None,
        "adresse": " ".join(p for p in parts if p),
        "ancien_siege": closed,
        "annee_tranche_effectif_salarie": None if row.tranche_effectif == "NN" else "2023",
        "caractere_employeur": "N" if row.tranche_effectif in ("NN", "00") else "O",
        "cedex": None,
        "code_pays_etranger": None,
        "code_postal": row.postcode,
        "commune": row.code_insee,
        "complement_adresse": complement,
        "coordonnees": f"{lat_s},{lon_s}" if lat_s else None,
        "date_creation": created,
        "date_debut_activite": created,
        "date_fermeture": _stamp(rng, when, 1500)[:10] if closed else None,
        "date_mise_a_jour": None,
        "date_mise_a_jour_insee": _stamp(rng, when, 400),
        "departement": row.departement,
        "dernier_numero_voie": None,
        "distribution_speciale": None,
        "epci": row.epci,
        "est_siege": not second,
        "etat_administratif": "F" if closed else "A",
        "geo_adresse": None,
        "geo_id": None,
        "indice_repetition": None,
        "latitude": lat_s,
        "libelle_cedex": None,
        "libelle_commune": city,
        "libelle_commune_etranger": None,
        "libelle_pays_etranger": None,
        "libelle_voie": libelle,
        "liste_enseignes": None,
        "liste_finess": None,
        "liste_id_bio": [f"{int(rng.integers(1, 9999)):04d}"] if "ab" in row.labels else [],
        "liste_idcc": None,
        "liste_id_organisme_formation": None,
        "liste_rge": None,
        "liste_uai": None,
        "longitude": lon_s,
        "nom_commercial": None,
        "numero_voie": numero,
        "region": row.region,
        "siret": siret,
        "statut_diffusion_etablissement": diffusion,
        "tranche_effectif_salarie": None if row.tranche_effectif == "NN" else row.tranche_effectif,
        "type_voie": type_voie,
    }


def _names(rng: np.random.Generator, row: Any) -> tuple[str, str | None]:
    """``(nom_raison_sociale, sigle)`` as registered in SIRENE (``ASSOCIATION TRI VAL`` / ``TRI'VAL``)."""
    name = row.name
    association = row.legal_form in ("9220", "9230")
    raison = sirene_upper(name) if rng.random() < 0.8 else name.upper()
    if association and rng.random() < 0.25 and not raison.startswith(("ASSOCIATION", "AMAP")):
        raison = "ASSOCIATION " + raison
    elif row.legal_form in SCOP_LEGAL_FORMS and "SCOP" not in raison and rng.random() < 0.4:
        raison = raison + " SCOP"
    sigle = None
    first = name.split(" ")[0]
    if "'" in first[2:] and " " in name and rng.random() < 0.4:  # not "L'Atelier"
        sigle = strip_accents(first).upper()
        raison = sirene_upper(raison)
        if association and not raison.startswith("ASSOCIATION"):
            raison = "ASSOCIATION " + raison
    elif rng.random() < 0.1 and len(initials(name)) >= 3:
        sigle = initials(name)
    return raison, sigle


def _result(rng: np.random.Generator, row: Any, when: datetime) -> dict:
    raison, sigle = _names(rng, row)
    first = _establishment(rng, row, second=False, when=when)
    establishments = [first]
    if isinstance(row.siret2, str):
        establishments.append(_establishment(rng, row, second=True, when=when))
    siege = {k: v for k, v in first.items() if k not in ESTABLISHMENT_ONLY}
    matching = [{k: v for k, v in e.items() if k not in SIEGE_ONLY} for e in establishments]
    labels = set(row.labels)
    employer = row.tranche_effectif not in ("NN", "00")
    updated = _stamp(rng, when, 300)
    complements = {
        "collectivite_territoriale": None,
        "convention_collective_renseignee": employer and rng.random() < 0.6,
        "liste_idcc": None,
        "egapro_renseignee": False,
        "est_achats_responsables": "rfar" in labels,
        "est_alim_confiance": False,
        "est_association": row.legal_form in ("9220", "9230"),
        "est_avocat": False,
        "est_bio": "ab" in labels,
        "est_entrepreneur_individuel": row.legal_form == "1000",
        "est_entrepreneur_spectacle": False,
        "est_ess": bool(row.est_ess),
        "est_finess": row.kind == "esat",
        "est_organisme_formation": "qualiopi" in labels,
        "est_qualiopi": "qualiopi" in labels,
        "liste_id_organisme_formation": None,
        "est_rge": "rge" in labels,
        "est_service_public": None,
        "est_administration": False,
        "est_l100_3": None,
        "est_siae": bool(row.est_siae),
        "est_societe_mission": "entreprise_mission" in labels,
        "est_uai": False,
        "est_patrimoine_vivant": False,
        "bilan_ges_renseigne": False,
        "identifiant_association": row.rna if isinstance(row.rna, str) else None,
        "statut_entrepreneur_spectacle": None,
        "type_siae": row.type_siae if isinstance(row.type_siae, str) else None,
    }
    return {
        "siren": row.siren,
        "nom_complet": f"{raison} ({sigle})" if sigle else raison,
        "nom_raison_sociale": raison,
        "sigle": sigle,
        "nombre_etablissements": len(establishments),
        "nombre_etablissements_ouverts": sum(e["etat_administratif"] == "A" for e in establishments),
        "siege": siege,
        "activite_principale": row.naf,
        "activite_principale_naf25": None,
        "categorie_entreprise": "PME" if employer else None,
        "annee_categorie_entreprise": "2023" if employer else None,
        "caractere_employeur": "O" if employer else "N",
        "date_creation": row.date_creation,
        "date_fermeture": None,
        "date_mise_a_jour": updated,
        "date_mise_a_jour_insee": updated,
        "date_mise_a_jour_rne": None if row.legal_form.startswith("9") else _stamp(rng, when, 600),
        "etat_administratif": "A",
        "nature_juridique": row.legal_form,
        "section_activite_principale": section(row.naf),
        "tranche_effectif_salarie": None if row.tranche_effectif == "NN" else row.tranche_effectif,
        "annee_tranche_effectif_salarie": None if row.tranche_effectif == "NN" else "2023",
        "statut_diffusion": "O",
        "matching_etablissements": matching,
        "complements": complements,
    }


def render(world: pd.DataFrame, *, seed: int, fetched_at: datetime) -> Rendered:
    """Pages of every query × département of the region (see the module docstring)."""
    rng = np.random.default_rng([seed, 1])
    region = world.attrs.get("region", "24")
    waste = world["naf"].isin(WASTE_NAF).to_numpy() & world["in_region"].to_numpy(dtype=bool)
    member = world["src_recherche_entreprises"].to_numpy(dtype=bool) | waste
    listed = world[member & world["siret"].notna().to_numpy()]
    listed = listed.iloc[rng.permutation(len(listed))]  # the API's order is neither by name nor by id
    results = {row.actor_id: _result(rng, row, fetched_at) for row in listed.itertuples(index=False)}
    queries = {
        "ess": listed["est_ess"].to_numpy(dtype=bool),
        "siae": listed["est_siae"].to_numpy(dtype=bool),
        "scop": listed["legal_form"].isin(SCOP_LEGAL_FORMS).to_numpy(),
        "dechets": listed["naf"].isin(WASTE_NAF).to_numpy() & listed["in_region"].to_numpy(dtype=bool),
    }
    out = Rendered(SOURCE, URL, LICENCE, ATTRIBUTION)
    seen: set[str] = set()
    departements = sorted(world.loc[world["region"] == region, "departement"].unique())
    ids = listed["actor_id"].to_numpy(dtype=object)
    deps = listed["departement"].to_numpy(dtype=object)
    for query in QUERIES:
        for dep in departements:
            members = ids[queries[query] & (deps == dep)]
            total = min(len(members), MAX_RESULTS)
            pages = math.ceil(total / PER_PAGE)
            for page in range(1, max(pages, 1) + 1):
                chunk = [results[a] for a in members[(page - 1) * PER_PAGE : min(page * PER_PAGE, total)]]
                payload = {
                    "results": chunk,
                    "total_results": total,
                    "page": page,
                    "per_page": PER_PAGE,
                    "total_pages": pages,
                }
                out.files.append((f"{query}-{dep}/page-{page:04d}.json", dumps(payload)))
                for result, actor_id in zip(chunk, members[(page - 1) * PER_PAGE :], strict=False):
                    for etab in result["matching_etablissements"]:
                        if etab["siret"] not in seen:
                            seen.add(etab["siret"])
                            out.keys.append((etab["siret"], actor_id))
    return out
