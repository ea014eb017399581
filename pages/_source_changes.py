"""Sections of the « Sources et imports » page that change a source (shown to allowed agents only).

Imported as ``pages._source_changes`` by ``pages/sources.py``. Widgets and messages only: checks, writes and
the journal are :mod:`mapping.build.changes`.
"""

from __future__ import annotations

import logging

import streamlit as st

import connectors
from connectors.snapshots import history
from mapping import settings
from mapping.build import changes, imports, journal
from mapping.errors import SourceError
from mapping.screens import import_texts as texts
from mapping.screens.access import Access
from mapping.screens.history import version_label
from mapping.screens.texts import markdown_text

log = logging.getLogger(__name__)


def _title(name: str) -> str:
    return connectors.REGISTRY[name].TITLE


def _report(result: imports.ImportResult) -> None:
    report = result.report
    st.subheader(texts.REPORT_HEADER)
    if result.ok:
        counts = {"rows_read": report.rows_read, "imported": report.imported, "records": report.records}
        st.success(texts.COUNTS.format(rejected=len(report.rejected), **counts))
    else:
        st.error(texts.FILE_REFUSED.format(reason=markdown_text(report.fatal)))
    st.text(report.text())
    refused = imports.rejected_rows(report)
    if refused:
        st.subheader(texts.REJECTED_HEADER)
        st.dataframe(refused, hide_index=True, width="stretch")


def _accept(result: imports.ImportResult, who: Access) -> None:
    if st.session_state.get("import_drop") is None:  # computed once per checked file
        st.session_state["import_drop"] = changes.drop_check(result)
    drop: changes.Drop = st.session_state["import_drop"]
    confirmed = False
    if drop.exceeds:
        st.warning(f"{markdown_text(drop.message())} {texts.CONFIRM_HINT}", icon=":material/warning:")
        confirmed = st.checkbox(texts.CONFIRM_DROP.format(dropped=drop.dropped), key="import_confirm")
    accept, cancel = st.columns(2)
    blocked = drop.exceeds and not confirmed
    if accept.button(texts.ACCEPT_BUTTON, type="primary", disabled=blocked):
        try:
            with st.spinner(texts.SAVING):
                entry = changes.accept_import(result, user=who.user, via=journal.VIA_WEB, force=confirmed, rebuild=True)
        except changes.TooManyDropped as exc:  # the file was checked before the source changed
            st.session_state["import_drop"] = exc.drop
            st.rerun()
        except (OSError, ValueError) as exc:
            log.exception("Import %s impossible", result.source)
            st.error(texts.WRITE_ERROR.format(error=markdown_text(str(exc))))
        else:
            for key in ("import_result", "import_drop", "import_confirm"):
                st.session_state.pop(key, None)
            title = markdown_text(_title(result.source))
            done = texts.ACCEPTED.format(records=result.report.records, title=title)
            st.session_state["import_done"] = (done, entry.actors_before, entry.actors_after)
            st.rerun()
    if cancel.button(texts.CANCEL_BUTTON):
        for key in ("import_result", "import_drop"):
            st.session_state.pop(key, None)
        st.rerun()


def _done(key: str) -> None:
    done = st.session_state.get(key)
    if not done:
        return
    message, before, after = done
    st.success(message)
    if after is not None:
        st.success(texts.REBUILT_AFTER.format(before="—" if before is None else before, after=after))
        return
    st.warning(texts.NOT_REBUILT)
    if st.button(texts.REBUILD_BUTTON, key=f"{key}_rebuild"):
        with st.spinner(texts.REBUILD_BUTTON + "…"):
            actors = changes.rebuild_table()
        st.session_state[key] = (message, before, actors)
        st.rerun()


def import_section(who: Access) -> None:
    """Choose a partner source, upload, check (report), confirm a large drop, accept."""
    source = st.selectbox(texts.SOURCE_LABEL, imports.partner_sources(), format_func=_title, key="import_source")
    st.caption(texts.LIMIT_NOTICE)
    upload = st.file_uploader(
        texts.UPLOAD_LABEL, type=["csv", "tsv", "txt", "xlsx"], help=texts.UPLOAD_HELP, key="import_upload"
    )
    if upload is not None and st.button(texts.CHECK_BUTTON):
        st.session_state.pop("import_done", None)
        result = imports.prepare_import(source, upload.name, upload.getvalue())
        st.session_state["import_result"] = result
        st.session_state.pop("import_drop", None)
    result: imports.ImportResult | None = st.session_state.get("import_result")
    if result is not None:
        _report(result)
        if result.ok:
            _accept(result, who)
    _done("import_done")


def restore_section(who: Access) -> None:
    """The kept versions of one source; allowed agents may put one back."""
    keep = settings.get().history_keep
    st.caption(texts.HISTORY_INTRO.format(keep=keep))
    kept = {name: history(name) for name in connectors.REGISTRY}
    names = [name for name, versions in kept.items() if versions]
    if not names:
        st.caption(texts.NO_HISTORY)
        return
    source = st.selectbox(texts.HISTORY_SOURCE_LABEL, names, format_func=_title, key="restore_source")
    versions = {v.id: v for v in kept[source]}
    chosen = st.selectbox(
        texts.VERSION_LABEL, list(versions), format_func=lambda i: version_label(versions[i]), key="restore_version"
    )
    if who.allowed and st.button(texts.RESTORE_BUTTON, key="restore_button"):
        try:
            with st.spinner(texts.SAVING):
                entry = changes.restore_source(source, chosen, user=who.user, via=journal.VIA_WEB, rebuild=True)
        except (OSError, SourceError) as exc:
            log.exception("Restauration %s impossible", source)
            st.error(texts.RESTORE_ERROR.format(error=markdown_text(str(exc))))
        else:
            records = versions[chosen].manifest.get("records")
            done = texts.RESTORED.format(version=chosen, title=markdown_text(_title(source)), records=records)
            st.session_state["restore_done"] = (done, entry.actors_before, entry.actors_after)
            st.rerun()
    _done("restore_done")
