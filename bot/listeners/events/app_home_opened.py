"""`app_home_opened`: draw the Home tab for whoever opened it (the Messages tab is ignored)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import home
from bot.core import BotCore


def register(app: AsyncApp, core: BotCore) -> None:
    async def app_home_opened(ack: AsyncAck, event: dict[str, Any]) -> None:
        await ack()
        user = event.get("user")
        if user and event.get("tab", "home") == "home":
            await home.opened(core, user)

    app.event("app_home_opened")(app_home_opened)
