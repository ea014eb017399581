"""« Rechercher des fournisseurs »: a place and a radius, criteria, then a count, a card, a map, a table, exports."""

from __future__ import annotations

import logging

import streamlit as st

from mapping.screens import links, query, texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()
WIDGETS = {"lieu": "lieu", "rayon": "rayon", "texte": "texte", "labels_all": "labels_tous"}
WIDGETS.update({facet: f"critere_{facet}" for facet in query.FACETS})

_, index, counts = _data.loaded()
status = _data.data_status()
url_state, url_messages = _url.restore("search", links.SEARCH_PARAMS, WIDGETS)

st.title(texts.SEARCH_PAGE_TITLE)
st.caption(texts.SEARCH_PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
for message in url_messages:
    st.warning(texts.markdown_text(message), icon=":material/link_off:")

place_col, radius_col, text_col = st.columns([5, 3, 4], gap="medium")
with place_col:
    lookup, place, kept_place = _results.place_input()
with radius_col:
    radius_km = _results.radius_input(place)
with text_col:
    text = st.text_input(texts.TEXT_LABEL, placeholder=texts.TEXT_PLACEHOLDER, key="texte")

with st.sidebar:
    st.header(texts.CRITERIA_HEADER)
    st.caption(texts.CRITERIA_HELP)
    choices, labels_all = {}, False
    for name in query.FACETS:
        options = query.facet_options(name, counts)
        choices[name] = _results.facet_input(name, options, label=texts.FACET_LABELS[name])
        if name == "labels":
            labels_all = st.checkbox(texts.LABELS_ALL_LABEL, help=texts.LABELS_ALL_HELP, key="labels_tous")

state = links.SearchState(
    lieu=kept_place,
    rayon=int(radius_km),
    texte=(text or "").strip(),
    facets={name: list(values) for name, values in choices.items() if values},
    labels_all=labels_all,
    fournisseur=url_state.fournisseur,
)
if lookup.text and place is None:
    _url.publish(state, links.SEARCH_PARAMS)
    st.stop()  # the message (and the list of candidates) above says what to do

outcome = query.run_search(index, place=place, radius_km=radius_km, text=text, choices=choices, labels_all=labels_all)
_results.show_outcome("search", index, outcome, state, links.SEARCH_PARAMS, table_key="tableau_recherche")

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
