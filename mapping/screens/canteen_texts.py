"""French strings of the « Cantines » page (canteen managers of the Région's lycées)."""

from __future__ import annotations

PAGE_TITLE = "Cantines"
PAGE_INTRO = (
    "Pour les gestionnaires de restauration des lycées : des producteurs locaux, du plus proche au plus "
    "lointain, par famille de produits et signe de qualité, avec le « local » défini comme ma-cantine le "
    "propose (distance, EPCI, département ou région)."
)
LYCEE_LABEL = "Mon lycée"
LYCEE_PLACEHOLDER = "Nom, commune ou code UAI du lycée"
LYCEE_HELP = "Tous les lycées de la région ; tapez quelques lettres du nom, de la commune ou le code UAI."
PLACE_LABEL = "… ou un lieu"
PLACE_PLACEHOLDER = "Commune, code postal, coordonnées"
PLACE_FROM_LYCEE = "Le « local » se mesure depuis le lycée choisi ; effacez-le pour indiquer un autre lieu."
PLACE_HELP = "Utilisé seulement si aucun lycée n'est choisi."
PRODUCTS_LABEL = "Familles de produits"
LABELS_LABEL = "Signes de qualité"
LABELS_HELP = "Un producteur convient s'il porte au moins un des signes choisis."
LOCAL_LABEL = "Que veut dire « local » ?"
LOCAL_HELP = "Comme dans ma-cantine : une distance, la même intercommunalité (EPCI), le même département ou la région."
LOCAL_CHOICES = {
    "km": "À moins de N km",
    "epci": "Même EPCI",
    "departement": "Même département",
    "region": "Même région",
}
KM_LABEL = "Distance maximale (km)"
LABEL_GROUPS = {
    "ab": "Agriculture biologique (AB)",
    "aop_igp": "AOP / IGP (fromages, vins, lentille, volailles)",
    "label_rouge": "Label Rouge",
    "hve": "Haute valeur environnementale (HVE)",
    "c_du_centre": "C du Centre",
}
NEED_PLACE = "Choisissez votre lycée (ou un lieu) pour définir ce qui est « local »."
WHERE_KM = "à moins de {km} km {of_place}"
WHERE_EPCI = "dans l'EPCI « {epci} »"
WHERE_DEPARTEMENT = "{dans}, département {of_place}"
WHERE_REGION = "dans la région"
SHARES = "Dont {organic} % bio (AB) et {cdc} % « C du Centre »."
TARGETS = "Objectifs du SPASER 2 de la Région : 100 % de produits locaux, 50 % de produits bio."
TABLE_HEADER = "Producteurs, du plus proche au plus lointain"
TABLE_COLUMNS = {
    "name": "Nom",
    "distance_km": "Distance (km)",
    "products": "Produits",
    "families": "Familles",
    "labels": "Signes de qualité",
    "city": "Commune",
    "contact": "Contact",
    "card": "Fiche",
}
EMPTY = "Aucun producteur ne correspond {where}."
WIDEN_KM = "Essayez une distance plus grande (par exemple {km} km)."
WIDEN_EPCI = "Essayez « Même département » au lieu de l'EPCI."
WIDEN_DEPARTEMENT = "Essayez « Même région »."
WIDEN_LABELS = "Retirez un signe de qualité."
WIDEN_PRODUCTS = "Retirez une famille de produits."
BAD_LOCAL = "« local » ignoré : « {value} » n'est pas km:<N> (N de 1 à {high}), epci, departement ou region."
BAD_LYCEE = "Lycée ignoré : aucun lycée de la région ne porte le code UAI « {value} »."
BAD_CODES = "Valeur inconnue ignorée dans « {name} » : {codes}."
UNKNOWN_PARAM = "Paramètre d'adresse inconnu ignoré : « {name} »."
NO_EPCI = "La commune du lieu choisi n'a pas d'EPCI connu : recherche dans son département."
