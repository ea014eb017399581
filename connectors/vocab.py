"""Source vocabularies -> taxonomy codes, read from ``data/reference/mappings/<name>.json``.

A mapping file holds sections (``"actions"``, ``"rubriques"``...) of ``{source value: entry}``,
each entry listing taxonomy codes per column (``{"waste_types": [...], "purchase_families":
[...]}``) and, for some sources, flags. A key ending with ``*`` matches every value starting
with what precedes it (``"bonusrepar_*"``, ``"27*"``); the exact key wins over a prefix, the
longest prefix over a shorter one. Values are compared without case or surrounding spaces.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from connectors.base import SourceError
from mapping import settings
from mapping.reference import schema

MAPPINGS_DIR = settings.get().reference_dir / "mappings"
#: Code-list columns an entry may feed (``mapping.reference.schema.CODE_LIST_COLUMNS``).
CODE_COLUMNS = schema.CODE_LIST_COLUMNS


@cache
def load(name: str) -> dict[str, Any]:
    """The mapping file ``<name>.json`` (cached).

    Raises
    ------
    SourceError
        When the file is missing or not JSON (the message names the file).
    """
    path = MAPPINGS_DIR / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"table de correspondance illisible : {path} ({exc})"
        raise SourceError(name, msg) from None
    if not isinstance(data, dict):
        msg = f"table de correspondance inattendue : {path} (objet JSON attendu)"
        raise SourceError(name, msg)
    return data


@cache
def _section(name: str, section: str) -> tuple[dict[str, dict], tuple[tuple[str, dict], ...]]:
    table = load(name).get(section) or {}
    exact: dict[str, dict] = {}
    prefixes: list[tuple[str, dict]] = []
    for key, entry in table.items():
        folded = str(key).strip().casefold()
        if folded.endswith("*"):
            prefixes.append((folded[:-1], entry or {}))
        else:
            exact[folded] = entry or {}
    prefixes.sort(key=lambda item: -len(item[0]))
    return exact, tuple(prefixes)


def entry(name: str, section: str, value: object) -> dict[str, Any] | None:
    """The entry of ``value`` in ``section`` of mapping ``name`` (None when unknown)."""
    key = str(value or "").strip().casefold()
    if not key:
        return None
    exact, prefixes = _section(name, section)
    if key in exact:
        return exact[key]
    for prefix, found in prefixes:
        if key.startswith(prefix):
            return found
    return None


def add_codes(codes: dict[str, list[str]], found: Mapping[str, Any] | None) -> None:
    """Append the taxonomy codes of an entry to ``codes`` (``{column: [...]}``)."""
    if not found:
        return
    for column in CODE_COLUMNS:
        codes.setdefault(column, []).extend(found.get(column) or [])


def empty_codes() -> dict[str, list[str]]:
    """``{column: []}`` for every code-list column."""
    return {column: [] for column in CODE_COLUMNS}


def known(name: str, section: str) -> Iterable[str]:
    """Keys of a section, as written in the file (for tests)."""
    return list((load(name).get(section) or {}).keys())
