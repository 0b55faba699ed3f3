"""`/publ-sync reset-session`: set the saved login aside so that the next sync logs in."""

from __future__ import annotations

import logging

from bot.commands.context import CommandContext
from bot.render import run_message
from bot.render.safety import escape
from sync.downloader import session
from sync.i18n import t
from sync.storage import Storage

log = logging.getLogger(__name__)


async def handle(ctx: CommandContext) -> None:
    """Allowed users only, and not while a sync runs, here or in another process (its browser
    would save the session right back); the file goes to `trash/`, kept and timestamped."""
    if await ctx.refused():
        return
    core = ctx.core
    busy = await core.run_going()
    if busy is not None:
        running = run_message.already_running(core.present, busy)
        await ctx.ack(text=t("bot.reset.busy", ctx.lang, running=running))
        return
    try:
        moved = session.set_aside(Storage(core.settings.storage_dir).ensure(), "slack",
                                  core.clock())
    except OSError as error:
        log.error("could not set the session aside: %s", type(error).__name__)
        await ctx.ack(text=t("bot.reset.failed", ctx.lang, reason=escape(type(error).__name__)))
        return
    if moved is None:
        await ctx.ack(text=t("session.none_to_reset", ctx.lang))
        return
    log.info("session set aside to %s at the request of %s", moved.name, ctx.user_id)
    await ctx.ack(text=t("bot.reset.done", ctx.lang))
