"""``python -m mapping refresh``: fetch live payloads into the snapshots, losing nothing.

Each source is fetched into a temporary folder next to its snapshot; the new snapshot replaces the
old one only when the source was read completely and its payloads parse and normalise. On any
failure the previous snapshot stays byte for byte and the other sources still refresh.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import connectors
from connectors._http import HttpClient
from connectors.base import SnapshotFile, SourceError
from mapping import geography, store

log = logging.getLogger(__name__)


@dataclass
class RefreshResult:
    """Outcome of one source's refresh."""

    source: str
    ok: bool
    files: int = 0
    records: int = 0
    error: str = ""

    def line(self) -> str:
        """One French line for the CLI."""
        if self.ok:
            return f"{self.source} : instantané mis à jour ({self.files} fichiers, {self.records} enregistrements)"
        return f"{self.source} : ÉCHEC, instantané précédent conservé — {self.error}"


def _write_files(name: str, folder: Path, files: list[SnapshotFile]) -> None:
    for f in files:
        target = folder / f.path
        if folder.resolve() not in target.resolve().parents:
            msg = f"chemin de fichier refusé dans l'instantané : {f.path!r}"
            raise SourceError(name, msg)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.content)


def _swap(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new`` with two renames (old kept until the new one is in place)."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.exists():
        shutil.rmtree(old)


def refresh_source(
    name: str,
    *,
    http: HttpClient | None = None,
    region: str | None = None,
    root: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> RefreshResult:
    """Fetch ``name`` live and swap its snapshot in when complete; never raises on source errors."""
    connector = connectors.REGISTRY[name]
    root = Path(root or store.SNAPSHOTS_DIR)
    region = region or geography.region_code()
    http = http or HttpClient()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        files = []
        for f in connector.fetch(http, region=region):
            files.append(f)
            if progress:
                progress(1)
        if not files:
            raise SourceError(name, "la source n'a renvoyé aucun fichier")
        records = connector.normalize(connector.parse(files))
        _write_files(name, tmp, files)
        manifest = {
            "source": name,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "url": connector.base_url(),
            "records": len(records),
            "files": len(files),
            "licence": connector.LICENCE,
            "attribution": connector.ATTRIBUTION,
            "demo": False,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _swap(tmp, root / name)
        return RefreshResult(name, True, files=len(files), records=len(records))
    except SourceError as exc:
        return RefreshResult(name, False, error=exc.detail)
    except Exception as exc:  # a parser crash on a malformed payload must not lose the snapshot
        log.exception("Source %s : erreur inattendue", name)
        return RefreshResult(name, False, error=f"erreur inattendue ({type(exc).__name__}: {str(exc)[:200]})")
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def refresh(names: list[str] | None = None, **kwargs) -> list[RefreshResult]:
    """Refresh every source in ``names`` (default: all registered), each independently."""
    from tqdm import tqdm

    results = []
    for name in names or list(connectors.REGISTRY):
        with tqdm(desc=name, unit=" fichiers", leave=True) as bar:
            results.append(refresh_source(name, progress=bar.update, **kwargs))
    return results
