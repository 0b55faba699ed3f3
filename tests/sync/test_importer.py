"""Importing exports into a real database (a SQLite file and PostgreSQL): what is stored,
what the counts say, and what happens to bad files and bad rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from sync import importer, stored_orders
from sync.cli.terminal import report_notes
from sync.db import open_database
from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.i18n import Words
from sync.presented import Presenter
from sync.report import SyncType
from sync.settings import Settings
from sync.storage import Storage
from tests.exportfiles import (
    csv_bytes,
    download,
    import_files,
    import_one,
    rows_by_key,
    table_rows,
)


def member(code: str, name: str = "김민준", *, gender: str = "", birth_year: str = "1990",
           signed_up: str = "2024-12-27 15:30:45") -> list[str]:
    return [code, f"user_{code}", f"{code}@example.com", name, "KR", gender, birth_year,
            "", "010-1234-5678", signed_up]


def order(position: int, number: str, *, price: str = "12,900원", name: str = "김민준",
          paid: str = "2024-12-27 15:30:45", product: str = "스탠다드 멤버십") -> list[str]:
    return [str(position), number, product, "Membership plan", price, name,
            "buyer@example.com", "M100001", "Regular Payment", "KakaoPay", paid]


def refund(number: str, status: str = "Requested", asked: str = "2024-12-27") -> list[str]:
    return [number, status, "12,900원", "user_M1", "M100001", asked]


def orders_file(numbers: list[str], first_position: int = 1) -> bytes:
    return csv_bytes(ORDERS.headers, [order(first_position + i, number)
                                      for i, number in enumerate(numbers)])


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url=database_url)


async def test_cp949_file_from_korean_excel_imports_with_korean_intact(
        settings: Settings, database_url: str) -> None:
    data = csv_bytes(MEMBERS.headers, [member("M1", "김민준"), member("M2", "이서연")],
                     encoding="cp949")
    report = await import_one(settings, SyncType.MEMBERS, data)

    result = report.results[SyncType.MEMBERS]
    assert report.succeeded, result.error_message
    assert (result.new, result.updated, result.skipped) == (2, 0, 0)
    stored = await rows_by_key(database_url, "members", "member_code")
    assert [stored["M1"]["name"], stored["M2"]["name"]] == ["김민준", "이서연"]


async def test_bom_file_imports_prices_as_won_and_korea_time_as_utc(
        settings: Settings, database_url: str) -> None:
    data = csv_bytes(ORDERS.headers, [
        order(1, "A-1", price="12,900원", paid="2024-12-27 15:30:45"),
        order(2, "A-2", price="500", paid="2024-12-27 15:30"),
        order(3, "A-3", price="50,000원", paid="2025-01-01 08:00:00"),
    ])
    assert data.startswith(b"\xef\xbb\xbf")
    report = await import_one(settings, SyncType.ORDERS, data)

    assert report.succeeded and report.results[SyncType.ORDERS].new == 3
    stored = await rows_by_key(database_url, "orders", "order_number")
    assert [stored[n]["price"] for n in ("A-1", "A-2", "A-3")] == [12900, 500, 50000]
    assert stored["A-1"]["paid_at"] == datetime(2024, 12, 27, 6, 30, 45, tzinfo=UTC)
    assert stored["A-2"]["paid_at"] == datetime(2024, 12, 27, 6, 30, tzinfo=UTC)
    # 08:00 on New Year's Day in Korea is still the old year in UTC.
    assert stored["A-3"]["paid_at"] == datetime(2024, 12, 31, 23, 0, tzinfo=UTC)
    assert stored["A-1"]["buyer_name"] == "김민준" and stored["A-1"]["extra"] is None
    assert "number" not in stored["A-1"]  # the page position is not data


async def test_empty_optional_cells_are_null_and_odd_values_kept_as_text(
        settings: Settings, database_url: str) -> None:
    data = csv_bytes(MEMBERS.headers, [member("M1", gender="", birth_year="모름"),
                                       member("M2", gender="female", birth_year="")])
    report = await import_one(settings, SyncType.MEMBERS, data)

    assert report.succeeded
    stored = await rows_by_key(database_url, "members", "member_code")
    assert stored["M1"]["gender"] is None and stored["M1"]["birth_year"] == "모름"
    assert stored["M2"]["gender"] == "female" and stored["M2"]["birth_year"] is None
    assert stored["M1"]["personal_email"] is None


async def test_bare_refund_date_is_midnight_korea_time(settings: Settings,
                                                       database_url: str) -> None:
    data = csv_bytes(REFUNDS.headers, [refund("A-1", asked="2024-12-27")])
    assert (await import_one(settings, SyncType.REFUNDS, data)).succeeded
    stored = await rows_by_key(database_url, "refunds", "order_number")
    assert stored["A-1"]["refund_requested_at"] == datetime(2024, 12, 26, 15, 0, tzinfo=UTC)
    assert stored["A-1"]["refund_request_price"] == 12900


async def test_unknown_column_is_kept_in_extra_and_reported_once(
        settings: Settings, database_url: str) -> None:
    rows = [order(1, "A-1") + ["WELCOME10"], order(2, "A-2") + [""],
            order(3, "A-3") + ["VIP"]]
    data = csv_bytes([*ORDERS.headers, "Coupon Code"], rows)
    report = await import_one(settings, SyncType.ORDERS, data)

    result = report.results[SyncType.ORDERS]
    assert report.succeeded and result.new == 3
    assert result.extra_columns == ["Coupon Code"]
    notes = [str(line) for line in report_notes(report, Presenter(Words("ko")))]
    assert sum("Coupon Code" in line for line in notes) == 1, notes
    stored = await rows_by_key(database_url, "orders", "order_number")
    assert stored["A-1"]["extra"] == {"Coupon Code": "WELCOME10"}
    assert stored["A-2"]["extra"] is None
    assert stored["A-3"]["extra"] == {"Coupon Code": "VIP"}


async def test_missing_order_number_column_fails_naming_it_and_keeps_stored_orders(
        settings: Settings, database_url: str) -> None:
    assert (await import_one(settings, SyncType.ORDERS, orders_file(["A-1", "A-2"]))).succeeded
    before = await table_rows(database_url, "orders")

    header = [name for name in ORDERS.headers if name != "Order Number"]
    rows = [[cell for i, cell in enumerate(order(1, "A-9")) if i != 1]]
    path = download(settings, SyncType.ORDERS, csv_bytes(header, rows), stamp="251219_090000")
    report = await import_files(settings, {SyncType.ORDERS: path})

    result = report.results[SyncType.ORDERS]
    assert not report.succeeded
    assert result.error_kind == "file_invalid"
    assert "Order Number" in result.error_message
    assert "Product name, Type, Price" in result.error_message  # the headers it did find
    assert "주문" in result.error_message
    assert await table_rows(database_url, "orders") == before
    assert path.exists()  # a failed import leaves the file where it was
    logs = await table_rows(database_url, "sync_logs")
    assert [(log["status"], log["error_kind"]) for log in logs if log["run_id"] == report.run_id
            ] == [("failed", "file_invalid")]


async def test_zero_byte_file_is_invalid(settings: Settings, database_url: str) -> None:
    report = await import_one(settings, SyncType.MEMBERS, b"")

    result = report.results[SyncType.MEMBERS]
    assert result.status == "failed" and result.error_kind == "file_invalid"
    assert "비어 있습니다" in result.error_message
    assert await table_rows(database_url, "members") == []


async def test_header_only_file_is_a_success_with_zero_rows(settings: Settings,
                                                            database_url: str) -> None:
    report = await import_one(settings, SyncType.REFUNDS, csv_bytes(REFUNDS.headers, []))

    result = report.results[SyncType.REFUNDS]
    assert report.succeeded
    assert (result.new, result.updated, result.unchanged, result.skipped) == (0, 0, 0, 0)
    logs = await table_rows(database_url, "sync_logs")
    assert [log["status"] for log in logs] == ["success"]


@pytest.mark.parametrize("cut_inside", ["a date", "a Korean character", "a quoted field"])
async def test_cut_off_download_imports_complete_rows_and_reports_the_broken_last_one(
        settings: Settings, database_url: str, cut_inside: str) -> None:
    rows = [order(i, f"A-{i}") for i in range(1, 6)]
    rows[-1][2] = "프리미엄 \"연간\", 멤버십"  # written quoted by the csv writer
    data = csv_bytes(ORDERS.headers, rows)
    last_row_start = data.rindex(b"\r\n", 0, len(data) - 2) + 2
    if cut_inside == "a date":
        cut = len(data) - len(b":45\r\n")
    elif cut_inside == "a Korean character":
        cut = data.index("프".encode(), last_row_start) + 1
    else:
        cut = data.index("연간".encode(), last_row_start)
    report = await import_one(settings, SyncType.ORDERS, data[:cut])

    result = report.results[SyncType.ORDERS]
    assert report.succeeded
    assert (result.new, result.skipped) == (4, 1)
    assert result.skipped_rows[0].line == 6  # header is line 1, the fifth row is line 6
    assert "끊긴" in result.skipped_rows[0].reason
    stored = await rows_by_key(database_url, "orders", "order_number")
    assert sorted(stored) == ["A-1", "A-2", "A-3", "A-4"]


async def test_unreadable_price_skips_that_row_with_its_line_number(
        settings: Settings, database_url: str) -> None:
    rows = [order(1, "A-1", product="두 줄\n상품명"), order(2, "A-2"),
            order(3, "A-3", price="abc"), order(4, "A-4")]
    report = await import_one(settings, SyncType.ORDERS, csv_bytes(ORDERS.headers, rows))

    result = report.results[SyncType.ORDERS]
    assert report.succeeded
    assert (result.new, result.skipped) == (3, 1)
    # Line 1 header, lines 2-3 the first order (a quoted line break), 4 the second, 5 the bad.
    assert result.skipped_rows[0].line == 5
    assert "Price" in result.skipped_rows[0].reason and "abc" in result.skipped_rows[0].reason
    stored = await rows_by_key(database_url, "orders", "order_number")
    assert sorted(stored) == ["A-1", "A-2", "A-4"]
    assert stored["A-1"]["product_name"] == "두 줄\n상품명"
    logs = [log for log in await table_rows(database_url, "sync_logs")]
    assert logs[0]["skipped_count"] == 1
    assert logs[0]["details"]["skipped_rows"][0]["line"] == 5


async def test_rows_with_bad_key_date_or_repeated_key_are_skipped_and_reported(
        settings: Settings, database_url: str) -> None:
    rows = [order(1, "A-1"), order(2, ""), order(3, "A-3", paid="27/12/2024"),
            order(4, "A-1"), order(5, "A-5")]
    report = await import_one(settings, SyncType.ORDERS, csv_bytes(ORDERS.headers, rows))

    result = report.results[SyncType.ORDERS]
    assert (result.new, result.skipped) == (2, 3)
    reasons = {row.line: row.reason for row in result.skipped_rows}
    assert sorted(reasons) == [3, 4, 5]
    assert "Order Number" in reasons[3]
    assert "27/12/2024" in reasons[4]
    assert "A-1" in reasons[5]
    assert sorted(await rows_by_key(database_url, "orders", "order_number")) == ["A-1", "A-5"]


async def test_refund_status_change_is_an_update_and_reimport_changes_nothing(
        settings: Settings, database_url: str) -> None:
    first = csv_bytes(REFUNDS.headers, [refund("A-1", "Requested"), refund("A-2", "Refunded")])
    assert (await import_one(settings, SyncType.REFUNDS, first)).results[
        SyncType.REFUNDS].new == 2
    initial = await rows_by_key(database_url, "refunds", "order_number")

    moved = csv_bytes(REFUNDS.headers, [refund("A-1", "Refunded"), refund("A-2", "Refunded")])
    report = await import_one(settings, SyncType.REFUNDS, moved, stamp="251219_090000")
    result = report.results[SyncType.REFUNDS]
    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    after_update = await rows_by_key(database_url, "refunds", "order_number")
    assert after_update["A-1"]["refund_status"] == "Refunded"
    assert after_update["A-1"]["updated_at"] > initial["A-1"]["updated_at"]
    assert after_update["A-1"]["created_at"] == initial["A-1"]["created_at"]
    assert after_update["A-2"]["updated_at"] == initial["A-2"]["updated_at"]

    again = await import_one(settings, SyncType.REFUNDS, moved, stamp="251220_090000")
    result = again.results[SyncType.REFUNDS]
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    assert await rows_by_key(database_url, "refunds", "order_number") == after_update


async def test_orders_shifting_position_between_pages_are_not_updates(
        settings: Settings, database_url: str) -> None:
    older = [f"A-{i}" for i in range(10, 0, -1)]  # newest first, as the console lists them
    assert (await import_one(settings, SyncType.ORDERS, orders_file(older))).succeeded
    before = await rows_by_key(database_url, "orders", "order_number")

    # A new order arrived: every old order moved one position down the page.
    shifted = orders_file(["A-11", *older])
    report = await import_one(settings, SyncType.ORDERS, shifted, stamp="251219_090000")

    result = report.results[SyncType.ORDERS]
    assert (result.new, result.updated, result.unchanged) == (1, 0, 10)
    after = await rows_by_key(database_url, "orders", "order_number")
    assert all(after[number] == before[number] for number in older)


async def test_rows_missing_from_an_export_are_kept(settings: Settings,
                                                   database_url: str) -> None:
    assert (await import_one(settings, SyncType.ORDERS, orders_file(["A-1", "A-2"]))).succeeded
    report = await import_one(settings, SyncType.ORDERS, orders_file(["A-3"]),
                              stamp="251219_090000")
    assert report.results[SyncType.ORDERS].new == 1
    assert sorted(await rows_by_key(database_url, "orders", "order_number")) == [
        "A-1", "A-2", "A-3"]


async def test_order_lookups_for_the_downloader(settings: Settings, database_url: str) -> None:
    db = await open_database(database_url)
    assert await stored_orders.orders_table_empty(db)
    assert (await import_one(settings, SyncType.ORDERS, orders_file(["A-1", "A-2"]))).succeeded
    assert not await stored_orders.orders_table_empty(db)
    many = [f"B-{i}" for i in range(6000)] + ["A-2", "A-2"]  # more than one lookup batch
    assert await stored_orders.stored_order_numbers(db, many) == {"A-2"}


async def test_many_rows_cross_chunk_boundaries_with_exact_counts(
        settings: Settings, database_url: str) -> None:
    numbers = [f"A-{i}" for i in range(importer.CHUNK_ROWS + 700)]
    assert (await import_one(settings, SyncType.ORDERS, orders_file(numbers))).succeeded
    rows = [order(i + 1, number, price="13,900원" if i % 1000 == 0 else "12,900원")
            for i, number in enumerate(numbers)]
    rows.insert(3000, order(0, numbers[5]))  # a repeat far from its first line
    report = await import_one(settings, SyncType.ORDERS, csv_bytes(ORDERS.headers, rows),
                              stamp="251219_090000")

    result = report.results[SyncType.ORDERS]
    changed = len(range(0, len(numbers), 1000))
    assert (result.new, result.updated, result.skipped) == (0, changed, 1)
    assert result.unchanged == len(numbers) - changed
    assert result.skipped_rows[0].line == 3002
    stored = await rows_by_key(database_url, "orders", "order_number")
    assert stored["A-1000"]["price"] == 13900 and stored["A-1001"]["price"] == 12900
    # Both imported exports were archived whole, none left in downloads/ to import again.
    storage = Storage(settings.storage_dir)
    assert list(storage.downloads.glob("*.csv")) == []
    archived = sorted(path.name for path in storage.archive.rglob("*.csv"))
    assert archived == ["251218_164857_orders_latest.csv", "251219_090000_orders_latest.csv"]
    newest = next(storage.archive.rglob("251219_090000_orders_latest.csv"))
    assert newest.read_bytes() == csv_bytes(ORDERS.headers, rows)


async def test_unreadable_path_fails_that_type_in_operator_words(
        settings: Settings, database_url: str) -> None:
    folder = Storage(settings.storage_dir).ensure().downloads / "251218_164857_members.csv"
    folder.mkdir()  # a folder where the export should be
    report = await import_files(settings, {SyncType.MEMBERS: folder})

    result = report.results[SyncType.MEMBERS]
    assert result.error_kind == "file_invalid"
    assert result.error_message.startswith("회원 파일을 읽지 못했습니다")
    assert await table_rows(database_url, "members") == []
