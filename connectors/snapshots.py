"""Snapshots: the recorded payloads of a source under ``<snapshots>/<source>/`` and their manifest.

One module reads and writes them, for refresh, partner imports and the demo world:

* :func:`read_snapshot` lists the payload files (``manifest.json`` and hidden files excluded);
* :func:`read_manifest` returns the bookkeeping dict (empty when absent or unreadable);
* :func:`write_snapshot` writes payloads and manifest into a temporary folder, then swaps it in
  with two renames: a reader sees the old snapshot or the new one, never half of each, and a
  failure leaves the previous snapshot untouched. The replaced folder is not deleted: it is
  renamed into the source's history, ``<snapshots>/.history/<source>/<version>/`` (same file
  system, so keeping it costs one rename), and only the ``keep`` newest versions stay
  (``SOURCIER_HISTORY_KEEP``, default 10);
* :func:`history` lists the kept versions, newest first; :func:`restore` puts one back (its files
  byte for byte, through :func:`write_snapshot`, so the snapshot it replaces is kept in turn).

A version id is the UTC time the snapshot was replaced, ``YYYYMMDDTHHMMSSffffffZ``: sortable, and
unique per source (a clash gets a ``-2`` suffix).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mapping import settings
from mapping.errors import SourceError

log = logging.getLogger(__name__)

#: Bookkeeping file written next to the payloads by refresh/import/demo; never a payload.
MANIFEST_NAME = "manifest.json"
#: Folder of the previous snapshots, under the snapshots root (hidden: never read as a source).
HISTORY_NAME = ".history"
_VERSION_RE = re.compile(r"^\d{8}T\d{12}Z(-\d+)?$")


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


def history_dir(name: str, root: str | Path | None = None) -> Path:
    """Folder of the previous snapshots of source ``name`` (``<root>/.history/<name>``)."""
    return snapshots_root(root) / HISTORY_NAME / name


def _payloads(folder: Path) -> list[SnapshotFile]:
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST_NAME or any(part.startswith(".") for part in rel.split("/")):
            continue
        files.append(SnapshotFile(rel, path.read_bytes()))
    return files


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("Manifeste illisible %s : %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


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
    return _payloads(folder)


def read_manifest(name: str, root: str | Path | None = None) -> dict[str, Any]:
    """The manifest of a source's snapshot, ``{}`` when absent or unreadable."""
    return _manifest(snapshot_dir(name, root))


