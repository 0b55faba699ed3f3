"""Turning what went wrong in the browser into `SyncError`s an operator can act on.

Every technical detail passes through `Secrets.scrub` first, so a password or a cookie
value can never reach a log, a report or the sync log.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field

from sync import redact
from sync.errors import ErrorKind, SyncError
from sync.i18n import t
from sync.settings import Settings

DETAIL_LIMIT = 400
MASK = "***"


@dataclass
class Secrets:
    """Values that must never be written anywhere: the password and session cookies."""

    values: set[str] = field(default_factory=set)

    def add(self, *values: str) -> None:
        # Very short values would blank out ordinary words; cookies and passwords are longer.
        kept = [value for value in values if value and len(value) >= redact.MIN_SECRET_LENGTH]
        self.values.update(kept)
        for value in kept:
            redact.add_secret(value)  # and out of every log record, whoever logs it

    def scrub(self, text: str) -> str:
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return redact.scrub(text)  # and every secret the settings hold


class PermanentDownloadError(SyncError):
    """A download failure that trying again cannot fix (no browser installed)."""

    @property
    def retryable(self) -> bool:
        return False


def disk_full(settings: Settings, error: BaseException | str) -> PermanentDownloadError | None:
    """A full disk while an export is written (the browser's copy, a merge), as a full
    disk with the free space and the folder to clean: never as a cut-off download, and not
    worth a retry. None when `error` is something else."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        detail = f"{type(error).__name__}: {error}"
    elif "enospc" in str(error).lower() or "no space" in str(error).lower() or (
            "file_no_space" in str(error).lower()):
        detail = str(error).strip().splitlines()[0] if str(error).strip() else "ENOSPC"
    else:
        return None
    # Imported here: sync.faults loads SQLAlchemy, which the downloader (started before the
    # rest of `run` for start-up time) otherwise never needs.
    from sync import faults

    return PermanentDownloadError(ErrorKind.DOWNLOAD_FAILED,
                                  faults.disk_full(settings).message, detail[:DETAIL_LIMIT])


def brief(error: BaseException, secrets: Secrets) -> str:
    """The first line of an exception, scrubbed and short (Playwright's call logs are long)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return secrets.scrub(f"{type(error).__name__}: {text}")[:DETAIL_LIMIT]


def page_name(settings: Settings, page: str) -> str:
    return t(f"download.page.{page}", settings.bot_language)


def failure(settings: Settings, kind: ErrorKind, key: str, detail: str, secrets: Secrets,
            **fields: object) -> SyncError:
    """A `SyncError` with the catalog text `key` and a scrubbed technical detail."""
    message = secrets.scrub(t(key, settings.bot_language, **fields))
    return SyncError(kind, message, secrets.scrub(detail)[:DETAIL_LIMIT * 2])
