"""`/publ-sync report [7d|30d]`: the business digest of the last 7 (or 30) full days, shown only
to the asker, and only to `REPORT_ALLOWED_USERS` (default: `SLACK_ALLOWED_USERS`) — revenue
is not for every guest of the workspace."""

from __future__ import annotations

import logging

from bot.commands.context import CommandContext
from bot.render.common import local_time
from bot.render.digest import digest_blocks, digest_fallback
from sync import digest
from sync.i18n import t

log = logging.getLogger(__name__)

WINDOWS = {"": 7, "7d": 7, "7": 7, "30d": 30, "30": 30}


def report_allowed(ctx: CommandContext) -> bool:
    users = ctx.core.settings.report_users
    return not users or (ctx.user_id is not None and ctx.user_id in users)


async def handle(ctx: CommandContext) -> None:
    """Usage for a bad window, a refusal for someone not allowed, else ack and answer."""
    days = WINDOWS.get(ctx.args.strip().lower())
    if days is None:
        await ctx.ack(text=t("digest.report.usage", ctx.lang))
        return
    if not report_allowed(ctx):
        await ctx.ack(text=t("digest.report.refused", ctx.lang))
        return
    await ctx.ack()
    core = ctx.core
    settings = core.settings
    try:
        db = await core.database()
        last = digest.previous_day(core.clock(), settings.timezone)
        found = await digest.build_digest(db, settings.timezone, last, days)
    except Exception as error:  # the asker must hear something, whatever broke
        log.exception("could not build the business report")
        await ctx.answer_failure("digest.report.failed", error)
        return
    text = digest.digest_text(found, ctx.lang, local_time=local_time(settings, found.based_on)
                                if found.based_on else None)
    await ctx.respond(text=digest_fallback(text),
                      blocks=[block.to_dict() for block in digest_blocks(text)],
                      response_type="ephemeral")
