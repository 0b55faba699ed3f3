"""`/publ-sync` through the bot's real HTTP endpoint, with a stand-in sync behind it: what the
asker and the channel see, who may run, and what happens when Slack misbehaves."""

from __future__ import annotations

import asyncio
import logging

from sync import runlog
from sync.db import open_database
from sync.models import utcnow
from tests.fixtures.slack import CHANNEL_ID, OPERATOR_ID, SlackStandIn, StubRunner


async def test_run_acks_then_posts_running_and_updates_in_place(start_bot,
                                                              slack_api: SlackStandIn) -> None:
    runner = StubRunner(hold=True)
    bot = await start_bot(runner=runner)
    answer = await bot.command("")
    assert answer.status == 200
    assert answer.seconds < 3
    assert "동기화를 시작합니다" in answer.message
    [running] = await slack_api.wait_for("chat.postMessage")
    assert running.body["channel"] == CHANNEL_ID
    assert "진행 중" in running.text
    assert f"<@{OPERATOR_ID}>" in running.text
    assert slack_api.of("chat.update") == []
    runner.release.set()
    [update] = await slack_api.wait_for("chat.update")
    assert update.body["ts"] == running.answer["ts"]
    text = update.text
    assert "동기화 완료" in text
    assert "신규 5 · 변경 0 · 그대로 295 · 건너뜀 0" in text  # orders
    assert "신규 0 · 변경 1 · 그대로 64 · 건너뜀 0" in text  # refunds
    assert runner.calls == [dict(trigger="slash", requested_by=OPERATOR_ID, reset_session=False)]


async def test_second_run_while_one_runs_is_told_and_starts_nothing(
        start_bot, slack_api: SlackStandIn) -> None:
    runner = StubRunner(hold=True)
    bot = await start_bot(runner=runner)
    await bot.command("")
    await slack_api.wait_for("chat.postMessage")
    second = await bot.command("", user_id="U0SECOND")
    assert second.status == 200
    assert "이미 동기화가 진행 중" in second.message
    assert f"<@{OPERATOR_ID}>" in second.message  # who started the running one
    runner.release.set()
    await slack_api.wait_for("chat.update")
    assert len(runner.calls) == 1
    assert len(slack_api.of("chat.postMessage")) == 1


async def test_run_going_in_a_terminal_is_named_in_the_answer_and_nothing_starts(
        start_bot, slack_api: SlackStandIn) -> None:
    # `publ-sync run` in a terminal holds the database guard; the bot learns of it only
    # from the database, and says so in its first answer instead of "starting".
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    settings = bot.core.settings
    db = await open_database(settings.effective_database_url)
    await runlog.acquire_guard(db, "cli-run", "cli", None, utcnow(),
                               settings.heartbeat_stale_seconds)
    answer = await bot.command("")
    assert answer.status == 200 and answer.seconds < 3
    assert "이미 동기화가 진행 중" in answer.message and "명령줄" in answer.message
    assert "시작합니다" not in answer.message
    await asyncio.sleep(0.1)  # give a wrongly started run the chance to show up
    assert runner.calls == [] and slack_api.of("chat.postMessage") == []

    await runlog.release_guard(db, "cli-run")  # the terminal's run ended
    answer = await bot.command("")
    assert "동기화를 시작합니다" in answer.message
    await slack_api.wait_for("chat.update")
    assert len(runner.calls) == 1


async def test_user_outside_allowlist_is_refused_and_nothing_starts(
        start_bot, slack_api: SlackStandIn) -> None:
    runner = StubRunner()
    bot = await start_bot(runner=runner, slack_allowed_users="U0BOSS,U0OTHER")
    for word in ("", "reset-session"):
        answer = await bot.command(word, user_id="U0STRANGER")
        assert answer.status == 200
        assert "허락된 사용자만" in answer.message
    await asyncio.sleep(0.1)  # give a wrongly started run the chance to show up
    assert runner.calls == []
    assert slack_api.of("chat.postMessage") == []
    # help stays open to everyone
    assert "/publ-sync status" in (await bot.command("help", user_id="U0STRANGER")).message
    # and the allowlisted user can run
    await bot.command("", user_id="U0BOSS")
    await slack_api.wait_for("chat.update")
    assert [call["requested_by"] for call in runner.calls] == ["U0BOSS"]


async def test_english_when_bot_language_is_en(start_bot, slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner(), bot_language="en")
    answer = await bot.command("")
    assert "Starting the sync" in answer.message
    [update] = await slack_api.wait_for("chat.update")
    assert "publ sync finished" in update.text
    assert "new 5 · updated 0 · unchanged 295 · skipped 0" in update.text
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in update.text), "Korean left in English"
    help_text = (await bot.command("help")).message
    assert "how to use" in help_text


async def test_unknown_word_gets_help_not_a_crash(start_bot) -> None:
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    answer = await bot.command("sync-everything <!channel>")
    assert answer.status == 200
    assert "모르는 명령" in answer.message
    assert "/publ-sync status" in answer.message
    assert "<!channel>" not in answer.message
    assert runner.calls == []


