"""Going back in time (issue 8, item 7): what a run that did not finish leaves in
`downloads/` is moved to `trash/` by the next run's housekeeping (never deleted), and no
import applies an export older than the newest one already imported of its type, unless
told to with `--force`."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from sync import runlog
from sync.cli import main
from sync.db import close_all, open_database
from sync.exports import MEMBERS, ORDERS, REFUNDS
from tests.exportfiles import csv_bytes, operator_folder, read, rows_by_key, table_rows

NUMBERS = [f"A-{i}" for i in range(30)]


def refunds(status: str) -> bytes:
    return csv_bytes(REFUNDS.headers, [[number, status, "12,900원", "u1", "M1", "2024-12-27"]
                                       for number in NUMBERS])


def members() -> bytes:
    return csv_bytes(MEMBERS.headers, [["M1", "u1", "a@example.com", "김민준", "KR", "", "", "",
                                        "", "2024-12-27 15:30:45"]])


@pytest.fixture
def workdir(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    operator_folder(tmp_path, database_url, monkeypatch, columns=200)
    (tmp_path / "storage" / "downloads").mkdir(parents=True)
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out




def statuses(url: str) -> set[str]:
    rows = read(rows_by_key(url, "refunds", "order_number"))
    return {row["refund_status"] for row in rows.values()}


def test_a_killed_runs_leftover_export_is_not_imported_later(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    downloads = workdir / "storage" / "downloads"
    # A run killed after its downloads: its exports and its unfinished folder stay behind.
    leftover = downloads / "251218_090000_refunds.csv"
    leftover.write_bytes(refunds("Requested"))
    incoming = downloads / ".incoming-0123456789ab"
    incoming.mkdir()
    (incoming / "orders-page.part").write_bytes(b"Number,Order")
    # The next day's sync imports newer statuses.
    newer = downloads / "251219_090000_refunds.csv"
    newer.write_bytes(refunds("Refunded"))
    code, out = run_cli(capsys, "import", str(newer))
    assert code == 0, out
    assert statuses(database_url) == {"Refunded"}

    # Later, `publ-sync import` without files must not take the old leftover.
    code, out = run_cli(capsys, "import")

    assert code != 0, out
    assert statuses(database_url) == {"Refunded"}
    assert not leftover.exists() and not incoming.exists()
    trash = workdir / "storage" / "trash"
    moved = sorted(path.name for path in trash.iterdir())
    assert any(name.endswith("251218_090000_refunds.csv") for name in moved), moved
    assert any("incoming-0123456789ab" in name for name in moved), moved


def import_newer_refund(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 19 December export, refund status "Refunded", imported: what an older one meets."""
    newer = workdir / "251219_090000_refunds.csv"
    newer.write_bytes(refunds("Refunded"))
    assert run_cli(capsys, "import", str(newer))[0] == 0


def test_an_older_export_named_on_the_command_line_needs_force(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import_newer_refund(workdir, capsys)
    older = workdir / "251218_090000_refunds.csv"
    older.write_bytes(refunds("Requested"))

    code, out = run_cli(capsys, "import", str(older))

    assert code == 1
    assert "--force" in out and "251218_090000_refunds.csv" in out, out
    assert statuses(database_url) == {"Refunded"}
    logs = read(table_rows(database_url, "sync_logs"))
    assert logs[-1]["error_kind"] == "stale_file"

    code, out = run_cli(capsys, "import", "--force", str(older))
    assert code == 0, out
    assert statuses(database_url) == {"Requested"}


def test_an_export_without_a_stamp_is_dated_by_its_modification_time(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import_newer_refund(workdir, capsys)
    old = workdir / "refunds-from-excel.csv"
    old.write_bytes(refunds("Requested"))
    os.utime(old, (1_700_000_000, 1_700_000_000))  # 2023-11-14: before 2025-12-19

    code, out = run_cli(capsys, "import", str(old))
    assert code == 1 and "--force" in out, out
    assert statuses(database_url) == {"Refunded"}

    fresh = workdir / "refunds-today.csv"
    fresh.write_bytes(refunds("Requested"))  # modified now: newer than 2025-12-19
    assert run_cli(capsys, "import", str(fresh))[0] == 0


def test_refused_old_exports_do_not_count_toward_the_failure_streak(
        workdir: Path, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    stamp_new, stamp_old = "251219_090000", "251218_090000"
    files_new = []
    for suffix, data in (("members", members()), ("orders_latest", None),
                         ("refunds", refunds("Refunded"))):
        if data is None:
            data = csv_bytes(ORDERS.headers, [])
        path = workdir / f"{stamp_new}_{suffix}.csv"
        path.write_bytes(data)
        files_new.append(path)
    assert run_cli(capsys, "import", *map(str, files_new))[0] == 0
    old = []
    for path in files_new:
        copy = workdir / path.name.replace(stamp_new, stamp_old)
        copy.write_bytes(path.read_bytes())
        old.append(copy)

    for _ in range(2):
        assert run_cli(capsys, "import", *map(str, old))[0] == 1

    async def streak() -> int:
        count, _ = await runlog.failure_streak(await open_database(database_url))
        await close_all()
        return count

    assert asyncio.run(streak()) == 0


async def test_the_bot_announces_a_refused_older_export_and_raises_no_alert(
        start_bot, slack_api, tmp_path: Path) -> None:
    from sync import runner
    from sync.report import SyncType
    from tests.exportfiles import import_files
    from tests.fixtures.slack import CHANNEL_ID

    folder = tmp_path / "exports"
    folder.mkdir()
    newer = folder / "251219_090000_refunds.csv"
    newer.write_bytes(refunds("Refunded"))
    older = folder / "251218_090000_refunds <!channel> *긴급*\x1b[2J.csv"
    older.write_bytes(refunds("Requested"))
    others = {SyncType.MEMBERS: folder / "251219_090000_members.csv",
              SyncType.ORDERS: folder / "251219_090000_orders_latest.csv"}
    others[SyncType.MEMBERS].write_bytes(members())
    others[SyncType.ORDERS].write_bytes(csv_bytes(ORDERS.headers, []))

    async def import_older(settings, **kwargs):
        kwargs.pop("reset_session", None)
        return await runner.run_sync(settings, files={**others, SyncType.REFUNDS: older},
                                     types=list(SyncType), **kwargs)

    bot = await start_bot(runner=import_older, full=True, alert_after_failures=1)
    first = await import_files(bot.core.settings, {**others, SyncType.REFUNDS: newer})
    assert first.succeeded
    await bot.command("")
    [update] = await slack_api.wait_for("chat.update")
    assert update.body["channel"] == CHANNEL_ID
    assert "--force" in update.text
    assert "251218_090000_refunds" in update.text
    payload = slack_api.all_payload_text()
    assert "<!channel>" not in payload and "\x1b" not in payload and "\\u001b" not in payload
    assert "*긴급*" not in payload  # no live bold
    await asyncio.sleep(0.3)  # the alert hook runs right after the update
    assert not [call for call in slack_api.of("chat.postMessage") if "🚨" in call.text]


def test_the_report_names_what_housekeeping_set_aside(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leftover = workdir / "storage" / "downloads" / "251218_090000_members.csv"
    leftover.write_bytes(members())
    fresh = workdir / "251219_090000_members.csv"
    fresh.write_bytes(members())

    code, out = run_cli(capsys, "import", str(fresh))

    assert code == 0, out
    assert "251218_090000_members.csv" in out and "--force" in out, out
    [moved] = (workdir / "storage" / "trash").iterdir()
    assert moved.read_bytes() == members()
    assert oct(moved.stat().st_mode & 0o777) == "0o600"
