"""« C du Centre » workbooks with a companies sheet and a separate « Produits » sheet (issue « Three doors »):
products joined to their company, orphans reported with their sheet and line, product names searchable."""

from __future__ import annotations

import io

import openpyxl

from connectors.partner_validate import validate_file
from mapping import store
from mapping.search.index import SupplierIndex


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    companies = book.active
    companies.title = "Entreprises"
    companies.append(["Code adhérent", "Entreprise", "SIRET", "Type d'entreprise", "Adresse", "CP", "Commune"])
    companies.append(["A1", "Chèvrerie des Aubépines", None, "Producteur", "1 rue du Bourg", "18300", "Sancerre"])
    companies.append(
        ["A2", "Lentilles du Boischaut", None, "Producteur", "3 route de Châteauroux", "36000", "Châteauroux"]
    )
    products = book.create_sheet("Produits")
    products.append(["Code adhérent", "Produit", "Famille de produits", "Signe de qualité"])
    products.append(["A1", "Crottin de Chavignol AOP", "Fromages", "AOP Crottin de Chavignol"])
    products.append(["A1", "Bûche cendrée", "Fromages", "Bio"])
    products.append(["A2", "Lentilles vertes du Berry", "Légumineuses", "IGP Lentille verte du Berry"])
    products.append(["ZZ9", "Miel de sapin", "Miel", ""])  # names no company of the first sheet
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_products_are_joined_to_their_company_and_orphans_reported_with_sheet_and_line():
    rows, report = validate_file("cducentre", "C du Centre", _workbook(), "adherents.xlsx")
    assert not report.fatal
    # one row per product line, each carrying its company's fields (aggregated per company by the connector)
    pairs = sorted((r["name"], r["product"], r["sheet"], r["product_line"]) for r in rows)
    assert pairs == [
        ("Chèvrerie des Aubépines", "Bûche cendrée", "Produits", 3),
        ("Chèvrerie des Aubépines", "Crottin de Chavignol AOP", "Produits", 2),
        ("Lentilles du Boischaut", "Lentilles vertes du Berry", "Produits", 4),
    ]
    crottin = next(r for r in rows if r["product"].startswith("Crottin"))
    assert crottin["product_types"] == ["fromages"] and "aop_crottin_chavignol" in crottin["labels"]
    assert crottin["city"] == "Sancerre" and crottin["code_insee"] == "18241"
    (orphan,) = report.rejected
    assert orphan.sheet == "Produits" and orphan.line == 5 and "orphelin" in orphan.reason


def test_product_names_of_the_embedded_data_are_searchable():
    actors = store.load_suppliers()
    with_names = actors[actors["products"].map(len) > 0]
    assert len(with_names) > 100
    name = next(n for names in with_names["products"] for n in names if len(n.split()) >= 2)
    found = SupplierIndex(actors).search(text=name, limit=5)
    assert any(name in list(p) for p in found["products"]), name
