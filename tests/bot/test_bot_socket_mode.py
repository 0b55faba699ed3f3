"""Socket Mode for real: the bot opens the connection through `apps.connections.open`, takes
a slash command envelope over the WebSocket, acks it with its envelope_id, and runs."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.__main__ import serve
from tests.fixtures.slack import (
    APP_TOKEN,
    BOT_TOKEN,
    CHANNEL_ID,
    OPERATOR_ID,
    SlackStandIn,
    slack_settings,
)


def slash_envelope(envelope_id: str, text: str, response_url: str) -> dict:
    return {
        "envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True,
        "payload": {
            "token": "legacy", "team_id": "T0TESTTEAM", "team_domain": "publ-test",
            "channel_id": CHANNEL_ID, "channel_name": "publ-sync", "user_id": OPERATOR_ID,
            "user_name": "operator", "command": "/publ-sync", "text": text,
            "api_app_id": "A0PUBL", "response_url": response_url, "trigger_id": "1.2.3",
        },
    }


async def test_socket_mode_acks_the_envelope_and_runs_the_sync(
        sandbox_settings, slack_api: SlackStandIn, caplog: pytest.LogCaptureFixture) -> None:
    """The real pipeline behind it (sandbox console, Chromium, SQLite). Also: at DEBUG, with
    no masking filter installed, no library logs a token."""
    caplog.set_level(logging.DEBUG)
    settings = sandbox_settings(**slack_settings(slack_api, slack_app_token=APP_TOKEN,
                                                 slack_signing_secret=""))
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings, stop))
    try:
        await slack_api.wait_for_socket()
        [opened] = slack_api.of("apps.connections.open")
        assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
        await slack_api.send_envelope(slash_envelope("env-1", "", slack_api.new_response_url()))
        ack = await slack_api.wait_for_socket_message(lambda m: m.get("envelope_id") == "env-1")
        assert "동기화를 시작합니다" in ack["payload"]["text"]
        [update] = await slack_api.wait_for("chat.update", timeout=60)
        assert "동기화 완료" in update.text
        assert "*회원*\\n신규 40 · 변경 0 · 그대로 0 · 건너뜀 0" in update.text
        assert f"<@{OPERATOR_ID}>님이 /publ-sync로 실행" in update.text
    finally:
        stop.set()
        await asyncio.wait_for(bot, 10)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "apps.connections.open" in logged
    password = settings.publ_password.get_secret_value()
    for secret in (APP_TOKEN, BOT_TOKEN, APP_TOKEN[-12:], BOT_TOKEN[-12:], password):
        assert secret not in logged
