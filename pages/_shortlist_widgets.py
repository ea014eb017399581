"""Widgets shared by « Sélections », « Préparer une rencontre » and (later) the supplier card.

* :func:`author` — the agent's name, typed once per session (sidebar), recorded on the lists they create;
* :func:`add_to_shortlist` — the card's « Ajouter à une sélection » (a popover: list, note, button);
* :func:`item_editor` — one shortlist's suppliers with note, up/down and remove.

Writes go through :mod:`mapping.shortlists` in ``on_click``/``on_change`` callbacks, so a rerun shows
the stored state. No SQL, no reshaping here.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from mapping import shortlists
from mapping.screens import shortlist_texts as texts
from mapping.screens import shortlists as helpers
from mapping.screens.texts import markdown_text

AUTHOR_KEY = "auteur"


def store() -> shortlists.ShortlistStore:
    """The shortlist store (``SOURCIER_DATABASE_URL`` or the SQLite file); one engine per URL."""
    return shortlists.open_store()


def author() -> str:
    """The agent's name from the sidebar (kept for the whole session)."""
    with st.sidebar:
        st.text_input(texts.AUTHOR_LABEL, key=AUTHOR_KEY, help=texts.AUTHOR_HELP, placeholder=texts.AUTHOR_PLACEHOLDER)
    return " ".join(str(st.session_state.get(AUTHOR_KEY) or "").split())


def choose_list(label: str, key: str, *, default_key: str | None = None) -> dict | None:
    """A selectbox of every shortlist (most recently changed first); the chosen row or None.

    ``default_key``: session key of another page's choice, used when this one has none yet (the meeting
    page opens on the list last seen in « Sélections »)."""
    rows = store().lists()
    if not rows:
        st.info(texts.NO_LISTS, icon=":material/playlist_add:")
        return None
    by_id = {row["id"]: row for row in rows}
    if st.session_state.get(key) not in by_id:
        st.session_state.pop(key, None)
        if default_key and st.session_state.get(default_key) in by_id:
            st.session_state[key] = st.session_state[default_key]
    chosen = st.selectbox(label, list(by_id), format_func=lambda i: helpers.list_label(by_id[i]), key=key)
    return by_id.get(chosen)


def add_to_shortlist(actors: gpd.GeoDataFrame, uid: str, *, key: str) -> None:
    """« Ajouter à une sélection » for actor ``uid`` (the supplier card calls this)."""
    current = store()
    rows = current.lists()
    with st.popover(texts.CARD_ADD_LABEL, icon=":material/playlist_add:"):
        if not rows:
            st.caption(texts.NO_LISTS)
            return
        names = {row["id"]: row["name"] for row in rows}
        inside = [names[i] for i in current.lists_with(uid) if i in names]
        if inside:
            st.caption(texts.CARD_IN_LISTS.format(names=markdown_text(", ".join(inside))))
        list_id = st.selectbox(texts.CHOOSE_LABEL, list(names), format_func=names.__getitem__, key=f"{key}_liste")
        note = st.text_area(texts.NOTE_LABEL, placeholder=texts.NOTE_PLACEHOLDER, key=f"{key}_note")
        if st.button(texts.CARD_ADD_BUTTON, key=f"{key}_ajouter", type="primary"):
            added = shortlists.add_actor(current, list_id, actors, uid, note)
            message = texts.CARD_ADDED if added else texts.CARD_ALREADY
            st.success(message.format(name=markdown_text(names[list_id])))


def _move(list_id: str, uid: str, position: int) -> None:
    store().move(list_id, uid, position)


def _remove(list_id: str, uid: str) -> None:
    store().remove(list_id, uid)


def _save_note(list_id: str, uid: str, key: str) -> None:
    store().set_note(list_id, uid, st.session_state.get(key, ""))


def item_editor(list_id: str, resolved: shortlists.Resolved) -> None:
    """Each supplier of the list: name, commune and kinds, note, up/down/remove."""
    rows = helpers.item_rows(resolved)
    if not rows:
        st.info(texts.EMPTY_LIST, icon=":material/inventory_2:")
        return
    for index, row in enumerate(rows):
        with st.container(border=True):
            head, buttons = st.columns([7, 3], vertical_alignment="center")
            with head:
                st.markdown(f"**{index + 1}. {row.title}**")
                if row.present:
                    st.caption(row.detail + (f" · {texts.RELINKED}" if row.relinked else ""))
                else:
                    st.warning(f"**{texts.GONE}** — {row.detail}", icon=":material/history:")
            with buttons:
                up, down, remove = st.columns(3)
                up.button("↑", key=f"up_{row.uid}", help=texts.UP, disabled=index == 0,
                          on_click=_move, args=(list_id, row.uid, index - 1))  # fmt: skip
                down.button("↓", key=f"down_{row.uid}", help=texts.DOWN, disabled=index == len(rows) - 1,
                            on_click=_move, args=(list_id, row.uid, index + 1))  # fmt: skip
                remove.button("✕", key=f"remove_{row.uid}", help=texts.REMOVE,
                              on_click=_remove, args=(list_id, row.uid))  # fmt: skip
            note_key = f"note_{list_id}_{row.uid}"
            st.session_state.setdefault(note_key, row.note)
            st.text_area(texts.NOTE_LABEL, key=note_key, placeholder=texts.NOTE_PLACEHOLDER, height=68,
                         on_change=_save_note, args=(list_id, row.uid, note_key))  # fmt: skip
