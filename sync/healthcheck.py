"""Pings to an outside monitor (`HEALTHCHECK_URL`, the Healthchecks protocol: healthchecks.io
or a self-hosted Healthchecks), so that a dead bot is noticed by something that is not the
bot: `<url>/start` when a scheduled run starts, `<url>` when it succeeds, `<url>/fail` when
it fails, with a short body of the error kind and counts (never personal data).

Pings go out on background tasks, one after the other, each bounded by
`HEALTHCHECK_TIMEOUT_SECONDS`: a monitor that hangs changes nothing about the sync or its
report. The URL is a secret (it lets anyone report for this check): never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from sync import runlog
from sync.db import Database
from sync.models import utcnow
from sync.report import RunReport
from sync.settings import Settings

log = logging.getLogger(__name__)


def report_body(report: RunReport) -> str:
    """`kind=… types=… new=… updated=… skipped=…`: what a monitor's log needs, no more."""
    failed = [t.value for t, r in report.results.items() if not r.succeeded]
    parts = ["result=" + ("success" if report.succeeded else "failed"),
             f"trigger={report.trigger}", f"run={report.run_id}"]
    if failed:
        parts += [f"kind={report.failure_kind.value}", "failed_types=" + ",".join(failed)]
    for name in ("new", "updated", "unchanged", "skipped"):
        parts.append(f"{name}={sum(getattr(r, name) for r in report.results.values())}")
    return " ".join(parts)


def run_info_body(run: runlog.RunInfo) -> str:
    """The same for a run read back from the sync log (another process's)."""
    kinds = sorted({log.error_kind for log in run.logs if log.error_kind})
    parts = [f"result={run.status}", f"trigger={run.trigger}", f"run={run.run_id}"]
    if kinds:
        parts.append("kind=" + ",".join(kinds))
    for name in ("new", "updated", "unchanged", "skipped"):
        parts.append(f"{name}={sum(getattr(log, f'{name}_count') or 0 for log in run.logs)}")
    return " ".join(parts)


class Healthcheck:
    """The pings of one bot, sent in order on background tasks."""

    def __init__(self, settings: Settings,
                 keep_task: Callable[[asyncio.Task[Any]], None] | None = None) -> None:
        self.settings = settings
        self.url = settings.healthcheck_url.get_secret_value().rstrip("/")
        self._keep_task = keep_task
        self._last: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def start(self) -> None:
        """A scheduled run has started."""
        self._queue("/start", "")

    def finish(self, succeeded: bool, body: str) -> None:
        """A scheduled run has ended."""
        self._queue("" if succeeded else "/fail", body)

    def follow(self, db: Database, run_id: str) -> None:
        """The slot was refused because `run_id` (another run) holds the guard: ping that
        run's outcome once it ends."""
        if self.enabled:
            self._chain(self._follow(db, run_id))

    async def wait_idle(self) -> None:
        """Wait for the pings queued so far (tests, shutdown)."""
        if self._last is not None:
            await asyncio.gather(self._last, return_exceptions=True)

    def _queue(self, suffix: str, body: str) -> None:
        if self.enabled:
            self._chain(self._send(suffix, body))

    def _chain(self, ping: Awaitable[None]) -> None:
        previous = self._last

        async def after() -> None:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            await ping

        self._last = asyncio.create_task(after())
        if self._keep_task is not None:
            self._keep_task(self._last)

    async def _send(self, suffix: str, body: str) -> None:
        what = suffix.strip("/") or "success"
        try:
            async with asyncio.timeout(self.settings.healthcheck_timeout_seconds):
                async with aiohttp.ClientSession() as session, session.post(
                        self.url + suffix, data=body.encode()) as response:
                    if response.status >= 400:
                        log.warning("the health monitor refused the %s ping: HTTP %s",
                                    what, response.status)
                        return
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            log.warning("could not ping the health monitor (%s): %s", what,
                        type(error).__name__)
            return
        log.info("pinged the health monitor: %s", what)

    async def _follow(self, db: Database, run_id: str) -> None:
        """Poll the sync log at the heartbeat's pace until `run_id` has ended (or its
        owner died), then ping its outcome; bounded by the stale-heartbeat time after the
        guard is gone."""
        settings = self.settings
        while True:
            if await self._ping_if_ended(db, run_id):
                return
            holder = await runlog.current_holder(db, utcnow(), settings.heartbeat_stale_seconds)
            if holder is None or holder.run_id != run_id:
                if not await self._ping_if_ended(db, run_id):
                    await self._send("/fail", f"result=unknown run={run_id} kind=interrupted")
                return
            await asyncio.sleep(settings.heartbeat_seconds)

    async def _ping_if_ended(self, db: Database, run_id: str) -> bool:
        run = next((r for r in await runlog.recent_runs(db, limit=10) if r.run_id == run_id),
                   None)
        if run is None or run.status == "running":
            return False
        await self._send("" if run.status == "success" else "/fail", run_info_body(run))
        return True
