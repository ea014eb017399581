"""The card model: :class:`Card` and :func:`build_card` (pure, texts not escaped)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from connectors.base import text_or_none
from mapping.card.links import Link, annuaire_link, email_link, phone_link, safe_url, website_link
from mapping.card.texts import NONE_TEXT, PRECISION_TEXTS, RESERVED_SENTENCES
from mapping.reference import geography, taxonomy
from mapping.reference.schema import as_list
from mapping.reference.text import fold


@dataclass(frozen=True)
class ReservedContract:
    """A reserved-contract article the supplier qualifies for."""

    article: str
    label: str
    sentence: str


@dataclass(frozen=True)
class SourceLine:
    """One source record: source title, the record's own name, address and date, its page if any."""

    source: str
    title: str
    name: str | None
    address: str | None
    date: str | None
    link: Link | None


@dataclass(frozen=True)
class Card:
    """Everything a supplier card shows (texts not escaped; see the module docstring)."""

    uid: str
    name: str
    other_names: tuple[str, ...] = ()
    siret: str | None = None
    siren: str | None = None
    annuaire: Link | None = None
    legal_form: str | None = None
    naf: str | None = None
    kinds: tuple[str, ...] = ()
    reserved: tuple[ReservedContract, ...] = ()
    purchase_families: tuple[str, ...] = ()
    waste_types: tuple[str, ...] = ()
    product_types: tuple[str, ...] = ()
    #: product names as the source gives them (« Crottin de Chavignol AOP »)
    products: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    address: str | None = None
    departement: str | None = None
    precision: str = PRECISION_TEXTS[None]
    distance_km: float | None = None
    distance: str | None = None
    phone: Link | None = None
    email: Link | None = None
    website: Link | None = None
    description: str | None = None
    lat: float | None = None
    lon: float | None = None
    sources: tuple[SourceLine, ...] = ()
    records_available: bool = True
    merge_explanation: str | None = None
    merge_reasons: tuple[str, ...] = ()
    updated_at: str | None = None
    freshness: tuple[str, ...] = ()
    demo: bool = False


