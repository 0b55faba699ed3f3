"""The one message a run shows: posted as "running…", then replaced by its result.

Only counts, durations, error kinds and the engine's operator-facing error text (escaped and
masked) are shown — never a row of data.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.render.common import starter_label, trigger_label, validated
from bot.render.safety import escape, outside_text
from sync import faults
from sync.errors import RunGoing, SettingsError
from sync.presented import Presenter, TypeShown
from sync.report import RunReport, skipped_by_reason
from sync.settings import Settings

Message = tuple[str, list[Block]]
MAX_LINES_SHOWN = 10


def running(p: Presenter, trigger: str, requested_by: str | None,
            started_at: datetime) -> Message:
    """The "running…" message, shown as soon as the run holds the guard."""
    w = p.words
    context = " · ".join([trigger_label(p, trigger, requested_by),
                          w("bot.run.started", time=p.time(started_at))])
    blocks: list[Block] = [
        HeaderBlock(text=w("bot.run.running_header")),
        SectionBlock(text=MarkdownTextObject(text=w("bot.run.running_body"))),
        ContextBlock(elements=[MarkdownTextObject(text=context)]),
    ]
    return w("bot.run.fallback_running"), validated(blocks)


def finished(p: Presenter, report: RunReport) -> Message:
    """A finished run: header, counts per type, and for a failure what happened and what
    to do."""
    w = p.words
    run = p.run(report)
    fields = [MarkdownTextObject(text=_type_field(p, shown)) for shown in run.types]
    blocks: list[Block] = [HeaderBlock(text=run.title)]
    if fields:
        blocks.append(SectionBlock(fields=fields))
    cause = report.first_error
    if cause is not None:
        kind = cause.failure_kind.value
        message = outside_text(cause.error_message) or w(f"kind.{kind}")
        blocks += [
            DividerBlock(),
            SectionBlock(text=MarkdownTextObject(
                text=w("bot.run.what_happened", message=message))),
            SectionBlock(text=MarkdownTextObject(
                text=w("bot.run.what_to_do", hint=w(f"bot.hint.{kind}")))),
        ]
    context = " · ".join([
        trigger_label(p, report.trigger, report.requested_by),
        w("bot.run.started", time=run.started),
        w("bot.run.duration", duration=run.duration),
    ])
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=context)]))
    if report.succeeded:
        summary = "; ".join(f"{shown.name} {_counts(p, shown)}" for shown in run.types)
        text = w("bot.run.fallback_success", summary=summary)
    else:
        text = w("bot.run.fallback_failed",
                 message=outside_text(cause.error_message if cause else "", limit=300))
    return text, validated(blocks)


def crashed(p: Presenter, settings: Settings, trigger: str, requested_by: str | None,
            error: BaseException) -> Message:
    """A run that could not even start (no database, say): the error's kind, not its text,
    which may hold a connection string — or, for a fault of the machine (the database out of
    reach, locked or damaged, a full disk), its sentence, which names no secret. A
    `SettingsError` is a sentence written for the operator (the `chown` for a file left by
    root, say), so it is shown as it is."""
    if isinstance(error, SettingsError):
        return _ended_without_report(p, escape(str(error)), trigger, requested_by)
    fault = faults.recognise(error, settings)
    if fault is not None:
        text = escape(fault.message)
    else:
        text = p.words("bot.run.crashed", reason=escape(type(error).__name__))
    return _ended_without_report(p, text, trigger, requested_by)


def stopped(p: Presenter, trigger: str, requested_by: str | None) -> Message:
    """A run cut short because the bot was shut down."""
    return _ended_without_report(p, p.words("bot.run.stopped"), trigger, requested_by)


def _ended_without_report(p: Presenter, text: str, trigger: str,
                          requested_by: str | None) -> Message:
    """The failed header, `text`, and who started the run: all there is without a report."""
    blocks: list[Block] = [
        HeaderBlock(text=p.words("run.title_failed")),
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=trigger_label(p, trigger,
                                                                     requested_by))]),
    ]
    return text, validated(blocks)


def already_running(p: Presenter, busy: RunGoing) -> str:
    """Who started the run that is going, and when; nothing new started."""
    return p.words("bot.already_running", who=starter_label(p, busy.trigger, busy.requested_by),
                   time=p.time(busy.started_at))


def _type_field(p: Presenter, shown: TypeShown) -> str:
    w = p.words
    if shown.status == "failed":
        line = w("bot.run.type_failed", kind=shown.kind)
    else:
        line = _counts(p, shown)
    for group in skipped_by_reason(shown.result.skipped_rows, MAX_LINES_SHOWN):
        # Reasons and line numbers only: the reason's own sentence quotes the value.
        count = "one" if len(group.lines) + group.more == 1 else "many"
        more = w("bot.run.skipped_reason_more", count=group.more) if group.more else ""
        line += "\n" + w(f"bot.run.skipped_reason_{count}", reason=w(_skip_label(p, group.code)),
                         lines=", ".join(map(str, group.lines)), more=more)
    return f"*{shown.name}*\n{line}"


def _skip_label(p: Presenter, code: str) -> str:
    key = f"imports.skip_label.{code}"
    return key if p.words.has(key) else "imports.skip_label.other"


def _counts(p: Presenter, shown: TypeShown) -> str:
    c = shown.counts
    return p.words("bot.run.counts", new=c.new, updated=c.updated, unchanged=c.unchanged,
                   skipped=c.skipped)
