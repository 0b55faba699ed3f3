"""One odd value costs its row, never the whole type (issue 8, item 2): a price beyond a
64-bit integer, a numeric key of thousands of digits, a date before 0001-01-01 09:00 Korea
time, a NUL byte in any text field, a key longer than its column — each is skipped with
its line number and reason, the same way on SQLite and PostgreSQL, and the rest is stored.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.report import SyncType
from sync.settings import Settings
from tests.exportfiles import csv_bytes, import_one, rows_by_key, table_rows

# Enough good rows around the odd one that it is one line among many.
GOOD_ROWS = 450


def order(number: str, *, price: str = "12,900원", paid: str = "2024-12-27 15:30:45",
          product: str = "스탠다드 멤버십", member: str = "M1") -> list[str]:
    return ["1", number, product, "Membership plan", price, "김민준", "a@example.com",
            member, "Regular Payment", "KakaoPay", paid]


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url=database_url)


ODD_ORDERS = {
    "price above 2**63-1": dict(price="99999999999999999999원"),
    "price of 5,000 digits": dict(price="9" * 5000),
    "date before 0001-01-01 09:00 KST": dict(paid="0001-01-01 08:59:59"),
    "NUL byte in a text field": dict(product="스탠다드\x00멤버십"),
    "member code longer than its column": dict(member="M" * 65),
}


@pytest.mark.parametrize("odd", list(ODD_ORDERS), ids=list(ODD_ORDERS))
async def test_an_odd_order_value_skips_only_its_line(
        settings: Settings, database_url: str, odd: str) -> None:
    numbers = [f"A-{i}" for i in range(GOOD_ROWS)]
    rows = [order(number) for number in numbers]
    odd_at = 300  # well inside the file: neither its first nor its last line
    rows.insert(odd_at, order("ODD-1", **ODD_ORDERS[odd]))
    report = await import_one(settings, SyncType.ORDERS, csv_bytes(ORDERS.headers, rows))

    result = report.results[SyncType.ORDERS]
    assert report.succeeded, result.error_detail
    assert (result.new, result.skipped) == (GOOD_ROWS, 1)
    assert result.skipped_rows[0].line == odd_at + 2  # the header is line 1
    stored = await rows_by_key(database_url, "orders", "order_number")
    assert sorted(stored) == sorted(numbers)


async def test_a_key_of_5000_digits_skips_only_its_line(
        settings: Settings, database_url: str) -> None:
    numbers = [str(10_000 + i) for i in range(GOOD_ROWS)]
    rows = [order(number) for number in numbers]
    rows.insert(250, order("7" * 5000))
    report = await import_one(settings, SyncType.ORDERS, csv_bytes(ORDERS.headers, rows))

    result = report.results[SyncType.ORDERS]
    assert report.succeeded, result.error_detail
    assert (result.new, result.skipped) == (GOOD_ROWS, 1)
    assert result.skipped_rows[0].line == 252
    assert "7777" not in result.skipped_rows[0].reason[:200] or len(
        result.skipped_rows[0].reason) < 200  # the reason never carries the whole value
    assert len(await rows_by_key(database_url, "orders", "order_number")) == GOOD_ROWS


async def test_nul_in_a_refund_and_a_member_costs_one_line_each(
        settings: Settings, database_url: str) -> None:
    refunds = [["A-1", "Requested", "12,900원", "u1", "M1", "2024-12-27"],
               ["A-2", "Refu\x00nded", "12,900원", "u1", "M1", "2024-12-27"],
               ["A-3", "Refunded", "-99999999999999999999", "u1", "M1", "2024-12-27"]]
    report = await import_one(settings, SyncType.REFUNDS, csv_bytes(REFUNDS.headers, refunds))
    result = report.results[SyncType.REFUNDS]
    assert report.succeeded, result.error_detail
    assert sorted(row.line for row in result.skipped_rows) == [3, 4]
    assert sorted(await rows_by_key(database_url, "refunds", "order_number")) == ["A-1"]

    members = [["M1", "u1", "a@example.com", "김민준", "KR", "", "", "", "", "2024-12-27"],
               ["M2", "u2", "b@example.com", "이\x00서연", "KR", "", "", "", "", "2024-12-27"]]
    report = await import_one(settings, SyncType.MEMBERS, csv_bytes(MEMBERS.headers, members))
    result = report.results[SyncType.MEMBERS]
    assert report.succeeded, result.error_detail
    assert [row.line for row in result.skipped_rows] == [3]
    logs = await table_rows(database_url, "sync_logs")
    assert [log["status"] for log in logs] == ["success", "success"]
