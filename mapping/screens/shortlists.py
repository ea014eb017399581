"""Page helpers of « Sélections » and « Préparer une rencontre »: labels, item rows, file names.

No Streamlit here: the pages (and ``pages/_shortlist_widgets.py``, the widgets shared with the supplier card)
call these and render what they return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mapping.reference import taxonomy, text
from mapping.reference.schema import as_list
from mapping.screens import shortlist_texts as texts
from mapping.screens.texts import format_date, markdown_text, suppliers_count
from mapping.shortlists import Resolved


def _literal(value: object) -> str:
    """:func:`markdown_text`, and no automatic link either (``http://``, ``www.`` stay text)."""
    return markdown_text(str(value)).replace(":", "\\:").replace("www.", "www\\.")


def list_label(row: dict[str, Any]) -> str:
    """Option label of a shortlist: name, supplier count, author."""
    count = suppliers_count(int(row.get("count") or 0))
    if row.get("owner"):
        return texts.LIST_OPTION.format(name=row["name"], count=count, owner=row["owner"])
    return texts.LIST_OPTION_NO_OWNER.format(name=row["name"], count=count)


def list_caption(row: dict[str, Any]) -> str:
    return texts.LIST_CAPTION.format(
        owner=markdown_text(row.get("owner") or texts.OWNER_UNKNOWN),
        date=format_date(row.get("created_at")),
        count=suppliers_count(int(row.get("count") or 0)),
    )


@dataclass(frozen=True)
class ItemRow:
    """One line of the shortlist editor (``present`` False: « n'est plus dans les données »)."""

    uid: str
    position: int
    title: str
    detail: str
    note: str
    present: bool
    relinked: bool = False


def _join(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if isinstance(p, str) and p.strip())


def item_rows(resolved: Resolved) -> list[ItemRow]:
    """The editor's rows in list order, missing actors at their place (Markdown-safe text)."""
    rows = []
    for _, actor in resolved.actors.iterrows():
        kinds = ", ".join(taxonomy.labels_for("actor_kinds", as_list(actor.get("actor_kinds"))))
        rows.append(
            ItemRow(
                uid=str(actor["item_uid"]),
                position=int(actor["position"]),
                title=_literal(actor.get("name") or actor["uid"]),
                detail=_literal(_join(actor.get("city"), kinds, actor.get("siret"))),
                note=str(actor.get("note") or ""),
                present=True,
                relinked=actor["item_uid"] in resolved.relinked,
            )
        )
    for item in resolved.missing:
        snap = item.get("snapshot") or {}
        details = _join(snap.get("city"), snap.get("siret")) or item["uid"]
        rows.append(
            ItemRow(
                uid=str(item["uid"]),
                position=int(item.get("position") or 0),
                title=_literal(snap.get("name") or item["uid"]),
                detail=texts.GONE_DETAIL.format(details=_literal(details)),
                note=str(item.get("note") or ""),
                present=False,
            )
        )
    return sorted(rows, key=lambda r: r.position)


def candidates(found: pd.DataFrame, already: set[str]) -> dict[str, str]:
    """``uid -> "Nom — Commune"`` of search results not yet in the list (plain text: a selectbox label)."""
    out = {}
    for uid, name, city in zip(found["uid"], found["name"], found["city"], strict=True):
        if uid not in already:
            out[str(uid)] = _join(str(name or uid), city if isinstance(city, str) else "").replace(" · ", " — ", 1)
    return out


def file_name(list_name: str, extension: str) -> str:
    """``"Traiteurs bio (mars)"`` -> ``"rencontre-traiteurs-bio-mars.pdf"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.fold(list_name).lower()).strip("-")[:60]
    return f"{texts.FILE_STEM}-{slug or 'selection'}.{extension}"


def email_count(actors: pd.DataFrame) -> int:
    if "email" not in actors:
        return 0
    return sum(isinstance(e, str) and "@" in e for e in actors["email"].tolist())
