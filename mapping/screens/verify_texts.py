"""French strings of the « Vérifier une liste » page (/verifier)."""

from __future__ import annotations

from mapping.screens.texts import SEARCH_TABLE_COLUMNS

PAGE_TITLE = "Vérifier une liste"
PAGE_INTRO = (
    "Déposez la liste de vos fournisseurs (CSV ou XLSX) : chaque ligne est rapprochée des acteurs de Sourcier "
    "— par SIRET, sinon SIREN, sinon nom, adresse, code postal et commune — pour dire lesquels relèvent de l'ESS, "
    "de l'insertion (SIAE), du travail protégé ou adapté (ESAT/EA), des Scop/Scic, de « C du Centre » ou du bio."
)
UPLOAD_LABEL = "Liste de fournisseurs (CSV ou XLSX)"
UPLOAD_HELP = (
    "Colonnes reconnues : « SIRET » / « N° SIRET », « Raison sociale » / « Fournisseur » / « Nom », « Adresse », "
    "« Code postal » / « CP », « Ville » / « Commune ». Une colonne SIRET ou nom suffit."
)
SAMPLE_BUTTON = "Télécharger un exemple de fichier"
SAMPLE_FILE = "exemple-liste-fournisseurs.csv"
WAITING = "Aucun fichier déposé : téléchargez l'exemple pour voir le format attendu."
FILE_REFUSED = "Fichier refusé : {reason}"
READ_SUMMARY = "Lecture : {details}"
READ_COLUMNS = "Colonnes reconnues : {columns}"
READ_IGNORED = "Colonnes ignorées : {columns}"
NO_ROWS = "Aucune ligne exploitable dans le fichier : chaque ligne doit porter un nom ou un SIRET."
REPORT_HEADER = "Lignes à revoir dans le fichier"
REPORT_COLUMNS = {"line": "Ligne", "problem": "Problème", "excerpt": "Contenu"}
REFUSED_ROW = "ligne ignorée : {reason}"
SUBHEADER = "{rows} vérifiées — {matched} reconnues dans Sourcier, {unmatched} non reconnues"
ROWS_ONE, ROWS_MANY = "1 ligne", "{n} lignes"
INDICATORS_HEADER = "Indicateurs de la liste"
INDICATORS_CAPTION = "Part des lignes vérifiées ({rows}) ; un fournisseur peut relever de plusieurs catégories."
INDICATOR_COLUMNS = {"indicator": "Indicateur", "count": "Lignes", "share": "Part de la liste"}
FAMILY_HEADER = "Par famille d'achat (fournisseurs reconnus)"
FAMILY_COLUMNS = {"family": "Famille d'achat", "count": "Fournisseurs", "share": "Part de la liste"}
INDICATORS = {
    "matched": "Reconnus dans Sourcier",
    "ess": "Économie sociale et solidaire (ESS)",
    "siae": "Structures d'insertion (SIAE), toutes",
    "esat_ea": "ESAT / entreprises adaptées",
    "scop_scic": "Scop / Scic",
    "c_du_centre": "Marque « C du Centre »",
    "ab": "Agriculture biologique (AB)",
}
KIND_INDICATOR = "dont {label}"
RESULT_HEADER = "Résultat ligne par ligne"
RESULT_COLUMNS = {
    "line": "Ligne",
    "input_name": "Nom dans la liste",
    "input_siret": "SIRET dans la liste",
    "siret_status": "SIRET",
    "matched_name": "Fournisseur reconnu",
    "confidence": "Confiance",
    "matched_on": "Rapproché sur",
    "flags": "Catégories",
    "matched_city": "Commune",
    "card": SEARCH_TABLE_COLUMNS["card"],
}
SIRET_STATUS = {"absent": "absent", "valide": "valide", "siren": "SIREN seul", "invalide": "invalide"}
MATCHED_ON = {"siret": "SIRET", "siren": "SIREN"}
FLAG_LABELS = {
    "ess": "ESS",
    "esat_ea": "ESAT/EA",
    "scop_scic": "Scop/Scic",
    "c_du_centre": "C du Centre",
    "ab": "AB",
}
CARD_LINK = "Voir la fiche"
UNMATCHED_HEADER = "Lignes non reconnues"
UNMATCHED_NONE = "Toutes les lignes ont été reconnues."
UNMATCHED_CAPTION = (
    "Ces fournisseurs ne figurent pas dans Sourcier, ou trop peu d'indices concordent ; le candidat le plus proche "
    "est indiqué quand il y en a un, à vérifier à la main."
)
UNMATCHED_COLUMNS = {
    "line": "Ligne",
    "input_name": "Nom dans la liste",
    "input_postcode": "Code postal",
    "input_city": "Commune",
    "candidate_name": "Candidat le plus proche",
    "candidate_confidence": "Confiance du candidat",
}
DOWNLOAD_CSV = "Télécharger le résultat (CSV)"
DOWNLOAD_XLSX = "Télécharger le résultat (XLSX)"
RESULT_FILE = "verification-fournisseurs"
SHEET_TITLE = "Vérification"
EXPORT_COLUMNS = {
    "line": "Ligne du fichier",
    "input_name": "Nom dans la liste",
    "input_siret": "SIRET dans la liste",
    "input_postcode": "Code postal dans la liste",
    "input_city": "Commune dans la liste",
    "siret_status": "État du SIRET",
    "uid": "Identifiant Sourcier",
    "matched_name": "Fournisseur reconnu",
    "matched_siret": "SIRET reconnu",
    "matched_address": "Adresse",
    "matched_postcode": "Code postal",
    "matched_city": "Commune",
    "confidence": "Confiance",
    "matched_on": "Rapproché sur",
    "details": "Détail de la comparaison",
    "flags": "Catégories",
    "kinds": "Types de structure",
    "families": "Familles d'achat",
    "candidate_name": "Candidat le plus proche (non retenu)",
    "card": "Fiche Sourcier",
}
MATCH_FAILED = "Rapprochement impossible : {error}"
