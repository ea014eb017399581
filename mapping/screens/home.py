"""The home page without Streamlit: what Sourcier holds (actors by kind, source and département) and the
freshness of each source, from the actor table and ``mapping.store.data_status()``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import connectors
from mapping.reference import geography, taxonomy
from mapping.screens import home_texts as t
from mapping.screens import texts
from mapping.screens.tables import count_by


@dataclass(frozen=True)
class Overview:
    """Counts of the home page; each table has a French label column and :data:`home_texts.COUNT_COLUMN`."""

    total: int
    headline: str
    by_kind: pd.DataFrame
    by_source: pd.DataFrame
    by_departement: pd.DataFrame
    departement_counts: dict[str, int]
    departement_tooltips: dict[str, str]


def _table(counts: pd.Series, label_of, column: str) -> pd.DataFrame:
    return pd.DataFrame(
        {column: [label_of(code) for code in counts.index], t.COUNT_COLUMN: counts.to_numpy(dtype="int64")}
    )


def overview(actors: pd.DataFrame) -> Overview:
    """The counts shown on the home page (actors counted once per kind and per source they hold)."""
    region = geography.departements()
    names = geography.departement_names()
    per_dep = actors["departement"].where(actors["departement"].isin(region), other=t.OUTSIDE_REGION)
    dep_counts = per_dep.value_counts()
    ordered = [code for code in region if code in dep_counts.index] + (
        [t.OUTSIDE_REGION] if t.OUTSIDE_REGION in dep_counts.index else []
    )
    by_departement = pd.DataFrame(
        {
            t.DEPARTEMENT_COLUMN: [f"{names.get(c, c)} ({c})" if c in region else c for c in ordered],
            t.COUNT_COLUMN: [int(dep_counts[c]) for c in ordered],
        }
    )
    headline = t.TOTAL.format(count=texts.actors_count(len(actors)), departements=len(region))
    return Overview(
        total=len(actors),
        headline=headline,
        by_kind=_table(count_by(actors, "actor_kinds"), lambda c: taxonomy.label("actor_kinds", c), t.KIND_COLUMN),
        by_source=_table(count_by(actors, "sources"), connectors.title, t.SOURCE_COLUMN),
        by_departement=by_departement,
        departement_counts={c: int(dep_counts.get(c, 0)) for c in region},
        departement_tooltips={
            c: t.MAP_TOOLTIP.format(name=names.get(c, c), code=c, count=texts.actors_count(int(dep_counts.get(c, 0))))
            for c in region
        },
    )


__all__ = ["Overview", "overview"]
