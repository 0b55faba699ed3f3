"""Helpers for the import tests: export files written as the console (or Excel) would, and
the database read back as plain rows."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sync import runner
from sync.db import close_all, open_database
from sync.models import Base
from sync.report import RunReport, SyncType
from sync.settings import Settings
from sync.storage import Storage

STAMP = "251218_164857"


def operator_folder(tmp_path: Path, url: str, monkeypatch: Any, columns: int = 160) -> Path:
    """An operator's folder for CLI tests: no `.env`, storage and database from the
    environment, a terminal `columns` wide (one table row per line)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", str(columns))
    return tmp_path
FILE_SUFFIX = {SyncType.MEMBERS: "members", SyncType.ORDERS: "orders_latest",
               SyncType.REFUNDS: "refunds"}


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    """A CSV file's bytes, CRLF line ends, as the console writes them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def download(settings: Settings, sync_type: SyncType, data: bytes, stamp: str = STAMP) -> Path:
    """Put an export into `downloads/` under the console's file name."""
    storage = Storage(settings.storage_dir).ensure()
    path = storage.downloads / f"{stamp}_{FILE_SUFFIX[sync_type]}.csv"
    path.write_bytes(data)
    return path


async def import_files(settings: Settings, files: dict[SyncType, Path]) -> RunReport:
    """`publ-sync import` of these files, as the CLI runs it."""
    return await runner.run_sync(settings, trigger="cli", files=files, types=list(files))


async def import_one(settings: Settings, sync_type: SyncType, data: bytes,
                     stamp: str = STAMP) -> RunReport:
    """Write one export into `downloads/` and import it."""
    return await import_files(settings, {sync_type: download(settings, sync_type, data, stamp)})


async def table_rows(url: str, table_name: str) -> list[dict[str, Any]]:
    """Every row of a table, every column (ids and timestamps too), in id order."""
    db = await open_database(url)
    table = Base.metadata.tables[table_name]
    async with db.read() as conn:
        result = await conn.execute(select(table).order_by(table.c.id))
        return [dict(row._mapping) for row in result]


async def rows_by_key(url: str, table_name: str, key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in await table_rows(url, table_name)}


def read(query: Awaitable[Any]) -> Any:
    """Run a database read in its own loop, closing its engine (the CLI opens its own): for
    tests that call the synchronous CLI between reads."""
    async def run() -> Any:
        try:
            return await query
        finally:
            await close_all()

    return asyncio.run(run())