async def test_failed_run_says_what_happened_and_what_to_do(start_bot,
                                                           slack_api: SlackStandIn) -> None:
    runner = StubRunner(error=("login_failed", "publ 로그인에 실패했습니다."))
    bot = await start_bot(runner=runner)
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update")
    assert "동기화 실패" in update.text
    assert "publ 로그인에 실패했습니다." in update.text
    assert "PUBL_PASSWORD" in update.text  # what to do


async def test_outside_text_is_escaped_and_personal_data_masked(
        start_bot, slack_api: SlackStandIn) -> None:
    message = ("<!channel> <https://evil.example|x> 상품 '<@U0BOSS>' "
               "kim.minji@example.com 010-1234-5678")
    bot = await start_bot(runner=StubRunner(error=("file_invalid", message)))
    await bot.command("")
    await slack_api.wait_for("chat.update")
    sent = slack_api.all_payload_text()
    assert "&lt;!channel&gt;" in sent  # shown, as text
    for forbidden in ("<!channel>", "<https://evil.example|x>", "<@U0BOSS>",
                      "kim.minji@example.com", "010-1234-5678"):
        assert forbidden not in sent


async def test_rate_limited_once_the_message_still_arrives(start_bot,
                                                           slack_api: SlackStandIn) -> None:
    slack_api.fail("chat.postMessage", "ratelimited", status=429, retry_after=0)
    slack_api.fail("chat.update", "ratelimited", status=429, retry_after=0)
    bot = await start_bot(runner=StubRunner())
    await bot.command("")
    updates = await slack_api.wait_for("chat.update", count=2)
    assert len(slack_api.of("chat.postMessage")) == 2  # refused once, then delivered
    assert "동기화 완료" in updates[-1].text


async def test_channel_the_bot_cannot_post_in_gets_the_answer_by_response_url(
        start_bot, slack_api: SlackStandIn) -> None:
    slack_api.fail("chat.postMessage", "not_in_channel")
    bot = await start_bot(runner=StubRunner())
    url = slack_api.new_response_url()
    await bot.command("", channel_id="D0DIRECTMSG", response_url=url)
    running, final = await slack_api.wait_for("response_url", count=2)
    assert url.endswith(running.path) and url.endswith(final.path)
    assert running.body["response_type"] == "in_channel"
    assert "진행 중" in running.text
    assert final.body["replace_original"] is True
    assert "동기화 완료" in final.text
    assert slack_api.of("chat.update") == []


async def test_after_run_hook_error_is_logged_and_the_run_still_reports(
        start_bot, slack_api: SlackStandIn, caplog) -> None:
    seen = []

    async def broken(report) -> None:
        raise RuntimeError("hook exploded")

    async def working(report) -> None:
        seen.append(report.run_id)

    bot = await start_bot(runner=StubRunner())
    bot.core.after_run.extend([broken, working])
    with caplog.at_level(logging.ERROR, logger="bot.core"):
        await bot.command("")
        await slack_api.wait_for("chat.update")
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
    assert seen == ["stub-1"]
    # The logged traceback is the hook's own, on the line that names the hook and the run.
    [logged] = [r for r in caplog.records if r.name == "bot.core" and r.exc_info]
    assert "broken" in logged.getMessage() and "stub-1" in logged.getMessage()
    assert logged.exc_info is not None
    error = logged.exc_info[1]
    assert isinstance(error, RuntimeError) and str(error) == "hook exploded"


async def test_dropped_connection_once_the_message_still_arrives(
        start_bot, slack_api: SlackStandIn) -> None:
    slack_api.fail("chat.update", drop=True)
    bot = await start_bot(runner=StubRunner())
    await bot.command("")
    updates = await slack_api.wait_for("chat.update", count=2)
    assert "동기화 완료" in updates[-1].text


async def test_a_very_long_error_still_fits_slack_limits(start_bot,
                                                         slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner(error=("unexpected", "오류 " * 5000)))
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update")
    for block in update.body["blocks"]:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
    assert "무슨 일이 있었나요" in update.text and "…" in update.text


async def test_korean_words_work_as_subcommands(start_bot, slack_api: SlackStandIn) -> None:
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    assert "/publ-sync status" in (await bot.command("도움말")).message
    await bot.command("상태", response_url=slack_api.new_response_url())
    [status] = await slack_api.wait_for("response_url")
    assert "publ 동기화 상태" in status.text
    assert runner.calls == []


async def test_a_crashed_run_is_over_before_its_message_is_shown(start_bot,
                                                                 slack_api: SlackStandIn) -> None:
    """While the channel is being told that a run crashed, that run is no longer going: a
    /publ-sync (or the message's Retry button) sent as soon as it shows starts a new run
    instead of "already running". The crash message is held (Slack hangs on chat.update) so
    that the second command surely arrives while it is being shown."""
    calls: list[str] = []

    async def crashing(settings, **kwargs):
        calls.append(kwargs["trigger"])
        if len(calls) == 1:
            await kwargs["on_started"]("run-that-crashes")
            slack_api.hang("chat.update")
            raise RuntimeError("the runner could not record this failure")
        return await StubRunner()(settings, **kwargs)

    bot = await start_bot(runner=crashing)
    await bot.command("")
    await slack_api.wait_for("chat.update")  # the crash message, on its way (held)
    second = await bot.command("", user_id="U0SECOND")
    slack_api.release_hangs()
    assert "이미 동기화가 진행 중" not in second.message
    assert "동기화를 시작합니다" in second.message
