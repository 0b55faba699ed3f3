"""Database tables, named the Rails way so the existing dashboard can read them.

Times are stored in UTC. Schema changes ship as Alembic migrations in `sync/migrations/`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back as aware UTC.

    SQLite keeps no zone; PostgreSQL's `timestamp without time zone` is what Rails uses.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


naming = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=naming)
    # none_as_null: an absent `extra` is SQL NULL, not the JSON text 'null'.
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(none_as_null=True)}


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Member(Timestamps, Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    member_code: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(Text)
    birth_year: Mapped[str | None] = mapped_column(Text)
    personal_email: Mapped[str | None] = mapped_column(Text)
    mobile_number: Mapped[str | None] = mapped_column(Text)
    signed_up_at: Mapped[datetime | None]
    extra: Mapped[dict[str, Any] | None]


class Order(Timestamps, Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    product_name: Mapped[str | None] = mapped_column(Text)
    product_type: Mapped[str | None] = mapped_column(Text)
    price: Mapped[int | None] = mapped_column(BigInteger)
    buyer_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    # Not indexed: nothing looks orders up by member, and on SQLite the index cost a
    # third of the write time of a large import (bench/import_bench.py).
    member_code: Mapped[str | None] = mapped_column(String(64))
    payment_type: Mapped[str | None] = mapped_column(Text)
    payment_method: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None] = mapped_column(index=True)  # the daily summary's counts
    extra: Mapped[dict[str, Any] | None]


class Refund(Timestamps, Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    refund_status: Mapped[str | None] = mapped_column(Text)
    refund_request_price: Mapped[int | None] = mapped_column(BigInteger)
    username: Mapped[str | None] = mapped_column(Text)
    member_code: Mapped[str | None] = mapped_column(String(64))
    refund_requested_at: Mapped[datetime | None]
    extra: Mapped[dict[str, Any] | None]


class RefundStatusChange(Base):
    """A refund's status as a sync saw it change (`Requested` → `Refunded`, say), written by
    the import that saw it. The export has no "refunded at" column, so this is the only
    way to tell when a refund was settled; statuses already there at a first import are not
    changes anyone saw and are not recorded."""

    __tablename__ = "refund_status_changes"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64))
    old_status: Mapped[str | None] = mapped_column(Text)
    new_status: Mapped[str | None] = mapped_column(Text)
    refund_request_price: Mapped[int | None] = mapped_column(BigInteger)
    observed_at: Mapped[datetime] = mapped_column(index=True)


class SyncLog(Timestamps, Base):
    """One row per export type per run; `owner` + `heartbeat_at` tell a live run from a dead one."""

    __tablename__ = "sync_logs"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36), index=True)
    sync_type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    trigger: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str | None] = mapped_column(Text)
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None] = mapped_column(Text)
    error_detail: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None]
    owner: Mapped[str | None] = mapped_column(String(128))
    heartbeat_at: Mapped[datetime | None]


class SyncLock(Base):
    """The guard: at most one row per name; a run holds it while its heartbeat is fresh."""

    __tablename__ = "sync_locks"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_id: Mapped[str | None] = mapped_column(String(36))
    owner: Mapped[str | None] = mapped_column(String(128))
    trigger: Mapped[str | None] = mapped_column(String(16))
    requested_by: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]


class ScheduleClaim(Base):
    """Which process took a scheduled (or caught-up) run, so two bots run it once."""

    __tablename__ = "schedule_claims"
    __table_args__ = (UniqueConstraint("job_id", "scheduled_for"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64))
    scheduled_for: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    run_id: Mapped[str | None] = mapped_column(String(36))


class ConsoleDrift(Timestamps, Base):
    """A console control found only through a fallback locator (`sync.drifts`): kept until
    its configured locator works again, so that the channel hears of it once."""

    __tablename__ = "console_drifts"
    __table_args__ = (UniqueConstraint("setting", "how", "found"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    setting: Mapped[str] = mapped_column(String(64))
    page: Mapped[str] = mapped_column(String(32))
    how: Mapped[str] = mapped_column(String(32))
    found: Mapped[str] = mapped_column(String(200))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    announced_at: Mapped[datetime | None]


class AlertIncident(Timestamps, Base):
    """An open (or closed) failure alert: its Slack message and when it last reminded."""

    __tablename__ = "alert_incidents"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    first_failed_at: Mapped[datetime]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_reminded_at: Mapped[datetime | None]
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error_kind: Mapped[str | None] = mapped_column(String(32))
    last_run_id: Mapped[str | None] = mapped_column(String(36))


class SlackOutbox(Timestamps, Base):
    """A Slack message that could not be delivered (Slack unreachable), kept until it is.

    Everything in it is opaque to `sync/`: the bot hands a channel id, a thread ts, the
    text and the rendered blocks as JSON. Only channel targets are kept (a response_url is
    a credential and expires: never stored).
    """

    __tablename__ = "slack_outbox"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # what it is: "run", "alert", "summary", …
    run_id: Mapped[str | None] = mapped_column(String(36), index=True)
    run_started_at: Mapped[datetime | None]
    channel: Mapped[str] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    replaces_ts: Mapped[str | None] = mapped_column(String(32))  # a stale message to retire
    text: Mapped[str] = mapped_column(Text)
    blocks_json: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class HomeVisit(Base):
    """When a Slack user last opened the bot's Home tab, so their view is refreshed after
    runs for `HOME_REFRESH_HOURS` (the bot hands over an opaque user id)."""

    __tablename__ = "home_visits"
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opened_at: Mapped[datetime]
