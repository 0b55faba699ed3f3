"""A property of every import (issue 8, item 2): damage costs exactly what was damaged.

Hypothesis writes export files — good lines, lines damaged in one way each (a bad or huge
price, a date before 0001-01-01 09:00 Korea time, a NUL byte, a key too long or of
thousands of digits, an empty or repeated key, a wrong number of cells, a cut-off last
line), or a file damaged as a whole (empty, no header, another encoding, a broken byte) —
and records which lines it damaged. `publ-sync import` of that file must then store every
undamaged line, skip every damaged line with its line number, fail as `file_invalid` only
for whole-file damage, exit 0 or 1, and leave the database consistent: a failed type's
table untouched, `new_count` equal to the rows added, no `running` row and no held guard.

Runs on SQLite and PostgreSQL, derandomized (the same examples every run) and small.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from sqlalchemy import delete, func, insert, select

from sync.cli.data_commands import cmd_import
from sync.db import open_database
from sync.errors import ErrorKind
from sync.exports import FORMATS
from sync.models import Base, SyncLock, SyncLog
from sync.report import SyncType
from sync.settings import Settings

SEED_KEY = "SEED-0"  # a stored row the generator's keys can never equal

KEY_ALPHABET = "0123456789ABCD-"
TEXT_ALPHABET = "abcXYZ 김민준이서연스탠다드,\"'*_~`\n<>&@."

PRICE_COLUMNS = {"price", "refund_request_price"}
DATE_COLUMNS = {"signed_up_at", "paid_at", "refund_requested_at"}
LIMITED_COLUMNS = {"member_code": 64}  # besides the key (String(64) too)

LINE_DAMAGE = ("bad_price", "huge_price", "old_date", "bad_date", "nul", "long_key",
               "digits_key", "empty_key", "duplicate_key", "field_count", "long_member_code")
FILE_DAMAGE = ("empty", "no_header", "utf16", "broken_byte")


@dataclass
class ExportCase:
    """One generated file and what the generator did to it."""

    sync_type: SyncType
    data: bytes
    good: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> column values
    damaged_lines: set[int] = field(default_factory=set)
    file_damage: str | None = None


def _value_strategies(sync_type: SyncType) -> dict[str, st.SearchStrategy[str]]:
    fmt = FORMATS[sync_type]
    values: dict[str, st.SearchStrategy[str]] = {}
    for column in fmt.columns.values():
        if column in PRICE_COLUMNS:
            values[column] = st.one_of(
                st.just(""),
                st.integers(-(2**63) + 1, 2**63 - 1).map(lambda n: f"{n:,}원"),
                st.integers(0, 10**6).map(str))
        elif column in DATE_COLUMNS:
            moments = st.datetimes(min_value=datetime(1, 1, 1, 9), max_value=datetime(9999, 12, 31))
            values[column] = st.one_of(
                st.just(""),
                moments.map(lambda d: d.isoformat(" ", "seconds")),
                moments.map(lambda d: d.isoformat(" ", "minutes")),
                st.dates(min_value=date(1, 1, 2)).map(date.isoformat))
        elif column in LIMITED_COLUMNS:
            values[column] = st.text(KEY_ALPHABET, max_size=LIMITED_COLUMNS[column])
        else:
            values[column] = st.text(TEXT_ALPHABET, max_size=12)
    return values


def _written(record: list[str]) -> tuple[str, int]:
    """A record as the console writes it, and how many lines it takes."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(record)
    text = buffer.getvalue()
    return text, text.count("\n") + text.count("\r") - text.count("\r\n")


@st.composite
def export_cases(draw: st.DrawFn) -> ExportCase:
    sync_type = draw(st.sampled_from(list(SyncType)))
    fmt = FORMATS[sync_type]
    headers = fmt.headers
    key_column = fmt.columns[fmt.key_header]
    values = _value_strategies(sync_type)
    keys = draw(st.lists(st.text(KEY_ALPHABET, min_size=1, max_size=20).filter(
        lambda k: k != SEED_KEY), unique=True, max_size=14))
    case = ExportCase(sync_type, b"")
    lines_text: list[str] = []
    line = 2  # the header is line 1
    for key in keys:
        row = {column: draw(values[column]) for column in fmt.columns.values()}
        row[key_column] = key
        damage = draw(st.sampled_from((None,) * 4 + LINE_DAMAGE))
        if damage == "duplicate_key":
            if not case.good:
                damage = None
            else:
                row[key_column] = draw(st.sampled_from(sorted(case.good)))
        record = _record(fmt, row, damage, draw)
        text, spans = _written(record)
        lines_text.append(text)
        if damage is None:
            case.good[key] = row
        else:
            case.damaged_lines.add(line)
        line += spans
    header_text, _ = _written(headers)
    body = "".join(lines_text)
    if lines_text and draw(st.integers(0, 9)) == 0:  # a download cut off mid-line
        body = body[:-2]
        last = line - _written_lines(lines_text[-1])
        if last not in case.damaged_lines:
            case.damaged_lines.add(last)
            case.good = {k: v for k, v in case.good.items() if k != keys[-1]}
    case.data = ("\ufeff" + header_text + body).encode("utf-8")
    case.file_damage = draw(st.sampled_from((None,) * 9 + FILE_DAMAGE))
    if case.file_damage == "empty":
        case.data = b""
    elif case.file_damage == "no_header":  # the first line is a member's data
        first, _ = _written(_record(fmt, {c: "x" for c in fmt.columns.values()}
                                    | {key_column: "M100000"}, None, draw))
        case.data = ("\ufeff" + first + body).encode("utf-8")
    elif case.file_damage == "utf16":
        case.data = (header_text + body).encode("utf-16")
    elif case.file_damage == "broken_byte":
        cut = len(case.data) // 2
        case.data = case.data[:cut] + b"\xff" + case.data[cut:]
    return case


