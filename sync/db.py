"""The database: an async engine for SQLite or PostgreSQL, migrated on open.

SQLite runs in WAL mode with a busy timeout, and write transactions begin IMMEDIATE so
that two processes queue for the write lock up front instead of failing half-way.
Reads stay ordinary deferred transactions, so a status query never waits on an import.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    """One engine per process; `write()` and `read()` hand out connections in a transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._migrated = False

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe to call from two processes)."""
        if self._migrated:
            return
        async with self.write() as conn:
            if not self.is_sqlite:
                # Two bots starting at once must not both create the tables.
                await conn.execute(text("SELECT pg_advisory_xact_lock(4711001)"))
            await conn.run_sync(_upgrade)
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


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("publ_write", False)
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


async def open_database(url: str) -> Database:
    """The process's `Database` for `url`, migrated; created on first use."""
    db = _databases.get(url)
    if db is None:
        db = _databases[url] = Database(url)
    await db.migrate()
    return db


async def close_all() -> None:
    """Dispose every engine this process opened (CLI exit, test teardown)."""
    dbs = list(_databases.values())
    _databases.clear()
    await asyncio.gather(*(db.close() for db in dbs))
