"""SINOE (ADEME) – annuaire des déchèteries, with the SINOE waste nomenclature.

* Service: data-fair ``lines`` API on ``data.ademe.fr`` (:mod:`connectors.datafair`):
  ``GET /data-fair/api/v1/datasets/sinoe-r-nomenclature-dechets/lines?size=1000`` (waste codes
  ``C_TYP_DECHET`` -> ``L_TYP_DECHET``), then
  ``GET /data-fair/api/v1/datasets/sinoe-(r)-annuaire-des-decheteries-dma/lines?size=1000
  &C_DEPT_in=18,28,…&sort=_i`` and its ``next`` cursor to the end. No authentication.
* The directory has one row per site (``C_SERVICE``) and survey year (``ANNEE``): every year is
  read and the **latest survey of each site** is kept. ``LST_TYPE_DECHET`` (``|``-separated SINOE
  codes) is reported empty in recent vintages [verify]: the latest non-empty list of the site's
  earlier surveys is used, else the streams every déchèterie accepts (mapping file).
* Licence: Licence Ouverte (data.ademe.fr) [verify per dataset]. Attribution « ADEME – SINOE ».

Written from the column list used by ADEME's own collector (quefairedemesobjets
``source_sinoe``), never checked live: [verify] the ``C_DEPT_in`` filter (rows of other
départements are dropped again client-side), the nomenclature column names (``L_TYP_DECHET`` or
the older ``LST_TYP_DECHET``), coordinates (``GPS_LAT``/``GPS_LONG`` WGS84, else ``_geopoint``;
``GPS_X``/``GPS_Y`` are Web Mercator and ignored). Codes and labels -> taxonomy codes:
``data/reference/mappings/sinoe.json`` (every site: collecte + tri; ``ORIGINE_DECHET_ACC`` ``DMA`` ->
particuliers, ``DAE`` -> professionnels, absent -> audiences not said).

Format sources: the columns above; data-fair's envelope and its own keys (``_i``, ``_id``,
``_rand``, ``_score``, a page without ``next`` ends the read) as recorded answers of other ADEME
datasets show them (``tests/fixtures/real/ademe_datafair``). No SINOE answer was recorded, so the
[verify] items stay; data-fair may type a code or phone column as a number, hence
:func:`_code` and :func:`connectors.normalize.french_phone`. No published schema was found.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from connectors import datafair, vocab
from connectors.base import (
    BaseConnector,
    SnapshotFile,
    parse_timestamp,
    point_or_none,
    record,
    records_frame,
    text_or_none,
    unique,
)
from connectors.normalize import french_phone
from mapping.reference import geography
from mapping.reference.text import fold

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

DECHETERIES = "sinoe-(r)-annuaire-des-decheteries-dma"
NOMENCLATURE = "sinoe-r-nomenclature-dechets"
#: Snapshot folder of each dataset.
FOLDERS = {DECHETERIES: "decheteries", NOMENCLATURE: "nomenclature"}
MAPPING = "sinoe"
PAGE_SIZE = 1000


class SinoeConnector(BaseConnector):
    """Connector of SINOE's déchèteries directory (data-fair ``lines``)."""

    NAME = "sinoe"
    TITLE = "SINOE (ADEME) – annuaire des déchèteries"
    LICENCE = "Licence Ouverte (data.ademe.fr)"
    ATTRIBUTION = "ADEME – SINOE, annuaire des déchèteries"
    DEFAULT_BASE_URL = "https://data.ademe.fr"
    HOMEPAGE = "https://www.sinoe.org"

    # ------------------------------------------------------------------ fetch

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """``<folder>/page-start.json`` or ``<folder>/page-after-<cursor>.json``, ``<folder>`` being
        ``decheteries`` or ``nomenclature``.

        Raises
        ------
        ValueError
            Not a ``lines`` request of one of the two datasets.
        """
        for dataset, folder in FOLDERS.items():
            if datafair.is_lines_request(url, dataset):
                return datafair.page_path(url, params, folder=folder)
        msg = f"requête étrangère à {self.NAME} : {url}"
        raise ValueError(msg)

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """The nomenclature, then every survey row of the region's déchèteries."""
        base = self.base_url()
        queries = (
            (NOMENCLATURE, {"size": str(PAGE_SIZE), "sort": "_i"}),
            (
                DECHETERIES,
                {"size": str(PAGE_SIZE), "C_DEPT_in": ",".join(geography.departements(region)), "sort": "_i"},
            ),
        )
        for dataset, params in queries:
            for page in datafair.pages(
                http,
                datafair.lines_url(base, dataset),
                params,
                source=self.NAME,
                base_url=base,
                folder=FOLDERS[dataset],
            ):
                yield SnapshotFile(page.path, page.content)

    # ------------------------------------------------------------------ parse

    def parse(self, files: Iterable[SnapshotFile], *, region: str | None = None) -> Iterator[dict]:
        """One raw dict per site: ``{"site": <latest survey row>, "waste": [(code, label)...],
        "waste_year": year of the list or None, "years": [survey years]}``."""
        ordered = [(f.path, f.content) for f in sorted(files, key=lambda f: f.path)]
        labels = nomenclature(datafair.rows(ordered, source=self.NAME, folder=FOLDERS[NOMENCLATURE]))
        departements = set(geography.departements(region))
        surveys: dict[str, list[dict]] = {}
        skipped = 0
        for row in datafair.rows(ordered, source=self.NAME, folder=FOLDERS[DECHETERIES]):
            site = _code(row.get("C_SERVICE"))
            dep = _code(row.get("C_DEPT"), width=2)
            if site is None or not text_or_none(row.get("N_SERVICE")) or (dep and dep not in departements):
                skipped += 1
                continue
            surveys.setdefault(site, []).append(row)
        for rows in surveys.values():
            rows.sort(key=lambda r: _year(r.get("ANNEE")))
            listed = [r for r in rows if split_codes(r.get("LST_TYPE_DECHET"))]
            codes = split_codes(listed[-1].get("LST_TYPE_DECHET")) if listed else []
            waste_year = _year(listed[-1].get("ANNEE")) if listed else None
            yield {
                "site": rows[-1],
                "waste": [(code, labels.get(code, "")) for code in codes],
                "waste_year": waste_year,
                "years": [_year(r.get("ANNEE")) for r in rows],
            }
        if skipped:
            logger.info("%s : %d ligne(s) ignorée(s) (sans identifiant, sans nom ou hors région)", self.NAME, skipped)

    # ------------------------------------------------------------------ normalize

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Sites -> records (``RECORD_COLUMNS``)."""
        unknown: Counter[str] = Counter()
        rows = [self._record(r, unknown) for r in raw]
        if unknown:
            logger.info(
                "%s : %d code(s) déchet sans correspondance : %s",
                self.NAME,
                len(unknown),
                ", ".join(f"{k} ({n})" for k, n in unknown.most_common(10)),
            )
        return records_frame(rows)

    def _record(self, raw: Mapping[str, Any], unknown: Counter[str]) -> dict[str, Any]:
        site: Mapping[str, Any] = raw["site"]
        codes = vocab.empty_codes()
        vocab.add_codes(codes, vocab.load(MAPPING).get("site"))
        for origin in split_codes(site.get("ORIGINE_DECHET_ACC")):  # DMA: households, DAE: professionals
            found = vocab.entry(MAPPING, "origine_dechet", origin)
            if found is None:
                unknown[f"ORIGINE_DECHET_ACC {origin}"] += 1
            vocab.add_codes(codes, found)
        wastes = [w for code, label in raw.get("waste") or [] for w in waste_types(code, label, unknown)]
        if not wastes:
            wastes = list(vocab.load(MAPPING).get("default_when_empty") or [])
        codes["waste_types"].extend(wastes)
        geometry = point_or_none(site.get("GPS_LONG"), site.get("GPS_LAT")) or _geopoint(site.get("_geopoint"))
        street = text_or_none(site.get("AD1_SITE"))
        extra = text_or_none(site.get("AD2_SITE"))
        return record(
            SinoeConnector.NAME,
            _code(site.get("C_SERVICE")),
            name=text_or_none(site.get("N_SERVICE")),
            address=f"{street}, {extra}" if street and extra else street or extra,
            postcode=_code(site.get("CP_SITE"), width=5),
            city=text_or_none(site.get("L_VILLE_SITE")),
            code_insee=_code(site.get("C_COMM"), width=5),
            departement=_code(site.get("C_DEPT"), width=2),
            geometry=geometry,
            **{column: unique(values) for column, values in codes.items()},
            phone=french_phone(site.get("TEL_SERVICE")),
            description=describe(site, raw),
            updated_at=_date(site.get("D_MODIF")),
        )


# --------------------------------------------------------------------------- pure helpers


def nomenclature(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``{C_TYP_DECHET: label}`` (``L_TYP_DECHET``, else the older ``LST_TYP_DECHET``)."""
    out: dict[str, str] = {}
    for row in rows:
        code = text_or_none(row.get("C_TYP_DECHET"))
        label = text_or_none(row.get("L_TYP_DECHET")) or text_or_none(row.get("LST_TYP_DECHET"))
        if code and label:
            out[code] = label
    return out


