"""Errors a sync can end with, each with a kind an operator can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ErrorKind(StrEnum):
    LOGIN_FAILED = "login_failed"
    LAYOUT_CHANGED = "layout_changed"
    DOWNLOAD_FAILED = "download_failed"
    FILE_MISSING = "file_missing"
    FILE_INVALID = "file_invalid"
    # An export older than one already imported of its type, not applied (`--force` does):
    # a refusal, not a breakdown, so it never counts toward the failure streak.
    STALE_FILE = "stale_file"
    DATABASE = "database"
    UNEXPECTED = "unexpected"


class SyncError(Exception):
    """A failure with an operator-facing `message` (in `BOT_LANGUAGE`) and a technical `detail`.

    Neither may contain a password, token or cookie value.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        detail: str = "",
        *,
        debug_files: list[str] | None = None,
        masked_screenshot: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail
        self.debug_files = debug_files or []
        self.masked_screenshot = masked_screenshot

    @property
    def retryable(self) -> bool:
        """Transient failures are retried; a wrong password or a changed page is not."""
        return self.kind is ErrorKind.DOWNLOAD_FAILED


class SettingsError(Exception):
    """A setting is missing or wrong; the CLI exits 2."""


@dataclass(frozen=True)
class RunGoing:
    """A run going now, as `status` and a refusal show it: which, what started it, when."""

    run_id: str
    trigger: str
    requested_by: str | None
    started_at: datetime


class AlreadyRunning(Exception):
    """Raised when another sync holds the guard; `going` says who started it and when."""

    def __init__(self, run_id: str, trigger: str, requested_by: str | None,
                 started_at: datetime):
        super().__init__(f"sync {run_id} is already running")
        self.going = RunGoing(run_id, trigger, requested_by, started_at)
        self.run_id = run_id
        self.trigger = trigger
        self.requested_by = requested_by
        self.started_at = started_at
