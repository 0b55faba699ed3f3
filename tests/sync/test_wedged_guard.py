"""A run whose last writes fail (SQLite locked past its busy timeout, a full disk) must not
wedge the process: its guard row blocks no later run, its `running` rows are closed as
failed by the next run, and it counts in the failure streak.

The fault is real: another program holds SQLite's write lock (stdlib `sqlite3`, `BEGIN
IMMEDIATE`) from the moment the run has started until it has ended.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from sync import runlog, runner
from sync.db import open_database
from sync.models import SyncLog, utcnow
from sync.settings import Settings
from tests.fixtures.slack import SlackStandIn, slack_settings


class LockHolder:
    """Another program holding the SQLite write lock while it is `held`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None

    def take(self) -> None:
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn is not None:
            self.conn.rollback()
            self.conn.close()
            self.conn = None


def failing_download_settings(make_settings: Callable[..., Settings], **extra: Any) -> Settings:
    """A run that fails at once without a browser (no Chromium at that path), and whose
    SQLite writes give up on a lock after 0.1 s."""
    return make_settings(chromium_path="/nonexistent/chromium", sqlite_busy_timeout_ms=100,
                         **extra)


async def _rows(settings: Settings) -> list[Any]:
    db = await open_database(settings.effective_database_url)
    async with db.read() as conn:
        return list((await conn.execute(select(SyncLog).order_by(SyncLog.id))).all())


async def test_a_run_whose_last_writes_fail_does_not_block_the_next_one(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    settings = failing_download_settings(make_settings)
    holder = LockHolder(tmp_path / "storage" / "publ.db")

    async def lock_database(run_id: str) -> None:
        holder.take()

    try:
        with pytest.raises(OperationalError, match="locked"):
            await runner.run_sync(settings, trigger="cli", on_started=lock_database)
    finally:
        holder.release()
    first = await _rows(settings)
    assert {row.status for row in first} == {"running"}  # its end could not be written

    # The next run in the same process is not refused as "already running".
    second = await runner.run_sync(settings, trigger="cli")
    assert not second.succeeded
    rows = await _rows(settings)
    assert {row.status for row in rows} == {"failed"}
    closed = [row for row in rows if row.run_id == first[0].run_id]
    assert all("마지막 기록" in row.error_message for row in closed)
    db = await open_database(settings.effective_database_url)
    assert (await runlog.failure_streak(db))[0] == 2
    assert await runlog.current_holder(db, utcnow(), settings.heartbeat_stale_seconds) is None


async def test_the_bot_runs_again_after_a_run_whose_last_writes_failed(
        start_bot, slack_api: SlackStandIn, make_settings: Callable[..., Settings],
        tmp_path: Path) -> None:
    """Through Slack: the second /publ-sync starts a run instead of 'already running'."""
    holder = LockHolder(tmp_path / "storage" / "publ.db")
    calls: list[str] = []

    async def run_locking_the_first(settings: Settings, **kwargs: Any) -> Any:
        shown = kwargs.pop("on_started", None)
        calls.append(kwargs["trigger"])

        async def started(run_id: str) -> None:
            if len(calls) == 1:
                holder.take()
            if shown is not None:
                await shown(run_id)

        try:
            return await runner.run_sync(settings, on_started=started, **kwargs)
        finally:
            holder.release()

    settings = failing_download_settings(make_settings, **slack_settings(slack_api))
    bot = await start_bot(settings=settings, runner=run_locking_the_first)
    await bot.command("")
    [first] = await slack_api.wait_for("chat.update", timeout=30)
    assert "0.1초 넘게 잠그고 있어" in first.text  # said as a lock, not as an error type
    second = await bot.command("", user_id="U0SECOND")
    assert second.status == 200
    assert "이미 동기화가 진행 중" not in second.message
    updates = await slack_api.wait_for("chat.update", count=2, timeout=30)
    assert "이미 동기화가 진행 중" not in updates[-1].text
    assert len(calls) == 2
    assert len({row.run_id for row in await _rows(settings)}) == 2


async def test_a_full_disk_at_the_last_writes_does_not_wedge_either_database(
        make_settings: Callable[..., Settings], database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on SQLite and PostgreSQL, with the fault injected at the exact calls: both
    writes of the run's end (closing its types, freeing the guard) fail once with a full
    disk."""
    settings = failing_download_settings(make_settings, database_url=database_url)
    real_fail, real_release = runner._fail_unfinished, runlog.release_guard
    failed: list[str] = []

    def full_once(real: Any, name: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Any:
            if name not in failed:
                failed.append(name)
                raise OperationalError("UPDATE sync_logs …", {},
                                       Exception("database or disk is full"))
            return await real(*args, **kwargs)
        return call

    monkeypatch.setattr(runner, "_fail_unfinished", full_once(real_fail, "fail"))
    monkeypatch.setattr(runlog, "release_guard", full_once(real_release, "release"))
    with pytest.raises(OperationalError):
        await runner.run_sync(settings, trigger="cli")

    second = await runner.run_sync(settings, trigger="cli")  # not AlreadyRunning
    assert not second.succeeded
    assert failed == ["fail", "release"]
    rows = await _rows(settings)
    assert len({row.run_id for row in rows}) == 2 and {row.status for row in rows} == {"failed"}
    db = await open_database(settings.effective_database_url)
    assert (await runlog.failure_streak(db))[0] == 2
    assert await runlog.current_holder(db, utcnow(), settings.heartbeat_stale_seconds) is None
