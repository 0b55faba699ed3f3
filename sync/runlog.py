"""The sync log and the guard that lets one sync run at a time, across processes.

A run writes one `sync_logs` row per type (`running` → `success`/`failed`) and holds the
`sync_locks` row while it works. Both carry an owner (host, pid, process start time) and a
heartbeat, so a later process can tell a run whose process died (closed as failed) from a
live one in another process (never touched).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import psutil
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from sync.db import Database
from sync.errors import AlreadyRunning, ErrorKind, RunGoing
from sync.i18n import t
from sync.models import SyncLock, SyncLog
from sync.report import SYNC_TYPES, SyncType, TypeResult

LOCK_NAME = "sync"

# The runs going in this process right now. A row this process wrote for a run that is not
# here any more (its last writes failed: a full disk, a lock held too long) belongs to no
# live run, although the process is alive: it must never block a later run.
_live_runs: set[str] = set()


@cache
def owner_id() -> str:
    """This process as `host:pid:start-time`, unique even when a pid is reused."""
    return owner_of(os.getpid())


def owner_of(pid: int) -> str:
    """Process `pid` of this host as `host:pid:start-time` (as `owner_id` names itself)."""
    created = int(psutil.Process(pid).create_time() * 100)
    return f"{socket.gethostname()}:{pid}:{created}"


def run_ended(run_id: str) -> None:
    """Forget `run_id` as going in this process, whether or not its last writes landed."""
    _live_runs.discard(run_id)


def run_going(run_id: str | None, owner: str | None, heartbeat_at: datetime | None,
              now: datetime, stale_seconds: float) -> bool:
    """Whether the run `run_id`, written by `owner`, is still going: in this process, only
    while it is in `_live_runs`; elsewhere, while its process lives (`owner_alive`)."""
    if not run_id:
        return False
    if owner == owner_id():
        return run_id in _live_runs
    return owner_alive(owner, heartbeat_at, now, stale_seconds)


def owner_alive(owner: str | None, heartbeat_at: datetime | None, now: datetime,
                stale_seconds: float) -> bool:
    """Whether the process that wrote `owner` still runs.

    On this host the pid is checked directly; for another host, a fresh heartbeat is the
    only evidence.
    """
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, created_text = rest.partition(":")
    if host == socket.gethostname() and pid_text.isdigit():
        try:
            proc = psutil.Process(int(pid_text))
            return not created_text or int(proc.create_time() * 100) == int(created_text)
        except psutil.Error:
            return False
    if heartbeat_at is None:
        return False
    return (now - heartbeat_at).total_seconds() < stale_seconds


@dataclass
class RunInfo:
    """A run as the sync log shows it: when, what started it, and how each type ended."""

    run_id: str
    trigger: str
    requested_by: str | None
    started_at: datetime
    finished_at: datetime | None
    status: str  # running / success / failed
    logs: list[SyncLog]


async def acquire_guard(db: Database, run_id: str, trigger: str, requested_by: str | None,
                        now: datetime, stale_seconds: float) -> None:
    """Take the guard for `run_id`, or raise `AlreadyRunning` naming the live holder."""
    async with db.write() as conn:
        lock_query = select(SyncLock).where(SyncLock.name == LOCK_NAME)
        if not db.is_sqlite:
            # PostgreSQL: make sure the row exists, then lock it; SQLite's IMMEDIATE
            # transaction already serialises writers.
            await conn.execute(pg_insert(SyncLock).values(name=LOCK_NAME).on_conflict_do_nothing())
            lock_query = lock_query.with_for_update()
        row = (await conn.execute(lock_query)).one_or_none()
        if row is not None and run_going(row.run_id, row.owner, row.heartbeat_at, now,
                                         stale_seconds):
            raise AlreadyRunning(row.run_id, row.trigger or "", row.requested_by, row.started_at)
        values = dict(run_id=run_id, owner=owner_id(), trigger=trigger,
                      requested_by=requested_by, started_at=now, heartbeat_at=now)
        if row is None:
            await conn.execute(insert(SyncLock).values(name=LOCK_NAME, **values))
        else:
            await conn.execute(update(SyncLock).where(SyncLock.name == LOCK_NAME).values(**values))
    _live_runs.add(run_id)


async def release_guard(db: Database, run_id: str) -> None:
    """Free the guard; the run counts as ended in this process even if this write fails."""
    run_ended(run_id)
    async with db.write() as conn:
        await conn.execute(
            update(SyncLock)
            .where(SyncLock.name == LOCK_NAME, SyncLock.run_id == run_id)
            .values(run_id=None, owner=None, heartbeat_at=None)
        )


async def current_holder(db: Database, now: datetime,
                         stale_seconds: float) -> RunGoing | None:
    """The live run holding the guard, if any (for `status` and for a polite refusal)."""
    async with db.read() as conn:
        row = (await conn.execute(select(SyncLock).where(SyncLock.name == LOCK_NAME))).one_or_none()
    if row is None or not run_going(row.run_id, row.owner, row.heartbeat_at, now,
                                    stale_seconds):
        return None
    return RunGoing(row.run_id, row.trigger or "", row.requested_by, row.started_at)


async def heartbeat(db: Database, run_id: str, now: datetime) -> None:
    async with db.write() as conn:
        await conn.execute(update(SyncLock).where(SyncLock.run_id == run_id)
                           .values(heartbeat_at=now))
        await conn.execute(update(SyncLog).where(SyncLog.run_id == run_id,
                                                 SyncLog.status == "running")
                           .values(heartbeat_at=now, updated_at=now))


async def start_run(db: Database, run_id: str, trigger: str, requested_by: str | None,
                    now: datetime, types: Sequence[SyncType] = SYNC_TYPES) -> None:
    """Write the run's `running` rows, one per type (all three for a sync)."""
    _live_runs.add(run_id)
    async with db.write() as conn:
        await conn.execute(insert(SyncLog), [
            dict(run_id=run_id, sync_type=sync_type.value, status="running", trigger=trigger,
                 requested_by=requested_by, started_at=now, owner=owner_id(), heartbeat_at=now,
                 new_count=0, updated_count=0, unchanged_count=0, skipped_count=0,
                 created_at=now, updated_at=now)
            for sync_type in types
        ])


