"""``python -m mapping refresh``: fetch live payloads into the snapshots, losing nothing.

Each source is fetched into a temporary folder next to its snapshot; the new snapshot replaces the
old one only when the source was read completely and its payloads parse and normalise. On any
failure the previous snapshot stays byte for byte and the other sources still refresh.

Progress: one bar per source counting pages, with the records read so far and the retries
(« HTTP 429, nouvel essai dans 30 s ») from the HTTP client's per-request callback. Each swapped
snapshot gets a ``manifest.json``: when, from where, how many files/records/bytes, licence and
attribution (a connector with an ``attribution(files)`` method, e.g. ADEME's ``paternite``
contributors, refines it), read by the app to show the data's freshness.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import connectors
from connectors.base import SnapshotFile, SourceError
from connectors.snapshots import digest, read_manifest, replace_snapshot
from mapping.build import changes, journal
from mapping.http import HttpClient, RequestEvent
from mapping.reference import geography

log = logging.getLogger(__name__)


@dataclass
class RefreshResult:
    """Outcome of one source's refresh."""

    source: str
    ok: bool
    files: int = 0
    records: int = 0
    error: str = ""
    #: Source without live API (partner files): not fetched by a refresh of every source.
    manual: bool = False
    #: For the journal: records of the replaced snapshot, digest of the new payloads, version id
    #: under which the replaced snapshot was kept.
    records_before: int | None = None
    sha256: str = ""
    previous_version: str | None = None

    @property
    def changed(self) -> bool:
        """True when a new snapshot was swapped in."""
        return self.ok and not self.manual and bool(self.sha256)

    def line(self) -> str:
        """One French line for the CLI."""
        if self.manual:
            return f"{self.source} : import manuel, instantané conservé — {self.error}"
        if self.ok:
            return f"{self.source} : instantané mis à jour ({self.files} fichiers, {self.records} enregistrements)"
        return f"{self.source} : ÉCHEC, instantané précédent conservé — {self.error}"


class Progress:
    """Feeds a tqdm-like bar (``update``, ``set_postfix_str``) with pages, records and retries."""

    def __init__(self, bar: Any | None = None) -> None:
        self.bar = bar
        self.pages = 0
        self.records = 0
        self.retries = 0

    def page(self, file: SnapshotFile) -> None:
        """One payload received."""
        self.pages += 1
        self.records += count_records(file.content)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"{self.records} enregistrements", refresh=False)

    def request(self, event: RequestEvent) -> None:
        """HTTP client callback: show the retries (429 with Retry-After, 5xx, timeouts)."""
        if event.retry_in is None:
            return
        self.retries += 1
        if self.bar is not None:
            status = f"HTTP {event.status}" if event.status else "erreur réseau"
            wait = f"{status}, nouvel essai dans {event.retry_in:.0f} s"
            self.bar.set_postfix_str(f"{self.records} enregistrements — {wait}")


def count_records(content: bytes) -> int:
    """Records of a JSON page (length of its ``results``/``data``/``features`` list), 0 if unknown."""
    try:
        payload = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return 0
    if isinstance(payload, list):
        return len(payload)
    if isinstance(payload, dict):
        for key in ("results", "data", "features"):
            if isinstance(payload.get(key), list):
                return len(payload[key])
    return 0


def default_client() -> HttpClient:
    """The HTTP client of a refresh (tests replace this factory)."""
    return HttpClient()


def _attribution(connector: Any, files: list[SnapshotFile]) -> str:
    refine = getattr(connector, "attribution", None)
    if callable(refine):
        try:
            return str(refine(files)) or connector.ATTRIBUTION
        except Exception:  # the attribution must never cost a refresh
            log.exception("Source %s : attribution non calculée", connector.NAME)
    return connector.ATTRIBUTION


