"""What "status" means, for the terminal and for Slack alike: the last run of each type, the
failure streak, how old the saved session is, the next scheduled run, and a run going now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sync import drifts, outbox, runlog, runner
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
    drifts: list[Drift] = field(default_factory=list)  # console drifts still in effect


def session_age_seconds(storage: Storage, now: datetime) -> float | None:
    """How long ago the saved login session was written; None when there is none."""
    try:
        return max(0.0, now.timestamp() - storage.session_file.stat().st_mtime)
    except FileNotFoundError:
        return None


async def gather_status(settings: Settings, now: datetime) -> StatusView:
    """Read the status from the database (closing runs whose process died first, so they
    don't show as running) and the storage folder."""
    storage, db = await runner.prepare(settings, lambda: now)
    holder = await runlog.current_holder(db, now, settings.heartbeat_stale_seconds)
    streak, since = await runlog.failure_streak(db)
    try:
        upcoming, schedule_valid = next_run(settings.sync_schedule, settings.timezone, now), True
    except ValueError:
        upcoming, schedule_valid = None, False
    return StatusView(
        last_logs=await runlog.last_log_per_type(db), streak=streak, streak_since=since,
        session_age_s=session_age_seconds(storage, now),
        next_run=upcoming, schedule=settings.sync_schedule, schedule_valid=schedule_valid,
        running=(holder.trigger, holder.started_at) if holder is not None else None,
        running_by=holder.requested_by if holder is not None else None,
        outbox_waiting=await outbox.waiting_count(db),
        drifts=await drifts.current(db),
    )
