"""Tidying `downloads/` before a run, so that nothing a run left behind is imported later.

A run that was killed, or whose download broke off half-way, leaves finished exports and
its `.incoming-*` folder in `downloads/`; a later `publ-sync import` without files would
take those exports as the newest and put old data over new. Before each run (holding the
guard, so no other run is downloading) every entry there that no finished import took up
is moved to `trash/` — never deleted: `publ-sync import --force trash/<file>` still imports
it, and RETENTION_DAYS removes it like anything else in trash/. Exports an import did take
up stay: a file that failed as `file_invalid` waits there to be fixed and imported again.
A symbolic link is never an export of ours: it goes too.

The rest of the housekeeping happens here too, and only where something is about to write
(bot start, before each sync, the commands that write): the storage folders and their
permissions, the migrated database, runs whose process died closed as failed, files past
RETENTION_DAYS deleted. Commands that only read (`status`, the Home tab) never call it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sync import import_history, runlog
from sync.clock import Clock, utcnow
from sync.db import Database, open_database
from sync.filenames import printable
from sync.install_folder import check_storage_owner
from sync.settings import Settings
from sync.storage import KST, Storage, type_of_file

log = logging.getLogger(__name__)

INCOMING_PREFIX = ".incoming-"
LEFTOVER_LABEL = "leftover"


async def prepare(settings: Settings, clock: Clock = utcnow) -> tuple[Storage, Database]:
    """Storage folders with tight permissions, a migrated (or adopted) database, dead runs
    closed, old files purged — before anything writes."""
    check_storage_owner(settings)  # files left by a run as root: a sentence, not a traceback
    storage = Storage(settings.storage_dir).ensure()
    db = await open_database(settings.effective_database_url, settings.sqlite_busy_timeout_ms)
    closed = await runlog.close_dead_runs(db, clock(), settings.heartbeat_stale_seconds,
                                          settings.bot_language)
    if closed:
        log.warning("closed %d run(s) whose process had died: %s", len(closed), closed)
    storage.purge_old(settings.retention_days, now=clock().timestamp())
    return storage, db


async def tidy_downloads(storage: Storage, db: Database, when: datetime,
                         keep: Iterable[Path] = ()) -> list[Path]:
    """Move the leftovers of unfinished runs from `downloads/` to `trash/`; returns where
    each went. `keep` are the files this run is about to import."""
    taken_up = await import_history.logged_file_names(db)
    return await asyncio.to_thread(_move_leftovers, storage, when, list(keep), taken_up)


def _move_leftovers(storage: Storage, when: datetime, keep: list[Path],
                    taken_up: set[str]) -> list[Path]:
    folder = storage.downloads
    if not folder.is_dir():
        return []
    kept = {os.path.abspath(path) for path in keep}
    moved: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if os.path.abspath(entry) in kept:  # a link among them is refused by the import
            continue
        if _is_leftover(entry, taken_up):
            try:
                moved.append(set_aside(storage, entry, when))
            except OSError as error:  # a leftover that stays is no reason to stop the run
                log.warning("could not move %s to trash: %s", printable(entry.name),
                            type(error).__name__)
    if moved:
        log.warning("moved %d leftover(s) of unfinished runs from downloads/ to trash/: %s",
                    len(moved), ", ".join(printable(path.name) for path in moved))
    return moved


def _is_leftover(entry: Path, taken_up: set[str]) -> bool:
    if entry.is_symlink():
        return True
    if entry.name.startswith(INCOMING_PREFIX):
        return entry.is_dir()
    return (entry.is_file() and entry.suffix.lower() == ".csv"
            and type_of_file(entry) is not None and printable(entry.name) not in taken_up)


def set_aside(storage: Storage, entry: Path, when: datetime) -> Path:
    """Move a file, folder or link into `trash/` under a timestamped name; a link is moved
    as a link (what it points at is not touched)."""
    storage.trash.mkdir(parents=True, exist_ok=True)
    # Dashes, so that this prefix never reads as an export's `YYMMDD_HHMMSS` stamp.
    stamp = when.astimezone(KST).strftime("%Y%m%d-%H%M%S-%f")
    target = storage.trash / f"{stamp}-{LEFTOVER_LABEL}_{entry.name.lstrip('.')}"
    if entry.is_symlink():
        os.rename(entry, target)  # the same file system: downloads/ and trash/ share a root
        return target
    shutil.move(str(entry), target)
    _private(target)
    return target


def _private(path: Path) -> None:
    """Files 0600, folders 0700: trash/ holds personal data."""
    if path.is_dir():
        path.chmod(0o700)
        for inner in path.rglob("*"):
            if not inner.is_symlink():
                inner.chmod(0o700 if inner.is_dir() else 0o600)
    else:
        path.chmod(0o600)
