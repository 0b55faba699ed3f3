"""Builds the Bolt app: one `register(app, core)` per feature, nothing else."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.core import BotCore
from bot.listeners import actions, commands
from sync.errors import SettingsError

# Each feature module has `register(app, core)`.
FEATURES = (commands, actions)


class _HarmlessBoltWarnings(logging.Filter):
    """Drops Bolt's start-up warning that `SLACK_BOT_TOKEN` (read by Bolt itself from the
    environment) goes unused because a client is given: the client carries that same
    token, so the operator has nothing to fix, and an English WARNING at every start reads
    like a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


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
    bolt_logger = logging.getLogger("bot.bolt")
    if not any(isinstance(f, _HarmlessBoltWarnings) for f in bolt_logger.filters):
        bolt_logger.addFilter(_HarmlessBoltWarnings())
    app = AsyncApp(
        client=core.client,
        signing_secret=secret or None,
        logger=bolt_logger,
        request_verification_enabled=not socket_mode,
    )
    for feature in FEATURES:
        feature.register(app, core)
    return app