async def finish_type(conn: AsyncConnection, run_id: str, result: TypeResult,
                      now: datetime) -> None:
    """Record how one type ended, inside the caller's transaction (the import's own, so
    that the data and its log row commit together)."""
    details: dict[str, object] = {}
    if result.skipped_rows:
        details["skipped_rows"] = [
            {"line": row.line, "reason": row.reason, "code": row.code}
            for row in result.skipped_rows[:200]
        ]
    if result.extra_columns:
        details["extra_columns"] = result.extra_columns
    if result.export_time is not None:
        details["export_time"] = result.export_time.isoformat()
    await conn.execute(
        update(SyncLog)
        .where(SyncLog.run_id == run_id, SyncLog.sync_type == result.sync_type.value)
        .values(status=result.status, finished_at=now, new_count=result.new,
                updated_count=result.updated, unchanged_count=result.unchanged,
                skipped_count=result.skipped, file_name=result.file_name,
                error_kind=result.error_kind.value if result.error_kind else None,
                error_message=result.error_message, error_detail=result.error_detail,
                details=details or None, heartbeat_at=now, updated_at=now)
    )


async def close_dead_runs(db: Database, now: datetime, stale_seconds: float,
                          lang: str) -> list[str]:
    """Close as failed every `running` row whose run is no longer going — its process is
    gone, or it is this process's and its last writes failed; returns their run ids."""
    async with db.write() as conn:
        dead = {run.run_id: run.owner for run in await _stopped(conn, now, stale_seconds)}
        for run_id, owner in dead.items():
            if owner == owner_id():
                message = t("error.run_not_closed", lang)
                detail = f"run {run_id} of this process ended without recording its end"
            else:
                message = t("error.process_died", lang, owner=owner or "?")
                detail = f"owner {owner} is gone; closed by {owner_id()}"
            await conn.execute(
                update(SyncLog)
                .where(SyncLog.run_id == run_id, SyncLog.status == "running")
                .values(status="failed", finished_at=now, error_kind=ErrorKind.UNEXPECTED.value,
                        error_message=message, error_detail=detail, updated_at=now)
            )
            await conn.execute(update(SyncLock).where(SyncLock.run_id == run_id)
                               .values(run_id=None, owner=None, heartbeat_at=None))
    return list(dead)


@dataclass(frozen=True)
class StoppedRun:
    """A run whose rows still say `running` although it is no longer going."""

    run_id: str
    owner: str | None
    trigger: str
    started_at: datetime | None


