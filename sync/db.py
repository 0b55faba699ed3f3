"""The database: an async engine for SQLite or PostgreSQL, migrated on open.

SQLite runs in WAL mode with a busy timeout, and write transactions begin IMMEDIATE so
that two processes queue for the write lock up front instead of failing half-way.
Reads stay ordinary deferred transactions, so a status query never waits on an import.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

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
    config = Config()
    config.set_main_option("script_location", "sync:migrations")
    return config


def _upgrade(connection: Connection) -> None:
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


async def fresh_connection_answers(url: str, within_seconds: float) -> None:
    """Raise unless a new connection (no pool, not this process's engine) runs a query that
    reads the database within `within_seconds` — for `/healthz`. On SQLite the query reads the
    schema: `SELECT 1` alone never opens the file, so a file that is not a database would
    pass."""
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
    dbs = list(_databases.values())
    _databases.clear()
    await asyncio.gather(*(db.close() for db in dbs))
