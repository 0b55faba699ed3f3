"""GET /healthz: 200 `ok` normally; 503 with one word — `database` when publ.db is replaced
by a file that is not a database or PostgreSQL refuses connections, `scheduler` when the
scheduler is shut down, `loop` when the event loop stalls — and on PORT in HTTP mode the
Slack requests still reach the bot."""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp

from bot.health import HealthServer, LoopTicker
from tests.fixtures.slack import (
    BotProcess,
    SlackStandIn,
    bot_env,
    free_port,
    send_signed,
    slash_body,
)


def probe(port: int) -> tuple[int, str]:
    """GET /healthz from a plain thread-safe client (works while the loop is blocked)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def aprobe(port: int) -> tuple[int, str]:
    return await asyncio.to_thread(probe, port)


async def serving(bot, stale: float = 5.0) -> tuple[HealthServer, asyncio.Task]:
    ticker = LoopTicker(stale)
    task = asyncio.create_task(ticker.run())
    return HealthServer(bot.core, ticker, "127.0.0.1", 0).start(), task


async def test_healthz_ok_then_scheduler_when_it_is_shut_down(start_bot, database_url) -> None:
    bot = await start_bot(full=True, database_url=database_url)
    server, ticking = await serving(bot)
    try:
        assert await aprobe(server.port) == (200, "ok")
        bot.core.scheduler.shutdown(wait=False)
        # AsyncIOScheduler applies a shutdown on the loop's next turn (APScheduler 3's
        # `run_in_event_loop`): the probe, answered from another thread, must come after it.
        while bot.core.scheduler.running:
            await asyncio.sleep(0.01)
        assert await aprobe(server.port) == (503, "scheduler")
    finally:
        server.stop()
        ticking.cancel()


async def test_healthz_database_when_postgresql_refuses_connections(start_bot) -> None:
    refused = f"postgresql+asyncpg://publ@127.0.0.1:{free_port()}/publ"
    bot = await start_bot(full=True)
    server, ticking = await serving(bot)
    try:
        assert await aprobe(server.port) == (200, "ok")
        bot.core.settings.__dict__["effective_database_url"] = refused  # the server went away
        status, body = await aprobe(server.port)
        assert (status, body) == (503, "database")
    finally:
        server.stop()
        ticking.cancel()


async def test_healthz_loop_when_the_event_loop_stalls(start_bot) -> None:
    bot = await start_bot(full=True)
    server, ticking = await serving(bot, stale=0.3)
    answers: list[tuple[int, str]] = []
    try:
        assert await aprobe(server.port) == (200, "ok")
        asker = threading.Thread(target=lambda: (time.sleep(0.6),
                                                 answers.append(probe(server.port))))
        asker.start()
        time.sleep(1.5)  # the test stalls the loop on purpose (a blocking call in a listener)
        asker.join(timeout=5)
        assert answers == [(503, "loop")]
        await asyncio.sleep(0.2)
        assert await aprobe(server.port) == (200, "ok")  # and recovers with the loop
    finally:
        server.stop()
        ticking.cancel()


async def test_healthz_on_port_in_http_mode_beside_slack_and_a_broken_database_file(
        tmp_path: Path, slack_api: SlackStandIn) -> None:
    env = bot_env(tmp_path, slack_api)
    bot = await BotProcess(env).start()
    try:
        port = int(env["PORT"])
        assert await aprobe(port) == (200, "ok")
        # Slack's requests on the same port still reach the bot.
        answer = await send_signed(f"http://127.0.0.1:{port}/slack/events",
                                   slash_body("help", response_url=slack_api.new_response_url()))
        assert answer.status == 200
        async with aiohttp.ClientSession() as session, session.get(
                f"http://127.0.0.1:{port}/other") as other:
            assert other.status == 404  # aiohttp's own answer: handed over, not the probe's
        # publ.db replaced by a file that is not a database
        db = tmp_path / "storage" / "publ.db"
        broken = tmp_path / "storage" / "broken"
        broken.write_bytes(b"this is not a database\n" * 200)
        broken.replace(db)
        assert await aprobe(port) == (503, "database")
    finally:
        await bot.stop()


async def test_healthz_on_health_port_in_socket_mode(tmp_path: Path,
                                                     slack_api: SlackStandIn) -> None:
    from tests.fixtures.slack import APP_TOKEN

    health_port = free_port()
    env = bot_env(tmp_path, slack_api, SLACK_APP_TOKEN=APP_TOKEN, HEALTH_PORT=str(health_port))
    bot = await BotProcess(env).start(None)
    await bot.wait_for_line("publ-bot 준비 완료", timeout=60)
    try:
        assert await aprobe(health_port) == (200, "ok")
    finally:
        await bot.stop()
