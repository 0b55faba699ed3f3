"""Whole syncs through `runner.run_sync` against the sandbox console: download in real
Chromium, import into a real database, sync log rows — and no secret anywhere."""

from __future__ import annotations

import argparse
import io
import json
import logging
from pathlib import Path

from rich.console import Console
from sqlalchemy import select

from sync import runner
from sync.cli.browser_commands import cmd_run
from sync.db import open_database
from sync.exports import MEMBERS
from sync.models import Member, Order, SyncLog
from sync.report import SyncType
from sync.sandbox import COOKIE, Sandbox
from sync.sandbox.fake_exports import order_number
from sync.storage import Storage
from tests.exportfiles import csv_bytes


async def stored_orders(url: str) -> set[str]:
    db = await open_database(url)
    async with db.read() as conn:
        return set((await conn.execute(select(Order.order_number))).scalars())


async def log_rows(url: str) -> list:
    """Every sync_logs row (as table rows: `.sync_type`, `.error_kind`, …)."""
    db = await open_database(url)
    table = SyncLog.__table__
    async with db.read() as conn:
        return list((await conn.execute(select(table).order_by(table.c.id))).all())


async def test_empty_database_fetches_every_orders_page(sandbox: Sandbox, sandbox_settings,
                                                        sqlite_url):
    settings = sandbox_settings(publ_page_size=10, database_url=sqlite_url)

    report = await runner.run_sync(settings, trigger="cli")

    assert report.succeeded, report.first_error
    assert report.download is not None and report.download.order_pages == 3
    assert await stored_orders(sqlite_url) == {order_number(i) for i in range(25)}
    assert report.results[SyncType.ORDERS].file_name.endswith("_orders_all.csv")
    assert report.results[SyncType.MEMBERS].new == 40


async def test_new_orders_over_two_pages_after_a_first_sync_are_all_imported(
        sandbox: Sandbox, sandbox_settings, database_url):
    settings = sandbox_settings(publ_page_size=10, database_url=database_url,
                                session_check_timeout_ms=4000)
    first = await runner.run_sync(settings, trigger="cli")
    assert first.succeeded, first.first_error
    sandbox.add_orders(14)  # more than one page of new orders
    sandbox.counters.reset()

    second = await runner.run_sync(settings, trigger="cli")

    assert second.succeeded, second.first_error
    assert second.results[SyncType.ORDERS].new == 14
    assert await stored_orders(database_url) == {order_number(i) for i in range(39)}
    assert sandbox.counters.logins == 0  # the first sync's session was reused
    pages = [p for p in sandbox.counters.pages if "subs-products" in p]
    assert [p.split("page=")[1].split("&")[0] for p in pages] == ["1", "2"]
    # The files imported are exactly the ones this sync downloaded, now archived.
    archived = sorted(p.name for p in Path(settings.storage_dir, "archive").rglob("*.csv"))
    assert second.results[SyncType.ORDERS].file_name in archived
    assert not list(Path(settings.storage_dir, "downloads").glob("*.csv"))


async def test_order_paging_stops_at_the_page_cap(sandbox: Sandbox, sandbox_settings,
                                                 sqlite_url):
    """More pages of new orders than `PUBL_MAX_ORDER_PAGES`: paging stops at the cap, and
    what it fetched is imported."""
    settings = sandbox_settings(publ_page_size=10, database_url=sqlite_url,
                                publ_max_order_pages=2, session_check_timeout_ms=4000)
    assert (await runner.run_sync(settings, trigger="cli")).succeeded
    sandbox.add_orders(45)  # five pages of new orders, none reaching the stored ones
    sandbox.counters.reset()

    report = await runner.run_sync(settings, trigger="cli")

    assert report.succeeded, report.first_error
    pages = [p for p in sandbox.counters.pages if "subs-products" in p]
    assert [p.split("page=")[1].split("&")[0] for p in pages] == ["1", "2"]
    assert report.download is not None and report.download.order_pages == 2
    assert report.results[SyncType.ORDERS].new == 20
    assert len(await stored_orders(sqlite_url)) == 25 + 20


