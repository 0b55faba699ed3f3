"""The daily sync on the real APScheduler, with the bot's clock moved to just before the slot.

What an operator notices: the sync happens at 09:00 Korea time (on Mondays for `0 9 * * 1`),
a sync missed while the bot was down happens once when it comes back, and two bots on one
database never both run it.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from sqlalchemy import insert, select

from bot import scheduler
from bot.core import BotCore
from sync.db import open_database
from sync.errors import SettingsError
from sync.models import ScheduleClaim
from tests.fixtures.runs import FakeRunner, ShiftedClock, schedule_idle, wait_until
from tests.fixtures.slack import SlackStandIn, slack_settings

KST = ZoneInfo("Asia/Seoul")
# How long before the slot the bot's clock starts: long enough for the scheduler to be
# started first (`core.start()` migrates a new database, 0.3-0.6 s on a loaded machine).
BEFORE_SLOT = timedelta(milliseconds=1500)


def build_core(make_settings, slack_api: SlackStandIn, clock: ShiftedClock, runner: FakeRunner,
               **overrides) -> tuple[BotCore, scheduler.DailySchedule]:
    settings = make_settings(**slack_settings(slack_api, **overrides))
    core = BotCore(settings, clock=clock, runner=runner)
    return core, scheduler.install(core)


def job_time_on_clock(core: BotCore, clock: ShiftedClock) -> datetime:
    """When APScheduler will fire the daily job, read on the bot's clock (whole seconds)."""
    job = core.scheduler.get_job(scheduler.DAILY_JOB_ID)
    return scheduler.whole_second(job.next_run_time + clock.offset).astimezone(KST)


async def claims(settings) -> list[datetime]:
    db = await open_database(settings.effective_database_url)
    async with db.read() as conn:
        rows = (await conn.execute(select(ScheduleClaim.scheduled_for))).all()
    return [row.scheduled_for.astimezone(KST) for row in rows]


async def test_daily_sync_fires_at_nine_korea_time(make_settings, slack_api):
    nine = datetime(2026, 11, 27, 9, 0, tzinfo=KST)  # 00:00 UTC
    clock = ShiftedClock(nine - BEFORE_SLOT)
    runner = FakeRunner()
    core, schedule = build_core(make_settings, slack_api, clock, runner,
                                sync_schedule="0 9 * * *", timezone="Asia/Seoul")
    await core.start()
    try:
        assert job_time_on_clock(core, clock) == nine
        await wait_until(lambda: runner.calls, timeout=5, what="the scheduled sync")
        summary = await slack_api.wait_for("chat.update",
                                           lambda call: "일일 동기화 요약" in call.text)
    finally:
        await core.stop()
    [call] = runner.calls
    assert call.trigger == "schedule"
    assert nine <= call.at < nine + timedelta(seconds=2)
    assert await claims(core.settings) == [nine]
    assert summary[0].body["channel"] == core.settings.slack_channel
    # The next one is tomorrow at nine, not again today.
    assert schedule.next_run() == nine + timedelta(days=1)


async def test_weekday_schedule_fires_on_monday_not_tuesday(make_settings, slack_api):
    monday_nine = datetime(2026, 11, 30, 9, 0, tzinfo=KST)
    clock = ShiftedClock(monday_nine - BEFORE_SLOT)
    runner = FakeRunner()
    core, _ = build_core(make_settings, slack_api, clock, runner, sync_schedule="0 9 * * 1")
    await core.start()
    try:
        await wait_until(lambda: runner.calls, timeout=5, what="the Monday sync")
        assert runner.calls[0].at.astimezone(KST).weekday() == 0  # Monday
        # After Monday's run the next one is a week later: Tuesday (APScheduler's own
        # reading of "1") is skipped.
        await wait_until(lambda: job_time_on_clock(core, clock) > monday_nine)
        assert job_time_on_clock(core, clock) == monday_nine + timedelta(days=7)
    finally:
        await core.stop()

    clock.set(datetime(2026, 12, 1, 8, 59, 59, tzinfo=KST))  # a Tuesday, just before nine
    tuesday_core, _ = build_core(make_settings, slack_api, clock, FakeRunner(),
                                 sync_schedule="0 9 * * 1")
    await tuesday_core.start()
    try:
        assert job_time_on_clock(tuesday_core, clock) == datetime(2026, 12, 7, 9, 0,
                                                                  tzinfo=KST)
    finally:
        await tuesday_core.stop()


async def test_missed_sync_is_caught_up_once_on_start_not_twice(make_settings, slack_api):
    thursday_run = datetime(2026, 11, 26, 9, 0, 5, tzinfo=KST)
    clock = ShiftedClock(datetime(2026, 11, 27, 10, 30, tzinfo=KST))  # Friday 09:00 missed
    runner = FakeRunner()
    core, schedule = build_core(make_settings, slack_api, clock, runner)
    await runner(core.settings, trigger="schedule", clock=lambda: thursday_run)

    await core.start()
    await schedule_idle(schedule)
    await core.stop()
    assert [call.trigger for call in runner.calls] == ["schedule", "catch_up"]
    assert await claims(core.settings) == [datetime(2026, 11, 27, 9, 0, tzinfo=KST)]
    await slack_api.wait_for("chat.update", lambda call: "일일 동기화 요약" in call.text)

    # The bot restarts a few minutes later: the caught-up run counts, nothing runs again.
    clock.jump(timedelta(minutes=5))
    restarted, schedule_again = build_core(make_settings, slack_api, clock, runner)
    await restarted.start()
    await schedule_idle(schedule_again)
    await restarted.stop()
    assert [call.trigger for call in runner.calls] == ["schedule", "catch_up"]


