"""manifest.yaml creates the Slack app the code expects: the command it listens to, the
scopes of the Web API methods it calls, Socket Mode and buttons switched on."""

from __future__ import annotations

from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML (a dev dependency) reads the manifest")

ROOT = Path(__file__).resolve().parent.parent


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))


def test_manifest_declares_the_command_the_bot_listens_to() -> None:
    from bot.listeners.commands import COMMAND

    [command] = manifest()["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert command["description"] and command["usage_hint"]
    assert "status" in command["usage_hint"] and "reset-session" in command["usage_hint"]


def test_manifest_grants_exactly_the_scopes_of_the_method_map() -> None:
    """Every scope bot/slack_scopes.py needs, and no other (least privilege)."""
    from bot.slack_scopes import bot_scopes

    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == set(bot_scopes())


def test_removing_a_scope_from_the_manifest_fails_the_scope_check(tmp_path: Path) -> None:
    from bot.slack_scopes import bot_scopes
    from tests.fixtures.slack import manifest_bot_scopes

    text = (ROOT / "manifest.yaml").read_text(encoding="utf-8")
    trimmed = tmp_path / "manifest.yaml"
    trimmed.write_text(text.replace("      - channels:read\n", ""), encoding="utf-8")
    assert manifest_bot_scopes(trimmed) != set(bot_scopes())
    assert bot_scopes() - manifest_bot_scopes(trimmed) == {"channels:read"}


def test_every_web_api_method_in_the_code_is_in_the_method_map() -> None:
    """The Web API methods named in bot/ and sync/ (`client.chat_postMessage`, an
    `api_call("conversations.info")`) all have their scopes mapped."""
    import re

    from bot.slack_scopes import unmapped

    sources = "\n".join(p.read_text(encoding="utf-8")
                        for folder in ("bot", "sync") for p in (ROOT / folder).rglob("*.py"))
    called = {name.replace("_", ".", 1) for name in re.findall(
        r"client\.((?:chat|conversations|files|views|auth|apps)_[A-Za-z]+)\(", sources)}
    called |= set(re.findall(r'api_call\(\s*"([a-z]+\.[A-Za-z.]+)"', sources))
    called = {"files.getUploadURLExternal" if m == "files.upload_v2" else m for m in called}
    assert called, "the pattern found no call at all"
    assert not unmapped(called)


def test_session_end_check_names_a_method_missing_from_the_map() -> None:
    from tests.fixtures import slack

    slack.SESSION_METHODS.add("reactions.add")
    try:
        assert slack.unmapped_session_methods() == {"reactions.add"}
    finally:
        slack.SESSION_METHODS.discard("reactions.add")
    assert not slack.unmapped_session_methods() - {"reactions.add"}


def test_manifest_switches_on_socket_mode_and_interactivity() -> None:
    data = manifest()
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["features"]["bot_user"]["display_name"]
    info = data["display_information"]
    assert len(info["name"]) <= 35
    assert 175 <= len(info["long_description"]) <= 4000  # Slack's limits


def test_manifest_enables_the_home_tab_and_its_event() -> None:
    """Without these Slack never sends `app_home_opened`, and Home stays blank."""
    data = manifest()
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in data["settings"]["event_subscriptions"]["bot_events"]
    [command] = data["features"]["slash_commands"]
    assert "report" in command["usage_hint"]
