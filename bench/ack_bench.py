"""Ack benchmark: how fast `/publ-sync` is answered while a sync is busy, and that a burst of
requests starts exactly one sync.

The bot runs in its own process, built as `publ-bot` builds it (schedule and alerts
included), in HTTP mode on loopback, against the local Slack Web API stand-in (the one the
tests use), with a stand-in sync that takes `--sync-seconds` (5 s).
This process then sends one warm-up request (`/publ-sync help`, which also makes Bolt's
first `auth.test`), and `--requests` (50) correctly signed `/publ-sync` requests at once.

Targets: every request answered with HTTP 200, p99 under 100 ms, exactly one sync started.
Usage: `python bench/ack_bench.py [--requests 50] [--sync-seconds 5]`. Exit 0 when the
targets are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

P99_TARGET_MS = 100.0


def bot_process(conn: Connection, sync_seconds: float, storage: str) -> None:
    """The bot's side: stand-in Web API, bot core with a slow stand-in sync, HTTP app."""
    asyncio.run(_serve_bot(conn, sync_seconds, storage))


async def _serve_bot(conn: Connection, sync_seconds: float, storage: str) -> None:
    from aiohttp import web
    from fixtures.slack import SlackStandIn, StubRunner, slack_settings

    from bot.__main__ import create_bot
    from sync.settings import Settings

    slack_api = await SlackStandIn().start()
    runner = StubRunner(hold=True)
    settings = Settings(_env_file=None, storage_dir=Path(storage),  # type: ignore[call-arg]
                        **slack_settings(slack_api))
    core, app = create_bot(settings, runner=runner)  # as publ-bot builds it
    web_runner = web.AppRunner(app.web_app(path="/slack/events"), access_log=None)
    await web_runner.setup()
    site = web.TCPSite(web_runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    await core.start()
    conn.send(port)

    async def finish_sync_later() -> None:
        # The stand-in sync "works" for `sync_seconds` once it has started.
        while not runner.calls:
            await asyncio.sleep(0.01)
        await asyncio.sleep(sync_seconds)
        runner.release.set()

    finishing = asyncio.create_task(finish_sync_later())
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop"
    await core.stop()
    finishing.cancel()
    conn.send({"syncs_started": len(runner.calls),
               "running_messages": len(slack_api.of("chat.postMessage")),
               "updates": len(slack_api.of("chat.update"))})
    await web_runner.cleanup()
    await slack_api.stop()


async def fire(url: str, count: int) -> tuple[list[float], list[int], list[str]]:
    """Warm up once, then `count` signed `/publ-sync` requests at the same moment."""
    import aiohttp
    from fixtures.slack import send_signed, slash_body

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        warm = await send_signed(url, slash_body("help"), session=session)
        assert warm.status == 200, warm
        bodies = [slash_body("", user_id=f"U0USER{i:04d}") for i in range(count)]
        answers = await asyncio.gather(*(send_signed(url, body, session=session)
                                         for body in bodies))
    return ([a.seconds * 1000 for a in answers], [a.status for a in answers],
            [a.message for a in answers])


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sync-seconds", type=float, default=5.0)
    args = parser.parse_args(argv)

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    with tempfile.TemporaryDirectory(prefix="ack-bench-") as storage:
        bot = context.Process(target=bot_process, args=(child, args.sync_seconds, storage))
        bot.start()
        port = parent.recv()
        url = f"http://127.0.0.1:{port}/slack/events"
        started = time.monotonic()
        latencies, statuses, messages = asyncio.run(fire(url, args.requests))
        burst_s = time.monotonic() - started
        # Let the one sync finish, so that its report is counted too.
        time.sleep(max(0.0, args.sync_seconds - burst_s) + 0.5)
        parent.send("stop")
        stats: dict[str, Any] = parent.recv()
        bot.join(30)

    answered = sum(1 for status in statuses if status == 200)
    starting = sum(1 for m in messages if "동기화를 시작합니다" in m)
    already = sum(1 for m in messages if "이미 동기화가 진행 중" in m)
    p99 = percentile(latencies, 0.99)
    print(f"requests: {args.requests} concurrent /publ-sync (after 1 warm-up), stand-in sync "
          f"{args.sync_seconds:.0f} s")
    print(f"answered 200: {answered}/{args.requests}  "
          f"(\"starting\": {starting}, \"already running\": {already})")
    print(f"ack latency ms: p50 {percentile(latencies, 0.50):.1f}  "
          f"p95 {percentile(latencies, 0.95):.1f}  p99 {p99:.1f}  max {max(latencies):.1f}  "
          f"mean {statistics.fmean(latencies):.1f}")
    print(f"syncs started: {stats['syncs_started']}  running messages posted: "
          f"{stats['running_messages']}  updated in place: {stats['updates']}")
    ok = (answered == args.requests and p99 < P99_TARGET_MS and stats["syncs_started"] == 1)
    print("targets met" if ok else "TARGETS MISSED (every request 200, p99 < 100 ms, one sync)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
