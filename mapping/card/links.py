"""Safe links of the card: only ``http``, ``https``, ``mailto`` and ``tel`` URLs ever come out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from mapping.card.texts import ANNUAIRE_ENTREPRISE, ANNUAIRE_ETABLISSEMENT, L_ANNUAIRE, SAFE_SCHEMES


@dataclass(frozen=True)
class Link:
    """A checked link: ``url`` is http(s), mailto or tel; ``label`` is plain text to escape."""

    label: str
    url: str


_BARE_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:[/?#]\S*)?$", re.I)
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_PHONE_RE = re.compile(r"^\+?[0-9 .()\-/]{6,25}$")
_UNSAFE_CHARS_RE = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")


def safe_url(value: object) -> str | None:
    """``value`` as a link target if it is a plain http(s), mailto or tel URL, else None.

    A bare domain (``www.exemple.fr``) becomes ``https://www.exemple.fr``. Rejected: other schemes
    (``javascript:``, ``data:``, ``vbscript:``, ``file:``…), URLs with spaces, quotes, angle
    brackets, backslashes or control characters, http(s) URLs without a host or with credentials.
    Parentheses are percent-encoded so that the URL stays one Markdown link target.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or _UNSAFE_CHARS_RE.search(text):
        return None
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if not scheme:
        if not _BARE_DOMAIN_RE.match(text):
            return None
        text, parts, scheme = "https://" + text, urlsplit("https://" + text), "https"
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme in ("http", "https") and (not parts.hostname or "@" in parts.netloc):
        return None
    if scheme in ("mailto", "tel") and (not parts.path or parts.netloc):
        return None
    return text.replace("(", "%28").replace(")", "%29")


def website_link(value: object) -> Link | None:
    """The supplier's website as a safe link (label: the address without its scheme)."""
    url = safe_url(value)
    if url is None or not url.lower().startswith(("http://", "https://")):
        return None
    label = re.sub(r"^https?://", "", str(value).strip(), flags=re.I).rstrip("/")
    return Link(label or url, url)


def email_link(value: object) -> Link | None:
    """A ``mailto:`` link for one e-mail address (None unless it looks like exactly one address)."""
    if not isinstance(value, str):
        return None
    text = value.strip().removeprefix("mailto:")
    if not _EMAIL_RE.match(text):
        return None
    url = safe_url("mailto:" + text)
    return Link(text, url) if url else None


def phone_link(value: object) -> Link | None:
    """A ``tel:`` link (``+33…`` for a French 10-digit number), labelled with the number as given."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _PHONE_RE.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:
        return None
    if text.startswith("+"):
        target = "+" + digits
    elif len(digits) == 10 and digits.startswith("0"):
        target = "+33" + digits[1:]
    else:
        target = digits
    url = safe_url("tel:" + target)
    return Link(text, url) if url else None


def annuaire_link(siret: str | None, siren: str | None) -> Link | None:
    """The Annuaire des Entreprises page of the establishment (SIRET) or else of the company (SIREN)."""
    if siret and len(siret) == 14 and siret.isdigit():
        return Link(L_ANNUAIRE, ANNUAIRE_ETABLISSEMENT.format(siret=siret))
    if siren and len(siren) == 9 and siren.isdigit():
        return Link(L_ANNUAIRE, ANNUAIRE_ENTREPRISE.format(siren=siren))
    return None


# --------------------------------------------------------------------------- formatting
