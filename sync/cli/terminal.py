"""The report of a sync and the status overview, as rich tables for the terminal.

Every word comes from the message catalog in the language asked for (Korean by default).
Values from files or the database are passed as plain `Text`, never as markup, so a file
name with brackets prints as it is.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sync.drifts import describe
from sync.filenames import printable
from sync.i18n import duration_text, has, t
from sync.report import SYNC_TYPES, RunReport, TypeResult
from sync.status import StatusView, database_note_key

SKIPPED_LINES_SHOWN = 10


def print_report(console: Console, report: RunReport, lang: str = "ko") -> None:
    """Print what one sync did: a row per type, then errors, unknown columns, skipped lines."""
    title_key = "imports.report.title_ok" if report.succeeded else "imports.report.title_failed"
    console.print(Text(t(title_key, lang), style="bold green" if report.succeeded else "bold red"))
    console.print(_results_table(report, lang))
    for line in report_notes(report, lang):
        console.print(line)
    console.print(Text(t("imports.report.footer", lang, run_id=report.run_id,
                         trigger=trigger_name(report.trigger, lang),
                         seconds=report.duration_s), style="dim"))


def report_notes(report: RunReport, lang: str) -> list[Text]:
    """The lines under the table: each failure, unknown columns, and skipped lines."""
    notes = _error_lines(report, lang)
    if report.set_aside:
        notes.append(Text(t("imports.report.set_aside", lang, count=len(report.set_aside),
                            names=", ".join(printable(path.name) for path in report.set_aside),
                            folder=printable(str(report.set_aside[0].parent))), style="yellow"))
    for result in _ordered(report):
        type_name = t(f"type.{result.sync_type.value}", lang)
        if result.extra_columns:
            notes.append(Text(t("imports.report.extra_columns", lang, type=type_name,
                                columns=", ".join(result.extra_columns)), style="yellow"))
        if result.skipped_rows:
            notes.extend(_skipped_lines(result, type_name, lang))
    return notes


def _error_lines(report: RunReport, lang: str) -> list[Text]:
    """One line per distinct error; types that failed the same way (a login failure stops
    all three) share a line instead of repeating it."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for result in _ordered(report):
        if result.status == "failed":
            kind = t(f"kind.{result.error_kind.value}", lang) if result.error_kind else "?"
            type_name = t(f"type.{result.sync_type.value}", lang)
            grouped.setdefault((kind, result.error_message or ""), []).append(type_name)
    lines = [Text(t("imports.report.error", lang, type="·".join(types), kind=kind,
                    message=message), style="red")
             for (kind, message), types in grouped.items()]
    if report.first_error is not None:
        # The one recommended action, for the failure that explains the run (sync.advice).
        lines.append(Text(t(f"advice.cli.{report.failure_kind.value}", lang), style="bold"))
    return lines


def _results_table(report: RunReport, lang: str) -> Table:
    table = Table(show_edge=False, header_style="bold")
    table.add_column(t("imports.report.col_type", lang))
    table.add_column(t("imports.report.col_result", lang))
    for key in ("new", "updated", "unchanged", "skipped", "seconds"):
        table.add_column(t(f"imports.report.col_{key}", lang), justify="right")
    table.add_column(t("imports.report.col_file", lang), overflow="fold")
    for result in _ordered(report):
        table.add_row(
            t(f"type.{result.sync_type.value}", lang),
            result_text(result.status, lang),
            f"{result.new:,}", f"{result.updated:,}", f"{result.unchanged:,}",
            f"{result.skipped:,}", f"{result.duration_s:.2f}",
            Text(result.file_name or "-"),
        )
    return table


def _skipped_lines(result: TypeResult, type_name: str, lang: str) -> list[Text]:
    lines = [Text(t("imports.report.skipped_header", lang, type=type_name,
                    count=result.skipped), style="yellow")]
    for row in result.skipped_rows[:SKIPPED_LINES_SHOWN]:
        lines.append(Text("  " + t("imports.report.skipped_line", lang, line=row.line,
                                   reason=row.reason)))
    hidden = result.skipped - min(len(result.skipped_rows), SKIPPED_LINES_SHOWN)
    if hidden > 0:
        lines.append(Text("  " + t("imports.report.skipped_more", lang, count=hidden),
                          style="dim"))
    return lines


