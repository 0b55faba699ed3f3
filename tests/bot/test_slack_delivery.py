"""Delivery that loses nothing, under the strict Slack stand-in: 5xx retried, a failed update
posted anew (the running message never left at "⏳"), a hanging Slack that neither stops a
sync nor its alert, Slack unreachable for a whole sync (and a restart in between), and a
slash command acknowledged in time while `auth.test` hangs."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from sync.db import open_database
from sync.errors import ErrorKind
from tests.fixtures.runs import FakeRunner
from tests.fixtures.slack import CHANNEL_ID, OPERATOR_ID, SlackStandIn, StubRunner, slack_settings

RUNNING = "⏳"


async def waiting_count(db: Any) -> int:
    from sync import outbox

    return await outbox.waiting_count(db)


FAST = dict(outbox_retry_seconds=0.05, outbox_retry_max_seconds=0.2)


def _results(slack_api: SlackStandIn) -> list[Any]:
    """The messages in the channel that show a finished run's counts."""
    return [m for m in slack_api.visible_messages() if "신규 5" in m.text or "신규 5" in str(
        m.blocks)]


async def test_update_answering_500_on_every_try_posts_the_result_and_retires_the_running_one(
        start_bot, slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner())
    slack_api.fail("chat.update", status=500, times=1000)

    await bot.core.sync(trigger="schedule", requested_by=None, target=None)

    [running] = [c for c in slack_api.of("chat.postMessage") if RUNNING in c.text]
    old = slack_api.message(running.answer["ts"])
    assert old.deleted or RUNNING not in str(old.blocks)  # its last state is never "running"
    shown = slack_api.visible_messages()
    assert len(shown) == 1 and "동기화 완료" in shown[0].text
    assert "신규 5" in str(shown[0].blocks)
    assert len(slack_api.of("chat.update")) >= 3  # retried: 1 + SLACK_MAX_RETRIES


async def test_update_refused_message_not_found_posts_the_result_anew(
        start_bot, slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner())
    slack_api.fail("chat.update", "message_not_found", times=1)

    await bot.core.sync(trigger="schedule", requested_by=None, target=None)

    [running] = [c for c in slack_api.of("chat.postMessage") if RUNNING in c.text]
    old = slack_api.message(running.answer["ts"])
    assert "아래 새 메시지" in old.text  # the pointer line
    assert len(_results(slack_api)) == 1


async def test_502_and_504_are_retried_like_500_and_503(start_bot,
                                                        slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner())
    slack_api.fail("chat.update", status=502, times=1)
    await bot.core.sync(trigger="schedule", requested_by=None, target=None)
    slack_api.fail("chat.update", status=504, times=1)
    await bot.core.sync(trigger="schedule", requested_by=None, target=None)

    # Each update went through on its retry: no second message, the first ones updated.
    assert len(slack_api.visible_messages()) == 2
    assert all(RUNNING not in str(m.blocks) for m in slack_api.visible_messages())
    assert len(slack_api.of("chat.update")) == 4


async def test_post_and_update_hanging_past_the_timeout_the_sync_still_downloads_and_imports(
        start_bot, slack_api: SlackStandIn, sandbox_settings, sandbox) -> None:
    from sqlalchemy import func, select

    from sync.models import Member, SyncLog

    settings = sandbox_settings(**slack_settings(slack_api, slack_timeout_seconds=1, **FAST))
    bot = await start_bot(settings=settings, full=True)
    slack_api.hang("chat.postMessage")
    slack_api.hang("chat.update")

    report = await asyncio.wait_for(
        bot.core.sync(trigger="schedule", requested_by=None, target=None), 60)

    assert report is not None and report.succeeded
    db = await open_database(settings.effective_database_url)
    async with db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(Member))).scalar_one() == 40
        statuses = (await conn.execute(select(SyncLog.status))).scalars().all()
    assert sorted(statuses) == ["success"] * 3
    # The result waits for Slack, and arrives (late) once Slack answers.
    assert await waiting_count(db) >= 1
    slack_api.release_hangs()
    late = await slack_api.wait_for("chat.postMessage", lambda c: "늦게 전달됨" in c.text)
    assert "동기화 완료" in late[0].text


async def test_slack_hanging_for_two_failed_runs_the_incident_opens_and_its_alert_arrives(
        start_bot, slack_api: SlackStandIn) -> None:
    runner = FakeRunner()
    runner.default = ErrorKind.LOGIN_FAILED
    bot = await start_bot(runner=runner, full=True, slack_timeout_seconds=1,
                          alert_after_failures=2, **FAST)
    slack_api.hang("chat.postMessage")
    slack_api.hang("chat.update")

    for _ in range(2):
        await asyncio.wait_for(bot.core.sync(trigger="schedule", requested_by=None,
                                             target=None), 30)

    from bot.alerts import open_incident

    db = await open_database(bot.core.settings.effective_database_url)
    incident = await open_incident(db)
    assert incident is not None and incident.message_ts is None  # opened, not yet shown
    slack_api.release_hangs()
    [alert] = await slack_api.wait_for("chat.postMessage",
                                       lambda c: c.answer and "publ_sync_retry" in c.text)
    for _ in range(100):
        incident = await open_incident(db)
        if incident is not None and incident.message_ts:
            break
        await asyncio.sleep(0.02)
    assert incident is not None and incident.message_ts == alert.answer["ts"]
    # Per run only the final state: two results and one alert, each once.
    await asyncio.sleep(0.3)
    delivered = [c for c in slack_api.of("chat.postMessage") if c.answer]
    assert len([c for c in delivered if "publ_sync_retry" in c.text]) == 1
    assert len([c for c in delivered if "늦게 전달됨" in c.text and "실패" in c.text]) >= 2


