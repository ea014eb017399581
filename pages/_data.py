"""Data shared by the pages, loaded once per built table (``st.cache_resource``: one object for all users).

Imported as ``pages._data``: Streamlit puts ``app.py``'s directory on ``sys.path`` (``streamlit run``),
and pytest's rootdir is the same directory (AppTest). Never mutate the returned objects.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import streamlit as st

from mapping import store
from mapping.build.records import SourceRecords, read_source_records, records_path
from mapping.screens import query, texts
from mapping.search.index import SupplierIndex

log = logging.getLogger(__name__)


def table_key() -> tuple[str, int | None]:
    """Cache key of the built table: its path and modification time (a rebuild gives new objects)."""
    path: Path = store.build_path()
    return str(path), (path.stat().st_mtime_ns if path.exists() else None)


#: Set by ``app.py`` in each session it runs: the page then runs inside its navigation.
APP_MARKER = "_sourcier_app"


def enter_through_app() -> None:
    """Run this page inside ``app.py``'s navigation even when the server's first visit is its own URL.

    Until some session has run ``app.py`` (which calls ``st.navigation``), Streamlit treats a folder
    named ``pages/`` as a legacy multipage app: a first visit straight to ``/search`` would run the page
    without the app's layout and menu. Turn that mode off once for the process and rerun: the same URL
    is then served by ``app.py``'s ``st.navigation`` (same page, same URL path).
    """
    from streamlit.runtime.pages_manager import PagesManager  # no public switch for this (Streamlit 1.67)

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(APP_MARKER):  # run straight from the URL, without app.py: go through it
            log.info("Première visite directe d'une page : passage par la navigation de app.py")
            st.rerun()


@st.cache_resource(max_entries=1, show_spinner="Chargement des acteurs…")
def suppliers(path: str, mtime_ns: int | None) -> gpd.GeoDataFrame:
    """The actor table, loaded once per built file (never mutate it)."""
    log.info("Chargement de %s (mtime %s)", path, mtime_ns)
    return store.load_suppliers()


@st.cache_resource(max_entries=1, show_spinner="Préparation de la recherche…")
def search_index(path: str, mtime_ns: int | None) -> tuple[SupplierIndex, dict[str, dict[str, int]]]:
    """The search index of :func:`suppliers` (same key) and the counts shown next to each criterion."""
    actors = suppliers(path, mtime_ns)
    return SupplierIndex(actors), query.option_counts(actors)


@st.cache_resource(max_entries=1, show_spinner=False)
def source_records(path: str, mtime_ns: int | None) -> SourceRecords:
    """The source records behind each actor (``records.parquet`` beside the table), for the cards."""
    actors = suppliers(path, mtime_ns)  # builds the table (and its records) first when missing
    log.info("Enregistrements sources de %s (%d acteurs)", path, len(actors))
    return read_source_records(records_path(Path(path)))


@st.cache_data(ttl=300, show_spinner=False)
def data_status() -> dict:
    return store.data_status()


def loaded() -> tuple[gpd.GeoDataFrame, SupplierIndex, dict[str, dict[str, int]]]:
    """The actor table, its index and criterion counts; on failure the page says why in French and stops."""
    try:
        key = table_key()
        actors = suppliers(*key)
        index, counts = search_index(*key)
    except Exception as exc:  # shown to the user, then logged with its traceback
        log.exception("Chargement des acteurs impossible")
        st.error(texts.LOAD_ERROR.format(error=exc))
        st.stop()
    return actors, index, counts
