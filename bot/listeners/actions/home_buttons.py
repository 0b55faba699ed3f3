"""What both Home buttons do: check the allowlist, then run, reporting in `SLACK_CHANNEL`
(Home is no channel); the Home view is redrawn when the run ends (`bot.home`)."""

from __future__ import annotations

from typing import Any

from bot.core import BotCore, ReplyTarget
from sync.i18n import t


async def run_from_home(core: BotCore, body: dict[str, Any], *, reset_session: bool) -> None:
    """Refuse a user outside `SLACK_ALLOWED_USERS` (a note only they see, in the channel);
    otherwise start the run in the channel."""
    user = (body.get("user") or {}).get("id")
    channel = ReplyTarget(core.settings.slack_channel)
    if not core.allowed(user):
        await core.delivery.notify(channel, user, t("bot.refused", core.settings.bot_language))
        return
    await core.sync(trigger="button", requested_by=user, target=channel,
                    reset_session=reset_session)
