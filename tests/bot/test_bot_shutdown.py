"""Stopping the bot (SIGTERM in production) while a sync runs: no new requests are taken,
the run finishes and its message is updated before the bot exits."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.__main__ import serve
from tests.fixtures.slack import (
    SlackStandIn,
    StubRunner,
    free_port,
    send_signed,
    slack_settings,
    slash_body,
)


async def test_stop_lets_the_running_sync_report_first(make_settings,
                                                       slack_api: SlackStandIn) -> None:
    port = free_port()
    settings = make_settings(**slack_settings(slack_api), port=port, bot_host="127.0.0.1")
    runner = StubRunner(hold=True)
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings, stop, runner=runner))
    url = f"http://127.0.0.1:{port}/slack/events"
    for _ in range(200):  # until it listens
        try:
            if (await send_signed(url, slash_body("help"))
                    ).status == 200:
                break
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.02)
    await send_signed(url, slash_body(""))
    await slack_api.wait_for("chat.postMessage")

    stop.set()
    await asyncio.sleep(0.2)
    assert not bot.done(), "the bot quit while a sync was still running"
    with pytest.raises(aiohttp.ClientConnectionError):
        await send_signed(url, slash_body("help"))
    runner.release.set()
    await asyncio.wait_for(bot, 10)
    [update] = slack_api.of("chat.update")
    assert "동기화 완료" in update.text


async def test_stop_cancels_a_sync_that_outlasts_the_grace_period(
        make_settings, slack_api: SlackStandIn) -> None:
    settings = make_settings(**slack_settings(slack_api, bot_shutdown_grace_seconds=0.2),
                             port=free_port(), bot_host="127.0.0.1")
    runner = StubRunner(hold=True)
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings, stop, runner=runner))
    await asyncio.sleep(0)  # let it build the core
    while True:
        try:
            await send_signed(f"http://127.0.0.1:{settings.port}/slack/events",
                              slash_body(""))
            break
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.02)
    await slack_api.wait_for("chat.postMessage")
    stop.set()
    await asyncio.wait_for(bot, 5)  # does not wait for the held run forever
    assert runner.calls and not runner.release.is_set()
    [update] = slack_api.of("chat.update")  # not left saying "running…"
    assert "봇이 종료되어 동기화를 중단했습니다" in update.text
