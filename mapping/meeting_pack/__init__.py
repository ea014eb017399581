"""The support cell's meeting pack of a shortlist: PDF, XLSX, invitation list and ``mailto:`` link.

Public seams: :func:`build_pdf` and :func:`build_xlsx` (``actors`` is the built table, ``items`` what
:meth:`mapping.shortlists.ShortlistStore.items` returns), :func:`build_invitations` and
:func:`mailto_link`. Everything is made offline: the PDF map is drawn from the reference geography.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import geopandas as gpd

from mapping.meeting_pack import texts
from mapping.meeting_pack.content import Card, cards
from mapping.meeting_pack.pdf import render_pdf
from mapping.meeting_pack.tables import mailto_link as _mailto
from mapping.meeting_pack.tables import render_invitations, render_xlsx, safe_cell


def build_pdf(
    actors: gpd.GeoDataFrame,
    items: list[dict[str, Any]],
    *,
    title: str = texts.DEFAULT_TITLE,
    author: str | None = None,
    day: date | None = None,
) -> bytes:
    """A4 PDF: title, date, author, offline map, one card per supplier (see :mod:`.pdf`)."""
    return render_pdf(cards(actors, items), title=title, author=author, day=day)


def build_xlsx(actors: gpd.GeoDataFrame, items: list[dict[str, Any]], *, title: str = texts.DEFAULT_TITLE) -> bytes:
    """XLSX: a summary sheet and one sheet per purchase family, no formula cell."""
    return render_xlsx(cards(actors, items), title=title)


def build_invitations(actors: gpd.GeoDataFrame, items: list[dict[str, Any]]) -> bytes:
    """Invitation list for a French Excel mail merge (name, email, phone, address): ``;``, UTF-8 BOM."""
    return render_invitations(cards(actors, items))


def mailto_link(
    actors: gpd.GeoDataFrame, items: list[dict[str, Any]], *, title: str = texts.DEFAULT_TITLE
) -> str | None:
    """``mailto:`` link to the suppliers that have an email (Bcc), ``None`` when none has."""
    return _mailto(cards(actors, items), title=title)


__all__ = ["Card", "build_invitations", "build_pdf", "build_xlsx", "cards", "mailto_link", "safe_cell"]
