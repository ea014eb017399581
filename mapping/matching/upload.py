"""A buyer's uploaded list of suppliers, read like a partner file (:mod:`connectors.partner_files`:
CSV with ``;``, ``,`` or tab, UTF-8 or Windows-1252, XLSX; the header row found among the first
lines by its synonyms), with a row-level report carrying the spreadsheet's own line numbers.

Header synonyms: ``data/reference/buyer_list.json``. A row is kept when it has a name or a SIRET;
an invalid SIRET is reported (line number) and the row still matched on its name and address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from connectors.partner_files import (
    HEADER_SCAN_ROWS,
    PartnerFileError,
    PartnerSpec,
    Table,
    find_header,
    fold,
    read_tables,
)
from connectors.partner_report import Rejection
from mapping import settings
from mapping.matching import INPUT_COLUMNS, siret_status

EXCERPT_CHARS = 120


@dataclass
class ListReport:
    """What was read from the file: where, which columns, and the rows with a problem (line, reason)."""

    file_name: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_line: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    blank_lines: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    fatal: str | None = None

    @property
    def ok(self) -> bool:
        """The file was read (rows may still have been refused or flagged)."""
        return self.fatal is None


@cache
def buyer_spec() -> PartnerSpec:
    """The header synonyms of a buyer's list (``data/reference/buyer_list.json``), folded."""
    path = settings.get().reference_dir / "buyer_list.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    columns = {c: tuple(dict.fromkeys(fold(s) for s in [c, *names])) for c, names in data["columns"].items()}
    return PartnerSpec(source="liste_acheteur", columns=columns, required=())


def _header(table: Table, spec: PartnerSpec) -> tuple[int, dict[int, str]] | None:
    """The partner files' header rule (two known columns), else the first row naming a SIRET or a name column."""
    found = find_header(table, spec)
    if found is not None and {"name", "siret"} & set(found[1].values()):
        return found
    for position, (_line, cells) in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        mapping = {i: spec.column_of(c) for i, c in enumerate(cells) if c and spec.column_of(c)}
        if {"name", "siret"} & set(mapping.values()):
            return position, {i: c for i, c in mapping.items() if c is not None}
    return None


def _excerpt(cells: list[str]) -> str:
    text = " | ".join(c for c in cells if c)
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def read_list(content: bytes, file_name: str) -> tuple[pd.DataFrame, ListReport]:
    """The list's rows (:data:`mapping.matching.INPUT_COLUMNS` + ``line``) and the report.

    Never raises: a file that cannot be read gives an empty table and ``report.fatal`` (French).
    """
    report = ListReport(file_name=file_name)
    empty = pd.DataFrame(columns=[*INPUT_COLUMNS, "line"])
    spec = buyer_spec()
    try:
        tables = read_tables(content, file_name)
    except PartnerFileError as exc:
        report.fatal = exc.detail
        return empty, report
    for table in tables:
        found = _header(table, spec)
        if found is None:
            continue
        position, mapping = found
        header_line, header_cells = table.rows[position]
        report.sheet, report.encoding, report.delimiter = table.sheet, table.encoding, table.delimiter
        report.header_line = header_line
        report.columns = {header_cells[i]: col for i, col in sorted(mapping.items())}
        report.ignored_columns = [c for i, c in enumerate(header_cells) if c and i not in mapping]
        rows = []
        for line, cells in table.rows[position + 1 :]:
            if not any(cells):
                report.blank_lines += 1
                continue
            report.rows_read += 1
            values = {col: (cells[i] if i < len(cells) else "").strip() for i, col in mapping.items()}
            name, siret = " ".join(values.get("name", "").split()), values.get("siret", "")
            _digits, status = siret_status(siret)
            if not name and status in ("absent", "invalide"):
                report.rejected.append(Rejection(line, "ni nom ni SIRET valide", _excerpt(cells)))
                continue
            if status == "invalide":
                report.warnings.append(
                    Rejection(line, f"SIRET invalide (14 chiffres et clé de contrôle attendus) : « {siret} »", name)
                )
            rows.append({**{c: values.get(c, "") for c in INPUT_COLUMNS}, "name": name, "line": line})
        return pd.DataFrame(rows, columns=[*INPUT_COLUMNS, "line"]), report
    report.fatal = (
        "ligne d'en-tête introuvable : une colonne « SIRET » ou « Raison sociale » / « Fournisseur » est attendue"
    )
    return empty, report
