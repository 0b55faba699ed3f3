"""The daily sync: `SYNC_SCHEDULE` on the core's scheduler, catch-up on start, once per slot.

The scheduler belongs to the core (started inside the running loop); this module only adds
one job with a stable id. Times come from the core's injectable clock: APScheduler itself
reads the wall clock, so the cron schedule is read on `core.clock` and handed to APScheduler
translated into wall time (`ClockTrigger`).

A *slot* is one scheduled time (e.g. Monday 09:00 KST). Whoever runs a slot — the job, or
the catch-up after the bot was down — first claims it (`sync.schedule_claims`), so exactly
one process, and one of the two paths, runs it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.core import BotCore, Clock, ReplyTarget
from bot.summary import ScheduledExtras
from sync import runlog
from sync.db import Database
from sync.errors import SettingsError
from sync.healthcheck import Healthcheck, report_body
from sync.i18n import t
from sync.report import RunReport
from sync.schedule import cron_trigger
from sync.schedule_claims import claim_slot, record_claim_run

log = logging.getLogger(__name__)

DAILY_JOB_ID = "publ-sync-daily"
# The job starts when the wall clock reaches the slot; read back on `core.clock` it may be a
# hair earlier (the two clocks are read a few microseconds apart), never a whole second.
SLOT_TOLERANCE = timedelta(seconds=1)
# How far back to look for the last slot: an hour first (cheap for `* * * * *`), then wider
# windows up to the longest cron period (29 February comes round every four years or so).
LOOKBACK_WINDOWS = (timedelta(hours=1), timedelta(days=1), timedelta(days=8),
                    timedelta(days=32), timedelta(days=367), timedelta(days=366 * 8 + 2))


def schedule_trigger(expr: str, tz: str, lang: str = "ko") -> CronTrigger:
    """`SYNC_SCHEDULE` as a trigger, or a `SettingsError` in the operator's words."""
    try:
        ZoneInfo(tz)
    except (ValueError, LookupError) as error:
        raise SettingsError(t("schedule.bad_timezone", lang, value=tz)) from error
    try:
        return cron_trigger(expr, tz)
    except ValueError as error:
        raise SettingsError(t("schedule.bad_cron", lang, value=expr)) from error


def previous_run(cron: CronTrigger, now: datetime) -> datetime | None:
    """The newest time the schedule fired at or before `now`, or None if it never did."""
    for window in LOOKBACK_WINDOWS:
        newest: datetime | None = None
        fire = cron.get_next_fire_time(None, now - window)
        while fire is not None and fire <= now:
            newest = fire
            fire = cron.get_next_fire_time(fire, fire)
        if newest is not None:
            return newest
    return None


def whole_second(moment: datetime) -> datetime:
    """Round to the nearest second: cron times are whole seconds, clock offsets are not."""
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


class ClockTrigger(BaseTrigger):
    """A cron schedule read on `clock`, given to APScheduler in the wall time it uses.

    With the real clock the two agree and this is the cron trigger itself; with a test
    clock set to Monday 08:59:59 the job fires a second later, at "Monday 09:00".
    """

    def __init__(self, cron: CronTrigger, clock: Clock) -> None:
        self.cron = cron
        self.clock = clock

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        offset = self.clock() - now
        previous = None
        if previous_fire_time is not None:
            previous = whole_second(previous_fire_time + offset)
        fire = self.cron.get_next_fire_time(previous, now + offset)
        return None if fire is None else fire - offset

    def __str__(self) -> str:
        return f"clock-read {self.cron}"


