"""The Slack Web API client the bot talks through: `SLACK_API_URL`, bounded retries.

Slack answers 429 with a `Retry-After` header; it (or a proxy in front of it) answers 500,
502, 503 or 504 in a bad moment; connections drop now and then. All are retried a few times
so that a report still arrives.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from sync.settings import Settings

log = logging.getLogger(__name__)


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """Waits exactly what Slack's `Retry-After` asks (no random extra second), capped by
    `SLACK_RETRY_MAX_WAIT_SECONDS` so one throttled call cannot hold a report for minutes."""

    def __init__(self, max_retry_count: int, default_wait: float, max_wait: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.default_wait = default_wait
        self.max_wait = max_wait

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        wait = self.default_wait
        for name, values in response.headers.items():
            if name.lower() == "retry-after" and values:
                try:
                    wait = float(values[0])
                except ValueError:
                    log.warning("Slack sent an unreadable Retry-After header: %r", values[0])
        wait = min(max(wait, 0.0), self.max_wait)
        log.info("Slack asked to slow down; retrying %s in %.1f s", _call_name(request.url),
                 wait)
        await asyncio.sleep(wait)
        state.increment_current_attempt()


SERVER_ERRORS = frozenset({500, 502, 503, 504})


class ServerErrorRetry(AsyncRetryHandler):
    """HTTP 500, 502, 503 and 504: Slack or its proxy failed this once. slack_sdk's own
    server-error handler retries only 500 and 503; a gateway's 502/504 is just as passing."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS


def _call_name(url: str) -> str:
    """The Web API method `url` calls. Any other URL (a slash command's response_url, say)
    is not named: its path is what lets anyone post as the bot."""
    _, api, method = urlsplit(url).path.rpartition("/api/")
    return method if api and method and "/" not in method else "a one-off Slack URL"


def retry_handlers(settings: Settings) -> list[AsyncRetryHandler]:
    """429, 5xx and dropped-connection retries, with waits from the settings."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=settings.slack_retry_backoff_seconds)
    return [
        RateLimitRetry(settings.slack_max_retries, settings.slack_retry_backoff_seconds,
                       settings.slack_retry_max_wait_seconds),
        ServerErrorRetry(max_retry_count=settings.slack_max_retries,
                         interval_calculator=backoff),
        AsyncConnectionErrorRetryHandler(
            max_retry_count=settings.slack_max_retries,
            interval_calculator=BackoffRetryIntervalCalculator(
                backoff_factor=settings.slack_retry_backoff_seconds),
        ),
    ]


def web_client(settings: Settings, *, token: bool = True) -> AsyncWebClient:
    """The bot token's Web API client at `SLACK_API_URL` (`token=False`: the same client
    without it, for Bolt, which is handed the token by `authorize`)."""
    return AsyncWebClient(
        token=(settings.slack_bot_token.get_secret_value() or None) if token else None,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout_seconds,
        retry_handlers=retry_handlers(settings),
    )


def response_url_client(settings: Settings, url: str) -> AsyncWebhookClient:
    """A client for a slash command's `response_url`, with the same retries."""
    return AsyncWebhookClient(url, timeout=settings.slack_timeout_seconds,
                              retry_handlers=retry_handlers(settings))
