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

from bot.render.common import local_time, seconds, starter_label, trigger_label, validated
from bot.render.safety import escape, outside_text
from sync import faults
from sync.errors import RunGoing, SettingsError
from sync.i18n import has, t
from sync.report import SYNC_TYPES, RunReport, TypeResult, skipped_by_reason
from sync.settings import Settings

Message = tuple[str, list[Block]]
MAX_LINES_SHOWN = 10


def running(settings: Settings, trigger: str, requested_by: str | None,
            started_at: datetime) -> Message:
    """The "running…" message, shown as soon as the run holds the guard."""
    lang = settings.bot_language
    context = " · ".join([trigger_label(lang, trigger, requested_by),
                          t("bot.run.started", lang, time=local_time(settings, started_at))])
    blocks: list[Block] = [
        HeaderBlock(text=t("bot.run.running_header", lang)),
        SectionBlock(text=MarkdownTextObject(text=t("bot.run.running_body", lang))),
        ContextBlock(elements=[MarkdownTextObject(text=context)]),
    ]
    return t("bot.run.fallback_running", lang), validated(blocks)


def finished(settings: Settings, report: RunReport) -> Message:
    """A finished run: header, counts per type, and for a failure what happened and what
    to do."""
    lang = settings.bot_language
    header = "bot.run.success_header" if report.succeeded else "bot.run.failed_header"
    fields = [MarkdownTextObject(text=_type_field(lang, report.results[sync_type]))
              for sync_type in SYNC_TYPES if sync_type in report.results]
    blocks: list[Block] = [HeaderBlock(text=t(header, lang))]
    if fields:
        blocks.append(SectionBlock(fields=fields))
    cause = report.first_error
    if cause is not None:
        kind = cause.failure_kind.value
        message = outside_text(cause.error_message) or t(f"kind.{kind}", lang)
        blocks += [
            DividerBlock(),
            SectionBlock(text=MarkdownTextObject(
                text=t("bot.run.what_happened", lang, message=message))),
            SectionBlock(text=MarkdownTextObject(
                text=t("bot.run.what_to_do", lang, hint=t(f"bot.hint.{kind}", lang)))),
        ]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_context(settings, report))]))
    if report.succeeded:
        summary = "; ".join(
            f"{t(f'type.{r.sync_type.value}', lang)} {_counts(lang, r)}"
            for r in report.results.values())
        text = t("bot.run.fallback_success", lang, summary=summary)
    else:
        text = t("bot.run.fallback_failed", lang,
                 message=outside_text(cause.error_message if cause else "", limit=300))
    return text, validated(blocks)


def crashed(settings: Settings, trigger: str, requested_by: str | None,
            error: BaseException) -> Message:
    """A run that could not even start (no database, say): the error's kind, not its text,
    which may hold a connection string — or, for a fault of the machine (the database out of
    reach, locked or damaged, a full disk), its sentence, which names no secret. A
    `SettingsError` is a sentence written for the operator (the `chown` for a file left by
    root, say), so it is shown as it is."""
    if isinstance(error, SettingsError):
        return _ended_without_report(settings, escape(str(error)), trigger, requested_by)
    fault = faults.recognise(error, settings)
    if fault is not None:
        text = escape(fault.message)
    else:
        text = t("bot.run.crashed", settings.bot_language, reason=escape(type(error).__name__))
    return _ended_without_report(settings, text, trigger, requested_by)


def stopped(settings: Settings, trigger: str, requested_by: str | None) -> Message:
    """A run cut short because the bot was shut down."""
    text = t("bot.run.stopped", settings.bot_language)
    return _ended_without_report(settings, text, trigger, requested_by)


def _ended_without_report(settings: Settings, text: str, trigger: str,
                          requested_by: str | None) -> Message:
    """The failed header, `text`, and who started the run: all there is without a report."""
    lang = settings.bot_language
    blocks: list[Block] = [
        HeaderBlock(text=t("bot.run.failed_header", lang)),
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=trigger_label(lang, trigger,
                                                                     requested_by))]),
    ]
    return text, validated(blocks)


def already_running(settings: Settings, busy: RunGoing) -> str:
    """Who started the run that is going, and when; nothing new started."""
    lang = settings.bot_language
    return t("bot.already_running", lang,
             who=starter_label(lang, busy.trigger, busy.requested_by),
             time=local_time(settings, busy.started_at))


def _type_field(lang: str, result: TypeResult) -> str:
    name = t(f"type.{result.sync_type.value}", lang)
    if result.status == "failed":
        kind = t(f"kind.{result.failure_kind.value}", lang)
        line = t("bot.run.type_failed", lang, kind=kind)
    else:
        line = _counts(lang, result)
    for group in skipped_by_reason(result.skipped_rows, MAX_LINES_SHOWN):
        # Reasons and line numbers only: the reason's own sentence quotes the value.
        count = "one" if len(group.lines) + group.more == 1 else "many"
        more = t("bot.run.skipped_reason_more", lang, count=group.more) if group.more else ""
        line += "\n" + t(f"bot.run.skipped_reason_{count}", lang,
                         reason=t(_skip_label(group.code), lang),
                         lines=", ".join(map(str, group.lines)), more=more)
    return f"*{name}*\n{line}"


def _skip_label(code: str) -> str:
    key = f"imports.skip_label.{code}"
    return key if has(key) else "imports.skip_label.other"


def _counts(lang: str, result: TypeResult) -> str:
    return t("bot.run.counts", lang, new=f"{result.new:,}", updated=f"{result.updated:,}",
             unchanged=f"{result.unchanged:,}", skipped=f"{result.skipped:,}")


def _context(settings: Settings, report: RunReport) -> str:
    lang = settings.bot_language
    return " · ".join([
        trigger_label(lang, report.trigger, report.requested_by),
        t("bot.run.started", lang, time=local_time(settings, report.started_at)),
        t("bot.run.duration", lang, seconds=seconds(report.duration_s)),
    ])

