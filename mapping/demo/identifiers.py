"""Synthetic identifiers and contacts: SIREN/SIRET with valid Luhn keys, RNA numbers, phones, e-mails.

Every function is vectorised over numpy arrays and draws only from the ``Generator`` it is given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.demo.names import slug

#: Phone area digits (after the ``0Z``) by département: (zone digit, two-digit prefixes).
PHONE_PREFIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "18": ("2", ("48",)),
    "28": ("2", ("37",)),
    "36": ("2", ("54",)),
    "37": ("2", ("47",)),
    "41": ("2", ("54",)),
    "45": ("2", ("38",)),
    "72": ("2", ("43",)),
    "61": ("2", ("33",)),
    "27": ("2", ("32",)),
    "49": ("2", ("41",)),
    "78": ("1", ("30", "39")),
    "91": ("1", ("60", "69")),
    "77": ("1", ("60", "64")),
    "89": ("3", ("86",)),
    "58": ("3", ("86",)),
    "03": ("4", ("70",)),
    "86": ("5", ("49",)),
    "23": ("5", ("55",)),
    "87": ("5", ("55",)),
}
WEBMAIL_DOMAINS = ("gmail.com", "orange.fr", "wanadoo.fr", "laposte.net", "free.fr")
WEB_SUFFIXES = (".fr", ".fr", ".fr", ".org", ".com", ".coop")


def luhn_check_digit(body: np.ndarray, n_digits: int) -> np.ndarray:
    """Digit to append to each ``body`` (``n_digits`` digits) so that the result passes Luhn.

    Parameters
    ----------
    body : numpy.ndarray
        Non-negative integers (int64).
    n_digits : int
        Number of digits of each body (leading zeros count).

    Returns
    -------
    numpy.ndarray
        Check digits (int64, 0-9).
    """
    x = body.astype(np.int64).copy()
    total = np.zeros(len(x), dtype=np.int64)
    for position in range(1, n_digits + 1):
        digit = x % 10
        if position % 2 == 1:  # the body's last digit sits second from the right once the key is added
            digit = digit * 2
            digit = np.where(digit > 9, digit - 9, digit)
        total += digit
        x //= 10
    return (10 - total % 10) % 10


def sirens(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct valid SIREN numbers (int64, 9 digits, first digit 3-9)."""
    body = rng.choice(70_000_000, size=n, replace=False).astype(np.int64) + 30_000_000
    return body * 10 + luhn_check_digit(body, 8)


def sirets(siren: np.ndarray, sequence: np.ndarray) -> np.ndarray:
    """SIRET numbers (int64) from SIRENs and NIC sequence numbers (1-9999), Luhn key in the NIC."""
    body = siren.astype(np.int64) * 10_000 + sequence.astype(np.int64)
    return body * 10 + luhn_check_digit(body, 13)


_PAIRS = np.array([f"{i:02d}" for i in range(100)], dtype=object)
_QUADS = np.array([f"{i // 100:02d} {i % 100:02d}" for i in range(10_000)], dtype=object)


def as_digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers -> zero-padded digit strings (object array)."""
    return np.strings.zfill(np.asarray(values, dtype=np.int64).astype(str), width).astype(object)


def rna_numbers(rng: np.random.Generator, departements: np.ndarray) -> np.ndarray:
    """RNA identifiers ``W`` + département + sub-prefecture digit + 6 digits (``W452001234``)."""
    n = len(departements)
    serial = rng.integers(0, 4_000_000, n)  # sub-prefecture digit (0-3) then 6 digits
    return "W" + np.asarray(departements, dtype=object) + as_digits(serial, 7)


def phones(rng: np.random.Generator, departements: np.ndarray, mobile: np.ndarray) -> np.ndarray:
    """French phone numbers ``"02 38 12 34 56"`` (landlines by département, ``06``/``07`` mobiles)."""
    n = len(departements)
    out = np.empty(n, dtype=object)
    tail = rng.integers(0, 100_000_000, n)
    pick = rng.integers(0, 4, n)
    deps = np.asarray(departements, dtype=object)
    fixed = ~mobile
    for dep in sorted(set(deps[fixed].tolist())):
        rows = np.flatnonzero(fixed & (deps == dep))
        zone, prefixes = PHONE_PREFIXES.get(dep, ("2", ("00",)))
        heads = np.array([f"0{zone} {p} " for p in prefixes], dtype=object)
        t = tail[rows] % 1_000_000
        out[rows] = heads[pick[rows] % len(heads)] + _PAIRS[t // 10_000] + " " + _QUADS[t % 10_000]
    rows = np.flatnonzero(mobile)
    heads = np.array(("06 ", "06 ", "07 ", "06 "), dtype=object)
    t = tail[rows]
    out[rows] = heads[pick[rows]] + _QUADS[t // 10_000] + " " + _QUADS[t % 10_000]
    return out


def web_contacts(
    rng: np.random.Generator, names: np.ndarray, has_website: np.ndarray, has_email: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Websites (``https://www.<slug><suffix>``) and e-mails derived from the names.

    Actors with a website get ``contact@<domain>``-style addresses; the others a webmail address
    (``<slug>@orange.fr``). Missing values are ``None``.

    Returns
    -------
    tuple[numpy.ndarray, numpy.ndarray]
        ``(website, email)`` object arrays.
    """
    n = len(names)
    codes, uniques = pd.factorize(pd.Series(names, dtype=object))
    slugs = [slug(u) for u in uniques]
    hyphenated = np.array(slugs, dtype=object)
    plain = np.array([v.replace("-", "") for v in slugs], dtype=object)
    dotted = np.array([v.replace("-", ".") for v in slugs], dtype=object)
    suffix = np.array(WEB_SUFFIXES, dtype=object)[rng.integers(0, len(WEB_SUFFIXES), n)]
    hyphen = rng.random(n) < 0.5  # about half the sites keep the hyphens of the name
    local = np.array(("contact", "accueil", "info", "contact", "direction"), dtype=object)[rng.integers(0, 5, n)]
    webmail = np.array(WEBMAIL_DOMAINS, dtype=object)[rng.integers(0, len(WEBMAIL_DOMAINS), n)]
    website = np.full(n, None, dtype=object)
    email = np.full(n, None, dtype=object)
    rows = np.flatnonzero(has_website)
    domain = np.where(hyphen[rows], hyphenated[codes[rows]], plain[codes[rows]]) + suffix[rows]
    website[rows] = "https://www." + domain
    keep = has_email[rows]
    email[rows[keep]] = local[rows[keep]] + "@" + domain[keep]
    rows = np.flatnonzero(~has_website & has_email)
    email[rows] = dotted[codes[rows]] + "@" + webmail[rows]
    return website, email
