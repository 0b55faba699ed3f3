"""The downloader against the sandbox console in real Chromium: sessions, healing, errors.

Each test starts one browser per download; timeouts come from `make_settings` (tiny).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from pathlib import Path

import psutil
import pytest

from sync.downloader import download_exports
from sync.errors import ErrorKind, SyncError
from sync.sandbox import WRONG_PASSWORD_TEXT, Sandbox
from sync.sandbox.app import SESSION_ENDED_TEXT
from sync.sandbox.fake_exports import order_number
from sync.settings import Settings
from sync.storage import EXPORT_NAME, Storage
from tests.browsers import chromium_children


async def nothing_stored(numbers: list[str]) -> set[str]:
    return set()


async def download(settings: Settings, *, all_orders: bool = False, reset_session: bool = False):
    storage = Storage(settings.storage_dir).ensure()
    return await download_exports(settings, storage, all_orders=all_orders,
                                  reset_session=reset_session, stored_orders=nothing_stored)


def names(files: dict) -> list[str]:
    return sorted(path.name.split("_", 2)[2] for path in files.values())


async def test_fresh_login_downloads_the_three_exports(sandbox: Sandbox, sandbox_settings):
    settings = sandbox_settings(publ_page_size=10)
    result = await download(settings, all_orders=True)

    assert sandbox.counters.logins == 1
    assert result.stats.logged_in
    assert sandbox.counters.assets == 0  # images and fonts are not fetched
    assert names(result.files) == ["members.csv", "orders_all.csv", "refunds.csv"]
    assert all(EXPORT_NAME.match(path.name) for path in result.files.values())  # YYMMDD_HHMMSS_
    members = next(p for p in result.files.values() if p.name.endswith("members.csv"))
    assert members.read_bytes().startswith(b"\xef\xbb\xbfMember Code,Username,E-mail")
    assert members.read_text(encoding="utf-8-sig").count("\n") == 41  # header + 40 members
    session = Storage(settings.storage_dir).session_file
    assert session.stat().st_mode & 0o777 == 0o600
    assert session.parent.stat().st_mode & 0o777 == 0o700
    state = json.loads(session.read_text())  # Playwright's storage state
    assert [cookie["name"] for cookie in state["cookies"]] == ["publ_session"]
    for path in result.files.values():
        assert path.stat().st_mode & 0o777 == 0o600
    leftovers = [p.name for p in Path(settings.storage_dir, "downloads").iterdir()
                 if p not in result.files.values()]
    assert leftovers == []  # no temporary pages or partial files


async def test_saved_session_is_reused_without_logging_in(sandbox: Sandbox, sandbox_settings,
                                                         saved_session):
    # A valid session shows its button at once; the roomy check only guards a busy CI.
    settings = sandbox_settings(publ_page_size=300, session_check_timeout_ms=4000)
    saved_session()

    result = await download(settings)

    assert sandbox.counters.logins == 0 and sandbox.counters.login_attempts == 0
    assert not result.stats.logged_in
    # Exactly the three pages the downloads need: the session check runs on them.
    assert sandbox.counters.page_loads == 3
    assert sum(sandbox.counters.downloads.values()) == 3
    assert names(result.files) == ["members.csv", "orders_latest.csv", "refunds.csv"]


async def test_expired_session_is_set_aside_and_replaced(sandbox: Sandbox, sandbox_settings,
                                                         saved_session):
    settings = sandbox_settings()
    old_cookie = saved_session()
    old_session = Storage(settings.storage_dir).session_file.read_text()
    sandbox.set(stale_sessions="expired")

    result = await download(settings)

    trash = list(Path(settings.storage_dir, "trash").iterdir())
    assert len(trash) == 1 and trash[0].read_text() == old_session
    assert trash[0].stat().st_mode & 0o777 == 0o600
    assert result.stats.session_set_aside == str(trash[0])
    assert sandbox.counters.logins == 1
    new_session = Storage(settings.storage_dir).session_file
    assert old_cookie not in new_session.read_text()
    assert new_session.stat().st_mode & 0o777 == 0o600
    assert len(result.files) == 3


async def test_expired_session_and_wrong_password_reports_the_login_pages_answer(
        sandbox: Sandbox, sandbox_settings, saved_session):
    """The login page greets us with "session ended"; that is not why the login failed."""
    saved_session()
    sandbox.set(stale_sessions="expired", wrong_password=True)
    settings = sandbox_settings(session_check_timeout_ms=300)

    with pytest.raises(SyncError) as caught:
        await download(settings)

    assert caught.value.kind is ErrorKind.LOGIN_FAILED
    assert WRONG_PASSWORD_TEXT in caught.value.message
    assert SESSION_ENDED_TEXT not in caught.value.message
    assert sandbox.counters.login_attempts == 1


async def test_half_valid_session_heals_within_the_short_check(sandbox: Sandbox,
                                                                sandbox_settings, saved_session):
    """The seed's incident: the channel list loads, the members page has no button."""
    settings = sandbox_settings(browser_timeout_ms=20_000, session_check_timeout_ms=400)
    saved_session()
    sandbox.set(stale_sessions="half_valid")

    started = time.monotonic()
    result = await download(settings)
    elapsed = time.monotonic() - started

    assert len(result.files) == 3 and sandbox.counters.logins == 1
    assert result.stats.session_set_aside is not None
    assert len(list(Path(settings.storage_dir, "trash").iterdir())) == 1
    # The seed waited 30 s here; the check must give up after its own short wait.
    assert elapsed < settings.browser_timeout_ms / 1000 / 2


