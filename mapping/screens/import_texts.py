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
ACCEPTED = (
    "Import enregistré : {records} structures de « {title} ». La carte en tiendra compte à la prochaine "
    "construction de la table (bouton ci-dessous ou « python -m mapping build »)."
)
REBUILD_BUTTON = "Reconstruire la table des acteurs"
REBUILT = "Table reconstruite : {actors} acteurs."
WRITE_ERROR = "Écriture impossible : {error}"
COUNTS = "{rows_read} lignes lues — {imported} importées — {rejected} refusées — {records} structures"
