"""The alert's two buttons, pressed through the bot's HTTP endpoint with signed
`block_actions` requests."""

from __future__ import annotations

import pytest

from bot import alerts
from bot.core import BotCore, ReplyTarget
from sync.storage import Storage
from tests.fixtures.runs import CountingRunner, FakeRunner, wait_until
from tests.fixtures.slack import CHANNEL_ID, OPERATOR_ID, slack_settings

ALERT_TS = "1764230400.000042"


@pytest.mark.parametrize(("action_id", "resets"), [(alerts.RETRY_ACTION, False),
                                                   (alerts.RESET_RETRY_ACTION, True)])
async def test_each_button_runs_the_sync_and_reports_in_the_alert_thread(
        slack_api, start_bot, action_id: str, resets: bool):
    runner = FakeRunner()
    bot = await start_bot(runner=runner, slack_allowed_users=OPERATOR_ID)
    response = await bot.press(action_id, message_ts=ALERT_TS)
    assert response.status == 200
    await wait_until(lambda: runner.calls, what="the run the button started")
    [call] = runner.calls
    assert (call.trigger, call.requested_by, call.reset_session) == ("button", OPERATOR_ID,
                                                                     resets)
    [running] = await slack_api.wait_for("chat.postMessage",
                                         lambda c: c.body.get("thread_ts") == ALERT_TS)
    assert running.body["channel"] == CHANNEL_ID


@pytest.mark.parametrize("action_id", [alerts.RETRY_ACTION, alerts.RESET_RETRY_ACTION])
async def test_buttons_refuse_a_user_outside_the_allowlist(slack_api, start_bot,
                                                           action_id: str):
    runner = FakeRunner()
    bot = await start_bot(runner=runner, slack_allowed_users=OPERATOR_ID)
    response = await bot.press(action_id, user_id="U0STRANGER", message_ts=ALERT_TS)
    assert response.status == 200
    [refusal] = await slack_api.wait_for("chat.postEphemeral")
    assert refusal.body["user"] == "U0STRANGER"
    assert "권한이 없습니다" in refusal.text
    assert runner.calls == []
    assert not [call for call in slack_api.of("chat.postMessage")
                if call.body.get("thread_ts") == ALERT_TS]


async def test_reset_button_really_sets_the_session_aside_and_logs_in_afresh(
        sandbox, sandbox_settings, slack_api, start_bot):
    settings = sandbox_settings(**slack_settings(slack_api), browser_timeout_ms=2000)
    runner = CountingRunner()
    core = BotCore(settings, runner=runner)
    bot = await start_bot(core=core)
    first = await core.sync(trigger="slash", requested_by=OPERATOR_ID,
                            target=ReplyTarget(CHANNEL_ID))
    assert first is not None and first.succeeded
    storage = Storage(settings.storage_dir)
    saved_session = storage.session_file.read_bytes()
    logins_before = sandbox.counters.logins

    await bot.press(alerts.RESET_RETRY_ACTION, message_ts=ALERT_TS)
    await wait_until(lambda: runner.started == 2 and core.active is None, timeout=20,
                     what="the reset run")
    set_aside = [path for path in storage.trash.iterdir() if "reset" in path.name]
    assert len(set_aside) == 1
    assert set_aside[0].read_bytes() == saved_session
    assert sandbox.counters.logins == logins_before + 1  # a fresh login, not the old session
    assert storage.session_file.exists()


async def test_a_button_press_reports_in_the_thread_broadcast_to_the_channel_naming_the_presser(
        slack_api, start_bot):
    runner = FakeRunner()
    bot = await start_bot(runner=runner, slack_allowed_users=OPERATOR_ID)
    await bot.press(alerts.RETRY_ACTION, message_ts=ALERT_TS)
    [running] = await slack_api.wait_for("chat.postMessage",
                                         lambda c: c.body.get("thread_ts") == ALERT_TS)
    assert str(running.body.get("reply_broadcast")).lower() in ("1", "true")
    [result] = await slack_api.wait_for(
        "chat.update", lambda c: c.body.get("ts") == running.answer["ts"]
        and "publ 동기화 완료" in c.text)
    assert f"<@{OPERATOR_ID}>님이 버튼으로 실행" in result.text
    assert f"<@{OPERATOR_ID}>님이 버튼으로 실행" in running.text  # named from the first moment