def _ordered(report: RunReport) -> list[TypeResult]:
    return [report.results[s] for s in SYNC_TYPES if s in report.results]


def result_text(status: str, lang: str) -> Text:
    """`성공` in green, `실패` in red, `진행 중` in yellow."""
    style = {"success": "green", "failed": "red"}.get(status, "yellow")
    key = f"imports.result.{status}"
    # The old importer's rows may carry statuses of their own: shown as they are.
    return Text(t(key, lang) if has(key) else str(status), style=style)


def trigger_name(trigger: str, lang: str) -> str:
    """The trigger in operator words (`명령줄`, `예약 동기화`, …)."""
    key = f"imports.trigger.{trigger}"
    return t(key, lang) if has(key) else trigger


def print_status(console: Console, view: StatusView, lang: str, tz: str) -> None:
    """Print the last run of each type, the failure streak, session age and next run."""
    zone = ZoneInfo(tz)
    console.print(Text(t("imports.status.title", lang), style="bold"))
    table = Table(show_edge=False, header_style="bold")
    table.add_column(t("imports.report.col_type", lang))
    table.add_column(t("imports.status.col_last_run", lang))
    table.add_column(t("imports.report.col_result", lang))
    for key in ("new", "updated", "unchanged", "skipped"):
        table.add_column(t(f"imports.report.col_{key}", lang), justify="right")
    table.add_column(t("imports.status.col_error", lang), overflow="fold")
    for sync_type in SYNC_TYPES:
        log = view.last_logs.get(sync_type.value)
        name = t(f"type.{sync_type.value}", lang)
        if log is None:
            table.add_row(name, t("imports.status.never", lang), "-", "-", "-", "-", "-", "")
            continue
        if log.run_id is None:  # written by the dashboard's old importer: history only
            table.add_row(
                name, t("adopt.status.history_time", lang,
                        time=local_time(log.started_at, zone)),
                result_text(log.status, lang), "-", "-", "-", "-", Text(log.error_message or ""),
            )
            continue
        table.add_row(
            name, local_time(log.started_at, zone), result_text(log.status, lang),
            f"{log.new_count:,}", f"{log.updated_count:,}", f"{log.unchanged_count:,}",
            f"{log.skipped_count:,}", Text(log.error_message or ""),
        )
    console.print(table)
    for line in status_lines(view, lang, zone):
        console.print(line)


def status_lines(view: StatusView, lang: str, zone: ZoneInfo) -> list[Text]:
    """The lines under the status table."""
    lines: list[Text] = []
    if view.database != "current":
        lines.append(Text(t(database_note_key(view.database), lang), style="yellow"))
    for stopped in view.stopped:
        lines.append(Text(t("imports.status.stopped", lang,
                            trigger=trigger_name(stopped.trigger, lang),
                            started=local_time(stopped.started_at, zone)
                            if stopped.started_at else "?"), style="yellow"))
    if view.running is not None:
        trigger, started = view.running
        lines.append(Text(t("imports.status.running_now", lang,
                            trigger=trigger_name(trigger, lang),
                            started=local_time(started, zone)), style="yellow"))
    if view.outbox_waiting:
        lines.append(Text(t("imports.status.outbox_waiting", lang, count=view.outbox_waiting),
                          style="yellow"))
    if view.streak:
        since = local_time(view.streak_since, zone) if view.streak_since else "?"
        lines.append(Text(t("imports.status.streak", lang, count=view.streak, since=since),
                          style="red"))
    else:
        lines.append(Text(t("imports.status.no_streak", lang)))
    for drift in view.drifts:
        lines.append(Text("⚠ " + describe(drift, lang), style="yellow"))
    if view.session_age_s is None:
        lines.append(Text(t("imports.status.no_session", lang)))
    else:
        lines.append(Text(t("imports.status.session", lang,
                            age=duration_text(view.session_age_s, lang))))
    if not view.schedule_valid:
        lines.append(Text(t("imports.status.bad_schedule", lang, schedule=view.schedule),
                          style="red"))
    elif view.next_run is not None:
        lines.append(Text(t("imports.status.next_run", lang,
                            when=local_time(view.next_run, zone), schedule=view.schedule)))
    return lines


def local_time(when: datetime, zone: ZoneInfo) -> str:
    """`2026-11-27 18:00 KST` — a UTC time as the operator's clock shows it."""
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
