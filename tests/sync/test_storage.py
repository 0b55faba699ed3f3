"""The storage folder: where imported exports go, what a failed import leaves, and what the
retention period deletes."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sync import runner
from sync.exports import MEMBERS, REFUNDS
from sync.report import SyncType
from sync.settings import Settings
from sync.storage import Storage, type_of_file
from tests.exportfiles import csv_bytes, download, import_files

# 16:00 UTC on the 27th is already 01:00 on the 28th in Korea.
LATE_EVENING_UTC = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
DAY = 86400


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def members_export() -> bytes:
    return csv_bytes(MEMBERS.headers, [["M1", "u1", "a@example.com", "김민준", "KR", "", "",
                                        "", "", "2024-12-27 15:30:45"]])


async def test_successful_import_moves_the_export_to_the_korean_day_folder(
        make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    path = download(settings, SyncType.MEMBERS, members_export())
    report = await runner.run_sync(settings, trigger="cli", files={SyncType.MEMBERS: path},
                                   types=[SyncType.MEMBERS], clock=lambda: LATE_EVENING_UTC)

    assert report.succeeded
    archived = settings.storage_dir / "archive" / "20261128" / path.name
    assert archived.read_bytes() == members_export()
    assert not path.exists()
    assert mode(archived) == 0o600


async def test_failed_import_leaves_the_export_in_downloads(
        make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    path = download(settings, SyncType.REFUNDS, csv_bytes(REFUNDS.headers[1:], []))
    report = await import_files(settings, {SyncType.REFUNDS: path})

    assert not report.succeeded
    assert path.exists()
    assert not any((settings.storage_dir / "archive").rglob("*.csv"))


async def test_file_imported_from_elsewhere_is_copied_not_taken(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    settings = make_settings()
    own = tmp_path / "내보내기_members.csv"
    own.write_bytes(members_export())
    report = await import_files(settings, {SyncType.MEMBERS: own})

    assert report.succeeded
    assert own.exists()
    assert [p.name for p in (settings.storage_dir / "archive").rglob("*.csv")] == [own.name]


def test_folders_are_created_private_where_they_hold_secrets(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "storage").ensure()
    for name in ("sessions", "trash", "debug"):
        assert mode(storage.root / name) == 0o700
    assert storage.downloads.is_dir() and storage.archive.is_dir()


def _aged(path: Path, days: float, now: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, (now - days * DAY, now - days * DAY))
    return path


def test_retention_deletes_only_old_files_in_archive_debug_and_trash(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "storage").ensure()
    now = time.time()
    old = [
        _aged(storage.archive / "20240101" / "240101_090000_members.csv", 91, now),
        _aged(storage.debug / "members_page.png", 120, now),
        _aged(storage.trash / "20240101_session.json", 365, now),
    ]
    kept = [
        _aged(storage.archive / "20261101" / "261101_090000_orders_latest.csv", 30, now),
        _aged(storage.trash / "recent_session.json", 89, now),
        _aged(storage.downloads / "240101_090000_refunds.csv", 400, now),  # not imported yet
        _aged(storage.session_file, 400, now),
    ]

    deleted = storage.purge_old(90, now=now)

    assert sorted(deleted) == sorted(old)
    assert not any(path.exists() for path in old)
    assert all(path.exists() for path in kept)
    assert not (storage.archive / "20240101").exists()  # its empty day folder goes too
    assert (storage.archive / "20261101").is_dir()


async def test_each_start_applies_the_retention_setting(
        make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(retention_days=7)
    storage = Storage(settings.storage_dir).ensure()
    now = time.time()
    stale = _aged(storage.debug / "orders_page.html", 8, now)
    fresh = _aged(storage.debug / "refunds_page.html", 6, now)

    await runner.prepare(settings)

    assert not stale.exists() and fresh.exists()


def test_newest_download_of_each_type_wins(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "storage").ensure()
    for name in ("251217_090000_members.csv", "251218_090000_members.csv",
                 "251218_090000_orders_all.csv", "251216_090000_orders_latest.csv",
                 "notes.txt", "random.csv"):
        (storage.downloads / name).write_bytes(b"")
    newest = storage.newest_downloads()
    assert {k: v.name for k, v in newest.items()} == {
        SyncType.MEMBERS: "251218_090000_members.csv",
        SyncType.ORDERS: "251218_090000_orders_all.csv",
    }
    assert type_of_file(Path("my_refunds_export.csv")) is SyncType.REFUNDS
    assert type_of_file(Path("export.csv")) is None


async def test_import_that_cannot_be_archived_still_counts_as_imported(
        make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    path = download(settings, SyncType.MEMBERS, members_export())
    # Something that is not a folder sits where today's archive folder would go.
    (settings.storage_dir / "archive" / "20261128").write_bytes(b"")
    report = await runner.run_sync(settings, trigger="cli", files={SyncType.MEMBERS: path},
                                   types=[SyncType.MEMBERS], clock=lambda: LATE_EVENING_UTC)

    assert report.succeeded
    assert report.results[SyncType.MEMBERS].new == 1
    assert path.exists()  # left for the next import, which will find nothing new
    again = await import_files(settings, {SyncType.MEMBERS: path})
    assert again.results[SyncType.MEMBERS].unchanged == 1
