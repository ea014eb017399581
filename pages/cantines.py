"""« Cantines »: my lycée (or a place), products, quality signs, « local » as ma-cantine defines it; producers
nearest first with the share of organic and « C du Centre » products."""

from __future__ import annotations

import logging

import streamlit as st

from mapping.screens import canteen_texts as t
from mapping.screens import canteens, links, query, texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()
PATH = "cantines"
WIDGETS = {"lieu": "cantines_lieu", **{facet: f"cantines_{facet}" for facet in canteens.FACETS}}

_, index, counts = _data.loaded()
status = _data.data_status()
url_state, url_messages = _url.restore(PATH, canteens.CANTEEN_PARAMS, WIDGETS, own=("lycee", "local"))
if st.session_state.get("_cantines_extras") is None:  # first run of the page in this session: the URL's lycée
    uai, local, extra_messages = canteens.parse_extras(_url.url_params())
    st.session_state["_cantines_extras"] = extra_messages
    st.session_state["cantines_lycee"] = uai
    st.session_state["cantines_local"] = local.kind
    st.session_state["cantines_km"] = local.km

st.title(t.PAGE_TITLE)
st.caption(t.PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
for message in [*url_messages, *st.session_state["_cantines_extras"]]:
    st.warning(texts.markdown_text(message), icon=":material/link_off:")

lycees = canteens.region_lycees()
labels = dict(zip(lycees["uai"], lycees["label"], strict=True))
lycee_col, place_col = st.columns([3, 2], gap="medium")
with lycee_col:
    uai = st.selectbox(
        t.LYCEE_LABEL,
        options=list(labels),
        format_func=labels.__getitem__,
        index=None,
        placeholder=t.LYCEE_PLACEHOLDER,
        help=t.LYCEE_HELP,
        key="cantines_lycee",
    )
with place_col:
    if uai:  # the lycée defines « local »; the place field comes back when the lycée is cleared
        st.caption(t.PLACE_FROM_LYCEE)
        lookup, typed_place, kept_place = query.locate(""), None, ""
    else:
        lookup, typed_place, kept_place = _results.place_input("cantines_lieu")
place = canteens.lycee_place(uai) if uai else typed_place

products, signs = canteens.option_labels(counts)
products_col, signs_col = st.columns(2, gap="medium")
with products_col:
    chosen_products = _results.facet_input(
        "product_types", products, label=t.PRODUCTS_LABEL, key="cantines_product_types"
    )
with signs_col:
    chosen_signs = _results.facet_input(
        "labels", signs, label=t.LABELS_LABEL, help=t.LABELS_HELP, key="cantines_labels"
    )
local_col, km_col = st.columns([3, 2], gap="medium")
with local_col:
    kind = st.radio(
        t.LOCAL_LABEL,
        options=list(canteens.LOCAL_KINDS),
        format_func=t.LOCAL_CHOICES.__getitem__,
        horizontal=True,
        help=t.LOCAL_HELP,
        key="cantines_local",
    )
with km_col:
    km = st.slider(t.KM_LABEL, 1, 100, disabled=kind != "km", key="cantines_km")
local = canteens.Local(kind, int(km))
choices = {"product_types": chosen_products, "labels": chosen_signs}

state = links.SearchState(
    lieu="" if uai else kept_place,
    facets={name: values for name, values in choices.items() if values},
    fournisseur=url_state.fournisseur,
)
extra = {"lycee": uai} if uai else {}
if local != canteens.Local():
    extra["local"] = local.param()
if place is None:
    _url.publish(state, canteens.CANTEEN_PARAMS, extra)
    if not lookup.text:
        st.info(t.NEED_PLACE, icon=":material/school:")
    st.stop()

outcome, note = canteens.run(index, place=place, local=local, choices=choices)
if note:
    st.caption(note)


def share_summary() -> None:
    st.markdown(canteens.shares(canteens_all()))
    st.caption(t.TARGETS)


def canteens_all():
    return index.search(**outcome.criteria)


_results.show_outcome(
    PATH,
    index,
    outcome,
    state,
    canteens.CANTEEN_PARAMS,
    table_key="tableau_cantines",
    summary=share_summary,
    table_of=canteens.result_table,
    extra=extra,
)

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
