"""« Carte des acteurs »: filter the actors by source and kind, see them on a map and in a table, export them."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

import connectors
from mapping import maps
from mapping.reference import taxonomy
from mapping.screens import links, tables, texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()

#: Beyond this many actors the map shows the first ones only (the table lists them all).
MAP_MAX_POINTS = 20_000
#: URL path of this page (the default page of app.py: the root).
PATH = "carte"

try:
    index, option_counts = _data.search_index(*_data.table_key())
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(texts.LOAD_ERROR.format(error=exc))
    st.stop()
status = _data.data_status()
url_state, url_messages = _url.restore("map", links.MAP_PARAMS, {"sources": "sources", "actor_kinds": "kinds"})

st.title(texts.MAP_PAGE_TITLE)
st.caption(texts.MAP_PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
for message in url_messages:
    st.warning(texts.markdown_text(message), icon=":material/link_off:")

with st.sidebar:
    st.header(texts.FILTERS_HEADER)
    source_counts = option_counts["sources"]
    chosen_sources = st.multiselect(
        texts.SOURCES_LABEL,
        options=[
            name
            for name in connectors.REGISTRY
            if source_counts.get(name) or name in url_state.facets.get("sources", [])
        ],
        format_func=lambda name: f"{connectors.title(name)} ({texts.format_count(int(source_counts.get(name, 0)))})",
        placeholder=texts.FILTERS_PLACEHOLDER,
        help=texts.SOURCES_HELP,
        key="sources",
    )
    kind_counts = option_counts["actor_kinds"]
    chosen_kinds = st.multiselect(
        texts.KINDS_LABEL,
        options=[
            code
            for code in taxonomy.codes("actor_kinds")
            if kind_counts.get(code) or code in st.session_state.get("kinds", [])
        ],
        format_func=lambda code: (
            f"{taxonomy.label('actor_kinds', code)} ({texts.format_count(int(kind_counts.get(code, 0)))})"
        ),
        placeholder=texts.FILTERS_PLACEHOLDER,
        help=texts.KINDS_HELP,
        key="kinds",
    )

found = index.search(sources=chosen_sources, actor_kinds=chosen_kinds)
state = links.SearchState(
    facets={"sources": chosen_sources, "actor_kinds": chosen_kinds}, fournisseur=url_state.fournisseur
)
state.fournisseur = _results.card_target("tableau_carte", found, state.fournisseur)
params = _url.publish(state, links.MAP_PARAMS)
card_link = _results.card_prefix(PATH, params)
st.subheader(texts.actors_count(len(found)))
if state.fournisseur:
    _results.show_card(state.fournisseur, index, found, on_close=_results.close_card)
_results.share_link(PATH, params)

if found.empty:
    st.info(texts.NO_RESULT, icon=":material/search_off:")
else:
    if len(found) > MAP_MAX_POINTS:
        st.caption(
            texts.MAP_CAPPED.format(shown=texts.format_count(MAP_MAX_POINTS), total=texts.format_count(len(found)))
        )
    folium_map = maps.build_map(found, max_points=MAP_MAX_POINTS, card_link=card_link)
    st_folium(folium_map, returned_objects=[], height=600, use_container_width=True, key="carte")
    st.markdown(f"#### {texts.TABLE_HEADER}")
    st.caption(texts.CARD_OPEN_HELP)
    st.dataframe(
        tables.actor_table(found, card_link=card_link),
        hide_index=True,
        height=320,
        on_select="rerun",
        selection_mode="single-row",
        key="tableau_carte",
        column_config=_results.table_columns(),
    )
    _results.export_buttons("map", links.query_string(params), len(found), lambda: found)

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
