"""Place and sound keys of the normalised records: postcodes (CEDEX, foreign), cities, streets without
their number, lieux-dits, the name without its own commune, and a French phonetic key of names.

Each ``*s(values)`` works on a whole column (each distinct value computed once); the singular helpers
work on one value and are what the unit tests pin down.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from mapping.dedup.normalise import (
    NAME_ALIASES,
    STOP_WORDS,
    STREET_ALIASES,
    as_arrow,
    as_series,
    ascii_upper,
    per_distinct,
    word_tokens,
)

LIEU_DIT_WORDS = frozenset(["LIEU", "DIT", "LIEUDIT", "HAMEAU", "BP", "CS", "CEDEX"])
_CEDEX_RE = re.compile(r"\bCEDEX\b.*$")


def postcodes(values: pd.Series) -> pd.Series:
    """Comparable postcodes: a French one is its five digits (« 45 000 », « 45000 CEDEX 2 » -> ``45000``),
    a foreign or unusual one its upper-case letters and digits (``""`` when missing)."""
    s = pc.utf8_upper(pc.fill_null(as_arrow(values), ""))
    s = pc.replace_substring_regex(s, r"CEDEX.*$", "")
    compact = pc.replace_substring_regex(s, r"[^A-Z0-9]", "")
    five = pc.struct_field(pc.extract_regex(compact, r"^(?P<d>\d{5})$"), [0])
    return as_series(pc.coalesce(five, compact), values.index)


def city_key(text: object) -> str:
    """Comparable city name: « Orléans Cedex 2 » -> ``"ORLEANS"``, « St-Jean-de-Braye » -> ``"SAINT JEAN BRAYE"``."""
    if not isinstance(text, str) or not text:
        return ""
    cleaned = _CEDEX_RE.sub("", ascii_upper(text))
    tokens = [NAME_ALIASES.get(t, t) for t in word_tokens(cleaned) if not t.isdigit()]
    return " ".join(t for t in tokens if t not in STOP_WORDS)


def cities(values: pd.Series) -> pd.Series:
    """:func:`city_key` of every value."""
    return per_distinct(values, city_key)


def street_key(address: str) -> str:
    """The street of a normalised address: its house number, « BIS/TER » and lieu-dit words dropped."""
    tokens = address.split()
    while tokens and (tokens[0].isdigit() or tokens[0] in ("BIS", "TER", "B", "T")):
        tokens = tokens[1:]
    kept = [t for t in tokens if t not in LIEU_DIT_WORDS]
    return " ".join(kept or tokens)


#: Words of a street, a square or a zone: an address without them and without a number is a lieu-dit.
WAY_WORDS = frozenset(
    {v for value in STREET_ALIASES.values() for v in value.split()}
    | {"RUE", "RUELLE", "VOIE", "SENTIER", "PASSAGE", "ROND", "POINT", "PARC", "CITE", "RESIDENCE", "ZONE", "ZONES"}
) - {"LIEU", "DIT", "HAMEAU", "SAINT", "SAINTE", "GENERAL", "MARECHAL"}


def is_lieu_dit(address: str) -> bool:
    """A normalised address naming a place rather than a door on a way: no house number and no
    way word (« LIEU DIT LES QUATRE VENTS », « LE BOIS GUILLAUME »; not « ZA DES PORTES »)."""
    tokens = address.split()
    return bool(tokens) and not tokens[0].isdigit() and not any(t in WAY_WORDS for t in tokens)


def lieux_dits(address_keys: pd.Series) -> np.ndarray:
    """:func:`is_lieu_dit` of every normalised address."""
    codes, uniques = pd.factorize(address_keys.to_numpy(dtype=object))
    flags = np.array([isinstance(v, str) and is_lieu_dit(v) for v in uniques.tolist()] + [False], dtype=bool)
    return flags[codes]


def streets(address_keys: pd.Series) -> pd.Series:
    """:func:`street_key` of every normalised address."""
    return per_distinct(address_keys, lambda v: street_key(v) if isinstance(v, str) else "")


def core_name(name: str, city: str) -> str:
    """A name key without the words of its own commune (« DECHETERIE TOURS » in Tours -> ``"DECHETERIE"``).

    The commune name is often added or dropped by one source; what is left names the organisation.
    When nothing would be left, the name key itself.
    """
    if not name or not city:
        return name
    drop = set(city.split())
    kept = [t for t in name.split() if t not in drop]
    return " ".join(kept) if kept else name


def core_names(name_keys: pd.Series, city_keys: pd.Series) -> pd.Series:
    """:func:`core_name` of every (name key, city key) pair, computed once per distinct pair."""
    pairs = pd.MultiIndex.from_arrays([name_keys.to_numpy(dtype=object), city_keys.to_numpy(dtype=object)])
    codes, uniques = pd.factorize(pairs)
    mapped = np.array([core_name(a, b) for a, b in uniques.tolist()] + [""], dtype=object)
    return pd.Series(mapped[codes], index=name_keys.index, dtype=object)


_VOWELS_RE = re.compile(r"(?<=.)[AEIOUYH]+")
_REPEAT_RE = re.compile(r"(.)\1+")
_PHONETIC = str.maketrans({"W": "V", "K": "C", "Q": "C", "Z": "S", "X": "S", "D": "T"})


def phonetic_token(token: str) -> str:
    """A coarse phonetic code of a word: first letter kept, later vowels dropped, doubled letters merged,
    a few letters that sound alike folded (« PHILIPPE », « FILIPE » -> ``FLP``)."""
    token = token.replace("PH", "F").replace("CH", "S").replace("QU", "C").translate(_PHONETIC)
    return _REPEAT_RE.sub(r"\1", _VOWELS_RE.sub("", token))


def phonetic_key(name: str) -> str:
    """Phonetic codes of a name key's words, sorted (word order and spelling slips don't change it)."""
    return " ".join(sorted(phonetic_token(t) for t in name.split() if not t.isdigit()))


def phonetic_keys(name_keys: pd.Series) -> pd.Series:
    """:func:`phonetic_key` of every name key."""
    return per_distinct(name_keys, lambda v: phonetic_key(v) if isinstance(v, str) else "")
