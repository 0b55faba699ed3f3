"""The publ console, page by page: open a page, log in, find a control, download a file.

Each step waits for an element or a URL — never a fixed time — and turns a miss into the
right error kind: a page that does not load is transient (`download_failed`), a control
that is not there is a layout change (`layout_changed`, with a screenshot), a login that
stays on the login page is `login_failed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import BrowserContext, Locator, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sync.downloader import evidence
from sync.downloader.failures import Secrets, brief, disk_full, failure, page_name
from sync.downloader.readable import Readable
from sync.errors import ErrorKind, SyncError
from sync.i18n import t
from sync.report import DownloadStats
from sync.settings import Settings
from sync.storage import Storage

log = logging.getLogger(__name__)


@dataclass
class Control:
    """A control the downloader needs, with the setting that describes it."""

    page: str  # members / orders / refunds / login
    what: str  # the label or selector, as the operator would search for it
    setting: str  # the PUBL_… setting to change when publ changes it


class Console:
    """One browser page on the publ console, counting the pages it loads."""

    def __init__(self, context: BrowserContext, page: Page, settings: Settings,
                 storage: Storage, stats: DownloadStats, secrets: Secrets) -> None:
        self.context = context
        self.page = page
        self.settings = settings
        self.storage = storage
        self.stats = stats
        self.secrets = secrets
        self.had_session = False  # whether a saved session was loaded
        # Tabs share one lock: a screenshot needs its tab in front (a background tab draws
        # no frames), so captures take turns.
        self.capture_lock = asyncio.Lock()
        # Where unfinished downloads are written; see `flow.download_once`.
        self.incoming = storage.downloads / ".incoming"

    # --- pages ------------------------------------------------------------------------
    @property
    def on_login_page(self) -> bool:
        """Whether the page is on a login URL (where publ sends an invalid session)."""
        return self.settings.publ_login_url_marker in self.page.url

    async def open(self, url: str, page: str) -> None:
        """Load `url`; a timeout or a network error is transient."""
        self.stats.page_loads += 1
        log.info("opening %s page", page)
        try:
            await self.page.goto(url, wait_until="domcontentloaded")
        except PlaywrightTimeout as error:
            seconds = self.settings.browser_timeout_ms / 1000
            raise failure(self.settings, ErrorKind.DOWNLOAD_FAILED, "download.page_timeout",
                          f"{url}: {brief(error, self.secrets)}", self.secrets,
                          page=page_name(self.settings, page), seconds=f"{seconds:g}") from error
        except PlaywrightError as error:
            raise failure(self.settings, ErrorKind.DOWNLOAD_FAILED, "download.network",
                          f"{url}: {brief(error, self.secrets)}", self.secrets,
                          reason=brief(error, self.secrets)) from error

    def page_url(self, page: str, page_number: int | None = None) -> str:
        """The console URL of a page (members / orders / refunds), with paging if asked."""
        settings = self.settings
        if page == "channels":
            return settings.console_url(settings.publ_channels_path)
        if page == "login":
            return settings.console_url(settings.publ_login_path)
        path = {"members": settings.publ_members_path, "orders": settings.publ_orders_path,
                "refunds": settings.publ_refunds_path}[page]
        url = settings.channel_url(path)
        if page_number is not None:
            joiner = "&" if "?" in url else "?"
            url += (f"{joiner}{settings.publ_page_param}={page_number}"
                    f"&{settings.publ_page_size_param}={settings.publ_page_size}")
        return url

    async def sibling(self) -> Console:
        """A second page in the same browser session, for loading two pages at once."""
        other = Console(self.context, await self.context.new_page(), self.settings,
                        self.storage, self.stats, self.secrets)
        other.had_session = self.had_session
        other.capture_lock = self.capture_lock
        other.incoming = self.incoming
        return other

    # --- controls ---------------------------------------------------------------------
    def members_button(self) -> tuple[Locator, Control]:
        """The members page's `All Member download(CSV)` button (`PUBL_MEMBERS_BUTTON`)."""
        label = self.settings.publ_members_button
        locator = self.page.get_by_role("button", name=label, exact=True)
        return locator, Control("members", label, "PUBL_MEMBERS_BUTTON")

    def export_button(self, page: str) -> tuple[Locator, Control]:
        """The icon-only export button of the orders and refunds pages."""
        selector = self.settings.publ_export_icon_selector
        return self.page.locator(selector), Control(page, selector, "PUBL_EXPORT_ICON_SELECTOR")

    def login_fields(self) -> tuple[Locator, Locator, Locator]:
        """The login form: e-mail box, password box, login button."""
        settings = self.settings
        return (self.page.get_by_label(settings.publ_email_label, exact=True),
                self.page.get_by_label(settings.publ_password_label, exact=True),
                self.page.get_by_role("button", name=settings.publ_login_button, exact=True))

    async def appears(self, locator: Locator, timeout_ms: float) -> bool:
        """Whether `locator` becomes visible within `timeout_ms`."""
        try:
            await locator.first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeout:
            return False
        return True

    async def require(self, locator: Locator, control: Control) -> Locator:
        """The visible control, or a `layout_changed` error with screenshots."""
        if not await self.appears(locator, self.settings.browser_timeout_ms):
            raise await self.layout_changed(control)
        return locator.first

    async def layout_changed(self, control: Control) -> SyncError:
        """A `layout_changed` error naming the missing control and its setting, with
        screenshots of the page as it was."""
        error = failure(self.settings, ErrorKind.LAYOUT_CHANGED, "download.element_missing",
                        f"{control.setting}={control.what!r} not visible on {self.page.url} "
                        f"within {self.settings.browser_timeout_ms} ms", self.secrets,
                        page=page_name(self.settings, control.page), what=control.what,
                        setting=control.setting)
        return await self.with_evidence(error, control.page + "-" + control.setting)

    async def with_evidence(self, error: SyncError, label: str) -> SyncError:
        """Attach screenshots and HTML of the current page to `error`."""
        async with self.capture_lock:
            with contextlib.suppress(PlaywrightError):
                await self.page.bring_to_front()
            captured = await evidence.capture(
                self.page, self.storage, label, Readable.from_settings(self.settings),
                self.secrets, self.settings.browser_timeout_ms, self.settings.publ_mask_selector)
        error.debug_files = captured.private
        error.masked_screenshot = captured.masked
        if captured.private:
            error.detail += " | evidence: " + ", ".join(captured.private)
        return error

    async def page_count(self) -> int | None:
        """The `total` of a `current / total` text on the page, when there is one."""
        pattern = self.settings.publ_page_count_pattern
        whole = re.compile(rf"^\s*(?:{pattern})\s*$")  # the counter's own element only
        try:
            texts = await self.page.get_by_text(whole).all_inner_texts()
        except PlaywrightError:
            return None
        for text in texts:
            match = re.search(pattern, text)
            if match:
                return int(match.groups()[-1])
        return None

    # --- downloads --------------------------------------------------------------------
    async def download(self, button: Locator, target: Path, sync_type: str) -> Path:
        """Click `button` and save the download as `target`, through a temporary name so
        that a broken download never leaves a file under the final name."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        # Named by type too: orders and refunds download at the same time, and their
        # page files share names ("0001.csv") in different folders.
        partial = self.incoming / f"{sync_type}-{target.name}.part"
        settings = self.settings
        type_name = page_name(settings, sync_type)
        try:
            async with self.page.expect_download(timeout=settings.browser_timeout_ms) as info:
                # The button was already seen visible, and the download is what we wait for.
                # Playwright's extra checks wait on animation frames, which a tab in the
                # background barely gets (orders and refunds load in two tabs): measured
                # 0.4–2 s per click. So: no "stable" check, no wait for a navigation.
                await button.click(no_wait_after=True, force=True)
            download = await info.value
            await download.save_as(partial)
            problem = await download.failure()
            if problem is not None:
                raise disk_full(settings, problem) or failure(
                    settings, ErrorKind.DOWNLOAD_FAILED, "download.broken",
                    f"{sync_type}: {problem}", self.secrets, type=type_name)
            os.chmod(partial, 0o600)
            os.replace(partial, target)
            return target
        except PlaywrightTimeout as error:
            raise failure(settings, ErrorKind.DOWNLOAD_FAILED, "download.not_started",
                          f"{sync_type}: {brief(error, self.secrets)}", self.secrets,
                          type=type_name,
                          seconds=f"{settings.browser_timeout_ms / 1000:g}") from error
        except (PlaywrightError, OSError) as error:
            full = disk_full(settings, error)
            if full is not None:
                raise full from error
            if not isinstance(error, PlaywrightError):
                raise
            raise failure(settings, ErrorKind.DOWNLOAD_FAILED, "download.broken",
                          f"{sync_type}: {brief(error, self.secrets)}", self.secrets,
                          type=type_name) from error
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()

    # --- login ------------------------------------------------------------------------
    async def login(self) -> None:
        """Log in with the configured account; ends on the page after the login page.

        Raises `login_failed` (with what the login page said) when the browser stays on a
        login URL — the one signal publ is known to give.
        """
        settings = self.settings
        email, password, submit = self.login_fields()
        if not (self.on_login_page and await email.first.is_visible()):
            await self.open(self.page_url("login"), "login")
        await self.require(email, Control("login", settings.publ_email_label,
                                          "PUBL_EMAIL_LABEL"))
        self.secrets.add(settings.publ_password.get_secret_value())
        await email.first.fill(settings.publ_email)
        await (await self.require(password, Control("login", settings.publ_password_label,
                                                     "PUBL_PASSWORD_LABEL"))).fill(
            settings.publ_password.get_secret_value())
        button = await self.require(submit, Control("login", settings.publ_login_button,
                                                    "PUBL_LOGIN_BUTTON"))
        # A login page may greet a redirected visitor with a message ("please log in
        # again"); such a message, already there, must not pass for a refused login.
        greeted = await self.page.locator(settings.publ_login_error_selector).first.is_visible()
        self.stats.page_loads += 1
        await button.click()
        if not await self._left_login_page(greeted):
            said = await self._login_message()
            error = failure(settings, ErrorKind.LOGIN_FAILED, "download.login_failed",
                            f"still on {self.page.url} after submitting the login form; "
                            f"page said: {said}", self.secrets, said=said)
            raise await self.with_evidence(error, "login")
        self.stats.logged_in = True
        self.secrets.add(*[c.get("value", "") for c in await self.context.cookies()])

    async def _left_login_page(self, greeted: bool) -> bool:
        """Wait until the URL leaves the login page (success) or an error shows (failure).

        When a message was showing before the click, the URL gets `SESSION_CHECK_TIMEOUT_MS`
        more to leave after a message is seen.
        """
        marker = self.settings.publ_login_url_marker
        left = asyncio.ensure_future(self.page.wait_for_url(
            lambda url: marker not in url, wait_until="domcontentloaded"))
        refused = asyncio.ensure_future(self.page.locator(
            self.settings.publ_login_error_selector).first.wait_for(state="visible"))
        done, pending = await asyncio.wait({left, refused}, return_when=asyncio.FIRST_COMPLETED)
        if greeted and left in pending:
            done, pending = await asyncio.wait(
                {left}, timeout=self.settings.session_check_timeout_ms / 1000)
            done, pending = done | {refused}, pending
        for task in pending:
            task.cancel()
        for task in (*done, *pending):
            with contextlib.suppress(asyncio.CancelledError, PlaywrightError):
                await task
        for task in done:
            problem = task.exception()
            if problem is not None and not isinstance(problem, PlaywrightTimeout):
                raise problem  # the browser went away: transient, not a refused login
        if left in done and left.exception() is None:
            return True
        return not self.on_login_page

    async def _login_message(self) -> str:
        locator = self.page.locator(self.settings.publ_login_error_selector)
        try:
            texts = [text.strip() for text in await locator.all_inner_texts() if text.strip()]
        except PlaywrightError:
            texts = []
        if not texts:
            return t("download.login_no_message", self.settings.bot_language)
        return self.secrets.scrub(" ".join(texts))[:300]
