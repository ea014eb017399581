"""French strings of the « Sources et imports » page (kept together, shown as plain text)."""

from __future__ import annotations

from mapping.build.imports import MAX_UPLOAD_LABEL

PAGE_TITLE = "Sources et imports"
PAGE_INTRO = (
    "Les sources ouvertes se mettent à jour en ligne ; les fichiers des partenaires de la Région (CRESS, "
    "URSCOP, France Active, C du Centre, AGIRE) s'importent ici. Chaque ligne du fichier est importée ou "
    "refusée avec son numéro de ligne et le motif."
)
SOURCES_HEADER = "Sources de données"
DEMO_NOTICE = "Données de démonstration : les instantanés embarqués sont fictifs."
IMPORT_HEADER = "Importer un fichier partenaire"
SOURCE_LABEL = "Source"
UPLOAD_LABEL = "Fichier CSV (séparateur ; , ou tabulation) ou XLSX"
UPLOAD_HELP = (
    f"Taille maximale : {MAX_UPLOAD_LABEL}. Encodage UTF-8 ou Windows-1252. La ligne d'en-tête peut être "
    "précédée de lignes de titre ; les noms de colonnes usuels sont reconnus (Raison sociale, Nom, "
    "Dénomination, SIRET, Code postal, Commune…)."
)
LIMIT_NOTICE = f"Formats acceptés : CSV, TSV, TXT, XLSX — {MAX_UPLOAD_LABEL} au plus."
CHECK_BUTTON = "Vérifier le fichier"
REPORT_HEADER = "Rapport de vérification"
REJECTED_HEADER = "Lignes refusées"
FILE_REFUSED = "Fichier refusé : {reason}"
ACCEPT_BUTTON = "Accepter l'import"
CANCEL_BUTTON = "Annuler"
ACCEPTED = "Import enregistré : {records} structures de « {title} » ; l'instantané remplacé est conservé."
REBUILD_BUTTON = "Reconstruire la table des acteurs"
REBUILT = "Table reconstruite : {actors} acteurs."
WRITE_ERROR = "Écriture impossible : {error}"
COUNTS = "{rows_read} lignes lues — {imported} importées — {rejected} refusées — {records} structures"

# Who may import (the refusal sentence itself comes from mapping.screens.access).
SIGNED_IN_AS = "Connecté en tant que « {user} » : vous pouvez importer et restaurer les sources."
OPEN_ACCESS = (
    "Imports ouverts à toute personne qui accède à l'application (aucune identité demandée) ; "
    "chaque modification est inscrite au journal."
)

# Drop threshold.
CONFIRM_DROP = "Je confirme : retirer {dropped} structures de la source"
CONFIRM_HINT = "Cochez la case ci-dessous pour confirmer, ou annulez et vérifiez le fichier."

# After a change.
SAVING = "Enregistrement et reconstruction de la table des acteurs…"
REBUILT_AFTER = "Table des acteurs reconstruite : {before} → {after} acteurs."
NOT_REBUILT = "La table n'a pas pu être reconstruite : utilisez le bouton ci-dessous ou « python -m mapping build »."

# History and restore.
HISTORY_HEADER = "Versions précédentes"
HISTORY_INTRO = (
    "Chaque import ou mise à jour conserve l'instantané qu'il remplace ({keep} par source au plus). "
    "Restaurer remet en place les fichiers de la version choisie, à l'identique ; l'instantané actuel est "
    "conservé à son tour, la restauration peut donc être annulée."
)
NO_HISTORY = "Aucune version précédente n'est conservée pour l'instant."
HISTORY_SOURCE_LABEL = "Source à restaurer"
VERSION_LABEL = "Version"
RESTORE_BUTTON = "Restaurer cette version"
RESTORED = "Version {version} de « {title} » restaurée ({records} structures)."
RESTORE_ERROR = "Restauration impossible : {error}"

# Journal.
JOURNAL_HEADER = "Journal des modifications"
JOURNAL_INTRO = "Chaque import, mise à jour en ligne et restauration, du plus récent au plus ancien."
JOURNAL_EMPTY = "Aucune modification enregistrée pour l'instant."
