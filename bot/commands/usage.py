"""`/publ-sync help` (usage), and the answer to a word the bot does not know."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.render.safety import escape
from sync.i18n import t


async def handle(ctx: CommandContext) -> None:
    """The usage text, only for the asker."""
    await ctx.ack(text=t("bot.help", ctx.lang))


async def handle_unknown(ctx: CommandContext) -> None:
    """Says the word is unknown, then the usage text — never an error."""
    word = escape(ctx.word[:40])
    unknown = t("bot.help.unknown", ctx.lang, word=word)
    await ctx.ack(text=unknown + "\n\n" + t("bot.help", ctx.lang))
