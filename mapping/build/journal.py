"""The journal of every change to the sources: one JSON object per line, appended, never rewritten.

Each import, refresh and restore appends one :class:`Entry` (who, when, what, with which file, how
many rows and actors) to ``SOURCIER_JOURNAL_PATH`` (default ``<data>/journal.jsonl``). A line is
written with one ``write`` on a file opened in append mode, under an exclusive ``flock`` (several
Streamlit sessions and the command line may write at once), then ``fsync``-ed. A torn last line
(power cut during a write) is ended before the next entry, and :func:`read` skips a line it cannot
parse with a warning rather than losing the others.
"""

from __future__ import annotations

import json
import logging
import os
import pwd
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

try:  # POSIX (the Région's server); without it, appends of one line are still whole on Linux
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from mapping import settings
from mapping.build.table import build_path

log = logging.getLogger(__name__)

#: Actions recorded in the journal.
ACTIONS = ("import", "refresh", "restore")
#: How a change was made.
VIA_WEB = "application"
VIA_CLI = "ligne de commande"


def now() -> str:
    """The current UTC time as the journal writes it (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    """One change of one source.

    ``sha256`` is the imported file's digest (import), or :func:`connectors.snapshots.digest` of
    the payloads written (refresh, restore). ``actors_after`` is None when the table was not rebuilt
    in the same operation (the command line without ``--build``).
    """

    action: str
    source: str
    user: str | None
    via: str
    at: str = field(default_factory=now)
    file_name: str | None = None
    sha256: str | None = None
    rows_read: int | None = None
    imported: int | None = None
    refused: int | None = None
    records_before: int | None = None
    records_after: int | None = None
    actors_before: int | None = None
    actors_after: int | None = None
    #: Version id under which the replaced snapshot was kept (``python -m mapping restore SOURCE ID``).
    previous_version: str | None = None
    #: Restore: the version put back.
    restored_version: str | None = None
    forced: bool = False

    def to_json(self) -> str:
        """The entry as one JSON line (no newline inside)."""
        fields = asdict(self)
        ordered = {"at": fields.pop("at"), **fields}  # the date first: the file reads like a log
        return json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))


def journal_path() -> Path:
    """The journal file of the settings (``SOURCIER_JOURNAL_PATH``)."""
    current = settings.get()
    return current.journal_path or current.data_dir / "journal.jsonl"


def append(entry: Entry, path: Path | None = None) -> Path:
    """Append ``entry`` as one line, durably (append mode, exclusive lock, fsync); return the file."""
    path = Path(path or journal_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (entry.to_json() + "\n").encode("utf-8")
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # a torn last line (power cut) must not swallow this entry
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    log.info("Journal : %s %s par %s", entry.action, entry.source, entry.user or "?")
    return path


def read(path: Path | None = None, *, source: str | None = None) -> list[dict[str, Any]]:
    """Every entry, oldest first (only ``source``'s when given); ``[]`` when there is no journal."""
    path = Path(path or journal_path())
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            log.warning("Journal %s : ligne %d illisible, ignorée", path, number)
            continue
        if isinstance(entry, dict) and (source is None or entry.get("source") == source):
            entries.append(entry)
    return entries


def count_actors(path: Path | None = None) -> int | None:
    """Rows of the built table (from its Parquet footer, without reading it); None when absent."""
    path = Path(path or build_path())
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError) as exc:
        log.debug("Table %s non lue : %s", path, exc)
        return None


def system_user() -> str:
    """The account running the command line (from the system, not from the environment)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid {os.getuid()}"


__all__ = [
    "ACTIONS",
    "VIA_CLI",
    "VIA_WEB",
    "Entry",
    "append",
    "count_actors",
    "journal_path",
    "now",
    "read",
    "system_user",
]
