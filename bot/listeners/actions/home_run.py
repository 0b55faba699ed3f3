"""Home's `지금 동기화` (`publ_sync_home_run`): run now, reporting in `SLACK_CHANNEL`."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.core import BotCore
from bot.listeners.actions.home_buttons import run_from_home
from bot.render.home import HOME_RUN_ACTION


def register(app: AsyncApp, core: BotCore) -> None:
    async def home_run(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await run_from_home(core, body, reset_session=False)

    app.action(HOME_RUN_ACTION)(home_run)