def refresh_source(
    name: str,
    *,
    http: HttpClient | None = None,
    region: str | None = None,
    root: Path | None = None,
    progress: Progress | Callable[[int], None] | None = None,
) -> RefreshResult:
    """Fetch ``name`` live and swap its snapshot in when complete; never raises on source errors.

    Parameters
    ----------
    name
        Registry name of the source.
    http
        HTTP client (default :func:`default_client`).
    region
        INSEE region code (default ``SOURCIER_REGION`` or 24).
    root
        Snapshots folder (default ``data/snapshots``).
    progress
        A :class:`Progress` (pages, records, retries) or a callable receiving ``1`` per page.

    Returns
    -------
    RefreshResult
        ``ok`` False with a French ``error`` when anything failed; the previous snapshot is then
        untouched.
    """
    connector = connectors.REGISTRY[name]
    region = region or geography.region_code()
    http = http or default_client()
    tracker = progress if isinstance(progress, Progress) else Progress()
    previous_callback = http.progress
    http.progress = tracker.request
    try:
        files = []
        for f in connector.fetch(http, region=region):
            files.append(f)
            tracker.page(f)
            if callable(progress) and not isinstance(progress, Progress):
                progress(1)
        if not files:
            raise SourceError(name, "la source n'a renvoyé aucun fichier")
        records = connector.normalize(connector.parse(files))
        if len(records) == 0:
            log.warning("Source %s : lecture complète mais aucun enregistrement", name)
        manifest = {
            "source": name,
            "title": connector.TITLE,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "url": connector.base_url(),
            "homepage": connector.HOMEPAGE,
            "region": region,
            "records": len(records),
            "files": len(files),
            "bytes": sum(len(f.content) for f in files),
            "licence": connector.LICENCE,
            "attribution": _attribution(connector, files),
            "demo": False,
        }
        before = read_manifest(name, root).get("records")
        written = replace_snapshot(name, files, manifest, root=root)
        return RefreshResult(
            name,
            True,
            files=len(files),
            records=len(records),
            records_before=before,
            sha256=digest(files),
            previous_version=written.archived,
        )
    except SourceError as exc:
        return RefreshResult(name, False, error=exc.detail)
    except Exception as exc:  # a parser crash on a malformed payload must not lose the snapshot
        log.exception("Source %s : erreur inattendue", name)
        return RefreshResult(name, False, error=f"erreur inattendue ({type(exc).__name__} : {str(exc)[:200]})")
    finally:
        http.progress = previous_callback


def refresh(
    names: list[str] | None = None,
    *,
    user: str | None = None,
    via: str = journal.VIA_CLI,
    rebuild: bool = False,
    **kwargs,
) -> list[RefreshResult]:
    """Refresh every source in ``names`` (default: all registered), each independently, and journal
    each swapped snapshot (after the rebuild of the table when ``rebuild``, so that the entries say
    how many actors it then holds)."""
    from tqdm import tqdm

    results = []
    if not names:  # every source: partner files have no live API, they are imported (python -m mapping import)
        names = []
        for name, connector in connectors.REGISTRY.items():
            if getattr(connector, "MANUAL_IMPORT", False):
                results.append(RefreshResult(name, True, manual=True, error=connector.import_hint()))
            else:
                names.append(name)
    kwargs.setdefault("http", default_client())
    for name in names:
        with tqdm(desc=name, unit=" pages", leave=True) as bar:
            result = refresh_source(name, progress=Progress(bar), **kwargs)
            bar.set_postfix_str(f"{result.records} enregistrements" if result.ok else "échec")
        results.append(result)
    _journal(results, user=user, via=via, rebuild=rebuild, root=kwargs.get("root"))
    return results


def _journal(results: list[RefreshResult], *, user: str | None, via: str, rebuild: bool, root: Path | None) -> None:
    changed = [r for r in results if r.changed]
    if not changed:
        return
    before = journal.count_actors()
    after = changes.actors_after_rebuild(rebuild, root)
    for r in changed:
        journal.append(
            journal.Entry(
                action="refresh",
                source=r.source,
                user=user,
                via=via,
                sha256=r.sha256,
                records_before=r.records_before,
                records_after=r.records,
                actors_before=before,
                actors_after=after,
                previous_version=r.previous_version,
            )
        )
