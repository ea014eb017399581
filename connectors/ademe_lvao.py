"""ADEME « Longue vie aux objets / Que faire de mes objets et déchets » – circular-economy actors.

* Service: data-fair ``lines`` API of the open dataset
  ``longue-vie-aux-objets-acteurs-de-leconomie-circulaire`` (id ``wvw1zecq4f4gyvonve5j0hr7``):
  ``GET https://data.ademe.fr/data-fair/api/v1/datasets/wvw1zecq4f4gyvonve5j0hr7/lines?size=1000
  &bbox=W,S,E,N&select=…&sort=_i&type_dacteur_nin=…``, then the ``next`` URL (cursor ``after``)
  to the end (:mod:`connectors.datafair`). No authentication; data-fair's default anonymous
  limit is 600 requests/minute, we run at 5 requests/second.
* Licence: Licence Ouverte with **mandatory attribution**: each row's ``paternite``
  (« Que faire de mes objets et déchets|ADEME|<contributeur>… ») must be shown. The manifest's
  attribution names every contributor found in the snapshot (:func:`attribution`), the app's
  footer shows it.
* The dataset re-publishes CARTECO, SINOE déchèteries, eco-organismes, CMA Répar'acteurs…: rows
  whose ``paternite`` names CartEco are kept, the deduplication merges them with CARTECO's.

Written against the open-data column schema (quefairedemesobjets, ``exposure-opendata-acteur``),
never checked live, hence defensive: [verify] the ``_nin`` filter (rows of excluded types are
dropped again client-side), the cursor syntax and ``select`` keeping ``_geopoint``. The
publisher's documentation settles that both the action columns (``|``-separated codes) and
``propositions_de_services`` (a JSON string) carry the sous-catégories (both read, merged), that
``paternite`` starts with « Longue Vie Aux Objets|ADEME| » (older exports: « Que faire de mes
objets et déchets|ADEME| ») and that ``telephone`` is blank for mobiles and CARTECO rows.

Format sources: that column schema (written as a JSON Schema in ``tests/fixtures/real/schemas/``,
which the demo pages follow); data-fair's envelope and its own keys (``_i``, ``_id``, ``_rand``,
``_score``, mojibake column names served as is, no ``next`` on a single page) as recorded answers
of other ADEME datasets show them (``tests/fixtures/real/ademe_datafair``). No answer of this
dataset was recorded: codes and phones typed as numbers by data-fair are read back as text
(:mod:`connectors.normalize`).

Vocabulary (sous-catégories via ``waste_types.json``'s ``ademe`` lists, actions -> ``circular_actions``,
types d'acteur, types de service, labels, ``public_accueilli`` -> ``audiences``) -> taxonomy codes:
``data/reference/mappings/ademe_lvao.json``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
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
from connectors.carteco import bounds_param
from connectors.normalize import french_phone, insee_code
from mapping.reference import geography, schema, taxonomy

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

DATASET = "wvw1zecq4f4gyvonve5j0hr7"
MAPPING = "ademe_lvao"
PAGE_SIZE = 1000
#: One column per action, ``|``-separated sous-catégorie codes.
ACTIONS = ("emprunter", "preter", "louer", "mettreenlocation", "reparer", "donner", "trier", "echanger", "revendre")
ACTIONS_ALL = (*ACTIONS, "acheter")
#: Columns requested (``select``): what the normaliser reads, plus the attribution.
SELECT = (
    "identifiant",
    "paternite",
    "nom",
    "nom_commercial",
    "siren",
    "siret",
    "description",
    "type_dacteur",
    "site_web",
    "telephone",
    "adresse",
    "complement_dadresse",
    "code_postal",
    "ville",
    "code_commune",
    "code_epci",
    "latitude",
    "longitude",
    "qualites_et_labels",
    "public_accueilli",
    "type_de_services",
    "propositions_de_services",
    *ACTIONS_ALL,
    "date_de_derniere_modification",
)
#: Parts of ``paternite`` that name the publisher, not a contributor.
PUBLISHER_PARTS = frozenset(
    {
        "que faire de mes objets et déchets",
        "que faire de mes objets et dechets",
        "longue vie aux objets",  # the export's first name (publisher's docs: "Longue Vie Aux Objets|ADEME|…")
        "ademe",
    }
)


class AdemeLvaoConnector(BaseConnector):
    """Connector of ADEME's « Longue vie aux objets » actors (data-fair ``lines``)."""

    NAME = "ademe_lvao"
    TITLE = "ADEME – Longue vie aux objets (acteurs du réemploi, de la réparation et du tri)"
    LICENCE = "Licence Ouverte (paternité obligatoire)"
    ATTRIBUTION = "ADEME – Que faire de mes objets et déchets (Longue vie aux objets)"
    DEFAULT_BASE_URL = "https://data.ademe.fr"
    HOMEPAGE = "https://data.ademe.fr/datasets/longue-vie-aux-objets-acteurs-de-leconomie-circulaire"

    # ------------------------------------------------------------------ fetch

    def lines_url(self) -> str:
        """URL of the dataset's ``lines`` endpoint."""
        return datafair.lines_url(self.base_url(), DATASET)

    def params(self, region: str) -> dict[str, str]:
        """Parameters of the first request for ``region`` (bounding box, columns, cursor sort)."""
        excluded = vocab.load(MAPPING).get("excluded_types") or []
        params = {
            "size": str(PAGE_SIZE),
            "bbox": bounds_param(geography.region_bbox(region)),
            "select": ",".join(SELECT),
            "sort": "_i",
        }
        if excluded:
            params["type_dacteur_nin"] = ",".join(excluded)
        return params

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """``lines/page-start.json`` or ``lines/page-after-<cursor>.json``.

        Raises
        ------
        ValueError
            Not a ``lines`` request of the dataset.
        """
        if not datafair.is_lines_request(url, DATASET):
            msg = f"requête étrangère à {self.NAME} : {url}"
            raise ValueError(msg)
        return datafair.page_path(url, params)

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """Every page of the region's bounding box, cursor to the end."""
        for page in datafair.pages(
            http, self.lines_url(), self.params(region), source=self.NAME, base_url=self.base_url()
        ):
            yield SnapshotFile(page.path, page.content)

    # ------------------------------------------------------------------ parse

    def parse(self, files: Iterable[SnapshotFile]) -> Iterator[dict]:
        """Rows with an ``identifiant`` and a name, first of each ``identifiant``, excluded types
        (collection bins, online-only actors) dropped."""
        excluded = set(vocab.load(MAPPING).get("excluded_types") or [])
        seen: set[str] = set()
        skipped = 0
        ordered = sorted(files, key=lambda f: f.path)
        for row in datafair.rows([(f.path, f.content) for f in ordered], source=self.NAME):
            ident = text_or_none(row.get("identifiant"))
            if ident is None or ident in seen or not text_or_none(row.get("nom")):
                skipped += 1
                continue
            if str(row.get("type_dacteur") or "").strip() in excluded:
                skipped += 1
                continue
            seen.add(ident)
            yield row
        if skipped:
            logger.info("%s : %d ligne(s) ignorée(s) (sans identifiant ni nom, en double, exclue)", self.NAME, skipped)

    def attribution(self, files: Iterable[SnapshotFile]) -> str:
        """The attribution to show for a snapshot: ADEME and every contributor of ``paternite``."""
        return attribution(row.get("paternite") for row in self.parse(files))

    # ------------------------------------------------------------------ normalize

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Rows -> records (``RECORD_COLUMNS``); unknown vocabulary is counted in the log."""
        unknown: Counter[str] = Counter()
        rows = [self._record(row, unknown) for row in raw]
        if unknown:
            logger.info(
                "%s : %d valeur(s) hors table de correspondance : %s",
                self.NAME,
                len(unknown),
                ", ".join(f"{k} ({n})" for k, n in unknown.most_common(10)),
            )
        return records_frame(rows)

    def _record(self, row: Mapping[str, Any], unknown: Counter[str]) -> dict[str, Any]:
        codes = vocabulary_codes(row, unknown)
        siret = schema.clean_siret(row.get("siret"))
        geometry = point_or_none(row.get("longitude"), row.get("latitude")) or _geopoint(row.get("_geopoint"))
        code_insee = insee_code(row.get("code_commune"))
        address = text_or_none(row.get("adresse"))
        extra = text_or_none(row.get("complement_dadresse"))
        return record(
            self.NAME,
            str(row["identifiant"]).strip(),
            name=text_or_none(row.get("nom")),
            siret=siret,
            siren=siret[:9] if siret else _siren(row.get("siren")),
            address=f"{address}, {extra}" if address and extra else address or extra,
            postcode=insee_code(row.get("code_postal")),
            city=text_or_none(row.get("ville")),
            code_insee=code_insee,
            departement=_departement(code_insee),
            epci=text_or_none(row.get("code_epci")),
            geometry=geometry,
            **{column: unique(values) for column, values in codes.items()},
            phone=french_phone(row.get("telephone")),
            website=text_or_none(row.get("site_web")),
            description=text_or_none(row.get("description")),
            updated_at=parse_timestamp(text_or_none(row.get("date_de_derniere_modification")) or ""),
        )


# --------------------------------------------------------------------------- pure helpers


def split_codes(value: object) -> list[str]:
    """``"a|b | c"`` -> ``["a", "b", "c"]`` (lists accepted as they are)."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split("|") if part.strip()]


