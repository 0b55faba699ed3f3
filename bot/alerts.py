"""Failure alerts that change with the state, not with every failure.

After every finished sync (the core's `after_run` hook) the failure streak decides:
- the streak reaches `ALERT_AFTER_FAILURES` and no incident is open → ONE alert in
  `SLACK_CHANNEL`: what failed, since when, how often, the last error, what to do for its
  kind, the masked screenshot, and the two retry buttons;
- the streak goes on → nothing new, except a reminder in the alert's thread at most once per
  `ALERT_REMIND_HOURS`;
- the first success after an alert → the alert itself turns into "✅ 해결됨" (when it
  recovered, how long it was down, how many runs failed; no buttons) and one reply in its
  thread says so. Nothing else in the channel: the run's own message shows the success.

The open incident (its message ts, last reminder) is a row in `alert_incidents`, so a
restarted bot neither repeats an alert nor forgets one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError, SlackClientError
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
from sqlalchemy import insert, select, update

from bot.core import BotCore
from bot.delivery import TRANSPORT_ERRORS, Keep, PostedMessage, ReplyTarget
from bot.render.common import local_time, validated
from bot.render.safety import escape, outside_text
from sync import outbox, runlog
from sync.advice import Action, recommended
from sync.db import Database, open_database
from sync.errors import ErrorKind
from sync.i18n import duration_text, t
from sync.models import AlertIncident
from sync.report import SYNC_TYPES, RunReport
from sync.schedule import next_run
from sync.settings import Settings

log = logging.getLogger(__name__)

RETRY_ACTION = "publ_sync_retry"
RESET_RETRY_ACTION = "publ_sync_reset_retry"
SETTING_NAME = re.compile(r"\bPUBL_[A-Z0-9_]+\b")
# Scheduled runs start within moments of their slot, not to the microsecond: a reminder is
# due this much before ALERT_REMIND_HOURS are quite up, so the same slot a day later counts.
REMIND_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class Incident:
    """An open failure incident as stored in `alert_incidents`."""

    id: int
    first_failed_at: datetime
    opened_at: datetime
    channel: str | None
    message_ts: str | None
    last_reminded_at: datetime | None  # start of the run whose alert or reminder was last
    failure_count: int
    last_error_kind: str | None = None


class AlertMonitor:
    """Turns finished runs into alerts, reminders and recovery notices for one bot."""

    def __init__(self, core: BotCore) -> None:
        self.core = core
        self.settings = core.settings
        self.lang = core.settings.bot_language

    async def after_run(self, report: RunReport) -> None:
        """The core's after-run hook: move the incident's state on with this run."""
        db = await open_database(self.settings.effective_database_url)
        now = self.core.clock()
        incident = await open_incident(db)
        if report.succeeded:
            if incident is not None:
                await self._recover(db, incident, now)
            return
        if report.refused_only:  # an older export refused: the run message says so
            return
        streak, since = await runlog.failure_streak(db)
        if incident is None:
            if streak >= self.settings.alert_after_failures:
                incident = await open_new_incident(db, report, streak, since or report.started_at,
                                                   now, self.settings.slack_channel)
                await self._post_alert(db, incident, report)
            return
        incident = await note_failure(db, incident, report, streak)
        if incident.message_ts is None:
            # The alert never reached Slack (Slack was down, say): this is its second chance.
            await self._post_alert(db, incident, report)
        elif self._reminder_due(incident, report):
            await self._remind(db, incident, report, now)

    def _reminder_due(self, incident: Incident, report: RunReport) -> bool:
        """Whether ALERT_REMIND_HOURS have passed since the channel was last told, counted
        between the starts of the runs that told it: a daily run starts at the same minute
        every day but takes a different time, and counting from when the last one *ended*
        would skip every other day's reminder whenever today's run is the quicker."""
        last = incident.last_reminded_at or incident.opened_at
        due = timedelta(hours=self.settings.alert_remind_hours) - REMIND_TOLERANCE
        return report.started_at - last >= due

    async def _post_alert(self, db: Database, incident: Incident,
                          report: RunReport) -> None:
        text, blocks = render_alert(self.settings, incident, report, self.core.clock())
        # One alert waits at most (run_id None): a newer failure's alert replaces it.
        posted = await self.core.delivery.post(ReplyTarget(self.settings.slack_channel),
                                               text, blocks,
                                               keep=Keep("alert", None, report.started_at))
        if posted is None or posted.ts is None:
            return  # kept in the outbox (noted by `alert_delivered`), or Delivery said why
        await self._note_alert_message(db, incident.id, posted.channel, posted.ts,
                                       report.started_at)
        await self._attach_screenshot(posted.channel or self.settings.slack_channel,
                                      posted.ts, report)

    async def _note_alert_message(self, db: Database, incident_id: int, channel: str | None,
                                  ts: str, started_at: datetime) -> None:
        async with db.write() as conn:
            await conn.execute(update(AlertIncident).where(AlertIncident.id == incident_id)
                               .values(channel=channel, message_ts=ts,
                                       last_reminded_at=started_at,
                                       updated_at=self.core.clock()))

    async def alert_delivered(self, item: outbox.Waiting, channel: str, ts: str) -> None:
        """An alert kept while Slack was down has arrived: it is the open incident's."""
        db = await open_database(self.settings.effective_database_url)
        incident = await open_incident(db)
        if incident is not None and incident.message_ts is None:
            await self._note_alert_message(db, incident.id, channel, ts,
                                           item.run_started_at or self.core.clock())

    async def _attach_screenshot(self, channel: str, thread_ts: str, report: RunReport) -> None:
        """The masked screenshot of the failure, in the alert's thread (files_upload_v2)."""
        path = report.masked_screenshot
        if path is None or not path.exists():
            return
        try:
            await self.core.client.files_upload_v2(
                channel=channel, thread_ts=thread_ts, file=str(path), filename=path.name,
                title=t("alerts.screenshot_title", self.lang))
            return
        except SlackApiError as error:
            log.error("could not attach the failure screenshot: %s",
                      error.response.get("error"))
        except (SlackClientError, *TRANSPORT_ERRORS) as error:
            log.error("could not attach the failure screenshot: %s", type(error).__name__)
        # Where it is, so the operator can still look (it stays on this machine).
        text = t("alerts.screenshot_kept", self.lang, path=escape(str(path.resolve())))
        await self.core.delivery.post(ReplyTarget(channel, thread_ts=thread_ts), text,
                                      _text_blocks(text))

    async def _remind(self, db: Database, incident: Incident, report: RunReport,
                      now: datetime) -> None:
        cause = report.first_error
        text = t("alerts.reminder", self.lang,
                 since=local_time(self.settings, incident.first_failed_at),
                 down_for=duration_text((now - incident.first_failed_at).total_seconds(),
                                          self.lang),
                 count=incident.failure_count,
                 message=outside_text(cause.error_message if cause else "", limit=500))
        posted = await self.core.delivery.post(
            ReplyTarget(incident.channel or self.settings.slack_channel,
                        thread_ts=incident.message_ts), text, _text_blocks(text))
        if posted is not None:
            async with db.write() as conn:
                await conn.execute(update(AlertIncident).where(AlertIncident.id == incident.id)
                                   .values(last_reminded_at=report.started_at, updated_at=now))

    async def _recover(self, db: Database, incident: Incident, now: datetime) -> None:
        """Close the incident first (so a crash cannot announce it twice), then tell."""
        async with db.write() as conn:
            await conn.execute(update(AlertIncident).where(AlertIncident.id == incident.id)
                               .values(is_open=False, closed_at=now, updated_at=now))
        text = t("alerts.recovered", self.lang,
                 down_for=duration_text((now - incident.first_failed_at).total_seconds(),
                                          self.lang),
                 count=incident.failure_count, at=local_time(self.settings, now))
        channel = incident.channel or self.settings.slack_channel
        if not incident.message_ts:
            return  # the alert never reached Slack: there is nothing to mark resolved
        resolved_text, resolved_blocks = render_resolved(self.settings, incident, now)
        await self.core.delivery.update(PostedMessage(channel=channel, ts=incident.message_ts),
                                        ReplyTarget(channel), resolved_text, resolved_blocks)
        await self.core.delivery.post(ReplyTarget(channel, thread_ts=incident.message_ts),
                                      text, _text_blocks(text),
                                      keep=Keep("recovered", None, now))


