"""`다시 시도` (`publ_sync_retry`): run the sync again, reporting in the alert's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.alerts import RETRY_ACTION
from bot.core import BotCore
from bot.listeners.actions.button_run import run_from_button


def register(app: AsyncApp, core: BotCore) -> None:
    async def retry(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await run_from_button(core, body, reset_session=False)

    app.action(RETRY_ACTION)(retry)
