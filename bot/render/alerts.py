"""The failure alert, its resolved form, and its buttons, as Block Kit.

The alert says what failed, since when, how often, the last error and what to do for its
kind (`sync.advice`); outside text (the console's error message) is escaped here.
"""

from __future__ import annotations

import re
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.common import local_time, validated
from bot.render.safety import escape, outside_text
from sync.advice import Action, recommended
from sync.errors import ErrorKind
from sync.i18n import duration_text, t
from sync.incidents import Incident
from sync.report import SYNC_TYPES, RunReport
from sync.schedule import next_run
from sync.settings import Settings

RETRY_ACTION = "publ_sync_retry"
RESET_RETRY_ACTION = "publ_sync_reset_retry"
SETTING_NAME = re.compile(r"\bPUBL_[A-Z0-9_]+\b")


def render_alert(settings: Settings, incident: Incident, report: RunReport,
                 now: datetime) -> tuple[str, list[Block]]:
    """The alert: what, since when, how often, last error, steps for its kind, buttons."""
    lang = settings.bot_language
    cause = report.first_error
    kind = report.failure_kind
    failed_types = [t(f"type.{sync_type.value}", lang) for sync_type in SYNC_TYPES
                    if sync_type in report.results and not report.results[sync_type].succeeded]
    message = outside_text(cause.error_message if cause else "", limit=800) or t(
        f"kind.{kind.value}", lang)
    title = (t("alerts.title", lang, count=incident.failure_count)
             if incident.failure_count > 1 else t("alerts.title_once", lang))
    facts = "\n".join([
        t("alerts.what", lang, kind=t(f"kind.{kind.value}", lang),
          types=", ".join(failed_types)),
        t("alerts.since", lang, since=local_time(settings, incident.first_failed_at)),
        t("alerts.count", lang, count=incident.failure_count),
        t("alerts.last_error", lang, message=message),
    ])
    steps = recovery_steps(settings, kind, report, now)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{facts}")),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=f"{t('alerts.steps_title', lang)}\n{steps}")),
        ActionsBlock(elements=alert_buttons(lang, kind, incident.id)),
    ]
    return f"{title}: {message}", validated(blocks)


def render_resolved(settings: Settings, incident: Incident,
                    now: datetime) -> tuple[str, list[Block]]:
    """The alert once the sync works again: resolved, when, how long it was down, how many
    runs failed and of what kind — and no buttons, since there is nothing left to retry."""
    lang = settings.bot_language
    kind = incident.last_error_kind or ErrorKind.UNEXPECTED.value
    body = t("alerts.resolved.body", lang, at=local_time(settings, now),
             since=local_time(settings, incident.first_failed_at),
             down_for=duration_text((now - incident.first_failed_at).total_seconds(), lang),
             count=incident.failure_count, kind=t(f"kind.{kind}", lang))
    header = t("alerts.resolved.header", lang)
    blocks: list[Block] = [HeaderBlock(text=header),
                           SectionBlock(text=MarkdownTextObject(text=body))]
    return f"{header}: {body}".replace("*", ""), validated(blocks)


def alert_buttons(lang: str, kind: ErrorKind, incident_id: int) -> list[ButtonElement]:
    """Both retry buttons; the recommended one for `kind` is primary, and none is when the
    first step is someone's at the server (`sync.advice`)."""
    action = recommended(kind)

    def button(key: str, action_id: str, is_it: Action) -> ButtonElement:
        style = "primary" if action is is_it else None
        return ButtonElement(text=PlainTextObject(text=t(key, lang)), action_id=action_id,
                             value=str(incident_id), style=style)

    return [button("alerts.button.retry", RETRY_ACTION, Action.RETRY),
            button("alerts.button.reset_retry", RESET_RETRY_ACTION, Action.RESET_RETRY)]


def recovery_steps(settings: Settings, kind: ErrorKind, report: RunReport,
                   now: datetime) -> str:
    """What the operator can do about this kind of failure, with its specifics filled in."""
    lang = settings.bot_language
    cause = report.first_error
    message = outside_text(cause.error_message if cause else "", limit=500)
    fields: dict[str, str] = {"message": message, "run_id": escape(report.run_id)}
    if kind is ErrorKind.LAYOUT_CHANGED:
        attached = report.masked_screenshot is not None and report.masked_screenshot.exists()
        fields["screenshot"] = t("alerts.screenshot_note", lang) if attached else ""
        fields["settings"] = _settings_to_adjust(lang, cause.error_detail if cause else None,
                                                 cause.error_message if cause else None)
    if kind is ErrorKind.DOWNLOAD_FAILED:
        fields["next_run"] = _next_run_text(settings, now)
    return t(f"alerts.steps.{kind.value}", lang, **fields)


def _settings_to_adjust(lang: str, *texts: str | None) -> str:
    """The `PUBL_…` settings the error names, or the usual suspects when it names none."""
    named = sorted({name for text in texts if text for name in SETTING_NAME.findall(text)})
    if named:
        return ", ".join(f"`{name}`" for name in named)
    return t("alerts.layout_settings_fallback", lang)


def _next_run_text(settings: Settings, now: datetime) -> str:
    try:
        upcoming = next_run(settings.sync_schedule, settings.timezone, now)
    except ValueError:
        upcoming = None
    if upcoming is None:
        return t("alerts.no_next_run", settings.bot_language)
    return local_time(settings, upcoming)


def text_blocks(text: str) -> list[Block]:
    """A plain mrkdwn section: reminders, recovery replies, where the screenshot is."""
    return [SectionBlock(text=MarkdownTextObject(text=text))]
