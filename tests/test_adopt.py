"""Adopting the Rails dashboard's existing tables: on start, with `publ-sync db adopt`
(and `--dry-run`), and the refusals — on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from dashboard import OLD_LOG_MESSAGE, create_dashboard, snapshot
from sqlalchemy import text

from sync import runner
from sync.db import open_database
from sync.report import SyncType

SAMPLES = Path(__file__).resolve().parent.parent / "sync" / "samples"
SAMPLE_FILES = {
    SyncType.MEMBERS: SAMPLES / "251218_164857_members.csv",
    SyncType.ORDERS: SAMPLES / "251218_164857_orders_latest.csv",
    SyncType.REFUNDS: SAMPLES / "251218_164857_refunds.csv",
}


async def test_start_on_a_dashboard_database_adopts_it_and_imports(database_url, make_settings):
    await create_dashboard(database_url)
    settings = make_settings(database_url=database_url)
    report = await runner.run_sync(settings, trigger="cli", files=dict(SAMPLE_FILES),
                                   types=list(SAMPLE_FILES))
    assert report.succeeded, report
    db = await open_database(database_url)
    async with db.read() as conn:
        members = (await conn.execute(text(
            "SELECT id, member_code, name, memo FROM members ORDER BY id"))).all()
        old_log = (await conn.execute(text(
            "SELECT status, error_message, run_id FROM sync_logs WHERE run_id IS NULL"))).all()
    codes = [row.member_code for row in members]
    assert len(codes) == len(set(codes)) == 2 + 39  # the two old ones, M100000 updated
    assert ("M000001", "VIP") in [(row.member_code, row.memo) for row in members]
    assert old_log == [("failed", OLD_LOG_MESSAGE, None)]
