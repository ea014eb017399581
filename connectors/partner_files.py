"""Tolerant reader of the spreadsheets the Région's partners send (CRESS, URSCOP, France Active,
« C du Centre », AGIRE): none has a public API, their data arrive as CSV or XLSX files.

* CSV: separator ``;``, ``,`` or tab (sniffed), UTF-8 with or without BOM, else Windows-1252.
* XLSX: read with openpyxl (read-only); a formula cell is kept as its text (``=HYPERLINK(...)``), never
  evaluated: values are stored as plain text, only exports neutralise formulas.
* Header detection: the header is the first row (among the first :data:`HEADER_SCAN_ROWS`) naming at
  least two known columns, one of them required; merged title rows and blank lines above it are skipped.
* Header synonyms, required columns and value vocabularies are declared per source in
  ``data/reference/partner_files/<source>.json`` (merged over ``common.json``), never in code.

Line numbers are the spreadsheet's own, 1-based, counting title, header and blank lines (for a CSV
file: the record number, which is the line number unless a quoted cell spans several lines), so a
partner can find the row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from connectors.base import SourceError
from mapping import settings
from mapping.reference.text import fold as text_fold

SPEC_DIR = settings.get().reference_dir / "partner_files"
#: Extensions accepted for a partner file.
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")
#: Rows searched for the header line.
HEADER_SCAN_ROWS = 30
_DELIMITERS = (";", ",", "\t")
_PUNCT_RE = re.compile(r"[^0-9a-z]+")


class PartnerFileError(SourceError):
    """The file cannot be read at all (wrong type, undecodable, no header found)."""


@dataclass
class Table:
    """The cells of one sheet: ``rows`` holds ``(line, cells)`` with 1-based spreadsheet lines."""

    rows: list[tuple[int, list[str]]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


@dataclass(frozen=True)
class PartnerSpec:
    """What a source's file looks like (``data/reference/partner_files/<source>.json``)."""

    source: str
    #: canonical column -> folded header synonyms
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    #: canonical column -> folded value -> {schema code-list column: codes}
    vocabularies: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)
    #: codes every record of the source gets
    defaults: dict[str, list[str]] = field(default_factory=dict)
    #: columns whose cells may hold several values
    multi_valued: tuple[str, ...] = ()
    #: True when a company spans several rows (one per product)
    rows_per_company: bool = False
    #: names of a separate products sheet keyed by company (:mod:`connectors.partner_join`); empty: none
    products_sheets: tuple[str, ...] = ()

    def column_of(self, header: str) -> str | None:
        """Canonical column of a header cell, None when unknown."""
        key = fold(header)
        return next((col for col, synonyms in self.columns.items() if key in synonyms), None)


# --------------------------------------------------------------------------- text helpers


def fold(text: object) -> str:
    """Comparison key: no accents, lower case, punctuation as single spaces (``"N° SIRET "`` -> ``"n siret"``)."""
    return _fold(str(text or ""))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    # Cells repeat a lot (vocabulary values, postcodes, cities): fold each distinct one once.
    return " ".join(_PUNCT_RE.sub(" ", text_fold(text)).split())