async def test_auth_test_hanging_the_first_publ_sync_is_answered_within_3_seconds(
        start_bot, slack_api: SlackStandIn) -> None:
    slack_api.hang("auth.test")
    bot = await start_bot(runner=StubRunner(), slack_timeout_seconds=5)

    answer = await bot.command("")

    assert answer.status == 200 and answer.seconds < 3, answer
    assert "동기화를 시작합니다" in answer.message
    await slack_api.wait_for("chat.update")  # and the run went on
    slack_api.release_hangs()


async def test_web_api_refusing_connections_for_the_whole_sync_then_back_result_arrives_once(
        start_bot, slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner(), **FAST)
    await slack_api.go_down()

    await bot.core.sync(trigger="schedule", requested_by=None, target=None)

    db = await open_database(bot.core.settings.effective_database_url)
    assert await waiting_count(db) == 1
    await slack_api.go_up()
    [late] = await slack_api.wait_for("chat.postMessage", lambda c: "늦게 전달됨" in c.text)
    assert "동기화 완료" in late.text and "신규 5" in late.text
    assert "결과 — Slack 장애로 늦게 전달됨" in late.text
    await asyncio.sleep(0.4)  # a few more outbox rounds: nothing else arrives
    assert len(slack_api.of("chat.postMessage")) == 1
    assert await waiting_count(db) == 0


async def test_slack_down_for_a_sync_then_the_bot_restarted_the_result_arrives_once_late(
        start_bot, make_settings, slack_api: SlackStandIn) -> None:
    settings = make_settings(**slack_settings(slack_api, **FAST))
    first = await start_bot(runner=StubRunner(), settings=settings)
    await slack_api.go_down()
    await first.core.sync(trigger="schedule", requested_by=None, target=None)
    await first.core.stop()

    await slack_api.go_up()
    await start_bot(runner=StubRunner(), settings=settings)

    [late] = await slack_api.wait_for("chat.postMessage", lambda c: "늦게 전달됨" in c.text)
    assert "신규 5" in late.text
    await asyncio.sleep(0.3)
    assert len(slack_api.of("chat.postMessage")) == 1


async def test_status_shows_how_many_messages_wait_for_slack(
        start_bot, slack_api: SlackStandIn) -> None:
    bot = await start_bot(runner=StubRunner(), outbox_retry_seconds=60,
                          outbox_retry_max_seconds=60, slack_timeout_seconds=1)
    slack_api.hang("chat.postMessage")
    await bot.core.sync(trigger="schedule", requested_by=None, target=None)
    # The outbox waits a minute before its next try; status says one message waits.
    url = slack_api.new_response_url()
    await bot.command("status", response_url=url)
    [status] = await slack_api.wait_for("response_url")
    assert "전달하지 못한 메시지: 1건" in status.text


async def test_a_response_url_answer_that_cannot_be_sent_is_dropped_without_the_url(
        start_bot, slack_api: SlackStandIn, caplog) -> None:
    slack_api.add_channel("G0PRIVATE", private=True)
    bot = await start_bot(runner=StubRunner())
    url = slack_api.new_response_url()
    slack_api.fail("response_url", status=500, times=1000)
    caplog.set_level(logging.DEBUG)

    await bot.command("", channel_id="G0PRIVATE", response_url=url)
    await slack_api.wait_for("response_url", count=3)
    for _ in range(100):
        if bot.core.active is None and not bot.core._background:
            break
        await asyncio.sleep(0.05)

    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "dropped a result" in ours
    assert url not in ours and "/response/" not in ours
    db = await open_database(bot.core.settings.effective_database_url)
    assert await waiting_count(db) == 0  # a response_url is never stored


async def test_publ_sync_in_a_public_channel_the_bot_is_not_in_posts_and_updates_in_place(
        start_bot, slack_api: SlackStandIn) -> None:
    slack_api.add_channel("C0ELSEWHERE", private=False, member=False)
    bot = await start_bot(runner=StubRunner(), slack_allowed_users=[OPERATOR_ID])

    await bot.command("", channel_id="C0ELSEWHERE", response_url=slack_api.new_response_url())

    [update] = await slack_api.wait_for("chat.update")
    [shown] = slack_api.visible_messages("C0ELSEWHERE")
    assert update.body["ts"] == shown.ts and "동기화 완료" in shown.text
    assert not slack_api.of("response_url")
    refusal = await bot.command("", user_id="U0STRANGER", channel_id="C0ELSEWHERE")
    assert refusal.status == 200 and "허락된 사용자만" in refusal.message


