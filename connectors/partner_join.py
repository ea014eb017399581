"""Workbooks with a companies sheet and a separate products sheet (« C du Centre » exports from Dev'Up).

A partner may send one sheet with one row per product (company columns repeated), or a workbook whose
companies sheet lists each company once and whose « Produits » sheet lists the products, each naming its
company by identifier (« Code adhérent »), SIRET or name. :func:`split_workbook` recognises the second
shape (the spec's ``products_sheet`` says which sheet names and columns), :func:`join_products` gives
one row per product carrying its company's fields, so the rest of the import is that of a one-sheet file.

Every product line is imported or reported with its sheet and line number: a product naming no company
of the companies sheet, or a company that was itself refused, is an orphan (« produit orphelin »).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.partner_files import PartnerSpec, Table, find_header, fold
from connectors.partner_report import Rejection, ValidationReport

#: Columns a products sheet can name its company with, in the order they are tried.
COMPANY_KEYS = ("id", "siret", "name")
#: Product columns copied from a products row onto its company's row.
PRODUCT_COLUMNS = ("product", "family", "label", "updated_at")


@dataclass(frozen=True)
class Workbook:
    """The companies sheet and the products sheet of a two-sheet file, with their headers."""

    companies: Table
    products: Table
    header: tuple[int, dict[int, str]]


def _products_spec(spec: PartnerSpec) -> PartnerSpec:
    """The spec a products sheet's header is found with: a product column and a company key required."""
    return PartnerSpec(spec.source, spec.columns, ("product",), spec.vocabularies, spec.defaults, spec.multi_valued)


def split_workbook(tables: list[Table], spec: PartnerSpec) -> Workbook | None:
    """The (companies, products) sheets of ``tables`` when the spec allows a products sheet and the file has
    one: a sheet named as the spec says (or any sheet) whose header has a product column and a company key,
    plus another sheet whose header has the required columns but no product column. None otherwise."""
    if not spec.products_sheets or len(tables) < 2:
        return None
    names = {fold(n) for n in spec.products_sheets}
    products_spec = _products_spec(spec)
    found = None
    for table in sorted(tables, key=lambda t: fold(t.sheet) not in names):  # named sheets first
        header = find_header(table, products_spec)
        if header and any(col in header[1].values() for col in COMPANY_KEYS):
            found = table, header
            break
    if found is None:
        return None
    for table in tables:
        if table is found[0]:
            continue
        header = find_header(table, spec)
        if header and "product" not in header[1].values():
            return Workbook(companies=table, products=found[0], header=found[1])
    return None


def _key(column: str, text: str) -> str:
    if column == "siret":
        return "".join(ch for ch in text if ch.isdigit())
    return fold(text)


def _company_keys(table: Table, spec: PartnerSpec) -> dict[str, dict[str, int]]:
    """Key column -> folded value -> first line of the companies sheet holding it (raw cells: refused rows too)."""
    position, mapping = find_header(table, spec) or (0, {})
    keys: dict[str, dict[str, int]] = {col: {} for col in COMPANY_KEYS}
    for line, cells in table.rows[position + 1 :]:
        for index, column in mapping.items():
            if column in keys and index < len(cells) and cells[index].strip():
                keys[column].setdefault(_key(column, cells[index]), line)
    return keys


def join_products(
    book: Workbook,
    spec: PartnerSpec,
    companies: list[dict[str, Any]],
    report: ValidationReport,
    check: Any,
) -> list[dict[str, Any]]:
    """One row per product (its company's accepted row plus the product's name, family, label and date),
    plus one row per company without products; orphan product lines go to ``report.rejected``.

    ``companies`` are the accepted rows of the companies sheet (with their ``line``); ``check(values)``
    gives ``(row, reason, warnings)`` for a products row's cells merged over its company's cells, so the
    families and labels of the product are read with the source's vocabularies.
    """
    by_line = {row["line"]: row for row in companies}
    keys = _company_keys(book.companies, spec)
    position, mapping = book.header
    sheet = book.products.sheet
    report.products_sheet = sheet
    out: list[dict[str, Any]] = []
    with_products: set[int] = set()
    for line, cells in book.products.rows[position + 1 :]:
        if not any(cells):
            continue
        report.rows_read += 1
        values = {col: cells[i] if i < len(cells) else "" for i, col in mapping.items()}
        company_line, named = None, ""
        for column in COMPANY_KEYS:
            text = values.get(column, "").strip()
            if text:
                named = named or text
                company_line = keys[column].get(_key(column, text))
                if company_line is not None:
                    break
        excerpt = " | ".join(c for c in cells if c)[:120]
        if company_line is None:
            reason = f"produit orphelin : aucune entreprise « {named} » dans la feuille « {book.companies.sheet} »"
            report.rejected.append(Rejection(line, reason if named else "produit sans entreprise", excerpt, sheet))
            continue
        company = by_line.get(company_line)
        if company is None:
            where = f"feuille « {book.companies.sheet} », ligne {company_line}"
            reason = f"produit orphelin : son entreprise ({where}) est refusée"
            report.rejected.append(Rejection(line, reason, excerpt, sheet))
            continue
        if not values.get("product", "").strip():
            report.rejected.append(Rejection(line, "nom du produit manquant", excerpt, sheet))
            continue
        own = {col: values[col] for col in PRODUCT_COLUMNS if values.get(col, "").strip()}
        row, _reason, warnings = check({**company["_values"], **own})
        report.warnings.extend((line, f"feuille « {sheet} » : {w}") for w in warnings)
        if row is None:  # cannot happen: the company's own cells passed
            report.rejected.append(Rejection(line, _reason, excerpt, sheet))
            continue
        row.update(line=company_line, product_line=line, sheet=sheet)
        with_products.add(company_line)
        out.append(row)
        report.imported += 1
    out.extend(row for row in companies if row["line"] not in with_products)
    for row in companies:
        row.pop("_values", None)
    for row in out:
        row.pop("_values", None)
    return out
