"""Plausible French names for demo actors, composed from parts and real place names.

Names come from templates such as ``"Ressourcerie {de_place}"`` whose slots are filled, row by row
but vectorised per template, from arrays prepared by :mod:`mapping.demo.world`:

``{place}`` commune name, ``{de_place}`` the same with its French preposition ("de Tours",
"d'Orléans", "du Blanc"), ``{terr}``/``{de_terr}`` a territory of the département ("Touraine",
"de la Brenne"), ``{de_dep}`` the département ("du Cher"), ``{surname}``, ``{first}``,
``{coined}`` a coined brand ("Tri'Val", "Passerelle"), ``{nature}`` ("des Tilleuls") and
``{lieu}`` a rural place ("de la Grande Borde").
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np

DEPARTEMENT_NAMES = {
    "18": ("Cher", "du Cher"),
    "28": ("Eure-et-Loir", "d'Eure-et-Loir"),
    "36": ("Indre", "de l'Indre"),
    "37": ("Indre-et-Loire", "d'Indre-et-Loire"),
    "41": ("Loir-et-Cher", "de Loir-et-Cher"),
    "45": ("Loiret", "du Loiret"),
    "03": ("Allier", "de l'Allier"),
    "23": ("Creuse", "de la Creuse"),
    "27": ("Eure", "de l'Eure"),
    "49": ("Maine-et-Loire", "de Maine-et-Loire"),
    "58": ("Nièvre", "de la Nièvre"),
    "61": ("Orne", "de l'Orne"),
    "72": ("Sarthe", "de la Sarthe"),
    "77": ("Seine-et-Marne", "de Seine-et-Marne"),
    "78": ("Yvelines", "des Yvelines"),
    "86": ("Vienne", "de la Vienne"),
    "87": ("Haute-Vienne", "de la Haute-Vienne"),
    "89": ("Yonne", "de l'Yonne"),
    "91": ("Essonne", "de l'Essonne"),
}
#: Territories ("pays", natural regions) of each département: (name, name with preposition).
TERRITORIES = {
    "18": (
        ("Berry", "du Berry"),
        ("Sancerrois", "du Sancerrois"),
        ("Boischaut", "du Boischaut"),
        ("Pays de Vierzon", "du Pays de Vierzon"),
        ("Septaine", "de la Septaine"),
        ("Pays Fort", "du Pays Fort"),
    ),
    "28": (
        ("Beauce", "de Beauce"),
        ("Perche", "du Perche"),
        ("Pays Drouais", "du Pays Drouais"),
        ("Pays Chartrain", "du Pays Chartrain"),
        ("Dunois", "du Dunois"),
    ),
    "36": (
        ("Brenne", "de la Brenne"),
        ("Boischaut", "du Boischaut"),
        ("Champagne Berrichonne", "de la Champagne Berrichonne"),
        ("Berry", "du Berry"),
        ("Pays de Valençay", "du Pays de Valençay"),
    ),
    "37": (
        ("Touraine", "de Touraine"),
        ("Val de Loire", "du Val de Loire"),
        ("Lochois", "du Lochois"),
        ("Chinonais", "du Chinonais"),
        ("Gâtine Tourangelle", "de la Gâtine Tourangelle"),
    ),
    "41": (
        ("Sologne", "de Sologne"),
        ("Vendômois", "du Vendômois"),
        ("Blésois", "du Blésois"),
        ("Perche", "du Perche"),
        ("Vallée du Cher", "de la Vallée du Cher"),
    ),
    "45": (
        ("Gâtinais", "du Gâtinais"),
        ("Sologne", "de Sologne"),
        ("Orléanais", "de l'Orléanais"),
        ("Giennois", "du Giennois"),
        ("Pithiverais", "du Pithiverais"),
        ("Val de Loire", "du Val de Loire"),
    ),
}
REGION_NAMES = {
    "24": "Centre-Val de Loire",
    "11": "Île-de-France",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "52": "Pays de la Loire",
    "75": "Nouvelle-Aquitaine",
    "84": "Auvergne-Rhône-Alpes",
}

_VOWELS = frozenset("AEIOUYÂÊÎÔÛÉÈËÏÜHaeiouyâêîôûéèëïüh")
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae"})


_ASCII = str.maketrans(
    "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ’",
    "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY'",
)


def strip_accents(text: str) -> str:
    """``"Châteauroux"`` -> ``"Chateauroux"`` (ligatures expanded)."""
    fast = text.translate(_ASCII).translate(_LIGATURES)
    if fast.isascii():
        return fast
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sirene_upper(text: str) -> str:
    """SIRENE style: upper case, no accents, apostrophes as spaces (``"RUE DE L EGLISE"``)."""
    cleaned = strip_accents(text).upper().replace("'", " ").replace("’", " ")
    return " ".join(cleaned.split())


def with_de(name: str) -> str:
    """French "of" + place name: ``de Tours``, ``d'Orléans``, ``du Blanc``, ``des Montils``."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1] in _VOWELS:
        return "d'" + name
    return "de " + name


def initials(name: str) -> str:
    """Acronym of the capitalised words: ``"Jardins de Cocagne de Touraine"`` -> ``"JCT"``."""
    words = [w for w in strip_accents(name).replace("'", " ").replace("-", " ").split() if w[:1].isupper()]
    return "".join(w[0] for w in words).upper()


_SLUG_STOP = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "sur", "sous"})
_WORD_RE = re.compile(r"[a-z0-9]+")


def slug(name: str, *, max_words: int = 3) -> str:
    """Lower-case ASCII slug for e-mail addresses and domains: ``"ressourcerie-vierzon"``."""
    text = name.lower()
    if not text.isascii():
        text = strip_accents(text)
    words = [w for w in _WORD_RE.findall(text) if w not in _SLUG_STOP]
    return "-".join(words[:max_words]) or "contact"


def parse_template(template: str) -> list[tuple[str, str | None]]:
    """Split ``"Ressourcerie {de_place}"`` into ``[("Ressourcerie ", "de_place")]`` pairs."""
    return [(literal, field) for literal, field, _, _ in string.Formatter().parse(template)]


def compose(templates: Sequence[str], choice: np.ndarray, slots: Mapping[str, np.ndarray]) -> np.ndarray:
    """Fill ``templates[choice[i]]`` with ``slots[...][i]`` for every row ``i``.

    Parameters
    ----------
    templates : Sequence[str]
        ``str.format``-style templates naming keys of ``slots``.
    choice : numpy.ndarray
        Template index of each row.
    slots : Mapping[str, numpy.ndarray]
        Object arrays of strings, one value per row.

    Returns
    -------
    numpy.ndarray
        Object array of composed names (one per row).
    """
    out = np.empty(len(choice), dtype=object)
    for t, template in enumerate(templates):
        rows = np.flatnonzero(choice == t)
        if not len(rows):
            continue
        acc = np.full(len(rows), "", dtype=object)
        for literal, field in parse_template(template):
            if literal:
                acc = acc + literal
            if field:
                acc = acc + slots[field][rows]
        out[rows] = acc
    return out
