"""Builds the Bolt app: one `register(app, core)` per feature, nothing else."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware.request_verification.async_request_verification import (
    AsyncRequestVerification,
)
from slack_sdk.signature import SignatureVerifier

from bot.core import BotCore
from bot.listeners import actions, commands, events
from bot.slack_client import web_client
from sync.errors import SettingsError

# Each feature module has `register(app, core)`.
FEATURES = (commands, actions, events)


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
        # The same client without its token: `authorize` hands Bolt the token per request
        # (given both, Bolt warns that one is ignored).
        client=web_client(settings, token=False),
        signing_secret=secret or None,
        logger=bolt_logger,
        request_verification_enabled=not socket_mode,
        authorize=_authorize(core),
    )
    _refuse_unreadable_timestamps(app)
    for feature in FEATURES:
        feature.register(app, core)
    return app


def _authorize(core: BotCore) -> Callable[..., Awaitable[AuthorizeResult]]:
    """The one workspace's bot token, with the identity `auth.test` gave at start: Bolt's
    default asks `auth.test` on the first request, and a slow Slack would then keep a slash
    command from being acknowledged within 3 s."""
    token = core.settings.slack_bot_token.get_secret_value()

    async def authorize(enterprise_id: str | None = None, team_id: str | None = None,
                        **_: object) -> AuthorizeResult:
        identity = core.identity
        return AuthorizeResult(enterprise_id=enterprise_id,
                               team_id=identity.get("team_id") or team_id,
                               bot_token=token, bot_id=identity.get("bot_id"),
                               bot_user_id=identity.get("user_id"))

    return authorize


class _TimestampCheckingVerifier(SignatureVerifier):
    """Slack's verifier, except that a timestamp that is not a number makes the request
    unsigned (401), where Slack's own raises inside Bolt (HTTP 500 and a logged
    traceback for anyone who sends a junk header)."""

    def is_valid(self, body: str | bytes, timestamp: str | None,
                 signature: str | None) -> bool:
        if timestamp is None or not timestamp.strip().isdigit():
            return False
        return super().is_valid(body, timestamp, signature)


def _refuse_unreadable_timestamps(app: AsyncApp) -> None:
    """Give Bolt's request verification the verifier above. Bolt has no option for it, so
    the built-in middleware's verifier is swapped (with the same signing secret)."""
    for middleware in getattr(app, "_async_middleware_list", []):
        if isinstance(middleware, AsyncRequestVerification):
            middleware._verifier = _TimestampCheckingVerifier(
                signing_secret=middleware.verifier.signing_secret)
