"""The bot's Home tab: drawn for whoever opens it (`app_home_opened`), and redrawn after every
run for each user who opened it within `HOME_REFRESH_HOURS`, so it never shows a stale
status for long.
"""

from __future__ import annotations

import logging

from bot.core import BotCore
from bot.render.home import home_view, unreadable_view
from bot.render.safety import escape
from sync import home
from sync.report import RunReport

log = logging.getLogger(__name__)


async def publish(core: BotCore, user_id: str) -> bool:
    """Draw `user_id`'s Home tab now; True when Slack took it."""
    settings = core.settings
    try:
        view = home_view(core.present, await home.gather_home(settings, core.clock()),
                         can_run=core.allowed(user_id))
    except Exception as error:  # Home must show a sentence, whatever broke
        log.exception("could not gather the Home tab")
        view = unreadable_view(core.present, escape(type(error).__name__))
    return await core.delivery.publish_home(user_id, view)


async def opened(core: BotCore, user_id: str) -> None:
    """`user_id` opened Home: remember it (for later refreshes) and draw it."""
    try:
        db = await core.database()
        await home.record_visit(db, user_id, core.clock())
    except Exception as error:  # drawing it matters more than remembering the visit
        log.error("could not note the Home visit: %s", type(error).__name__)
    await publish(core, user_id)


async def refresh_after_run(core: BotCore, report: RunReport) -> None:
    """After a run: redraw Home for everyone who opened it lately."""
    del report  # every run changes what Home shows
    db = await core.database()
    for user_id in await home.recent_visitors(db, core.clock(),
                                              core.settings.home_refresh_hours):
        await publish(core, user_id)
