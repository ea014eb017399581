"""Who may change a source from the app: a pure decision from the request headers and the settings.

Behind the Région's reverse proxy (or SSO gateway), the proxy authenticates the agent and passes the
identity in a request header it controls (``SOURCIER_USER_HEADER``, e.g. ``X-Forwarded-User``);
Streamlit hands the headers of the session's request to the page (``st.context.headers``), which calls
:func:`decide`. The header is only trustworthy when the app cannot be reached but through that proxy
and the proxy overwrites the header a client sends (README).

* Neither ``SOURCIER_USER_HEADER`` nor ``SOURCIER_IMPORTERS`` set (a laptop, the demo): everyone may
  import, as before; the journal then says « non identifié ».
* Either set: only an identity listed in ``SOURCIER_IMPORTERS`` (compared without case) and carried
  by the header may import or restore. A missing header, or a header setting without importers (or
  importers without a header), lets nobody in from the app: the decision fails closed.

The command line (``python -m mapping import``) is for whoever runs the server and is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mapping import settings as settings_module
from mapping.settings import Settings

MAX_NAMES = 5


@dataclass(frozen=True)
class Access:
    """The decision for one session: ``allowed`` to import/restore, the agent's ``user`` (None when
    not identified) and, when refused, the French ``reason`` saying whom to ask."""

    allowed: bool
    user: str | None
    restricted: bool
    reason: str = ""


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """Value of header ``name`` (case-insensitive), stripped; None when absent or blank."""
    wanted = name.strip().lower()
    for key in headers:
        if str(key).lower() == wanted:
            value = str(headers[key]).strip()
            return value or None
    return None


def whom_to_ask(importers: frozenset[str]) -> str:
    """« alice, bob » (sorted, at most :data:`MAX_NAMES`), or the server's administrator."""
    names = sorted(importers)
    if not names:
        return "l'administrateur du serveur de Sourcier"
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" (et {len(names) - MAX_NAMES} autres)" if len(names) > MAX_NAMES else "")


def decide(headers: Mapping[str, str], settings: Settings | None = None) -> Access:
    """May the session whose request carried ``headers`` import and restore sources?"""
    settings = settings or settings_module.get()
    if not settings.imports_restricted:
        return Access(allowed=True, user=None, restricted=False)
    user = header_value(headers, settings.user_header) if settings.user_header else None
    ask = whom_to_ask(settings.importers)
    if user is None:
        reason = (
            "Votre identité n'a pas été transmise à Sourcier : l'import et la restauration des sources sont "
            f"réservés aux agents habilités. Pour modifier une source, adressez-vous à : {ask}."
        )
        return Access(allowed=False, user=None, restricted=True, reason=reason)
    if user.casefold() in settings.importers:
        return Access(allowed=True, user=user, restricted=True)
    reason = (
        f"Connecté en tant que « {user} » : vous pouvez consulter l'état des sources, mais l'import et la "
        f"restauration sont réservés aux agents habilités. Pour modifier une source, adressez-vous à : {ask}."
    )
    return Access(allowed=False, user=user, restricted=True, reason=reason)


__all__ = ["Access", "decide", "header_value", "whom_to_ask"]
