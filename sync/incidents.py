"""Failure incidents: the open alert's state, kept in `alert_incidents`, so that a restarted
bot neither repeats an alert nor forgets one.

The values are opaque here: the bot hands the channel id and message ts of the alert it
posted; which failure counts as an incident is the bot's decision (`bot.alerts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from sync.db import Database
from sync.models import AlertIncident
from sync.report import RunReport


@dataclass(frozen=True)
class Incident:
    """An open failure incident as stored in `alert_incidents`."""

    id: int
    first_failed_at: datetime
    opened_at: datetime
    channel: str | None
    message_ts: str | None
    last_reminded_at: datetime | None  # start of the run whose alert or reminder was last
    failure_count: int
    last_error_kind: str | None = None


async def open_incident(db: Database) -> Incident | None:
    """The incident still open, if any."""
    async with db.read() as conn:
        row = (await conn.execute(select(AlertIncident).where(AlertIncident.is_open.is_(True))
                                  .order_by(AlertIncident.id.desc()).limit(1))).one_or_none()
    if row is None:
        return None
    return Incident(id=row.id, first_failed_at=row.first_failed_at, opened_at=row.opened_at,
                    channel=row.channel, message_ts=row.message_ts,
                    last_reminded_at=row.last_reminded_at, failure_count=row.failure_count,
                    last_error_kind=row.last_error_kind)


def _error_kind(report: RunReport) -> str | None:
    cause = report.first_error
    return cause.error_kind.value if cause and cause.error_kind else None


async def open_new_incident(db: Database, report: RunReport, streak: int, since: datetime,
                            now: datetime, channel: str) -> Incident:
    """Record a new open incident; if one got opened meanwhile, that one is returned."""
    async with db.write() as conn:
        existing = (await conn.execute(select(AlertIncident)
                                       .where(AlertIncident.is_open.is_(True)))).first()
        if existing is None:
            await conn.execute(insert(AlertIncident).values(
                is_open=True, first_failed_at=since, opened_at=now, channel=channel,
                failure_count=streak, last_run_id=report.run_id,
                last_error_kind=_error_kind(report), created_at=now, updated_at=now))
    incident = await open_incident(db)
    assert incident is not None  # just written, in a committed transaction
    return incident


async def note_failure(db: Database, incident: Incident, report: RunReport,
                       streak: int) -> Incident:
    """Another failed run while the incident is open: count it."""
    async with db.write() as conn:
        await conn.execute(update(AlertIncident).where(AlertIncident.id == incident.id).values(
            failure_count=streak, last_run_id=report.run_id,
            last_error_kind=_error_kind(report)))
    refreshed = await open_incident(db)
    return refreshed or incident


async def note_alert_message(db: Database, incident_id: int, channel: str | None, ts: str,
                             started_at: datetime, now: datetime) -> None:
    """The incident's alert reached Slack as (`channel`, `ts`), told for the run that
    started at `started_at` (reminders count from there)."""
    async with db.write() as conn:
        await conn.execute(update(AlertIncident).where(AlertIncident.id == incident_id)
                           .values(channel=channel, message_ts=ts,
                                   last_reminded_at=started_at, updated_at=now))


async def note_reminded(db: Database, incident_id: int, started_at: datetime,
                        now: datetime) -> None:
    """A reminder for the run that started at `started_at` reached the alert's thread."""
    async with db.write() as conn:
        await conn.execute(update(AlertIncident).where(AlertIncident.id == incident_id)
                           .values(last_reminded_at=started_at, updated_at=now))


async def close_incident(db: Database, incident_id: int, now: datetime) -> None:
    """The sync works again: the incident is over."""
    async with db.write() as conn:
        await conn.execute(update(AlertIncident).where(AlertIncident.id == incident_id)
                           .values(is_open=False, closed_at=now, updated_at=now))
