"""The bot's HTTP endpoint refuses requests Slack did not sign, and nothing starts."""

from __future__ import annotations

import time

import aiohttp

from tests.fixtures.slack import (
    SIGNING_SECRET,
    SlackStandIn,
    StubRunner,
    send_signed,
    signature,
    slash_body,
)


async def test_forged_signature_is_refused(start_bot, slack_api: SlackStandIn) -> None:
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    answer = await send_signed(bot.url, slash_body(), secret="not-the-signing-secret")
    assert answer.status == 401
    assert runner.calls == []
    assert slack_api.of("chat.postMessage") == []


async def test_stale_timestamp_is_refused(start_bot, slack_api: SlackStandIn) -> None:
    """A correctly signed request replayed after more than five minutes."""
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    answer = await send_signed(bot.url, slash_body(), secret=SIGNING_SECRET,
                               timestamp=int(time.time()) - 6 * 60)
    assert answer.status == 401
    assert runner.calls == []


async def test_unsigned_request_is_refused(start_bot, slack_api: SlackStandIn) -> None:
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    answer = await send_signed(bot.url, slash_body(), sign=False)
    assert answer.status == 401
    assert runner.calls == []


async def test_body_changed_after_signing_is_refused(start_bot) -> None:
    """Signed for one body, sent with another (a different user id)."""
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    stamp = int(time.time())
    original = slash_body(user_id="U0OPERATOR")
    tampered = slash_body(user_id="U0ATTACKER")
    headers = {"X-Slack-Request-Timestamp": str(stamp),
               "X-Slack-Signature": signature(SIGNING_SECRET, str(stamp), original),
               "Content-Type": "application/x-www-form-urlencoded"}
    async with aiohttp.ClientSession() as session, session.post(
            bot.url, data=tampered.encode(), headers=headers) as response:
        assert response.status == 401
    assert runner.calls == []


async def test_correct_signature_is_accepted(start_bot) -> None:
    """The control for the refusals above: the same request, signed right, gets in."""
    runner = StubRunner()
    bot = await start_bot(runner=runner)
    answer = await bot.command("help")
    assert answer.status == 200
    assert "/publ-sync status" in answer.message
