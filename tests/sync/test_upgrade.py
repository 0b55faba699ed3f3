"""An installation upgraded in place keeps working: a database left by the previous release
(at its newest revision, with data in it) is migrated to this release's head on open, and
keeps its rows. The layout change of issue 10 moved modules, not tables; this is the check
that Alembic still finds its history (`sync:migrations`) and that the chain is unbroken."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from sync.db import alembic_config, newest_revisions, open_database

# The newest revision the previous release shipped (commit db9c1a8, before the layout).
PREVIOUS_RELEASE_HEAD = "0004"


async def test_a_database_at_the_previous_release_migrates_to_head(database_url):
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            def upgrade_to_previous_release(sync_conn) -> None:
                config = alembic_config()
                config.attributes["connection"] = sync_conn
                command.upgrade(config, PREVIOUS_RELEASE_HEAD)

            await conn.run_sync(upgrade_to_previous_release)
            await conn.execute(text(
                "INSERT INTO members (member_code, email, name, created_at, updated_at) "
                "VALUES ('u-1', 'kim@example.com', '김민지', :now, :now)"),
                {"now": datetime(2026, 11, 30, 9, 0)})  # naive UTC, as stored
    finally:
        await engine.dispose()

    db = await open_database(database_url)
    async with db.read() as conn:
        revisions = {row[0] for row in await conn.execute(
            text("SELECT version_num FROM alembic_version"))}
        members = (await conn.execute(text("SELECT member_code, name FROM members"))).all()
    assert revisions == newest_revisions()
    assert [tuple(row) for row in members] == [("u-1", "김민지")]
