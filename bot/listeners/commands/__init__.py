"""Slash command listeners."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.core import BotCore
from bot.listeners.commands.publ_sync import publ_sync_listener

COMMAND = "/publ-sync"


def register(app: AsyncApp, core: BotCore) -> None:
    app.command(COMMAND)(publ_sync_listener(core))
