"""User-facing French strings of the map screen and the map itself, kept together.

Pages and :mod:`mapping.maps.builder` take their wording from here, so that the vocabulary stays consistent
(and reviewable in one place). This module has no dependencies.
"""

from __future__ import annotations

# --- Application -----------------------------------------------------------------------------------
APP_TITLE = "Sourcier"
MAP_PAGE_TITLE = "Carte des acteurs"
MAP_PAGE_INTRO = (
    "Fournisseurs responsables de la Région Centre-Val de Loire : économie sociale et solidaire, "
    "insertion, handicap, économie circulaire et alimentation locale."
)

# --- Sidebar ---------------------------------------------------------------------------------------
FILTERS_HEADER = "Filtres"
SOURCES_LABEL = "Sources"
SOURCES_HELP = "Afficher les acteurs présents dans au moins une des sources choisies."
KINDS_LABEL = "Types d'acteurs"
KINDS_HELP = "Afficher les acteurs d'au moins un des types choisis."
FILTERS_PLACEHOLDER = "Tous"

# --- Results ---------------------------------------------------------------------------------------
NO_RESULT = "Aucun acteur ne correspond à ces critères."
MAP_CAPPED = "La carte montre les {shown} premiers acteurs sur {total} ; le tableau les liste tous."
TABLE_HEADER = "Liste des acteurs"
TABLE_COLUMNS = {
    "name": "Nom",
    "siret": "SIRET",
    "kinds": "Types",
    "city": "Commune",
    "departement": "Département",
    "sources": "Sources",
    "card": "Fiche",
}

# --- Search page ---------------------------------------------------------------------------------
SEARCH_PAGE_TITLE = "Rechercher des fournisseurs"
SEARCH_PAGE_INTRO = (
    "Trouvez les fournisseurs responsables proches d'un lieu : une commune, un code postal, un EPCI, "
    "un département ou un lycée de la région."
)
PLACE_LABEL = "Lieu"
PLACE_PLACEHOLDER = "Commune, code postal, EPCI, département ou lycée"
PLACE_HELP = (
    "Exemples : Tours, 45000, Orléans Métropole, Indre-et-Loire, lycée Pothier. "
    "Laissez vide pour chercher dans toute la région."
)
PLACE_CHOICE_LABEL = "Précisez le lieu"
PLACE_CHOICE_PLACEHOLDER = "Choisissez dans la liste"
PLACE_RESOLVED = "Lieu retenu : **{label}**"
PLACE_WHOLE_REGION = "Aucun lieu indiqué : recherche dans toute la région."
RADIUS_LABEL = "Rayon (km)"
RADIUS_HELP = "Distance à vol d'oiseau autour d'une commune, d'un lycée ou d'un point."
RADIUS_AREA_HELP = "Sans objet pour un EPCI ou un département : la recherche porte sur tout son territoire."
TEXT_LABEL = "Nom, SIRET ou mot-clé"
TEXT_PLACEHOLDER = "ex. recyclerie, 123 456 789, traiteur bio"
CRITERIA_HEADER = "Critères"
CRITERIA_HELP = "Un fournisseur correspond s'il a au moins une des valeurs choisies dans chaque critère."
FACET_LABELS = {
    "purchase_families": "Familles d'achat",
    "waste_types": "Natures de déchets",
    "product_types": "Produits alimentaires",
    "actor_kinds": "Types d'acteurs",
    "labels": "Labels",
    "reserved_contracts": "Marchés réservés",
    "sources": "Sources",
}
LABELS_ALL_LABEL = "Tous les labels choisis"
LABELS_ALL_HELP = (
    "Cochée : seuls les fournisseurs qui ont chacun des labels choisis (par exemple C du Centre et AB). "
    "Décochée : au moins un des labels choisis suffit."
)
SEARCH_TABLE_HEADER = "Fournisseurs trouvés"
SEARCH_TABLE_COLUMNS = {
    "name": "Nom",
    "distance_km": "Distance (km)",
    "siret": "SIRET",
    "kinds": "Types",
    "offer": "Familles / Déchets",
    "food": "Produits / Labels",
    "city": "Commune",
    "contact": "Contact",
    "sources": "Sources",
    "card": "Fiche",
}
SEARCH_NO_RESULT = "Aucun fournisseur ne correspond à ces critères {where}."
SEARCH_HINT_RADIUS = "Élargissez le rayon de recherche ou retirez un critère."
SEARCH_HINT_CRITERIA = "Retirez un critère ou choisissez un lieu plus large."
SEARCH_CAPPED_NEAREST = "La carte et le tableau montrent les {shown} fournisseurs les plus proches sur {total}."
SEARCH_CAPPED_FIRST = "La carte et le tableau montrent les {shown} premiers fournisseurs sur {total}."
SEARCH_ERROR = "La recherche n'a pas pu aboutir : {error}"
WHERE_REGION = "dans la région"
WHERE_RADIUS = "à moins de {radius} km {of_place}"
WHERE_EPCI = "dans l'EPCI {label}"

