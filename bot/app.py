"""Builds the Bolt app: one `register(app, core)` per feature, nothing else."""

from __future__ import annotations

import importlib
import importlib.util
import logging

from slack_bolt.async_app import AsyncApp

from bot.core import BotCore

log = logging.getLogger(__name__)

# Each feature module has `register(app, core)`.
FEATURES = (
    "bot.listeners.commands",
    "bot.listeners.actions",
)


def build_app(core: BotCore) -> AsyncApp:
    """The Bolt app for `core`, with every feature's listeners registered.

    Requests are verified with `SLACK_SIGNING_SECRET` (HTTP mode); the response to Slack
    leaves as soon as a listener acks, while its work goes on.
    """
    app = AsyncApp(
        client=core.client,
        signing_secret=core.settings.slack_signing_secret.get_secret_value() or None,
        logger=logging.getLogger("bot.bolt"),
        # HTTP mode cannot start without a signing secret (see `bot.__main__`); Socket Mode
        # requests arrive over the app token's own connection and carry no signature.
        request_verification_enabled=bool(core.settings.slack_signing_secret.get_secret_value()),
    )
    for name in FEATURES:
        if importlib.util.find_spec(name) is None:
            log.warning("feature %s is not installed; its listeners are missing", name)
            continue
        register = getattr(importlib.import_module(name), "register", None)
        if register is None:
            log.warning("feature %s has no register(app, core) yet", name)
            continue
        register(app, core)
    return app
