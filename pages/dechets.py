"""« Déchets et économie circulaire »: natures of waste, action, public, place; count, card, map, table, exports."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

from mapping import maps
from mapping.screens import links, query, texts, waste, waste_texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()
WIDGETS = {"lieu": "dechets_lieu", "rayon": "dechets_rayon"}
WIDGETS.update({facet: f"dechets_{facet}" for facet in waste.FACETS})

try:
    key = _data.table_key()
    gdf = _data.suppliers(*key)
    index, _ = _data.search_index(*key)
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(texts.LOAD_ERROR.format(error=exc))
    st.stop()
counts = waste.option_counts(gdf)
status = _data.data_status()
url_state, url_messages = _url.restore("dechets", links.WASTE_PARAMS, WIDGETS)

st.title(waste_texts.PAGE_TITLE)
st.caption(waste_texts.PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
for message in url_messages:
    st.warning(texts.markdown_text(message), icon=":material/link_off:")

choices = {}
natures = waste.waste_options(counts)
choices["waste_types"] = st.multiselect(
    waste_texts.WASTE_LABEL,
    list(natures),
    format_func=natures.__getitem__,
    help=waste_texts.WASTE_HELP,
    placeholder=texts.FILTERS_PLACEHOLDER,
    key="dechets_waste_types",
)
caption = waste.ewc_caption(choices["waste_types"])
if caption:
    st.caption(caption)
action_col, public_col = st.columns(2, gap="medium")
with action_col:
    actions = waste.options("circular_actions", counts)
    choices["circular_actions"] = st.multiselect(
        waste_texts.ACTIONS_LABEL,
        list(actions),
        format_func=actions.__getitem__,
        placeholder=texts.FILTERS_PLACEHOLDER,
        key="dechets_circular_actions",
    )
with public_col:
    publics = waste.options("audiences", counts)
    choices["audiences"] = st.multiselect(
        waste_texts.AUDIENCES_LABEL,
        list(publics),
        format_func=publics.__getitem__,
        help=waste_texts.AUDIENCES_HELP,
        placeholder=texts.FILTERS_PLACEHOLDER,
        key="dechets_audiences",
    )
    said = int((gdf["audiences"].map(len) > 0).sum())
    st.caption(waste_texts.AUDIENCES_SAID.format(share=f"{round(100 * said / max(len(gdf), 1))} %"))

place_col, radius_col = st.columns([3, 2], gap="medium")
with place_col:
    typed = st.text_input(
        texts.PLACE_LABEL, placeholder=texts.PLACE_PLACEHOLDER, help=texts.PLACE_HELP, key="dechets_lieu"
    )
    lookup = query.locate(typed)
    place = lookup.place
    if lookup.candidates:
        st.info(texts.markdown_text(lookup.message), icon=":material/help:")
        chosen = st.selectbox(
            texts.PLACE_CHOICE_LABEL,
            options=lookup.candidate_labels,
            index=None,
            placeholder=texts.PLACE_CHOICE_PLACEHOLDER,
            key="dechets_lieu_choix",
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
        **({} if "dechets_rayon" in st.session_state else {"value": query.DEFAULT_RADIUS_KM}),
        disabled=not query.is_point(place),
        help=texts.RADIUS_HELP,
        key="dechets_rayon",
    )

state = links.SearchState(
    lieu=place.label if lookup.candidates and place is not None else (typed or "").strip(),
    rayon=int(radius_km),
    facets={name: list(values) for name, values in choices.items() if values},
    fournisseur=url_state.fournisseur,
)
if lookup.text and place is None:
    _url.publish(state, links.WASTE_PARAMS)
    st.stop()

outcome = waste.run(index, place=place, radius_km=radius_km, choices=choices)
state.fournisseur = _results.card_target("tableau_dechets", outcome.found, state.fournisseur)
params = _url.publish(state, links.WASTE_PARAMS)
card_link = _results.card_prefix("dechets", params)
if outcome.error:
    st.error(outcome.error)
    st.stop()
st.subheader(outcome.headline)
if state.fournisseur:
    _results.show_card(state.fournisseur, index, outcome.found, on_close=_results.close_card)
_results.share_link("dechets", params)
if outcome.empty_message:
    st.info(outcome.empty_message, icon=":material/search_off:")
else:
    if outcome.capped_message:
        st.caption(outcome.capped_message)
    folium_map = maps.build_map(outcome.found, center=outcome.center, radius_km=outcome.radius_km, card_link=card_link)
    st_folium(folium_map, returned_objects=[], height=520, use_container_width=True, key="carte_dechets")
    st.markdown(f"#### {texts.SEARCH_TABLE_HEADER}")
    st.caption(texts.CARD_OPEN_HELP)
    st.dataframe(
        waste.result_table(outcome.found, card_link=card_link),
        hide_index=True,
        height=360,
        on_select="rerun",
        selection_mode="single-row",
        key="tableau_dechets",
        column_config=_results.table_columns(distance=True),
    )
    _results.export_buttons(
        "dechets", links.query_string(params), outcome.total, lambda: query.all_results(index, outcome.criteria)
    )

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