def cell_text(value: Any) -> str:
    """A cell as plain text: stripped string; integral floats without ``.0``; dates as ``dd/mm/YYYY``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.min.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\u00a0", " ").strip()


# --------------------------------------------------------------------------- specs


@cache
def load_spec(source: str) -> PartnerSpec:
    """The spec of ``source``: ``common.json`` columns overridden and extended by ``<source>.json``.

    Raises
    ------
    SourceError
        When the file is missing or malformed.
    """
    try:
        common = json.loads((SPEC_DIR / "common.json").read_text(encoding="utf-8"))
        own = json.loads((SPEC_DIR / f"{source}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"description du fichier partenaire illisible dans {SPEC_DIR} ({exc})"
        raise SourceError(source, msg) from None
    columns = {**common.get("columns", {}), **own.get("columns", {})}
    vocabularies = {
        column: {fold(value): dict(codes) for value, codes in table.items()}
        for column, table in own.get("vocabularies", {}).items()
    }
    return PartnerSpec(
        source=source,
        columns={col: tuple(dict.fromkeys(fold(s) for s in [col, *names])) for col, names in columns.items()},
        required=tuple(own.get("required", common.get("required", ["name"]))),
        vocabularies=vocabularies,
        defaults={k: list(v) for k, v in own.get("defaults", {}).items()},
        multi_valued=tuple(own.get("multi_valued", [])),
        rows_per_company=bool(own.get("rows_per_company", False)),
        products_sheets=tuple(own.get("products_sheets", [])),
    )


# --------------------------------------------------------------------------- reading


def is_xlsx(content: bytes) -> bool:
    """XLSX files are zip archives holding ``xl/workbook.xml``."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(content: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (BOM dropped) when valid, else Windows-1252.

    Raises
    ------
    PartnerFileError
        Binary content (NUL bytes) or bytes undefined in Windows-1252.
    """
    if b"\x00" in content[:4096]:
        msg = "fichier illisible : contenu binaire (ni CSV ni XLSX)"
        raise PartnerFileError("", msg)
    try:
        if content.startswith(b"\xef\xbb\xbf"):
            return content[3:].decode("utf-8"), "utf-8-sig"
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        msg = "fichier illisible : encodage inconnu (UTF-8 ou Windows-1252 attendu)"
        raise PartnerFileError("", msg) from None


def sniff_delimiter(text: str) -> str:
    """The separator (``;``, ``,`` or tab) splitting the most of the first non-blank lines alike."""
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SCAN_ROWS]
    best, best_score = ";", -1.0
    for delimiter in _DELIMITERS:
        counts = [len(row) - 1 for row in csv.reader(lines, delimiter=delimiter)]
        widest = max(counts, default=0)
        if widest == 0:
            continue
        score = sum(1 for c in counts if c == widest) + widest / 100  # consistent lines first, then width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(content: bytes) -> Table:
    """Rows of a CSV file (line = record number, blank lines included)."""
    text, encoding = decode_text(content)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(i, [cell_text(c) for c in cells]) for i, cells in enumerate(reader, start=1)]
    return Table(rows=rows, encoding=encoding, delimiter=delimiter)


def read_xlsx(content: bytes) -> list[Table]:
    """One table per sheet of an XLSX workbook (formulas kept as text)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types on corrupt archives
        msg = f"classeur XLSX illisible ({type(exc).__name__})"
        raise PartnerFileError("", msg) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            rows = []
            for row in sheet.iter_rows():
                cells = [c for c in row if getattr(c, "row", None) is not None]
                if not cells:
                    continue
                line = cells[0].row
                width = max(c.column for c in cells)
                values = [""] * width
                for c in cells:
                    values[c.column - 1] = cell_text(c.value)
                rows.append((line, values))
            tables.append(Table(rows=rows, sheet=sheet.title))
    finally:
        workbook.close()
    return tables


def read_tables(content: bytes, filename: str) -> list[Table]:
    """Tables of a partner file, checked by extension and by content.

    Raises
    ------
    PartnerFileError
        Unknown extension, extension contradicting the content, empty or undecodable file.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        msg = f"type de fichier non pris en charge : « {suffix or filename} » (attendu : CSV ou XLSX)"
        raise PartnerFileError("", msg)
    if not content.strip():
        raise PartnerFileError("", "fichier vide")
    if suffix == ".xlsx":
        if not is_xlsx(content):
            raise PartnerFileError("", "le fichier porte l'extension .xlsx mais n'est pas un classeur Excel")
        return read_xlsx(content)
    if content.startswith(b"PK\x03\x04"):
        msg = f"le fichier porte l'extension {suffix} mais c'est une archive (classeur Excel ?) : renommez-le en .xlsx"
        raise PartnerFileError("", msg)
    return [read_csv(content)]


def find_header(table: Table, spec: PartnerSpec) -> tuple[int, dict[int, str]] | None:
    """``(position in table.rows, {cell index: canonical column})`` of the header row, or None.

    The header is the first row naming at least two known columns including every required one
    (a column named twice keeps its first cell).
    """
    for position, (_line, cells) in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        mapping: dict[int, str] = {}
        for index, cell in enumerate(cells):
            column = spec.column_of(cell) if cell else None
            if column and column not in mapping.values():
                mapping[index] = column
        if len(mapping) >= 2 and all(req in mapping.values() for req in spec.required):
            return position, mapping
    return None


def expected_headers(spec: PartnerSpec) -> str:
    """French list of the accepted spellings of the required columns, for error messages."""
    parts = []
    for column in spec.required:
        parts.append(" / ".join(f"« {s} »" for s in spec.columns[column][1:4]))
    return " ; ".join(parts)
