"""Who the bot is and where it stands in `SLACK_CHANNEL`: read once at start (so no request
waits for `auth.test`), the channel joined when it is public and the bot is not in it, and
the same facts checked for `publ-sync doctor` with what to do about each.

On Slack, uploading the alert's screenshot and private notes need the bot to be a member of
the channel even with `chat:write.public`; a private channel the bot is not in looks like a
wrong id (`channel_not_found`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import TRANSPORT_ERRORS
from bot.slack_client import web_client
from bot.slack_scopes import bot_scopes
from sync.checks import Check
from sync.i18n import t
from sync.settings import Settings

log = logging.getLogger(__name__)


async def identify(client: AsyncWebClient, settings: Settings) -> dict[str, Any]:
    """auth.test's answer (team, bot user), or {} when Slack does not answer in time."""
    try:
        async with asyncio.timeout(settings.slack_timeout_seconds):
            answer = await client.auth_test()
    except (SlackApiError, *TRANSPORT_ERRORS) as error:
        log.warning("could not ask Slack who the bot is: %s", _reason(error))
        return {}
    return dict(answer.data) if isinstance(answer.data, dict) else {}


async def channel_info(client: AsyncWebClient, channel: str) -> dict[str, Any]:
    """conversations.info's `channel` (POST: some proxies refuse GET)."""
    answer = await client.api_call("conversations.info", http_verb="POST",
                                   data={"channel": channel})
    info = answer.get("channel")
    return info if isinstance(info, dict) else {}


async def join_if_public(client: AsyncWebClient, settings: Settings) -> bool:
    """Join `SLACK_CHANNEL` when it is public and the bot is not a member; True when the
    bot is (now) a member. A private channel needs `/invite @publ-sync`; doctor says so."""
    channel = settings.slack_channel
    try:
        async with asyncio.timeout(settings.slack_timeout_seconds):
            info = await channel_info(client, channel)
            if info.get("is_member"):
                return True
            if info.get("is_private"):
                log.warning("the bot is not in the private channel %s: /invite @publ-sync",
                            channel)
                return False
            await client.conversations_join(channel=channel)
    except (SlackApiError, *TRANSPORT_ERRORS) as error:
        log.warning("could not check or join the channel %s: %s", channel, _reason(error))
        return False
    log.info("joined the channel %s", channel)
    return True


async def doctor_checks(settings: Settings) -> list[Check]:
    """`publ-sync doctor`'s Slack lines: the token, its scopes, the channel, membership, and
    in Socket Mode the app token."""
    checks = await _bot_token_checks(settings)
    app_token = await app_token_check(settings)
    if app_token is not None:
        checks.append(app_token)
    return checks


async def _bot_token_checks(settings: Settings) -> list[Check]:
    lang = settings.bot_language
    if not settings.slack_bot_token.get_secret_value():
        return [Check(None, t("download.doctor.slack_skipped", lang))]
    client = web_client(settings)
    try:
        identity = await client.auth_test()
    except (SlackApiError, *TRANSPORT_ERRORS) as error:
        return [Check(False, t("download.doctor.slack_token_bad", lang,
                               reason=_reason(error)))]
    checks = [Check(True, t("download.doctor.slack_token_ok", lang,
                            team=identity.get("team", "?"), user=identity.get("user", "?")))]
    granted = _granted(identity.headers)
    if granted is not None:
        checks.append(_scope_check(lang, granted))
    channel = settings.slack_channel
    if not channel:
        checks.append(Check(False, t("download.doctor.slack_channel_missing", lang)))
        return checks
    checks.append(await _channel_check(client, settings, channel))
    return checks


async def app_token_check(settings: Settings) -> Check | None:
    """Socket Mode's token, tried as publ-bot uses it (`apps.connections.open`); None in
    HTTP mode, where there is no app token to check. The WebSocket address Slack hands out
    is not used and simply expires."""
    lang = settings.bot_language
    app_token = settings.slack_app_token.get_secret_value()
    if not app_token:
        return None
    client = AsyncWebClient(base_url=settings.slack_api_url,
                            timeout=settings.slack_timeout_seconds)  # no bot token: app's own
    try:
        await client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        return Check(False, t("download.doctor.app_token_bad", lang,
                              reason=_reason(error)))
    except TRANSPORT_ERRORS as error:
        return Check(False, t("download.doctor.app_token_unreachable", lang,
                              reason=_reason(error), url=settings.slack_api_url))
    return Check(True, t("download.doctor.app_token_ok", lang))


async def _channel_check(client: AsyncWebClient, settings: Settings, channel: str) -> Check:
    lang = settings.bot_language
    try:
        info = await channel_info(client, channel)
    except SlackApiError as error:
        code = _reason(error)
        if code == "missing_scope":
            provided = str(error.response.get("provided") or "")
            granted = {scope for scope in provided.split(",") if scope}
            return _scope_check(lang, granted, needed=str(error.response.get("needed") or ""))
        if code == "channel_not_found":
            return Check(False, t("bot.doctor.channel_not_found", lang, channel=channel))
        return Check(False, t("download.doctor.slack_channel_bad", lang, channel=channel,
                              reason=code))
    except TRANSPORT_ERRORS as error:
        return Check(False, t("download.doctor.slack_channel_bad", lang, channel=channel,
                              reason=_reason(error)))
    if not info.get("is_member"):
        key = "bot.doctor.not_member_private" if info.get("is_private") else (
            "bot.doctor.not_member_public")
        return Check(False, t(key, lang, channel=channel))
    return Check(True, t("download.doctor.slack_channel_ok", lang, channel=channel))


def _scope_check(lang: str, granted: set[str], needed: str = "") -> Check:
    """✓ when the token holds every scope the bot needs; else the missing ones and the cure
    (an install made from an older manifest.yaml)."""
    missing = sorted((bot_scopes() - granted) | ({needed} - {""} - granted))
    if missing:
        return Check(False, t("bot.doctor.scopes_missing", lang, scopes=", ".join(missing)))
    return Check(True, t("bot.doctor.scopes_ok", lang))


def _granted(headers: Any) -> set[str] | None:
    """The token's scopes, from the `X-OAuth-Scopes` header Slack sends with each answer."""
    for name, value in dict(headers or {}).items():
        if name.lower() == "x-oauth-scopes":
            values = value if isinstance(value, list) else [value]
            return {s.strip() for v in values for s in str(v).split(",") if s.strip()}
    return None


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        data = error.response.data
        if isinstance(data, dict):
            return str(data.get("error", "error"))
        return f"HTTP {error.response.status_code}"
    return type(error).__name__
