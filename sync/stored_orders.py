"""Which orders are stored already: what the downloader asks while it pages through the
console's order list (it stops at the first page whose orders are all known)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, select

from sync.db import Database
from sync.models import Order

# Keys per lookup: far below PostgreSQL's 32767 bind parameters.
KEY_LOOKUP_BATCH = 5000


async def orders_table_empty(db: Database) -> bool:
    """True when no order has ever been stored (the downloader then fetches every page)."""
    async with db.read() as conn:
        return not (await conn.execute(select(exists().select_from(Order)))).scalar()


async def stored_order_numbers(db: Database, numbers: Iterable[str]) -> set[str]:
    """Which of `numbers` are already stored."""
    wanted = list(dict.fromkeys(numbers))
    found: set[str] = set()
    async with db.read() as conn:
        for start in range(0, len(wanted), KEY_LOOKUP_BATCH):
            batch = wanted[start:start + KEY_LOOKUP_BATCH]
            found.update((await conn.execute(
                select(Order.order_number).where(Order.order_number.in_(batch)))).scalars())
    return found
