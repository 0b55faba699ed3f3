"""Adopting a database whose contract tables the Rails dashboard's own migrations created.

Such a database has `members`, `orders`, `refunds` and/or `sync_logs` but no
`alembic_version`, so creating the tables would fail ("table members already exists").
Adoption instead brings each existing contract table to what revision 0001 needs — adding
the missing columns (nullable or with a default, so existing rows stay valid), the unique
index on the key and 0001's other indexes — creates 0001's tables that are missing, moves
PostgreSQL id sequences past the existing rows, and records revision 0001; the normal
`upgrade head` then applies the later revisions. It never drops, renames or retypes a
column it did not create and never touches Rails' own tables.

Everything is checked before the first change, and the whole adoption runs in the caller's
transaction (DDL is transactional on both SQLite and PostgreSQL), so a refusal or an error
leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.types import NullType, TypeEngine

from sync.i18n import t

CONTRACT_TABLES = ("members", "orders", "refunds", "sync_logs")
KEY_COLUMNS = {"members": "member_code", "orders": "order_number", "refunds": "order_number"}
ADOPTED_REVISION = "0001"
DUPLICATES_NAMED = 10
# Columns publ-sync writes on every insert, so a NOT NULL without default there is fine.
TIMESTAMP_COLUMNS = ("created_at", "updated_at")


class AdoptionRefused(Exception):
    """The database cannot be adopted; `sentences(lang)` says why, one sentence per problem.

    `str()` stays generic: a duplicate key may be a member code, which belongs in the
    operator's terminal, never in a log."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the database cannot be adopted ({len(problems)} problem(s))")
        self.problems = problems

    def sentences(self, lang: str) -> list[str]:
        return [problem.sentence(lang) for problem in self.problems]


@dataclass
class Problem:
    """One reason to refuse, as a catalog key and its fields."""

    key: str
    fields: dict[str, Any]

    def sentence(self, lang: str) -> str:
        return t(f"adopt.refuse.{self.key}", lang, **self.fields)


@dataclass
class IndexPlan:
    name: str
    columns: list[str]
    unique: bool


@dataclass
class TablePlan:
    """What adoption does to one existing contract table."""

    name: str
    rows: int
    add_columns: list[sa.Column[Any]] = field(default_factory=list)
    fill_now: list[str] = field(default_factory=list)  # added timestamps, set on old rows
    add_indexes: list[IndexPlan] = field(default_factory=list)
    sequence: tuple[str, int] | None = None  # PostgreSQL: (sequence, last id) to move past


@dataclass
class AdoptionPlan:
    """The whole adoption, computed without changing anything."""

    needed: bool
    tables: list[TablePlan] = field(default_factory=list)
    create_tables: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- revision 0001, as data ---------------------------------------------------------------

class _Recorder:
    """Stands in for `alembic.op` while 0001's `upgrade()` runs, collecting its tables and
    indexes into a MetaData instead of executing them — so adoption follows 0001 exactly
    without a copy of it that could drift."""

    def __init__(self) -> None:
        self.metadata = sa.MetaData()

    @staticmethod
    def f(name: str) -> str:
        return name

    def create_table(self, name: str, *elements: Any, **kwargs: Any) -> sa.Table:
        return sa.Table(name, self.metadata, *elements, **kwargs)

    @contextlib.contextmanager
    def batch_alter_table(self, name: str, **_: Any) -> Iterator[Any]:
        table = self.metadata.tables[name]

        class Batch:
            f = staticmethod(_Recorder.f)

            @staticmethod
            def create_index(index: str, columns: list[str], unique: bool = False) -> None:
                sa.Index(index, *(table.c[c] for c in columns), unique=unique)

        yield Batch()


