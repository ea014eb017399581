"""What the meeting pack says about each supplier of a shortlist: one :class:`Card` per item, in order.

Pure: the built table and the shortlist's items in, French field values out (taxonomy labels, reserved
contracts, source titles). The PDF, XLSX and invitation writers all read these cards. Text stays plain
text: each writer escapes or neutralises it for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

import connectors
from mapping.meeting_pack import texts
from mapping.reference import taxonomy
from mapping.reference.schema import as_list
from mapping.shortlists import resolve

EMAIL_RE = re.compile(r"^[^@\s<>\"',;:()\[\]\\]+@[^@\s<>\"',;:()\[\]\\]+\.[A-Za-z0-9-]{2,}$")


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return " ".join(str(value).split())


def _labels(name: str, values: object) -> list[str]:
    return [taxonomy.label(name, str(code)) for code in as_list(values)]


def _source_title(name: str) -> str:
    return connectors.title(name)


@dataclass
class Card:
    """One supplier as the pack shows it (``present`` False: « n'est plus dans les données »)."""

    number: int
    uid: str
    name: str
    present: bool
    note: str = ""
    siret: str = ""
    kinds: list[str] = field(default_factory=list)
    reserved: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    family_codes: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    wastes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    sources: list[str] = field(default_factory=list)
    lon: float | None = None
    lat: float | None = None

    @property
    def full_address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.address, town) if p)

    @property
    def contact(self) -> str:
        return " · ".join(p for p in (self.phone, self.email, self.website) if p)

    def fields(self) -> list[tuple[str, str]]:
        """``(French label, value)`` lines of the card, empty values left out."""
        f = texts.FIELDS
        if not self.present:
            lines = [
                (f["siret"], self.siret),
                (f["snapshot_city"], " ".join(p for p in (self.postcode, self.city) if p)),
            ]
            return [(k, v) for k, v in lines if v] + ([(f["note"], self.note)] if self.note else [])
        lines = [
            (f["siret"], self.siret),
            (f["kinds"], ", ".join(self.kinds)),
            (f["reserved"], "; ".join(self.reserved) or texts.NOT_ELIGIBLE),
            (f["families"], ", ".join(self.families)),
            (f["products"], ", ".join(self.products)),
            (f["wastes"], ", ".join(self.wastes)),
            (f["labels"], ", ".join(self.labels)),
            (f["address"], self.full_address),
            (f["contact"], self.contact),
            (f["sources"], ", ".join(self.sources)),
            (f["note"], self.note),
        ]
        return [(k, v) for k, v in lines if v]


def _present_card(number: int, row: pd.Series) -> Card:
    kinds = [str(k) for k in as_list(row.get("actor_kinds"))]
    geom = row.get("geometry")
    has_point = geom is not None and not geom.is_empty
    email = _text(row.get("email"))
    return Card(
        number=number,
        uid=str(row["uid"]),
        name=_text(row.get("name")) or str(row["uid"]),
        present=True,
        note=str(row.get("note") or "").strip(),
        siret=_text(row.get("siret")),
        kinds=_labels("actor_kinds", kinds),
        reserved=[f"{a} – {taxonomy.reserved_contract_label(a)}" for a in taxonomy.reserved_contracts(kinds)],
        families=_labels("purchase_families", row.get("purchase_families")),
        family_codes=[str(c) for c in as_list(row.get("purchase_families"))],
        products=_labels("product_types", row.get("product_types")),
        wastes=_labels("waste_types", row.get("waste_types")),
        labels=_labels("labels", row.get("labels")),
        address=_text(row.get("address")),
        postcode=_text(row.get("postcode")),
        city=_text(row.get("city")),
        phone=_text(row.get("phone")),
        email=email if EMAIL_RE.match(email) else "",
        website=_text(row.get("website")),
        sources=[_source_title(str(s)) for s in as_list(row.get("sources"))],
        lon=float(geom.x) if has_point else None,
        lat=float(geom.y) if has_point else None,
    )


def _missing_card(number: int, item: dict[str, Any]) -> Card:
    snap = item.get("snapshot") or {}
    return Card(
        number=number,
        uid=str(item["uid"]),
        name=_text(snap.get("name")) or str(item["uid"]),
        present=False,
        note=str(item.get("note") or "").strip(),
        siret=_text(snap.get("siret")),
        postcode=_text(snap.get("postcode")),
        city=_text(snap.get("city")),
    )


def cards(actors: gpd.GeoDataFrame, items: list[dict[str, Any]]) -> list[Card]:
    """One card per item of the shortlist, in the list's order (missing actors where they stood)."""
    if actors.crs is not None and actors.crs.to_epsg() != 4326:
        actors = actors.to_crs(4326)
    found = resolve(actors, items)
    by_item = {row["item_uid"]: row for _, row in found.actors.iterrows()}
    missing = {m["uid"]: m for m in found.missing}
    out: list[Card] = []
    for item in sorted(items, key=lambda it: it.get("position", 0)):
        if item["uid"] in by_item:
            out.append(_present_card(len(out) + 1, by_item[item["uid"]]))
        elif item["uid"] in missing:
            out.append(_missing_card(len(out) + 1, item))
    return out
