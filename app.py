"""Sourcier: Streamlit entry point (router only). Run with ``streamlit run app.py``."""

import streamlit as st

from mapping.screens import import_texts, shortlist_texts, texts, waste_texts
from pages._data import APP_MARKER

st.set_page_config(page_title=texts.APP_TITLE, layout="wide")
st.session_state[APP_MARKER] = True  # pages know they run inside this navigation
st.navigation(
    [
        st.Page("pages/map.py", title=texts.MAP_PAGE_TITLE, default=True),
        st.Page("pages/search.py", title=texts.SEARCH_PAGE_TITLE),
        st.Page("pages/waste.py", title=waste_texts.PAGE_TITLE, url_path="dechets"),
        st.Page("pages/shortlists.py", title=shortlist_texts.SHORTLISTS_PAGE_TITLE, url_path="selections"),
        st.Page("pages/meeting.py", title=shortlist_texts.MEETING_PAGE_TITLE, url_path="rencontre"),
        st.Page("pages/sources.py", title=import_texts.PAGE_TITLE),
    ]
).run()
