"""« Acheteurs »: purchase family first (CPV codes shown), structure kinds, reserved contracts, a place or a
territory; the result says how many suppliers each kind of reservation could go to."""

from __future__ import annotations

import logging

import streamlit as st

from mapping.screens import buyer_texts, buyers, links, query, texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()
PATH = "acheteurs"
WIDGETS = {"lieu": "lieu", "rayon": "rayon", **{facet: f"critere_{facet}" for facet in buyers.FACETS}}

_, index, counts = _data.loaded()
status = _data.data_status()
url_state, url_messages = _url.restore(PATH, buyers.BUYER_PARAMS, WIDGETS)

st.title(buyer_texts.PAGE_TITLE)
st.caption(buyer_texts.PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
for message in url_messages:
    st.warning(texts.markdown_text(message), icon=":material/link_off:")

choices = {}
choices["purchase_families"] = _results.facet_input(
    "purchase_families",
    buyers.family_options(counts),
    label=buyer_texts.FAMILIES_LABEL,
    help=buyer_texts.FAMILIES_HELP,
    placeholder=buyer_texts.FAMILIES_PLACEHOLDER,
)
for line in buyers.cpv_lines(choices["purchase_families"]):
    st.caption(line)
kinds_col, articles_col = st.columns([3, 2], gap="medium")
with kinds_col:
    choices["actor_kinds"] = _results.facet_input(
        "actor_kinds",
        buyers.kind_options(counts),
        label=buyer_texts.KINDS_LABEL,
        help=buyer_texts.KINDS_HELP,
        placeholder=buyer_texts.KINDS_PLACEHOLDER,
    )
with articles_col:
    choices["reserved_contracts"] = _results.facet_input(
        "reserved_contracts",
        buyers.article_options(counts),
        label=buyer_texts.ARTICLES_LABEL,
        help=buyers.articles_help(),
        placeholder=buyer_texts.ARTICLES_PLACEHOLDER,
    )
place_col, radius_col = st.columns([3, 2], gap="medium")
with place_col:
    lookup, place, kept_place = _results.place_input()
with radius_col:
    radius_km = _results.radius_input(place)

state = links.SearchState(
    lieu=kept_place,
    rayon=radius_km,
    facets={name: values for name, values in choices.items() if values},
    fournisseur=url_state.fournisseur,
)
if lookup.text and place is None:
    _url.publish(state, buyers.BUYER_PARAMS)
    st.stop()  # the message (and the list of candidates) above says what to do

outcome = query.run_search(index, place=place, radius_km=radius_km, choices=choices, empty_hint=buyer_texts.EMPTY_HINT)


def reservation_summary() -> None:
    st.markdown(f"**{buyer_texts.RESERVATION_HEADER}**", help=buyer_texts.RESERVATION_HELP)
    reservations = buyers.reservation_counts(index, outcome.criteria)
    for line, explanation in buyers.reservation_lines(reservations, choices["purchase_families"]):
        st.markdown(line)
        st.caption(explanation)


_results.show_outcome(
    PATH, index, outcome, state, buyers.BUYER_PARAMS, table_key="tableau_acheteurs", summary=reservation_summary
)

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
