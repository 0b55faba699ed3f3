"""`/publ-sync status`: open to everyone; the answer only the asker sees."""

from __future__ import annotations

import logging

from bot.commands.context import CommandContext
from bot.render.status_message import status_message
from sync.status import gather_status

log = logging.getLogger(__name__)


async def handle(ctx: CommandContext) -> None:
    """Ack at once, then answer with the status through the command's response_url."""
    await ctx.ack()
    core = ctx.core
    try:
        status = await gather_status(core.settings, core.clock())
    except Exception as error:  # the asker must hear something, whatever broke
        log.exception("could not read the status")
        await ctx.answer_failure("bot.status.failed_to_read", error)
        return
    text, blocks = status_message(core.present, status)
    await ctx.respond(text=text, blocks=[block.to_dict() for block in blocks],
                      response_type="ephemeral")
