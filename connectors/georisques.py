"""Géorisques – installations classées (ICPE) that collect, sort, store or treat waste.

* Service: ``GET https://www.georisques.gouv.fr/api/v1/installations_classees?departement=<dép>
  &page=<n>&page_size=100`` (API v1, no key), one query per département of the region paged to
  ``total_pages``. The documented pattern is one query per commune (``code_insee``), about 1 750
  requests for the region; the ``departement`` filter is [verify]: when the service ignores it,
  the answers hold other départements, which :meth:`GeorisquesConnector.parse` drops.
* Response: item keys as in the ``InstallationClassee`` model of the published v1 OpenAPI (read
  through a swagger-codegen client generated from it; schema in ``tests/fixtures/real/schemas/``,
  which the demo pages follow); the envelope keys are from public clients [verify]. No live
  answer was recorded. The model says ``codeNaf`` holds the « deux premiers caractères du code
  NAF » (the division, ``"38"``): its families are those of the whole division, and a full code,
  when one is sent, is read as such. ``{"results": <total>, "page", "total_pages",
  "next", "previous", "data": [{"codeAIOT", "raisonSociale", "siret", "adresse1..3", "codePostal",
  "codeInsee", "commune", "codeNaf", "longitude", "latitude", "regime", "statutSeveso",
  "etatActivite", "rubriques": [{"numeroRubrique", "alinea", "nature", "regimeAutoriseAlinea",
  "quantiteTotale", "unite"}], "date_maj", ...}]}``. The ``rubrique`` filter is reported ignored,
  so every installation is read and the waste ones (``data/reference/mappings/georisques.json``:
  27xx, 2515/2517, 35xx) are kept client-side, **with their rubriques** in the description.
* A read is complete when the installations received reach ``results``; fewer is an error.
* Limits: about 1 000 requests/minute/IP; we run at 4 requests/second.
* Licence: Licence Ouverte 2.0 (Etalab). Attribution « Géorisques – ministère de la Transition
  écologique ».
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd

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
from mapping.http import parse_json
from mapping.reference import geography, schema, taxonomy
from mapping.reference.text import fold

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

MAPPING = "georisques"
PAGE_SIZE = 100
#: Safety stop per département (100 000 installations).
MAX_PAGES = 1_000
_FILE_RE = re.compile(r"^dep-(?P<dep>[0-9AB]{2,3})/page-(?P<page>\d{4,})\.json$")
_NAF_RE = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")


class GeorisquesConnector(BaseConnector):
    """Connector of Géorisques' installations classées (API v1)."""

    NAME = "georisques"
    TITLE = "Géorisques – installations classées de gestion des déchets (ICPE)"
    LICENCE = "Licence Ouverte 2.0 (Etalab)"
    ATTRIBUTION = "Géorisques – ministère de la Transition écologique"
    DEFAULT_BASE_URL = "https://www.georisques.gouv.fr"
    HOMEPAGE = "https://www.georisques.gouv.fr"

    # ------------------------------------------------------------------ fetch

    def installations_url(self) -> str:
        """URL of the installations endpoint."""
        return f"{self.base_url()}/api/v1/installations_classees"

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """``dep-<departement>/page-NNNN.json``.

        Raises
        ------
        ValueError
            Not an installations request with one département and a page.
        """
        if not url.split("?", 1)[0].rstrip("/").endswith("/api/v1/installations_classees"):
            msg = f"requête étrangère à {self.NAME} : {url}"
            raise ValueError(msg)
        values = query_params(url, params)
        dep, page = values.get("departement", ""), values.get("page", "1")
        if not dep or "," in dep or not page.isdigit():
            msg = f"requête {self.NAME} inattendue (département ou page manquant) : {url}"
            raise ValueError(msg)
        return f"dep-{dep}/page-{int(page):04d}.json"

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """Every page of every département of ``region``."""
        for dep in geography.departements(region):
            yield from self._pages(http, dep)

    def _pages(self, http: HttpClient, dep: str) -> Iterator[SnapshotFile]:
        url = self.installations_url()
        received, total = 0, None
        for page in range(1, MAX_PAGES + 1):
            params = {"departement": dep, "page": str(page), "page_size": str(PAGE_SIZE)}
            response = http.get(url, params=params, source=self.NAME, headers={"Accept": "application/json"})
            path = self.snapshot_path(url, params)
            payload = _load(response.content, path)
            if total is None:
                total = _int(payload.get("results"))
            received += len(payload["data"])
            yield SnapshotFile(path, response.content)
            if _last_page(payload, page, received, total):
                break
        else:
            msg = f"plus de {MAX_PAGES} pages pour le département {dep} : lecture interrompue"
            raise SourceError(self.NAME, msg)
        if total is not None and received < total:
            msg = f"lecture incomplète (département {dep}) : {received} installations reçues sur {total} annoncées"
            raise SourceError(self.NAME, msg)

    # ------------------------------------------------------------------ parse

    def parse(self, files: Iterable[SnapshotFile], *, region: str | None = None) -> Iterator[dict]:
        """Operating waste installations of the region, first of each ``codeAIOT``."""
        departements = set(geography.departements(region))
        inactive = [fold(s) for s in vocab.load(MAPPING).get("inactive_states") or []]
        seen: set[str] = set()
        counts = {"hors déchets": 0, "à l'arrêt": 0, "hors région": 0, "sans identifiant": 0}
        for file in sorted(files, key=lambda f: f.path):
            if not _FILE_RE.match(file.path):
                continue
            for item in _load(file.content, file.path)["data"]:
                if not isinstance(item, dict):
                    continue
                ident = text_or_none(item.get("codeAIOT"))
                if ident is None or ident in seen or not text_or_none(item.get("raisonSociale")):
                    counts["sans identifiant"] += 1
                    continue
                insee = text_or_none(item.get("codeInsee")) or ""
                if insee and insee[:2] not in departements:
                    counts["hors région"] += 1
                    continue
                if any(s in fold(str(item.get("etatActivite") or "")) for s in inactive):
                    counts["à l'arrêt"] += 1
                    continue
                if not waste_rubriques(item.get("rubriques")):
                    counts["hors déchets"] += 1
                    continue
                seen.add(ident)
                yield item
        skipped = {k: v for k, v in counts.items() if v}
        if skipped:
            logger.info(
                "%s : installations écartées : %s", self.NAME, ", ".join(f"{k} {v}" for k, v in skipped.items())
            )

    # ------------------------------------------------------------------ normalize

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Installations -> records (``RECORD_COLUMNS``)."""
        return records_frame([self._record(item) for item in raw])

    def _record(self, item: Mapping[str, Any]) -> dict[str, Any]:
        kept = waste_rubriques(item.get("rubriques"))
        codes = vocab.empty_codes()
        vocab.add_codes(codes, vocab.load(MAPPING).get("installation"))
        for _, found in kept:
            vocab.add_codes(codes, found)
        naf = normalize_naf(item.get("codeNaf"))
        if naf:
            codes["purchase_families"].extend(taxonomy.families_for_naf(naf))
        else:  # the published model sends the NAF division only (« deux premiers caractères »)
            codes["purchase_families"].extend(families_for_division(item.get("codeNaf")))
        siret = schema.clean_siret(item.get("siret"))
        geometry = point_or_none(item.get("longitude"), item.get("latitude"))
        street = ", ".join(p for p in (text_or_none(item.get(f"adresse{i}")) for i in (1, 2, 3)) if p)
        insee = text_or_none(item.get("codeInsee"))
        return record(
            self.NAME,
            str(item["codeAIOT"]).strip(),
            name=text_or_none(item.get("raisonSociale")),
            siret=siret,
            address=street or None,
            postcode=text_or_none(item.get("codePostal")),
            city=text_or_none(item.get("commune")),
            code_insee=insee,
            departement=insee[:2] if insee and len(insee) == 5 else None,
            geometry=geometry,
            **{column: unique(values) for column, values in codes.items()},
            naf=naf,
            description=describe(item, kept),
            updated_at=_date(item.get("date_maj")),
        )


# --------------------------------------------------------------------------- pure helpers


def rubrique_key(rubrique: Mapping[str, Any]) -> tuple[str, str]:
    """``(numero, alinea)`` of a rubrique object, as text (``("2760", "3")``)."""
    number = text_or_none(rubrique.get("numeroRubrique") or rubrique.get("numero_rubrique")) or ""
    alinea = text_or_none(rubrique.get("alinea")) or ""
    return number.split(".")[0].split("-")[0].strip(), alinea.strip()


def waste_rubriques(rubriques: object) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """``(rubrique, mapping entry)`` for each waste rubrique of an installation."""
    if not isinstance(rubriques, list):
        return []
    kept = []
    for rubrique in rubriques:
        if not isinstance(rubrique, Mapping):
            continue
        number, alinea = rubrique_key(rubrique)
        found = None
        if alinea:
            found = vocab.entry(MAPPING, "rubriques", f"{number}-{alinea}")
        found = found or vocab.entry(MAPPING, "rubriques", number)
        if found is not None:
            kept.append((rubrique, found))
    return kept


def describe(item: Mapping[str, Any], kept: list[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> str:
    """French description with the regime and every waste rubrique kept (« 2791 (E) traitement… »)."""
    parts = []
    for rubrique, found in kept:
        number, alinea = rubrique_key(rubrique)
        code = f"{number}-{alinea}" if alinea else number
        regime = text_or_none(rubrique.get("regimeAutoriseAlinea"))
        label = found.get("label") or ""
        parts.append(f"{code}{f' ({regime})' if regime else ''} {label}".strip())
    regime = text_or_none(item.get("regime"))
    head = "Installation classée pour la protection de l'environnement"
    if regime:
        head += f" (régime : {regime})"
    return f"{head} — rubriques déchets : {' ; '.join(unique(parts))}."


def normalize_naf(value: object) -> str | None:
    """``"3821Z"``/``"38.21Z"`` -> ``"38.21Z"``; None when not a NAF code."""
    text = re.sub(r"\s", "", str(value or "")).upper()
    match = _NAF_RE.match(text)
    return f"{match[1]}.{match[2]}{match[3]}" if match else None


@lru_cache(maxsize=128)
def _division_families(division: str) -> tuple[str, ...]:
    per_group = [taxonomy.families_for_naf(f"{division}.{group:02d}") for group in range(100)]
    mapped = [set(families) for families in per_group if families]
    if not mapped:
        return ()
    shared = set.intersection(*mapped)
    return tuple(f for f in unique(f for families in per_group for f in families) if f in shared)


def families_for_division(value: object) -> list[str]:
    """Purchase families shared by every mapped NAF group of a two-digit division (``"38"`` ->
    ``dechets``; a mixed division such as 46, wholesale, gives none), ``[]`` otherwise."""
    text = re.sub(r"\s", "", str(value or ""))
    return list(_division_families(text)) if re.fullmatch(r"\d{2}", text) else []


def _load(content: bytes, path: str) -> dict:
    payload = parse_json(content, source=GeorisquesConnector.NAME, url=path)
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        msg = f"réponse inattendue dans {path} (objet JSON avec une liste « data » attendu)"
        raise SourceError(GeorisquesConnector.NAME, msg)
    return payload


def _last_page(payload: Mapping[str, Any], page: int, received: int, total: int | None) -> bool:
    """End of a département: empty page, ``page >= total_pages``, or (``total_pages`` absent) a
    short page or every announced installation received."""
    data = payload["data"]
    if not data:
        return True
    total_pages = _int(payload.get("total_pages"))
    if total_pages:
        return page >= total_pages
    return len(data) < PAGE_SIZE or bool(total and received >= total)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _date(value: object) -> Any:
    text = text_or_none(value)
    return parse_timestamp(text) if text else None
