"""French strings of the « Couverture du territoire » page."""

from __future__ import annotations

PAGE_TITLE = "Couverture du territoire"
PAGE_INTRO = (
    "Combien de fournisseurs responsables par famille d'achat, nature de déchets ou produit, dans chaque "
    "territoire de la région : zones blanches, couverture faible et potentiel de réservation des marchés."
)
DIMENSION_LABEL = "Dimension"
DIMENSION_OPTIONS = {
    "purchase_families": "Familles d'achat",
    "waste_types": "Natures de déchets",
    "product_types": "Produits alimentaires",
}
CODE_LABEL = "Code à cartographier"
LEVEL_LABEL = "Niveau de territoire"
LEVEL_OPTIONS = {"departement": "Département", "epci": "EPCI (intercommunalités)"}
KINDS_LABEL = "Types d'acteurs (facultatif)"
KINDS_HELP = "Ne compter que ces types d'acteurs ; vide : tous les acteurs."
KINDS_PLACEHOLDER = "Tous les types"

HEADLINE = "{count} fournisseurs « {label} » dans la région, {covered} territoires sur {total} couverts"
HEADLINE_ONE = "{count} fournisseur « {label} » dans la région, {covered} territoires sur {total} couverts"
MAP_HEADER = "Carte par territoire"
MAP_LEGEND = "Fournisseurs"
TOOLTIP = "{name} : {count} fournisseur(s)"
MATRIX_HEADER = "Matrice de couverture"
MATRIX_HELP = "Lignes : les codes de la dimension ; colonnes : les territoires ; valeurs : nombre de fournisseurs."
WHITE_HEADER = "Zones blanches et couverture faible"
WHITE_SENTENCE = "Aucun fournisseur « {label} » dans {place}."
THIN_SENTENCE = "Couverture faible dans {place} : {count} fournisseur(s) « {label} » seulement."
NO_WHITE = "Aucune zone blanche pour « {label} » : chaque territoire compte au moins {thin} fournisseurs."
POTENTIAL_HEADER = "Potentiel de réservation par territoire"
POTENTIAL_HELP = (
    "Structures éligibles à chaque marché réservé du Code de la commande publique ; seuils : marché réservé "
    "dès {contract} structures éligibles, lot réservé dès {lot}, sinon clause sociale (fichier "
    "data/reference/coverage_thresholds.json)."
)
INDICATORS_HEADER = "Indicateurs de l'observatoire"
INDICATORS_HELP = (
    "Part des fournisseurs de chaque catégorie, par territoire (la région d'abord). Un acteur peut relever de "
    "plusieurs catégories : les parts ne s'additionnent pas."
)
DOWNLOAD_MATRIX_CSV = "Matrice (CSV)"
DOWNLOAD_MATRIX_XLSX = "Matrice (XLSX)"
DOWNLOAD_INDICATORS_CSV = "Indicateurs (CSV)"
DOWNLOAD_INDICATORS_XLSX = "Indicateurs (XLSX)"
CODE_COLUMN = "Code"
LABEL_COLUMN = "Libellé"
TERRITORY_COLUMN = "Territoire"
COUNT_COLUMN = "Fournisseurs"

BAD_PARAM = "Paramètre d'adresse « {name} » ignoré : valeur « {value} » inconnue."
UNKNOWN_PARAM = "Paramètre d'adresse « {name} » inconnu, ignoré."
