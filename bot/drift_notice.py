"""After every run: one notice in `SLACK_CHANNEL` for console drifts the channel has not
heard of (controls publ-sync found only through a fallback locator).

Which drifts were announced is kept by `sync.drifts`, so a restarted bot does not repeat
one, a drift that ends is forgotten, and one that returns is announced again. A notice
that cannot be delivered is tried again after the next run.
"""

from __future__ import annotations

from bot.core import BotCore
from bot.delivery import ReplyTarget
from bot.render import drift_message
from sync import drifts
from sync.report import RunReport


class DriftNotice:
    """Announces new drifts for one bot."""

    def __init__(self, core: BotCore) -> None:
        self.core = core
        self.settings = core.settings

    async def after_run(self, report: RunReport) -> None:
        """The core's after-run hook: tell the channel about drifts not yet announced."""
        db = await self.core.database()
        pending = await drifts.unannounced(db)
        if not pending:
            return
        text, blocks = drift_message.notice(self.settings, pending)
        posted = await self.core.delivery.post(ReplyTarget(self.settings.slack_channel),
                                               text, blocks)
        if posted is None:
            return
        now = self.core.clock()
        for drift in pending:
            await drifts.mark_announced(db, drift, now)


def install(core: BotCore) -> DriftNotice:
    """Watch every finished run of `core` for drifts."""
    notice = DriftNotice(core)
    core.after_run.append(notice.after_run)
    return notice
