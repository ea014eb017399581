"""CARTECO (https://carteco-ess.org), the map of ESS actors of the ecological transition run by
ESS France with ADEME and ANCT on the GoGoCarto platform.

* Service: ``GET https://carteco-ess.org/api/elements.json?bounds=W,S,E,N`` (GoGoCarto API, one
  response, no paging, ``{"ontology": "gogofull", "data": [...]}``). An instance that protects
  its API answers plain text instead of JSON: reported as a :class:`SourceError`.
* Licence: Open Database License (ODbL) for the published fields (names, SIRET, status, public
  contacts, addresses, locations) – to be confirmed on the site's legal notice.
* Attribution: « CartEco – ESS France, ADEME, ANCT ».

Format sources: the GoGoCarto API code (``pixelhumain/GoGoCarto``, 2018) and the maintainers' own
``gogofull`` exports (``tests/fixtures/real/gogocarto``), which settle: no ``categories`` names
but numeric ``optionValues`` (read as unknown categories), phones that lost their leading 0
(``"967556221"``, restored by :func:`connectors.normalize.french_phone`), ``email: "hidden"``
(dropped), validated statuses other than 1 (4), dates only in the ``contributions`` history
(``"20/11/2017 à 11:43"``). No published schema and no recorded CARTECO answer were found:
CARTECO's custom fields (``statut_ess``, ``site_web``, ``description_activite``, ``siret``) and
``categories`` as names are [verify] against the live service.

Categories and ``statut_ess`` values are translated to taxonomy codes through
``data/reference/mappings/carteco.json``; unknown categories are ignored and counted in the log.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from connectors.base import (
    BaseConnector,
    SnapshotFile,
    SourceError,
    parse_timestamp,
    point_or_none,
    record,
    records_frame,
    text_or_none,
    unique,
)
from connectors.normalize import email_or_none, french_phone, insee_code
from mapping import settings
from mapping.http import parse_json
from mapping.reference import geography, schema
from mapping.reference.text import fold

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

MAPPING_PATH = settings.get().reference_dir / "mappings" / "carteco.json"
#: Code-list columns a category may feed.
MAPPED_COLUMNS = schema.CODE_LIST_COLUMNS
ELEMENTS_FILE = "elements.json"
_DMY_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")


class CartecoConnector(BaseConnector):
    """Connector of CARTECO (GoGoCarto ``elements.json``)."""

    NAME = "carteco"
    TITLE = "CartEco – carte des acteurs ESS de la transition écologique"
    LICENCE = "ODbL 1.0 (Open Database License)"
    ATTRIBUTION = "CartEco – ESS France, ADEME, ANCT (carteco-ess.org)"
    DEFAULT_BASE_URL = "https://carteco-ess.org"
    HOMEPAGE = "https://carteco-ess.org"

    # ------------------------------------------------------------------ fetch

    def elements_url(self) -> str:
        """URL of the elements endpoint."""
        return f"{self.base_url()}/api/elements.json"

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """``elements.json`` for the elements request.

        Raises
        ------
        ValueError
            Any other request.
        """
        if url.split("?", 1)[0].rstrip("/").endswith("/api/elements.json"):
            return ELEMENTS_FILE
        msg = f"requête étrangère à {self.NAME} : {url}"
        raise ValueError(msg)

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """One request for the bounding box of ``region``; the body must be JSON."""
        url = self.elements_url()
        params = {"bounds": bounds_param(geography.region_bbox(region))}
        response = http.get(url, params=params, source=self.NAME, headers={"Accept": "application/json"})
        parse_json(response.content, source=self.NAME, url=response.url or url)
        yield SnapshotFile(self.snapshot_path(url, params), response.content)

    # ------------------------------------------------------------------ parse

    def parse(self, files: Iterable[SnapshotFile]) -> Iterator[dict]:
        """Validated elements (``status`` >= 1 or absent) of ``elements.json``, first of each id."""
        seen: set[str] = set()
        skipped = 0
        for file in files:
            if file.path != ELEMENTS_FILE:
                continue
            payload = parse_json(file.content, source=self.NAME, url=file.path)
            elements = payload.get("data") if isinstance(payload, dict) else payload
            if not isinstance(elements, list):
                msg = f"réponse inattendue dans {file.path} (liste « data » absente)"
                raise SourceError(self.NAME, msg)
            for element in elements:
                if not isinstance(element, dict):  # gogocompact arrays are not requested
                    skipped += 1
                    continue
                ident = text_or_none(element.get("id"))
                if ident is None or ident in seen or not text_or_none(element.get("name")):
                    skipped += 1
                    continue
                if _status(element.get("status")) < 1:
                    skipped += 1
                    continue
                seen.add(ident)
                yield element
        if skipped:
            logger.info(
                "%s : %d élément(s) ignoré(s) (non validés, supprimés, sans nom ou en double)",
                self.NAME,
                skipped,
            )

    # ------------------------------------------------------------------ normalize

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Elements -> records (``RECORD_COLUMNS``)."""
        unknown: Counter[str] = Counter()
        rows = [self._record(element, unknown) for element in raw]
        if unknown:
            logger.info(
                "%s : %d catégorie(s) inconnue(s) ignorée(s) (%d occurrences) : %s",
                self.NAME,
                len(unknown),
                sum(unknown.values()),
                ", ".join(f"{k} ({n})" for k, n in unknown.most_common(10)),
            )
        return records_frame(rows)

    def _record(self, element: Mapping[str, Any], unknown: Counter[str]) -> dict[str, Any]:
        geo = element.get("geo") if isinstance(element.get("geo"), Mapping) else {}
        address = element.get("address")
        if not isinstance(address, Mapping):  # some exports give the address as one line
            address = {"customFormatedAddress": address} if isinstance(address, str) else {}
        geometry = point_or_none(geo.get("longitude"), geo.get("latitude"))
        codes = map_categories(category_names(element), unknown)
        for kind in statut_kinds(element.get("statut_ess")):
            codes["actor_kinds"].append(kind)
        siret = schema.clean_siret(_custom(element, "siret", "SIRET"))
        number = text_or_none(address.get("streetNumber"))
        street = text_or_none(address.get("streetAddress")) or ""
        if number and not re.match(rf"{re.escape(number)}\b", street):  # not typed twice
            street = f"{number} {street}".strip()
        return record(
            self.NAME,
            str(element["id"]).strip(),
            name=text_or_none(element.get("name")),
            siret=siret,
            address=street or text_or_none(address.get("customFormatedAddress")),
            postcode=insee_code(address.get("postalCode")),
            city=text_or_none(address.get("addressLocality")),
            geometry=geometry,
            **{col: unique(codes[col]) for col in MAPPED_COLUMNS},
            phone=french_phone(_custom(element, "telephone", "phone")),
            email=email_or_none(_custom(element, "email", "mail")),
            website=text_or_none(_custom(element, "site_web", "website")),
            description=text_or_none(_custom(element, "description_activite", "description", "descriptionMore")),
            updated_at=parse_date(element.get("updatedAt") or element.get("createdAt")) or _last_contribution(element),
        )


