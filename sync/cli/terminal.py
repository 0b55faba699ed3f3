"""The report of a sync and the status overview, as rich tables for the terminal.

The values shown (times in `TIMEZONE`, durations, trigger words, counts, result words) come
from `sync.presented`, the same ones Slack shows; this module only lays them out. Values
from files or the database are passed as plain `Text`, never as markup, so a file name with
brackets prints as it is.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sync.drifts import describe
from sync.filenames import printable
from sync.presented import Presenter, RunShown, TypeShown
from sync.report import RunReport
from sync.status import StatusView, database_note_key

SKIPPED_LINES_SHOWN = 10


def print_report(console: Console, report: RunReport, p: Presenter) -> None:
    """Print what one sync did: a row per type, then errors, unknown columns, skipped lines."""
    run = p.run(report)
    console.print(Text(run.title, style="bold green" if report.succeeded else "bold red"))
    console.print(_results_table(run, p))
    for line in report_notes(report, p):
        console.print(line)
    console.print(Text(p.words("imports.report.footer", run_id=report.run_id,
                               trigger=run.trigger, duration=run.duration), style="dim"))


def report_notes(report: RunReport, p: Presenter) -> list[Text]:
    """The lines under the table: each failure, unknown columns, and skipped lines."""
    run = p.run(report)
    notes = _error_lines(run, p)
    if report.set_aside:
        notes.append(Text(p.words("imports.report.set_aside", count=len(report.set_aside),
                                  names=", ".join(printable(path.name)
                                                  for path in report.set_aside),
                                  folder=printable(str(report.set_aside[0].parent))),
                          style="yellow"))
    for shown in run.types:
        if shown.result.extra_columns:
            notes.append(Text(p.words("imports.report.extra_columns", type=shown.name,
                                      columns=", ".join(shown.result.extra_columns)),
                              style="yellow"))
        if shown.result.skipped_rows:
            notes.extend(_skipped_lines(shown, p))
    return notes


def _error_lines(run: RunShown, p: Presenter) -> list[Text]:
    """One line per distinct error; types that failed the same way (a login failure stops
    all three) share a line instead of repeating it."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for shown in run.types:
        if shown.status == "failed":
            kind = shown.kind if shown.result.error_kind else "?"
            grouped.setdefault((kind or "?", shown.result.error_message or ""),
                               []).append(shown.name)
    lines = [Text(p.words("imports.report.error", type="·".join(types), kind=kind,
                          message=message), style="red")
             for (kind, message), types in grouped.items()]
    if run.report.first_error is not None:
        # The one recommended action, for the failure that explains the run (sync.advice).
        lines.append(Text(p.words(f"advice.cli.{run.report.failure_kind.value}"),
                          style="bold"))
    return lines


def _results_table(run: RunShown, p: Presenter) -> Table:
    table = Table(show_edge=False, header_style="bold")
    table.add_column(p.words("imports.report.col_type"))
    table.add_column(p.words("imports.report.col_result"))
    for key in ("new", "updated", "unchanged", "skipped", "seconds"):
        table.add_column(p.words(f"imports.report.col_{key}"), justify="right")
    table.add_column(p.words("imports.report.col_file"), overflow="fold")
    for shown in run.types:
        counts = shown.counts
        table.add_row(
            shown.name, _result_cell(shown.status, shown.result_word),
            counts.new, counts.updated, counts.unchanged, counts.skipped,
            f"{shown.result.duration_s:.2f}", Text(shown.result.file_name or "-"),
        )
    return table


def _skipped_lines(shown: TypeShown, p: Presenter) -> list[Text]:
    result = shown.result
    lines = [Text(p.words("imports.report.skipped_header", type=shown.name,
                          count=result.skipped), style="yellow")]
    for row in result.skipped_rows[:SKIPPED_LINES_SHOWN]:
        lines.append(Text("  " + p.words("imports.report.skipped_line", line=row.line,
                                         reason=row.reason)))
    hidden = result.skipped - min(len(result.skipped_rows), SKIPPED_LINES_SHOWN)
    if hidden > 0:
        lines.append(Text("  " + p.words("imports.report.skipped_more", count=hidden),
                          style="dim"))
    return lines


def _result_cell(status: str, word: str) -> Text:
    """`성공` in green, `실패` in red, `진행 중` in yellow."""
    return Text(word, style={"success": "green", "failed": "red"}.get(status, "yellow"))


def print_status(console: Console, view: StatusView, p: Presenter) -> None:
    """Print the last run of each type, the failure streak, session age and next run."""
    shown = p.status(view)
    console.print(Text(p.words("imports.status.title"), style="bold"))
    table = Table(show_edge=False, header_style="bold")
    table.add_column(p.words("imports.report.col_type"))
    table.add_column(p.words("imports.status.col_last_run"))
    table.add_column(p.words("imports.report.col_result"))
    for key in ("new", "updated", "unchanged", "skipped"):
        table.add_column(p.words(f"imports.report.col_{key}"), justify="right")
    table.add_column(p.words("imports.status.col_error"), overflow="fold")
    for row in shown.logs:
        if row.log is None:
            table.add_row(row.name, p.words("imports.status.never"), "-", "-", "-", "-", "-",
                          "")
            continue
        result = _result_cell(str(row.log.status), row.result_word)
        error = Text(row.log.error_message or "")
        if row.counts is None:  # written by the dashboard's old importer: history only
            table.add_row(row.name, p.words("adopt.status.history_time", time=row.time),
                          result, "-", "-", "-", "-", error)
            continue
        table.add_row(row.name, row.time, result, row.counts.new, row.counts.updated,
                      row.counts.unchanged, row.counts.skipped, error)
    console.print(table)
    for line in status_lines(view, p):
        console.print(line)


def status_lines(view: StatusView, p: Presenter) -> list[Text]:
    """The lines under the status table."""
    shown = p.status(view)
    lines: list[Text] = []
    if view.database != "current":
        lines.append(Text(p.words(database_note_key(view.database)), style="yellow"))
    for trigger, started in shown.stopped:
        lines.append(Text(p.words("imports.status.stopped", trigger=trigger, started=started),
                          style="yellow"))
    if shown.running is not None:
        trigger, started = shown.running
        lines.append(Text(p.words("imports.status.running_now", trigger=trigger,
                                  started=started), style="yellow"))
    if view.outbox_waiting:
        lines.append(Text(p.words("imports.status.outbox_waiting", count=view.outbox_waiting),
                          style="yellow"))
    if view.streak:
        lines.append(Text(p.words("status.streak", count=view.streak,
                                  since=shown.streak_since), style="red"))
    else:
        lines.append(Text(p.words("status.no_streak")))
    for drift in view.drifts:
        lines.append(Text("⚠ " + describe(drift, p.lang), style="yellow"))
    if shown.session_age is None:
        lines.append(Text(p.words("imports.status.no_session")))
    else:
        lines.append(Text(p.words("imports.status.session", age=shown.session_age)))
    if not view.schedule_valid:
        lines.append(Text(p.words("imports.status.bad_schedule", schedule=view.schedule),
                          style="red"))
    elif shown.next_run is not None:
        lines.append(Text(p.words("imports.status.next_run", when=shown.next_run,
                                  schedule=view.schedule)))
    return lines
