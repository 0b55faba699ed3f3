"""`publ-sync import` and `publ-sync status`: the commands that need no browser.

Exit codes (design.md): 0 success, 1 the run failed, 2 a usage or settings error.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from rich.console import Console
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from sync import faults, runner
from sync.cli.terminal import print_report, print_status
from sync.errors import AlreadyRunning
from sync.filenames import printable
from sync.i18n import t
from sync.models import utcnow
from sync.presented import Presenter
from sync.report import SyncType
from sync.settings import Settings
from sync.status import gather_status
from sync.storage import Storage, type_of_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DATABASE_ERRORS = (SQLAlchemyError, OSError, asyncio.TimeoutError)


class UsageError(Exception):
    """The command line asks for something impossible; the message says what, for the
    operator."""


async def cmd_import(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """Import export files already on disk and print the report."""
    lang = settings.bot_language
    try:
        files = files_to_import(args.files, args.sync_type, Storage(settings.storage_dir), lang)
    except UsageError as error:
        console.print(Text(str(error), style="red"))
        return EXIT_USAGE
    try:
        report = await runner.run_sync(settings, trigger="cli", files=files, types=list(files),
                                       force=getattr(args, "force", False))
    except AlreadyRunning as busy:
        console.print(Text(_busy_text(busy, settings), style="yellow"))
        return EXIT_FAILED
    except DATABASE_ERRORS as error:
        console.print(Text(_database_problem(error, settings), style="red"))
        return EXIT_FAILED
    print_report(console, report, Presenter.for_settings(settings))
    return EXIT_OK if report.succeeded else EXIT_FAILED


def files_to_import(names: list[str], forced_type: str | None, storage: Storage,
                    lang: str) -> dict[SyncType, Path]:
    """The files an import covers, by type: those named (type from the name or `--type`),
    or else the newest of each type waiting in `downloads/`. Raises `UsageError`."""
    if not names:
        waiting = storage.newest_downloads() if storage.downloads.is_dir() else {}
        if forced_type:
            waiting = {k: v for k, v in waiting.items() if k.value == forced_type}
        if not waiting:
            raise UsageError(t("imports.cli.nothing_to_import", lang,
                               folder=printable(str(storage.downloads))))
        return waiting
    files: dict[SyncType, Path] = {}
    for name in names:
        path = Path(name)
        if not path.is_file():
            raise UsageError(t("imports.cli.file_not_found", lang, path=printable(name)))
        sync_type = SyncType(forced_type) if forced_type else type_of_file(path)
        if sync_type is None:
            raise UsageError(t("imports.cli.unknown_type", lang, path=printable(name)))
        if sync_type in files:
            raise UsageError(t("imports.cli.same_type_twice", lang,
                               type=t(f"type.{sync_type.value}", lang),
                               first=printable(str(files[sync_type])),
                               second=printable(name)))
        files[sync_type] = path
    return files


async def cmd_status(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """Print the last run per type, the failure streak, session age and the next run."""
    try:
        view = await gather_status(settings, utcnow())
    except DATABASE_ERRORS as error:
        console.print(Text(_database_problem(error, settings), style="red"))
        return EXIT_FAILED
    print_status(console, view, Presenter.for_settings(settings))
    return EXIT_OK


def _busy_text(busy: AlreadyRunning, settings: Settings) -> str:
    p = Presenter.for_settings(settings)
    return p.words("imports.cli.already_running", trigger=p.trigger(busy.trigger),
                   started=p.time(busy.started_at))


def _database_problem(error: BaseException, settings: Settings) -> str:
    """The fault's own sentence (host and port, a lock, a damaged file, a full disk) when it
    is one; else the generic 'database unreachable' with the driver's first line."""
    fault = faults.recognise(error, settings)
    if fault is not None:
        return fault.message
    return t("imports.cli.database_unreachable", settings.bot_language,
             reason=_short_reason(error))


def _short_reason(error: BaseException) -> str:
    """The driver's own first line, never the statement or its parameters (personal data)."""
    original = getattr(error, "orig", None) or error
    first_line = (str(original).splitlines() or [""])[0][:300]
    return f"{type(original).__name__}: {first_line}" if first_line else type(original).__name__
