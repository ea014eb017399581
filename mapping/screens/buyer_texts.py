"""French strings of the « Acheteurs » screen (buyers sourcing ESS and inclusive suppliers)."""

from __future__ import annotations

NAV_TITLE = "Acheteurs"
PAGE_TITLE = "Acheteurs : fournisseurs ESS et marchés réservés"
PAGE_INTRO = (
    "Pour une famille d'achat, trouvez les structures de l'économie sociale et solidaire, d'insertion et du "
    "handicap d'un territoire, et voyez combien peuvent répondre à un marché réservé."
)
FAMILIES_LABEL = "Famille d'achat"
FAMILIES_HELP = (
    "Les codes CPV de chaque famille sont indiqués : tapez un code (ex. 909) ou un mot pour filtrer la liste."
)
FAMILIES_PLACEHOLDER = "Toutes les familles"
CPV_CAPTION = "Codes CPV couverts : {codes}"
CPV_FAMILY = "**{label}** : CPV {codes}"
KINDS_LABEL = "Types de structures"
KINDS_HELP = "Aucun choix : toutes les structures. Plusieurs choix : au moins un des types."
KINDS_PLACEHOLDER = "Toutes les structures"
KIND_GROUPS = {
    "insertion": "Insertion (SIAE)",
    "handicap": "Handicap",
    "cooperative": "Coopératives",
    "ess": "ESS",
}
ARTICLES_LABEL = "Marché réservé visé"
ARTICLES_HELP = "Ne garder que les structures à qui ce type de marché peut être réservé."
ARTICLES_PLACEHOLDER = "Aucun filtre"
RESERVATION_HEADER = "Structures éligibles aux marchés réservés"
RESERVATION_LINE = "**{count}** {article} — {short} : {advice}"
RESERVATION_NOT_APPLICABLE = (
    "L2113-15 ne s'applique pas à {families} : la réservation aux entreprises de l'ESS ne vaut que pour les "
    "services de santé, sociaux et culturels listés par le code."
)
RESERVATION_HELP = (
    "Compté sur tout le résultat. Le nombre de structures éligibles guide le choix entre réserver tout le "
    "marché, réserver un lot ou prévoir une clause sociale d'insertion (seuils : "
    "data/reference/coverage_thresholds.json, les mêmes que la page « Couverture du territoire »)."
)
#: What the number of eligible structures allows (thresholds in data/reference/coverage_thresholds.json).
ADVICE = {
    "contract": "assez de structures pour réserver le marché",
    "lot": "réserver plutôt un lot",
    "clause": "une clause sociale plutôt qu'une réservation",
}
EMPTY_HINT = (
    "Élargissez la recherche : un rayon plus grand, le département plutôt qu'un EPCI, moins de types de "
    "structures, ou une autre famille d'achat."
)


def families_text(labels: list[str]) -> str:
    """« Nettoyage et propreté des locaux » or « Nettoyage…, Espaces verts… »."""
    return ", ".join(f"« {label} »" for label in labels)
