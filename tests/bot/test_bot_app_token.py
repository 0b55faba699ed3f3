"""`publ-bot` in Socket Mode with an app token Slack refuses, or with Slack out of reach: a
bounded number of attempts, one sentence in BOT_LANGUAGE, and an exit code systemd can act
on; SIGTERM ends it at any moment, also while it is still trying to connect."""

from __future__ import annotations

import time
from pathlib import Path

from tests.fixtures.slack import APP_TOKEN, BotProcess, SlackStandIn, bot_env, free_port


def socket_env(tmp_path: Path, slack_api: SlackStandIn, **extra: str) -> dict[str, str]:
    values = dict(SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="",
                  SLACK_CONNECT_ATTEMPTS="3", SLACK_CONNECT_RETRY_SECONDS="0.05",
                  LOG_LEVEL="INFO")
    return bot_env(tmp_path, slack_api, **{**values, **extra})


async def test_a_refused_app_token_ends_the_bot_with_exit_2(tmp_path: Path,
                                                            slack_api: SlackStandIn) -> None:
    slack_api.fail("apps.connections.open", "invalid_auth", times=100)
    bot = await BotProcess(socket_env(tmp_path, slack_api)).start(ready_marker=None)
    assert await bot.wait(timeout=40) == 2
    output = "\n".join(bot.lines)
    assert "SLACK_APP_TOKEN" in output and "invalid_auth" in output
    assert "Slack이 SLACK_APP_TOKEN을 거절했습니다" in output
    # A refusal is not retried: the same token gets the same answer.
    assert len(slack_api.of("apps.connections.open")) == 1
    assert "Traceback" not in output and "Retrying" not in output
    assert APP_TOKEN not in output and APP_TOKEN[-12:] not in output


async def test_slack_out_of_reach_gives_up_after_the_attempts_in_english(
        tmp_path: Path, slack_api: SlackStandIn) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    env = socket_env(tmp_path, slack_api, SLACK_API_URL=nowhere, BOT_LANGUAGE="en")
    bot = await BotProcess(env).start(ready_marker=None)
    assert await bot.wait(timeout=40) == 1  # not a settings error: systemd may restart it
    output = "\n".join(bot.lines)
    assert "could not reach Slack after 3 attempts" in output
    assert output.count("Slack connection attempt") == 2  # attempts 1 and 2 announce a retry
    assert "Traceback" not in output and "Retrying" not in output


async def test_sigterm_while_connecting_stops_the_bot(tmp_path: Path,
                                                      slack_api: SlackStandIn) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    env = socket_env(tmp_path, slack_api, SLACK_API_URL=nowhere, SLACK_CONNECT_ATTEMPTS="1000",
                     SLACK_CONNECT_RETRY_SECONDS="30")
    bot = await BotProcess(env).start(ready_marker="Slack 연결 시도 1/1000")
    started = time.monotonic()
    assert await bot.stop(timeout=15) == 0
    assert time.monotonic() - started < 10  # not the 30 s wait before the next attempt
    assert "Traceback" not in "\n".join(bot.lines)


async def test_a_working_app_token_starts_without_an_english_warning(
        tmp_path: Path, slack_api: SlackStandIn) -> None:
    bot = await BotProcess(socket_env(tmp_path, slack_api)).start(
        ready_marker="publ-bot이 Socket Mode로 시작했습니다")
    await slack_api.wait_for_socket()
    assert await bot.stop() == 0
    output = "\n".join(bot.lines)
    assert "WARNING bot.bolt" not in output, output
    assert "publ-bot을 멈춥니다" in output and "stopping:" not in output
    assert "Traceback" not in output
