"""`publ-sync doctor` checks the app token the way publ-bot uses it: `apps.connections.open`
with the `xapp-` token. A refused or unreachable answer is a ✗ that says what to do."""

from __future__ import annotations

from bot import slack_channel
from tests.fixtures.slack import APP_TOKEN, SlackStandIn, free_port, slack_settings


async def test_a_working_app_token_passes(make_settings, slack_api: SlackStandIn) -> None:
    settings = make_settings(**slack_settings(slack_api, slack_app_token=APP_TOKEN))
    check = await slack_channel.app_token_check(settings)
    assert check is not None and check.ok is True
    assert "Socket Mode" in check.text
    [opened] = slack_api.of("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"


async def test_a_refused_app_token_fails_the_check(make_settings,
                                                   slack_api: SlackStandIn) -> None:
    slack_api.fail("apps.connections.open", "invalid_auth")
    settings = make_settings(**slack_settings(slack_api, slack_app_token=APP_TOKEN))
    check = await slack_channel.app_token_check(settings)
    assert check is not None and check.ok is False
    assert "invalid_auth" in check.text and "SLACK_APP_TOKEN" in check.text
    assert APP_TOKEN not in check.text


async def test_slack_out_of_reach_fails_the_check_in_english(make_settings,
                                                             slack_api: SlackStandIn) -> None:
    settings = make_settings(**slack_settings(
        slack_api, slack_app_token=APP_TOKEN, bot_language="en",
        slack_api_url=f"http://127.0.0.1:{free_port()}/api/"))
    check = await slack_channel.app_token_check(settings)
    assert check is not None and check.ok is False
    assert check.text.startswith("Slack app token: could not reach Slack"), check.text


async def test_http_mode_has_no_app_token_line(make_settings, slack_api: SlackStandIn) -> None:
    assert await slack_channel.app_token_check(make_settings(**slack_settings(slack_api))) is None
    assert not slack_api.of("apps.connections.open")
