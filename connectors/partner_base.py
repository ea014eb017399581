"""Shared connector of the partner files (CRESS, URSCOP, France Active, « C du Centre », AGIRE).

These sources have no public API: ``fetch`` raises a French :class:`SourceError` telling how to
import a file, and ``mapping.build.refresh`` lists them as « import manuel ». Their snapshot folder holds
the imported spreadsheet as it was received (``<source>.csv`` or ``<source>.xlsx``), the
``enrichment.json`` selected from the Annuaire des Entreprises at import time (see
:mod:`connectors.enrichment`) and ``manifest.json`` with the import report's counts.

``parse`` validates the stored file again (same rules as the import, see
:mod:`connectors.partner_validate`) and yields the accepted rows; ``normalize`` aggregates the rows
of one company when the source lists one row per product, completes them and returns records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from connectors import enrichment as enrich
from connectors.base import BaseConnector, SnapshotFile, SourceError, point_or_none, record, records_frame
from connectors.partner_files import EXTENSIONS, load_spec
from connectors.partner_validate import validate_file
from mapping.reference import schema, taxonomy

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

#: Most product names quoted in a company's description.
MAX_PRODUCTS_QUOTED = 8


class PartnerConnector(BaseConnector):
    """A source whose data arrive as a spreadsheet imported by ``python -m mapping import``."""

    #: No live service: refreshed by importing a file.
    MANUAL_IMPORT = True

    def import_hint(self) -> str:
        """French instruction to import this source."""
        return (
            f"pas d'API publique : importez un fichier avec « python -m mapping import {self.NAME} FICHIER » "
            "ou depuis la page « Sources et imports »"
        )

    def snapshot_path(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """No request belongs to a partner source.

        Raises
        ------
        ValueError
            Always.
        """
        msg = f"requête étrangère à {self.NAME} (source importée par fichier) : {url}"
        raise ValueError(msg)

    def fetch(self, http: HttpClient, *, region: str) -> Iterator[SnapshotFile]:
        """No live API.

        Raises
        ------
        SourceError
            Always, with :meth:`import_hint`.
        """
        raise SourceError(self.NAME, self.import_hint())

    # ------------------------------------------------------------------ parse

    def parse(self, files: Iterable[SnapshotFile], *, region: str | None = None) -> Iterator[dict]:
        """Accepted rows of the stored spreadsheet(s), each with its ``enrichment`` entry (or None).

        Raises
        ------
        SourceError
            When a stored file cannot be read at all.
        """
        files = list(files)
        enrichment: dict[str, dict] = {}
        for file in files:
            if file.path == enrich.ENRICHMENT_FILE:
                enrichment.update(enrich.loads(file.content))
        for file in files:
            if PurePosixPath(file.path).suffix.lower() not in EXTENSIONS:
                continue
            rows, report = validate_file(self.NAME, self.TITLE, file.content, file.path, region=region)
            if report.fatal:
                raise SourceError(self.NAME, f"{file.path} : {report.fatal}")
            if report.rejected:
                logger.info("%s : %d ligne(s) refusée(s) dans %s", self.NAME, len(report.rejected), file.path)
            for row in rows:
                row["enrichment"] = enrichment.get(row["siret"]) if row["siret"] else None
                yield row

    # ------------------------------------------------------------------ normalize

    def normalize(self, raw: Iterable[dict]) -> gpd.GeoDataFrame:
        """Rows -> records (``RECORD_COLUMNS``), one per company."""
        rows = list(raw)
        if load_spec(self.NAME).rows_per_company:
            rows = aggregate(rows)
        known = {col: frozenset(taxonomy.codes(col)) for col in schema.CODE_LIST_COLUMNS}
        return records_frame([self._record(dict(row), known) for row in rows])

    def _record(self, row: dict[str, Any], known: Mapping[str, frozenset[str]]) -> dict[str, Any]:
        """One record; ``known`` holds the codes of each code-list column (others are dropped)."""
        enrich.complete(row, row.get("enrichment"))
        geometry = point_or_none(row.get("lon"), row.get("lat")) if row.get("lon") is not None else None
        siret = row.get("siret")
        return record(
            self.NAME,
            row["source_id"],
            name=row["name"],
            siret=siret,
            address=row.get("address"),
            postcode=row.get("postcode"),
            city=row.get("city"),
            code_insee=row.get("code_insee"),
            geometry=geometry,
            **{col: [c for c in row.get(col, []) if c in known[col]] for col in schema.CODE_LIST_COLUMNS},
            naf=row.get("naf"),
            legal_form=row.get("legal_form"),
            phone=row.get("phone"),
            email=row.get("email"),
            website=row.get("website"),
            description=row.get("description"),
            products=list(row.get("products") or []),
            updated_at=row.get("updated_at"),
        )


def aggregate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per company (``source_id``) of a one-row-per-product file: company fields from its
    first row (gaps filled by the next ones), code lists unioned, product names kept in ``products``
    (file order, each once) and quoted in the description."""
    companies: dict[str, dict[str, Any]] = {}
    products: dict[str, list[str]] = {}
    for row in rows:
        key = row["source_id"]
        if key not in companies:
            companies[key] = {**row, **{col: list(row.get(col, [])) for col in schema.CODE_LIST_COLUMNS}}
            products[key] = []
        else:
            company = companies[key]
            for col, value in row.items():
                if col in schema.CODE_LIST_COLUMNS:
                    company[col] = list(dict.fromkeys([*company[col], *value]))
                elif company.get(col) in (None, "") and value not in (None, ""):
                    company[col] = value
            if (row.get("updated_at") or "") > (company.get("updated_at") or ""):
                company["updated_at"] = row["updated_at"]
        if row.get("product") and row["product"] not in products[key]:
            products[key].append(row["product"])
    out = []
    for key, company in companies.items():
        names = products[key]
        if names:
            quoted = ", ".join(names[:MAX_PRODUCTS_QUOTED]) + (" …" if len(names) > MAX_PRODUCTS_QUOTED else "")
            listing = f"{len(names)} produit(s) C du Centre : {quoted}"
            company["description"] = f"{company['description']} — {listing}" if company.get("description") else listing
        company["products"] = names
        out.append(company)
    return out
