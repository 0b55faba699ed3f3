"""CSV exports into the database, with new / updated / unchanged / skipped counts.

One export is imported in one write transaction that the runner opens and hands over; the
runner writes the type's sync-log row in that same transaction, so the data and the log
never disagree: a crash or an error leaves both as they were. The file is
parsed in a worker thread a chunk at a time while the previous chunk is being written. For
each chunk the stored rows with the same keys are fetched and compared: new keys are
inserted, rows whose values changed are updated, and identical rows are not touched (their
`updated_at` stays). Rows missing from an export are never deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from sync import faults
from sync.clock import Clock
from sync.csvread import SQLITE_TIME_TEXT, ExportReader, ParsedChunk, open_export
from sync.errors import ErrorKind, SyncError
from sync.exports import FORMATS
from sync.filenames import printable
from sync.i18n import t
from sync.report import SkippedRow, SyncType
from sync.settings import Settings

log = logging.getLogger(__name__)

# Rows per chunk: large enough that per-statement overhead vanishes, small enough that the
# key list of one lookup stays far below PostgreSQL's 32767 bind parameters.
CHUNK_ROWS = 5000
KEY_LOOKUP_BATCH = 5000


class _Counts:
    """What one import did so far; copied into the result only once it committed."""

    def __init__(self) -> None:
        self.new = self.updated = self.unchanged = 0


@dataclass(frozen=True)
class ImportOutcome:
    """What one import wrote, for the runner to record; it holds only once the caller's
    transaction commits."""

    new: int
    updated: int
    unchanged: int
    skipped_rows: list[SkippedRow]
    extra_columns: list[str]
    duration_s: float


def open_file(settings: Settings, sync_type: SyncType, path: Path,
              sqlite: bool) -> ExportReader:
    """The export opened and its header checked (in a worker thread: it reads the file).
    Raises `SyncError` (file_invalid) for a file that cannot be read."""
    lang = settings.bot_language
    try:
        return open_export(path, FORMATS[sync_type], lang, encode_time=time_encoder(sqlite),
                           encode_extra=json.dumps)
    except OSError as error:  # unreadable: permissions, a folder, a vanished disk
        type_name = t(f"type.{sync_type.value}", lang)
        raise SyncError(ErrorKind.FILE_INVALID,
                        t("imports.error.unreadable", lang, type=type_name,
                          file=printable(path.name),
                          reason=error.strerror or type(error).__name__),
                        f"{type(error).__name__}: {error}") from error


async def import_rows(conn: AsyncConnection, reader: ExportReader,
                      clock: Clock) -> ImportOutcome:
    """Store the export's rows on `conn`, inside the caller's write transaction (the runner
    writes the type's sync-log row in that same transaction, so data and log commit
    together). Raises what the database raises; on error the caller rolls back."""
    started = time.monotonic()
    counts = _Counts()
    skipped: list[SkippedRow] = []
    writer = _Writer(conn, reader)
    await writer.begin(conn)
    async with contextlib.aclosing(_parsed_chunks(reader)) as chunks:
        async for chunk in chunks:
            skipped.extend(chunk.skipped)
            await writer.apply(conn, chunk, counts, clock())
    return ImportOutcome(new=counts.new, updated=counts.updated, unchanged=counts.unchanged,
                         skipped_rows=skipped, extra_columns=list(reader.extra_headers),
                         duration_s=time.monotonic() - started)


def database_error(error: SQLAlchemyError, settings: Settings) -> SyncError:
    """A failed import transaction in the operator's words (a full disk, a lock held too
    long, or the driver's error name); the detail keeps only the driver's own first line."""
    reason = type(getattr(error, "orig", None) or error).__name__
    fault = faults.recognise(error, settings)
    return SyncError(ErrorKind.DATABASE,
                     fault.message if fault else t("error.database", settings.bot_language,
                                                   reason=reason),
                     _technical(error))


async def _parsed_chunks(reader: ExportReader) -> AsyncGenerator[ParsedChunk, None]:
    """Chunks parsed in a worker thread; the next one is parsed while this one is stored."""
    chunks: Iterator[ParsedChunk] = reader.chunks(CHUNK_ROWS)
    upcoming = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
    try:
        while (chunk := await upcoming) is not None:
            upcoming = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
            yield chunk
    finally:
        if not upcoming.done():
            # The generator must not be closed while a thread is still advancing it.
            await asyncio.gather(upcoming, return_exceptions=True)


class _Writer:
    """Stores parsed rows of one table through the driver directly.

    The statements are written once per import in the driver's own parameter style and run
    with `exec_driver_sql`: per-row parameter processing in SQLAlchemy cost more than the
    database work itself (see bench/import_bench.py). The reader therefore hands rows over
    encoded the way SQLAlchemy's column types store them (`encode_time`, `extra` as JSON
    text), and stored rows are read back raw in the same encoding, so that a parsed row
    and its stored twin compare equal exactly when nothing changed.
    """

    def __init__(self, conn: AsyncConnection, reader: ExportReader) -> None:
        table = reader.table
        self.columns = [*reader.columns, "extra"]
        self.key_at = self.columns.index(reader.key_column)
        self.is_sqlite = conn.dialect.name == "sqlite"
        style = conn.dialect.paramstyle
        names = ", ".join(self.columns)
        key = reader.key_column
        others = [name for name in self.columns if name != key]
        marks = _placeholders(style, len(self.columns) + 2)
        self.insert_sql = (f"INSERT INTO {table.name} ({names}, created_at, updated_at) "
                           f"VALUES ({', '.join(marks)})")
        sets = ", ".join(f"{name} = {mark}" for name, mark in
                         zip([*others, "updated_at"], marks, strict=False))
        self.update_sql = (f"UPDATE {table.name} SET {sets} "
                           f"WHERE {key} = {marks[len(others) + 1]}")
        extra_read = "extra" if self.is_sqlite else "CAST(extra AS TEXT)"
        self.select_sql = (f"SELECT {', '.join(self.columns[:-1])}, {extra_read} "
                           f"FROM {table.name} WHERE {key} ")
        self.style = style
        self.had_rows = True
        self.exists_sql = f"SELECT 1 FROM {table.name} LIMIT 1"
        # Refunds: a status this import changes is noted (the digest's settled refunds).
        self.status_at = self.price_at = -1
        if table.name == "refunds":
            self.status_at = self.columns.index("refund_status")
            self.price_at = self.columns.index("refund_request_price")
            self.change_sql = (
                "INSERT INTO refund_status_changes (order_number, old_status, new_status, "
                f"refund_request_price, observed_at) VALUES ({', '.join(marks[:5])})")

    async def begin(self, conn: AsyncConnection) -> None:
        """Note whether the table was empty when the import began: then no key of the file
        can be stored yet (the reader drops repeats), and the lookups can be skipped.
        SQLite's default page cache is enough: the orders table's indexes (the key and
        paid_at) grow in file order; a 32 MB cache only added to peak memory (see
        bench/import_bench.py)."""
        self.had_rows = (await conn.exec_driver_sql(self.exists_sql)).first() is not None

    async def stored(self, conn: AsyncConnection, keys: list[str]) -> dict[str, tuple[Any, ...]]:
        """The stored rows with these keys, by key, encoded as the reader encodes rows."""
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(keys), KEY_LOOKUP_BATCH):
            batch = keys[start:start + KEY_LOOKUP_BATCH]
            if self.is_sqlite:
                marks = ", ".join(_placeholders(self.style, len(batch)))
                rows = await conn.exec_driver_sql(f"{self.select_sql}IN ({marks})", tuple(batch))
            else:
                mark = _placeholders(self.style, 1)[0]
                rows = await conn.exec_driver_sql(f"{self.select_sql}= ANY({mark})", (batch,))
            for row in rows:
                found[row[self.key_at]] = tuple(row)
        return found

    async def apply(self, conn: AsyncConnection, chunk: ParsedChunk, counts: _Counts,
                    now: datetime) -> bool:
        """Insert the chunk's new rows, update its changed ones; True when it wrote any."""
        if not chunk.rows:
            return False
        key_at = self.key_at
        stored = await self.stored(conn, [row[key_at] for row in chunk.rows]) \
            if self.had_rows else {}
        stamp = time_encoder(self.is_sqlite)(now.astimezone(UTC).replace(tzinfo=None))
        timestamps = (stamp, stamp)  # created_at, updated_at of a new row
        fresh: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        if not stored:  # the common case of a first import: everything is new
            fresh = [row + timestamps for row in chunk.rows]
        for row in chunk.rows if stored else ():
            before = stored.get(row[key_at])
            if before is None:
                fresh.append(row + timestamps)
            elif before != row:
                others = row[:key_at] + row[key_at + 1:]
                changed.append((*others, stamp, row[key_at]))
        if fresh:
            await conn.exec_driver_sql(self.insert_sql, fresh)
        if changed:
            await conn.exec_driver_sql(self.update_sql, changed)
        if self.status_at >= 0 and self.had_rows:
            await self._note_status_changes(conn, chunk.rows, stored, stamp)
        counts.new += len(fresh)
        counts.updated += len(changed)
        counts.unchanged += len(chunk.rows) - len(fresh) - len(changed)
        return bool(fresh or changed)


    async def _note_status_changes(self, conn: AsyncConnection, rows: list[tuple[Any, ...]],
                                   stored: dict[str, tuple[Any, ...]], stamp: Any) -> None:
        """Record each refund whose status this import sets or changes, in the import's
        own transaction. Not on a first import: those statuses were there before any sync
        looked, and counting them would call old refunds today's."""
        key_at, status_at = self.key_at, self.status_at
        notes = []
        for row in rows:
            before = stored.get(row[key_at])
            old = before[status_at] if before is not None else None
            if row[status_at] != old:
                notes.append((row[key_at], old, row[status_at], row[self.price_at], stamp))
        if notes:
            await conn.exec_driver_sql(self.change_sql, notes)


def time_encoder(sqlite: bool) -> Callable[[datetime], Any]:
    """How a naive UTC time is stored: as it is (PostgreSQL), or on SQLite as SQLAlchemy's
    text format (`2024-12-27 06:30:45.000000`), so that ORM reads of these rows just work.
    A C-level callable, because it runs once per row."""
    return SQLITE_TIME_TEXT if sqlite else _as_is


def _as_is(value: Any) -> Any:
    return value


def _placeholders(style: str, count: int) -> list[str]:
    """`count` positional parameter markers in the driver's style."""
    if style == "qmark":
        return ["?"] * count
    if style == "numeric_dollar":
        return [f"${i}" for i in range(1, count + 1)]
    if style == "numeric":
        return [f":{i}" for i in range(1, count + 1)]
    if style == "format":
        return ["%s"] * count
    raise ValueError(f"unsupported driver parameter style {style!r}")


def _technical(error: SQLAlchemyError) -> str:
    # The statement's parameters hold personal data; keep only the driver's own words.
    original = getattr(error, "orig", None)
    return f"{type(original or error).__name__}: {str(original or error).splitlines()[0][:500]}"
