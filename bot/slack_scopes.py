"""Every Slack Web API method publ-sync calls (under `bot/` and `sync/`) and the bot-token
scopes Slack requires for it, from each method's page at api.slack.com/methods/<method>.

`manifest.yaml` must grant exactly the scopes named here (tests/test_bot_manifest.py), and
the test suite fails when the bot calls a method missing from this map (the strict Slack
stand-in records every call), so a new call cannot ship without its scope.
"""

from __future__ import annotations

# method -> scopes the bot token may need for it (all of them must be granted: e.g.
# conversations.info needs channels:read for a public channel, groups:read for a private one).
BOT_METHOD_SCOPES: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),  # no scope
    "chat.postMessage": frozenset({"chat:write", "chat:write.public"}),  # .public: not a member
    "chat.update": frozenset({"chat:write"}),
    "chat.delete": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "conversations.info": frozenset({"channels:read", "groups:read"}),
    "conversations.join": frozenset({"channels:join"}),
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
    "views.publish": frozenset(),  # no scope (App Home must be switched on in the manifest)
}

# Scopes a feature needs that no Web API call asks for.
FEATURE_SCOPES: dict[str, str] = {
    "commands": "the /publ-sync slash command",
}

# Methods called with the app-level token (Socket Mode), not the bot token.
APP_TOKEN_METHOD_SCOPES: dict[str, frozenset[str]] = {
    "apps.connections.open": frozenset({"connections:write"}),
}


def bot_scopes() -> frozenset[str]:
    """Every bot-token scope the app needs: what manifest.yaml must grant, no more."""
    needed: set[str] = set(FEATURE_SCOPES)
    for scopes in BOT_METHOD_SCOPES.values():
        needed |= scopes
    return frozenset(needed)


def unmapped(methods: set[str]) -> set[str]:
    """The methods in `methods` this map does not know (so their scopes are unchecked)."""
    return methods - set(BOT_METHOD_SCOPES) - set(APP_TOKEN_METHOD_SCOPES)
