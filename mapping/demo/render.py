"""Write every source's view of a demo world, its manifests and the ground truth.

Layout (``docs/ARCHITECTURE.md``), under ``root`` (the repository's ``data/`` folder)::

    snapshots/<source>/...             native payloads, exact bytes a live fetch would store
    snapshots/<source>/manifest.json   {"source", "fetched_at", "url", "records", "files", ..., "demo": true}
    demo/ground_truth.csv              source_key,actor_id  (source_key = "<source>:<source_id>")

Renderers are pure: ``render(world, fetched_at=...) -> Rendered``; this module does the I/O.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd

from connectors.snapshots import read_manifest, write_snapshot
from mapping import settings
from mapping.demo import (
    DEFAULT_N_ACTORS,
    DEFAULT_SEED,
    render_ademe_lvao,
    render_carteco,
    render_georisques,
    render_partners,
    render_recherche_entreprises,
    render_sinoe,
    world,
)
from mapping.demo.rendered import Rendered, datafair_pages, dumps, fetched_at

logger = logging.getLogger(__name__)


def _renderers() -> dict[str, Callable[..., Rendered]]:
    renderers: dict[str, Callable[..., Rendered]] = {
        "recherche_entreprises": render_recherche_entreprises.render,
        "carteco": render_carteco.render,
    }
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
    # A demo snapshot replacing another demo snapshot is not kept: both are generated from a seed
    # (``python -m mapping demo`` gives them back) and ten copies would only weigh on the checkout.
    # Real data (an import, a refresh) replaced by the demo is kept like any other change.
    previous = read_manifest(folder.name, root=folder.parent)
    keep = 0 if previous.get("demo", True) else None
    write_snapshot(folder.name, rendered.files, manifest, root=folder.parent, keep=keep)


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
    counts = render_all(frame, Path(root) if root is not None else settings.get().data_dir)
    return {"actors": len(frame), **counts}


__all__ = ["Rendered", "datafair_pages", "dumps", "fetched_at", "render_all", "write_demo"]
