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

The open incident (its message ts, last reminder) is kept by `sync.incidents`, so a
restarted bot neither repeats an alert nor forgets one; the messages are drawn by
`bot.render.alerts`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core import BotCore
from bot.delivery import TRANSPORT_ERRORS, Keep, PostedMessage, ReplyTarget
from bot.render.alerts import (
    RESET_RETRY_ACTION,
    RETRY_ACTION,
    render_alert,
    render_resolved,
    text_blocks,
)
from bot.render.common import local_time
from bot.render.safety import escape, outside_text
from sync import incidents, outbox, runlog
from sync.db import Database
from sync.i18n import duration_text, t
from sync.incidents import Incident, note_failure, open_incident, open_new_incident
from sync.report import RunReport

# Listeners and tests name these here, where the alert's life is decided.
__all__ = ["RESET_RETRY_ACTION", "RETRY_ACTION", "AlertMonitor", "Incident", "install",
           "open_incident", "render_alert"]

log = logging.getLogger(__name__)

# Scheduled runs start within moments of their slot, not to the microsecond: a reminder is
# due this much before ALERT_REMIND_HOURS are quite up, so the same slot a day later counts.
REMIND_TOLERANCE = timedelta(minutes=1)


class AlertMonitor:
    """Turns finished runs into alerts, reminders and recovery notices for one bot."""

    def __init__(self, core: BotCore) -> None:
        self.core = core
        self.settings = core.settings
        self.lang = core.settings.bot_language

    async def after_run(self, report: RunReport) -> None:
        """The core's after-run hook: move the incident's state on with this run."""
        db = await self.core.database()
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
        await incidents.note_alert_message(db, incident_id, channel, ts, started_at,
                                           self.core.clock())

    async def alert_delivered(self, item: outbox.Waiting, channel: str, ts: str) -> None:
        """An alert kept while Slack was down has arrived: it is the open incident's."""
        db = await self.core.database()
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
                                      text_blocks(text))

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
                        thread_ts=incident.message_ts), text, text_blocks(text))
        if posted is not None:
            await incidents.note_reminded(db, incident.id, report.started_at, now)

    async def _recover(self, db: Database, incident: Incident, now: datetime) -> None:
        """Close the incident first (so a crash cannot announce it twice), then tell."""
        await incidents.close_incident(db, incident.id, now)
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
                                      text, text_blocks(text),
                                      keep=Keep("recovered", None, now))


def install(core: BotCore) -> AlertMonitor:
    """Watch every finished run of `core`."""
    monitor = AlertMonitor(core)
    core.after_run.append(monitor.after_run)
    core.delivery.on_delivered["alert"] = monitor.alert_delivered
    return monitor
