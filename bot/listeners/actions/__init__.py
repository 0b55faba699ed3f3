"""The alert's buttons: `publ_sync_retry` and `publ_sync_reset_retry`, one module each."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.core import BotCore
from bot.listeners.actions import reset_retry, retry


def register(app: AsyncApp, core: BotCore) -> None:
    """Attach every button listener to `app`."""
    retry.register(app, core)
    reset_retry.register(app, core)
