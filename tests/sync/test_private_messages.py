"""Personal data in operator messages (issue 8, items 3a and 3c): a members export without its
header must not put the first member's data into the error, the terminal, the sync log or
Slack; and console text with mrkdwn characters must not turn into formatting in Slack."""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path

import pytest

from sync import runner
from sync.cli import main
from sync.db import close_all
from sync.exports import MEMBERS, ORDERS
from sync.report import SyncType
from tests.exportfiles import csv_bytes, table_rows
from tests.fixtures.slack import SlackStandIn

FIRST_MEMBER = ["M100000", "user000000", "minjun.kim@example.com", "김민준", "KR", "Male",
                "1990", "minjun.personal@example.com", "010-1234-5678", "2024-12-27 15:30:45"]
SECOND_MEMBER = ["M100001", "user000001", "seoyeon@example.com", "이서연", "KR", "Female",
                 "1992", "", "010-9876-5432", "2024-12-28 10:00:00"]
MEMBER_VALUES = ["M100000", "user000000", "minjun", "김민준", "010-1234-5678", "1990",
                 "M100001", "이서연", "seoyeon"]


def headerless_members(folder: Path) -> Path:
    """A members export whose header row is missing: line 1 is the first member."""
    data = csv_bytes(FIRST_MEMBER, [SECOND_MEMBER])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "251218_164857_members.csv"
    path.write_bytes(data)
    return path


def assert_no_member_value(text: str) -> None:
    leaked = [value for value in MEMBER_VALUES if value in text]
    assert not leaked, f"member data {leaked} in: {text[:500]}"


def test_headerless_members_export_names_expected_columns_not_the_first_member(
        tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    path = headerless_members(tmp_path / "exports")

    code = main(["import", str(path)])
    out = capsys.readouterr().out

    assert code == 1
    assert "첫 줄" in out and "Member Code" in out and "Sign-up Date" in out, out
    assert_no_member_value(out)
    async def read_logs():
        try:
            return await table_rows(database_url, "sync_logs")
        finally:
            await close_all()

    logs = asyncio.run(read_logs())
    assert logs and logs[0]["error_kind"] == "file_invalid"
    assert_no_member_value(json.dumps(logs, default=str, ensure_ascii=False))


async def test_real_header_with_a_missing_column_still_lists_the_file_columns(
        make_settings, tmp_path: Path) -> None:
    settings = make_settings()
    header = [name for name in ORDERS.headers if name != "Order Number"]
    path = tmp_path / "251218_164857_orders_latest.csv"
    path.write_bytes(csv_bytes(header, [["1"] * len(header)]))
    report = await runner.run_sync(settings, trigger="cli", files={SyncType.ORDERS: path},
                                   types=[SyncType.ORDERS])
    message = report.results[SyncType.ORDERS].error_message or ""
    assert "Order Number" in message
    assert "Product name, Type, Price" in message  # the file's own (header) cells


async def test_headerless_members_export_reaches_slack_without_member_data(
        start_bot, slack_api: SlackStandIn, tmp_path: Path) -> None:
    path = headerless_members(tmp_path / "exports")

    async def import_the_file(settings, **kwargs):
        kwargs.pop("reset_session", None)
        return await runner.run_sync(settings, files={SyncType.MEMBERS: path},
                                     types=[SyncType.MEMBERS], **kwargs)

    bot = await start_bot(runner=functools.partial(import_the_file))
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update")
    assert "Member Code" in update.text
    assert_no_member_value(slack_api.all_payload_text())
    assert MEMBERS.headers[0] == "Member Code"


CONSOLE_TEXT = "버튼 '*긴급* _공지_ ~취소~ `코드`'을(를) 찾지 못했습니다"
LIVE_FORMATTING = ["*긴급*", "_공지_", "~취소~", "`코드`"]


def assert_no_live_formatting(text: str) -> None:
    live = [mark for mark in LIVE_FORMATTING if mark in text]
    assert not live, f"{live} would format in: {text[:400]}"
    for word in ("긴급", "공지", "취소", "코드"):
        assert word in text  # the words still show, only not as formatting


async def test_console_text_with_mrkdwn_marks_reaches_slack_as_plain_characters(
        start_bot, slack_api: SlackStandIn) -> None:
    from tests.fixtures.slack import StubRunner

    bot = await start_bot(runner=StubRunner(error=("layout_changed", CONSOLE_TEXT)))
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update")
    assert_no_live_formatting(update.body["text"])  # the fallback text
    blocks = json.dumps(update.body["blocks"], ensure_ascii=False)
    assert_no_live_formatting(blocks)


async def test_alert_shows_console_text_without_formatting(make_settings) -> None:
    from datetime import UTC, datetime

    from bot.alerts import Incident, render_alert
    from sync.errors import ErrorKind, SyncError
    from sync.report import RunReport, TypeResult

    now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    report = RunReport(run_id="r1", trigger="schedule", requested_by=None, started_at=now)
    for sync_type in SyncType:
        result = report.results[sync_type] = TypeResult(sync_type)
        result.fail(SyncError(ErrorKind.LAYOUT_CHANGED, CONSOLE_TEXT, ""))
    incident = Incident(id=1, first_failed_at=now, opened_at=now, failure_count=2,
                        channel="C1", message_ts=None, last_reminded_at=None)
    text, blocks = render_alert(make_settings(), incident, report, now)
    assert_no_live_formatting(text)
    assert_no_live_formatting(json.dumps([b.to_dict() for b in blocks], ensure_ascii=False))
