"""French labels of the coverage tables (levels, statuses, indicator categories, export headers)."""

from __future__ import annotations

STATUS_LABELS = {"white": "Zone blanche", "thin": "Couverture faible", "covered": "Couvert"}
POTENTIAL_LABELS = {
    "contract": "Marché réservé possible",
    "lot": "Lot réservé possible",
    "clause": "Clause sociale seulement",
}
ARTICLE_SHORT = {"L2113-12": "ESAT / EA", "L2113-13": "SIAE", "L2113-15": "ESS"}
LEVEL_LABELS = {"departement": "Département", "epci": "EPCI", "lycee": "Lycée"}
DIMENSION_LABELS = {
    "purchase_families": "Famille d'achat",
    "waste_types": "Nature de déchets",
    "product_types": "Produit alimentaire",
}
#: Indicator categories: code -> label (groups first, then each actor kind under its taxonomy label).
CATEGORY_LABELS = {
    "ess": "Économie sociale et solidaire (art. L2113-15)",
    "siae": "Insertion par l'activité économique (SIAE, art. L2113-13)",
    "esat_ea": "ESAT et entreprises adaptées (art. L2113-12)",
    "scop_scic": "Scop et Scic",
}
CATEGORY_KIND_PREFIX = "Type : "
REGION_NAME = "Région (ensemble)"

#: Export headers of the tables (tidy columns -> French).
HEADERS = {
    "code": "Code",
    "label": "Libellé",
    "territory": "Territoire",
    "territory_name": "Nom du territoire",
    "level": "Niveau",
    "count": "Fournisseurs",
    "status": "État",
    "category": "Catégorie",
    "category_label": "Libellé de la catégorie",
    "suppliers": "Fournisseurs de la catégorie",
    "total": "Fournisseurs (tous types)",
    "share": "Part (%)",
    "eligible_L2113-12": "ESAT / EA éligibles (L2113-12)",
    "eligible_L2113-13": "SIAE éligibles (L2113-13)",
    "eligible_L2113-15": "ESS éligibles (L2113-15)",
    "potential": "Potentiel de réservation",
    "articles": "Articles possibles",
}
MATRIX_SHEET = "Couverture"
INDICATORS_SHEET = "Indicateurs"
