"""« Sources et imports »: every source with its snapshot; import of a partner file, report first."""

from __future__ import annotations

import logging

import streamlit as st

import connectors
from mapping import store
from mapping.build import imports
from mapping.screens import import_texts as texts
from pages._data import enter_through_app

log = logging.getLogger(__name__)
enter_through_app()

st.title(texts.PAGE_TITLE)
st.caption(texts.PAGE_INTRO)
status = store.data_status()
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")

st.subheader(texts.SOURCES_HEADER)
st.dataframe(imports.sources_overview(status), hide_index=True, use_container_width=True)

st.subheader(texts.IMPORT_HEADER)
source = st.selectbox(
    texts.SOURCE_LABEL,
    imports.partner_sources(),
    format_func=lambda name: connectors.REGISTRY[name].TITLE,
    key="import_source",
)
st.caption(texts.LIMIT_NOTICE)
upload = st.file_uploader(
    texts.UPLOAD_LABEL, type=["csv", "tsv", "txt", "xlsx"], help=texts.UPLOAD_HELP, key="import_upload"
)
if upload is not None and st.button(texts.CHECK_BUTTON):
    st.session_state.pop("import_done", None)
    st.session_state["import_result"] = imports.prepare_import(source, upload.name, upload.getvalue())

result: imports.ImportResult | None = st.session_state.get("import_result")
if result is not None:
    report = result.report
    st.subheader(texts.REPORT_HEADER)
    if result.ok:
        st.success(
            texts.COUNTS.format(
                rows_read=report.rows_read,
                imported=report.imported,
                rejected=len(report.rejected),
                records=report.records,
            )
        )
    else:
        st.error(texts.FILE_REFUSED.format(reason=report.fatal))
    st.text(report.text())
    refused = imports.rejected_rows(report)
    if refused:
        st.subheader(texts.REJECTED_HEADER)
        st.dataframe(refused, hide_index=True, use_container_width=True)
    if result.ok:
        accept, cancel = st.columns(2)
        if accept.button(texts.ACCEPT_BUTTON, type="primary"):
            try:
                imports.write_import(result)
            except (OSError, ValueError) as exc:
                log.exception("Import %s impossible", result.source)
                st.error(texts.WRITE_ERROR.format(error=exc))
            else:
                st.session_state.pop("import_result", None)
                title = connectors.REGISTRY[result.source].TITLE
                st.session_state["import_done"] = texts.ACCEPTED.format(records=report.records, title=title)
                st.rerun()
        if cancel.button(texts.CANCEL_BUTTON):
            st.session_state.pop("import_result", None)
            st.rerun()

done = st.session_state.get("import_done")
if done:
    st.success(done)
    if st.button(texts.REBUILD_BUTTON):
        with st.spinner(texts.REBUILD_BUTTON + "…"):
            actors = store.load_suppliers(rebuild=True)
        st.success(texts.REBUILT.format(actors=len(actors)))
