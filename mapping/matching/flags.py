"""What a matched actor is, for a buyer's report: ESS, SIAE (which kind), ESAT/EA, Scop/Scic,
« C du Centre », organic (AB), and its purchase families.

The codes come from the taxonomy (``data/reference/taxonomy/actor_kinds.json``: the kinds of the
``ess`` group; :data:`mapping.reference.taxonomy.SIAE_KINDS`); nothing here is a French string.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from mapping.reference import taxonomy
from mapping.reference.schema import as_list

#: Flag columns of :func:`actor_flags` (booleans), in report order.
FLAG_COLUMNS = ("ess", "siae", "esat_ea", "scop_scic", "c_du_centre", "ab")
#: Kinds of the SIAE and of the sheltered and adapted work sector, in report order.
SIAE_ORDER = ("ei", "aci", "ai", "etti", "eiti", "geiq")
HANDICAP_KINDS = ("esat", "ea")


@cache
def ess_kinds() -> frozenset[str]:
    """Kinds of the ``ess`` group of the taxonomy (association, fondation, mutuelle, scop, scic, cae, esus)."""
    return frozenset(e["code"] for e in taxonomy.entries("actor_kinds") if e.get("group") == "ess")


def actor_flags(kinds: object, labels: object) -> dict[str, object]:
    """Flags of one actor from its ``actor_kinds`` and ``labels`` code lists."""
    kinds_list, labels_list = as_list(kinds), as_list(labels)
    kind_set = set(kinds_list)
    ess = bool(kind_set & ess_kinds()) or "esus" in labels_list
    siae = [k for k in SIAE_ORDER if k in kind_set]
    return {
        "ess": ess,
        "siae": bool(siae),
        "siae_kinds": siae,
        "esat_ea": bool(kind_set & set(HANDICAP_KINDS)),
        "handicap_kinds": [k for k in HANDICAP_KINDS if k in kind_set],
        "scop_scic": bool(kind_set & {"scop", "scic"}),
        "c_du_centre": "c_du_centre" in labels_list,
        "ab": "ab" in labels_list,
    }


def flags_frame(actors: pd.DataFrame, positions: list[int | None]) -> pd.DataFrame:
    """Flags of the actors at ``positions`` (None: unmatched row, every flag False)."""
    empty = actor_flags([], [])
    kinds = actors["actor_kinds"].to_numpy(dtype=object) if "actor_kinds" in actors.columns else None
    labels = actors["labels"].to_numpy(dtype=object) if "labels" in actors.columns else None
    rows = []
    for p in positions:
        if p is None:
            rows.append({**empty, "siae_kinds": [], "handicap_kinds": []})
        else:
            rows.append(actor_flags(kinds[p] if kinds is not None else [], labels[p] if labels is not None else []))
    return pd.DataFrame(rows, columns=list(empty))
