"""The « Couverture du territoire » screen without Streamlit: URL parameters, the view of one choice.

URL parameters (public seam): ``dimension`` (``familles``, ``dechets``, ``produits``), ``code`` (a taxonomy
code of that dimension), ``par`` (``departement`` or ``epci``), ``types`` (comma-separated actor kinds).
:func:`parse_params` never raises: a bad value is dropped with a French message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from mapping import coverage
from mapping.coverage import export
from mapping.coverage import texts as coverage_labels
from mapping.maps.choropleth import class_color
from mapping.reference import taxonomy
from mapping.screens import coverage_texts as texts
from mapping.screens.texts import format_count

DIMENSION_PARAMS = {"familles": "purchase_families", "dechets": "waste_types", "produits": "product_types"}
PARAM_OF_DIMENSION = {v: k for k, v in DIMENSION_PARAMS.items()}
PARAMS = ("dimension", "code", "par", "types")


@dataclass
class CoverageState:
    dimension: str = "purchase_families"
    code: str | None = None
    by: str = "departement"
    kinds: list[str] = field(default_factory=list)


def _last(raw: object) -> str:
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    return str(raw if raw is not None else "").strip()


def parse_params(params: Mapping[str, object]) -> tuple[CoverageState, list[str]]:
    """The state a URL asks for and the French messages of what was ignored (never raises)."""
    state, messages = CoverageState(), []
    for name in params:
        if name not in PARAMS:
            messages.append(texts.UNKNOWN_PARAM.format(name=name))
    dimension = _last(params.get("dimension", ""))
    if dimension:
        if dimension in DIMENSION_PARAMS:
            state.dimension = DIMENSION_PARAMS[dimension]
        else:
            messages.append(texts.BAD_PARAM.format(name="dimension", value=dimension[:80]))
    code = _last(params.get("code", ""))
    if code:
        if code in taxonomy.codes(state.dimension):
            state.code = code
        else:
            messages.append(texts.BAD_PARAM.format(name="code", value=code[:80]))
    by = _last(params.get("par", ""))
    if by:
        if by in coverage.LEVELS:
            state.by = by
        else:
            messages.append(texts.BAD_PARAM.format(name="par", value=by[:80]))
    known = set(taxonomy.codes("actor_kinds"))
    for kind in dict.fromkeys(p.strip() for p in _last(params.get("types", "")).split(",") if p.strip()):
        if kind in known:
            state.kinds.append(kind)
        else:
            messages.append(texts.BAD_PARAM.format(name="types", value=kind[:80]))
    return state, messages


def to_params(state: CoverageState) -> dict[str, str]:
    """URL parameters of ``state`` (defaults left out)."""
    params: dict[str, str] = {}
    if state.dimension != "purchase_families":
        params["dimension"] = PARAM_OF_DIMENSION[state.dimension]
    if state.code:
        params["code"] = state.code
    if state.by != "departement":
        params["par"] = state.by
    if state.kinds:
        params["types"] = ",".join(state.kinds)
    return params


@dataclass
class CoverageView:
    """What the page shows for one choice."""

    headline: str
    counts: dict[str, int]
    names: dict[str, str]
    matrix: pd.DataFrame
    heat_table: pd.DataFrame
    white_sentences: list[str]
    potential_table: pd.DataFrame
    indicators_table: pd.DataFrame
    thresholds: coverage.Thresholds


def code_options(dimension: str) -> dict[str, str]:
    """``code -> label`` of a dimension, for the selectbox."""
    return {code: taxonomy.label(dimension, code) for code in taxonomy.codes(dimension)}


def build_view(actors: pd.DataFrame, state: CoverageState) -> CoverageView:
    """Matrix, selected row, white zones, potential and indicators for ``state``."""
    limits = coverage.load_thresholds()
    code = state.code or taxonomy.codes(state.dimension)[0]
    label = taxonomy.label(state.dimension, code)
    kinds = state.kinds or None
    matrix = coverage.coverage_matrix(actors, dimension=state.dimension, by=state.by, kinds=kinds)
    terr = coverage.territories(state.by)
    row = matrix.loc[code]
    counts = {str(k): int(v) for k, v in row.items()}
    covered = int((row > limits.white_at_most).sum())
    total_actors = int(
        coverage.coverage_matrix(actors, dimension=state.dimension, by="departement", kinds=kinds).loc[code].sum()
    )
    template = texts.HEADLINE_ONE if total_actors == 1 else texts.HEADLINE
    headline = template.format(count=format_count(total_actors), label=label, covered=covered, total=len(row))
    heat = matrix.copy()
    heat.columns = [f"{terr.names.get(c, c)} ({c})" for c in matrix.columns]
    heat.insert(0, texts.LABEL_COLUMN, [taxonomy.label(state.dimension, c) for c in matrix.index])
    heat.index.name = texts.CODE_COLUMN
    status = coverage.cell_status(matrix, limits).loc[code]
    sentences = []
    for territory, value in status.items():
        place = f"{terr.names.get(territory, territory)} ({territory})"
        if value == "white":
            sentences.append(texts.WHITE_SENTENCE.format(label=label, place=place))
        elif value == "thin":
            sentences.append(texts.THIN_SENTENCE.format(label=label, place=place, count=counts[territory]))
    if not sentences:
        sentences.append(texts.NO_WHITE.format(label=label, thin=limits.thin_below))
    potential = coverage.reservation_potential(
        actors, dimension=state.dimension, by=state.by, codes=[code], thresholds=limits
    )
    potential.insert(2, "territory_name", potential["territory"].map(terr.names))
    potential["potential"] = potential["potential"].map(coverage_labels.POTENTIAL_LABELS)
    indicators = coverage.indicators(actors, dimension=state.dimension, by=state.by, codes=[code])
    return CoverageView(
        headline=headline,
        counts=counts,
        names=dict(terr.names),
        matrix=matrix,
        heat_table=heat,
        white_sentences=sentences,
        potential_table=export.french_headers(potential.drop(columns=["code"])),
        indicators_table=export.french_headers(indicators),
        thresholds=limits,
    )


def tooltips(view: CoverageView) -> dict[str, str]:
    """Plain-text tooltip of each territory (the map escapes it)."""
    return {
        code: texts.TOOLTIP.format(name=view.names.get(code, code), count=count) for code, count in view.counts.items()
    }


def matrix_export(view: CoverageView) -> pd.DataFrame:
    """The matrix as a flat table with French headers (code, label, then one column per territory)."""
    return view.heat_table.reset_index()


def heat_css(view: CoverageView):
    """Styler function of the heat table: the map's colour classes as cell backgrounds (white zones white)."""
    top = int(view.matrix.to_numpy().max()) if view.matrix.size else 0

    def css(value: object) -> str:
        count = int(value) if isinstance(value, (int, float)) and value == value else 0
        color = class_color(count, top)
        text = "#ffffff" if color in ("#4292c6", "#08519c") else "#000000"
        return f"background-color: {color}; color: {text}"

    return css
