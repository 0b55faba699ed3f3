"""`세션 초기화 후 재시도` (`publ_sync_reset_retry`): set the saved session aside, log in
afresh and run, reporting in the alert's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.alerts import RESET_RETRY_ACTION
from bot.core import BotCore
from bot.listeners.actions.button_run import run_from_button


def register(app: AsyncApp, core: BotCore) -> None:
    async def reset_retry(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await run_from_button(core, body, reset_session=True)

    app.action(RESET_RETRY_ACTION)(reset_retry)
