"""What a demo renderer returns, and the payload helpers renderers share (pure, no I/O)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from connectors import datafair


@dataclass
class Rendered:
    """One source's rendered snapshot."""

    source: str
    url: str
    licence: str
    attribution: str
    #: ``(path relative to snapshots/<source>/, bytes)``, in writing order.
    files: list[tuple[str, bytes]] = field(default_factory=list)
    #: ``(source_id, actor_id)`` of every record rendered (unique source ids).
    keys: list[tuple[str, str]] = field(default_factory=list)
    #: Extra manifest entries (e.g. the import report of a partner file).
    manifest: dict = field(default_factory=dict)


def dumps(payload: object) -> bytes:
    """Compact UTF-8 JSON, as the services send it (key order as built)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def datafair_pages(rows: list[dict], *, url: str, query: str, folder: str, page_size: int) -> list[tuple[str, bytes]]:
    """``rows`` as data-fair ``lines`` pages (``total``, ``next`` cursor URL, ``results``), named as the
    connectors name them (``<folder>/page-start.json`` then one file per ``after`` cursor)."""
    files = []
    path = f"{folder}/page-start.json"
    rows = [_with_datafair_keys(row, folder) for row in rows]
    for start in range(0, max(len(rows), 1), page_size):
        chunk = rows[start : start + page_size]
        payload: dict = {"total": len(rows)}
        if start + page_size < len(rows):
            payload["next"] = f"{url}?{query}&after={chunk[-1]['_i']}"
        payload["results"] = chunk
        files.append((path, dumps(payload)))
        if chunk:
            path = datafair.cursor_file(str(chunk[-1]["_i"]), folder)
    return files


def _with_datafair_keys(row: dict, folder: str) -> dict:
    """``row`` with the keys data-fair adds to every line (``_id``, ``_rand``, ``_score``, as in the
    answers recorded in ``tests/fixtures/real/ademe_datafair``), derived from ``_i``: no random draw."""
    seed = hashlib.sha1(f"{folder}/{row.get('_i')}".encode()).digest()
    extra = {
        "_id": base64.urlsafe_b64encode(seed[:15]).decode("ascii"),
        "_rand": int.from_bytes(seed[15:18], "big") % 1_000_000,
        "_score": None,
    }
    return {**row, **{k: v for k, v in extra.items() if k not in row}}


def fetched_at(seed: int) -> datetime:
    """Fixed "fetch" instant derived from the seed (November 2026, 06:00 UTC), never the clock."""
    return datetime(2026, 11, 1, 6, 0, tzinfo=UTC) + timedelta(days=seed % 28, minutes=seed % 53)


__all__ = ["Rendered", "datafair_pages", "dumps", "fetched_at"]
