"""API Recherche d'entreprises (DINUM, Annuaire des Entreprises).

* Service: ``GET https://recherche-entreprises.api.gouv.fr/search`` (no authentication),
  documented at https://recherche-entreprises.api.gouv.fr/docs/ (OpenAPI copy in
  ``shared/reference/recherche-entreprises_open-api.yml``).
* Limits: 7 req/s per IP, 30 req/s per ASN, 429 + ``Retry-After``; ``per_page`` <= 25 and
  ``page * per_page`` <= 10 000, hence one query per département.
* Licence: data under Licence Ouverte 2.0 (Etalab), from INSEE SIRENE and partner registries.
* Format: the published OpenAPI (copy in ``tests/fixtures/real/schemas/``) and answers recorded
  from the live API (``tests/fixtures/real/recherche_entreprises``, Annuaire des Entreprises
  e2e fixtures). They settle: ``matching_etablissements`` items carry the one-line ``adresse``,
  ``commune``, coordinates… but no street parts nor ``departement`` (only ``siege`` has them),
  so the street comes from ``adresse`` (:func:`street_address`) and the département from the
  commune; ``nom_complet`` already holds the ``sigle`` (never added again,
  :func:`connectors.normalize.company_name`); results also carry ``finances``, ``dirigeants``,
  ``immatriculation``, ``admin`` or ``slug``, which are ignored.

Four queries (ESS, SIAE, SCOP legal forms and, AGIRE style, the waste NAF codes 38.xx, 39.00Z,
46.77Z) per département of the region, paged to the end; each page is kept byte for byte as
``<query>-<departement>/page-NNNN.json``. One record per matching establishment (SIRET) in the
region, carrying the unité légale fields. ``activite_principale`` filters the unité légale only
(DATASOURCES §16.8): the establishment's own NAF is used when it has one. Natures of waste of a
waste NAF code come from ``data/reference/mappings/naf_waste.json``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from connectors import vocab
from connectors.base import (
    BaseConnector,
    SnapshotFile,
    SourceError,
    parse_timestamp,
    point_or_none,
    query_params,
    record,
    records_frame,
    text_or_none,
    unique,
)
from connectors.normalize import company_name, street_from_line
from mapping.reference import geography, schema, taxonomy

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

#: Filter of each query, by query name (the snapshot folder prefix).
QUERIES: dict[str, dict[str, str]] = {
    "ess": {"est_ess": "true"},
    "siae": {"est_siae": "true"},
    "scop": {"nature_juridique": "5458,5558,5658"},
    # AGIRE-style waste providers: collection, treatment and recovery NAF codes (naf_waste.json)
    "dechets": {"activite_principale": "38.11Z,38.12Z,38.21Z,38.22Z,38.31Z,38.32Z,39.00Z,46.77Z"},
}
#: Parameters common to every query (besides region, departement and page).
COMMON_PARAMS: dict[str, str] = {
    "per_page": "25",
    "minimal": "true",
    "include": "siege,complements,matching_etablissements",
    "limite_matching_etablissements": "100",
    "etat_administratif": "A",
}
#: The API refuses ``page * per_page`` above this.
MAX_RESULTS = 10_000
#: ``complements`` flag -> label code.
LABEL_FLAGS: dict[str, str] = {
    "est_bio": "ab",
    "est_rge": "rge",
    "est_qualiopi": "qualiopi",
    "est_achats_responsables": "rfar",
    "est_societe_mission": "entreprise_mission",
}
#: ``complements.type_siae`` token (Marché de l'inclusion kinds) -> actor kind.
SIAE_KINDS: dict[str, str] = {
    "EI": "ei",
    "ACI": "aci",
    "AI": "ai",
    "ETTI": "etti",
    "EITI": "eiti",
    "GEIQ": "geiq",
    "EA": "ea",
    "EATT": "ea",
    "ESAT": "esat",
}
#: Kinds that are ESS by their legal status (no "esus" added for them).
ESS_BY_STATUS = frozenset({"association", "fondation", "mutuelle", "scop", "scic", "cae"})

_FILE_RE = re.compile(r"^(?P<query>[a-z]+)-(?P<dep>[0-9AB]{2,3})/page-(?P<page>\d{4,})\.json$")


class RechercheEntreprisesConnector(BaseConnector):
    """Connector of the API Recherche d'entreprises."""

    NAME = "recherche_entreprises"
    TITLE = "Annuaire des Entreprises (API Recherche d'entreprises)"
    LICENCE = "Licence Ouverte 2.0 (Etalab)"
    ATTRIBUTION = "Annuaire des Entreprises – DINUM, d'après la base SIRENE de l'INSEE et les registres partenaires"
    DEFAULT_BASE_URL = "https://recherche-entreprises.api.gouv.fr"
    HOMEPAGE = "https://annuaire-entreprises.data.gouv.fr"
    #: Requests per second (429 seen at 5 req/s in the field).
    PER_PAGE = 25

    def __init__(self) -> None:
        self.max_pages = MAX_RESULTS // self.PER_PAGE

    # ------------------------------------------------------------------ fetch

    def search_url(self) -> str:
        """URL of the search endpoint."""
        return f"{self.base_url()}/search"

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """``<query>-<departement>/page-NNNN.json`` for a search request.

        Raises
        ------
        ValueError
            Not a search request of one of :data:`QUERIES`.
        """
        if not url.split("?", 1)[0].rstrip("/").endswith("/search"):
            msg = f"requête étrangère à {self.NAME} : {url}"
            raise ValueError(msg)
        values = query_params(url, params)
        query = next((name for name, filt in QUERIES.items() if all(values.get(k) == v for k, v in filt.items())), None)
        dep = values.get("departement", "")
        page = values.get("page", "1")
        if query is None or not dep or "," in dep or not page.isdigit():
            msg = f"requête {self.NAME} inattendue (requête, département ou page manquant) : {url}"
            raise ValueError(msg)
        return f"{query}-{dep}/page-{int(page):04d}.json"

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """Every page of every query in every département of ``region``."""
        url = self.search_url()
        for query, filt in QUERIES.items():
            for dep in geography.departements(region):
                base = {**filt, "region": region, "departement": dep, **COMMON_PARAMS}
                yield from self._pages(http, url, base, label=f"{query}-{dep}")

    def _pages(self, http: HttpClient, url: str, base: dict[str, str], *, label: str) -> Iterator[SnapshotFile]:
        """Page one query until ``page >= total_pages`` or an empty page."""
        page = 1
        while True:
            if page > self.max_pages:
                logger.warning(
                    "%s : résultats tronqués pour %s, plafond de %d résultats de l'API atteint",
                    self.NAME,
                    label,
                    MAX_RESULTS,
                )
                return
            params = {**base, "page": str(page)}
            content = http.get_bytes(url, params=params, source=self.NAME, headers={"Accept": "application/json"})
            yield SnapshotFile(self.snapshot_path(url, params), content)
            payload = _load(content, f"{label}/page-{page:04d}.json")
            total_pages = _int(payload.get("total_pages"))
            if not payload.get("results") or page >= total_pages:
                return
            page += 1

    # ------------------------------------------------------------------ parse

    def parse(self, files: Iterable[SnapshotFile], *, region: str | None = None) -> Iterator[dict]:
        """One raw dict per open, diffusible establishment located in the region.

        Each raw dict is ``{"etablissement": {...}, "unite_legale": {...}, "queries": [...]}``.
        The matching establishments are used, the siège when none lies in the region. A SIRET met
        in several queries/pages is yielded once (first occurrence, queries merged).
        """
        departements = set(geography.departements(region))
        seen: dict[str, dict] = {}
        for file in sorted(files, key=lambda f: f.path):
            match = _FILE_RE.match(file.path)
            if not match:
                continue
            payload = _load(file.content, file.path)
            for result in payload.get("results") or []:
                unite = {k: v for k, v in result.items() if k not in ("siege", "matching_etablissements")}
                for etab in _establishments(result, departements):
                    siret = text_or_none(etab.get("siret"))
                    if siret is None:
                        continue
                    if siret in seen:
                        seen[siret]["queries"] = unique([*seen[siret]["queries"], match["query"]])
                        continue
                    seen[siret] = {"etablissement": etab, "unite_legale": unite, "queries": [match["query"]]}
        yield from seen.values()

    # ------------------------------------------------------------------ normalize

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Raw dicts from :meth:`parse` -> records (``RECORD_COLUMNS``)."""
        return records_frame([self._record(r) for r in raw])

    def _record(self, raw: dict) -> dict[str, Any]:
        etab: dict = raw.get("etablissement") or {}
        unite: dict = raw.get("unite_legale") or {}
        complements: dict = unite.get("complements") or {}
        siret = schema.clean_siret(etab.get("siret"))
        siren = siret[:9] if siret else text_or_none(unite.get("siren"))
        geometry = point_or_none(etab.get("longitude"), etab.get("latitude"))
        naf = text_or_none(etab.get("activite_principale")) or text_or_none(unite.get("activite_principale"))
        legal_form = text_or_none(unite.get("nature_juridique"))
        return record(
            self.NAME,
            str(etab["siret"]).strip(),
            name=company_name(unite.get("nom_complet"), unite.get("nom_raison_sociale")),
            siret=siret,
            siren=siren if schema.is_valid_siren(siren) else None,
            address=street_address(etab),
            postcode=text_or_none(etab.get("code_postal")),
            city=text_or_none(etab.get("libelle_commune")),
            code_insee=text_or_none(etab.get("commune")),
            departement=_departement(etab),
            epci=text_or_none(etab.get("epci")),
            geometry=geometry,
            actor_kinds=actor_kinds(legal_form, complements),
            purchase_families=taxonomy.families_for_naf(naf) if naf else [],
            waste_types=waste_types_for_naf(naf),
            circular_actions=circular_actions_for_naf(naf),
            labels=[code for flag, code in LABEL_FLAGS.items() if complements.get(flag) is True],
            naf=naf,
            legal_form=legal_form,
            updated_at=_timestamp(unite.get("date_mise_a_jour")),
        )


# --------------------------------------------------------------------------- pure helpers


def actor_kinds(legal_form: str | None, complements: Mapping[str, Any]) -> list[str]:
    """Kinds from the legal form, ``type_siae`` ("ACI, EI" -> aci, ei), the association flag and
    the ESS flag (ESS with a non-ESS-by-status legal form -> ``esus``)."""
    kinds = list(_legal_form_kinds(legal_form)) if legal_form else []
    for token in re.split(r"[,;/]", str(complements.get("type_siae") or "")):
        kind = SIAE_KINDS.get(token.strip().upper())
        if kind:
            kinds.append(kind)
    if complements.get("est_association") is True:
        kinds.append("association")
    if complements.get("est_ess") is True and not ESS_BY_STATUS.intersection(kinds):
        kinds.append("esus")
    known = _known_kinds()
    return [k for k in unique(kinds) if k in known]


@cache
def _known_kinds() -> frozenset[str]:
    return frozenset(taxonomy.codes("actor_kinds"))


@lru_cache(maxsize=1024)
def _legal_form_kinds(legal_form: str) -> tuple[str, ...]:
    """:func:`mapping.reference.taxonomy.kinds_for_legal_form` once per distinct code (it copies its rule)."""
    return tuple(taxonomy.kinds_for_legal_form(legal_form))


def waste_types_for_naf(naf: str | None) -> list[str]:
    """Natures of waste of a waste-management NAF code (``naf_waste.json``), ``[]`` otherwise."""
    if not naf:
        return []
    found = vocab.entry("naf_waste", "naf", naf)
    return list((found or {}).get("waste_types") or [])


def circular_actions_for_naf(naf: str | None) -> list[str]:
    """What a NAF code says the company does with waste or objects (``naf_waste.json``: its ``naf`` section
    for waste management, ``circular_naf`` for repair, second-hand retail and rental), ``[]`` otherwise."""
    if not naf:
        return []
    found = [*((vocab.entry("naf_waste", "naf", naf) or {}).get("circular_actions") or [])]
    found += (vocab.entry("naf_waste", "circular_naf", naf) or {}).get("circular_actions") or []
    return unique(found)


def street_address(etab: Mapping[str, Any]) -> str | None:
    """Street part of an establishment's address: number, repetition index, street type and name
    when the establishment carries them (the ``siege``; its ``complement_adresse`` is left out,
    as the street is what geocoding and matching need); else the one-line ``adresse`` cut before
    the postcode, a complement written before a numbered street moved after it
    (``matching_etablissements`` only carry that line, where the complement cannot be told
    apart otherwise)."""
    number = "".join(
        p for p in (text_or_none(etab.get("numero_voie")), text_or_none(etab.get("indice_repetition"))) if p
    )
    parts = [number, text_or_none(etab.get("type_voie")), text_or_none(etab.get("libelle_voie"))]
    if text_or_none(etab.get("libelle_voie")):
        return " ".join(p for p in parts if p)
    return street_from_line(etab.get("adresse"), text_or_none(etab.get("code_postal")), etab.get("libelle_commune"))


def _establishments(result: Mapping[str, Any], departements: set[str]) -> list[dict]:
    """Open, diffusible establishments of a result located in ``departements``; the siège when
    no matching establishment qualifies."""

    def in_region(etab: Mapping[str, Any]) -> bool:
        return _departement(etab) in departements

    def shown(etab: Mapping[str, Any]) -> bool:
        if etab.get("etat_administratif") == "F":
            return False
        status = etab.get("statut_diffusion_etablissement", result.get("statut_diffusion"))
        return status is None or status == "O"

    siege = result.get("siege") if isinstance(result.get("siege"), dict) else None
    matching = [_with_siege(e, siege) for e in result.get("matching_etablissements") or [] if isinstance(e, dict)]
    chosen = [e for e in matching if in_region(e) and shown(e)]
    no_match = not chosen and not any(in_region(e) for e in matching)
    if no_match and siege is not None and in_region(siege) and shown(siege):
        chosen = [siege]
    return chosen


def _with_siege(etab: dict, siege: Mapping[str, Any] | None) -> dict:
    """A matching establishment completed by the ``siege`` fields it lacks when it is the siège
    (same SIRET): the real API sends the street parts, ``departement``… in ``siege`` only."""
    if siege is None or text_or_none(siege.get("siret")) != text_or_none(etab.get("siret")):
        return etab
    return {**{k: v for k, v in siege.items() if k not in etab}, **etab}


def _departement(etab: Mapping[str, Any]) -> str | None:
    dep = text_or_none(etab.get("departement"))
    if dep:
        return dep
    commune = text_or_none(etab.get("commune")) or text_or_none(etab.get("code_postal"))
    if not commune:
        return None
    return commune[:3] if commune.startswith("97") else commune[:2]


def _load(content: bytes, path: str) -> dict:
    try:
        payload = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        msg = f"réponse illisible (JSON attendu) dans {path}"
        raise SourceError(RechercheEntreprisesConnector.NAME, msg) from None
    if not isinstance(payload, dict):
        msg = f"réponse inattendue dans {path} (objet JSON attendu)"
        raise SourceError(RechercheEntreprisesConnector.NAME, msg)
    return payload


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _timestamp(value: object) -> pd.Timestamp | None:
    """``date_mise_a_jour`` (ISO date or date-time, naive = UTC) -> UTC Timestamp or None."""
    text = text_or_none(value)
    if text is None:
        return None
    return parse_timestamp(text)