@cache
def revision_0001() -> sa.MetaData:
    """The tables, columns and indexes revision 0001 creates."""
    path = Path(__file__).parent / "migrations" / "versions" / "0001_initial_tables.py"
    spec = importlib.util.spec_from_file_location("_publ_sync_revision_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recorder = _Recorder()
    module.op = recorder  # type: ignore[attr-defined]
    module.upgrade()
    return recorder.metadata


# --- planning -------------------------------------------------------------------------------

def plan_adoption(conn: Connection) -> AdoptionPlan:
    """What adopting this database would do, or why it cannot; changes nothing."""
    inspector = sa.inspect(conn)
    existing = set(inspector.get_table_names())
    if "alembic_version" in existing or not existing.intersection(CONTRACT_TABLES):
        return AdoptionPlan(needed=False)
    plan = AdoptionPlan(needed=True)
    wanted = revision_0001()
    for name, table in wanted.tables.items():
        if name not in existing:
            plan.create_tables.append(name)
        elif name in CONTRACT_TABLES:
            plan.tables.append(_plan_table(conn, inspector, table, plan.problems))
    return plan


def _plan_table(conn: Connection, inspector: Any, wanted: sa.Table,
                problems: list[Problem]) -> TablePlan:
    name = wanted.name
    columns = {c["name"]: c for c in inspector.get_columns(name)}
    rows = conn.execute(sa.text(f"SELECT count(*) FROM {_quoted(conn, name)}")).scalar_one()
    plan = TablePlan(name=name, rows=int(rows))
    sqlite = conn.dialect.name == "sqlite"
    if "id" not in columns or _kind(columns["id"]["type"]) != "integer" or \
            inspector.get_pk_constraint(name).get("constrained_columns") != ["id"]:
        problems.append(Problem("no_id", {"table": name}))
    key = KEY_COLUMNS.get(name)
    if key is not None and key not in columns:
        problems.append(Problem("key_missing", {"table": name, "column": key}))
    for column in wanted.columns:
        found = columns.get(column.name)
        if found is None:
            if column.name != key and column.name != "id":
                plan.add_columns.append(_addable(column))
                if column.name in TIMESTAMP_COLUMNS:
                    plan.fill_now.append(column.name)
        elif column.name != "id" and not _compatible(column.type, found["type"], sqlite):
            problems.append(Problem("bad_type", {
                "table": name, "column": column.name, "found": _type_name(found["type"]),
                "needed": _kind(column.type)}))
    for extra in columns.values():
        if (extra["name"] not in wanted.c and not extra["nullable"]
                and extra.get("default") is None and extra.get("autoincrement") is not True):
            problems.append(Problem("required_column", {"table": name,
                                                         "column": extra["name"]}))
    if key is not None and key in columns and not _has_unique(inspector, name, key):
        duplicates = _duplicate_keys(conn, name, key)
        if duplicates:
            shown = ", ".join(duplicates[:DUPLICATES_NAMED])
            more = len(duplicates) - DUPLICATES_NAMED
            problems.append(Problem("duplicates" if more <= 0 else "duplicates_more", {
                "table": name, "column": key, "keys": shown, "count": len(duplicates),
                "more": max(more, 0)}))
    if key is not None and key in columns and not _has_unique(inspector, name, key):
        # 0001's unique constraint, as an index: SQLite cannot add a constraint later.
        plan.add_indexes.append(IndexPlan(f"uq_{name}_{key}", [key], True))
    existing_indexes = {index["name"] for index in inspector.get_indexes(name)}
    for index in sorted(wanted.indexes, key=lambda i: i.name or ""):
        if index.name and index.name not in existing_indexes:
            plan.add_indexes.append(IndexPlan(index.name, [c.name for c in index.columns],
                                              bool(index.unique)))
    if sqlite and "id" in columns and _kind(columns["id"]["type"]) == "integer" and \
            not isinstance(columns["id"]["type"], sa.INTEGER):
        # Only a column declared INTEGER PRIMARY KEY is numbered by SQLite itself.
        problems.append(Problem("no_rowid", {"table": name}))
    if not sqlite and "id" in columns:
        plan.sequence = _sequence_behind(conn, name)
        if plan.sequence is None and not columns["id"].get("default") and \
                not columns["id"].get("identity"):
            problems.append(Problem("no_sequence", {"table": name}))
    return plan


def _addable(column: sa.Column[Any]) -> sa.Column[Any]:
    """0001's column as it can be added to a table with rows: a NOT NULL count gets the
    default 0, anything else NOT NULL becomes nullable (old rows have no value for it)."""
    if not column.nullable and isinstance(column.type, sa.Integer):
        return sa.Column(column.name, column.type, nullable=False, server_default="0")
    return sa.Column(column.name, column.type, nullable=True)


# A column type's family by the first class it is an instance of (Text is a String).
_KINDS: tuple[tuple[type[TypeEngine[Any]], str], ...] = (
    (sa.Boolean, "boolean"), (sa.Integer, "integer"), (sa.Numeric, "number"),
    (sa.DateTime, "datetime"), (sa.Date, "date"), (sa.JSON, "json"), (sa.String, "text"),
    (NullType, "unknown"))


def _kind(type_: TypeEngine[Any]) -> str:
    """A column type's family, as far as storing publ-sync's values is concerned."""
    return next((kind for family, kind in _KINDS if isinstance(type_, family)), "other")


ACCEPTED = {
    "text": {"text"},
    "integer": {"integer", "number"},
    "datetime": {"datetime"},
    "json": {"json", "text"},
    "boolean": {"boolean"},
}


def _compatible(needed: TypeEngine[Any], found: TypeEngine[Any], sqlite: bool) -> bool:
    """Whether publ-sync's values fit the existing column without loss. On SQLite a column
    of no declared type takes any value as it is given."""
    found_kind = _kind(found)
    if sqlite and found_kind == "unknown":
        return True
    return found_kind in ACCEPTED.get(_kind(needed), {_kind(needed)})


def _type_name(type_: TypeEngine[Any]) -> str:
    try:
        return str(type_)
    except Exception:  # a type the dialect cannot print still has a class name
        return type(type_).__name__


def _has_unique(inspector: Any, table: str, column: str) -> bool:
    """A unique index or constraint on exactly this column (an upsert's target)."""
    for index in inspector.get_indexes(table):
        if index["unique"] and index["column_names"] == [column]:
            return True
    return any(constraint["column_names"] == [column]
               for constraint in inspector.get_unique_constraints(table))


def _duplicate_keys(conn: Connection, table: str, key: str) -> list[str]:
    """Every key stored more than once, in order."""
    rows = conn.execute(sa.text(
        f"SELECT {key} FROM {_quoted(conn, table)} WHERE {key} IS NOT NULL "
        f"GROUP BY {key} HAVING count(*) > 1 ORDER BY {key}")).scalars()
    return [str(value) for value in rows]


def _sequence_behind(conn: Connection, table: str) -> tuple[str, int] | None:
    """PostgreSQL: the id sequence and the largest id, when the sequence would hand out an
    id already taken (rows copied in with their ids)."""
    sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"),
                            {"t": table}).scalar_one()
    if sequence is None:
        return None
    largest = conn.execute(sa.text(f"SELECT max(id) FROM {_quoted(conn, table)}")).scalar_one()
    if largest is None:
        return None
    last, called = conn.execute(sa.text(f"SELECT last_value, is_called FROM {sequence}")).one()
    upcoming = last + 1 if called else last
    return (sequence, int(largest)) if upcoming <= largest else None


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


