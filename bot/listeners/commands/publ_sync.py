"""`/publ-sync [run|status|report|help|reset-session]`: acks at once, then does the word's work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.commands import CommandContext, handler_for
from bot.core import BotCore

Listener = Callable[..., Awaitable[None]]


def publ_sync_listener(core: BotCore) -> Listener:
    """The `/publ-sync` listener bound to `core`."""

    async def publ_sync(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        word, _, args = (command.get("text") or "").strip().partition(" ")
        context = CommandContext(
            core=core, ack=ack, respond=respond, word=word,
            user_id=command.get("user_id"), channel_id=command.get("channel_id") or "",
            response_url=command.get("response_url"), args=args,
        )
        await handler_for(word)(context)

    return publ_sync