async def test_reset_session_sets_the_session_aside_first(sandbox: Sandbox, sandbox_settings,
                                                          saved_session):
    settings = sandbox_settings()
    saved_session()

    result = await download(settings, reset_session=True)

    assert sandbox.counters.logins == 1
    assert "reset" in Path(result.stats.session_set_aside or "").name


async def test_wrong_password_fails_once_without_retries(sandbox: Sandbox, sandbox_settings):
    settings = sandbox_settings(publ_password="not-the-password", download_retries=3)

    with pytest.raises(SyncError) as caught:
        await download(settings)

    assert caught.value.kind is ErrorKind.LOGIN_FAILED
    assert WRONG_PASSWORD_TEXT in caught.value.message
    # What to do is said once, by the advice after it (sync.advice), not in the error itself.
    assert "PUBL_PASSWORD" not in caught.value.message
    assert sandbox.counters.login_attempts == 1
    assert not Storage(settings.storage_dir).session_file.exists()
    for path in caught.value.debug_files:
        assert b"not-the-password" not in Path(path).read_bytes()


async def test_missing_button_is_a_layout_change_with_evidence(sandbox: Sandbox,
                                                              sandbox_settings):
    sandbox.set(button_missing=True)
    settings = sandbox_settings(browser_timeout_ms=1500, download_retries=2)

    with pytest.raises(SyncError) as caught:
        await download(settings)

    error = caught.value
    assert error.kind is ErrorKind.LAYOUT_CHANGED
    assert "All Member download(CSV)" in error.message and "PUBL_MEMBERS_BUTTON" in error.message
    assert sandbox.counters.login_attempts == 1  # not retried
    shots = sorted(Path(p).suffix for p in error.debug_files)
    assert shots == [".html", ".png"]
    masked = Path(error.masked_screenshot or "")
    assert masked.read_bytes().startswith(b"\x89PNG")
    full = next(Path(p) for p in error.debug_files if p.endswith(".png"))
    assert masked.read_bytes() != full.read_bytes()
    html = next(Path(p) for p in error.debug_files if p.endswith(".html")).read_text()
    assert "Registered users" in html
    for path in [*error.debug_files, str(masked)]:
        assert Path(path).stat().st_mode & 0o777 == 0o600
        assert Path(path).parent == Path(settings.storage_dir, "debug")
    assert all(p in error.detail for p in error.debug_files)


