"""Home's `세션 초기화 후 동기화` (`publ_sync_home_reset_run`): set the saved session aside,
log in afresh and run, reporting in `SLACK_CHANNEL`."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.core import BotCore
from bot.listeners.actions.home_buttons import run_from_home
from bot.render.home import HOME_RESET_RUN_ACTION


def register(app: AsyncApp, core: BotCore) -> None:
    async def home_reset_run(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await run_from_home(core, body, reset_session=True)

    app.action(HOME_RESET_RUN_ACTION)(home_reset_run)
