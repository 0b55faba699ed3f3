"""The business digest: what the channel sold in a window of calendar days, in counts and sums.

Everything here is a count or a sum over the synced tables, or a product name (a
product-level fact): never a member's, buyer's or refund requester's data. Days are calendar
days in `TIMEZONE`. A day is *covered* when a successful sync finished after it ended; before
that the database simply does not know the day yet, which is not the same as "no orders".

Queries live here; `digest_text` turns a `Digest` into the lines both renderers lay out (the
Block Kit one in `bot/render/digest.py`, the terminal one in `sync/cli/terminal_digest.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sync.db import Database
from sync.i18n import t
from sync.models import Member, Order, Refund, RefundStatusChange, SyncLog
from sync.report import SYNC_TYPES

SUBSCRIPTION = "Regular Payment"  # the orders export's Payment Type for a subscription
SETTLED = ("Refunded", "Rejected")
TOP_PRODUCTS = 3
CHART_DAYS = 28


@dataclass(frozen=True)
class Sales:
    """A number of orders (or refunds) and their amount in won."""

    count: int = 0
    amount: int = 0


@dataclass(frozen=True)
class Change:
    """A figure for the latest period and the one before it."""

    current: int
    earlier: int

    @property
    def percent(self) -> float | None:
        """The change in percent; None when the earlier period had nothing to compare."""
        if self.earlier == 0:
            return None
        return (self.current - self.earlier) / self.earlier * 100


@dataclass
class Digest:
    """The digest of the calendar days `first`…`last` (inclusive) in `TIMEZONE`."""

    first: date
    last: date
    covered_days: int  # days of the window a successful sync has seen the end of
    based_on: datetime | None  # when the last successful sync finished
    orders: Sales = Sales()
    subscriptions: Sales = Sales()
    one_time: Sales = Sales()
    new_members: int = 0
    refund_requests: Sales = Sales()
    refunded: Sales = Sales()  # observed by syncs moving to Refunded
    rejected: Sales = Sales()  # observed by syncs moving to Rejected
    compare_days: int = 7
    revenue_change: Change = Change(0, 0)
    orders_change: Change = Change(0, 0)
    top_products: list[tuple[str, Sales]] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def covered(self) -> bool:
        return self.covered_days >= self.days


@dataclass(frozen=True)
class Totals:
    """What the database holds, as counts (the scheduled message's health section)."""

    members: int
    orders_day: int
    orders_week: int
    open_refunds: int


async def database_totals(db: Database, now: datetime) -> Totals:
    """Members, orders paid in the last day and 7 days, refund requests still open."""
    async with db.read() as conn:
        return Totals(
            members=await _scalar(conn, select(func.count()).select_from(Member)),
            orders_day=await _scalar(conn, select(func.count()).select_from(Order)
                                     .where(Order.paid_at >= now - timedelta(days=1))),
            orders_week=await _scalar(conn, select(func.count()).select_from(Order)
                                      .where(Order.paid_at >= now - timedelta(days=7))),
            open_refunds=await _scalar(conn, select(func.count()).select_from(Refund)
                                       .where(Refund.refund_status == "Requested")),
        )


@dataclass(frozen=True)
class DayPoint:
    """One day of the chart: its date, revenue and orders (None: not covered yet)."""

    day: date
    revenue: int | None
    orders: int | None


def _bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The window as [start, end) instants."""
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def previous_day(now: datetime, tz_name: str) -> date:
    """Yesterday as a calendar day in `TIMEZONE`."""
    return now.astimezone(ZoneInfo(tz_name)).date() - timedelta(days=1)


async def last_success(db: Database) -> datetime | None:
    """When the newest sync whose three types all succeeded finished."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(SyncLog.run_id, func.max(SyncLog.finished_at).label("finished"))
            .where(SyncLog.status == "success")
            .group_by(SyncLog.run_id)
            .having(func.count(func.distinct(SyncLog.sync_type)) == len(SYNC_TYPES))
            .order_by(func.max(SyncLog.finished_at).desc()).limit(1))).first()
    return row.finished if row is not None else None


