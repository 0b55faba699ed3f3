"""The sync log's guard: one sync at a time across processes, runs whose process died are
closed as failed by the next start, and a live run in another process is never touched."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from sqlalchemy import insert

from sync import runlog, runner
from sync.db import open_database
from sync.errors import AlreadyRunning
from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.models import SyncLock, SyncLog, utcnow
from sync.report import SYNC_TYPES, SyncType
from sync.settings import Settings
from tests.exportfiles import csv_bytes, download, import_files, table_rows


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url=database_url)


@pytest.fixture
async def other_process() -> AsyncIterator[psutil.Process]:
    """A live process that is not this one (it waits on its stdin until the test ends)."""
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    yield psutil.Process(child.pid)
    child.stdin.close()  # type: ignore[union-attr]
    child.wait(timeout=10)


def owner_of(process: psutil.Process) -> str:
    """The owner string the guard writes for a process."""
    return f"{socket.gethostname()}:{process.pid}:{int(process.create_time() * 100)}"


def gone_owner() -> str:
    """The owner string of a process that has already exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=10)
    return f"{socket.gethostname()}:{child.pid}:1"


async def leave_running_run(url: str, run_id: str, owner: str, *, beat_age_s: float = 0,
                            holds_guard: bool = True) -> None:
    """The rows a run leaves behind while it works: three `running` logs and the guard."""
    db = await open_database(url)
    now = utcnow()
    beat = now - timedelta(seconds=beat_age_s)
    async with db.write() as conn:
        await conn.execute(insert(SyncLog), [
            dict(run_id=run_id, sync_type=t.value, status="running", trigger="schedule",
                 started_at=beat, owner=owner, heartbeat_at=beat) for t in SYNC_TYPES])
        if holds_guard:
            await conn.execute(insert(SyncLock).values(
                name=runlog.LOCK_NAME, run_id=run_id, owner=owner, trigger="schedule",
                started_at=beat, heartbeat_at=beat))


async def statuses(url: str, run_id: str) -> list[str]:
    return [row["status"] for row in await table_rows(url, "sync_logs")
            if row["run_id"] == run_id]


MEMBERS_FILE = csv_bytes(MEMBERS.headers, [["M1", "u1", "a@example.com", "김민준", "KR", "",
                                             "", "", "", "2024-12-27 15:30:45"]])
ORDERS_FILE = csv_bytes(ORDERS.headers, [["1", "A-1", "스탠다드 멤버십", "Membership plan",
                                          "12,900원", "김민준", "a@example.com", "M1",
                                          "Regular Payment", "KakaoPay", "2024-12-27 15:30"]])


def refunds_export(settings: Settings, stamp: str) -> dict[SyncType, Path]:
    data = csv_bytes(REFUNDS.headers, [["A-1", "Requested", "500", "u", "M1", "2024-12-27"]])
    return {SyncType.REFUNDS: download(settings, SyncType.REFUNDS, data, stamp)}


async def test_second_concurrent_sync_is_refused_while_the_first_finishes(
        settings: Settings, database_url: str) -> None:
    holding = asyncio.Event()
    release = asyncio.Event()

    async def hold(_run_id: str) -> None:
        holding.set()
        await release.wait()

    first = asyncio.create_task(runner.run_sync(
        settings, trigger="schedule", files=refunds_export(settings, "251218_090000"),
        types=[SyncType.REFUNDS], on_started=hold))
    await asyncio.wait_for(holding.wait(), 10)

    with pytest.raises(AlreadyRunning) as refused:
        await import_files(settings, refunds_export(settings, "251218_090001"))
    assert refused.value.trigger == "schedule"

    release.set()
    report = await asyncio.wait_for(first, 10)
    assert report.succeeded
    assert refused.value.run_id == report.run_id
    # Only the first run left sync-log rows; the refused one started nothing.
    assert {row["run_id"] for row in await table_rows(database_url, "sync_logs")} == {
        report.run_id}
    again = await import_files(settings, refunds_export(settings, "251218_090002"))
    assert again.succeeded


async def test_run_whose_process_died_is_closed_as_failed_on_next_start(
        settings: Settings, database_url: str) -> None:
    await leave_running_run(database_url, "dead-run", gone_owner())

    await runner.prepare(settings)

    logs = [row for row in await table_rows(database_url, "sync_logs")
            if row["run_id"] == "dead-run"]
    assert [row["status"] for row in logs] == ["failed"] * 3
    assert all(row["error_kind"] == "unexpected" for row in logs)
    assert "프로그램이 중단되었습니다" in logs[0]["error_message"]
    assert logs[0]["finished_at"] is not None
    streak, _since = await runlog.failure_streak(await open_database(database_url))
    assert streak == 1
    assert (await import_files(settings, refunds_export(settings, "251218_090000"))).succeeded


