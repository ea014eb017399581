"""French strings of the map (legend, popup labels, colour groups of actor kinds)."""

from __future__ import annotations

LEGEND_TITLE = "Type principal"
SEARCH_CENTER = "Point de recherche"
POPUP_LABELS = {
    "kinds": "Types",
    "families": "Familles d'achat",
    "waste": "Déchets",
    "sources": "Sources",
    "distance": "Distance",
    "website": "Site web",
    "card": "Fiche fournisseur",
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
