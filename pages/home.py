"""« Accueil » (``/``): what Sourcier holds, how fresh it is, and one door per user group."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from mapping.maps import build_choropleth
from mapping.reference import geography
from mapping.screens import home, texts
from mapping.screens import home_texts as t
from pages import _data

log = logging.getLogger(__name__)
_data.enter_through_app()
ROOT = Path(__file__).resolve().parents[1]

st.title(t.HEADLINE)
st.caption(t.INTRO)
status = _data.data_status()
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")

st.markdown(f"### {t.DOORS_HEADER}")
doors = [door for door in t.DOORS if (ROOT / door[0]).exists()]
for column, (page, title, sentence, icon) in zip(st.columns(len(doors), gap="small"), doors, strict=True):
    with column, st.container(border=True):
        st.page_link(page, label=f"**{title}**", icon=icon)
        st.caption(sentence)
st.caption(t.MORE_HEADER)
others = [entry for entry in t.MORE if (ROOT / entry[0]).exists()]
for column, (page, label, icon) in zip(st.columns(len(others), gap="small"), others, strict=True):
    with column:
        st.page_link(page, label=label, icon=icon)

try:
    key = _data.table_key()
    actors = _data.suppliers(*key)
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(texts.LOAD_ERROR.format(error=exc))
    st.stop()
summary = home.overview(actors)

st.markdown(f"### {t.CONTENT_HEADER}")
st.subheader(summary.headline)
chart_col, map_col = st.columns([3, 2], gap="medium")
with chart_col:
    st.markdown(f"**{t.BY_KIND}**")
    st.bar_chart(summary.by_kind, x=t.KIND_COLUMN, y=t.COUNT_COLUMN, horizontal=True, sort=f"-{t.COUNT_COLUMN}")
    st.markdown(f"**{t.BY_SOURCE}**")
    st.bar_chart(summary.by_source, x=t.SOURCE_COLUMN, y=t.COUNT_COLUMN, horizontal=True, sort=f"-{t.COUNT_COLUMN}")
    st.caption(t.COUNT_NOTE)
with map_col:
    st.markdown(f"**{t.BY_DEPARTEMENT}**")
    st_folium(
        build_choropleth(
            geography.departement_polygons(),
            summary.departement_counts,
            tooltips=summary.departement_tooltips,
            legend_title=t.MAP_TITLE,
        ),
        returned_objects=[],
        height=380,
        use_container_width=True,
        key="carte_accueil",
    )
    st.dataframe(summary.by_departement, hide_index=True, use_container_width=True)

st.markdown(f"### {t.FRESHNESS_HEADER}")
for line in texts.source_lines(status):
    st.caption(line)
