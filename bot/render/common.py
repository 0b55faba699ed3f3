"""Pieces every message shares: who started a run, in Slack's words around the trigger's word.

Times, durations and trigger words themselves come from `sync.presented`, the same values
the terminal shows; here only Slack's additions (the requester's mention) are put around them.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block

from bot.render.safety import escape, user_mention
from sync.presented import Presenter
from sync.settings import Settings


def local_time(settings: Settings, when: datetime | None) -> str:
    """`2026-11-27 16:41 KST` in `TIMEZONE` (naive times are taken as UTC), or `-`."""
    return Presenter.for_settings(settings).time(when)


def who(p: Presenter, requested_by: str | None) -> str:
    """A Slack mention of the requester, or "someone"."""
    return user_mention(requested_by) or p.words("bot.someone")


def _label(p: Presenter, prefix: str, trigger: str, requested_by: str | None, *,
           other: str | None = None) -> str:
    """`prefix.<trigger>`'s sentence around the trigger's word and who; for a trigger with
    no sentence (one written by a newer version), `other`'s, or the word alone."""
    word = p.trigger(trigger)
    key = f"{prefix}.{trigger}"
    if p.words.has(key):
        return p.words(key, trigger=word, who=who(p, requested_by))
    return p.words(other, trigger=escape(word)) if other else escape(word)


def trigger_label(p: Presenter, trigger: str, requested_by: str | None) -> str:
    """"Run by <@U…> with /publ-sync", "매일 예약 동기화", …: the trigger's word, with who."""
    return _label(p, "bot.trigger", trigger, requested_by)


def starter_label(p: Presenter, trigger: str, requested_by: str | None) -> str:
    """Who started a run, to follow "started by": "<@U…> with /publ-sync", "the daily
    schedule", … (`trigger_label` already reads "Run by …")."""
    return _label(p, "bot.starter", trigger, requested_by, other="bot.starter.other")


def validated(blocks: list[Block]) -> list[Block]:
    """Raise now, with the block at fault, if a block breaks Slack's limits."""
    for block in blocks:
        block.to_dict()
    return blocks
