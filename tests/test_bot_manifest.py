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


def test_manifest_scopes_cover_every_web_api_method_the_bot_calls() -> None:
    """Methods called under bot/ and the scope Slack requires for each (Slack's docs)."""
    needed = {"chat_postMessage": "chat:write", "chat_update": "chat:write",
              "chat_postEphemeral": "chat:write", "files_upload_v2": "files:write"}
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot").rglob("*.py"))
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    for method, scope in needed.items():
        if method in sources:
            assert scope in scopes, f"{method} needs {scope}"
    assert {"commands", "chat:write", "chat:write.public", "files:write"} <= scopes


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
