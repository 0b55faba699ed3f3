"""Faults of the machine as one sentence in BOT_LANGUAGE, never a traceback: the database
port closed, SQLite locked past its busy timeout, a damaged SQLite file, storage that
cannot be written, a full disk, a wrong DATABASE_URL / TIMEZONE / SYNC_SCHEDULE, and a
Slack request whose timestamp is not a number.

The CLI and the bot run as the operator runs them, in their own processes; read-only
storage is a real 0500 folder and the command runs as an unprivileged user (`setpriv`),
because the tests run as root and root writes anywhere.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Download

from sync import runner
from sync.db import close_all, open_database
from sync.errors import ErrorKind
from sync.report import SyncType
from sync.sandbox import Sandbox
from sync.settings import Settings
from tests.fixtures.slack import (
    SIGNING_SECRET,
    SlackStandIn,
    StubRunner,
    bot_env,
    free_port,
    signature,
    slash_body,
)
from tests.paths import ROOT

DB_PASSWORD = "Db-Secr3t-Passw0rd"  # noqa: S105 - a test value


def operator_env(folder: Path, **extra: str) -> dict[str, str]:
    """An operator's environment: storage and SQLite in `folder`, login settings set, no
    browser (a run that reaches the download fails at once)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
        "PYTHONPATH": str(ROOT), "COLUMNS": "200",
        "STORAGE_DIR": str(folder / "storage"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'storage' / 'publ.db'}",
        "PUBL_EMAIL": "operator@example.com", "PUBL_PASSWORD": "s3cret-Pa55word!",
        "PUBL_CHANNEL_ID": "L2NoYW5uZWxzLzE3Njkx", "CHROMIUM_PATH": "/nonexistent/chromium",
        "SQLITE_BUSY_TIMEOUT_MS": "200",
    }
    env.update(extra)
    return env


def publ_sync(env: dict[str, str], *args: str, as_nobody: bool = False,
              cwd: Path | None = None) -> tuple[int, str]:
    """`python -m sync.cli ARGS`; returns the exit code and everything it printed."""
    command = [sys.executable, "-m", "sync.cli", *args]
    if as_nobody:
        # The venv's interpreter lives under /root (unreadable for others): run the
        # system's Python 3.11 on the venv's packages instead.
        site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
        env = {**env, "PYTHONPATH": f"{ROOT}:{site}"}
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                   "/usr/bin/python3", "-m", "sync.cli", *args]
    done = subprocess.run(command, env=env, cwd=cwd or env["HOME"], capture_output=True,
                          text=True, timeout=60, check=False)
    return done.returncode, done.stdout + done.stderr


def assert_one_sentence(out: str) -> None:
    assert "Traceback" not in out and 'File "' not in out, out
    assert out.strip(), "nothing was printed"


def migrated_sqlite(folder: Path) -> Path:
    """A real, migrated SQLite file in `folder/storage`."""
    path = folder / "storage" / "publ.db"

    async def create() -> None:
        await open_database(f"sqlite+aiosqlite:///{path}")
        await close_all()

    asyncio.run(create())
    return path


@pytest.mark.parametrize("command", ["run", "status", "import"])
def test_the_database_port_closed_names_host_and_port_not_the_password(
        tmp_path: Path, command: str) -> None:
    port = free_port()
    env = operator_env(tmp_path, DATABASE_URL=(
        f"postgresql+asyncpg://publ:{DB_PASSWORD}@127.0.0.1:{port}/publ"))
    args = [command]
    if command == "import":
        export = tmp_path / "261127_090000_members.csv"
        export.write_text("Member Code,Username\nM1,u1\n")
        args.append(str(export))
    code, out = publ_sync(env, *args)
    assert code == 1, out
    assert_one_sentence(out)
    assert f"데이터베이스 서버 127.0.0.1:{port}에 연결할 수 없습니다" in out
    assert DB_PASSWORD not in out


def test_run_with_sqlite_locked_past_its_busy_timeout_says_so(tmp_path: Path) -> None:
    path = migrated_sqlite(tmp_path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock throughout
    try:
        code, out = publ_sync(operator_env(tmp_path), "run")
    finally:
        other.rollback()
        other.close()
    assert code == 1, out
    assert_one_sentence(out)
    assert f"다른 프로그램이 데이터베이스 {path}를 0.2초 넘게 잠그고 있어" in out


def test_run_with_a_garbage_sqlite_file_says_it_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "storage" / "publ.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is no database, just some bytes\n" * 200)
    code, out = publ_sync(operator_env(tmp_path, BOT_LANGUAGE="en"), "run")
    assert code == 1, out
    assert_one_sentence(out)
    assert f"The database file is damaged: move {path} aside and run again" in out
    assert path.read_bytes().startswith(b"this is no database")  # left for the operator


def test_run_with_a_truncated_sqlite_file_says_it_is_damaged(tmp_path: Path) -> None:
    path = migrated_sqlite(tmp_path)
    with sqlite3.connect(path) as conn:  # some data, so that the file has many pages
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 3)
    code, out = publ_sync(operator_env(tmp_path), "run")
    assert code == 1, out
    assert_one_sentence(out)
    assert f"데이터베이스 파일이 손상되었습니다: {path}를 다른 곳으로 옮기고" in out


