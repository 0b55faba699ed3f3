"""Starting Chromium for one sync: which executable, which flags, which context options.

The browser lives only inside `open_browser` — or, started early for a run (`EarlyBrowser`),
until that run's end; nothing keeps running between syncs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from playwright.async_api import Browser, BrowserContext, Playwright, Route, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sync.downloader.failures import PermanentDownloadError, Secrets, brief, failure
from sync.errors import ErrorKind
from sync.i18n import t
from sync.settings import Settings

log = logging.getLogger(__name__)

# Flags that behave on servers without a display or GPU (environment-notes.md).
LAUNCH_FLAGS = ["--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
SYSTEM_BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser")
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
# Only requests that look like images, fonts or media are intercepted at all: every
# intercepted request costs a round trip to Python, and pages and exports need none.
HEAVY_URL = re.compile(
    r"\.(png|jpe?g|gif|webp|avif|bmp|ico|svg|woff2?|ttf|otf|eot|mp4|webm|ogg|mp3|wav)(\?|#|$)",
    re.IGNORECASE)


def find_executable(settings: Settings, bundled: str | None) -> str:
    """`CHROMIUM_PATH`, else Playwright's own browser, else the system's Chromium.

    Raises a non-retryable `download_failed` error saying how to install one.
    """
    lang = settings.bot_language
    if settings.chromium_path:
        if Path(settings.chromium_path).is_file():
            return settings.chromium_path
        where = t("download.browser_missing_at", lang, path=settings.chromium_path)
        raise PermanentDownloadError(ErrorKind.DOWNLOAD_FAILED,
                                     t("download.browser_missing", lang, where=where),
                                     f"CHROMIUM_PATH {settings.chromium_path} does not exist")
    if bundled and Path(bundled).is_file():
        return bundled
    for candidate in SYSTEM_BROWSERS:
        found = shutil.which(candidate) if "/" not in candidate else candidate
        if found and Path(found).is_file():
            return found
    raise PermanentDownloadError(ErrorKind.DOWNLOAD_FAILED,
                                 t("download.browser_missing", lang, where=""),
                                 "no CHROMIUM_PATH, no Playwright browser, no system chromium")


def _bundled_executable(playwright: Playwright) -> str | None:
    try:
        return playwright.chromium.executable_path
    except PlaywrightError:
        return None


def _new_children(before: set[int]) -> list[psutil.Process]:
    """This process's children started since `before` was taken (Playwright's driver)."""
    return [child for child in psutil.Process().children() if child.pid not in before]


def kill_browsers(drivers: list[psutil.Process], wait_seconds: float) -> int:
    """SIGKILL every process under Playwright's driver — Chromium and its helpers, stopped
    ones included (a stopped process ignores SIGTERM until continued, never SIGKILL).
    Returns how many were killed."""
    victims: list[psutil.Process] = []
    for driver in drivers:
        with contextlib.suppress(psutil.Error):
            victims.extend(driver.children(recursive=True))
    for victim in victims:
        with contextlib.suppress(psutil.Error):
            victim.kill()
    # Until each is gone or a zombie (dead, waiting for its parent to reap it): a zombie
    # never "exits" for a process that is not its parent.
    alive = victims
    deadline = time.monotonic() + wait_seconds
    while alive and time.monotonic() < deadline:
        _, alive = psutil.wait_procs(alive, timeout=0.05)
        alive = [proc for proc in alive if _running(proc)]
    return len(victims)


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@dataclass
class Launched:
    """A running Chromium, the Playwright driver that started it, and that driver's
    process (whose descendants are what `kill_browsers` kills)."""

    playwright: Playwright
    browser: Browser
    drivers: list[psutil.Process]


# One launch at a time per event loop: the driver is told apart from this process's other
# children by the children that appeared while it started.
_launch_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary())


async def launch(settings: Settings, secrets: Secrets) -> Launched:
    """Start Playwright's driver and a headless Chromium. Nothing is left running when this
    raises or is cancelled."""
    lock = _launch_locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    manager = async_playwright()
    async with lock:
        before = {child.pid for child in psutil.Process().children()}
        try:
            playwright = await manager.start()
        except BaseException:  # a driver that started but did not answer (or a cancel)
            stray = _new_children(before)
            kill_browsers(stray, settings.browser_kill_wait_seconds)
            for driver in stray:
                with contextlib.suppress(psutil.Error):
                    driver.kill()
            raise
        drivers = _new_children(before)
    try:
        executable = find_executable(settings, _bundled_executable(playwright))
        try:
            browser = await playwright.chromium.launch(
                executable_path=executable, headless=True, args=LAUNCH_FLAGS,
                timeout=settings.browser_launch_timeout_ms)
        except PlaywrightTimeout as error:  # a busy machine: worth another try
            reason = brief(error, secrets)
            raise failure(settings, ErrorKind.DOWNLOAD_FAILED, "download.browser_failed",
                          reason, secrets, reason=reason) from error
        except PlaywrightError as error:  # missing libraries, a broken binary: a person
            reason = brief(error, secrets)
            raise PermanentDownloadError(
                ErrorKind.DOWNLOAD_FAILED,
                t("download.browser_failed", settings.bot_language, reason=reason),
                reason) from error
    except BaseException:
        kill_browsers(drivers, settings.browser_kill_wait_seconds)
        with contextlib.suppress(Exception):
            await manager.__aexit__(None, None, None)
        kill_browsers(drivers, settings.browser_kill_wait_seconds)
        raise
    return Launched(playwright, browser, drivers)


async def shut_down(launched: Launched, settings: Settings, *, politely: bool) -> None:
    """Close the browser (`politely`: asked to close first; otherwise killed at once — a
    stalled or stopped Chromium would never answer), kill whatever of it lingers, stop the
    driver."""
    if not politely:
        kill_browsers(launched.drivers, settings.browser_kill_wait_seconds)
    with contextlib.suppress(PlaywrightError):
        await launched.browser.close()
    kill_browsers(launched.drivers, settings.browser_kill_wait_seconds)
    await launched.playwright.stop()


class EarlyBrowser:
    """Chromium started before it is known to be needed, so that its start-up overlaps the
    imports and the database work before a download (start-up time: the driver and the
    browser take about as long as those). The download `take`s it; when the run ends
    without downloading (another run holds the guard, the database failed), `discard`
    kills it and its driver: nothing is left running either way."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secrets = Secrets()
        self.secrets.add(settings.publ_password.get_secret_value())
        self._task: asyncio.Task[Launched] | None = asyncio.ensure_future(
            launch(settings, self.secrets))
        self._closing: list[asyncio.Task[None]] = []

    def close_later(self, launched: Launched) -> None:
        """End a browser that did its work while the run goes on (importing, say);
        `discard` waits until it is gone. Its files and the session are saved by then, so
        nothing in it is worth a polite close: it is killed, which is quicker, and the
        driver still removes its temporary profile."""
        self._closing.append(asyncio.ensure_future(
            shut_down(launched, self.settings, politely=False)))

    async def take(self) -> Launched | None:
        """The launched browser (once; None afterwards). Raises what the launch raised."""
        task, self._task = self._task, None
        if task is None:
            return None
        return await task

    async def discard(self) -> None:
        """Kill the browser unless it was taken, and wait for those closing to be closed.
        Waits for a launch under way to end, so that no Chromium it was starting is left
        behind."""
        closing, self._closing = self._closing, []
        try:
            # Shielded: a cancelled run still lets them finish (they kill first, then stop
            # the driver).
            await asyncio.shield(asyncio.gather(*closing))
        finally:
            await self._kill_untaken()

    async def _kill_untaken(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        # Bounded: a driver that never answers would otherwise hold a run refused by the
        # guard (not under SYNC_TIMEOUT_SECONDS) forever.
        bound = (self.settings.browser_launch_timeout_ms / 1000
                 + self.settings.browser_kill_wait_seconds)
        try:
            launched = await asyncio.wait_for(asyncio.shield(task), bound)
        except TimeoutError:
            log.warning("the browser's start did not end within %.0f s; stopped", bound)
            await self._stop_launch(task)
            return
        except asyncio.CancelledError:  # this run is being cancelled: stop the launch too
            await self._stop_launch(task)
            raise
        except Exception:  # nothing is running after a failed launch; no one needs its error
            return
        await shut_down(launched, self.settings, politely=False)

    async def _stop_launch(self, task: asyncio.Task[Launched]) -> None:
        """Cancel a launch under way (it cleans up after itself); one that finished just
        then is shut down."""
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if not task.cancelled() and task.exception() is None:
            await shut_down(task.result(), self.settings, politely=False)


@contextlib.asynccontextmanager
async def open_browser(settings: Settings, secrets: Secrets,
                       early: EarlyBrowser | None = None) -> AsyncIterator[Browser]:
    """A headless Chromium for the length of the block (the `early` one when it has one
    to give); no Chromium process outlives it — or, with `early`, the `early.discard()`
    that its run ends with.

    Left normally, the browser is closed (its helpers that linger are killed after) — with
    `early`, ended while the caller goes on; left by an error or a cancellation
    (`SYNC_TIMEOUT_SECONDS`), it is killed at once — a stalled or stopped Chromium would
    never answer a polite close."""
    launched = await early.take() if early is not None else None
    if launched is None:
        launched = await launch(settings, secrets)
    try:
        yield launched.browser
    except BaseException:
        await shut_down(launched, settings, politely=False)
        raise
    if early is not None:
        early.close_later(launched)  # exit time: closing overlaps the import
    else:
        await shut_down(launched, settings, politely=True)


async def _skip_heavy(route: Route) -> None:
    """Images, fonts and media are not needed to find a button; skipping them saves time.
    (A download that happens to end in `.svg` is not an image request, so it goes on.)"""
    if route.request.resource_type in BLOCKED_RESOURCES:
        await route.abort()
    else:
        await route.fallback()


async def new_context(browser: Browser, settings: Settings,
                      storage_state: dict[str, Any] | None) -> BrowserContext:
    """A context with the English UI (the labels are English), Korea time, and the session."""
    context = await browser.new_context(
        locale="en-US", timezone_id="Asia/Seoul", accept_downloads=True,
        storage_state=storage_state,  # type: ignore[arg-type]
    )
    context.set_default_timeout(settings.browser_timeout_ms)
    context.set_default_navigation_timeout(settings.browser_timeout_ms)
    await context.route(HEAVY_URL, _skip_heavy)
    return context
