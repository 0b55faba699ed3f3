"""`/publ-sync status` as a message: each type's last run, then the health lines."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.render.common import local_time, trigger_label, validated
from bot.render.drift_message import found_text
from bot.render.safety import escape
from sync.drifts import describe
from sync.i18n import duration_text, t
from sync.models import SyncLog
from sync.report import SYNC_TYPES
from sync.settings import Settings
from sync.status import StatusView, database_note_key


def status_message(settings: Settings, view: StatusView) -> tuple[str, list[Block]]:
    """Fallback text and blocks for the status answer."""
    lang = settings.bot_language
    type_lines = [_type_line(settings, sync_type.value, view.last_logs.get(sync_type.value))
                  for sync_type in SYNC_TYPES]
    health = _health_lines(settings, view)
    blocks: list[Block] = [
        HeaderBlock(text=t("bot.status.header", lang)),
        SectionBlock(text=MarkdownTextObject(text="\n".join(type_lines))),
        ContextBlock(elements=[MarkdownTextObject(text="\n".join(health))]),
    ]
    return "\n".join([t("bot.status.header", lang), *type_lines, *health]), validated(blocks)


def _type_line(settings: Settings, sync_type: str, log: SyncLog | None) -> str:
    lang = settings.bot_language
    name = t(f"type.{sync_type}", lang)
    if log is None:
        return t("bot.status.never", lang, type=name)
    if log.run_id is None:  # written by the dashboard's old importer: history only
        return t("adopt.status.history_line", lang, type=name, status=escape(str(log.status)),
                 time=local_time(settings, log.started_at))
    if log.status == "success":
        result = t("bot.status.success", lang)
    else:
        result = t("bot.status.failed", lang, kind=t(f"kind.{log.error_kind or 'unexpected'}",
                                                    lang))
    counts = t("bot.run.counts", lang, new=f"{log.new_count or 0:,}",
               updated=f"{log.updated_count or 0:,}", unchanged=f"{log.unchanged_count or 0:,}",
               skipped=f"{log.skipped_count or 0:,}")
    return t("bot.status.type_line", lang, type=name, status=result,
             time=local_time(settings, log.finished_at or log.started_at), counts=counts)


def _health_lines(settings: Settings, view: StatusView) -> list[str]:
    lang = settings.bot_language
    lines = []
    if view.database != "current":
        lines.append(t(database_note_key(view.database), lang))
    for stopped in view.stopped:
        lines.append(t("imports.status.stopped", lang,
                       trigger=trigger_label(lang, stopped.trigger, None),
                       started=local_time(settings, stopped.started_at)
                       if stopped.started_at else "?"))
    if view.running is not None:
        trigger, started = view.running
        who = trigger_label(lang, trigger, view.running_by)
        lines.append(t("bot.status.running_now", lang, who=who,
                       time=local_time(settings, started)))
    if view.outbox_waiting:
        lines.append(t("bot.status.outbox_waiting", lang, count=view.outbox_waiting))
    if view.streak:
        lines.append(t("bot.status.streak", lang, count=view.streak,
                       since=local_time(settings, view.streak_since)))
    else:
        lines.append(t("bot.status.streak_none", lang))
    # What a drift found comes from the console: escaped like any outside text.
    lines.extend("⚠ " + describe(drift, lang, shown=found_text) for drift in view.drifts)
    if view.session_age_s is None:
        lines.append(t("bot.status.no_session", lang))
    else:
        lines.append(t("bot.status.session", lang, age=duration_text(view.session_age_s, lang)))
    if view.next_run is not None:
        lines.append(t("bot.status.next_run", lang, time=local_time(settings, view.next_run)))
    else:
        lines.append(t("bot.status.next_run_unknown", lang, schedule=view.schedule))
    return lines

