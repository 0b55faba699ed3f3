"""The publ console in a real browser: session, login, the three CSV exports.

`download_exports` is the one entry point (`sync.runner` calls it). It retries transient
failures with backoff; a wrong password or a changed page is reported at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Error as PlaywrightError

from sync.clock import Clock, utcnow
from sync.downloader import session
from sync.downloader.browser import EarlyBrowser
from sync.downloader.failures import (
    PermanentDownloadError,
    Secrets,
    brief,
    disk_full,
    failure,
)
from sync.downloader.flow import (
    Plan,
    StoredOrders,
    download_once,
    missing_publ_settings,
    settings_message,
)
from sync.errors import ErrorKind, SyncError
from sync.i18n import duration_text, t
from sync.report import DownloadStats, SyncType
from sync.settings import Settings
from sync.storage import Storage, file_stamp

log = logging.getLogger(__name__)

__all__ = ["Downloaded", "EarlyBrowser", "StoredOrders", "download_exports",
           "missing_publ_settings", "settings_message"]


@dataclass
class Downloaded:
    files: dict[SyncType, Path]
    stats: DownloadStats = field(default_factory=DownloadStats)


async def download_exports(settings: Settings, storage: Storage, *, all_orders: bool,
                           reset_session: bool, stored_orders: StoredOrders,
                           stats: DownloadStats | None = None,
                           clock: Clock = utcnow,
                           browser: EarlyBrowser | None = None) -> Downloaded:
    """Download members, orders (one page, paged back until overlapping `stored_orders`, or
    every page when `all_orders`) and refunds into `storage.downloads`, within
    `SYNC_TIMEOUT_SECONDS` (past it the browser is killed). `stats`, when given, is filled
    in as it goes, so that a caller sees drifts and steps even when this raises.
    The first attempt uses `browser` when given (one started while the run was prepared).
    Raises `SyncError` (login_failed, layout_changed, download_failed)."""
    stats = stats if stats is not None else DownloadStats()
    limit = settings.sync_timeout_seconds
    try:
        async with asyncio.timeout(limit):
            return await _download_exports(settings, storage, all_orders=all_orders,
                                           reset_session=reset_session,
                                           stored_orders=stored_orders, stats=stats,
                                           clock=clock, early=browser)
    except TimeoutError as error:
        lang = settings.bot_language
        steps = [t(key, lang, **fields) for key, fields in stats.steps.values()] or [
            t("download.step.browser", lang)]
        limit_text = (duration_text(limit, lang) if limit >= 60
                      else t("duration.seconds", lang, seconds=f"{limit:g}"))
        if lang == "ko":  # the subject particle follows the last syllable: 10분이, 3초가
            limit_text += _subject_particle(limit_text)
        raise PermanentDownloadError(
            ErrorKind.DOWNLOAD_FAILED,
            t("download.sync_timeout", lang, step=", ".join(steps), limit=limit_text),
            f"SYNC_TIMEOUT_SECONDS={limit:g} passed; steps: {sorted(stats.steps)}") from error


def _subject_particle(word: str) -> str:
    """이 after a closed Hangul syllable (분), 가 after an open one (초)."""
    last = word[-1] if word else ""
    closed = "가" <= last <= "힣" and (ord(last) - ord("가")) % 28 != 0
    return "이" if closed else "가"


async def _download_exports(settings: Settings, storage: Storage, *, all_orders: bool,
                            reset_session: bool, stored_orders: StoredOrders,
                            stats: DownloadStats, clock: Clock,
                            early: EarlyBrowser | None) -> Downloaded:
    missing = missing_publ_settings(settings)
    if missing:
        raise SyncError(ErrorKind.LOGIN_FAILED, settings_message(settings, missing),
                        "empty settings: " + ", ".join(missing))
    started = time.monotonic()
    storage.ensure()
    if reset_session:
        moved = session.set_aside(storage, "reset", clock())
        stats.session_set_aside = str(moved) if moved else None
    secrets = Secrets()
    secrets.add(settings.publ_password.get_secret_value())
    plan = Plan(stamp=file_stamp(clock()), all_orders=all_orders, stored_orders=stored_orders,
                clock=clock)
    attempts = max(1, settings.download_retries + 1)
    for attempt in range(1, attempts + 1):
        try:
            files = await _attempt(settings, storage, plan, stats, secrets, early)
        except SyncError as error:
            if not error.retryable:
                raise
            if attempt == attempts:
                error.message = t("download.gave_up", settings.bot_language,
                                  reason=error.message, attempts=attempts)
                raise
            delay = settings.retry_backoff_seconds * 2 ** (attempt - 1)
            log.warning("download attempt %d/%d failed (%s); retrying in %.2f s",
                        attempt, attempts, error.detail, delay)
            await asyncio.sleep(delay)
            continue
        stats.duration_s = time.monotonic() - started
        return Downloaded(files=files, stats=stats)
    raise AssertionError("unreachable: the last attempt returns or raises")


async def _attempt(settings: Settings, storage: Storage, plan: Plan, stats: DownloadStats,
                   secrets: Secrets, early: EarlyBrowser | None) -> dict[SyncType, Path]:
    """One attempt (in the `early` browser if it has not been taken yet); whatever the
    browser throws that no step expected (a crash, a closed page) becomes a transient
    `download_failed`."""
    try:
        return await download_once(settings, storage, plan, stats, secrets, early)
    except OSError as error:  # writing an export (merging pages, say) hit a full disk
        full = disk_full(settings, error)
        if full is None:
            raise
        raise full from error
    except PlaywrightError as error:
        reason = brief(error, secrets)
        raise failure(settings, ErrorKind.DOWNLOAD_FAILED, "download.browser_crashed", reason,
                      secrets, reason=reason) from error
