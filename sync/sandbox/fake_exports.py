"""Realistic publ exports, made up: Korean names, `12,900원` prices, KST dates.

Used by the sandbox console, the demo, the tests and the benchmarks, so that all of them
see files shaped exactly like the real console's (UTF-8 with BOM, English headers in the
documented order). Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sync.exports import MEMBERS, ORDERS, REFUNDS, ExportFormat

FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "도윤", "지우", "하준", "서윤", "은우", "지민", "시우", "수아",
         "예준", "하윤", "주원", "지유", "유준", "채원", "지호", "소율", "준서", "다은"]
PRODUCTS = [("베이직 멤버십", 4_900), ("스탠다드 멤버십", 12_900), ("프리미엄 멤버십", 29_000),
            ("VIP 멤버십", 50_000), ("월간 리포트 단건", 9_900), ("강의 자료 묶음", 500)]
METHODS = ["Credit card", "KakaoPay", "NaverPay", "Bank transfer", "Toss"]
EPOCH = datetime(2024, 1, 1, 9, 0, 0)  # naive KST, like the console


def won(amount: int, rng: random.Random) -> str:
    """A price as the console writes it: usually `12,900원`, sometimes a bare `500`."""
    return f"{amount:,}원" if rng.random() < 0.95 or amount >= 1000 else str(amount)


def member_code(index: int) -> str:
    return f"M{100000 + index}"


def order_number(index: int) -> str:
    return f"2024{index:010d}"


@dataclass
class Generator:
    """Makes rows for each export; `member_count` members buy the orders."""

    seed: int = 7
    member_count: int = 2000

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _name(self, index: int) -> str:
        return FAMILY[index % len(FAMILY)] + GIVEN[(index * 7) % len(GIVEN)]

    def members(self, count: int | None = None, start: int = 0) -> Iterator[dict[str, str]]:
        rng = self.rng
        for i in range(start, start + (count if count is not None else self.member_count)):
            joined = EPOCH + timedelta(minutes=37 * i + rng.randrange(30))
            yield {
                "Member Code": member_code(i),
                "Username": f"user{i:06d}",
                "E-mail": f"user{i:06d}@example.com",
                "Name": self._name(i),
                "Country": "KR" if rng.random() < 0.9 else rng.choice(["US", "JP", ""]),
                "Gender": rng.choice(["male", "female", "", ""]),
                "Birth year": str(rng.randrange(1960, 2008)) if rng.random() < 0.6 else "",
                "Personal email address": f"me{i}@mail.example.kr" if rng.random() < 0.3 else "",
                "Mobile number": f"010-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}"
                if rng.random() < 0.5 else "",
                "Sign-up Date": joined.strftime("%Y-%m-%d %H:%M:%S"),
            }

    def orders(self, count: int, start: int = 0) -> Iterator[dict[str, str]]:
        """Orders numbered `start` … in ascending time; the console lists them newest first."""
        rng = self.rng
        for i in range(start, start + count):
            product, price = PRODUCTS[i % len(PRODUCTS)]
            buyer = rng.randrange(self.member_count)
            paid = EPOCH + timedelta(minutes=11 * i + rng.randrange(10))
            yield {
                "Order Number": order_number(i),
                "Product name": product,
                "Type": "Membership plan" if "멤버십" in product else "Product",
                "Price": won(price, rng),
                "Name": self._name(buyer),
                "E-mail": f"user{buyer:06d}@example.com",
                "Member Code": member_code(buyer),
                "Payment Type": "Regular Payment" if "멤버십" in product else "One-time Payment",
                "Payment Method": rng.choice(METHODS),
                "Date and Time of Payment": paid.strftime(
                    "%Y-%m-%d %H:%M:%S" if rng.random() < 0.8 else "%Y-%m-%d %H:%M"),
            }

    def refunds(self, count: int, order_count: int) -> Iterator[dict[str, str]]:
        rng = self.rng
        picked = sorted(rng.sample(range(order_count), min(count, order_count)))
        for i in picked:
            product, price = PRODUCTS[i % len(PRODUCTS)]
            buyer = (i * 31) % self.member_count
            asked = EPOCH + timedelta(minutes=11 * i + 60 * 24)
            yield {
                "Order Number": order_number(i),
                "Refund Status": rng.choice(["Requested", "Refunded", "Refunded", "Rejected"]),
                "Refund Request Price": won(price, rng),
                "Username": f"user{buyer:06d}",
                "Member Code": member_code(buyer),
                "Refund Request Date": asked.strftime(
                    "%Y-%m-%d" if rng.random() < 0.5 else "%Y-%m-%d %H:%M:%S"),
            }


def table(fmt: ExportFormat, rows: Iterable[dict[str, str]], *,
          numbered_from: int = 1) -> Iterator[list[str]]:
    """The export as CSV records: header, then rows; orders get their `Number` column."""
    yield fmt.headers
    for position, row in enumerate(rows, start=numbered_from):
        values = [row.get(header, "") for header in fmt.columns]
        yield [str(position), *values] if fmt.ignored else values


def render(fmt: ExportFormat, rows: Iterable[dict[str, str]], *, numbered_from: int = 1,
           encoding: str = "utf-8-sig") -> bytes:
    """An export file's bytes, as the console sends them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(table(fmt, rows, numbered_from=numbered_from))
    return buffer.getvalue().encode(encoding)


def write(path: Path, fmt: ExportFormat, rows: Iterable[dict[str, str]], *,
          encoding: str = "utf-8-sig") -> Path:
    """Write an export to `path`, streaming (fine for a million rows)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table(fmt, rows))
    return path


__all__ = ["MEMBERS", "ORDERS", "REFUNDS", "Generator", "render", "table", "write"]
