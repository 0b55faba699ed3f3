"""`/publ-sync reset-session`: set the saved login aside so that the next sync logs in."""

from __future__ import annotations

import logging

from bot.commands.context import CommandContext
from bot.render.safety import escape
from sync.i18n import t
from sync.storage import Storage

log = logging.getLogger(__name__)


async def handle(ctx: CommandContext) -> None:
    """Allowed users only; the session file goes to `trash/` (kept, timestamped)."""
    core = ctx.core
    if not core.allowed(ctx.user_id):
        await ctx.ack(text=t("bot.refused", ctx.lang))
        return
    storage = Storage(core.settings.storage_dir).ensure()
    if not storage.session_file.exists():
        await ctx.ack(text=t("bot.reset.none", ctx.lang))
        return
    try:
        moved = storage.set_aside(storage.session_file, core.clock(), label="slack")
    except OSError as error:
        log.error("could not set the session aside: %s", type(error).__name__)
        await ctx.ack(text=t("bot.reset.failed", ctx.lang, reason=escape(type(error).__name__)))
        return
    log.info("session set aside to %s at the request of %s", moved.name, ctx.user_id)
    await ctx.ack(text=t("bot.reset.done", ctx.lang))
