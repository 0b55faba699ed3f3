"""Event listeners: the Home tab (`app_home_opened`), which also redraws itself after runs."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot import home
from bot.core import BotCore
from bot.listeners.events import app_home_opened
from sync.report import RunReport


def register(app: AsyncApp, core: BotCore) -> None:
    """Attach the event listeners, and the Home refresh after every run."""
    app_home_opened.register(app, core)

    async def refresh(report: RunReport) -> None:
        await home.refresh_after_run(core, report)

    core.after_run.append(refresh)
