"""The bot's core: settings, the Slack client, the clock, the scheduler, and `sync()` — the one
way every Slack trigger (command, button, schedule) starts a run and reports it.

Features (listeners, the schedule, alerts) get the core and never call `sync.runner` or the
Web API client on their own for a run's message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient

from bot import slack_channel
from bot.delivery import Delivery, Keep, PostedMessage, ReplyTarget
from bot.render import run_message
from bot.slack_client import web_client
from sync import runlog
from sync.db import Database, open_database
from sync.errors import AlreadyRunning, RunGoing
from sync.models import utcnow
from sync.presented import Presenter
from sync.report import RunReport
from sync.settings import Settings

__all__ = ["AfterRun", "BotCore", "Clock", "ReplyTarget", "RunExtras", "Runner"]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
AfterRun = Callable[[RunReport], Awaitable[None]]
OnStart = Callable[[], Awaitable[None]]


class RunExtras(Protocol):
    """What a kind of run adds to its own result message (the scheduled run's digest), so
    that it stays one message: blocks under the result, then work once it is shown."""

    async def blocks(self, report: RunReport) -> list[Block]: ...

    async def after_shown(self, posted: PostedMessage | None, text: str,
                          blocks: list[Block]) -> None: ...


class Runner(Protocol):
    """What runs one sync: `sync.runner.run_sync`, or a stand-in in tests and benches."""

    def __call__(self, settings: Settings, *, trigger: str, requested_by: str | None = None,
                 reset_session: bool = False, clock: Clock = ...,
                 on_started: Callable[[str], Awaitable[None]] | None = None,
                 ) -> Awaitable[RunReport]: ...


def _default_runner() -> Runner:
    from sync.runner import run_sync

    return run_sync


@dataclass
class ActiveRun:
    """The run this process is doing right now (the database guard covers other processes)."""

    trigger: str
    requested_by: str | None
    started_at: datetime
    run_id: str = ""

    def going(self) -> RunGoing:
        return RunGoing(self.run_id, self.trigger, self.requested_by, self.started_at)


class BotCore:
    """One bot: what every feature module is handed."""

    def __init__(self, settings: Settings, *, client: AsyncWebClient | None = None,
                 clock: Clock = utcnow, runner: Runner | None = None) -> None:
        self.settings = settings
        # The language and TIMEZONE, bound once: what every message is said and timed in.
        self.present = Presenter.for_settings(settings)
        self.lang = settings.bot_language
        self.client = client or web_client(settings)
        self.clock = clock
        self.runner: Runner = runner or _default_runner()
        self.scheduler = AsyncIOScheduler(
            timezone=settings.timezone,
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": settings.misfire_grace_seconds},
        )
        self.after_run: list[AfterRun] = []
        # One run's hooks at a time: the next run may end while this one's are still posting
        # (an alert, a drift notice), and two must not both decide a notice is news.
        self._hooks_turn = asyncio.Lock()
        self.on_start: list[OnStart] = []
        self.delivery = Delivery(self.client, settings, self.database)
        self.active: ActiveRun | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._lookup_turn = asyncio.Lock()
        self._outbox_task: asyncio.Task[None] | None = None
        self.identity: dict[str, Any] = {}  # auth.test's answer, read once at start
        self.last_refusal: RunGoing | None = None  # the run that made `sync` refuse

    async def database(self) -> Database:
        """The bot's database, handed to every feature (as slack-machine hands storage to
        plugins): features keep no SQL and open nothing themselves. Opened (and migrated) on
        first use, not at start, so a database that is down costs the features that need it
        — each says so — and never the bot's answers."""
        return await open_database(self.settings.effective_database_url)

    # --- access --------------------------------------------------------------------------

    def allowed(self, user_id: str | None) -> bool:
        """Whether `user_id` may run, reset and press buttons (`SLACK_ALLOWED_USERS`, empty =
        everyone)."""
        allowed = self.settings.slack_allowed_users
        return not allowed or (user_id is not None and user_id in allowed)

    # --- runs ----------------------------------------------------------------------------

    async def sync(self, *, trigger: str, requested_by: str | None,
                   target: ReplyTarget | None, reset_session: bool = False,
                   extras: RunExtras | None = None) -> RunReport | None:
        """Run one sync and show it at `target` (default `SLACK_CHANNEL`): posted as running,
        updated in place with the result. The run is the core's task (`start_sync`), so a
        shutdown gives it its grace period. Returns None when another run was going (the
        requester is told who started it and when) or the run could not start at all."""
        task = self.start_sync(trigger=trigger, requested_by=requested_by, target=target,
                               reset_session=reset_session, extras=extras)
        if task is None:
            assert self.active is not None  # what made `start_sync` refuse
            self.last_refusal = self.active.going()
            await self.tell_already_running(target or ReplyTarget(self.settings.slack_channel),
                                            requested_by, self.last_refusal)
            return None
        return await task

    async def run_going(self) -> RunGoing | None:
        """The run going now: this process's, or another's (`publ-sync run` in a terminal, a
        second bot) as the database shows it within `ACK_LOOKUP_SECONDS`, so that a slash
        command is still answered in time. None when there is none or the database does not
        say in time: the run's own guard still decides, and the asker hears about it then.

        Lookups take turns, and a caller that starts a run right after (no await between)
        has claimed it before the next caller looks: a burst of requests costs one lookup.
        """
        if self.active is None:
            async with self._lookup_turn:
                if self.active is None:
                    return await self._running_elsewhere()
        assert self.active is not None
        return self.active.going()

    async def _running_elsewhere(self) -> RunGoing | None:
        settings = self.settings
        try:
            async with asyncio.timeout(settings.ack_lookup_seconds):
                db = await self.database()
                return await runlog.current_holder(db, self.clock(),
                                                   settings.heartbeat_stale_seconds)
        except Exception as error:  # the run itself will report a real problem
            log.warning("could not look for a run in another process: %s",
                        type(error).__name__)
            return None

    def start_sync(self, *, trigger: str, requested_by: str | None, target: ReplyTarget | None,
                   reset_session: bool = False,
                   extras: RunExtras | None = None) -> asyncio.Task[RunReport | None] | None:
        """Claim the run now and carry it out in a task the core keeps alive, for listeners
        that must ack before the work. None (and nothing started) when this process is
        already running one; another process's run is found by the guard, inside the task."""
        active = self._claim(trigger, requested_by)
        if active is None:
            return None
        task = asyncio.create_task(self._run_claimed(
            active, target or ReplyTarget(self.settings.slack_channel), reset_session, extras))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _claim(self, trigger: str, requested_by: str | None) -> ActiveRun | None:
        """Mark a run as going in this process; synchronous, so that no two can slip in."""
        if self.active is not None:
            return None
        self.active = ActiveRun(trigger, requested_by, self.clock())
        return self.active

    async def _run_claimed(self, active: ActiveRun, target: ReplyTarget, reset_session: bool,
                           extras: RunExtras | None = None) -> RunReport | None:
        posted: PostedMessage | None = None

        async def show_running(run_id: str) -> None:
            nonlocal posted
            active.run_id = run_id
            text, blocks = run_message.running(self.present, active.trigger,
                                               active.requested_by, active.started_at)
            posted = await self.delivery.post(target, text, blocks)

        try:
            try:
                report = await self.runner(self.settings, trigger=active.trigger,
                                           requested_by=active.requested_by,
                                           reset_session=reset_session, clock=self.clock,
                                           on_started=show_running)
            finally:
                # Over before anything about it is shown: a /publ-sync or a Retry button
                # pressed as soon as the message appears must find no run going.
                self.active = None
        except AlreadyRunning as busy:
            self.last_refusal = busy.going
            await self.tell_already_running(target, active.requested_by, busy.going)
            return None
        except asyncio.CancelledError:
            # The bot is shutting down past its grace period: the runner has closed the
            # run as failed; the message must not stay "running…" forever.
            text, blocks = run_message.stopped(self.present, active.trigger,
                                               active.requested_by)
            await self.delivery.update(posted, target, text, blocks)
            raise
        except Exception as error:
            # The runner records its own failures; this is one it could not (no database,
            # say). The operator still hears about it.
            log.exception("the sync could not run")
            text, blocks = run_message.crashed(self.present, self.settings, active.trigger,
                                               active.requested_by, error)
            await self.delivery.update(posted, target, text, blocks,
                                       keep=Keep("run", active.run_id or None,
                                                 active.started_at))
            return None
        try:
            text, blocks = run_message.finished(self.present, report)
            if extras is not None:
                blocks = blocks + await self._extra_blocks(extras, report)
            posted = await self.delivery.update(posted, target, text, blocks,
                                                keep=Keep("run", report.run_id,
                                                          report.started_at))
            if extras is not None:
                try:
                    await extras.after_shown(posted, text, blocks)
                except Exception:
                    log.exception("could not finish the extras of run %s", report.run_id)
        except Exception:  # a report that cannot be shown must not cost the alert
            log.exception("could not show the result of run %s", report.run_id)
        finally:
            await self._run_after_hooks(report)
        return report

    async def _extra_blocks(self, extras: RunExtras, report: RunReport) -> list[Block]:
        """The extras' blocks; a failure there costs the extras, never the result."""
        try:
            return await extras.blocks(report)
        except Exception:
            log.exception("could not build the extras of run %s", report.run_id)
            return []

    async def tell_already_running(self, target: ReplyTarget, user: str | None,
                                   busy: RunGoing) -> None:
        """Tell whoever asked that a run is going, who started it and when; nothing starts."""
        await self.delivery.notify(target, user, run_message.already_running(self.present,
                                                                            busy))

    async def _run_after_hooks(self, report: RunReport) -> None:
        async with self._hooks_turn:
            for hook in list(self.after_run):
                try:
                    await hook(report)
                except Exception:
                    log.exception("after-run hook %r failed for run %s",
                                  getattr(hook, "__qualname__", hook), report.run_id)

    # --- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Start the scheduler inside the running loop, learn who the bot is, join
        `SLACK_CHANNEL` when it is public and the bot is not in it (else the screenshots and
        private notes cannot reach it), send what waits in the outbox, then the on-start
        hooks (catch-up)."""
        if not self.scheduler.running:
            self.scheduler.start()
        # In the background: requests are answered meanwhile (Bolt's `authorize` is ours).
        self._keep_task(asyncio.create_task(self._identify()))
        if self.settings.slack_channel:
            await slack_channel.join_if_public(self.client, self.settings)
        if self._outbox_task is None:
            self._outbox_task = asyncio.create_task(self.delivery.run_outbox())
        for hook in list(self.on_start):
            try:
                await hook()
            except Exception:
                log.exception("start hook %r failed", getattr(hook, "__qualname__", hook))

    async def _identify(self) -> None:
        self.identity = await slack_channel.identify(self.client, self.settings)

    def keep_task(self, task: asyncio.Task[Any]) -> None:
        """Keep `task` alive, and give it the shutdown grace period like a run."""
        self._keep_task(task)

    def _keep_task(self, task: asyncio.Task[Any]) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def stop(self) -> None:
        """Stop the scheduler; a run in progress gets `BOT_SHUTDOWN_GRACE_SECONDS` to finish
        and report, then is cancelled."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._outbox_task is not None:
            self._outbox_task.cancel()
            await asyncio.gather(self._outbox_task, return_exceptions=True)
            self._outbox_task = None
        if not self._background:
            return
        _, still_running = await asyncio.wait(list(self._background),
                                              timeout=self.settings.bot_shutdown_grace_seconds)
        for task in still_running:
            # Cancelling lets the runner close its log rows as failed and free the guard.
            task.cancel()
        if still_running:
            await asyncio.gather(*still_running, return_exceptions=True)
