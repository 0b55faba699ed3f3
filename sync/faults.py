"""Faults of the machine said as one sentence an operator can act on, instead of a traceback.

The database out of reach (host and port, never the password), SQLite locked past its busy
timeout, a damaged SQLite file, storage that cannot be written (which path), a full disk
(free space and the folder to clean), and a `DATABASE_URL` that is not a URL (a settings
error: exit 2). `recognise` returns None for anything else, which then stays unexpected.
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sync.i18n import t
from sync.settings import Settings

EXIT_FAILED, EXIT_SETTINGS = 1, 2
READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)


@dataclass(frozen=True)
class Fault:
    """What went wrong, for the operator, and the exit code the CLI ends with."""

    message: str
    exit_code: int = EXIT_FAILED
    disk_full: bool = False


def recognise(error: BaseException, settings: Settings) -> Fault | None:
    """The sentence for `error` (or the first error it was caused by), if it is a fault
    of the machine or the database this module knows."""
    for cause in _chain(error):
        fault = _one(cause, settings)
        if fault is not None:
            return fault
    return None


def disk_full(settings: Settings, where: Path | None = None) -> Fault:
    """The disk holding the storage folder is full: how much is free, and what to clean."""
    lang = settings.bot_language
    folder = settings.storage_dir
    probe = where if where is not None and where.exists() else folder
    try:
        free = _size(shutil.disk_usage(probe if probe.exists() else Path.cwd()).free, lang)
    except OSError:
        free = "?"
    return Fault(t("fault.disk_full", lang, folder=folder, free=free), disk_full=True)


def _chain(error: BaseException) -> list[BaseException]:
    """`error`, the driver error it wraps (`orig`), and its causes, each once."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        item = todo.pop(0)
        if item is None or any(item is known for known in seen):
            continue
        seen.append(item)
        todo.extend([getattr(item, "orig", None), item.__cause__, item.__context__])
        if isinstance(item, BaseExceptionGroup):
            todo.extend(item.exceptions)
    return seen


def _one(error: BaseException, settings: Settings) -> Fault | None:
    lang = settings.bot_language
    text = str(error).lower()
    if isinstance(error, ArgumentError) or (isinstance(error, ValueError)
                                            and "database url" in text):
        return Fault(t("fault.database_url", lang), EXIT_SETTINGS)
    if "database or disk is full" in text or (isinstance(error, OSError)
                                              and error.errno == errno.ENOSPC):
        return disk_full(settings)
    if "database is locked" in text or "database table is locked" in text:
        seconds = f"{settings.sqlite_busy_timeout_ms / 1000:g}"
        return Fault(t("fault.database_locked", lang, path=_sqlite_path(settings) or "?",
                       seconds=seconds))
    if "file is not a database" in text or "database disk image is malformed" in text:
        return Fault(t("fault.database_damaged", lang, path=_sqlite_path(settings) or "?"))
    if "readonly database" in text or "unable to open database file" in text:
        path = _sqlite_path(settings)
        return Fault(t("fault.read_only", lang,
                       path=path.parent if path is not None else settings.storage_dir))
    if isinstance(error, OSError) and error.errno in READ_ONLY_ERRNOS and error.filename:
        return Fault(t("fault.read_only", lang, path=error.filename))
    if isinstance(error, (ConnectionError, TimeoutError)) or (
            isinstance(error, OSError) and error.errno in (errno.ECONNREFUSED,
                                                           errno.EHOSTUNREACH,
                                                           errno.ENETUNREACH)):
        return _unreachable(settings)
    if type(error).__name__ == "gaierror":
        return _unreachable(settings)
    return None


def _unreachable(settings: Settings) -> Fault | None:
    """The database server does not answer: say where it was looked for, without the
    user name or password."""
    try:
        url = make_url(settings.effective_database_url)
    except ArgumentError:
        return None
    if url.get_backend_name() == "sqlite":
        return None
    where = f"{url.host or 'localhost'}:{url.port or _default_port(url.get_backend_name())}"
    return Fault(t("fault.database_unreachable", settings.bot_language, where=where))


def _default_port(backend: str) -> int | str:
    return {"postgresql": 5432, "mysql": 3306}.get(backend, "?")


def _sqlite_path(settings: Settings) -> Path | None:
    try:
        url = make_url(settings.effective_database_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _size(free_bytes: int, lang: str) -> str:
    """Free space as people read it: `512 KB`, `37 MB`, `4.2 GB`."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20)):
        if free_bytes >= size:
            value = free_bytes / size
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{free_bytes // 1024} KB"