def split_codes(value: object) -> list[str]:
    """``"01.3|02.31 | 06"`` -> ``["01.3", "02.31", "06"]``."""
    return [part.strip() for part in str(value or "").split("|") if part.strip()]


@cache
def _label_keywords() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``label_keywords`` of the mapping, folded once: ``((folded keyword, waste types), ...)``."""
    table = vocab.load(MAPPING).get("label_keywords") or {}
    return tuple((fold(keyword), tuple((entry or {}).get("waste_types") or [])) for keyword, entry in table.items())


def waste_types(code: str, label: str, unknown: Counter[str] | None = None) -> list[str]:
    """Waste types of a SINOE code: the ``codes`` table first, else every keyword of its label."""
    direct = vocab.entry(MAPPING, "codes", code)
    if direct:
        return list(direct.get("waste_types") or [])
    folded = fold(label)
    found = [w for keyword, types in _label_keywords() if keyword in folded for w in types]
    if not found and unknown is not None:
        unknown[f"{code} {label}".strip()] += 1
    return unique(found)


def describe(site: Mapping[str, Any], raw: Mapping[str, Any]) -> str:
    """French description: public, operator, survey year, listed waste."""
    parts = ["Déchèterie"]
    origin = text_or_none(site.get("ORIGINE_DECHET_ACC"))
    if origin:
        parts.append(f"(déchets acceptés : {origin})")
    operator = text_or_none(site.get("N_ACTEUR"))
    if operator:
        parts.append(f"gérée par {operator}")
    text = " ".join(parts)
    year = _year(site.get("ANNEE"))
    if year:
        text += f" — enquête SINOE {year}"
    labels = [label for _, label in raw.get("waste") or [] if label]
    if labels:
        text += f" ; flux déclarés ({raw.get('waste_year')}) : {', '.join(labels)}"
    return text + "."


def _code(value: object, *, width: int = 0) -> str | None:
    """Identifier or code as text; integers (``1000``) zero-padded to ``width``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = text_or_none(value)
    if text is None:
        return None
    return text.zfill(width) if width and text.isdigit() else text


def _year(value: object) -> int:
    try:
        return int(str(value).strip()[:4])
    except (TypeError, ValueError):
        return 0


def _geopoint(value: object) -> Any:
    text = text_or_none(value)
    if text is None or "," not in text:
        return None
    lat, lon = text.split(",", 1)
    return point_or_none(lon, lat)


def _date(value: object) -> Any:
    text = text_or_none(value)
    return parse_timestamp(text) if text else None
