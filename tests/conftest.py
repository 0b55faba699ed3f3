"""Shared fixtures: a private storage folder, settings with tiny timeouts, and a real
database — a SQLite file, and a fresh PostgreSQL database per test (127.0.0.1:5432).

Under `CI=true` the PostgreSQL tests must run: an unreachable server fails them instead of
skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from sync import db as sync_db
from sync import redact
from sync.settings import Settings

pytest_plugins = ["tests.fixtures.sandbox", "tests.fixtures.slack"]

PG_ADMIN_DSN = os.environ.get("PUBL_TEST_PG_DSN", "postgresql://127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def chromium_path() -> str:
    """The browser the tests drive: `CHROMIUM_PATH`, else Debian's."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Chromium writes under $HOME and $TMPDIR; keep that out of the developer's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        # A developer's real settings must never leak into a test.
        if name.startswith(("PUBL_", "SLACK_")) or name in ("DATABASE_URL", "STORAGE_DIR"):
            monkeypatch.delenv(name, raising=False)


async def _create_pg_database() -> str:
    name = f"publ_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def _drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A real, empty database: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'storage' / 'publ.db'}"
        await sync_db.close_all()
        return
    try:
        name = await _create_pg_database()
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL must be reachable in CI ({PG_ADMIN_DSN}): {error}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_DSN}: {error}")
    dsn = PG_ADMIN_DSN.rsplit("/", 1)[0]
    yield f"postgresql+asyncpg://{dsn.split('://', 1)[1]}/{name}"
    await sync_db.close_all()
    await _drop_pg_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests about one database only: the default SQLite file."""
    return f"sqlite+aiosqlite:///{tmp_path / 'storage' / 'publ.db'}"


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings for a test: private storage, tiny waits, no `.env` read."""

    def build(**overrides: object) -> Settings:
        values: dict[str, object] = dict(
            storage_dir=tmp_path / "storage",
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'storage' / 'publ.db'}",
            chromium_path=chromium_path(),
            browser_timeout_ms=5000,
            session_check_timeout_ms=1500,
            retry_backoff_seconds=0.05,
            heartbeat_seconds=0.2,
            heartbeat_stale_seconds=5,
            publ_email="operator@example.com",
            publ_password="s3cret-Pa55word!",
            publ_channel_id="L2NoYW5uZWxzLzE3Njkx",
        )
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]

    return build


@pytest.fixture(autouse=True)
def _fresh_secret_mask() -> Iterator[None]:
    """`sync.redact` keeps the secrets it masks process-wide: every test starts without."""
    redact.forget_secrets()
    yield
    redact.forget_secrets()


@pytest.fixture(autouse=True)
async def _close_engines() -> AsyncIterator[None]:
    yield
    await sync_db.close_all()
