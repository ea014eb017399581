"""Keep a page's criteria in its URL (``st.query_params``): read once per visit, written on every run.

The rules live in :mod:`mapping.screens.links` (pure); this module only moves values between the URL,
``st.session_state`` (the widgets' keys) and back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from mapping.screens import links


def restore(
    page: str, allowed: Iterable[str], widget_keys: Mapping[str, str], *, own: Iterable[str] = ()
) -> tuple[links.SearchState, list[str]]:
    """The state the URL asks for; on the first run of ``page`` in this session its values are put in the
    widgets' ``session_state`` (``widget_keys``: state field or facet -> widget key).

    Returns the state and the French messages of the parameters that were ignored. ``own``: parameters the
    page reads itself (:func:`url_params` gives them).
    """
    marker = f"_url_restored_{page}"
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state, messages = links.parse(params, allowed=allowed, own=own)
    if st.session_state.get(marker) != page:
        st.session_state[marker] = page
        for name, key in widget_keys.items():
            if name in links.PARAM_OF_FACET:
                st.session_state[key] = list(state.facets.get(name, []))
            elif hasattr(state, name):
                st.session_state[key] = getattr(state, name)
        st.session_state[f"_url_messages_{page}"] = messages
    return state, st.session_state.get(f"_url_messages_{page}", [])


def url_params() -> dict[str, list[str]]:
    """The URL's parameters as they are (each name with all its values)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def publish(state: links.SearchState, allowed: Iterable[str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Write ``state`` (and the page's own ``extra`` parameters, first) into the URL when it changed; return
    its parameters."""
    params = {**(extra or {}), **links.to_params(state, allowed=allowed)}
    current = {key: st.query_params.get(key) for key in st.query_params}
    if current != params:
        st.query_params.from_dict(params)
    return params


def page_url(path: str, params: Mapping[str, str]) -> str:
    """Absolute URL of ``path`` with ``params`` on this server (what « Copier le lien » gives)."""
    base = str(st.context.url or "").split("?", 1)[0]
    origin = base.split("/", 3)
    root = "/".join(origin[:3]) if len(origin) >= 3 and origin[0].endswith(":") else ""
    return f"{root}/{path.lstrip('/')}{links.query_string(params)}"
