"""The business digest as Block Kit: a title, the figures, the top products (their names are
outside text, so escaped and masked), and what data it rests on."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.render.common import validated
from bot.render.safety import outside_text
from sync.digest import DigestText

PRODUCT_NAME_LIMIT = 80


def digest_blocks(text: DigestText) -> list[Block]:
    """The digest's blocks, ready to go under a run's result or alone (`report`)."""
    body = "\n".join([f"*{text.title}*", *text.lines])
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=body))]
    if text.products:
        lines = [line.replace("{name}", outside_text(name, limit=PRODUCT_NAME_LIMIT))
                 for name, line in text.products]
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text="\n".join([text.products_title, *lines]))))
    if text.note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text.note)]))
    return validated(blocks)


def digest_fallback(text: DigestText) -> str:
    """The notification text: the title and the first figure, without mrkdwn stars."""
    return " — ".join([text.title, *text.lines[:1]]).replace("*", "").replace("_", "")