async def test_broken_download_is_retried(sandbox: Sandbox, sandbox_settings, caplog):
    # Chromium itself resumes a broken download up to five times; the sixth break reaches
    # the downloader, which starts the whole attempt again.
    sandbox.break_downloads("members", times=6)
    settings = sandbox_settings(download_retries=2, session_check_timeout_ms=4000)

    result = await download(settings)

    assert sandbox.counters.downloads["members"] == 7
    assert "download attempt 1/3 failed" in caplog.text
    assert sandbox.counters.logins == 1  # the retry reused the session saved at login
    members = next(p for p in result.files.values() if p.name.endswith("members.csv"))
    assert members.read_text(encoding="utf-8-sig").count("\n") == 41


async def test_download_that_keeps_breaking_leaves_no_file(sandbox: Sandbox, sandbox_settings):
    sandbox.break_downloads("refunds", times=100)
    settings = sandbox_settings(download_retries=1)

    with pytest.raises(SyncError) as caught:
        await download(settings)

    assert caught.value.kind is ErrorKind.DOWNLOAD_FAILED
    assert "2" in caught.value.message  # says how many attempts were made
    downloads = Path(settings.storage_dir, "downloads")
    assert not [p for p in downloads.rglob("*") if "refunds" in p.name]
    assert not [p for p in downloads.rglob("*") if p.name.startswith(".")]  # no partials


async def test_orders_page_back_until_they_overlap_stored_orders(sandbox: Sandbox,
                                                                  sandbox_settings):
    settings = sandbox_settings(publ_page_size=10)
    stored = {order_number(i) for i in range(25)}
    asked: list[list[str]] = []

    async def stored_orders(numbers: list[str]) -> set[str]:
        asked.append(numbers)
        return stored & set(numbers)

    sandbox.add_orders(15)  # page 1 and half of page 2 are new
    storage = Storage(settings.storage_dir).ensure()
    result = await download_exports(settings, storage, all_orders=False, reset_session=False,
                                    stored_orders=stored_orders)

    assert result.stats.order_pages == 2 and len(asked) == 2
    orders = result.files[next(k for k in result.files if k.value == "orders")]
    assert orders.name.endswith("_orders_all.csv")
    lines = orders.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 21
    assert [line.split(",")[0] for line in lines[1:]] == [str(i) for i in range(1, 21)]
    assert {line.split(",")[1] for line in lines[1:]} >= {order_number(i) for i in range(25, 40)}


async def test_no_browser_installed_says_how_to_install_one(sandbox: Sandbox, sandbox_settings):
    settings = sandbox_settings(chromium_path="/nonexistent/chromium", download_retries=3,
                                retry_backoff_seconds=5)
    started = time.monotonic()

    with pytest.raises(SyncError) as caught:
        await download(settings)

    assert caught.value.kind is ErrorKind.DOWNLOAD_FAILED
    assert "apt-get install chromium" in caught.value.message
    assert "/nonexistent/chromium" in caught.value.message
    assert time.monotonic() - started < 5  # not retried: installing takes a person