def _written_lines(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _record(fmt: Any, row: dict[str, str], damage: str | None, draw: st.DrawFn) -> list[str]:
    """The CSV cells of `row` in the file's order, with `damage` done to them."""
    row = dict(row)
    key_column = fmt.columns[fmt.key_header]
    price = next((c for c in fmt.columns.values() if c in PRICE_COLUMNS), None)
    date = next(c for c in fmt.columns.values() if c in DATE_COLUMNS)
    texts = [c for c in fmt.columns.values() if c not in PRICE_COLUMNS | DATE_COLUMNS
             and c != key_column and c not in LIMITED_COLUMNS]
    if damage == "bad_price" and price:
        row[price] = draw(st.sampled_from(["abc", "1.5", "12,9OO원", "--3"]))
    elif damage == "huge_price" and price:
        row[price] = draw(st.sampled_from(["99999999999999999999원", "9" * 5000,
                                           "-9223372036854775809"]))
    elif damage in ("bad_price", "huge_price"):  # members have no price: a bad date instead
        row[date] = "27/12/2024"
    elif damage == "old_date":
        row[date] = draw(st.sampled_from(["0001-01-01 08:59:59", "0001-01-01", "0001-01-01 00:00"]))
    elif damage == "bad_date":
        row[date] = draw(st.sampled_from(["27/12/2024", "2024-13-01", "2024-12-27 25:00"]))
    elif damage == "nul":
        column = draw(st.sampled_from(texts + [key_column]))
        row[column] = row[column] + "\x00" + "x"
    elif damage == "long_key":
        row[key_column] = "K" * 65
    elif damage == "digits_key":
        row[key_column] = "7" * 5000
    elif damage == "empty_key":
        row[key_column] = ""
        row[texts[0]] = row[texts[0]] or "x"  # a line of only empty cells carries nothing
    elif damage == "long_member_code":
        if "member_code" in fmt.columns.values() and key_column != "member_code":
            row["member_code"] = "M" * 65
        else:
            row[key_column] = "M" * 70
    cells = [row[column] for column in fmt.columns.values()]
    if fmt.ignored:
        cells = ["1"] * len(fmt.ignored) + cells
    if damage == "field_count":
        cells = cells[:-1] if draw(st.booleans()) else cells + ["extra-cell"]
    return cells


def _stored_text(text: str) -> str | None:
    return text.strip() or None


async def _clear_and_seed(url: str, sync_type: SyncType) -> list[dict[str, Any]]:
    """Empty the tables, store one seed row of `sync_type`; returns that table's rows."""
    db = await open_database(url)
    await db.migrate()
    table = Base.metadata.tables[sync_type.value]
    key = FORMATS[sync_type].columns[FORMATS[sync_type].key_header]
    async with db.write() as conn:
        for name in ("members", "orders", "refunds", "sync_logs"):
            await conn.execute(delete(Base.metadata.tables[name]))
        await conn.execute(insert(table).values({key: SEED_KEY}))
    return await _rows(url, sync_type)


async def _rows(url: str, sync_type: SyncType) -> list[dict[str, Any]]:
    db = await open_database(url)
    table = Base.metadata.tables[sync_type.value]
    async with db.read() as conn:
        return [dict(r._mapping) for r in await conn.execute(select(table).order_by(table.c.id))]


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(case=export_cases())
async def test_damage_costs_exactly_the_damaged_lines(
        case: ExportCase, make_settings: Callable[..., Settings], database_url: str,
        tmp_path: Path) -> None:
    config = make_settings(database_url=database_url)
    before = await _clear_and_seed(database_url, case.sync_type)
    folder = tmp_path / "exports"
    folder.mkdir(exist_ok=True)
    suffix = "orders_latest" if case.sync_type is SyncType.ORDERS else case.sync_type.value
    path = folder / f"251218_164857_{suffix}.csv"
    path.write_bytes(case.data)

    out = io.StringIO()
    exit_code = await cmd_import(argparse.Namespace(files=[str(path)], sync_type=None,
                                                    force=False),
                                 config, Console(file=out, width=200))

    assert exit_code in (0, 1), out.getvalue()
    db = await open_database(database_url)
    async with db.read() as conn:
        logs = [dict(r._mapping) for r in await conn.execute(select(SyncLog))]
        running = (await conn.execute(select(func.count()).select_from(SyncLog)
                                      .where(SyncLog.status == "running"))).scalar()
        holder = (await conn.execute(select(SyncLock.run_id))).scalars().all()
    assert running == 0
    assert all(run_id is None for run_id in holder)
    [log] = logs
    after = await _rows(database_url, case.sync_type)
    if case.file_damage is not None:
        assert exit_code == 1
        assert log["status"] == "failed" and log["error_kind"] == ErrorKind.FILE_INVALID.value
        assert after == before  # the failed type's table is untouched
        return
    assert exit_code == 0, out.getvalue()
    assert log["status"] == "success", log["error_detail"]
    skipped = {row["line"] for row in (log["details"] or {}).get("skipped_rows", [])}
    assert skipped == case.damaged_lines
    assert log["skipped_count"] == len(case.damaged_lines)
    fmt = FORMATS[case.sync_type]
    key_column = fmt.columns[fmt.key_header]
    stored = {row[key_column]: row for row in after}
    assert log["new_count"] == len(after) - len(before) == len(case.good)
    for key, row in case.good.items():
        assert key in stored
        for column, text in row.items():
            if column not in PRICE_COLUMNS | DATE_COLUMNS:
                assert stored[key][column] == _stored_text(text), column
