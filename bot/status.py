"""What `/publ-sync status` shows, read from the sync log, the storage folder and the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync import runlog
from sync.db import open_database
from sync.errors import AlreadyRunning
from sync.render import StatusView
from sync.schedule import next_run
from sync.settings import Settings
from sync.storage import Storage


@dataclass
class BotStatus:
    """The terminal's status view, plus who started a run that is going right now."""

    view: StatusView
    running_by: str | None = None


async def gather_status(settings: Settings, now: datetime) -> BotStatus:
    """Last run per type, failure streak, session age, next scheduled run, a live run."""
    db = await open_database(settings.effective_database_url)
    last_logs = await runlog.last_log_per_type(db)
    streak, since = await runlog.failure_streak(db)
    holder = await runlog.current_holder(db, now, settings.heartbeat_stale_seconds)
    try:
        upcoming = next_run(settings.sync_schedule, settings.timezone, now)
        schedule_valid = True
    except ValueError:
        upcoming, schedule_valid = None, False
    view = StatusView(
        last_logs=last_logs, streak=streak, streak_since=since,
        session_age_s=session_age_seconds(Storage(settings.storage_dir), now),
        next_run=upcoming, schedule=settings.sync_schedule, schedule_valid=schedule_valid,
        running=_running(holder),
    )
    return BotStatus(view, holder.requested_by if holder is not None else None)


def session_age_seconds(storage: Storage, now: datetime) -> float | None:
    """How long ago the saved login session was written; None when there is none."""
    try:
        return max(0.0, now.timestamp() - storage.session_file.stat().st_mtime)
    except FileNotFoundError:
        return None


def _running(holder: AlreadyRunning | None) -> tuple[str, datetime] | None:
    if holder is None or not isinstance(holder.started_at, datetime):
        return None
    return holder.trigger, holder.started_at
