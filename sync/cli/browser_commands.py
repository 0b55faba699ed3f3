"""The CLI commands that drive the browser: run, reset-session, doctor, demo."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from sync.clock import utcnow
from sync.errors import AlreadyRunning
from sync.i18n import t
from sync.settings import Settings
from sync.storage import Storage

if TYPE_CHECKING:
    from sync.downloader import EarlyBrowser
    from sync.downloader.snapshots import Snapshots
    from sync.report import RunReport
    from sync.sandbox import Sandbox

# What a sync loads besides the browser: for start-up time, `run` imports these in a thread
# while Chromium starts, so this module imports none of them at the top.
RUN_MODULES = ("sync.runner", "sync.cli.terminal", "sync.presented", "sync.drifts", "sync.db")

DEMO_NEW_ORDERS = 4
DEMO_NEW_MEMBERS = 2


async def cmd_run(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """`publ-sync run [--all-orders]`: one sync, its report; exit 0 / 1, or 2 for settings."""
    from sync.downloader import EarlyBrowser, missing_publ_settings, settings_message

    missing = missing_publ_settings(settings)
    if missing:
        console.print(Text(settings_message(settings, missing), style="red"))
        return 2
    # Start-up time: Chromium starts now, and the rest of the sync is imported (in a thread,
    # so that the browser's start goes on meanwhile) and its database prepared while it
    # does. `run_sync` owns the browser from here: it kills it if it downloads nothing.
    early = EarlyBrowser(settings)
    try:
        await asyncio.to_thread(_import_run_modules)
    except BaseException:
        await early.discard()
        raise
    report = await _run_and_print(settings, console, all_orders=args.all_orders, browser=early)
    return 0 if report is not None and report.succeeded else 1


def _import_run_modules() -> None:
    for name in RUN_MODULES:
        importlib.import_module(name)


async def _run_and_print(settings: Settings, console: Console, *, all_orders: bool = False,
                         browser: EarlyBrowser | None = None) -> RunReport | None:
    from sync import runner
    from sync.cli.terminal import print_report
    from sync.drifts import describe
    from sync.presented import Presenter

    p = Presenter.for_settings(settings)
    lang = p.lang
    try:
        report = await runner.run_sync(settings, trigger="cli", all_orders=all_orders,
                                       browser=browser)
    except AlreadyRunning as busy:
        console.print(Text(p.words("download.cli.already_running", run_id=busy.run_id,
                                   trigger=p.trigger(busy.trigger),
                                   started=p.time(busy.started_at)), style="yellow"))
        return None
    print_report(console, report, p)
    for drift in report.download.drifts if report.download else []:
        console.print(Text("⚠ " + describe(drift, lang), style="yellow"), soft_wrap=True)
    if report.debug_files:
        console.print(Text(t("download.cli.debug_files", lang,
                             paths=", ".join(report.debug_files)), style="dim"), soft_wrap=True)
    return report


async def cmd_reset_session(args: argparse.Namespace, settings: Settings,
                            console: Console) -> int:
    """`publ-sync reset-session`: the saved session goes to trash/; always exit 0."""
    from sync.downloader import session

    storage = Storage(settings.storage_dir).ensure()
    moved = session.set_aside(storage, "reset")
    lang = settings.bot_language
    console.print(t("download.cli.session_reset", lang, path=moved) if moved
                  else t("session.none_to_reset", lang))
    return 0


async def cmd_doctor(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """`publ-sync doctor [--snapshot]`: ✓/✗ per check with what to do; exit 0 only when all
    pass (and, with --snapshot, the pages' snapshot was saved)."""
    from sync.downloader.snapshots import Snapshots  # here: `publ-sync run` need not load it

    lang = settings.bot_language
    console.print(Text(t("download.doctor.title", lang), style="bold"))
    # The CLI is where both halves meet: Slack's checks are the bot's (sync/ imports no Slack).
    # Both are imported here: `run` starts faster without them.
    from bot.slack_channel import doctor_checks
    from sync.cli import doctor

    snapshots = Snapshots(settings) if getattr(args, "snapshot", False) else None
    checks = await doctor.run_checks(settings, doctor_checks, snapshots)
    for check in checks:
        mark, style = {True: ("✓", "green"), False: ("✗", "red"), None: ("–", "dim")}[check.ok]
        console.print(Text(f"{mark} {check.text}", style=style))
        for note in check.notes:
            # soft_wrap: a path broken over two lines cannot be copied
            console.print(Text("    " + t("download.doctor.screenshot", lang, path=note),
                               style="dim"), soft_wrap=True)
    failed = any(check.ok is False for check in checks)
    console.print(t("download.doctor.some_bad" if failed else "download.doctor.all_ok", lang))
    if snapshots is not None:
        failed = not _save_snapshots(settings, snapshots, console) or failed
    return 1 if failed else 0


def _save_snapshots(settings: Settings, snapshots: Snapshots, console: Console) -> bool:
    """Write the masked snapshots and say where they are and what to do with them."""
    lang = settings.bot_language
    try:
        path = snapshots.write(Storage(settings.storage_dir).ensure(), utcnow())
    except OSError as error:
        console.print(Text(t("download.doctor.snapshot_not_saved", lang,
                             reason=error.strerror or type(error).__name__), style="red"))
        return False
    if path is None:
        console.print(Text(t("download.doctor.snapshot_not_saved", lang,
                             reason=t("download.doctor.snapshot_no_pages", lang)),
                           style="red"))
        return False
    console.print(Text(t("download.doctor.snapshot_saved", lang, path=path), style="bold"),
                  soft_wrap=True)
    return True


async def cmd_demo(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """`publ-sync demo`: the real pipeline against the sandbox console, in a temporary folder
    and database — never the configured ones. Two syncs: the first fills the empty
    database, the second picks up what arrived since."""
    lang = settings.bot_language
    from sync import db as sync_db
    from sync.sandbox import Sandbox  # imported here: `run` starts faster without aiohttp

    password = secrets.token_urlsafe(12)
    sandbox = Sandbox(password=password, members=120, orders=650, refunds=24)
    await sandbox.start()
    try:
        with tempfile.TemporaryDirectory(prefix="publ-sync-demo-") as folder:
            demo = _demo_settings(settings, sandbox, Path(folder))
            console.print(Text(t("download.demo.intro", lang, url=sandbox.url, folder=folder),
                               style="bold"))
            console.print(Text(t("download.demo.first", lang), style="bold cyan"))
            first = await _run_and_print(demo, console)
            sandbox.add_orders(DEMO_NEW_ORDERS)
            sandbox.add_members(DEMO_NEW_MEMBERS)
            console.print(Text(t("download.demo.second", lang, orders=DEMO_NEW_ORDERS,
                                 members=DEMO_NEW_MEMBERS), style="bold cyan"))
            second = await _run_and_print(demo, console)
            await sync_db.close_all()  # before the folder holding the database goes
    finally:
        await sandbox.stop()
    ok = all(report is not None and report.succeeded for report in (first, second))
    console.print(t("download.demo.done" if ok else "download.demo.failed", lang))
    return 0 if ok else 1


def _demo_settings(settings: Settings, sandbox: Sandbox, folder: Path) -> Settings:
    """The configured settings (language, browser, timeouts) aimed at the sandbox, with a
    temporary storage folder and SQLite database."""
    # The console layout settings stay at publ's defaults: the sandbox imitates those.
    values = {name: value for name, value in settings.model_dump().items()
              if not name.startswith("publ_")}
    storage_dir = folder / "storage"
    values.update(
        publ_console_url=sandbox.url, publ_email=sandbox.email,
        publ_password=sandbox.password, publ_channel_id=sandbox.channel_id,
        storage_dir=storage_dir, database_url=f"sqlite+aiosqlite:///{storage_dir / 'publ.db'}",
    )
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
