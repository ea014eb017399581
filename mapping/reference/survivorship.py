"""Survivorship rules shared by the merge of source records into actors.

Each field is taken from the most trusted source for it (``data/reference/survivorship.json``);
actors get a stable opaque ``uid``. The merge itself (exact keys and record linkage) is
:func:`mapping.dedup.deduplicate`, whose survive step applies these rules.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from mapping import settings
from mapping.reference.schema import CODE_LIST_COLUMNS, COLUMNS, TEXT_LIST_COLUMNS

SURVIVORSHIP_FILE = settings.get().reference_dir / "survivorship.json"

#: Scalar columns chosen by survivorship (geometry travels with geo_precision as one "location").
SCALAR_COLUMNS = tuple(
    c
    for c in COLUMNS
    if c
    not in (
        "uid",
        "geometry",
        "geo_precision",
        "updated_at",
        "sources",
        "source_keys",
        *CODE_LIST_COLUMNS,
        *TEXT_LIST_COLUMNS,
    )
)


@lru_cache(maxsize=1)
def survivorship() -> dict[str, list[str]]:
    """Source trust order per field (``default`` for fields not listed)."""
    with SURVIVORSHIP_FILE.open(encoding="utf-8") as fh:
        rules = json.load(fh)
    return {k: v for k, v in rules.items() if not k.startswith("_")}


def make_uid(key: str) -> str:
    """Stable opaque identifier from a merge key (SIRET or smallest source key)."""
    return "a" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