async def test_run_never_imports_an_older_leftover_from_downloads(
        sandbox: Sandbox, sandbox_settings, database_url):
    """An export a killed run left in `downloads/` (older than anything `run` fetches) is
    set aside, not imported: `run` imports what it downloaded itself."""
    settings = sandbox_settings(database_url=database_url)
    downloads = Storage(settings.storage_dir).ensure().downloads
    leftover = downloads / "241218_090000_members.csv"
    leftover.write_bytes(csv_bytes(MEMBERS.headers, [[
        "LEFTOVER-1", "left", "left@example.com", "남은 회원", "KR", "", "", "", "",
        "2024-12-18 09:00:00"]]))

    report = await runner.run_sync(settings, trigger="cli")

    assert report.succeeded, report.first_error
    assert report.results[SyncType.MEMBERS].new == 40  # the sandbox's members only
    db = await open_database(database_url)
    async with db.read() as conn:
        codes = set((await conn.execute(select(Member.member_code))).scalars())
    assert "LEFTOVER-1" not in codes and len(codes) == 40
    assert report.results[SyncType.MEMBERS].file_name != leftover.name
    assert not leftover.exists()
    kept = [p.name for p in Path(settings.storage_dir, "trash").rglob("*")]
    assert any(name.endswith(leftover.name) for name in kept), kept  # set aside, not deleted


async def test_wrong_password_fails_all_three_types_once(sandbox: Sandbox, sandbox_settings,
                                                         sqlite_url):
    sandbox.set(wrong_password=True)
    settings = sandbox_settings(database_url=sqlite_url, download_retries=3)

    report = await runner.run_sync(settings, trigger="cli")

    assert not report.succeeded
    assert {r.error_kind.value for r in report.results.values() if r.error_kind} == \
        {"login_failed"}
    assert all(r.status == "failed" for r in report.results.values())
    assert sandbox.counters.login_attempts == 1
    logs = await log_rows(sqlite_url)
    assert sorted(row.sync_type for row in logs) == ["members", "orders", "refunds"]
    assert {row.error_kind for row in logs} == {"login_failed"}
    assert all("로그인" in (row.error_message or "") for row in logs)  # Korean by default


async def test_layout_change_puts_evidence_in_the_report_and_sync_log(
        sandbox: Sandbox, sandbox_settings, sqlite_url):
    sandbox.set(button_missing=True)
    settings = sandbox_settings(database_url=sqlite_url, browser_timeout_ms=2000)

    report = await runner.run_sync(settings, trigger="cli")

    assert report.results[SyncType.MEMBERS].error_kind.value == "layout_changed"
    assert report.masked_screenshot is not None and report.masked_screenshot.exists()
    assert len(report.debug_files) == 2
    logs = await log_rows(sqlite_url)
    assert all(report.debug_files[0] in (row.error_detail or "") for row in logs)


async def test_no_secret_in_logs_output_sync_log_or_debug_files(
        sandbox: Sandbox, sandbox_settings, sqlite_url, caplog):
    """The password and the session cookie: nowhere but `.env` and the session file."""
    caplog.set_level(logging.DEBUG)
    settings = sandbox_settings(database_url=sqlite_url, browser_timeout_ms=2000,
                                session_check_timeout_ms=300)
    output = io.StringIO()
    console = Console(file=output, width=200)
    run = argparse.Namespace(all_orders=False)
    assert await cmd_run(run, settings, console) == 0  # `publ-sync run`, as typed
    session_file = Storage(settings.storage_dir).session_file
    cookie = next(c for c in json.loads(session_file.read_text())["cookies"]
                  if c["name"] == COOKIE)["value"]
    sandbox.set(button_missing=True)  # a failure with screenshots and HTML …
    assert await cmd_run(run, settings, console) == 1
    sandbox.set(button_missing=False, wrong_password=True, stale_sessions="expired")
    assert await cmd_run(run, settings, console) == 1  # … and one on the login page

    password = settings.publ_password.get_secret_value()
    logs = await log_rows(sqlite_url)
    evidence = list(Path(settings.storage_dir, "debug").iterdir())
    assert len([p for p in evidence if p.suffix == ".html"]) == 2
    assert any(str(path) in output.getvalue() for path in evidence)  # paths are printed
    places = {
        "log records": caplog.text,
        "printed reports": output.getvalue(),
        "sync_logs": " ".join(f"{r.error_message} {r.error_detail}" for r in logs),
        **{str(p): p.read_bytes().decode("utf-8", "replace") for p in evidence},
    }
    for where, text in places.items():
        assert password not in text, where
        assert cookie not in text, where
