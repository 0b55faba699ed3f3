"""A bug nobody foresaw in the downloader still ends as a recorded, explained failure."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sync import downloader, redact, runlog, runner
from sync.db import open_database
from sync.models import SyncLog, utcnow


async def test_an_unforeseen_download_error_fails_every_type_in_the_log(
    make_settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings()

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"boom while typing {settings.publ_password.get_secret_value()}")

    redact.add_settings_secrets(settings)
    monkeypatch.setattr(downloader, "download_exports", broken)
    report = await runner.run_sync(settings, trigger="cli")

    assert not report.succeeded
    assert {r.error_kind.value for r in report.results.values()} == {"unexpected"}
    db = await open_database(settings.effective_database_url)
    async with db.read() as conn:
        rows = (await conn.execute(select(SyncLog))).all()
    assert [row.status for row in rows] == ["failed"] * 3
    assert all("RuntimeError" in row.error_message for row in rows)
    assert all("s3cret-Pa55word!" not in (row.error_detail or "") for row in rows)
    # The guard is free again: the next sync can start.
    assert await runlog.current_holder(db, utcnow(), settings.heartbeat_stale_seconds) is None
