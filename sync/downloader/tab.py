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
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Literal

from playwright.async_api import BrowserContext, Locator, Page, Request
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sync.clock import Clock, utcnow
from sync.downloader import evidence
from sync.downloader.failures import Secrets, brief, disk_full, failure, page_name
from sync.downloader.locate import (
    CONFIGURED,
    Candidate,
    Chain,
    Control,
    icon_only_export_buttons,
    loose_name,
    pick,
)
from sync.downloader.readable import Readable
from sync.errors import ErrorKind, SyncError
from sync.i18n import t
from sync.report import DownloadStats, Drift
from sync.settings import Settings
from sync.storage import Storage

log = logging.getLogger(__name__)

__all__ = ["PublTab", "Control"]

# Resolves once the page's DOM has not changed for `quiet` ms (a MutationObserver, checked
# every 100 ms: animation frames barely run in a background tab).
QUIET_DOM = """quiet => {
  if (window.__publQuietSince === undefined) {
    window.__publQuietSince = performance.now();
    new MutationObserver(() => { window.__publQuietSince = performance.now(); })
      .observe(document, {subtree: true, childList: true, attributes: true,
                          characterData: true});
  }
  return performance.now() - window.__publQuietSince >= quiet;
}"""
# How often `drawn_and_still` looks again (the stillness it needs is SESSION_SETTLE_MS).
SETTLE_POLL_MS = 100
# The visible text around the login form that is not the form's own labels and controls:
# where a console shows "wrong password" when it has no role=alert.
NEAR_FORM_TEXT = r"""() => {
  const field = document.querySelector('input[type=password]');
  if (!field) return '';
  const form = field.closest('form') || field.parentElement;
  const area = form.parentElement || form;
  const skip = new Set(['INPUT', 'BUTTON', 'LABEL', 'SCRIPT', 'STYLE', 'H1', 'H2', 'SELECT',
                        'OPTION', 'TEXTAREA']);
  const texts = [];
  const walk = node => {
    for (const child of node.children) {
      if (skip.has(child.tagName) || child.offsetParent === null) continue;
      const own = [...child.childNodes].filter(n => n.nodeType === 3)
        .map(n => n.textContent.trim()).join(' ').trim();
      if (own) texts.push(own);
      walk(child);
    }
  };
  walk(area);
  return texts.join(' ').replace(/\s+/g, ' ').trim();
}"""