def actions_of(row: Mapping[str, Any]) -> dict[str, list[str]]:
    """``{action: [sous-catégories]}`` from the action columns and ``propositions_de_services``."""
    found: dict[str, list[str]] = {}
    for action in ACTIONS_ALL:
        values = split_codes(row.get(action))
        if values:
            found[action] = values
    for proposition in datafair.json_list(row.get("propositions_de_services")):
        if not isinstance(proposition, Mapping):
            continue
        action = text_or_none(proposition.get("action"))
        if action:
            found[action] = unique([*found.get(action, []), *split_codes(proposition.get("sous_categories"))])
    return found


def vocabulary_codes(row: Mapping[str, Any], unknown: Counter[str] | None = None) -> dict[str, list[str]]:
    """Taxonomy codes of a row: type d'acteur, services, labels, public received (``public_accueilli`` ->
    ``audiences``), actions (-> ``circular_actions``) and their sous-catégories."""
    codes = vocab.empty_codes()

    def add(section: str, value: str) -> Mapping[str, Any] | None:
        found = vocab.entry(MAPPING, section, value)
        if found is None and unknown is not None:
            unknown[f"{section}:{value}"] += 1
        vocab.add_codes(codes, found)
        return found

    kind = text_or_none(row.get("type_dacteur"))
    if kind:
        add("type_dacteur", kind)
    for service in split_codes(row.get("type_de_services")):
        add("type_de_services", service)
    for quality in split_codes(row.get("qualites_et_labels")):
        add("qualites_et_labels", quality)
    public = text_or_none(row.get("public_accueilli"))
    if public:  # blank: the source does not say whom the actor receives (audiences stay empty)
        add("public_accueilli", public)
    for action, sous_categories in actions_of(row).items():
        found = add("actions", action) or {}
        for code in sous_categories:
            if found.get("takes_objects"):
                codes["waste_types"].extend(taxonomy.waste_types_for_ademe(code))
            extra = vocab.entry(MAPPING, "sous_categories", code) or {}
            if found.get("takes_objects"):
                codes["waste_types"].extend(extra.get("waste_types") or [])
            if found.get("families_from_objects"):
                codes["purchase_families"].extend(extra.get("purchase_families") or [])
    if codes["waste_types"] and "dechets" not in codes["purchase_families"] and "trier" in actions_of(row):
        codes["purchase_families"].append("dechets")
    return codes


def attribution(paternites: Iterable[object]) -> str:
    """« ADEME – Que faire de mes objets et déchets, d'après : A, B… » from ``paternite`` values
    (contributors in order of frequency, then name)."""
    counts: Counter[str] = Counter()
    for value in paternites:
        for part in split_codes(value):
            if part.casefold() not in PUBLISHER_PARTS:
                counts[part] += 1
    base = AdemeLvaoConnector.ATTRIBUTION
    if not counts:
        return base
    names = [name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))]
    return f"{base}, d'après : {', '.join(names)}"


def _geopoint(value: object) -> Any:
    """data-fair ``_geopoint`` ``"lat,lon"`` -> point."""
    text = text_or_none(value)
    if text is None or "," not in text:
        return None
    lat, lon = text.split(",", 1)
    return point_or_none(lon, lat)


def _siren(value: object) -> str | None:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits if schema.is_valid_siren(digits) else None


def _departement(code_insee: str | None) -> str | None:
    if not code_insee or len(code_insee) != 5:
        return None
    return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]
