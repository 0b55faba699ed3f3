"""`/publ-sync status` as a message: each type's last run, then the health lines."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.render.common import trigger_label, validated
from bot.render.drift_message import found_text
from bot.render.safety import escape
from sync.drifts import describe
from sync.presented import LogShown, Presenter
from sync.status import StatusView, database_note_key


def status_message(p: Presenter, view: StatusView) -> tuple[str, list[Block]]:
    """Fallback text and blocks for the status answer."""
    w = p.words
    shown = p.status(view)
    type_lines = [_type_line(p, row) for row in shown.logs]
    health = _health_lines(p, view)
    blocks: list[Block] = [
        HeaderBlock(text=w("bot.status.header")),
        SectionBlock(text=MarkdownTextObject(text="\n".join(type_lines))),
        ContextBlock(elements=[MarkdownTextObject(text="\n".join(health))]),
    ]
    return "\n".join([w("bot.status.header"), *type_lines, *health]), validated(blocks)


def _type_line(p: Presenter, row: LogShown) -> str:
    w = p.words
    if row.log is None:
        return w("bot.status.never", type=row.name)
    if row.counts is None:  # written by the dashboard's old importer: history only
        return w("adopt.status.history_line", type=row.name, status=escape(str(row.log.status)),
                 time=row.time)
    if row.log.status == "success":
        result = w("bot.status.success")
    else:
        result = w("bot.status.failed", kind=row.kind)
    c = row.counts
    counts = w("bot.run.counts", new=c.new, updated=c.updated, unchanged=c.unchanged,
               skipped=c.skipped)
    return w("bot.status.type_line", type=row.name, status=result, time=row.time,
             counts=counts)


def _health_lines(p: Presenter, view: StatusView) -> list[str]:
    w = p.words
    shown = p.status(view)
    lines = []
    if view.database != "current":
        lines.append(w(database_note_key(view.database)))
    for trigger, started in shown.stopped:  # as the terminal says it: the trigger's word
        lines.append(w("imports.status.stopped", trigger=escape(trigger), started=started))
    if view.running is not None and shown.running is not None:
        who = trigger_label(p, view.running[0], view.running_by)
        lines.append(w("bot.status.running_now", who=who, time=shown.running[1]))
    if view.outbox_waiting:
        lines.append(w("bot.status.outbox_waiting", count=view.outbox_waiting))
    if view.streak:
        lines.append(w("status.streak", count=view.streak, since=shown.streak_since))
    else:
        lines.append(w("status.no_streak"))
    # What a drift found comes from the console: escaped like any outside text.
    lines.extend("⚠ " + describe(drift, p.lang, shown=found_text) for drift in view.drifts)
    if shown.session_age is None:
        lines.append(w("bot.status.no_session"))
    else:
        lines.append(w("bot.status.session", age=shown.session_age))
    if shown.next_run is not None:
        lines.append(w("bot.status.next_run", time=shown.next_run))
    else:
        lines.append(w("bot.status.next_run_unknown", schedule=view.schedule))
    return lines
