"""`publ-bot` as the operator starts it: a separate process reading its settings from the
environment. Exit codes, graceful stop, and that no secret ever reaches a log line."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.slack import (
    BOT_TOKEN,
    PUBL_PASSWORD,
    SIGNING_SECRET,
    BotProcess,
    SlackStandIn,
    bot_env,
    send_signed,
    slash_body,
)


async def test_missing_tokens_exit_2_with_a_clear_sentence(tmp_path: Path,
                                                         slack_api: SlackStandIn) -> None:
    env = bot_env(tmp_path, slack_api, SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="")
    bot = await BotProcess(env).start(ready_marker=None)
    assert await bot.wait() == 2
    output = "\n".join(bot.lines)
    assert "SLACK_BOT_TOKEN" in output and "SLACK_SIGNING_SECRET" in output
    assert ".env" in output
    assert "Traceback" not in output


async def test_sigterm_stops_the_bot_cleanly(tmp_path: Path, slack_api: SlackStandIn) -> None:
    """(Started without SLACK_CHANNEL: it runs, and warns where reports will be missing.)"""
    env = bot_env(tmp_path, slack_api, SLACK_CHANNEL="")
    bot = await BotProcess(env).start()
    await bot.wait_for_line("SLACK_CHANNEL이 비어 있어")
    url = f"http://127.0.0.1:{env['PORT']}/slack/events"
    assert (await send_signed(url, slash_body("help"))).status == 200
    assert await bot.stop() == 0
    assert "Traceback" not in "\n".join(bot.lines)


async def test_no_secret_in_any_log_line(tmp_path: Path, slack_api: SlackStandIn) -> None:
    """At DEBUG, through a run that fails (its errors logged too): neither token, the signing
    secret nor the publ password appears. (Socket Mode: `test_bot_socket_mode`.)"""
    env = bot_env(tmp_path, slack_api)
    http_bot = await BotProcess(env).start()
    url = f"http://127.0.0.1:{env['PORT']}/slack/events"
    assert (await send_signed(url, slash_body(""))).status == 200
    assert (await send_signed(url, slash_body("status",
                                              response_url=slack_api.new_response_url()))
            ).status == 200
    await slack_api.wait_for("chat.update", timeout=30)  # the run ended (failed: no console)
    assert (await send_signed(url, slash_body(), secret="forged")).status == 401
    await http_bot.stop()

    logged = "\n".join(http_bot.lines)
    assert "DEBUG" in logged  # the check ran at the most talkative level
    # …through the Web API traffic (slack_sdk no longer logs its bodies even at DEBUG:
    # they hold response_urls; see test_debug_logging)
    assert slack_api.of("chat.update")
    for secret in (BOT_TOKEN, SIGNING_SECRET, PUBL_PASSWORD):
        assert secret not in logged
    # Parts of a token are secrets too (a log that cut it would still leak it).
    assert BOT_TOKEN[-12:] not in logged
