"""The scheduled run's summary under its result, as Block Kit: the database totals, the
bot's health and the next run; and the note said when the chart could not be attached.

Counts only: the figures come from `sync.digest` and `sync.runlog`, laid out here.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.render.common import local_time, validated
from sync.digest import Totals
from sync.i18n import duration_text, t
from sync.settings import Settings


def summary_blocks(settings: Settings, now: datetime, totals: Totals, streak: int,
                   session_age: float | None, next_run: datetime | None) -> list[Block]:
    """Totals, failure streak and session age, then when the next run is."""
    lang = settings.bot_language
    title = t("summary.title", lang, date=local_time(settings, now)[:10])
    totals_line = t("summary.totals", lang, members=f"{totals.members:,}",
                    orders_day=f"{totals.orders_day:,}",
                    orders_week=f"{totals.orders_week:,}",
                    open_refunds=f"{totals.open_refunds:,}")
    session = (t("summary.session_none", lang) if session_age is None else
               t("summary.session_age", lang, age=duration_text(session_age, lang)))
    health_line = t("summary.health", lang, streak=streak, session=session)
    next_line = t("summary.next_run", lang, next_run=local_time(settings, next_run)
                  if next_run else t("alerts.no_next_run", lang))
    return validated([
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{totals_line}\n{health_line}")),
        ContextBlock(elements=[MarkdownTextObject(text=next_line)]),
    ])


def chart_failed_note(settings: Settings) -> Block:
    """Said in the run's message itself when the chart could not go into its thread."""
    return ContextBlock(elements=[MarkdownTextObject(
        text=t("digest.chart.failed", settings.bot_language))])
