"""French strings of the home page (« Accueil »)."""

from __future__ import annotations

PAGE_TITLE = "Accueil"
HEADLINE = "Sourcier — fournisseurs responsables de la Région Centre-Val de Loire"
INTRO = (
    "Une seule base, dédoublonnée, des acteurs de l'économie sociale et solidaire, de l'insertion, du handicap, "
    "de l'économie circulaire et de l'alimentation locale, pour les achats de la Région (SPASER 2)."
)
DOORS_HEADER = "Par où commencer ?"
#: One entry per user group: (page file, title, sentence, icon). Pages missing from the navigation are skipped.
DOORS = (
    (
        "pages/acheteurs.py",
        "Acheteurs",
        "Une famille d'achat (avec ses codes CPV), un territoire : les structures ESS, d'insertion et du handicap, "
        "et combien peuvent répondre à un marché réservé.",
        ":material/handshake:",
    ),
    (
        "pages/dechets.py",
        "Déchets et économie circulaire",
        "Une nature de déchet et un lieu, comme sur AGIRE : qui collecte, trie, valorise, répare ou réemploie, "
        "et qui reçoit les professionnels.",
        ":material/recycling:",
    ),
    (
        "pages/cantines.py",
        "Cantines des lycées",
        "Mon lycée, des produits, des signes de qualité : les producteurs locaux au sens de ma-cantine, avec la part "
        "bio et « C du Centre ».",
        ":material/restaurant:",
    ),
    (
        "pages/selections.py",
        "Cellule TPE/PME",
        "Des sélections de fournisseurs par famille et territoire, à partager, exporter et imprimer pour "
        "une rencontre.",
        ":material/checklist:",
    ),
)
MORE_HEADER = "Autres outils"
MORE = (
    ("pages/carte.py", "Carte de tous les acteurs", ":material/map:"),
    ("pages/search.py", "Recherche multicritère", ":material/search:"),
    ("pages/couverture.py", "Couverture du territoire (zones blanches)", ":material/grid_on:"),
    ("pages/verifier.py", "Vérifier une liste de fournisseurs", ":material/fact_check:"),
    ("pages/sources.py", "Sources et imports", ":material/database:"),
)
CONTENT_HEADER = "Ce que contient Sourcier"
TOTAL = "{count} dans {departements} départements"
BY_KIND = "Acteurs par type"
BY_SOURCE = "Acteurs par source"
BY_DEPARTEMENT = "Acteurs par département"
COUNT_COLUMN = "Acteurs"
KIND_COLUMN = "Type"
SOURCE_COLUMN = "Source"
DEPARTEMENT_COLUMN = "Département"
MAP_TITLE = "Acteurs par département"
MAP_TOOLTIP = "{name} ({code}) : {count}"
OUTSIDE_REGION = "Hors région"
COUNT_NOTE = "Un acteur compte pour chacun de ses types et chacune de ses sources."
FRESHNESS_HEADER = "Fraîcheur des données"
