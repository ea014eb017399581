"""User-facing French strings of the map screen and the map itself, kept together.

Pages and :mod:`mapping.maps` take their wording from here, so that the vocabulary stays consistent
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
    "kinds": "Types",
    "city": "Commune",
    "departement": "Département",
}

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

# --- Map -------------------------------------------------------------------------------------------
LEGEND_TITLE = "Type principal"
SEARCH_CENTER = "Point de recherche"
POPUP_LABELS = {
    "kinds": "Types",
    "families": "Familles d'achat",
    "waste": "Déchets",
    "sources": "Sources",
    "distance": "Distance",
    "website": "Site web",
}

#: Legend label and colour of each ``group`` of ``actor_kinds`` (taxonomy), in priority order: an actor
#: takes the colour of the first group one of its kinds belongs to (Okabe-Ito palette, readable by
#: colour-blind users).
KIND_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("insertion", "Insertion par l'activité économique", "#D55E00"),
    ("handicap", "Handicap (ESAT, EA)", "#0072B2"),
    ("ess", "Économie sociale et solidaire", "#CC79A7"),
    ("agriculture", "Producteurs agricoles", "#009E73"),
    ("dechets", "Déchets et économie circulaire", "#E69F00"),
    ("entreprise", "Entreprises", "#555555"),
)
OTHER_GROUP = ("Autres", "#999999")


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
