"""`/publ-sync` with the real pipeline behind the bot: the sandbox console in real Chromium,
the real importer, a real SQLite file (and PostgreSQL where the guard is concerned), Slack
through the bot's signed HTTP endpoint and the local Web API stand-in."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.render.alerts import RESET_RETRY_ACTION, RETRY_ACTION
from sync.db import open_database
from sync.models import Member, SyncLog
from tests.fixtures.slack import OPERATOR_ID, SlackStandIn, slack_settings


async def _count(settings, column) -> int:
    db = await open_database(settings.effective_database_url)
    async with db.read() as conn:
        return (await conn.execute(select(func.count(func.distinct(column))))).scalar_one()


async def test_publ_sync_runs_the_pipeline_and_updates_its_message_with_the_counts(
        start_bot, slack_api: SlackStandIn, sandbox_settings, sandbox) -> None:
    bot = await start_bot(settings=sandbox_settings(**slack_settings(slack_api)), full=True)
    answer = await bot.command("")
    assert answer.status == 200 and answer.seconds < 3
    assert "동기화를 시작합니다" in answer.message
    [running] = await slack_api.wait_for("chat.postMessage")
    assert "진행 중" in running.text
    [update] = await slack_api.wait_for("chat.update", timeout=60)
    assert update.body["ts"] == running.answer["ts"]
    text = update.text
    assert "동기화 완료" in text, text
    assert "*회원*\\n신규 40 · 변경 0 · 그대로 0 · 건너뜀 0" in text
    assert "*주문*\\n신규 25 · 변경 0 · 그대로 0 · 건너뜀 0" in text
    assert "*환불*\\n신규 5 · 변경 0 · 그대로 0 · 건너뜀 0" in text
    assert f"<@{OPERATOR_ID}>님이 /publ-sync로 실행" in text
    assert re.search(r"소요 \d+\.\d초", text)
    assert await _count(bot.core.settings, Member.member_code) == 40

    # The next run finds nothing new, and `status` shows it to anyone.
    sandbox.add_orders(2)
    await bot.command("")
    second = (await slack_api.wait_for("chat.update", count=2, timeout=60))[-1]
    assert "*주문*\\n신규 2 · 변경 0 · 그대로 25 · 건너뜀 0" in second.text
    assert "*회원*\\n신규 0 · 변경 0 · 그대로 40 · 건너뜀 0" in second.text
    await bot.command("status", user_id="U0ANYONE", response_url=slack_api.new_response_url())
    [status] = await slack_api.wait_for("response_url")
    assert "*주문* — 성공" in status.text and "신규 2 · 변경 0 · 그대로 25" in status.text
    assert "저장된 로그인 세션:" in status.text and "없음" not in status.text.split(
        "저장된 로그인 세션:")[1][:10]


async def test_second_publ_sync_during_the_first_starts_nothing(
        start_bot, slack_api: SlackStandIn, sandbox_settings, sandbox) -> None:
    sandbox.set(latency_ms=150)  # every page a little slow, so the first run is still going
    bot = await start_bot(settings=sandbox_settings(**slack_settings(slack_api)))
    await bot.command("")
    await slack_api.wait_for("chat.postMessage")
    second = await bot.command("", user_id="U0SECOND")
    assert second.status == 200
    assert "이미 동기화가 진행 중" in second.message
    assert f"<@{OPERATOR_ID}>" in second.message
    [update] = await slack_api.wait_for("chat.update", timeout=60)
    assert "동기화 완료" in update.text
    assert await _count(bot.core.settings, SyncLog.run_id) == 1
    assert sandbox.counters.logins == 1
    assert len(slack_api.of("chat.postMessage")) == 1


async def test_markup_and_personal_data_in_the_exports_never_reach_slack(
        start_bot, slack_api: SlackStandIn, sandbox_settings, sandbox) -> None:
    """Seeded pings, links and personal data, a row that must be skipped, and a failing run
    after it: nothing of it appears in any payload the bot sent, alerts included."""
    data = sandbox.data
    data.members[0]["Name"] = "<!channel>"
    data.members[1]["Username"] = "<https://evil.example|x>"
    data.orders[0]["Product name"] = "<!channel> 특가 <https://evil.example|x>"
    data.orders[1]["Price"] = "<!here>"  # unreadable price: the row is skipped
    data.refunds[0]["Username"] = "<@U0BOSS>"
    bot = await start_bot(settings=sandbox_settings(**slack_settings(
        slack_api, alert_after_failures=1), browser_timeout_ms=1200,
        session_check_timeout_ms=400), full=True)
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update", timeout=60)
    assert "건너뜀 1" in update.text  # the bad row was reported, by count and line only
    sandbox.set(button_missing=True)  # and a failure, with its error text and alert
    await bot.command("")
    await slack_api.wait_for("chat.update", count=2, timeout=60)
    # The alert (with its retry buttons) is posted by the after-run hook: wait for it.
    [alert] = await slack_api.wait_for(
        "chat.postMessage", lambda call: RETRY_ACTION in call.text, timeout=60)
    assert RESET_RETRY_ACTION in alert.text
    sent = slack_api.all_payload_text()
    assert "실패" in sent
    forbidden = ["<!channel>", "<!here>", "<https://evil.example|x>", "<@U0BOSS>"]
    for row in data.members:
        forbidden += [row["E-mail"], row["Name"], row["Username"]]
        forbidden += [v for v in (row["Mobile number"], row["Personal email address"]) if v]
    for row in data.orders:
        forbidden += [row["E-mail"], row["Name"]]
    for row in data.refunds:
        forbidden.append(row["Username"])
    leaked = sorted({value for value in forbidden if value and value in sent})
    assert leaked == []