async def open_incident(db: Database) -> Incident | None:
    """The incident still open, if any."""
    async with db.read() as conn:
        row = (await conn.execute(select(AlertIncident).where(AlertIncident.is_open.is_(True))
                                  .order_by(AlertIncident.id.desc()).limit(1))).one_or_none()
    if row is None:
        return None
    return Incident(id=row.id, first_failed_at=row.first_failed_at, opened_at=row.opened_at,
                    channel=row.channel, message_ts=row.message_ts,
                    last_reminded_at=row.last_reminded_at, failure_count=row.failure_count,
                    last_error_kind=row.last_error_kind)


async def open_new_incident(db: Database, report: RunReport, streak: int, since: datetime,
                            now: datetime, channel: str) -> Incident:
    """Record a new open incident; if one got opened meanwhile, that one is returned."""
    cause = report.first_error
    async with db.write() as conn:
        existing = (await conn.execute(select(AlertIncident)
                                       .where(AlertIncident.is_open.is_(True)))).first()
        if existing is None:
            await conn.execute(insert(AlertIncident).values(
                is_open=True, first_failed_at=since, opened_at=now, channel=channel,
                failure_count=streak, last_run_id=report.run_id,
                last_error_kind=cause.error_kind.value if cause and cause.error_kind else None,
                created_at=now, updated_at=now))
    incident = await open_incident(db)
    assert incident is not None  # just written, in a committed transaction
    return incident


async def note_failure(db: Database, incident: Incident, report: RunReport,
                       streak: int) -> Incident:
    """Another failed run while the incident is open: count it."""
    cause = report.first_error
    async with db.write() as conn:
        await conn.execute(update(AlertIncident).where(AlertIncident.id == incident.id).values(
            failure_count=streak, last_run_id=report.run_id,
            last_error_kind=cause.error_kind.value if cause and cause.error_kind else None))
    refreshed = await open_incident(db)
    return refreshed or incident


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


def _text_blocks(text: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=text))]


def install(core: BotCore) -> AlertMonitor:
    """Watch every finished run of `core`."""
    monitor = AlertMonitor(core)
    core.after_run.append(monitor.after_run)
    core.delivery.on_delivered["alert"] = monitor.alert_delivered
    return monitor
