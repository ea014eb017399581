"""The supplier card (« Fiche fournisseur ») as plain data: who a supplier is, what it is eligible for,
where each fact comes from. Pure: no I/O, no streamlit, no HTML.

:func:`build_card` takes one row of the built table (``mapping.store.read_suppliers``), the actor's
source records (:meth:`mapping.build.records.SourceRecords.for_uid`), an optional distance and the
data status (:func:`mapping.store.data_status`), and returns a :class:`Card`. Every text in it is
either a French constant of this module or the sources' own text, **not escaped**: render it with
Streamlit's escaping (``st.text``, ``st.write`` of plain strings, dataframes) or through
:func:`card_markdown`, which escapes Markdown and HTML. Links (:class:`Link`) are checked by
:func:`safe_url`: only ``http``, ``https``, ``mailto`` and ``tel`` URLs ever come out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from mapping.reference import geography, taxonomy
from mapping.reference.schema import as_list
from mapping.reference.text import fold

# --------------------------------------------------------------------------- French texts

TITLE = "Fiche fournisseur"
SELECTION_BUTTON = "Ajouter à une sélection"
SELECTION_SOON = "Les sélections de fournisseurs arrivent bientôt."

L_OTHER_NAMES = "Autres noms dans les sources"
L_SIRET = "SIRET"
L_SIREN = "SIREN"
L_ANNUAIRE = "Voir sur l'Annuaire des Entreprises"
L_LEGAL_FORM = "Forme juridique"
L_NAF = "Activité principale (NAF)"
L_KINDS = "Types"
L_RESERVED = "Marchés réservés"
L_FAMILIES = "Familles d'achat"
L_WASTE = "Déchets"
L_PRODUCTS = "Produits"
L_LABELS = "Labels"
L_ADDRESS = "Adresse"
L_PRECISION = "Localisation"
L_DISTANCE = "Distance"
L_PHONE = "Téléphone"
L_EMAIL = "Courriel"
L_WEBSITE = "Site web"
L_DESCRIPTION = "Description"
L_SOURCES = "Sources"
L_MERGE = "Pourquoi ces enregistrements ont été réunis"
L_FRESHNESS = "Fraîcheur des données"
L_MAP = "Carte"

NONE_TEXT = "non renseigné"
NO_RECORDS = (
    "Le détail des enregistrements sources n'est pas disponible : reconstruire la table (python -m mapping build)."
)
SINGLE_SOURCE = "Un seul enregistrement source : aucune fusion."
NO_RESERVED = "Aucun marché réservé d'après les types connus de ce fournisseur."
RESERVED_CAVEAT = (
    "Éligibilité déduite des types déclarés par les sources : à vérifier (agrément, conventionnement) "
    "avant toute attribution."
)
DEMO_WARNING = "Données de démonstration : ces fournisseurs sont fictifs."

#: One plain sentence per reserved-contract article of the Code de la commande publique.
RESERVED_SENTENCES = {
    "L2113-12": (
        "Peut répondre aux marchés réservés aux entreprises adaptées, aux ESAT et aux structures "
        "équivalentes qui emploient au moins 50 % de travailleurs handicapés (article L2113-12 du code "
        "de la commande publique)."
    ),
    "L2113-13": (
        "Peut répondre aux marchés réservés aux structures d'insertion par l'activité économique (SIAE) "
        "et aux structures équivalentes qui emploient au moins 50 % de personnes en difficulté "
        "d'insertion (article L2113-13 du code de la commande publique)."
    ),
    "L2113-15": (
        "Peut répondre, en tant qu'entreprise de l'économie sociale et solidaire, aux marchés réservés "
        "de services de santé, sociaux et culturels dont le code de la commande publique fixe la liste, "
        "pour une durée de trois ans au plus (article L2113-15 du code de la commande publique)."
    ),
}

#: What ``geo_precision`` says about the point on the map.
PRECISION_TEXTS = {
    "housenumber": "position de l'adresse (numéro dans la rue)",
    "street": "position de la rue (approximative)",
    "municipality": "centre de la commune (adresse non localisée précisément)",
    "source": "position donnée par la source",
    None: "localisation inconnue",
}

ANNUAIRE_ETABLISSEMENT = "https://annuaire-entreprises.data.gouv.fr/etablissement/{siret}"
ANNUAIRE_ENTREPRISE = "https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}"

#: URL schemes a link may use.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Link:
    """A checked link: ``url`` is http(s), mailto or tel; ``label`` is plain text to escape."""

    label: str
    url: str


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


# --------------------------------------------------------------------------- safe links

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


def _text(value: object) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


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
        candidate = _text(getattr(record, "name", None))
        if candidate and fold(candidate) not in seen:
            seen.add(fold(candidate))
            out.append(candidate)
    return tuple(out)


def _address(row: Mapping[str, Any]) -> str | None:
    town = " ".join(p for p in (_text(row.get("postcode")), _text(row.get("city"))) if p)
    return ", ".join(p for p in (_text(row.get("address")), town) if p) or None


def _departement(code: object) -> str | None:
    code = _text(code)
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
    title = _text(getattr(record, "title", None)) or str(record.source)
    full = getattr(record, "full_address", None)
    return SourceLine(
        source=str(record.source),
        title=title,
        name=_text(getattr(record, "name", None)),
        address=_text(full),
        date=format_date(getattr(record, "updated_at", None)),
        link=Link(title, url) if url else None,
    )


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
            title = _text(getattr(record, "title", None)) or str(record.source)
            name = _text(getattr(record, "name", None))
            named[key] = f"{title} « {name} » ({record.source_id})" if name else f"{title} ({record.source_id})"
    lines = []
    for part in str(explanation).split(" ; "):
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
    name = _text(row.get("name")) or NONE_TEXT
    siret = _text(row.get("siret"))
    siren = _text(row.get("siren")) or (siret[:9] if siret else None)
    kinds = [str(k) for k in as_list(row.get("actor_kinds"))]
    reserved = tuple(
        ReservedContract(a, taxonomy.reserved_contract_label(a), RESERVED_SENTENCES.get(a, ""))
        for a in taxonomy.reserved_contracts(kinds)
    )
    legal = _text(row.get("legal_form"))
    naf = _text(row.get("naf"))
    if distance_km is None:
        distance_km = row.get("distance_km")
    if distance_km is not None:
        distance_km = float(distance_km)
        if math.isnan(distance_km):
            distance_km = None
    lat, lon = _point(row.get("geometry"))
    sources = [str(s) for s in as_list(row.get("sources"))]
    updated = format_date(row.get("updated_at"))
    precision = _text(row.get("geo_precision"))
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
        labels=tuple(taxonomy.labels_for("labels", as_list(row.get("labels")))),
        address=_address(row),
        departement=_departement(row.get("departement")),
        precision=PRECISION_TEXTS.get(precision, PRECISION_TEXTS[None]),
        distance_km=distance_km,
        distance=format_distance(distance_km),
        phone=phone_link(row.get("phone")),
        email=email_link(row.get("email")),
        website=website_link(row.get("website")),
        description=_text(row.get("description")),
        lat=lat,
        lon=lon,
        sources=tuple(_source_line(r) for r in records),
        records_available=records_available,
        merge_explanation=_text(row.get("merge_explanation")),
        merge_reasons=merge_reasons(_text(row.get("merge_explanation")), records),
        updated_at=updated,
        freshness=_freshness(sources, status, updated),
        demo=bool((status or {}).get("demo")),
    )


# --------------------------------------------------------------------------- Markdown rendering


def escape_markdown(text: object) -> str:
    """``text`` safe inside Streamlit Markdown: HTML-special and Markdown-special characters escaped
    (``&``, ``<``, ``>`` as HTML entities; ``$`` so it never starts LaTeX, ``:`` so it never starts a
    Streamlit directive such as ``:red[…]``), line breaks flattened."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = re.sub(r"[\r\n\t]+", " ", value)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~$:])", r"\\\1", value)


