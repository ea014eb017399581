"""French texts of the supplier card (labels, sentences, URL templates of the Annuaire)."""

from __future__ import annotations

TITLE = "Fiche fournisseur"
SELECTION_BUTTON = "Ajouter à une sélection"
SELECTION_SOON = "Les sélections de fournisseurs arrivent bientôt."

L_OTHER_NAMES = "Autres noms dans les sources"
L_SIRET = "SIRET"
L_SIREN = "SIREN"
L_ANNUAIRE = "Voir sur l'Annuaire des Entreprises"
L_LEGAL_FORM = "Forme juridique"
L_NAF = "Activité principale (NAF)"
L_KINDS = "Types"
L_RESERVED = "Marchés réservés"
L_FAMILIES = "Familles d'achat"
L_WASTE = "Déchets"
L_PRODUCTS = "Produits"
L_PRODUCT_NAMES = "Produits proposés"
L_LABELS = "Labels"
L_ADDRESS = "Adresse"
L_PRECISION = "Localisation"
L_DISTANCE = "Distance"
L_PHONE = "Téléphone"
L_EMAIL = "Courriel"
L_WEBSITE = "Site web"
L_DESCRIPTION = "Description"
L_SOURCES = "Sources"
L_MERGE = "Pourquoi ces enregistrements ont été réunis"
L_FRESHNESS = "Fraîcheur des données"
L_MAP = "Carte"

NONE_TEXT = "non renseigné"
NO_RECORDS = (
    "Le détail des enregistrements sources n'est pas disponible : reconstruire la table (python -m mapping build)."
)
SINGLE_SOURCE = "Un seul enregistrement source : aucune fusion."
NO_RESERVED = "Aucun marché réservé d'après les types connus de ce fournisseur."
RESERVED_CAVEAT = (
    "Éligibilité déduite des types déclarés par les sources : à vérifier (agrément, conventionnement) "
    "avant toute attribution."
)
DEMO_WARNING = "Données de démonstration : ces fournisseurs sont fictifs."

#: One plain sentence per reserved-contract article of the Code de la commande publique.
RESERVED_SENTENCES = {
    "L2113-12": (
        "Peut répondre aux marchés réservés aux entreprises adaptées, aux ESAT et aux structures "
        "équivalentes qui emploient au moins 50 % de travailleurs handicapés (article L2113-12 du code "
        "de la commande publique)."
    ),
    "L2113-13": (
        "Peut répondre aux marchés réservés aux structures d'insertion par l'activité économique (SIAE) "
        "et aux structures équivalentes qui emploient au moins 50 % de personnes en difficulté "
        "d'insertion (article L2113-13 du code de la commande publique)."
    ),
    "L2113-15": (
        "Peut répondre, en tant qu'entreprise de l'économie sociale et solidaire, aux marchés réservés "
        "de services de santé, sociaux et culturels dont le code de la commande publique fixe la liste, "
        "pour une durée de trois ans au plus (article L2113-15 du code de la commande publique)."
    ),
}

#: What ``geo_precision`` says about the point on the map.
PRECISION_TEXTS = {
    "housenumber": "position de l'adresse (numéro dans la rue)",
    "street": "position de la rue (approximative)",
    "municipality": "centre de la commune (adresse non localisée précisément)",
    "source": "position donnée par la source",
    None: "localisation inconnue",
}

ANNUAIRE_ETABLISSEMENT = "https://annuaire-entreprises.data.gouv.fr/etablissement/{siret}"
ANNUAIRE_ENTREPRISE = "https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}"

#: URL schemes a link may use.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
