"""What a run and a status look like when shown: times in `TIMEZONE`, durations, trigger
words, per-type counts and result words, built here once for both fronts. The terminal
(`sync/cli/terminal.py`, rich) and Slack (`bot/render/`, Block Kit) only lay these values
out, so the same `RunReport` reads the same in both.

A `Presenter` is made once from the settings when the CLI or the bot starts: it carries the
language (`Words`) and the time zone, so neither is passed along with every value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sync.errors import ErrorKind
from sync.i18n import Words
from sync.models import SyncLog
from sync.report import SYNC_TYPES, TRIGGERS, RunReport, TypeResult
from sync.settings import Settings
from sync.status import StatusView

TIME_FORMAT = "%Y-%m-%d %H:%M %Z"


def local_time(when: datetime, zone: ZoneInfo) -> str:
    """`2026-11-27 18:00 KST` — a time as the operator's clock shows it (naive = UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(zone).strftime(TIME_FORMAT)


@dataclass(frozen=True)
class Counts:
    """A type's row counts, as shown: `1,234`."""

    new: str
    updated: str
    unchanged: str
    skipped: str

    @classmethod
    def of(cls, new: int | None, updated: int | None, unchanged: int | None,
           skipped: int | None) -> Counts:
        return cls(*(f"{value or 0:,}" for value in (new, updated, unchanged, skipped)))


@dataclass(frozen=True)
class TypeShown:
    """One export type of a run."""

    result: TypeResult
    name: str  # 회원 / Members
    status: str  # success / failed / running
    result_word: str  # 성공 / Failed / …
    counts: Counts
    duration: str  # what this type took, precise (`0.4초`)
    kind: str | None  # the error kind's words, for a failed type


@dataclass(frozen=True)
class RunShown:
    """One run: its title, what started it, when, how long, and each type."""

    report: RunReport
    title: str
    trigger: str  # the trigger's word (`명령줄`, `/publ-sync`, …)
    started: str
    finished: str
    duration: str  # the whole run, precise (`2.2초`, `1분 15초`)
    types: list[TypeShown]


@dataclass(frozen=True)
class LogShown:
    """A type's last run in the status overview (`log` None: never synced)."""

    sync_type: str
    name: str
    log: SyncLog | None
    time: str = ""
    result_word: str = ""
    counts: Counts | None = None
    kind: str = ""

    @property
    def history_only(self) -> bool:
        """Written by the dashboard's old importer: a time and a status, nothing more."""
        return self.log is not None and self.log.run_id is None


@dataclass(frozen=True)
class StatusShown:
    """The status overview's values; `view` keeps the rest (drifts, notes, schedule)."""

    view: StatusView
    logs: list[LogShown]
    stopped: list[tuple[str, str]] = field(default_factory=list)  # trigger word, started
    running: tuple[str, str] | None = None  # trigger word, started
    streak_since: str = "?"
    session_age: str | None = None
    next_run: str | None = None


@dataclass(frozen=True)
class Presenter:
    """The language and the time zone, bound once; builds every shown value."""

    words: Words
    timezone: str = "Asia/Seoul"

    @classmethod
    def for_settings(cls, settings: Settings) -> Presenter:
        return cls(Words(settings.bot_language), settings.timezone)

    @cached_property
    def zone(self) -> ZoneInfo:
        """`TIMEZONE`, looked up when a time is first shown (a wrong name fails there)."""
        return ZoneInfo(self.timezone)

    @property
    def lang(self) -> str:
        return self.words.lang

    def time(self, when: datetime | None, missing: str = "-") -> str:
        return local_time(when, self.zone) if when is not None else missing

    def duration(self, seconds: float, *, precise: bool = False) -> str:
        """A span (`5시간 12분`, `1분 미만`) or, `precise`, what a run took (`2.2초`)."""
        return self.words.duration(seconds, precise=precise)

    def trigger(self, trigger: str) -> str:
        """The trigger in operator words; one written by a newer version as it is."""
        return self.words(f"trigger.{trigger}") if trigger in TRIGGERS else trigger

    def result(self, status: str) -> str:
        """`성공` / `실패` / `진행 중`; the old importer's own statuses as they are."""
        key = f"imports.result.{status}"
        return self.words(key) if self.words.has(key) else str(status)

    def type_name(self, sync_type: str) -> str:
        return self.words(f"type.{sync_type}")

    def kind(self, kind: ErrorKind | str | None) -> str:
        value = kind.value if isinstance(kind, ErrorKind) else (kind or "unexpected")
        return self.words(f"kind.{value}")

    def run(self, report: RunReport) -> RunShown:
        types = [self._type(report.results[s]) for s in SYNC_TYPES if s in report.results]
        return RunShown(
            report=report,
            title=self.words("run.title_ok" if report.succeeded else "run.title_failed"),
            trigger=self.trigger(report.trigger),
            started=self.time(report.started_at),
            finished=self.time(report.finished_at),
            duration=self.duration(report.duration_s, precise=True),
            types=types,
        )

    def _type(self, result: TypeResult) -> TypeShown:
        return TypeShown(
            result=result, name=self.type_name(result.sync_type.value), status=result.status,
            result_word=self.result(result.status),
            counts=Counts.of(result.new, result.updated, result.unchanged, result.skipped),
            duration=self.duration(result.duration_s, precise=True),
            kind=self.kind(result.failure_kind) if result.status == "failed" else None,
        )

    def status(self, view: StatusView) -> StatusShown:
        logs = [self._log(s.value, view.last_logs.get(s.value)) for s in SYNC_TYPES]
        running = None
        if view.running is not None:
            trigger, started = view.running
            running = (self.trigger(trigger), self.time(started))
        return StatusShown(
            view=view, logs=logs,
            stopped=[(self.trigger(s.trigger), self.time(s.started_at, "?"))
                     for s in view.stopped],
            running=running,
            streak_since=self.time(view.streak_since, "?"),
            session_age=(None if view.session_age_s is None
                         else self.duration(view.session_age_s)),
            next_run=self.time(view.next_run) if view.next_run is not None else None,
        )

    def _log(self, sync_type: str, log: SyncLog | None) -> LogShown:
        name = self.type_name(sync_type)
        if log is None:
            return LogShown(sync_type, name, None)
        counts = None if log.run_id is None else Counts.of(
            log.new_count, log.updated_count, log.unchanged_count, log.skipped_count)
        return LogShown(sync_type, name, log, time=self.time(log.started_at),
                        result_word=self.result(log.status), counts=counts,
                        kind=self.kind(log.error_kind) if log.status == "failed" else "")
