"""« Vérifier une liste » (/verifier): a buyer's supplier list matched to Sourcier's actors (thin page)."""

from __future__ import annotations

import logging

import streamlit as st

from mapping.screens import verify
from mapping.screens import verify_texts as texts
from mapping.screens.texts import LOAD_ERROR
from pages import _data
from pages._results import card_prefix, table_columns

log = logging.getLogger(__name__)
_data.enter_through_app()

try:
    key = _data.table_key()
    actors = _data.suppliers(*key)
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(LOAD_ERROR.format(error=exc))
    st.stop()

st.title(texts.PAGE_TITLE)
st.caption(texts.PAGE_INTRO)
st.download_button(texts.SAMPLE_BUTTON, verify.sample_csv(), file_name=texts.SAMPLE_FILE, mime="text/csv")
uploaded = st.file_uploader(texts.UPLOAD_LABEL, type=["csv", "xlsx", "tsv", "txt"], help=texts.UPLOAD_HELP)
if uploaded is None:
    st.info(texts.WAITING, icon=":material/upload_file:")
    st.stop()

try:
    check = verify.verify(uploaded.getvalue(), uploaded.name, actors)
except Exception as exc:  # a bug must not lose the page: French message, traceback in the log
    log.exception("Vérification de la liste impossible")
    st.error(texts.MATCH_FAILED.format(error=exc))
    st.stop()
if not check.report.ok:
    st.error(texts.FILE_REFUSED.format(reason=check.report.fatal))
    st.stop()

st.subheader(verify.subheader(check))
for line in verify.read_lines(check.report):
    st.text(line)
report = verify.report_table(check.report)
if len(report):
    st.markdown(f"**{texts.REPORT_HEADER}**")
    st.dataframe(report, hide_index=True, use_container_width=True)
if not len(check.rows):
    st.warning(texts.NO_ROWS)
    st.stop()

st.subheader(texts.INDICATORS_HEADER)
st.caption(texts.INDICATORS_CAPTION.format(rows=verify.rows_count(len(check.rows))))
left, right = st.columns(2)
left.dataframe(verify.indicators(check), hide_index=True, use_container_width=True)
right.markdown(f"**{texts.FAMILY_HEADER}**")
right.dataframe(verify.family_table(check), hide_index=True, use_container_width=True)

prefix = card_prefix("search", {})
st.subheader(texts.RESULT_HEADER)
st.dataframe(
    verify.result_table(check, prefix), hide_index=True, use_container_width=True, column_config=table_columns()
)
exported = verify.export_table(check, prefix)
first, second = st.columns(2)
first.download_button(
    texts.DOWNLOAD_CSV, verify.to_csv(exported), file_name=f"{texts.RESULT_FILE}.csv", mime="text/csv"
)
second.download_button(
    texts.DOWNLOAD_XLSX,
    verify.to_xlsx(exported),
    file_name=f"{texts.RESULT_FILE}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

st.subheader(texts.UNMATCHED_HEADER)
unmatched = verify.unmatched_table(check)
if len(unmatched):
    st.caption(texts.UNMATCHED_CAPTION)
    st.dataframe(unmatched, hide_index=True, use_container_width=True)
else:
    st.success(texts.UNMATCHED_NONE)
