"""The database: an async engine for SQLite or PostgreSQL, migrated on open.

SQLite runs in WAL mode with a busy timeout, and write transactions begin IMMEDIATE so
that two processes queue for the write lock up front instead of failing half-way.
Reads stay ordinary deferred transactions, so a status query never waits on an import.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from sync.adopt import CONTRACT_TABLES, AdoptionPlan, adopt_if_needed

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"


class Database:
    """One engine per process; `write()` and `read()` hand out connections in a transaction."""

    def __init__(self, url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, *,
                 reader: bool = False) -> None:
        self.url = url
        # A reader (`status`, the Home tab) creates no file, changes no permission and
        # switches no journal mode: it only looks.
        self.reader = reader
        # read at every transaction's BEGIN, so a later `open_database` may change it
        self.busy_timeout_ms = busy_timeout_ms
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # An error's text never quotes the statement's parameters (member rows).
        kwargs: dict[str, Any] = {"hide_parameters": True}
        self.sqlite_path: Path | None = None
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                self.sqlite_path = Path(parsed.database)
                if not reader:
                    secure_sqlite_files(self.sqlite_path, create=True)
            kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self)
        self._migrated = False
        self.adoption: AdoptionPlan | None = None  # what adopting the dashboard's tables did

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe to call from two processes),
        first adopting the dashboard's tables when its Rails migrations created them.
        Raises `AdoptionRefused` (and changes nothing) when they cannot be adopted."""
        if self._migrated:
            return
        if self.reader:
            raise RuntimeError("a reader never migrates")  # a bug, never an operator's error
        async with self.write() as conn:
            if not self.is_sqlite:
                # Two bots starting at once must not both create the tables.
                await conn.execute(text("SELECT pg_advisory_xact_lock(4711001)"))
            plan = await conn.run_sync(adopt_if_needed)
            await conn.run_sync(_upgrade)
        self.adoption = plan if plan.needed else None
        if self.sqlite_path is not None:
            secure_sqlite_files(self.sqlite_path)  # -wal and -shm exist from now on
        self._migrated = True

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite); commits on success."""
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(publ_write=True)
            async with conn.begin():
                yield conn

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only transaction."""
        async with self.engine.connect() as conn, conn.begin():
            yield conn

    async def close(self) -> None:
        await self.engine.dispose()


def secure_sqlite_files(path: Path, *, create: bool = False) -> None:
    """The SQLite file and its `-wal`/`-shm` readable by their owner only: they hold every
    member's name, e-mail and phone. With `create`, a missing file is created empty with
    0600 first (SQLite takes an empty file as a new database, and gives `-wal`/`-shm`
    the main file's permissions)."""
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for candidate in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
        if candidate.exists() and not candidate.is_symlink() and (
                candidate.stat().st_mode & 0o077):
            candidate.chmod(candidate.stat().st_mode & 0o700)


def _configure_sqlite(db: Database) -> None:
    sync_engine = db.engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not db.reader:  # a database of ours is WAL already; a reader must not convert one
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(db.busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("publ_write", False)
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(db.busy_timeout_ms)}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "sync:migrations")
    return config


VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*(.+)$", re.MULTILINE)


def newest_revisions() -> set[str]:
    """The heads of the migration files, read from their `revision` / `down_revision` lines:
    on every start this is all a database already up to date needs, and it spares `run`
    importing Alembic (~0.35 s)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            ids = set(re.findall(r"['\"]([^'\"]+)['\"]", value))
            (revisions if name == "revision" else parents).update(ids)
    return revisions - parents


def _upgrade(connection: Connection) -> None:
    if inspect(connection).has_table("alembic_version"):
        current = {row[0] for row in connection.execute(
            text("SELECT version_num FROM alembic_version"))}
        if current and current == newest_revisions():
            return
    from alembic import command  # only when there is something to migrate

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


_databases: dict[str, Database] = {}
_readers: dict[str, Database] = {}  # `open_reader`'s, apart: they never migrate


async def open_database(url: str, busy_timeout_ms: int | None = None) -> Database:
    """The process's `Database` for `url`, migrated; created on first use. `busy_timeout_ms`
    (`SQLITE_BUSY_TIMEOUT_MS`) replaces the SQLite lock wait from now on."""
    db = _databases.get(url)
    if db is None:
        db = _databases[url] = Database(url, busy_timeout_ms or SQLITE_BUSY_TIMEOUT_MS)
    elif busy_timeout_ms:
        db.busy_timeout_ms = busy_timeout_ms
    await db.migrate()
    return db


SchemaState = Literal["current", "empty", "unmigrated", "to_adopt"]


async def open_reader(url: str, busy_timeout_ms: int | None = None) -> Database | None:
    """The database for reading only (`status`, the Home tab): this process's migrated one if
    it has it, else one that creates, migrates and adopts nothing; None when a SQLite file
    does not exist yet (there is nothing to read, and nothing must be created)."""
    db = _databases.get(url)
    if db is not None and db._migrated:
        return db
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (
            None, "", ":memory:") and not _has_sqlite_file(Path(str(parsed.database))):
        return None
    reader = _readers.get(url)
    if reader is None:
        reader = _readers[url] = Database(url, busy_timeout_ms or SQLITE_BUSY_TIMEOUT_MS,
                                          reader=True)
    return reader


def _has_sqlite_file(path: Path) -> bool:
    """A non-empty file there (an empty one is what a write would turn into a database)."""
    return path.is_file() and path.stat().st_size > 0


async def schema_state(db: Database) -> SchemaState:
    """Whether the schema is at the newest revision, without changing it: `empty` (nothing
    created yet), `unmigrated` (an older revision), `to_adopt` (the dashboard's tables)."""
    if db._migrated:
        return "current"

    def look(connection: Connection) -> SchemaState:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" in tables:
            current = {row[0] for row in connection.execute(
                text("SELECT version_num FROM alembic_version"))}
            return "current" if current == newest_revisions() else "unmigrated"
        return "to_adopt" if tables & set(CONTRACT_TABLES) else "empty"

    async with db.read() as conn:
        return await conn.run_sync(look)


async def fresh_connection_answers(url: str, within_seconds: float) -> None:
    """Raise unless a new connection (no pool, not this process's engine) runs a query that
    reads the database within `within_seconds` — for `/healthz`. On SQLite the query reads the
    schema: `SELECT 1` alone never opens the file, so a file that is not a database would
    pass."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # A connection of this process keeps reading through the WAL even after the file
        # itself was replaced or damaged: look at the file's own header too.
        with open(str(parsed.database), "rb") as file:  # noqa: ASYNC230 - 16 bytes, local
            if file.read(16) != SQLITE_HEADER:
                raise ValueError("the SQLite file has no SQLite header")
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with asyncio.timeout(within_seconds), engine.connect() as conn:
            query = "SELECT count(*) FROM sqlite_master" if url.startswith("sqlite") else (
                "SELECT 1")
            await conn.execute(text(query))
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(engine.dispose(), within_seconds)


async def close_all() -> None:
    """Dispose every engine this process opened (CLI exit, test teardown)."""
    dbs = [*_databases.values(), *_readers.values()]
    _databases.clear()
    _readers.clear()
    await asyncio.gather(*(db.close() for db in dbs))