async def stopped_runs(db: Database, now: datetime, stale_seconds: float) -> list[StoppedRun]:
    """The runs `close_dead_runs` would close, found without closing them (for `status`,
    which only reads: the next sync or bot start closes them)."""
    async with db.read() as conn:
        return await _stopped(conn, now, stale_seconds)


async def _stopped(conn: AsyncConnection, now: datetime,
                   stale_seconds: float) -> list[StoppedRun]:
    # A row of the dashboard's old importer (no run_id) is history, never a live run.
    rows = (await conn.execute(select(SyncLog).where(SyncLog.status == "running",
                                                     SyncLog.run_id.is_not(None))
                               .order_by(SyncLog.id))).all()
    found: dict[str, StoppedRun] = {}
    for row in rows:
        if row.run_id not in found and not run_going(row.run_id, row.owner, row.heartbeat_at,
                                                     now, stale_seconds):
            found[row.run_id] = StoppedRun(row.run_id, row.owner, row.trigger or "",
                                           row.started_at)
    return list(found.values())


async def recent_runs(db: Database, limit: int = 20) -> list[RunInfo]:
    """The newest runs first, each with its per-type rows."""
    async with db.read() as conn:
        ids = (await conn.execute(
            select(SyncLog.run_id, func.max(SyncLog.started_at).label("started"))
            .where(SyncLog.run_id.is_not(None))  # old importer rows are no run of ours
            .group_by(SyncLog.run_id).order_by(func.max(SyncLog.started_at).desc(),
                                               func.max(SyncLog.id).desc())
            .limit(limit)
        )).all()
        if not ids:
            return []
        logs = (await conn.execute(
            select(SyncLog).where(SyncLog.run_id.in_([row.run_id for row in ids]))
            .order_by(SyncLog.id)
        )).all()
    by_run: dict[str, list[SyncLog]] = {}
    for log in logs:
        by_run.setdefault(log.run_id, []).append(log)  # type: ignore[arg-type]
    runs = []
    for row in ids:
        entries = by_run[row.run_id]
        statuses = {entry.status for entry in entries}
        status = "running" if "running" in statuses else (
            "failed" if "failed" in statuses else "success")
        finished = [e.finished_at for e in entries if e.finished_at is not None]
        runs.append(RunInfo(run_id=row.run_id, trigger=entries[0].trigger,
                            requested_by=entries[0].requested_by,
                            started_at=entries[0].started_at,
                            finished_at=max(finished) if finished else None,
                            status=status, logs=entries))
    return runs


async def failure_streak(db: Database) -> tuple[int, datetime | None]:
    """Consecutive failed runs since the last success (running ones don't count), and when
    the first of them started.

    Only a sync — all three types — counts: a manual `publ-sync import` of one or two
    files says nothing about whether the daily download works, so it neither ends a streak
    nor extends one. Nor does a run whose only failures are older exports it refused
    (`stale_file`): it did what it should."""
    streak = 0
    since: datetime | None = None
    offset_runs = await recent_runs(db, limit=1000)
    for run in offset_runs:
        if run.status == "running" or len(run.logs) < len(SYNC_TYPES) or _refused_only(run):
            continue
        if run.status == "success":
            break
        streak += 1
        since = run.started_at
    return streak, since


def _refused_only(run: RunInfo) -> bool:
    failed = [log for log in run.logs if log.status == "failed"]
    return bool(failed) and all(log.error_kind == ErrorKind.STALE_FILE.value for log in failed)


async def last_log_per_type(db: Database) -> dict[str, SyncLog]:
    """The newest finished row of each type. A row of the dashboard's old importer (no
    `run_id`, and perhaps no `started_at`: then its `created_at` stands in) is shown as
    earlier history until publ-sync has run that type."""
    out: dict[str, SyncLog] = {}
    started = func.coalesce(SyncLog.started_at, SyncLog.created_at)
    columns = [column for column in SyncLog.__table__.columns if column.name != "started_at"]
    async with db.read() as conn:
        for sync_type in SYNC_TYPES:
            row = (await conn.execute(
                select(*columns, started.label("started_at"))
                .where(SyncLog.sync_type == sync_type.value, SyncLog.status != "running")
                .order_by(SyncLog.run_id.is_(None), started.desc(), SyncLog.id.desc())
                .limit(1)
            )).one_or_none()
            if row is not None:
                out[sync_type.value] = row  # type: ignore[assignment]
    return out

