"""« Couverture du territoire »: one code of a dimension by département or EPCI — map, heat table, white
zones, reservation potential, observatory indicators and exports. Logic in mapping/screens/coverage.py."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_folium import st_folium

from mapping import maps
from mapping.coverage import export
from mapping.coverage import texts as coverage_labels
from mapping.reference import geography, taxonomy
from mapping.screens import coverage as screen
from mapping.screens import coverage_texts as texts
from mapping.screens import texts as common
from pages import _data

log = logging.getLogger(__name__)
_data.enter_through_app()

try:
    actors = _data.suppliers(*_data.table_key())
except Exception as exc:  # shown to the user, then logged with its traceback
    log.exception("Chargement des acteurs impossible")
    st.error(common.LOAD_ERROR.format(error=exc))
    st.stop()

if st.session_state.get("_coverage_url") is None:  # first run of the page in this session: the URL's choices
    url_state, messages = screen.parse_params({k: st.query_params.get_all(k) for k in st.query_params})
    st.session_state["_coverage_url"] = messages
    st.session_state["couv_dimension"] = url_state.dimension
    st.session_state["couv_par"] = url_state.by
    st.session_state["couv_types"] = url_state.kinds
    if url_state.code:
        st.session_state["couv_code"] = url_state.code

st.title(texts.PAGE_TITLE)
st.caption(texts.PAGE_INTRO)
for message in st.session_state["_coverage_url"]:
    st.warning(common.markdown_text(message), icon=":material/link_off:")

dim_col, code_col, level_col, kinds_col = st.columns([3, 4, 3, 4])
with dim_col:
    dimension = st.selectbox(
        texts.DIMENSION_LABEL,
        list(texts.DIMENSION_OPTIONS),
        format_func=texts.DIMENSION_OPTIONS.get,
        key="couv_dimension",
    )
options = screen.code_options(dimension)
if st.session_state.get("couv_code") not in options:
    st.session_state["couv_code"] = next(iter(options))
with code_col:
    code = st.selectbox(texts.CODE_LABEL, list(options), format_func=options.get, key="couv_code")
with level_col:
    by = st.radio(
        texts.LEVEL_LABEL,
        list(texts.LEVEL_OPTIONS),
        format_func=texts.LEVEL_OPTIONS.get,
        horizontal=True,
        key="couv_par",
    )
with kinds_col:
    kinds = st.multiselect(
        texts.KINDS_LABEL,
        taxonomy.codes("actor_kinds"),
        format_func=lambda k: taxonomy.label("actor_kinds", k),
        placeholder=texts.KINDS_PLACEHOLDER,
        help=texts.KINDS_HELP,
        key="couv_types",
    )

state = screen.CoverageState(dimension=dimension, code=code, by=by, kinds=list(kinds))
params = screen.to_params(state)
if {k: st.query_params.get(k) for k in st.query_params} != params:
    st.query_params.from_dict(params)
view = screen.build_view(actors, state)

st.subheader(view.headline)
st.markdown(f"#### {texts.MAP_HEADER}")
polygons = geography.departement_polygons() if by == "departement" else geography.epci_polygons()
folium_map = maps.build_choropleth(polygons, view.counts, tooltips=screen.tooltips(view), legend_title=texts.MAP_LEGEND)
st_folium(folium_map, returned_objects=[], height=520, use_container_width=True, key="carte_couverture")

st.markdown(f"#### {texts.WHITE_HEADER}")
for sentence in view.white_sentences:
    st.markdown(f"- {common.markdown_text(sentence)}")

st.markdown(f"#### {texts.POTENTIAL_HEADER}")
limits = view.thresholds
st.caption(texts.POTENTIAL_HELP.format(contract=limits.reserve_contract_at_least, lot=limits.reserve_lot_at_least))
st.dataframe(view.potential_table, hide_index=True, key="table_potentiel")

st.markdown(f"#### {texts.MATRIX_HEADER}")
st.caption(texts.MATRIX_HELP)
numeric = [c for c in view.heat_table.columns if c != texts.LABEL_COLUMN]
st.dataframe(view.heat_table.style.map(screen.heat_css(view), subset=numeric), key="table_matrice")
matrix_table = screen.matrix_export(view)
c1, c2 = st.columns(2)
c1.download_button(
    texts.DOWNLOAD_MATRIX_CSV, export.to_csv(matrix_table), export.file_name("matrix", "csv"), "text/csv", key="dl_mcsv"
)
c2.download_button(
    texts.DOWNLOAD_MATRIX_XLSX,
    export.to_xlsx(matrix_table, sheet=coverage_labels.MATRIX_SHEET),
    export.file_name("matrix", "xlsx"),
    key="dl_mxlsx",
)

st.markdown(f"#### {texts.INDICATORS_HEADER}")
st.caption(texts.INDICATORS_HELP)
st.dataframe(view.indicators_table, hide_index=True, key="table_indicateurs")
c3, c4 = st.columns(2)
c3.download_button(
    texts.DOWNLOAD_INDICATORS_CSV,
    export.to_csv(view.indicators_table),
    export.file_name("indicators", "csv"),
    "text/csv",
    key="dl_icsv",
)
c4.download_button(
    texts.DOWNLOAD_INDICATORS_XLSX,
    export.to_xlsx(view.indicators_table, sheet=coverage_labels.INDICATORS_SHEET),
    export.file_name("indicators", "xlsx"),
    key="dl_ixlsx",
)
