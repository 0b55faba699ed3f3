"""One attempt at a download: a browser, a checked (or fresh) session, three exports.

Page loads are exactly what the downloads need: the three export pages load at once in
three tabs, and the session check runs on them (none may land on the login page; the
members page must show its button) before anything is clicked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator

from sync.clock import Clock, utcnow
from sync.downloader import pages, session
from sync.downloader.browser import EarlyBrowser, new_context, open_browser
from sync.downloader.failures import Secrets, brief, failure, page_name
from sync.downloader.tab import PublTab
from sync.errors import ErrorKind, SyncError
from sync.exports import MEMBERS, ORDERS, REFUNDS, ExportFormat
from sync.i18n import t
from sync.report import DownloadStats, SyncType
from sync.settings import Settings
from sync.storage import Storage

log = logging.getLogger(__name__)

StoredOrders = Callable[[list[str]], Awaitable[set[str]]]
T = TypeVar("T")


@dataclass
class Plan:
    """What this sync wants: every orders page, or only the new ones."""

    stamp: str
    all_orders: bool
    stored_orders: StoredOrders
    clock: Clock = utcnow  # the run's clock: export stamps, evidence and session names


@contextlib.asynccontextmanager
async def open_console(settings: Settings, storage: Storage, stats: DownloadStats,
                       secrets: Secrets, *, use_session: bool = True,
                       clock: Clock = utcnow,
                       early: EarlyBrowser | None = None) -> AsyncIterator[PublTab]:
    """A browser page on the console, with the saved session loaded when `use_session`
    (in the `early` browser when one was started)."""
    saved = session.load(storage, secrets) if use_session else None
    async with open_browser(settings, secrets, early) as browser:
        try:
            context = await new_context(browser, settings, saved)
        except Exception as error:  # Playwright's own check of the session (not only its Error)
            if saved is None:
                raise
            # A session Playwright will not load would fail every sync the same way: it
            # goes to trash/ and this sync logs in afresh.
            moved = session.set_aside(storage, "rejected", clock())
            stats.session_set_aside = str(moved) if moved else None
            log.warning("the browser rejected the saved session (%s); set aside as %s",
                        brief(error, secrets), moved)
            saved = None
            context = await new_context(browser, settings, None)
        console = PublTab(context, await context.new_page(), settings, storage, stats,
                          secrets, clock=clock)
        console.had_session = saved is not None
        # Closed politely only when the block succeeds: a failure (SYNC_TIMEOUT_SECONDS
        # included) leaves at the yield, and `open_browser` kills the browser next — a
        # stalled or stopped Chromium would never answer a close.
        yield console
        if early is None:  # with `early`, closing the browser closes it, while the run goes on
            with contextlib.suppress(PlaywrightError):  # a crashed browser has no context
                await context.close()


async def download_once(settings: Settings, storage: Storage, plan: Plan, stats: DownloadStats,
                        secrets: Secrets, early: EarlyBrowser | None = None
                        ) -> dict[SyncType, Path]:
    """Download the three exports in one browser; raises `SyncError`.

    Unfinished files live in a folder of this attempt's own, removed once the browser has
    closed: a download cut short by another tab's failure may still be written after its
    task was cancelled, and must not be left behind.
    """
    incoming = storage.downloads / f".incoming-{uuid.uuid4().hex[:12]}"
    try:
        return await _download_in(settings, storage, plan, stats, secrets, incoming, early)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


async def _download_in(settings: Settings, storage: Storage, plan: Plan, stats: DownloadStats,
                       secrets: Secrets, incoming: Path,
                       early: EarlyBrowser | None) -> dict[SyncType, Path]:
    """The attempt itself: the three export pages at once (the members page doubling as
    the session check's second stage), logging in when the session fails, then the three
    exports in their three tabs."""
    async with open_console(settings, storage, stats, secrets, clock=plan.clock,
                            early=early) as console:
        console.incoming = incoming
        orders_tab, refunds_tab = await together(console.sibling(), console.sibling())
        button = await ensure_logged_in(console, orders_tab, refunds_tab)
        members, orders, refunds = await together(
            download_members(console, plan, button),
            download_paged(orders_tab, plan, ORDERS, "orders", first_open=True),
            download_paged(refunds_tab, plan, REFUNDS, "refunds", first_open=True))
        session.save(storage, dict(await console.context.storage_state()), secrets)
        return {SyncType.MEMBERS: members, SyncType.ORDERS: orders, SyncType.REFUNDS: refunds}


async def together(*steps: Awaitable[T]) -> list[T]:
    """Every step's result, run at the same time; when one fails, the others are
    cancelled and that failure is raised."""
    tasks = [asyncio.ensure_future(step) for step in steps]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def open_export_pages(console: PublTab, orders_tab: PublTab,
                            refunds_tab: PublTab) -> None:
    """The members page and page 1 of orders and refunds, loading at the same time."""
    await together(console.open(console.page_url("members"), "members"),
                   orders_tab.open(orders_tab.page_url("orders", 1), "orders"),
                   refunds_tab.open(refunds_tab.page_url("refunds", 1), "refunds"))


async def session_is_valid(console: PublTab, orders_tab: PublTab,
                           refunds_tab: PublTab) -> Locator | None:
    """The seed's two-stage check, on the pages the downloads need anyway: first, none of
    the three export pages detours to the login page; second, the members page shows its
    download button (through its locator chain: a respaced label must not throw a good
    session away). A valid session shows it as the page draws. The check decides as soon
    as the members page has demonstrably finished drawing without it — `PUBL_MEMBERS_READY`
    visible, no request in flight, the DOM still — so a half-valid session costs a moment,
    not a fixed wait; a page that only went quiet (no ready element) gives the button
    `SESSION_CHECK_TIMEOUT_MS` more, as does one that keeps changing. Returns the button,
    or None when the session is suspect."""
    with console.requests_in_flight() as in_flight:
        await open_export_pages(console, orders_tab, refunds_tab)
        if any(tab.on_login_page for tab in (console, orders_tab, refunds_tab)):
            log.info("saved session rejected: an export page redirected to the login page")
            return None
        email, _, _ = console.login_fields()
        # Start-up time: the export buttons of orders and refunds are looked for while the
        # members page is checked (looked for only: nothing is clicked before the check).
        ahead = [asyncio.ensure_future(_find_export_ahead(tab, kind))
                 for tab, kind in ((orders_tab, "orders"), (refunds_tab, "refunds"))]
        button: Locator | None = None
        try:
            # A script-driven console may redirect to its login form after load; that ends
            # the wait.
            button = await console.locate(
                console.members_button(), console.settings.session_check_timeout_ms,
                bail=email.anything,
                done_when=lambda: console.drawn_and_still("members", in_flight))
        finally:
            if button is None or console.on_login_page:  # no use for them now
                for task in ahead:
                    task.cancel()
            await asyncio.gather(*ahead, return_exceptions=True)
    if button is None or console.on_login_page:
        log.info("saved session rejected: no %r on the members page",
                 console.settings.publ_members_button)
        return None
    return button


async def _find_export_ahead(tab: PublTab, kind: str) -> None:
    """Look for the page's export control as `_download_page` would (within
    `PUBL_LAYOUT_WAIT_MS` of the page having drawn), and keep what was found for it."""
    found = await tab.locate(tab.export_button(kind), tab.settings.publ_layout_wait_ms)
    tab.export_ahead = "missing" if found is None else found


async def ensure_logged_in(console: PublTab, orders_tab: PublTab,
                           refunds_tab: PublTab) -> Locator:
    """Reuse the saved session when it passes the check; otherwise set it aside, log in
    afresh and open the three export pages. Returns the members button: after a fresh
    login, a missing control is a layout change."""
    if console.had_session:
        button = await session_is_valid(console, orders_tab, refunds_tab)
        if button is not None:
            return button
        moved = session.set_aside(console.storage, "invalid")
        console.stats.session_set_aside = str(moved) if moved else None
        await console.context.clear_cookies()
    await console.login()
    # Saved at once, so that a retry after a later failure need not log in again.
    session.save(console.storage, dict(await console.context.storage_state()), console.secrets)
    await open_export_pages(console, orders_tab, refunds_tab)
    return await console.require(console.members_button())


async def download_members(console: PublTab, plan: Plan, button: Locator) -> Path:
    """All members, through the button the session check (or the login) found."""
    target = console.storage.export_path(SyncType.MEMBERS, plan.stamp)
    path = await console.download(button, target, "members")
    await _check_fallback_file(console, "members", "PUBL_MEMBERS_BUTTON", path, MEMBERS)
    return path


async def _check_fallback_file(console: PublTab, kind: str, setting: str, path: Path,
                               fmt: ExportFormat) -> None:
    """A file whose button only a fallback found must carry its export's headers; anything
    else (another button's file) is removed and reported as a layout change."""
    if not any(d.setting == setting and d.page == kind for d in console.stats.drifts):
        return
    if await asyncio.to_thread(pages.has_headers, path, fmt,
                               console.settings.bot_language):
        return
    await asyncio.to_thread(path.unlink, missing_ok=True)
    raise failure(console.settings, ErrorKind.LAYOUT_CHANGED, "download.fallback_wrong_file",
                  f"{kind}: the file from the fallback for {setting} lacks the {kind} headers",
                  console.secrets, page=page_name(console.settings, kind), setting=setting)


async def download_paged(console: PublTab, plan: Plan, fmt: ExportFormat, kind: str, *,
                         first_open: bool = False) -> Path:
    """Orders or refunds, page by page (each page's export holds that page only), merged
    into one file when more than one page was needed."""
    work = console.incoming / f"{kind}-pages"
    work.mkdir(parents=True, exist_ok=True)
    parts: list[Path] = []
    seen: set[str] = set()
    try:
        page_number = 1
        while True:
            keys, total = await _download_page(console, kind, page_number, work, parts, fmt,
                                               opened=first_open and page_number == 1)
            fresh = [key for key in keys if key not in seen]
            seen.update(keys)
            if kind == "orders":
                console.stats.order_pages += 1
            if not await _wants_next_page(console, plan, kind, page_number, total, fresh):
                break
            page_number += 1
        sync_type = fmt.sync_type
        target = console.storage.export_path(sync_type, plan.stamp, all_orders=len(parts) > 1)
        if len(parts) == 1:
            os.replace(parts[0], target)
        else:
            count = await asyncio.to_thread(pages.merge, parts, target, fmt,
                                          console.settings.bot_language)
            log.info("merged %d %s pages into %s (%d rows)", len(parts), kind, target.name,
                     count)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def _download_page(console: PublTab, kind: str, page_number: int, work: Path,
                         parts: list[Path], fmt: ExportFormat, *, opened: bool = False
                         ) -> tuple[list[str], int | None]:
    """One page's export into `work` (the page already loaded when `opened`); returns its
    keys and the page count shown."""
    if not opened:
        await console.open(console.page_url(kind, page_number), kind)
    if console.on_login_page:
        raise failure(console.settings, ErrorKind.DOWNLOAD_FAILED, "download.session_redirected",
                      f"{kind} page {page_number} redirected to {console.page.url}",
                      console.secrets, page=page_name(console.settings, kind))
    chain = console.export_button(kind)
    ahead, console.export_ahead = console.export_ahead, None
    if isinstance(ahead, str):  # "missing": already waited for, on this very page
        raise await console.layout_changed(chain.control)
    button = ahead if ahead is not None else await console.require(chain)
    total = await console.page_count()
    part = await console.download(button, work / f"{page_number:04d}.csv", kind)
    await _check_fallback_file(console, kind, "PUBL_EXPORT_ICON_SELECTOR", part, fmt)
    parts.append(part)
    try:
        keys = await asyncio.to_thread(pages.keys, part, fmt, console.settings.bot_language,
                                       page_number)
    except pages.MissingKeyColumn as error:
        raise failure(console.settings, ErrorKind.FILE_INVALID, "download.no_key_column",
                      f"{kind} page {page_number}: no {fmt.key_header!r} header",
                      console.secrets, type=page_name(console.settings, kind),
                      column=fmt.key_header) from error
    return keys, total


async def _wants_next_page(console: PublTab, plan: Plan, kind: str, page_number: int,
                           total: int | None, fresh_keys: list[str]) -> bool:
    """Whether to fetch the page after `page_number` (design.md, "the console")."""
    if not fresh_keys:
        return False  # past the last page, or a console that ignored the page number
    if total is not None and page_number >= total:
        return False
    cap = console.settings.publ_max_order_pages
    if kind == "refunds" or plan.all_orders:
        # Every page when the counter says how many; without one, up to the cap.
        return not (total is None and (kind == "refunds" or page_number >= cap))
    if await _overlaps_stored(console, plan, fresh_keys):
        return False  # this page reaches orders already stored: nothing older is new
    if page_number >= cap:
        log.warning("stopped paging back through orders at the cap of %d pages "
                    "(PUBL_MAX_ORDER_PAGES); older new orders need `publ-sync run "
                    "--all-orders`", cap)
        return False
    return True


async def _overlaps_stored(console: PublTab, plan: Plan, keys: list[str]) -> bool:
    """Whether any of `keys` is already in the database."""
    try:
        return bool(await plan.stored_orders(keys))
    except SyncError:
        raise
    except Exception as error:  # the database's own error, whatever its type
        raise failure(console.settings, ErrorKind.DATABASE, "error.database",
                      brief(error, console.secrets), console.secrets,
                      reason=type(error).__name__) from error


def missing_publ_settings(settings: Settings) -> list[str]:
    """The login settings that are empty."""
    missing = []
    if not settings.publ_email.strip():
        missing.append("PUBL_EMAIL")
    if not settings.publ_password.get_secret_value():
        missing.append("PUBL_PASSWORD")
    if not settings.publ_channel_id.strip():
        missing.append("PUBL_CHANNEL_ID")
    return missing


def settings_message(settings: Settings, missing: list[str]) -> str:
    return t("download.cli.settings_missing", settings.bot_language, names=", ".join(missing))
