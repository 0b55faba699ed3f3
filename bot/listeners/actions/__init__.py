"""Buttons: the alert's `publ_sync_retry` and `publ_sync_reset_retry`, and Home's two run
buttons, one module each."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.core import BotCore
from bot.listeners.actions import home_reset_run, home_run, reset_retry, retry


def register(app: AsyncApp, core: BotCore) -> None:
    """Attach every button listener to `app`."""
    retry.register(app, core)
    reset_retry.register(app, core)
    home_run.register(app, core)
    home_reset_run.register(app, core)
