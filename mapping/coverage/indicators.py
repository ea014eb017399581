"""Indicators for the observatory: the share of suppliers of each category, per code and territory.

One tidy row per (code, territory, category), the table an annual report needs: the number of suppliers
of the category, the number of suppliers of every kind, and the share (%). Categories: the three
reserved-contract groups (ESS, SIAE, ESAT/EA), Scop and Scic, then each actor kind. An actor may belong to
several categories (an ESAT run by an association is ESS and ESAT): shares do not add up to 100 %.
The région's own rows (territory = the région code) count every actor once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.coverage import texts
from mapping.coverage.matrix import KindMasks, count_triples, dimension_codes, explode, memberships, territories
from mapping.reference import geography, taxonomy

#: Group categories: code -> actor kinds (reserved-contract article, or explicit kinds).
GROUPS = {"ess": "L2113-15", "siae": "L2113-13", "esat_ea": "L2113-12", "scop_scic": ("scop", "scic")}
COLUMNS = (
    "code",
    "label",
    "level",
    "territory",
    "territory_name",
    "category",
    "category_label",
    "suppliers",
    "total",
    "share",
)


def categories() -> dict[str, tuple[str, list[str]]]:
    """``category -> (French label, actor kinds)``: the groups, then every actor kind."""
    out: dict[str, tuple[str, list[str]]] = {}
    entries = taxonomy.entries("actor_kinds")
    for code, rule in GROUPS.items():
        if isinstance(rule, str):
            kinds = [e["code"] for e in entries if rule in e.get("reserved_contracts", [])]
        else:
            kinds = list(rule)
        out[code] = (texts.CATEGORY_LABELS[code], kinds)
    for entry in entries:
        out[entry["code"]] = (texts.CATEGORY_KIND_PREFIX + entry["label"], [entry["code"]])
    return out


def indicators(
    actors: pd.DataFrame,
    *,
    dimension: str = "purchase_families",
    by: str = "departement",
    codes: list[str] | None = None,
    region_rows: bool = True,
) -> pd.DataFrame:
    """Tidy indicator table (:data:`COLUMNS`), rows by code, territory (région first) and category."""
    every = dimension_codes(dimension)
    wanted = every if codes is None else [c for c in every if c in set(codes)]
    rows = [every.index(c) for c in wanted]
    terr = territories(by)
    columns = list(terr.codes)
    names = dict(terr.names)
    member_sets = [(memberships(actors, terr), len(columns), None)]
    if region_rows:
        region = geography.region_code()
        deps = territories("departement")
        area = memberships(actors, deps)
        member_sets.insert(0, ((area[0], np.zeros(len(area[0]), dtype=np.int64)), 1, region))
    parts = []
    masks = KindMasks(actors)
    groups = {category: (label, masks.mask(kinds)) for category, (label, kinds) in categories().items() if kinds}
    for members, width, region_code in member_sets:
        places = [region_code] if region_code is not None else columns
        triples = explode(actors, dimension, members)
        total = count_triples(triples, len(every), width)[rows]
        for category, (category_label, mask) in groups.items():
            counts = count_triples(triples, len(every), width, mask)[rows]
            parts.append(
                pd.DataFrame(
                    {
                        "code": np.repeat(np.array(wanted, dtype=object), width),
                        "territory": np.tile(np.array(places, dtype=object), len(wanted)),
                        "category": category,
                        "category_label": category_label,
                        "suppliers": counts.ravel(),
                        "total": total.ravel(),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    table = pd.concat(parts, ignore_index=True)
    region_name = texts.REGION_NAME
    table["label"] = table["code"].map({code: taxonomy.label(dimension, code) for code in wanted})
    known = table["territory"].isin(list(names))
    table["level"] = np.where(known, terr.level, "region")
    table["territory_name"] = table["territory"].map(names).where(known, region_name)
    total = table["total"].to_numpy(dtype=float)
    share = 100.0 * table["suppliers"].to_numpy(dtype=float) / np.where(total > 0, total, 1.0)
    table["share"] = np.round(np.where(total > 0, share, np.nan), 1)
    order = {code: i for i, code in enumerate(wanted)}
    table = table.assign(_code=table["code"].map(order)).sort_values(["_code"], kind="stable").drop(columns="_code")
    return table[list(COLUMNS)].reset_index(drop=True)
