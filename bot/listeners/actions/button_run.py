"""What both alert buttons do: check the allowlist, then run in the alert's thread."""

from __future__ import annotations

from typing import Any

from bot.core import BotCore
from bot.delivery import ReplyTarget
from sync.i18n import t


def alert_thread(body: dict[str, Any]) -> ReplyTarget:
    """The thread of the message the button sits on (the alert)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", "")
    message = body.get("message") or {}
    thread_ts = message.get("thread_ts") or message.get("ts") or (
        body.get("container") or {}).get("message_ts")
    # Shown in the channel too: whoever pressed sees the outcome without opening the thread.
    return ReplyTarget(channel=channel, thread_ts=thread_ts, broadcast=True)


async def run_from_button(core: BotCore, body: dict[str, Any], *, reset_session: bool) -> None:
    """Refuse a user outside `SLACK_ALLOWED_USERS` (only they see it); otherwise start the
    run, which reports in the alert's thread."""
    user = (body.get("user") or {}).get("id")
    target = alert_thread(body)
    if not core.allowed(user):
        await core.delivery.notify(target, user, t("alerts.refused", core.settings.bot_language))
        return
    await core.sync(trigger="button", requested_by=user, target=target,
                    reset_session=reset_session)
