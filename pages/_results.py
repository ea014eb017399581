"""What every page that lists suppliers shows under its headline: the card, the exports, the link.

Thin Streamlit glue over :mod:`mapping.card` and :mod:`mapping.exports`; every source text reaches the
screen through ``card.card_markdown`` (escaped Markdown), ``st.dataframe`` or ``st.text``.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from mapping import card, exports, maps
from mapping.places.resolve import Place
from mapping.screens import links, query, texts
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


def place_input(key: str = "lieu") -> tuple[query.PlaceLookup, Place | None, str]:
    """« Lieu » (widget ``key``; ``<key>_choix`` for the candidates): the lookup, the place it resolves to (after
    a choice among candidates when the text is ambiguous) and the text to keep in the URL."""
    typed = st.text_input(texts.PLACE_LABEL, placeholder=texts.PLACE_PLACEHOLDER, help=texts.PLACE_HELP, key=key)
    lookup = query.locate(typed)
    place = lookup.place
    if lookup.candidates:
        st.info(texts.markdown_text(lookup.message), icon=":material/help:")
        chosen = st.selectbox(
            texts.PLACE_CHOICE_LABEL,
            options=lookup.candidate_labels,
            index=None,
            placeholder=texts.PLACE_CHOICE_PLACEHOLDER,
            key=f"{key}_choix",
        )
        place = lookup.pick(chosen)
    elif lookup.message:
        st.error(texts.markdown_text(lookup.message), icon=":material/wrong_location:")
    if place is not None:
        st.caption(texts.PLACE_RESOLVED.format(label=texts.markdown_text(place.label)))
    elif not lookup.text:
        st.caption(texts.PLACE_WHOLE_REGION)
    kept = place.label if lookup.candidates and place is not None else (typed or "").strip()
    return lookup, place, kept


def radius_input(place: Place | None, key: str = "rayon") -> int:
    """« Rayon (km) » (widget ``key``), disabled when the place is an area or missing."""
    value = st.slider(
        texts.RADIUS_LABEL,
        *query.RADIUS_RANGE_KM,
        **({} if key in st.session_state else {"value": query.DEFAULT_RADIUS_KM}),
        disabled=not query.is_point(place),
        help=texts.RADIUS_HELP if query.is_point(place) or place is None else texts.RADIUS_AREA_HELP,
        key=key,
    )
    return int(value)


def facet_input(
    name: str, options: dict[str, str], *, label: str, help: str | None = None, key: str | None = None, **kwargs
) -> list[str]:
    """A criterion multiselect (widget ``key``, default ``critere_<name>``) over ``options`` (code -> label)."""
    chosen = st.multiselect(
        label,
        options=list(options),
        format_func=options.__getitem__,
        placeholder=kwargs.pop("placeholder", texts.FILTERS_PLACEHOLDER),
        help=help,
        key=key or f"critere_{name}",
        **kwargs,
    )
    return list(chosen)


def show_outcome(
    path: str,
    index,
    outcome: query.SearchOutcome,
    state: links.SearchState,
    allowed: tuple[str, ...],
    *,
    table_key: str,
    summary: Callable[[], None] | None = None,
    table_of: Callable[..., pd.DataFrame] = query.result_table,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """What a search page shows under its criteria: the headline (first subheader, starting with the count),
    ``summary`` (the page's own figures), the card, the link, the map, the table (``table_of(found,
    card_link=…)``, default :func:`mapping.screens.query.result_table`) and the exports.

    Writes ``state`` (and the page's own ``extra`` parameters) in the URL and returns its parameters.
    """
    state.fournisseur = card_target(table_key, outcome.found, state.fournisseur)
    params = _url.publish(state, allowed, extra)
    card_link = card_prefix(path, params)
    if outcome.error:
        st.error(outcome.error)
        return params
    st.subheader(outcome.headline)
    if summary is not None and not outcome.empty_message:
        summary()
    if state.fournisseur:
        show_card(state.fournisseur, index, outcome.found, on_close=close_card)
    share_link(path, params)
    if outcome.empty_message:
        st.info(outcome.empty_message, icon=":material/search_off:")
        return params
    if outcome.capped_message:
        st.caption(outcome.capped_message)
    folium_map = maps.build_map(outcome.found, center=outcome.center, radius_km=outcome.radius_km, card_link=card_link)
    st_folium(folium_map, returned_objects=[], height=560, use_container_width=True, key=f"carte_{table_key}")
    st.markdown(f"#### {texts.SEARCH_TABLE_HEADER}")
    st.caption(texts.CARD_OPEN_HELP)
    st.dataframe(
        table_of(outcome.found, card_link=card_link),
        hide_index=True,
        height=360,
        on_select="rerun",
        selection_mode="single-row",
        key=table_key,
        column_config=table_columns(distance="distance_km" in outcome.found.columns),
    )
    export_buttons(
        path or "accueil",
        links.query_string(params),
        outcome.total,
        lambda: query.all_results(index, outcome.criteria),
    )
    return params
