"""The strict Slack stand-in answers as Slack does (tests/fixtures/SLACK_RULES.md): one test
per rule, the only place where that rule may be switched off."""

from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fixtures.slack import APP_TOKEN, BOT_TOKEN, CHANNEL_ID, SESSION_METHODS, SlackStandIn


def client(slack_api: SlackStandIn, token: str = BOT_TOKEN) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=slack_api.base_url, timeout=5)


async def error_of(call) -> dict:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as raised:
        await call
    return dict(raised.value.response.data)  # type: ignore[arg-type]


async def test_rule_scopes_missing_scope_names_needed_and_provided(
        slack_api: SlackStandIn) -> None:
    slack_api.bot_scopes.discard("chat:write")
    answer = await error_of(client(slack_api).chat_postMessage(channel=CHANNEL_ID, text="x"))
    assert answer["error"] == "missing_scope" and answer["needed"] == "chat:write"
    assert "chat:write" not in answer["provided"].split(",")
    assert "files:write" in answer["provided"].split(",")

    # conversations.info: channels:read for a public channel, groups:read for a private one
    slack_api.bot_scopes.discard("channels:read")
    answer = await error_of(client(slack_api).conversations_info(channel=CHANNEL_ID))
    assert answer["needed"] == "channels:read"
    slack_api.add_channel("G0PRIVATE", private=True, member=True)
    assert (await client(slack_api).conversations_info(channel="G0PRIVATE"))["ok"]

    slack_api.relax("scopes")
    assert (await client(slack_api).chat_postMessage(channel=CHANNEL_ID, text="x"))["ok"]


async def test_rule_scopes_every_answer_lists_the_tokens_scopes(slack_api: SlackStandIn) -> None:
    answer = await client(slack_api).auth_test()
    header = {k.lower(): v for k, v in answer.headers.items()}["x-oauth-scopes"]
    listed = header[0] if isinstance(header, list) else header
    assert set(listed.split(",")) == slack_api.bot_scopes


async def test_rule_scopes_app_token_is_checked_apart(slack_api: SlackStandIn) -> None:
    await error_of(client(slack_api).apps_connections_open(app_token=BOT_TOKEN))
    slack_api.app_scopes.clear()
    answer = await error_of(client(slack_api, APP_TOKEN).apps_connections_open(
        app_token=APP_TOKEN))
    assert answer["error"] == "missing_scope" and answer["needed"] == "connections:write"


def test_a_rule_cannot_be_switched_off_outside_its_own_test(slack_api: SlackStandIn) -> None:
    with pytest.raises(AssertionError):
        slack_api.relax("membership")


async def test_rule_membership(slack_api: SlackStandIn) -> None:
    web = client(slack_api)
    slack_api.add_channel("C0PUBLIC", member=False)
    slack_api.add_channel("G0PRIVATE", private=True, member=False)
    # chat:write.public posts in a public channel the bot is not in ...
    assert (await web.chat_postMessage(channel="C0PUBLIC", text="x"))["ok"]
    # ... but ephemeral notes, uploads and history need membership
    for call in (web.chat_postEphemeral(channel="C0PUBLIC", user="U1", text="x"),
                 web.files_completeUploadExternal(files=[{"id": "F1"}], channel_id="C0PUBLIC"),
                 web.conversations_history(channel="C0PUBLIC")):
        answer = await error_of(call)
        assert answer["error"] in ("not_in_channel", "missing_scope")
    # a private channel it is not in looks exactly like a wrong id
    for channel in ("G0PRIVATE", "C0WRONGID"):
        assert (await error_of(web.chat_postMessage(channel=channel, text="x")))[
            "error"] == "channel_not_found"
    assert (await error_of(web.conversations_join(channel="G0PRIVATE")))[
        "error"] == "channel_not_found"
    # joining a public channel, or an invite to a private one, makes it a member
    await web.conversations_join(channel="C0PUBLIC")
    assert (await web.chat_postEphemeral(channel="C0PUBLIC", user="U1", text="x"))["ok"]
    slack_api.invite("G0PRIVATE")
    assert (await web.chat_postMessage(channel="G0PRIVATE", text="x"))["ok"]
    # without chat:write.public, a public channel it is not in refuses posts
    slack_api.add_channel("C0OTHER", member=False)
    slack_api.bot_scopes.discard("chat:write.public")
    assert (await error_of(web.chat_postMessage(channel="C0OTHER", text="x")))[
        "error"] == "not_in_channel"
    slack_api.relax("membership")
    assert (await web.chat_postEphemeral(channel="C0OTHER", user="U1", text="x"))["ok"]
    # History is the stand-in's rule, not a call of the bot: keep it out of the session check.
    SESSION_METHODS.discard("conversations.history")


async def test_rule_limits(slack_api: SlackStandIn) -> None:
    web = client(slack_api)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    answer = await error_of(web.chat_postMessage(channel=CHANNEL_ID, text="x",
                                                 blocks=[section] * 51))
    assert answer["error"] == "invalid_blocks"
    long_section = {"type": "section", "text": {"type": "mrkdwn", "text": "가" * 3001}}
    await error_of(web.chat_postMessage(channel=CHANNEL_ID, text="x", blocks=[long_section]))
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    await error_of(web.chat_postMessage(channel=CHANNEL_ID, text="x", blocks=[header]))
    # a very long text is truncated by chat.postMessage, refused by chat.update
    posted = await web.chat_postMessage(channel=CHANNEL_ID, text="t" * 40_001)
    assert len(slack_api.message(posted["ts"]).text) == 40_000
    answer = await error_of(web.chat_update(channel=CHANNEL_ID, ts=posted["ts"],
                                            text="t" * 40_001))
    assert answer["error"] == "msg_too_long"
    assert (await error_of(web.chat_update(channel=CHANNEL_ID, ts="1.2", text="x")))[
        "error"] == "message_not_found"
    slack_api.relax("limits")
    assert (await web.chat_postMessage(channel=CHANNEL_ID, text="x", blocks=[section] * 51))[
        "ok"]


async def test_rule_response_url_limit_five_posts_within_30_minutes(
        slack_api: SlackStandIn) -> None:
    url = slack_api.new_response_url()
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(6):
            async with session.post(url, json={"text": "x"}) as response:
                statuses.append(response.status)
        assert statuses == [200] * 5 + [404]
        slack_api.relax("response_url_limit")
        async with session.post(url, json={"text": "x"}) as response:
            assert response.status == 200


async def test_rule_scopes_views_publish_needs_none(slack_api: SlackStandIn) -> None:
    """views.publish lists no scope on its page (App Home must be on in the manifest)."""
    slack_api.bot_scopes.clear()
    answer = await client(slack_api).views_publish(user_id="U1", view={"type": "home",
                                                                       "blocks": []})
    assert answer["ok"]
    assert (await client(slack_api).auth_test())["ok"]
