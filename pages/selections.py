"""« Sélections »: create, rename, delete shortlists; add suppliers, annotate, reorder; see them on a map."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

from mapping import maps, shortlists
from mapping.screens import query
from mapping.screens import shortlist_texts as texts
from mapping.screens import shortlists as helpers
from mapping.screens.texts import LOAD_ERROR, markdown_text
from pages import _data
from pages import _shortlist_widgets as widgets

log = logging.getLogger(__name__)
_data.enter_through_app()

try:
    key = _data.table_key()
    actors = _data.suppliers(*key)
    index, _counts = _data.search_index(*key)
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(LOAD_ERROR.format(error=exc))
    st.stop()

store = widgets.store()
author = widgets.author()
st.title(texts.SHORTLISTS_PAGE_TITLE)
st.caption(texts.SHORTLISTS_PAGE_INTRO)

with st.expander(texts.CREATE_HEADER, expanded=not store.lists()), st.form("nouvelle_selection", border=False):
    new_name = st.text_input(texts.CREATE_NAME_LABEL, placeholder=texts.CREATE_NAME_PLACEHOLDER, key="nouveau_nom")
    if st.form_submit_button(texts.CREATE_BUTTON, type="primary") and new_name.strip():
        st.session_state["selection"] = store.create(new_name, owner=author or None)
        st.toast(texts.CREATED.format(name=markdown_text(new_name.strip())))

chosen = widgets.choose_list(texts.CHOOSE_LABEL, key="selection")
if chosen is None:
    st.stop()
list_id = chosen["id"]
st.caption(helpers.list_caption(chosen))

with st.expander(texts.MANAGE_HEADER):
    rename_col, delete_col = st.columns(2, gap="large")
    with rename_col:
        renamed = st.text_input(texts.RENAME_LABEL, value=chosen["name"], key=f"renommer_{list_id}")
        if st.button(texts.RENAME_BUTTON, key="renommer") and renamed.strip() and renamed != chosen["name"]:
            store.rename(list_id, renamed)
            st.rerun()
    with delete_col:
        confirm = st.checkbox(texts.DELETE_CONFIRM, key=f"confirmer_{list_id}")
        if st.button(texts.DELETE_BUTTON, key="supprimer", disabled=not confirm, type="secondary"):
            store.delete(list_id)
            st.session_state.pop("selection", None)
            st.toast(texts.DELETED)
            st.rerun()

items = store.items(list_id)
resolved = shortlists.resolve(actors, items)

st.subheader(texts.ADD_HEADER)
typed = st.text_input(texts.ADD_SEARCH_LABEL, placeholder=texts.ADD_SEARCH_PLACEHOLDER, key="ajout_recherche")
if typed.strip():
    outcome = query.run_search(index, place=None, text=typed, limit=50)
    options = helpers.candidates(outcome.found, {i["uid"] for i in items})
    picked = st.multiselect(
        texts.ADD_CHOICE_LABEL, list(options), format_func=options.__getitem__,
        placeholder=texts.ADD_CHOICE_PLACEHOLDER, key="ajout_choix",
    )  # fmt: skip
    if outcome.total > 50:
        st.caption(texts.ADD_MORE.format(shown=50, total=outcome.total))
    if st.button(texts.ADD_BUTTON, disabled=not picked, type="primary", key="ajouter"):
        added = sum(shortlists.add_actor(store, list_id, actors, uid) for uid in picked)
        st.session_state.pop("ajout_choix", None)
        st.toast(texts.ADDED.format(n=added))
        st.rerun()

st.subheader(texts.ITEMS_HEADER)
widgets.item_editor(list_id, resolved)

if len(resolved.actors):
    st.subheader(texts.MAP_HEADER)
    located = resolved.actors[resolved.actors.geometry.notna() & ~resolved.actors.geometry.is_empty]
    if len(located):
        folium_map = maps.build_map(located)
        st_folium(folium_map, returned_objects=[], height=480, use_container_width=True, key="carte_selection")
    else:
        st.caption(texts.MAP_NONE)
    st.page_link("pages/rencontre.py", label=texts.TO_MEETING, icon=":material/event:")
