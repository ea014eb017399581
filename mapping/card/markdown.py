"""The card as escaped Markdown (HTML and Markdown special characters of source text neutralised)."""

from __future__ import annotations

import re

from mapping.card.links import Link, safe_url
from mapping.card.model import Card
from mapping.card.texts import (
    DEMO_WARNING,
    L_ADDRESS,
    L_DESCRIPTION,
    L_DISTANCE,
    L_EMAIL,
    L_FAMILIES,
    L_FRESHNESS,
    L_KINDS,
    L_LABELS,
    L_LEGAL_FORM,
    L_MERGE,
    L_NAF,
    L_OTHER_NAMES,
    L_PHONE,
    L_PRECISION,
    L_PRODUCT_NAMES,
    L_PRODUCTS,
    L_RESERVED,
    L_SIREN,
    L_SIRET,
    L_SOURCES,
    L_WASTE,
    L_WEBSITE,
    NO_RECORDS,
    NO_RESERVED,
    NONE_TEXT,
    RESERVED_CAVEAT,
    SINGLE_SOURCE,
)


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
        (L_PRODUCT_NAMES, card.products),
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