# --------------------------------------------------------------------------- pure helpers


def bounds_param(bbox: tuple[float, float, float, float]) -> str:
    """``W,S,E,N`` rounded outwards to 4 decimals (about 10 m), so that no edge is lost."""
    west, south, east, north = bbox
    values = (
        math.floor(west * 1e4) / 1e4,
        math.floor(south * 1e4) / 1e4,
        math.ceil(east * 1e4) / 1e4,
        math.ceil(north * 1e4) / 1e4,
    )
    return ",".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in values)


def _status(value: object) -> int:
    """GoGoCarto status as int (absent -> 1: the public API only lists published elements)."""
    if value is None or value == "":
        return 1
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _custom(element: Mapping[str, Any], *keys: str) -> Any:
    """First non-empty value among ``keys``, at top level or in ``data`` (custom fields)."""
    nested = element.get("data") if isinstance(element.get("data"), Mapping) else {}
    for key in keys:
        for holder in (element, nested):
            value = holder.get(key)
            if value not in (None, "", []):
                return value
    return None


def category_names(element: Mapping[str, Any]) -> list[str]:
    """Category labels of an element (``categories``: names, numeric ids kept as text, or
    objects with a ``name``; ``categoriesFull`` when ``categories`` is absent; else the numeric
    ``optionValues`` ids of GoGoCarto's own exports, kept as text so they are counted unknown)."""
    values = element.get("categories")
    if not values:
        values = element.get("categoriesFull") or []
    if not values:
        values = element.get("optionValues") or []
    if not isinstance(values, list):
        values = [values]
    names = []
    for value in values:
        if isinstance(value, Mapping):
            value = value.get("name") or value.get("id")
        text = text_or_none(value)
        if text is not None:
            names.append(text)
    return names


@cache
def load_mapping() -> dict[str, dict[str, dict[str, list[str]]]]:
    """``carteco.json`` with folded keys: ``{"categories": {key: {column: codes}},
    "statut_ess": {key: {column: codes}}}``."""
    try:
        data = json.loads(MAPPING_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"table de correspondance illisible : {MAPPING_PATH} ({exc})"
        raise SourceError(CartecoConnector.NAME, msg) from None
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for section in ("categories", "statut_ess"):
        out[section] = {
            fold(label): {col: list(entry.get(col, [])) for col in MAPPED_COLUMNS}
            for label, entry in (data.get(section) or {}).items()
        }
    return out


def map_categories(names: Iterable[str], unknown: Counter[str] | None = None) -> dict[str, list[str]]:
    """Taxonomy codes of category labels; labels missing from the mapping are counted."""
    table = load_mapping()["categories"]
    codes: dict[str, list[str]] = {col: [] for col in MAPPED_COLUMNS}
    for name in names:
        entry = table.get(fold(name))
        if entry is None:
            if unknown is not None:
                unknown[name] += 1
            continue
        for col in MAPPED_COLUMNS:
            codes[col].extend(entry[col])
    return codes


def statut_kinds(value: object) -> list[str]:
    """Actor kinds of a ``statut_ess`` value (a string or a list of strings)."""
    table = load_mapping()["statut_ess"]
    values = value if isinstance(value, list) else [value]
    kinds: list[str] = []
    for item in values:
        text = text_or_none(item)
        if text is not None:
            kinds.extend((table.get(fold(text)) or {}).get("actor_kinds", []))
    return kinds


def _last_contribution(element: Mapping[str, Any]) -> pd.Timestamp | None:
    """Latest ``updatedAt`` of the element's ``contributions`` (GoGoCarto exports with history
    carry the dates there, as ``"20/11/2017 à 11:43"``), None without any."""
    contributions = element.get("contributions")
    if not isinstance(contributions, list):
        return None
    dates = [parse_date(c.get("updatedAt") or c.get("createdAt")) for c in contributions if isinstance(c, Mapping)]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def parse_date(value: object) -> pd.Timestamp | None:
    """``updatedAt``: ISO 8601 (offset kept, naive = UTC) or ``dd/mm/YYYY`` -> UTC Timestamp."""
    text = text_or_none(value)
    if text is None:
        return None
    match = _DMY_RE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return pd.Timestamp(year=year, month=month, day=day, tz="UTC")
        except ValueError:
            return None
    return parse_timestamp(text)
