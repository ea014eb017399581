"""Snapshots: the recorded payloads of a source under ``<snapshots>/<source>/`` and their manifest.

One module reads and writes them, for refresh, partner imports and the demo world:

* :func:`read_snapshot` lists the payload files (``manifest.json`` and hidden files excluded);
* :func:`read_manifest` returns the bookkeeping dict (empty when absent or unreadable);
* :func:`write_snapshot` writes payloads and manifest into a temporary folder, then swaps it in
  with two renames: a reader sees the old snapshot or the new one, never half of each, and a
  failure leaves the previous snapshot untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapping import settings
from mapping.errors import SourceError

#: Bookkeeping file written next to the payloads by refresh/import/demo; never a payload.
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class SnapshotFile:
    """One recorded response: ``path`` relative to ``<snapshots>/<source>/`` (POSIX separators),
    ``content`` the exact bytes the service returned."""

    path: str
    content: bytes


def snapshots_root(root: str | Path | None = None) -> Path:
    """``root``, or the settings' snapshots folder."""
    return Path(root) if root is not None else settings.get().snapshots_dir


def snapshot_dir(name: str, root: str | Path | None = None) -> Path:
    """Folder holding the snapshot of source ``name`` (``<root>/<name>``)."""
    return snapshots_root(root) / name


def read_snapshot(name: str, root: str | Path | None = None) -> list[SnapshotFile]:
    """Every payload file of a source's snapshot, sorted by path.

    Raises
    ------
    SourceError
        When the folder does not exist.
    """
    folder = snapshot_dir(name, root)
    if not folder.is_dir():
        msg = f"aucun instantané trouvé dans {folder}"
        raise SourceError(name, msg)
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST_NAME or any(part.startswith(".") for part in rel.split("/")):
            continue
        files.append(SnapshotFile(rel, path.read_bytes()))
    return files


def read_manifest(name: str, root: str | Path | None = None) -> dict[str, Any]:
    """The manifest of a source's snapshot, ``{}`` when absent or unreadable."""
    path = snapshot_dir(name, root) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The stable text of a manifest (indented JSON, final newline)."""
    return (json.dumps(dict(manifest), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_snapshot(
    name: str,
    files: Iterable[SnapshotFile | tuple[str, bytes]],
    manifest: Mapping[str, Any],
    *,
    root: str | Path | None = None,
) -> Path:
    """Replace the snapshot of ``name`` by ``files`` + ``manifest`` atomically; return its folder.

    Raises
    ------
    SourceError
        When a file path would leave the snapshot folder (nothing is changed then).
    """
    root = snapshots_root(root)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        for item in files:
            path, content = (item.path, item.content) if isinstance(item, SnapshotFile) else item
            target = tmp / path
            if tmp.resolve() not in target.resolve().parents:
                msg = f"chemin de fichier refusé dans l'instantané : {path!r}"
                raise SourceError(name, msg)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (tmp / MANIFEST_NAME).write_bytes(manifest_bytes(manifest))
        swap(tmp, root / name)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return root / name


def swap(new: Path, final: Path) -> None:
    """Replace folder ``final`` by ``new`` with two renames (the old one is kept until the new one
    is in place)."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.exists():
        shutil.rmtree(old)


__all__ = [
    "MANIFEST_NAME",
    "SnapshotFile",
    "manifest_bytes",
    "read_manifest",
    "read_snapshot",
    "snapshot_dir",
    "snapshots_root",
    "swap",
    "write_snapshot",
]
