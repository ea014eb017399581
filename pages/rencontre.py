"""« Préparer une rencontre » (/rencontre): a shortlist's PDF pack, XLSX, invitation list and mailto link."""

from __future__ import annotations

import logging

import geopandas as gpd
import streamlit as st

from mapping import meeting_pack, shortlists
from mapping.screens import shortlist_texts as texts
from mapping.screens import shortlists as helpers
from mapping.screens.texts import LOAD_ERROR, suppliers_count
from pages import _data
from pages import _shortlist_widgets as widgets

log = logging.getLogger(__name__)
_data.enter_through_app()

try:
    key = _data.table_key()
    actors = _data.suppliers(*key)
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(LOAD_ERROR.format(error=exc))
    st.stop()

author = widgets.author()
st.title(texts.MEETING_PAGE_TITLE)
st.caption(texts.MEETING_PAGE_INTRO)

chosen = widgets.choose_list(texts.MEETING_CHOOSE_LABEL, key="rencontre_selection", default_key="selection")
if chosen is None:
    st.stop()
items = widgets.store().items(chosen["id"])
resolved = shortlists.resolve(actors, items)
st.caption(helpers.list_caption(chosen))
st.markdown(
    texts.MEETING_SUMMARY.format(count=suppliers_count(resolved.total), emails=helpers.email_count(resolved.actors))
)
if resolved.missing:
    n = len(resolved.missing)
    st.warning(texts.MEETING_GONE_MANY.format(n=n) if n > 1 else texts.MEETING_GONE_ONE, icon=":material/history:")
if not author:
    st.info(texts.MEETING_AUTHOR_MISSING, icon=":material/badge:")


@st.cache_data(max_entries=32, show_spinner=False)
def _files(_actors: gpd.GeoDataFrame, table: tuple, list_key: tuple, items: list, who: str) -> dict:
    """PDF, XLSX, CSV and mailto of one state of a list (``table`` and ``list_key`` are the cache key)."""
    title = list_key[1]
    return {
        "pdf": meeting_pack.build_pdf(_actors, items, title=title, author=who or None),
        "xlsx": meeting_pack.build_xlsx(_actors, items, title=title),
        "csv": meeting_pack.build_invitations(_actors, items),
        "mailto": meeting_pack.mailto_link(_actors, items, title=title),
    }


files = _files(actors, key, (chosen["id"], chosen["name"], chosen["updated_at"]), items, author)
name = chosen["name"]
pdf_col, xlsx_col, csv_col = st.columns(3)
pdf_col.download_button(
    texts.DOWNLOAD_PDF, files["pdf"], file_name=helpers.file_name(name, "pdf"), mime="application/pdf",
    type="primary", icon=":material/picture_as_pdf:", key="telecharger_pdf",
)  # fmt: skip
xlsx_col.download_button(
    texts.DOWNLOAD_XLSX, files["xlsx"], file_name=helpers.file_name(name, "xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table:",
    key="telecharger_xlsx",
)  # fmt: skip
csv_col.download_button(
    texts.DOWNLOAD_CSV, files["csv"], file_name=helpers.file_name(name, "csv"), mime="text/csv",
    icon=":material/contact_mail:", key="telecharger_csv",
)  # fmt: skip
if files["mailto"]:
    st.link_button(texts.MAILTO, files["mailto"], icon=":material/mail:")
else:
    st.caption(texts.NO_EMAIL)
