"""« Rechercher des fournisseurs »: a place and a radius, criteria, then a count, a card, a map, a table, exports."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

from mapping import maps
from mapping.screens import links, query, texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()
WIDGETS = {"lieu": "lieu", "rayon": "rayon", "texte": "texte", "labels_all": "labels_tous"}
WIDGETS.update({facet: f"critere_{facet}" for facet in query.FACETS})

try:
    key = _data.table_key()
    _data.suppliers(*key)
    index, counts = _data.search_index(*key)
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(texts.LOAD_ERROR.format(error=exc))
    st.stop()
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
    typed = st.text_input(texts.PLACE_LABEL, placeholder=texts.PLACE_PLACEHOLDER, help=texts.PLACE_HELP, key="lieu")
    lookup = query.locate(typed)
    place = lookup.place
    if lookup.candidates:
        st.info(texts.markdown_text(lookup.message), icon=":material/help:")
        chosen = st.selectbox(
            texts.PLACE_CHOICE_LABEL,
            options=lookup.candidate_labels,
            index=None,
            placeholder=texts.PLACE_CHOICE_PLACEHOLDER,
            key="lieu_choix",
        )
        place = lookup.pick(chosen)
    elif lookup.message:
        st.error(texts.markdown_text(lookup.message), icon=":material/wrong_location:")
    if place is not None:
        st.caption(texts.PLACE_RESOLVED.format(label=texts.markdown_text(place.label)))
    elif not lookup.text:
        st.caption(texts.PLACE_WHOLE_REGION)
with radius_col:
    radius_km = st.slider(
        texts.RADIUS_LABEL,
        *query.RADIUS_RANGE_KM,
        **({} if "rayon" in st.session_state else {"value": query.DEFAULT_RADIUS_KM}),
        disabled=not query.is_point(place),
        help=texts.RADIUS_HELP if query.is_point(place) or place is None else texts.RADIUS_AREA_HELP,
        key="rayon",
    )
with text_col:
    text = st.text_input(texts.TEXT_LABEL, placeholder=texts.TEXT_PLACEHOLDER, key="texte")

with st.sidebar:
    st.header(texts.CRITERIA_HEADER)
    st.caption(texts.CRITERIA_HELP)
    choices, labels_all = {}, False
    for name in query.FACETS:
        options = query.facet_options(name, counts)
        choices[name] = st.multiselect(
            texts.FACET_LABELS[name],
            options=list(options),
            format_func=options.__getitem__,
            placeholder=texts.FILTERS_PLACEHOLDER,
            key=f"critere_{name}",
        )
        if name == "labels":
            labels_all = st.checkbox(texts.LABELS_ALL_LABEL, help=texts.LABELS_ALL_HELP, key="labels_tous")

state = links.SearchState(
    lieu=place.label if lookup.candidates and place is not None else (typed or "").strip(),
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
state.fournisseur = _results.card_target("tableau_recherche", outcome.found, state.fournisseur)
params = _url.publish(state, links.SEARCH_PARAMS)
card_link = _results.card_prefix("search", params)
if outcome.error:
    st.error(outcome.error)
    st.stop()
st.subheader(outcome.headline)
if state.fournisseur:
    _results.show_card(state.fournisseur, index, outcome.found, on_close=_results.close_card)
_results.share_link("search", params)
if outcome.empty_message:
    st.info(outcome.empty_message, icon=":material/search_off:")
else:
    if outcome.capped_message:
        st.caption(outcome.capped_message)
    folium_map = maps.build_map(outcome.found, center=outcome.center, radius_km=outcome.radius_km, card_link=card_link)
    st_folium(folium_map, returned_objects=[], height=560, use_container_width=True, key="carte_recherche")
    st.markdown(f"#### {texts.SEARCH_TABLE_HEADER}")
    st.caption(texts.CARD_OPEN_HELP)
    st.dataframe(
        query.result_table(outcome.found, card_link=card_link),
        hide_index=True,
        height=360,
        on_select="rerun",
        selection_mode="single-row",
        key="tableau_recherche",
        column_config=_results.table_columns(distance=True),
    )
    _results.export_buttons(
        "search", links.query_string(params), outcome.total, lambda: query.all_results(index, outcome.criteria)
    )

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