# --- applying ---------------------------------------------------------------------------

def apply_adoption(conn: Connection, plan: AdoptionPlan, now: datetime | None = None) -> None:
    """Carry out a plan without problems, inside the caller's transaction, then record
    revision 0001 so that `upgrade head` continues from there."""
    assert plan.needed and not plan.problems
    # Imported here, not at the top: every command opens the database through this module,
    # and Alembic (with the SQL dialects it loads) costs `publ-sync run` ~0.3 s of start-up
    # while only an adoption needs it.
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    ops = Operations(MigrationContext.configure(conn))
    wanted = revision_0001()
    for table_plan in plan.tables:
        for column in table_plan.add_columns:
            ops.add_column(table_plan.name, column)
        if table_plan.fill_now:
            table = sa.table(table_plan.name, *(sa.column(name, sa.DateTime())
                                                 for name in table_plan.fill_now))
            conn.execute(table.update().values({name: stamp for name in table_plan.fill_now}))
        for index in table_plan.add_indexes:
            ops.create_index(index.name, table_plan.name, index.columns, unique=index.unique)
        if table_plan.sequence is not None:
            sequence, largest = table_plan.sequence
            conn.execute(sa.text("SELECT setval(CAST(:s AS regclass), :n)"),
                         {"s": sequence, "n": largest})
    for name in plan.create_tables:
        table = wanted.tables[name]
        table.create(conn)
    _stamp(conn)


def _stamp(conn: Connection) -> None:
    from alembic import command

    from sync.db import alembic_config

    config = alembic_config()
    config.attributes["connection"] = conn
    command.stamp(config, ADOPTED_REVISION)


def adopt_if_needed(conn: Connection) -> AdoptionPlan:
    """On start: adopt a dashboard's database (or raise `AdoptionRefused`, changing
    nothing); a fresh or already managed database is left to the migrations."""
    plan = plan_adoption(conn)
    if plan.needed:
        if plan.problems:
            raise AdoptionRefused(plan.problems)
        apply_adoption(conn, plan)
    return plan


async def inspect_adoption(url: str) -> AdoptionPlan:
    """The plan for the database at `url`, read without changing it: no migration, no
    journal-mode switch, and no SQLite file created where there is none."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not _sqlite_file_exists(parsed.database):
        return AdoptionPlan(needed=False)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            plan = await conn.run_sync(plan_adoption)
            await conn.rollback()
            return plan
    finally:
        await engine.dispose()


def _sqlite_file_exists(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and Path(database or "").exists()


async def adoption_refusal(url: str) -> AdoptionRefused | None:
    """For a process about to start: the refusal, when the database holds the dashboard's
    tables and they cannot be adopted. Only looks (the first open adopts); any other
    problem is left to the runs, which report it in their own words."""
    try:
        plan = await inspect_adoption(url)
    except Exception:  # unreachable, locked, …: not adoption's to judge
        return None
    return AdoptionRefused(plan.problems) if plan.needed and plan.problems else None
