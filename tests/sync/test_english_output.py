"""BOT_LANGUAGE=en: what publ-sync says is English throughout — alerts, the scheduled
summary and digest, doctor, and the downloader's errors. No Hangul in any of it."""

from __future__ import annotations

import argparse
import io
import re
from datetime import UTC, datetime

from rich.console import Console

from bot import alerts, scheduler
from bot.core import BotCore, ReplyTarget
from sync.cli.browser_commands import cmd_doctor
from sync.errors import ErrorKind
from tests.fixtures.runs import FakeRunner, ShiftedClock
from tests.fixtures.slack import SlackStandIn, slack_settings

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def hangul_in(text: str) -> list[str]:
    """The Hangul passages of `text`, with a little context, for the failure message."""
    return [text[max(0, m.start() - 30):m.end() + 30] for m in HANGUL.finditer(text)]


def slack_text(slack_api: SlackStandIn) -> str:
    """What the bot sent, without the screenshot's bytes (an image, not words)."""
    return "\n".join(call.text for call in slack_api.calls if call.method != "upload")


async def test_a_failed_run_its_alert_and_the_downloader_error_are_english(
        sandbox, sandbox_settings, slack_api: SlackStandIn) -> None:
    settings = sandbox_settings(**slack_settings(slack_api), bot_language="en",
                                alert_after_failures=1, browser_timeout_ms=2000)
    core = BotCore(settings)
    alerts.install(core)
    sandbox.switches.button_missing = True

    report = await core.sync(trigger="slash", requested_by="U0OPERATOR",
                             target=ReplyTarget(settings.slack_channel))

    assert report is not None and report.first_error is not None
    assert report.first_error.error_kind is ErrorKind.LAYOUT_CHANGED
    assert report.first_error.error_message
    assert hangul_in(report.first_error.error_message) == []  # the downloader's own words
    [alert] = [call for call in slack_api.of("chat.postMessage")
               if alerts.RETRY_ACTION in call.text]
    assert "The publ sync failed" in alert.text
    assert hangul_in(slack_text(slack_api)) == []


async def test_the_scheduled_summary_and_digest_are_english(make_settings, sqlite_url,
                                                           slack_api: SlackStandIn) -> None:
    clock = ShiftedClock(datetime(2026, 12, 1, 0, 30, tzinfo=UTC))  # 09:30 KST, a Tuesday
    settings = make_settings(**slack_settings(slack_api), bot_language="en",
                             database_url=sqlite_url)
    core = BotCore(settings, clock=clock, runner=FakeRunner())
    schedule = scheduler.install(core)

    assert await schedule.run_slot(clock(), trigger="schedule") is not None

    [message] = await slack_api.wait_for("chat.update")
    assert "Business on" in message.text  # the digest went in
    assert "Daily sync summary, 2026-12-01" in message.text
    assert hangul_in(message.text) == []


async def test_doctor_speaks_english(sandbox, sandbox_settings,
                                     slack_api: SlackStandIn) -> None:
    settings = sandbox_settings(**slack_settings(slack_api), bot_language="en")
    output = io.StringIO()
    console = Console(file=output, width=240)
    sandbox.set(button_missing=True)  # a ✗ with its advice, too

    code = await cmd_doctor(argparse.Namespace(snapshot=False), settings, console)

    text = output.getvalue()
    assert code == 1, text
    assert "✓" in text and "✗" in text
    assert hangul_in(text) == []
