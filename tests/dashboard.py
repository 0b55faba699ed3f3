"""A Rails dashboard's database as its own migrations left it, written with plain SQL.

For the adoption tests that need no Ruby: the tables `members`, `orders`, `refunds` and
`sync_logs` in the shape a Rails 6.1 migration gives them (an integer `id` from the
table's own sequence, `created_at`/`updated_at`, some contract columns missing), Rails'
`schema_migrations`/`ar_internal_metadata`, a few rows and one old `failed` log row.
`variant` breaks one thing an adoption must refuse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

OLD_LOG_MESSAGE = "회원 CSV 파일을 찾을 수 없습니다."
DUPLICATE_CODES = [f"D{n:03d}" for n in range(12)]


def _ddl(sqlite: bool, variant: str) -> list[str]:
    pk = "integer PRIMARY KEY AUTOINCREMENT NOT NULL" if sqlite else "bigserial PRIMARY KEY"
    stamp = "datetime(6) NOT NULL" if sqlite else "timestamp(6) without time zone NOT NULL"
    when = "datetime(6)" if sqlite else "timestamp(6) without time zone"
    price = "varchar" if variant == "text_price" else "integer"
    refund_pk = {"text_id": "varchar PRIMARY KEY", "no_sequence": "bigint PRIMARY KEY"}.get(
        variant, pk)
    order_key = "" if variant == "no_key" else "order_number varchar NOT NULL, "
    statements = [
        "CREATE TABLE schema_migrations (version varchar NOT NULL PRIMARY KEY)",
        f"CREATE TABLE ar_internal_metadata (key varchar NOT NULL PRIMARY KEY, value varchar, "
        f"created_at {stamp}, updated_at {stamp})",
        f"CREATE TABLE members (id {pk}, member_code varchar NOT NULL, username varchar, "
        f"email varchar, name varchar, signed_up_at {when}, memo text, "
        f"{'plan varchar NOT NULL, ' if variant == 'required' else ''}"
        f"created_at {stamp}, updated_at {stamp})",
        f"CREATE TABLE orders (id {pk}, {order_key}product_name varchar, price {price}, "
        f"member_code varchar, paid_at {when}, created_at {stamp}, updated_at {stamp})",
        f"CREATE TABLE refunds (id {refund_pk}, order_number varchar, refund_status varchar, "
        f"refund_request_price integer, created_at {stamp}, updated_at {stamp})",
        f"CREATE TABLE sync_logs (id {pk}, sync_type varchar, status varchar, "
        f"error_message text, created_at {stamp}, updated_at {stamp})",
        "CREATE INDEX index_orders_on_member_code ON orders (member_code)",
    ]
    if variant != "duplicates":
        statements.append(
            "CREATE UNIQUE INDEX index_members_on_member_code ON members (member_code)")
    return statements


def _rows(variant: str) -> list[tuple[str, dict[str, Any]]]:
    at = "2024-06-01 03:00:00"
    order_key = "" if variant == "no_key" else "order_number, "
    order_value = "" if variant == "no_key" else "'20230000000001', "
    plan = ("plan, ", "'basic', ") if variant == "required" else ("", "")
    refund_id = {"text_id": ("id, ", "'r-1', "), "no_sequence": ("id, ", "7, ")}.get(
        variant, ("", ""))
    rows = [
        ("INSERT INTO schema_migrations (version) VALUES ('20240101000000')", {}),
        (f"INSERT INTO ar_internal_metadata (key, value, created_at, updated_at) "
         f"VALUES ('environment', 'production', '{at}', '{at}')", {}),
        # An explicit id, as a data copy leaves it: PostgreSQL's sequence is now behind.
        (f"INSERT INTO members ({plan[0]}id, member_code, username, name, signed_up_at, "
         f"memo, created_at, updated_at) VALUES ({plan[1]}3, 'M000001', 'olduser', '옛회원', "
         f"'{at}', 'VIP', '{at}', '{at}')", {}),
        (f"INSERT INTO members ({plan[0]}member_code, username, name, created_at, updated_at) "
         f"VALUES ({plan[1]}'M100000', 'user000000', '이전이름', '{at}', '{at}')", {}),
        (f"INSERT INTO orders ({order_key}product_name, price, member_code, paid_at, created_at, "
         f"updated_at) VALUES ({order_value}'옛 상품', "
         f"{'12000' if variant != 'text_price' else chr(39) + '12000' + chr(39)}, "
         f"'M000001', '{at}', '{at}', '{at}')", {}),
        (f"INSERT INTO refunds ({refund_id[0]}order_number, refund_status, "
         f"refund_request_price, created_at, updated_at) VALUES ({refund_id[1]}'20230000000001', "
         f"'Requested', 12000, '{at}', '{at}')", {}),
        (f"INSERT INTO sync_logs (sync_type, status, error_message, created_at, updated_at) "
         f"VALUES ('members', 'failed', :message, '{at}', '{at}')", {"message": OLD_LOG_MESSAGE}),
    ]
    if variant == "duplicates":
        for n, code in enumerate(DUPLICATE_CODES * 2):
            rows.append((f"INSERT INTO members ({plan[0]}id, member_code, created_at, "
                         f"updated_at) VALUES ({plan[1]}{100 + n}, '{code}', '{at}', '{at}')",
                         {}))
    return rows


async def create_dashboard(url: str, variant: str = "normal") -> None:
    """Write the dashboard's tables and rows into the (empty) database at `url`."""
    database = make_url(url).database
    if make_url(url).get_backend_name() == "sqlite" and database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        async with engine.begin() as conn:
            for statement in _ddl(sqlite, variant):
                await conn.execute(text(statement))
            for statement, params in _rows(variant):
                await conn.execute(text(statement), params)
    finally:
        await engine.dispose()


async def snapshot(url: str) -> dict[str, Any]:
    """Every table's columns, indexes and rows, to compare before and after."""
    from sqlalchemy import inspect

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            def read(sync_conn: Any) -> dict[str, Any]:
                inspector = inspect(sync_conn)
                out: dict[str, Any] = {}
                for table in sorted(inspector.get_table_names()):
                    columns = [(c["name"], str(c["type"]), c["nullable"])
                               for c in inspector.get_columns(table)]
                    indexes = sorted((i["name"] or "", tuple(i["column_names"]), i["unique"])
                                     for i in inspector.get_indexes(table))
                    rows = sync_conn.execute(text(f"SELECT * FROM {table}")).all()
                    out[table] = {"columns": columns, "indexes": indexes,
                                  "rows": sorted(map(repr, rows))}
                return out
            return await conn.run_sync(read)
    finally:
        await engine.dispose()
