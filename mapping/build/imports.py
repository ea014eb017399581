"""Import a partner file: read -> validate -> report -> enrich -> write the source's snapshot atomically.

Used by ``python -m mapping import SOURCE FILE`` and by the « Sources et imports » page (which shows
the report of :func:`prepare_import` before the user accepts it; acceptance, its drop threshold and
its journal entry are :func:`mapping.build.changes.accept_import`, which calls :func:`write_import`). The
snapshot folder ``data/snapshots/<source>/`` then holds the file as received (``<source>.csv`` or
``<source>.xlsx``), ``enrichment.json`` (:mod:`mapping.build.enrich`) and ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any

import geopandas as gpd

import connectors
from connectors.partner_files import EXTENSIONS, PartnerFileError, decode_text, is_xlsx
from connectors.partner_validate import ValidationReport, validate_file
from connectors.snapshots import Written, replace_snapshot
from mapping import store
from mapping.build import enrich

log = logging.getLogger(__name__)

#: Largest file accepted (also stated on the page).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_LABEL = "20 Mo"


@dataclass
class ImportResult:
    """A validated (not yet written) import."""

    source: str
    file_name: str
    content: bytes
    report: ValidationReport
    rows: list[dict[str, Any]] = field(default_factory=list)
    records: gpd.GeoDataFrame | None = None
    enrichment: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the file was read and at least one row can be imported."""
        return self.report.ok and bool(self.rows)

    @property
    def stored_name(self) -> str:
        """Name of the file in the snapshot folder (``<source>.<ext>``)."""
        return f"{self.source}{PurePath(self.file_name).suffix.lower()}"


def partner_sources() -> list[str]:
    """Registered sources imported from files (no live API)."""
    return [name for name, c in connectors.REGISTRY.items() if getattr(c, "MANUAL_IMPORT", False)]


def format_size(n_bytes: int) -> str:
    """``20971520`` -> ``"20 Mo"``, ``1536`` -> ``"1,5 ko"`` (French units)."""
    for unit, size in (("Mo", 1024 * 1024), ("ko", 1024)):
        if n_bytes >= size:
            value = n_bytes / size
            text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{n_bytes} octets"


