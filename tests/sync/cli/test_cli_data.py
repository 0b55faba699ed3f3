"""`publ-sync import` and `publ-sync status` as an operator runs them: exit codes and what
they print (Korean by default), against a real SQLite file and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from sync import runlog
from sync.cli import main
from sync.db import close_all, open_database
from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.models import SyncLock
from tests.exportfiles import STAMP, csv_bytes, operator_folder
from tests.paths import ROOT

MEMBER_ROW = ["M1", "u1", "a@example.com", "김민준", "KR", "", "", "", "", "2024-12-27 15:30:45"]
ORDER_ROW = ["1", "A-1", "스탠다드 멤버십", "Membership plan", "12,900원", "김민준",
             "a@example.com", "M1", "Regular Payment", "KakaoPay", "2024-12-27 15:30:45"]
REFUND_ROW = ["A-1", "Requested", "12,900원", "u1", "M1", "2024-12-27"]


@pytest.fixture
def workdir(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """For what the database decides: each test runs on SQLite and on PostgreSQL."""
    return operator_folder(tmp_path, database_url, monkeypatch)


@pytest.fixture
def sqlite_workdir(tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """For what the database does not decide (arguments, settings, language)."""
    return operator_folder(tmp_path, sqlite_url, monkeypatch)


def downloads(workdir: Path) -> Path:
    folder = workdir / "storage" / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_import_named_files_imports_only_those_types(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = put(workdir, "회원목록_members.csv", csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    orders = put(workdir, "orders_export.csv", csv_bytes(ORDERS.headers, [ORDER_ROW]))

    code, out = run_cli(capsys, "import", str(members), str(orders))

    assert code == 0, out
    assert "✅ publ 동기화 완료" in out
    assert "회원" in out and "주문" in out
    assert "환불" not in out  # not asked for, so neither imported nor failed

    code, out = run_cli(capsys, "import", str(orders))
    assert code == 0
    assert "그대로" in out


def test_import_without_files_takes_the_newest_of_each_type_in_downloads(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = downloads(workdir)
    older = put(folder, "251217_090000_refunds.csv", csv_bytes(REFUNDS.headers, []))
    newer = put(folder, f"{STAMP}_refunds.csv", csv_bytes(REFUNDS.headers, [REFUND_ROW]))

    code, out = run_cli(capsys, "import")

    assert code == 0, out
    assert not newer.exists() and not older.exists()
    assert newer.name in out
    # The older one was left over by a run that did not import it: set aside, not deleted.
    trash = workdir / "storage" / "trash"
    assert [path.name.endswith(older.name) for path in trash.iterdir()] == [True]


def test_import_of_a_broken_file_exits_1_and_says_what_is_wrong(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = [name for name in ORDERS.headers if name != "Order Number"]
    path = put(downloads(workdir), f"{STAMP}_orders_latest.csv", csv_bytes(header, []))

    code, out = run_cli(capsys, "import", str(path))

    assert code == 1
    assert "❌ publ 동기화 실패" in out
    assert "파일 형식 오류" in out and "Order Number" in out
    assert path.exists()


@pytest.mark.parametrize(("argv", "expected"), [
    (["import", "nope_members.csv"], "파일이 없습니다: nope_members.csv"),
    (["import", "export.csv"], "--type members"),
    (["import", "a_members.csv", "b_members.csv"], "회원 파일이 두 개입니다"),
    (["import"], "가져올 파일이 없습니다"),
    # argparse's own error, in Korean, on stderr
    (["import", "--type", "payments"],
     "publ-sync import: 오류: 인자 --type: 'payments'은(는) 고를 수 없습니다"),
])
def test_import_usage_errors_exit_2_with_a_clear_message(
        sqlite_workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        expected: str) -> None:
    for name in ("export.csv", "a_members.csv", "b_members.csv"):
        put(sqlite_workdir, name, csv_bytes(MEMBERS.headers, [MEMBER_ROW]))

    code = main(list(argv))
    said = capsys.readouterr()

    assert code == 2
    assert expected in said.out + said.err
    assert "Traceback" not in said.out + said.err
    if argv[1:] == ["--type", "payments"]:
        assert said.err.startswith("사용법: publ-sync import")


def test_type_option_names_the_type_of_an_oddly_named_file(
        sqlite_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = put(sqlite_workdir, "export.csv", csv_bytes(REFUNDS.headers, [REFUND_ROW]))
    code, out = run_cli(capsys, "import", str(path), "--type", "refunds")
    assert code == 0, out
    assert "환불" in out


def test_english_output_when_the_bot_language_is_english(
        sqlite_workdir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LANGUAGE", "en")
    path = put(sqlite_workdir, "x_members.csv", csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    code, out = run_cli(capsys, "import", str(path))
    assert code == 0
    assert "publ sync finished" in out and "Members" in out and "New" in out


def test_status_shows_last_runs_streak_session_and_next_run(
        workdir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_SCHEDULE", "0 9 * * 1")  # Mondays (cron counts Sunday as 0)
    code, out = run_cli(capsys, "status")
    assert code == 0
    assert "기록 없음" in out and "연속 실패: 없음" in out
    assert "저장된 로그인 세션: 없음" in out

    members = put(workdir, "a_members.csv", csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    empty_orders = put(workdir, "b_orders.csv", b"")
    refunds = put(workdir, "c_refunds.csv", csv_bytes(REFUNDS.headers, [REFUND_ROW]))
    assert run_cli(capsys, "import", str(members), str(empty_orders), str(refunds))[0] == 1
    session = workdir / "storage" / "sessions" / ".session.json"
    session.write_text("{}")
    two_hours_ago = datetime.now(UTC).timestamp() - 2 * 3600 - 60
    os.utime(session, (two_hours_ago, two_hours_ago))

    code, out = run_cli(capsys, "status")

    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "성공" in lines["회원"] and "KST" in lines["회원"]
    assert "실패" in lines["주문"] and "비어 있습니다" in lines["주문"]
    assert "성공" in lines["환불"]
    assert "연속 실패: 1회" in out
    assert "2시간 1분 전에 저장됨" in out
    next_line = next(line for line in out.splitlines() if line.startswith("다음 예약 동기화"))
    when = datetime.strptime(next_line.split(": ")[1][:16], "%Y-%m-%d %H:%M")
    assert when.weekday() == 0 and when.hour == 9  # a Monday, 09:00 Korea time


def test_import_with_an_unknown_time_zone_is_refused_before_it_imports(
        sqlite_workdir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The report shows times: a TIMEZONE that names no zone must stop the command before
    it changes anything, not end a finished import in a traceback."""
    members = put(sqlite_workdir, "members.csv", csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    monkeypatch.setenv("TIMEZONE", "Asia/Seol")
    code, out = run_cli(capsys, "import", str(members))
    assert code == 2
    assert "Asia/Seol" in out and "Traceback" not in out
    assert not (sqlite_workdir / "storage" / "publ.db").exists()


@pytest.mark.parametrize(("setting", "value", "code", "said"), [
    # An unreadable schedule is worth saying, not worth refusing the status for …
    ("SYNC_SCHEDULE", "every morning", 0, ("SYNC_SCHEDULE", "읽을 수 없습니다")),
    # … while an unknown time zone would make every time shown wrong: a settings error.
    ("TIMEZONE", "Asia/Busan", 2, ("Asia/Busan",)),
], ids=["unreadable schedule still answers", "unknown time zone is a settings error"])
def test_status_with_a_bad_setting(sqlite_workdir: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch, setting: str, value: str,
                                   code: int, said: tuple[str, ...]) -> None:
    monkeypatch.setenv(setting, value)
    exit_code, out = run_cli(capsys, "status")
    assert exit_code == code
    assert all(word in out for word in said), out


def test_installed_command_runs_as_a_separate_program(sqlite_workdir: Path) -> None:
    path = put(sqlite_workdir, "x_members.csv", csv_bytes(MEMBERS.headers, [MEMBER_ROW]))
    program = Path(sys.executable).with_name("publ-sync")
    done = subprocess.run([str(program), "import", str(path)], capture_output=True, text=True,
                          env={**os.environ}, cwd=sqlite_workdir, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "동기화 완료" in done.stdout


def test_bundled_sample_exports_import_cleanly_and_stay_in_place(
        sqlite_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = sorted((ROOT / "sync" / "samples").glob("*.csv"))
    assert len(samples) == 3
    code, out = run_cli(capsys, "import", *map(str, samples))
    assert code == 0, out
    table = {line.split()[0]: line.split() for line in out.splitlines() if "성공" in line}
    assert [table[name][4] for name in ("회원", "주문", "환불")] == ["40", "30", "6"]
    assert all(sample.exists() for sample in samples)


def test_import_while_another_sync_runs_exits_1_and_says_so(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    async def hold_guard() -> None:
        db = await open_database(database_url)
        started = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # 09:00 in Korea
        async with db.write() as conn:
            await conn.execute(insert(SyncLock).values(
                # the bot in another live process (this test's parent stands in for it)
                name=runlog.LOCK_NAME, run_id="scheduled-run",
                owner=runlog.owner_of(os.getppid()),
                trigger="schedule", started_at=started, heartbeat_at=started))
        await close_all()

    asyncio.run(hold_guard())
    path = put(workdir, "x_members.csv", csv_bytes(MEMBERS.headers, [MEMBER_ROW]))

    code, out = run_cli(capsys, "import", str(path))

    assert code == 1
    assert "다른 동기화가 이미 진행 중입니다 (매일 예약 동기화, 2026-11-27 09:00 KST 시작)" in out
    assert path.exists()


async def test_status_shows_how_many_slack_messages_wait(
        workdir: Path, capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    from sync import outbox

    db = await open_database(database_url)
    for run in ("r1", "r2", "r2"):  # a run's newer state replaces its older one
        await outbox.keep(db, kind="run", run_id=run, run_started_at=None, channel="C1",
                          thread_ts=None, replaces_ts=None, text="x", blocks_json="[]")
    await close_all()

    code, out = await asyncio.to_thread(run_cli, capsys, "status")

    assert code == 0
    assert "Slack에 아직 전달하지 못한 메시지: 2건" in out
