"""One `/publ-sync` invocation, as every subcommand handler receives it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core import BotCore, ReplyTarget
from bot.render.safety import escape
from sync.i18n import t


@dataclass
class CommandContext:
    """One `/publ-sync` invocation."""

    core: BotCore
    ack: AsyncAck
    respond: AsyncRespond
    word: str
    user_id: str | None
    channel_id: str
    response_url: str | None
    args: str = ""  # what follows the word (`report 30d` → "30d")

    @property
    def lang(self) -> str:
        return self.core.lang

    async def refused(self) -> bool:
        """Answer a user outside `SLACK_ALLOWED_USERS` with the polite refusal; True if so."""
        if self.core.allowed(self.user_id):
            return False
        await self.ack(text=t("bot.refused", self.lang))
        return True

    async def answer_failure(self, key: str, error: Exception) -> None:
        """Tell the asker alone, in one sentence, that the answer could not be made (`key`'s
        text, naming only the error's type); the traceback goes to the log."""
        await self.respond(text=t(key, self.lang, reason=escape(type(error).__name__)),
                           response_type="ephemeral")

    @property
    def target(self) -> ReplyTarget:
        """The channel the command was typed in, with its response_url as the fallback."""
        return ReplyTarget(self.channel_id, response_url=self.response_url)


Handler = Callable[[CommandContext], Awaitable[None]]
