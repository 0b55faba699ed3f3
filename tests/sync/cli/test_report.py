"""`/publ-sync report [7d|30d]` and `publ-sync report --days N`: the business digest on
demand, only for the person who asked and only for those allowed to see revenue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from sync import runlog
from sync.cli import main
from sync.db import close_all, open_database
from sync.models import Order
from sync.report import SYNC_TYPES, TypeResult
from tests.fixtures.runs import FakeRunner
from tests.fixtures.slack import OPERATOR_ID, SlackStandIn

DAY = timedelta(days=1)


async def seed(url: str) -> None:
    """One order on each of the last ten days (at this time of day, so the 7 full days up
    to yesterday hold exactly seven), and a finished successful sync covering them."""
    db = await open_database(url)
    now = datetime.now(UTC)
    async with db.write() as conn:
        await conn.execute(insert(Order), [dict(
            order_number=f"R-{age}", product_name="정기 구독", price=10000 * age,
            buyer_name="홍길동", email="gildong@example.com", payment_type="Regular Payment",
            paid_at=now - age * DAY, created_at=now, updated_at=now) for age in range(1, 11)])
    await runlog.start_run(db, "run-ok", "cli", None, now)
    async with db.write() as conn:
        for sync_type in SYNC_TYPES:
            await runlog.finish_type(conn, "run-ok", TypeResult(sync_type, status="success"), now)


def ephemeral(slack_api: SlackStandIn) -> list:
    return [call for call in slack_api.of("response_url")
            if call.body.get("response_type") == "ephemeral"]


async def test_report_7d_is_an_ephemeral_digest_for_an_allowed_user(slack_api, start_bot,
                                                                   database_url):
    await seed(database_url)
    bot = await start_bot(runner=FakeRunner(), database_url=database_url,
                          slack_allowed_users=OPERATOR_ID)
    answer = await bot.command("report 7d", response_url=slack_api.new_response_url())
    assert answer.status == 200
    [reply] = await slack_api.wait_for("response_url")
    assert reply.body["response_type"] == "ephemeral"
    assert "실적 (7일)" in reply.text and "정기결제 7건" in reply.text
    assert "홍길동" not in slack_api.all_payload_text()
    assert "gildong" not in slack_api.all_payload_text()
    assert slack_api.of("chat.postMessage") == []  # nothing in the channel


async def test_report_is_refused_to_others_and_a_bad_window_gets_the_usage(slack_api,
                                                                          start_bot):
    bot = await start_bot(runner=FakeRunner(), slack_allowed_users=OPERATOR_ID)
    refused = await bot.command("report", user_id="U0GUEST")
    assert "REPORT_ALLOWED_USERS" in refused.message
    usage = await bot.command("report 2y")
    assert "report 30d" in usage.message
    assert ephemeral(slack_api) == []


async def test_report_allowed_users_overrides_the_run_allowlist(slack_api, start_bot):
    bot = await start_bot(runner=FakeRunner(), slack_allowed_users=OPERATOR_ID,
                          report_allowed_users="U0FINANCE")
    refused = await bot.command("report")
    assert "REPORT_ALLOWED_USERS" in refused.message
    await bot.command("report 30d", user_id="U0FINANCE",
                      response_url=slack_api.new_response_url())
    [reply] = await slack_api.wait_for("response_url")
    assert "(30일)" in reply.text


async def test_english_report(slack_api, start_bot, sqlite_url):
    await seed(sqlite_url)
    bot = await start_bot(runner=FakeRunner(), bot_language="en")
    await bot.command("report", response_url=slack_api.new_response_url())
    [reply] = await slack_api.wait_for("response_url")
    blocks = json.dumps(reply.body, ensure_ascii=False)
    assert "Business from" in reply.text and "(7 days)" in reply.text
    assert "subscriptions 7 for" in blocks


async def test_report_with_the_database_down_says_so_only_to_the_asker(slack_api, start_bot):
    bot = await start_bot(database_url="postgresql+asyncpg://publ@127.0.0.1:1/publ")
    answer = await bot.command("report 7d", response_url=slack_api.new_response_url())
    assert answer.status == 200
    [said] = await slack_api.wait_for("response_url")
    assert "매출 보고를 만들지 못했습니다" in said.text and "publ-sync doctor" in said.text
    assert said.body.get("response_type") == "ephemeral"


@pytest.mark.parametrize("days", ["7", "30"])
def test_cli_report_prints_the_digest(tmp_path: Path, sqlite_url: str, monkeypatch,
                                      capsys, days: str):
    import asyncio

    asyncio.run(_seed_and_close(sqlite_url))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    code = main(["report", "--days", days])
    out = capsys.readouterr().out
    assert code == 0
    assert f"({days}일)" in out and "새 주문:" in out and "*" not in out
    assert "홍길동" not in out
    assert main(["report", "--days", "0"]) == 2
    assert "1에서 366" in capsys.readouterr().out


async def _seed_and_close(url: str) -> None:
    await seed(url)
    await close_all()
