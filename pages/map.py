"""« Carte des acteurs »: filter the actors by source and kind, see them on a map and in a table."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

import connectors
from mapping import maps
from mapping.reference import taxonomy
from mapping.screens import tables, texts
from pages._data import data_status, enter_through_app, search_index, table_key

log = logging.getLogger(__name__)
enter_through_app()

#: Beyond this many actors the map shows the first ones only (the table lists them all).
MAP_MAX_POINTS = 20_000


try:
    index, option_counts = search_index(*table_key())
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(texts.LOAD_ERROR.format(error=exc))
    st.stop()
status = data_status()

st.title(texts.MAP_PAGE_TITLE)
st.caption(texts.MAP_PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")

with st.sidebar:
    st.header(texts.FILTERS_HEADER)
    source_counts = option_counts["sources"]
    chosen_sources = st.multiselect(
        texts.SOURCES_LABEL,
        options=[name for name in source_counts if source_counts[name]],
        format_func=lambda name: (
            f"{getattr(connectors.REGISTRY.get(name), 'TITLE', name)} ({texts.format_count(int(source_counts[name]))})"
        ),
        placeholder=texts.FILTERS_PLACEHOLDER,
        help=texts.SOURCES_HELP,
        key="sources",
    )
    kind_counts = option_counts["actor_kinds"]
    chosen_kinds = st.multiselect(
        texts.KINDS_LABEL,
        options=[code for code in taxonomy.codes("actor_kinds") if kind_counts.get(code)],
        format_func=lambda code: (
            f"{taxonomy.label('actor_kinds', code)} ({texts.format_count(int(kind_counts[code]))})"
        ),
        placeholder=texts.FILTERS_PLACEHOLDER,
        help=texts.KINDS_HELP,
        key="kinds",
    )

found = index.search(sources=chosen_sources, actor_kinds=chosen_kinds)
st.subheader(texts.actors_count(len(found)))

if found.empty:
    st.info(texts.NO_RESULT, icon=":material/search_off:")
else:
    if len(found) > MAP_MAX_POINTS:
        st.caption(
            texts.MAP_CAPPED.format(shown=texts.format_count(MAP_MAX_POINTS), total=texts.format_count(len(found)))
        )
    folium_map = maps.build_map(found, max_points=MAP_MAX_POINTS)
    st_folium(folium_map, returned_objects=[], height=600, use_container_width=True, key="carte")
    st.markdown(f"#### {texts.TABLE_HEADER}")
    st.dataframe(tables.actor_table(found), hide_index=True, height=320)

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
