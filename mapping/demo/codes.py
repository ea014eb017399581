"""Taxonomy code lists (fixed literals of ``docs/ARCHITECTURE.md``) and vectorised list-cell builders.

List cells are built as bit masks over a code list, then decoded once per distinct mask: rows
with the same set of codes share one list object. Treat the cells as read-only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ACTOR_KINDS = (
    "association",
    "fondation",
    "mutuelle",
    "scop",
    "scic",
    "cae",
    "ei",
    "aci",
    "ai",
    "etti",
    "eiti",
    "geiq",
    "esat",
    "ea",
    "esus",
    "entreprise",
    "producteur",
    "decheterie",
    "icpe",
)
SIAE_KINDS = ("ei", "aci", "ai", "etti", "eiti", "geiq")
PURCHASE_FAMILIES = (
    "restauration_collective",
    "traiteur",
    "nettoyage",
    "espaces_verts",
    "btp_gros_oeuvre",
    "btp_second_oeuvre",
    "dechets",
    "informatique_reconditionnement",
    "impression",
    "mobilier",
    "textile",
    "blanchisserie",
    "transport_logistique",
    "demenagement",
    "formation",
    "evenementiel",
    "prestations_administratives",
    "conditionnement",
    "entretien_vehicules",
    "energie",
    "services_personne",
    "reemploi_reparation",
    "fournitures_bureau",
    "communication",
)
WASTE_TYPES = (
    "deee",
    "piles_batteries",
    "biodechets",
    "dechets_verts",
    "bois",
    "inertes",
    "platre",
    "amiante",
    "metaux",
    "papiers_cartons",
    "plastiques",
    "verre",
    "textiles",
    "mobilier",
    "pneus",
    "vhu",
    "dechets_dangereux",
    "huiles_alimentaires",
    "huiles_minerales",
    "cartouches",
    "dasri",
    "dib_melange",
    "emballages",
    "photovoltaique",
    "encombrants",
)
PRODUCT_TYPES = (
    "legumes",
    "fruits",
    "produits_laitiers",
    "fromages",
    "viandes",
    "volailles",
    "oeufs",
    "charcuterie",
    "cereales_farines",
    "pain_viennoiserie",
    "legumineuses",
    "epicerie",
    "boissons",
    "vins",
    "miel",
    "poissons",
    "plats_cuisines",
    "huiles",
)
LABELS = (
    "ab",
    "c_du_centre",
    "label_rouge",
    "hve",
    "aop_crottin_chavignol",
    "aop_sainte_maure",
    "aop_selles_sur_cher",
    "aop_valencay",
    "aop_pouligny_saint_pierre",
    "aop_vins",
    "igp_lentille_verte_berry",
    "igp_volailles_berry",
    "igp_volailles_orleanais",
    "qualirepar",
    "reparacteur",
    "rge",
    "esus",
    "qualiopi",
    "rfar",
    "entreprise_mission",
)
#: Kind implied by an INSEE legal form (added to ``actor_kinds`` after the main kind).
LEGAL_FORM_KINDS = {
    "9220": "association",
    "9230": "association",
    "9300": "fondation",
    "8210": "mutuelle",
    "5458": "scop",
    "5558": "scop",
    "5658": "scop",
}
SCOP_LEGAL_FORMS = ("5458", "5558", "5658")


def bit(codes: Sequence[str], code: str) -> int:
    """Bit of ``code`` in a mask over ``codes`` (raises ``ValueError`` for an unknown code)."""
    return 1 << codes.index(code)


def add_codes(mask: np.ndarray, rows: np.ndarray, codes: Sequence[str], chosen: Sequence[str]) -> None:
    """OR the bits of ``chosen`` into ``mask[rows]`` (in place)."""
    value = 0
    for code in chosen:
        value |= bit(codes, code)
    if value:
        mask[rows] |= value


def decode(mask: np.ndarray, codes: Sequence[str], *, first: np.ndarray | None = None) -> np.ndarray:
    """Object array of code lists (taxonomy order) from bit masks.

    Parameters
    ----------
    mask : numpy.ndarray
        int64 bit masks over ``codes``.
    codes : Sequence[str]
        The code list.
    first : numpy.ndarray, optional
        Index of a code to put first in each list (e.g. the main actor kind).
    """
    key = mask if first is None else mask * 64 + first
    uniques, inverse = np.unique(key, return_inverse=True)
    cells = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques.tolist()):
        bits = value if first is None else value // 64
        items = [c for b, c in enumerate(codes) if bits >> b & 1]
        if first is not None:
            head = codes[value % 64]
            items = [head, *(c for c in items if c != head)]
        cells[i] = items
    return cells[inverse.reshape(-1)]
