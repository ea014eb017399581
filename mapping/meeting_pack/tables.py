"""The XLSX workbook and the invitation list (CSV for a French Excel mail merge), formulas neutralised.

A value starting with ``= + - @``, a tab or a carriage return would be read as a formula by Excel or
LibreOffice (``=HYPERLINK(...)`` in a supplier's name): :func:`safe_cell` prefixes it with ``'``. The
workbook has a summary sheet and one sheet per purchase family (suppliers without one on their own sheet).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mapping.exports import neutralise
from mapping.meeting_pack import texts
from mapping.meeting_pack.content import Card
from mapping.reference import taxonomy

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: object) -> str:
    """Text that a spreadsheet shows as typed: formula starters get a leading ``'``, controls dropped."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    return neutralise(text)


def _row(card: Card) -> dict[str, str]:
    return {
        "position": str(card.number),
        "name": card.name,
        "status": texts.STATUS_PRESENT if card.present else texts.GONE,
        "siret": card.siret,
        "kinds": ", ".join(card.kinds),
        "reserved": "; ".join(card.reserved),
        "families": ", ".join(card.families),
        "products": ", ".join(card.products),
        "labels": ", ".join(card.labels),
        "address": card.address,
        "postcode": card.postcode,
        "city": card.city,
        "phone": card.phone,
        "email": card.email,
        "website": card.website,
        "sources": ", ".join(card.sources),
        "note": card.note,
    }


def _sheet_title(label: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", label).strip()[:31] or "Feuille"
    title, i = base, 2
    while title.lower() in taken:
        suffix = f" ({i})"
        title, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(title.lower())
    return title


def _fill(sheet, cards: list[Card]) -> None:
    keys = list(texts.COLUMNS)
    sheet.append([texts.COLUMNS[k] for k in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for card in cards:
        row = _row(card)
        sheet.append([safe_cell(row[k]) for k in keys])
    for column, key in zip(sheet.columns, keys, strict=True):
        width = {"name": 36, "note": 48, "address": 32, "families": 32, "reserved": 30}.get(key, 16)
        sheet.column_dimensions[column[0].column_letter].width = width
        if key in ("note", "families", "reserved"):
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"


def render_xlsx(cards: list[Card], *, title: str) -> bytes:
    """Summary sheet (every supplier, in list order) then one sheet per purchase family."""
    book = Workbook()
    summary = book.active
    taken: set[str] = set()
    summary.title = _sheet_title(texts.SUMMARY_SHEET, taken)
    _fill(summary, cards)
    families: dict[str, list[Card]] = {}
    for card in cards:
        for code in card.family_codes or [""]:
            families.setdefault(code, []).append(card)
    known = {code: i for i, code in enumerate(taxonomy.codes("purchase_families"))}
    for code in sorted(families, key=lambda c: (c == "", known.get(c, len(known)), c)):
        label = taxonomy.label("purchase_families", code) if code else texts.NO_FAMILY_SHEET
        _fill(book.create_sheet(_sheet_title(label, taken)), families[code])
    book.properties.title = safe_cell(title)
    book.properties.creator = "Sourcier"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_invitations(cards: list[Card]) -> bytes:
    """CSV for a French Excel mail merge: ``;``-separated, UTF-8 with BOM, CRLF; present suppliers only."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(texts.INVITATION_COLUMNS)
    for card in cards:
        if card.present:
            values = (card.name, card.email, card.phone, card.address, card.postcode, card.city)
            writer.writerow([safe_cell(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def mailto_link(cards: list[Card], *, title: str) -> str | None:
    """``mailto:`` to every present supplier with an email, in Bcc (they don't see each other's address)."""
    emails = list(dict.fromkeys(c.email for c in cards if c.present and c.email))
    if not emails:
        return None
    subject = quote(texts.MAIL_SUBJECT.format(title=title), safe="")
    return f"mailto:?bcc={quote(','.join(emails), safe='@,')}&subject={subject}"