@pytest.fixture
def read_only_storage() -> Iterator[Path]:
    """A folder an unprivileged user (65534) owns but may not write: 0500. Outside
    pytest's own 0700 temporary folder, so that the user can reach it."""
    base = Path(tempfile.mkdtemp(prefix="publ-ro-"))
    base.chmod(0o755)
    storage = base / "storage"
    (storage / "sessions").mkdir(parents=True)
    (storage / "sessions" / ".session.json").write_text('{"cookies": [], "origins": []}')
    for path in (base, storage, storage / "sessions", storage / "sessions" / ".session.json"):
        os.chown(path, 65534, 65534)
    (storage / "sessions").chmod(0o700)
    storage.chmod(0o500)
    try:
        yield base
    finally:
        storage.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("command", ["run", "reset-session", "doctor"])
def test_read_only_storage_names_the_path(read_only_storage: Path, command: str) -> None:
    env = operator_env(read_only_storage)
    code, out = publ_sync(env, command, as_nobody=True)
    assert code == 1, out
    assert_one_sentence(out)
    storage = read_only_storage / "storage"
    assert f"{storage}" in out and "쓸 수 없습니다 (읽기 전용이거나 권한 없음)" in out, out
    assert (storage / "sessions" / ".session.json").exists()  # nothing was moved or lost
    if command == "doctor":  # and the other checks still answer
        assert "브라우저:" in out and "데이터베이스" in out, out


def test_a_database_url_that_is_no_url_is_a_settings_error(tmp_path: Path) -> None:
    code, out = publ_sync(operator_env(tmp_path, DATABASE_URL="not a url"), "run")
    assert code == 2, out
    assert_one_sentence(out)
    assert "DATABASE_URL이 올바른 데이터베이스 주소가 아닙니다" in out


# --- a full disk --------------------------------------------------------------------------


def no_space(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


async def test_a_full_disk_while_saving_a_download_is_said_as_a_full_disk(
        sandbox: Sandbox, sandbox_settings: Callable[..., Settings],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC at the write of the export into storage: not 'the download was cut off',
    not retried three times, and the free space and the folder to clean are named."""
    monkeypatch.setattr(Download, "save_as", no_space)
    settings = sandbox_settings(download_retries=2)
    report = await runner.run_sync(settings, trigger="cli")
    assert not report.succeeded
    message = report.results[SyncType.MEMBERS].error_message or ""
    assert "디스크가 가득 찼습니다 (남은 공간 " in message, message
    assert f"저장 폴더 {settings.storage_dir} 안의 archive/, trash/, debug/" in message
    assert "잘" not in message and "cut off" not in message
    assert sandbox.counters.logins == 1  # a full disk is not worth another attempt


async def test_a_full_disk_while_merging_order_pages_is_said_as_a_full_disk(
        sandbox: Sandbox, sandbox_settings: Callable[..., Settings],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.downloader import pages

    monkeypatch.setattr(pages, "write_private", no_space)
    settings = sandbox_settings(publ_page_size=10)  # 25 orders: three pages to merge
    report = await runner.run_sync(settings, trigger="cli")
    message = report.results[SyncType.ORDERS].error_message or ""
    assert "디스크가 가득 찼습니다" in message, message


async def test_a_full_database_disk_during_an_import_is_said_as_a_full_disk(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    """A real 'database or disk is full' from SQLite (`PRAGMA max_page_count`)."""
    from sqlalchemy import event

    from sync.exports import MEMBERS
    from tests.exportfiles import csv_bytes

    settings = make_settings()
    db = await open_database(settings.effective_database_url)

    @event.listens_for(db.engine.sync_engine, "connect")
    def _small_disk(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA max_page_count=60")
        cursor.close()

    await db.engine.dispose()  # every connection from now on has the small limit
    rows = [[f"M{i}", f"user{i}", f"user{i}@example.com", "김민준", "KR", "", "", "", "",
             "2024-12-27 15:30:45"] for i in range(3000)]
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes(MEMBERS.headers, rows))
    report = await runner.run_sync(settings, trigger="cli", files={SyncType.MEMBERS: path},
                                   types=[SyncType.MEMBERS])
    result = report.results[SyncType.MEMBERS]
    assert result.status == "failed" and result.error_kind is ErrorKind.DATABASE
    assert "디스크가 가득 찼습니다 (남은 공간 " in (result.error_message or "")


# --- the bot --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value", "said"), [
    ("TIMEZONE", "Mars/Olympus_Mons", "TIMEZONE 값 'Mars/Olympus_Mons' 은(는) 알 수 없는 시간대"),
    ("SYNC_SCHEDULE", "61 25 * *", "SYNC_SCHEDULE 값 '61 25 * *' 을(를) 이해할 수 없습니다"),
])
def test_publ_bot_with_a_bad_timezone_or_schedule_exits_2_with_one_sentence(
        tmp_path: Path, slack_api: SlackStandIn, name: str, value: str, said: str) -> None:
    env = bot_env(tmp_path, slack_api, **{name: value})
    done = subprocess.run([sys.executable, "-m", "bot"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert_one_sentence(out)
    assert said in out, out


async def test_a_timestamp_that_is_not_a_number_gets_401_without_a_traceback(
        start_bot, caplog: pytest.LogCaptureFixture) -> None:
    runner_ = StubRunner()
    bot = await start_bot(runner=runner_)
    body = slash_body()
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as session:
        for stamp in ("not-a-number", "1e9", ""):
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "X-Slack-Request-Timestamp": stamp,
                       "X-Slack-Signature": signature(SIGNING_SECRET, stamp, body)}
            async with session.post(bot.url, data=body.encode(), headers=headers) as answer:
                assert answer.status == 401, stamp
        # and a correct one still passes
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": signature(SIGNING_SECRET, stamp, body)}
        async with session.post(bot.url, data=body.encode(), headers=headers) as answer:
            assert answer.status == 200
    assert not [record for record in caplog.records if record.exc_info], caplog.text
