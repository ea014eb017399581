"""The « Déchets et économie circulaire » screen without Streamlit: options, search and table.

The page asks the natures of waste first (grouped as ``waste_groups.json`` says, EWC codes shown), then
the action (``circular_actions``), whom the actor receives (``audiences``, where the sources say it), a
place and a radius; :func:`run` is :func:`mapping.screens.query.run_search` with those criteria.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from mapping.places.resolve import Place
from mapping.reference import taxonomy
from mapping.reference.schema import as_list
from mapping.screens import query, texts, waste_texts
from mapping.screens.tables import count_by
from mapping.search.index import SupplierIndex

#: Criteria of the page, in the order of its widgets (``SupplierIndex.search`` keywords).
FACETS = ("waste_types", "circular_actions", "audiences")
MAX_EWC_IN_LABEL = 3


def option_counts(gdf: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Actors per code of every criterion of :data:`FACETS`."""
    return {name: count_by(gdf, name).to_dict() for name in FACETS}


def ewc_codes(code: str) -> list[str]:
    """The EWC codes of a waste type."""
    return next((list(e.get("ewc", [])) for e in taxonomy.entries("waste_types") if e["code"] == code), [])


def waste_options(counts: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """Waste type -> « Famille · Nature — 20 01 08, 20 03 02… (12) », grouped by family, in family order."""
    per_code = counts.get("waste_types", {})
    out: dict[str, str] = {}
    for _, group_label, members in taxonomy.waste_groups():
        for code in members:
            ewc = ewc_codes(code)
            shown = ", ".join(ewc[:MAX_EWC_IN_LABEL]) + ("…" if len(ewc) > MAX_EWC_IN_LABEL else "")
            count = texts.format_count(int(per_code.get(code, 0)))
            out[code] = f"{group_label} · {taxonomy.label('waste_types', code)} — {shown} ({count})"
    return out


def options(name: str, counts: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """Options of the action and public widgets: code -> « Label (count) »."""
    per_code = counts.get(name, {})
    return {
        c: f"{taxonomy.label(name, c)} ({texts.format_count(int(per_code.get(c, 0)))})" for c in taxonomy.codes(name)
    }


def ewc_caption(chosen: Sequence[str]) -> str | None:
    """« Codes déchets : … » of the chosen natures (None when nothing is chosen)."""
    codes = list(dict.fromkeys(c for code in chosen for c in ewc_codes(code)))
    return waste_texts.EWC_CAPTION.format(codes=", ".join(codes)) if codes else None


def run(
    index: SupplierIndex,
    *,
    place: Place | None,
    radius_km: float,
    choices: Mapping[str, Sequence[str]],
) -> query.SearchOutcome:
    """:func:`mapping.screens.query.run_search` with the page's criteria; an empty result says what to widen."""
    outcome = query.run_search(index, place=place, radius_km=radius_km, choices=choices)
    if outcome.empty_message:
        message = f"{texts.SEARCH_NO_RESULT.format(where=query.where(place, radius_km))} {waste_texts.EMPTY_HINT}"
        outcome = query.SearchOutcome(**{**outcome.__dict__, "empty_message": message})
    return outcome


def _joined(name: str, values: object) -> str:
    return ", ".join(taxonomy.labels_for(name, as_list(values)))


def result_table(found: pd.DataFrame, *, card_link: str | None = None) -> pd.DataFrame:
    """:func:`mapping.screens.query.result_table` plus « Actions » and « Public » (« non précisé » when unsaid)."""
    table = query.result_table(found, card_link=card_link)
    at = list(table.columns).index(texts.SEARCH_TABLE_COLUMNS["offer"]) + 1
    table.insert(at, waste_texts.TABLE_ACTIONS, [_joined("circular_actions", v) for v in found["circular_actions"]])
    table.insert(
        at + 1,
        waste_texts.TABLE_AUDIENCES,
        [_joined("audiences", v) or waste_texts.NOT_SAID for v in found["audiences"]],
    )
    return table
