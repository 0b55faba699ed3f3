"""The daily summary posted to `SLACK_CHANNEL` after the scheduled sync.

What the sync did (counts per type), what the database holds (members, recent orders, open
refund requests) and whether the bot is healthy (failure streak, session age). Counts only:
no name, e-mail, member code or order number ever goes into it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core import BotCore
from bot.delivery import ReplyTarget
from bot.render.common import local_time, seconds
from sync import runlog
from sync.db import Database, open_database
from sync.i18n import duration_text, t
from sync.models import Member, Order, Refund
from sync.report import SYNC_TYPES, RunReport, TypeResult
from sync.settings import Settings
from sync.status import session_age_seconds
from sync.storage import Storage

log = logging.getLogger(__name__)

OPEN_REFUND_STATUS = "Requested"


@dataclass
class Totals:
    """What the database holds, as counts."""

    members: int
    orders_day: int
    orders_week: int
    open_refunds: int


@dataclass
class Health:
    """How the bot is doing: consecutive failed runs, and the saved session's age."""

    failure_streak: int
    session_age_s: float | None  # None: no saved session


async def database_totals(db: Database, now: datetime) -> Totals:
    """Members, orders paid in the last day and 7 days, refund requests still open."""
    async with db.read() as conn:
        return Totals(
            members=await _count(conn, select(func.count()).select_from(Member)),
            orders_day=await _count(conn, select(func.count()).select_from(Order)
                                    .where(Order.paid_at >= now - timedelta(days=1))),
            orders_week=await _count(conn, select(func.count()).select_from(Order)
                                     .where(Order.paid_at >= now - timedelta(days=7))),
            open_refunds=await _count(conn, select(func.count()).select_from(Refund)
                                      .where(Refund.refund_status == OPEN_REFUND_STATUS)),
        )


async def _count(conn: AsyncConnection, query: object) -> int:
    return int((await conn.execute(query)).scalar_one())  # type: ignore[call-overload]


async def bot_health(db: Database, settings: Settings, now: datetime) -> Health:
    """The failure streak and how old the saved login session is."""
    streak, _since = await runlog.failure_streak(db)
    return Health(failure_streak=streak,
                  session_age_s=session_age_seconds(Storage(settings.storage_dir), now))


def render_summary(settings: Settings, report: RunReport, totals: Totals, health: Health,
                   now: datetime, next_run: datetime | None) -> tuple[str, list[Block]]:
    """The summary message: fallback text and blocks."""
    lang = settings.bot_language
    title = t("summary.title", lang, date=local_time(settings, now)[:10])
    if report.succeeded:
        run_line = t("summary.run_ok", lang, duration=seconds(report.duration_s))
    else:
        run_line = t("summary.run_failed", lang,
                     kind=t(f"kind.{report.failure_kind.value}", lang))
    type_lines = [_type_line(lang, report.results[sync_type])
                  for sync_type in SYNC_TYPES if sync_type in report.results]
    totals_line = t("summary.totals", lang, members=f"{totals.members:,}",
                    orders_day=f"{totals.orders_day:,}", orders_week=f"{totals.orders_week:,}",
                    open_refunds=f"{totals.open_refunds:,}")
    if health.session_age_s is None:
        session = t("summary.session_none", lang)
    else:
        session = t("summary.session_age", lang, age=duration_text(health.session_age_s, lang))
    health_line = t("summary.health", lang, streak=health.failure_streak, session=session)
    next_line = t("summary.next_run", lang, next_run=local_time(settings, next_run)
                  if next_run else t("alerts.no_next_run", lang))
    body = "\n".join([run_line, *type_lines])
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{body}")),
        SectionBlock(text=MarkdownTextObject(text=f"{totals_line}\n{health_line}")),
        ContextBlock(elements=[MarkdownTextObject(text=next_line)]),
    ]
    # The fallback shows in notifications, where Slack leaves mrkdwn stars as they are.
    fallback = f"{title}\n{body}\n{totals_line}\n{health_line}".replace("*", "")
    return fallback, blocks


def _type_line(lang: str, result: TypeResult) -> str:
    name = t(f"type.{result.sync_type.value}", lang)
    if result.status == "failed":
        return t("summary.type_failed", lang, type=name,
                 kind=t(f"kind.{result.failure_kind.value}", lang))
    return t("summary.type_line", lang, type=name, new=f"{result.new:,}",
             updated=f"{result.updated:,}", unchanged=f"{result.unchanged:,}",
             skipped=f"{result.skipped:,}")


async def post_daily_summary(core: BotCore, report: RunReport,
                             next_run: datetime | None = None) -> None:
    """Post the summary of the scheduled `report` to `SLACK_CHANNEL`."""
    settings = core.settings
    now = core.clock()
    db = await open_database(settings.effective_database_url)
    totals = await database_totals(db, now)
    health = await bot_health(db, settings, now)
    text, blocks = render_summary(settings, report, totals, health, now, next_run)
    await core.delivery.post(ReplyTarget(settings.slack_channel), text, blocks)
