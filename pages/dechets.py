"""« Déchets et économie circulaire »: natures of waste, action, public, place; count, card, map, table, exports."""

from __future__ import annotations

import logging

import streamlit as st

from mapping.screens import links, texts, waste, waste_texts
from pages import _data, _results, _url

log = logging.getLogger(__name__)
_data.enter_through_app()
WIDGETS = {"lieu": "dechets_lieu", "rayon": "dechets_rayon"}
WIDGETS.update({facet: f"dechets_{facet}" for facet in waste.FACETS})

gdf, index, _ = _data.loaded()
counts = waste.option_counts(gdf)
status = _data.data_status()
url_state, url_messages = _url.restore("dechets", links.WASTE_PARAMS, WIDGETS)

st.title(waste_texts.PAGE_TITLE)
st.caption(waste_texts.PAGE_INTRO)
if status.get("demo"):
    st.warning(texts.DEMO_NOTICE, icon=":material/science:")
for message in url_messages:
    st.warning(texts.markdown_text(message), icon=":material/link_off:")

choices = {}
natures = waste.waste_options(counts)
choices["waste_types"] = st.multiselect(
    waste_texts.WASTE_LABEL,
    list(natures),
    format_func=natures.__getitem__,
    help=waste_texts.WASTE_HELP,
    placeholder=texts.FILTERS_PLACEHOLDER,
    key="dechets_waste_types",
)
caption = waste.ewc_caption(choices["waste_types"])
if caption:
    st.caption(caption)
action_col, public_col = st.columns(2, gap="medium")
with action_col:
    actions = waste.options("circular_actions", counts)
    choices["circular_actions"] = st.multiselect(
        waste_texts.ACTIONS_LABEL,
        list(actions),
        format_func=actions.__getitem__,
        placeholder=texts.FILTERS_PLACEHOLDER,
        key="dechets_circular_actions",
    )
with public_col:
    publics = waste.options("audiences", counts)
    choices["audiences"] = st.multiselect(
        waste_texts.AUDIENCES_LABEL,
        list(publics),
        format_func=publics.__getitem__,
        help=waste_texts.AUDIENCES_HELP,
        placeholder=texts.FILTERS_PLACEHOLDER,
        key="dechets_audiences",
    )
    said = int((gdf["audiences"].map(len) > 0).sum())
    st.caption(waste_texts.AUDIENCES_SAID.format(share=f"{round(100 * said / max(len(gdf), 1))} %"))

place_col, radius_col = st.columns([3, 2], gap="medium")
with place_col:
    lookup, place, kept_place = _results.place_input("dechets_lieu")
with radius_col:
    radius_km = _results.radius_input(place, "dechets_rayon")

state = links.SearchState(
    lieu=kept_place,
    rayon=int(radius_km),
    facets={name: list(values) for name, values in choices.items() if values},
    fournisseur=url_state.fournisseur,
)
if lookup.text and place is None:
    _url.publish(state, links.WASTE_PARAMS)
    st.stop()

outcome = waste.run(index, place=place, radius_km=radius_km, choices=choices)
_results.show_outcome(
    "dechets", index, outcome, state, links.WASTE_PARAMS, table_key="tableau_dechets", table_of=waste.result_table
)

st.divider()
st.markdown(f"**{texts.FOOTER_HEADER}**")
for line in texts.source_lines(status):
    st.caption(line)
