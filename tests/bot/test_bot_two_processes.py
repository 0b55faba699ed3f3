"""Two `publ-bot` processes on one database, each sent `/publ-sync` at the same moment: one
sync runs (real pipeline, sandbox console, real Chromium); the other asker is told who
started it and when. SQLite file and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from sync.db import open_database
from sync.models import Member, SyncLog
from tests.conftest import chromium_path
from tests.fixtures.slack import BotProcess, SlackStandIn, bot_env, send_signed, slash_body


async def test_two_bots_triggered_at_once_run_one_sync(
        tmp_path: Path, slack_api: SlackStandIn, sandbox, database_url: str) -> None:
    sandbox.set(latency_ms=100)  # keep the run going while the second request lands
    common = dict(
        DATABASE_URL=database_url, PUBL_CONSOLE_URL=sandbox.url, PUBL_EMAIL=sandbox.email,
        PUBL_PASSWORD=sandbox.password, PUBL_CHANNEL_ID=sandbox.channel_id,
        CHROMIUM_PATH=chromium_path(), BROWSER_TIMEOUT_MS="5000", LOG_LEVEL="INFO",
        HEARTBEAT_SECONDS="0.2",
    )
    first_env = bot_env(tmp_path, slack_api, **common)
    second_env = bot_env(tmp_path, slack_api, **common)  # same storage, same database
    assert first_env["PORT"] != second_env["PORT"]
    bots = await asyncio.gather(BotProcess(first_env).start(), BotProcess(second_env).start())
    try:
        urls = [f"http://127.0.0.1:{env['PORT']}/slack/events" for env in (first_env,
                                                                            second_env)]
        replies = [slack_api.new_response_url(), slack_api.new_response_url()]
        answers = await asyncio.gather(*(
            send_signed(url, slash_body("", user_id=user, response_url=reply))
            for url, user, reply in zip(urls, ("U0FIRST", "U0SECOND"), replies, strict=True)))
        assert [a.status for a in answers] == [200, 200]
        assert all(a.seconds < 3 for a in answers)

        # The loser hears that a run is going: in its first answer when the winner's
        # guard was already in the database, else in a private note right after.
        told = [a.message for a in answers if "이미 동기화가 진행 중" in a.message]
        if not told:
            [note] = await slack_api.wait_for("response_url", timeout=30)
            assert note.body["response_type"] == "ephemeral"
            told = [note.text]
        assert len(told) == 1 and "이미 동기화가 진행 중" in told[0]
        [update] = await slack_api.wait_for("chat.update", timeout=60)
        assert "동기화 완료" in update.text
        # The note names whoever's run is going; that run is the one that reported.
        winner = "U0FIRST" if "U0FIRST" in update.text else "U0SECOND"
        assert f"<@{winner}>" in told[0]
        assert len(slack_api.of("chat.postMessage")) == 1
    finally:
        codes = await asyncio.gather(*(bot.stop() for bot in bots))
    assert codes == [0, 0]

    db = await open_database(database_url)
    async with db.read() as conn:
        runs = (await conn.execute(select(func.count(func.distinct(SyncLog.run_id))))
                ).scalar_one()
        members = (await conn.execute(select(func.count(Member.id)))).scalar_one()
    assert runs == 1
    assert members == 40
    assert sandbox.counters.logins == 1
