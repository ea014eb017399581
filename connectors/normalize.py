"""Small normalisers of values as the real services send them (phones, names, address lines).

Pure functions shared by several connectors; each one accepts what a live answer may hold
(``None``, numbers, odd spacing) and never raises.
"""

from __future__ import annotations

import math
import re

from mapping.reference.text import fold

_NON_DIGIT_RE = re.compile(r"\D")
#: Street types of SIRENE (``type_voie`` codes) and their usual spelled-out forms.
STREET_TYPES = (
    "ALL|ALLEE|AV|AVENUE|BD|BOULEVARD|CAR|CARREFOUR|CHE|CHEMIN|CHS|CHAUSSEE|CITE|CLOS|COR|CORNICHE|CRS|COURS|"
    "DOM|DOMAINE|ESP|ESPLANADE|FG|FBG|FAUBOURG|GR|GRANDE RUE|HAM|HAMEAU|IMP|IMPASSE|LD|LIEU DIT|LOT|LOTISSEMENT|"
    "MAIL|MTE|MONTEE|PARC|PAS|PASSAGE|PL|PLACE|PLN|PLAINE|PROM|PROMENADE|QU|QUAI|QUA|QUARTIER|RES|RESIDENCE|"
    "RLE|RUELLE|RPT|ROND POINT|RTE|ROUTE|RUE|SEN|SENTIER|SQ|SQUARE|TRA|TRAVERSE|VC|VLA|VILLA|VOIE|ZA|ZAC|ZI"
)
_NUMBERED_STREET_RE = re.compile(rf"(?:^|\s)(\d+\s?(?:BIS|TER|QUATER|[A-Z])?\s(?:{STREET_TYPES})\s.*)$")
_BRACKETS_RE = re.compile(r"\s*\(([^()]*)\)")
#: Placeholders some services send instead of a value (GoGoCarto hides e-mails as ``"hidden"``).
PLACEHOLDERS = frozenset({"hidden", "private", "null", "none", "n/a", "-", "nc", "non communiqué"})


def french_phone(value: object) -> str | None:
    """A French phone number as ``"02 38 12 34 56"``; the input text stripped when it is not one.

    Accepts the national form with any separators (``02.38.12.34.56``, ``0238123456``), the
    international forms (``+33 2 38…``, ``0033 2 38…``, ``+33 (0)2 38…``) and the nine digits
    left when a spreadsheet or a numeric field dropped the leading ``0`` (``238123456``, also as
    an integer, as GoGoCarto exports show). ``None`` for empty values and placeholders.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):  # a spreadsheet number read as text: "238123456.0"
        text = text.split(".")[0]
    if not text or text.casefold() in PLACEHOLDERS:
        return None
    head = text.split("/")[0].split(" ou ")[0]  # "02 38 … / 06 …": the first number
    digits = _NON_DIGIT_RE.sub("", head.replace("(0)", ""))
    if len(digits) == 11 and digits.startswith("33"):
        digits = "0" + digits[2:]
    elif len(digits) == 13 and digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif len(digits) == 9 and digits[0] in "123456789":
        digits = "0" + digits
    if len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return text


def insee_code(value: object, width: int = 5) -> str | None:
    """A commune/postcode code as text, an integer that lost its leading 0 (data-fair may type a
    code column as a number: ``1000``) padded back to ``width``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if not text:
        return None
    return text.zfill(width) if text.isdigit() and len(text) < width else text


def email_or_none(value: object) -> str | None:
    """A stripped e-mail address, ``None`` for empty values, placeholders and text without ``@``."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.casefold() in PLACEHOLDERS or "@" not in text:
        return None
    return text


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def company_name(nom_complet: object, fallback: object = None) -> str | None:
    """Display name of an API Recherche d'entreprises result.

    ``nom_complet`` is built by the API as « dénomination (dénomination usuelle) (sigle) »: it
    already holds the sigle (never add it again), and may repeat a bracket or bracket the name
    itself (« X (X) (X) »): each bracketed part equal to the name or to an earlier part is
    dropped. ``fallback`` (``nom_raison_sociale``) is used when ``nom_complet`` is empty.
    """
    text = str(nom_complet).strip() if nom_complet is not None else ""
    if not text:
        text = str(fallback).strip() if fallback is not None else ""
    if not text:
        return None
    base = _BRACKETS_RE.sub("", text).strip() or text
    seen = {_key(base)}
    parts = [base]
    for inner in _BRACKETS_RE.findall(text):
        inner = " ".join(inner.split())
        key = _key(inner)
        if not key or key in seen:
            continue
        seen.add(key)
        parts.append(f"({inner})")
    return " ".join(parts)


def street_from_line(line: object, postcode: object = None, city: object = None) -> str | None:
    """Street part of a one-line French address (« 12 RUE X 45000 ORLEANS CEDEX 2 »).

    The line is cut before its last ``postcode`` when it holds it, else before its first 5-digit
    word followed by text (not the leading word: a house number), else before a trailing
    ``city``. What precedes (complement, number, street, distribution spéciale) is kept whole.
    """
    text = " ".join(str(line).split()) if line is not None else ""
    if not text:
        return None
    code = str(postcode).strip() if postcode is not None else ""
    cut = -1
    if code:
        cut = max((m.start() for m in re.finditer(rf"(?:^|\s){re.escape(code)}(?=\s|$)", text)), default=-1)
    if cut < 0:  # the first 5-digit word after the street (a CEDEX code may follow the town)
        found = list(re.finditer(r"\s\d{5}(?=\s+\D)", text))
        cut = found[0].start() if found else -1
    if cut >= 0:
        text = text[:cut]
    else:
        town = " ".join(str(city).split()) if city is not None else ""
        if town and (text.upper() == town.upper() or text.upper().endswith(" " + town.upper())):
            text = text[: -len(town)]
    text = text.strip(" ,")
    return street_first(text) or None


def street_first(line: str) -> str:
    """« HOTEL DE LA COMMUNAUTE 19 RUE X » -> « 19 RUE X, HOTEL DE LA COMMUNAUTE »: a complement
    written before a numbered street goes after it (as the ``siege`` street parts put it), so
    that the house number leads; any other line is returned unchanged."""
    match = _NUMBERED_STREET_RE.search(line.upper())
    if not match or match.start(1) == 0:
        return line
    prefix = line[: match.start(1)].strip(" ,")
    return f"{line[match.start(1) :]}, {prefix}" if prefix else line
