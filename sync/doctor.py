"""`publ-sync doctor`: every part a sync needs, checked one by one, with what to do.

Settings, the browser, the login, each console page and its export control, the database,
and Slack. The login is tried afresh in a throw-away browser context; the saved session
and the stored data are left as they are.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sync.db import open_database
from sync.downloader.console import Console
from sync.downloader.failures import Secrets, brief, page_name
from sync.downloader.flow import missing_settings, open_console, settings_message, together
from sync.errors import SyncError
from sync.i18n import t
from sync.report import DownloadStats
from sync.settings import Settings
from sync.storage import Storage


@dataclass
class Check:
    """One line of the doctor's answer: passed (True), failed (False) or skipped (None)."""

    ok: bool | None
    text: str
    notes: list[str] = field(default_factory=list)


async def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order an operator would fix things."""
    lang = settings.bot_language
    checks: list[Check] = []
    missing = missing_settings(settings)
    checks.append(Check(True, t("download.doctor.settings_ok", lang)) if not missing else
                  Check(False, t("download.doctor.settings_bad", lang,
                                 problem=settings_message(settings, missing))))
    checks.extend(await _console_checks(settings, can_log_in=not missing))
    checks.append(await _database_check(settings))
    checks.extend(await _slack_checks(settings))
    return checks


async def _console_checks(settings: Settings, can_log_in: bool) -> list[Check]:
    lang = settings.bot_language
    storage = Storage(settings.storage_dir).ensure()
    checks: list[Check] = []
    try:
        async with _console(settings, storage) as console:
            version = console.context.browser.version if console.context.browser else "?"
            checks.append(Check(True, t("download.doctor.browser_ok", lang,
                                        path=f"Chromium {version}")))
            if not can_log_in:
                return checks + _skipped_pages(settings)
            try:
                await console.login()
            except SyncError as error:
                # The error states what happened; the advice for its kind says what to do.
                problem = f"{error.message} {t(f'advice.cli.{error.kind.value}', lang)}"
                checks.append(_failed(t("download.doctor.login_bad", lang,
                                        problem=problem), error))
                return checks + _skipped_pages(settings)
            checks.append(Check(True, t("download.doctor.login_ok", lang,
                                        email=settings.publ_email)))
            # One tab per page, checked at the same time: a missing control costs one
            # browser timeout, not three.
            tabs = [console, await console.sibling(), await console.sibling()]
            checks.extend(await together(*[_page_check(tab, page) for tab, page
                                           in zip(tabs, ("members", "orders", "refunds"),
                                                  strict=True)]))
    except SyncError as error:  # no browser, or it would not start
        checks.append(_failed(t("download.doctor.browser_bad", lang, problem=error.message),
                              error))
    except PlaywrightError as error:  # the browser died half-way through the checks
        checks.append(Check(False, t("download.doctor.browser_bad", lang,
                                     problem=brief(error, Secrets()))))
    return checks


@contextlib.asynccontextmanager
async def _console(settings: Settings, storage: Storage) -> AsyncIterator[Console]:
    secrets = Secrets()
    secrets.add(settings.publ_password.get_secret_value())
    async with open_console(settings, storage, DownloadStats(), secrets,
                            use_session=False) as console:
        yield console


async def _page_check(console: Console, page: str) -> Check:
    """Open a page and look for its export control (naming it exactly when missing)."""
    lang = console.settings.bot_language
    name = page_name(console.settings, page)
    try:
        await console.open(console.page_url(page, None if page == "members" else 1), page)
        locator, control = (console.members_button() if page == "members"
                            else console.export_button(page))
        await console.require(locator, control)
    except SyncError as error:
        return _failed(t("download.doctor.page_bad", lang, page=name, problem=error.message),
                       error)
    return Check(True, t("download.doctor.page_ok", lang, page=name, what=control.what))


def _skipped_pages(settings: Settings) -> list[Check]:
    lang = settings.bot_language
    return [Check(None, t("download.doctor.skipped_no_login", lang,
                          page=page_name(settings, page)))
            for page in ("members", "orders", "refunds")]


def _failed(text_: str, error: SyncError) -> Check:
    """A failed check, with the screenshot that shows why (kept on this machine)."""
    screenshots = [path for path in error.debug_files if path.endswith(".png")]
    return Check(False, text_, screenshots)


async def _database_check(settings: Settings) -> Check:
    lang = settings.bot_language
    try:  # an unparsable DATABASE_URL is this check's failure too, not the doctor's crash
        url = make_url(settings.effective_database_url).render_as_string(hide_password=True)
        db = await open_database(settings.effective_database_url)
        async with db.read() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure here is the answer to "does the database work"
        return Check(False, t("download.doctor.database_bad", lang,
                              reason=brief(error, Secrets())))
    return Check(True, t("download.doctor.database_ok", lang, url=url))


async def _slack_checks(settings: Settings) -> list[Check]:
    lang = settings.bot_language
    token = settings.slack_bot_token.get_secret_value()
    if not token:
        return [Check(None, t("download.doctor.slack_skipped", lang))]
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url,
                            timeout=settings.slack_timeout_seconds)
    try:
        identity = await client.auth_test()
    except (SlackApiError, OSError, TimeoutError) as error:
        return [Check(False, t("download.doctor.slack_token_bad", lang,
                               reason=_slack_reason(error)))]
    checks = [Check(True, t("download.doctor.slack_token_ok", lang,
                            team=identity.get("team", "?"), user=identity.get("user", "?")))]
    channel = settings.slack_channel
    if not channel:
        checks.append(Check(False, t("download.doctor.slack_channel_missing", lang)))
        return checks
    try:
        # POST works on every Slack-compatible endpoint (some proxies refuse GET).
        await client.api_call("conversations.info", http_verb="POST", data={"channel": channel})
    except (SlackApiError, OSError, TimeoutError) as error:
        checks.append(Check(False, t("download.doctor.slack_channel_bad", lang, channel=channel,
                                     reason=_slack_reason(error))))
    else:
        checks.append(Check(True, t("download.doctor.slack_channel_ok", lang, channel=channel)))
    return checks


def _slack_reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        data = error.response.data
        if isinstance(data, dict):
            return str(data.get("error", "error"))
        return f"HTTP {error.response.status_code}"
    return type(error).__name__
