"""Where a message goes: posted in a channel and updated in place, or — where the bot may not
post (a private channel it is not in, a DM) — sent through the slash command's response_url.

Every Slack failure here is logged and swallowed: a report that cannot be shown must never
turn a finished sync into a crash, and a Slack call that hangs is a failure like any other.
Nothing is lost either:
- an update that fails for good posts the result as a new message at the same place, then
  turns the old message into a line pointing to it, or deletes it (never left at "running");
- a message for a channel that cannot reach Slack at all (refused, DNS, 5xx, timeout) is
  kept in the database outbox and sent when Slack answers again — labelled late, with the
  time of its run. A response_url is a credential and expires: never kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.common import local_time
from bot.slack_client import response_url_client
from sync import outbox, redact
from sync.db import Database
from sync.i18n import t
from sync.settings import Settings

log = logging.getLogger(__name__)

# chat.postMessage errors meaning "this bot cannot post there", where response_url still can.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived",
                          "restricted_action", "cannot_dm_bot", "missing_scope"})
# Failures after which Slack certainly (or, for a timeout, probably) did not show the message.
TRANSPORT_ERRORS = (SlackClientError, aiohttp.ClientError, OSError, TimeoutError)

Delivered = Callable[[outbox.Waiting, str, str], Awaitable[None]]  # item, channel, ts
OpenDatabase = Callable[[], Awaitable[Database]]


@dataclass
class ReplyTarget:
    """Where a run's message goes."""

    channel: str
    thread_ts: str | None = None  # alert buttons report in the alert's thread
    response_url: str | None = None  # slash commands: fallback when the bot can't post there
    broadcast: bool = False  # a thread reply also shown in the channel (reply_broadcast)


@dataclass
class PostedMessage:
    """A message already shown, so that it can be updated in place."""

    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None  # set when the message went through response_url


@dataclass(frozen=True)
class Keep:
    """What a message is, so that it can wait in the outbox when Slack is unreachable: its
    kind ("run", "alert", …) and run. Per (kind, run) only the newest state is kept."""

    kind: str
    run_id: str | None = None
    run_started_at: datetime | None = None


def unreachable(error: Exception) -> bool:
    """Whether `error` means Slack did not take the message (and may later), rather than a
    refusal that will not change (`channel_not_found`, `invalid_blocks`, …)."""
    if isinstance(error, SlackApiError):
        return error.response.status_code == 429 or error.response.status_code >= 500
    return isinstance(error, TRANSPORT_ERRORS)


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__


