"""The Slack outbox: messages the bot could not deliver because Slack was unreachable, kept
in the database until Slack answers again (while the bot runs, and after a restart).

The values are opaque here: the bot hands a channel id, a thread ts, the text and its
rendered blocks as JSON. Per (kind, run) only the newest state is kept: a run's final result
replaces its earlier one, so a run is delivered once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, insert, select, update

from sync.db import Database
from sync.models import SlackOutbox, utcnow


@dataclass(frozen=True)
class Waiting:
    """One kept message, as the bot gets it back."""

    id: int
    kind: str
    run_id: str | None
    run_started_at: datetime | None
    channel: str
    thread_ts: str | None
    replaces_ts: str | None
    text: str
    blocks_json: str | None
    attempts: int


def _same(kind: str, run_id: str | None) -> ColumnElement[bool]:
    """Rows of the same (kind, run), NULL run ids matching each other."""
    run = SlackOutbox.run_id.is_(None) if run_id is None else SlackOutbox.run_id == run_id
    return (SlackOutbox.kind == kind) & run


async def keep(db: Database, *, kind: str, run_id: str | None, run_started_at: datetime | None,
               channel: str, thread_ts: str | None, replaces_ts: str | None, text: str,
               blocks_json: str | None) -> None:
    """Keep a message for later, replacing an older state of the same (kind, run)."""
    now = utcnow()
    async with db.write() as conn:
        await conn.execute(delete(SlackOutbox).where(_same(kind, run_id)))
        await conn.execute(insert(SlackOutbox).values(
            kind=kind, run_id=run_id, run_started_at=run_started_at, channel=channel,
            thread_ts=thread_ts, replaces_ts=replaces_ts, text=text, blocks_json=blocks_json,
            attempts=0, created_at=now, updated_at=now))


async def discard(db: Database, *, kind: str, run_id: str | None) -> int:
    """Forget kept states of (kind, run): a newer one was just delivered live."""
    async with db.write() as conn:
        result = await conn.execute(delete(SlackOutbox).where(_same(kind, run_id)))
    return int(result.rowcount or 0)


async def waiting(db: Database, limit: int = 50) -> list[Waiting]:
    """The kept messages, oldest first."""
    async with db.read() as conn:
        rows = (await conn.execute(select(SlackOutbox).order_by(SlackOutbox.id)
                                   .limit(limit))).all()
    return [Waiting(id=r.id, kind=r.kind, run_id=r.run_id, run_started_at=r.run_started_at,
                    channel=r.channel, thread_ts=r.thread_ts, replaces_ts=r.replaces_ts,
                    text=r.text, blocks_json=r.blocks_json, attempts=r.attempts)
            for r in rows]


async def delivered(db: Database, item_id: int) -> None:
    """The message reached Slack (or can never): forget it."""
    async with db.write() as conn:
        await conn.execute(delete(SlackOutbox).where(SlackOutbox.id == item_id))


async def attempted(db: Database, item_id: int) -> None:
    """Another try failed: count it (for the log)."""
    async with db.write() as conn:
        await conn.execute(update(SlackOutbox).where(SlackOutbox.id == item_id).values(
            attempts=SlackOutbox.attempts + 1, updated_at=utcnow()))


async def waiting_count(db: Database) -> int:
    """How many messages wait for Slack (shown by `status`)."""
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(SlackOutbox)))
                   .scalar_one())