def check_upload(file_name: str, content: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """French reason to refuse a file before reading it (size, type by extension and content), or None."""
    if len(content) > max_bytes:
        return f"fichier trop volumineux : {format_size(len(content))} (limite : {format_size(max_bytes)})"
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in EXTENSIONS:
        allowed = ", ".join(EXTENSIONS)
        return f"type de fichier refusé : « {suffix or file_name} » (formats acceptés : {allowed})"
    if not content.strip():
        return "fichier vide"
    if suffix == ".xlsx":
        return None if is_xlsx(content) else "le fichier porte l'extension .xlsx mais n'est pas un classeur Excel"
    if content.startswith(b"PK\x03\x04"):
        return f"le fichier porte l'extension {suffix} mais c'est une archive (classeur Excel ?) : renommez-le en .xlsx"
    try:
        decode_text(content)
    except PartnerFileError as exc:
        return exc.detail
    return None


def prepare_import(
    source: str,
    file_name: str,
    content: bytes,
    *,
    region: str | None = None,
    index: dict[str, dict[str, Any]] | None = None,
    index_fetched_at: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> ImportResult:
    """Validate a partner file and compute its records and enrichment, writing nothing.

    Parameters
    ----------
    source
        A partner source of :func:`partner_sources`.
    file_name, content
        The file as received (its name gives the type, its content must agree).
    index, index_fetched_at
        Annuaire des Entreprises index (:func:`mapping.build.enrich.snapshot_index` when None).
    """
    connector = connectors.get(source)
    problem = check_upload(file_name, content, max_bytes=max_bytes)
    if problem:
        report = ValidationReport(source=source, title=connector.TITLE, file_name=file_name, fatal=problem)
        return ImportResult(source, file_name, content, report)
    rows, report = validate_file(source, connector.TITLE, content, file_name, region=region)
    result = ImportResult(source, file_name, content, report, rows=rows)
    if not report.ok:
        return result
    if not rows:
        report.fatal = "aucune ligne importable (toutes les lignes sont refusées)"
        return result
    if index is None:
        index, index_fetched_at = enrich.snapshot_index()
    result.enrichment = enrich.select(index, (r["siret"] for r in rows), fetched_at=index_fetched_at)
    found = result.enrichment["etablissements"]
    for row in rows:
        row["enrichment"] = found.get(row["siret"]) if row["siret"] else None
    records = connector.normalize(rows)
    result.records = records
    sirets = records["siret"].dropna()
    report.records = len(records)
    report.enriched = int(sirets.isin(list(found)).sum())
    report.not_enrichable = int(len(sirets) - report.enriched)
    report.with_coordinates = int(records.geometry.notna().sum())
    return result


def file_sha256(result: ImportResult) -> str:
    """SHA-256 of the file as received (stored in the manifest and the journal)."""
    return hashlib.sha256(result.content).hexdigest()


def manifest(result: ImportResult, *, imported_at: datetime | None = None, demo: bool = False) -> dict[str, Any]:
    """The ``manifest.json`` of an import (``fetched_at`` is the import date)."""
    connector = connectors.get(result.source)
    when = (imported_at or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "source": result.source,
        "fetched_at": when,
        "url": connector.HOMEPAGE,
        "records": int(result.report.records),
        "files": 2,
        "licence": connector.LICENCE,
        "attribution": connector.ATTRIBUTION,
        "demo": demo,
        "import": {
            **result.report.summary(),
            "stored_as": result.stored_name,
            "sha256": file_sha256(result),
        },
    }


def snapshot_files(result: ImportResult) -> list[tuple[str, bytes]]:
    """``(path, bytes)`` of the snapshot: the file as received and ``enrichment.json``."""
    return [(result.stored_name, result.content), (enrich.ENRICHMENT_FILE, enrich.dumps(result.enrichment))]


def write_import(
    result: ImportResult, *, root: Path | None = None, imported_at: datetime | None = None, demo: bool = False
) -> Written:
    """Replace ``<root>/<source>/`` by the import's snapshot with an atomic folder swap, the replaced
    snapshot kept in the source's history. Checks and journal: :mod:`mapping.build.changes`.

    Raises
    ------
    ValueError
        When the import is not :attr:`ImportResult.ok` (nothing is written).
    """
    if not result.ok:
        msg = f"import refusé, rien n'est écrit : {result.report.fatal}"
        raise ValueError(msg)
    written = replace_snapshot(
        result.source, snapshot_files(result), manifest(result, imported_at=imported_at, demo=demo), root=root
    )
    log.info("Import %s : %d structures écrites dans %s", result.source, result.report.records, written.folder)
    return written


def read_import(source: str, path: Path, *, region: str | None = None) -> ImportResult:
    """Read ``path`` and validate it, writing nothing (CLI; an unreadable file gives a refused result)."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        title = connectors.get(source).TITLE
        reason = f"lecture impossible ({exc.strerror or type(exc).__name__})"
        report = ValidationReport(source=source, title=title, file_name=path.name, fatal=reason)
        return ImportResult(source, path.name, b"", report)
    return prepare_import(source, path.name, content, region=region)


def sources_overview(status: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per registered source for the « Sources et imports » page (French column names).

    Parameters
    ----------
    status
        :func:`mapping.store.data_status` output (read when None).
    """
    status = status if status is not None else store.data_status()
    known = status.get("sources", {})
    rows = []
    for name, connector in connectors.REGISTRY.items():
        manifest = known.get(name, {})
        rows.append(
            {
                "Source": connector.TITLE,
                "Code": name,
                "Mise à jour": "import de fichier" if getattr(connector, "MANUAL_IMPORT", False) else "API en ligne",
                "Enregistrements": manifest.get("records"),
                "Date des données": (manifest.get("fetched_at") or "")[:10] or "aucun instantané",
                "Licence": manifest.get("licence") or connector.LICENCE,
                "Attribution": manifest.get("attribution") or connector.ATTRIBUTION,
                "Démonstration": "oui" if manifest.get("demo") else "non",
            }
        )
    return rows


def rejected_rows(report: ValidationReport) -> list[dict[str, Any]]:
    """Refused rows as table rows (French column names) for the page."""
    return [{"Ligne": r.line, "Motif": r.reason, "Extrait": r.excerpt} for r in report.rejected]
