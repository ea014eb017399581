"""Write every source's view of a demo world, its manifests and the ground truth.

Layout (``docs/ARCHITECTURE.md``), under ``root`` (the repository's ``data/`` folder)::

    snapshots/<source>/...             native payloads, exact bytes a live fetch would store
    snapshots/<source>/manifest.json   {"source", "fetched_at", "url", "records", "files", ..., "demo": true}
    demo/ground_truth.csv              source_key,actor_id  (source_key = "<source>:<source_id>")

Renderers are pure: ``render(world, fetched_at=...) -> Rendered``; this module does the I/O.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from mapping.demo import DEFAULT_N_ACTORS, DEFAULT_SEED, world

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_ROOT = REPO_ROOT / "data"


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
    from connectors import _datafair

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
            path = _datafair.cursor_file(str(chunk[-1]["_i"]), folder)
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


def _renderers() -> dict[str, Callable[..., Rendered]]:
    from functools import partial

    from mapping.demo import render_carteco, render_partners, render_recherche_entreprises

    renderers: dict[str, Callable[..., Rendered]] = {
        "recherche_entreprises": render_recherche_entreprises.render,
        "carteco": render_carteco.render,
    }
    from mapping.demo import render_ademe_lvao, render_georisques, render_sinoe

    renderers.update(
        ademe_lvao=render_ademe_lvao.render, sinoe=render_sinoe.render, georisques=render_georisques.render
    )
    for partner in ("cress", "urscop", "france_active", "cducentre", "agire"):
        renderers[partner] = partial(render_partners.render, source=partner)
    return renderers


def render_all(world_frame: pd.DataFrame, root: Path) -> dict[str, int]:
    """Render every source of ``world_frame`` under ``root`` (see the module docstring).

    Each source folder is cleared first. The fetch date and the renderers' random choices derive
    from ``world_frame.attrs["seed"]`` (0 when absent), so the output is byte-identical for a
    given world.

    Returns
    -------
    dict[str, int]
        Records rendered per source, plus ``"ground_truth"`` (rows written).
    """
    root = Path(root)
    seed = int(world_frame.attrs.get("seed", 0))
    when = fetched_at(seed)
    counts: dict[str, int] = {}
    truth: list[tuple[str, str]] = []
    for name, render in _renderers().items():
        rendered = render(world_frame, seed=seed, fetched_at=when)
        _write_source(root / "snapshots" / name, rendered, when)
        counts[name] = len(rendered.keys)
        truth.extend((f"{name}:{source_id}", actor_id) for source_id, actor_id in rendered.keys)
        logger.info("demo %s: %d records in %d files", name, len(rendered.keys), len(rendered.files))
    truth.sort()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("source_key", "actor_id"))
    writer.writerows(truth)
    target = root / "demo" / "ground_truth.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue().encode("utf-8"))
    counts["ground_truth"] = len(truth)
    return counts


def _write_source(folder: Path, rendered: Rendered, when: datetime) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for relative, content in rendered.files:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    manifest = {
        "source": rendered.source,
        "fetched_at": when.isoformat(timespec="seconds"),
        "url": rendered.url,
        "records": len(rendered.keys),
        "files": len(rendered.files),
        "licence": rendered.licence,
        "attribution": rendered.attribution,
        "demo": True,
        **rendered.manifest,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_demo(
    *,
    n_actors: int = DEFAULT_N_ACTORS,
    seed: int = DEFAULT_SEED,
    root: Path | None = None,
    region: str | None = None,
) -> dict[str, int]:
    """Generate the demo world and render it under ``root`` (``python -m mapping demo``).

    Parameters
    ----------
    n_actors, seed, region
        Passed to :func:`mapping.demo.world.generate`.
    root : Path, optional
        Target ``data/`` folder (default: the repository's).

    Returns
    -------
    dict[str, int]
        ``{"actors": n, <source>: records, ..., "ground_truth": rows}``.
    """
    frame = world.generate(n_actors, seed=seed, region=region)
    counts = render_all(frame, Path(root) if root is not None else DATA_ROOT)
    return {"actors": len(frame), **counts}