class PublTab:
    """One browser tab on the publ console, counting the pages it loads. (Named for what it
    is: rich, the terminal's library, has a `Console` of its own.)"""

    def __init__(self, context: BrowserContext, page: Page, settings: Settings,
                 storage: Storage, stats: DownloadStats, secrets: Secrets, *,
                 clock: Clock = utcnow) -> None:
        self.context = context
        self.clock = clock
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
        # The export control found while the members page was checked (see
        # `flow.session_is_valid`): Found, looked for and missing, or not looked for.
        self.export_ahead: Locator | Literal["missing"] | None = None

    # --- pages ------------------------------------------------------------------------
    @property
    def on_login_page(self) -> bool:
        """Whether the page is on a login URL (where publ sends an invalid session)."""
        return self.settings.publ_login_url_marker in self.page.url

    async def open(self, url: str, page: str) -> None:
        """Load `url`; a timeout or a network error is transient."""
        self.stats.page_loads += 1
        self.export_ahead = None  # whatever was found on the page before is gone
        self.note_step(page, url)
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

    def note_step(self, page: str, url: str) -> None:
        """What this tab is doing, in words for a sync stopped by `SYNC_TIMEOUT_SECONDS`."""
        name = page_name(self.settings, page)
        if page == "login":
            self.stats.steps[page] = ("download.step.login", {})
            return
        number = re.search(rf"[?&]{re.escape(self.settings.publ_page_param)}=(\d+)", url)
        if number:
            self.stats.steps[page] = ("download.step.page", {"page": name,
                                                             "number": number.group(1)})
        else:
            self.stats.steps[page] = ("download.step.export", {"page": name})

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

    async def sibling(self) -> PublTab:
        """A second page in the same browser session, for loading two pages at once."""
        other = PublTab(self.context, await self.context.new_page(), self.settings,
                        self.storage, self.stats, self.secrets, clock=self.clock)
        other.had_session = self.had_session
        other.capture_lock = self.capture_lock
        other.incoming = self.incoming
        return other

    # --- controls ---------------------------------------------------------------------
    def members_button(self) -> Chain:
        """The members page's `All Member download(CSV)` button (`PUBL_MEMBERS_BUTTON`), then
        the same name with whitespace and case normalised (`All Member download (CSV)`)."""
        label = self.settings.publ_members_button
        page = self.page
        return Chain(Control("members", label, "PUBL_MEMBERS_BUTTON"), [
            Candidate(CONFIGURED, page.get_by_role("button", name=label, exact=True)),
            Candidate("name", page.get_by_role("button", name=loose_name(label)))])

    def export_button(self, page: str) -> Chain:
        """The icon-only export button of the orders and refunds pages: the configured SVG
        path, then a button whose only content is an icon and whose title or aria-label
        speaks of downloading or exporting."""
        selector = self.settings.publ_export_icon_selector
        return Chain(Control(page, selector, "PUBL_EXPORT_ICON_SELECTOR"), [
            Candidate(CONFIGURED, self.page.locator(selector)),
            Candidate("icon_title", icon_only_export_buttons(self.page))])

    def login_fields(self) -> tuple[Chain, Chain, Chain]:
        """The login form: e-mail box, password box, login button — by accessible name,
        then by name normalised, then by the attributes other scripts use."""
        settings = self.settings
        page = self.page
        email, password, login = (settings.publ_email_label, settings.publ_password_label,
                                  settings.publ_login_button)
        return (
            Chain(Control("login", email, "PUBL_EMAIL_LABEL"), [
                Candidate(CONFIGURED, page.get_by_label(email, exact=True)),
                Candidate("name", page.get_by_role("textbox", name=loose_name(email))),
                Candidate("attributes", page.locator('input[name="email"]'))]),
            Chain(Control("login", password, "PUBL_PASSWORD_LABEL"), [
                Candidate(CONFIGURED, page.get_by_label(password, exact=True)),
                Candidate("name", page.get_by_label(loose_name(password))),
                Candidate("attributes",
                          page.locator('input[name="password"][type="password"]'))]),
            Chain(Control("login", login, "PUBL_LOGIN_BUTTON"), [
                Candidate(CONFIGURED, page.get_by_role("button", name=login, exact=True)),
                Candidate("name", page.get_by_role("button", name=loose_name(login))),
                Candidate("attributes", page.locator('button[type="submit"]'))]))

    def login_error(self) -> Chain:
        """Where the login page says why it refused: the configured selector, then the
        page's `role=alert` (the text near the form is read separately)."""
        selector = self.settings.publ_login_error_selector
        return Chain(Control("login", selector, "PUBL_LOGIN_ERROR_SELECTOR"), [
            Candidate(CONFIGURED, self.page.locator(selector)),
            Candidate("alert", self.page.get_by_role("alert"))])

    async def rendered(self, page: str) -> None:
        """Return once the page has drawn itself: off the login URL (for the data pages),
        and its `PUBL_…_READY` element visible or its DOM quiet for `PUBL_LAYOUT_QUIET_MS`.
        Raises `PlaywrightTimeout` when that takes the whole `BROWSER_TIMEOUT_MS`."""
        settings = self.settings
        timeout = settings.browser_timeout_ms
        if page != "login" and self.on_login_page:
            raise PlaywrightTimeout(f"{page} page sent to the login page")
        ready = {"members": settings.publ_members_ready, "orders": settings.publ_orders_ready,
                 "refunds": settings.publ_refunds_ready}.get(page, "input")
        signs = [asyncio.ensure_future(
                     self.page.locator(ready).first.wait_for(state="visible", timeout=timeout)),
                 asyncio.ensure_future(self.page.wait_for_function(
                     QUIET_DOM, arg=settings.publ_layout_quiet_ms, polling=100,
                     timeout=timeout))]
        try:
            done, _ = await asyncio.wait(signs, return_when=asyncio.FIRST_COMPLETED)
            if not any(task.exception() is None for task in done):
                done, _ = await asyncio.wait(signs)
                if not any(task.exception() is None for task in done):
                    raise PlaywrightTimeout(f"{page} page did not render in {timeout} ms")
        finally:
            for task in signs:
                task.cancel()
            await asyncio.gather(*signs, return_exceptions=True)

    @contextlib.contextmanager
    def requests_in_flight(self) -> Iterator[set[Request]]:
        """The page's requests that have neither finished nor failed, kept up to date for
        the length of the block."""
        pending: set[Request] = set()

        def started(request: Request) -> None:
            pending.add(request)

        def done(request: Request) -> None:
            pending.discard(request)

        self.page.on("request", started)
        self.page.on("requestfinished", done)
        self.page.on("requestfailed", done)
        try:
            yield pending
        finally:
            self.page.remove_listener("request", started)
            self.page.remove_listener("requestfinished", done)
            self.page.remove_listener("requestfailed", done)

    async def drawn_and_still(self, page: str, in_flight: set[Request]) -> None:
        """Return once the page has demonstrably finished drawing: its `PUBL_…_READY`
        element visible, none of its requests in flight (a console that draws its frame and
        then fetches the rest is not done), and its DOM unchanged for SESSION_SETTLE_MS."""
        ready = self.page.locator({"members": self.settings.publ_members_ready,
                                   "orders": self.settings.publ_orders_ready,
                                   "refunds": self.settings.publ_refunds_ready}[page]).first
        settle_ms = self.settings.session_settle_ms
        with contextlib.suppress(PlaywrightError):
            # A tab in the background gets few animation frames: one that draws in them
            # would look still while it waits for the next.
            await self.page.bring_to_front()
        while True:
            with contextlib.suppress(PlaywrightError):  # a page navigating away: look again
                if (not in_flight and await ready.is_visible()
                        and await self.page.evaluate(QUIET_DOM, settle_ms)
                        and not in_flight):  # nor one started while it was looked at
                    return
            await asyncio.sleep(SETTLE_POLL_MS / 1000)

    async def locate(self, chain: Chain, patience_ms: float, *,
                     bail: Locator | None = None,
                     done_when: Callable[[], Awaitable[None]] | None = None
                     ) -> Locator | None:
        """The control, waiting until it shows or until `patience_ms` after the page has
        rendered (a page that never renders gets the whole `BROWSER_TIMEOUT_MS`); `bail`
        showing, or `done_when()` completing once the page has rendered, ends the wait early.
        A drift (found through a fallback) is noted in the stats; None when nothing
        matched."""
        # Start-up time: a page that has drawn already shows it; one look, without starting
        # the waits below, is the cheapest way to see it.
        found = await pick(chain)
        if found is not None:
            self.stats.note_control(chain.control.setting, found.drift)
            return found.locator
        timeout = self.settings.browser_timeout_ms
        wanted = chain.anything if bail is None else chain.anything.or_(bail)
        appear = asyncio.ensure_future(wanted.first.wait_for(state="visible", timeout=timeout))
        drawn = asyncio.ensure_future(self.rendered(chain.control.page))
        tasks = [appear, drawn]
        try:
            await asyncio.wait({appear, drawn}, return_when=asyncio.FIRST_COMPLETED)
            if not appear.done():
                if drawn.exception() is None:  # drawn, but not (yet) the control
                    ends = {appear}
                    if done_when is not None:
                        tasks.append(asyncio.ensure_future(done_when()))
                        ends.add(tasks[-1])
                    await asyncio.wait(ends, timeout=patience_ms / 1000,
                                       return_when=asyncio.FIRST_COMPLETED)
                elif not self.on_login_page:  # never drew itself: the whole timeout
                    await asyncio.wait({appear})
            found = await pick(chain)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if found is None:
            return None
        self.stats.note_control(chain.control.setting, found.drift)
        return found.locator

    async def appears(self, locator: Locator, timeout_ms: float) -> bool:
        """Whether `locator` becomes visible within `timeout_ms`."""
        try:
            await locator.first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeout:
            return False
        return True

    async def require(self, chain: Chain) -> Locator:
        """The visible control, or a `layout_changed` error with screenshots — within
        `PUBL_LAYOUT_WAIT_MS` of the page having rendered."""
        found = await self.locate(chain, self.settings.publ_layout_wait_ms)
        if found is None:
            raise await self.layout_changed(chain.control)
        return found

    async def layout_changed(self, control: Control) -> SyncError:
        """A `layout_changed` error naming the missing control and its setting, with
        screenshots of the page as it was."""
        error = failure(self.settings, ErrorKind.LAYOUT_CHANGED, "download.element_missing",
                        f"{control.setting}={control.what!r} nor a fallback visible on "
                        f"{self.page.url}", self.secrets,
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
                self.secrets, self.settings.browser_timeout_ms, self.settings.publ_mask_selector,
                when=self.clock())
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
            self.stats.steps.pop(sync_type, None)
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
        self.stats.steps.clear()
        self.stats.steps["login"] = ("download.step.login", {})
        # The export tabs opened after this one: a tab in the background draws no frames,
        # and a click waits for frames to see the button hold still.
        with contextlib.suppress(PlaywrightError):
            await self.page.bring_to_front()
        email, password, submit = self.login_fields()
        if not (self.on_login_page and await pick(email) is not None):
            await self.open(self.page_url("login"), "login")
        self.secrets.add(settings.publ_password.get_secret_value())
        await (await self.require(email)).fill(settings.publ_email)
        await (await self.require(password)).fill(settings.publ_password.get_secret_value())
        button = await self.require(submit)
        # A login page may greet a redirected visitor with a message ("please log in
        # again"); such a message, already there, must not pass for a refused login.
        refusal = self.login_error()
        greeted = await pick(refusal) is not None
        before = await self._near_form_text()
        self.stats.page_loads += 1
        await button.click()
        if not await self._left_login_page(greeted, refusal, before):
            said = await self._login_message(refusal, before)
            error = failure(settings, ErrorKind.LOGIN_FAILED, "download.login_failed",
                            f"still on {self.page.url} after submitting the login form; "
                            f"page said: {said}", self.secrets, said=said)
            raise await self.with_evidence(error, "login")
        self.stats.logged_in = True
        self.stats.steps.pop("login", None)
        self.secrets.add(*[c.get("value", "") for c in await self.context.cookies()])

    async def _near_form_text(self) -> str:
        try:
            return str(await self.page.evaluate(NEAR_FORM_TEXT))
        except PlaywrightError:
            return ""

    async def _left_login_page(self, greeted: bool, refusal: Chain, before: str) -> bool:
        """Wait until the URL leaves the login page (success) or the page says no: its error
        element shows, or new text appears near the form (a console without `role=alert`).

        When a message was showing before the click, the URL gets `SESSION_CHECK_TIMEOUT_MS`
        more to leave after a message is seen.
        """
        marker = self.settings.publ_login_url_marker
        left = asyncio.ensure_future(self.page.wait_for_url(
            lambda url: marker not in url, wait_until="domcontentloaded"))
        refused = asyncio.ensure_future(refusal.anything.first.wait_for(state="visible"))
        told = asyncio.ensure_future(self.page.wait_for_function(
            f"before => {{ const now = ({NEAR_FORM_TEXT})(); return now && now !== before; }}",
            arg=before, polling=100))
        pending = {left, refused, told}
        try:
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                if left in done:
                    problem = left.exception()
                    if problem is None:
                        return True
                    if not isinstance(problem, PlaywrightTimeout):
                        raise problem  # the browser went away: transient, not a refusal
                    break
                if any(task.exception() is None for task in done):
                    if greeted and left in pending:
                        await asyncio.wait({left},
                                           timeout=self.settings.session_check_timeout_ms / 1000)
                        if left.done() and left.exception() is None:
                            return True
                    break
                # A wait that broke (the page navigated under it) or timed out: the others go on.
        finally:
            for task in (left, refused, told):
                task.cancel()
            await asyncio.gather(left, refused, told, return_exceptions=True)
        return not self.on_login_page

    async def _login_message(self, refusal: Chain, before: str) -> str:
        """What the login page said: its error element, or the new text near the form. A
        fallback that found one of the known wrong-password texts is a drift."""
        found = await pick(refusal)
        texts: list[str] = []
        if found is not None:
            with contextlib.suppress(PlaywrightError):
                texts = [(await found.locator.inner_text()).strip()]
            drift = found.drift
        else:
            now = await self._near_form_text()
            new = now.replace(before, " ").strip() if before else now
            texts = [new] if new else []
            drift = Drift(page="login", setting="PUBL_LOGIN_ERROR_SELECTOR",
                          how="near_form", found=new[:80]) if new else None
        said = " ".join(text for text in texts if text)
        if not said:
            return t("download.login_no_message", self.settings.bot_language)
        known = [text.strip().lower() for text in self.settings.publ_login_error_texts]
        if drift is not None and any(k and k in " ".join(said.lower().split()) for k in known):
            self.stats.note_control(refusal.control.setting, drift)
        elif found is not None and found.drift is None:
            self.stats.note_control(refusal.control.setting, None)
        return self.secrets.scrub(said)[:300]
