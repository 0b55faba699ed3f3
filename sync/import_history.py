"""What the sync log says about exports already imported: which file names an import took
up, and how recent the newest export applied of each type is — so that no import puts older
data over newer (an export is a snapshot: importing an old one rewrites refunds back to
their old statuses)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import or_, select

from sync.db import Database
from sync.errors import ErrorKind
from sync.models import SyncLog
from sync.report import SyncType
from sync.storage import KST

# `YYMMDD_HHMMSS` as the console names its exports, anywhere in a name (a file set aside in
# trash/ carries a prefix); the last one counts. Not part of a longer run of digits.
STAMP = re.compile(r"(?<!\d)(\d{6}_\d{6})(?!\d)")
# Enough of the newest successful imports to find the newest export among them even after
# a few `--force` imports of older files.
RECENT_IMPORTS = 200


def stamp_time(name: str) -> datetime | None:
    """The moment a `YYMMDD_HHMMSS` stamp in `name` says (Korea time), or None."""
    for stamp in reversed(STAMP.findall(name)):
        try:
            return datetime.strptime(stamp, "%y%m%d_%H%M%S").replace(tzinfo=KST)
        except ValueError:
            continue
    return None


def export_time(path: Path) -> datetime:
    """When an export was made: its name's stamp, else its modification time."""
    stamped = stamp_time(path.name)
    if stamped is not None:
        return stamped
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


async def newest_applied(db: Database, sync_type: SyncType) -> tuple[datetime, str] | None:
    """The newest export successfully imported of `sync_type`, as (when it was made, its
    file name); None when there is none. Read from the `export_time` an import records,
    or for older log rows from the stamp in `file_name`."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(SyncLog.file_name, SyncLog.details)
            .where(SyncLog.sync_type == sync_type.value, SyncLog.status == "success",
                   SyncLog.file_name.is_not(None))
            .order_by(SyncLog.started_at.desc(), SyncLog.id.desc()).limit(RECENT_IMPORTS)
        )).all()
    newest: tuple[datetime, str] | None = None
    for file_name, details in rows:
        made = _recorded_time(details) or stamp_time(file_name)
        if made is not None and (newest is None or made > newest[0]):
            newest = (made, file_name)
    return newest


async def logged_file_names(db: Database) -> set[str]:
    """Every file name a finished import took up (as shown: see `sync.filenames`), whether
    it succeeded or failed; an older export it refused was not taken up."""
    async with db.read() as conn:
        names = (await conn.execute(
            select(SyncLog.file_name).where(
                SyncLog.file_name.is_not(None), SyncLog.status != "running",
                or_(SyncLog.error_kind.is_(None),
                    SyncLog.error_kind != ErrorKind.STALE_FILE.value)).distinct()
        )).scalars().all()
    return {name for name in names if name}


def _recorded_time(details: object) -> datetime | None:
    if not isinstance(details, dict) or not isinstance(details.get("export_time"), str):
        return None
    try:
        made = datetime.fromisoformat(details["export_time"])
    except ValueError:
        return None
    return made if made.tzinfo is not None else made.replace(tzinfo=UTC)
