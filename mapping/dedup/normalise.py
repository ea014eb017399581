"""Normalise record fields for comparison: names, addresses, phones, web domains, identifiers.

Every function takes and returns aligned pandas Series. The string work runs once per *distinct*
value (names repeat across sources), so the cost follows the number of distinct values.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mapping.reference.schema import LA_POSTE_SIREN, is_valid_siret
from mapping.reference.text import strip_accents

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
_DOMAIN_PATTERN = r"^(?:[a-z]+://)?(?:www\d?\.)?(?P<d>[^/:?#\s]+)"


def ascii_upper(text: str) -> str:
    """Upper case without accents: ``"Châteauroux"`` -> ``"CHATEAUROUX"``."""
    return strip_accents(text.replace("’", "'")).upper()


def word_tokens(text: str) -> list[str]:
    text = _DOTTED_RE.sub(lambda m: m.group(0).replace(".", ""), ascii_upper(text))
    return _NON_ALNUM_RE.sub(" ", text).split()


_PARENS_RE = re.compile(r"\([^)]*\)")
_ACRONYM_RE = re.compile(r"^[A-Z]{2,7}$")
#: Words skipped by initials (« Énergie Citoyenne du Val de Loire » -> ``ECVL``); articles count.
_INITIALS_SKIP = frozenset(["DE", "DU", "DES", "D", "EN", "ET", "SUR", "SOUS", "AU", "AUX", "A"])


def _name_key(tokens: list[str]) -> str:
    tokens = [NAME_ALIASES.get(t, t) for t in tokens]
    kept = [t for t in tokens if t not in LEGAL_WORDS and t not in STOP_WORDS]
    return " ".join(kept or [t for t in tokens if t not in STOP_WORDS] or tokens)


def _initials(tokens: list[str]) -> list[str]:
    """Initials variants: with articles, without inner articles, with legal-form words."""
    words = [t for t in tokens if not t.isdigit()]
    variants = [
        [t for t in words if t not in LEGAL_WORDS and t not in _INITIALS_SKIP],
        # « La Ressourcerie de la Brenne » -> LRB: the leading article counts, inner ones don't
        [t for k, t in enumerate(words) if t not in LEGAL_WORDS and (k == 0 or t not in STOP_WORDS)],
        [t for t in words if t not in _INITIALS_SKIP],
    ]
    out: list[str] = []
    for variant in variants:
        letters = "".join(t[0] for t in variant)
        if len(letters) >= 2 and letters not in out:
            out.append(letters)
    return out


def name_parts(text: object) -> tuple[str, str, str]:
    """``(name key, acronym, initials variants)`` of an organisation name, from one tokenisation.

    See :func:`name_key`, :func:`acronym_key` and :func:`initials_key`; the initials variants
    are space-separated.
    """
    if not isinstance(text, str) or not text:
        return "", "", ""
    core = _PARENS_RE.sub(" ", text)
    tokens = word_tokens(core)
    key = _name_key(tokens) if tokens else _name_key(word_tokens(text))
    compact = "".join(tokens)
    acronym = compact if " " not in text.strip() and _ACRONYM_RE.match(compact) else ""
    return key, acronym, " ".join(_initials(tokens))


def name_key(text: object) -> str:
    """Comparable form of an organisation name.

    Accents, case and punctuation go, dotted acronyms are joined (« E.S.A.T. » -> ``ESAT``),
    abbreviations expanded (``ST`` -> ``SAINT``), parenthesised parts (SIRENE's « (SIGLE) »,
    « (siège) », « (APF) »), legal-form words (SARL, SCOP, Association…) and stop words dropped:
    « E.S.A.T. Les Ateliers du Cher (APF) » -> ``"ESAT ATELIERS CHER"``.
    """
    return name_parts(text)[0]


def initials_key(text: object) -> str:
    """Initials of a name without legal-form words and parenthesised parts (``""`` if under 2)."""
    variants = name_parts(text)[2]
    return variants.split(" ", 1)[0]


def acronym_key(text: object) -> str:
    """The name itself when it is a bare acronym (« LBSSA », « E.S.A.T. »), else ``""``."""
    return name_parts(text)[1]


def address_key(text: object) -> str:
    """Comparable street address: ``"12 AV. J. Jaurès"`` -> ``"12 AVENUE J JAURES"``."""
    if not isinstance(text, str) or not text:
        return ""
    tokens = [STREET_ALIASES.get(t, t) for t in word_tokens(text)]
    return " ".join(t for t in tokens if t not in STOP_WORDS)


def per_distinct(values: pd.Series, func: Callable[[object], str]) -> pd.Series:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(v) for v in uniques.tolist()] + [""], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def names(values: pd.Series) -> pd.Series:
    """:func:`name_key` of every value."""
    return name_fields(values)["name"]


def clean_upper(values: list[str]) -> list[str]:
    """:func:`tokens` of many strings, space-joined, vectorised with pyarrow.

    Accents, ligatures and punctuation go in bulk; only the few values with dotted acronyms
    (« E.S.A.T. ») go through the Python regex.
    """
    if not values:
        return []
    arr = pa.array(values, type=pa.large_string())
    for ligature, plain in (("Œ", "OE"), ("œ", "oe"), ("Æ", "AE"), ("æ", "ae"), ("ß", "ss")):
        arr = pc.replace_substring(arr, ligature, plain)
    arr = pc.utf8_upper(pc.replace_substring_regex(pc.utf8_normalize(arr, form="NFKD"), r"\p{Mn}+", ""))
    dotted = pc.match_substring_regex(arr, r"\b[A-Z]\.[A-Z]\.").to_numpy(zero_copy_only=False)
    arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, r"[^A-Z0-9]+", " "))
    out = arr.to_pylist()
    for k in np.flatnonzero(dotted).tolist():
        out[k] = " ".join(word_tokens(values[k]))
    return out


def name_fields(values: pd.Series, *, groups: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`name_parts` of every value: columns ``name``, ``acronym``, ``initials``.

    Parameters
    ----------
    values : pandas.Series
        Raw names.
    groups : numpy.ndarray, optional
        Group of each value (the commune): initials, only useful next to a bare acronym, are
        then computed only in the groups holding one (the others get ``""``).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    raw = [v if isinstance(v, str) else "" for v in uniques.tolist()]
    full = clean_upper(raw)
    core = clean_upper([_PARENS_RE.sub(" ", v) if "(" in v else v for v in raw])
    # the Python work runs once per distinct *cleaned* name: case, accent and punctuation
    # variants of a name (« LA RESSOURCERIE », « La Ressourcerie ») share it
    core_codes, core_uniques = pd.factorize(np.asarray(core, dtype=object))
    core_tokens = [c.split() for c in core_uniques.tolist()]
    keys = np.array([_name_key(t) if t else "" for t in core_tokens], dtype=object)[core_codes]
    for k in np.flatnonzero(np.asarray([not c for c in core], dtype=bool)).tolist():
        keys[k] = _name_key(full[k].split())
    acronyms = [""] * len(raw)
    for k, (text, c) in enumerate(zip(raw, core, strict=True)):
        if " " not in text.strip():
            compact = c.replace(" ", "")
            if _ACRONYM_RE.match(compact):
                acronyms[k] = compact
    wanted = np.ones(len(raw), dtype=bool)
    if groups is not None:
        is_acronym = np.array([a != "" for a in acronyms] + [False], dtype=bool)[codes]
        group_codes = pd.factorize(groups)[0]
        flagged = np.zeros(group_codes.max() + 2 if len(group_codes) else 1, dtype=bool)
        flagged[group_codes[is_acronym & (groups != "")]] = True
        rows = flagged[group_codes] & (codes >= 0)
        wanted = np.zeros(len(raw), dtype=bool)
        wanted[codes[rows]] = True
    wanted_cores = np.unique(core_codes[wanted]) if wanted.any() else np.empty(0, dtype=np.int64)
    core_initials = np.full(len(core_uniques), "", dtype=object)
    for k in wanted_cores.tolist():
        core_initials[k] = " ".join(_initials(core_tokens[k]))
    initials = np.where(wanted, core_initials[core_codes], "").astype(object) if len(raw) else np.empty(0, dtype=object)
    columns = {
        "name": np.append(keys, "")[codes],
        "acronym": np.array([*acronyms, ""], dtype=object)[codes],
        "initials": np.append(initials, "")[codes],
    }
    return pd.DataFrame(columns, index=values.index)


def addresses(values: pd.Series) -> pd.Series:
    """:func:`address_key` of every value."""
    return per_distinct(values, address_key)


def as_arrow(values: pd.Series) -> pa.Array:
    """Strings of ``values`` as a pyarrow array (missing values null; other objects as ``str``).

    The string work of the functions below runs in pyarrow (RE2, C++): pandas' ``.str`` methods
    on object columns loop in Python and cost seconds per column at a million records.
    """
    arr = values.to_numpy(dtype=object)
    try:
        return pa.array(arr, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or other objects: their ``str``
        return pa.array(values.astype("string").to_numpy(dtype=object, na_value=None), type=pa.large_string())


def as_series(arr: pa.Array, index: pd.Index) -> pd.Series:
    """Object Series of ``arr`` with ``""`` for nulls."""
    return pd.Series(pc.fill_null(arr, "").to_numpy(zero_copy_only=False), index=index, dtype=object)


def house_numbers(address_keys: pd.Series) -> pd.Series:
    """Leading house number of normalised addresses (``""`` when none)."""
    found = pc.extract_regex(as_arrow(address_keys), r"^(?P<n>\d+)")
    return as_series(pc.struct_field(found, [0]), address_keys.index)


def phones(values: pd.Series) -> pd.Series:
    """National 10-digit phone numbers (``+33 2…`` -> ``02…``); ``""`` when unusable."""
    digits = pc.replace_substring_regex(as_arrow(values), r"\D", "")
    digits = pc.replace_substring_regex(digits, r"^(?:0033|33)(\d{9})$", r"0\1")
    valid = pc.fill_null(pc.match_substring_regex(digits, r"^0\d{9}$"), False)
    return as_series(pc.if_else(valid, digits, ""), values.index)


def _stripped_lower(values: pd.Series) -> pa.Array:
    return pc.utf8_lower(pc.utf8_trim_whitespace(as_arrow(values)))


def domains(websites: pd.Series, emails: pd.Series | None = None) -> pd.Series:
    """Registered web domain of the website, else of the e-mail; generic web-mail domains give ``""``."""
    web = pc.struct_field(pc.extract_regex(_stripped_lower(websites), _DOMAIN_PATTERN), [0])
    if emails is not None:
        mail = pc.struct_field(pc.extract_regex(_stripped_lower(emails), r"@(?P<d>[^@\s>]+)$"), [0])
        web = pc.coalesce(web, mail)
    web = pc.fill_null(web, "")
    generic = pc.is_in(web, value_set=pa.array(sorted(GENERIC_DOMAINS), type=pa.large_string()))
    return as_series(pc.if_else(generic, "", web), websites.index)


def emails(values: pd.Series) -> pd.Series:
    """Lower-case e-mail addresses (``""`` when missing)."""
    s = pc.fill_null(_stripped_lower(values), "")
    return as_series(pc.if_else(pc.match_substring(s, "@"), s, ""), values.index)


def sirets(values: pd.Series) -> pd.Series:
    """Valid SIRETs (digits only, Luhn key checked, La Poste rule included), ``""`` otherwise."""
    digits = as_series(pc.replace_substring_regex(as_arrow(values), r"\D", ""), values.index)
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


def categorical(values: pd.Series | np.ndarray) -> pd.Categorical:
    """Strings as a categorical (int32 codes + distinct values), in order of first appearance."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=pd.Index(uniques, dtype=object))


def column_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, distinct values)`` of a string column; code ``-1`` for ``""`` and missing values.

    Categorical columns (see :func:`categorical`) give their codes without touching the strings.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        uniques = column.cat.categories.to_numpy(dtype=object)
    else:
        raw, uniques = pd.factorize(column.to_numpy(dtype=object))
        codes, uniques = raw.astype(np.int64), np.asarray(uniques, dtype=object)
    empty = np.flatnonzero(uniques == "")
    if len(empty):
        codes[codes == empty[0]] = -1
    return codes, uniques


#: Words that say where a street address is without naming a street: « Lieu-dit Les Bordes » is « LES BORDES ».
