"""Smaller defects (issue 8, item 8): a symbolic link in `downloads/` is refused, control
bytes in a file name are shown escaped (terminal and `sync_logs.file_name`), the terminal's
"already running" note says when the other run started, and Slack summarises skipped rows
by reason and line number, never by value."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest
from sqlalchemy import insert

from sync import runlog, runner
from sync.cli import main
from sync.db import open_database
from sync.exports import MEMBERS, ORDERS
from sync.models import SyncLock
from sync.report import SyncType
from tests.exportfiles import csv_bytes, operator_folder, read, table_rows
from tests.fixtures.slack import SlackStandIn

MEMBER_ROW = ["M1", "u1", "a@example.com", "김민준", "KR", "", "", "", "", "2024-12-27 15:30:45"]


def order(number: str, price: str = "12,900원", paid: str = "2024-12-27 15:30:45") -> list[str]:
    return ["1", number, "스탠다드 멤버십", "Membership plan", price, "김민준", "a@example.com",
            "M1", "Regular Payment", "KakaoPay", paid]


@pytest.fixture
def workdir(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    operator_folder(tmp_path, database_url, monkeypatch, columns=200)
    (tmp_path / "storage" / "downloads").mkdir(parents=True)
    return tmp_path




def test_a_symlink_in_downloads_is_never_imported(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    outside = workdir / "elsewhere_members.csv"
    outside.write_bytes(csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    link = workdir / "storage" / "downloads" / "251218_164857_members.csv"
    link.symlink_to(outside)

    code = main(["import", str(link)])
    out = capsys.readouterr().out
    assert code == 1
    assert "심볼릭 링크" in out, out
    assert read(table_rows(database_url, "members")) == []

    code = main(["import"])  # without files: the link is neither taken nor followed
    out = capsys.readouterr().out
    assert code == 2, out
    assert read(table_rows(database_url, "members")) == []

    real = workdir / "251219_090000_members.csv"  # the next run's housekeeping moves the link
    real.write_bytes(csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    assert main(["import", str(real)]) == 0
    assert not link.is_symlink() and outside.exists()  # the link went to trash/, as a link
    [moved] = (workdir / "storage" / "trash").iterdir()
    assert moved.is_symlink() and moved.resolve() == outside.resolve()


def test_control_bytes_in_a_file_name_are_shown_escaped(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    name = "251218_164857_members\x1b[2J\x1b]0;owned\x07.csv"
    path = workdir / name
    path.write_bytes(csv_bytes(MEMBERS.headers, [MEMBER_ROW]))

    code = main(["import", str(path)])
    out = capsys.readouterr().out

    assert code == 0, out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J" in out, out
    [log] = read(table_rows(database_url, "sync_logs"))
    assert log["file_name"] == "251218_164857_members\\x1b[2J\\x1b]0;owned\\x07.csv"


def test_run_while_another_sync_runs_says_when_it_started(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("PUBL_EMAIL", "operator@example.com"), ("PUBL_PASSWORD", "pw-123456"),
                        ("PUBL_CHANNEL_ID", "L2NoYW5uZWxzLzE3Njkx")):
        monkeypatch.setenv(name, value)

    async def hold_guard() -> None:
        db = await open_database(database_url)
        started = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # 09:00 in Korea
        # The bot in another live process: this test's parent stands in for it.
        parent = psutil.Process(os.getppid())
        owner = f"{socket.gethostname()}:{parent.pid}:{int(parent.create_time() * 100)}"
        async with db.write() as conn:
            await conn.execute(insert(SyncLock).values(
                name=runlog.LOCK_NAME, run_id="scheduled-run", owner=owner,
                trigger="schedule", started_at=started, heartbeat_at=started))

    read(hold_guard())
    code = main(["run"])
    out = capsys.readouterr().out
    assert code == 1
    assert "2026-11-27 09:00" in out, out
    assert "예약 동기화" in out


@pytest.mark.parametrize(("language", "expected"), [
    ("ko", ["가격 형식 오류: 3, 5줄", "날짜 형식 오류: 4번째 줄"]),
    ("en", ["bad price: lines 3, 5", "bad date: line 4"]),
])
async def test_slack_summarises_skipped_rows_by_reason_without_values(
        start_bot, slack_api: SlackStandIn, tmp_path: Path, language: str,
        expected: list[str]) -> None:
    rows = [order("A-1"), order("A-2", price="abc원"), order("A-3", paid="27/12/2024"),
            order("A-4", price="1.5"), order("A-5")]
    path = tmp_path / "251218_164857_orders_latest.csv"
    path.write_bytes(csv_bytes(ORDERS.headers, rows))

    async def import_the_file(settings, **kwargs):
        kwargs.pop("reset_session", None)
        return await runner.run_sync(settings, files={SyncType.ORDERS: path},
                                     types=[SyncType.ORDERS], **kwargs)

    bot = await start_bot(runner=import_the_file, bot_language=language)
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update")
    blocks = json.dumps(update.body["blocks"], ensure_ascii=False)
    for line in expected:
        assert line in blocks, blocks
    for value in ("abc", "27/12/2024", "1.5"):
        assert value not in slack_api.all_payload_text()
