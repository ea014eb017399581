"""Sourcier: Streamlit entry point (router only). Run with ``streamlit run app.py``."""

import streamlit as st

from mapping.screens import (
    buyer_texts,
    canteen_texts,
    coverage_texts,
    home_texts,
    import_texts,
    shortlist_texts,
    texts,
    verify_texts,
    waste_texts,
)
from pages._data import APP_MARKER

st.set_page_config(page_title=texts.APP_TITLE, layout="wide")
st.session_state[APP_MARKER] = True  # pages know they run inside this navigation
# Each page file is named after its URL path: a first visit straight to a bookmarked URL, before app.py has run
# once on this server, is then found by Streamlit's pages-folder mode, and the page hands over to this
# navigation (pages/_data.enter_through_app). tests/screens/test_app.py checks the names.
st.navigation(
    [
        st.Page("pages/home.py", title=home_texts.PAGE_TITLE, default=True),
        st.Page("pages/acheteurs.py", title=buyer_texts.NAV_TITLE, url_path="acheteurs"),
        st.Page("pages/dechets.py", title=waste_texts.PAGE_TITLE, url_path="dechets"),
        st.Page("pages/cantines.py", title=canteen_texts.PAGE_TITLE, url_path="cantines"),
        st.Page("pages/carte.py", title=texts.MAP_PAGE_TITLE, url_path="carte"),
        st.Page("pages/search.py", title=texts.SEARCH_PAGE_TITLE),
        st.Page("pages/couverture.py", title=coverage_texts.PAGE_TITLE, url_path="couverture"),
        st.Page("pages/verifier.py", title=verify_texts.PAGE_TITLE, url_path="verifier"),
        st.Page("pages/selections.py", title=shortlist_texts.SHORTLISTS_PAGE_TITLE, url_path="selections"),
        st.Page("pages/rencontre.py", title=shortlist_texts.MEETING_PAGE_TITLE, url_path="rencontre"),
        st.Page("pages/sources.py", title=import_texts.PAGE_TITLE),
    ]
).run()