async def test_unreachable_console_is_retried_with_backoff(sandbox_settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = sandbox_settings(publ_console_url=f"http://127.0.0.1:{closed_port}",
                                download_retries=1, retry_backoff_seconds=0.3)
    started = time.monotonic()

    with pytest.raises(SyncError) as caught:
        await download(settings)

    assert caught.value.kind is ErrorKind.DOWNLOAD_FAILED
    assert "2번 시도" in caught.value.message  # Korean by default, with the attempt count
    assert "ERR_CONNECTION_REFUSED" in caught.value.detail
    assert time.monotonic() - started >= 0.3  # waited before trying again


async def test_browser_crash_mid_sync_is_retried(sandbox: Sandbox, sandbox_settings, caplog):
    sandbox.set(latency_ms=300)
    settings = sandbox_settings()
    task = asyncio.create_task(download(settings))
    while not any("/members/" in p for p in sandbox.counters.pages) and not task.done():
        await asyncio.sleep(0.02)
    for process in chromium_children():
        with contextlib.suppress(psutil.Error):  # short-lived helpers come and go
            process.kill()  # only the browser this test started

    result = await task

    assert len(result.files) == 3
    assert "download attempt 1/3 failed" in caplog.text


async def test_page_that_does_not_load_in_time_is_retried_then_reported(sandbox: Sandbox,
                                                                         sandbox_settings,
                                                                         caplog):
    sandbox.set(latency_ms=1500)
    settings = sandbox_settings(browser_timeout_ms=400, download_retries=1)

    with pytest.raises(SyncError) as caught:
        await download(settings)

    assert caught.value.kind is ErrorKind.DOWNLOAD_FAILED
    assert "0.4초 안에 열리지 않았습니다" in caught.value.message
    assert "2번 시도" in caught.value.message
    assert "download attempt 1/2 failed" in caplog.text


async def test_refunds_over_several_pages_are_merged(sandbox: Sandbox, sandbox_settings):
    sandbox.data.refunds = list(sandbox.data.generator.refunds(23, 25))
    settings = sandbox_settings(publ_page_size=10)

    result = await download(settings)

    refunds = next(p for p in result.files.values() if p.name.endswith("_refunds.csv"))
    lines = refunds.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 24  # header + every refund
    assert sorted(p for p in sandbox.counters.pages if "/refunds" in p) == [
        f"/channels/{sandbox.channel_id}/orders/refunds?page={n}&limit=10" for n in (1, 2, 3)]


async def test_orders_and_refunds_finishing_together_keep_their_own_rows(
        sandbox: Sandbox, sandbox_settings):
    # Both exports' first pages reach the browser at the same moment; each type's file
    # must hold its own rows (they once shared a temporary file name and collided, in
    # about half of such runs: hence four runs).
    settings = sandbox_settings()
    for _ in range(4):
        sandbox.set(release_together={"orders", "refunds"})
        result = await download(settings, all_orders=True)
        orders = next(p for p in result.files.values() if "_orders" in p.name)
        refunds = next(p for p in result.files.values() if p.name.endswith("_refunds.csv"))
        orders_lines = orders.read_text(encoding="utf-8-sig").splitlines()
        refunds_lines = refunds.read_text(encoding="utf-8-sig").splitlines()
        assert "Product name" in orders_lines[0] and len(orders_lines) == 26  # header + 25
        assert "Refund Status" in refunds_lines[0] and len(refunds_lines) == 6  # header + 5


async def test_database_failure_while_paging_is_a_database_error(sandbox: Sandbox,
                                                                 sandbox_settings):
    settings = sandbox_settings(publ_page_size=10, download_retries=2)

    async def broken_database(numbers: list[str]) -> set[str]:
        raise ConnectionResetError("database connection lost")

    storage = Storage(settings.storage_dir).ensure()
    with pytest.raises(SyncError) as caught:
        await download_exports(settings, storage, all_orders=False, reset_session=False,
                               stored_orders=broken_database)

    assert caught.value.kind is ErrorKind.DATABASE
    assert "데이터베이스" in caught.value.message
    # Not retried: the console was fine. One orders page, then the question that failed.
    assert sum("subs-products" in page for page in sandbox.counters.pages) == 1


async def test_changed_export_icon_is_caught_with_evidence_from_its_own_tab(
        sandbox: Sandbox, sandbox_settings):
    """publ redraws the icon: members still work, orders and refunds (in background tabs)
    cannot find their button; the screenshots still show that page."""
    settings = sandbox_settings(browser_timeout_ms=2000,
                                publ_export_icon_selector='button:has(svg path[d*="9.9,9.9"])')

    with pytest.raises(SyncError) as caught:
        await download(settings)

    error = caught.value
    assert error.kind is ErrorKind.LAYOUT_CHANGED
    assert "PUBL_EXPORT_ICON_SELECTOR" in error.message
    assert sorted(Path(p).suffix for p in error.debug_files) == [".html", ".png"]
    html = next(Path(p) for p in error.debug_files if p.endswith(".html")).read_text()
    assert "Subscription products" in html or "Refunds" in html
    assert Path(error.masked_screenshot or "").stat().st_size > 0