async def test_a_database_that_never_synced_has_nothing_to_catch_up(make_settings, slack_api):
    clock = ShiftedClock(datetime(2026, 11, 27, 10, 30, tzinfo=KST))
    runner = FakeRunner()
    core, schedule = build_core(make_settings, slack_api, clock, runner)
    await core.start()
    await schedule_idle(schedule)
    await core.stop()
    assert runner.calls == []


async def test_two_bots_on_one_database_run_the_daily_sync_once(make_settings, slack_api,
                                                                database_url):
    nine = datetime(2026, 11, 27, 9, 0, tzinfo=KST)
    clock = ShiftedClock(nine - BEFORE_SLOT)  # both schedulers start before nine
    runners = [FakeRunner(), FakeRunner()]
    cores = [build_core(make_settings, slack_api, clock, runner, database_url=database_url)[0]
             for runner in runners]
    finished: list[JobExecutionEvent] = []
    for core in cores:
        core.scheduler.add_listener(finished.append, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    for core in cores:
        await core.start()
    try:
        await wait_until(lambda: len(finished) == 2, timeout=5, what="both daily jobs")
    finally:
        for core in cores:
            await core.stop()
    assert [event.exception for event in finished] == [None, None]
    assert sum(len(runner.calls) for runner in runners) == 1
    assert await claims(cores[0].settings) == [nine]


def test_the_last_slot_is_found_for_weekly_and_leap_day_schedules():
    weekly = scheduler.schedule_trigger("0 9 * * 1", "Asia/Seoul")
    monday_nine = datetime(2026, 11, 30, 9, 0, tzinfo=KST)
    assert scheduler.previous_run(weekly, monday_nine) == monday_nine
    assert scheduler.previous_run(weekly, monday_nine - timedelta(seconds=1)) == \
        monday_nine - timedelta(days=7)
    leap_day = scheduler.schedule_trigger("0 9 29 2 *", "Asia/Seoul")
    assert scheduler.previous_run(leap_day, monday_nine) == datetime(2024, 2, 29, 9, 0,
                                                                     tzinfo=KST)


async def test_installing_twice_keeps_one_daily_job(make_settings, slack_api):
    core = BotCore(make_settings(**slack_settings(slack_api)), runner=FakeRunner())
    scheduler.install(core)
    scheduler.install(core)
    await core.start()
    try:
        assert [job.id for job in core.scheduler.get_jobs()] == [scheduler.DAILY_JOB_ID]
    finally:
        await core.stop()


@pytest.mark.parametrize(("language", "expected"), [("ko", "다섯 칸"), ("en", "five fields")])
def test_a_bad_schedule_is_refused_in_the_operators_words(language, expected):
    with pytest.raises(SettingsError) as refused:
        scheduler.schedule_trigger("0 9 * *", "Asia/Seoul", language)
    assert "SYNC_SCHEDULE" in str(refused.value) and expected in str(refused.value)


async def test_a_slot_that_comes_due_during_a_manual_run_is_not_run_twice(make_settings,
                                                                          slack_api):
    runner = FakeRunner()
    runner.hold = asyncio.Event()
    clock = ShiftedClock(datetime(2026, 11, 27, 9, 0, 1, tzinfo=KST))
    core, schedule = build_core(make_settings, slack_api, clock, runner)
    manual = core.start_sync(trigger="slash", requested_by="U0OPERATOR", target=None)
    await wait_until(lambda: runner.calls, what="the manual run")

    skipped = await schedule.run_slot(datetime(2026, 11, 27, 9, 0, tzinfo=KST),
                                      trigger="schedule")
    runner.hold.set()
    assert await manual is not None
    assert skipped is None
    assert [call.trigger for call in runner.calls] == ["slash"]
    # The channel hears why the daily sync did not start on its own.
    [note] = [call for call in slack_api.of("chat.postMessage")
              if "이미 동기화가 진행 중입니다" in call.text]
    assert note.body["channel"] == core.settings.slack_channel and "<@U0OPERATOR>" in note.text
    await core.stop()


async def test_a_slot_claimed_by_a_process_that_died_is_still_caught_up(make_settings,
                                                                        slack_api):
    friday_nine = datetime(2026, 11, 27, 9, 0, tzinfo=KST)
    clock = ShiftedClock(datetime(2026, 11, 27, 10, 30, tzinfo=KST))
    runner = FakeRunner()
    core, schedule = build_core(make_settings, slack_api, clock, runner)
    await runner(core.settings, trigger="schedule",
                 clock=lambda: friday_nine - timedelta(days=1))
    db = await open_database(core.settings.effective_database_url)
    async with db.write() as conn:  # a bot on another machine claimed 09:00, then died
        await conn.execute(insert(ScheduleClaim).values(
            job_id=scheduler.DAILY_JOB_ID, scheduled_for=friday_nine,
            claimed_by="other-host:4242:1", claimed_at=friday_nine))

    await core.start()
    await schedule_idle(schedule)
    await core.stop()
    assert [call.trigger for call in runner.calls] == ["schedule", "catch_up"]
    assert await claims(core.settings) == [friday_nine]
