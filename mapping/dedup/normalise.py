"""Normalise record fields for comparison: names, addresses, phones, web domains, identifiers.

Every function takes and returns aligned pandas Series. The string work runs once per *distinct*
value (names repeat across sources), so the cost follows the number of distinct values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from mapping.schema import LA_POSTE_SIREN, is_valid_siret

#: Legal-form and "kind of organisation" words that say nothing about which organisation it is.
LEGAL_WORDS = frozenset(
    [
        "SARL",
        "SAS",
        "SASU",
        "SA",
        "EURL",
        "EIRL",
        "EI",
        "SNC",
        "SCI",
        "SCOP",
        "SCIC",
        "SCA",
        "GIE",
        "GIP",
        "EARL",
        "GAEC",
        "SCEA",
        "SELARL",
        "SEM",
        "SPL",
        "ASSOCIATION",
        "ASSO",
        "ASSOC",
        "ASS",
        "SOCIETE",
        "STE",
        "ETS",
        "ETABLISSEMENT",
        "ETABLISSEMENTS",
        "COOPERATIVE",
        "SIEGE",
        "ANTENNE",
        "EX",
    ]
)
#: French stop words.
STOP_WORDS = frozenset(
    ["LE", "LA", "LES", "L", "DE", "DU", "DES", "D", "ET", "EN", "AU", "AUX", "A", "SUR", "SOUS", "PAR", "POUR", "THE"]
)
NAME_ALIASES = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "CTRE": "CENTRE", "ENT": "ENTREPRISE"}
#: Street type codes (SIRENE / La Poste) and their full words.
STREET_ALIASES = {
    "R": "RUE",
    "AV": "AVENUE",
    "AVE": "AVENUE",
    "BD": "BOULEVARD",
    "BLD": "BOULEVARD",
    "RTE": "ROUTE",
    "CHE": "CHEMIN",
    "CH": "CHEMIN",
    "PL": "PLACE",
    "ALL": "ALLEE",
    "IMP": "IMPASSE",
    "FG": "FAUBOURG",
    "FBG": "FAUBOURG",
    "ZA": "ZONE ARTISANALE",
    "ZI": "ZONE INDUSTRIELLE",
    "ZAC": "ZONE ACTIVITE",
    "LD": "LIEU DIT",
    "QU": "QUAI",
    "SQ": "SQUARE",
    "CRS": "COURS",
    "PROM": "PROMENADE",
    "HAM": "HAMEAU",
    "ST": "SAINT",
    "STE": "SAINTE",
    "GAL": "GENERAL",
    "MAL": "MARECHAL",
}
#: Web-mail and platform domains: a shared one says nothing about identity.
GENERIC_DOMAINS = frozenset(
    [
        "gmail.com",
        "orange.fr",
        "wanadoo.fr",
        "laposte.net",
        "free.fr",
        "hotmail.com",
        "hotmail.fr",
        "yahoo.fr",
        "yahoo.com",
        "outlook.fr",
        "outlook.com",
        "sfr.fr",
        "neuf.fr",
        "aliceadsl.fr",
        "live.fr",
        "icloud.com",
        "facebook.com",
        "linktr.ee",
        "wixsite.com",
    ]
)

_DOTTED_RE = re.compile(r"\b(?:[A-Z]\.){2,}")
_NON_ALNUM_RE = re.compile(r"[^A-Z0-9]+")
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "’": "'"})
_DOMAIN_RE = re.compile(r"^(?:[a-z]+://)?(?:www\d?\.)?([^/:?#\s]+)")


def ascii_upper(text: str) -> str:
    """Upper case without accents: ``"Châteauroux"`` -> ``"CHATEAUROUX"``."""
    text = text.translate(_LIGATURES)
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.upper()


def _tokens(text: str) -> list[str]:
    text = _DOTTED_RE.sub(lambda m: m.group(0).replace(".", ""), ascii_upper(text))
    return _NON_ALNUM_RE.sub(" ", text).split()


def name_key(text: object) -> str:
    """Comparable form of an organisation name.

    Accents, case and punctuation go, dotted acronyms are joined (« E.S.A.T. » -> ``ESAT``),
    abbreviations expanded (``ST`` -> ``SAINT``), legal-form words (SARL, SCOP, Association…) and
    stop words dropped: « E.S.A.T. Les Ateliers du Cher (APF) » -> ``"ESAT ATELIERS CHER APF"``.
    """
    if not isinstance(text, str) or not text:
        return ""
    tokens = [NAME_ALIASES.get(t, t) for t in _tokens(text)]
    kept = [t for t in tokens if t not in LEGAL_WORDS and t not in STOP_WORDS]
    return " ".join(kept or [t for t in tokens if t not in STOP_WORDS] or tokens)


#: Words skipped by initials (« Énergie Citoyenne du Val de Loire » -> ``ECVL``); articles count.
_INITIALS_SKIP = frozenset(["DE", "DU", "DES", "D", "EN", "ET", "SUR", "SOUS", "AU", "AUX", "A"])
_PARENS_RE = re.compile(r"\([^)]*\)")
_ACRONYM_RE = re.compile(r"^[A-Z]{2,7}$")


def initials_key(text: object) -> str:
    """Initials of a name without legal-form words and parenthesised parts (``""`` if under 2)."""
    if not isinstance(text, str) or not text:
        return ""
    tokens = [t for t in _tokens(_PARENS_RE.sub(" ", text)) if t not in LEGAL_WORDS and t not in _INITIALS_SKIP]
    letters = "".join(t[0] for t in tokens if not t.isdigit())
    return letters if len(letters) >= 2 else ""


def acronym_key(text: object) -> str:
    """The name itself when it is a bare acronym (« LBSSA », « E.S.A.T. »), else ``""``."""
    if not isinstance(text, str):
        return ""
    compact = "".join(_tokens(text))
    return compact if " " not in text.strip() and _ACRONYM_RE.match(compact) else ""


def address_key(text: object) -> str:
    """Comparable street address: ``"12 AV. J. Jaurès"`` -> ``"12 AVENUE J JAURES"``."""
    if not isinstance(text, str) or not text:
        return ""
    tokens = [STREET_ALIASES.get(t, t) for t in _tokens(text)]
    return " ".join(t for t in tokens if t not in STOP_WORDS)


def _per_distinct(values: pd.Series, func: Callable[[object], str]) -> pd.Series:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(v) for v in uniques.tolist()] + [""], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def names(values: pd.Series) -> pd.Series:
    """:func:`name_key` of every value."""
    return _per_distinct(values, name_key)


def addresses(values: pd.Series) -> pd.Series:
    """:func:`address_key` of every value."""
    return _per_distinct(values, address_key)


def initials(values: pd.Series) -> pd.Series:
    """:func:`initials_key` of every value."""
    return _per_distinct(values, initials_key)


def acronyms(values: pd.Series) -> pd.Series:
    """:func:`acronym_key` of every value."""
    return _per_distinct(values, acronym_key)


def house_numbers(address_keys: pd.Series) -> pd.Series:
    """Leading house number of normalised addresses (``""`` when none)."""
    return address_keys.str.extract(r"^(\d+)", expand=False).fillna("").astype(object)


def phones(values: pd.Series) -> pd.Series:
    """National 10-digit phone numbers (``+33 2…`` -> ``02…``); ``""`` when unusable."""
    digits = values.astype("string").str.replace(r"\D", "", regex=True).fillna("")
    digits = digits.str.replace(r"^(?:0033|33)(\d{9})$", r"0\1", regex=True)
    return digits.where(digits.str.fullmatch(r"0\d{9}"), "").astype(object)


def domains(websites: pd.Series, emails: pd.Series | None = None) -> pd.Series:
    """Registered web domain of the website, else of the e-mail; generic web-mail domains give ``""``."""
    web = websites.astype("string").str.strip().str.lower().str.extract(_DOMAIN_RE, expand=False)
    if emails is not None:
        mail = emails.astype("string").str.strip().str.lower().str.extract(r"@([^@\s>]+)$", expand=False)
        web = web.fillna(mail)
    web = web.fillna("")
    return web.where(~web.isin(GENERIC_DOMAINS), "").astype(object)


def emails(values: pd.Series) -> pd.Series:
    """Lower-case e-mail addresses (``""`` when missing)."""
    s = values.astype("string").str.strip().str.lower().fillna("")
    return s.where(s.str.contains("@", regex=False), "").astype(object)


def sirets(values: pd.Series) -> pd.Series:
    """Valid SIRETs (digits only, Luhn key checked, La Poste rule included), ``""`` otherwise."""
    digits = values.astype("string").str.replace(r"\D", "", regex=True).fillna("").astype(object)
    s = digits.to_numpy(dtype=object)
    ok = np.flatnonzero(digits.str.len().to_numpy() == 14)
    valid = np.zeros(len(s), dtype=bool)
    if len(ok):
        d = np.frombuffer("".join(s[ok].tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, 14) - 48
        valid[ok] = _luhn(d) & _luhn(d[:, :9])
        poste = np.flatnonzero(digits.iloc[ok].str.startswith(LA_POSTE_SIREN).to_numpy())
        if len(poste):
            valid[ok[poste]] = [is_valid_siret(v) for v in s[ok[poste]].tolist()]
    return pd.Series(np.where(valid, s, ""), index=values.index, dtype=object)


def _luhn(d: np.ndarray) -> np.ndarray:
    """Luhn check of each row of a digit matrix."""
    doubled = d[:, ::-1].astype(np.int64)
    doubled[:, 1::2] *= 2
    doubled[doubled > 9] -= 9
    return doubled.sum(axis=1) % 10 == 0


def text(values: pd.Series) -> pd.Series:
    """Stripped strings, ``""`` for missing values."""
    return values.astype("string").str.strip().fillna("").astype(object)
