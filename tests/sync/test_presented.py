"""The same run and the same status read alike in the terminal and in Slack: the times (in
`TIMEZONE`, whatever it is), the durations and the trigger words are one set of values
(`sync.presented`), laid out twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from bot.render import run_message
from bot.render.status_message import status_message
from sync.cli.terminal import print_report, print_status
from sync.errors import ErrorKind, SyncError
from sync.i18n import Words
from sync.models import SyncLog
from sync.presented import Presenter
from sync.report import SYNC_TYPES, TRIGGERS, RunReport, TypeResult
from sync.runlog import StoppedRun
from sync.status import StatusView

STARTED = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d [A-Z+\-0-9]+")
DURATION = re.compile(r"\d+\.\d(?:초| s)|\d+분 \d+초|\d+ min \d+ s")
ZONES = ["Asia/Seoul", "America/New_York", "Europe/Berlin"]


def _report(trigger: str, *, failed: bool, seconds: float) -> RunReport:
    report = RunReport(run_id="r1", trigger=trigger, requested_by="U0OPERATOR",
                       started_at=STARTED, finished_at=STARTED + timedelta(seconds=seconds))
    for n, sync_type in enumerate(SYNC_TYPES):
        report.results[sync_type] = TypeResult(sync_type, status="success", new=1234 * n,
                                               updated=5, unchanged=70000, skipped=n)
    if failed:
        report.results[SYNC_TYPES[1]].fail(SyncError(ErrorKind.LOGIN_FAILED, "로그인 실패"))
    return report


def _terminal(draw) -> str:
    console = Console(record=True, width=240)
    draw(console)
    return console.export_text()


def _slack(blocks) -> str:
    return "\n".join(str(block.to_dict()) for block in blocks)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("trigger", "failed", "seconds"),
                         [("cli", False, 2.24), ("schedule", True, 75.0),
                          ("slash", False, 0.04), ("catch_up", True, 11.7)])
def test_a_run_reads_the_same_in_the_terminal_and_in_slack(
        zone: str, lang: str, trigger: str, failed: bool, seconds: float) -> None:
    p = Presenter(Words(lang), zone)
    report = _report(trigger, failed=failed, seconds=seconds)
    terminal = _terminal(lambda console: print_report(console, report, p))
    text, blocks = run_message.finished(p, report)
    slack = _slack(blocks)
    shown = p.run(report)
    assert shown.trigger in terminal and shown.trigger in slack
    assert shown.started in slack and TIME.findall(slack) == [shown.started]
    # The terminal shows no start time; what both show is the same duration and trigger.
    assert DURATION.findall(terminal) == DURATION.findall(slack) == [shown.duration]
    if zone != "Asia/Seoul":
        assert "KST" not in slack


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_status_reads_the_same_in_the_terminal_and_in_slack(zone: str, lang: str) -> None:
    logs = {sync_type.value: SyncLog(run_id="r1", sync_type=sync_type.value, status="success",
                                     started_at=STARTED + timedelta(minutes=n),
                                     finished_at=STARTED + timedelta(minutes=n, seconds=3),
                                     new_count=1234, updated_count=0, unchanged_count=5,
                                     skipped_count=0)
            for n, sync_type in enumerate(SYNC_TYPES)}
    view = StatusView(last_logs=logs, streak=2, streak_since=STARTED - timedelta(days=1),
                      session_age_s=3 * 3600 + 120, next_run=STARTED + timedelta(hours=23),
                      schedule="0 9 * * *", schedule_valid=True,
                      running=("button", STARTED + timedelta(minutes=9)),
                      running_by="U0OPERATOR",
                      stopped=[StoppedRun("r0", None, "schedule", STARTED - timedelta(hours=2)),
                               StoppedRun("r9", None, "slash", STARTED - timedelta(hours=3))])
    p = Presenter(Words(lang), zone)
    terminal = _terminal(lambda console: print_status(console, view, p))
    slack, _blocks = status_message(p, view)
    shown = p.status(view)
    expected = sorted([row.time for row in shown.logs] + [shown.streak_since, shown.next_run]
                      + [started for _, started in shown.stopped] + [shown.running[1]])
    assert sorted(TIME.findall(terminal)) == sorted(TIME.findall(slack)) == expected
    assert shown.session_age is not None
    assert shown.session_age in terminal and shown.session_age in slack
    for word in [shown.running[0], *(trigger for trigger, _ in shown.stopped)]:
        assert word in terminal and word in slack
    for trigger, started in shown.stopped:  # the whole line, not only its words
        said = p.words("imports.status.stopped", trigger=trigger, started=started)
        assert said in terminal and said in slack


def test_every_trigger_has_its_word() -> None:
    for lang in ("ko", "en"):
        p = Presenter(Words(lang))
        words = [p.trigger(trigger) for trigger in TRIGGERS]
        assert len(set(words)) == len(TRIGGERS) and all(w not in TRIGGERS[1:] for w in words)
