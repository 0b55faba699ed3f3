"""`status` (terminal, Slack, the Home tab) only reads: no file under STORAGE_DIR created,
deleted, renamed or changed (SQLite's -wal/-shm aside), no row changed, no migration run —
even with a dead run, expired files, a leftover and a loose permission waiting to be dealt
with. The next sync deals with them."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.render.status_message import status_message
from sync import housekeeping
from sync.cli import main
from sync.db import close_all
from sync.home import gather_home
from sync.presented import Presenter
from sync.settings import Settings
from sync.status import gather_status
from tests.sync.test_runlog import gone_owner, leave_running_run

OLD = time.time() - 400 * 86400  # far past RETENTION_DAYS


def storage_snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under `root` with its size, mtime and mode (SQLite's -wal/-shm aside)."""
    found: dict[str, tuple[int, int, int]] = {}
    if not root.exists():
        return found
    for path in [root, *root.rglob("*")]:
        if path.name.endswith(("-wal", "-shm")):
            continue
        info = path.lstat()
        # A folder's own mtime moves with -wal/-shm; what it holds is in the snapshot anyway.
        size, mtime = (0, 0) if path.is_dir() else (info.st_size, info.st_mtime_ns)
        found[str(path.relative_to(root))] = (size, mtime, info.st_mode)
    return found


async def table_snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order, read on a connection of its own."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(
                lambda sync_conn: sync_conn.dialect.get_table_names(sync_conn))
            rows = {}
            for name in sorted(names):
                result = await conn.execute(text(f'SELECT * FROM "{name}"'))
                rows[name] = sorted((tuple(row) for row in result), key=repr)
            return rows
    finally:
        await engine.dispose()


def old_file(path: Path, data: bytes = b"x", mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    os.utime(path, (OLD, OLD))


async def leave_work_for_housekeeping(settings: Settings, url: str) -> None:
    """A migrated database with a dead run, and files the next sync would purge, move or
    tighten."""
    await housekeeping.prepare(settings)
    await leave_running_run(url, "dead-run", gone_owner())
    root = settings.storage_dir
    old_file(root / "archive" / "2024-01-01" / "251218_164857_members.csv")
    old_file(root / "trash" / "20240101-000000-000000-leftover_orders.csv")
    old_file(root / "debug" / "old-failure.png")
    old_file(root / "downloads" / "251218_164857_refunds.csv", b"Order Number\n", 0o644)
    await close_all()  # the WAL checkpointed: what follows is all the status's doing


@pytest.fixture
def cli_env(make_settings: Callable[..., Settings], database_url: str,
            monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings = make_settings(database_url=database_url)
    monkeypatch.setenv("STORAGE_DIR", str(settings.storage_dir))
    monkeypatch.setenv("DATABASE_URL", settings.effective_database_url)
    return settings


async def test_status_everywhere_changes_no_file_and_no_row(
        cli_env: Settings, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    settings = cli_env
    await leave_work_for_housekeeping(settings, database_url)
    files, rows = storage_snapshot(settings.storage_dir), await table_snapshot(database_url)
    assert sum("dead-run" in row and "running" in row for row in rows["sync_logs"]) == 3

    assert await _cli_status(capsys) == 0
    view = await gather_status(settings, datetime.now(UTC))
    slack_text, _blocks = status_message(Presenter.for_settings(settings), view)
    home = await gather_home(settings, datetime.now(UTC))
    await close_all()

    assert storage_snapshot(settings.storage_dir) == files
    assert await table_snapshot(database_url) == rows
    # The dead run is shown as stopped, and left for the next sync to close.
    assert [run.run_id for run in view.stopped] == ["dead-run"]
    assert [run.run_id for run in home.status.stopped] == ["dead-run"]
    assert "멈춘 실행" in slack_text
    assert view.running is None


async def _cli_status(capsys: pytest.CaptureFixture[str]) -> int:
    code = await asyncio_cli(["status"])
    out = capsys.readouterr().out
    assert "멈춘 실행" in out, out
    return code


async def test_the_next_sync_closes_what_status_left(cli_env: Settings,
                                                    database_url: str) -> None:
    settings = cli_env
    await leave_work_for_housekeeping(settings, database_url)
    await gather_status(settings, datetime.now(UTC))

    await housekeeping.prepare(settings)

    view = await gather_status(settings, datetime.now(UTC))
    assert view.stopped == []
    assert not (settings.storage_dir / "debug" / "old-failure.png").exists()


async def test_status_without_a_database_says_no_sync_yet_and_creates_nothing(
        cli_env: Settings, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    settings = cli_env
    code = await asyncio_cli(["status"])
    out = capsys.readouterr().out

    assert code == 0, out
    assert "아직 동기화한 적이 없습니다" in out
    assert not settings.storage_dir.exists()
    if not database_url.startswith("sqlite"):
        assert await table_snapshot(database_url) == {}


async def test_status_of_an_older_schema_says_so_and_migrates_nothing(
        cli_env: Settings, database_url: str) -> None:
    settings = cli_env.model_copy(update={"bot_language": "en"})
    await housekeeping.prepare(settings)
    engine = create_async_engine(database_url, poolclass=NullPool)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    await engine.dispose()
    await close_all()
    rows = await table_snapshot(database_url)

    view = await gather_status(settings, datetime.now(UTC))
    slack_text, _ = status_message(Presenter.for_settings(settings), view)

    assert view.database == "unmigrated" and view.last_logs == {}
    assert "not yet updated for this version" in slack_text
    await close_all()
    assert await table_snapshot(database_url) == rows


async def asyncio_cli(argv: list[str]) -> int:
    """`main` runs its own event loop: in a thread, as the terminal would run it."""
    return await asyncio.to_thread(main, argv)
