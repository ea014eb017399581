"""French wording of the meeting pack (PDF, XLSX, invitation list), kept together. No dependencies."""

from __future__ import annotations

DEFAULT_TITLE = "Rencontre fournisseurs"
PREPARED_BY = "Préparé par {author} le {date}"
PREPARED_ON = "Préparé le {date}"
SUPPLIERS_COUNT = "{n} fournisseur{s} dans la sélection"
MAP_TITLE = "Carte des fournisseurs"
MAP_CAPTION = "Contours des départements de la région ; chaque point porte le numéro de la fiche."
NO_LOCATION = "Sans localisation : {names}"
GONE = "n'est plus dans les données"
GONE_DETAIL = "Ce fournisseur n'est plus dans les données actuelles. Ce qui en était connu lors de son ajout :"
FOOTER = "Sourcier – {title} – page {page}/{pages}"
EMPTY = "Cette sélection ne contient encore aucun fournisseur."

FIELDS = {
    "siret": "SIRET",
    "kinds": "Types",
    "reserved": "Marchés réservés",
    "families": "Familles d'achat",
    "products": "Produits",
    "wastes": "Déchets",
    "labels": "Labels",
    "address": "Adresse",
    "contact": "Contact",
    "sources": "Sources",
    "note": "Note",
    "snapshot_city": "Commune",
}
NOT_ELIGIBLE = "aucun"

# --- XLSX --------------------------------------------------------------------------------------------
SUMMARY_SHEET = "Synthèse"
NO_FAMILY_SHEET = "Sans famille d'achat"
COLUMNS = {
    "position": "N°",
    "name": "Nom",
    "status": "Statut",
    "siret": "SIRET",
    "kinds": "Types",
    "reserved": "Marchés réservés",
    "families": "Familles d'achat",
    "products": "Produits",
    "labels": "Labels",
    "address": "Adresse",
    "postcode": "Code postal",
    "city": "Commune",
    "phone": "Téléphone",
    "email": "Courriel",
    "website": "Site",
    "sources": "Sources",
    "note": "Note",
}
STATUS_PRESENT = "présent"

# --- Invitation list (CSV for a French Excel mail merge) ----------------------------------------------
INVITATION_COLUMNS = ("Nom", "Courriel", "Téléphone", "Adresse", "Code postal", "Commune")
MAIL_SUBJECT = "Invitation : {title}"

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def french_date(day) -> str:
    """``date(2026, 12, 1)`` -> ``"1er décembre 2026"``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"