class Delivery:
    """Posts, updates and private notes for one bot, through its Web API client."""

    def __init__(self, client: AsyncWebClient, settings: Settings,
                 database: OpenDatabase) -> None:
        self.client = client
        self.settings = settings
        self.database = database  # the core's: the outbox lives in the bot's database
        self.on_delivered: dict[str, Delivered] = {}  # kind -> what to note once it arrives
        self._wake = asyncio.Event()

    # --- messages ------------------------------------------------------------------------

    async def post(self, target: ReplyTarget, text: str, blocks: Sequence[Block], *,
                   keep: Keep | None = None) -> PostedMessage | None:
        """Show a new message at `target`; falls back to its response_url, and with `keep`
        to the outbox when Slack cannot be reached."""
        try:
            answer = await self.client.chat_postMessage(
                channel=target.channel, thread_ts=target.thread_ts, text=text,
                blocks=_as_dicts(blocks), unfurl_links=False, unfurl_media=False,
                reply_broadcast=bool(target.broadcast and target.thread_ts) or None)
        except SlackApiError as error:
            code = error.response.get("error")
            if target.response_url and code in NOT_POSTABLE:
                log.info("cannot post in %s (%s); answering through response_url",
                         target.channel, code)
                sent = await self._send_response(target.response_url, text, blocks,
                                                 in_channel=True, replace=False)
                if not sent:
                    _dropped()
                return PostedMessage(response_url=target.response_url) if sent else None
            log.error("could not post to Slack channel %s: %s", target.channel, _reason(error))
            if unreachable(error):
                await self._keep(keep, target, text, blocks)
            return None
        except TRANSPORT_ERRORS as error:
            log.error("could not reach Slack to post in %s: %s", target.channel,
                      _reason(error))
            await self._keep(keep, target, text, blocks)
            return None
        posted = PostedMessage(channel=answer.get("channel") or target.channel,
                               ts=answer.get("ts"))
        if keep is not None:
            await self._forget(keep)  # an older state waiting would only repeat it
        return posted

    async def update(self, posted: PostedMessage | None, target: ReplyTarget, text: str,
                     blocks: Sequence[Block], *,
                     keep: Keep | None = None) -> PostedMessage | None:
        """Replace a shown message. If the first never arrived, or this update fails for
        good, the new state is posted as a new message and the old one points to it."""
        if posted is None:
            return await self.post(target, text, blocks, keep=keep)
        if posted.response_url:
            if not await self._send_response(posted.response_url, text, blocks,
                                             in_channel=True, replace=True):
                _dropped()
            return posted
        channel = posted.channel or target.channel
        try:
            await self.client.chat_update(channel=channel, ts=posted.ts or "", text=text,
                                          blocks=_as_dicts(blocks))
            if keep is not None:
                await self._forget(keep)
            return posted
        except (SlackApiError, *TRANSPORT_ERRORS) as error:
            log.error("could not update the Slack message: %s; posting the result anew",
                      _reason(error))
        place = ReplyTarget(channel, thread_ts=target.thread_ts)
        fresh = await self.post(place, text, blocks,
                                keep=_replacing(keep, posted.ts) if keep else None)
        if fresh is not None:
            await self.retire(channel, posted.ts)
        return fresh

    async def retire(self, channel: str, ts: str | None) -> None:
        """Turn a stale message (still saying "running…") into one line pointing to its
        result below, or delete it when even that fails."""
        if not ts:
            return
        text = t("bot.delivery.pointer", self.settings.bot_language)
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text,
                                          blocks=_as_dicts(_text_blocks(text)))
            return
        except (SlackApiError, *TRANSPORT_ERRORS) as error:
            log.warning("could not turn the old message into a pointer (%s); deleting it",
                        _reason(error))
        try:
            await self.client.chat_delete(channel=channel, ts=ts)
        except (SlackApiError, *TRANSPORT_ERRORS) as error:
            log.error("could not delete the old message either: %s", _reason(error))

    async def upload_file(self, channel: str, thread_ts: str | None, content: bytes,
                          filename: str, title: str) -> bool:
        """Upload `content` into `channel` (a thread of it) with files_upload_v2; True when
        Slack took it. A failure is logged by its error code only."""
        try:
            await self.client.files_upload_v2(channel=channel, thread_ts=thread_ts,
                                              content=content, filename=filename, title=title)
            return True
        except SlackApiError as error:
            log.error("could not upload a file to Slack: %s", error.response.get("error"))
        except (SlackClientError, OSError) as error:
            log.error("could not reach Slack to upload a file: %s", type(error).__name__)
        return False

    async def publish_home(self, user_id: str, view: dict[str, object]) -> bool:
        """Show `view` as `user_id`'s Home tab (views.publish); True when Slack took it."""
        try:
            await self.client.views_publish(user_id=user_id, view=view)
            return True
        except SlackApiError as error:
            log.error("could not publish the Home tab: %s", error.response.get("error"))
        except SlackClientError as error:
            log.error("could not reach Slack to publish the Home tab: %s",
                      type(error).__name__)
        return False

    async def notify(self, target: ReplyTarget, user: str | None, text: str) -> None:
        """A note only `user` sees where possible (response_url, then an ephemeral message);
        with no user to address (the schedule), a message at the target."""
        if target.response_url and await self._send_response(
                target.response_url, text, (), in_channel=False, replace=False):
            return
        try:
            if user:
                await self.client.chat_postEphemeral(channel=target.channel, user=user,
                                                     text=text, thread_ts=target.thread_ts)
            else:
                await self.client.chat_postMessage(channel=target.channel, text=text,
                                                   thread_ts=target.thread_ts)
        except SlackApiError as error:
            log.error("could not send a note to Slack: %s", _reason(error))
        except TRANSPORT_ERRORS as error:
            log.error("could not reach Slack to send a note: %s", _reason(error))

    async def _send_response(self, url: str, text: str, blocks: Sequence[Block], *,
                             in_channel: bool, replace: bool) -> bool:
        """POST to a response_url; True when Slack took it. The URL is never logged (and is
        masked should a library log it: it lets anyone post as the bot)."""
        redact.add_secret(url)
        try:
            answer = await response_url_client(self.settings, url).send(
                text=text, blocks=_as_dicts(blocks) or None,
                response_type="in_channel" if in_channel else "ephemeral",
                replace_original=replace or None)
        except (*TRANSPORT_ERRORS, ValueError) as error:
            log.error("could not answer through response_url: %s", type(error).__name__)
            return False
        if answer.status_code != 200:
            log.error("response_url refused the answer: HTTP %s", answer.status_code)
            return False
        return True

    # --- the outbox ----------------------------------------------------------------------

    async def _keep(self, keep: Keep | None, target: ReplyTarget, text: str,
                    blocks: Sequence[Block], replaces_ts: str | None = None) -> None:
        """Put a channel message in the outbox (nothing without `keep`, e.g. "running…")."""
        if keep is None or not target.channel:
            return
        try:
            db = await self.database()
            await outbox.keep(db, kind=keep.kind, run_id=keep.run_id,
                              run_started_at=keep.run_started_at, channel=target.channel,
                              thread_ts=target.thread_ts,
                              replaces_ts=replaces_ts or _replaced_ts(keep),
                              text=text, blocks_json=json.dumps(_as_dicts(blocks)))
        except Exception as error:  # the database is the last resort; say so and go on
            log.error("could not keep the Slack message for later: %s", type(error).__name__)
            return
        log.warning("Slack is unreachable; the %s message waits in the outbox", keep.kind)
        self._wake.set()

    async def _forget(self, keep: Keep) -> None:
        try:
            db = await self.database()
            await outbox.discard(db, kind=keep.kind, run_id=keep.run_id)
        except Exception as error:
            log.warning("could not clear the outbox: %s", type(error).__name__)

    async def flush_outbox(self) -> bool:
        """Send every kept message, oldest first; False when Slack is still unreachable
        (the rest wait for the next try)."""
        db = await self.database()
        for item in await outbox.waiting(db):
            blocks: list[dict[str, Any]] = json.loads(item.blocks_json or "[]")
            label = t("bot.delivery.late", self.settings.bot_language,
                      time=local_time(self.settings, item.run_started_at))
            late = ContextBlock(elements=[MarkdownTextObject(text=label)]).to_dict()
            try:
                answer = await self.client.chat_postMessage(
                    channel=item.channel, thread_ts=item.thread_ts,
                    text=f"{label}\n{item.text}", blocks=[late, *blocks] if blocks else None,
                    unfurl_links=False, unfurl_media=False)
            except (SlackApiError, *TRANSPORT_ERRORS) as error:
                if unreachable(error):
                    await outbox.attempted(db, item.id)
                    return False
                log.error("dropped a kept %s message Slack refused: %s", item.kind,
                          _reason(error))
                await outbox.delivered(db, item.id)
                continue
            await outbox.delivered(db, item.id)
            log.info("delivered a kept %s message late", item.kind)
            ts = str(answer.get("ts") or "")
            if item.replaces_ts:
                await self.retire(item.channel, item.replaces_ts)
            callback = self.on_delivered.get(item.kind)
            if callback is not None:
                try:
                    await callback(item, str(answer.get("channel") or item.channel), ts)
                except Exception:
                    log.exception("noting the late %s message failed", item.kind)
        return True

    async def run_outbox(self) -> None:
        """Until cancelled: send kept messages at start, whenever one is kept, and again
        after `OUTBOX_RETRY_SECONDS` doubling up to `OUTBOX_RETRY_MAX_SECONDS` while Slack
        stays unreachable."""
        delay = self.settings.outbox_retry_seconds
        while True:
            self._wake.clear()
            try:
                done = await self.flush_outbox()
            except Exception as error:  # the database, say: try again later
                log.warning("could not read the outbox: %s", type(error).__name__)
                done = False
            if done:
                delay = self.settings.outbox_retry_seconds
                await self._wake.wait()
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
            delay = min(delay * 2, self.settings.outbox_retry_max_seconds)


def _dropped() -> None:
    """A response_url message that could not be sent is not kept: the URL is a credential
    and expires (30 minutes, 5 posts). `status` still shows the run's result."""
    log.warning("dropped a result meant for a slash command's response_url "
                "(not kept; /publ-sync status shows it)")


def _as_dicts(blocks: Sequence[Block | dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as the JSON Slack receives (and the outbox keeps)."""
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]


def _text_blocks(text: str) -> list[Block]:
    from slack_sdk.models.blocks import SectionBlock

    return [SectionBlock(text=MarkdownTextObject(text=text))]


@dataclass(frozen=True)
class _KeepReplacing(Keep):
    replaces_ts: str | None = None


def _replacing(keep: Keep, ts: str | None) -> Keep:
    """`keep`, remembering the stale message its late delivery must retire."""
    return _KeepReplacing(keep.kind, keep.run_id, keep.run_started_at, ts)


def _replaced_ts(keep: Keep) -> str | None:
    return keep.replaces_ts if isinstance(keep, _KeepReplacing) else None
