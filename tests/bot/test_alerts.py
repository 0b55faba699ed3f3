"""Failure alerts as the channel sees them, through the local Slack Web API stand-in.

The runs here come from `FakeRunner` (real sync-log rows, no browser) so that the state
machine can be walked through quickly; `test_alerts_sandbox.py` runs the same flow once
against the sandbox console failing for real.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import alerts
from bot.core import BotCore, ReplyTarget
from sync import runlog
from sync.db import open_database
from sync.errors import ErrorKind
from tests.fixtures.runs import FAILURES, FakeRunner, ShiftedClock
from tests.fixtures.slack import SlackStandIn, slack_settings

KST = ZoneInfo("Asia/Seoul")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a stand-in for the masked screenshot


def is_alert(call) -> bool:
    return alerts.RETRY_ACTION in call.text and alerts.RESET_RETRY_ACTION in call.text


def alert_posts(slack_api: SlackStandIn) -> list:
    return [call for call in slack_api.of("chat.postMessage") if is_alert(call)]


def thread_posts(slack_api: SlackStandIn, ts: str, marker: str) -> list:
    return [call for call in slack_api.of("chat.postMessage")
            if call.body.get("thread_ts") == ts and marker in call.text]


def channel_posts(slack_api: SlackStandIn, marker: str) -> list:
    return [call for call in slack_api.of("chat.postMessage")
            if not call.body.get("thread_ts") and marker in call.text]


def alert_updates(slack_api: SlackStandIn, ts: str) -> list:
    return [call for call in slack_api.of("chat.update") if call.body.get("ts") == ts]


def build(make_settings, slack_api: SlackStandIn, clock: ShiftedClock, runner: FakeRunner,
          **overrides) -> BotCore:
    settings = make_settings(**slack_settings(slack_api, **overrides))
    core = BotCore(settings, clock=clock, runner=runner)
    alerts.install(core)
    return core


async def run_once(core: BotCore) -> None:
    await core.sync(trigger="slash", requested_by="U0OPERATOR",
                    target=ReplyTarget(core.settings.slack_channel))


async def test_alert_on_change_of_state_with_reminder_recovery_and_restart(
        make_settings, slack_api, tmp_path: Path):
    screenshot = tmp_path / "masked.png"
    screenshot.write_bytes(PNG)
    clock = ShiftedClock(datetime(2026, 11, 27, 9, 0, tzinfo=KST))
    runner = FakeRunner()
    runner.default, runner.screenshot = ErrorKind.LAYOUT_CHANGED, screenshot
    settings = dict(alert_after_failures=2, alert_remind_hours=24)
    core = build(make_settings, slack_api, clock, runner, **settings)

    await run_once(core)  # one failure: no alert
    assert alert_posts(slack_api) == []

    clock.jump(timedelta(hours=1))
    await run_once(core)  # the second in a row: exactly one alert, screenshot in its thread
    [alert] = alert_posts(slack_api)
    assert alert.body["channel"] == core.settings.slack_channel
    assert "2번 연속 실패" in alert.text and "2026-11-27 09:00" in alert.text
    assert "다시 시도" in alert.text and "세션 초기화 후 재시도" in alert.text
    alert_ts = (await stored_incident(core)).message_ts
    assert alert_ts
    assert len(slack_api.of("files.getUploadURLExternal")) == 1
    [upload] = slack_api.of("upload")
    assert upload.body["raw"][1:4] == "PNG" and len(upload.body["raw"]) == len(PNG)
    [complete] = slack_api.of("files.completeUploadExternal")
    assert complete.body["query.thread_ts"] == alert_ts
    assert complete.body["query.channel_id"] == core.settings.slack_channel

    clock.jump(timedelta(hours=1))
    await run_once(core)  # a third: nothing new
    assert len(alert_posts(slack_api)) == 1
    assert thread_posts(slack_api, alert_ts, "아직 복구되지 않았습니다") == []

    clock.jump(timedelta(hours=24))
    await run_once(core)  # ALERT_REMIND_HOURS later: one reminder in the thread
    [reminder] = thread_posts(slack_api, alert_ts, "아직 복구되지 않았습니다")
    assert "4번 연속" in reminder.text
    assert len(alert_posts(slack_api)) == 1

    # The bot restarts in the middle of the incident: no second alert, no early reminder.
    restarted = build(make_settings, slack_api, clock, runner, **settings)
    clock.jump(timedelta(hours=1))
    await run_once(restarted)
    assert len(alert_posts(slack_api)) == 1
    assert len(thread_posts(slack_api, alert_ts, "아직 복구되지 않았습니다")) == 1

    runner.default = None
    clock.jump(timedelta(hours=1))
    await run_once(restarted)  # recovered: the alert says so, and one reply in its thread
    [in_thread] = thread_posts(slack_api, alert_ts, "복구되었습니다")
    assert channel_posts(slack_api, "복구되었습니다") == []
    resolved = alert_updates(slack_api, alert_ts)[-1]
    # Down since the first failure at 09:00 on the 27th, recovered on the 28th at 13:00.
    assert "1일 4시간" in in_thread.text and "1일 4시간" in resolved.text

    await run_once(restarted)  # a later success says nothing more
    assert len(thread_posts(slack_api, alert_ts, "복구되었습니다")) == 1
    assert len(alert_updates(slack_api, alert_ts)) == 1

    runner.default = ErrorKind.DOWNLOAD_FAILED
    await run_once(restarted)  # a new single failure is a new streak of one: no alert
    assert len(alert_posts(slack_api)) == 1


async def test_daily_failures_remind_every_day_however_long_each_run_takes(
        make_settings, slack_api):
    # The default set-up: one run a day at 09:00, ALERT_REMIND_HOURS=24. The run that
    # alerts takes three minutes (retries); the next days' runs fail within seconds.
    clock = ShiftedClock(datetime(2026, 11, 27, 9, 0, tzinfo=KST))
    runner = FakeRunner()
    runner.default = ErrorKind.DOWNLOAD_FAILED
    core = build(make_settings, slack_api, clock, runner, alert_after_failures=2,
                 alert_remind_hours=24)
    durations = iter([timedelta(seconds=5), timedelta(minutes=3), timedelta(seconds=5),
                      timedelta(seconds=4), timedelta(minutes=2), timedelta(seconds=3)])
    for day in range(6):
        clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=KST) + timedelta(days=day))
        duration = next(durations)
        runner.during = lambda by=duration: clock.jump(by)
        await run_once(core)

    [alert] = alert_posts(slack_api)  # on the second day
    reminders = thread_posts(slack_api, (await stored_incident(core)).message_ts,
                             "아직 복구되지 않았습니다")
    assert "2번 연속" in alert.text
    # One reminder on each following day, each saying how many days in a row it failed.
    assert [f"{n}번 연속" in r.text for n, r in zip((3, 4, 5, 6), reminders, strict=True)
            ] == [True] * 4


# The step of each kind that no other kind's alert shows.
DISTINGUISHING_STEP = {
    ErrorKind.LOGIN_FAILED: "`PUBL_PASSWORD`",
    ErrorKind.LAYOUT_CHANGED: "`publ-sync doctor`",
    ErrorKind.DOWNLOAD_FAILED: "다음 예약 동기화",
    ErrorKind.FILE_MISSING: "오늘 날짜의 CSV",
    ErrorKind.FILE_INVALID: "`publ-sync import",
    ErrorKind.DATABASE: "`DATABASE_URL`",
    ErrorKind.UNEXPECTED: "`publ-sync status`",
}


# An older export refused (stale_file) never alerts: tests/test_leftovers.py.
@pytest.mark.parametrize("kind", [kind for kind in ErrorKind if kind is not ErrorKind.STALE_FILE])
async def test_each_error_kind_gets_its_own_recovery_steps(make_settings, slack_api,
                                                           kind: ErrorKind):
    clock = ShiftedClock(datetime(2026, 11, 27, 10, 0, tzinfo=KST))
    runner = FakeRunner()
    runner.default = kind
    core = build(make_settings, slack_api, clock, runner, alert_after_failures=1)
    await run_once(core)
    [alert] = alert_posts(slack_api)
    assert DISTINGUISHING_STEP[kind] in alert.text
    for other, step in DISTINGUISHING_STEP.items():
        if other is not kind:
            assert step not in alert.text, f"{kind} alert shows {other}'s step"
    if kind is ErrorKind.LAYOUT_CHANGED:
        assert "`PUBL_MEMBERS_BUTTON`" in alert.text  # the setting the error named
    if kind is ErrorKind.DOWNLOAD_FAILED:
        assert "2026-11-28 09:00" in alert.text  # when it retries by itself
    if kind is ErrorKind.FILE_INVALID:
        assert "Order Number" in alert.text and "1번째 줄" in alert.text
    if kind is ErrorKind.UNEXPECTED:
        # The run id in backticks (for the developer) and the error's own sentence.
        [newest] = await runlog.recent_runs(await open_database(
            core.settings.effective_database_url), limit=1)
        assert f"`{newest.run_id}`" in alert.text
        assert FAILURES[ErrorKind.UNEXPECTED][0] in alert.text


async def test_an_alert_slack_did_not_take_is_posted_at_the_next_failure(make_settings,
                                                                         slack_api):
    clock = ShiftedClock(datetime(2026, 11, 27, 10, 0, tzinfo=KST))
    runner = FakeRunner()
    runner.default = ErrorKind.LOGIN_FAILED
    core = build(make_settings, slack_api, clock, runner, alert_after_failures=1)
    # The running note, its re-post as the result, and the alert all bounce.
    slack_api.fail("chat.postMessage", "internal_error", times=3)
    await run_once(core)
    assert len(alert_posts(slack_api)) == 1
    assert (await stored_incident(core)).message_ts is None

    await run_once(core)
    assert len(alert_posts(slack_api)) == 2
    assert (await stored_incident(core)).message_ts


async def stored_incident(core: BotCore):
    incident = await alerts.open_incident(await open_database(
        core.settings.effective_database_url))
    assert incident is not None
    return incident


async def test_outside_text_in_an_alert_cannot_ping_or_leak(make_settings, slack_api,
                                                           monkeypatch):
    monkeypatch.setitem(FAILURES, ErrorKind.UNEXPECTED,
                        ("<!channel> 김서연 seoyeon.kim@example.com 010-1234-5678 에서 멈춤",
                         "KeyError"))
    clock = ShiftedClock(datetime(2026, 11, 27, 10, 0, tzinfo=KST))
    runner = FakeRunner()
    runner.default = ErrorKind.UNEXPECTED
    core = build(make_settings, slack_api, clock, runner, alert_after_failures=1)
    await run_once(core)
    [alert] = alert_posts(slack_api)
    assert "&lt;!channel&gt;" in alert.text and "<!channel>" not in alert.text
    assert "seoyeon.kim@example.com" not in alert.text and "010-1234-5678" not in alert.text


async def test_failure_failure_success_marks_the_alert_resolved_without_buttons(
        make_settings, slack_api):
    clock = ShiftedClock(datetime(2026, 11, 27, 9, 0, tzinfo=KST))
    runner = FakeRunner().then(ErrorKind.DOWNLOAD_FAILED, ErrorKind.DOWNLOAD_FAILED, None)
    core = build(make_settings, slack_api, clock, runner, alert_after_failures=2)
    await run_once(core)
    clock.jump(timedelta(minutes=30))
    await run_once(core)
    alert_ts = (await stored_incident(core)).message_ts
    clock.jump(timedelta(minutes=45, seconds=10))
    posts_before = len(channel_posts(slack_api, ""))
    await run_once(core)

    last = alert_updates(slack_api, alert_ts)[-1]
    blocks = last.body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"] == "✅ 해결됨"
    assert not [block for block in blocks if block["type"] == "actions"]
    assert "1시간 15분" in last.text and "2번" in last.text and "2026-11-27 10:15" in last.text
    assert len(thread_posts(slack_api, alert_ts, "복구되었습니다")) == 1
    # The only new top-level post is the run's own message.
    assert len(channel_posts(slack_api, "")) == posts_before + 1
    assert await alerts.open_incident(await open_database(
        core.settings.effective_database_url)) is None
