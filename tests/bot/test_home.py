"""The bot's Home tab: `app_home_opened` (a signed HTTP event and a Socket Mode envelope) →
`views.publish` for that user with the status; the run buttons only for allowed users; a run
from Home reported in SLACK_CHANNEL, and Home redrawn when it ends."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from datetime import timedelta

from bot.__main__ import serve
from bot.render.home import HOME_RESET_RUN_ACTION, HOME_RUN_ACTION
from sync.models import utcnow
from tests.fixtures.runs import FakeRunner, wait_until
from tests.fixtures.slack import (
    APP_TOKEN,
    CHANNEL_ID,
    OPERATOR_ID,
    TEAM_ID,
    SlackStandIn,
    send_signed,
    slack_settings,
)

GUEST_ID = "U0GUEST01"


def home_event(user_id: str, tab: str = "home") -> dict:
    return {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0PUBL",
            "type": "event_callback", "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user_id, "channel": "D0HOME",
                      "tab": tab, "event_ts": f"{time.time():.6f}"}}


def home_press(action_id: str, user_id: str) -> str:
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "publ-test"},
        "user": {"id": user_id, "username": "operator", "team_id": TEAM_ID},
        "api_app_id": "A0PUBL", "token": "legacy", "trigger_id": "1.2.3",
        "container": {"type": "view", "view_id": "V0HOME"},
        "view": {"id": "V0HOME", "type": "home"},
        "actions": [{"action_id": action_id, "block_id": "publ_home_run", "type": "button",
                     "value": "run", "action_ts": str(time.time())}],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def published_for(slack_api: SlackStandIn, user_id: str) -> list:
    return [call for call in slack_api.of("views.publish") if call.body.get("user_id") == user_id]


def view_of(call) -> dict:
    view = call.body["view"]
    return json.loads(view) if isinstance(view, str) else view


def run_buttons(view: dict) -> list[str]:
    return [element["action_id"] for block in view["blocks"] if block["type"] == "actions"
            for element in block["elements"]]


async def test_opening_home_publishes_the_status_with_run_buttons_for_an_allowed_user(
        slack_api, start_bot):
    runner = FakeRunner()
    bot = await start_bot(runner=runner, slack_allowed_users=OPERATOR_ID)
    await bot.core.sync(trigger="slash", requested_by=OPERATOR_ID, target=None)
    response = await send_signed(bot.url, json.dumps(home_event(OPERATOR_ID)))
    assert response.status == 200
    [call] = await slack_api.wait_for("views.publish")
    assert call.body["user_id"] == OPERATOR_ID
    view = view_of(call)
    assert view["type"] == "home"
    text = call.text
    assert "publ 동기화 상태" in text and "연속 실패: 없음" in text
    assert "열린 장애 없음" in text and "최근 동기화 1번" in text
    assert "다음 예약 동기화" in text and "저장된 로그인 세션: 없음" in text
    assert "전달 대기" not in text  # no outbox on this bot: no such line
    assert run_buttons(view) == [HOME_RUN_ACTION, HOME_RESET_RUN_ACTION]
    assert "지금 동기화" in text and "세션 초기화 후 동기화" in text


async def test_a_user_outside_the_allowlist_sees_no_run_buttons(slack_api, start_bot):
    bot = await start_bot(runner=FakeRunner(), slack_allowed_users=OPERATOR_ID)
    await send_signed(bot.url, json.dumps(home_event(GUEST_ID)))
    [call] = await slack_api.wait_for("views.publish")
    assert call.body["user_id"] == GUEST_ID
    assert run_buttons(view_of(call)) == []
    assert "publ 동기화 상태" in call.text
    # And a press anyway (an old view) starts nothing.
    await send_signed(bot.url, home_press(HOME_RUN_ACTION, GUEST_ID))
    [refusal] = await slack_api.wait_for("chat.postEphemeral")
    assert refusal.body["user"] == GUEST_ID
    assert bot.core.runner.calls == []


async def test_the_messages_tab_does_not_publish_home(slack_api, start_bot):
    bot = await start_bot(runner=FakeRunner())
    await send_signed(bot.url, json.dumps(home_event(OPERATOR_ID, tab="messages")))
    await send_signed(bot.url, json.dumps(home_event(GUEST_ID)))
    await slack_api.wait_for("views.publish")
    assert published_for(slack_api, OPERATOR_ID) == []


async def test_a_run_from_home_reports_in_the_channel_and_redraws_home(slack_api, start_bot):
    runner = FakeRunner()
    bot = await start_bot(runner=runner, slack_allowed_users=OPERATOR_ID)
    await send_signed(bot.url, json.dumps(home_event(OPERATOR_ID)))
    await slack_api.wait_for("views.publish")
    response = await send_signed(bot.url, home_press(HOME_RESET_RUN_ACTION, OPERATOR_ID))
    assert response.status == 200
    await wait_until(lambda: runner.calls, what="the run started from Home")
    [call] = runner.calls
    assert (call.trigger, call.requested_by, call.reset_session) == ("button", OPERATOR_ID,
                                                                     True)
    [running] = await slack_api.wait_for("chat.postMessage")
    assert running.body["channel"] == CHANNEL_ID and not running.body.get("thread_ts")
    await slack_api.wait_for("chat.update", lambda c: "publ 동기화 완료" in c.text)
    [_, redrawn] = await slack_api.wait_for(
        "views.publish", lambda c: c.body.get("user_id") == OPERATOR_ID, count=2)
    assert "최근 동기화 1번" in redrawn.text and "✅" in redrawn.text


async def test_home_is_redrawn_only_for_recent_visitors(slack_api, start_bot):
    bot = await start_bot(runner=FakeRunner(), home_refresh_hours=1)
    await send_signed(bot.url, json.dumps(home_event(OPERATOR_ID)))
    await slack_api.wait_for("views.publish")
    bot.core.clock = lambda: utcnow() + timedelta(hours=2)  # the visit is 2 h old now
    await bot.core.sync(trigger="slash", requested_by=OPERATOR_ID, target=None)
    await asyncio.sleep(0.2)
    assert len(published_for(slack_api, OPERATOR_ID)) == 1


async def test_socket_mode_home_envelope_publishes_the_view(make_settings,
                                                            slack_api: SlackStandIn):
    settings = make_settings(**slack_settings(slack_api, slack_app_token=APP_TOKEN,
                                              slack_signing_secret=""))
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings, stop, runner=FakeRunner()))
    try:
        await slack_api.wait_for_socket()
        await slack_api.send_envelope({"envelope_id": "env-home", "type": "events_api",
                                       "accepts_response_payload": False,
                                       "payload": home_event(OPERATOR_ID)})
        await slack_api.wait_for_socket_message(lambda m: m.get("envelope_id") == "env-home")
        [call] = await slack_api.wait_for("views.publish")
        assert call.body["user_id"] == OPERATOR_ID
        assert "publ 동기화 상태" in call.text
    finally:
        stop.set()
        await asyncio.wait_for(bot, 10)