# --- Links (URL parameters) ------------------------------------------------------------------------
LINK_UNKNOWN_PARAM = "Paramètre d'adresse inconnu ignoré : « {name} »."
LINK_UNKNOWN_CODES = "Valeur inconnue ignorée dans « {name} » : {codes}."
LINK_BAD_RADIUS = "Rayon ignoré : « {value} » n'est pas un nombre de kilomètres entre {low} et {high}."
LINK_TOO_LONG = "Texte de « {name} » tronqué à {limit} caractères."
LINK_COPY_LABEL = "Copier le lien de cette recherche"
LINK_COPY_HELP = "Ce lien rouvre la même recherche (lieu, rayon, texte et critères) dans un autre navigateur."

# --- Results: card and exports ----------------------------------------------------------------------
CARD_CLOSE = "Fermer la fiche"
CARD_UNKNOWN = "Le fournisseur demandé (« {uid} ») n'est pas dans les données : le lien est ancien ou erroné."
CARD_OPEN_HELP = "Cliquez sur une ligne du tableau pour ouvrir la fiche du fournisseur."
TABLE_CARD_LINK = "Ouvrir la fiche"
EXPORT_HEADER = "Exporter la liste"
EXPORT_PREPARE = "Préparer l'export des {count} (CSV, Excel, GeoJSON)"
EXPORT_CSV = "CSV pour Excel"
EXPORT_XLSX = "Classeur Excel (XLSX)"
EXPORT_GEOJSON = "GeoJSON (carte)"
EXPORT_HELP = "Toute la liste (pas seulement les lignes affichées), une ligne par fournisseur."

# --- Data status -----------------------------------------------------------------------------------
DEMO_NOTICE = (
    "**Données de démonstration.** Les acteurs affichés sont fictifs : ils ont été générés "
    "automatiquement (`python -m mapping demo`) pour montrer le fonctionnement de l'outil. "
    "Ne les utilisez pas pour un achat réel."
)
LOAD_ERROR = "Les données n'ont pas pu être chargées : {error}"
FOOTER_HEADER = "Sources des données"
FOOTER_SOURCE = "**{title}** — {attribution} · Licence : {licence}{fetched}"
FOOTER_FETCHED = " · données du {date}"
FOOTER_BUILT = "Table construite le {date}."
FOOTER_NO_SOURCE = "Aucune source de données n'est décrite."

# --- Map: see mapping.maps.texts (legend, popup labels, colour groups) ------------------------


def format_count(n: int) -> str:
    """French thousands separator (narrow no-break space): ``12345`` -> ``"12 345"``."""
    return f"{n:,}".replace(",", "\u202f")


def actors_count(n: int) -> str:
    """``"1 acteur"``, ``"12 345 acteurs"`` (French plural: 0 and 1 are singular)."""
    return f"{format_count(n)} acteur{'s' if n > 1 else ''}"


def format_km(value: float) -> str:
    """A distance in French: ``3.456`` -> ``"3,5 km"``."""
    return f"{value:.1f} km".replace(".", ",")


def format_date(iso: object) -> str:
    """``"2026-11-29T18:00:00+00:00"`` -> ``"29/11/2026"`` (the input unchanged if not ISO)."""
    text = str(iso or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text


def source_lines(status: dict) -> list[str]:
    """French footer lines from ``mapping.store.data_status()``: one per source, then the build date."""
    lines = []
    for info in status.get("sources", {}).values():
        fetched = info.get("fetched_at")
        lines.append(
            FOOTER_SOURCE.format(
                title=info.get("title", ""),
                attribution=info.get("attribution") or "",
                licence=info.get("licence") or "non précisée",
                fetched=FOOTER_FETCHED.format(date=format_date(fetched)) if fetched else "",
            )
        )
    if not lines:
        lines.append(FOOTER_NO_SOURCE)
    if status.get("built_at"):
        lines.append(FOOTER_BUILT.format(date=format_date(status["built_at"])))
    return lines


def suppliers_count(n: int) -> str:
    """``"1 fournisseur"``, ``"12 345 fournisseurs"`` (French plural: 0 and 1 are singular)."""
    return f"{format_count(n)} fournisseur{'s' if n > 1 else ''}"


def format_radius(radius_km: float) -> str:
    """``20.0`` -> ``"20"``, ``2.5`` -> ``"2,5"``."""
    return f"{radius_km:g}".replace(".", ",")


#: Characters that Streamlit's Markdown would interpret inline (``$`` starts LaTeX, ``[`` a link).
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|$~"})


def markdown_text(value: str) -> str:
    """``value`` shown literally in Streamlit Markdown (names and typed text are not markup)."""
    return str(value).translate(_MARKDOWN_SPECIAL)
