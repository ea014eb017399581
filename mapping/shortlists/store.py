"""Shortlists persisted through SQLAlchemy Core: SQLite by default, PostgreSQL when several instances run.

Three tables, created on first use: ``sourcier_schema`` (one row: the schema version, so that a later
change can migrate), ``shortlists`` (id, name, owner, timestamps) and ``shortlist_items`` (one row per
actor of a list: its ``uid``, note, position, when it was added, and a JSON snapshot of what was known
of it — name, commune, SIRET, source keys — so that an actor a rebuild no longer has can still be shown).

Concurrency: every write runs in one transaction that first takes the list's write lock — ``SELECT …
FOR UPDATE`` on the list's row on PostgreSQL, ``BEGIN IMMEDIATE`` (the database's write lock, waited for
up to :data:`SQLITE_BUSY_TIMEOUT_S`) on SQLite —, so two writers appending to one list are serialised
and positions stay contiguous: nothing is lost, nothing is numbered twice. Positions are 0-based.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from mapping import settings

log = logging.getLogger(__name__)

#: Version of the tables below; bump it with an entry in :data:`MIGRATIONS`.
SCHEMA_VERSION = 1
#: ``from_version -> function(connection)`` bringing the tables to ``from_version + 1``.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}
SQLITE_BUSY_TIMEOUT_S = 30.0
#: Execution option marking a write transaction (SQLite then takes the write lock at BEGIN).
_WRITE_OPTION = "sourcier_write"
NAME_MAX = 200
NOTE_MAX = 4000

metadata = sa.MetaData()
schema_table = sa.Table(
    "sourcier_schema",
    metadata,
    sa.Column("component", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)
lists_table = sa.Table(
    "shortlists",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(NAME_MAX), nullable=False),
    sa.Column("owner", sa.String(NAME_MAX)),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)
items_table = sa.Table(
    "shortlist_items",
    metadata,
    sa.Column("list_id", sa.String(32), sa.ForeignKey("shortlists.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("uid", sa.String(64), primary_key=True),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("added_at", sa.String(32), nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False, default="{}"),
    sa.Index("ix_shortlist_items_position", "list_id", "position"),
)


class UnknownListError(KeyError):
    """No shortlist has this id (deleted by someone else, or never existed)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_url() -> str:
    """``SOURCIER_DATABASE_URL``, else the embedded SQLite file under the data folder."""
    current = settings.get()
    return current.database_url or f"sqlite:///{current.default_database_path}"


