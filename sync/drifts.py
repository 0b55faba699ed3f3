"""Console drifts (`console_drifts`): which controls were found only through a fallback, and
whether the channel has heard about each.

The rules of the drift notice live here, so that a restarted bot neither repeats nor forgets
one: a drift is announced once; it is cleared as soon as its control's configured locator
works again; if it comes back later, it is new and announced again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from sync.db import Database
from sync.models import ConsoleDrift
from sync.report import Drift


async def observe(db: Database, drifts: Iterable[Drift], confirmed: Iterable[str],
                  now: datetime) -> None:
    """Record what one download saw: drifts (new ones waiting to be announced) and the
    settings whose configured locator matched (their drifts are over)."""
    drifts = list(drifts)
    confirmed = set(confirmed) - {drift.setting for drift in drifts}
    async with db.write() as conn:
        if confirmed:
            await conn.execute(delete(ConsoleDrift).where(ConsoleDrift.setting.in_(confirmed)))
        for drift in drifts:
            key = (ConsoleDrift.setting == drift.setting, ConsoleDrift.how == drift.how,
                   ConsoleDrift.found == drift.found[:200])
            seen = (await conn.execute(select(ConsoleDrift.id).where(*key))).scalar()
            if seen is None:
                await conn.execute(insert(ConsoleDrift).values(
                    setting=drift.setting, page=drift.page, how=drift.how,
                    found=drift.found[:200], first_seen_at=now, last_seen_at=now,
                    announced_at=None, created_at=now, updated_at=now))
            else:
                await conn.execute(update(ConsoleDrift).where(ConsoleDrift.id == seen)
                                   .values(last_seen_at=now, updated_at=now))


async def current(db: Database) -> list[Drift]:
    """Every drift still in effect (for `status`)."""
    async with db.read() as conn:
        rows = (await conn.execute(select(ConsoleDrift).order_by(ConsoleDrift.id))).all()
    return [Drift(page=row.page, setting=row.setting, how=row.how, found=row.found)
            for row in rows]


async def unannounced(db: Database) -> list[Drift]:
    """Drifts the channel has not been told about yet, oldest first."""
    async with db.read() as conn:
        rows = (await conn.execute(select(ConsoleDrift).where(
            ConsoleDrift.announced_at.is_(None)).order_by(ConsoleDrift.id))).all()
    return [Drift(page=row.page, setting=row.setting, how=row.how, found=row.found)
            for row in rows]


async def mark_announced(db: Database, drift: Drift, now: datetime) -> None:
    """The channel has been told about `drift`."""
    async with db.write() as conn:
        await conn.execute(update(ConsoleDrift).where(
            ConsoleDrift.setting == drift.setting, ConsoleDrift.how == drift.how,
            ConsoleDrift.found == drift.found[:200]).values(announced_at=now, updated_at=now))


def describe(drift: Drift, lang: str, shown: Callable[[str], str] = str) -> str:
    """One drift in the operator's words (the terminal and Slack lay this out). What was
    found is the console's own text: `shown` makes it safe for where it goes (Slack escapes
    it; the setting's name, ours, keeps its code marks)."""
    from sync.i18n import t

    how = f"drift.how.{drift.how}"
    return t("drift.line", lang, page=t(f"download.page.{drift.page}", lang),
             setting=drift.setting, how=t(how, lang), found=shown(drift.found))
