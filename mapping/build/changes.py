"""Changes to a source that everyone then sees: accept an import, restore a version, journal a refresh.

Every change goes through here so that it is checked, kept and recorded the same way from the page
and from the command line:

* :func:`drop_check` compares an import with the current snapshot: how many of the source's
  structures (by ``source_id``, the partner's identifier, else SIRET, else name + place) would
  disappear. Above ``SOURCIER_IMPORT_MAX_DROP`` (default 30 %) :func:`accept_import` refuses
  unless ``force`` (the page's confirmation, the CLI's ``--force``) and changes nothing;
* the snapshot write keeps the replaced one in the source's history
  (:mod:`connectors.snapshots`), so :func:`restore_source` can put it back;
* each change appends an :class:`mapping.build.journal.Entry` with the actors before and, when the
  table is rebuilt in the same operation (``rebuild``), after.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import connectors
from connectors.snapshots import digest, read_manifest, read_snapshot
from connectors.snapshots import restore as restore_snapshot
from mapping import settings
from mapping.build import imports, journal
from mapping.build.pipeline import build
from mapping.build.table import build_path
from mapping.errors import SourceError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drop:
    """What an import would remove from a source: ``dropped`` of its ``previous`` structures."""

    source: str
    previous: int
    incoming: int
    dropped: int
    limit: float

    @property
    def share(self) -> float:
        """Share of the current structures that would go (0 when the source is empty)."""
        return self.dropped / self.previous if self.previous else 0.0

    @property
    def exceeds(self) -> bool:
        """True when the import needs a confirmation (more than :attr:`limit` would go)."""
        return self.previous > 0 and self.share > self.limit

    def message(self) -> str:
        """French sentence saying how many structures would disappear."""
        title = connectors.get(self.source).TITLE
        return (
            f"Cet import retirerait {self.dropped} des {self.previous} structures de « {title} » "
            f"({_percent(self.share)}), au-delà du seuil de {_percent(self.limit)} : le fichier n'en "
            f"contient que {self.incoming}."
        )


class TooManyDropped(ValueError):
    """An import above the drop threshold, not confirmed: nothing was written."""

    def __init__(self, drop: Drop) -> None:
        self.drop = drop
        super().__init__(f"{drop.message()} Rien n'est modifié.")


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def current_ids(source: str, root: Path | None = None) -> set[str] | None:
    """``source_id`` of every structure of the current snapshot; None when there is none or it
    cannot be read (then only counts are compared)."""
    connector = connectors.get(source)
    try:
        records = connector.normalize(connector.parse(read_snapshot(source, root)))
    except SourceError:
        return None
    except Exception:  # an unreadable old snapshot must not block a new import
        log.exception("Source %s : instantané actuel illisible, comparaison sur les effectifs", source)
        return None
    return {str(v) for v in records["source_id"].dropna()}


def drop_check(result: imports.ImportResult, *, root: Path | None = None, limit: float | None = None) -> Drop:
    """How many of the source's current structures the import ``result`` would remove."""
    limit = settings.get().import_max_drop if limit is None else limit
    incoming = set() if result.records is None else {str(v) for v in result.records["source_id"].dropna()}
    previous = current_ids(result.source, root)
    if previous is None:
        count = int(read_manifest(result.source, root).get("records") or 0)
        return Drop(result.source, count, len(incoming), max(count - len(incoming), 0), limit)
    return Drop(result.source, len(previous), len(incoming), len(previous - incoming), limit)


def rebuild_table(root: Path | None = None) -> int | None:
    """Build the table again from the snapshots under ``root``; its number of actors."""
    report = build(output=build_path(), snapshots_root=root)
    log.info("%s", report.summary())
    return journal.count_actors()


def actors_after_rebuild(rebuild: bool, root: Path | None = None) -> int | None:
    """Rebuild when asked and return the actors then built; None when not asked or when it failed."""
    if not rebuild:
        return None
    try:
        return rebuild_table(root)
    except Exception:  # the change is made: it must be journalled even when the rebuild fails
        log.exception("Reconstruction de la table impossible après la modification")
        return None


def accept_import(
    result: imports.ImportResult,
    *,
    user: str | None,
    via: str,
    force: bool = False,
    rebuild: bool = False,
    root: Path | None = None,
    limit: float | None = None,
) -> journal.Entry:
    """Write a validated import (keeping the snapshot it replaces), rebuild if asked, journal it.

    Raises
    ------
    TooManyDropped
        When the import would remove more than ``limit`` of the source's structures and ``force`` is
        False (nothing is written nor journalled).
    ValueError
        When the import is not :attr:`~mapping.build.imports.ImportResult.ok`.
    """
    if not result.ok:
        msg = f"import refusé, rien n'est écrit : {result.report.fatal}"
        raise ValueError(msg)
    drop = drop_check(result, root=root, limit=limit)
    if drop.exceeds and not force:
        raise TooManyDropped(drop)
    at = journal.now()  # the change's time, not the end of the rebuild
    before = journal.count_actors()
    records_before = read_manifest(result.source, root).get("records")
    written = imports.write_import(result, root=root)
    report = result.report
    entry = journal.Entry(
        action="import",
        source=result.source,
        user=user,
        via=via,
        at=at,
        file_name=result.file_name,
        sha256=imports.file_sha256(result),
        rows_read=report.rows_read,
        imported=report.imported,
        refused=len(report.rejected),
        records_before=records_before,
        records_after=report.records,
        actors_before=before,
        actors_after=actors_after_rebuild(rebuild, root),
        previous_version=written.archived,
        forced=bool(force and drop.exceeds),
    )
    journal.append(entry)
    return entry


def restore_source(
    source: str,
    version: str | None = None,
    *,
    user: str | None,
    via: str,
    rebuild: bool = False,
    root: Path | None = None,
) -> journal.Entry:
    """Put version ``version`` (default: the newest kept) of ``source`` back, rebuild if asked,
    journal it.

    Raises
    ------
    SourceError
        When there is no such version (French message; nothing is changed).
    """
    at = journal.now()
    before = journal.count_actors()
    records_before = read_manifest(source, root).get("records")
    chosen, written = restore_snapshot(source, version, root=root)
    stored = chosen.manifest.get("import") or {}
    entry = journal.Entry(
        action="restore",
        source=source,
        user=user,
        via=via,
        at=at,
        file_name=stored.get("file_name"),
        sha256=digest(read_snapshot(source, root)),
        records_before=records_before,
        records_after=chosen.manifest.get("records"),
        actors_before=before,
        actors_after=actors_after_rebuild(rebuild, root),
        previous_version=written.archived,
        restored_version=chosen.id,
    )
    journal.append(entry)
    return entry


__all__ = [
    "Drop",
    "TooManyDropped",
    "accept_import",
    "actors_after_rebuild",
    "current_ids",
    "drop_check",
    "rebuild_table",
    "restore_source",
]