def _md_link(link: Link | None) -> str | None:
    if link is None:
        return None
    url = safe_url(link.url)
    if url is None:
        return escape_markdown(link.label)
    return f"[{escape_markdown(link.label)}]({url.replace(' ', '%20')})"


def card_markdown(card: Card) -> str:
    """The card as Markdown text, every source text escaped, links checked (for ``st.markdown``)."""
    e = escape_markdown
    lines = [f"### {e(card.name)}"]
    if card.demo:
        lines.append(f"_{e(DEMO_WARNING)}_")
    if card.other_names:
        lines.append(f"**{e(L_OTHER_NAMES)}** : {', '.join(e(n) for n in card.other_names)}")
    ident = []
    if card.siret:
        ident.append(f"**{L_SIRET}** {e(card.siret)}")
    if card.siren:
        ident.append(f"**{L_SIREN}** {e(card.siren)}")
    if card.annuaire:
        ident.append(_md_link(card.annuaire))
    if ident:
        lines.append(" · ".join(ident))
    for label, value in ((L_LEGAL_FORM, card.legal_form), (L_NAF, card.naf)):
        if value:
            lines.append(f"**{e(label)}** : {e(value)}")
    if card.description:
        lines.append(f"**{e(L_DESCRIPTION)}** : {e(card.description)}")
    lists = (
        (L_KINDS, card.kinds),
        (L_FAMILIES, card.purchase_families),
        (L_WASTE, card.waste_types),
        (L_PRODUCTS, card.product_types),
        (L_LABELS, card.labels),
    )
    for label, values in lists:
        if values:
            lines.append(f"**{e(label)}** : {', '.join(e(v) for v in values)}")
    lines.append(f"**{e(L_RESERVED)}**")
    if card.reserved:
        lines += [f"- {e(r.sentence)}" for r in card.reserved]
        lines.append(f"_{e(RESERVED_CAVEAT)}_")
    else:
        lines.append(e(NO_RESERVED))
    where = [f"**{e(L_ADDRESS)}** : {e(card.address or NONE_TEXT)}"]
    if card.departement:
        where.append(e(card.departement))
    lines.append(" · ".join(where))
    lines.append(f"**{e(L_PRECISION)}** : {e(card.precision)}")
    if card.distance:
        lines.append(f"**{e(L_DISTANCE)}** : {e(card.distance)}")
    for label, link in ((L_PHONE, card.phone), (L_EMAIL, card.email), (L_WEBSITE, card.website)):
        if link:
            lines.append(f"**{e(label)}** : {_md_link(link)}")
    lines.append(f"**{e(L_SOURCES)}**")
    if not card.records_available:
        lines.append(e(NO_RECORDS))
    for s in card.sources:
        parts = [f"**{e(s.title)}**"]
        parts += [e(p) for p in (s.name, s.address, s.date) if p]
        if s.link:
            parts.append(f"[{e('voir la fiche')}]({s.link.url})")
        lines.append("- " + " — ".join(parts))
    if card.merge_reasons:
        lines.append(f"**{e(L_MERGE)}**")
        lines += [f"- {e(reason)}" for reason in card.merge_reasons]
    elif card.merge_explanation:
        lines.append(f"**{e(L_MERGE)}** : {e(card.merge_explanation)}")
    elif len(card.sources) == 1:
        lines.append(e(SINGLE_SOURCE))
    if card.freshness:
        lines.append(f"**{e(L_FRESHNESS)}**")
        lines += [f"- {e(f)}" for f in card.freshness]
    return "\n\n".join(lines)
