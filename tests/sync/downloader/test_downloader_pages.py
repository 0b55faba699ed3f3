"""Merging orders pages into one export: newer page wins, positions renumbered."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from sync import runner
from sync.csvread import open_export
from sync.db import open_database
from sync.downloader.pages import MissingKeyColumn, keys, merge
from sync.errors import ErrorKind, SyncError
from sync.exports import ORDERS
from sync.report import SyncType
from sync.sandbox import Sandbox
from sync.sandbox.fake_exports import Generator, render
from sync.settings import Settings


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """The merged file as the csv module reads it (it must be UTF-8 with a BOM)."""
    header, *rows = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))
    return header, rows


def page(path: Path, rows: list[dict[str, str]], first: int) -> Path:
    path.write_bytes(render(ORDERS, rows, numbered_from=first))
    return path


def test_an_order_on_two_pages_keeps_the_newer_pages_row(tmp_path):
    orders = list(Generator(seed=3).orders(6))
    newest_first = list(reversed(orders))
    # While paging, a new order pushed order #2 down: it is on both pages, and its status
    # (here: the price text) changed between the two exports.
    changed = dict(newest_first[3], Price="99,000원")
    first = page(tmp_path / "1.csv", newest_first[:4], 1)
    second = page(tmp_path / "2.csv", [newest_first[3] | {"Price": "1원"}, *newest_first[4:]], 5)
    first.write_bytes(render(ORDERS, [*newest_first[:3], changed], numbered_from=1))

    count = merge([first, second], tmp_path / "all.csv", ORDERS, "ko")

    header, rows = read_table(tmp_path / "all.csv")
    assert count == 6 and header == ORDERS.headers
    assert [row[1] for row in rows] == [o["Order Number"] for o in newest_first]
    assert rows[3][4] == "99,000원"  # page 1's row, not page 2's
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "all.csv").stat().st_mode & 0o777 == 0o600


def test_cp949_page_and_missing_key_column(tmp_path):
    orders = list(Generator(seed=4).orders(2))
    korean_excel = tmp_path / "cp949.csv"
    korean_excel.write_bytes(render(ORDERS, orders, encoding="cp949"))
    assert keys(korean_excel, ORDERS, "ko") == [o["Order Number"] for o in orders]

    broken = tmp_path / "broken.csv"
    broken.write_text("Number,Product name\n1,x\n", encoding="utf-8")
    with pytest.raises(MissingKeyColumn):
        keys(broken, ORDERS, "ko")


def damaged(path: Path, rows: list[dict[str, str]], first: int, line: int) -> Path:
    """A page whose `line` (header = 1) lost the last byte of a Korean character, as a
    download cut and resumed, or a disk error, leaves it."""
    lines = render(ORDERS, rows, numbered_from=first).split(b"\r\n")
    name = rows[line - 2]["Name"].encode()
    assert name[-1] >= 0x80 and name in lines[line - 1], "a Korean buyer's name"
    lines[line - 1] = lines[line - 1].replace(name, name[:-1])
    path.write_bytes(b"\r\n".join(lines))
    return path


def test_a_damaged_orders_page_2_is_rejected_not_merged_into_a_clean_file(tmp_path):
    """Decoding page 2 leniently would turn its broken character into U+FFFD and write a
    merge that is clean UTF-8: the importer, which rejects a damaged file, would then store
    a garbled name. The page is rejected as a damaged import is, naming page and line."""
    newest_first = list(reversed(list(Generator(seed=5).orders(6))))
    first = page(tmp_path / "0001.csv", newest_first[:3], 1)
    second = damaged(tmp_path / "0002.csv", newest_first[3:], 4, line=3)
    target = tmp_path / "all.csv"

    with pytest.raises(SyncError) as caught:
        merge([first, second], target, ORDERS, "en")

    assert caught.value.kind is ErrorKind.FILE_INVALID
    assert caught.value.message == (
        "Line 3 of the Orders file has broken characters (the file of orders page 2). "
        "The file looks damaged; please download it again.")
    assert not target.exists()
    with pytest.raises(SyncError) as again:
        keys(second, ORDERS, "ko", page=2)  # the same policy when the page is first read
    assert "3번째 줄" in again.value.message and "주문 2페이지" in again.value.message


def test_pages_and_imports_read_a_file_the_same_way(tmp_path):
    """What the importer would skip (an odd price, a repeated key) reaches it unchanged
    through the merge; what it would reject rejects the merge."""
    newest_first = list(reversed(list(Generator(seed=6).orders(5))))
    odd = dict(newest_first[1], Price="twelve")
    first = page(tmp_path / "0001.csv", [newest_first[0], odd], 1)
    second = page(tmp_path / "0002.csv", newest_first[2:], 3)
    target = tmp_path / "all.csv"
    assert merge([first, second], target, ORDERS, "en") == 5
    with open_export(target, ORDERS, "en") as reader:
        chunks = list(reader.chunks(100))
    rows = [row for chunk in chunks for row in chunk.rows]
    skipped = [row for chunk in chunks for row in chunk.skipped]
    assert len(rows) == 4
    assert [(s.line, s.code) for s in skipped] == [(3, "bad_price")]

    broken = tmp_path / "0003.csv"
    broken.write_bytes(render(ORDERS, newest_first[:2]) + b'1,"x"y,\r\n')
    with pytest.raises(SyncError) as caught:
        merge([first, broken], target, ORDERS, "en")
    assert caught.value.kind is ErrorKind.FILE_INVALID
    assert "orders page 2" in caught.value.message and "line 4" in caught.value.message.lower()


async def test_a_damaged_orders_page_from_the_console_stores_nothing_of_it(
        sandbox: Sandbox, sandbox_settings: Callable[..., Settings]) -> None:
    """Through the real browser: page 2 of the orders arrives with a broken character. The
    sync says which page and line, and no order of a half-trusted merge is stored."""
    sandbox.switches.damaged_pages["orders"] = 2
    settings = sandbox_settings(publ_page_size=10)  # 25 orders: three pages
    report = await runner.run_sync(settings, trigger="cli")

    result = report.results[SyncType.ORDERS]
    assert result.error_kind is ErrorKind.FILE_INVALID
    assert "주문 2페이지에서 내려받은 파일" in (result.error_message or "")
    assert "2번째 줄에 깨진 글자" in (result.error_message or "")
    downloads = Path(settings.storage_dir) / "downloads"
    assert not list(downloads.rglob("*orders_all.csv"))
    db = await open_database(settings.effective_database_url)
    try:
        async with db.read() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM orders"))).scalar() == 0
    finally:
        await db.close()