class DailySchedule:
    """The daily sync job and its catch-up, for one bot core."""

    def __init__(self, core: BotCore) -> None:
        self.core = core
        self.cron = schedule_trigger(core.settings.sync_schedule, core.settings.timezone,
                                     core.settings.bot_language)
        self.tasks: set[asyncio.Task[Any]] = set()
        self.healthcheck = Healthcheck(core.settings, keep_task=core.keep_task)

    def add_job(self) -> None:
        """Put the daily job on the core's scheduler (replacing an older one of this id);
        coalescing, one instance and the misfire grace are the scheduler's job defaults."""
        self.core.scheduler.add_job(
            self.run_scheduled, trigger=ClockTrigger(self.cron, self.core.clock),
            id=DAILY_JOB_ID, name="daily publ sync", replace_existing=True,
        )

    def next_run(self) -> datetime | None:
        """The next slot, read on the core's clock."""
        return self.cron.get_next_fire_time(None, self.core.clock())

    async def run_scheduled(self) -> RunReport | None:
        """The job: run the slot that has just come due (if no other process took it)."""
        slot = previous_run(self.cron, self.core.clock() + SLOT_TOLERANCE)
        if slot is None:
            return None
        return await self.run_slot(slot, trigger="schedule")

    async def catch_up(self) -> None:
        """On start: if no run has started since the last slot, run that slot once, in the
        background (the bot answers Slack meanwhile)."""
        slot = await self.missed_slot()
        if slot is None:
            return
        log.info("the sync scheduled for %s did not run; catching up", slot.isoformat())
        await self._tell_downtime()
        task = asyncio.create_task(self.run_slot(slot, trigger="catch_up"))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def missed_slot(self) -> datetime | None:
        """The last slot, when the sync log shows no run started since it.

        A database that has never seen a run missed nothing: the bot was not there yet.
        """
        slot = previous_run(self.cron, self.core.clock())
        if slot is None:
            return None
        newest = await runlog.recent_runs(await self._db(), limit=1)
        if not newest or newest[0].started_at >= slot:
            return None
        return slot

    async def run_slot(self, slot: datetime, *, trigger: str) -> RunReport | None:
        """Claim `slot` and run the sync: one message with the result, the digest and the
        health lines. None when the slot was taken."""
        db = await self._db()
        if not await claim_slot(db, DAILY_JOB_ID, slot, self.core.clock(),
                                self.core.settings.heartbeat_stale_seconds):
            log.info("the %s slot was already taken by another process", slot.isoformat())
            return None
        self.healthcheck.start()
        self.core.last_refusal = None
        report = await self.core.sync(trigger=trigger, requested_by=None, target=None,
                                      extras=ScheduledExtras(self.core, self.next_run()))
        if report is None:
            busy = self.core.last_refusal
            if busy is not None and busy.run_id:
                self.healthcheck.follow(db, busy.run_id)  # the monitor hears that run's end
            else:
                self.healthcheck.finish(False, f"result=failed trigger={trigger} "
                                               "kind=not_started")
            return None
        self.healthcheck.finish(report.succeeded, report_body(report))
        await record_claim_run(db, DAILY_JOB_ID, slot, report.run_id)
        return report

    async def _tell_downtime(self) -> None:
        """After a long time off (`DOWNTIME_NOTICE_HOURS`), say so in `SLACK_CHANNEL` before
        the missed sync: the silence was the bot's, not the console's."""
        settings = self.core.settings
        newest = await runlog.recent_runs(await self._db(), limit=1)
        if not newest or not settings.slack_channel:
            return
        last_seen = newest[0].finished_at or newest[0].started_at
        hours = (self.core.clock() - last_seen).total_seconds() / 3600
        if hours < settings.downtime_notice_hours:
            return
        text = t("bot.downtime", settings.bot_language, hours=int(hours))
        await self.core.delivery.post(ReplyTarget(settings.slack_channel), text,
                                      [SectionBlock(text=MarkdownTextObject(text=text))])

    async def _db(self) -> Database:
        return await self.core.database()


def install(core: BotCore) -> DailySchedule:
    """Add the daily job to `core` and its catch-up to the core's start."""
    schedule = DailySchedule(core)
    schedule.add_job()
    core.on_start.append(schedule.catch_up)
    return schedule
