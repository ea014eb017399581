"""French grammar of place names: « de » with its contractions, « dans/en » for a département.

* :func:`of_place`: ``"Le Blanc"`` -> ``"du Blanc"``, ``"Les Montils"`` -> ``"des Montils"``,
  ``"Orléans"`` -> ``"d'Orléans"``, ``"La Ferté-Imbault"`` -> ``"de La Ferté-Imbault"``,
  ``"lycée Pothier"`` -> ``"du lycée Pothier"``. French contracts « de le » and « de les » only;
  « la » and « l' » stay as they are, capitalised as the official name writes them.
* :func:`in_departement`: ``"18"`` -> ``"dans le Cher (18)"``, ``"37"`` -> ``"en Indre-et-Loire (37)"``
  for every French département (``data/reference/geo/departements_dans.csv``), so any
  ``SOURCIER_REGION`` reads right.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from mapping import settings

_VOWELS = frozenset("aeiouyhàâäéèêëîïôöùûüœæ")
#: First words that are common nouns: the name takes « du » (masculine) before them.
_MASCULINE_NOUNS = frozenset({"lycée", "point", "collège", "centre", "quartier", "pays"})
#: « h » aspiré: no elision (« de Hautefort », « de Houdan »).
_ASPIRATED = ("haut", "hou", "hal", "ham", "han", "har", "hay", "hu")


def of_place(name: str) -> str:
    """« de » + ``name`` with French contraction and elision (see the module docstring)."""
    name = str(name).strip()
    if not name:
        return "de"
    first, _, rest = name.partition(" ")
    lower = first.lower()
    if lower == "le" and rest:
        return f"du {rest}"
    if lower == "les" and rest:
        return f"des {rest}"
    if lower in _MASCULINE_NOUNS:
        return f"du {lower}{(' ' + rest) if rest else ''}"
    if lower in {"la"} or lower.startswith(("l'", "l’")):
        return f"de {name}"
    if name[:1].lower() in _VOWELS and not (name[:1].lower() == "h" and lower.startswith(_ASPIRATED)):
        return f"d'{name}"
    return f"de {name}"


@lru_cache(maxsize=1)
def _dans() -> dict[str, str]:
    path = settings.get().reference_dir / "geo" / "departements_dans.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["dans"] for row in csv.DictReader(fh)}


def in_departement(code: str, name: str | None = None) -> str:
    """« dans le Cher (18) »; an unknown code gives « dans le département <name> (<code>) »."""
    phrase = _dans().get(str(code))
    if phrase:
        return f"{phrase} ({code})"
    return f"dans le département {name or code} ({code})"


__all__ = ["in_departement", "of_place"]
