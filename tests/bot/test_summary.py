"""The scheduled sync's one message: the result, the totals, a health line, no personal data."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot import scheduler
from bot.core import BotCore
from sync.db import open_database
from sync.errors import ErrorKind
from sync.models import Member, Order, Refund
from sync.storage import Storage
from tests.fixtures.runs import FakeRunner, ShiftedClock
from tests.fixtures.slack import slack_settings

KST = ZoneInfo("Asia/Seoul")

PEOPLE = [  # (member code, name, e-mail, phone)
    ("M900001", "김서연", "seoyeon.kim@example.com", "010-1234-5678"),
    ("M900002", "이도윤", "doyoon@example.net", "010-2222-3333"),
    ("M900003", "박지우", "jiwoo.park@example.org", "01098765432"),
    ("M900004", "최하준", "hajun@example.com", "010-5555-0101"),
    ("M900005", "정수아", "sua.jung@example.kr", "010-7777-8888"),
]
ORDER_AGES = {"2025000000101": timedelta(hours=2), "2025000000102": timedelta(hours=20),
              "2025000000103": timedelta(days=3), "2025000000104": timedelta(days=6),
              "2025000000105": timedelta(days=10), "2025000000106": timedelta(days=40)}
REFUNDS = {"2025000000103": "Requested", "2025000000104": "Requested",
           "2025000000105": "Refunded", "2025000000106": "Rejected"}


async def seed(url: str, now: datetime) -> None:
    db = await open_database(url)
    async with db.write() as conn:
        await conn.execute(insert(Member), [
            dict(member_code=code, username=email.split("@")[0], email=email, name=name,
                 mobile_number=phone, signed_up_at=now - timedelta(days=30),
                 created_at=now, updated_at=now)
            for code, name, email, phone in PEOPLE])
        await conn.execute(insert(Order), [
            dict(order_number=number, product_name="프리미엄 멤버십", price=29000,
                 buyer_name=PEOPLE[i % 5][1], email=PEOPLE[i % 5][2], member_code=PEOPLE[i % 5][0],
                 paid_at=now - age, created_at=now, updated_at=now)
            for i, (number, age) in enumerate(ORDER_AGES.items())])
        await conn.execute(insert(Refund), [
            dict(order_number=number, refund_status=status, refund_request_price=29000,
                 username=PEOPLE[i][1], member_code=PEOPLE[i][0],
                 refund_requested_at=now - timedelta(days=1), created_at=now, updated_at=now)
            for i, (number, status) in enumerate(REFUNDS.items())])


async def test_daily_summary_shows_the_database_totals_and_no_personal_data(
        make_settings, slack_api, database_url):
    now = datetime.now(UTC)
    runner = FakeRunner()
    settings = make_settings(**slack_settings(slack_api), database_url=database_url)
    await seed(database_url, now)
    session = Storage(settings.storage_dir).ensure().session_file
    session.write_text("{}")
    saved = time.time() - (3 * 3600 + 5 * 60 + 30)
    os.utime(session, (saved, saved))
    core = BotCore(settings, runner=runner)
    schedule = scheduler.install(core)

    report = await schedule.run_slot(now.replace(microsecond=0), trigger="schedule")

    assert report is not None and report.succeeded
    [summary] = await slack_api.wait_for("chat.update", lambda c: "일일 동기화 요약" in c.text)
    assert summary.body["channel"] == settings.slack_channel
    assert "회원 5명" in summary.text
    assert "최근 1일 2건" in summary.text and "최근 7일 4건" in summary.text
    assert "처리 대기 환불 요청 2건" in summary.text
    assert "연속 실패 0번" in summary.text and "3시간 5분 전 저장" in summary.text
    assert "신규 3 · 변경 0 · 그대로 10 · 건너뜀 0" in summary.text  # the sync's own counts
    assert "*" not in summary.body["text"]  # notifications show mrkdwn stars raw
    sent = slack_api.all_payload_text()
    for code, name, email, phone in PEOPLE:
        for secret in (code, name, email, phone, email.split("@")[0]):
            assert secret not in sent
    for number in ORDER_AGES:
        assert number not in sent


async def test_summary_of_a_failed_scheduled_sync_names_the_failure(make_settings, slack_api):
    runner = FakeRunner().then(ErrorKind.LOGIN_FAILED)
    core = BotCore(make_settings(**slack_settings(slack_api)), runner=runner)
    schedule = scheduler.install(core)
    await schedule.run_slot(datetime.now(UTC).replace(microsecond=0), trigger="schedule")
    [summary] = await slack_api.wait_for("chat.update", lambda c: "일일 동기화 요약" in c.text)
    assert "실패 — 로그인 실패" in summary.text
    assert "연속 실패 1번" in summary.text
    assert "없음 (다음 동기화에서 새로 로그인)" in summary.text


async def test_scheduled_sync_of_the_sandbox_posts_the_imported_totals(
        sandbox, sandbox_settings, slack_api):
    """The whole path: the real scheduler fires at 11:00 KST on the bot's clock, the real
    pipeline imports the sandbox's exports, and the summary counts what was imported."""
    for refund in sandbox.data.refunds[:2]:
        refund["Refund Status"] = "Requested"
    fire = datetime(2024, 1, 2, 11, 0, tzinfo=KST)  # the day after the sandbox's orders
    paid = [datetime.strptime(order["Date and Time of Payment"][:16], "%Y-%m-%d %H:%M")
            .replace(tzinfo=KST) for order in sandbox.data.orders]
    day_ago = fire - timedelta(days=1)
    assert not [when for when in paid if day_ago <= when <= day_ago + timedelta(seconds=5)]
    expected_day = sum(when > day_ago for when in paid)
    assert 0 < expected_day < len(paid)  # the test data straddles the one-day line

    settings = sandbox_settings(**slack_settings(slack_api), sync_schedule="0 11 * * *",
                                browser_timeout_ms=2000)
    core = BotCore(settings, clock=ShiftedClock(fire - timedelta(milliseconds=1500)))
    scheduler.install(core)
    await core.start()
    try:
        [summary] = await slack_api.wait_for("chat.update",
                                             lambda c: "일일 동기화 요약" in c.text, timeout=30)
    finally:
        await core.stop()
    assert "2024-01-02 일일 동기화 요약" in summary.text
    assert f"회원 {len(sandbox.data.members)}명" in summary.text
    assert f"최근 1일 {expected_day}건" in summary.text
    assert f"최근 7일 {len(paid)}건" in summary.text
    assert "처리 대기 환불 요청 2건" in summary.text
    assert "연속 실패 0번" in summary.text
    sent = slack_api.all_payload_text()
    for member in sandbox.data.members:
        for field in ("Name", "E-mail", "Username", "Personal email address",
                      "Mobile number", "Member Code"):
            if member[field]:
                assert member[field] not in sent, f"{field} of a member reached Slack"
