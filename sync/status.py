"""What "status" means, for the terminal and for Slack alike: the last run of each type, the
failure streak, how old the saved session is, the next scheduled run, and a run going now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sync import drifts, outbox, runlog
from sync.adopt import AdoptionRefused, plan_adoption
from sync.db import Database, SchemaState, open_reader, schema_state
from sync.models import SyncLog
from sync.report import Drift
from sync.schedule import next_run
from sync.settings import Settings
from sync.storage import Storage


@dataclass
class StatusView:
    """Everything a status answer shows, gathered before rendering."""

    last_logs: dict[str, SyncLog]
    streak: int
    streak_since: datetime | None
    session_age_s: float | None
    next_run: datetime | None
    schedule: str
    schedule_valid: bool
    running: tuple[str, datetime] | None = None  # (trigger, started_at) of a live run
    running_by: str | None = None  # the Slack user who started it, if one did
    outbox_waiting: int = 0  # Slack messages kept until Slack answers again
    notes: list[str] = field(default_factory=list)
    # "current"; or why nothing was read: "none" (no database yet), "empty", "unmigrated",
    # "to_adopt" — status never creates, migrates or adopts (the next sync or bot start does)
    database: SchemaState | str = "current"
    stopped: list[runlog.StoppedRun] = field(default_factory=list)  # process gone, not closed
    drifts: list[Drift] = field(default_factory=list)  # console drifts still in effect


def database_note_key(state: str) -> str:
    """The catalog key of what `status` says about a database it could not show."""
    return "imports.status.database_none" if state in ("none", "empty") else (
        f"imports.status.database_{state}")


def session_age_seconds(storage: Storage, now: datetime) -> float | None:
    """How long ago the saved login session was written; None when there is none."""
    try:
        return max(0.0, now.timestamp() - storage.session_file.stat().st_mtime)
    except FileNotFoundError:
        return None


async def open_for_reading(settings: Settings) -> tuple[Database | None, str]:
    """The database to read and its schema state; (None, "none") when there is none yet.
    Nothing is created, migrated, adopted or closed: reading changes nothing."""
    db = await open_reader(settings.effective_database_url, settings.sqlite_busy_timeout_ms)
    if db is None:
        return None, "none"
    return db, await schema_state(db)


async def _refuse_what_cannot_be_adopted(db: Database) -> None:
    """The dashboard's tables that the next start could not adopt: raise `AdoptionRefused`
    with its sentences now (the plan is only read), rather than promising an adoption."""
    async with db.read() as conn:
        plan = await conn.run_sync(plan_adoption)
    if plan.problems:
        raise AdoptionRefused(plan.problems)


async def gather_status(settings: Settings, now: datetime) -> StatusView:
    """Read the status from the database and the storage folder, changing neither: a run
    whose process died shows as stopped (the next sync or bot start closes it)."""
    storage = Storage(settings.storage_dir)
    try:
        upcoming, schedule_valid = next_run(settings.sync_schedule, settings.timezone, now), True
    except ValueError:
        upcoming, schedule_valid = None, False
    view = StatusView(last_logs={}, streak=0, streak_since=None,
                      session_age_s=session_age_seconds(storage, now),
                      next_run=upcoming, schedule=settings.sync_schedule,
                      schedule_valid=schedule_valid)
    db, state = await open_for_reading(settings)
    view.database = state
    if db is not None and state == "to_adopt":
        await _refuse_what_cannot_be_adopted(db)
    if db is None or state != "current":
        return view
    holder = await runlog.current_holder(db, now, settings.heartbeat_stale_seconds)
    view.streak, view.streak_since = await runlog.failure_streak(db)
    view.last_logs = await runlog.last_log_per_type(db)
    if holder is not None:
        view.running, view.running_by = (holder.trigger, holder.started_at), holder.requested_by
    view.outbox_waiting = await outbox.waiting_count(db)
    view.drifts = await drifts.current(db)
    view.stopped = await runlog.stopped_runs(db, now, settings.heartbeat_stale_seconds)
    return view