async def build_digest(db: Database, tz_name: str, last: date, days: int = 1) -> Digest:
    """The digest of the `days` calendar days ending with `last`, compared (revenue and
    orders) with as many days before, at least a week each."""
    tz = ZoneInfo(tz_name)
    first = last - timedelta(days=days - 1)
    start, end = _bounds(first, last, tz)
    based_on = await last_success(db)
    covered = 0
    for offset in range(days):
        day_end = _bounds(first + timedelta(days=offset), first + timedelta(days=offset), tz)[1]
        if based_on is not None and based_on >= day_end:
            covered += 1
    compare = max(days, 7)
    recent_start = end - timedelta(days=compare)
    earlier_start = recent_start - timedelta(days=compare)
    async with db.read() as conn:
        orders, subscriptions = await _order_sales(conn, start, end)
        recent, _ = await _order_sales(conn, recent_start, end)
        earlier, _ = await _order_sales(conn, earlier_start, recent_start)
        members = await _scalar(conn, select(func.count()).select_from(Member).where(
            Member.signed_up_at >= start, Member.signed_up_at < end))
        requests = await _sales(conn, select(func.count(), func.sum(Refund.refund_request_price))
                                .where(Refund.refund_requested_at >= start,
                                       Refund.refund_requested_at < end))
        settled = await _settled(conn, start, end)
        top = await _top_products(conn, start, end)
    return Digest(
        first=first, last=last, covered_days=covered, based_on=based_on,
        orders=orders, subscriptions=subscriptions,
        one_time=Sales(orders.count - subscriptions.count, orders.amount - subscriptions.amount),
        new_members=members, refund_requests=requests,
        refunded=settled.get("Refunded", Sales()), rejected=settled.get("Rejected", Sales()),
        compare_days=compare,
        revenue_change=Change(recent.amount, earlier.amount),
        orders_change=Change(recent.count, earlier.count), top_products=top)


async def _scalar(conn: AsyncConnection, query: object) -> int:
    return int((await conn.execute(query)).scalar_one() or 0)  # type: ignore[call-overload]


async def _sales(conn: AsyncConnection, query: object) -> Sales:
    row = (await conn.execute(query)).one()  # type: ignore[call-overload]
    return Sales(int(row[0] or 0), int(row[1] or 0))


async def _order_sales(conn: AsyncConnection, start: datetime,
                       end: datetime) -> tuple[Sales, Sales]:
    """All orders paid in [start, end) and the subscription ones among them."""
    is_sub = Order.payment_type == SUBSCRIPTION
    row = (await conn.execute(select(
        func.count(), func.sum(Order.price),
        func.sum(case((is_sub, 1), else_=0)), func.sum(case((is_sub, Order.price), else_=0)),
    ).where(Order.paid_at >= start, Order.paid_at < end))).one()
    return (Sales(int(row[0] or 0), int(row[1] or 0)),
            Sales(int(row[2] or 0), int(row[3] or 0)))


async def _settled(conn: AsyncConnection, start: datetime, end: datetime) -> dict[str, Sales]:
    """Refunds syncs saw move to Refunded or Rejected in [start, end), by new status."""
    rows = (await conn.execute(
        select(RefundStatusChange.new_status, func.count(),
               func.sum(RefundStatusChange.refund_request_price))
        .where(RefundStatusChange.observed_at >= start, RefundStatusChange.observed_at < end,
               RefundStatusChange.new_status.in_(SETTLED))
        .group_by(RefundStatusChange.new_status))).all()
    return {str(row[0]): Sales(int(row[1] or 0), int(row[2] or 0)) for row in rows}


async def _top_products(conn: AsyncConnection, start: datetime,
                        end: datetime) -> list[tuple[str, Sales]]:
    revenue = func.sum(Order.price)
    rows = (await conn.execute(
        select(Order.product_name, func.count(), revenue)
        .where(Order.paid_at >= start, Order.paid_at < end, Order.product_name.is_not(None))
        .group_by(Order.product_name)
        .order_by(revenue.desc(), Order.product_name).limit(TOP_PRODUCTS))).all()
    return [(str(row[0]), Sales(int(row[1] or 0), int(row[2] or 0))) for row in rows]


async def daily_series(db: Database, tz_name: str, last: date,
                       days: int = CHART_DAYS) -> list[DayPoint]:
    """Revenue and orders per calendar day for the chart, oldest first; a day no
    successful sync has seen the end of has no figures."""
    tz = ZoneInfo(tz_name)
    first = last - timedelta(days=days - 1)
    start, end = _bounds(first, last, tz)
    based_on = await last_success(db)
    async with db.read() as conn:
        rows = (await conn.execute(select(Order.paid_at, Order.price)
                                   .where(Order.paid_at >= start, Order.paid_at < end))).all()
    revenue: dict[date, int] = {}
    orders: dict[date, int] = {}
    for paid_at, price in rows:
        if paid_at is None:
            continue
        day = paid_at.astimezone(tz).date()
        revenue[day] = revenue.get(day, 0) + int(price or 0)
        orders[day] = orders.get(day, 0) + 1
    points = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        day_end = _bounds(day, day, tz)[1]
        if based_on is None or based_on < day_end:
            points.append(DayPoint(day, None, None))
        else:
            points.append(DayPoint(day, revenue.get(day, 0), orders.get(day, 0)))
    return points


