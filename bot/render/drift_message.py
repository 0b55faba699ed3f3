"""The drift notice: publ changed its screen a little, the sync still works (one message
for the drifts the channel has not heard of yet)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.render.common import validated
from bot.render.safety import outside_text
from sync.drifts import describe
from sync.i18n import t
from sync.report import Drift
from sync.settings import Settings

Message = tuple[str, list[Block]]


def found_text(text: str) -> str:
    """What a fallback found on the console: outside text, so escaped and shortened."""
    return outside_text(text, 200)


def notice(settings: Settings, drifts: list[Drift]) -> Message:
    """Each drift on its line (what was found comes from the console: escaped), then what
    to do — nothing now; the setting is named for whoever maintains the server."""
    lang = settings.bot_language
    lines = [describe(drift, lang, shown=found_text) for drift in drifts]
    settings_named = ", ".join(sorted({drift.setting for drift in drifts}))
    advice = t("drift.notice", lang, setting=settings_named)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=advice)]))
    return "\n".join([*lines, advice]), validated(blocks)
