"""What the bot's Home tab shows, and who opened it lately (so their view is redrawn after each
run). The bot hands over a Slack user id as an opaque value; nothing else about the user is
stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from sync import runlog
from sync.db import Database
from sync.models import AlertIncident, HomeVisit
from sync.settings import Settings
from sync.status import StatusView, gather_status, open_for_reading

RECENT_RUNS = 10


@dataclass(frozen=True)
class OpenIncident:
    """The failure alert still open, as Home shows it."""

    since: datetime
    failed_runs: int
    error_kind: str | None


@dataclass
class HomeView:
    """Everything the Home tab shows, gathered before rendering."""

    status: StatusView
    incident: OpenIncident | None
    runs: list[runlog.RunInfo] = field(default_factory=list)
    messages_waiting: int = 0  # Slack messages kept in the outbox until Slack answers


async def gather_home(settings: Settings, now: datetime) -> HomeView:
    """The status, the open incident and the last runs, from the database."""
    status = await gather_status(settings, now)
    db, state = await open_for_reading(settings)  # reading only: no migration, no file made
    if db is None or state != "current":
        return HomeView(status=status, incident=None)
    async with db.read() as conn:
        row = (await conn.execute(select(AlertIncident).where(AlertIncident.is_open.is_(True))
                                  .order_by(AlertIncident.id.desc()).limit(1))).first()
    incident = None if row is None else OpenIncident(row.first_failed_at, row.failure_count,
                                                     row.last_error_kind)
    return HomeView(status=status, incident=incident,
                    runs=await runlog.recent_runs(db, limit=RECENT_RUNS),
                    messages_waiting=status.outbox_waiting)


async def record_visit(db: Database, user_id: str, now: datetime) -> None:
    """Note that `user_id` opened the Home tab now."""
    async with db.write() as conn:
        await conn.execute(delete(HomeVisit).where(HomeVisit.user_id == user_id))
        await conn.execute(insert(HomeVisit).values(user_id=user_id, opened_at=now))


async def recent_visitors(db: Database, now: datetime, hours: float) -> list[str]:
    """Who opened the Home tab within the last `hours`; older visits are forgotten."""
    since = now - timedelta(hours=hours)
    async with db.write() as conn:
        await conn.execute(delete(HomeVisit).where(HomeVisit.opened_at < since))
        rows = (await conn.execute(select(HomeVisit.user_id).order_by(HomeVisit.user_id))).all()
    return [row.user_id for row in rows]
