"""What a scheduled run adds to its own message, so that the run posts one message only:
under the result, the business digest (the day's first scheduled run, `DIGEST_ENABLED`), the
database totals and the bot's health; on `DIGEST_WEEKDAY` a 28-day chart in its thread.

Counts, sums and product names only: no name, e-mail, member code or order number ever goes
into it. The figures come from `sync.digest`; `bot.render` lays them out, and this module
decides what goes in when.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, DividerBlock

from bot.core import BotCore
from bot.delivery import PostedMessage, ReplyTarget
from bot.render.common import local_time
from bot.render.digest import digest_blocks
from bot.render.summary import chart_failed_note, summary_blocks
from sync import digest, runlog
from sync.chart import ChartError, render_chart
from sync.i18n import t
from sync.report import RunReport
from sync.settings import WEEKDAYS, Settings
from sync.status import session_age_seconds
from sync.storage import Storage

log = logging.getLogger(__name__)

CHART_FILE_NAME = "publ-revenue-28d.png"


class ScheduledExtras:
    """The digest, totals and health of one scheduled run (the core's `RunExtras`)."""

    def __init__(self, core: BotCore, next_run: datetime | None) -> None:
        self.core = core
        self.settings = core.settings
        self.next_run = next_run
        self.chart_day: datetime | None = None  # set when the digest went in on chart day

    async def blocks(self, report: RunReport) -> list[Block]:
        settings = self.settings
        lang = settings.bot_language
        now = self.core.clock()
        db = await self.core.database()
        blocks: list[Block] = []
        if settings.digest_enabled and await digest.first_scheduled_run_of_day(
                db, report.run_id, report.started_at, settings.timezone):
            day = digest.previous_day(report.started_at, settings.timezone)
            found = await digest.build_digest(db, settings.timezone, day)
            text = digest.digest_text(found, lang, local_time=local_time(settings, found.based_on)
                                      if found.based_on else None,
                                      run_failed=not report.succeeded)
            blocks += [DividerBlock(), *digest_blocks(text)]
            if _is_chart_day(settings, report.started_at):
                self.chart_day = report.started_at
        totals = await digest.database_totals(db, now)
        streak, _since = await runlog.failure_streak(db)
        age = session_age_seconds(Storage(settings.storage_dir), now)
        blocks += summary_blocks(self.core.present, now, totals, streak, age, self.next_run)
        return blocks

    async def after_shown(self, posted: PostedMessage | None, text: str,
                          blocks: list[Block]) -> None:
        """On chart day: the chart in the message's thread; a failed upload is said in the
        message itself and the run stays as it ended."""
        if self.chart_day is None or posted is None or posted.ts is None:
            return  # no message to attach it to: a chart alone would be a second post
        settings = self.settings
        lang = settings.bot_language
        db = await self.core.database()
        day = digest.previous_day(self.chart_day, settings.timezone)
        points = await digest.daily_series(db, settings.timezone, day)
        uploaded = False
        try:
            png = await asyncio.to_thread(render_chart, points, lang, settings.digest_font_path)
        except (ChartError, OSError, ValueError) as error:
            log.error("could not draw the revenue chart: %s", error)
        else:
            uploaded = await self.core.delivery.upload_file(
                settings.slack_channel, posted.ts, png, CHART_FILE_NAME,
                t("digest.chart.file_title", lang))
        if not uploaded:
            await self.core.delivery.update(posted, _channel_target(settings),
                                            text, [*blocks, chart_failed_note(self.core.present)])


def _is_chart_day(settings: Settings, when: datetime) -> bool:
    weekday = settings.digest_weekday
    if not weekday:
        return False
    return WEEKDAYS[when.astimezone(ZoneInfo(settings.timezone)).weekday()] == weekday


def _channel_target(settings: Settings) -> ReplyTarget:
    return ReplyTarget(settings.slack_channel)
