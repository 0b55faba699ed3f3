"""CSV exports into the database, with new / updated / unchanged / skipped counts.

(Interface stub: the import engine replaces this module.)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sync.db import Database
from sync.report import SyncType, TypeResult
from sync.runner import Clock
from sync.settings import Settings


async def import_file(db: Database, settings: Settings, sync_type: SyncType, path: Path, *,
                      result: TypeResult, run_id: str, clock: Clock) -> None:
    """Import one export in one write transaction, filling `result` and writing the type's
    sync-log row (via `runlog.finish_type`) inside that same transaction.
    Raises `SyncError` (file_invalid, database, …); on error nothing is written."""
    raise NotImplementedError


async def orders_table_empty(db: Database) -> bool:
    """True when no order has ever been stored (the downloader then fetches every page)."""
    raise NotImplementedError


async def stored_order_numbers(db: Database, numbers: Iterable[str]) -> set[str]:
    """Which of `numbers` are already stored."""
    raise NotImplementedError