async def test_live_run_in_another_process_is_never_touched(
        settings: Settings, database_url: str, other_process: psutil.Process) -> None:
    # Its heartbeat is old, but its process runs on this host: that is what counts here.
    await leave_running_run(database_url, "live-run", owner_of(other_process),
                            beat_age_s=3600)

    await runner.prepare(settings)
    assert await statuses(database_url, "live-run") == ["running"] * 3
    with pytest.raises(AlreadyRunning):
        await import_files(settings, refunds_export(settings, "251218_090000"))

    other_process.kill()
    other_process.wait(timeout=10)
    await runner.prepare(settings)
    assert await statuses(database_url, "live-run") == ["failed"] * 3


async def test_reused_pid_does_not_keep_a_dead_run_alive(settings: Settings,
                                                        database_url: str) -> None:
    me = psutil.Process()
    wrong_start = f"{socket.gethostname()}:{me.pid}:{int(me.create_time() * 100) - 500}"
    await leave_running_run(database_url, "old-run", wrong_start)

    await runner.prepare(settings)

    assert await statuses(database_url, "old-run") == ["failed"] * 3


async def test_run_on_another_host_is_judged_by_its_heartbeat(settings: Settings,
                                                             database_url: str) -> None:
    stale = settings.heartbeat_stale_seconds
    await leave_running_run(database_url, "fresh-remote", "bot-2.internal:4242:1",
                            beat_age_s=0, holds_guard=False)
    await leave_running_run(database_url, "stale-remote", "bot-3.internal:4242:1",
                            beat_age_s=stale * 3, holds_guard=False)

    await runner.prepare(settings)

    assert await statuses(database_url, "fresh-remote") == ["running"] * 3
    assert await statuses(database_url, "stale-remote") == ["failed"] * 3


async def test_a_running_sync_keeps_its_heartbeat_fresh(settings: Settings,
                                                        database_url: str) -> None:
    release = asyncio.Event()
    started: list[str] = []

    async def hold(run_id: str) -> None:
        started.append(run_id)
        await release.wait()

    run = asyncio.create_task(runner.run_sync(
        settings, trigger="cli", files=refunds_export(settings, "251218_090000"),
        types=[SyncType.REFUNDS], on_started=hold))
    try:
        for _ in range(100):
            rows = await table_rows(database_url, "sync_logs")
            if rows and rows[0]["heartbeat_at"] > rows[0]["started_at"]:
                break
            await asyncio.sleep(settings.heartbeat_seconds / 2)
        else:
            pytest.fail("the heartbeat never moved")
    finally:
        release.set()
        await asyncio.wait_for(run, 10)
    assert await statuses(database_url, started[0]) == ["success"]


async def test_failure_streak_counts_failed_syncs_and_ignores_partial_imports(
        settings: Settings, database_url: str) -> None:
    def all_three(stamp: str, refunds: bytes) -> dict[SyncType, Path]:
        return {
            SyncType.MEMBERS: download(settings, SyncType.MEMBERS, MEMBERS_FILE, stamp),
            SyncType.ORDERS: download(settings, SyncType.ORDERS, ORDERS_FILE, stamp),
            SyncType.REFUNDS: download(settings, SyncType.REFUNDS, refunds, stamp),
        }

    good = csv_bytes(REFUNDS.headers, [["A-1", "Requested", "500", "u", "M1", "2024-12-27"]])
    bad = csv_bytes(REFUNDS.headers[1:], [])
    db = await open_database(database_url)
    assert (await import_files(settings, all_three("251218_090000", good))).succeeded
    for stamp in ("251218_090001", "251218_090002"):
        assert not (await import_files(settings, all_three(stamp, bad))).succeeded
    assert (await runlog.failure_streak(db))[0] == 2

    # One file imported by hand, fine or broken, is not a sync.
    assert (await import_files(settings, refunds_export(settings, "251218_090003"))).succeeded
    one_bad = download(settings, SyncType.REFUNDS, bad, "251218_090004")
    assert not (await import_files(settings, {SyncType.REFUNDS: one_bad})).succeeded
    streak, since = await runlog.failure_streak(db)
    assert streak == 2 and since is not None

    assert (await import_files(settings, all_three("251218_090005", good))).succeeded
    assert (await runlog.failure_streak(db))[0] == 0