def digest(files: Iterable[SnapshotFile]) -> str:
    """SHA-256 of a snapshot's payloads (each file's path, size and bytes, in path order)."""
    sha = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.path):
        sha.update(f"{file.path}\0{len(file.content)}\0".encode())
        sha.update(file.content)
    return sha.hexdigest()


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The stable text of a manifest (indented JSON, final newline)."""
    return (json.dumps(dict(manifest), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Version:
    """A kept previous snapshot: ``id`` (see the module docstring), its folder and its manifest."""

    id: str
    path: Path
    manifest: Mapping[str, Any]

    @property
    def replaced_at(self) -> datetime:
        """When this snapshot stopped being the current one (from :attr:`id`)."""
        return datetime.strptime(self.id.split("-")[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class Written:
    """Outcome of :func:`replace_snapshot`: the new snapshot's folder and the version id under
    which the replaced one was kept (None when there was none, or history is off)."""

    folder: Path
    archived: str | None


def replace_snapshot(
    name: str,
    files: Iterable[SnapshotFile | tuple[str, bytes]],
    manifest: Mapping[str, Any] | bytes,
    *,
    root: str | Path | None = None,
    keep: int | None = None,
) -> Written:
    """Replace the snapshot of ``name`` by ``files`` + ``manifest`` atomically, keeping the old one.

    Parameters
    ----------
    manifest
        The manifest as a mapping, or its exact bytes (a restore puts them back unchanged).
    keep
        Previous snapshots kept (default ``SOURCIER_HISTORY_KEEP``); 0 deletes the replaced one.

    Raises
    ------
    SourceError
        When a file path would leave the snapshot folder (nothing is changed then).
    """
    root = snapshots_root(root)
    keep = settings.get().history_keep if keep is None else keep
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
        raw = manifest if isinstance(manifest, bytes) else manifest_bytes(manifest)
        (tmp / MANIFEST_NAME).write_bytes(raw)
        archive = _new_version_dir(name, root) if keep > 0 and _has_files(root / name) else None
        swap(tmp, root / name, archive=archive)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if keep > 0:
        prune(name, keep, root=root)
    return Written(root / name, archive.name if archive is not None else None)


def write_snapshot(
    name: str,
    files: Iterable[SnapshotFile | tuple[str, bytes]],
    manifest: Mapping[str, Any],
    *,
    root: str | Path | None = None,
    keep: int | None = None,
) -> Path:
    """Replace the snapshot of ``name`` atomically, the old one kept in its history; return its
    folder (see :func:`replace_snapshot`)."""
    return replace_snapshot(name, files, manifest, root=root, keep=keep).folder


def _has_files(folder: Path) -> bool:
    """True when ``folder`` holds a file (an empty or missing snapshot is not worth keeping)."""
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _new_version_dir(name: str, root: Path) -> Path:
    folder = history_dir(name, root)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    candidate, n = folder / stamp, 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stamp}-{n}"
    return candidate


def swap(new: Path, final: Path, *, archive: Path | None = None) -> None:
    """Replace folder ``final`` by ``new`` with two renames (the old one is kept until the new one
    is in place); with ``archive``, the old folder is renamed there instead of being deleted."""
    old = archive if archive is not None else final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(new, final)
    except OSError:
        if old.exists() and not final.exists():
            os.replace(old, final)  # put the previous snapshot back
        raise
    if archive is None and old.exists():
        shutil.rmtree(old)


def history(name: str, root: str | Path | None = None) -> list[Version]:
    """The kept previous snapshots of ``name``, newest first (empty when none)."""
    folder = history_dir(name, root)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and _VERSION_RE.match(p.name)]
    found.sort(key=lambda p: (p.name.split("-")[0], int(p.name.split("-")[1]) if "-" in p.name else 1), reverse=True)
    return [Version(p.name, p, _manifest(p)) for p in found]


def prune(name: str, keep: int, root: str | Path | None = None) -> list[str]:
    """Delete all but the ``keep`` newest versions of ``name``; return the deleted ids."""
    dropped = history(name, root)[keep:]
    for version in dropped:
        shutil.rmtree(version.path, ignore_errors=True)
        log.info("Source %s : version %s retirée de l'historique", name, version.id)
    return [v.id for v in dropped]


def find_version(name: str, version: str | None = None, root: str | Path | None = None) -> Version:
    """Version ``version`` of ``name``'s history, or the newest one (the snapshot before the current).

    Raises
    ------
    SourceError
        When the history is empty or has no such version (French message listing what exists).
    """
    versions = history(name, root)
    if not versions:
        raise SourceError(name, "aucune version précédente n'est conservée")
    if version is None:
        return versions[0]
    for candidate in versions:
        if candidate.id == version:
            return candidate
    known = ", ".join(v.id for v in versions)
    msg = f"version inconnue : {version!r} (versions conservées : {known})"
    raise SourceError(name, msg)


def read_version(version: Version) -> tuple[list[SnapshotFile], bytes]:
    """Payload files and exact manifest bytes of a kept version."""
    try:
        raw = (version.path / MANIFEST_NAME).read_bytes()
    except OSError:
        raw = manifest_bytes({})
    return _payloads(version.path), raw


def restore(
    name: str, version: str | None = None, *, root: str | Path | None = None, keep: int | None = None
) -> tuple[Version, Written]:
    """Make version ``version`` (default: the newest kept) the current snapshot of ``name`` again.

    Its files and manifest come back byte for byte; the snapshot they replace joins the history,
    so a restore can itself be undone. The restored version stays in the history too.

    Returns
    -------
    tuple[Version, Written]
        The version restored and the outcome of the write (``archived``: id of the replaced one).
    """
    chosen = find_version(name, version, root)
    files, raw = read_version(chosen)
    written = replace_snapshot(name, files, raw, root=root, keep=keep)
    return chosen, written


__all__ = [
    "HISTORY_NAME",
    "MANIFEST_NAME",
    "SnapshotFile",
    "Version",
    "Written",
    "digest",
    "find_version",
    "history",
    "history_dir",
    "manifest_bytes",
    "prune",
    "read_manifest",
    "read_snapshot",
    "read_version",
    "replace_snapshot",
    "restore",
    "snapshot_dir",
    "snapshots_root",
    "swap",
    "write_snapshot",
]
