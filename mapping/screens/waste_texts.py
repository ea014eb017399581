"""French strings of the « Déchets et économie circulaire » page (``/dechets``)."""

from __future__ import annotations

PAGE_TITLE = "Déchets et économie circulaire"
PAGE_INTRO = (
    "Qui collecte, trie, traite, réemploie, répare, vend d'occasion ou loue, près d'un lieu : "
    "choisissez d'abord la nature des déchets, puis l'action voulue et le public reçu."
)
WASTE_LABEL = "1. Nature des déchets"
WASTE_HELP = (
    "Tapez un mot (« bio », « dangereux », « 20 01 08 ») pour filtrer ; les codes déchets européens sont indiqués."
)
ACTIONS_LABEL = "2. Action recherchée"
AUDIENCES_LABEL = "3. Public reçu"
AUDIENCES_HELP = (
    "Où les sources le disent : un acteur dont aucune source ne dit le public reçu (« non précisé ») "
    "n'apparaît pas si vous choisissez un public."
)
AUDIENCES_SAID = "Public renseigné par les sources pour {share} des acteurs."
EWC_CAPTION = "Codes déchets (liste européenne) : {codes}"
NOT_SAID = "non précisé"
TABLE_ACTIONS = "Actions"
TABLE_AUDIENCES = "Public"
EMPTY_HINT = "Élargissez le rayon, retirez une action ou le public reçu, ou ajoutez des natures de déchets voisines."
