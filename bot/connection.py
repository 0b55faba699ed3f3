"""Opening the Socket Mode connection at start: a bounded number of attempts, told in words.

Left to itself, slack_sdk retries a failed connection forever, logging an English traceback
every few seconds, while the bot neither starts its schedule nor hears SIGTERM (so
`systemctl stop` hangs). Here one attempt is `apps.connections.open` with the app token plus
the WebSocket it names, bounded by `SLACK_TIMEOUT_SECONDS`. Slack refusing the token ends the
start at once (the same token gets the same answer); anything else is tried
`SLACK_CONNECT_ATTEMPTS` times, `SLACK_CONNECT_RETRY_SECONDS` apart. `stop` (SIGTERM) ends
it at any moment.

Once connected, reconnecting after a dropped connection is left to slack_sdk, which keeps
trying: a network outage of an hour must not end a running bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError

from sync.i18n import t
from sync.settings import Settings

log = logging.getLogger("bot")

# Slack's answers that say the token itself is wrong: retrying cannot help.
REFUSED = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired",
                     "account_inactive", "not_allowed_token_type", "missing_scope",
                     "invalid_token"})
# What slack_sdk logs (with a traceback) for each failed try; our own sentence replaces it.
LIBRARY_CONNECT_NOISE = ("Failed to connect", "Failed to retrieve WSS URL")


class ConnectFailed(Exception):
    """The connection could not be opened; `refused` when Slack rejected the app token."""

    def __init__(self, message: str, *, refused: bool) -> None:
        super().__init__(message)
        self.message = message
        self.refused = refused


class _QuietConnectNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(LIBRARY_CONNECT_NOISE)


async def connect(handler: AsyncSocketModeHandler, settings: Settings,
                  stop: asyncio.Event) -> bool:
    """Connect `handler` to Slack: True once connected, False when `stop` came first.
    Raises `ConnectFailed` with the sentence to show when it gives up."""
    lang = settings.bot_language
    attempts = max(settings.slack_connect_attempts, 1)
    quiet = _QuietConnectNoise()
    library_logger = handler.client.logger
    library_logger.addFilter(quiet)
    try:
        for attempt in range(1, attempts + 1):
            try:
                outcome = await _unless_stopped(_attempt(handler, settings), stop)
            except SlackApiError as error:
                reason = str(error.response.get("error") or error.response.status_code)
                if reason in REFUSED:
                    raise ConnectFailed(t("bot.connect.refused", lang, reason=reason),
                                        refused=True) from None
            except (OSError, TimeoutError) as error:
                reason = type(error).__name__
            else:
                return outcome
            if attempt == attempts:
                raise ConnectFailed(t("bot.connect.unreachable", lang, attempts=attempts,
                                      reason=reason, url=settings.slack_api_url),
                                    refused=False)
            log.warning(t("bot.connect.attempt_failed", lang, attempt=attempt,
                          attempts=attempts, reason=reason,
                          seconds=f"{settings.slack_connect_retry_seconds:g}"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), settings.slack_connect_retry_seconds)
            if stop.is_set():
                return False
        return False  # not reached: the last attempt returns or raises
    finally:
        library_logger.removeFilter(quiet)


async def _attempt(handler: AsyncSocketModeHandler, settings: Settings) -> None:
    """One try: a fresh WebSocket URL for the app token, then the WebSocket itself."""
    client = handler.client
    async with asyncio.timeout(settings.slack_timeout_seconds):
        client.wss_uri = await client.issue_new_wss_url()
        await client.connect()


async def _unless_stopped(work: Awaitable[Any], stop: asyncio.Event) -> bool:
    """Await `work`; True when it finished, False when `stop` was set first (then `work`
    is cancelled)."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if task.done():
        task.result()  # re-raises what the attempt failed with
        return True
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return False
