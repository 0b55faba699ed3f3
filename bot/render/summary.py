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

from bot.render.common import validated
from sync.digest import Totals
from sync.presented import Presenter


def summary_blocks(p: Presenter, now: datetime, totals: Totals, streak: int,
                   session_age: float | None, next_run: datetime | None) -> list[Block]:
    """Totals, failure streak and session age, then when the next run is."""
    w = p.words
    title = w("summary.title", date=p.time(now)[:10])
    totals_line = w("summary.totals", members=f"{totals.members:,}",
                    orders_day=f"{totals.orders_day:,}",
                    orders_week=f"{totals.orders_week:,}",
                    open_refunds=f"{totals.open_refunds:,}")
    session = (w("summary.session_none") if session_age is None else
               w("summary.session_age", age=p.duration(session_age)))
    health_line = w("summary.health", streak=streak, session=session)
    next_line = w("summary.next_run", next_run=p.time(next_run)
                  if next_run else w("alerts.no_next_run"))
    return validated([
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{totals_line}\n{health_line}")),
        ContextBlock(elements=[MarkdownTextObject(text=next_line)]),
    ])


def chart_failed_note(p: Presenter) -> Block:
    """Said in the run's message itself when the chart could not go into its thread."""
    return ContextBlock(elements=[MarkdownTextObject(text=p.words("digest.chart.failed"))])
