"""Where a message goes: posted in a channel and updated in place, or — where the bot may not
post (a private channel it is not in, a DM) — sent through the slash command's response_url.

Every Slack failure here is logged and swallowed: a report that cannot be shown must never
turn a finished sync into a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_client import response_url_client
from sync.settings import Settings

log = logging.getLogger(__name__)

# chat.postMessage errors meaning "this bot cannot post there", where response_url still can.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived",
                          "restricted_action", "cannot_dm_bot", "missing_scope"})


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


class Delivery:
    """Posts, updates and private notes for one bot, through its Web API client."""

    def __init__(self, client: AsyncWebClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    async def post(self, target: ReplyTarget, text: str,
                   blocks: Sequence[Block]) -> PostedMessage | None:
        """Show a new message at `target`; falls back to its response_url."""
        try:
            answer = await self.client.chat_postMessage(
                channel=target.channel, thread_ts=target.thread_ts, text=text,
                blocks=list(blocks), unfurl_links=False, unfurl_media=False,
                reply_broadcast=bool(target.broadcast and target.thread_ts) or None)
            return PostedMessage(channel=answer.get("channel") or target.channel,
                                 ts=answer.get("ts"))
        except SlackApiError as error:
            code = error.response.get("error")
            if target.response_url and code in NOT_POSTABLE:
                log.info("cannot post in %s (%s); answering through response_url",
                         target.channel, code)
                sent = await self._send_response(target.response_url, text, blocks,
                                                 in_channel=True, replace=False)
                return PostedMessage(response_url=target.response_url) if sent else None
            log.error("could not post to Slack channel %s: %s", target.channel, code)
        except SlackClientError as error:
            log.error("could not reach Slack to post in %s: %s", target.channel,
                      type(error).__name__)
        return None

    async def update(self, posted: PostedMessage | None, target: ReplyTarget, text: str,
                     blocks: Sequence[Block]) -> None:
        """Replace a shown message; posts a new one if the first never arrived."""
        if posted is None:
            await self.post(target, text, blocks)
            return
        if posted.response_url:
            await self._send_response(posted.response_url, text, blocks, in_channel=True,
                                      replace=True)
            return
        try:
            await self.client.chat_update(channel=posted.channel or target.channel,
                                          ts=posted.ts or "", text=text, blocks=list(blocks))
        except SlackApiError as error:
            log.error("could not update the Slack message: %s", error.response.get("error"))
        except SlackClientError as error:
            log.error("could not reach Slack to update a message: %s", type(error).__name__)

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
            log.error("could not send a note to Slack: %s", error.response.get("error"))
        except SlackClientError as error:
            log.error("could not reach Slack to send a note: %s", type(error).__name__)

    async def _send_response(self, url: str, text: str, blocks: Sequence[Block], *,
                             in_channel: bool, replace: bool) -> bool:
        """POST to a response_url; True when Slack took it."""
        try:
            answer = await response_url_client(self.settings, url).send(
                text=text, blocks=list(blocks) or None,
                response_type="in_channel" if in_channel else "ephemeral",
                replace_original=replace or None)
        except (SlackClientError, OSError) as error:
            log.error("could not answer through response_url: %s", type(error).__name__)
            return False
        if answer.status_code != 200:
            log.error("response_url refused the answer: HTTP %s", answer.status_code)
            return False
        return True