async def first_scheduled_run_of_day(db: Database, run_id: str, started_at: datetime,
                                     tz_name: str) -> bool:
    """Whether `run_id` is the first scheduled (or caught-up) run that started on its
    calendar day: only that one carries the digest."""
    tz = ZoneInfo(tz_name)
    local = started_at.astimezone(tz).date()
    day_start = datetime.combine(local, time(0), tzinfo=tz)
    async with db.read() as conn:
        earlier = await _scalar(conn, select(func.count(func.distinct(SyncLog.run_id))).where(
            SyncLog.trigger.in_(("schedule", "catch_up")), SyncLog.run_id != run_id,
            SyncLog.started_at >= day_start, SyncLog.started_at < started_at))
    return earlier == 0


# --- the digest as lines of text, for both renderers ---------------------------------------


@dataclass
class DigestText:
    """A digest ready to lay out: a title, lines, product lines (their names are outside
    text: a renderer escapes `{name}`), and a note on what data it rests on."""

    title: str
    lines: list[str]
    products_title: str = ""
    products: list[tuple[str, str]] = field(default_factory=list)  # (name, "1. {name} — …")
    note: str = ""


def won(amount: int, lang: str) -> str:
    """`1,234,500원` (or `₩1,234,500`)."""
    return t("digest.won", lang, amount=f"{amount:,}")


def day_label(day: date, lang: str) -> str:
    """`12월 1일 (월)` / `Tue, Dec 1`."""
    weekday = t("digest.weekdays", lang).split()[day.weekday()]
    month = t("digest.months", lang).split()[day.month - 1]
    return t("digest.date", lang, month=month, day=day.day, weekday=weekday)


def change_text(change: Change, lang: str) -> str:
    """`▲ 12.3%`, `▼ 4.0%`, `신규` when the earlier period had none, `-` when neither did."""
    percent = change.percent
    if percent is None:
        return t("digest.change.new", lang) if change.current else "-"
    if percent > 0:
        return f"▲ {percent:.1f}%"
    if percent < 0:
        return f"▼ {-percent:.1f}%"
    return "0.0%"


def _sales_text(sales: Sales, lang: str) -> str:
    return t("digest.sales", lang, count=f"{sales.count:,}", amount=won(sales.amount, lang))


def digest_text(digest: Digest, lang: str, *, local_time: str | None = None,
                run_failed: bool = False) -> DigestText:
    """The digest in `lang`. `local_time` is the last successful sync's finish, shown in
    `TIMEZONE` by the caller; with `run_failed` the digest says it rests on that sync."""
    if digest.days == 1:
        title = t("digest.title_day", lang, day=day_label(digest.first, lang))
    else:
        title = t("digest.title_window", lang, first=day_label(digest.first, lang),
                  last=day_label(digest.last, lang), days=digest.days)
    note = t("digest.based_on", lang, time=local_time) if run_failed and local_time else ""
    if digest.covered_days == 0:
        return DigestText(title, [t("digest.no_data", lang)], note=note)
    lines = []
    if digest.orders.count:
        lines.append(t("digest.orders", lang, sales=_sales_text(digest.orders, lang),
                       subscriptions=_sales_text(digest.subscriptions, lang),
                       one_time=_sales_text(digest.one_time, lang)))
    else:
        lines.append(t("digest.no_orders", lang))
    lines.append(t("digest.members", lang, count=f"{digest.new_members:,}"))
    lines.append(t("digest.refund_requests", lang,
                   sales=_sales_text(digest.refund_requests, lang)))
    lines.append(t("digest.refunds_settled", lang,
                   refunded=_sales_text(digest.refunded, lang),
                   rejected=_sales_text(digest.rejected, lang)))
    lines.append(t("digest.compare", lang, days=digest.compare_days,
                   revenue=won(digest.revenue_change.current, lang),
                   revenue_change=change_text(digest.revenue_change, lang),
                   orders=f"{digest.orders_change.current:,}",
                   orders_change=change_text(digest.orders_change, lang)))
    if not digest.covered:
        lines.append(t("digest.partly_covered", lang, covered=digest.covered_days,
                       days=digest.days))
    products = [(name, t("digest.product", lang, rank=rank, name="{name}",
                         sales=_sales_text(sales, lang)))
                for rank, (name, sales) in enumerate(digest.top_products, start=1)]
    return DigestText(title, lines, t("digest.products_title", lang) if products else "",
                      products, note)


def chart_labels(lang: str) -> Sequence[str]:
    """Every text the chart draws, so that a test can check the font covers them."""
    return (t("digest.chart.title", lang, days=CHART_DAYS), t("digest.chart.revenue", lang),
            t("digest.chart.orders", lang), t("digest.chart.no_data", lang))
