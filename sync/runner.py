"""One sync: download the three exports, import them members → orders → refunds, report.

This is the only entry point the CLI, the bot and the scheduler use. It holds the guard for
the whole run, writes the sync log as it goes, keeps a heartbeat, and never lets an error
escape without being recorded on every type it stopped.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import dataclasses
import functools
import gc
import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from sync import (
    drifts,
    faults,
    housekeeping,
    import_history,
    importer,
    redact,
    runlog,
    stored_orders,
)
from sync.clock import Clock, utcnow
from sync.db import Database
from sync.errors import ErrorKind, SyncError
from sync.filenames import printable
from sync.housekeeping import prepare
from sync.i18n import t
from sync.report import SYNC_TYPES, DownloadStats, RunReport, SyncType, TypeResult
from sync.settings import Settings
from sync.storage import Storage

if TYPE_CHECKING:
    from sync.downloader import EarlyBrowser

log = logging.getLogger(__name__)

OnStarted = Callable[[str], Awaitable[None]]


async def run_sync(
    settings: Settings,
    *,
    trigger: str,
    requested_by: str | None = None,
    all_orders: bool = False,
    reset_session: bool = False,
    files: dict[SyncType, Path] | None = None,
    types: Sequence[SyncType] | None = None,
    clock: Clock = utcnow,
    on_started: OnStarted | None = None,
    force: bool = False,
    browser: EarlyBrowser | None = None,
) -> RunReport:
    """Run one sync and return its report.

    With `files`, nothing is downloaded: those files are imported (`publ-sync import`).
    `types` limits an import of files to those types (the others are neither logged nor
    failed); a download run is always all three. An export older than the newest one
    already imported of its type is refused (`stale_file`) unless `force`.
    Raises `AlreadyRunning` (and starts nothing) when another live run holds the guard.

    A download run starts Chromium at once (or takes `browser`, started by the caller even
    earlier), so that the browser starts while the database is prepared; nothing is
    downloaded before the guard is taken, and a browser the run does not use (the guard
    refused, a failure before the download) is killed before this returns or raises.
    """
    _exit_promptly()
    early = browser
    if files is None and early is None:
        # Imported here, not at the top: Playwright takes a while to load, and `publ-sync
        # import` and `status` never need it.
        from sync import downloader

        if not downloader.missing_publ_settings(settings):
            early = downloader.EarlyBrowser(settings)
    try:
        return await _run_sync(settings, trigger=trigger, requested_by=requested_by,
                               all_orders=all_orders, reset_session=reset_session,
                               files=files, types=types, clock=clock, on_started=on_started,
                               force=force, early=early)
    finally:
        if early is not None:
            await early.discard()  # nothing when the download took it


def _exit_promptly() -> None:
    """Exit time: at the end of a process that ran a sync, the interpreter's last garbage
    collection walks every object SQLAlchemy, pydantic and Playwright made — 0.2–0.4 s of
    `publ-sync run` spent after its work is done. Frozen at exit, they are left to the
    operating system; by then everything with an effect outside the process (databases,
    the browser, files) has been closed."""
    global _freeze_at_exit
    if not _freeze_at_exit:
        _freeze_at_exit = True
        atexit.register(gc.freeze)


_freeze_at_exit = False


async def _run_sync(settings: Settings, *, trigger: str, requested_by: str | None,
                    all_orders: bool, reset_session: bool, files: dict[SyncType, Path] | None,
                    types: Sequence[SyncType] | None, clock: Clock,
                    on_started: OnStarted | None, force: bool,
                    early: EarlyBrowser | None) -> RunReport:
    if files is None or types is None:
        types = SYNC_TYPES
    wanted = [sync_type for sync_type in SYNC_TYPES if sync_type in types]
    storage, db = await prepare(settings, clock)
    run_id = str(uuid.uuid4())
    started = clock()
    await runlog.acquire_guard(db, run_id, trigger, requested_by, started,
                               settings.heartbeat_stale_seconds)
    report = RunReport(run_id=run_id, trigger=trigger, requested_by=requested_by,
                       started_at=started,
                       results={sync_type: TypeResult(sync_type) for sync_type in wanted})
    beat = asyncio.create_task(_keep_heartbeat(db, run_id, settings, clock))
    try:
        await runlog.start_run(db, run_id, trigger, requested_by, started, wanted)
        if on_started is not None:
            await on_started(run_id)
        # Holding the guard: no other run is downloading, so what lies there is left over.
        report.set_aside = await _tidy(storage, db, clock(), (files or {}).values())
        if files is None:
            files = await _download(settings, storage, db, report, all_orders, reset_session,
                                    clock, early)
        if files is not None:
            await _import_all(settings, storage, db, report, files, clock, force)
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        report.finished_at = clock()
        await _close_run(db, report, settings.bot_language)
    return report


async def _close_run(db: Database, report: RunReport, lang: str) -> None:
    """Record the unfinished types and free the guard. When these writes fail (a full
    disk, a lock held past the busy timeout) the run still ends in this process, so the
    guard row it leaves blocks nothing; the next run closes its rows as failed. The first
    error of the first write is raised once both were tried."""
    try:
        await _fail_unfinished(db, report, lang)
    except BaseException:
        with contextlib.suppress(Exception):
            await runlog.release_guard(db, report.run_id)
        runlog.run_ended(report.run_id)
        raise
    try:
        await runlog.release_guard(db, report.run_id)
    except Exception:  # the run's rows are closed: a guard row left behind blocks nothing
        log.warning("run %s could not free the guard row", report.run_id, exc_info=True)
    finally:
        runlog.run_ended(report.run_id)


async def _download(settings: Settings, storage: Storage, db: Database, report: RunReport,
                    all_orders: bool, reset_session: bool, clock: Clock,
                    early: EarlyBrowser | None) -> dict[SyncType, Path] | None:
    from sync import downloader  # see run_sync: only a download loads Playwright

    stats = report.download = DownloadStats()
    try:
        fetch_all = all_orders or await stored_orders.orders_table_empty(db)
        downloaded = await downloader.download_exports(
            settings, storage,
            all_orders=fetch_all,
            reset_session=reset_session,
            stored_orders=functools.partial(stored_orders.stored_order_numbers, db),
            stats=stats,
            clock=clock,
            browser=early,
        )
    except SyncError as error:
        await _note_drifts(db, stats, clock())
        report.debug_files = error.debug_files
        if error.masked_screenshot:
            report.masked_screenshot = Path(error.masked_screenshot)
        for result in report.results.values():
            result.fail(error)
        return None
    except Exception as error:  # the sync log must say what stopped the run, whatever it was
        log.exception("download failed unexpectedly")
        unexpected = _unexpected(settings, error)
        for result in report.results.values():
            result.fail(unexpected)
        return None
    await _note_drifts(db, stats, clock())
    return downloaded.files


async def _tidy(storage: Storage, db: Database, when: datetime,
                keep: Iterable[Path]) -> list[Path]:
    """Housekeeping before the run; its failure (say, an unreadable folder) is only logged."""
    try:
        return await housekeeping.tidy_downloads(storage, db, when, keep)
    except Exception as error:
        log.warning("housekeeping of downloads/ failed: %s", type(error).__name__)
        return []


async def _note_drifts(db: Database, stats: DownloadStats, now: datetime) -> None:
    """Store which controls drifted (the bot announces new ones); a failure to store them
    must not fail a sync that worked."""
    try:
        await drifts.observe(db, stats.drifts, stats.confirmed, now)
    except Exception:
        log.warning("could not store the console drifts", exc_info=True)


async def _import_all(settings: Settings, storage: Storage, db: Database, report: RunReport,
                      files: dict[SyncType, Path], clock: Clock, force: bool = False) -> None:
    lang = settings.bot_language
    for sync_type, result in list(report.results.items()):
        path = files.get(sync_type)
        try:
            if path is None or not path.exists():
                name = t(f"type.{sync_type.value}", lang)
                raise SyncError(ErrorKind.FILE_MISSING,
                                t("error.file_missing", lang, type=name),
                                f"no {sync_type.value} file"
                                + (f" at {printable(str(path))}" if path else ""))
            result.file_name = printable(path.name)
            _refuse_link(storage, sync_type, path, lang)
            result.export_time = import_history.export_time(path)
            if not force:
                await _refuse_older(db, sync_type, path, result.export_time, settings)
            report.results[sync_type] = await _import_one(db, settings, result, path,
                                                          report.run_id, clock)
            _archive(storage, path, clock())
        except SyncError as error:
            result.fail(error)
        except Exception as error:  # the log must say what happened, whatever it was
            log.exception("import of %s failed", sync_type.value)
            result.fail(_unexpected(settings, error))


async def _import_one(db: Database, settings: Settings, result: TypeResult, path: Path,
                      run_id: str, clock: Clock) -> TypeResult:
    """Import one export and record its end in the same write transaction, so the data and
    its sync-log row commit together or not at all; returns the type's finished result (the
    one it was given stays as it was when anything fails)."""
    reader = await asyncio.to_thread(importer.open_file, settings, result.sync_type, path,
                                     db.is_sqlite)
    try:
        async with db.write() as conn:
            outcome = await importer.import_rows(conn, reader, clock)
            done = dataclasses.replace(
                result, status="success", new=outcome.new, updated=outcome.updated,
                unchanged=outcome.unchanged, skipped=len(outcome.skipped_rows),
                skipped_rows=outcome.skipped_rows, extra_columns=outcome.extra_columns,
                duration_s=outcome.duration_s)
            await runlog.finish_type(conn, run_id, done, clock())
    except SQLAlchemyError as error:
        raise importer.database_error(error, settings) from error
    finally:
        reader.close()
    return done


def _refuse_link(storage: Storage, sync_type: SyncType, path: Path, lang: str) -> None:
    """A symbolic link in downloads/ is no export of ours: followed, it would be imported
    again and again (archiving moves the link's target, not the link)."""
    if path.is_symlink() and os.path.abspath(path.parent) == os.path.abspath(storage.downloads):
        raise SyncError(ErrorKind.FILE_INVALID,
                        t("error.symlink_refused", lang, type=t(f"type.{sync_type.value}", lang),
                          file=printable(path.name)),
                        f"{printable(path.name)} is a symbolic link in downloads/")


async def _refuse_older(db: Database, sync_type: SyncType, path: Path, made: datetime,
                        settings: Settings) -> None:
    """Refuse an export older than the newest one already imported of its type: applying
    it would put older values (a refund's earlier status) over newer ones."""
    newest = await import_history.newest_applied(db, sync_type)
    if newest is None or made >= newest[0]:
        return
    lang = settings.bot_language
    zone = ZoneInfo(settings.timezone)
    raise SyncError(
        ErrorKind.STALE_FILE,
        t("error.stale_file", lang, type=t(f"type.{sync_type.value}", lang),
          file=printable(path.name), made=made.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
          newest=newest[0].astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
          newest_file=printable(newest[1]), path=printable(str(path))),
        f"{printable(path.name)} made {made.isoformat()} < newest applied "
        f"{newest[0].isoformat()} ({printable(newest[1])})")


def _unexpected(settings: Settings, error: Exception) -> SyncError:
    """An error nobody foresaw, named by its type for the operator; its text, scrubbed of
    secrets, goes to the technical detail. A fault of the machine (a full disk, storage
    that cannot be written) is said as such."""
    fault = faults.recognise(error, settings)
    if fault is not None:
        kind = ErrorKind.DATABASE if isinstance(error, SQLAlchemyError) else ErrorKind.UNEXPECTED
        return SyncError(kind, fault.message,
                         redact.scrub(f"{type(error).__name__}: {error}".splitlines()[0])[:500])
    return SyncError(ErrorKind.UNEXPECTED,
                     t("error.unexpected", settings.bot_language, reason=type(error).__name__),
                     redact.scrub(repr(error))[:500])


def _archive(storage: Storage, path: Path, when: datetime) -> None:
    """Archive an imported export. Its data is already committed, so a failure here (a
    full disk, say) must not turn the import into a failed one: the file stays in
    `downloads/`, and importing it again changes nothing."""
    try:
        storage.archive_file(path, when)
    except OSError:
        log.warning("imported %s but could not archive it", path.name, exc_info=True)


async def _fail_unfinished(db: Database, report: RunReport, lang: str) -> None:
    """Every type still `running` is closed as failed, with the error that stopped the run."""
    cause = report.first_error
    reason = cause.error_message if cause and cause.error_message else "?"
    async with db.write() as conn:
        for result in report.results.values():
            if result.status == "running":
                if cause is None:
                    result.fail(SyncError(ErrorKind.UNEXPECTED,
                                          t("error.unexpected", lang, reason="interrupted"),
                                          "run ended before this type was imported"))
                else:
                    result.fail(SyncError(cause.error_kind or ErrorKind.UNEXPECTED,
                                          t("error.not_imported_after", lang, reason=reason),
                                          cause.error_detail or ""))
            if result.status == "failed":
                await runlog.finish_type(conn, report.run_id, result, report.finished_at
                                         or utcnow())


async def _keep_heartbeat(db: Database, run_id: str, settings: Settings, clock: Clock) -> None:
    while True:
        await asyncio.sleep(settings.heartbeat_seconds)
        try:
            await runlog.heartbeat(db, run_id, clock())
        except Exception:  # a missed beat is not worth failing the sync over
            log.warning("heartbeat for %s failed", run_id, exc_info=True)
