"""The storage folder, the SQLite file (with -wal/-shm) and every export hold personal data:
readable by their owner only, on a fresh install and on one from before (tightened at every
start), and `doctor` says which of `.env`, the database and STORAGE_DIR others can read,
with the chmod that fixes it.

Tests run as root, and root reads anything: another user (65534, via `setpriv`) tries."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.slack import BotProcess, SlackStandIn, bot_env
from tests.sync.test_fault_sentences import assert_one_sentence, operator_env, publ_sync


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def readable_by_another_user(path: Path) -> bool:
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "cat", str(path)], capture_output=True, timeout=10, check=False)
    return done.returncode == 0


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user can reach (pytest's own temporary folder is root's only)."""
    base = Path(tempfile.mkdtemp(prefix="publ-perm-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def old_install(base: Path) -> dict[str, Path]:
    """An install from before: everything 0755 / 0644, as a default umask makes it."""
    storage = base / "storage"
    for folder in ("downloads", "archive/20261127", "sessions", "trash", "debug"):
        (storage / folder).mkdir(parents=True, exist_ok=True)
    files = {
        "db": storage / "publ.db",
        "wal": storage / "publ.db-wal",
        "shm": storage / "publ.db-shm",
        "download": storage / "downloads" / "261127_090000_members.csv",
        "archived": storage / "archive" / "20261127" / "261126_090000_orders_latest.csv",
        "session": storage / "sessions" / ".session.json",
    }
    import sqlite3

    with sqlite3.connect(files["db"]) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE leftover (name TEXT)")
        conn.execute("INSERT INTO leftover VALUES ('김민준 010-1234-5678')")
        keep_open = sqlite3.connect(files["db"])  # keeps -wal and -shm on disk
        keep_open.execute("SELECT * FROM leftover").fetchall()
    files["download"].write_text("Member Code\nM1\n")
    files["archived"].write_text("Number,Order Number\n1,A-1\n")
    files["session"].write_text('{"cookies": [], "origins": []}')
    for path in storage.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    storage.chmod(0o755)
    keep_open.close()
    files["wal"].touch(0o644)
    files["shm"].touch(0o644)
    for name in ("wal", "shm"):
        files[name].chmod(0o644)
    return files


def test_a_cli_start_tightens_an_old_install(shared_folder: Path) -> None:
    files = old_install(shared_folder)
    assert readable_by_another_user(files["db"])  # the defect: anyone reads every member
    code, out = publ_sync(operator_env(shared_folder), "run")
    assert code == 1, out  # no browser here; the start is what matters
    storage = shared_folder / "storage"
    assert mode(storage) == 0o700
    for name, path in files.items():
        if not path.exists():  # a leftover export: the run's housekeeping set it aside
            [path] = (storage / "trash").glob(f"*{path.name}")
        assert mode(path) == 0o600, (name, oct(mode(path)))
        assert not readable_by_another_user(path), name
    for folder in ("downloads", "archive", "archive/20261127", "sessions", "trash", "debug"):
        assert mode(storage / folder) & 0o077 == 0, folder


def test_a_fresh_install_is_private_from_the_first_file(shared_folder: Path) -> None:
    code, out = publ_sync(operator_env(shared_folder), "run")
    assert code == 1, out
    storage = shared_folder / "storage"
    assert mode(storage) == 0o700
    db = storage / "publ.db"
    assert mode(db) == 0o600
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            assert mode(side) == 0o600, suffix


async def test_the_bot_tightens_an_old_install_when_it_starts(
        shared_folder: Path, slack_api: SlackStandIn) -> None:
    files = old_install(shared_folder)
    env = bot_env(shared_folder, slack_api)
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{files['db']}"
    bot = await BotProcess(env).start()
    try:
        await bot.wait_for_line("started")
        assert mode(shared_folder / "storage") == 0o700
        assert mode(files["db"]) == 0o600 and mode(files["download"]) == 0o600
        assert not readable_by_another_user(files["archived"])
    finally:
        assert await bot.stop() == 0


def test_doctor_names_what_others_can_read_and_the_chmod_that_fixes_it(
        shared_folder: Path) -> None:
    files = old_install(shared_folder)
    env_file = shared_folder / ".env"
    env_file.write_text("BOT_LANGUAGE=ko\n")
    env_file.chmod(0o644)
    code, out = publ_sync(operator_env(shared_folder), "doctor", cwd=shared_folder)
    assert code == 1
    assert_one_sentence(out)
    flat = " ".join(out.split())
    assert "다른 사용자도 읽을 수 있습니다 (644). 고치려면: chmod 600 " + str(env_file) in flat
    assert f"chmod 600 {files['db']}" in flat
    assert f"chmod 700 {shared_folder / 'storage'}" in flat

    # Once fixed, doctor says so.
    env_file.chmod(0o600)
    code, out = publ_sync(operator_env(shared_folder), "doctor", cwd=shared_folder)
    assert "파일 권한: .env, 데이터베이스, 저장 폴더는 이 사용자만 읽을 수 있습니다" in out
    assert os.stat(files["db"]).st_mode & 0o077 == 0
