"""What every page that lists suppliers shows under its headline: the card, the exports, the link.

Thin Streamlit glue over :mod:`mapping.card` and :mod:`mapping.exports`; every source text reaches the
screen through ``card.card_markdown`` (escaped Markdown), ``st.dataframe`` or ``st.text``.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from mapping import card, exports, maps
from mapping.screens import texts
from pages import _data, _shortlist_widgets, _url

CARD_QUERY_KEY = "fournisseur"


def card_target(key: str, found: gpd.GeoDataFrame, from_url: str | None) -> str | None:
    """The uid whose card to show: a row just clicked in the table ``key``, else the URL's."""
    selection = st.session_state.get(key)
    rows = list(getattr(getattr(selection, "selection", None), "rows", None) or [])
    if rows and rows[0] < len(found) and st.session_state.get(f"{key}_picked") != rows[0]:
        st.session_state[f"{key}_picked"] = rows[0]
        return str(found["uid"].iloc[rows[0]])
    return from_url


def close_card() -> None:
    """Button callback: the card is closed, its parameter leaves the URL."""
    st.query_params.pop(CARD_QUERY_KEY, None)


def card_prefix(path: str, params: dict[str, str]) -> str:
    """URL of this page's search with ``fournisseur=`` last, ready for a uid (table and map links)."""
    base = _url.page_url(path, {k: v for k, v in params.items() if k != CARD_QUERY_KEY})
    return f"{base}{'&' if '?' in base else '?'}{CARD_QUERY_KEY}="


def table_columns(*, distance: bool = False) -> dict:
    """Column settings of a supplier table: localized distance, the card link as a link column."""
    config: dict = {texts.SEARCH_TABLE_COLUMNS["card"]: st.column_config.LinkColumn(display_text=texts.TABLE_CARD_LINK)}
    if distance:
        config[texts.SEARCH_TABLE_COLUMNS["distance_km"]] = st.column_config.NumberColumn(format="localized")
    return config


def show_card(uid: str, index, found: gpd.GeoDataFrame, *, on_close: Callable[[], None]) -> None:
    """The supplier card of ``uid`` (the distance when ``found`` was searched near a place)."""
    key = _data.table_key()
    actor = index.by_uid(uid)
    if actor.empty:
        st.warning(texts.CARD_UNKNOWN.format(uid=texts.markdown_text(uid)), icon=":material/person_off:")
        return
    records = _data.source_records(*key)
    row = actor.iloc[0]
    hit = found.loc[found["uid"] == uid]
    distance = float(hit["distance_km"].iloc[0]) if "distance_km" in hit.columns and len(hit) else None
    model = card.build_card(
        row, records.for_uid(uid), distance_km=distance, status=_data.data_status(), records_available=records.available
    )
    with st.container(border=True):
        text_col, map_col = st.columns([3, 2], gap="medium")
        with text_col:
            st.markdown(card.card_markdown(model))
        with map_col:
            if model.lat is not None and model.lon is not None:
                st_folium(
                    maps.build_map(actor, outlines=False, legend=False),
                    returned_objects=[],
                    height=260,
                    key=f"carte_fiche_{uid}",
                )
            _shortlist_widgets.add_to_shortlist(actor, uid, key=f"selection_{uid}")
            st.button(texts.CARD_CLOSE, on_click=on_close, key=f"fermer_{uid}", icon=":material/close:")


def export_buttons(page: str, signature: str, total: int, fetch_all: Callable[[], gpd.GeoDataFrame]) -> None:
    """« Préparer l'export » builds the three files of the whole result once; then three downloads."""
    st.markdown(f"#### {texts.EXPORT_HEADER}")
    state_key = f"_export_{page}"
    count = texts.suppliers_count(total)
    clicked = st.button(texts.EXPORT_PREPARE.format(count=count), help=texts.EXPORT_HELP, key=f"preparer_{page}")
    if clicked:
        actors = fetch_all()
        base = _url.page_url("", {}).rstrip("/")
        st.session_state[state_key] = (
            signature,
            exports.to_csv(actors, base_url=base),
            exports.to_xlsx(actors, base_url=base),
            exports.to_geojson(actors, base_url=base),
        )
    prepared = st.session_state.get(state_key)
    if not prepared or prepared[0] != signature:
        return
    _, csv_bytes, xlsx_bytes, geojson_bytes = prepared
    cols = st.columns(3)
    formats = (
        (texts.EXPORT_CSV, csv_bytes, "csv", exports.MIME_CSV),
        (texts.EXPORT_XLSX, xlsx_bytes, "xlsx", exports.MIME_XLSX),
        (texts.EXPORT_GEOJSON, geojson_bytes, "geojson", exports.MIME_GEOJSON),
    )
    for col, (label, data, ext, mime) in zip(cols, formats, strict=True):
        col.download_button(
            label,
            data,
            file_name=exports.file_name(ext),
            mime=mime,
            key=f"telecharger_{page}_{ext}",
            icon=":material/download:",
        )


def share_link(path: str, params: dict[str, str]) -> None:
    """« Copier le lien de cette recherche »: the URL in a code block (Streamlit adds the copy button)."""
    st.caption(texts.LINK_COPY_LABEL, help=texts.LINK_COPY_HELP)
    st.code(_url.page_url(path, {k: v for k, v in params.items() if k != CARD_QUERY_KEY}), language=None)
