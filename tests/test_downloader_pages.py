"""Merging orders pages into one export: newer page wins, positions renumbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.downloader.pages import MissingKeyColumn, keys, merge, read_table
from sync.exportgen import Generator, render
from sync.exports import ORDERS


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

    count = merge([first, second], tmp_path / "all.csv", ORDERS)

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
    assert keys(korean_excel, "Order Number") == [o["Order Number"] for o in orders]

    broken = tmp_path / "broken.csv"
    broken.write_text("Number,Product name\n1,x\n", encoding="utf-8")
    with pytest.raises(MissingKeyColumn):
        keys(broken, "Order Number")