async def test_publ_sync_in_a_dm_or_a_private_channel_the_bot_is_not_in_uses_response_url(
        start_bot, slack_api: SlackStandIn) -> None:
    slack_api.add_channel("G0PRIVATE", private=True)
    bot = await start_bot(runner=StubRunner(), slack_allowed_users=[OPERATOR_ID])

    for channel in ("D0DIRECTMSG", "G0PRIVATE"):
        before = len(slack_api.of("response_url"))
        await bot.command("", channel_id=channel, response_url=slack_api.new_response_url())
        calls = await slack_api.wait_for("response_url", count=before + 2)
        assert "동기화 완료" in calls[-1].text and calls[-1].body.get("replace_original")
        refusal = await bot.command("", user_id="U0STRANGER", channel_id=channel)
        assert refusal.status == 200 and "허락된 사용자만" in refusal.message
    assert not slack_api.visible_messages("G0PRIVATE")


# --- the channel: joined at start, doctor's advice, a screenshot that cannot be uploaded ----


def _screenshot_runner(tmp_path: Path) -> FakeRunner:
    """Fails every run, with a (masked) screenshot of the failure on disk."""
    shot = tmp_path / "storage" / "debug" / "failure_masked.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    runner = FakeRunner()
    runner.default = ErrorKind.LAYOUT_CHANGED
    runner.screenshot = shot
    return runner


async def test_a_public_slack_channel_the_bot_is_not_in_is_joined_and_the_screenshot_arrives(
        start_bot, slack_api: SlackStandIn, tmp_path: Path) -> None:
    slack_api.channels[CHANNEL_ID].member = False
    bot = await start_bot(runner=_screenshot_runner(tmp_path), full=True,
                          alert_after_failures=1)

    assert slack_api.of("conversations.join") and slack_api.channels[CHANNEL_ID].member
    await bot.core.sync(trigger="schedule", requested_by=None, target=None)

    [done] = await slack_api.wait_for("files.completeUploadExternal")
    assert done.answer and done.answer.get("ok") is True


async def test_a_screenshot_that_cannot_be_uploaded_the_alert_says_where_it_is_kept(
        start_bot, slack_api: SlackStandIn, tmp_path: Path) -> None:
    slack_api.channels[CHANNEL_ID].member = False
    slack_api.fail("conversations.join", "restricted_action")  # an admin forbids joining
    bot = await start_bot(runner=_screenshot_runner(tmp_path), full=True,
                          alert_after_failures=1)

    await bot.core.sync(trigger="schedule", requested_by=None, target=None)

    [alert] = await slack_api.wait_for("chat.postMessage", lambda c: "publ_sync_retry" in c.text)
    [upload] = await slack_api.wait_for("files.completeUploadExternal")
    assert upload.answer and upload.answer["error"] == "not_in_channel"
    [note] = await slack_api.wait_for("chat.postMessage", lambda c: "보관되어" in c.text)
    assert note.body["thread_ts"] == alert.answer["ts"]
    assert "failure_masked.png" in note.text and str(tmp_path) in note.text


async def test_doctor_private_channel_the_bot_is_not_in_says_check_the_id_or_invite(
        make_settings, slack_api: SlackStandIn) -> None:
    from bot.slack_channel import doctor_checks

    slack_api.add_channel("G0PRIVATE", private=True)
    checks = await doctor_checks(make_settings(**slack_settings(slack_api,
                                                                slack_channel="G0PRIVATE")))

    [channel] = [c for c in checks if "채널" in c.text]
    assert channel.ok is False
    assert "채널 ID를 확인하고, 비공개 채널이면 `/invite @publ-sync`" in channel.text


async def test_doctor_an_old_install_lacking_a_scope_says_paste_the_manifest_and_reinstall(
        make_settings, slack_api: SlackStandIn) -> None:
    from bot.slack_channel import doctor_checks

    slack_api.bot_scopes -= {"channels:read", "channels:join"}  # installed from an old manifest
    checks = await doctor_checks(make_settings(**slack_settings(slack_api)))

    failed = [c for c in checks if c.ok is False]
    assert failed and all("manifest.yaml 을 다시 붙여 넣고 앱을 다시 설치하세요" in c.text
                          for c in failed)
    assert any("channels:read" in c.text for c in failed)


async def test_doctor_all_slack_checks_pass_on_a_correct_install(
        make_settings, slack_api: SlackStandIn) -> None:
    from bot.slack_channel import doctor_checks

    started = time.monotonic()
    checks = await doctor_checks(make_settings(**slack_settings(slack_api)))
    assert [c.ok for c in checks] == [True, True, True], [c.text for c in checks]
    assert time.monotonic() - started < 5
