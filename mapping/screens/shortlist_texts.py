"""French wording of « Sélections » and « Préparer une rencontre », kept together. No dependencies."""

from __future__ import annotations

SHORTLISTS_PAGE_TITLE = "Sélections"
SHORTLISTS_PAGE_INTRO = (
    "Rassemblez les fournisseurs d'une famille ou d'un territoire, annotez-les et ordonnez-les : "
    "les sélections sont enregistrées et partagées avec toute la cellule d'accompagnement."
)
MEETING_PAGE_TITLE = "Préparer une rencontre"
MEETING_PAGE_INTRO = (
    "Choisissez une sélection, puis téléchargez le dossier de la rencontre (PDF), le tableau (XLSX) "
    "et la liste d'invitation pour le publipostage."
)

# --- Author (once per session) -------------------------------------------------------------------
AUTHOR_LABEL = "Votre nom"
AUTHOR_HELP = (
    "Saisi une fois par session : il est enregistré comme auteur des sélections que vous créez et "
    "figure sur le dossier de rencontre."
)
AUTHOR_PLACEHOLDER = "ex. Camille Martin"

# --- Lists -----------------------------------------------------------------------------------------
CREATE_HEADER = "Nouvelle sélection"
CREATE_NAME_LABEL = "Nom de la sélection"
CREATE_NAME_PLACEHOLDER = "ex. Traiteurs bio du Loiret – rencontre de mars"
CREATE_BUTTON = "Créer la sélection"
CREATED = "Sélection « {name} » créée."
NO_LISTS = "Aucune sélection pour l'instant : créez-en une ci-dessus."
CHOOSE_LABEL = "Sélection"
LIST_OPTION = "{name} — {count} · {owner}"
LIST_OPTION_NO_OWNER = "{name} — {count}"
OWNER_UNKNOWN = "auteur non renseigné"
LIST_CAPTION = "Créée par {owner} le {date} · {count}"
RENAME_LABEL = "Nouveau nom"
RENAME_BUTTON = "Renommer"
DELETE_CONFIRM = "Je confirme la suppression de cette sélection"
DELETE_BUTTON = "Supprimer la sélection"
DELETED = "Sélection supprimée."
MANAGE_HEADER = "Renommer ou supprimer"
LIST_GONE = "Cette sélection n'existe plus (supprimée par un autre agent ?)."

# --- Items -------------------------------------------------------------------------------------------
ADD_HEADER = "Ajouter des fournisseurs"
ADD_SEARCH_LABEL = "Nom, SIRET ou mot-clé"
ADD_SEARCH_PLACEHOLDER = "ex. recyclerie, traiteur, 123 456 789"
ADD_CHOICE_LABEL = "Fournisseurs trouvés"
ADD_CHOICE_PLACEHOLDER = "Choisissez un ou plusieurs fournisseurs"
ADD_BUTTON = "Ajouter à la sélection"
ADDED = "{n} fournisseur(s) ajouté(s)."
ADD_MORE = "Les {shown} premiers résultats sur {total} : précisez la recherche."
ITEMS_HEADER = "Fournisseurs de la sélection"
EMPTY_LIST = "Cette sélection est vide : ajoutez des fournisseurs ci-dessus ou depuis leur fiche."
NOTE_LABEL = "Note"
NOTE_PLACEHOLDER = "Ce qu'il faut savoir avant la rencontre…"
UP = "Monter"
DOWN = "Descendre"
REMOVE = "Retirer"
GONE = "n'est plus dans les données"
GONE_DETAIL = "Connu lors de l'ajout : {details}"
RELINKED = "retrouvé dans les données (identifiant mis à jour par une reconstruction)"
MAP_HEADER = "Carte de la sélection"
MAP_NONE = "Aucun fournisseur localisé dans cette sélection."
TO_MEETING = "Préparer une rencontre avec cette sélection"

# --- Card integration (« Ajouter à une sélection ») ------------------------------------------------
CARD_ADD_LABEL = "Ajouter à une sélection"
CARD_ADD_BUTTON = "Ajouter"
CARD_ADDED = "Ajouté à « {name} »."
CARD_ALREADY = "Déjà dans « {name} »."
CARD_IN_LISTS = "Dans : {names}"

# --- Meeting page --------------------------------------------------------------------------------
MEETING_CHOOSE_LABEL = "Sélection à présenter"
MEETING_SUMMARY = "{count} dont {emails} avec une adresse électronique."
MEETING_GONE_ONE = "1 fournisseur n'est plus dans les données : il figure dans le dossier avec ce qui en était connu."
MEETING_GONE_MANY = (
    "{n} fournisseurs ne sont plus dans les données : ils figurent dans le dossier avec ce qui en était connu."
)
DOWNLOAD_PDF = "Dossier de rencontre (PDF)"
DOWNLOAD_XLSX = "Tableau par famille d'achat (XLSX)"
DOWNLOAD_CSV = "Liste d'invitation (CSV, publipostage Excel)"
MAILTO = "Écrire aux fournisseurs (en copie cachée)"
NO_EMAIL = "Aucun fournisseur de cette sélection n'a d'adresse électronique."
MEETING_AUTHOR_MISSING = "Indiquez votre nom dans la barre latérale : il figurera sur le dossier."
FILE_STEM = "rencontre"
