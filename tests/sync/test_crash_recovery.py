"""A sync killed in the middle of its import transaction: nothing of it may remain in the
data, the export must still wait in `downloads/`, and the next start must close the dead
run as failed and be able to import the file."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from sync import runner
from sync.exports import MEMBERS, ORDERS
from sync.report import SyncType
from sync.settings import Settings
from tests.exportfiles import csv_bytes, download, import_files, import_one, table_rows
from tests.fixtures.paused_cli import PAUSE_MARKER, PAUSE_SETTING
from tests.paths import TESTS

PAUSED_CLI = TESTS / "fixtures" / "paused_cli.py"
DATA_TABLES = ("members", "orders", "refunds")


def order(position: int, number: str, price: str) -> list[str]:
    return [str(position), number, "스탠다드 멤버십", "Membership plan", price, "김민준",
            "buyer@example.com", "M1", "Regular Payment", "KakaoPay", "2024-12-27 15:30:45"]


async def snapshot(url: str) -> dict[str, list[dict[str, object]]]:
    return {name: await table_rows(url, name) for name in DATA_TABLES}


async def start_cli_import(settings: Settings, path: Path, cwd: Path,
                           pause_s: float) -> asyncio.subprocess.Process:
    """`publ-sync import FILE` in its own process, through the tests' entry point that
    pauses it mid-transaction."""
    env = {**os.environ, "STORAGE_DIR": str(settings.storage_dir),
           "DATABASE_URL": settings.effective_database_url,
           PAUSE_SETTING: str(pause_s)}
    return await asyncio.create_subprocess_exec(
        sys.executable, str(PAUSED_CLI), "import", str(path), cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def wait_for_pause(process: asyncio.subprocess.Process, timeout_s: float) -> None:
    """Until the child says its rows are written and its transaction is open."""
    assert process.stderr is not None

    async def read() -> None:
        seen = b""
        while PAUSE_MARKER not in seen:
            line = await process.stderr.readline()  # type: ignore[union-attr]
            assert line, f"the import ended without pausing: {seen.decode(errors='replace')}"
            seen += line

    await asyncio.wait_for(read(), timeout_s)


async def test_sigkill_inside_the_import_transaction_leaves_data_as_before(
        make_settings: Callable[..., Settings], database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url=database_url)
    members = csv_bytes(MEMBERS.headers, [["M1", "u1", "a@example.com", "김민준", "KR", "",
                                           "", "", "", "2024-12-27 15:30:45"]])
    assert (await import_one(settings, SyncType.MEMBERS, members)).succeeded
    first = csv_bytes(ORDERS.headers, [order(1, "A-1", "12,900원"), order(2, "A-2", "500")])
    assert (await import_one(settings, SyncType.ORDERS, first)).succeeded
    before = await snapshot(database_url)

    # New orders and a changed price: both an INSERT and an UPDATE will be in flight.
    rows = [order(i + 1, f"B-{i}", "9,900원") for i in range(50)]
    rows += [order(51, "A-1", "13,900원"), order(52, "A-2", "500")]
    path = download(settings, SyncType.ORDERS, csv_bytes(ORDERS.headers, rows),
                    stamp="251219_090000")
    child = await start_cli_import(settings, path, tmp_path, pause_s=60)
    try:
        await wait_for_pause(child, timeout_s=30)
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
    assert child.returncode == -signal.SIGKILL

    assert await snapshot(database_url) == before
    assert path.exists()
    logs = await table_rows(database_url, "sync_logs")
    dead_run = logs[-1]["run_id"]
    assert [log["status"] for log in logs if log["run_id"] == dead_run] == ["running"]

    await runner.prepare(settings)

    closed = [log for log in await table_rows(database_url, "sync_logs")
              if log["run_id"] == dead_run]
    assert [(log["status"], log["error_kind"]) for log in closed] == [("failed", "unexpected")]
    assert str(child.pid) in closed[0]["error_message"]
    assert await snapshot(database_url) == before

    # The next sync imports the very same file.
    report = await import_files(settings, {SyncType.ORDERS: path})
    result = report.results[SyncType.ORDERS]
    assert (result.new, result.updated, result.unchanged) == (50, 1, 1)
    assert not path.exists()
