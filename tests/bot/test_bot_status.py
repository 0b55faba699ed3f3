"""`/publ-sync status` and `reset-session`, against a real database and storage folder."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.report import SyncType
from sync.runner import run_sync
from sync.sandbox import fake_exports
from tests.fixtures.slack import SlackStandIn


async def _import_real_files(settings, tmp_path: Path) -> None:
    """One real run of the engine (files instead of a download), as `publ-sync import` does."""
    gen = fake_exports.Generator(member_count=12)
    folder = tmp_path / "exports"
    folder.mkdir()
    files = {
        SyncType.MEMBERS: fake_exports.write(folder / "members.csv", MEMBERS, gen.members()),
        SyncType.ORDERS: fake_exports.write(folder / "orders.csv", ORDERS, gen.orders(7)),
        SyncType.REFUNDS: fake_exports.write(folder / "refunds.csv", REFUNDS, gen.refunds(2, 7)),
    }
    report = await run_sync(settings, trigger="cli", files=files)
    assert report.succeeded, report


async def test_status_shows_the_last_sync_to_anyone(start_bot, slack_api: SlackStandIn,
                                                    tmp_path: Path) -> None:
    bot = await start_bot(slack_allowed_users="U0BOSS", sync_schedule="30 9 * * 1")
    await _import_real_files(bot.core.settings, tmp_path)
    url = slack_api.new_response_url()
    answer = await bot.command("status", user_id="U0STRANGER", response_url=url)
    assert answer.status == 200
    [status] = await slack_api.wait_for("response_url")
    text = status.text
    assert status.body["response_type"] == "ephemeral"
    assert "*회원* — 성공" in text and "신규 12 · 변경 0 · 그대로 0 · 건너뜀 0" in text
    assert "*주문* — 성공" in text and "신규 7 ·" in text
    assert "*환불* — 성공" in text and "신규 2 ·" in text
    assert "연속 실패: 없음" in text
    assert "저장된 로그인 세션: 없음" in text
    # "30 9 * * 1" is Monday 09:30 in Seoul (cron counts Sunday as 0)
    assert "다음 예약 동기화:" in text and " 09:30" in text
    next_line = next(line for line in text.split("\\n") if "다음 예약 동기화" in line)
    day = next_line.split("다음 예약 동기화: ")[1][:10]
    assert datetime.strptime(day, "%Y-%m-%d").weekday() == 0  # a Monday
    # nothing about members themselves
    assert "@example.com" not in slack_api.all_payload_text()


async def test_status_before_any_sync_says_never(start_bot, slack_api: SlackStandIn) -> None:
    bot = await start_bot(bot_language="en")
    await bot.command("status", response_url=slack_api.new_response_url())
    [status] = await slack_api.wait_for("response_url")
    assert "*Members* — never synced" in status.text
    assert "Failure streak: none" in status.text


async def test_reset_session_sets_the_saved_session_aside(start_bot, slack_api: SlackStandIn
                                                          ) -> None:
    bot = await start_bot()
    storage = Path(bot.core.settings.storage_dir)
    session = storage / "sessions" / ".session.json"
    session.parent.mkdir(parents=True, exist_ok=True)
    session.write_text('{"cookies": []}')
    two_days_ago = time.time() - 2 * 86400 - 3600
    os.utime(session, (two_days_ago, two_days_ago))

    await bot.command("status", response_url=slack_api.new_response_url())
    [status] = await slack_api.wait_for("response_url")
    assert "저장된 로그인 세션: 2일 1시간 전에 저장" in status.text

    answer = await bot.command("reset-session")
    assert "휴지통(trash 폴더)으로 옮겼습니다" in answer.message
    assert not session.exists()
    trashed = list((storage / "trash").iterdir())
    assert len(trashed) == 1 and trashed[0].read_text() == '{"cookies": []}'
    assert oct(trashed[0].stat().st_mode & 0o777) == "0o600"
    again = await bot.command("reset-session")
    assert "저장된 로그인 세션이 없습니다" in again.message


async def test_status_names_a_run_in_progress(start_bot, slack_api: SlackStandIn) -> None:
    """A run held by another process (the guard row) shows who started it."""
    from sync import runlog
    from sync.db import open_database

    bot = await start_bot()
    db = await open_database(bot.core.settings.effective_database_url)
    await runlog.acquire_guard(db, "run-elsewhere", "slash", "U0COLLEAGUE",
                               datetime.now(UTC), 60)
    await bot.command("status", response_url=slack_api.new_response_url())
    [status] = await slack_api.wait_for("response_url")
    assert "지금 진행 중: <@U0COLLEAGUE>님이 /publ-sync로 실행" in status.text


async def test_status_with_the_database_down_says_so(start_bot, slack_api: SlackStandIn
                                                     ) -> None:
    bot = await start_bot(database_url="postgresql+asyncpg://publ@127.0.0.1:1/publ")
    answer = await bot.command("status", response_url=slack_api.new_response_url())
    assert answer.status == 200
    [status] = await slack_api.wait_for("response_url")
    assert "상태를 읽지 못했습니다" in status.text and "publ-sync doctor" in status.text


async def test_reset_session_waits_for_a_running_sync(start_bot, slack_api: SlackStandIn
                                                      ) -> None:
    from tests.fixtures.slack import StubRunner

    runner = StubRunner(hold=True)
    bot = await start_bot(runner=runner)
    session = Path(bot.core.settings.storage_dir) / "sessions" / ".session.json"
    session.parent.mkdir(parents=True, exist_ok=True)
    session.write_text("{}")
    await bot.command("")
    await slack_api.wait_for("chat.postMessage")
    answer = await bot.command("reset-session")
    assert "지금은 세션을 휴지통으로 옮길 수 없습니다" in answer.message
    assert session.exists()
    runner.release.set()
    await slack_api.wait_for("chat.update")
    assert "휴지통(trash 폴더)으로 옮겼습니다" in (await bot.command("reset-session")).message
    assert not session.exists()
