"""Small changes on publ's side, absorbed by fallback locators and announced once; real
layout changes failing fast; a download stage bounded by `SYNC_TIMEOUT_SECONDS`.

Real Chromium against the sandbox console, the real runner on a real database, and the
drift notice through the bot's core into the Slack stand-in.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from bot import drift_notice
from bot.core import BotCore, ReplyTarget
from bot.render.status_message import status_message
from sync import drifts
from sync.db import open_database
from sync.errors import ErrorKind
from sync.models import utcnow
from sync.presented import Presenter
from sync.runner import run_sync
from sync.sandbox import WRONG_PASSWORD_TEXT, Sandbox
from sync.status import gather_status
from sync.storage import Storage
from tests.browsers import chromium_children
from tests.fixtures.slack import SlackStandIn, slack_settings

NOTICE = "publ 화면이 조금 바뀌었지만 동기화는 정상입니다"




def notices(slack_api: SlackStandIn) -> list:
    return [call for call in slack_api.of("chat.postMessage") if NOTICE in call.text]


def noticing_bot(settings) -> BotCore:
    """A bot core with the drift notice installed, as publ-bot runs it."""
    core = BotCore(settings)
    drift_notice.install(core)
    return core


async def sync_in_bot(core: BotCore):
    report = await core.sync(trigger="slash", requested_by="U0OPERATOR",
                             target=ReplyTarget(core.settings.slack_channel))
    assert report is not None
    return report


async def test_spaced_label_with_saved_session_needs_no_login_and_is_announced_once(
        sandbox: Sandbox, sandbox_settings, saved_session, slack_api):
    settings = sandbox_settings(**slack_settings(slack_api), session_check_timeout_ms=4000)
    saved_session()
    sandbox.set(spaced_label=True)
    core = noticing_bot(settings)

    report = await sync_in_bot(core)

    assert report.succeeded
    assert sandbox.counters.login_attempts == 0  # the session was not thrown away
    assert report.download is not None
    [drift] = report.download.drifts
    assert (drift.setting, drift.how, drift.found) == (
        "PUBL_MEMBERS_BUTTON", "name", "All Member download (CSV)")
    [notice] = notices(slack_api)
    assert "`PUBL_MEMBERS_BUTTON`" in notice.text and "All Member download (CSV)" in notice.text
    status_text, _ = status_message(Presenter.for_settings(settings),
                                    await gather_status(settings, utcnow()))
    assert "`PUBL_MEMBERS_BUTTON`" in status_text  # /publ-sync status says it too

    # Again, and after a restart of the bot: not repeated.
    await sync_in_bot(core)
    restarted = noticing_bot(settings)
    assert (await sync_in_bot(restarted)).succeeded
    assert len(notices(slack_api)) == 1
    assert sandbox.counters.login_attempts == 0

    # publ puts the label back: the drift is cleared; it changes again: announced again.
    sandbox.set(spaced_label=False)
    await sync_in_bot(restarted)
    db = await open_database(settings.effective_database_url)
    assert await drifts.current(db) == []
    sandbox.set(spaced_label=True)
    await sync_in_bot(restarted)
    assert len(notices(slack_api)) == 2


async def test_attribute_only_login_form_logs_in_with_one_notice(sandbox: Sandbox,
                                                                 sandbox_settings, slack_api):
    settings = sandbox_settings(**slack_settings(slack_api))
    sandbox.set(attribute_login=True)
    core = noticing_bot(settings)

    report = await sync_in_bot(core)

    assert report.succeeded and sandbox.counters.logins == 1
    assert report.download is not None
    assert sorted((d.setting, d.how) for d in report.download.drifts) == [
        ("PUBL_EMAIL_LABEL", "attributes"), ("PUBL_PASSWORD_LABEL", "attributes")]
    [notice] = notices(slack_api)
    assert "`PUBL_EMAIL_LABEL`" in notice.text and "`PUBL_PASSWORD_LABEL`" in notice.text


@pytest.mark.parametrize(("known_texts", "notices_expected"), [
    # The page's error is one of the known texts, found by its role instead of the class:
    # a drift, announced once.
    (None, 1),
    # A text nobody listed: still login_failed, quoting the page, but no drift notice.
    (["account locked"], 0),
], ids=["known text without the configured class", "unknown text"])
async def test_wrong_password_shown_without_the_configured_class(
        sandbox: Sandbox, sandbox_settings, slack_api, known_texts, notices_expected):
    overrides = {"publ_login_error_texts": known_texts} if known_texts else {}
    settings = sandbox_settings(**slack_settings(slack_api), browser_timeout_ms=20_000,
                                publ_login_error_selector=".error-message", **overrides)
    sandbox.set(unclassed_error=True, wrong_password=True)
    core = noticing_bot(settings)

    started = time.monotonic()
    report = await sync_in_bot(core)

    assert time.monotonic() - started < 15  # not the whole browser timeout
    assert report.first_error is not None
    assert report.first_error.error_kind is ErrorKind.LOGIN_FAILED
    assert WRONG_PASSWORD_TEXT in (report.first_error.error_message or "")
    found = notices(slack_api)
    assert len(found) == notices_expected
    assert all("`PUBL_LOGIN_ERROR_SELECTOR`" in notice.text for notice in found)


async def test_changed_icon_with_a_title_downloads_checked_files(sandbox: Sandbox,
                                                                 sandbox_settings, slack_api):
    settings = sandbox_settings(**slack_settings(slack_api))
    sandbox.set(titled_icon=True)
    core = noticing_bot(settings)

    report = await sync_in_bot(core)

    assert report.succeeded, report.first_error
    assert report.results[next(iter(report.results))].new > 0
    assert report.download is not None
    assert {(d.page, d.setting, d.how) for d in report.download.drifts} == {
        ("orders", "PUBL_EXPORT_ICON_SELECTOR", "icon_title"),
        ("refunds", "PUBL_EXPORT_ICON_SELECTOR", "icon_title")}
    assert len(notices(slack_api)) == 1


async def test_cli_run_and_status_print_the_drift(sandbox: Sandbox, sandbox_settings,
                                                  monkeypatch, tmp_path, capsys):
    from sync.cli import entry as cli

    settings = sandbox_settings()
    sandbox.set(spaced_label=True)
    for name, value in {"STORAGE_DIR": str(settings.storage_dir),
                        "DATABASE_URL": settings.database_url,
                        "CHROMIUM_PATH": settings.chromium_path,
                        "PUBL_CONSOLE_URL": sandbox.url, "PUBL_EMAIL": sandbox.email,
                        "PUBL_PASSWORD": sandbox.password,
                        "PUBL_CHANNEL_ID": sandbox.channel_id}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    code = await asyncio.to_thread(cli.main, ["run"])
    run_output = capsys.readouterr().out
    code_status = await asyncio.to_thread(cli.main, ["status"])
    status_output = capsys.readouterr().out

    assert code == 0 and code_status == 0
    for output in (" ".join(run_output.split()), " ".join(status_output.split())):
        assert "PUBL_MEMBERS_BUTTON" in output and "All Member download (CSV)" in output


async def test_missing_button_fails_fast_once_the_page_has_drawn(sandbox: Sandbox,
                                                                 sandbox_settings):
    settings = sandbox_settings(browser_timeout_ms=60_000, publ_layout_wait_ms=500)
    sandbox.set(button_missing=True)

    started = time.monotonic()
    report = await run_sync(settings, trigger="cli")
    elapsed = time.monotonic() - started

    assert report.first_error is not None
    assert report.first_error.error_kind is ErrorKind.LAYOUT_CHANGED
    assert elapsed < 20
    assert [Path(p).suffix for p in sorted(report.debug_files)] == [".html", ".png"]
    assert all(Path(p).exists() for p in report.debug_files)


async def test_page_drawing_two_seconds_late_is_no_layout_change(sandbox: Sandbox,
                                                                 sandbox_settings,
                                                                 saved_session):
    settings = sandbox_settings(browser_timeout_ms=60_000, publ_layout_wait_ms=500)
    saved_session()
    sandbox.set(render_delay_ms=2000)

    report = await run_sync(settings, trigger="cli")

    assert report.succeeded, report.first_error
    assert sandbox.counters.login_attempts == 0


async def test_no_chromium_survives_a_run_and_the_session_is_saved(sandbox: Sandbox,
                                                                   sandbox_settings):
    settings = sandbox_settings()

    report = await run_sync(settings, trigger="cli")

    assert report.succeeded
    assert chromium_children() == []
    assert Storage(settings.storage_dir).session_file.exists()


async def test_stalled_download_is_stopped_at_the_sync_timeout(sandbox: Sandbox,
                                                               sandbox_settings):
    """An export sent at 1 byte/s, and Chromium stopped (SIGSTOP) while it downloads."""
    # Long enough for a loaded CI machine to reach the refunds download before the limit.
    limit = 6
    settings = sandbox_settings(browser_timeout_ms=60_000, sync_timeout_seconds=limit)
    # A first sync leaves a session and a filled database, so that the stalled one reaches
    # its downloads well within the limit even on a busy machine.
    assert (await run_sync(settings.model_copy(update={"sync_timeout_seconds": 600}),
                           trigger="cli")).succeeded
    sandbox.set(slow_exports={"refunds": 1})
    sandbox.counters.reset()  # the first sync's downloads must not trigger the stopper

    async def stop_chromium_mid_download() -> None:
        while not sandbox.counters.downloads.get("refunds"):
            await asyncio.sleep(0.05)
        for proc in chromium_children():
            os.kill(proc.pid, signal.SIGSTOP)

    stopper = asyncio.create_task(stop_chromium_mid_download())
    started = time.monotonic()
    report = await run_sync(settings, trigger="cli")
    elapsed = time.monotonic() - started
    stopped = stopper.done()
    stopper.cancel()

    assert elapsed < limit + 5  # the limit plus the grace of killing the browser
    assert report.first_error is not None
    assert report.first_error.error_kind is ErrorKind.DOWNLOAD_FAILED
    said = report.first_error.error_message or ""
    assert f"{limit}초가 지나 중단했습니다" in said
    if stopped:
        assert f"환불 1페이지를 내려받는 중 {limit}초가 지나" in said
    assert chromium_children() == []  # stopped ones included

    sandbox.set(slow_exports={})
    # The guard was released and nothing is left behind: the next sync (with the usual
    # limit) works.
    again = await run_sync(settings.model_copy(update={"sync_timeout_seconds": 600}),
                           trigger="cli")
    assert again.succeeded, again.first_error
    if not stopped:
        pytest.skip("this machine was too busy for Chromium to reach the download within "
                    f"SYNC_TIMEOUT_SECONDS={limit}, so no SIGSTOP mid-download was tried")
