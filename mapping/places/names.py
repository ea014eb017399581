"""Gazetteer of :func:`mapping.places.resolve.resolve_place`: normalised names of communes, EPCI, départements, lycées.

Built once per region from :mod:`mapping.reference.geography`; names are compared accent-, case- and
punctuation-insensitively (:func:`mapping.reference.geography.normalize_place_name`). Private: the public API is
``mapping.places.resolve``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from mapping.reference import geography
from mapping.reference.geography import normalize_place_name as norm

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEP_RE = re.compile(r"^(\d{2}|2[AB]|97\d)$")
UAI_RE = re.compile(r"^\d{7}[A-Z]$")
_NUMBER = r"[-+]?\d{1,3}(?:[.,]\d+)?"
COORDS_RE = re.compile(rf"^\(?\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*\)?$")
ADDRESS_RE = re.compile(
    r"^\s*(\d+\s*(bis|ter|[a-d])?\s*,?\s*)?(rue|avenue|av|bd|boulevard|chemin|place|all[ée]e|route|rte|impasse|"
    r"quai|cours|square|rond[- ]point|faubourg|fg|lieu[- ]dit|zone|za|zi|zac|r[ée]sidence|voie|sentier|mail)\b",
    re.IGNORECASE,
)
DEP_WORDS = {"DEPARTEMENT", "DEPT", "DEP", "DU", "DE", "LA", "L", "DES"}
EPCI_MARKERS = {"COMMUNAUTE", "CC", "CA", "CU", "AGGLO", "AGGLOMERATION", "METROPOLE", "EPCI", "COMCOM", "INTERCO"}
EPCI_GENERIC = {"COMMUNAUTE", "COMMUNES", "COMMUNE", "AGGLOMERATION", "URBAINE", "CC", "CA", "CU", "EPCI"}
LYCEE_MARKERS = {"LYCEE", "LYCEES", "LYC", "LP", "LPO", "LGT", "LEGT", "LEGTA", "LPA"}
LYCEE_GENERIC = LYCEE_MARKERS | {
    "GENERAL", "GENERALE", "TECHNOLOGIQUE", "PROFESSIONNEL", "POLYVALENT", "METIERS", "SECTION", "ENSEIGNEMENT",
    "PRIVE", "PUBLIC", "AGRICOLE",
}  # fmt: skip
SMALL_WORDS = {"DE", "DU", "DES", "D", "LA", "LE", "LES", "L", "ET", "EN", "SUR", "SOUS", "AUX", "AU", "A"}


@dataclass
class Gazetteer:
    region: str
    communes: pd.DataFrame  # every commune, indexed by code_insee
    commune_names: dict[str, list[str]]  # normalised name -> codes (every commune)
    region_communes: set[str]
    departements: dict[str, str]  # code -> name
    departement_names: dict[str, str]  # normalised name -> code
    epcis: dict[str, str]  # code -> name (EPCI of the region's communes)
    epci_tokens: dict[str, frozenset[str]]
    lycees: pd.DataFrame  # region lycées, one row per UAI (upper case)
    lycee_tokens: list[frozenset[str]]


@lru_cache(maxsize=4)
def gazetteer(region: str) -> Gazetteer:
    communes = geography.communes().set_index("code_insee", drop=False)
    names: dict[str, list[str]] = defaultdict(list)
    for code, name in zip(communes["code_insee"], communes["nom"], strict=True):
        names[norm(name)].append(code)
    in_region = communes["region"] == region
    deps = geography.departement_names()
    all_epcis = geography.epci_names()
    epcis = {c: all_epcis[c] for c in communes.loc[in_region, "epci"].dropna().unique() if c in all_epcis}
    lycees = geography.lycees(region).assign(uai=lambda f: f["uai"].str.upper()).drop_duplicates("uai")
    lycees = lycees.reset_index(drop=True)
    return Gazetteer(
        region=region,
        communes=communes,
        commune_names=dict(names),
        region_communes=set(communes.loc[in_region, "code_insee"]),
        departements=deps,
        departement_names={norm(name): code for code, name in deps.items()},
        epcis=epcis,
        epci_tokens={c: frozenset(norm(n).split()) - EPCI_GENERIC - SMALL_WORDS for c, n in epcis.items()},
        lycees=lycees,
        lycee_tokens=[frozenset(norm(n).split()) - LYCEE_GENERIC - SMALL_WORDS for n in lycees["nom"]],
    )


def french_title(text: str) -> str:
    """``"LYCÉE JEAN DE LA TAILLE"`` -> ``"Lycée Jean de la Taille"`` (upper-case names of the lycée table)."""
    words = []
    for i, word in enumerate(text.lower().split()):
        small = norm(word) in SMALL_WORDS or ("'" in word and norm(word.split("'")[0]) in {"D", "L"})
        words.append(word if (small and i) else word[:1].upper() + word[1:])
    return re.sub(r"([-'])(\w)", lambda m: m.group(1) + m.group(2).upper(), " ".join(words)).replace("D'", "d'")


def split_hints(words: list[str]) -> tuple[list[str], str | None, str | None]:
    """Words without a trailing postcode or département code, and those codes."""
    postcode = departement = None
    rest = []
    for word in words:
        if word.isdigit() and len(word) == 5:
            postcode = word
        elif DEP_RE.match(word) and rest:
            departement = word
        else:
            rest.append(word)
    return rest, postcode, departement


def communes_named(
    g: Gazetteer, name: str, postcode: str | None, departement: str | None, *, national: bool = False
) -> list[str]:
    codes = g.commune_names.get(name, [])
    if postcode:
        codes = [c for c in codes if postcode in str(g.communes.at[c, "codes_postaux"]).split("|")]
    if departement:
        codes = [c for c in codes if g.communes.at[c, "departement"] == departement]
    return codes if national else [c for c in codes if c in g.region_communes]


def lycee_matches(g: Gazetteer, words: set[str], *, exact_only: bool = False) -> list[int]:
    exact, partial = [], []
    for i, tokens in enumerate(g.lycee_tokens):
        commune = set(norm(g.lycees.at[i, "commune"]).split())
        if not tokens or not (words & tokens) or not words <= tokens | commune:
            continue
        (exact if words - commune == tokens else partial).append(i)
    hits = exact if exact_only else exact or partial
    main = [i for i in hits if not norm(g.lycees.at[i, "nom"]).startswith("SECTION")]
    return main or hits
