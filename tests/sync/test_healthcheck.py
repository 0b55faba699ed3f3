"""HEALTHCHECK_URL: a local server speaking the Healthchecks protocol receives `/start`, then
the plain URL or `/fail` with the kind in the body, for every run of a schedule slot (a
catch-up too, and a slot refused because another run holds the guard); a monitor that hangs
leaves the sync and its report unchanged, and the URL never shows in the logs."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot import alerts, scheduler
from bot.core import BotCore
from sync.errors import ErrorKind
from tests.fixtures.runs import FakeRunner, ShiftedClock, schedule_idle
from tests.fixtures.slack import SlackStandIn, slack_settings

KST = ZoneInfo("Asia/Seoul")
CHECK_UUID = "5f0c7a1e-2b6d-4e11-9a3c-7d1b2e4f6a80"


class Monitor:
    """A Healthchecks-like ping endpoint: `/ping/<uuid>[/start|/fail]`."""

    def __init__(self) -> None:
        self.pings: list[tuple[str, str]] = []  # (what, body)
        self.hang = False
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._released = asyncio.Event()

    async def start(self) -> Monitor:
        app = web.Application()
        app.router.add_post("/ping/{uuid}", self._ping)
        app.router.add_post("/ping/{uuid}/{what}", self._ping)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/ping/{CHECK_UUID}"
        return self

    async def stop(self) -> None:
        self._released.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _ping(self, request: web.Request) -> web.Response:
        if self.hang:
            await self._released.wait()
        self.pings.append((request.match_info.get("what", "success"),
                           (await request.read()).decode()))
        return web.Response(text="OK")

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[str, str]]:
        deadline = time.monotonic() + timeout
        while len(self.pings) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"only {self.pings} within {timeout}s")
            await asyncio.sleep(0.02)
        return self.pings


@pytest.fixture
async def monitor() -> AsyncIterator[Monitor]:
    server = await Monitor().start()
    yield server
    await server.stop()


def build(make_settings, slack_api: SlackStandIn, runner: FakeRunner, clock=None,
          **overrides) -> tuple[BotCore, scheduler.DailySchedule]:
    settings = make_settings(**slack_settings(slack_api, **overrides))
    core = BotCore(settings, runner=runner, clock=clock or ShiftedClock(
        datetime(2026, 11, 30, 9, 0, 1, tzinfo=KST)))
    schedule = scheduler.install(core)
    alerts.install(core)
    return core, schedule


SLOT = datetime(2026, 11, 30, 9, 0, tzinfo=KST)


async def test_a_scheduled_success_pings_start_then_the_plain_url(
        make_settings, slack_api, monitor) -> None:
    core, schedule = build(make_settings, slack_api, FakeRunner(), healthcheck_url=monitor.url)

    await schedule.run_slot(SLOT, trigger="schedule")
    await schedule_idle(schedule)

    assert [what for what, _ in monitor.pings] == ["start", "success"]
    assert "result=success" in monitor.pings[1][1] and "new=9" in monitor.pings[1][1]


async def test_a_scheduled_failure_pings_fail_with_the_kind_in_the_body(
        make_settings, slack_api, monitor) -> None:
    runner = FakeRunner()
    runner.default = ErrorKind.LOGIN_FAILED
    core, schedule = build(make_settings, slack_api, runner, healthcheck_url=monitor.url)

    await schedule.run_slot(SLOT, trigger="schedule")
    await schedule_idle(schedule)

    assert [what for what, _ in monitor.pings] == ["start", "fail"]
    body = monitor.pings[1][1]
    assert "kind=login_failed" in body and "failed_types=members,orders,refunds" in body
    assert "operator@example.com" not in body and "로그인" not in body  # kinds, not messages


async def test_a_catch_up_run_pings_and_a_long_downtime_is_told(
        make_settings, slack_api, monitor) -> None:
    clock = ShiftedClock(datetime(2026, 11, 29, 9, 0, 5, tzinfo=KST))
    core, schedule = build(make_settings, slack_api, FakeRunner(), clock=clock,
                           healthcheck_url=monitor.url, downtime_notice_hours=6)
    await core.sync(trigger="schedule", requested_by=None, target=None)  # Sunday's run
    clock.jump(timedelta(hours=30))  # the bot was off over Monday 09:00

    await schedule.catch_up()
    await schedule_idle(schedule)

    assert [what for what, _ in monitor.pings] == ["start", "success"]
    assert "trigger=catch_up" in monitor.pings[1][1]
    [notice] = await slack_api.wait_for("chat.postMessage", lambda c: "꺼져 있었습니다" in c.text)
    assert "봇이 30시간 꺼져 있었습니다; 놓친 동기화를 실행합니다" in notice.text


async def test_a_slot_refused_because_another_run_holds_the_guard_pings_that_runs_outcome(
        make_settings, slack_api, monitor) -> None:
    runner = FakeRunner()
    runner.hold = asyncio.Event()
    core, schedule = build(make_settings, slack_api, runner, healthcheck_url=monitor.url)
    holder = core.start_sync(trigger="slash", requested_by="U0OPERATOR", target=None)
    assert holder is not None
    while not runner.calls:
        await asyncio.sleep(0.01)

    assert await schedule.run_slot(SLOT, trigger="schedule") is None
    runner.hold.set()
    report = await holder
    await schedule_idle(schedule)

    assert [what for what, _ in monitor.pings] == ["start", "success"]
    assert report is not None and f"run={report.run_id}" in monitor.pings[1][1]


def _shown(slack_api: SlackStandIn) -> str:
    """The result message as the channel shows it, without its clock readings."""
    [result] = [m for m in slack_api.visible_messages() if "완료" in m.text]
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d|\d+\.\d초", "#", str(result.blocks))


async def test_a_hanging_monitor_leaves_the_sync_and_its_report_unchanged(
        make_settings, slack_api, monitor, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    _, quiet = build(make_settings, slack_api, FakeRunner(), database_url="sqlite+aiosqlite://"
                     "/" + str(make_settings().storage_dir.parent / "quiet.db"))
    await quiet.run_slot(SLOT, trigger="schedule")
    without = _shown(slack_api)
    for message in slack_api.visible_messages():
        message.deleted = True

    monitor.hang = True
    # The ping's timeout is well above what the run itself takes even on a loaded machine,
    # so a run that waited for its monitor would show it.
    ping_timeout = 6
    core, schedule = build(make_settings, slack_api, FakeRunner(), healthcheck_url=monitor.url,
                           healthcheck_timeout_seconds=ping_timeout)
    started = time.monotonic()
    report = await schedule.run_slot(SLOT, trigger="schedule")
    took = time.monotonic() - started

    assert report is not None and report.succeeded and took < ping_timeout - 1
    assert _shown(slack_api) == without
    await schedule_idle(schedule)  # each ping gave up after its own timeout
    assert monitor.url not in caplog.text and CHECK_UUID not in caplog.text
    assert "could not ping the health monitor" in caplog.text
