"""`/publ-sync` (or `run`): start a sync now; its message appears in this channel."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.render import run_message
from sync.i18n import t


async def handle(ctx: CommandContext) -> None:
    """Refuse, say a run is already going (here or in another process), or start the run
    and ack."""
    if await ctx.refused():
        return
    core = ctx.core
    busy = await core.run_going()
    if busy is not None:
        await ctx.ack(text=run_message.already_running(core.present, busy))
        return
    core.start_sync(trigger="slash", requested_by=ctx.user_id, target=ctx.target)
    await ctx.ack(text=t("bot.ack.starting", ctx.lang))
