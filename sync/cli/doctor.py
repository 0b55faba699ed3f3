"""`publ-sync doctor`: every part a sync needs, checked one by one, with what to do.

Settings, the browser, the login, each console page and its export control, the database,
and Slack (checked by the bot's own code, handed in). The login is tried afresh in a
throw-away browser context; the saved session and the stored data are left as they are.
"""

from __future__ import annotations

import contextlib
import shlex
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sync import faults
from sync.adopt import AdoptionPlan, inspect_adoption
from sync.checks import Check
from sync.db import open_database
from sync.downloader.failures import Secrets, brief, page_name
from sync.downloader.flow import missing_publ_settings, open_console, settings_message, together
from sync.downloader.snapshots import Snapshots
from sync.downloader.tab import PublTab
from sync.errors import SyncError
from sync.i18n import t
from sync.report import DownloadStats
from sync.settings import Settings
from sync.storage import Storage, loose_permissions

SlackChecks = Callable[[Settings], Awaitable[list[Check]]]


async def run_checks(settings: Settings, slack_checks: SlackChecks | None = None,
                     snapshots: Snapshots | None = None) -> list[Check]:
    """Every check, in the order an operator would fix things. The Slack ones live in the
    bot (`bot.slack_channel.doctor_checks`; `sync/` knows nothing of Slack) and are handed
    in by the CLI. With `snapshots`, each console page's masked accessibility snapshot is
    gathered on the way."""
    lang = settings.bot_language
    checks: list[Check] = [_permissions_check(settings)]  # before anything tightens them
    missing = missing_publ_settings(settings)
    checks.append(Check(True, t("download.doctor.settings_ok", lang)) if not missing else
                  Check(False, t("download.doctor.settings_bad", lang,
                                 problem=settings_message(settings, missing))))
    checks.extend(await _console_checks(settings, can_log_in=not missing,
                                        snapshots=snapshots))
    checks.append(await _database_check(settings))
    if slack_checks is not None:
        checks.extend(await slack_checks(settings))
    return checks


def _permissions_check(settings: Settings) -> Check:
    """`.env` (secrets), the SQLite file and STORAGE_DIR (personal data) must be the
    owner's only: one ✗ line per path another user may read, with the chmod that fixes it."""
    lang = settings.bot_language
    env_file = settings.model_config.get("env_file")
    paths: list[tuple[Path, str]] = []
    if isinstance(env_file, str):
        paths.append((Path(env_file), "600"))
    url = make_url(settings.effective_database_url) if settings.effective_database_url else None
    if url is not None and url.get_backend_name() == "sqlite" and url.database:
        paths.append((Path(url.database), "600"))
    paths.append((settings.storage_dir, "700"))
    loose = []
    for path, mode in paths:
        try:
            if path.exists() and loose_permissions(path):
                loose.append(t("download.doctor.permissions_loose", lang, path=path,
                               mode=f"{path.stat().st_mode & 0o777:o}",
                               chmod=f"chmod {mode} {shlex.quote(str(path.absolute()))}"))
        except OSError:
            continue
    if loose:
        return Check(False, " ".join(loose))
    return Check(True, t("download.doctor.permissions_ok", lang))


async def _console_checks(settings: Settings, can_log_in: bool,
                          snapshots: Snapshots | None = None) -> list[Check]:
    """The storage folder, then the browser, login and pages. Storage that cannot be
    written is its own ✗ line; the browser checks then use a throw-away folder."""
    try:
        storage = Storage(settings.storage_dir).ensure()
    except OSError as error:
        fault = faults.recognise(error, settings)
        storage_check = Check(False, fault.message if fault else
                              t("download.doctor.browser_bad", settings.bot_language,
                                problem=type(error).__name__))
        with tempfile.TemporaryDirectory(prefix="publ-doctor-") as folder:
            spare = Storage(Path(folder)).ensure()
            return [storage_check, *await _browser_checks(settings, spare, can_log_in,
                                                          snapshots)]
    return await _browser_checks(settings, storage, can_log_in, snapshots)


async def _browser_checks(settings: Settings, storage: Storage, can_log_in: bool,
                          snapshots: Snapshots | None = None) -> list[Check]:
    lang = settings.bot_language
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
            if snapshots is not None:
                await _snapshot_channels(console, snapshots)
            checks.extend(await together(*[_page_check(tab, page, snapshots) for tab, page
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
async def _console(settings: Settings, storage: Storage) -> AsyncIterator[PublTab]:
    secrets = Secrets()
    secrets.add(settings.publ_password.get_secret_value())
    async with open_console(settings, storage, DownloadStats(), secrets,
                            use_session=False) as console:
        yield console


async def _page_check(console: PublTab, page: str, snapshots: Snapshots | None = None
                      ) -> Check:
    """Open a page and look for its export control (naming it exactly when missing)."""
    lang = console.settings.bot_language
    name = page_name(console.settings, page)
    try:
        await console.open(console.page_url(page, None if page == "members" else 1), page)
        chain = console.members_button() if page == "members" else console.export_button(page)
        control = chain.control
        await console.require(chain)
    except SyncError as error:
        check = _failed(t("download.doctor.page_bad", lang, page=name,
                          problem=error.message), error)
    else:
        check = Check(True, t("download.doctor.page_ok", lang, page=name, what=control.what))
    if snapshots is not None:  # a page whose control is missing is the one most wanted
        await snapshots.take(console, page)
    return check


async def _snapshot_channels(console: PublTab, snapshots: Snapshots) -> None:
    """The channel list's snapshot (a page the checks themselves do not need)."""
    try:
        await console.open(console.page_url("channels"), "channels")
    except SyncError as error:
        snapshots.missed["channels"] = error.message
        return
    await snapshots.take(console, "channels")


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
        # Looked at before opening: opening adopts, and the doctor changes nothing.
        plan = await inspect_adoption(settings.effective_database_url)
        if plan.needed:
            return _adoption_check(plan, lang)
        db = await open_database(settings.effective_database_url)
        async with db.read() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure here is the answer to "does the database work"
        fault = faults.recognise(error, settings)
        return Check(False, t("download.doctor.database_bad", lang,
                              reason=fault.message if fault else brief(error, Secrets())))
    return Check(True, t("download.doctor.database_ok", lang, url=url))


def _adoption_check(plan: AdoptionPlan, lang: str) -> Check:
    """The dashboard's tables are there but publ-sync never ran on them: fine when the next
    start can adopt them, a failure (with every reason) when it cannot."""
    if plan.problems:
        reasons = " ".join(problem.sentence(lang) for problem in plan.problems)
        return Check(False, t("adopt.doctor.refused", lang, reasons=reasons))
    rows = sum(table.rows for table in plan.tables)
    return Check(True, t("adopt.doctor.needed", lang, rows=f"{rows:,}"))
