"""Pieces every message shares: local times, durations, who started a run."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.render.safety import escape, user_mention
from sync.i18n import t
from sync.settings import Settings

KNOWN_TRIGGERS = ("slash", "button", "schedule", "catch_up", "cli")


def local_time(settings: Settings, when: datetime | None) -> str:
    """`2026-11-27 16:41` in `TIMEZONE` (naive times are taken as UTC)."""
    if when is None:
        return "-"
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo("UTC"))
    return when.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")


def who(lang: str, requested_by: str | None) -> str:
    """A Slack mention of the requester, or "someone"."""
    return user_mention(requested_by) or t("bot.someone", lang)


def trigger_label(lang: str, trigger: str, requested_by: str | None) -> str:
    """"Run by <@U…> with /publ-sync", "Daily scheduled sync", …"""
    if trigger in KNOWN_TRIGGERS:
        return t(f"bot.trigger.{trigger}", lang, who=who(lang, requested_by))
    return t("bot.trigger.other", lang, trigger=escape(trigger))


def starter_label(lang: str, trigger: str, requested_by: str | None) -> str:
    """Who started a run, to follow "started by": "<@U…> with /publ-sync", "the daily
    schedule", … (`trigger_label` already reads "Run by …")."""
    if trigger in KNOWN_TRIGGERS:
        return t(f"bot.starter.{trigger}", lang, who=who(lang, requested_by))
    return t("bot.starter.other", lang, trigger=escape(trigger))


def seconds(value: float) -> str:
    """A duration in seconds with one decimal."""
    return f"{value:.1f}"


def validated(blocks: list[Block]) -> list[Block]:
    """Raise now, with the block at fault, if a block breaks Slack's limits."""
    for block in blocks:
        block.to_dict()
    return blocks