def format_date(value: object) -> str | None:
    """« 22/11/2026 » for a date, datetime, Timestamp or ISO string (None when unreadable)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value)
        except (ValueError, TypeError):
            return None
    if isinstance(value, pd.Timestamp) and pd.isna(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return None


def format_distance(km: float | None) -> str | None:
    """« 850 m », « 2,3 km », « 14 km » (French decimal comma)."""
    if km is None or (isinstance(km, float) and math.isnan(km)):
        return None
    if km < 1:
        return f"{round(km * 1000):d} m"
    if km < 10:
        return f"{km:.1f} km".replace(".", ",")
    return f"{round(km):d} km"


def _other_names(name: str, records: Iterable[Any]) -> tuple[str, ...]:
    seen = {fold(name)}
    out = []
    for record in records:
        candidate = text_or_none(getattr(record, "name", None))
        if candidate and fold(candidate) not in seen:
            seen.add(fold(candidate))
            out.append(candidate)
    return tuple(out)


def _address(row: Mapping[str, Any]) -> str | None:
    town = " ".join(p for p in (text_or_none(row.get("postcode")), text_or_none(row.get("city"))) if p)
    return ", ".join(p for p in (text_or_none(row.get("address")), town) if p) or None


def _departement(code: object) -> str | None:
    code = text_or_none(code)
    if not code:
        return None
    name = geography.departement_names().get(code)
    return f"{name} ({code})" if name else code


def _point(geometry: object) -> tuple[float | None, float | None]:
    if geometry is None or getattr(geometry, "is_empty", True):
        return None, None
    try:
        return float(geometry.y), float(geometry.x)
    except (AttributeError, ValueError):
        return None, None


def _labelled(label: str, code: str) -> str:
    return code if label == code else f"{label} ({code})"


def _source_line(record: Any) -> SourceLine:
    url = safe_url(getattr(record, "url", None))
    title = text_or_none(getattr(record, "title", None)) or str(record.source)
    full = getattr(record, "full_address", None)
    return SourceLine(
        source=str(record.source),
        title=title,
        name=text_or_none(getattr(record, "name", None)),
        address=text_or_none(full),
        date=format_date(getattr(record, "updated_at", None)),
        link=Link(title, url) if url else None,
    )


#: Between merged pairs: « | » (« ; » in tables built before the learned weights).
_PAIR_SEPARATOR_RE = re.compile(r" [|;] (?=\S+:\S+ ↔ )")
_PAIR_RE = re.compile(r"^(?P<left>.+?) ↔ (?P<right>.+?) : (?P<why>.+)$")


def merge_reasons(explanation: str | None, records: Iterable[Any] = ()) -> tuple[str, ...]:
    """One French line per merged pair of ``merge_explanation``, the source keys replaced by the
    source title, the record's own name and its id: « CartEco… « Recycl'Vienne » (KrREy) et Annuaire
    des Entreprises… « RECYCL'VIENNE » (51724822500024) : même SIRET, nom 100 %… » (a part that does
    not parse is kept as it is)."""
    if not explanation:
        return ()
    named = {}
    for record in records:
        key = f"{record.source}:{record.source_id}" if hasattr(record, "source_id") else None
        if key:
            title = text_or_none(getattr(record, "title", None)) or str(record.source)
            name = text_or_none(getattr(record, "name", None))
            named[key] = f"{title} « {name} » ({record.source_id})" if name else f"{title} ({record.source_id})"
    lines = []
    for part in _PAIR_SEPARATOR_RE.split(str(explanation)):
        match = _PAIR_RE.match(part.strip())
        if not match:
            lines.append(part.strip())
            continue
        left = named.get(match["left"], match["left"])
        right = named.get(match["right"], match["right"])
        lines.append(f"{left} et {right} : {match['why']}")
    return tuple(line for line in lines if line)


def _freshness(sources: Sequence[str], status: Mapping[str, Any] | None, updated: str | None) -> tuple[str, ...]:
    lines = []
    if updated:
        lines.append(f"Dernière modification chez les sources : {updated}")
    for name in sources:
        info = (status or {}).get("sources", {}).get(name)
        if not info:
            continue
        fetched = format_date(info.get("fetched_at"))
        title = info.get("title") or name
        when = f"données relevées le {fetched}" if fetched else "date de relevé inconnue"
        lines.append(f"{title} : {when}{' (démonstration)' if info.get('demo') else ''}")
    built = format_date((status or {}).get("built_at"))
    if built:
        lines.append(f"Table construite le {built}")
    return tuple(lines)


# --------------------------------------------------------------------------- the card


def build_card(
    actor: Mapping[str, Any] | pd.Series,
    records: Sequence[Any] = (),
    *,
    distance_km: float | None = None,
    status: Mapping[str, Any] | None = None,
    records_available: bool = True,
) -> Card:
    """The card of one actor.

    Parameters
    ----------
    actor
        One row of the built table (a ``Series`` from ``table.iloc[i]`` or a mapping with the schema's
        columns); its ``distance_km`` is used when ``distance_km`` is not given.
    records
        The actor's source records (:class:`mapping.build.records.SourceRecord` or any object with
        ``source``, ``title``, ``name``, ``full_address``, ``updated_at``, ``url``).
    distance_km
        Distance from the searched place.
    status
        :func:`mapping.store.data_status` (freshness per source, demo flag); optional.
    records_available
        False when the companion table is missing (:attr:`SourceRecords.available`).
    """
    row = actor.to_dict() if isinstance(actor, pd.Series) else dict(actor)
    name = text_or_none(row.get("name")) or NONE_TEXT
    siret = text_or_none(row.get("siret"))
    siren = text_or_none(row.get("siren")) or (siret[:9] if siret else None)
    kinds = [str(k) for k in as_list(row.get("actor_kinds"))]
    reserved = tuple(
        ReservedContract(a, taxonomy.reserved_contract_label(a), RESERVED_SENTENCES.get(a, ""))
        for a in taxonomy.reserved_contracts(kinds)
    )
    legal = text_or_none(row.get("legal_form"))
    naf = text_or_none(row.get("naf"))
    if distance_km is None:
        distance_km = row.get("distance_km")
    if distance_km is not None:
        distance_km = float(distance_km)
        if math.isnan(distance_km):
            distance_km = None
    lat, lon = _point(row.get("geometry"))
    sources = [str(s) for s in as_list(row.get("sources"))]
    updated = format_date(row.get("updated_at"))
    precision = text_or_none(row.get("geo_precision"))
    return Card(
        uid=str(row.get("uid")),
        name=name,
        other_names=_other_names(name, records),
        siret=siret,
        siren=siren,
        annuaire=annuaire_link(siret, siren),
        legal_form=_labelled(taxonomy.legal_form_label(legal), legal) if legal else None,
        naf=_labelled(taxonomy.naf_label(naf), naf) if naf else None,
        kinds=tuple(taxonomy.labels_for("actor_kinds", kinds)),
        reserved=reserved,
        purchase_families=tuple(taxonomy.labels_for("purchase_families", as_list(row.get("purchase_families")))),
        waste_types=tuple(taxonomy.labels_for("waste_types", as_list(row.get("waste_types")))),
        product_types=tuple(taxonomy.labels_for("product_types", as_list(row.get("product_types")))),
        products=tuple(str(p) for p in as_list(row.get("products")) if isinstance(p, str) and p.strip()),
        labels=tuple(taxonomy.labels_for("labels", as_list(row.get("labels")))),
        address=_address(row),
        departement=_departement(row.get("departement")),
        precision=PRECISION_TEXTS.get(precision, PRECISION_TEXTS[None]),
        distance_km=distance_km,
        distance=format_distance(distance_km),
        phone=phone_link(row.get("phone")),
        email=email_link(row.get("email")),
        website=website_link(row.get("website")),
        description=text_or_none(row.get("description")),
        lat=lat,
        lon=lon,
        sources=tuple(_source_line(r) for r in records),
        records_available=records_available,
        merge_explanation=text_or_none(row.get("merge_explanation")),
        merge_reasons=merge_reasons(text_or_none(row.get("merge_explanation")), records),
        updated_at=updated,
        freshness=_freshness(sources, status, updated),
        demo=bool((status or {}).get("demo")),
    )


# --------------------------------------------------------------------------- Markdown rendering
