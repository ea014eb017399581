"""How humans retype an actor in a crowd-sourced directory: names, addresses, phones, websites.

Each function takes the renderer's seeded ``numpy.random.Generator`` and one value, so the
output is deterministic for a given seed and record order.
"""

from __future__ import annotations

import re

import numpy as np

from mapping.demo.names import initials, strip_accents

_SAINT_RE = re.compile(r"\bSaint(e?)-")
_LEGAL_PREFIXES = ("Association ", "ESAT ", "EA ", "SCOP ", "SCIC ")


def _typo(rng: np.random.Generator, text: str) -> str:
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return text
    i = long_words[int(rng.integers(0, len(long_words)))]
    word = words[i]
    j = int(rng.integers(1, len(word) - 2))
    swap = rng.random() < 0.5  # swap two letters, else drop one
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :] if swap else word[:j] + word[j + 1 :]
    return " ".join(words)


def vary_name(rng: np.random.Generator, name: str, kind: str) -> str:
    """A plausible human-typed variant of ``name`` (often unchanged)."""
    out = name
    r = rng.random()
    if r < 0.08 and kind == "association" and not out.startswith(("Association", "AMAP")):
        out = "Association " + out
    elif r < 0.14 and kind in ("scop", "scic", "cae") and "SCOP" not in out:
        out = out + (" SCOP" if kind != "scic" else " SCIC")
    elif r < 0.2 and kind == "esat" and out.startswith("ESAT "):
        out = out[5:] + " (ESAT)"
    elif r < 0.25 and out.startswith(_LEGAL_PREFIXES) and out.split(" ", 1)[1][:1].isupper():
        out = out.split(" ", 1)[1]  # "ESAT Les Ateliers du Cher" -> "Les Ateliers du Cher"
    elif r < 0.27:
        acronym = initials(out)
        if len(acronym) >= 3:
            out = acronym
    if "Saint" in out and rng.random() < 0.5:
        out = _SAINT_RE.sub(lambda m: "Ste " if m.group(1) else "St ", out)
    if rng.random() < 0.15:
        out = out.replace("-", " ")
    if rng.random() < 0.12:
        out = strip_accents(out)
    if rng.random() < 0.05:
        out = _typo(rng, out)
    r = rng.random()
    if r < 0.08:
        out = out.upper()
    elif r < 0.11:
        out = out.lower()
    if rng.random() < 0.03:
        out = out + " "  # trailing blank, as typed
    return out


def street_line(
    rng: np.random.Generator, number: str | None, street_type: str | None, street_name: str | None
) -> tuple[str | None, str]:
    """``(streetNumber, streetAddress)`` in one of the formats seen in GoGoCarto data.

    Either the number is a separate field, or it is part of the street line (``"12 rue des
    Lilas"``, ``"12, Rue des lilas"``), or it is missing.
    """
    stype = street_type or ""
    sname = street_name or ""
    r = rng.random()
    if r < 0.1:
        stype = stype.capitalize()
    elif r < 0.2:
        stype = stype.capitalize()
        sname = sname.lower()
    elif r < 0.25:
        stype = {
            "avenue": "av.",
            "boulevard": "bd",
            "route": "rte",
            "chemin": "ch.",
            "place": "pl.",
            "zone artisanale": "ZA",
            "zone industrielle": "ZI",
            "lieu-dit": "lieu dit",
        }.get(stype, stype)
    elif r < 0.3:
        stype, sname = stype.upper(), sname.upper()
    street = f"{stype} {sname}".strip()
    if stype in ("lieu-dit", "Lieu-dit", "lieu dit", "LIEU-DIT") and rng.random() < 0.6:
        street = sname[:1].upper() + sname[1:]  # the lieu-dit alone
    if not number:
        return None, street
    r = rng.random()
    if r < 0.35:
        return number, street
    if r < 0.75:
        return None, f"{number} {street}"
    if r < 0.9:
        return None, f"{number}, {street}"
    return None, street  # number forgotten


def vary_phone(rng: np.random.Generator, phone: str | None) -> str | None:
    """``"02 38 12 34 56"`` retyped: ``0238123456``, ``02.38.12.34.56``, ``+33 2 38 12 34 56``."""
    if phone is None or rng.random() < 0.12:
        return None
    digits = phone.replace(" ", "")
    r = rng.random()
    if r < 0.4:
        return phone
    if r < 0.65:
        return digits
    if r < 0.85:
        return ".".join(phone.split(" "))
    return "+33 " + phone[1:]


def vary_website(rng: np.random.Generator, website: str | None) -> str | None:
    """Website retyped: without scheme, without ``www.``, with a trailing slash; sometimes missing."""
    if website is None or rng.random() < 0.2:
        return None
    r = rng.random()
    if r < 0.2:
        return website.removeprefix("https://")
    if r < 0.3:
        return website.replace("https://www.", "http://")
    if r < 0.45:
        return website + "/"
    return website