def _make_engine(url: str) -> Engine:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, future=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # pysqlite's own transaction handling off: we emit BEGIN IMMEDIATE ourselves (write lock up front,
    # the SQLAlchemy recipe for serialisable SQLite transactions).
    engine = sa.create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}, future=True
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get(_WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class ShortlistStore:
    """Shortlists of one database (see the module docstring). Thread-safe; one per URL is enough."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{_WRITE_OPTION: True})
        self._ready = False
        self._ready_lock = threading.Lock()

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    # ------------------------------------------------------------------ schema

    def ensure_schema(self) -> None:
        """Create the tables on first use and check (or migrate) the schema version."""
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            try:
                metadata.create_all(self.engine, checkfirst=True)
            except (IntegrityError, ProgrammingError, OperationalError):
                # another instance created them at the same moment: check again
                log.info("Tables des sélections créées par un autre processus ; nouvelle vérification")
                metadata.create_all(self.engine, checkfirst=True)
            with self.engine.begin() as conn:
                self._check_version(conn)
            self._ready = True

    def _check_version(self, conn: Connection) -> None:
        row = conn.execute(
            sa.select(schema_table.c.version).where(schema_table.c.component == "shortlists")
        ).one_or_none()
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(schema_table.insert().values(component="shortlists", version=SCHEMA_VERSION))
            except IntegrityError:
                pass  # inserted concurrently
            return
        version = row.version
        if version > SCHEMA_VERSION:
            msg = f"Base des sélections en version {version}, plus récente que ce code ({SCHEMA_VERSION})"
            raise RuntimeError(msg)
        while version < SCHEMA_VERSION:
            log.info("Migration des sélections : version %d -> %d", version, version + 1)
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(schema_table.update().where(schema_table.c.component == "shortlists").values(version=version))

    def schema_version(self) -> int:
        self.ensure_schema()
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(schema_table.c.version).where(schema_table.c.component == "shortlists")
            ).scalar_one()

    # ------------------------------------------------------------------ helpers

    def _write(self):
        self.ensure_schema()
        return self._writer.begin()

    def _lock_list(self, conn: Connection, list_id: str) -> None:
        """Take the list's write lock (row lock on PostgreSQL; SQLite already holds the database's)."""
        query = sa.select(lists_table.c.id).where(lists_table.c.id == list_id)
        if conn.dialect.name != "sqlite":
            query = query.with_for_update()
        if conn.execute(query).one_or_none() is None:
            raise UnknownListError(list_id)

    def _touch(self, conn: Connection, list_id: str) -> None:
        conn.execute(lists_table.update().where(lists_table.c.id == list_id).values(updated_at=_now()))

    # ------------------------------------------------------------------ lists

    def create(self, name: str, owner: str | None = None) -> str:
        """Create an empty shortlist; return its id."""
        name = _clean_name(name)
        list_id = uuid.uuid4().hex
        now = _now()
        owner = (owner or "").strip()[:NAME_MAX] or None
        with self._write() as conn:
            conn.execute(
                lists_table.insert().values(id=list_id, name=name, owner=owner, created_at=now, updated_at=now)
            )
        return list_id

    def lists(self) -> list[dict[str, Any]]:
        """Every shortlist, most recently changed first: ``id, name, owner, created_at, updated_at, count``."""
        self.ensure_schema()
        count = (
            sa.select(sa.func.count())
            .where(items_table.c.list_id == lists_table.c.id)
            .correlate(lists_table)
            .scalar_subquery()
        )
        query = sa.select(lists_table, count.label("count")).order_by(
            lists_table.c.updated_at.desc(), lists_table.c.name
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def get(self, list_id: str) -> dict[str, Any] | None:
        """One shortlist as in :meth:`lists`, or ``None``."""
        return next((row for row in self.lists() if row["id"] == list_id), None)

    def rename(self, list_id: str, name: str) -> None:
        name = _clean_name(name)
        with self._write() as conn:
            self._lock_list(conn, list_id)
            conn.execute(lists_table.update().where(lists_table.c.id == list_id).values(name=name, updated_at=_now()))

    def delete(self, list_id: str) -> None:
        """Delete a shortlist and its items (no error when it is already gone)."""
        with self._write() as conn:
            conn.execute(items_table.delete().where(items_table.c.list_id == list_id))
            conn.execute(lists_table.delete().where(lists_table.c.id == list_id))

    # ------------------------------------------------------------------ items

    def add(self, list_id: str, uid: str, note: str = "", *, snapshot: dict[str, Any] | None = None) -> bool:
        """Append ``uid`` to the list (False when it is already there: nothing changes).

        ``snapshot`` is what is known of the actor when it is added (see
        :func:`mapping.shortlists.resolve.snapshot_of`), shown if a later rebuild no longer has it.
        """
        with self._write() as conn:
            self._lock_list(conn, list_id)
            exists = conn.execute(
                sa.select(items_table.c.uid).where(items_table.c.list_id == list_id, items_table.c.uid == uid)
            ).one_or_none()
            if exists is not None:
                return False
            position = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(items_table.c.position) + 1, 0)).where(
                    items_table.c.list_id == list_id
                )
            ).scalar_one()
            conn.execute(
                items_table.insert().values(
                    list_id=list_id,
                    uid=uid,
                    note=_clean_note(note),
                    position=position,
                    added_at=_now(),
                    snapshot=json.dumps(snapshot or {}, ensure_ascii=False, default=str),
                )
            )
            self._touch(conn, list_id)
        return True

    def remove(self, list_id: str, uid: str) -> None:
        """Take ``uid`` out of the list; the ones after it move up."""
        with self._write() as conn:
            self._lock_list(conn, list_id)
            row = conn.execute(
                sa.select(items_table.c.position).where(items_table.c.list_id == list_id, items_table.c.uid == uid)
            ).one_or_none()
            if row is None:
                return
            conn.execute(items_table.delete().where(items_table.c.list_id == list_id, items_table.c.uid == uid))
            conn.execute(
                items_table.update()
                .where(items_table.c.list_id == list_id, items_table.c.position > row.position)
                .values(position=items_table.c.position - 1)
            )
            self._touch(conn, list_id)

    def set_note(self, list_id: str, uid: str, note: str) -> None:
        with self._write() as conn:
            self._lock_list(conn, list_id)
            done = conn.execute(
                items_table.update()
                .where(items_table.c.list_id == list_id, items_table.c.uid == uid)
                .values(note=_clean_note(note))
            )
            if done.rowcount == 0:
                raise KeyError(uid)
            self._touch(conn, list_id)

    def move(self, list_id: str, uid: str, position: int) -> None:
        """Put ``uid`` at 0-based ``position`` (clamped to the list); the others keep their order."""
        with self._write() as conn:
            self._lock_list(conn, list_id)
            order = list(
                conn.execute(
                    sa.select(items_table.c.uid)
                    .where(items_table.c.list_id == list_id)
                    .order_by(items_table.c.position, items_table.c.added_at)
                ).scalars()
            )
            if uid not in order:
                raise KeyError(uid)
            order.remove(uid)
            order.insert(max(0, min(int(position), len(order))), uid)
            for index, each in enumerate(order):
                conn.execute(
                    items_table.update()
                    .where(items_table.c.list_id == list_id, items_table.c.uid == each)
                    .values(position=index)
                )
            self._touch(conn, list_id)

    def items(self, list_id: str) -> list[dict[str, Any]]:
        """The list's actors in order: ``uid, note, position, added_at, snapshot`` (a dict)."""
        self.ensure_schema()
        query = (
            sa.select(
                items_table.c.uid,
                items_table.c.note,
                items_table.c.position,
                items_table.c.added_at,
                items_table.c.snapshot,
            )
            .where(items_table.c.list_id == list_id)
            .order_by(items_table.c.position, items_table.c.added_at)
        )
        with self.engine.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            row["snapshot"] = _loads(row["snapshot"])
        return rows

    def lists_with(self, uid: str) -> list[str]:
        """Ids of the shortlists holding ``uid`` (for the card's « Ajouter à une sélection »)."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(items_table.c.list_id).where(items_table.c.uid == uid)).scalars())

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())[:NAME_MAX]
    if not name:
        msg = "Une sélection doit avoir un nom"
        raise ValueError(msg)
    return name


def _clean_note(note: str | None) -> str:
    return str(note or "").strip()[:NOTE_MAX]


def _loads(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


_stores: dict[str, ShortlistStore] = {}
_stores_lock = threading.Lock()


def open_store(url: str | None = None) -> ShortlistStore:
    """The shortlist store of ``url`` (default :func:`default_url`); one shared store per URL."""
    url = url or default_url()
    with _stores_lock:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = ShortlistStore(_make_engine(url))
    store.ensure_schema()
    return store


def close_all() -> None:
    """Dispose every store opened by :func:`open_store` (tests simulate a restart with it)."""
    with _stores_lock:
        for store in _stores.values():
            store.dispose()
        _stores.clear()
