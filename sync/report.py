"""What a sync tells its caller: per export type, what changed or what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sync.errors import ErrorKind, SyncError


class SyncType(StrEnum):
    MEMBERS = "members"
    ORDERS = "orders"
    REFUNDS = "refunds"


SYNC_TYPES: tuple[SyncType, ...] = (SyncType.MEMBERS, SyncType.ORDERS, SyncType.REFUNDS)

TRIGGERS = ("slash", "schedule", "button", "cli", "catch_up")


@dataclass
class SkippedRow:
    """A row left out of an import, with the file line it stood on (header = line 1)."""

    line: int
    reason: str
    # Why, as a word a summary can group by without quoting the value (`bad_price`,
    # `bad_date`, …: the `imports.skip.*` key it was said with).
    code: str = ""


@dataclass
class SkipGroup:
    """Skipped lines that share a reason: the reason's code (`bad_price`, …; its words are
    `imports.skip_label.<code>`), the first lines, and how many more there were."""

    code: str
    lines: list[int]
    more: int = 0


def skipped_by_reason(rows: list[SkippedRow], lines_per_reason: int = 10) -> list[SkipGroup]:
    """Skipped lines grouped by reason, in order of first appearance: what a summary shows
    without quoting a single value."""
    groups: dict[str, SkipGroup] = {}
    for row in rows:
        group = groups.setdefault(row.code or "other", SkipGroup(row.code or "other", []))
        if len(group.lines) < lines_per_reason:
            group.lines.append(row.line)
        else:
            group.more += 1
    return list(groups.values())


@dataclass
class TypeResult:
    """The outcome of one export type within a run."""

    sync_type: SyncType
    status: str = "running"  # running / success / failed
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    file_name: str | None = None
    export_time: datetime | None = None  # when the imported export was made (its stamp)
    duration_s: float = 0.0
    error_kind: ErrorKind | None = None
    error_message: str | None = None
    error_detail: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "success"

    @property
    def failure_kind(self) -> ErrorKind:
        """The kind this type failed with (`unexpected` when none was recorded)."""
        return self.error_kind or ErrorKind.UNEXPECTED

    def fail(self, error: SyncError) -> None:
        self.status = "failed"
        self.error_kind = error.kind
        self.error_message = error.message
        self.error_detail = error.detail


@dataclass(frozen=True)
class Drift:
    """A console control found only through a looser fallback locator: publ changed
    something small. Keyed by the control's setting, how it was found and what was found."""

    page: str  # members / orders / refunds / login
    setting: str  # the PUBL_… setting that no longer matches
    how: str  # the fallback that did: name / attributes / alert / near_form / icon_title
    found: str  # what it found, in words a maintainer can look for on the page

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.setting, self.how, self.found)


@dataclass
class DownloadStats:
    """What the browser did: pages loaded, order pages fetched, whether it logged in, and
    which controls were found by their configured locator or only through a fallback."""

    page_loads: int = 0
    order_pages: int = 0
    logged_in: bool = False
    session_set_aside: str | None = None
    duration_s: float = 0.0
    drifts: list[Drift] = field(default_factory=list)
    confirmed: set[str] = field(default_factory=set)  # settings whose locator matched
    # what each tab is doing now (catalog key and fields), for a sync stopped by its limit
    steps: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)

    def note_control(self, setting: str, drift: Drift | None) -> None:
        """Remember how a control was found (once per distinct drift)."""
        if drift is None:
            self.confirmed.add(setting)
        elif drift not in self.drifts:
            self.drifts.append(drift)


@dataclass
class RunReport:
    """One sync: its id, what started it, and a result per type."""

    run_id: str
    trigger: str
    requested_by: str | None
    started_at: datetime
    finished_at: datetime | None = None
    results: dict[SyncType, TypeResult] = field(default_factory=dict)
    download: DownloadStats | None = None
    debug_files: list[str] = field(default_factory=list)
    masked_screenshot: Path | None = None
    # Leftovers of unfinished runs that housekeeping moved from downloads/ to trash/.
    set_aside: list[Path] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return bool(self.results) and all(r.succeeded for r in self.results.values())

    @property
    def refused_only(self) -> bool:
        """Whether every type that did not succeed was an older export refused (`stale_file`):
        a run that neither says the sync is broken nor that it works."""
        failed = [r for r in self.results.values() if r.status == "failed"]
        return bool(failed) and all(r.error_kind is ErrorKind.STALE_FILE for r in failed)

    @property
    def duration_s(self) -> float:
        if self.finished_at is None:
            return 0.0
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def failure_kind(self) -> ErrorKind:
        """The kind of the error that explains a failed run (`unexpected` if none)."""
        cause = self.first_error
        return cause.failure_kind if cause is not None else ErrorKind.UNEXPECTED

    @property
    def first_error(self) -> TypeResult | None:
        """The first failed type, in import order; its error explains the run."""
        for sync_type in SYNC_TYPES:
            result = self.results.get(sync_type)
            if result is not None and result.status == "failed":
                return result
        return None
