"""Builds the Bolt app: one `register(app, core)` per feature, nothing else."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp

from bot.core import BotCore
from bot.listeners import actions, commands, events
from sync.errors import SettingsError

# Each feature module has `register(app, core)`.
FEATURES = (commands, actions, events)


def build_app(core: BotCore) -> AsyncApp:
    """The Bolt app for `core`, with every feature's listeners registered.

    HTTP mode verifies every request with `SLACK_SIGNING_SECRET` (and cannot be built
    without it); Socket Mode requests arrive over the app token's own connection. The
    response to Slack leaves as soon as a listener acks, while its work goes on.
    """
    settings = core.settings
    socket_mode = bool(settings.slack_app_token.get_secret_value())
    secret = settings.slack_signing_secret.get_secret_value()
    if not socket_mode and not secret:
        raise SettingsError("SLACK_SIGNING_SECRET is required in HTTP mode")
    app = AsyncApp(
        client=core.client,
        signing_secret=secret or None,
        logger=logging.getLogger("bot.bolt"),
        request_verification_enabled=not socket_mode,
    )
    for feature in FEATURES:
        feature.register(app, core)
    return app
