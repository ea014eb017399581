"""« Sources et imports »: every source with its snapshot; import of a partner file (report first),
restore of a previous version, journal of every change. Import and restore only for allowed agents."""

from __future__ import annotations

import streamlit as st

from mapping import store
from mapping.build import imports, journal
from mapping.screens import access, history
from mapping.screens import import_texts as texts
from mapping.screens.texts import markdown_text
from pages._data import enter_through_app
from pages._source_changes import import_section, restore_section

enter_through_app()

st.title(texts.PAGE_TITLE)
st.caption(texts.PAGE_INTRO)
status = store.data_status()
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
who = access.decide(st.context.headers)

st.subheader(texts.SOURCES_HEADER)
st.dataframe(imports.sources_overview(status), hide_index=True, width="stretch")

st.subheader(texts.IMPORT_HEADER)
if not who.allowed:
    st.info(markdown_text(who.reason), icon=":material/lock:")  # the identity is text, never Markdown
else:
    st.caption(texts.SIGNED_IN_AS.format(user=markdown_text(who.user)) if who.user else texts.OPEN_ACCESS)
    import_section(who)

st.subheader(texts.HISTORY_HEADER)
restore_section(who)

st.subheader(texts.JOURNAL_HEADER)
rows = history.journal_rows(journal.read())
if rows:
    st.caption(texts.JOURNAL_INTRO)
    st.dataframe(rows, hide_index=True, width="stretch", key="journal")
else:
    st.caption(texts.JOURNAL_EMPTY)
