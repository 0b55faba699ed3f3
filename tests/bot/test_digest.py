"""The business digest in the scheduled run's one message: seeded orders, members and refunds
across days → the figures the operator reads equal sums the test computes on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot import scheduler
from bot.core import BotCore
from sync import digest
from sync.db import open_database
from sync.errors import ErrorKind
from sync.models import Member, Order
from sync.report import SyncType
from tests.exportfiles import csv_bytes, import_one
from tests.fixtures.runs import FakeRunner, ShiftedClock
from tests.fixtures.slack import CHANNEL_ID, SlackStandIn, slack_settings

KST = ZoneInfo("Asia/Seoul")
SLOT = datetime(2026, 12, 2, 9, 0, tzinfo=KST)  # a Wednesday: the digest is for Tue 1 Dec

PEOPLE = [  # (member code, username, name, e-mail, phone)
    ("M910001", "seoyeon_k", "김서연", "seoyeon.kim@example.com", "010-1234-5678"),
    ("M910002", "doyoon77", "이도윤", "doyoon@example.net", "010-2222-3333"),
    ("M910003", "jiwoo.park", "박지우", "jiwoo.park@example.org", "01098765432"),
]
REFUND_HEADER = ["Order Number", "Refund Status", "Refund Request Price", "Username",
                 "Member Code", "Refund Request Date"]


def kst(day: int, hour: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=KST)


# (order number, paid at, price, payment type, product)
ORDERS = [
    ("O-1", kst(1, 0), 29000, "Regular Payment", "프리미엄 멤버십"),  # midnight: the 1st
    ("O-2", kst(1, 13), 29000, "Regular Payment", "프리미엄 멤버십"),
    ("O-3", kst(1, 23), 55000, "One-time Payment", "<!channel> 굿즈 세트"),
    ("O-4", kst(1, 18), 9900, "One-time Payment", "전자책"),
    ("O-5", kst(2, 0), 99000, "Regular Payment", "다음 날 주문"),  # the 2nd: not in the day
    ("O-6", kst(30, 23, 11), 12000, "One-time Payment", "전날 주문"),  # 30 Nov: not in it
    ("O-7", kst(27, 10, 11), 29000, "Regular Payment", "프리미엄 멤버십"),  # this week
    ("O-8", kst(22, 10, 11), 50000, "One-time Payment", "전자책"),  # the week before
    ("O-9", kst(20, 10, 11), 10000, "One-time Payment", "전자책"),  # the week before
    ("O-10", kst(10, 10, 11), 77000, "One-time Payment", "전자책"),  # older: in no week
]


async def seed(url: str) -> None:
    db = await open_database(url)
    now = datetime.now(UTC)
    async with db.write() as conn:
        await conn.execute(insert(Member), [
            dict(member_code=code, username=user, name=name, email=email, mobile_number=phone,
                 signed_up_at=signed, created_at=now, updated_at=now)
            for (code, user, name, email, phone), signed in zip(
                PEOPLE, [kst(1, 10), kst(1, 22), kst(2, 1)], strict=True)])
        await conn.execute(insert(Order), [
            dict(order_number=number, product_name=product, price=price,
                 buyer_name=PEOPLE[i % 3][2], email=PEOPLE[i % 3][3],
                 member_code=PEOPLE[i % 3][0], payment_type=kind, paid_at=paid,
                 created_at=now, updated_at=now)
            for i, (number, paid, price, kind, product) in enumerate(ORDERS)])


def in_window(start: datetime, end: datetime) -> list[tuple]:
    return [order for order in ORDERS if start <= order[1] < end]


def won(amount: int) -> str:
    return f"{amount:,}원"


def change(current: int, earlier: int) -> str:
    if earlier == 0:
        return "신규"
    percent = (current - earlier) / earlier * 100
    return f"{'▲' if percent > 0 else '▼'} {abs(percent):.1f}%"


def scheduled_messages(slack_api: SlackStandIn) -> list:
    return [call for call in slack_api.of("chat.postMessage")
            if call.body.get("channel") == CHANNEL_ID and not call.body.get("thread_ts")]


async def run_scheduled(make_settings, slack_api, url, runner: FakeRunner, clock: ShiftedClock,
                        **overrides):
    settings = make_settings(**slack_settings(slack_api, **overrides), database_url=url)
    core = BotCore(settings, clock=clock, runner=runner)
    schedule = scheduler.install(core)
    report = await schedule.run_slot(clock(), trigger="schedule")
    assert report is not None
    return settings, report


async def test_scheduled_message_carries_the_digest_with_independently_computed_sums(
        make_settings, slack_api, database_url):
    await seed(database_url)
    settings = make_settings(**slack_settings(slack_api), database_url=database_url)
    # Refunds: the first import's statuses are history, not news; the second import (on the
    # 1st, KST) sees R-1 move to Refunded and R-2 to Rejected.
    first = [["O-2", "Requested", "29,000원", "seoyeon_k", "M910001", "2026-11-30"],
             ["O-3", "Requested", "55,000원", "doyoon77", "M910002", "2026-12-01 10:00"],
             ["O-7", "Refunded", "29,000원", "jiwoo.park", "M910003", "2026-11-27"]]
    await import_one(settings, SyncType.REFUNDS, csv_bytes(REFUND_HEADER, first), "261130_100000")
    second = [["O-2", "Refunded", "29,000원", "seoyeon_k", "M910001", "2026-11-30"],
              ["O-3", "Rejected", "55,000원", "doyoon77", "M910002", "2026-12-01 10:00"],
              ["O-7", "Refunded", "29,000원", "jiwoo.park", "M910003", "2026-11-27"],
              ["O-4", "Requested", "9,900원", "seoyeon_k", "M910001", "2026-12-01 20:00"]]
    from sync import runner as sync_runner

    await sync_runner.run_sync(
        settings, trigger="cli", types=[SyncType.REFUNDS], clock=lambda: kst(1, 15),
        files={SyncType.REFUNDS: _write(settings, csv_bytes(REFUND_HEADER, second))})

    runner = FakeRunner()
    _, report = await run_scheduled(make_settings, slack_api, database_url, runner,
                                    ShiftedClock(SLOT))
    assert report.succeeded

    [message] = scheduled_messages(slack_api)  # one top-level message, nothing else
    [final] = [call for call in slack_api.of("chat.update")
               if call.body.get("ts") == message.answer["ts"]]
    text = final.text
    assert "publ 동기화 완료" in text  # the result …
    assert "12월 1일 (화) 실적" in text  # … and the digest of yesterday, in one message

    day = in_window(kst(1, 0), kst(2, 0))
    subs = [o for o in day if o[3] == "Regular Payment"]
    once = [o for o in day if o[3] != "Regular Payment"]
    total = sum(o[2] for o in day)
    assert (f"새 주문:* {len(day)}건 {won(total)} (정기결제 {len(subs)}건 "
            f"{won(sum(o[2] for o in subs))} · 단건결제 {len(once)}건 "
            f"{won(sum(o[2] for o in once))})") in text
    assert "새 회원:* 2명" in text
    # Requests opened on the 1st: O-3 (10:00) and O-4 (20:00).
    assert f"환불 요청:* 2건 {won(55000 + 9900)}" in text
    assert f"환불 완료 1건 {won(29000)} · 거절 1건 {won(55000)}" in text
    recent = in_window(kst(25, 0, 11), kst(2, 0))
    earlier = in_window(kst(18, 0, 11), kst(25, 0, 11))
    assert (f"매출 {won(sum(o[2] for o in recent))} "
            f"{change(sum(o[2] for o in recent), sum(o[2] for o in earlier))}") in text
    assert f"주문 {len(recent)}건 {change(len(recent), len(earlier))}" in text
    # Top products by the day's revenue, names escaped.
    assert "1. 프리미엄 멤버십 — 2건 58,000원" in text
    assert "2. &lt;!channel&gt; 굿즈 세트 — 1건 55,000원" in text
    assert "3. 전자책 — 1건 9,900원" in text
    assert "<!channel>" not in slack_api.all_payload_text()

    sent = slack_api.all_payload_text()
    for person in PEOPLE:
        for value in person:
            assert value not in sent, "personal data reached Slack"
    for number, *_ in ORDERS:
        assert f'"{number}"' not in sent and f" {number} " not in sent


def _write(settings, data: bytes):
    from tests.exportfiles import download

    return download(settings, SyncType.REFUNDS, data, "261201_150000")


async def test_a_zero_earlier_week_reads_new_and_a_second_run_that_day_has_no_digest(
        make_settings, slack_api, sqlite_url):
    db = await open_database(sqlite_url)
    now = datetime.now(UTC)
    async with db.write() as conn:
        await conn.execute(insert(Order), [dict(
            order_number="N-1", product_name="첫 상품", price=15000,
            payment_type="One-time Payment", paid_at=kst(1, 12), created_at=now,
            updated_at=now)])
    clock = ShiftedClock(SLOT)
    await run_scheduled(make_settings, slack_api, sqlite_url, FakeRunner(), clock)
    text = slack_api.of("chat.update")[-1].text
    assert "매출 15,000원 신규" in text and "주문 1건 신규" in text

    clock.jump(timedelta(hours=3))  # a second scheduled run the same day: result only
    await run_scheduled(make_settings, slack_api, sqlite_url, FakeRunner(), clock)
    assert "실적" not in slack_api.of("chat.update")[-1].text
    assert len(scheduled_messages(slack_api)) == 2


async def test_an_uncovered_day_says_no_data_and_a_failed_run_rests_on_the_last_success(
        make_settings, slack_api, sqlite_url):
    runner = FakeRunner().then(ErrorKind.DOWNLOAD_FAILED)
    clock = ShiftedClock(SLOT)
    await run_scheduled(make_settings, slack_api, sqlite_url, runner, clock)
    text = slack_api.of("chat.update")[-1].text
    assert "데이터 없음" in text and "주문 0건" not in text
    assert "마지막 성공 동기화" not in text  # there has been none to rest on

    # A success on the 3rd covers the 2nd; the next day's run fails but the digest of the
    # 3rd… is not covered; the 2nd (covered, no orders) reads 주문 0건 via build_digest.
    clock.set(kst(3, 8))
    await run_scheduled(make_settings, slack_api, sqlite_url, FakeRunner(), clock)
    assert "12월 2일 (수) 실적" in slack_api.of("chat.update")[-1].text
    assert "주문 0건" in slack_api.of("chat.update")[-1].text

    clock.set(kst(4, 9))
    await run_scheduled(make_settings, slack_api, sqlite_url,
                        FakeRunner().then(ErrorKind.LOGIN_FAILED), clock)
    text = slack_api.of("chat.update")[-1].text
    assert "publ 동기화 실패" in text and "12월 3일 (목) 실적" in text
    assert "마지막 성공 동기화(2026-12-03 08:00 KST) 기준" in text
    assert "데이터 없음" in text  # the 3rd had not ended when the last success finished


async def test_digest_switched_off(make_settings, slack_api, sqlite_url):
    await run_scheduled(make_settings, slack_api, sqlite_url, FakeRunner(), ShiftedClock(SLOT),
                        digest_enabled=False)
    text = slack_api.of("chat.update")[-1].text
    assert "publ 동기화 완료" in text and "실적" not in text


async def test_english_digest(make_settings, slack_api, sqlite_url):
    await seed(sqlite_url)
    await run_scheduled(make_settings, slack_api, sqlite_url, FakeRunner(), ShiftedClock(SLOT),
                        bot_language="en")
    text = slack_api.of("chat.update")[-1].text
    assert "Business on Tue, Dec 1" in text
    assert "*New orders:* 4 for ₩122,900" in text


async def test_build_digest_window_and_day_labels(sqlite_url):
    await seed(sqlite_url)
    db = await open_database(sqlite_url)
    found = await digest.build_digest(db, "Asia/Seoul", kst(1, 0).date(), days=7)
    assert found.days == 7 and found.compare_days == 7
    assert found.covered_days == 0  # no sync has succeeded: nothing is known
    window = in_window(kst(25, 0, 11), kst(2, 0))
    assert found.orders == digest.Sales(len(window), sum(o[2] for o in window))
    assert digest.day_label(kst(1, 0).date(), "ko") == "12월 1일 (화)"
    assert digest.change_text(digest.Change(0, 0), "ko") == "-"
    assert digest.change_text(digest.Change(90, 100), "ko") == "▼ 10.0%"
