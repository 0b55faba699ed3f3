"""The alert flow once for real: the sandbox console drops its export buttons, the real
downloader fails in real Chromium, the alert carries the real masked screenshot, and the
`다시 시도` button — pressed through the bot's signed HTTP endpoint — brings recovery.
"""

from __future__ import annotations

from bot import alerts
from bot.core import BotCore, ReplyTarget
from sync.db import open_database
from sync.errors import ErrorKind
from tests.fixtures.slack import SlackStandIn, slack_settings

PNG_MAGIC = "PNG"


def alert_posts(slack_api: SlackStandIn) -> list:
    return [call for call in slack_api.of("chat.postMessage")
            if alerts.RETRY_ACTION in call.text and alerts.RESET_RETRY_ACTION in call.text]


async def test_changed_page_alerts_once_with_screenshot_and_retry_button_recovers(
        sandbox, sandbox_settings, slack_api, start_bot):
    # One real failure is enough here (each costs a browser session); the count of two is
    # walked through in test_alerts.py.
    settings = sandbox_settings(**slack_settings(slack_api), alert_after_failures=1,
                                browser_timeout_ms=2000)
    core = BotCore(settings)
    alerts.install(core)
    bot = await start_bot(core=core)
    channel = ReplyTarget(settings.slack_channel)
    sandbox.switches.button_missing = True

    failed = await core.sync(trigger="slash", requested_by="U0OPERATOR", target=channel)
    assert failed is not None and failed.masked_screenshot is not None
    assert failed.first_error.error_kind is ErrorKind.LAYOUT_CHANGED
    [alert] = alert_posts(slack_api)
    assert "동기화가 실패했습니다" in alert.text and "`publ-sync doctor`" in alert.text
    assert "`PUBL_MEMBERS_BUTTON`" in alert.text  # the setting the downloader names
    incident = await alerts.open_incident(await open_database(settings.effective_database_url))
    [_get_url] = slack_api.of("files.getUploadURLExternal")
    [upload] = slack_api.of("upload")
    assert upload.body["raw"][1:4] == PNG_MAGIC
    [complete] = slack_api.of("files.completeUploadExternal")
    assert complete.body["query.thread_ts"] == incident.message_ts
    # Secrets never travel to Slack, not even inside the screenshot's metadata.
    sent = slack_api.all_payload_text()
    assert settings.publ_password.get_secret_value() not in sent
    assert settings.publ_email not in sent

    sandbox.switches.button_missing = False  # publ "fixed its page"
    response = await bot.press(alerts.RETRY_ACTION, message_ts=incident.message_ts)
    assert response.status == 200
    await slack_api.wait_for("chat.postMessage",
                             lambda c: c.body.get("thread_ts") == incident.message_ts
                             and "복구되었습니다" in c.text, timeout=20)
    # The alert itself now reads resolved, buttons gone; nothing more in the channel.
    [resolved] = await slack_api.wait_for(
        "chat.update", lambda c: c.body.get("ts") == incident.message_ts)
    assert "✅ 해결됨" in resolved.text and alerts.RETRY_ACTION not in resolved.text
    assert not [c for c in slack_api.of("chat.postMessage")
                if not c.body.get("thread_ts") and "복구되었습니다" in c.text]
    assert len(alert_posts(slack_api)) == 1
    assert await alerts.open_incident(await open_database(settings.effective_database_url)) \
        is None


async def test_refused_password_alerts_with_the_login_steps(sandbox, sandbox_settings,
                                                            slack_api):
    settings = sandbox_settings(**slack_settings(slack_api), alert_after_failures=1,
                                browser_timeout_ms=2000)
    core = BotCore(settings)
    alerts.install(core)
    sandbox.switches.wrong_password = True

    report = await core.sync(trigger="slash", requested_by="U0OPERATOR",
                             target=ReplyTarget(settings.slack_channel))
    assert report is not None and report.first_error.error_kind is ErrorKind.LOGIN_FAILED
    [alert] = alert_posts(slack_api)
    assert "`PUBL_EMAIL`" in alert.text and "`PUBL_PASSWORD`" in alert.text
    assert "세션 초기화 후 재시도" in alert.text
    assert settings.publ_password.get_secret_value() not in slack_api.all_payload_text()
